package escpos

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/opentill/opentill/peripherals/internal/fixtures"
	"github.com/opentill/opentill/pos/receipt"
)

// TestSignatureQR: a signed receipt prints its signature block's QR code
// from the receipt's data, an unsigned one none.
func TestSignatureQR(t *testing.T) {
	r := fixtures.Receipt("de")
	got, _ := Receipt(r, DefaultLayout())
	assert.NotContains(t, string(got), "OTJ1;", "an unsigned receipt has no signature QR")

	r.Signature = &receipt.Signature{Till: "S001/T01", TxnNo: 17, Counter: 15, Start: r.Time, End: r.Time,
		KeyID: "3f1c2b7a9d8e4f6a0b1c2d3e4f5a6b7c", Hash: "9b2e", Sig: "c2ln"}
	got, _ = Receipt(r, DefaultLayout())
	qr := r.SignatureQR()
	assert.Contains(t, string(got), "\x1d\x28\x6b"+string([]byte{byte(len(qr) + 3), 0})+"\x31\x50\x30"+qr, "QR of the signature")
	l := DefaultLayout()
	l.QR = false
	got, _ = Receipt(r, l)
	assert.NotContains(t, string(got), "OTJ1;", "no QR codes, none for the signature either")
}
