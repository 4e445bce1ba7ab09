package report_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/pos/money"
	"github.com/opentill/opentill/pos/report"
	"github.com/opentill/opentill/pos/shift"
)

// zSum adds up Z reports the way a day's report should come out.
type zSum struct {
	sales, returns, net, tax, discounts, rounding, income, expense money.Amount
	salesN, returnsN, customers, voids, noSales, suspended         int
	tendered, change                                               map[string]money.Amount
	count                                                          map[string]int
	overShort                                                      money.Amount
	hours                                                          map[int]money.Amount
}

func sumZ(zs []shift.Report) zSum {
	s := zSum{tendered: map[string]money.Amount{}, change: map[string]money.Amount{}, count: map[string]int{}, hours: map[int]money.Amount{}}
	for _, z := range zs {
		s.sales += z.Sales
		s.returns += z.Returns
		s.net += z.NetSales
		s.tax += z.Tax
		s.discounts += z.Discounts
		s.rounding += z.Rounding
		s.income += z.Income
		s.expense += z.Expense
		s.salesN += z.SaleCount
		s.returnsN += z.ReturnCount
		s.customers += z.CustomerCount
		s.voids += z.VoidCount
		s.noSales += z.NoSaleCount
		s.suspended += z.SuspendedCount
		s.overShort += z.OverShort
		for _, t := range z.Tenders {
			s.tendered[t.Tender] += t.Tendered
			s.change[t.Tender] += t.Change
			s.count[t.Tender] += t.Count
		}
		for _, h := range z.ByHour {
			s.hours[h.Hour] += h.Amount
		}
	}
	return s
}

// Every figure of a day's report equals the sum of that day's Z reports to
// the cent: totals, counts, each tender, the tax (whose rates add up to it),
// the hours, the categories and operators (which add up to the sales), and
// the over/short of each close.
func TestDayReconcilesWithItsZReports(t *testing.T) {
	ts := trading(t)
	ctx := context.Background()
	for _, tc := range []struct {
		name   string
		day    time.Time
		shifts int
	}{
		{"the day before, one shift", time.Date(2026, 11, 26, 12, 0, 0, 0, berlin), 1},
		{"the trading day, two shifts", time.Date(2026, 11, 27, 12, 0, 0, 0, berlin), 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := report.Day(tc.day, berlin)
			zs := ts.zs(t, p)
			require.Len(t, zs, tc.shifts)
			z := sumZ(zs)
			d, err := report.Aggregate(ctx, ts, ts.config(), p)
			require.NoError(t, err)
			require.NotZero(t, d.Total.Transactions)

			assert.Equal(t, z.sales, d.Total.Sales, "sales")
			assert.Equal(t, z.returns, d.Total.Returns, "returns")
			assert.Equal(t, z.net, d.Total.Net, "net sales")
			assert.Equal(t, z.tax, d.Total.Tax, "tax")
			assert.Equal(t, z.discounts, d.Total.Discounts, "discounts")
			assert.Equal(t, z.rounding, d.Total.Rounding, "rounding")
			assert.Equal(t, z.income, d.Income, "income")
			assert.Equal(t, z.expense, d.Expense, "expense")
			assert.Equal(t, z.salesN, d.Total.SaleCount, "sale count")
			assert.Equal(t, z.returnsN, d.Total.ReturnCount, "return count")
			assert.Equal(t, z.customers, d.Total.Transactions, "transactions")
			assert.Equal(t, z.voids, d.Voids, "voids")
			assert.Equal(t, z.noSales, d.NoSales, "no-sales")
			assert.Equal(t, z.suspended, d.Suspended, "suspended")
			for _, tt := range d.Tenders {
				assert.Equal(t, z.tendered[tt.ID], tt.Tendered, "tendered %s", tt.ID)
				assert.Equal(t, z.change[tt.ID], tt.Change, "change %s", tt.ID)
				assert.Equal(t, z.count[tt.ID], tt.Count, "count %s", tt.ID)
			}
			tender := d.TenderTotal()
			assert.Equal(t, d.Total.Net+d.Total.Rounding, tender.Net(), "tenders take in the totals")

			tax := d.TaxTotal()
			assert.Equal(t, z.tax, tax.Tax, "the rates add up to the Z's tax")
			assert.Equal(t, d.Total.Net, tax.Gross(), "net + tax per rate add up to the totals")
			for h := 0; h < 24; h++ {
				assert.Equal(t, z.hours[h], d.Hours[h].Net, "hour %d", h)
			}
			var cats, ops, regs money.Amount
			for _, c := range d.Categories {
				cats += c.Net()
			}
			for _, o := range d.Operators {
				ops += o.Net
			}
			for _, r := range d.Registers {
				regs += r.Net
			}
			assert.Equal(t, z.sales-z.returns, cats, "categories")
			assert.Equal(t, z.net, ops, "operators")
			assert.Equal(t, z.net, regs, "registers")
			require.Len(t, d.OverShort, tc.shifts)
			var os money.Amount
			for _, o := range d.OverShort {
				os += o.OverShort
			}
			assert.Equal(t, z.overShort, os, "over/short")
			assert.Zero(t, d.NoShift.Transactions)
		})
	}
}

// A shift's report is the shift's X/Z: each of the day's shifts alone
// reconciles with its own Z.
func TestShiftReportIsItsZ(t *testing.T) {
	ts := trading(t)
	ctx := context.Background()
	day := report.Day(time.Date(2026, 11, 27, 12, 0, 0, 0, berlin), berlin)
	zs := ts.zs(t, day)
	require.Len(t, zs, 2)
	for _, z := range zs {
		sh, err := ts.Shift(ctx, z.Shift)
		require.NoError(t, err)
		set, err := report.Run(ctx, ts, ts.config(), report.ForShift(sh, z.At, berlin), true)
		require.NoError(t, err)
		d := set.Cur
		assert.Equal(t, z.NetSales, d.Total.Net)
		assert.Equal(t, z.Tax, d.Total.Tax)
		assert.Equal(t, z.CustomerCount, d.Total.Transactions)
		assert.Equal(t, z.VoidCount, d.Voids)
		for _, tt := range z.Tenders {
			for _, x := range d.Tenders {
				if x.ID == tt.Tender {
					assert.Equal(t, tt.Tendered, x.Tendered, tt.Tender)
					assert.Equal(t, tt.Change, x.Change, tt.Tender)
				}
			}
		}
		require.Len(t, d.OverShort, 1)
		assert.Equal(t, z.OverShort, d.OverShort[0].OverShort)
		assert.Equal(t, []string{z.Shift}, d.Shifts)
	}
	// The afternoon shift compares with the morning's.
	sh, err := ts.Shift(ctx, zs[1].Shift)
	require.NoError(t, err)
	set, err := report.Run(ctx, ts, ts.config(), report.ForShift(sh, zs[1].At, berlin), true)
	require.NoError(t, err)
	require.NotNil(t, set.Prev)
	assert.Equal(t, zs[0].Shift, set.Prev.Period.Shift)
	assert.Equal(t, zs[0].NetSales, set.Prev.Total.Net)
}
