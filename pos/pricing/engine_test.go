package pricing_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/pos/cart"
	"github.com/opentill/opentill/pos/money"
)

// TestWorkedExamples reproduces the engine rules of the anchor's discount
// documentation (reference §1.4: Apply-multiple-retail-discounts,
// optimal-combination-overlapping-discounts, price-settings,
// retail-discounts-overview) with hand-computed totals.
func TestWorkedExamples(t *testing.T) {
	cases := []struct {
		name   string
		doc    string
		items  []item
		edit   func(*cart.Cart)
		total  money.Amount
		promos [][]string // per active line; nil = not checked
	}{
		{
			name: "compound on the running price: 10 % then 20 % on 100 gives 72",
			doc: `
[[promotion]]
id = "A"
name = "Ten off"
kind = "discount"
concurrency = "compound"
percent = "10"
line = [{product = "P"}]
[[promotion]]
id = "B"
name = "Twenty off"
kind = "discount"
concurrency = "compound"
percent = "20"
line = [{product = "P"}]`,
			items:  []item{{"P", "c", 10000, 1}},
			total:  7200,
			promos: [][]string{{"A:10.00", "B:18.00"}},
		},
		{
			name: "compound on the original price gives 70",
			doc: `
compound_on = "original"
[[promotion]]
id = "A"
name = "Ten off"
kind = "discount"
concurrency = "compound"
percent = "10"
line = [{product = "P"}]
[[promotion]]
id = "B"
name = "Twenty off"
kind = "discount"
concurrency = "compound"
percent = "20"
line = [{product = "P"}]`,
			items: []item{{"P", "c", 10000, 1}},
			total: 7000,
		},
		{
			name: "compounding order: deal price, then amount off, then percent off",
			doc: `
[[promotion]]
id = "PCT"
name = "10 %"
kind = "discount"
concurrency = "compound"
percent = "10"
line = [{product = "P"}]
[[promotion]]
id = "AMT"
name = "5 off"
kind = "discount"
concurrency = "compound"
amount = "5.00"
line = [{product = "P"}]
[[promotion]]
id = "DEAL"
name = "Deal 80"
kind = "discount"
concurrency = "compound"
deal_price = "80.00"
line = [{product = "P"}]`,
			items:  []item{{"P", "c", 10000, 1}},
			total:  6750, // 100 → 80 → 75 → 67.50
			promos: [][]string{{"DEAL:20.00", "AMT:5.00", "PCT:7.50"}},
		},
		{
			name: "best price: the larger of 10 % and 15.00 off wins",
			doc: `
[[promotion]]
id = "PCT"
name = "10 %"
kind = "discount"
percent = "10"
line = [{category = "c"}]
[[promotion]]
id = "AMT"
name = "15 off"
kind = "discount"
amount = "15.00"
line = [{product = "P"}]`,
			items:  []item{{"P", "c", 10000, 1}, {"Q", "c", 20000, 1}},
			total:  8500 + 18000,
			promos: [][]string{{"AMT:15.00"}, {"PCT:20.00"}},
		},
		{
			name: "compound set competes against the best-price discount",
			doc: `
[[promotion]]
id = "BEST"
name = "25 %"
kind = "discount"
percent = "25"
line = [{product = "P"}]
[[promotion]]
id = "C1"
name = "10 %"
kind = "discount"
concurrency = "compound"
percent = "10"
line = [{product = "P"}]
[[promotion]]
id = "C2"
name = "20 %"
kind = "discount"
concurrency = "compound"
percent = "20"
line = [{product = "P"}]`,
			items:  []item{{"P", "c", 10000, 1}},
			total:  7200, // compounded 28 % beats 25 %
			promos: [][]string{{"C1:10.00", "C2:18.00"}},
		},
		{
			name: "exclusive wins over a compound stack that is smaller",
			doc: `
[[promotion]]
id = "EX"
name = "Exclusive 30 %"
kind = "discount"
concurrency = "exclusive"
percent = "30"
line = [{product = "P"}]
[[promotion]]
id = "C1"
name = "10 %"
kind = "discount"
concurrency = "compound"
percent = "10"
line = [{product = "P"}]
[[promotion]]
id = "C2"
name = "20 %"
kind = "discount"
concurrency = "compound"
percent = "20"
line = [{product = "P"}]`,
			items:  []item{{"P", "c", 10000, 1}},
			total:  7000,
			promos: [][]string{{"EX:30.00"}},
		},
		{
			name: "default model: a higher priority wins and lower priorities never compound",
			doc: `
[[promotion]]
id = "HI"
name = "10 % priority 2"
kind = "discount"
priority = 2
concurrency = "compound"
percent = "10"
line = [{product = "P"}]
[[promotion]]
id = "LO"
name = "20 % priority 1"
kind = "discount"
priority = 1
concurrency = "compound"
percent = "20"
line = [{product = "P"}]`,
			items:  []item{{"P", "c", 10000, 1}},
			total:  9000,
			promos: [][]string{{"HI:10.00"}},
		},
		{
			name: "always compound across priorities: 10 % at priority 2, then 20 % at priority 1",
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
id = "LO"
name = "20 % priority 1"
kind = "discount"
priority = 1
percent = "20"
line = [{product = "P"}]`,
			items:  []item{{"P", "c", 10000, 1}},
			total:  7200,
			promos: [][]string{{"HI:10.00", "LO:18.00"}},
		},
		{
			name: "compound across priorities stops at an exclusive discount",
			doc: `
concurrency_model = "best-price-within-priority-compound-across"
[[promotion]]
id = "HI"
name = "Exclusive 10 %"
kind = "discount"
priority = 2
concurrency = "exclusive"
percent = "10"
line = [{product = "P"}]
[[promotion]]
id = "LO"
name = "20 % priority 1"
kind = "discount"
priority = 1
percent = "20"
line = [{product = "P"}]`,
			items: []item{{"P", "c", 10000, 1}},
			total: 9000,
		},
		{
			// "Retail Discount Concurrency Control – Differences with Examples"
			// (Dynamics retail blog), example 1: A 10 % and B 20 % compounded at
			// priority 99, C 15 % compounded at priority 0.
			name:  "blog example 1, pricing zone: A and B compound, C is not applied",
			doc:   blogOffers(""),
			items: []item{{"P", "c", 10000, 1}},
			total: 7200,
		},
		{
			name:   "blog example 1, compete within priority and compound across: B wins, then C",
			doc:    blogOffers(`concurrency_model = "best-price-within-priority-compound-across"`),
			items:  []item{{"P", "c", 10000, 1}},
			total:  6800,
			promos: [][]string{{"B:20.00", "C:12.00"}},
		},
		{
			name:   "blog example 2, pricing zone: best price D 35 % beats A+B; C is not applied",
			doc:    blogOffers("") + blogD,
			items:  []item{{"P", "c", 10000, 1}},
			total:  6500,
			promos: [][]string{{"D:35.00"}},
		},
		{
			name:   "blog example 2, compete within priority and compound across: D wins, then C",
			doc:    blogOffers(`concurrency_model = "best-price-within-priority-compound-across"`) + blogD,
			items:  []item{{"P", "c", 10000, 1}},
			total:  5525,
			promos: [][]string{{"D:35.00", "C:9.75"}},
		},
		{
			name: "a compounded threshold compounds on compounded discounts of another priority",
			doc: `
[[promotion]]
id = "S"
name = "10 % priority 5"
kind = "discount"
priority = 5
concurrency = "compound"
percent = "10"
line = [{product = "A"}]
[[promotion]]
id = "T"
name = "Spend 50, 5 off"
kind = "threshold"
concurrency = "compound"
tier = [{min_amount = "50.00", amount = "5.00"}]`,
			items:  []item{{"A", "x", 6000, 1}},
			total:  5400 - 500,
			promos: [][]string{{"S:6.00", "T:5.00"}},
		},
		{
			name: "compound across priorities: a best-price threshold compounds on a discount of another priority",
			doc: `
concurrency_model = "best-price-within-priority-compound-across"
[[promotion]]
id = "S"
name = "10 % A"
kind = "discount"
priority = 2
percent = "10"
line = [{product = "A"}]
[[promotion]]
id = "T"
name = "Spend 50, 10 % off"
kind = "threshold"
priority = 1
tier = [{min_amount = "50.00", percent = "10"}]`,
			items: []item{{"A", "x", 6000, 1}},
			total: 4860,
		},
		{
			// Apply-multiple-retail-discounts, example 2, step 6: only one
			// discount per item and priority in this model.
			name: "compound across priorities: a threshold skips items discounted at its own priority",
			doc: `
concurrency_model = "best-price-within-priority-compound-across"
[[promotion]]
id = "S"
name = "10 % A"
kind = "discount"
percent = "10"
line = [{product = "A"}]
[[promotion]]
id = "T"
name = "Spend 50, 10 % off"
kind = "threshold"
concurrency = "compound"
tier = [{min_amount = "50.00", percent = "10"}]`,
			items:  []item{{"A", "x", 6000, 1}, {"B", "x", 1000, 1}},
			total:  5400 + 900,
			promos: [][]string{{"S:6.00"}, {"T:1.00"}},
		},
		{
			name: "price group priority decides the promotion's priority",
			doc: `
store_price_groups = ["STORE", "CLUB"]
[[price_group]]
id = "STORE"
priority = 1
[[price_group]]
id = "CLUB"
priority = 5
[[promotion]]
id = "S"
name = "Store 30 %"
kind = "discount"
price_groups = ["STORE"]
percent = "30"
line = [{product = "P"}]
[[promotion]]
id = "C"
name = "Club 10 %"
kind = "discount"
price_groups = ["CLUB"]
percent = "10"
line = [{product = "P"}]`,
			items: []item{{"P", "c", 10000, 1}},
			total: 9000, // the club's priority 5 is evaluated first and blocks the lower one
		},
		{
			name: "include and exclude lines: exclude wins",
			doc: `
[[promotion]]
id = "CAT"
name = "Dairy 50 %"
kind = "discount"
percent = "50"
line = [{category = "dairy"}, {product = "BUTTER", exclude = true}]`,
			items:  []item{{"MILK", "dairy", 200, 1}, {"BUTTER", "dairy", 300, 1}},
			total:  100 + 300,
			promos: [][]string{{"CAT:1.00"}, nil},
		},
		{
			name: "a simple discount line carries its own method",
			doc: `
[[promotion]]
id = "M"
name = "Mixed lines"
kind = "discount"
percent = "10"
line = [{product = "A"}, {product = "B", deal_price = "1.00"}, {product = "C", amount = "0.50"}]`,
			items: []item{{"A", "c", 1000, 2}, {"B", "c", 300, 3}, {"C", "c", 200, 1}},
			total: 1800 + 300 + 150,
		},
		{
			name: "half away from zero: 12.5 % of 17.00 is 2.13",
			doc: `
[[promotion]]
id = "H"
name = "12.5 %"
kind = "discount"
percent = "12.5"
line = [{product = "P"}]`,
			items: []item{{"P", "c", 1700, 1}},
			total: 1700 - 213,
		},
		{
			name: "quantity tiers per line: 3 for 10 %, 6 for 20 %",
			doc: `
[[promotion]]
id = "Q"
name = "Buy more save more"
kind = "quantity"
line = [{category = "c"}]
tier = [{min_qty = "3", percent = "10"}, {min_qty = "6", percent = "20"}]`,
			items:  []item{{"A", "c", 500, 4}, {"B", "c", 500, 6}, {"C", "c", 500, 2}},
			total:  1800 + 2400 + 1000,
			promos: [][]string{{"Q:2.00"}, {"Q:6.00"}, nil},
		},
		{
			name: "quantity tiers mixed across products",
			doc: `
[[promotion]]
id = "Q"
name = "Any 3 for 10 %"
kind = "quantity"
mixed = true
line = [{category = "c"}]
tier = [{min_qty = "3", percent = "10"}]`,
			items: []item{{"A", "c", 500, 2}, {"B", "c", 1000, 1}},
			total: 900 + 900,
		},
		{
			name: "quantity deal price per unit from 3",
			doc: `
[[promotion]]
id = "Q"
name = "3+ at 4.00"
kind = "quantity"
line = [{product = "A"}]
tier = [{min_qty = "3", deal_price = "4.00"}]`,
			items: []item{{"A", "c", 500, 3}},
			total: 1200,
		},
		{
			name: "keep items on one line: 10.00 off 3 units is one amount, not 3.33 × 3",
			doc: `
[[promotion]]
id = "Q"
name = "3 for 5.00 off"
kind = "mix-match"
amount = "10.00"
group = [{qty = 3, line = [{product = "A"}]}]`,
			items:  []item{{"A", "c", 1000, 3}},
			total:  2000,
			promos: [][]string{{"Q:10.00"}},
		},
		{
			name: "mix and match: one from A and two from B for a deal price",
			doc: `
[[promotion]]
id = "MM"
name = "Lunch deal"
kind = "mix-match"
deal_price = "5.00"
[[promotion.group]]
name = "main"
qty = 1
line = [{category = "sandwich"}]
[[promotion.group]]
name = "sides"
qty = 2
line = [{category = "snack"}]`,
			items: []item{{"S", "sandwich", 400, 1}, {"K", "snack", 150, 1}, {"D", "snack", 200, 1}},
			total: 500,
		},
		{
			name: "least expensive free: the sets favour the customer (10+8, 6+4 → 8 and 4 free)",
			doc: `
[[promotion]]
id = "B2"
name = "Buy 2, cheaper free"
kind = "mix-match"
least_expensive = 1
group = [{qty = 2, line = [{category = "c"}]}]`,
			items: []item{{"A", "c", 1000, 1}, {"B", "c", 400, 1}, {"C", "c", 800, 1}, {"D", "c", 600, 1}},
			total: 2800 - 1200,
		},
		{
			name: "least expensive spread over the set",
			doc: `
distribute_least_expensive = true
[[promotion]]
id = "B2"
name = "Buy 2, cheaper free"
kind = "mix-match"
least_expensive = 1
group = [{qty = 2, line = [{category = "c"}]}]`,
			items:  []item{{"A", "c", 1000, 1}, {"B", "c", 600, 1}},
			total:  1000,
			promos: [][]string{{"B2:3.75"}, {"B2:2.25"}},
		},
		{
			name: "optimal combination: skipping the first deal lets a better one apply",
			doc: `
[[promotion]]
id = "AB"
name = "A+B for 15"
kind = "mix-match"
deal_price = "15.00"
group = [{qty = 1, line = [{product = "A"}]}, {qty = 1, line = [{product = "B"}]}]
[[promotion]]
id = "AC"
name = "A+C for 12"
kind = "mix-match"
deal_price = "12.00"
group = [{qty = 1, line = [{product = "A"}]}, {qty = 1, line = [{product = "C"}]}]`,
			items: []item{{"A", "x", 1000, 1}, {"B", "x", 1000, 1}, {"C", "x", 1000, 1}},
			total: 1200 + 1000,
		},
		{
			name: "optimal combination: fill a set with the units no other deal wants",
			doc: `
[[promotion]]
id = "ANY2"
name = "Any 2 for 15"
kind = "mix-match"
deal_price = "15.00"
group = [{qty = 2, line = [{product = "A"}, {product = "B"}]}]
[[promotion]]
id = "BC"
name = "B+C for 12"
kind = "mix-match"
deal_price = "12.00"
group = [{qty = 1, line = [{product = "B"}]}, {qty = 1, line = [{product = "C"}]}]`,
			items: []item{{"A", "x", 1000, 2}, {"B", "x", 1000, 1}, {"C", "x", 1000, 1}},
			total: 1500 + 1200,
		},
		{
			name: "a simple discount beats a set when it is worth more",
			doc: `
[[promotion]]
id = "SET"
name = "2 for 18"
kind = "mix-match"
deal_price = "18.00"
group = [{qty = 2, line = [{product = "A"}]}]
[[promotion]]
id = "HALF"
name = "Half price"
kind = "discount"
percent = "50"
line = [{product = "A"}]`,
			items: []item{{"A", "x", 1000, 2}},
			total: 1000,
		},
		{
			name: "count non-discountable items toward a set without discounting them",
			doc: `
count_non_discountable = true
[[promotion]]
id = "MM"
name = "Buy B, A half price"
kind = "mix-match"
least_expensive = 1
percent = "50"
group = [{qty = 1, line = [{product = "A"}]}, {qty = 1, line = [{product = "B"}]}]`,
			items: []item{{"A", "x", 400, 1}, {"B", "x", 1000, 1}},
			edit:  func(c *cart.Cart) { c.Lines[1].Flags.NoDiscount = true },
			total: 200 + 1000,
		},
		{
			name: "threshold tiers: spend 50 get 5 off, spend 100 get 15 off",
			doc: `
[[promotion]]
id = "T"
name = "Spend and save"
kind = "threshold"
tier = [{min_amount = "50.00", amount = "5.00"}, {min_amount = "100.00", amount = "15.00"}]`,
			items: []item{{"A", "x", 3000, 2}, {"B", "x", 4500, 1}},
			total: 10500 - 1500,
		},
		{
			name: "threshold evaluated last on the discounted price; a compound threshold stacks on compound discounts",
			doc: `
[[promotion]]
id = "S"
name = "10 % shirts"
kind = "discount"
concurrency = "compound"
percent = "10"
line = [{product = "A"}]
[[promotion]]
id = "T"
name = "Spend 50, 5 off"
kind = "threshold"
concurrency = "compound"
tier = [{min_amount = "50.00", amount = "5.00"}]`,
			items:  []item{{"A", "x", 3000, 2}},
			total:  5400 - 500,
			promos: [][]string{{"S:6.00", "T:5.00"}},
		},
		{
			name: "a best-price threshold does not stack on discounted items but counts them",
			doc: `
[[promotion]]
id = "S"
name = "10 % A"
kind = "discount"
percent = "10"
line = [{product = "A"}]
[[promotion]]
id = "T"
name = "Spend 50, 10 % off"
kind = "threshold"
tier = [{min_amount = "50.00", percent = "10"}]`,
			items:  []item{{"A", "x", 3000, 1}, {"B", "x", 2500, 1}},
			total:  2700 + 2250,
			promos: [][]string{{"S:3.00"}, {"T:2.50"}},
		},
		{
			name: "coupon: no code, no discount",
			doc: `
[[promotion]]
id = "CP"
name = "Coupon 20 %"
kind = "discount"
coupons = ["SAVE20"]
percent = "20"
line = [{product = "A"}]`,
			items: []item{{"A", "x", 1000, 1}},
			total: 1000,
		},
		{
			name: "coupon: with the code (any case)",
			doc: `
[[promotion]]
id = "CP"
name = "Coupon 20 %"
kind = "discount"
coupons = ["SAVE20", "9912345000019"]
percent = "20"
line = [{product = "A"}]`,
			items: []item{{"A", "x", 1000, 1}},
			edit:  func(c *cart.Cart) { c.Coupons = []string{"save20"} },
			total: 800,
		},
		{
			name: "validity dates: an expired promotion does not apply",
			doc: `
time_zone = "Europe/Berlin"
[[promotion]]
id = "OLD"
name = "Last week"
kind = "discount"
to = "2026-11-26"
percent = "20"
line = [{product = "A"}]
[[promotion]]
id = "SOON"
name = "From noon Berlin time"
kind = "discount"
from = "2026-11-27T12:00"
percent = "30"
line = [{product = "A"}]`,
			items: []item{{"A", "x", 1000, 1}}, // priced 10:00 UTC = 11:00 Berlin
			total: 1000,
		},
		{
			name: "validity dates: started in the store's time zone",
			doc: `
time_zone = "Europe/Berlin"
[[promotion]]
id = "NOW"
name = "From 11:00 Berlin time"
kind = "discount"
from = "2026-11-27T11:00"
to = "2026-11-27"
percent = "30"
line = [{product = "A"}]`,
			items: []item{{"A", "x", 1000, 1}},
			total: 700,
		},
		{
			name: "overridden prices get no promotion by default",
			doc: `
[[promotion]]
id = "P"
name = "10 %"
kind = "discount"
percent = "10"
line = [{product = "A"}]`,
			items: []item{{"A", "x", 1000, 1}, {"A", "x", 1000, 1}},
			edit:  func(c *cart.Cart) { c.Lines[1].Overridden = true; c.Lines[1].UnitPrice = 800 },
			total: 900 + 800,
		},
		{
			name: "overridden prices with apply_to_price_overrides",
			doc: `
apply_to_price_overrides = true
[[promotion]]
id = "P"
name = "10 %"
kind = "discount"
percent = "10"
line = [{product = "A"}]`,
			items: []item{{"A", "x", 1000, 1}},
			edit:  func(c *cart.Cart) { c.Lines[0].Overridden = true; c.Lines[0].UnitPrice = 800 },
			total: 720,
		},
		{
			name: "a manual line discount compounds on the price after promotions",
			doc: `
[[promotion]]
id = "P"
name = "10 %"
kind = "discount"
percent = "10"
line = [{product = "A"}]`,
			items: []item{{"A", "x", 1000, 1}},
			edit:  func(c *cart.Cart) { c.Lines[0].Discount = cart.Discount{Percent: 5000} },
			total: 450,
		},
		{
			name: "manual discounts exclusive: a manually discounted line gets no promotion",
			doc: `
manual_discounts = "exclusive"
[[promotion]]
id = "P"
name = "10 %"
kind = "discount"
percent = "10"
line = [{product = "A"}]`,
			items: []item{{"A", "x", 1000, 1}},
			edit:  func(c *cart.Cart) { c.Lines[0].Discount = cart.Discount{Percent: 5000} },
			total: 500,
		},
		{
			name: "weighed items take percent and per-kilogram discounts",
			doc: `
[[promotion]]
id = "KG"
name = "1.00 off per kg"
kind = "discount"
amount = "1.00"
line = [{product = "CHEESE"}]`,
			items: []item{{"CHEESE", "x", 1890, -500}},
			total: 945 - 50,
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := mustEngine(t, tc.doc)
			var edits []func(*cart.Cart)
			if tc.edit != nil {
				edits = append(edits, tc.edit)
			}
			c := priceCart(t, e, tc.items, edits...)
			require.Equal(t, tc.total.String(), c.Totals.Total.String(), "promotions: %v", promos(c))
			if tc.promos != nil {
				require.Equal(t, tc.promos, promos(c))
			}
		})
	}
}

// TestTradeAgreements covers price groups of the store, customer groups and
// customers, quantity breaks, price units and validity dates.
func TestTradeAgreements(t *testing.T) {
	doc := `
time_zone = "America/New_York"
store_price_groups = ["RETAIL"]
[[price_group]]
id = "RETAIL"
priority = 1
[[price_group]]
id = "VIP"
priority = 10
[[price_group]]
id = "ONE"
priority = 5
[[customer_group]]
id = "members"
price_groups = ["VIP"]
[[customer]]
id = "C1"
groups = ["members"]
[[customer]]
id = "C2"
price_groups = ["ONE"]
[[trade_agreement]]
price_group = "RETAIL"
product = "A"
price = "9.00"
[[trade_agreement]]
price_group = "RETAIL"
product = "A"
price = "8.00"
min_qty = "6"
[[trade_agreement]]
price_group = "VIP"
product = "A"
price = "9.50"
[[trade_agreement]]
price_group = "ONE"
item = "A"
price = "10.00"
price_unit = "50"
[[trade_agreement]]
price_group = "RETAIL"
product = "B"
price = "1.00"
from = "2026-11-27T06:00"
to = "2026-11-27T09:00"
`
	e := mustEngine(t, doc)
	at := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC) // 07:00 in New York
	cases := []struct {
		name     string
		customer string
		id       string
		qty      int
		at       time.Time
		want     money.Amount
		ok       bool
	}{
		{"store price group", "", "A", 1, at, 900, true},
		{"quantity break", "", "A", 6, at, 800, true},
		{"higher priority wins even when dearer", "C1", "A", 6, at, 950, true},
		{"price unit divides the price", "C2", "A", 1, at, 20, true},
		{"valid in the store's time zone", "", "B", 1, at, 100, true},
		{"expired in the store's time zone", "", "B", 1, at.Add(3 * time.Hour), 0, false},
		{"no agreement", "", "Z", 1, at, 0, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := newCart([]item{{tc.id, "x", 1234, tc.qty}})
			c.Customer = tc.customer
			p, ok := e.UnitPrice(c, &c.Lines[0], tc.at)
			require.Equal(t, tc.ok, ok)
			require.Equal(t, tc.want, p)
		})
	}
	// Through Reprice: the trade price replaces the list price; back when the break is lost.
	c := newCart([]item{{"A", "x", 1234, 6}})
	require.NoError(t, c.Reprice(testPricing(e, at)))
	require.Equal(t, money.Amount(4800), c.Totals.Total)
	c.Lines[0].Qty = 2000
	require.NoError(t, c.Reprice(testPricing(e, at)))
	require.Equal(t, money.Amount(1800), c.Totals.Total)
	c.Lines[0].ProductID, c.Lines[0].ItemID = "Z", "Z"
	require.NoError(t, c.Reprice(testPricing(e, at)))
	require.Equal(t, money.Amount(2468), c.Totals.Total, "no agreement: the catalog price")
}

// TestSearchBudget checks that a tiny budget still gives the best single
// promotion and a full budget the optimum.
func TestSearchBudget(t *testing.T) {
	doc := `
[[promotion]]
id = "AB"
name = "A+B for 15"
kind = "mix-match"
deal_price = "15.00"
group = [{qty = 1, line = [{product = "A"}]}, {qty = 1, line = [{product = "B"}]}]
[[promotion]]
id = "AC"
name = "A+C for 12"
kind = "mix-match"
deal_price = "12.00"
group = [{qty = 1, line = [{product = "A"}]}, {qty = 1, line = [{product = "C"}]}]`
	items := []item{{"A", "x", 1000, 1}, {"B", "x", 1000, 1}, {"C", "x", 1000, 1}}
	e := mustEngine(t, doc)
	e.SetSearchNodes(1)
	require.Equal(t, money.Amount(2200), priceCart(t, e, items).Totals.Total, "the best single promotion is a floor even without a search")
	e.SetSearchNodes(0)
	require.Equal(t, money.Amount(2200), priceCart(t, e, items).Totals.Total, "optimal")
}

// TestThresholdExcludeOnly checks a threshold over every item but some.
func TestThresholdExcludeOnly(t *testing.T) {
	e := mustEngine(t, `
[[promotion]]
id = "T"
name = "10 % over 10.00, not on tobacco"
kind = "threshold"
line = [{category = "tobacco", exclude = true}]
tier = [{min_amount = "10.00", percent = "10"}]`)
	c := priceCart(t, e, []item{{"A", "x", 800, 1}, {"CIG", "tobacco", 900, 1}})
	require.Equal(t, money.Amount(1700), c.Totals.Total, "the excluded item neither qualifies nor is discounted")
	c = priceCart(t, e, []item{{"A", "x", 1000, 1}, {"CIG", "tobacco", 900, 1}})
	require.Equal(t, money.Amount(900+900), c.Totals.Total)
}

// blogOffers are offers A, B (10 % and 20 % compounded, priority 99) and C
// (15 % compounded, priority 0) of the concurrency blog examples.
func blogOffers(settings string) string {
	return settings + `
[[promotion]]
id = "A"
name = "A 10%"
kind = "discount"
priority = 99
concurrency = "compound"
percent = "10"
line = [{product = "P"}]
[[promotion]]
id = "B"
name = "B 20%"
kind = "discount"
priority = 99
concurrency = "compound"
percent = "20"
line = [{product = "P"}]
[[promotion]]
id = "C"
name = "C 15%"
kind = "discount"
priority = 0
concurrency = "compound"
percent = "15"
line = [{product = "P"}]
`
}

// blogD is offer D of blog example 2: 35 % best price at priority 99.
const blogD = `
[[promotion]]
id = "D"
name = "D 35%"
kind = "discount"
priority = 99
percent = "35"
line = [{product = "P"}]
`
