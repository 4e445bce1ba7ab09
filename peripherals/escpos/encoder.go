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

// Dialect is a printer command language.
type Dialect int

// Dialects.
const (
	// EscPos is Epson's ESC/POS, which most receipt printers speak.
	EscPos Dialect = iota
	// StarLine is Star Micronics' line mode (Star's own commands for
	// style, alignment, cut and drawer; no DLE EOT status, no QR or raster
	// logo here).
	StarLine
)

// ParseDialect reads "escpos" (the default) or "star".
func ParseDialect(s string) (Dialect, error) {
	switch s {
	case "escpos", "":
		return EscPos, nil
	case "star", "star-line":
		return StarLine, nil
	}
	return 0, fmt.Errorf("printer dialect %q: use escpos or star", s)
}

// Encoder appends printer commands to a buffer. Methods chain; Bytes
// returns the result. Text is encoded in the selected code page; Replaced
// counts the characters that page could not show.
type Encoder struct {
	buf      []byte
	cp       CodePage
	d        Dialect
	starN    int // StarLine: the ESC GS t number to use; -1 = the page's own
	Replaced int
}

// NewEncoder returns an ESC/POS encoder that writes text in cp. It does
// not emit anything yet: call Init.
func NewEncoder(cp CodePage) *Encoder {
	return &Encoder{cp: cp, buf: make([]byte, 0, 2048), starN: -1}
}

// NewEncoderFor returns an encoder of a dialect; starTable, when 0 or more,
// is the Star code page number to select instead of the code page's own.
func NewEncoderFor(d Dialect, cp CodePage, starTable int) *Encoder {
	e := NewEncoder(cp)
	e.d, e.starN = d, starTable
	return e
}

// Dialect is the command language the encoder writes.
func (e *Encoder) Dialect() Dialect { return e.d }

// selectPage is ESC t n, or Star's ESC GS t n.
func (e *Encoder) selectPage() {
	if e.d != StarLine {
		e.buf = append(e.buf, ESC, 't', e.cp.N)
		return
	}
	n, ok := e.cp.StarN()
	if e.starN >= 0 {
		n, ok = byte(e.starN), true
	}
	if ok {
		e.buf = append(e.buf, ESC, GS, 't', n)
	}
}

// Bytes returns the commands so far.
func (e *Encoder) Bytes() []byte { return e.buf }

// Reset empties the buffer, keeping its memory and the code page.
func (e *Encoder) Reset() { e.buf, e.Replaced = e.buf[:0], 0 }

// Raw appends bytes as they are.
func (e *Encoder) Raw(b ...byte) *Encoder { e.buf = append(e.buf, b...); return e }

// Init resets the printer (ESC @) and selects the code page (ESC t n;
// Star: ESC GS t n).
func (e *Encoder) Init() *Encoder {
	e.buf = append(e.buf, ESC, '@')
	e.selectPage()
	return e
}

// CodePage switches to another code page (ESC t n; Star: ESC GS t n).
func (e *Encoder) CodePage(cp CodePage) *Encoder {
	e.cp = cp
	e.selectPage()
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

// Bold turns emphasis on or off (ESC E n; Star: ESC E, ESC F).
func (e *Encoder) Bold(on bool) *Encoder {
	if e.d == StarLine {
		if on {
			return e.Raw(ESC, 'E')
		}
		return e.Raw(ESC, 'F')
	}
	return e.Raw(ESC, 'E', b2(on))
}

// Underline turns underline on (1 dot) or off (ESC - n).
func (e *Encoder) Underline(on bool) *Encoder { return e.Raw(ESC, '-', b2(on)) }

// Size sets character width and height multipliers 1–8 (GS ! n; Star:
// ESC i h w, 1–6).
func (e *Encoder) Size(w, h int) *Encoder {
	if e.d == StarLine {
		return e.Raw(ESC, 'i', byte(clamp(h, 1, 6)-1), byte(clamp(w, 1, 6)-1))
	}
	w, h = clamp(w, 1, 8), clamp(h, 1, 8)
	return e.Raw(GS, '!', byte((w-1)<<4|(h-1)))
}

// Align sets the justification of the following lines (ESC a n; Star: ESC
// GS a n).
func (e *Encoder) Align(a Align) *Encoder {
	if e.d == StarLine {
		return e.Raw(ESC, GS, 'a', byte(a))
	}
	return e.Raw(ESC, 'a', byte(a))
}

// Font selects font A (false) or the smaller font B (true) (ESC M n; Star:
// ESC RS F n).
func (e *Encoder) Font(b bool) *Encoder {
	if e.d == StarLine {
		return e.Raw(ESC, 0x1e, 'F', b2(b))
	}
	return e.Raw(ESC, 'M', b2(b))
}

// Feed prints the buffer and feeds n lines (ESC d n; Star: ESC a n).
func (e *Encoder) Feed(n int) *Encoder {
	if e.d == StarLine {
		return e.Raw(ESC, 'a', byte(clamp(n, 0, 127)))
	}
	return e.Raw(ESC, 'd', byte(clamp(n, 0, 255)))
}

// Cut feeds to the cutter and cuts: partial leaves a hinge (GS V 66 n /
// GS V 65 n: feed n dots, then cut; Star: ESC d 3 / ESC d 2, feed and cut).
func (e *Encoder) Cut(partial bool) *Encoder {
	if e.d == StarLine {
		if partial {
			return e.Raw(ESC, 'd', 3)
		}
		return e.Raw(ESC, 'd', 2)
	}
	m := byte(65)
	if partial {
		m = 66
	}
	return e.Raw(GS, 'V', m, 0)
}

// Kick pulses a drawer-kick pin: on and off times in milliseconds, sent in
// the 2 ms units of ESC p m t1 t2 (rounded up, at most 510 ms). Star
// printers take BEL (drawer 1) or SUB (drawer 2) and time the pulse
// themselves.
func (e *Encoder) Kick(p Pin, onMS, offMS int) *Encoder {
	return e.Raw(KickBytesFor(e.d, p, onMS, offMS)...)
}

// KickBytes is the ESC/POS drawer-kick command on its own.
func KickBytes(p Pin, onMS, offMS int) []byte {
	return []byte{ESC, 'p', byte(p), ms2(onMS), ms2(offMS)}
}

// KickBytesFor is the drawer-kick command of a dialect.
func KickBytesFor(d Dialect, p Pin, onMS, offMS int) []byte {
	if d == StarLine {
		if p == Pin5 {
			return []byte{0x1a} // SUB: drawer 2
		}
		return []byte{0x07} // BEL: drawer 1
	}
	return KickBytes(p, onMS, offMS)
}

func ms2(ms int) byte { return byte(clamp((ms+1)/2, 1, 255)) }

// barcodeSetup sets HRI below, height 80 dots and module width 2 (GS H, GS h, GS w).
func (e *Encoder) barcodeSetup() {
	e.buf = append(e.buf, GS, 'H', 2, GS, 'h', 80, GS, 'w', 2)
}

// Code128 prints a CODE128 barcode (GS k 73 n). Digits only, four or
// more, go in code set C — two digits a symbol, half the width — with an
// odd last digit in set B; anything else in set B ("{{" is a literal
// brace). data must be printable ASCII, at most 253 characters.
func (e *Encoder) Code128(data string) error {
	if e.d == StarLine {
		return fmt.Errorf("CODE128 barcode %q: not sent in Star line mode (print the text, or use ean13)", data)
	}
	if len(data) >= 4 && allDigits(data) {
		enc := []byte{'{', 'C'}
		for i := 0; i+1 < len(data); i += 2 {
			enc = append(enc, (data[i]-'0')*10+data[i+1]-'0')
		}
		if len(data)%2 == 1 {
			enc = append(enc, '{', 'B', data[len(data)-1])
		}
		if len(enc) > 255 {
			return fmt.Errorf("CODE128 barcode %q: too long", data)
		}
		e.barcodeSetup()
		e.buf = append(e.buf, GS, 'k', 73, byte(len(enc)))
		e.buf = append(e.buf, enc...)
		return nil
	}
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
func (e *Encoder) EAN13(data string) error { return e.gs1("EAN-13", 67, 13, data) }

// EAN8 prints an EAN-8 barcode (GS k 68 8): 7 digits, or 8 with a correct
// check digit.
func (e *Encoder) EAN8(data string) error { return e.gs1("EAN-8", 68, 8, data) }

// UPCA prints a UPC-A barcode (GS k 65 12): 11 digits, or 12 with a
// correct check digit.
func (e *Encoder) UPCA(data string) error { return e.gs1("UPC-A", 65, 12, data) }

// gs1 prints a GS1 barcode of n digits with format-B symbology m.
func (e *Encoder) gs1(name string, m byte, n int, data string) error {
	if len(data) != n-1 && len(data) != n {
		return fmt.Errorf("%s barcode %q: needs %d or %d digits", name, data, n-1, n)
	}
	if !allDigits(data) {
		return fmt.Errorf("%s barcode %q: only digits are allowed", name, data)
	}
	check := gs1Check(data[:n-1])
	if len(data) == n && data[n-1] != check {
		return fmt.Errorf("%s barcode %q: check digit should be %c", name, data, check)
	}
	if e.d == StarLine {
		// ESC b n1 n2 n3 n4 data RS: type, HRI under, module 2, height 80
		// (as uniCenta's CodesStar prints EAN-13; the printer adds the
		// check digit).
		kind := map[byte]byte{67: 3, 68: 2, 65: 1}[m]
		e.buf = append(e.buf, ESC, 'b', kind, 2, 2, 80)
		e.buf = append(e.buf, data[:n-1]...)
		e.buf = append(e.buf, 0x1e)
		return nil
	}
	e.barcodeSetup()
	e.buf = append(e.buf, GS, 'k', m, byte(n))
	e.buf = append(e.buf, data[:n-1]...)
	e.buf = append(e.buf, check)
	return nil
}

// gs1Check is the GS1 check digit of a body: weights 3, 1, 3… from the
// rightmost digit.
func gs1Check(body string) byte {
	sum := 0
	for i := 0; i < len(body); i++ {
		v := int(body[len(body)-1-i] - '0')
		if i%2 == 0 {
			v *= 3
		}
		sum += v
	}
	return byte('0' + (10-sum%10)%10)
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// QRLevel is a QR code's error correction level.
type QRLevel byte

// Error correction levels (GS ( k … 49 69 n): L 7 %, M 15 %, Q 25 %, H 30 %.
const (
	QRLevelL QRLevel = 48
	QRLevelM QRLevel = 49
	QRLevelQ QRLevel = 50
	QRLevelH QRLevel = 51
)

// ParseQRLevel reads "L", "M" (the default), "Q" or "H".
func ParseQRLevel(s string) (QRLevel, error) {
	switch strings.ToUpper(s) {
	case "L":
		return QRLevelL, nil
	case "M", "":
		return QRLevelM, nil
	case "Q":
		return QRLevelQ, nil
	case "H":
		return QRLevelH, nil
	}
	return 0, fmt.Errorf("QR error correction %q: use L, M, Q or H", s)
}

// QR prints a QR code (GS ( k): model 2, module size (1–16 dots), error
// correction M, then store and print. data is at most 7,089 bytes.
func (e *Encoder) QR(data string, size int) error { return e.QRCode(data, size, QRLevelM) }

// QRCode prints a QR code with the error correction level given.
func (e *Encoder) QRCode(data string, size int, level QRLevel) error {
	if e.d == StarLine {
		return fmt.Errorf("QR code: not sent in Star line mode")
	}
	if level < QRLevelL || level > QRLevelH {
		level = QRLevelM
	}
	if len(data) == 0 || len(data) > 7089 {
		return fmt.Errorf("QR code: needs 1 to 7089 bytes, got %d", len(data))
	}
	n := len(data) + 3
	e.buf = append(e.buf,
		GS, '(', 'k', 4, 0, 49, 65, 50, 0, // model 2
		GS, '(', 'k', 3, 0, 49, 67, byte(clamp(size, 1, 16)), // module size
		GS, '(', 'k', 3, 0, 49, 69, byte(level), // error correction
		GS, '(', 'k', byte(n&0xff), byte(n>>8), 49, 80, 48) // store
	e.buf = append(e.buf, data...)
	e.buf = append(e.buf, GS, '(', 'k', 3, 0, 49, 81, 48) // print
	return nil
}

// Image prints a monochrome raster image (GS v 0), dark pixels black. The
// image is cut to 2,040 dots wide (the command's limit); printers print
// what fits their head.
func (e *Encoder) Image(img image.Image) *Encoder {
	if e.d == StarLine {
		return e // Star raster graphics are not implemented: no logo
	}
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
