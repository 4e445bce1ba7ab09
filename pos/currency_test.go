package pos_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/pos"
	"github.com/opentill/opentill/pos/cart"
	"github.com/opentill/opentill/pos/catalog"
	"github.com/opentill/opentill/pos/money"
	"github.com/opentill/opentill/pos/poserr"
	"github.com/opentill/opentill/pos/receipt"
	"github.com/opentill/opentill/pos/shift"
	"github.com/opentill/opentill/pos/tender"
)

// currencyTill is a till of the test store taking US dollars at 0.9234.
func currencyTill(t *testing.T, open func(*testing.T, bool) *till, rate money.Rate) *till {
	t.Helper()
	tl := open(t, true)
	setup := testSetup(true)
	setup.TenderTypes = append(setup.TenderTypes, tender.Type{ID: "USD", Name: "US dollars", Kind: cart.Currency, Foreign: money.USD,
		GivesChange: true, AllowOvertender: true, AllowUndertender: true, OpensDrawer: true})
	if rate > 0 {
		setup.ExchangeRates = map[string]money.Rate{"USD": rate}
	}
	tl.Register = pos.NewRegister(setup, tl.store, pos.Options{Terminal: tl.term, Now: func() time.Time { tl.now = tl.now.Add(time.Second); return tl.now }})
	tl.do(t, pos.SignIn{OperatorID: "2001", Secret: "2468"})
	tl.do(t, pos.OpenShift{StartAmount: 10000})
	return tl
}

func TestForeignCurrency(t *testing.T) {
	for name, open := range stores {
		t.Run(name, func(t *testing.T) { testForeignCurrency(t, open) })
	}
}

func testForeignCurrency(t *testing.T, open func(*testing.T, bool) *till) {
	ctx := context.Background()
	t.Run("no rate, no payment", func(t *testing.T) {
		tl := currencyTill(t, open, 0)
		tl.do(t, pos.ProductSale{Barcode: bcMilk})
		_, err := tl.Do(ctx, pos.PayCurrency{})
		assert.Equal(t, poserr.Conflict, poserr.KindOf(err))
	})
	tl := currencyTill(t, open, 923400)

	// 18.47 due: exactly USD 20.00 (18.468 rounds to 18.47).
	tl.do(t, pos.ProductSale{Barcode: bcWine, Qty: 2 * catalog.One}) // 17.98
	tl.do(t, pos.ProductSale{Barcode: bcMilk})                       // 1.29: 19.27
	_, err := tl.Do(ctx, pos.PayCurrency{Amount: 1000})              // USD 10.00 = 9.23
	require.NoError(t, err)
	tn := tl.Cart().Tenders[0]
	assert.Equal(t, money.Amount(923), tn.Amount)
	require.NotNil(t, tn.Foreign)
	assert.Equal(t, money.Amount(1000), tn.Foreign.Amount)
	// USD 20.00 for the 10.04 left: 18.47, change 8.43 in euros from the cash
	done := tl.do(t, pos.PayCurrency{Amount: 2000}).Completed
	require.NotNil(t, done)
	assert.Equal(t, money.Amount(1847-1004), done.Change)
	assert.Equal(t, "cash", done.ChangeTender)
	text := receipt.Build(done, receipt.Header{}, "").Text(42)
	assert.Contains(t, text, "$20.00 × 0.923400", "what was handed over, in dollars")

	// What is due in dollars, exactly.
	tl.do(t, pos.ProductSale{Barcode: bcWine, Qty: 2 * catalog.One}) // 17.98
	done = tl.do(t, pos.PayCurrency{}).Completed
	require.NotNil(t, done)
	assert.Equal(t, money.ExchangeBack(1798, money.USD, 923400, money.EUR), done.Tenders[0].Foreign.Amount)
	assert.GreaterOrEqual(t, done.Tenders[0].Amount, money.Amount(1798))

	// A refund is not paid in dollars.
	tl.do(t, pos.ReturnProduct{Barcode: bcMilk, Qty: catalog.One})
	_, err = tl.Do(ctx, pos.PayCurrency{})
	assert.Equal(t, poserr.Invalid, poserr.KindOf(err))
	tl.do(t, pos.VoidTransaction{})

	// The dollars are counted in dollars: expected USD 10.00 + 20.00 + the last.
	x := tl.do(t, pos.PrintXReport{}).Report
	usd := x.Tender("USD")
	assert.Equal(t, money.USD, usd.Currency)
	want := 1000 + 2000 + done.Tenders[0].Foreign.Amount
	assert.Equal(t, want, usd.Expected, "in dollars")
	assert.Equal(t, money.Amount(923+1847)+done.Tenders[0].Amount, usd.Tendered, "in euros")
	cash := x.Tender("cash")
	assert.Equal(t, money.Amount(1847-1004), cash.Change, "the change came out of the euro cash")

	tl.do(t, pos.DeclareTender{TenderID: "cash", Amount: cash.Expected})
	tl.do(t, pos.DeclareTender{TenderID: "USD", Counts: []shift.Count{{Value: 2000, Qty: 2}, {Value: 100, Qty: int64(want-4000) / 100}}})
	x = tl.do(t, pos.PrintXReport{}).Report
	usd = x.Tender("USD")
	assert.Equal(t, want-want%100, usd.Declared)
	assert.Equal(t, -(want % 100), usd.OverShort, "short by the cents not counted, in dollars")
	assert.Equal(t, money.Exchange(-(want%100), money.USD, 923400, money.EUR, money.HalfUp), x.OverShort, "in euros in the report's sum")
	xt := receipt.NewShiftReport(*x, receipt.Header{}).Text(42)
	assert.Contains(t, xt, "Tendered USD")
}
