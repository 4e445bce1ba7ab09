package pricing_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/pos/cart"
	"github.com/opentill/opentill/pos/pricing"
)

const fuzzSeed = `
time_zone = "Europe/Berlin"
concurrency_model = "best-price-within-priority-compound-across"
store_price_groups = ["S"]
[[price_group]]
id = "S"
priority = 1
[[trade_agreement]]
price_group = "S"
product = "A"
price = "1.00"
min_qty = "2"
[[promotion]]
id = "Q"
name = "Q"
kind = "quantity"
line = [{category = "c"}]
tier = [{min_qty = "2", percent = "10"}]
[[promotion]]
id = "M"
name = "M"
kind = "mix-match"
least_expensive = 1
group = [{qty = 2, line = [{product = "A"}]}]
[[promotion]]
id = "T"
name = "T"
kind = "threshold"
coupons = ["X"]
tier = [{min_amount = "1.00", amount = "0.50"}]
`

// FuzzDecode feeds arbitrary text to the promotions decoder: it must never
// panic, and a document it accepts must price a cart keeping every
// invariant (no line below zero, the totals identity).
func FuzzDecode(f *testing.F) {
	f.Add(fuzzSeed)
	f.Add(`[[promotion]]
id = "A"
name = "A"
kind = "discount"
percent = "10"
line = [{product = "A"}, {product = "B", exclude = true}]`)
	f.Add(`[[promotion]]
id = "D"
name = "D"
kind = "mix-match"
deal_price = "0.01"
group = [{qty = 1, line = [{category = "c"}]}, {qty = 3, line = [{product = "A"}]}]`)
	f.Add("")
	f.Add("[[promotion]]\nid=1")
	f.Fuzz(func(t *testing.T, doc string) {
		e, err := pricing.Decode(strings.NewReader(doc), 2)
		if err != nil {
			require.NotEmpty(t, err.Error())
			return
		}
		items := []item{{"A", "c", 199, 3}, {"B", "c", 1, 1}, {"A", "d", 250, 2}, {"C", "c", 100000, 1}}
		priceCart(t, e, items, func(c *cart.Cart) { c.Coupons = []string{"X"} })
	})
}

// TestDecodeErrors checks that bad documents are refused with a message
// that names the place.
func TestDecodeErrors(t *testing.T) {
	cases := []struct{ name, doc, want string }{
		{"unknown field", "[[promotion]]\nid = \"A\"\nname = \"A\"\nkind = \"discount\"\npercent = \"10\"\nline = [{product = \"A\"}]\nbogus = 1", "unknown fields"},
		{"bad kind", "[[promotion]]\nid = \"A\"\nname = \"A\"\nkind = \"bogus\"", "kind"},
		{"missing name", "[[promotion]]\nid = \"A\"\nkind = \"discount\"", "name is missing"},
		{"two methods", "[[promotion]]\nid = \"A\"\nname = \"A\"\nkind = \"discount\"\npercent = \"10\"\namount = \"1\"\nline = [{product = \"A\"}]", "not several"},
		{"percent over 100", "[[promotion]]\nid = \"A\"\nname = \"A\"\nkind = \"discount\"\npercent = \"101\"\nline = [{product = \"A\"}]", "at most 100"},
		{"too many decimals", "[[promotion]]\nid = \"A\"\nname = \"A\"\nkind = \"discount\"\namount = \"1.001\"\nline = [{product = \"A\"}]", "decimal places"},
		{"no lines", "[[promotion]]\nid = \"A\"\nname = \"A\"\nkind = \"discount\"\npercent = \"10\"", "include line"},
		{"bad date", "[[promotion]]\nid = \"A\"\nname = \"A\"\nkind = \"discount\"\npercent = \"10\"\nfrom = \"tomorrow\"\nline = [{product = \"A\"}]", "not a date"},
		{"unknown price group", "store_price_groups = [\"X\"]", "not defined"},
		{"bad time zone", "time_zone = \"Mars/Olympus\"", "time zone"},
		{"duplicate id", "[[promotion]]\nid = \"A\"\nname = \"A\"\nkind = \"threshold\"\ntier = [{min_amount = \"1\", amount = \"1\"}]\n[[promotion]]\nid = \"A\"\nname = \"A\"\nkind = \"threshold\"\ntier = [{min_amount = \"1\", amount = \"1\"}]", "twice"},
		{"not toml", "[[[", "reading"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := pricing.Decode(strings.NewReader(tc.doc), 2)
			require.Error(t, err)
			require.Contains(t, err.Error(), tc.want)
		})
	}
	_, err := pricing.Decode(bytes.NewReader(make([]byte, pricing.MaxFileSize+1)), 2)
	require.Error(t, err)
}
