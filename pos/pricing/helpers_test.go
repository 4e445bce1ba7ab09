package pricing_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/pos/cart"
	"github.com/opentill/opentill/pos/catalog"
	"github.com/opentill/opentill/pos/money"
	"github.com/opentill/opentill/pos/pricing"
	"github.com/opentill/opentill/pos/tax"
)

// item is a line of a test cart: product ID, category, unit price, units.
type item struct {
	id    string
	cat   string
	price money.Amount
	qty   int
}

func mustEngine(t testing.TB, doc string) *pricing.Engine {
	t.Helper()
	e, err := pricing.Decode(strings.NewReader(doc), 2)
	require.NoError(t, err)
	return e
}

func testPricing(e *pricing.Engine, at time.Time) cart.Pricing {
	p := cart.Pricing{
		Tax:    tax.Config{Inclusive: true, Level: tax.PerTotal, Round: money.HalfUp},
		Groups: map[string]tax.Group{"Z": {ID: "Z", Name: "zero", Codes: []tax.Code{{ID: "V0", Rate: 0}}}},
		Round:  money.HalfUp,
		Now:    at,
	}
	if e != nil {
		p.Promotions = e
	}
	return p
}

func newCart(items []item) *cart.Cart {
	c := &cart.Cart{ID: "t", Currency: money.EUR, Status: cart.Open, Started: time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)}
	for i, it := range items {
		q := catalog.Qty(it.qty) * catalog.One
		if it.qty < 0 { // a negative qty in a test means thousandths (weighed)
			q = catalog.Qty(-it.qty)
		}
		c.Lines = append(c.Lines, cart.Line{No: i + 1, ProductID: it.id, ItemID: it.id, Category: it.cat, Name: it.id,
			Qty: q, UnitPrice: it.price, OriginalPrice: it.price, TaxGroup: "Z", CatalogPrice: true, ListPrice: it.price})
	}
	return c
}

// priceCart prices items with the engine at the cart's start time.
func priceCart(t testing.TB, e *pricing.Engine, items []item, edit ...func(*cart.Cart)) *cart.Cart {
	t.Helper()
	c := newCart(items)
	for _, f := range edit {
		f(c)
	}
	require.NoError(t, c.Reprice(testPricing(e, c.Started)))
	checkCart(t, c)
	return c
}

// checkCart asserts the invariants every priced cart keeps.
func checkCart(t testing.TB, c *cart.Cart) {
	t.Helper()
	var sum money.Amount
	for _, l := range c.Active() {
		var p money.Amount
		for _, a := range l.Promotions {
			require.Positive(t, int64(a.Amount), "applied amounts are positive")
			require.NotEmpty(t, a.Name)
			p += a.Amount
		}
		require.Equal(t, l.PromoDiscount, p)
		if !l.IsReturn() {
			require.GreaterOrEqual(t, l.Net, money.Amount(0), "line %d below zero: %+v", l.No, *l)
		}
		sum += l.Net
	}
	tt := c.Totals
	require.Equal(t, tt.Total, tt.Subtotal-tt.Discounts+tt.ExclusiveTax, "totals identity")
	require.Equal(t, tt.Total, sum+tt.ExclusiveTax)
}

// promos lists "offer:amount" per line, for compact expectations.
func promos(c *cart.Cart) [][]string {
	var out [][]string
	for _, l := range c.Active() {
		var row []string
		for _, a := range l.Promotions {
			row = append(row, a.OfferID+":"+a.Amount.String())
		}
		out = append(out, row)
	}
	return out
}
