package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/spf13/cobra"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/offline/demo"
	"github.com/opentill/opentill/offline/store"
	"github.com/opentill/opentill/pos/till"
)

// textTill runs the text till on dir with the given input lines and returns
// what it printed.
func textTill(t *testing.T, dir string, lines ...string) string {
	t.Helper()
	s, reg, _, err := openTill(dir, "approve", nil)
	require.NoError(t, err)
	defer s.Close()
	cmd := &cobra.Command{}
	cmd.SetContext(context.Background())
	var out bytes.Buffer
	require.NoError(t, runTill(cmd, reg, till.New(reg, till.Options{Transactions: s}), nil, strings.NewReader(strings.Join(lines, "\n")+"\n"), &out, 42))
	return out.String()
}

// TestTillAsksForAShift: the demo store sells only in an open shift, so the
// text till tells a cashier who signs in without one how to open it, repeats
// it when a sale is refused for that reason, and after a restart sells on in
// the shift left open.
func TestTillAsksForAShift(t *testing.T) {
	dir := seeded(t)
	out := textTill(t, dir, "signin 1001 1234", "scan 4000000000013", "shift open 100.00", "scan 4000000000013", "pay cash 5", "quit")
	before, after, ok := strings.Cut(out, "! no shift is open on this register")
	require.True(t, ok, "the sale is refused: %s", out)
	assert.Contains(t, before, "no shift is open on this register; before selling, type one of:", "the hint follows sign-in")
	assert.Contains(t, after, "shift open AMOUNT  with the cash in the drawer (e.g. shift open 100.00)", "and is repeated")
	assert.Contains(t, out, "CHANGE DUE: €3.81", "the sale in the opened shift")

	out = textTill(t, dir, "signin 1002 1234", "scan 4000000000013", "quit")
	assert.Contains(t, out, "opened by 1001: sign in as them to sell in it", "a cashier may not join another's shift")
	assert.Contains(t, out, "! the shift on this register was opened by 1001")

	out = textTill(t, dir, "signin 1001 1234", "scan 4000000000013", "pay card", "quit")
	assert.Contains(t, out, "selling in shift", "the restarted till resumes the open shift")
	assert.NotContains(t, out, "! ")
	assert.Contains(t, out, "S0001-T01-000002")
}

// tillCommand runs posctl till with its flags on the given input lines.
func tillCommand(t *testing.T, input string, args ...string) string {
	t.Helper()
	var out bytes.Buffer
	c := rootCmd()
	c.SetArgs(append([]string{"till"}, args...))
	c.SetIn(strings.NewReader(input))
	c.SetOut(&out)
	c.SetErr(&out)
	require.NoError(t, c.Execute(), out.String())
	return out.String()
}

// TestTillWeighsOnTheVirtualScale: with the demo profile a weighed item
// reads the virtual scale the weigh step sets.
func TestTillWeighsOnTheVirtualScale(t *testing.T) {
	dir := seeded(t)
	out := tillCommand(t, "signin 1001 1234\nshift open 100.00\nweigh 0.734\nscan 2100042000001\nquit\n", "--data", dir, "--profile", "demo")
	assert.Contains(t, out, "Receipts are also printed to")
	assert.Contains(t, out, "the scale shows 0.734 kg")
	assert.Regexp(t, `Bananas.*0\.734 x`, out, "the weight came from the scale")
	assert.NotContains(t, out, "! ")
}

// TestTillAsksForKeyedInput: without a scale a weighed item asks for its
// weight, a keyed-in price for the price, each with the step to type; a
// refusal a manager can lift says how.
func TestTillAsksForKeyedInput(t *testing.T) {
	dir := seeded(t)
	out := textTill(t, dir, "signin 1001 1234", "shift open 100.00",
		"scan 2100042000001", "item 10009 qty=0.5",
		"scan 4000000000280", "item 10029 price=3.75",
		"unlock 1002", "quit")
	assert.Contains(t, out, "Bananas is sold by weight: weigh KG, then scan it again, or item 10009 qty=KG")
	assert.Contains(t, out, "Gift Wrapping Service needs its price keyed in: item 10029 price=AMOUNT")
	assert.Regexp(t, `Bananas.*0\.500 x`, out)
	assert.Regexp(t, `Gift Wrapping Service.*x +€3\.75`, out)
	assert.NotContains(t, out, "override MANAGER PIN unlock", "a manager unlocks signed in as themselves")
}

// TestTillListsPromotions: the text till prints what applies to the sale
// (646), the store's promotions with their coupons (645), and takes the
// automatic discounts off and back (311 needs a manager, 312 does not).
func TestTillListsPromotions(t *testing.T) {
	dir := seeded(t)
	out := textTill(t, dir, "signin 1001 1234", "shift open 100.00", "scan 4000000000112", "scan 4000000000181",
		"promotions", "promotions all", "sysdisc off", "override 2001 2468 sysdisc off", "sysdisc on", "quit")
	assert.Regexp(t, `CHOC20 +Chocolate week -20% +discount +lines 1 · takes off €0\.26 · until 31/12/2027\n`, out)
	assert.Regexp(t, `BEER6 +Beer: 6\+ -10%, 12\+ -20% +quantity +lines 2 · not applied now`, out)
	assert.Regexp(t, `WELCOME5 +Welcome coupon +threshold +coupon WELCOME5 or 9900000000052`, out)
	assert.Contains(t, out, "! Alex Cashier is not allowed to run Remove system discounts: a manager can authorise it", "311 is a manager's")
	assert.Equal(t, 1, strings.Count(out, "! "), "the rest goes through: %s", out)
}

// TestTillCardBrandDiscount: in a store with a Visa discount, a card named
// up front is charged the discounted amount once; a card the terminal
// reports as a Visa afterwards is charged again for less, and the text
// till says so.
func TestTillCardBrandDiscount(t *testing.T) {
	dir := seeded(t)
	st, err := store.Open(dir)
	require.NoError(t, err)
	doc := append(demo.Promotions(), []byte("\n[[promotion]]\nid = \"VISA1\"\nname = \"Visa 1.00 off\"\nkind = \"tender\"\ncard_brands = [\"VISA\"]\namount = \"1.00\"\n")...)
	require.NoError(t, st.PutPromotions(context.Background(), doc, 2))
	require.NoError(t, st.Close())
	out := textTill(t, dir, "signin 1001 1234", "shift open 100.00", "scan 4000000000143", "pay card brand=VISA",
		"scan 4000000000143", "pay card", "quit")
	assert.Equal(t, 2, strings.Count(out, "Visa 1.00 off"), "both sales: %s", out)
	assert.Equal(t, 1, strings.Count(out, "its first payment was reversed"), "only the second was charged again: %s", out)
	assert.Contains(t, out, "the VISA card earns a discount: its first payment was reversed and €13.99 was charged")
	assert.NotContains(t, out, "! ")
}
