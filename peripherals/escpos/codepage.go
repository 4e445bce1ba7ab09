package escpos

import (
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/unicode/norm"
)

// CodePage is a character table an ESC/POS printer selects with ESC t n.
type CodePage struct {
	Name string // profile name, e.g. "cp858"
	N    byte   // the ESC t table number on Epson TM printers
	cm   table
}

// table maps runes to the bytes of a code page (a *charmap.Charmap, or
// katakana).
type table interface {
	EncodeRune(r rune) (byte, bool)
	DecodeByte(b byte) rune
}

// katakana is Epson's table 1: ASCII, and the half-width katakana of JIS X
// 0201 at A1–DF (U+FF61–U+FF9F).
type katakana struct{}

func (katakana) EncodeRune(r rune) (byte, bool) {
	switch {
	case r < 0x80:
		return byte(r), true
	case r >= 0xff61 && r <= 0xff9f:
		return byte(r - 0xff61 + 0xa1), true
	}
	return 0, false
}

func (katakana) DecodeByte(b byte) rune {
	switch {
	case b < 0x80:
		return rune(b)
	case b >= 0xa1 && b <= 0xdf:
		return rune(b) - 0xa1 + 0xff61
	}
	return '\ufffd'
}

// Replacement is printed for a character the code page cannot show, so that
// a missing character is visible on the paper instead of silently dropped.
const Replacement = '?'

// Code pages by profile name. The table numbers are those of Epson TM
// printers (the ESC t list of Epson's ESC/POS reference, as
// python-escpos's printer capabilities list them); most ESC/POS clones
// follow them. Star's line mode numbers its tables differently (StarN).
var codePages = map[string]CodePage{
	"cp437":      {Name: "cp437", N: 0, cm: charmap.CodePage437},
	"katakana":   {Name: "katakana", N: 1, cm: katakana{}},
	"cp850":      {Name: "cp850", N: 2, cm: charmap.CodePage850},
	"cp860":      {Name: "cp860", N: 3, cm: charmap.CodePage860},
	"cp863":      {Name: "cp863", N: 4, cm: charmap.CodePage863},
	"cp865":      {Name: "cp865", N: 5, cm: charmap.CodePage865},
	"iso8859-7":  {Name: "iso8859-7", N: 15, cm: charmap.ISO8859_7},
	"cp1252":     {Name: "cp1252", N: 16, cm: charmap.Windows1252},
	"cp866":      {Name: "cp866", N: 17, cm: charmap.CodePage866},
	"cp852":      {Name: "cp852", N: 18, cm: charmap.CodePage852},
	"cp858":      {Name: "cp858", N: 19, cm: charmap.CodePage858},
	"cp855":      {Name: "cp855", N: 34, cm: charmap.CodePage855},
	"cp862":      {Name: "cp862", N: 36, cm: charmap.CodePage862},
	"iso8859-2":  {Name: "iso8859-2", N: 39, cm: charmap.ISO8859_2},
	"iso8859-15": {Name: "iso8859-15", N: 40, cm: charmap.ISO8859_15},
	"cp1250":     {Name: "cp1250", N: 45, cm: charmap.Windows1250},
	"cp1251":     {Name: "cp1251", N: 46, cm: charmap.Windows1251},
	"cp1253":     {Name: "cp1253", N: 47, cm: charmap.Windows1253},
	"cp1254":     {Name: "cp1254", N: 48, cm: charmap.Windows1254},
	"cp1255":     {Name: "cp1255", N: 49, cm: charmap.Windows1255},
	"cp1256":     {Name: "cp1256", N: 50, cm: charmap.Windows1256},
	"cp1257":     {Name: "cp1257", N: 51, cm: charmap.Windows1257},
	"cp1258":     {Name: "cp1258", N: 52, cm: charmap.Windows1258},
}

// starN is the ESC GS t number of a code page on Star printers in line
// mode, where they differ from Epson's (from Star's line mode command
// specification; the profile's star_code_page overrides it).
var starN = map[string]byte{
	"cp437": 1, "katakana": 2, "cp858": 4, "cp852": 5, "cp860": 6, "cp863": 8, "cp865": 9,
	"cp866": 10, "cp855": 11, "cp862": 13, "cp1252": 32, "cp1250": 33, "cp1251": 34,
}

// StarN is the table number of the code page on a Star line-mode printer;
// ok is false when Star has no such table.
func (cp CodePage) StarN() (byte, bool) {
	n, ok := starN[cp.Name]
	return n, ok
}

// DefaultCodePage is CP858: CP850 (all Western European letters) with the
// euro sign.
var DefaultCodePage = codePages["cp858"]

// LookupCodePage finds a code page by name ("cp858", "CP-858", "1252").
func LookupCodePage(name string) (CodePage, error) {
	n := strings.ToLower(strings.NewReplacer("-", "", "_", "", " ", "").Replace(name))
	if n == "" {
		return DefaultCodePage, nil
	}
	n = strings.TrimPrefix(strings.TrimPrefix(n, "windows"), "wpc")
	n = strings.TrimPrefix(n, "pc")
	switch n {
	case "latin9", "iso885915":
		n = "iso8859-15"
	case "latin2", "iso88592":
		n = "iso8859-2"
	case "iso88597":
		n = "iso8859-7"
	}
	if !strings.HasPrefix(n, "cp") && !strings.HasPrefix(n, "iso") && n != "katakana" {
		n = "cp" + n
	}
	if cp, ok := codePages[n]; ok {
		return cp, nil
	}
	return CodePage{}, fmt.Errorf("unknown code page %q: use one of %s", name, strings.Join(CodePageNames(), ", "))
}

// CodePageNames lists the code pages the encoder knows.
func CodePageNames() []string {
	out := make([]string, 0, len(codePages))
	for n := range codePages {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// Encode appends the bytes of s in the code page to dst and returns them
// with the number of characters that had to be replaced. Text is
// normalised to composed form first (a decomposed "é" prints as é). Control
// characters other than LF are replaced too, so that text can never carry
// printer commands. Each character the code page lacks becomes Replacement.
func (cp CodePage) Encode(dst []byte, s string) ([]byte, int) {
	if !isPlainASCII(s) && !norm.NFC.IsNormalString(s) {
		s = norm.NFC.String(s)
	}
	replaced := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			i++
			if (c < 0x20 && c != '\n') || c == 0x7f {
				dst = append(dst, Replacement)
				replaced++
				continue
			}
			dst = append(dst, c)
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		if r == utf8.RuneError && size == 1 {
			dst = append(dst, Replacement)
			replaced++
			continue
		}
		if b, ok := cp.cm.EncodeRune(r); ok && b >= 0x20 && b != 0x7f {
			dst = append(dst, b)
			continue
		}
		if alt, ok := fallback[r]; ok {
			dst = append(dst, alt)
			continue
		}
		dst = append(dst, Replacement)
		replaced++
	}
	return dst, replaced
}

// Decode turns printer bytes of this code page back into text (for tests
// and previews of a byte stream).
func (cp CodePage) Decode(b []byte) string {
	var sb strings.Builder
	for _, c := range b {
		if c < 0x80 {
			sb.WriteByte(c)
			continue
		}
		sb.WriteRune(cp.cm.DecodeByte(c))
	}
	return sb.String()
}

// fallback spells typographic characters that many code pages lack with
// one ASCII character of the same meaning (one for one, so columns stay
// aligned); they are not counted as replaced.
var fallback = map[rune]byte{
	'\u2018': '\'', '\u2019': '\'', '\u201a': ',', '\u201c': '"', '\u201d': '"', '\u201e': '"',
	'\u2013': '-', '\u2014': '-', '\u00a0': ' ', '\u202f': ' ', '\u2009': ' ',
	'\u2022': '*', '\u2212': '-',
}

func isPlainASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
