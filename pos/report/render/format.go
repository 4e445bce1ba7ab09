// Package render draws a report document (pos/report.Doc) for people: as
// text (a terminal, the screen's monospace view), as the short form for the
// receipt printer, as CSV for a spreadsheet, as JSON, and as an A4 PDF with
// its charts. Labels are translated and amounts formatted by a Localizer
// (ui/l10n's satisfies it): the store's language and locale.
package render

import (
	"strings"
	"time"

	"github.com/opentill/opentill/pos/money"
	"github.com/opentill/opentill/pos/report"
)

// Localizer translates message keys and formats numbers for the store's
// locale. *l10n.Localizer implements it.
type Localizer interface {
	T(id string, data ...map[string]any) string
	Money(a money.Amount, c money.Currency) string
	Int(v int64) string
	Number(a money.Amount, digits int) string
	// WallDate and WallDateTime format a time for the locale from CLDR
	// data, as the time's own zone has it (the formatter puts it in the
	// report's zone first).
	WallDate(t time.Time) string
	WallDateTime(t time.Time) string
}

// Formatter formats a document's values for people.
type Formatter struct {
	L   Localizer
	Cur money.Currency
	Loc *time.Location
}

// For returns the formatter of a document.
func For(l Localizer, d *report.Doc) Formatter {
	loc := d.Period.From.Location()
	return Formatter{L: l, Cur: d.Currency, Loc: loc}
}

// Value formats one value.
func (f Formatter) Value(v report.Value) string {
	switch v.Kind {
	case report.KText:
		return v.S
	case report.KKey:
		return f.L.T(v.S)
	case report.KMoney:
		return f.L.Money(v.Amount(), f.Cur)
	case report.KMoneyChange:
		return f.L.Money(v.Amount(), f.Cur) + " → " + f.L.Money(money.Amount(v.To), f.Cur)
	case report.KInt:
		return f.L.Int(v.N)
	case report.KQty:
		return f.L.Number(money.Amount(scaleQty(v.N, v.Digits)), min(max(v.Digits, 0), 3))
	case report.KPercent:
		return f.L.Number(money.Amount(money.Div(v.N, 10, money.HalfUp)), 1) + "\u00a0%"
	case report.KTime:
		return f.L.WallDateTime(v.T.In(f.Loc))
	case report.KDate:
		return f.L.WallDate(v.T.In(f.Loc))
	case report.KHour:
		return f.L.T("report.format.hour", map[string]any{"Hour": twoDigits(v.N)})
	case report.KRate:
		return trimRate(f.L.Number(money.Amount(v.N/100), 2)) + "\u00a0%"
	case report.KCents:
		return f.L.Number(money.Amount(v.N), 2)
	}
	return "–"
}

// Change formats a change in percent with its sign.
func (f Formatter) Change(v report.Value) string {
	s := f.Value(v)
	if v.Kind == report.KPercent && v.N > 0 {
		return "+" + s
	}
	return s
}

// Cell formats a table cell; the change column carries its sign.
func (f Formatter) Cell(c report.Column, v report.Value) string {
	if c.Key == "report.col.change" {
		return f.Change(v)
	}
	return f.Value(v)
}

// Period names a period: "27 Nov 2026", "23 Nov 2026 – 29 Nov 2026", or
// the shift with its times.
func (f Formatter) Period(p report.Period) string {
	if p.Range == report.RangeShift {
		return f.L.T("report.period.shift", map[string]any{"Shift": shortID(p.Shift),
			"From": f.L.WallDateTime(p.From.In(f.Loc)), "To": f.L.WallDateTime(p.LastDay().In(f.Loc))})
	}
	a, b := f.L.WallDate(p.From.In(f.Loc)), f.L.WallDate(p.LastDay().In(f.Loc))
	if a == b {
		return a
	}
	return a + " – " + b
}

// Heading is the document's title, store and period lines.
func (f Formatter) Heading(d *report.Doc) []string {
	lines := []string{f.L.T(d.Title), d.StoreName + " · " + strings.Join(d.Terminals, ", "),
		f.L.T("report.range."+string(d.Period.Range)) + ": " + f.Period(d.Period)}
	if d.Prev != nil {
		lines = append(lines, f.L.T("report.compared_with", map[string]any{"Period": f.Period(*d.Prev)}))
	}
	return lines
}

// ChartValue formats a chart's value.
func (f Formatter) ChartValue(c report.Chart, v int64) string {
	if c.Money {
		return f.L.Money(money.Amount(v), f.Cur)
	}
	return f.L.Int(v)
}

func scaleQty(n int64, digits int) int64 {
	for i := 3; i > digits && i > 0; i-- {
		n /= 10
	}
	return n
}

func twoDigits(n int64) string {
	if n < 10 {
		return "0" + string(rune('0'+n))
	}
	return string(rune('0'+n/10)) + string(rune('0'+n%10))
}

// trimRate drops trailing zeros of a rate: "19,00" → "19", "5,50" → "5,5".
func trimRate(s string) string {
	if i := strings.IndexAny(s, ".,"); i >= 0 {
		s = strings.TrimRight(s, "0")
		s = strings.TrimRight(s, ".,")
	}
	return s
}

func shortID(id string) string {
	if len(id) > 8 {
		return id[len(id)-8:]
	}
	return id
}
