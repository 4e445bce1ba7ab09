package receipt

import (
	"strconv"
	"time"

	"github.com/opentill/opentill/pos/locale"
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
	lb := d.Header.labels()
	if d.Report.Kind == shift.Z {
		return lb.ZReport
	}
	return lb.XReport
}

// Type is the layout the report prints with.
func (d *ShiftReport) Type() Type {
	if d.Report.Kind == shift.Z {
		return ZReport
	}
	return XReport
}

// Text renders the report with the shipped layout as plain text lines of
// at most width runes, like Receipt.Text. The result ends with a newline.
func (d *ShiftReport) Text(width int) string { return d.Document(nil).Text(width) }

// Document lays the report out by its type's layout in ls (nil: the
// shipped layouts): totals, counts, each tender, accounts, sales by hour,
// the drawer over all tenders, the tax per rate and the journal's head.
func (d *ShiftReport) Document(ls *Layouts) *Document {
	s := shiftComposer{d: d, lb: d.Header.labels(), f: d.Header.Format()}
	doc := &Document{Type: d.Type()}
	for _, b := range ls.Layout(doc.Type).Blocks {
		doc.Blocks = s.add(doc.Blocks, b)
	}
	return doc
}

type shiftComposer struct {
	d  *ShiftReport
	lb Labels
	f  *locale.Locale
}

func (s *shiftComposer) m(a money.Amount) string { return s.f.Money(a, s.d.Report.Currency) }

func (s *shiftComposer) n(v int) string { return s.f.Int(int64(v)) }

func (s *shiftComposer) variable(name string) string {
	r, h := s.d.Report, s.d.Header
	switch name {
	case "STORENAME":
		return h.StoreName
	case "STOREADDRESS":
		return h.Address
	case "STOREID":
		return r.Store
	case "TERMINALID":
		return r.Terminal
	case "SHIFTID":
		return r.Shift
	}
	return ""
}

func (s *shiftComposer) when(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return s.f.DateTime(t)
}

// heading is a section heading of the report (TOTALS, COUNTS …).
func heading(text string, b BlockSpec) *Heading {
	return &Heading{Role: RoleText, Lines: []string{text}, Style: b.style(Left)}
}

func (s *shiftComposer) add(out []Block, b BlockSpec) []Block {
	r, lb, m, n := s.d.Report, s.lb, s.m, s.n
	st := b.style(Left)
	row := func(label, value string) Field { return Field{Label: label, Value: value, Style: st} }
	pick := func(rows map[string]Field) *Fields {
		fs := &Fields{}
		for _, f := range b.fieldList() {
			if row, ok := rows[f]; ok && row.Value != "" {
				fs.Rows = append(fs.Rows, row)
			}
		}
		return fs
	}
	switch b.Type {
	case "logo":
		return append(out, &Logo{})
	case "rule":
		return append(out, &Rule{})
	case "space":
		return append(out, &Space{})
	case "text":
		t, ok := expand(b.Text, s.variable)
		if !ok {
			return out
		}
		return append(out, &Heading{Role: RoleText, Lines: lines(t), Style: b.style(Left)})
	case "title":
		return append(out, &Heading{Role: RoleTitle, Lines: []string{s.d.Title()}, Style: b.style(Center)})
	case "copy":
		if !s.d.Copy {
			return out
		}
		return append(out, &Heading{Role: RoleTitle, Lines: []string{lb.Copy}, Style: b.style(Center)})
	case "header":
		var ls []string
		for _, f := range b.fieldList() {
			if f == "STOREADDRESS" {
				ls = append(ls, lines(s.d.Header.Address)...)
			}
		}
		if len(ls) == 0 {
			return out
		}
		return append(out, &Heading{Role: RoleHeader, Lines: ls, Style: b.style(Center)})
	case "report":
		at := lb.Printed
		if r.Kind == shift.Z {
			at = lb.Closed
		}
		fs := pick(map[string]Field{
			"SHIFTID": row(lb.Shift, r.Shift), "STOREID": row(lb.Store, r.Store), "TERMINALID": row(lb.Terminal, r.Terminal),
			"OPENED": row(lb.Opened, s.when(r.Opened)), "OPENEDBY": row(lb.OpenedBy, r.OpenedBy), "REPORTTIME": row(at, s.when(r.At)),
		})
		return append(out, fs)
	case "shifttotals":
		fs := map[string]Field{
			"SALES": row(lb.Sales, m(r.Sales)), "RETURNS": row(lb.Returns, m(r.Returns)), "NETSALES": row(lb.NetSales, m(r.NetSales)),
			"TAX": row(lb.Tax, m(r.Tax)), "DISCOUNTS": row(lb.Discounts, m(r.Discounts)), "ROUNDING": row(lb.Rounding, m(r.Rounding)),
			"INCOMEACCOUNTS": row(lb.IncomeAccounts, m(r.Income)), "EXPENSEACCOUNTS": row(lb.ExpenseAccounts, m(r.Expense)),
		}
		if r.Deposits != 0 || r.DepositsSettled != 0 || r.DepositsRefunded != 0 || r.CancelCharges != 0 {
			// customer orders' money, printed when the shift had any
			fs["ORDERDEPOSITS"], fs["ORDERSETTLED"] = row(lb.OrderDeposit, m(r.Deposits)), row(lb.OrderSettle, m(r.DepositsSettled))
			fs["ORDERREFUNDED"], fs["ORDERCHARGES"] = row(lb.OrderRefund, m(r.DepositsRefunded)), row(lb.OrderCharge, m(r.CancelCharges))
		}
		if r.GiftCardsSold != 0 || r.GiftCardsCashedOut != 0 || r.MemosIssued != 0 || r.AccountDeposits != 0 {
			fs["GIFTCARDSSOLD"], fs["GIFTCARDSCASHEDOUT"] = row(lb.GiftCardsSold, m(r.GiftCardsSold)), row(lb.GiftCardsCashedOut, m(r.GiftCardsCashedOut))
			fs["MEMOSISSUED"], fs["ACCOUNTDEPOSITS"] = row(lb.MemosIssued, m(r.MemosIssued)), row(lb.AccountDeposits, m(r.AccountDeposits))
		}
		if r.OfflineCards > 0 {
			fs["OFFLINECARDS"] = row(lb.OfflineCards+" ("+n(r.OfflineCards)+")", m(r.OfflineCardAmount))
		}
		return append(out, heading(lb.Totals, b), pick(fs))
	case "counts":
		return append(out, heading(lb.Counts, b), pick(map[string]Field{
			"SALECOUNT": row(lb.SaleCount, n(r.SaleCount)), "RETURNCOUNT": row(lb.ReturnCount, n(r.ReturnCount)),
			"CUSTOMERCOUNT": row(lb.Customers, n(r.CustomerCount)), "VOIDCOUNT": row(lb.VoidCount, n(r.VoidCount)),
			"NOSALECOUNT": row(lb.NoSales, n(r.NoSaleCount)), "SUSPENDEDCOUNT": row(lb.Suspended, n(r.SuspendedCount)),
		}))
	case "shifttenders":
		for _, t := range r.Tenders {
			fs := &Fields{Rows: []Field{row(t.Name, lb.Payments(t.Count, n(t.Count))), row("  "+lb.Tendered, m(t.Tendered))}}
			m := m
			if t.Currency.Code != "" {
				// counted in its own currency; what it paid in the store's above
				cur := t.Currency
				m = func(a money.Amount) string { return s.f.Money(a, cur) }
				fs.Rows = append(fs.Rows, row("  "+lb.Tendered+" "+cur.Code, m(t.ForeignTendered)))
			}
			if t.Cash {
				fs.Rows = append(fs.Rows, row("  "+lb.Change, m(-t.Change)), row("  "+lb.StartAmount, m(t.Start)),
					row("  "+lb.FloatEntry, m(t.Float)), row("  "+lb.Income, m(t.Income)), row("  "+lb.Expense, m(-t.Expense)),
					row("  "+lb.TenderRemoval, m(-t.Removal)), row("  "+lb.SafeDrop, m(-t.SafeDrop)), row("  "+lb.BankDrop, m(-t.BankDrop)))
			}
			fs.Rows = append(fs.Rows, row("  "+lb.Expected, m(t.Expected)))
			if t.HasCount {
				fs.Rows = append(fs.Rows, row("  "+lb.Declared, m(t.Declared)), row("  "+lb.OverShort, m(t.OverShort)))
			} else {
				fs.Rows = append(fs.Rows, row("  "+lb.Declared, "-"))
			}
			out = append(out, &Rule{}, fs)
		}
		return out
	case "accounts":
		if len(r.Accounts) == 0 {
			return out
		}
		fs := &Fields{}
		for _, a := range r.Accounts {
			v := a.Amount
			if a.Kind == shift.ExpenseAccount {
				v = -v
			}
			fs.Rows = append(fs.Rows, row("  "+a.Account+" ("+n(a.Count)+")", m(v)))
		}
		return append(out, &Rule{}, heading(lb.Accounts, b), fs)
	case "byhour":
		if len(r.ByHour) == 0 {
			return out
		}
		fs := &Fields{}
		for _, h := range r.ByHour {
			fs.Rows = append(fs.Rows, row("  "+s.f.Time(time.Date(2000, 1, 1, h.Hour, 0, 0, 0, s.f.Zone()))+" ("+n(h.Count)+")", m(h.Amount)))
		}
		return append(out, &Rule{}, heading(lb.SalesByHour, b), fs)
	case "alltenders":
		fs := pick(map[string]Field{
			"EXPECTED": row(lb.Expected, m(r.Expected)), "DECLARED": row(lb.Declared, m(r.Declared)),
			"OVERSHORT": row(lb.OverShortTotal, m(r.OverShort)), "OVERSHORTAPPROVER": row(lb.OverShortApprover, r.OverShortApprover),
		})
		out = append(out, heading(lb.AllTenders, b), fs)
		if r.OverShortReason != "" && b.has("OVERSHORTREASON") {
			out = append(out, &Heading{Role: RoleNote, Lines: []string{lb.OverShortReason + ": " + r.OverShortReason}, Style: st})
		}
		return out
	case "taxtable":
		if len(r.TaxRates) == 0 {
			return out
		}
		rows := make([]TaxRow, 0, len(r.TaxRates))
		for _, t := range r.TaxRates {
			rows = append(rows, taxRow(t))
		}
		return append(out, taxTableOf(rows, lb, s.f, r.Currency))
	case "journal":
		h := r.Journal
		if h.Seq <= 0 {
			return out
		}
		fs := &Fields{}
		if b.has("JOURNALENTRY") {
			fs.Rows = append(fs.Rows, row(lb.JournalEntry, strconv.FormatInt(h.Seq, 10)))
		}
		if h.Counter > 0 && b.has("SIGNATURECOUNTER") {
			fs.Rows = append(fs.Rows, row(lb.SigCounter, strconv.FormatInt(h.Counter, 10)))
		}
		return append(out, &Rule{}, fs)
	}
	return out
}
