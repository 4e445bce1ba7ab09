package ui

import (
	"bytes"
	"context"
	"fmt"
	"image/color"
	"io"
	"math"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/opentill/opentill/pos"
	"github.com/opentill/opentill/pos/money"
	rpt "github.com/opentill/opentill/pos/report"
	"github.com/opentill/opentill/pos/report/render"
	"github.com/opentill/opentill/ui/l10n"
)

// maxRows is the most rows a table shows on screen (the PDF and CSV have
// them all).
const maxRows = 60

// reportsView is the store manager's reports screen (op 1003): a report,
// a period and its comparison, the figures, the charts and the tables, and
// the exports.
type reportsView struct {
	name     *widget.Select
	rng      *widget.Select
	from, to *widget.Entry
	compare  *widget.Check
	store    *widget.Check // the whole store, from the store server
	earlier  *widget.Button
	later    *widget.Button
	show     *widget.Button
	pdf, csv *widget.Button
	short    *widget.Button
	status   *widget.Label
	body     *fyne.Container

	names  []rpt.Name
	ranges []rpt.Range
	anchor time.Time // a day of the period shown (day, week, month)
	loc    *time.Location
	set    *rpt.Set
	doc    *rpt.Doc
	shortT *widget.Label // the short form dialog's text, for tests
}

// reportsTile is the home tile of the reports screen.
func reportsTile() tile {
	return tile{"tile.reports", theme.DocumentIcon(), []pos.OpID{pos.OpViewReports}, func(u *UI) { u.showReports() }}
}

func (u *UI) showReports() {
	u.sell, u.pay = nil, nil
	u.show("reports", u.reportsScreen())
	u.loadReport()
}

// reportsView returns the reports screen's state while it is shown.
func (u *UI) reportsView() *reportsView {
	if u.screen != "reports" {
		return nil
	}
	return u.reportsV
}

func (u *UI) storeLoc() *time.Location {
	if tz := u.reg.Setup().Header.TimeZone; tz != "" {
		if l, err := time.LoadLocation(tz); err == nil {
			return l
		}
	}
	return time.UTC
}

func (u *UI) reportsScreen() fyne.CanvasObject {
	v := &reportsView{names: rpt.Names, ranges: rpt.Ranges, loc: u.storeLoc()}
	u.reportsV = v
	v.anchor = u.now().In(v.loc)
	var names, ranges []string
	for _, n := range v.names {
		names = append(names, u.L.T(n.TitleKey()))
	}
	for _, r := range v.ranges {
		ranges = append(ranges, u.L.T("report.range."+string(r)))
	}
	v.name = widget.NewSelect(names, func(string) { u.redrawReport() })
	v.name.SetSelectedIndex(0)
	v.rng = widget.NewSelect(ranges, func(string) { v.syncRange(); u.loadReport() })
	start := 1 // a day, unless the register has a shift to report on
	if sh, err := u.reg.CurrentShift(context.Background()); err == nil && sh != nil {
		start = 0
	}
	v.rng.Selected = ranges[start]
	v.from, v.to = widget.NewEntry(), widget.NewEntry()
	v.from.SetPlaceHolder("YYYY-MM-DD")
	v.to.SetPlaceHolder("YYYY-MM-DD")
	v.from.SetText(v.anchor.Format(time.DateOnly))
	v.to.SetText(v.anchor.Format(time.DateOnly))
	v.from.OnSubmitted = func(string) { u.loadReport() }
	v.to.OnSubmitted = func(string) { u.loadReport() }
	v.compare = widget.NewCheck(u.L.T("reports.compare"), func(bool) { u.loadReport() })
	v.compare.Checked = true
	// The whole store's figures, from the store server (online): every
	// report but a shift's, which is one till's.
	v.store = widget.NewCheck(u.L.T("reports.whole_store"), func(on bool) {
		v.names = rpt.Names
		if on {
			v.names = rpt.StoreNames
			if v.selectedRange() == rpt.RangeShift {
				v.rng.SetSelectedIndex(1) // a shift is one till's: a day
			}
		}
		opts := make([]string, len(v.names))
		for i, n := range v.names {
			opts[i] = u.L.T(n.TitleKey())
		}
		v.name.Options = opts
		v.name.SetSelectedIndex(0)
		u.loadReport()
	})
	if u.sync == nil {
		v.store.Hide() // no store server set up
	}
	v.earlier = widget.NewButtonWithIcon(u.L.T("reports.earlier"), theme.NavigateBackIcon(), func() { u.stepReport(-1) })
	v.later = widget.NewButtonWithIcon(u.L.T("reports.later"), theme.NavigateNextIcon(), func() { u.stepReport(1) })
	v.show = widget.NewButtonWithIcon(u.L.T("reports.show"), theme.ViewRefreshIcon(), func() { u.loadReport() })
	v.pdf = widget.NewButtonWithIcon(u.L.T("reports.save_pdf"), theme.DocumentSaveIcon(), func() { u.saveReport("pdf") })
	v.csv = widget.NewButtonWithIcon(u.L.T("reports.save_csv"), theme.DocumentSaveIcon(), func() { u.saveReport("csv") })
	v.short = widget.NewButtonWithIcon(u.L.T("reports.print"), theme.DocumentPrintIcon(), func() { u.shortReport() })
	v.status = widget.NewLabel("")
	v.status.Wrapping = fyne.TextWrapWord
	v.body = container.NewVBox()
	v.syncRange()

	form := widget.NewForm(widget.NewFormItem(u.L.T("reports.report"), v.name), widget.NewFormItem(u.L.T("reports.period"), v.rng),
		widget.NewFormItem(u.L.T("reports.from"), v.from), widget.NewFormItem(u.L.T("reports.to"), v.to))
	nav := container.NewGridWithColumns(3, v.earlier, v.show, v.later)
	exports := container.NewGridWithColumns(3, v.pdf, v.csv, v.short)
	title := widget.NewLabelWithStyle(u.L.T("reports.title"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	home := widget.NewButtonWithIcon(u.L.T("button.home"), theme.HomeIcon(), func() { u.showHome() })
	controls := container.NewVBox(form, v.compare, v.store, nav, exports, v.status)
	scroll := container.NewScroll(container.NewPadded(v.body)) // a wide table scrolls: the screen never outgrows the window
	var body fyne.CanvasObject
	if u.stacked() {
		body = container.NewBorder(controls, nil, nil, nil, scroll)
	} else {
		split := container.NewHSplit(container.NewVScroll(controls), scroll)
		split.Offset = 0.28
		body = split
	}
	return container.NewBorder(container.NewVBox(u.statusBar(), title), container.NewHBox(home, layout.NewSpacer()), nil, nil, body)
}

// syncRange enables what the chosen period kind uses.
func (v *reportsView) syncRange() {
	r := v.selectedRange()
	if r == rpt.RangeCustom {
		v.from.Enable()
		v.to.Enable()
	} else {
		v.from.Disable()
		v.to.Disable()
	}
	if r == rpt.RangeShift {
		v.earlier.Disable()
		v.later.Disable()
	} else {
		v.earlier.Enable()
		v.later.Enable()
	}
}

func (v *reportsView) selectedRange() rpt.Range {
	i := v.rng.SelectedIndex()
	if i < 0 {
		return rpt.RangeDay
	}
	return v.ranges[i]
}

func (v *reportsView) selectedName() rpt.Name {
	i := v.name.SelectedIndex()
	if i < 0 {
		return rpt.Summary
	}
	return v.names[i]
}

// period is the period the controls describe.
func (u *UI) reportPeriod(v *reportsView) (rpt.Period, error) {
	switch v.selectedRange() {
	case rpt.RangeShift:
		return rpt.Period{Range: rpt.RangeShift}, nil
	case rpt.RangeWeek:
		return rpt.Week(v.anchor, v.loc), nil
	case rpt.RangeMonth:
		return rpt.Month(v.anchor, v.loc), nil
	case rpt.RangeCustom:
		return rpt.ParsePeriod("custom", v.from.Text, v.to.Text, v.anchor, v.loc)
	}
	return rpt.Day(v.anchor, v.loc), nil
}

// stepReport shows the period before (-1) or after (+1).
func (u *UI) stepReport(dir int) {
	v := u.reportsView()
	if v == nil {
		return
	}
	p, err := u.reportPeriod(v)
	if err != nil {
		v.status.SetText(u.L.T("reports.bad_date"))
		return
	}
	q := p.Previous()
	if dir > 0 {
		q = p.Next()
	}
	v.anchor = q.From
	if v.selectedRange() == rpt.RangeCustom {
		v.from.SetText(q.From.Format(time.DateOnly))
		v.to.SetText(q.LastDay().Format(time.DateOnly))
	}
	u.loadReport()
}

// loadReport runs View reports (1003) for the chosen period and draws the
// chosen rpt.
func (u *UI) loadReport() {
	v := u.reportsView()
	if v == nil {
		return
	}
	p, err := u.reportPeriod(v)
	if err != nil {
		v.status.SetText(u.L.T("reports.bad_date"))
		return
	}
	v.status.SetText(u.L.T("reports.loading"))
	u.do(pos.ViewReports{Period: p, Compare: v.compare.Checked, Store: v.store.Checked}, func(res pos.Result) {
		if u.reportsView() != v || res.Reports == nil {
			return
		}
		v.set = res.Reports
		u.redrawReport()
	})
}

// redrawReport draws the chosen report of the data on hand.
func (u *UI) redrawReport() {
	v := u.reportsView()
	if v == nil || v.set == nil {
		return
	}
	d := v.set.Doc(v.selectedName(), u.now())
	v.doc = &d
	status := u.L.N("reports.entries", v.set.Cur.Entries)
	if n := len(v.set.Cur.Exceptions); n > 0 {
		status += " · " + u.L.N("reports.exceptions", n)
	}
	v.status.SetText(status)
	v.body.Objects = u.drawDoc(&d)
	v.body.Refresh()
}

func (u *UI) now() time.Time {
	if u.cfg.Now != nil {
		return u.cfg.Now()
	}
	return time.Now()
}

// drawDoc draws a report's heading, figures, charts, tables and notes.
func (u *UI) drawDoc(d *rpt.Doc) []fyne.CanvasObject {
	f := render.For(u.L, d)
	var out []fyne.CanvasObject
	for i, s := range f.Heading(d) {
		l := widget.NewLabel(s)
		l.Wrapping = fyne.TextWrapWord
		if i == 0 {
			l.TextStyle.Bold = true
			l.SizeName = theme.SizeNameSubHeadingText
		}
		out = append(out, l)
	}
	cols := 4
	chartCols := 2
	if u.stacked() {
		cols, chartCols = 2, 1
	}
	if len(d.Figures) > 0 {
		var cards []fyne.CanvasObject
		for _, fg := range d.Figures {
			cards = append(cards, u.figureCard(f, fg))
		}
		out = append(out, container.NewGridWithColumns(cols, cards...))
	}
	if len(d.Charts) > 0 {
		var charts []fyne.CanvasObject
		for _, c := range d.Charts {
			charts = append(charts, u.drawChart(f, c, d.Prev != nil))
		}
		out = append(out, container.NewGridWithColumns(chartCols, charts...))
	}
	for _, t := range d.Tables {
		out = append(out, u.drawTable(f, t)...)
	}
	for _, n := range d.Notes {
		l := widget.NewLabel("* " + u.L.T(n))
		l.Wrapping = fyne.TextWrapWord
		out = append(out, l)
	}
	return out
}

func (u *UI) figureCard(f render.Formatter, fg rpt.Figure) fyne.CanvasObject {
	bg := canvas.NewRectangle(theme.Color(theme.ColorNameInputBackground))
	bg.CornerRadius = 6
	title := widget.NewLabel(u.L.T(fg.Key))
	title.Truncation = fyne.TextTruncateEllipsis
	val := widget.NewLabelWithStyle(f.Value(fg.Value), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	val.SizeName = theme.SizeNameSubHeadingText
	box := container.NewVBox(title, val)
	if fg.Prev != nil {
		ch := canvas.NewText(f.Change(fg.Change)+"  ("+f.Value(*fg.Prev)+")", theme.Color(theme.ColorNameForeground))
		if fg.Change.Kind == rpt.KPercent {
			if fg.Change.N > 0 {
				ch.Color = color.NRGBA{R: 0x2e, G: 0x7d, B: 0x32, A: 0xff}
			} else if fg.Change.N < 0 {
				ch.Color = color.NRGBA{R: 0xc6, G: 0x28, B: 0x28, A: 0xff}
			}
		}
		ch.TextSize = theme.CaptionTextSize()
		box.Add(container.NewPadded(ch))
	}
	return container.NewStack(bg, box)
}

var (
	chartBlue = color.NRGBA{R: 0x1e, G: 0x63, B: 0xb6, A: 0xff}
	chartPrev = color.NRGBA{R: 0xa8, G: 0xc4, B: 0xe6, A: 0xff}
	chartRed  = color.NRGBA{R: 0xc6, G: 0x28, B: 0x28, A: 0xff}
	donutCols = []color.NRGBA{{0x1e, 0x63, 0xb6, 0xff}, {0xef, 0x8a, 0x17, 0xff}, {0x2e, 0x7d, 0x32, 0xff}, {0x8e, 0x24, 0xaa, 0xff},
		{0xc6, 0x28, 0x28, 0xff}, {0x00, 0x83, 0x8f, 0xff}, {0x6d, 0x4c, 0x41, 0xff}, {0x75, 0x75, 0x75, 0xff}}
)

// chartSize is the drawing area of one chart.
func (u *UI) chartSize() fyne.Size {
	if u.stacked() {
		return fyne.NewSize(700, 200)
	}
	return fyne.NewSize(440, 200)
}

// drawChart draws a chart from canvas objects: bars, columns, a line or a
// donut, titled, with a legend for the period before.
func (u *UI) drawChart(f render.Formatter, c rpt.Chart, compared bool) fyne.CanvasObject {
	title := widget.NewLabelWithStyle(u.L.T(c.Title), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	var body fyne.CanvasObject
	switch {
	case len(c.Points) == 0:
		body = widget.NewLabel(u.L.T("report.empty"))
	case c.Kind == rpt.Donut:
		body = u.donut(f, c)
	case c.Kind == rpt.Line:
		body = u.lineChart(f, c)
	case c.Points[0].Label.Kind == rpt.KHour || c.Points[0].Label.Kind == rpt.KDate:
		body = u.columns(f, c)
	default:
		body = u.bars(f, c)
	}
	box := container.NewVBox(title, body)
	if compared && c.Kind != rpt.Donut && len(c.Points) > 0 && c.Points[0].HasPrev {
		sw := canvas.NewRectangle(chartPrev)
		sw.SetMinSize(fyne.NewSize(14, 10))
		box.Add(container.NewHBox(container.NewCenter(sw), widget.NewLabel(u.L.T("report.legend.prev"))))
	}
	return box
}

func scale(c rpt.Chart) float32 {
	m := float32(c.Max())
	if m == 0 {
		return 1
	}
	return m
}

func abs32(v int64) float32 { return float32(math.Abs(float64(v))) }

// bars draws horizontal bars with their labels and values.
func (u *UI) bars(f render.Formatter, c rpt.Chart) fyne.CanvasObject {
	size := u.chartSize()
	barW := size.Width * 0.45
	top := scale(c)
	rows := container.NewVBox()
	for i, p := range c.Points {
		if i == 12 {
			break
		}
		col := chartBlue
		if p.Value < 0 {
			col = chartRed
		}
		bar := canvas.NewRectangle(col)
		bar.SetMinSize(fyne.NewSize(max(2, barW*abs32(p.Value)/top), 12))
		stack := container.NewVBox(container.NewHBox(bar))
		if p.HasPrev {
			pb := canvas.NewRectangle(chartPrev)
			pb.SetMinSize(fyne.NewSize(max(2, barW*abs32(p.Prev)/top), 5))
			stack.Add(container.NewHBox(pb))
		}
		lbl := widget.NewLabel(f.Value(p.Label))
		lbl.Truncation = fyne.TextTruncateEllipsis
		rows.Add(container.NewBorder(nil, nil, container.NewGridWrap(fyne.NewSize(size.Width*0.3, 28), lbl),
			widget.NewLabel(f.ChartValue(c, p.Value)), container.NewCenter(container.NewGridWrap(fyne.NewSize(barW, 18), stack))))
	}
	return rows
}

// columns draws vertical bars (hours, days) over their labels.
func (u *UI) columns(f render.Formatter, c rpt.Chart) fyne.CanvasObject {
	size := u.chartSize()
	plotH := size.Height - 24
	n := len(c.Points)
	slot := size.Width / float32(n)
	top := scale(c)
	plot := container.NewWithoutLayout()
	every := max(1, int(math.Ceil(float64(n)*28/float64(size.Width))))
	for i, p := range c.Points {
		x := float32(i) * slot
		w := slot * 0.7
		if p.HasPrev {
			ph := plotH * abs32(p.Prev) / top
			pr := canvas.NewRectangle(chartPrev)
			pr.Move(fyne.NewPos(x+slot*0.15+w*0.55, plotH-ph))
			pr.Resize(fyne.NewSize(min(w*0.45, 24), ph))
			plot.Add(pr)
			w *= 0.55
		}
		h := plotH * abs32(p.Value) / top
		w = min(w, 48)
		col := chartBlue
		if p.Value < 0 {
			col = chartRed
		}
		r := canvas.NewRectangle(col)
		r.Move(fyne.NewPos(x+slot*0.15, plotH-h))
		r.Resize(fyne.NewSize(w, h))
		plot.Add(r)
		if i%every == 0 {
			t := canvas.NewText(shortAxis(f, p.Label), theme.Color(theme.ColorNameForeground))
			t.TextSize = theme.CaptionTextSize()
			t.Move(fyne.NewPos(x, plotH+4))
			plot.Add(t)
		}
	}
	axis := canvas.NewLine(theme.Color(theme.ColorNameDisabled))
	axis.Position1, axis.Position2 = fyne.NewPos(0, plotH), fyne.NewPos(size.Width, plotH)
	plot.Add(axis)
	topLbl := widget.NewLabel(f.ChartValue(c, int64(top)))
	return container.NewVBox(container.NewHBox(layout.NewSpacer(), topLbl), container.NewGridWrap(size, plot))
}

// lineChart draws the points joined, the period before beneath in a light
// colour.
func (u *UI) lineChart(f render.Formatter, c rpt.Chart) fyne.CanvasObject {
	size := u.chartSize()
	plotH := size.Height - 24
	n := len(c.Points)
	top := scale(c)
	px := func(i int) float32 {
		if n == 1 {
			return size.Width / 2
		}
		return float32(i) * size.Width / float32(n-1)
	}
	py := func(v int64) float32 { return plotH - plotH*float32(v)/top }
	plot := container.NewWithoutLayout()
	seg := func(col color.Color, w float32, a, b fyne.Position) {
		l := canvas.NewLine(col)
		l.StrokeWidth = w
		l.Position1, l.Position2 = a, b
		plot.Add(l)
	}
	for i := 1; i < n; i++ {
		if c.Points[i].HasPrev {
			seg(chartPrev, 2, fyne.NewPos(px(i-1), py(c.Points[i-1].Prev)), fyne.NewPos(px(i), py(c.Points[i].Prev)))
		}
	}
	for i := 1; i < n; i++ {
		seg(chartBlue, 3, fyne.NewPos(px(i-1), py(c.Points[i-1].Value)), fyne.NewPos(px(i), py(c.Points[i].Value)))
	}
	every := max(1, int(math.Ceil(float64(n)*28/float64(size.Width))))
	for i, p := range c.Points {
		if i%every == 0 {
			t := canvas.NewText(shortAxis(f, p.Label), theme.Color(theme.ColorNameForeground))
			t.TextSize = theme.CaptionTextSize()
			t.Move(fyne.NewPos(px(i)-6, plotH+4))
			plot.Add(t)
		}
	}
	seg(theme.Color(theme.ColorNameDisabled), 1, fyne.NewPos(0, plotH), fyne.NewPos(size.Width, plotH))
	return container.NewVBox(container.NewHBox(layout.NewSpacer(), widget.NewLabel(f.ChartValue(c, int64(top)))), container.NewGridWrap(size, plot))
}

// donut draws shares as a ring (a raster: each pixel takes the colour of
// its slice) with a legend.
func (u *UI) donut(f render.Formatter, c rpt.Chart) fyne.CanvasObject {
	var total float64
	for _, p := range c.Points {
		total += math.Max(float64(p.Value), 0)
	}
	bounds := make([]float64, len(c.Points)) // cumulative share at each slice's end
	acc := 0.0
	for i, p := range c.Points {
		if total > 0 {
			acc += math.Max(float64(p.Value), 0) / total
		}
		bounds[i] = acc
	}
	ring := canvas.NewRasterWithPixels(func(x, y, w, h int) color.Color {
		cx, cy := float64(w)/2, float64(h)/2
		r := math.Min(cx, cy)
		dx, dy := float64(x)-cx, float64(y)-cy
		d := math.Hypot(dx, dy)
		if total == 0 || d > r || d < r*0.58 {
			// Transparent, as an NRGBA: the raster's image takes the type of
			// the corner pixel's colour (color.Transparent would make it alpha only).
			return color.NRGBA{}
		}
		share := (math.Atan2(dx, -dy) + math.Pi*2)
		share = math.Mod(share, 2*math.Pi) / (2 * math.Pi)
		for i, b := range bounds {
			if share <= b {
				return donutCols[i%len(donutCols)]
			}
		}
		return donutCols[(len(bounds)-1)%len(donutCols)]
	})
	side := u.chartSize().Height - 20
	ring.SetMinSize(fyne.NewSize(side, side))
	sum := widget.NewLabelWithStyle(f.ChartValue(c, int64(total)), fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	legend := container.NewVBox()
	for i, p := range c.Points {
		sw := canvas.NewRectangle(donutCols[i%len(donutCols)])
		sw.SetMinSize(fyne.NewSize(14, 14))
		share := ""
		if total > 0 {
			share = " · " + f.Value(rpt.Percent(money.MulDiv(max(p.Value, 0), 10000, int64(total), money.HalfUp)))
		}
		legend.Add(container.NewHBox(container.NewCenter(sw), widget.NewLabel(f.Value(p.Label)+": "+f.ChartValue(c, p.Value)+share)))
	}
	return container.NewHBox(container.NewStack(ring, container.NewCenter(sum)), container.NewCenter(legend))
}

func shortAxis(f render.Formatter, v rpt.Value) string {
	switch v.Kind {
	case rpt.KDate:
		return v.T.In(f.Loc).Format("2")
	case rpt.KHour:
		return fmt.Sprintf("%02d", v.N)
	}
	return f.Value(v)
}

// drawTable draws a table as a grid of labels, numbers to the right.
func (u *UI) drawTable(f render.Formatter, t rpt.Table) []fyne.CanvasObject {
	title := widget.NewLabelWithStyle(u.L.T(t.Title), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	if len(t.Rows) == 0 {
		return []fyne.CanvasObject{title, widget.NewLabel(u.L.T("report.empty"))}
	}
	align := func(c rpt.Column) fyne.TextAlign {
		switch c.Kind {
		case rpt.KText, rpt.KKey, rpt.KTime, rpt.KDate:
			return fyne.TextAlignLeading
		}
		return fyne.TextAlignTrailing
	}
	grid := container.NewGridWithColumns(len(t.Columns))
	for _, c := range t.Columns {
		l := widget.NewLabelWithStyle(u.L.T(c.Key), align(c), fyne.TextStyle{Bold: true})
		l.Truncation = fyne.TextTruncateEllipsis
		grid.Add(l)
	}
	row := func(r []rpt.Value, bold bool) {
		for i, v := range r {
			l := widget.NewLabelWithStyle(f.Cell(t.Columns[i], v), align(t.Columns[i]), fyne.TextStyle{Bold: bold})
			l.Truncation = fyne.TextTruncateEllipsis
			grid.Add(l)
		}
	}
	for i, r := range t.Rows {
		if i == maxRows {
			break
		}
		row(r, false)
	}
	if t.Total != nil {
		row(t.Total, true)
	}
	out := []fyne.CanvasObject{title, grid}
	if len(t.Rows) > maxRows {
		out = append(out, widget.NewLabel(u.L.N("reports.more_rows", len(t.Rows)-maxRows)))
	}
	return append(out, widget.NewSeparator())
}

// exportReport writes the report on show as a PDF or a CSV.
func (u *UI) exportReport(format string, w io.Writer) error {
	v := u.reportsView()
	if v == nil || v.doc == nil {
		return fmt.Errorf("no report on show")
	}
	if format == "pdf" {
		_, err := render.PDF(w, v.doc, u.L)
		return err
	}
	return render.CSV(w, v.doc, u.L)
}

// reportFileName is the name a saved report is offered under.
func reportFileName(d *rpt.Doc, format string) string {
	p := strings.NewReplacer(" ", "-", "..", "_").Replace(d.Period.String())
	return fmt.Sprintf("report-%s-%s.%s", d.Name, p, format)
}

// saveReport asks where to save the report on show, and saves it.
func (u *UI) saveReport(format string) {
	v := u.reportsView()
	if v == nil || v.doc == nil {
		return
	}
	var buf bytes.Buffer
	if err := u.exportReport(format, &buf); err != nil {
		u.message(u.L.T("reports.title"), u.L.T("reports.save_failed", l10n.Data{"Error": err.Error()}))
		return
	}
	d := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil || w == nil {
			return
		}
		_, werr := w.Write(buf.Bytes())
		if cerr := w.Close(); werr == nil {
			werr = cerr
		}
		if werr != nil {
			u.message(u.L.T("reports.title"), u.L.T("reports.save_failed", l10n.Data{"Error": werr.Error()}))
			return
		}
		u.message(u.L.T("reports.title"), u.L.T("reports.saved", l10n.Data{"Path": w.URI().Path()}))
	}, u.win)
	d.SetFileName(reportFileName(v.doc, format))
	d.Resize(fyne.NewSize(800, 560))
	u.setDialog(d)
}

// shortReport shows the short form for the receipt printer. The printer
// port prints receipts (pos/receipt) only, so the short form is shown as
// the text it would print.
func (u *UI) shortReport() {
	v := u.reportsView()
	if v == nil || v.doc == nil {
		return
	}
	v.shortT = widget.NewLabelWithStyle(render.Short(v.doc, u.L, 42), fyne.TextAlignLeading, fyne.TextStyle{Monospace: true})
	note := widget.NewLabel(u.L.T("reports.print_note"))
	note.Wrapping = fyne.TextWrapWord
	d := dialog.NewCustom(u.L.T("reports.print"), u.L.T("button.ok"),
		container.NewBorder(note, nil, nil, nil, container.NewVScroll(v.shortT)), u.win)
	d.Resize(fyne.NewSize(520, 640))
	u.setDialog(d)
}
