package pos_test

import (
	"context"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/pos"
	"github.com/opentill/opentill/pos/cart"
	"github.com/opentill/opentill/pos/catalog"
	"github.com/opentill/opentill/pos/money"
	"github.com/opentill/opentill/pos/tax"
)

// TestTotalsIdentityOverRandomCarts rings up random carts — quantities,
// weighed items, keyed prices, overrides, line and total discounts, returns
// with and without receipt, split tenders, coupons — in both tax modes and
// both tax rounding levels, with and without active promotions of every kind
// (testPromotions), and checks after every step and at completion that
// lines − discounts + exclusive tax = total = tenders − change (+ cash
// rounding), and that no sale line and no sale total goes below zero.
func TestTotalsIdentityOverRandomCarts(t *testing.T) {
	carts := 60
	if testing.Short() {
		carts = 15
	}
	for _, mode := range []struct {
		name      string
		inclusive bool
		level     tax.Level
		promos    bool
	}{{"inclusive per line", true, tax.PerLine, false}, {"exclusive per line", false, tax.PerLine, false}, {"inclusive per total", true, tax.PerTotal, false}, {"exclusive per total", false, tax.PerTotal, false},
		{"promotions inclusive per line", true, tax.PerLine, true}, {"promotions exclusive per total", false, tax.PerTotal, true}} {
		t.Run(mode.name, func(t *testing.T) {
			tl := newTill(t, mode.inclusive)
			setup := tl.Setup()
			setup.Tax.Level = mode.level
			if mode.promos {
				setup.Promotions = promoEngine(t)
			}
			tl.Register = pos.NewRegister(setup, tl.store, pos.Options{Terminal: tl.term})
			rng := rand.New(rand.NewPCG(42, uint64(len(mode.name))))
			ctx := context.Background()
			tl.do(t, pos.SignIn{OperatorID: "2001", Secret: "2468"})
			var receipts []string
			var promoted, couponed int
			sellable := []string{bcMilk, bcWine, bcCheese, bcGiftBox, bcNoDisc, bcFinal, bcCoat}
			for i := 0; i < carts; i++ {
				nlines := 1 + rng.IntN(12)
				for j := 0; j < nlines; j++ {
					var op pos.Operation
					switch k := rng.IntN(10); {
					case k < 6:
						code := sellable[rng.IntN(len(sellable))]
						o := pos.ProductSale{Barcode: code, Qty: catalog.Qty(1+rng.IntN(5)) * catalog.One}
						switch code {
						case bcCheese:
							o.Qty = catalog.Qty(1 + rng.IntN(3000))
						case bcGiftBox:
							o.Price = money.Amount(1 + rng.IntN(5000))
						}
						op = o
					case k < 7:
						op = pos.ReturnProduct{Barcode: bcWine, Qty: catalog.Qty(1+rng.IntN(2)) * catalog.One}
					case k < 8 && mode.promos && rng.IntN(3) == 0:
						if rng.IntN(2) == 0 {
							op = pos.AddCoupon{Code: "KAESE"}
						} else {
							op = pos.RemoveCoupon{Code: "kaese"}
						}
					case k < 8 && len(receipts) > 0:
						op = pos.ReturnTransaction{ReceiptNo: receipts[rng.IntN(len(receipts))], Lines: []pos.ReturnLine{{LineNo: 1, Qty: catalog.One}}}
					case k < 9:
						if c := tl.Cart(); c != nil && len(c.Lines) > 0 {
							line := 1 + rng.IntN(len(c.Lines))
							if rng.IntN(2) == 0 {
								op = pos.LineDiscount{Line: line, Percent: int64(rng.IntN(5000))}
							} else {
								op = pos.LineDiscount{Line: line, Amount: money.Amount(rng.IntN(300))}
							}
						}
					default:
						if c := tl.Cart(); c != nil && len(c.Lines) > 0 {
							line := 1 + rng.IntN(len(c.Lines))
							if rng.IntN(2) == 0 {
								op = pos.PriceOverride{Line: line, Price: money.Amount(rng.IntN(3000))}
							} else {
								op = pos.SetQuantity{Line: line, Qty: catalog.Qty(1+rng.IntN(4)) * catalog.One}
							}
						}
					}
					if op == nil {
						continue
					}
					_, _ = tl.Do(ctx, op) // refusals (limits, not discountable…) are fine; the identity must hold either way
					if c := tl.Cart(); c != nil {
						identity(t, c)
						for _, l := range c.Active() {
							if !l.IsReturn() {
								require.GreaterOrEqual(t, l.Net, money.Amount(0), "no sale line below zero")
							}
						}
					}
				}
				if rng.IntN(3) == 0 {
					_, _ = tl.Do(ctx, pos.TotalDiscount{Percent: int64(rng.IntN(3000))})
				}
				c := tl.Cart()
				if c == nil || c.IsEmpty() {
					continue
				}
				identity(t, c)
				if c.Totals.Total == 0 {
					tl.do(t, pos.VoidTransaction{})
					continue
				}
				// Split: sometimes part by card first, then cash (over-tendered on sales).
				due := c.Totals.Remaining
				if due > 100 && rng.IntN(2) == 0 {
					tl.do(t, pos.PayCard{Amount: money.Amount(1 + rng.Int64N(int64(due-1)))})
				}
				var res pos.Result
				if due > 0 && rng.IntN(2) == 0 {
					res = tl.do(t, pos.PayCash{Amount: tl.Cart().Totals.Remaining + money.Amount(rng.IntN(2000))})
				} else {
					res = tl.do(t, pos.PayCashExact{})
				}
				require.NotNil(t, res.Completed, "cart %d did not complete", i)
				done := res.Completed
				require.Equal(t, cart.Completed, done.Status)
				identity(t, done)
				for _, l := range done.Active() {
					if l.IsReturn() {
						require.LessOrEqual(t, l.Net, money.Amount(0), "a return line never charges the customer")
					} else {
						require.GreaterOrEqual(t, l.Net, money.Amount(0), "no sale line below zero")
					}
				}
				receipts = append(receipts, done.ReceiptNo)
				if done.Totals.PromoDiscounts > 0 {
					promoted++
				}
				if len(done.Coupons) > 0 {
					couponed++
				}
			}
			if mode.promos {
				require.Positive(t, promoted, "promotions applied to some carts")
				require.Positive(t, couponed, "coupons were entered on some carts")
			}
			n, err := tl.store.VerifyJournal(ctx)
			require.NoError(t, err)
			require.Greater(t, n, int64(carts/2))
		})
	}
}
