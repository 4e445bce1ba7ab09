package render

import (
	"strings"
	"unicode/utf8"

	"github.com/opentill/opentill/pos/money"
	"github.com/opentill/opentill/pos/report"
)

// maxText is the widest a text column is drawn in Text.
const maxText = 28

// Text draws the whole document as plain text: heading, figures, charts as
// bars of block characters, and the tables with aligned columns.
func Text(d *report.Doc, l Localizer) string {
	f := For(l, d)
	var b strings.Builder
	for i, s := range f.Heading(d) {
		b.WriteString(s)
		b.WriteByte('\n')
		if i == 0 {
			b.WriteString(strings.Repeat("=", runes(s)))
			b.WriteByte('\n')
		}
	}
	b.WriteByte('\n')
	if len(d.Figures) > 0 {
		rows := [][]string{}
		for _, fg := range d.Figures {
			r := []string{l.T(fg.Key), f.Value(fg.Value)}
			if fg.Prev != nil {
				r = append(r, f.Value(*fg.Prev), f.Change(fg.Change))
			}
			rows = append(rows, r)
		}
		right := []bool{false, true, true, true}
		writeGrid(&b, nil, rows, nil, right)
		b.WriteByte('\n')
	}
	for _, c := range d.Charts {
		writeChart(&b, f, c, 30)
		b.WriteByte('\n')
	}
	for _, t := range d.Tables {
		b.WriteString(l.T(t.Title))
		b.WriteByte('\n')
		writeTable(&b, f, t)
		b.WriteByte('\n')
	}
	for _, n := range d.Notes {
		b.WriteString("* " + l.T(n) + "\n")
	}
	return b.String()
}

func writeTable(b *strings.Builder, f Formatter, t report.Table) {
	head := make([]string, len(t.Columns))
	right := make([]bool, len(t.Columns))
	for i, c := range t.Columns {
		head[i] = f.L.T(c.Key)
		right[i] = c.Kind != report.KText && c.Kind != report.KKey && c.Kind != report.KTime && c.Kind != report.KDate
	}
	cells := func(r []report.Value) []string {
		out := make([]string, len(r))
		for i, v := range r {
			c := report.Column{}
			if i < len(t.Columns) {
				c = t.Columns[i]
			}
			out[i] = fit(f.Cell(c, v), maxText)
		}
		return out
	}
	var rows [][]string
	for _, r := range t.Rows {
		rows = append(rows, cells(r))
	}
	var total []string
	if t.Total != nil {
		total = cells(t.Total)
	}
	if len(rows) == 0 {
		b.WriteString("  " + f.L.T("report.empty") + "\n")
		return
	}
	writeGrid(b, head, rows, total, right)
}

// writeGrid writes rows under an optional header with a rule under it and
// above the total.
func writeGrid(b *strings.Builder, head []string, rows [][]string, total []string, right []bool) {
	all := append([][]string{}, rows...)
	if head != nil {
		all = append(all, head)
	}
	if total != nil {
		all = append(all, total)
	}
	var w []int
	for _, r := range all {
		for i, c := range r {
			if i >= len(w) {
				w = append(w, 0)
			}
			w[i] = max(w[i], runes(c))
		}
	}
	line := func(r []string) {
		var parts []string
		for i, c := range r {
			if i < len(right) && right[i] {
				parts = append(parts, strings.Repeat(" ", w[i]-runes(c))+c)
			} else {
				parts = append(parts, c+strings.Repeat(" ", w[i]-runes(c)))
			}
		}
		b.WriteString(strings.TrimRight("  "+strings.Join(parts, "  "), " "))
		b.WriteByte('\n')
	}
	sum := 0
	for _, x := range w {
		sum += x + 2
	}
	if head != nil {
		line(head)
		b.WriteString("  " + strings.Repeat("-", sum-2) + "\n")
	}
	for _, r := range rows {
		line(r)
	}
	if total != nil {
		b.WriteString("  " + strings.Repeat("-", sum-2) + "\n")
		line(total)
	}
}

// writeChart draws a chart as bars of at most width blocks; a donut as
// its shares.
func writeChart(b *strings.Builder, f Formatter, c report.Chart, width int) {
	b.WriteString(f.L.T(c.Title) + "\n")
	if len(c.Points) == 0 {
		b.WriteString("  " + f.L.T("report.empty") + "\n")
		return
	}
	var total int64
	for _, p := range c.Points {
		total += p.Value
	}
	top := c.Max()
	lw := 0
	for _, p := range c.Points {
		lw = max(lw, runes(fit(f.Value(p.Label), 18)))
	}
	for _, p := range c.Points {
		v := p.Value
		if v < 0 {
			v = -v
		}
		n := 0
		if top > 0 {
			n = int(money.Div(v*int64(width), top, money.HalfUp))
		}
		lbl := fit(f.Value(p.Label), 18)
		val := f.ChartValue(c, p.Value)
		if c.Kind == report.Donut && total != 0 {
			val += " (" + f.Value(report.Percent(money.MulDiv(p.Value, 10000, total, money.HalfUp))) + ")"
		} else if p.HasPrev {
			val += " / " + f.ChartValue(c, p.Prev)
		}
		bar := strings.Repeat("█", n)
		if p.Value < 0 {
			bar = strings.Repeat("░", n)
		}
		b.WriteString("  " + lbl + strings.Repeat(" ", lw-runes(lbl)) + " " + bar + strings.Repeat(" ", width-n) + " " + val + "\n")
	}
}

func runes(s string) int { return utf8.RuneCountInString(s) }

// fit cuts s to n runes, ending in "…" when cut.
func fit(s string, n int) string {
	if runes(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

// Short draws the short form for the receipt printer, width columns wide:
// heading, figures and each table's label and last value column, no charts.
func Short(d *report.Doc, l Localizer, width int) string {
	if width < 24 {
		width = 24
	}
	f := For(l, d)
	var b strings.Builder
	rule := strings.Repeat("-", width) + "\n"
	for _, s := range f.Heading(d) {
		for _, part := range wrap(s, width) {
			b.WriteString(center(part, width) + "\n")
		}
	}
	b.WriteString(rule)
	pair := func(left, right string) {
		left = fit(left, max(4, width-runes(right)-1))
		b.WriteString(left + strings.Repeat(" ", max(1, width-runes(left)-runes(right))) + right + "\n")
	}
	for _, fg := range d.Figures {
		pair(l.T(fg.Key), f.Value(fg.Value))
		if fg.Prev != nil && fg.Change.Kind != report.KNone {
			pair("  "+l.T("report.col.prev"), f.Value(*fg.Prev)+" "+f.Change(fg.Change))
		}
	}
	for _, t := range d.Tables {
		vc := mainColumn(t)
		if vc < 0 {
			continue
		}
		b.WriteString(rule)
		b.WriteString(fit(l.T(t.Title), width) + "\n")
		for _, r := range t.Rows {
			pair(f.Cell(t.Columns[0], r[0]), f.Cell(t.Columns[vc], r[vc]))
		}
		if t.Total != nil {
			pair(f.Cell(t.Columns[0], t.Total[0]), f.Cell(t.Columns[vc], t.Total[vc]))
		}
	}
	b.WriteString(rule)
	b.WriteString(center(f.Value(report.Time(d.Made)), width) + "\n")
	return b.String()
}

// mainColumn is the column the short form prints: net sales where there
// is one, else the last amount or count before any comparison; -1 for
// tables too wide to be short (the exception list).
func mainColumn(t report.Table) int {
	if len(t.Columns) > 9 {
		return -1
	}
	best := -1
	for i, c := range t.Columns {
		if i == 0 || c.Key == "report.col.prev" || c.Key == "report.col.change" {
			continue
		}
		if c.Key == "report.col.net" || c.Key == "report.col.value" {
			return i
		}
		if c.Kind == report.KMoney || c.Kind == report.KInt {
			best = i
		}
	}
	return best
}

func center(s string, width int) string {
	n := runes(s)
	if n >= width {
		return s
	}
	return strings.Repeat(" ", (width-n)/2) + s
}

func wrap(s string, width int) []string {
	var out []string
	for runes(s) > width {
		r := []rune(s)
		cut := width
		for i := width; i > width/2; i-- {
			if r[i] == ' ' {
				cut = i
				break
			}
		}
		out = append(out, strings.TrimSpace(string(r[:cut])))
		s = strings.TrimSpace(string(r[cut:]))
	}
	return append(out, s)
}
