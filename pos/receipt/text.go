package receipt

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// MinWidth is the narrowest paper the text renderer lays out for; a smaller
// width passed to Text is raised to it.
const MinWidth = 32

// Text renders the document as plain text, one line per printed line, each
// at most width runes long (width is a character count: 42 for 80 mm paper
// in font A, 48 in font B, 32 for 58 mm; widths below MinWidth are raised to
// it). Plain text has no emphasis: every block prints in its alignment,
// names are word-wrapped, labels are cut at a rune boundary that keeps
// accents with their letters, and amounts are right-aligned. Barcodes print
// as their data; QR codes and the logo, which text cannot show, are left
// out. The result ends with a newline.
func (d *Document) Text(width int) string {
	var b strings.Builder
	b.Grow(width * 64)
	for _, l := range d.Layout(width) {
		if l.Graphic {
			continue
		}
		b.WriteString(l.Text)
		b.WriteByte('\n')
	}
	return b.String()
}

// PrintLine is one line of a laid-out document: its text, at most the
// paper's width in characters of its style's size (already padded for its
// alignment), the style to print it in and the block it comes from. A
// renderer that has its own drawing for a block (a printer's barcode, QR
// code or logo) draws the block instead of the line's text; a Graphic line
// (QR, logo) has no text to fall back on.
type PrintLine struct {
	Text    string
	Style   Style
	Block   Block
	Graphic bool
}

// Layout lays the document out in lines for paper width characters wide
// (raised to MinWidth): the one line layout the text, ESC/POS and PNG
// renderers share, so that they print the same lines and differ only in
// how they draw emphasis, codes and the logo.
func (d *Document) Layout(width int) []PrintLine {
	if width < MinWidth {
		width = MinWidth
	}
	w := &writer{width: width, full: width, lines: make([]PrintLine, 0, 64)}
	for _, b := range d.Blocks {
		w.block(b)
	}
	w.trim()
	return w.lines
}

// block lays one block out. Every renderer switches on the block's type;
// none looks at the text.
func (w *writer) block(b Block) {
	w.cur, w.style = b, Style{}
	w.width = w.full
	switch b := b.(type) {
	case *Heading:
		w.style = b.Style
		w.width = b.Style.Columns(w.full)
		for _, l := range b.Lines {
			w.aligned(l, b.Style.Align)
		}
	case *Fields:
		for _, f := range b.Rows {
			w.style = f.Style
			w.field(f.Label, f.Value)
		}
	case *Items:
		for _, it := range b.Lines {
			w.itemLine(it)
		}
	case *Totals:
		for _, f := range b.Rows {
			w.style = f.Style
			w.width = f.Style.Columns(w.full)
			w.pair(f.Label, f.Value)
		}
	case *Tenders:
		for _, t := range b.Lines {
			w.pair(t.Name, t.Amount)
			for _, d := range t.Details {
				w.indent(d)
			}
		}
	case *TaxTable:
		w.taxTable(b)
	case *Barcode:
		w.center(b.Data)
	case *Rule:
		w.rule()
	case *Space:
		w.blank()
	case *QR, *Logo:
		w.lines = append(w.lines, PrintLine{Block: b, Graphic: true})
	}
}

// itemLine prints a transaction line: the name with its amount, the
// quantity and unit price, discounts and notes under it.
func (w *writer) itemLine(it Item) {
	name := it.Name
	if it.ItemID != "" {
		name = it.ItemID + " " + name
	}
	switch {
	case it.HidePrices:
		qty := strings.TrimSpace(it.Qty + " " + it.Unit)
		if it.Qty == "" || (!it.ShowDetail && it.Unit == "") {
			qty = ""
		}
		w.item(name, qty)
	default:
		w.item(name, it.Amount)
		if it.ShowDetail {
			w.indent(it.Detail())
		}
	}
	for _, d := range it.Discounts {
		w.pair("  "+d.Label, d.Value)
	}
	for _, n := range it.Notes {
		w.indent(n)
	}
}

// Detail is the "qty x unit price" line under a line's name: "2 x 1,19 €",
// "0,734 kg x 18,90 €/kg".
func (it Item) Detail() string {
	if it.Unit != "" {
		return it.Qty + " " + it.Unit + " x " + it.UnitPrice + "/" + it.Unit
	}
	return it.Qty + " x " + it.UnitPrice
}

// aligned word-wraps s and places each line left, centred or right.
func (w *writer) aligned(s string, a Align) {
	switch a {
	case Center:
		w.center(s)
	case Right:
		for _, para := range strings.Split(s, "\n") {
			for _, l := range wrap(para, w.width) {
				w.emit(padLeft(l, w.width))
			}
		}
	default:
		w.left(s)
	}
}

// writer accumulates lines no longer than width runes.
type writer struct {
	width int // columns of the current style
	full  int // columns of the paper in the normal size
	lines []PrintLine
	cur   Block // the block being laid out
	style Style // the style of the lines being laid out
}

// trim drops blank lines at the end.
func (w *writer) trim() {
	for n := len(w.lines); n > 0 && w.isBlank(n-1); n-- {
		w.lines = w.lines[:n-1]
	}
}

func (w *writer) isBlank(i int) bool { _, ok := w.lines[i].Block.(*Space); return ok }

func (w *writer) isRule(i int) bool { _, ok := w.lines[i].Block.(*Rule); return ok }

// emit adds a line, trimmed of trailing blanks and cut to the width (a last
// guard: the callers already fit their text).
func (w *writer) emit(s string) {
	w.lines = append(w.lines, PrintLine{Text: strings.TrimRight(fit(s, w.width), " "), Style: w.style, Block: w.cur})
}

// blank adds an empty line, never at the top, after another blank line or
// after a rule.
func (w *writer) blank() {
	if n := len(w.lines); n > 0 && !w.isBlank(n-1) && !w.isRule(n-1) {
		w.lines = append(w.lines, PrintLine{Block: &Space{}})
	}
}

// rule adds a rule, in place of a blank line just before it.
func (w *writer) rule() {
	if n := len(w.lines); n > 0 && w.isBlank(n-1) {
		w.lines = w.lines[:n-1]
	}
	w.lines = append(w.lines, PrintLine{Text: strings.Repeat("-", w.full), Block: &Rule{}})
}

// center word-wraps s (which may hold several lines) and centres each line.
func (w *writer) center(s string) {
	for _, para := range strings.Split(s, "\n") {
		for _, l := range wrap(para, w.width) {
			w.emit(strings.Repeat(" ", (w.width-runeLen(l))/2) + l)
		}
	}
}

// left word-wraps s (which may hold several lines) flush left.
func (w *writer) left(s string) {
	for _, para := range strings.Split(s, "\n") {
		for _, l := range wrap(para, w.width) {
			w.emit(l)
		}
	}
}

// indent word-wraps s two columns in.
func (w *writer) indent(s string) {
	for _, l := range wrap(s, w.width-2) {
		w.emit("  " + l)
	}
}

// pair prints left flush left and right flush right on one line, cutting
// left when both do not fit.
func (w *writer) pair(left, right string) {
	right = fit(right, w.width)
	avail := w.width - runeLen(right) - 1
	if avail < 1 {
		w.emit(right)
		return
	}
	left = strings.TrimRight(fit(left, avail), " ")
	w.emit(left + strings.Repeat(" ", w.width-runeLen(left)-runeLen(right)) + right)
}

// field prints "caption  value" on one line when it fits, otherwise the
// caption on one line and the value right-aligned (and wrapped) below.
// Nothing is printed for an empty value.
func (w *writer) field(caption, value string) {
	if value == "" {
		return
	}
	if runeLen(caption)+1+runeLen(value) <= w.width {
		w.pair(caption, value)
		return
	}
	w.emit(caption)
	for rest := value; rest != ""; {
		var head string
		head, rest = cut(rest, w.width)
		w.pair("", head)
	}
}

// item prints a line's name word-wrapped to the room left of its amount,
// with the amount on the first line.
func (w *writer) item(name, amount string) {
	amount = fit(amount, w.width-2)
	parts := wrap(name, w.width-runeLen(amount)-1)
	if len(parts) == 0 {
		parts = []string{""}
	}
	w.pair(parts[0], amount)
	for _, p := range parts[1:] {
		w.emit(p)
	}
}

// taxTable prints the tax per rate as columns — name, rate, net, tax,
// gross — and the sums. On paper too narrow for the names the rate stands
// for the name, and if even that does not fit each rate takes two lines.
func (w *writer) taxTable(t *TaxTable) {
	rows := append(append([]TaxRowText{t.Head}, t.Rows...), t.Total)
	rateW, amtW, nameW := 0, 0, 0
	for _, r := range rows {
		rateW = max(rateW, runeLen(r.Rate))
		amtW = max(amtW, runeLen(r.Net), runeLen(r.Tax), runeLen(r.Gross))
		nameW = max(nameW, runeLen(r.Name))
	}
	amounts := func(r TaxRowText) string {
		return " " + padLeft(r.Net, amtW) + " " + padLeft(r.Tax, amtW) + " " + padLeft(r.Gross, amtW)
	}
	if room := w.width - rateW - 3*amtW - 4; room >= min(nameW, 10) {
		nameW = min(nameW, room)
		for _, r := range rows {
			w.emit(pad(fit(r.Name, nameW), nameW) + " " + padLeft(r.Rate, rateW) + amounts(r))
		}
		return
	}
	firstW := max(rateW, runeLen(t.Total.Name))
	if firstW+3*amtW+3 <= w.width {
		for i, r := range rows {
			first := r.Rate
			if i == len(rows)-1 {
				first = r.Name
			}
			w.emit(pad(fit(first, firstW), firstW) + amounts(r))
		}
		return
	}
	for _, r := range rows {
		w.pair(r.Name, r.Rate)
		w.pair("  "+r.Net+" + "+r.Tax, r.Gross)
	}
}

// words splits s at spaces and tabs, never at a no-break space: "12,99 €"
// (with CLDR's U+00A0) stays on one line.
func words(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == '\t' })
}

// runeLen counts runes, the unit the paper width is measured in.
func runeLen(s string) int { return utf8.RuneCountInString(s) }

func pad(s string, n int) string {
	if k := n - runeLen(s); k > 0 {
		return s + strings.Repeat(" ", k)
	}
	return s
}

func padLeft(s string, n int) string {
	if k := n - runeLen(s); k > 0 {
		return strings.Repeat(" ", k) + s
	}
	return s
}

// fit cuts s to at most n runes.
func fit(s string, n int) string {
	head, _ := cut(s, n)
	return head
}

// cut splits s after at most n runes. It does not separate a letter from the
// combining marks that follow it (a decomposed "é" is "e" + U+0301), unless
// the first n runes are a single letter with its marks.
func cut(s string, n int) (head, tail string) {
	if n < 0 {
		n = 0
	}
	if runeLen(s) <= n {
		return s, ""
	}
	rs := []rune(s)
	k := n
	for k > 0 && unicode.Is(unicode.Mn, rs[k]) {
		k--
	}
	if k == 0 {
		k = n
	}
	return string(rs[:k]), string(rs[k:])
}

// wrap breaks s into lines of at most width runes at spaces; a word longer
// than the width is broken where it has to be.
func wrap(s string, width int) []string {
	if width < 1 {
		width = 1
	}
	var lines []string
	cur := ""
	for _, word := range words(s) {
		for runeLen(word) > width {
			if cur != "" {
				lines = append(lines, cur)
				cur = ""
			}
			var head string
			head, word = cut(word, width)
			lines = append(lines, head)
		}
		switch {
		case word == "":
		case cur == "":
			cur = word
		case runeLen(cur)+1+runeLen(word) <= width:
			cur += " " + word
		default:
			lines = append(lines, cur)
			cur = word
		}
	}
	if cur != "" {
		lines = append(lines, cur)
	}
	return lines
}
