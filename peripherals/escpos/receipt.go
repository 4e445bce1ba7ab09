package escpos

import (
	"image"

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
	QR         bool        // print the layout's QR blocks (the receipt number, a signature)
	QRLevel    QRLevel     // error correction of the QR code; the zero value means M
	Dialect    Dialect     // EscPos (default) or StarLine
	// StarTable overrides the Star ESC GS t number of CodePage when 1 or
	// more (0 uses the page's own Star number).
	StarTable int
	// Layouts are the receipt layouts to print with; nil means the shipped
	// ones (receipt.DefaultLayouts).
	Layouts *receipt.Layouts
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

// Receipt renders a receipt to ESC/POS bytes: its document by the layout
// set in l.Layouts (see Document). It returns the bytes and the number of
// characters the code page could not show (printed as Replacement).
func Receipt(r *receipt.Receipt, l Layout) ([]byte, int) {
	return Document(r.Document(l.Layouts), l)
}

// Document renders a document to ESC/POS bytes: the lines of the document's
// layout (receipt.Document.Layout) at l.Columns, each in its block's style
// (bold, double height or width) as data says, the barcode block as a
// native barcode, QR blocks as native QR codes (when l.QR), the logo block
// as l.Logo, and a cut. Nothing in the text decides how a line prints.
func Document(d *receipt.Document, l Layout) ([]byte, int) {
	l = l.withDefaults()
	e := l.encoder()
	l.RenderDocument(e, d)
	return e.Bytes(), e.Replaced
}

// Render appends a receipt to e (see Receipt).
func (l Layout) Render(e *Encoder, r *receipt.Receipt) {
	l.RenderDocument(e, r.Document(l.Layouts))
}

// RenderDocument appends a document to e (see Document).
func (l Layout) RenderDocument(e *Encoder, d *receipt.Document) {
	l = l.withDefaults()
	e.Init().Font(l.FontB)
	var cur receipt.Style
	set := func(st receipt.Style) {
		if st.Bold != cur.Bold {
			e.Bold(st.Bold)
		}
		if st.Size != cur.Size {
			w, h := sizeOf(st.Size)
			e.Size(w, h)
		}
		cur = st
	}
	for _, pl := range d.Layout(l.Columns) {
		switch b := pl.Block.(type) {
		case *receipt.Logo:
			if l.Logo != nil {
				set(receipt.Style{})
				e.Align(Center).Image(l.Logo).Align(Left)
			}
			continue
		case *receipt.QR:
			if l.QR {
				set(receipt.Style{})
				e.Align(Center)
				size := 6
				if len(b.Data) > 100 {
					size = 4 // a signature: smaller modules keep the code on the paper
				}
				if e.QRCode(b.Data, size, l.QRLevel) == nil {
					e.Raw(LF)
				}
				e.Align(Left)
			}
			continue
		case *receipt.Barcode:
			set(receipt.Style{})
			l.codes(e, b.Data, pl.Text)
			continue
		}
		set(receipt.Style{Bold: pl.Style.Bold, Size: pl.Style.Size})
		e.Line(pl.Text)
	}
	set(receipt.Style{})
	e.Feed(l.Feed).Cut(l.PartialCut)
}

// sizeOf is the ESC/POS character size (width, height) of a style's size.
func sizeOf(s receipt.Size) (int, int) {
	switch s {
	case receipt.Tall:
		return 1, 2
	case receipt.Wide:
		return 2, 1
	case receipt.Double:
		return 2, 2
	}
	return 1, 1
}

// codes prints the receipt number as a barcode, centred. If the barcode
// cannot be encoded (or the profile prints none) the number's text line is
// printed instead.
func (l Layout) codes(e *Encoder, no, line string) {
	e.Align(Center)
	var err error
	switch {
	case l.Barcode == "none":
		e.Align(Left).Line(line)
		return
	case l.Barcode == "ean13" && (len(no) == 12 || len(no) == 13):
		err = e.EAN13(no)
	case l.Barcode == "ean8" && (len(no) == 7 || len(no) == 8):
		err = e.EAN8(no)
	case l.Barcode == "upca" && (len(no) == 11 || len(no) == 12):
		err = e.UPCA(no)
	default:
		err = e.Code128(no)
	}
	e.Align(Left)
	if err != nil {
		e.Line(line)
		return
	}
	e.Raw(LF)
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
