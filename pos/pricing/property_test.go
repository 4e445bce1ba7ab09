package pricing_test

import (
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/pos/cart"
	"github.com/opentill/opentill/pos/catalog"
	"github.com/opentill/opentill/pos/money"
	"github.com/opentill/opentill/pos/pricing"
)

// TestProperties prices random carts against random promotion documents of
// every kind in both concurrency models and checks: no line and no total
// below zero; the same total whatever the order in which lines were added
// and however units were split over lines; the cart priced step by step as
// items are added ends where the same final cart priced fresh does; and
// promotions never make the cart dearer than no promotions.
func TestProperties(t *testing.T) {
	pricing.CheckCarry(true)
	t.Cleanup(func() { pricing.CheckCarry(false) })
	rounds := 150
	if testing.Short() {
		rounds = 30
	}
	for _, model := range []string{"", "best-price-within-priority-compound-across"} {
		for _, orig := range []string{"running", "original"} {
			t.Run(model+"/"+orig, func(t *testing.T) {
				rng := rand.New(rand.NewPCG(7, uint64(len(model)+len(orig))))
				for r := 0; r < rounds; r++ {
					w := genWorld(rng, 12, 3, 8+rng.IntN(12), model)
					w.file.CompoundOn = orig
					e, err := pricing.Compile(w.file, 2)
					require.NoError(t, err)
					items := w.cartItems(rng, 1+rng.IntN(8))
					coupons := []string{"CPN0", "CPN1"}[:rng.IntN(3)]
					withCoupons := func(c *cart.Cart) { c.Coupons = coupons }

					fresh := priceCart(t, e, items, withCoupons)
					require.GreaterOrEqual(t, fresh.Totals.Total, money.Amount(0))
					plain := priceCart(t, nil, items)
					require.LessOrEqual(t, fresh.Totals.Total, plain.Totals.Total, "promotions never make the cart dearer")

					// Order of addition.
					shuffled := append([]item(nil), items...)
					rng.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
					require.Equal(t, fresh.Totals.Total, priceCart(t, e, shuffled, withCoupons).Totals.Total, "round %d: order of lines", r)

					// The same units split over more lines (scanned one by one).
					var split []item
					for _, it := range items {
						for k := 0; k < it.qty; k++ {
							one := it
							one.qty = 1
							split = append(split, one)
						}
					}
					rng.Shuffle(len(split), func(i, j int) { split[i], split[j] = split[j], split[i] })
					require.Equal(t, fresh.Totals.Total, priceCart(t, e, split, withCoupons).Totals.Total, "round %d: units split over lines", r)

					// Incrementally: add items one at a time, repricing each time.
					c := newCart(nil)
					c.Coupons = coupons
					for i, it := range items {
						one := newCart([]item{it}).Lines[0]
						one.No = i + 1
						c.Lines = append(c.Lines, one)
						require.NoError(t, c.Reprice(testPricing(e, c.Started)))
						checkCart(t, c)
					}
					require.Equal(t, fresh.Totals.Total, c.Totals.Total, "round %d: incremental vs fresh", r)
					for i := range c.Lines {
						require.Equal(t, fresh.Lines[i].Net, c.Lines[i].Net)
					}
				}
			})
		}
	}
}

// TestWeighedAndReturnLines keeps weighed lines, return lines and
// non-discountable lines sane under promotions.
func TestWeighedAndReturnLines(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for r := 0; r < 50; r++ {
		w := genWorld(rng, 10, 2, 20, "")
		e, err := pricing.Compile(w.file, 2)
		require.NoError(t, err)
		items := w.cartItems(rng, 6)
		c := newCart(items)
		c.Lines[0].Qty = catalog.Qty(1 + rng.IntN(2500))
		c.Lines[1].Qty = -c.Lines[1].Qty
		c.Lines[2].Flags.NoDiscount = true
		require.NoError(t, c.Reprice(testPricing(e, c.Started)))
		checkCart(t, c)
		require.Empty(t, c.Lines[1].Promotions, "returns get no promotion")
		require.Empty(t, c.Lines[2].Promotions, "non-discountable lines get no promotion")
	}
}

// DiscountsInto given the room of another cart's result gives what
// Discounts gives: nothing of the other cart's promotions is left in it.
func TestDiscountsIntoAReusedRoom(t *testing.T) {
	rng := rand.New(rand.NewPCG(41, 42))
	w := genWorld(rng, 30, 4, 40, "")
	e, err := pricing.Compile(w.file, 2)
	require.NoError(t, err)
	var room [][]cart.Applied
	for round := range 200 {
		c := newCart(w.cartItems(rng, 1+rng.IntN(30)))
		lines := c.Active()
		for _, l := range lines {
			l.Gross = money.Amount(int64(l.Qty) * int64(l.UnitPrice) / int64(catalog.One))
		}
		want := e.Discounts(nil, lines, c.Started)
		room = e.DiscountsInto(room, nil, lines, c.Started)
		require.Len(t, room, len(lines))
		for i := range lines {
			require.Equal(t, len(want[i]), len(room[i]), "round %d, line %d", round, i)
			if len(want[i]) > 0 {
				require.Equal(t, want[i], room[i], "round %d, line %d", round, i)
			}
		}
	}
}
