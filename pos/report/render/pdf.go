package render

import (
	"fmt"
	"io"
	"math"
	"strings"

	"codeberg.org/go-pdf/fpdf"

	"github.com/opentill/opentill/pos/money"
	"github.com/opentill/opentill/pos/report"
)

// A4 portrait, in millimetres.
const (
	pageW   = 210.0
	margin  = 12.0
	bodyW   = pageW - 2*margin
	chartW  = (bodyW - 6) / 2
	chartH  = 58.0
	lineH   = 5.0
	figureH = 17.0
)

type rgb struct{ r, g, b int }

var (
	ink     = rgb{0x21, 0x21, 0x21}
	grey    = rgb{0x75, 0x75, 0x75}
	rule    = rgb{0xbd, 0xbd, 0xbd}
	band    = rgb{0xf3, 0xf4, 0xf6}
	primary = rgb{0x1e, 0x63, 0xb6}
	prevCol = rgb{0xa8, 0xc4, 0xe6}
	red     = rgb{0xc6, 0x28, 0x28}
	green   = rgb{0x2e, 0x7d, 0x32}
	palette = []rgb{{0x1e, 0x63, 0xb6}, {0xef, 0x8a, 0x17}, {0x2e, 0x7d, 0x32}, {0x8e, 0x24, 0xaa}, {0xc6, 0x28, 0x28},
		{0x00, 0x83, 0x8f}, {0x6d, 0x4c, 0x41}, {0x75, 0x75, 0x75}}
)

// PDF writes the document as an A4 PDF: heading, the figures in boxes, the
// charts two by two (bars, lines, the tenders' donut) drawn as vector
// shapes, and the tables, repeating their header on a new page; page
// numbers in the footer. It returns the number of pages. The core
// Helvetica font covers Windows-1252, which holds the store languages'
// letters and the euro sign.
func PDF(w io.Writer, d *report.Doc, l Localizer) (int, error) {
	f := For(l, d)
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.SetMargins(margin, margin, margin)
	pdf.SetAutoPageBreak(true, 14)
	pdf.SetCreationDate(d.Made)
	pdf.SetModificationDate(d.Made)
	pdf.SetCatalogSort(true)
	pdf.SetCompression(true)
	tr := pdf.UnicodeTranslatorFromDescriptor("")
	p := &pdfDoc{pdf: pdf, f: f, tr: func(s string) string { return tr(pdfSafe.Replace(s)) }}
	pdf.SetTitle(l.T(d.Title)+" "+d.Period.String(), true)
	pdf.SetAuthor(d.StoreName, true)
	pdf.SetCreator("OpenTill", false)
	pdf.AliasNbPages("{nb}")
	made := f.Value(report.Time(d.Made))
	pdf.SetFooterFunc(func() {
		pdf.SetY(-11)
		p.font("", 7, grey)
		bodyW := p.width()
		pdf.CellFormat(bodyW/2, 4, p.tr(d.StoreName+" · "+l.T(d.Title)+" · "+made), "", 0, "L", false, 0, "")
		pdf.CellFormat(bodyW/2, 4, p.tr(l.T("report.page", map[string]any{"Page": pdf.PageNo(), "Pages": "{nb}"})), "", 0, "R", false, 0, "")
	})
	pdf.AddPage()
	p.heading(d)
	p.figures(d)
	p.charts(d)
	for _, t := range d.Tables {
		p.table(t)
	}
	if len(d.Notes) > 0 {
		pdf.Ln(2)
		p.font("I", 8, grey)
		for _, n := range d.Notes {
			pdf.MultiCell(bodyW, 4, p.tr("* "+l.T(n)), "", "L", false)
		}
	}
	pages := pdf.PageNo()
	if err := pdf.Output(w); err != nil {
		return 0, fmt.Errorf("writing the PDF: %w", err)
	}
	return pages, nil
}

// pdfSafe turns the characters Windows-1252 lacks into ones it has.
var pdfSafe = strings.NewReplacer("\u202f", "\u00a0", "→", "->", "−", "-", "…", "...", "█", "#", "░", ".")

type pdfDoc struct {
	pdf *fpdf.Fpdf
	f   Formatter
	tr  func(string) string
}

func (p *pdfDoc) font(style string, size float64, c rgb) {
	p.pdf.SetFont("Helvetica", style, size)
	p.pdf.SetTextColor(c.r, c.g, c.b)
}

// width is the width between the margins of the current page.
func (p *pdfDoc) width() float64 {
	w, _ := p.pdf.GetPageSize()
	return w - 2*margin
}

func (p *pdfDoc) fill(c rgb) { p.pdf.SetFillColor(c.r, c.g, c.b) }
func (p *pdfDoc) draw(c rgb) { p.pdf.SetDrawColor(c.r, c.g, c.b) }

// ensure starts a new page unless h millimetres are left.
func (p *pdfDoc) ensure(h float64) {
	_, ph := p.pdf.GetPageSize()
	if p.pdf.GetY()+h > ph-16 {
		p.pdf.AddPage()
	}
}

func (p *pdfDoc) heading(d *report.Doc) {
	lines := p.f.Heading(d)
	p.font("", 9, grey)
	p.pdf.CellFormat(bodyW, 5, p.tr(lines[1]), "", 1, "L", false, 0, "")
	p.font("B", 17, ink)
	p.pdf.CellFormat(bodyW, 9, p.tr(lines[0]), "", 1, "L", false, 0, "")
	p.font("", 10, ink)
	for _, s := range lines[2:] {
		p.pdf.CellFormat(bodyW, 5.5, p.tr(s), "", 1, "L", false, 0, "")
	}
	y := p.pdf.GetY() + 2
	p.draw(rule)
	p.pdf.SetLineWidth(0.3)
	p.pdf.Line(margin, y, pageW-margin, y)
	p.pdf.SetY(y + 3)
}

func (p *pdfDoc) figures(d *report.Doc) {
	if len(d.Figures) == 0 {
		return
	}
	const perRow = 4
	w := (bodyW - 3*(perRow-1)) / perRow
	for i, fg := range d.Figures {
		col := i % perRow
		if col == 0 {
			if i > 0 {
				p.pdf.SetY(p.pdf.GetY() + figureH + 3)
			}
			p.ensure(figureH)
		}
		x, y := margin+float64(col)*(w+3), p.pdf.GetY()
		p.fill(band)
		p.pdf.Rect(x, y, w, figureH, "F")
		p.pdf.SetXY(x+2, y+1.5)
		p.font("", 7.5, grey)
		p.pdf.CellFormat(w-4, 4, p.tr(p.f.L.T(fg.Key)), "", 2, "L", false, 0, "")
		p.pdf.SetX(x + 2)
		p.font("B", 12, ink)
		p.pdf.CellFormat(w-4, 6.5, p.tr(p.f.Value(fg.Value)), "", 2, "L", false, 0, "")
		if fg.Prev != nil {
			p.pdf.SetX(x + 2)
			c := grey
			if fg.Change.Kind == report.KPercent {
				if fg.Change.N > 0 {
					c = green
				} else if fg.Change.N < 0 {
					c = red
				}
			}
			p.font("", 7, c)
			p.pdf.CellFormat(w-4, 3.5, p.tr(p.f.Change(fg.Change)+"  ("+p.f.Value(*fg.Prev)+")"), "", 0, "L", false, 0, "")
		}
		p.pdf.SetXY(margin, y)
	}
	p.pdf.SetY(p.pdf.GetY() + figureH + 5)
}

func (p *pdfDoc) charts(d *report.Doc) {
	for i, c := range d.Charts {
		col := i % 2
		if col == 0 {
			if i > 0 {
				p.pdf.SetY(p.pdf.GetY() + chartH + 4)
			}
			p.ensure(chartH + 2)
		}
		x, y := margin+float64(col)*(chartW+6), p.pdf.GetY()
		p.chart(c, x, y, chartW, chartH)
		p.pdf.SetXY(margin, y)
	}
	if len(d.Charts) > 0 {
		p.pdf.SetY(p.pdf.GetY() + chartH + 5)
	}
}

// chart draws one chart in the box (x, y, w, h), its title on top.
func (p *pdfDoc) chart(c report.Chart, x, y, w, h float64) {
	p.draw(rule)
	p.pdf.SetLineWidth(0.2)
	p.pdf.Rect(x, y, w, h, "D")
	p.pdf.SetXY(x+2, y+1.5)
	p.font("B", 8.5, ink)
	p.pdf.CellFormat(w-4, 4.5, p.tr(p.f.L.T(c.Title)), "", 0, "L", false, 0, "")
	bx, by, bw, bh := x+3, y+8, w-6, h-11
	if len(c.Points) == 0 {
		p.pdf.SetXY(bx, by+bh/2-2)
		p.font("I", 8, grey)
		p.pdf.CellFormat(bw, 4, p.tr(p.f.L.T("report.empty")), "", 0, "C", false, 0, "")
		return
	}
	switch {
	case c.Kind == report.Donut:
		p.donut(c, bx, by, bw, bh)
	case c.Kind == report.Line:
		p.line(c, bx, by, bw, bh)
	case c.Points[0].Label.Kind == report.KHour || c.Points[0].Label.Kind == report.KDate:
		p.columns(c, bx, by, bw, bh)
	default:
		p.bars(c, bx, by, bw, bh)
	}
}

// scaleOf is the value a chart's full length stands for.
func scaleOf(c report.Chart) float64 {
	m := float64(c.Max())
	if m == 0 {
		return 1
	}
	return m
}

// bars draws horizontal bars with their labels and values.
func (p *pdfDoc) bars(c report.Chart, x, y, w, h float64) {
	n := min(len(c.Points), 12)
	row := math.Min(h/float64(n), 7)
	labelW, valueW := w*0.34, w*0.24
	barW := w - labelW - valueW - 2
	top := scaleOf(c)
	for i, pt := range c.Points[:n] {
		ry := y + float64(i)*row
		p.font("", 7, ink)
		p.pdf.SetXY(x, ry)
		p.pdf.CellFormat(labelW, row, p.tr(p.fitWidth(p.f.Value(pt.Label), labelW-1)), "", 0, "L", false, 0, "")
		v := math.Abs(float64(pt.Value)) / top * barW
		col := primary
		if pt.Value < 0 {
			col = red
		}
		bh := row * 0.62
		if pt.HasPrev {
			pv := math.Abs(float64(pt.Prev)) / top * barW
			p.fill(prevCol)
			p.pdf.Rect(x+labelW, ry+row*0.19+bh*0.62, math.Max(pv, 0.3), bh*0.38, "F")
			bh *= 0.62
		}
		p.fill(col)
		p.pdf.Rect(x+labelW, ry+row*0.19, math.Max(v, 0.3), bh, "F")
		p.pdf.SetXY(x+labelW+barW+1, ry)
		p.pdf.CellFormat(valueW, row, p.tr(p.f.ChartValue(c, pt.Value)), "", 0, "R", false, 0, "")
	}
}

// columns draws vertical bars (hours, days) over an axis with labels.
func (p *pdfDoc) columns(c report.Chart, x, y, w, h float64) {
	axisH := 5.0
	plotH := h - axisH
	n := len(c.Points)
	slot := w / float64(n)
	top := scaleOf(c)
	p.font("", 6, grey)
	p.pdf.SetXY(x, y-1)
	p.pdf.CellFormat(w, 3, p.tr(p.f.ChartValue(c, int64(top))), "", 0, "R", false, 0, "")
	p.draw(rule)
	p.pdf.Line(x, y+plotH, x+w, y+plotH)
	every := max(1, int(math.Ceil(float64(n)*7/w)))
	for i, pt := range c.Points {
		cx := x + float64(i)*slot
		bw := slot * 0.7
		if pt.HasPrev {
			ph := math.Abs(float64(pt.Prev)) / top * (plotH - 3)
			p.fill(prevCol)
			p.pdf.Rect(cx+slot*0.15+bw*0.55, y+plotH-ph, bw*0.45, ph, "F")
			bw *= 0.55
		}
		vh := math.Abs(float64(pt.Value)) / top * (plotH - 3)
		if pt.Value < 0 {
			p.fill(red)
		} else {
			p.fill(primary)
		}
		p.pdf.Rect(cx+slot*0.15, y+plotH-vh, bw, vh, "F")
		if i%every == 0 {
			p.font("", 6, grey)
			p.pdf.SetXY(cx-slot, y+plotH+0.5)
			p.pdf.CellFormat(slot*3, 3.5, p.tr(shortLabel(p.f, pt.Label)), "", 0, "C", false, 0, "")
		}
	}
}

// line draws the points joined, the period before dashed.
func (p *pdfDoc) line(c report.Chart, x, y, w, h float64) {
	axisH := 5.0
	plotH := h - axisH
	n := len(c.Points)
	top := scaleOf(c)
	px := func(i int) float64 {
		if n == 1 {
			return x + w/2
		}
		return x + float64(i)*w/float64(n-1)
	}
	py := func(v int64) float64 { return y + plotH - float64(v)/top*(plotH-3) }
	p.draw(rule)
	p.pdf.SetLineWidth(0.2)
	p.pdf.Line(x, y+plotH, x+w, y+plotH)
	p.font("", 6, grey)
	p.pdf.SetXY(x, y-1)
	p.pdf.CellFormat(w, 3, p.tr(p.f.ChartValue(c, int64(top))), "", 0, "R", false, 0, "")
	if c.Points[0].HasPrev {
		p.draw(prevCol)
		p.pdf.SetLineWidth(0.4)
		p.pdf.SetDashPattern([]float64{1.2, 0.8}, 0)
		for i := 1; i < n; i++ {
			p.pdf.Line(px(i-1), py(c.Points[i-1].Prev), px(i), py(c.Points[i].Prev))
		}
		p.pdf.SetDashPattern([]float64{}, 0)
	}
	p.draw(primary)
	p.pdf.SetLineWidth(0.6)
	for i := 1; i < n; i++ {
		p.pdf.Line(px(i-1), py(c.Points[i-1].Value), px(i), py(c.Points[i].Value))
	}
	p.fill(primary)
	for i, pt := range c.Points {
		p.pdf.Circle(px(i), py(pt.Value), 0.6, "F")
	}
	every := max(1, int(math.Ceil(float64(n)*9/w)))
	p.font("", 6, grey)
	for i, pt := range c.Points {
		if i%every == 0 {
			p.pdf.SetXY(px(i)-6, y+plotH+0.5)
			p.pdf.CellFormat(12, 3.5, p.tr(shortLabel(p.f, pt.Label)), "", 0, "C", false, 0, "")
		}
	}
	p.pdf.SetLineWidth(0.2)
}

// donut draws the shares as a ring with a legend.
func (p *pdfDoc) donut(c report.Chart, x, y, w, h float64) {
	var total float64
	for _, pt := range c.Points {
		total += math.Max(float64(pt.Value), 0)
	}
	r := math.Min(h, w*0.45) / 2
	cx, cy := x+r+1, y+h/2
	inner := r * 0.58
	if total > 0 {
		a := -math.Pi / 2
		for i, pt := range c.Points {
			v := math.Max(float64(pt.Value), 0)
			if v == 0 {
				continue
			}
			span := v / total * 2 * math.Pi
			steps := max(2, int(span/(math.Pi/36)))
			var pts []fpdf.PointType
			for s := 0; s <= steps; s++ {
				t := a + span*float64(s)/float64(steps)
				pts = append(pts, fpdf.PointType{X: cx + r*math.Cos(t), Y: cy + r*math.Sin(t)})
			}
			for s := steps; s >= 0; s-- {
				t := a + span*float64(s)/float64(steps)
				pts = append(pts, fpdf.PointType{X: cx + inner*math.Cos(t), Y: cy + inner*math.Sin(t)})
			}
			col := palette[i%len(palette)]
			p.fill(col)
			p.draw(col)
			p.pdf.Polygon(pts, "FD")
			a += span
		}
	}
	p.font("B", 7.5, ink)
	p.pdf.SetXY(cx-inner, cy-2)
	p.pdf.CellFormat(2*inner, 4, p.tr(p.f.ChartValue(c, int64(total))), "", 0, "C", false, 0, "")
	lx := x + 2*r + 5
	lw := x + w - lx
	for i, pt := range c.Points {
		ly := y + 2 + float64(i)*6
		if ly > y+h-4 {
			break
		}
		p.fill(palette[i%len(palette)])
		p.pdf.Rect(lx, ly+1, 3, 3, "F")
		p.font("", 7, ink)
		share := ""
		if total > 0 {
			share = " · " + p.f.Value(report.Percent(money.MulDiv(max(pt.Value, 0), 10000, int64(total), money.HalfUp)))
		}
		p.pdf.SetXY(lx+4, ly)
		p.pdf.CellFormat(lw-4, 5, p.tr(p.fitWidth(p.f.Value(pt.Label)+": "+p.f.ChartValue(c, pt.Value)+share, lw-5)), "", 0, "L", false, 0, "")
	}
}

// shortLabel is an axis label: the hour, or the day of the month.
func shortLabel(f Formatter, v report.Value) string {
	if v.Kind == report.KDate {
		return v.T.In(f.Loc).Format("2")
	}
	if v.Kind == report.KHour {
		return twoDigits(v.N)
	}
	return f.Value(v)
}

// fitWidth cuts s to fit w millimetres in the current font.
func (p *pdfDoc) fitWidth(s string, w float64) string {
	if p.pdf.GetStringWidth(p.tr(s)) <= w {
		return s
	}
	r := []rune(s)
	for len(r) > 1 && p.pdf.GetStringWidth(p.tr(string(r))+"...") > w {
		r = r[:len(r)-1]
	}
	return string(r) + "..."
}

func (p *pdfDoc) table(t report.Table) {
	size := 8.0
	if len(t.Columns) > 8 {
		// A wide table (the exception list) gets landscape pages of its own.
		size = 7.5
		if w, h := p.pdf.GetPageSize(); w < h {
			p.pdf.AddPageFormat("L", fpdf.SizeType{Wd: pageW, Ht: 297})
		}
	}
	bodyW := p.width()
	p.ensure(4 * lineH)
	p.pdf.Ln(1)
	p.font("B", 10, ink)
	p.pdf.CellFormat(bodyW, 6, p.tr(p.f.L.T(t.Title)), "", 1, "L", false, 0, "")
	head := make([]string, len(t.Columns))
	right := make([]bool, len(t.Columns))
	widths := make([]float64, len(t.Columns))
	p.font("B", size, ink)
	for i, c := range t.Columns {
		head[i] = p.f.L.T(c.Key)
		right[i] = c.Kind != report.KText && c.Kind != report.KKey && c.Kind != report.KTime && c.Kind != report.KDate
		widths[i] = p.pdf.GetStringWidth(p.tr(head[i])) + 2.5
	}
	cells := func(r []report.Value) []string {
		out := make([]string, len(r))
		for i, v := range r {
			out[i] = p.f.Cell(t.Columns[i], v)
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
	p.font("", size, ink)
	for _, r := range append(append([][]string{}, rows...), total) {
		for i, c := range r {
			widths[i] = math.Max(widths[i], math.Min(p.pdf.GetStringWidth(p.tr(c))+2.5, 60))
		}
	}
	fitColumns(widths, bodyW)
	rowH := size * 0.55
	header := func() {
		p.font("B", size, ink)
		p.fill(band)
		for i, h := range head {
			align := "L"
			if right[i] {
				align = "R"
			}
			p.pdf.CellFormat(widths[i], rowH+1, p.tr(p.fitWidth(h, widths[i]-1)), "B", 0, align, true, 0, "")
		}
		p.pdf.Ln(-1)
	}
	header()
	if len(rows) == 0 {
		p.font("I", size, grey)
		p.pdf.CellFormat(bodyW, rowH+1, p.tr(p.f.L.T("report.empty")), "", 1, "L", false, 0, "")
		return
	}
	line := func(r []string, style, border string, shade bool) {
		_, ph := p.pdf.GetPageSize()
		if p.pdf.GetY()+rowH > ph-16 {
			orient := "P"
			if pw, _ := p.pdf.GetPageSize(); pw > ph {
				orient = "L"
			}
			p.pdf.AddPageFormat(orient, fpdf.SizeType{Wd: pageW, Ht: 297})
			header()
		}
		p.font(style, size, ink)
		p.fill(band)
		for i, c := range r {
			align := "L"
			if right[i] {
				align = "R"
			}
			p.pdf.CellFormat(widths[i], rowH, p.tr(p.fitWidth(c, widths[i]-1)), border, 0, align, shade, 0, "")
		}
		p.pdf.Ln(-1)
	}
	for i, r := range rows {
		line(r, "", "", i%2 == 1)
	}
	if total != nil {
		p.draw(ink)
		line(total, "B", "T", false)
	}
	p.pdf.Ln(3)
}

// fitColumns makes the widths fill total: too wide, the widest columns are
// cut down to a common cap (narrow ones — times, amounts — stay whole);
// narrower, every column grows in proportion.
func fitColumns(widths []float64, total float64) {
	var sum float64
	for _, w := range widths {
		sum += w
	}
	if sum > total {
		lo, hi := 0.0, 0.0
		for _, w := range widths {
			hi = math.Max(hi, w)
		}
		for range 40 {
			mid := (lo + hi) / 2
			var s float64
			for _, w := range widths {
				s += math.Min(w, mid)
			}
			if s > total {
				hi = mid
			} else {
				lo = mid
			}
		}
		sum = 0
		for i := range widths {
			widths[i] = math.Min(widths[i], lo)
			sum += widths[i]
		}
	}
	for i := range widths {
		widths[i] *= total / sum
	}
}
