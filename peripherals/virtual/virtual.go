// Package virtual holds the twins of real devices for the demo and tests:
// a printer that renders receipts to text and PNG files and keeps the last
// one for the UI's preview, a scale with a settable weight, a drawer and a
// line display that remember what was done to them. They behave like the
// drivers: the same interfaces, the same errors (paper out, motion, over
// capacity), so a till that works with them works with hardware. The
// payment terminal's twin is peripherals/paysim.
package virtual

import (
	"context"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"

	"github.com/skip2/go-qrcode"
	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gomono"
	"golang.org/x/image/font/gofont/gomonobold"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"

	"github.com/opentill/opentill/peripherals"
	"github.com/opentill/opentill/peripherals/escpos"
	"github.com/opentill/opentill/pos/catalog"
	"github.com/opentill/opentill/pos/money"
	"github.com/opentill/opentill/pos/poserr"
	"github.com/opentill/opentill/pos/receipt"
)

// Printer is a virtual receipt printer. Each receipt's document (by
// Layouts) is rendered as text at Columns and, when Dir is set, written
// there as receipt-<number>.txt, .png (RenderDocument) and .bin (the
// ESC/POS bytes a real printer would get).
type Printer struct {
	Dir     string // output folder; empty writes no files
	Columns int    // 42 when 0
	// Layouts are the receipt layouts; nil means the shipped ones.
	Layouts *receipt.Layouts
	// OnPrint is called after each receipt, e.g. to refresh a preview.
	OnPrint func(r *receipt.Receipt, text string)

	mu       sync.Mutex
	status   peripherals.PrinterStatus
	last     *receipt.Receipt
	lastText string
	lastPNG  string
	pages    int
}

var _ peripherals.POSPrinter = (*Printer)(nil)

// NewPrinter returns a ready printer writing into dir ("" for none).
func NewPrinter(dir string, columns int) *Printer {
	return &Printer{Dir: dir, Columns: columns, status: peripherals.PrinterStatus{Online: true}}
}

// SetStatus sets what the printer reports (PaperOut, CoverOpen, Online…);
// a status with an error makes the next jobs fail as a real printer's would.
func (p *Printer) SetStatus(st peripherals.PrinterStatus) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.status = st
}

// Status reports the printer's status.
func (p *Printer) Status(ctx context.Context) (peripherals.PrinterStatus, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.status, nil
}

func (p *Printer) cols() int {
	if p.Columns == 0 {
		return 42
	}
	return p.Columns
}

var unsafeName = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

// PrintReceipt renders the receipt and keeps it as the last one.
func (p *Printer) PrintReceipt(ctx context.Context, r *receipt.Receipt) error {
	p.mu.Lock()
	st := p.status
	p.mu.Unlock()
	if err := st.Err(); err != nil {
		return err
	}
	doc := r.Document(p.Layouts)
	text := doc.Text(p.cols())
	var pngPath string
	if p.Dir != "" {
		name := "receipt-" + unsafeName.ReplaceAllString(r.ReceiptNo, "_")
		if r.Copy {
			name += "-copy"
		}
		if r.Kind == receipt.Gift {
			name += "-gift"
		}
		base := filepath.Join(p.Dir, name)
		l := escpos.DefaultLayout()
		l.Columns = p.cols()
		bin, _ := escpos.Document(doc, l)
		if err := p.write(base, text, bin, RenderDocument(doc, p.cols(), nil)); err != nil {
			return err
		}
		pngPath = base + ".png"
	}
	cp := *r
	p.mu.Lock()
	p.last, p.lastText, p.lastPNG = &cp, text, pngPath
	on := p.OnPrint
	p.mu.Unlock()
	if on != nil {
		on(&cp, text)
	}
	return nil
}

// PrintPage renders a free-form page as text (and PNG) into Dir.
func (p *Printer) PrintPage(ctx context.Context, pg peripherals.Page) error {
	p.mu.Lock()
	st := p.status
	p.pages++
	n := p.pages
	p.mu.Unlock()
	if err := st.Err(); err != nil {
		return err
	}
	if p.Dir == "" {
		return nil
	}
	text := strings.Join(append([]string{pg.Title}, pg.Lines...), "\n") + "\n"
	bin, _ := escpos.PageBytes(pg, escpos.Layout{Columns: p.cols()})
	return p.write(filepath.Join(p.Dir, fmt.Sprintf("page-%03d", n)), text, bin, RenderPNG(text, p.cols(), pg.QR))
}

func (p *Printer) write(base, text string, bin []byte, img image.Image) error {
	if err := os.MkdirAll(filepath.Dir(base), 0o755); err != nil {
		return poserr.Wrap(err, poserr.Device, peripherals.KeyPrinterOffline, "the virtual printer cannot write to %s: check the folder", p.Dir)
	}
	f, err := os.Create(base + ".png")
	if err == nil {
		err = EncodePNG(f, img)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}
	if err == nil {
		err = os.WriteFile(base+".txt", []byte(text), 0o644)
	}
	if err == nil {
		err = os.WriteFile(base+".bin", bin, 0o644)
	}
	if err != nil {
		return poserr.Wrap(err, poserr.Device, peripherals.KeyPrinterOffline, "the virtual printer cannot write to %s: check the folder", p.Dir)
	}
	return nil
}

// EncodePNG writes an image as PNG at the fastest compression: a receipt
// is black text on white, which compresses well at any level, and the
// virtual printer writes one per sale.
func EncodePNG(w io.Writer, img image.Image) error {
	e := png.Encoder{CompressionLevel: png.BestSpeed}
	return e.Encode(w, img)
}

// Last returns the last receipt printed, its text and the PNG file ("" when
// no Dir), or nil.
func (p *Printer) Last() (*receipt.Receipt, string, string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.last, p.lastText, p.lastPNG
}

// Close does nothing.
func (p *Printer) Close() error { return nil }

var (
	fontOnce         sync.Once
	regular, boldFnt font.Face
)

func faces() (font.Face, font.Face) {
	fontOnce.Do(func() {
		opt := &opentype.FaceOptions{Size: 16, DPI: 72, Hinting: font.HintingFull}
		if f, err := opentype.Parse(gomono.TTF); err == nil {
			regular, _ = opentype.NewFace(f, opt)
		}
		if f, err := opentype.Parse(gomonobold.TTF); err == nil {
			boldFnt, _ = opentype.NewFace(f, opt)
		}
	})
	return regular, boldFnt
}

// RenderPNG draws a free-form page's text (a test page, a report) on a
// white strip of paper, columns wide, in a monospaced font (Go Mono). When
// qr is set, its QR code is drawn centred below the text. Receipts are
// drawn from their document by RenderDocument.
func RenderPNG(text string, columns int, qr string) image.Image {
	reg, _ := faces()
	lines := strings.Split(strings.TrimRight(text, "\n"), "\n")
	adv, _ := reg.GlyphAdvance('M')
	cw := adv.Ceil()
	lh := reg.Metrics().Height.Ceil() + 2
	margin := 16
	var code image.Image
	if qr != "" {
		if q, err := qrcode.New(qr, qrcode.Medium); err == nil {
			q.DisableBorder = true
			code = q.Image(6 * len(q.Bitmap()))
		}
	}
	width := columns*cw + 2*margin
	height := len(lines)*lh + 2*margin
	if code != nil {
		height += code.Bounds().Dy() + margin
	}
	img := image.NewRGBA(image.Rect(0, 0, width, height))
	draw.Draw(img, img.Bounds(), image.NewUniform(color.White), image.Point{}, draw.Src)
	if code != nil {
		at := image.Pt((width-code.Bounds().Dx())/2, len(lines)*lh+2*margin)
		draw.Draw(img, code.Bounds().Add(at), code, code.Bounds().Min, draw.Src)
	}
	d := &font.Drawer{Dst: img, Src: image.NewUniform(color.Black)}
	for i, l := range lines {
		d.Face = reg
		d.Dot = fixed.P(margin, margin+(i+1)*lh-4)
		d.DrawString(l)
	}
	return img
}

// Scale is a virtual scale: the demo or a test sets the weight.
type Scale struct {
	mu    sync.Mutex
	w     peripherals.Weight
	err   error
	n     int
	price money.Amount
}

var _ peripherals.PriceScale = (*Scale)(nil)

// NewScale returns an empty scale weighing in unit ("kg" when empty).
func NewScale(unit string) *Scale {
	if unit == "" {
		unit = "kg"
	}
	return &Scale{w: peripherals.Weight{Unit: unit, Stable: true}}
}

// Set puts a weight on the scale; stable false means it is still moving.
func (s *Scale) Set(v catalog.Qty, stable bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.w.Value, s.w.Stable, s.err = v, stable, nil
}

// Fail makes readings fail as a real scale's would, e.g. with an error of
// key peripherals.KeyScaleOver; nil clears it.
func (s *Scale) Fail(err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.err = err
}

// OverCapacity makes readings fail with the over-capacity error.
func (s *Scale) OverCapacity() {
	s.Fail(poserr.E(poserr.Device, peripherals.KeyScaleOver, "the scale is over capacity: take the item off"))
}

// Read returns the weight set.
func (s *Scale) Read(ctx context.Context) (peripherals.Weight, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.n++
	if s.err != nil {
		return peripherals.Weight{}, s.err
	}
	if s.w.Value < 0 {
		return peripherals.Weight{}, poserr.E(poserr.Device, peripherals.KeyScaleUnder, "the scale reads under zero: empty it and zero it")
	}
	return s.w, nil
}

// SetUnitPrice keeps the unit price, as a price-computing scale shows it.
func (s *Scale) SetUnitPrice(ctx context.Context, price money.Amount) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.price = price
	return nil
}

// UnitPrice is the last unit price the till sent.
func (s *Scale) UnitPrice() money.Amount {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.price
}

// Reads counts the readings taken.
func (s *Scale) Reads() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.n
}

// Close does nothing.
func (s *Scale) Close() error { return nil }

// Drawer is a virtual cash drawer that reports its state.
type Drawer struct {
	// OnChange is called when the drawer opens or is shut, e.g. to draw
	// it on screen.
	OnChange func(open bool)

	mu     sync.Mutex
	open   bool
	opened int
	jammed bool
}

var _ peripherals.CashDrawer = (*Drawer)(nil)

// Open opens the drawer (or fails when Jam was called).
func (d *Drawer) Open(ctx context.Context) error {
	d.mu.Lock()
	if d.jammed {
		d.mu.Unlock()
		return poserr.E(poserr.Device, "error.drawer.jammed", "the cash drawer did not open: check that it is not locked or jammed")
	}
	d.open = true
	d.opened++
	on := d.OnChange
	d.mu.Unlock()
	if on != nil {
		on(true)
	}
	return nil
}

// Jam makes the next openings fail (true) or work again (false).
func (d *Drawer) Jam(on bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.jammed = on
}

// Shut closes the drawer, as the cashier does.
func (d *Drawer) Shut() {
	d.mu.Lock()
	d.open = false
	on := d.OnChange
	d.mu.Unlock()
	if on != nil {
		on(false)
	}
}

// Opened counts the openings.
func (d *Drawer) Opened() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.opened
}

// Status reports whether the drawer is open.
func (d *Drawer) Status(ctx context.Context) (peripherals.DrawerStatus, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	return peripherals.DrawerStatus{Known: true, Open: d.open}, nil
}

// Close does nothing.
func (d *Drawer) Close() error { return nil }

// Display is a virtual line display that keeps what it shows.
type Display struct {
	Width int // 20 when 0
	// OnShow is called with every change, e.g. to draw it on screen.
	OnShow func(peripherals.Lines)

	mu      sync.Mutex
	shown   peripherals.Lines
	history []peripherals.Lines
}

var _ peripherals.LineDisplay = (*Display)(nil)

// Show shows two lines, cut to the width.
func (d *Display) Show(ctx context.Context, l peripherals.Lines) error {
	w := d.Columns()
	for i := range l {
		l[i] = peripherals.AlignLine(l[i], w)
		if r := []rune(l[i]); len(r) > w {
			l[i] = string(r[:w])
		}
	}
	d.mu.Lock()
	d.shown = l
	d.history = append(d.history, l)
	on := d.OnShow
	d.mu.Unlock()
	if on != nil {
		on(l)
	}
	return nil
}

// Clear blanks the display.
func (d *Display) Clear(ctx context.Context) error { return d.Show(ctx, peripherals.Lines{}) }

// Shown is what the display shows now.
func (d *Display) Shown() peripherals.Lines {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.shown
}

// History is everything shown, oldest first.
func (d *Display) History() []peripherals.Lines {
	d.mu.Lock()
	defer d.mu.Unlock()
	return append([]peripherals.Lines(nil), d.history...)
}

// Columns is the width.
func (d *Display) Columns() int {
	if d.Width == 0 {
		return 20
	}
	return d.Width
}

// Close does nothing.
func (d *Display) Close() error { return nil }
