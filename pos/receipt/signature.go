package receipt

import (
	"strconv"
	"strings"
	"time"

	"github.com/opentill/opentill/pos/cart"
)

// SigAlgorithm names the signature algorithm in the QR code.
const SigAlgorithm = "Ed25519"

// SigTimeLayout is how the signature block prints the start and end times.
const SigTimeLayout = "2006-01-02 15:04:05"

// shortSig is how many characters of the signature the receipt prints; the
// QR code carries all of it.
const shortSig = 16

// Signature is the signature block of a receipt from a till that signs its
// journal, in the spirit of a KassenSichV receipt: the signed journal entry
// (the transaction number), the till's signature counter, the start and end
// of the transaction and the signature. It is data for the renderers: a
// printer adds it as a QR code (QR), and the text renderer prints it as
// lines when the header asks for them (Header.SignatureLines).
// It is a basis for a certified fiscal module, not one.
type Signature struct {
	Till    string    // the till: store ID/terminal ID
	TxnNo   int64     // the signed journal entry's sequence number
	Counter int64     // the till's signature counter
	Start   time.Time // when the transaction started (receipt time zone)
	End     time.Time // when it ended
	KeyID   string    // the till's key (journal.KeyID)
	Hash    string    // the entry's hash: what the signature signs
	Sig     string    // base64 Ed25519 signature of the hash
}

// Short returns the start of the signature as a receipt prints it.
func (s *Signature) Short() string {
	if len(s.Sig) <= shortSig {
		return s.Sig
	}
	return s.Sig[:shortSig] + "…"
}

// QR returns the text of the signature's QR code: fields separated by
// semicolons, times in UTC:
//
//	OTJ1;till;receipt no;transaction no;counter;start;end;Ed25519;key ID;hash;signature
//
// With the till's public key anyone can check that the till signed the
// hash, and with the journal (or the store server's copy) what it signed.
func (s *Signature) QR(receiptNo string) string {
	utc := func(t time.Time) string { return t.UTC().Format(time.RFC3339) }
	return strings.Join([]string{"OTJ1", s.Till, receiptNo, strconv.FormatInt(s.TxnNo, 10), strconv.FormatInt(s.Counter, 10),
		utc(s.Start), utc(s.End), SigAlgorithm, s.KeyID, s.Hash, s.Sig}, ";")
}

// signatureOf makes the block of a signed cart (nil if it is unsigned).
func signatureOf(c *cart.Cart, loc *time.Location) *Signature {
	g := c.Signature
	if g.IsZero() {
		return nil
	}
	start, end := c.Started, c.Finished
	if end.IsZero() {
		end = start
	}
	if loc != nil {
		start, end = start.In(loc), end.In(loc)
	}
	return &Signature{Till: c.Store + "/" + c.Terminal, TxnNo: g.Seq, Counter: g.Counter, Start: start, End: end,
		KeyID: g.KeyID, Hash: g.Hash, Sig: g.Sig}
}

// SignatureQR returns the text of the receipt's signature QR code, or ""
// when the receipt is not signed.
func (r *Receipt) SignatureQR() string {
	if r.Signature == nil {
		return ""
	}
	return r.Signature.QR(r.ReceiptNo)
}
