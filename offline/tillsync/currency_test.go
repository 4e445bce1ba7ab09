package tillsync_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/offline/demo"
	"github.com/opentill/opentill/pos"
	"github.com/opentill/opentill/pos/catalog"
	"github.com/opentill/opentill/pos/money"
	"github.com/opentill/opentill/pos/shift"
)

// TestForeignCashAcrossTills: the store server sets the store's dollar
// rate; both tills get it with their setup and take dollars, paying change
// in euros. Each counts its dollars in dollars at the close (one short by a
// dollar note), and the store's report on the server has both over/shorts,
// converted, to the cent of the Z reports.
func TestForeignCashAcrossTills(t *testing.T) {
	s := startServer(t, 50)
	a := newTill(t, s, "T01", s.URL)
	b := newTill(t, s, "T02", s.URL)
	rate, err := money.ParseRate("0.95")
	require.NoError(t, err)
	require.NoError(t, s.St.SetExchangeRate(ctx, demo.StoreID, "USD", rate))
	assert.Error(t, s.St.SetExchangeRate(ctx, demo.StoreID, "EUR", rate), "not the store's own currency")
	pass(t, a, b)
	start := time.Now().UTC()
	day := func(tl *till, milk int64, dollars money.Amount, shortBy money.Amount) *shift.Report {
		t.Helper()
		setup, err := tl.St.LoadSetup(ctx)
		require.NoError(t, err)
		require.Equal(t, rate, setup.ExchangeRates["USD"], "the rate came with the setup")
		r := pos.NewRegister(setup, tl.St, pos.Options{})
		do := func(op pos.Operation) pos.Result {
			t.Helper()
			res, err := r.Do(ctx, op)
			require.NoError(t, err, "%T", op)
			return res
		}
		do(pos.SignIn{OperatorID: "2001", Secret: "2468"})
		do(pos.OpenShift{StartAmount: 10000})
		do(pos.ProductSale{Barcode: milkCode, Qty: catalog.Qty(milk) * catalog.One})
		done := do(pos.PayCurrency{Amount: dollars}).Completed
		require.NotNil(t, done)
		conv := money.Exchange(dollars, money.USD, rate, money.EUR, money.HalfUp)
		assert.Equal(t, conv-done.Totals.Total, done.Change, "change in euros")
		x := do(pos.PrintXReport{}).Report
		assert.Equal(t, dollars, x.Tender(demo.TenderUSD).Expected, "dollars expected, in dollars")
		do(pos.DeclareTender{Amount: x.Tender(demo.TenderCash).Expected})
		do(pos.DeclareTender{TenderID: demo.TenderUSD, Amount: dollars - shortBy})
		return do(pos.CloseShift{Reason: "a dollar note missing"}).Report
	}
	z1 := day(a, 10, 2000, 0)  // 11.90 for USD 20.00 (19.00): 7.10 change
	z2 := day(b, 5, 1000, 100) // 5.95 for USD 10.00 (9.50), a dollar short
	assert.Zero(t, z1.OverShort)
	assert.Equal(t, money.Amount(-100), z2.Tender(demo.TenderUSD).OverShort, "a dollar short, in dollars")
	assert.Equal(t, money.Amount(-95), z2.OverShort, "0.95 short in euros")
	pass(t, a, b)

	rep, err := s.St.StoreReport(ctx, demo.StoreID, start.Add(-time.Hour), time.Now().UTC().Add(time.Hour))
	require.NoError(t, err)
	var os int64
	for _, o := range rep.OverShort {
		os += o.OverShort
	}
	assert.EqualValues(t, z1.OverShort+z2.OverShort, os)
	for _, tn := range rep.Tenders {
		if tn.ID == demo.TenderUSD {
			assert.EqualValues(t, z1.Tender(demo.TenderUSD).Tendered+z2.Tender(demo.TenderUSD).Tendered, tn.Tendered, "dollars tendered, in euros")
		}
		if tn.ID == demo.TenderCash {
			assert.EqualValues(t, z1.Tender(demo.TenderCash).Change+z2.Tender(demo.TenderCash).Change, tn.Change, "the change came from the euro cash")
		}
	}
}
