package receipt

import (
	"strconv"
	"time"

	"github.com/opentill/opentill/pos/money"
	"github.com/opentill/opentill/pos/shift"
)

// ShiftReport is an X or Z report as a printable document.
type ShiftReport struct {
	Header Header
	Report shift.Report
	Copy   bool // a reprinted Z
}

// NewShiftReport makes the printable document of a report.
func NewShiftReport(rep shift.Report, h Header) *ShiftReport {
	return &ShiftReport{Header: h, Report: rep}
}

// Title is the heading printed for the report.
func (d *ShiftReport) Title() string {
	if d.Report.Kind == shift.Z {
		return "Z REPORT"
	}
	return "X REPORT"
}

// Text renders the report as plain text lines of at most width runes, like
// Receipt.Text. The result ends with a newline.
func (d *ShiftReport) Text(width int) string {
	if width < MinWidth {
		width = MinWidth
	}
	w := &writer{width: width}
	r := d.Report
	m := func(a money.Amount) string { return a.Format(r.Currency.Digits) }
	n := strconv.Itoa
	loc := location(d.Header.TimeZone)
	at := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		if loc != nil {
			t = t.In(loc)
		}
		return t.Format(TimeLayout)
	}
	w.center(d.Header.StoreName)
	w.blank()
	w.center(d.Title())
	if d.Copy {
		w.center(CopyBanner)
	}
	w.blank()
	w.field("Shift", r.Shift)
	w.pair(label("Store", r.Store), label("Terminal", r.Terminal))
	w.field("Opened", at(r.Opened))
	w.field("Opened by", r.OpenedBy)
	if r.Kind == shift.Z {
		w.field("Closed", at(r.At))
	} else {
		w.field("Printed", at(r.At))
	}
	w.rule()
	w.left("TOTALS")
	w.pair("Sales", m(r.Sales))
	w.pair("Returns", m(r.Returns))
	w.pair("Net sales", m(r.NetSales))
	w.pair("Tax", m(r.Tax))
	w.pair("Discounts", m(r.Discounts))
	w.pair("Rounding", m(r.Rounding))
	w.pair("Income accounts", m(r.Income))
	w.pair("Expense accounts", m(r.Expense))
	w.rule()
	w.left("COUNTS")
	w.pair("Sales transactions", n(r.SaleCount))
	w.pair("Return transactions", n(r.ReturnCount))
	w.pair("Customers", n(r.CustomerCount))
	w.pair("Voided transactions", n(r.VoidCount))
	w.pair("No sales", n(r.NoSaleCount))
	w.pair("Suspended", n(r.SuspendedCount))
	for _, t := range r.Tenders {
		w.rule()
		w.pair(t.Name, n(t.Count)+" payments")
		w.pair("  Tendered", m(t.Tendered))
		if t.Cash {
			w.pair("  Change", m(-t.Change))
			w.pair("  Start amount", m(t.Start))
			w.pair("  Float entry", m(t.Float))
			w.pair("  Income", m(t.Income))
			w.pair("  Expense", m(-t.Expense))
			w.pair("  Tender removal", m(-t.Removal))
			w.pair("  Safe drop", m(-t.SafeDrop))
			w.pair("  Bank drop", m(-t.BankDrop))
		}
		w.pair("  Expected", m(t.Expected))
		if t.HasCount {
			w.pair("  Declared", m(t.Declared))
			w.pair("  Over/short", m(t.OverShort))
		} else {
			w.pair("  Declared", "-")
		}
	}
	if len(r.Accounts) > 0 {
		w.rule()
		w.left("ACCOUNTS")
		for _, a := range r.Accounts {
			v := a.Amount
			if a.Kind == shift.ExpenseAccount {
				v = -v
			}
			w.pair("  "+a.Account+" ("+n(a.Count)+")", m(v))
		}
	}
	if len(r.ByHour) > 0 {
		w.rule()
		w.left("SALES BY HOUR")
		for _, h := range r.ByHour {
			w.pair("  "+twoDigits(h.Hour)+":00 ("+n(h.Count)+")", m(h.Amount))
		}
	}
	w.rule()
	w.left("ALL TENDERS")
	w.pair("Expected", m(r.Expected))
	w.pair("Declared", m(r.Declared))
	w.pair("OVER/SHORT", m(r.OverShort))
	return w.String()
}

func twoDigits(h int) string {
	if h < 10 {
		return "0" + strconv.Itoa(h)
	}
	return strconv.Itoa(h)
}
