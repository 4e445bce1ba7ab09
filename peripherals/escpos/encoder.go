// Package escpos speaks ESC/POS, the command language of Epson TM receipt
// printers and their clones: an Encoder builds command bytes (text in a
// code page with bold, double size, underline and alignment; CODE128 and
// EAN-13 barcodes; QR codes; raster logos; cuts; the drawer kick), Receipt
// renders a receipt.Receipt to those bytes, ParseStatus reads the answers to
// DLE EOT, and Printer drives a printer over a transport.Link.
package escpos

import (
	"fmt"
	"image"
	"image/color"
	"strings"
)

// Command bytes.
const (
	ESC = 0x1b
	GS  = 0x1d
	DLE = 0x10
	EOT = 0x04
	LF  = 0x0a
)

// Align is a text alignment (ESC a n).
type Align byte

// Alignments.
const (
	Left   Align = 0
	Center Align = 1
	Right  Align = 2
)

// Pin is the drawer-kick connector pin (ESC p m).
type Pin byte

// Drawer pins: pin 2 drives the first drawer, pin 5 the second.
const (
	Pin2 Pin = 0
	Pin5 Pin = 1
)

// Encoder appends ESC/POS commands to a buffer. Methods chain; Bytes
// returns the result. Text is encoded in the selected code page; Replaced
// counts the characters that page could not show.
type Encoder struct {
	buf      []byte
	cp       CodePage
	Replaced int
}

// NewEncoder returns an encoder that writes text in cp. It does not emit
// anything yet: call Init.
func NewEncoder(cp CodePage) *Encoder {
	return &Encoder{cp: cp, buf: make([]byte, 0, 2048)}
}

// Bytes returns the commands so far.
func (e *Encoder) Bytes() []byte { return e.buf }

// Reset empties the buffer, keeping its memory and the code page.
func (e *Encoder) Reset() { e.buf, e.Replaced = e.buf[:0], 0 }

// Raw appends bytes as they are.
func (e *Encoder) Raw(b ...byte) *Encoder { e.buf = append(e.buf, b...); return e }

// Init resets the printer (ESC @) and selects the code page (ESC t n).
func (e *Encoder) Init() *Encoder {
	e.buf = append(e.buf, ESC, '@', ESC, 't', e.cp.N)
	return e
}

// CodePage switches to another code page (ESC t n).
func (e *Encoder) CodePage(cp CodePage) *Encoder {
	e.cp = cp
	e.buf = append(e.buf, ESC, 't', cp.N)
	return e
}

// Text appends text in the code page. "\n" feeds a line; other control
// characters and characters the page lacks print as Replacement.
func (e *Encoder) Text(s string) *Encoder {
	var n int
	e.buf, n = e.cp.Encode(e.buf, s)
	e.Replaced += n
	return e
}

// Line appends text and a line feed.
func (e *Encoder) Line(s string) *Encoder { return e.Text(s).Raw(LF) }

// Bold turns emphasis on or off (ESC E n).
func (e *Encoder) Bold(on bool) *Encoder { return e.Raw(ESC, 'E', b2(on)) }

// Underline turns underline on (1 dot) or off (ESC - n).
func (e *Encoder) Underline(on bool) *Encoder { return e.Raw(ESC, '-', b2(on)) }

// Size sets character width and height multipliers 1–8 (GS ! n).
func (e *Encoder) Size(w, h int) *Encoder {
	w, h = clamp(w, 1, 8), clamp(h, 1, 8)
	return e.Raw(GS, '!', byte((w-1)<<4|(h-1)))
}

// Align sets the justification of the following lines (ESC a n).
func (e *Encoder) Align(a Align) *Encoder { return e.Raw(ESC, 'a', byte(a)) }

// Font selects font A (false) or the smaller font B (true) (ESC M n).
func (e *Encoder) Font(b bool) *Encoder { return e.Raw(ESC, 'M', b2(b)) }

// Feed prints the buffer and feeds n lines (ESC d n).
func (e *Encoder) Feed(n int) *Encoder { return e.Raw(ESC, 'd', byte(clamp(n, 0, 255))) }

// Cut feeds to the cutter and cuts: partial leaves a hinge (GS V 66 n /
// GS V 65 n: feed n dots, then cut).
func (e *Encoder) Cut(partial bool) *Encoder {
	m := byte(65)
	if partial {
		m = 66
	}
	return e.Raw(GS, 'V', m, 0)
}

// Kick pulses a drawer-kick pin: on and off times in milliseconds, sent in
// the 2 ms units of ESC p m t1 t2 (rounded up, at most 510 ms).
func (e *Encoder) Kick(p Pin, onMS, offMS int) *Encoder {
	return e.Raw(ESC, 'p', byte(p), ms2(onMS), ms2(offMS))
}

// KickBytes is the drawer-kick command on its own.
func KickBytes(p Pin, onMS, offMS int) []byte {
	return []byte{ESC, 'p', byte(p), ms2(onMS), ms2(offMS)}
}

func ms2(ms int) byte { return byte(clamp((ms+1)/2, 1, 255)) }

// barcodeSetup sets HRI below, height 80 dots and module width 2 (GS H, GS h, GS w).
func (e *Encoder) barcodeSetup() {
	e.buf = append(e.buf, GS, 'H', 2, GS, 'h', 80, GS, 'w', 2)
}

// Code128 prints a CODE128 barcode in code set B (GS k 73 n). data must be
// printable ASCII, at most 253 characters.
func (e *Encoder) Code128(data string) error {
	enc := []byte{'{', 'B'}
	for i := 0; i < len(data); i++ {
		c := data[i]
		if c < 0x20 || c > 0x7e {
			return fmt.Errorf("CODE128 barcode %q: character %q cannot be encoded in code set B", data, c)
		}
		enc = append(enc, c)
		if c == '{' {
			enc = append(enc, '{') // "{{" is a literal brace
		}
	}
	if len(data) == 0 || len(enc) > 255 {
		return fmt.Errorf("CODE128 barcode %q: needs 1 to 253 characters", data)
	}
	e.barcodeSetup()
	e.buf = append(e.buf, GS, 'k', 73, byte(len(enc)))
	e.buf = append(e.buf, enc...)
	return nil
}

// EAN13 prints an EAN-13 barcode (GS k 67 13). data is 12 digits (the check
// digit is added) or 13 digits with a correct check digit.
func (e *Encoder) EAN13(data string) error {
	if len(data) != 12 && len(data) != 13 {
		return fmt.Errorf("EAN-13 barcode %q: needs 12 or 13 digits", data)
	}
	for i := 0; i < len(data); i++ {
		if data[i] < '0' || data[i] > '9' {
			return fmt.Errorf("EAN-13 barcode %q: only digits are allowed", data)
		}
	}
	check := ean13Check(data[:12])
	if len(data) == 13 && data[12] != check {
		return fmt.Errorf("EAN-13 barcode %q: check digit should be %c", data, check)
	}
	e.barcodeSetup()
	e.buf = append(e.buf, GS, 'k', 67, 13)
	e.buf = append(e.buf, data[:12]...)
	e.buf = append(e.buf, check)
	return nil
}

func ean13Check(d string) byte {
	sum := 0
	for i := 0; i < 12; i++ {
		v := int(d[i] - '0')
		if i%2 == 1 {
			v *= 3
		}
		sum += v
	}
	return byte('0' + (10-sum%10)%10)
}

// QR prints a QR code (GS ( k): model 2, module size (1–16 dots), error
// correction M, then store and print. data is at most 7,089 bytes.
func (e *Encoder) QR(data string, size int) error {
	if len(data) == 0 || len(data) > 7089 {
		return fmt.Errorf("QR code: needs 1 to 7089 bytes, got %d", len(data))
	}
	n := len(data) + 3
	e.buf = append(e.buf,
		GS, '(', 'k', 4, 0, 49, 65, 50, 0, // model 2
		GS, '(', 'k', 3, 0, 49, 67, byte(clamp(size, 1, 16)), // module size
		GS, '(', 'k', 3, 0, 49, 69, 49, // error correction M
		GS, '(', 'k', byte(n&0xff), byte(n>>8), 49, 80, 48) // store
	e.buf = append(e.buf, data...)
	e.buf = append(e.buf, GS, '(', 'k', 3, 0, 49, 81, 48) // print
	return nil
}

// Image prints a monochrome raster image (GS v 0), dark pixels black. The
// image is cut to 2,040 dots wide (the command's limit); printers print
// what fits their head.
func (e *Encoder) Image(img image.Image) *Encoder {
	b := img.Bounds()
	w, h := min(b.Dx(), 2040), min(b.Dy(), 65535)
	if w <= 0 || h <= 0 {
		return e
	}
	bw := (w + 7) / 8
	e.buf = append(e.buf, GS, 'v', '0', 0, byte(bw), byte(bw>>8), byte(h), byte(h>>8))
	row := make([]byte, bw)
	for y := 0; y < h; y++ {
		clear(row)
		for x := 0; x < w; x++ {
			if dark(img.At(b.Min.X+x, b.Min.Y+y)) {
				row[x/8] |= 0x80 >> (x % 8)
			}
		}
		e.buf = append(e.buf, row...)
	}
	return e
}

func dark(c color.Color) bool {
	r, g, b, a := c.RGBA()
	if a < 0x8000 {
		return false
	}
	// Rec. 601 luma on 16-bit channels.
	y := (299*r + 587*g + 114*b) / 1000
	return y < 0x8000
}

// StatusRequest is DLE EOT n: n = 1 printer, 2 offline cause, 3 error
// cause, 4 paper roll sensor.
func StatusRequest(n byte) []byte { return []byte{DLE, EOT, n} }

func b2(on bool) byte {
	if on {
		return 1
	}
	return 0
}

func clamp(v, lo, hi int) int { return max(lo, min(v, hi)) }

// Describe prints bytes as hex pairs, for test failures and logs.
func Describe(b []byte) string {
	var sb strings.Builder
	for i, c := range b {
		if i > 0 {
			sb.WriteByte(' ')
		}
		fmt.Fprintf(&sb, "%02X", c)
	}
	return sb.String()
}
