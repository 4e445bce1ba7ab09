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
	lb := LabelsFor(d.Header.Language)
	if d.Report.Kind == shift.Z {
		return lb.ZReport
	}
	return lb.XReport
}

// Text renders the report as plain text lines of at most width runes, like
// Receipt.Text. The result ends with a newline.
func (d *ShiftReport) Text(width int) string {
	if width < MinWidth {
		width = MinWidth
	}
	w := &writer{width: width}
	lb := LabelsFor(d.Header.Language)
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
		w.center(lb.Copy)
	}
	w.blank()
	w.field(lb.Shift, r.Shift)
	w.pair(label(lb.Store, r.Store), label(lb.Terminal, r.Terminal))
	w.field(lb.Opened, at(r.Opened))
	w.field(lb.OpenedBy, r.OpenedBy)
	if r.Kind == shift.Z {
		w.field(lb.Closed, at(r.At))
	} else {
		w.field(lb.Printed, at(r.At))
	}
	w.rule()
	w.left(lb.Totals)
	w.pair(lb.Sales, m(r.Sales))
	w.pair(lb.Returns, m(r.Returns))
	w.pair(lb.NetSales, m(r.NetSales))
	w.pair(lb.Tax, m(r.Tax))
	w.pair(lb.Discounts, m(r.Discounts))
	w.pair(lb.Rounding, m(r.Rounding))
	w.pair(lb.IncomeAccounts, m(r.Income))
	w.pair(lb.ExpenseAccounts, m(r.Expense))
	w.rule()
	w.left(lb.Counts)
	w.pair(lb.SaleCount, n(r.SaleCount))
	w.pair(lb.ReturnCount, n(r.ReturnCount))
	w.pair(lb.Customers, n(r.CustomerCount))
	w.pair(lb.VoidCount, n(r.VoidCount))
	w.pair(lb.NoSales, n(r.NoSaleCount))
	w.pair(lb.Suspended, n(r.SuspendedCount))
	for _, t := range r.Tenders {
		w.rule()
		w.pair(t.Name, n(t.Count)+" "+lb.Payments)
		w.pair("  "+lb.Tendered, m(t.Tendered))
		if t.Cash {
			w.pair("  "+lb.Change, m(-t.Change))
			w.pair("  "+lb.StartAmount, m(t.Start))
			w.pair("  "+lb.FloatEntry, m(t.Float))
			w.pair("  "+lb.Income, m(t.Income))
			w.pair("  "+lb.Expense, m(-t.Expense))
			w.pair("  "+lb.TenderRemoval, m(-t.Removal))
			w.pair("  "+lb.SafeDrop, m(-t.SafeDrop))
			w.pair("  "+lb.BankDrop, m(-t.BankDrop))
		}
		w.pair("  "+lb.Expected, m(t.Expected))
		if t.HasCount {
			w.pair("  "+lb.Declared, m(t.Declared))
			w.pair("  "+lb.OverShort, m(t.OverShort))
		} else {
			w.pair("  "+lb.Declared, "-")
		}
	}
	if len(r.Accounts) > 0 {
		w.rule()
		w.left(lb.Accounts)
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
		w.left(lb.SalesByHour)
		for _, h := range r.ByHour {
			w.pair("  "+twoDigits(h.Hour)+":00 ("+n(h.Count)+")", m(h.Amount))
		}
	}
	w.rule()
	w.left(lb.AllTenders)
	w.pair(lb.Expected, m(r.Expected))
	w.pair(lb.Declared, m(r.Declared))
	w.pair(lb.OverShortTotal, m(r.OverShort))
	if r.OverShortApprover != "" {
		w.pair(lb.OverShortApprover, r.OverShortApprover)
	}
	if r.OverShortReason != "" {
		w.left(lb.OverShortReason + ": " + r.OverShortReason)
	}
	if h := r.Journal; h.Seq > 0 {
		w.rule()
		w.pair(lb.JournalEntry, n64(h.Seq))
		if h.Counter > 0 {
			w.pair(lb.SigCounter, n64(h.Counter))
		}
	}
	return w.String()
}

func n64(v int64) string { return strconv.FormatInt(v, 10) }

func twoDigits(h int) string {
	if h < 10 {
		return "0" + strconv.Itoa(h)
	}
	return strconv.Itoa(h)
}
