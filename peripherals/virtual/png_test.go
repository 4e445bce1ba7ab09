package virtual

import (
	"bytes"
	"flag"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/peripherals/internal/fixtures"
	"github.com/opentill/opentill/pos/receipt"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/; the run then fails, so review the images and run again without it")

// TestPNGGoldens draws each language's sample receipt and compares it pixel
// for pixel with testdata/receipt_<lang>.png (open the file to review a
// change; -update rewrites them). The font is embedded and drawn in pure
// Go, so the image is the same on every machine.
func TestPNGGoldens(t *testing.T) {
	for _, lang := range fixtures.Languages {
		t.Run(lang, func(t *testing.T) {
			r := fixtures.Receipt(lang)
			img := RenderDocument(r.Document(nil), 42, nil)
			var buf bytes.Buffer
			require.NoError(t, png.Encode(&buf, img))
			path := filepath.Join("testdata", "receipt_"+lang+".png")
			if *update {
				require.NoError(t, os.MkdirAll("testdata", 0o755))
				require.NoError(t, os.WriteFile(path, buf.Bytes(), 0o644))
				t.Errorf("rewrote %s: look at it and run again without -update", path)
			}
			f, err := os.Open(path)
			require.NoError(t, err, "missing golden: run go test ./peripherals/virtual -update")
			defer f.Close()
			want, err := png.Decode(f)
			require.NoError(t, err)
			require.Equal(t, want.Bounds(), img.Bounds(), "the image's size changed")
			diff := 0
			for y := 0; y < img.Bounds().Dy(); y++ {
				for x := 0; x < img.Bounds().Dx(); x++ {
					wr, _, _, _ := want.At(x, y).RGBA()
					ir, _, _, _ := img.At(x, y).RGBA()
					if wr != ir {
						diff++
					}
				}
			}
			assert.Zero(t, diff, "%d pixels differ from %s", diff, path)
		})
	}
}

// TestPNGDrawsEmphasisAndCodes: the total row is drawn twice as tall in
// bold, the barcode block as bars, the QR block as a code: the PNG is taller
// than the text's lines by exactly those.
func TestPNGDrawsEmphasisAndCodes(t *testing.T) {
	r := fixtures.Receipt("de")
	doc := r.Document(nil)
	img := RenderDocument(doc, 42, nil)
	reg, _ := faces()
	_, lh := cellSize(reg)
	lines := doc.Layout(42)
	tall, codes := 0, 0
	for _, l := range lines {
		switch l.Block.(type) {
		case *receipt.Barcode, *receipt.QR:
			codes++
			continue
		}
		if l.Style.Size == receipt.Tall {
			tall++
		}
	}
	assert.Equal(t, 3, tall, "store name, title and total are tall")
	assert.Equal(t, 2, codes, "a barcode and a QR code")
	assert.Greater(t, img.Bounds().Dy(), (len(lines)+tall)*lh+2*pngMargin, "the codes take room of their own")
	logo := image.NewGray(image.Rect(0, 0, 100, 40))
	assert.Equal(t, paper, img.Palette, "white paper, black dots")
	assert.Equal(t, img.Bounds().Dy()+40+lh/2, RenderDocument(doc, 42, logo).Bounds().Dy(), "the logo block draws the logo")
}

// BenchmarkPNG30Lines draws a 30-line receipt as PNG (target ≤ 20 ms), beside
// the text rendering of the same receipt in the same run.
func BenchmarkPNG30Lines(b *testing.B) {
	r := fixtures.Long(30)
	b.Run("baseline=receipt.Text", func(b *testing.B) {
		for b.Loop() {
			_ = r.Text(42)
		}
	})
	b.Run("RenderDocument", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_ = RenderDocument(r.Document(nil), 42, nil)
		}
	})
	b.Run("RenderDocument+EncodePNG", func(b *testing.B) {
		b.ReportAllocs()
		var n int
		for b.Loop() {
			var buf bytes.Buffer
			_ = EncodePNG(&buf, RenderDocument(r.Document(nil), 42, nil))
			n = buf.Len()
		}
		b.ReportMetric(float64(n), "bytes/png")
	})
}
