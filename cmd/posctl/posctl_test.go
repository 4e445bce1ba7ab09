package main

import (
	"bytes"
	"database/sql"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	_ "modernc.org/sqlite"
)

// run runs posctl in-process and returns its output and error.
func run(t *testing.T, args ...string) (string, error) {
	t.Helper()
	var out bytes.Buffer
	c := rootCmd()
	c.SetArgs(args)
	c.SetOut(&out)
	c.SetErr(&out)
	err := c.Execute()
	return out.String(), err
}

func seeded(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "till")
	out, err := run(t, "seed", "--data", dir, "--products", "2000", "--quiet")
	require.NoError(t, err, out)
	assert.Contains(t, out, "2001 / 2468 / manager")
	return dir
}

func TestSellExampleScript(t *testing.T) {
	dir := seeded(t)
	out, err := run(t, "sell", "--data", dir, "--script", "../../docs/examples/sale.txt")
	require.NoError(t, err, out)
	assert.Regexp(t, `\n +S0001-T01-000001\n`, out, "the receipt number under the receipt, where printers print its barcode")
	assert.Contains(t, out, "Return of S0001-T01-000001")
	assert.Contains(t, out, "1 suspended")

	out, err = run(t, "journal", "verify", "--data", dir)
	require.NoError(t, err, out)
	assert.Regexp(t, `journal: \d+ entries, all signed`, out)
	assert.Contains(t, out, "journal ok")

	// The same script again fails at once: the till resumed the shift the
	// first run left open, so there is no second shift to open.
	_, err = run(t, "sell", "--data", dir, "--script", "../../docs/examples/sale.txt")
	assert.ErrorContains(t, err, "line 5 (shift open 100.00): shift")
	assert.ErrorContains(t, err, "is already open on this register")

	// Without its shift open step it sells in the resumed shift up to the
	// return, which fails: the receipt has been returned already.
	body, err := os.ReadFile("../../docs/examples/sale.txt")
	require.NoError(t, err)
	again := filepath.Join(t.TempDir(), "again.txt")
	require.NoError(t, os.WriteFile(again, []byte(strings.Replace(string(body), "shift open 100.00", "", 1)), 0o644))
	out, err = run(t, "sell", "--data", dir, "--script", again)
	require.Error(t, err, out)
	assert.Contains(t, err.Error(), "on receipt S0001-T01-000001 can still be returned")
	assert.Regexp(t, `\n +S0001-T01-000004\n`, out, "the sale before the return went through in the resumed shift")
}

func TestSellStopsOnARefusedStep(t *testing.T) {
	dir := seeded(t)
	script := filepath.Join(t.TempDir(), "s.txt")
	require.NoError(t, os.WriteFile(script, []byte("signin 1001 1234\nshift open\nscan 4000000000013\nprice 1 0.50\nscan 4000000000020\n"), 0o644))
	out, err := run(t, "sell", "--data", dir, "--script", script)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "line 4 (price 1 0.50)")
	assert.Contains(t, err.Error(), "a manager can authorise it")
	assert.NotContains(t, out, "scan 4000000000020", "nothing runs after the refused step")

	require.NoError(t, os.WriteFile(script, []byte("signin 1001 1234\nscan 400000000001\n"), 0o644))
	_, err = run(t, "sell", "--data", dir, "--script", script)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "400000000001")

	require.NoError(t, os.WriteFile(script, []byte("signin 1001\n"), 0o644))
	_, err = run(t, "sell", "--data", dir, "--script", script)
	assert.ErrorContains(t, err, "line 1: signin needs 2 argument(s)")
}

func TestPriceCart(t *testing.T) {
	dir := seeded(t)
	cartFile := filepath.Join(t.TempDir(), "cart.json")
	require.NoError(t, os.WriteFile(cartFile, []byte(`{"lines":[{"barcode":"4000000000013","qty":"2","discount":"10%"},{"item":"10009","qty":"0.500"},{"item":"10029","price":"3.00"}],"discount":"1.00"}`), 0o644))
	out, err := run(t, "price", "--data", dir, "--cart", cartFile)
	require.NoError(t, err, out)
	var got struct {
		Currency string
		Lines    []struct {
			Name string
			Net  int64
		}
		Totals struct {
			Subtotal, Discounts, Tax, Total int64
		}
	}
	require.NoError(t, json.Unmarshal([]byte(out), &got), out)
	assert.Equal(t, "EUR", got.Currency)
	require.Len(t, got.Lines, 3)
	// 2 × 1.19 = 2.38 − 10 % (0.24) = 2.14; 0.5 kg × 1.99 = 1.00 (0.995 rounds up); gift wrap 3.00 (no discount).
	assert.Equal(t, int64(238+100+300), got.Totals.Subtotal)
	assert.Equal(t, int64(24+100), got.Totals.Discounts)
	assert.Equal(t, got.Totals.Subtotal-got.Totals.Discounts, got.Totals.Total, "tax is included in prices")

	require.NoError(t, os.WriteFile(cartFile, []byte(`{"lines":[{"barcode":"999"}]}`), 0o644))
	_, err = run(t, "price", "--data", dir, "--cart", cartFile)
	assert.ErrorContains(t, err, "999")
}

func TestPromotionsExampleScript(t *testing.T) {
	dir := seeded(t)
	out, err := run(t, "sell", "--data", dir, "--script", "../../docs/examples/promotions.txt")
	require.NoError(t, err, out)
	assert.Contains(t, out, "Chocolate week -20%")
	assert.Contains(t, out, "Welcome coupon")
	assert.Contains(t, out, "3 x €13.99", "the trade agreement's quantity break")
}

func TestPriceCartListsPromotions(t *testing.T) {
	dir := seeded(t)
	out, err := run(t, "price", "--data", dir, "--cart", "../../docs/examples/promotions-cart.json")
	require.NoError(t, err, out)
	var got struct {
		Coupons []string
		Lines   []struct {
			No         int
			Net        int64
			Promotions []struct {
				OfferID string `json:"offer_id"`
				Name    string
				Amount  int64
			}
		}
		Promotions []struct {
			OfferID string `json:"offer_id"`
			Name    string
			Lines   []int
			Amount  int64
		}
		Totals struct {
			Subtotal, Discounts, Total int64
			PromoDiscounts             int64 `json:"promo_discounts"`
		}
	}
	require.NoError(t, json.Unmarshal([]byte(out), &got), out)
	assert.Equal(t, []string{"WELCOME5"}, got.Coupons)
	require.Len(t, got.Lines, 5)
	// 12 beers: tier 12+ -20% of 13.08 = 2.62.
	require.Len(t, got.Lines[0].Promotions, 1)
	assert.Equal(t, "Beer: 6+ -10%, 12+ -20%", got.Lines[0].Promotions[0].Name)
	assert.EqualValues(t, 262, got.Lines[0].Promotions[0].Amount)
	var names []string
	var sum int64
	for _, p := range got.Promotions {
		names = append(names, p.OfferID)
		sum += p.Amount
	}
	assert.Equal(t, []string{"BEER6", "SNACK", "BUBBLY5", "BUBBLY10", "WELCOME5"}, names)
	assert.Equal(t, got.Totals.PromoDiscounts, sum)
	assert.EqualValues(t, 6693, got.Totals.Total)
	assert.Equal(t, got.Totals.Subtotal-got.Totals.Discounts, got.Totals.Total)
}

func TestPriceExplain(t *testing.T) {
	dir := seeded(t)
	cartFile := filepath.Join(t.TempDir(), "cart.json")
	require.NoError(t, os.WriteFile(cartFile, []byte(`{"lines":[{"barcode":"4000000000181","qty":"12"},{"barcode":"4000000000143","qty":"3"}]}`), 0o644))
	out, err := run(t, "price", "--data", dir, "--cart", cartFile, "--explain")
	require.NoError(t, err, out)
	assert.Contains(t, out, "line 1  Pilsner Beer 0.5 L  12 × €1.09", "amounts in the store's locale")
	assert.Contains(t, out, "+ BEER6")
	assert.Contains(t, out, "applied: €2.62 off")
	assert.Contains(t, out, "- WELCOME5")
	assert.Contains(t, out, "needs a coupon (WELCOME5, 9900000000052): enter or scan it")
	assert.Contains(t, out, "total ")
}

func TestVersionCommand(t *testing.T) {
	out, err := run(t, "version")
	require.NoError(t, err, out)
	assert.Regexp(t, `^posctl \S+\n  commit    \S+\n  built     \S+\n  go        go1\.\S+\n  platform  \w+/\w+\n  schema    \d+ \(data folder\)\n$`, out)
	out, err = run(t, "version", "--json")
	require.NoError(t, err, out)
	var v struct {
		Version string `json:"version"`
		Schema  int    `json:"schema"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &v))
	assert.NotEmpty(t, v.Version)
	assert.Positive(t, v.Schema)
}

// A data folder a newer OpenTill wrote is refused with exit code 3 (a
// storage error) and a message that says so; nothing is changed.
func TestDowngradeIsRefused(t *testing.T) {
	dir := seeded(t)
	db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, "till.db"))
	require.NoError(t, err)
	_, err = db.Exec(`PRAGMA user_version = 99`)
	require.NoError(t, err)
	require.NoError(t, db.Close())
	out, err := run(t, "journal", "verify", "--data", dir)
	require.Error(t, err, out)
	assert.Contains(t, err.Error(), "has schema version 99")
	assert.Contains(t, err.Error(), "newer OpenTill")
}

// TestOperationsDocIsCurrent keeps docs/operations.md in step with the
// operations of the till posctl builds: the built-in ones and those of the
// extensions it carries.
func TestOperationsDocIsCurrent(t *testing.T) {
	out, err := run(t, "ops", "--markdown")
	require.NoError(t, err)
	b, err := os.ReadFile("../../docs/operations.md")
	require.NoError(t, err)
	assert.Equal(t, out, string(b), "docs/operations.md is stale: run go run ./cmd/posctl ops --markdown > docs/operations.md")
	assert.Contains(t, out, "| 5001 | Stamp card | `5001` | yes |")
}

// TestTextTillRunsTheExtensions: the age check asks in the text till, the
// answer sells the beer, the stamp card shows on op 5001's panel.
func TestTextTillRunsTheExtensions(t *testing.T) {
	dir := seeded(t)
	out, err := runIn(t, "signin 1001 1234\nshift open 100.00\nscan 4000000000181\nanswer yes\nscan 4000000000198\npay cash exact\nop 5001\nquit\n",
		"till", "--data", dir, "--profile", "none")
	require.NoError(t, err, out)
	assert.Contains(t, out, "add the customer to the sale first", "op 5001 runs the stamp card, which needs a customer")
	assert.Contains(t, out, "opentill.agecheck asks: Age check — Pilsner Beer 0.5 L: is the customer at least 18?")
	assert.Contains(t, out, "yes (18 or older) no (Under 18)")
	assert.Contains(t, out, "Rioja Reserva", "asked once per transaction")
	assert.Contains(t, out, "TOTAL")

	out, err = run(t, "journal", "verify", "--data", dir)
	require.NoError(t, err, out)
	assert.Contains(t, out, "journal ok", "the extension's journal entries keep the chain and the tables in step")

	script := filepath.Join(t.TempDir(), "age.txt")
	require.NoError(t, os.WriteFile(script, []byte("signin 1001 1234\nscan 4000000000181\nanswer no\nscan 4000000000181\nanswer yes\n"), 0o644))
	out, err = run(t, "ext", "run", "--script", script, "--ext", "opentill.agecheck")
	require.NoError(t, err, out)
	assert.Contains(t, out, "? opentill.agecheck asks: Age check")
	assert.Contains(t, out, "x opentill.agecheck refused: Pilsner Beer 0.5 L was not sold: the customer is under 18.")
	assert.Contains(t, out, "Pilsner Beer 0.5 L")

	out, err = run(t, "ext", "list", "--data", dir)
	require.NoError(t, err, out)
	assert.Contains(t, out, "opentill.agecheck")
	assert.Contains(t, out, "pre-trigger; on 100; failure: cancel")
	assert.Contains(t, out, "operation 5001")
}

// runIn runs posctl with stdin.
func runIn(t *testing.T, stdin string, args ...string) (string, error) {
	t.Helper()
	var out bytes.Buffer
	c := rootCmd()
	c.SetArgs(args)
	c.SetIn(strings.NewReader(stdin))
	c.SetOut(&out)
	c.SetErr(&out)
	err := c.Execute()
	return out.String(), err
}

func TestStockExampleScript(t *testing.T) {
	dir := seeded(t)
	out, err := run(t, "sell", "--data", dir, "--script", "../../docs/examples/stock.txt")
	require.NoError(t, err, out)
	assert.Contains(t, out, "on hand 19")
	assert.Contains(t, out, "Dairy shelf, 2 lines counted, 0 to recount")
	assert.Contains(t, out, "PO-1001 demo-po-1001 (purchase) partial")
	assert.Contains(t, out, "(transfer) shipped")
	out, err = run(t, "journal", "verify", "--data", dir)
	require.NoError(t, err, out)
	assert.Contains(t, out, "journal ok")
}

func TestOrdersExampleScript(t *testing.T) {
	dir := seeded(t)
	out, err := run(t, "sell", "--data", dir, "--script", "../../docs/examples/orders.txt")
	require.NoError(t, err, out)
	assert.Contains(t, out, "Customer order CO-")
	assert.Contains(t, out, "Deposit settled CO-")
	assert.Contains(t, out, "completed  Ada Lovelace")
	assert.Contains(t, out, "cancelled  Alan Turing")
	out, err = run(t, "journal", "verify", "--data", dir)
	require.NoError(t, err, out)
	assert.Contains(t, out, "journal ok")
}
