package tillsync_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/offline/demo"
	"github.com/opentill/opentill/peripherals/paysim"
	"github.com/opentill/opentill/pos"
	"github.com/opentill/opentill/pos/catalog"
	"github.com/opentill/opentill/pos/money"
	"github.com/opentill/opentill/pos/poserr"
	"github.com/opentill/opentill/pos/report"
	"github.com/opentill/opentill/pos/shift"
)

// TestStoreReportReconcilesWithTheZs: two tills of the store trade a day
// (sales in cash and by card, a return, a void), declare and close; once
// both have synced, the server's store report across them has every
// figure of the two Z reports summed to the cent — sales, returns, tax per
// rate, each tender — one row per register, and both counts' over/short.
func TestStoreReportReconcilesWithTheZs(t *testing.T) {
	s := startServer(t, 50)
	a := newTill(t, s, "T01", s.URL)
	b := newTill(t, s, "T02", s.URL)
	pass(t, a, b)
	start := time.Now().UTC()
	day := func(tl *till, milk, butter int64, declare money.Amount) *shift.Report {
		t.Helper()
		setup, err := tl.St.LoadSetup(ctx)
		require.NoError(t, err)
		r := pos.NewRegister(setup, tl.St, pos.Options{Terminal: paysim.New()})
		do := func(op pos.Operation) pos.Result {
			t.Helper()
			res, err := r.Do(ctx, op)
			require.NoError(t, err, "%T", op)
			return res
		}
		do(pos.SignIn{OperatorID: "2001", Secret: "2468"})
		do(pos.OpenShift{StartAmount: 10000})
		do(pos.ProductSale{Barcode: milkCode, Qty: catalog.Qty(milk) * catalog.One})
		sale := do(pos.PayCashExact{}).Completed
		do(pos.ProductSale{Barcode: "4000000000020", Qty: catalog.Qty(butter) * catalog.One})
		do(pos.PayCard{})
		do(pos.ProductSale{Barcode: milkCode})
		do(pos.VoidTransaction{})
		do(pos.ReturnTransaction{ReceiptNo: sale.ReceiptNo, Lines: []pos.ReturnLine{{LineNo: 1, Qty: catalog.One}}})
		do(pos.PayCashExact{})
		x := do(pos.PrintXReport{}).Report
		do(pos.DeclareTender{Amount: x.Tender("cash").Expected + declare})
		for _, tt := range setup.TenderTypes {
			if tt.ID != "cash" && x.Tender(tt.ID).Count > 0 {
				do(pos.DeclareTender{TenderID: tt.ID, Amount: x.Tender(tt.ID).Expected})
			}
		}
		return do(pos.CloseShift{}).Report
	}
	z1 := day(a, 3, 2, 0)
	z2 := day(b, 5, 1, -50)
	pass(t, a, b)

	rep, err := s.St.StoreReport(ctx, demo.StoreID, start.Add(-time.Hour), time.Now().UTC().Add(time.Hour))
	require.NoError(t, err)
	assert.EqualValues(t, z1.Sales+z2.Sales, rep.Total.Sales)
	assert.EqualValues(t, z1.Returns+z2.Returns, rep.Total.Returns)
	assert.EqualValues(t, z1.NetSales+z2.NetSales, rep.Total.Net)
	assert.EqualValues(t, z1.Tax+z2.Tax, rep.Total.Tax)
	assert.Equal(t, z1.CustomerCount+z2.CustomerCount, rep.Total.Transactions)
	assert.Equal(t, z1.VoidCount+z2.VoidCount, rep.Voids)
	var taxZ, taxR int64
	for _, r := range append(z1.TaxRates, z2.TaxRates...) {
		taxZ += int64(r.Basis + r.Amount)
	}
	for _, r := range rep.Taxes {
		taxR += r.Basis + r.Tax
	}
	assert.Equal(t, taxZ, taxR, "net + tax per rate")
	for _, tn := range rep.Tenders {
		want := z1.Tender(tn.ID).Tendered + z2.Tender(tn.ID).Tendered
		assert.EqualValues(t, want, tn.Tendered, "tender %s", tn.ID)
		assert.EqualValues(t, z1.Tender(tn.ID).Change+z2.Tender(tn.ID).Change, tn.Change, "change of %s", tn.ID)
	}
	require.Len(t, rep.Registers, 2, "one row per till")
	require.Len(t, rep.OverShort, 2)
	var os int64
	for _, o := range rep.OverShort {
		os += o.OverShort
	}
	assert.EqualValues(t, z1.OverShort+z2.OverShort, os)
	assert.EqualValues(t, -50, os)

	// Whole store days add up the transactions' sums instead of reading
	// them again: the same figures as the hour-exact period above.
	setup0, err := a.St.LoadSetup(ctx)
	require.NoError(t, err)
	loc, err := time.LoadLocation(setup0.Header.TimeZone)
	require.NoError(t, err)
	days := report.Period{From: report.Day(start, loc).From, To: report.Day(time.Now(), loc).To}
	require.True(t, report.DayAligned(days, loc))
	summed, err := s.St.StoreReport(ctx, demo.StoreID, days.From, days.To)
	require.NoError(t, err)
	assert.Equal(t, rep.Total, summed.Total)
	assert.Equal(t, rep.Hours, summed.Hours)
	assert.Equal(t, rep.Registers, summed.Registers)
	assert.Equal(t, rep.Operators, summed.Operators)
	assert.Equal(t, rep.Categories, summed.Categories)
	assert.Equal(t, rep.Products, summed.Products)
	assert.Equal(t, rep.Promotions, summed.Promotions)
	assert.Equal(t, rep.Tenders, summed.Tenders)
	assert.Equal(t, rep.Taxes, summed.Taxes)
	assert.Equal(t, rep.Exceptions, summed.Exceptions)
	assert.Equal(t, rep.OverShort, summed.OverShort)
	assert.Equal(t, rep.Terminals, summed.Terminals)
	assert.Equal(t, []int{rep.Voids, rep.LineVoids, rep.NoSales, rep.Entries}, []int{summed.Voids, summed.LineVoids, summed.NoSales, summed.Entries})
	assert.NotEmpty(t, summed.Products)
	assert.NotEmpty(t, summed.Exceptions, "the void and the return")

	// The manager at till 1 reads the whole store's figures on the till.
	setup, err := a.St.LoadSetup(ctx)
	require.NoError(t, err)
	net := &switchable{}
	net.on.Store(true)
	r := pos.NewRegister(setup, a.St, pos.Options{Connectivity: net, StoreReports: a.Eng})
	_, err = r.Do(ctx, pos.SignIn{OperatorID: "2001", Secret: "2468"})
	require.NoError(t, err)
	p := report.Period{Range: report.RangeCustom, From: start.Add(-time.Hour), To: time.Now().UTC().Add(time.Hour)}
	res, err := r.Do(ctx, pos.ViewReports{Period: p, Compare: true, Store: true})
	require.NoError(t, err)
	require.NotNil(t, res.Reports)
	assert.True(t, res.Reports.Cur.Storewide)
	assert.Equal(t, z1.Sales+z2.Sales, res.Reports.Cur.Total.Sales, "the store's sales on the till")
	doc := res.Reports.Doc(report.Registers, time.Now())
	require.NotEmpty(t, doc.Tables)
	assert.Len(t, doc.Tables[len(doc.Tables)-1].Rows, 2, "both registers")
	// Every report of the whole store is the one the two tills' journals
	// make together.
	cfg := report.Config{Store: setup.StoreID, StoreName: setup.StoreName, Currency: setup.Currency, Tenders: setup.TenderTypes,
		Loc: loc, TaxGroups: setup.TaxGroups, Name: func(id string) string {
			if op, err := a.St.Operator(ctx, id); err == nil && op.Name != "" {
				return op.Name
			}
			return id
		}}
	da, err := report.Aggregate(ctx, a.St, cfg, p)
	require.NoError(t, err)
	db, err := report.Aggregate(ctx, b.St, cfg, p)
	require.NoError(t, err)
	both, err := report.Merge(da, db)
	require.NoError(t, err)
	made := time.Now()
	plain, err := r.Do(ctx, pos.ViewReports{Period: p, Store: true})
	require.NoError(t, err)
	for _, n := range report.StoreNames {
		want, got := report.Build(n, both, nil, made), plain.Reports.Doc(n, made)
		// The server times a transaction's exceptions when it finished;
		// the till's journal entry is written a moment later.
		for i, tb := range got.Tables {
			for j, row := range tb.Rows {
				for k, v := range row {
					if i < len(want.Tables) && j < len(want.Tables[i].Rows) && k < len(want.Tables[i].Rows[j]) {
						if w := want.Tables[i].Rows[j][k].T; !w.IsZero() && v.T.Sub(w).Abs() < time.Millisecond {
							row[k].T = w
						}
					}
				}
			}
		}
		assert.Equal(t, want.Figures, got.Figures, "report %s", n)
		assert.Equal(t, want.Tables, got.Tables, "report %s", n)
		assert.Equal(t, want.Charts, got.Charts, "report %s", n)
	}
	own, err := r.Do(ctx, pos.ViewReports{Period: p})
	require.NoError(t, err)
	assert.Equal(t, z1.Sales, own.Reports.Cur.Total.Sales, "without Store: this till's own")
	net.on.Store(false)
	_, err = r.Do(ctx, pos.ViewReports{Period: p, Store: true})
	assert.Equal(t, poserr.Offline, poserr.KindOf(err), "offline the store's figures are not there, and the till says so")
}
