package render

import (
	"encoding/csv"
	"encoding/json"
	"io"
	"strconv"
	"time"

	"github.com/opentill/opentill/pos/money"
	"github.com/opentill/opentill/pos/report"
)

// CSV writes the document for a spreadsheet: a heading block (report,
// store, period, compared period), the figures, then each table as its
// title row, header row, rows and total row, with a blank row between.
// Headers and keys are translated; numbers are machine-readable (a point
// for decimals, no grouping, no currency symbol; percentages as numbers),
// times RFC 3339 in the store's zone.
func CSV(w io.Writer, d *report.Doc, l Localizer) error {
	f := For(l, d)
	cw := csv.NewWriter(w)
	write := func(r ...string) { _ = cw.Write(r) } // the error sticks in cw; Flush and Error report it
	write(l.T(d.Title), d.StoreName, string(d.Period.Range), f.csvTime(d.Period.From), f.csvTime(d.Period.To))
	if d.Prev != nil {
		write(l.T("report.col.prev"), "", string(d.Prev.Range), f.csvTime(d.Prev.From), f.csvTime(d.Prev.To))
	}
	write(l.T("report.col.currency"), d.Currency.Code)
	if len(d.Figures) > 0 {
		write()
		write(l.T("report.table.figures"))
		h := []string{l.T("report.col.figure"), l.T("report.col.value")}
		if d.Prev != nil {
			h = append(h, l.T("report.col.prev"), l.T("report.col.change"))
		}
		write(h...)
		for _, fg := range d.Figures {
			r := []string{l.T(fg.Key), f.csv(fg.Value)}
			if fg.Prev != nil {
				r = append(r, f.csv(*fg.Prev), f.csv(fg.Change))
			}
			write(r...)
		}
	}
	for _, t := range d.Tables {
		write()
		write(l.T(t.Title))
		h := make([]string, len(t.Columns))
		for i, c := range t.Columns {
			h[i] = l.T(c.Key)
		}
		write(h...)
		row := func(r []report.Value) {
			out := make([]string, len(r))
			for i, v := range r {
				out[i] = f.csv(v)
			}
			write(out...)
		}
		for _, r := range t.Rows {
			row(r)
		}
		if t.Total != nil {
			row(t.Total)
		}
	}
	cw.Flush()
	return cw.Error()
}

func (f Formatter) csvTime(t time.Time) string { return t.In(f.Loc).Format(time.RFC3339) }

// csv formats a value for a machine.
func (f Formatter) csv(v report.Value) string {
	switch v.Kind {
	case report.KText:
		return v.S
	case report.KKey:
		return f.L.T(v.S)
	case report.KMoney:
		return v.Amount().Format(f.Cur.Digits)
	case report.KMoneyChange:
		return v.Amount().Format(f.Cur.Digits) + " → " + money.Amount(v.To).Format(f.Cur.Digits)
	case report.KInt:
		return strconv.FormatInt(v.N, 10)
	case report.KQty:
		return money.Amount(scaleQty(v.N, v.Digits)).Format(min(max(v.Digits, 0), 3))
	case report.KPercent:
		return money.Amount(v.N).Format(2)
	case report.KTime:
		return f.csvTime(v.T)
	case report.KDate:
		return v.T.In(f.Loc).Format(time.DateOnly)
	case report.KHour:
		return strconv.FormatInt(v.N, 10)
	case report.KRate:
		return money.Amount(v.N).Format(4)
	case report.KCents:
		return money.Amount(v.N).Format(2)
	}
	return ""
}

// JSON writes the document as indented JSON (amounts in minor units).
func JSON(w io.Writer, d *report.Doc) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(d)
}
