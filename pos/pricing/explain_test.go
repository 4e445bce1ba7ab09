package pricing_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/pos/cart"
	"github.com/opentill/opentill/pos/locale"
	"github.com/opentill/opentill/pos/money"
	"github.com/opentill/opentill/pos/pricing"
)

func TestExplain(t *testing.T) {
	e := mustEngine(t, `
time_zone = "UTC"
[[promotion]]
id = "OLD"
name = "Last year"
kind = "discount"
to = "2025-12-31"
percent = "50"
line = [{product = "A"}]
[[promotion]]
id = "CPN"
name = "Coupon 20 %"
kind = "discount"
coupons = ["SAVE20"]
percent = "20"
line = [{product = "A"}]
[[promotion]]
id = "HI"
name = "10 % priority 5"
kind = "discount"
priority = 5
percent = "10"
line = [{product = "A"}]
[[promotion]]
id = "LO"
name = "30 % priority 1"
kind = "discount"
priority = 1
percent = "30"
line = [{product = "A"}]
[[promotion]]
id = "AB"
name = "A + 2 B"
kind = "mix-match"
deal_price = "5.00"
group = [{qty = 1, line = [{product = "A"}]}, {name = "the Bs", qty = 2, line = [{product = "B"}]}]
[[promotion]]
id = "Q"
name = "3 B -10 %"
kind = "quantity"
line = [{product = "B"}]
tier = [{min_qty = "3", percent = "10"}]
[[promotion]]
id = "T"
name = "Spend 100, 10 off"
kind = "threshold"
tier = [{min_amount = "100.00", amount = "10.00"}]
[[promotion]]
id = "CARD"
name = "Card 2 %"
kind = "tender"
tender_types = ["card"]
percent = "2"`)
	c := priceCart(t, e, []item{{"A", "x", 1000, 1}, {"B", "x", 300, 1}})
	reasons := explained(e, c)
	require.Equal(t, map[string]string{
		"A/OLD":  "expired: valid until 2025-12-31 23:59",
		"A/CPN":  "needs a coupon (SAVE20): enter or scan it",
		"A/HI":   "applied: €1.00 off",
		"A/LO":   "the item was discounted at the higher priority 5 (HI); in the default model lower priorities do not apply",
		"A/AB":   "the item was discounted at the higher priority 5 (HI); in the default model lower priorities do not apply",
		"A/T":    "the qualifying items come to €12.00, less than the €100.00 the first tier needs",
		"A/CARD": "pay with CARD to get it",
		"B/AB":   "the Bs needs 2 items, the transaction has 1",
		"B/Q":    "needs 3 units, the transaction has 1",
		"B/T":    "the qualifying items come to €12.00, less than the €100.00 the first tier needs",
		"B/CARD": "pay with CARD to get it",
	}, reasons)
}

// TestExplainNamesExclusions: a promotion whose include line takes a
// product but an exclude line leaves it out says so on that line.
func TestExplainNamesExclusions(t *testing.T) {
	e := mustEngine(t, `
time_zone = "UTC"
[[promotion]]
id = "CHOC"
name = "Chocolate -20 %"
kind = "discount"
percent = "20"
line = [{category = "choc"}, {product = "DARK", exclude = true}]
[[promotion]]
id = "MM"
name = "2 chocolates 3.00"
kind = "mix-match"
deal_price = "3.00"
group = [{qty = 2, line = [{category = "choc"}, {item = "DARK", exclude = true}]}]
[[promotion]]
id = "T"
name = "Spend 100, 10 off"
kind = "threshold"
tier = [{min_amount = "100.00", amount = "10.00"}]
line = [{category = "choc", exclude = true}]`)
	c := priceCart(t, e, []item{{"MILK", "choc", 200, 1}, {"DARK", "choc", 300, 1}})
	reasons := explained(e, c)
	require.Equal(t, map[string]string{
		"MILK/CHOC": "applied: €0.40 off",
		"MILK/MM":   "group 1 needs 2 items, the transaction has 1",
		"MILK/T":    "excluded: the promotion leaves out category choc",
		"DARK/CHOC": "excluded: the promotion leaves out product DARK",
		"DARK/MM":   "excluded: the promotion leaves out item DARK",
		"DARK/T":    "excluded: the promotion leaves out category choc",
	}, reasons)
}

// explained is Explain's reasons by "line name/offer ID", amounts in euros.
func explained(e *pricing.Engine, c *cart.Cart) map[string]string {
	ex := e.Explain(c, c.Active(), c.Started, func(a money.Amount) string { return locale.For("en-IE", "").Money(a, money.EUR) })
	reasons := map[string]string{}
	for _, le := range ex.Lines {
		for _, o := range le.Offers {
			reasons[le.Name+"/"+o.OfferID] = o.Reason
		}
	}
	return reasons
}
