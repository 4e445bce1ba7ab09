package pricing_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/pos/cart"
	"github.com/opentill/opentill/pos/money"
	"github.com/opentill/opentill/pos/pricing"
)

// anchorExampleDiscounts is the discount setup of the anchor's
// "Apply multiple Retail discounts to a product" examples 1 and 2
// (learn.microsoft.com/dynamics365/commerce/apply-multiple-retail-discounts):
// Prod1 $10 and Prod2 $20 have BP1 15 % best price, C1 $1 and C2 10 %
// compound at priority 10; every product has BP2 20 % best price, C3 25 %
// compound and the C4 10 % compound threshold at priority 5.
const anchorExampleDiscounts = `
[[promotion]]
id = "BP1"
name = "BP1 15%"
kind = "discount"
priority = 10
percent = "15"
line = [{product = "Prod1"}, {product = "Prod2"}]
[[promotion]]
id = "BP2"
name = "BP2 20%"
kind = "discount"
priority = 5
percent = "20"
line = [{category = "all"}]
[[promotion]]
id = "C1"
name = "C1 1.00 off"
kind = "discount"
priority = 10
concurrency = "compound"
amount = "1.00"
line = [{product = "Prod1"}, {product = "Prod2"}]
[[promotion]]
id = "C2"
name = "C2 10%"
kind = "discount"
priority = 10
concurrency = "compound"
percent = "10"
line = [{product = "Prod1"}, {product = "Prod2"}]
[[promotion]]
id = "C3"
name = "C3 25%"
kind = "discount"
priority = 5
concurrency = "compound"
percent = "25"
line = [{category = "all"}]
[[promotion]]
id = "C4"
name = "C4 10% threshold"
kind = "threshold"
priority = 5
concurrency = "compound"
tier = [{min_amount = "0.01", percent = "10"}]
`

var anchorExampleCart = []item{{"Prod1", "all", 1000, 1}, {"Prod2", "all", 2000, 1}, {"Prod3", "all", 1000, 1}}

// TestAnchorConcurrencyExamples reproduces both worked examples with the
// anchor's amounts due.
func TestAnchorConcurrencyExamples(t *testing.T) {
	cases := []struct {
		name   string
		model  string
		total  money.Amount
		net    []money.Amount
		promos [][]string
	}{
		{
			// Example 1: C1+C2 (1.90) beat BP1 on Prod1, BP1 (3.00) beats
			// C1+C2 (2.90) on Prod2, C3 beats BP2 on Prod3; the compound
			// threshold C4 compounds on the compound-only items.
			name: "example 1: best price and compound within priority", total: 3104,
			net:    []money.Amount{729, 1700, 675},
			promos: [][]string{{"C1:1.00", "C2:0.90", "C4:0.81"}, {"BP1:3.00"}, {"C3:2.50", "C4:0.75"}},
		},
		{
			// Example 2: BP1 wins priority 10, C3 compounds on it at priority
			// 5 (25 % of 8.50 = 2.125 → 2.13); C4 is skipped on every item,
			// each having a priority 5 discount already.
			name: "example 2: best price only within priority, always compound across", model: "best-price-within-priority-compound-across",
			total: 2662, net: []money.Amount{637, 1275, 750},
			promos: [][]string{{"BP1:1.50", "C3:2.13"}, {"BP1:3.00", "C3:4.25"}, {"C3:2.50"}},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			doc := anchorExampleDiscounts
			if tc.model != "" {
				doc = "concurrency_model = \"" + tc.model + "\"\n" + doc
			}
			c := priceCart(t, mustEngine(t, doc), anchorExampleCart)
			require.Equal(t, tc.promos, promos(c))
			for i, want := range tc.net {
				require.Equal(t, want, c.Lines[i].Net, "line %d", i+1)
			}
			require.Equal(t, tc.total, c.Totals.Total)
		})
	}
}

// TestConcurrencyStages covers the anchor's order within a priority:
// exclusive discounts first, then best price and compound on the rest.
func TestConcurrencyStages(t *testing.T) {
	cases := []struct {
		name  string
		doc   string
		items []item
		total money.Amount
	}{
		{
			name: "an exclusive discount is applied before a larger compound stack",
			doc: `
[[promotion]]
id = "EX"
name = "Exclusive 10 %"
kind = "discount"
concurrency = "exclusive"
percent = "10"
line = [{product = "P"}]
[[promotion]]
id = "C1"
name = "20 %"
kind = "discount"
concurrency = "compound"
percent = "20"
line = [{product = "P"}]
[[promotion]]
id = "C2"
name = "20 % more"
kind = "discount"
concurrency = "compound"
percent = "20"
line = [{product = "P"}]`,
			items: []item{{"P", "c", 10000, 1}},
			total: 9000,
		},
		{
			name: "compound across priorities: an exclusive discount never goes on an item discounted at a higher priority",
			doc: `
concurrency_model = "best-price-within-priority-compound-across"
[[promotion]]
id = "HI"
name = "10 % priority 2"
kind = "discount"
priority = 2
percent = "10"
line = [{product = "P"}]
[[promotion]]
id = "EX"
name = "Exclusive 50 % priority 1"
kind = "discount"
priority = 1
concurrency = "exclusive"
percent = "50"
line = [{product = "P"}]`,
			items: []item{{"P", "c", 10000, 1}},
			total: 9000,
		},
		{
			name: "an exclusive threshold qualifies and discounts only items without a discount",
			doc: `
[[promotion]]
id = "S"
name = "10 % A"
kind = "discount"
percent = "10"
line = [{product = "A"}]
[[promotion]]
id = "T"
name = "Spend 50, 10 % off, exclusive"
kind = "threshold"
concurrency = "exclusive"
tier = [{min_amount = "50.00", percent = "10"}]`,
			items: []item{{"A", "x", 6000, 1}, {"B", "x", 3000, 1}},
			total: 5400 + 3000, // B alone (30.00) does not reach 50.00
		},
		{
			name: "an exclusive deal ends the discounts of its paid items too",
			doc: `
[[promotion]]
id = "MM"
name = "Coat + shirt: shirt free"
kind = "mix-match"
concurrency = "exclusive"
least_expensive = 1
group = [{qty = 1, line = [{product = "COAT"}]}, {qty = 1, line = [{product = "SHIRT"}]}]
[[promotion]]
id = "T"
name = "10 % over 10.00"
kind = "threshold"
tier = [{min_amount = "10.00", percent = "10"}]`,
			items: []item{{"COAT", "x", 12000, 1}, {"SHIRT", "x", 2000, 1}},
			total: 12000,
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := priceCart(t, mustEngine(t, tc.doc), tc.items)
			require.Equal(t, tc.total.String(), c.Totals.Total.String(), "promotions: %v", promos(c))
		})
	}
}

// TestOverlappingGroups fills the groups of a mix-and-match whatever the
// order they are written in: "any product of category X" next to "product
// P2", P2 being in X.
func TestOverlappingGroups(t *testing.T) {
	groups := map[string]string{
		"category first": `group = [{qty = 1, line = [{category = "X"}]}, {qty = 1, line = [{product = "P2"}]}]`,
		"product first":  `group = [{qty = 1, line = [{product = "P2"}]}, {qty = 1, line = [{category = "X"}]}]`,
	}
	carts := []struct {
		name  string
		items []item
		total money.Amount
	}{
		{"P2 dearer", []item{{"P1", "X", 500, 1}, {"P2", "X", 900, 1}}, 1000},
		{"P2 cheaper", []item{{"P1", "X", 900, 1}, {"P2", "X", 500, 1}}, 1000},
		{"two sets from one P2 line", []item{{"P1", "X", 900, 2}, {"P2", "X", 500, 2}}, 2000},
		{"only P2", []item{{"P2", "X", 900, 2}}, 1000},
		{"P2 short", []item{{"P1", "X", 900, 3}, {"P2", "X", 500, 1}}, 1000 + 1800},
	}
	for order, g := range groups {
		e := mustEngine(t, `
[[promotion]]
id = "MM"
name = "Any X with P2 for 10.00"
kind = "mix-match"
deal_price = "10.00"
`+g)
		for _, tc := range carts {
			t.Run(order+"/"+tc.name, func(t *testing.T) {
				c := priceCart(t, e, tc.items)
				require.Equal(t, tc.total.String(), c.Totals.Total.String(), "promotions: %v", promos(c))
			})
		}
	}
}

// TestKeepSameLine covers the anchor's "keep items on the same sales line
// for discount price rounding": on (the default) a discount is rounded once
// per line; off, unit by unit with the remainder on the last unit.
func TestKeepSameLine(t *testing.T) {
	set := `
[[promotion]]
id = "Q"
name = "3 for 10.00 off"
kind = "mix-match"
amount = "10.00"
group = [{qty = 3, line = [{product = "A"}]}]`
	pct := `
[[promotion]]
id = "P"
name = "10 %"
kind = "discount"
percent = "10"
line = [{product = "B"}]`
	t.Run("kept on the line", func(t *testing.T) {
		c := priceCart(t, mustEngine(t, set+pct), []item{{"A", "c", 1000, 3}, {"B", "c", 95, 3}})
		require.Equal(t, [][]string{{"Q:10.00"}, {"P:0.29"}}, promos(c)) // 10 % of 2.85 = 0.285 → 0.29
		require.Empty(t, c.Lines[0].Promotions[0].Units)
	})
	t.Run("split per unit", func(t *testing.T) {
		c := priceCart(t, mustEngine(t, "keep_same_line = false\n"+set+pct), []item{{"A", "c", 1000, 3}, {"B", "c", 95, 3}})
		require.Equal(t, [][]string{{"Q:10.00"}, {"P:0.30"}}, promos(c)) // 0.095 → 0.10 per unit
		require.Equal(t, []money.Amount{333, 333, 334}, c.Lines[0].Promotions[0].Units)
		require.Equal(t, []money.Amount{10, 10, 10}, c.Lines[1].Promotions[0].Units)
		require.Equal(t, money.Amount(2000+285-30), c.Totals.Total)
	})
}

// TestTenderDiscounts: paying by a tender type or card brand discounts the
// qualifying items after every other discount, in the share of the sale
// the tender pays.
func TestTenderDiscounts(t *testing.T) {
	e := mustEngine(t, `
[[promotion]]
id = "S"
name = "10 % A"
kind = "discount"
percent = "10"
line = [{product = "A"}]
[[promotion]]
id = "CARD"
name = "Pay by card: 5 %"
kind = "tender"
tender_types = ["card"]
percent = "5"
[[promotion]]
id = "VISA"
name = "Visa: 3.00 off food"
kind = "tender"
card_brands = ["visa"]
amount = "3.00"
min_amount = "20.00"
line = [{category = "food"}]`)
	items := []item{{"A", "food", 2000, 1}, {"B", "toys", 1000, 1}}
	cases := []struct {
		name  string
		edit  func(*cart.Cart)
		total money.Amount
	}{
		{"no tender", nil, 1800 + 1000},
		{"cash", func(c *cart.Cart) { c.PayingWith = "cash" }, 2800},
		{"about to pay by card", func(c *cart.Cart) { c.PayingWith = "card" }, 2800 - 90 - 50},
		{"a card on the cart that paid it all", func(c *cart.Cart) {
			c.Tenders = []cart.Tender{{No: 1, TypeID: "card", Kind: cart.Card, Amount: 2660}}
		}, 2800 - 140},
		{"a card on the cart that paid a part earns its share", func(c *cart.Cart) {
			// 13.30 by card at 5 % covers 14.00 of 28.00: half the 1.40
			c.Tenders = []cart.Tender{{No: 1, TypeID: "card", Kind: cart.Card, Amount: 1330}}
		}, 2800 - 70},
		{"a voided card no longer counts", func(c *cart.Cart) {
			c.Tenders = []cart.Tender{{No: 1, TypeID: "card", Kind: cart.Card, Amount: 100, Voided: true}}
		}, 2800},
		{"visa below the food minimum", func(c *cart.Cart) {
			c.Tenders = []cart.Tender{{No: 1, TypeID: "other", Kind: cart.Card, Card: &cart.CardInfo{Brand: "VISA"}}}
		}, 2800},
		{"visa and card: the best wins", func(c *cart.Cart) {
			c.Lines[0].Qty *= 2
			c.Tenders = []cart.Tender{{No: 1, TypeID: "card", Kind: cart.Card, Amount: 4300, Card: &cart.CardInfo{Brand: "Visa"}}}
		}, 3600 + 1000 - 300}, // 3.00 off beats 5 % (2.30)
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var edits []func(*cart.Cart)
			if tc.edit != nil {
				edits = append(edits, tc.edit)
			}
			c := priceCart(t, e, items, edits...)
			require.Equal(t, tc.total.String(), c.Totals.Total.String(), "promotions: %v", promos(c))
		})
	}
}

// TestCatalogPriceUnit: a catalog price is for its price unit (10.00 per
// 50 units is 0.20 each), as a trade agreement's is; an agreement that
// applies prices one unit; an override is the price of one unit.
func TestCatalogPriceUnit(t *testing.T) {
	e := mustEngine(t, `
store_price_groups = ["R"]
[[price_group]]
id = "R"
[[trade_agreement]]
price_group = "R"
product = "SCREW"
price = "0.15"
min_qty = "100"
[[promotion]]
id = "P"
name = "10 %"
kind = "discount"
percent = "10"
line = [{product = "SCREW"}]`)
	mk := func(qty int) *cart.Cart {
		c := newCart([]item{{"SCREW", "hw", 1000, qty}})
		c.Lines[0].PriceUnit = 50 * 1000
		return c
	}
	c := mk(3)
	require.NoError(t, c.Reprice(testPricing(e, c.Started)))
	require.Equal(t, money.Amount(60), c.Lines[0].Gross, "3 × 10.00 / 50")
	require.Equal(t, money.Amount(54), c.Totals.Total)
	c = mk(7) // 7 × 0.20 = 1.40
	require.NoError(t, c.Reprice(testPricing(nil, c.Started)))
	require.Equal(t, money.Amount(140), c.Lines[0].Gross, "no engine: still per 50")
	c = mk(100)
	require.NoError(t, c.Reprice(testPricing(e, c.Started)))
	require.Equal(t, money.Amount(1500), c.Lines[0].Gross, "the agreement from 100 units: 0.15 each")
	require.Zero(t, c.Lines[0].PricedPer)
	c = mk(2)
	c.Lines[0].Overridden, c.Lines[0].UnitPrice = true, 25
	require.NoError(t, c.Reprice(testPricing(nil, c.Started)))
	require.Equal(t, money.Amount(50), c.Lines[0].Gross, "an override is per unit")
}

// TestLeastExpensiveFavorRetailer is the anchor's "least expensive, favor
// retailer" mix-and-match, with the example of its designer (Retail
// Discount Design – Mix and Match Discount II, 2017): buy one, get the
// least expensive one 50 % off, on items of 20, 30, 70 and 80. Favouring
// the customer the sets are (80, 70) and (30, 20): 35 + 10 off; favouring
// the retailer the most expensive go with the cheapest, (80, 20) and (70,
// 30): 10 + 15 off.
func TestLeastExpensiveFavorRetailer(t *testing.T) {
	doc := func(favor bool, size, n int) string {
		return fmt.Sprintf(`
[[promotion]]
id = "B1G1"
name = "B1G1 50%%"
kind = "mix-match"
least_expensive = %d
percent = "50"
favor_retailer = %v
group = [{qty = %d, line = [{category = "shoes"}]}]`, n, favor, size)
	}
	items := []item{{"P20", "shoes", 2000, 1}, {"P30", "shoes", 3000, 1}, {"P70", "shoes", 7000, 1}, {"P80", "shoes", 8000, 1}}
	for name, tc := range map[string]struct {
		favor bool
		size  int
		n     int
		items []item
		want  [][]string
	}{
		"favor the customer": {false, 2, 1, items, [][]string{{"B1G1:10.00"}, nil, {"B1G1:35.00"}, nil}},
		"favor the retailer": {true, 2, 1, items, [][]string{{"B1G1:10.00"}, {"B1G1:15.00"}, nil, nil}},
		// Buy three, the cheapest free, six items: the two cheapest are free.
		"three for two": {true, 3, 1, []item{{"A", "shoes", 1000, 1}, {"B", "shoes", 900, 1}, {"C", "shoes", 800, 1}, {"D", "shoes", 700, 1}, {"E", "shoes", 600, 2}},
			[][]string{nil, nil, nil, nil, {"B1G1:6.00"}}},
		"three for two, one left over": {true, 3, 1, []item{{"A", "shoes", 1000, 3}, {"B", "shoes", 500, 4}},
			[][]string{nil, {"B1G1:5.00"}}},
		"two of four": {true, 4, 2, []item{{"A", "shoes", 1000, 4}, {"B", "shoes", 400, 2}, {"C", "shoes", 300, 2}},
			[][]string{nil, {"B1G1:4.00"}, {"B1G1:3.00"}}},
	} {
		t.Run(name, func(t *testing.T) {
			c := priceCart(t, mustEngine(t, doc(tc.favor, tc.size, tc.n)), tc.items)
			assert.Equal(t, tc.want, promos(c))
		})
	}
}

func TestFavorRetailerBelongsToALeastExpensiveMixAndMatchOfOneGroup(t *testing.T) {
	for name, doc := range map[string]string{
		"not least expensive": `[[promotion]]
id = "X"
name = "x"
kind = "mix-match"
percent = "10"
favor_retailer = true
group = [{qty = 2, line = [{category = "c"}]}]`,
		"two groups": `[[promotion]]
id = "X"
name = "x"
kind = "mix-match"
least_expensive = 1
favor_retailer = true
group = [{qty = 1, line = [{category = "c"}]}, {qty = 1, line = [{category = "d"}]}]`,
		"a discount": `[[promotion]]
id = "X"
name = "x"
kind = "discount"
percent = "10"
favor_retailer = true
line = [{category = "c"}]`,
	} {
		t.Run(name, func(t *testing.T) {
			_, err := pricing.Decode(strings.NewReader(doc), 2)
			require.Error(t, err)
			assert.Contains(t, err.Error(), "favor_retailer belongs to a least-expensive mix-and-match of one group")
		})
	}
}

// TestExclusiveThresholdCompetes is the anchor's "enable competition
// between exclusive threshold and other periodic discounts": off, an
// exclusive threshold only comes after every other kind, on the items
// without a discount; on, it competes at its priority with the exclusive
// discounts, and when it wins it is not evaluated again.
func TestExclusiveThresholdCompetes(t *testing.T) {
	doc := func(compete bool, simplePct, thresholdPct string, simplePrio int) string {
		return fmt.Sprintf(`exclusive_threshold_competes = %v
[[promotion]]
id = "S"
name = "A off"
kind = "discount"
concurrency = "exclusive"
priority = %d
percent = "%s"
line = [{product = "A"}]
[[promotion]]
id = "T"
name = "over 50"
kind = "threshold"
concurrency = "exclusive"
priority = 1
tier = [{min_amount = "50.00", percent = "%s"}]`, compete, simplePrio, simplePct, thresholdPct)
	}
	a := item{"A", "c", 10000, 1}
	b := item{"B", "c", 3000, 1}
	for name, tc := range map[string]struct {
		compete    bool
		simple, th string
		prio       int
		items      []item
		want       [][]string
	}{
		"off: the exclusive discount, then nothing": {false, "10", "20", 1, []item{a}, [][]string{{"S:10.00"}}},
		"on: the threshold is better":               {true, "10", "20", 1, []item{a}, [][]string{{"T:20.00"}}},
		"on: the exclusive discount is better":      {true, "50", "10", 1, []item{a}, [][]string{{"S:50.00"}}},
		// Off, B alone (30.00) does not reach the threshold; on, A and B do.
		"off: what is left does not qualify": {false, "10", "15", 1, []item{a, b}, [][]string{{"S:10.00"}, nil}},
		"on: both qualify together":          {true, "10", "15", 1, []item{a, b}, [][]string{{"T:15.00"}, {"T:4.50"}}},
		// Priorities still apply: a discount of a higher priority is not
		// competed with.
		"on: another priority": {true, "10", "20", 2, []item{a}, [][]string{{"S:10.00"}}},
	} {
		t.Run(name, func(t *testing.T) {
			c := priceCart(t, mustEngine(t, doc(tc.compete, tc.simple, tc.th, tc.prio)), tc.items)
			assert.Equal(t, tc.want, promos(c))
		})
	}
}
