package escpos

import (
	"testing"

	"github.com/opentill/opentill/peripherals/internal/fixtures"
)

// BenchmarkReceipt30Lines lays a 30-line receipt out as its document and
// encodes it to ESC/POS (target ≤ 1 ms). Its baseline, in the same run, is
// the plain-text rendering of the same receipt (receipt.Text: the document
// and the text renderer), so the difference is the cost of the code page
// and the commands.
func BenchmarkReceipt30Lines(b *testing.B) {
	r := fixtures.Long(30)
	l := DefaultLayout()
	b.Run("baseline=receipt.Text", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_ = r.Text(l.Columns)
		}
	})
	b.Run("document", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_ = r.Document(nil)
		}
	})
	b.Run("escpos.Receipt", func(b *testing.B) {
		b.ReportAllocs()
		var n int
		for b.Loop() {
			out, _ := Receipt(r, l)
			n = len(out)
		}
		b.ReportMetric(float64(n), "bytes/receipt")
	})
}
