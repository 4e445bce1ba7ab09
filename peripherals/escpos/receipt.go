package escpos

import (
	"image"
	"strings"

	"github.com/opentill/opentill/peripherals"
	"github.com/opentill/opentill/pos/receipt"
)

// Layout says how a receipt is laid out on a printer.
type Layout struct {
	Columns    int         // characters per line: 42 (80 mm, font A) or 48 (font B); 32 for 58 mm
	FontB      bool        // print in the smaller font B
	CodePage   CodePage    // character table; the zero value means DefaultCodePage
	Logo       image.Image // monochrome logo printed centred at the top; nil for none
	PartialCut bool        // leave a hinge when cutting
	Feed       int         // lines fed before the cut; 0 means 4
	Barcode    string      // "code128" (default), "ean13", "ean8", "upca" (when the receipt number has their digits) or "none"
	QR         bool        // print the receipt number as a QR code too
	QRLevel    QRLevel     // error correction of the QR code; the zero value means M
	Dialect    Dialect     // EscPos (default) or StarLine
	// StarTable overrides the Star ESC GS t number of CodePage when 1 or
	// more (0 uses the page's own Star number).
	StarTable int
}

func (l Layout) encoder() *Encoder {
	n := -1
	if l.StarTable > 0 {
		n = l.StarTable
	}
	return NewEncoderFor(l.Dialect, l.CodePage, n)
}

// DefaultLayout is 42 columns in font A, CP858, partial cut, CODE128 and QR.
func DefaultLayout() Layout {
	return Layout{Columns: 42, CodePage: DefaultCodePage, PartialCut: true, QR: true}
}

func (l Layout) withDefaults() Layout {
	if l.Columns == 0 {
		l.Columns = 42
	}
	if l.CodePage.cm == nil {
		l.CodePage = DefaultCodePage
	}
	if l.Feed == 0 {
		l.Feed = 4
	}
	return l
}

// Receipt renders a receipt to ESC/POS bytes: the same lines as the plain
// text rendering (receipt.Receipt.Text), with the store name, the title and
// the total bold and double height, the receipt number as a barcode (and a
// QR code), and a cut. It returns the bytes and the number of characters
// the code page could not show (printed as Replacement).
func Receipt(r *receipt.Receipt, l Layout) ([]byte, int) {
	l = l.withDefaults()
	e := l.encoder()
	l.Render(e, r)
	return e.Bytes(), e.Replaced
}

// Render appends a receipt to e (see Receipt).
func (l Layout) Render(e *Encoder, r *receipt.Receipt) {
	l = l.withDefaults()
	e.Init().Font(l.FontB)
	if l.Logo != nil {
		e.Align(Center).Image(l.Logo).Align(Left)
	}
	text := r.Text(l.Columns)
	lb := r.Labels()
	title := lb.Title(r.Kind)
	code := "*" + r.Barcode + "*"
	first := true
	for line := range strings.Lines(text) {
		line = strings.TrimSuffix(line, "\n")
		trim := strings.TrimSpace(line)
		switch {
		case first && trim != "" && trim == strings.TrimSpace(r.Header.StoreName):
			e.Bold(true).Size(1, 2).Line(line).Size(1, 1).Bold(false)
		case trim == title:
			e.Bold(true).Size(1, 2).Line(line).Size(1, 1).Bold(false)
		case trim == lb.Copy:
			e.Bold(true).Line(line).Bold(false)
		case strings.HasPrefix(line, lb.Total):
			e.Bold(true).Size(1, 2).Line(line).Size(1, 1).Bold(false)
		case r.Barcode != "" && trim == code:
			l.codes(e, r.Barcode, line)
		default:
			e.Line(line)
		}
		first = false
	}
	if qr := r.SignatureQR(); l.QR && qr != "" {
		// The signature block's QR code, from the receipt's data (its text
		// lines are printed above).
		e.Align(Center)
		_ = e.QR(qr, 4) // at most a few hundred bytes, well inside QR's limit
		e.Raw(LF).Align(Left)
	}
	e.Feed(l.Feed).Cut(l.PartialCut)
}

// codes prints the receipt number as a barcode and a QR code, centred. If
// the barcode cannot be encoded the text line is printed instead.
func (l Layout) codes(e *Encoder, no, line string) {
	e.Align(Center)
	var err error
	switch {
	case l.Barcode == "none":
		e.Line(line)
	case l.Barcode == "ean13" && (len(no) == 12 || len(no) == 13):
		err = e.EAN13(no)
	case l.Barcode == "ean8" && (len(no) == 7 || len(no) == 8):
		err = e.EAN8(no)
	case l.Barcode == "upca" && (len(no) == 11 || len(no) == 12):
		err = e.UPCA(no)
	default:
		err = e.Code128(no)
	}
	if err != nil {
		e.Line(line)
	} else if l.Barcode != "none" {
		e.Raw(LF)
	}
	if l.QR {
		if e.QRCode(no, 6, l.QRLevel) == nil {
			e.Raw(LF)
		}
	}
	e.Align(Left)
}

// PageBytes renders a free-form page (test page, report) to ESC/POS bytes.
func PageBytes(p peripherals.Page, l Layout) ([]byte, int) {
	l = l.withDefaults()
	e := l.encoder()
	e.Init().Font(l.FontB)
	if p.Title != "" {
		e.Align(Center).Bold(true).Size(1, 2).Line(p.Title).Size(1, 1).Bold(false).Align(Left)
	}
	for _, s := range p.Lines {
		e.Line(s)
	}
	if p.QR != "" {
		e.Align(Center)
		if e.QRCode(p.QR, 6, l.QRLevel) == nil {
			e.Raw(LF)
		}
		e.Align(Left)
	}
	e.Feed(l.Feed).Cut(l.PartialCut)
	return e.Bytes(), e.Replaced
}
