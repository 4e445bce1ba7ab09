package pos_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/pos"
	"github.com/opentill/opentill/pos/poserr"
	"github.com/opentill/opentill/pos/report"
)

// View reports (1003) is an operation with its own permission that works
// offline, on either store, for a day or the register's shift, and its
// figures are the shift's X report.
func TestViewReportsOffline(t *testing.T) {
	for _, tc := range []struct {
		name string
		till func(*testing.T, bool) *till
	}{{"memstore", newTill}, {"sqlite", newSQLiteTill}} {
		t.Run(tc.name, func(t *testing.T) {
			tl := withShifts(t, tc.till(t, true), false)
			var off online
			tl.Register = pos.NewRegister(tl.Setup(), tl.store, pos.Options{Terminal: tl.term, Now: tl.clock, Connectivity: &off})
			tl.do(t, pos.SignIn{OperatorID: "2001", Secret: "2468"})
			tl.do(t, pos.OpenShift{StartAmount: 10000})
			tl.do(t, pos.ProductSale{Barcode: bcMilk})
			tl.do(t, pos.ProductSale{Barcode: bcMilk})
			tl.do(t, pos.PayCash{Amount: 1000})
			x := tl.do(t, pos.PrintXReport{}).Report

			res := tl.do(t, pos.ViewReports{Period: report.Period{Range: report.RangeShift}})
			require.NotNil(t, res.Reports)
			d := res.Reports.Cur
			assert.Equal(t, x.Shift, d.Period.Shift)
			assert.Equal(t, x.NetSales, d.Total.Net)
			assert.Equal(t, x.Tax, d.Total.Tax)
			assert.Equal(t, x.Tender("cash").Tendered, d.Tenders[0].Tendered)
			assert.Equal(t, "Morgan", d.Name("2001"), "operators by name")

			day := tl.do(t, pos.ViewReports{Period: report.Day(tl.now, nil), Compare: true}).Reports
			assert.Equal(t, x.NetSales, day.Cur.Total.Net)
			require.NotNil(t, day.Prev)
			assert.Zero(t, day.Prev.Total.Transactions)
			doc := day.Doc(report.Summary, tl.now)
			assert.Equal(t, report.Summary, doc.Name)

			err := tl.fail(t, pos.ViewReports{Period: report.Period{Range: report.RangeCustom, From: tl.now, To: tl.now}})
			assert.Equal(t, poserr.Invalid, poserr.KindOf(err))
			err = tl.fail(t, pos.ViewReports{Period: report.Period{Range: report.RangeShift, Shift: "nope"}})
			assert.Equal(t, poserr.NotFound, poserr.KindOf(err))
		})
	}
}

func TestViewReportsWithoutAShift(t *testing.T) {
	tl := newTill(t, true)
	tl.do(t, pos.SignIn{OperatorID: "2001", Secret: "2468"})
	err := tl.fail(t, pos.ViewReports{Period: report.Period{Range: report.RangeShift}})
	assert.Equal(t, poserr.NotFound, poserr.KindOf(err))
	res := tl.do(t, pos.ViewReports{Period: report.Day(time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC), nil)})
	assert.Zero(t, res.Reports.Cur.Total.Transactions)
	spec, ok := pos.NewRegistry().Spec(pos.OpViewReports)
	require.True(t, ok)
	assert.True(t, spec.Offline)
	assert.Equal(t, pos.GroupManager, spec.Group)
}
