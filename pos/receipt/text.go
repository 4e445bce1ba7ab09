package receipt

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/opentill/opentill/pos/catalog"
	"github.com/opentill/opentill/pos/money"
)

// MinWidth is the narrowest paper the text renderer lays out for; a smaller
// width passed to Text is raised to it.
const MinWidth = 32

// TimeLayout is how the receipt prints its date and time.
const TimeLayout = "2006-01-02 15:04"

// CopyBanner is printed at the top and the bottom of an English reprint
// (Labels.Copy in other languages).
const CopyBanner = "*** COPY ***"

// Text renders the receipt as plain text, one line per printed line, each at
// most width runes long (width is a character count: 42 for 80 mm paper in
// font A, 48 in font B; widths below MinWidth are raised to it). Names are
// word-wrapped, labels are cut at a rune boundary that keeps accents with
// their letters, and amounts are right-aligned. The result ends with a newline.
func (r *Receipt) Text(width int) string {
	if width < MinWidth {
		width = MinWidth
	}
	w := &writer{width: width}
	lb := r.Labels()
	d := r.Currency.Digits
	m := func(a money.Amount) string { return a.Format(d) }

	// Header.
	h := r.Header
	w.center(h.StoreName)
	w.center(h.Address)
	if h.Phone != "" {
		w.center(lb.Tel + " " + h.Phone)
	}
	if h.TaxID != "" {
		w.center(lb.TaxID + " " + h.TaxID)
	}
	for _, s := range h.Lines {
		w.center(s)
	}
	w.blank()
	w.center(lb.Title(r.Kind))
	if r.Copy {
		w.center(lb.Copy)
	}
	w.blank()
	w.field(lb.Receipt, r.ReceiptNo)
	if !r.Time.IsZero() {
		w.field(lb.Date, r.Time.Format(TimeLayout))
	}
	if r.Store != "" || r.Terminal != "" {
		w.pair(label(lb.Store, r.Store), label(lb.Terminal, r.Terminal))
	}
	w.field(lb.Operator, r.Operator.String())
	w.field(lb.Customer, r.Customer)
	w.rule()

	// Lines.
	for _, l := range r.Lines {
		w.item(l.Name, m(l.Amount))
		if detail := l.detail(d); detail != "" {
			w.indent(detail)
		}
		for _, ds := range l.Discounts {
			w.pair("  "+ds.Label, m(ds.Amount))
		}
		if l.PriceOverridden {
			w.indent(lb.PriceOverridden + " " + m(l.OriginalPrice))
		}
		switch {
		case l.ReturnOf != "":
			w.indent(lb.ReturnOf + " " + l.ReturnOf)
		case l.Return:
			w.indent(lb.Return)
		}
		if l.Comment != "" {
			w.indent(l.Comment)
		}
	}
	w.rule()

	// Totals.
	w.pair(lb.Subtotal, m(r.Subtotal))
	if r.Promotions != 0 {
		w.pair(lb.Promotions, m(r.Promotions))
	}
	if r.LineDiscounts != 0 {
		w.pair(lb.LineDiscounts, m(r.LineDiscounts))
	}
	if r.TotalDiscount.Amount != 0 {
		w.pair(r.TotalDiscount.Label, m(r.TotalDiscount.Amount))
	}
	if r.ExclusiveTax != 0 {
		w.pair(lb.Tax, m(r.ExclusiveTax))
	}
	w.pair(strings.TrimSpace(lb.Total+" "+r.Currency.Code), m(r.Total))
	if r.Rounding != 0 {
		w.pair(lb.Rounding, m(r.Rounding))
		w.pair(lb.AmountDue, m(r.Due))
	}

	// Tenders.
	if len(r.Tenders) > 0 || r.Change != 0 {
		w.blank()
	}
	for _, t := range r.Tenders {
		w.pair(t.Name, m(t.Amount))
		if card := strings.TrimSpace(t.Brand + " " + t.MaskedPAN); card != "" {
			w.indent(card)
		}
		if t.AuthCode != "" {
			w.indent(lb.AuthCode + " " + t.AuthCode)
		}
	}
	if r.Change != 0 {
		w.pair(lb.Change, m(r.Change))
	}
	if r.Discounts < 0 {
		w.blank()
		w.pair(lb.TotalSavings, m(-r.Discounts))
	}

	// Tax summary.
	if len(r.TaxSummary) > 0 || r.TaxNote != "" {
		w.rule()
	}
	w.taxTable(r.TaxSummary, m, &lb)
	w.center(r.TaxNote)

	if r.Comment != "" {
		w.rule()
		w.left(r.Comment)
	}
	if h.SignatureLines {
		w.signatureBlock(r.Signature, &lb)
	}

	// The payment terminal's receipts, as it sent them.
	for _, t := range r.Tenders {
		if len(t.TerminalText) == 0 {
			continue
		}
		w.rule()
		for _, l := range t.TerminalText {
			w.left(l)
		}
	}

	// Footer.
	w.rule()
	for _, s := range h.Footer {
		w.center(s)
	}
	if r.Barcode != "" {
		w.blank()
		w.center("*" + r.Barcode + "*")
	}
	if r.Copy {
		w.blank()
		w.center(lb.Copy)
	}
	return w.String()
}

// detail is the "qty x unit price" line under a line's name, or "" when the
// line is one unit of a counted product.
func (l Line) detail(digits int) string {
	unit := ""
	if l.Unit != "" && l.Unit != catalog.Each.ID {
		unit = l.Unit
	}
	if l.Qty == catalog.One && unit == "" {
		return ""
	}
	s := l.QtyText
	price := l.UnitPrice.Format(digits)
	if unit != "" {
		return s + " " + unit + " x " + price + "/" + unit
	}
	return s + " x " + price
}

// label joins a caption and a value, or returns "" when the value is empty.
func label(caption, value string) string {
	if value == "" {
		return ""
	}
	return caption + " " + value
}

// writer accumulates lines no longer than width runes.
type writer struct {
	width int
	lines []string
}

func (w *writer) String() string {
	var b strings.Builder
	for _, l := range w.lines {
		b.WriteString(l)
		b.WriteByte('\n')
	}
	return b.String()
}

// emit adds a line, trimmed of trailing blanks and cut to the width (a last
// guard: the callers already fit their text).
func (w *writer) emit(s string) {
	w.lines = append(w.lines, strings.TrimRight(fit(s, w.width), " "))
}

// blank adds an empty line, never at the top, after another blank line or
// after a rule.
func (w *writer) blank() {
	if n := len(w.lines); n > 0 && w.lines[n-1] != "" && w.lines[n-1] != w.ruleLine() {
		w.lines = append(w.lines, "")
	}
}

func (w *writer) ruleLine() string { return strings.Repeat("-", w.width) }

func (w *writer) rule() { w.emit(w.ruleLine()) }

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

// taxTable prints the tax summary as columns (name, rate, net, tax amount) with a
// total row when there is more than one code. On paper too narrow for the
// columns, each code takes two lines.
func (w *writer) taxTable(rows []TaxRow, m func(money.Amount) string, lb *Labels) {
	if len(rows) == 0 {
		return
	}
	var basis, tx money.Amount
	rateW, amtW := runeLen(lb.RateColumn), max(runeLen(lb.NetColumn), runeLen(lb.AmountColumn))
	for _, r := range rows {
		basis += r.Basis
		tx += r.Tax
		rateW = max(rateW, runeLen(r.RateText()))
		amtW = max(amtW, runeLen(m(r.Basis)), runeLen(m(r.Tax)))
	}
	amtW = max(amtW, runeLen(m(basis)), runeLen(m(tx)))
	nameW := w.width - rateW - 2*amtW - 3
	row := func(name, rate, net, t string) {
		if nameW >= 6 {
			w.emit(pad(fit(name, nameW), nameW) + " " + padLeft(rate, rateW) + " " + padLeft(net, amtW) + " " + padLeft(t, amtW))
			return
		}
		w.pair(name, rate)
		w.pair("  "+net, t)
	}
	row(lb.TaxColumn, lb.RateColumn, lb.NetColumn, lb.AmountColumn)
	for _, r := range rows {
		row(r.Name, r.RateText(), m(r.Basis), m(r.Tax))
	}
	if len(rows) > 1 {
		row(lb.TaxTotal, "", m(basis), m(tx))
	}
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
	for _, word := range strings.Fields(s) {
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
