package pos_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/pos"
	"github.com/opentill/opentill/pos/catalog"
	"github.com/opentill/opentill/pos/money"
	"github.com/opentill/opentill/pos/poserr"
	"github.com/opentill/opentill/pos/pricing"
	"github.com/opentill/opentill/pos/receipt"
)

// testPromotions covers every kind on the test catalog: a simple discount,
// quantity tiers, a mix-and-match, a threshold, compound discounts, a
// coupon and a trade agreement with a quantity break.
const testPromotions = `
time_zone = "Europe/Berlin"
count_non_discountable = true
store_price_groups = ["ALL"]
[[price_group]]
id = "ALL"
priority = 1
[[trade_agreement]]
price_group = "ALL"
product = "10001"
price = "1.09"
min_qty = "4"
[[promotion]]
id = "WINE10"
name = "Wine -10%"
kind = "discount"
concurrency = "compound"
percent = "10"
line = [{category = "Wine"}]
[[promotion]]
id = "WINE1"
name = "Wine 1.00 off"
kind = "discount"
concurrency = "compound"
amount = "1.00"
line = [{category = "Wine"}]
[[promotion]]
id = "MILK3"
name = "Milk: 3+ -15%"
kind = "quantity"
line = [{product = "10001"}]
tier = [{min_qty = "3", percent = "15"}]
[[promotion]]
id = "OUTFIT"
name = "Coat + shirt: shirt free"
kind = "mix-match"
least_expensive = 1
group = [{qty = 1, line = [{product = "10006"}]}, {qty = 1, line = [{product = "10005"}]}]
[[promotion]]
id = "SPEND50"
name = "Spend 50, 10% off"
kind = "threshold"
tier = [{min_amount = "50.00", percent = "10"}]
[[promotion]]
id = "CHEESE"
name = "Cheese coupon -20%"
kind = "discount"
coupons = ["KAESE", "9912345000019"]
percent = "20"
line = [{product = "10042"}]
`

func promoEngine(t testing.TB) *pricing.Engine {
	t.Helper()
	e, err := pricing.Decode(strings.NewReader(testPromotions), 2)
	require.NoError(t, err)
	return e
}

// promoTill is a till whose setup carries the test promotions.
func promoTill(t *testing.T) *till {
	tl := newTill(t, true)
	setup := tl.Setup()
	setup.Promotions = promoEngine(t)
	tl.Register = pos.NewRegister(setup, tl.store, pos.Options{Terminal: tl.term, Now: func() time.Time { tl.now = tl.now.Add(time.Second); return tl.now }})
	return tl
}

func TestPromotionsAtTheTill(t *testing.T) {
	tl := promoTill(t)
	tl.do(t, pos.SignIn{OperatorID: "2001", Secret: "2468"})
	tl.do(t, pos.ProductSale{Barcode: bcWine})                       // 8.99 → -1.00 → 7.99 → -10% 0.80 → 7.19
	tl.do(t, pos.ProductSale{Barcode: bcMilk, Qty: 4 * catalog.One}) // trade agreement 1.09 × 4 = 4.36, -15% 0.65 → 3.71
	tl.do(t, pos.ProductSale{Barcode: bcCoat})                       // 120.00
	res := tl.do(t, pos.ProductSale{Barcode: bcFinal})               // 20.00 free with the coat
	tl.do(t, pos.ProductSale{Barcode: bcCheese, Qty: 500})           // 9.45
	c := res.Cart
	identity(t, c)
	milk := c.Line(2)
	assert.Equal(t, money.Amount(109), milk.UnitPrice, "trade agreement from four units")
	require.Len(t, c.Line(1).Promotions, 2)
	assert.Equal(t, "Wine 1.00 off", c.Line(1).Promotions[0].Name)
	assert.Equal(t, money.Amount(80), c.Line(1).Promotions[1].Amount)
	assert.Equal(t, "Coat + shirt: shirt free", c.Line(4).Promotions[0].Name)
	assert.Equal(t, money.Amount(2000), c.Line(4).PromoDiscount)

	// Threshold last: 719 + 371 + 12000 + 0 + 945 = 140.35 qualifies; 10 % on the undiscounted coat and cheese.
	c = tl.Cart()
	assert.Equal(t, money.Amount(1200), c.Line(3).PromoDiscount)
	assert.Equal(t, money.Amount(95), c.Line(5).PromoDiscount) // 9.45 × 10 % = 0.945 → 0.95 (half away from zero)
	total := c.Totals.Total
	assert.Equal(t, money.Amount(719+371+10800+0+850), total)

	// A coupon: unknown codes are refused; a known one reprices; remove takes it back.
	err := tl.fail(t, pos.AddCoupon{Code: "NOPE"})
	assert.True(t, poserr.Is(err, poserr.NotFound))
	tl.do(t, pos.AddCoupon{Code: "kaese"})
	err = tl.fail(t, pos.AddCoupon{Code: "KAESE"})
	assert.True(t, poserr.Is(err, poserr.Conflict), "a coupon is entered once")
	c = tl.Cart()
	assert.Equal(t, []string{"kaese"}, c.Coupons)
	require.NotEmpty(t, c.Line(5).Promotions)
	assert.Equal(t, "CHEESE", c.Line(5).Promotions[0].OfferID)
	assert.Equal(t, "kaese", c.Line(5).Promotions[0].Coupon)
	assert.Less(t, c.Totals.Total, total)
	tl.do(t, pos.RemoveCoupon{Code: "KAESE"})
	assert.Equal(t, total, tl.Cart().Totals.Total)
	err = tl.fail(t, pos.RemoveCoupon{Code: "KAESE"})
	assert.True(t, poserr.Is(err, poserr.NotFound))
	tl.do(t, pos.AddCoupon{Code: "9912345000019"}) // the coupon's barcode

	// Completed: the receipt names every promotion with its amount.
	res = tl.do(t, pos.PayCashExact{})
	require.NotNil(t, res.Receipt)
	text := res.Receipt.Text(42)
	for _, want := range []string{"Wine -10%", "Wine 1.00 off", "Milk: 3+ -15%", "Coat + shirt: shirt free", "Spend 50, 10% off", "Cheese coupon -20%", "Promotions"} {
		assert.Contains(t, text, want)
	}
	var rows int
	for _, l := range res.Receipt.Lines {
		for _, d := range l.Discounts {
			assert.Negative(t, int64(d.Amount))
			rows++
		}
	}
	assert.Equal(t, 6, rows, "wine ×2, milk, coat, shirt, cheese (the coupon beats the best-price threshold)")
	identity(t, res.Completed)

	// The stored transaction keeps the applied promotions and the coupon.
	got, _, err := tl.store.Transaction(context.Background(), res.Completed.ReceiptNo)
	require.NoError(t, err)
	assert.Equal(t, []string{"9912345000019"}, got.Coupons)
	assert.Equal(t, res.Completed.Line(1).Promotions, got.Line(1).Promotions)

	// The receipt of a reprint is the same.
	r2 := receipt.Build(got, receipt.Header{}, "")
	assert.Equal(t, res.Receipt.Lines[0].Discounts, r2.Lines[0].Discounts)
}

func TestCouponOperations(t *testing.T) {
	t.Run("a cashier needs no manager for coupons in the demo roles, but the permission is checked", func(t *testing.T) {
		tl := promoTill(t)
		tl.do(t, pos.SignIn{OperatorID: "1001", Secret: "1234"})
		err := tl.fail(t, pos.AddCoupon{Code: "KAESE"})
		assert.True(t, poserr.Is(err, poserr.NotPermitted), "the test cashier role lacks 643")
		tl.do(t, pos.Approved{Op: pos.AddCoupon{Code: "KAESE"}, ManagerID: "2001", Secret: "2468"})
		assert.Equal(t, []string{"KAESE"}, tl.Cart().Coupons)
	})
	t.Run("no coupon changes while a payment is on the transaction", func(t *testing.T) {
		tl := promoTill(t)
		tl.do(t, pos.SignIn{OperatorID: "2001", Secret: "2468"})
		tl.do(t, pos.ProductSale{Barcode: bcWine})
		tl.do(t, pos.PayCard{Amount: 100})
		err := tl.fail(t, pos.AddCoupon{Code: "KAESE"})
		assert.True(t, poserr.Is(err, poserr.Conflict))
	})
	t.Run("no promotions configured", func(t *testing.T) {
		tl := newTill(t, true)
		tl.do(t, pos.SignIn{OperatorID: "2001", Secret: "2468"})
		err := tl.fail(t, pos.AddCoupon{Code: "KAESE"})
		assert.True(t, poserr.Is(err, poserr.NotFound))
		err = tl.fail(t, pos.AddCoupon{Code: " "})
		assert.True(t, poserr.Is(err, poserr.Invalid))
	})
}

// TestPromotionsOrderIndependentAtTheTill rings up the same items in two
// orders (and one by one) and expects the same total.
func TestPromotionsOrderIndependentAtTheTill(t *testing.T) {
	items := []pos.ProductSale{{Barcode: bcWine}, {Barcode: bcMilk, Qty: 2 * catalog.One}, {Barcode: bcCoat}, {Barcode: bcFinal}, {Barcode: bcMilk}, {Barcode: bcWine, Qty: 2 * catalog.One}}
	total := func(order []int, split bool) money.Amount {
		tl := promoTill(t)
		tl.do(t, pos.SignIn{OperatorID: "2001", Secret: "2468"})
		for _, i := range order {
			it := items[i]
			if split && it.Qty > catalog.One {
				for k := catalog.Qty(0); k < it.Qty/catalog.One; k++ {
					tl.do(t, pos.ProductSale{Barcode: it.Barcode})
				}
				continue
			}
			tl.do(t, it)
		}
		c := tl.Cart()
		identity(t, c)
		return c.Totals.Total
	}
	want := total([]int{0, 1, 2, 3, 4, 5}, false)
	assert.Equal(t, want, total([]int{5, 3, 1, 4, 2, 0}, false))
	assert.Equal(t, want, total([]int{2, 0, 4, 1, 5, 3}, true))

	// The cart rung up item by item ends where the same cart priced fresh does.
	tl := promoTill(t)
	var quoteOps []pos.Operation
	for _, it := range items {
		quoteOps = append(quoteOps, it)
	}
	fresh, err := pos.Quote(context.Background(), tl.Setup(), tl.store, quoteOps)
	require.NoError(t, err)
	assert.Equal(t, want, fresh.Totals.Total)
}
