// Package journal defines the electronic journal: an append-only list of
// entries, each carrying the SHA-256 of the previous one and, from the till's
// first start with a signing key on, an Ed25519 signature of its own hash and
// the till's signature counter. Any edit, deletion, reordering, inserted or
// forged entry is found by a Verifier; a dropped tail or a chain rewritten
// with another key is found by comparing the chain's Head with one kept
// elsewhere (the store server's, or one an auditor exported).
package journal

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"time"
)

// Kind says what an entry records.
type Kind string

// Entry kinds.
const (
	Sale     Kind = "sale"     // a completed transaction (sale, return or exchange)
	Void     Kind = "void"     // a voided transaction
	Suspend  Kind = "suspend"  // a transaction put aside
	Recall   Kind = "recall"   // a suspended transaction taken back
	Override Kind = "override" // a manager authorised an operation for another operator
	// OverrideFailed is an alarm: a wrong manager PIN at an override.
	OverrideFailed Kind = "override_failed"
	SignIn         Kind = "sign_in" // an operator signed in
	SignInFailed   Kind = "sign_in_failed"
	LockedOut      Kind = "locked_out" // too many failed sign-ins
	Unlock         Kind = "unlock"     // a manager unlocked an operator
	SignOut        Kind = "sign_out"
	Reprint        Kind = "reprint"  // a receipt copy was printed
	CustomerSaved  Kind = "customer" // a customer was created or edited (payload: the profile)
	// Extension records what an extension did that an auditor must see: an
	// operator's answer to its question and its verdict, or the extension
	// switched off after a failure (payload: extension, event, …).
	Extension Kind = "extension"

	// Shift and cash management (package pos/shift); payloads are shift.Event
	// or shift.Movement.
	ShiftOpen       Kind = "shift_open"
	ShiftSuspend    Kind = "shift_suspend"
	ShiftResume     Kind = "shift_resume" // resumed, re-attached or joined by another operator
	ShiftBlindClose Kind = "shift_blind_close"
	ShiftClose      Kind = "shift_close" // payload carries the Z report
	CashMovement    Kind = "cash_movement"
	ShiftReport     Kind = "shift_report" // an X report or a Z reprint was printed

	// Stock (package pos/inventory); payloads are inventory.AdjustmentRecord
	// and inventory.Count.
	StockAdjustment Kind = "stock_adjustment" // op 806
	StockCountStart Kind = "stock_count"      // a count started at the till (op 802)
	StockCountPost  Kind = "stock_count_post" // a count posted (op 808)
	StockReceipt    Kind = "stock_receipt"    // goods received against a document (op 804)
	StockShipment   Kind = "stock_shipment"   // a transfer's goods shipped (op 805)
	StockTransfer   Kind = "stock_transfer"   // a transfer made at the till, sent (op 805)
	OrderEvent      Kind = "order_event"      // a customer order's quotation, picking, packing, shipping or cancellation without money
	CardForward     Kind = "card_forward"     // card payments taken offline, forwarded to the processor (payload: the outcomes)
)

// Genesis is the previous-hash of the first entry.
const Genesis = "0000000000000000000000000000000000000000000000000000000000000000"

// Entry is one journal record.
//
// A signed entry (KeyID set) hashes the SHA-256 of its payload instead of
// the payload itself, so that the store server can check the chain and the
// signatures from the entries' headers alone: on the wire Payload is left
// out and PayloadSHA256 carries the digest. Entries written before the till
// had a key are unsigned and hash their payload as it is.
type Entry struct {
	Seq           int64           `json:"seq"`
	Time          time.Time       `json:"time"`
	Kind          Kind            `json:"kind"`
	Operation     int             `json:"op,omitempty"`
	TxnID         string          `json:"txn_id,omitempty"`
	ReceiptNo     string          `json:"receipt_no,omitempty"`
	Operator      string          `json:"operator,omitempty"`
	Approver      string          `json:"approver,omitempty"`       // the manager who authorised an override
	Payload       json.RawMessage `json:"payload,omitempty"`        // the transaction or details, as JSON
	PayloadSHA256 string          `json:"payload_sha256,omitempty"` // set only where Payload is left out (uploads)
	KeyID         string          `json:"key_id,omitempty"`         // the signing key (see KeyID); "" on an unsigned entry
	Counter       int64           `json:"sig_counter,omitempty"`    // the till's signature counter: 1 on its first signed entry
	PrevHash      string          `json:"prev_hash"`
	Hash          string          `json:"hash"`
	Sig           string          `json:"sig,omitempty"` // base64 Ed25519 signature of SigMessage(Hash)
}

// Signed reports whether the entry carries any signature field.
func (e Entry) Signed() bool { return e.KeyID != "" || e.Sig != "" || e.Counter != 0 }

// compactPayload returns the payload without insignificant whitespace (as it
// is, if it is not valid JSON).
func (e Entry) compactPayload() []byte {
	if len(e.Payload) == 0 {
		return nil
	}
	var p bytes.Buffer
	if err := json.Compact(&p, e.Payload); err != nil {
		return e.Payload
	}
	return p.Bytes()
}

// PayloadDigest returns the hex SHA-256 of the compacted payload ("" for an
// entry without payload), or PayloadSHA256 when the payload is left out.
func (e Entry) PayloadDigest() string {
	if len(e.Payload) == 0 {
		return e.PayloadSHA256
	}
	h := sha256.Sum256(e.compactPayload())
	return hex.EncodeToString(h[:])
}

// Canonical returns the bytes that are hashed: every field but Hash and Sig,
// in a fixed order, with the time in UTC at nanosecond precision and the
// payload compacted (an unsigned entry) or as its digest (a signed one).
func (e Entry) Canonical() []byte {
	var b bytes.Buffer
	field := func(name, v string) {
		b.WriteString(name)
		b.WriteByte('=')
		b.WriteString(strconv.Quote(v))
		b.WriteByte('\n')
	}
	if e.KeyID != "" {
		field("v", "2")
	}
	field("seq", strconv.FormatInt(e.Seq, 10))
	field("time", e.Time.UTC().Format(time.RFC3339Nano))
	field("kind", string(e.Kind))
	field("op", strconv.Itoa(e.Operation))
	field("txn", e.TxnID)
	field("receipt", e.ReceiptNo)
	field("operator", e.Operator)
	field("approver", e.Approver)
	if e.KeyID != "" {
		field("payload_sha256", e.PayloadDigest())
		field("key", e.KeyID)
		field("counter", strconv.FormatInt(e.Counter, 10))
	} else {
		field("payload", string(e.compactPayload()))
	}
	field("prev", e.PrevHash)
	return b.Bytes()
}

// Sum returns the hash an entry with this content and PrevHash must carry.
func (e Entry) Sum() string {
	h := sha256.New()
	h.Write([]byte(e.PrevHash))
	h.Write(e.Canonical())
	return hex.EncodeToString(h.Sum(nil))
}

// Seal links e after an entry with sequence prevSeq and hash prevHash,
// unsigned: it sets Seq, PrevHash and Hash. A till with a key uses
// SealSigned.
func Seal(e *Entry, prevSeq int64, prevHash string) {
	if prevHash == "" {
		prevHash = Genesis
	}
	e.Seq = prevSeq + 1
	e.PrevHash = prevHash
	e.KeyID, e.Counter, e.Sig = "", 0, ""
	e.Hash = e.Sum()
}

// SealSigned links e after the chain's head and signs it with k: it sets
// Seq, PrevHash, KeyID, Counter (the head's counter plus one), Hash and Sig.
func SealSigned(e *Entry, head Head, k *Key) {
	if head.Hash == "" {
		head.Hash = Genesis
	}
	e.Seq = head.Seq + 1
	e.PrevHash = head.Hash
	e.KeyID = k.ID()
	e.Counter = head.Counter + 1
	e.Hash = e.Sum()
	e.Sig = k.sign(e.Hash)
}

// Head returns the chain head this entry makes.
func (e Entry) Head() Head {
	return Head{Seq: e.Seq, Hash: e.Hash, Counter: e.Counter, KeyID: e.KeyID}
}

// BreakError names the first entry where the chain is broken.
type BreakError struct {
	Seq    int64
	Reason string
}

func (e *BreakError) Error() string {
	return fmt.Sprintf("journal entry %d: %s", e.Seq, e.Reason)
}

// SetPayload sets the entry's payload to v as JSON.
func (e *Entry) SetPayload(v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("journal payload of a %s entry: %w", e.Kind, err)
	}
	e.Payload = b
	return nil
}
