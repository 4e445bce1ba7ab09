package receipt

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/pos/cart"
	"github.com/opentill/opentill/pos/catalog"
	"github.com/opentill/opentill/pos/journal"
	"github.com/opentill/opentill/pos/locale"
	"github.com/opentill/opentill/pos/money"
	"github.com/opentill/opentill/pos/shift"
	"github.com/opentill/opentill/pos/tax"
)

// golden compares got with testdata/name.golden (-update rewrites it).
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
		t.Errorf("rewrote %s: review the diff (git diff testdata/) and run again without -update", path)
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test ./pos/receipt/ -update to create the golden files")
	assert.Equal(t, string(want), got)
}

// storeIn is the Berlin header as a store of a locale has it.
func storeIn(tag string) Header {
	h := berlin
	h.Locale = tag
	h.Language, _, _ = strings.Cut(tag, "-")
	h.TimeZone = map[string]string{"de-DE": "Europe/Berlin", "fr-FR": "Europe/Paris", "es-ES": "Europe/Madrid",
		"en-IE": "Europe/Dublin", "en-US": "America/New_York"}[tag]
	return h
}

var zReport = shift.Report{Kind: shift.Z, Shift: "0190c0de-0000-7000-8000-000000000001", Store: "S0001", Terminal: "T01", OpenedBy: "2001",
	Opened: time.Date(2026, 11, 27, 7, 0, 0, 0, time.UTC), At: time.Date(2026, 11, 27, 19, 0, 0, 0, time.UTC), Currency: money.EUR,
	Sales: 264400, Returns: 1190, NetSales: 263210, Tax: 36100, SaleCount: 3, CustomerCount: 4, VoidCount: 1,
	Tenders: []shift.TenderTotals{
		{Tender: "cash", Name: "Cash", Cash: true, Count: 3, Tendered: 2881, Change: 1314, Start: 10000, Expected: 11567, Declared: 11517, HasCount: true, OverShort: -50},
		{Tender: "card", Name: "Card", Count: 1, Tendered: 958, Expected: 958},
	},
	ByHour:   []shift.HourTotal{{Hour: 8, Amount: 263210, Count: 4}},
	Expected: 12525, Declared: 11517, OverShort: -50,
	TaxRates: []tax.CodeTotal{{Code: "VAT07", Name: "VAT 7 %", Rate: 70000, Basis: 28037, Amount: 1963}, {Code: "VAT19", Name: "VAT 19 %", Rate: 190000, Basis: 179000, Amount: 34010}},
	Journal:  journal.Head{Seq: 1234, Counter: 99, Hash: journal.Genesis},
}

// TestLocaleGoldens prints the sale, its gift receipt and a Z report in each
// store locale: the readable goldens a review of a format change sees.
func TestLocaleGoldens(t *testing.T) {
	for _, tag := range locale.Supported {
		t.Run(tag, func(t *testing.T) {
			h := storeIn(tag)
			r := Build(saleCart(t), h, "Anna Berg")
			sale := r.Text(42)
			golden(t, "locale_"+tag+"_sale_42", sale)
			f := h.Format()
			assert.Contains(t, sale, f.Money(r.Total, r.Currency))
			assert.Contains(t, sale, f.DateTime(r.Time))
			gift := r.GiftCopy().Text(42)
			golden(t, "locale_"+tag+"_gift_42", gift)
			assert.NotContains(t, gift, "€", "a gift receipt shows no price")
			assert.Contains(t, gift, "Crème brûlée")
			assert.Contains(t, gift, LabelsFor(h.Language).GiftTitle)
			z := NewShiftReport(zReport, h).Text(42)
			golden(t, "locale_"+tag+"_z_42", z)
			assert.Contains(t, z, f.Money(zReport.NetSales, money.EUR))
			assert.Contains(t, z, LabelsFor(h.Language).GrossColumn)
		})
	}
}

// TestHostileNamesPrintAsItems: items named like labels, like the barcode's
// text or a rule, with emoji, 200 characters long or right to left stay
// items: every line of their names is laid out in the items block, and the
// totals hold only the totals.
func TestHostileNamesPrintAsItems(t *testing.T) {
	long := strings.Repeat("Extraordinarily long product name ", 6)[:200]
	for _, lang := range Languages {
		t.Run(lang, func(t *testing.T) {
			h := berlin
			h.Language = lang
			lb := LabelsFor(lang)
			names := []string{lb.Total + " SALE", lb.Subtotal, "*S001-T01-000042*", strings.Repeat("-", 42), "Birthday cake 🎂🎉", long, "חלב טרי 3% ליטר"}
			c := newCart(money.EUR, "S001-T01-000042")
			for i, n := range names {
				c.Lines = append(c.Lines, each(i+1, fmt.Sprint(i), n, 1000, money.Amount(100*(i+1)), "FULL"))
			}
			payCash(t, c, vatPricing, 5000, 1)
			doc := Build(c, h, "").Document(nil)
			for _, width := range []int{32, 42, 48} {
				var items, totals []string
				for _, l := range doc.Layout(width) {
					switch l.Block.(type) {
					case *Items:
						items = append(items, l.Text)
						assert.Equal(t, Style{}, l.Style, "an item line is never emphasised: %q", l.Text)
					case *Totals:
						totals = append(totals, l.Text)
					}
				}
				joined := strings.Join(items, "\n")
				for _, n := range append(names[:3:3], names[4]) {
					assert.Contains(t, joined, n, "%q prints as an item", n)
				}
				dashes := 0
				for _, n := range names {
					dashes += strings.Count(n, "-")
				}
				assert.Equal(t, dashes, strings.Count(joined, "-"), "the item named like a rule is an item, wrapped")
				assert.Contains(t, joined, "חלב טרי 3% ליטר", "right-to-left text keeps its logical order")
				assert.Equal(t, 6, strings.Count(joined, "Extraordinarily"), "the long name is wrapped, not cut")
				for _, l := range totals {
					assert.NotContains(t, l, "SALE")
				}
				assert.Len(t, totals, 3, "subtotal, total and change")
				assertFits(t, doc.Text(width), width)
			}
		})
	}
}

// TestTaxTableAddsUp: for random carts (weighed and counted lines, two VAT
// rates and zero, line and total discounts, VAT included or sales tax
// added), the tax table's rows sum to the receipt's tax and total, and its
// total row prints those sums.
func TestTaxTableAddsUp(t *testing.T) {
	groups := map[string]tax.Group{
		"FULL": {ID: "FULL", Codes: []tax.Code{{ID: "V19", Name: "VAT 19 %", Rate: 190000}}},
		"RED":  {ID: "RED", Codes: []tax.Code{{ID: "V07", Name: "VAT 7 %", Rate: 70000}}},
		"ZERO": {ID: "ZERO", Codes: []tax.Code{{ID: "V00", Name: "VAT 0 %", Rate: 0}}},
	}
	rng := rand.New(rand.NewPCG(11, 42))
	for i := 0; i < 300; i++ {
		p := cart.Pricing{Tax: tax.Config{Inclusive: i%3 != 0, Round: money.HalfUp}, Groups: groups, Round: money.HalfUp}
		c := newCart(money.EUR, fmt.Sprintf("S001-T01-%06d", i))
		n := 1 + rng.IntN(30)
		for j := 0; j < n; j++ {
			g := []string{"FULL", "RED", "ZERO"}[rng.IntN(3)]
			l := each(j+1, fmt.Sprint(j), fmt.Sprint("Item ", j), catalog.Qty(1000*(1+rng.IntN(5))), money.Amount(1+rng.IntN(9999)), g)
			if rng.IntN(4) == 0 {
				l.Unit, l.UnitDecimals, l.Qty = catalog.Kilogram.ID, 3, catalog.Qty(1+rng.IntN(3000))
			}
			if rng.IntN(5) == 0 {
				l.Discount = cart.Discount{Percent: int64(100 * (1 + rng.IntN(30)))}
			}
			c.Lines = append(c.Lines, l)
		}
		if rng.IntN(3) == 0 {
			c.Discount = cart.Discount{Percent: int64(100 * (1 + rng.IntN(10)))}
		}
		require.NoError(t, c.Reprice(p))
		tag := locale.Supported[i%len(locale.Supported)]
		r := Build(c, storeIn(tag), "")
		var basis, tx money.Amount
		for _, row := range r.TaxSummary {
			basis += row.Basis
			tx += row.Tax
		}
		require.Equal(t, r.Tax, tx, "cart %d: the rows' tax is the receipt's tax", i)
		require.Equal(t, r.Total, basis+tx, "cart %d: the rows' gross is the receipt's total", i)
		var table *TaxTable
		for _, b := range r.Document(nil).Blocks {
			if tt, ok := b.(*TaxTable); ok {
				table = tt
			}
		}
		require.NotNil(t, table, "cart %d has a tax table", i)
		f := r.Header.Format()
		require.Len(t, table.Rows, len(r.TaxSummary))
		assert.Equal(t, f.Money(r.Tax, r.Currency), table.Total.Tax, "cart %d", i)
		assert.Equal(t, f.Money(r.Total, r.Currency), table.Total.Gross, "cart %d", i)
	}
}

func TestParseLayoutSaysWhatToFix(t *testing.T) {
	tests := map[string]struct {
		typ  Type
		toml string
		want string
	}{
		"empty":         {SaleReceipt, ``, "has no [[block]]"},
		"bad TOML":      {SaleReceipt, `[[block]`, "fix the TOML"},
		"unknown key":   {SaleReceipt, "[[block]]\ntype = \"rule\"\ncolour = \"red\"", `unknown key "block.colour"`},
		"unknown block": {SaleReceipt, "[[block]]\ntype = \"banner\"", "unknown block type: use one of"},
		"unknown field": {SaleReceipt, "[[block]]\ntype = \"lines\"\nfields = [\"ITEMNAME\", \"COLOUR\"]", `unknown field "COLOUR": use ITEMNAME`},
		"bad variable":  {SaleReceipt, "[[block]]\ntype = \"text\"\ntext = \"{NOPE}\"", "unknown variable {NOPE}"},
		"bad align":     {SaleReceipt, "[[block]]\ntype = \"rule\"\nalign = \"middle\"", "use left, center or right"},
		"bad size":      {SaleReceipt, "[[block]]\ntype = \"rule\"\nsize = \"huge\"", "use normal, tall, wide or double"},
		"X on a sale":   {SaleReceipt, "[[block]]\ntype = \"counts\"", "cannot be used in a sale layout"},
		"lines on a Z":  {ZReport, "[[block]]\ntype = \"lines\"", "cannot be used in a z layout"},
		"bad QR data":   {SaleReceipt, "[[block]]\ntype = \"qr\"\ndata = \"STORENAME\"", "use RECEIPTNUMBER or SIGNATUREQR"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			_, err := ParseLayout(tc.typ, "x.toml", []byte(tc.toml))
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
			assert.Contains(t, err.Error(), "x.toml")
		})
	}
	for _, ty := range Types {
		assert.NotNil(t, DefaultLayouts().Layout(ty), ty)
		assert.Equal(t, "assets/receipts/"+string(ty)+".toml", DefaultLayouts().Source(ty))
	}
}

// TestStoreLayoutOverrides: a sale.toml in the data folder's receipts/
// replaces the shipped sale layout (the others stay); a file that is no
// receipt type, or a layout that does not parse, is an error naming it.
func TestStoreLayoutOverrides(t *testing.T) {
	dir := t.TempDir()
	ls, err := LoadLayouts(filepath.Join(dir, "none"))
	require.NoError(t, err)
	assert.Same(t, DefaultLayouts(), ls, "no folder: the shipped layouts")

	require.NoError(t, os.WriteFile(filepath.Join(dir, "sale.toml"), []byte(`
[[block]]
type = "text"
text = "{STORENAME} · {RECEIPTNUMBER}"
align = "right"

[[block]]
type = "lines"
fields = ["ITEMNAME", "TOTALPRICE"]

[[block]]
type = "totals"
fields = ["TOTALWITHTAX"]
large = ["TOTALWITHTAX"]
`), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "receipt-S1.txt"), []byte("a printed receipt"), 0o644))
	ls, err = LoadLayouts(dir)
	require.NoError(t, err)
	assert.Equal(t, filepath.Join(dir, "sale.toml"), ls.Source(SaleReceipt))
	assert.Equal(t, DefaultLayouts().Layout(ZReport), ls.Layout(ZReport), "the other layouts stay")
	r := Build(saleCart(t), berlin, "")
	doc := r.Document(ls)
	require.Len(t, doc.Blocks, 3)
	assert.Equal(t, Style{Align: Right}, doc.Blocks[0].(*Heading).Style)
	assert.Equal(t, Style{Size: Tall, Bold: true}, doc.Blocks[2].(*Totals).Rows[0].Style, "large is data")
	text := doc.Text(42)
	first := strings.Split(text, "\n")[0]
	assert.Len(t, []rune(first), 42, "right-aligned: %q", first)
	assert.Contains(t, text, "S001-T01-000042")
	assert.NotContains(t, text, "2 x", "no quantities: the layout left QTY out")
	assert.NotContains(t, text, "Subtotal")
	assert.Contains(t, text, "TOTAL")

	require.NoError(t, os.WriteFile(filepath.Join(dir, "sales.toml"), []byte("[[block]]\ntype = \"rule\"\n"), 0o644))
	_, err = LoadLayouts(dir)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "sales.toml: no receipt type of that name: name the file sale.toml")
	require.NoError(t, os.Remove(filepath.Join(dir, "sales.toml")))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "z.toml"), []byte("[[block]]\ntype = \"lines\"\n"), 0o644))
	_, err = LoadLayouts(dir)
	require.Error(t, err)
	assert.Contains(t, err.Error(), filepath.Join(dir, "z.toml"))
}

// TestGiftReceiptHidesPrices: the gift layout prints names and quantities
// and the receipt number's barcode, no amount, discount or payment.
func TestGiftReceiptHidesPrices(t *testing.T) {
	r := Build(saleCart(t), storeIn("de-DE"), "")
	g := r.GiftCopy()
	assert.Equal(t, Gift, g.Kind)
	assert.Equal(t, Sale, r.Kind, "the original stays a sale")
	doc := g.Document(nil)
	assert.Equal(t, GiftReceipt, doc.Type)
	for _, b := range doc.Blocks {
		switch b := b.(type) {
		case *Totals, *Tenders, *TaxTable:
			t.Errorf("a gift receipt has no %T", b)
		case *Items:
			for _, it := range b.Lines {
				assert.True(t, it.HidePrices)
				assert.Empty(t, it.Amount)
				assert.Empty(t, it.UnitPrice)
				assert.Empty(t, it.Discounts)
			}
		}
	}
	text := doc.Text(42)
	assert.Contains(t, text, "GESCHENKBELEG")
	assert.Contains(t, text, "0,734 kg", "the weight, in the locale")
	assert.NotContains(t, text, "€")
}

// TestLoyaltyOnTheReceipt: the card and the points a sale moved print in
// the receipt's language; a sale without a card prints neither.
func TestLoyaltyOnTheReceipt(t *testing.T) {
	for lang, want := range map[string][]string{"en": {"Loyalty card", "Points earned", "1,234", "Points redeemed"}, "de": {"Kundenkarte", "Punkte gesammelt", "1.234", "Punkte eingelöst"}} {
		t.Run(lang, func(t *testing.T) {
			h := berlin
			h.Language = lang
			h.Locale = map[string]string{"en": "en-IE", "de": "de-DE"}[lang]
			c := newCart(money.EUR, "S001-T01-000043")
			c.Lines = append(c.Lines, each(1, "1", "Espresso", 1000, 1499, "FULL"))
			payCash(t, c, vatPricing, 5000, 1)
			plain := Build(c, h, "").Text(42)
			c.Loyalty = &cart.Loyalty{Card: "LC-0001", Earned: 1234, Redeemed: 50}
			text := Build(c, h, "").Text(42)
			assert.Contains(t, text, "LC-0001")
			for _, w := range want {
				assert.Contains(t, text, w)
				assert.NotContains(t, plain, w)
			}
		})
	}
}
