package receipt

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"

	"github.com/opentill/opentill/pos/journal"
	"github.com/opentill/opentill/pos/money"
	"github.com/opentill/opentill/pos/shift"
	"github.com/opentill/opentill/pos/tax"
)

func TestShiftReportText(t *testing.T) {
	r := shift.Report{Kind: shift.Z, Shift: "0190c0de-0000-7000-8000-000000000001", Store: "S0001", Terminal: "T01", OpenedBy: "2001",
		Opened: time.Date(2026, 11, 27, 7, 0, 0, 0, time.UTC), At: time.Date(2026, 11, 27, 19, 0, 0, 0, time.UTC), Currency: money.EUR,
		Sales: 2644, Returns: 119, NetSales: 2525, Tax: 361, Income: 500, Expense: 300, SaleCount: 3, CustomerCount: 4, VoidCount: 1,
		Tenders: []shift.TenderTotals{
			{Tender: "cash", Name: "Cash", Cash: true, Count: 3, Tendered: 2881, Change: 1314, Start: 10000, Income: 500, Expense: 300, SafeDrop: 2000, Removal: 1000, Expected: 8767, Declared: 8717, HasCount: true, OverShort: -50},
			{Tender: "card", Name: "Card", Count: 2, Tendered: 958, Expected: 958},
		},
		Accounts:  []shift.AccountTotal{{Account: "LOTTERY", Kind: shift.IncomeAccount, Amount: 500, Count: 1}, {Account: "POSTAGE", Kind: shift.ExpenseAccount, Amount: 300, Count: 1}},
		ByHour:    []shift.HourTotal{{Hour: 8, Amount: 2525, Count: 4}},
		Expected:  9725,
		Declared:  8717,
		OverShort: -50,
		TaxRates:  []tax.CodeTotal{{Code: "VAT19", Name: "VAT 19 %", Rate: 190000, Basis: 1900, Amount: 361}, {Code: "VAT7", Name: "VAT 7 %", Rate: 70000, Basis: 0, Amount: 0}},
	}
	tests := []struct {
		name  string
		width int
		copy  bool
		want  []string
	}{
		{"Z at 42", 42, false, []string{"Z REPORT", "Over/short                        -€0.50", "POSTAGE (1)", "  08:00 (4)", "3 payments", "Gross"}},
		{"Z copy at 48", 48, true, []string{"Z REPORT", LabelsFor("en").Copy, "Declared"}},
		{"narrow", 20, false, []string{"Z REPORT"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := NewShiftReport(r, Header{StoreName: "OpenTill Demo Market"})
			d.Copy = tt.copy
			text := d.Text(tt.width)
			w := tt.width
			if w < MinWidth {
				w = MinWidth
			}
			for _, l := range strings.Split(strings.TrimSuffix(text, "\n"), "\n") {
				assert.LessOrEqual(t, utf8.RuneCountInString(l), w, "%q", l)
			}
			for _, s := range tt.want {
				assert.Contains(t, text, s)
			}
		})
	}
	x := r
	x.Kind = shift.X
	assert.Contains(t, NewShiftReport(x, Header{}).Text(42), "X REPORT")
	assert.NotContains(t, NewShiftReport(r, Header{}).Text(42), "Journal entry", "no head, no line")

	r.Journal = journal.Head{Seq: 123, Counter: 99, Hash: journal.Genesis}
	text := NewShiftReport(r, Header{}).Text(42)
	assert.Contains(t, text, "Journal entry                          123")
	assert.Contains(t, text, "Signature counter                       99")
}
