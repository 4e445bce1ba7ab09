// Package journal defines the electronic journal: an append-only list of
// entries, each carrying the SHA-256 of the previous one, so that any edit,
// deletion or reordering is found by Verify.
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
	Reprint        Kind = "reprint" // a receipt copy was printed

	// Shift and cash management (package pos/shift); payloads are shift.Event
	// or shift.Movement.
	ShiftOpen       Kind = "shift_open"
	ShiftSuspend    Kind = "shift_suspend"
	ShiftResume     Kind = "shift_resume" // resumed, re-attached or joined by another operator
	ShiftBlindClose Kind = "shift_blind_close"
	ShiftClose      Kind = "shift_close" // payload carries the Z report
	CashMovement    Kind = "cash_movement"
	ShiftReport     Kind = "shift_report" // an X report or a Z reprint was printed
)

// Genesis is the previous-hash of the first entry.
const Genesis = "0000000000000000000000000000000000000000000000000000000000000000"

// Entry is one journal record.
type Entry struct {
	Seq       int64           `json:"seq"`
	Time      time.Time       `json:"time"`
	Kind      Kind            `json:"kind"`
	Operation int             `json:"op,omitempty"`
	TxnID     string          `json:"txn_id,omitempty"`
	ReceiptNo string          `json:"receipt_no,omitempty"`
	Operator  string          `json:"operator,omitempty"`
	Approver  string          `json:"approver,omitempty"` // the manager who authorised an override
	Payload   json.RawMessage `json:"payload,omitempty"`  // the transaction or details, as JSON
	PrevHash  string          `json:"prev_hash"`
	Hash      string          `json:"hash"`
}

// Canonical returns the bytes that are hashed: every field but Hash, in a
// fixed order, with the time in UTC at nanosecond precision and the payload
// compacted.
func (e Entry) Canonical() []byte {
	var b bytes.Buffer
	field := func(name, v string) {
		b.WriteString(name)
		b.WriteByte('=')
		b.WriteString(strconv.Quote(v))
		b.WriteByte('\n')
	}
	field("seq", strconv.FormatInt(e.Seq, 10))
	field("time", e.Time.UTC().Format(time.RFC3339Nano))
	field("kind", string(e.Kind))
	field("op", strconv.Itoa(e.Operation))
	field("txn", e.TxnID)
	field("receipt", e.ReceiptNo)
	field("operator", e.Operator)
	field("approver", e.Approver)
	var p bytes.Buffer
	if len(e.Payload) > 0 {
		if err := json.Compact(&p, e.Payload); err != nil {
			p.Reset()
			p.Write(e.Payload)
		}
	}
	field("payload", p.String())
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

// Seal links e after an entry with sequence prevSeq and hash prevHash:
// it sets Seq, PrevHash and Hash.
func Seal(e *Entry, prevSeq int64, prevHash string) {
	if prevHash == "" {
		prevHash = Genesis
	}
	e.Seq = prevSeq + 1
	e.PrevHash = prevHash
	e.Hash = e.Sum()
}

// BreakError names the first entry where the chain is broken.
type BreakError struct {
	Seq    int64
	Reason string
}

func (e *BreakError) Error() string {
	return fmt.Sprintf("journal entry %d: %s", e.Seq, e.Reason)
}

// Verifier checks a chain entry by entry, in stored order.
type Verifier struct {
	prevSeq  int64
	prevHash string
	n        int64
}

// Add checks the next entry.
func (v *Verifier) Add(e Entry) error {
	if v.prevHash == "" {
		v.prevHash = Genesis
	}
	switch {
	case e.Seq != v.prevSeq+1:
		return &BreakError{Seq: e.Seq, Reason: fmt.Sprintf("sequence %d follows %d: an entry is missing or out of order", e.Seq, v.prevSeq)}
	case e.PrevHash != v.prevHash:
		return &BreakError{Seq: e.Seq, Reason: "previous-hash does not match the entry before it: an entry was removed, reordered or altered"}
	case e.Sum() != e.Hash:
		return &BreakError{Seq: e.Seq, Reason: "content does not match its hash: the entry was altered"}
	}
	v.prevSeq, v.prevHash = e.Seq, e.Hash
	v.n++
	return nil
}

// Count returns how many entries verified.
func (v *Verifier) Count() int64 { return v.n }

// Head returns the last verified sequence and hash.
func (v *Verifier) Head() (int64, string) { return v.prevSeq, v.prevHash }

// Verify checks a whole chain held in memory.
func Verify(entries []Entry) error {
	var v Verifier
	for _, e := range entries {
		if err := v.Add(e); err != nil {
			return err
		}
	}
	return nil
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
