package demo_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/offline/demo"
	"github.com/opentill/opentill/offline/store"
	"github.com/opentill/opentill/pos/barcode"
	"github.com/opentill/opentill/pos/cart"
	"github.com/opentill/opentill/pos/catalog"
	"github.com/opentill/opentill/pos/customer"
	"github.com/opentill/opentill/pos/poserr"
	"github.com/opentill/opentill/pos/staff"
	"github.com/opentill/opentill/pos/tax"
)

var ctx = context.Background()

func all(n int, seed int64) []catalog.Product {
	var out []catalog.Product
	next := demo.Products(n, seed)
	for p, ok := next(); ok; p, ok = next() {
		out = append(out, p)
	}
	return out
}

func TestCheckDigit(t *testing.T) {
	tests := []struct{ body, want string }{
		{"400638133393", "4006381333931"}, // a GS1 example
		{"210004200000", "2100042000001"},
		{"590123412345", "5901234123457"},
		{"000000000000", "0000000000000"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, demo.EAN13(tt.body))
		assert.True(t, barcode.Valid(tt.want), tt.want)
	}
	assert.Equal(t, "2100042000001", demo.WeightCode(42))
	assert.Panics(t, func() { demo.EAN13("123") })
}

func TestProductsAreDeterministicAndValid(t *testing.T) {
	const n = 50_000
	ps := all(n, demo.DefaultSeed)
	require.Len(t, ps, n)
	assert.Equal(t, ps, all(n, demo.DefaultSeed), "same n and seed, same catalog")
	assert.Equal(t, ps[:1000], all(1000, demo.DefaultSeed), "a smaller catalog is a prefix of a larger one")
	assert.NotEqual(t, ps[len(demo.Featured):100], all(100, 2)[len(demo.Featured):], "another seed, another catalog")
	assert.Equal(t, demo.Featured, ps[:len(demo.Featured)])
	assert.Len(t, all(5, 1), 5)
	assert.Empty(t, all(0, 1))

	setup := demo.Setup()
	parser := barcode.Parser{Masks: setup.Masks}
	ids := map[string]bool{}
	codes := map[string]bool{}
	var weighed, mustKey, noDiscount, notReturnable, noOverride, variants, accented int
	depts := map[string]int{}
	for _, p := range ps {
		require.NotEmpty(t, p.ID)
		require.False(t, ids[p.ID], "duplicate ID %s", p.ID)
		ids[p.ID] = true
		require.NotEmpty(t, p.Name)
		require.True(t, utf8.ValidString(p.Name))
		assert.Equal(t, strings.TrimSpace(p.Name), p.Name)
		assert.NotContains(t, p.Name, "  ", p.Name)
		require.Contains(t, setup.TaxGroups, p.TaxGroup, p.ID)
		require.NotEmpty(t, p.ItemID)
		require.Len(t, p.Barcodes, 1)
		code := p.Barcodes[0]
		require.Len(t, code, 13)
		require.True(t, barcode.Valid(code), "%s: %s", p.ID, code)
		require.False(t, codes[code], "duplicate barcode %s", code)
		codes[code] = true
		key, err := barcode.Normalize(code)
		require.NoError(t, err)
		require.Equal(t, code, key, "stored barcodes are lookup keys")
		depts[p.Department]++
		if p.Flags.MustKeyInPrice {
			mustKey++
			assert.Zero(t, p.Price, p.Name)
		} else {
			require.Positive(t, p.Price, p.Name)
		}
		if p.Flags.Weighed {
			weighed++
			assert.Equal(t, "kg", p.Unit)
			assert.True(t, strings.HasPrefix(code, "21"), code)
			assert.Equal(t, "00000", code[7:12], code)
			// A scale label with a weight finds this key.
			label := demo.EAN13(code[:7] + "01234")
			scan, err := parser.Parse(label)
			require.NoError(t, err)
			assert.Equal(t, code, scan.Key)
			assert.Equal(t, catalog.Qty(1234), scan.Weight)
		} else {
			assert.False(t, strings.HasPrefix(code, "2"), code)
		}
		if p.Flags.NoDiscount {
			noDiscount++
		}
		if p.Flags.NotReturnable {
			notReturnable++
		}
		if p.Flags.NoOverride {
			noOverride++
		}
		if p.VariantID != "" {
			variants++
			assert.Equal(t, p.ItemID+"-"+p.VariantID, p.ID)
			assert.NotEmpty(t, p.Color)
			assert.NotEmpty(t, p.Size)
		}
		if strings.ContainsAny(p.Name, "äöüßéèêçñíóáâîôû") {
			accented++
		}
	}
	share := float64(weighed) / n
	assert.InDelta(t, 0.01, share, 0.006, "about 1 %% weighed goods, got %d", weighed)
	assert.Positive(t, mustKey)
	assert.Less(t, mustKey, n/50)
	assert.Positive(t, noDiscount)
	assert.Positive(t, notReturnable)
	assert.Positive(t, noOverride)
	assert.Greater(t, variants, n/100)
	assert.Greater(t, accented, n/20)
	assert.GreaterOrEqual(t, len(depts), 12)
	t.Logf("departments %v; weighed %d, must key in price %d, no discount %d, not returnable %d, no override %d, variants %d, accented %d",
		depts, weighed, mustKey, noDiscount, notReturnable, noOverride, variants, accented)
}

func TestFeatured(t *testing.T) {
	assert.GreaterOrEqual(t, len(demo.Featured), 30)
	setup := demo.Setup()
	names := map[string]bool{}
	for _, p := range demo.Featured {
		require.Len(t, p.Barcodes, 1)
		assert.True(t, barcode.Valid(p.Barcodes[0]), "%s %s", p.Name, p.Barcodes[0])
		assert.Contains(t, setup.TaxGroups, p.TaxGroup)
		names[p.Name] = true
	}
	for _, n := range []string{"Emmentaler Käse 200 g", "Crème fraîche 200 g", "Jalapeño Peppers 200 g", "Bananas", "Gift Wrapping Service"} {
		assert.True(t, names[n], n)
	}
}

func TestSetup(t *testing.T) {
	s := demo.Setup()
	assert.Equal(t, "S0001", s.StoreID)
	assert.Equal(t, "T01", s.TerminalID)
	assert.Equal(t, "EUR", s.Currency.Code)
	assert.Equal(t, 2, s.Currency.Digits)
	assert.True(t, s.Tax.Inclusive)
	assert.EqualValues(t, 190000, s.TaxGroups["STD"].Rate())
	assert.EqualValues(t, 70000, s.TaxGroups["RED"].Rate())
	assert.EqualValues(t, 0, s.TaxGroups["ZERO"].Rate())
	cash, ok := s.FirstTender(cart.Cash)
	require.True(t, ok)
	assert.True(t, cash.GivesChange && cash.AllowOvertender && cash.AllowUndertender && cash.OpensDrawer && cash.AllowRefund)
	card, ok := s.TenderType("card")
	require.True(t, ok)
	assert.False(t, card.AllowOvertender)
	assert.True(t, card.AllowUndertender && card.AllowRefund)
	for _, m := range s.Masks {
		require.NoError(t, m.Validate())
	}
	assert.Equal(t, "OpenTill Demo Market", s.Header.StoreName)
	assert.True(t, s.Shifts.Required, "no sale, return or payment without an open shift")

	// 2.38 EUR at 19 % and 1.07 EUR at 7 % VAT included.
	res, err := tax.Compute(s.Tax, s.TaxGroups, []tax.Line{{Group: "STD", Amount: 238}, {Group: "RED", Amount: 107}})
	require.NoError(t, err)
	assert.EqualValues(t, 45, res.Total)
}

func TestStaff(t *testing.T) {
	roles, ops := demo.Staff()
	byID := map[string]staff.Role{}
	for _, r := range roles {
		byID[r.ID] = r
	}
	cashier, manager, assoc := byID["cashier"], byID["manager"], byID["associate"]
	for _, p := range []staff.Permission{100, 102, 103, 105, 114, 200, 201, 211, 500, 501, 503, 504, 700, 701, 703} {
		assert.True(t, cashier.Allows(p), "cashier %d", p)
	}
	for _, p := range []staff.Permission{104, 109, 4001} {
		assert.False(t, cashier.Allows(p), "cashier %d", p)
	}
	assert.EqualValues(t, 1000, cashier.Limits.MaxLineDiscountBP)
	assert.EqualValues(t, 500, cashier.Limits.MaxTotalDiscountBP)
	assert.EqualValues(t, 5000, cashier.Limits.MaxReturnAmount)
	assert.False(t, cashier.Limits.AllowPriceOverride)
	assert.False(t, cashier.Manager)

	assert.True(t, manager.Manager)
	for _, p := range cashier.Permissions {
		assert.True(t, manager.Allows(p), "manager %d", p)
	}
	for _, p := range []staff.Permission{104, 109, 115, 4001} {
		assert.True(t, manager.Allows(p), "manager %d", p)
	}
	assert.EqualValues(t, 10000, manager.Limits.MaxLineDiscountBP)
	assert.EqualValues(t, 5000, manager.Limits.MaxTotalDiscountBP)
	assert.EqualValues(t, 1_000_000, manager.Limits.MaxReturnAmount)
	assert.True(t, manager.Limits.AllowPriceOverride)

	assert.True(t, assoc.Allows(101) && assoc.Allows(108) && assoc.Allows(700) && assoc.Allows(701))
	assert.False(t, assoc.Allows(100) || assoc.Allows(200) || assoc.Allows(201))

	want := map[string]struct{ name, pin, role, lang string }{
		"1001": {"Alex Cashier", "1234", "cashier", "en"},
		"1002": {"Jana Kassiererin", "1234", "cashier", "de"},
		"2001": {"Morgan Manager", "2468", "manager", "en"},
		"3001": {"Sam Associate", "1357", "associate", "en"},
	}
	require.Len(t, ops, len(want))
	for _, o := range ops {
		w := want[o.ID]
		assert.Equal(t, w.name, o.Name)
		assert.Equal(t, w.pin, o.PIN)
		assert.Equal(t, w.role, o.RoleID)
		assert.Equal(t, w.lang, o.Language)
		assert.Contains(t, byID, o.RoleID)
		ok, err := staff.CheckPassword(o.PIN, o.PasswordHash)
		require.NoError(t, err)
		assert.True(t, ok, o.ID)
		ok, _ = staff.CheckPassword("0000", o.PasswordHash)
		assert.False(t, ok)
	}
}

func seededProducts(t *testing.T, dir string) []catalog.Product {
	t.Helper()
	s, err := store.Open(dir)
	require.NoError(t, err)
	defer s.Close()
	var out []catalog.Product
	require.NoError(t, s.EachProduct(ctx, func(p catalog.Product) error { out = append(out, p); return nil }))
	return out
}

func TestSeedTwiceGivesTheSameCatalog(t *testing.T) {
	const n = 5000
	a, b := t.TempDir(), t.TempDir()
	var calls []string
	st, err := demo.Seed(ctx, a, n, func(done, total int) { calls = append(calls, fmt.Sprint(done, "/", total)) })
	require.NoError(t, err)
	assert.Equal(t, demo.Stats{Products: n, Roles: 3, Operators: 4, Customers: demo.DemoCustomers, Elapsed: st.Elapsed}, st)
	assert.Equal(t, "0/5000", calls[0])
	assert.Equal(t, "5000/5000", calls[len(calls)-1])
	_, err = demo.Seed(ctx, b, n, nil)
	require.NoError(t, err)

	pa, pb := seededProducts(t, a), seededProducts(t, b)
	require.Len(t, pa, n)
	assert.Equal(t, pa, pb)
	assert.Equal(t, all(n, demo.DefaultSeed), pa)

	// The seeded store is complete: setup, staff, products.
	s, err := store.Open(a)
	require.NoError(t, err)
	defer s.Close()
	setup, err := s.LoadSetup(ctx)
	require.NoError(t, err)
	require.NotNil(t, setup.Promotions, "the demo promotions are loaded with the setup")
	assert.Positive(t, setup.Promotions.Offers())
	assert.True(t, setup.Promotions.HasCoupon("welcome5"))
	setup.Promotions = nil
	assert.Equal(t, demo.Setup(), setup)
	op, err := s.Operator(ctx, "2001")
	require.NoError(t, err)
	pepper, err := s.PINPepper(ctx)
	require.NoError(t, err)
	require.NotNil(t, pepper, "a till seeded without a store server makes its own PIN pepper")
	h, err := staff.ParseHash(op.PasswordHash)
	require.NoError(t, err)
	assert.Equal(t, pepper.ID(), h.KeyID, "the demo PINs are peppered with it")
	ok, err := staff.Check("2468", op.PasswordHash, pepper)
	require.NoError(t, err)
	assert.True(t, ok)
	fi, err := os.Stat(filepath.Join(a, store.PepperFile))
	require.NoError(t, err)
	if runtime.GOOS != "windows" {
		assert.Equal(t, os.FileMode(0o600), fi.Mode().Perm(), "the pepper file is the till user's alone")
	}
	other, err := store.Open(b)
	require.NoError(t, err)
	otherPepper, err := other.PINPepper(ctx)
	require.NoError(t, err)
	require.NoError(t, other.Close())
	assert.NotEqual(t, pepper, otherPepper, "each folder has its own")
	p, err := s.ByBarcode(ctx, "4000000000013")
	require.NoError(t, err)
	assert.Equal(t, "Whole Milk 3.5 % 1 L", p.Name)
	require.NoError(t, s.Close())

	// Seeding a folder that has products is refused.
	_, err = demo.Seed(ctx, a, 10, nil)
	require.Error(t, err)
	assert.True(t, poserr.Is(err, poserr.Conflict))
	assert.Contains(t, err.Error(), "already holds")
}

func TestSeedIntoStoreWithoutProducts(t *testing.T) {
	dir := t.TempDir()
	s, err := store.Open(dir)
	require.NoError(t, err)
	require.NoError(t, s.SaveSetup(ctx, demo.Setup()))
	require.NoError(t, s.Close())
	st, err := demo.Seed(ctx, dir, 100, nil)
	require.NoError(t, err)
	assert.Equal(t, 100, st.Products)
}

func TestCustomersAreDeterministicAndValid(t *testing.T) {
	collect := func() []customer.Customer {
		var out []customer.Customer
		next := demo.Customers(2000, demo.DefaultSeed)
		for c, ok := next(); ok; c, ok = next() {
			out = append(out, c)
		}
		return out
	}
	a, b := collect(), collect()
	require.Len(t, a, 2000)
	assert.Equal(t, a, b, "the same seed gives the same customers")
	ids, numbers, cards := map[string]bool{}, map[string]bool{}, map[string]bool{}
	for _, c := range a {
		require.NoError(t, c.Validate(), "%+v", c)
		assert.False(t, ids[c.ID] || numbers[c.Number], "%s repeated", c.ID)
		ids[c.ID], numbers[c.Number] = true, true
		if c.LoyaltyCard != "" {
			assert.False(t, cards[c.LoyaltyCard])
			cards[c.LoyaltyCard] = true
		}
		assert.Len(t, c.Stamps, len(customer.Fields()))
	}
}

func TestSetupForLocale(t *testing.T) {
	tests := map[string]struct {
		tag, lang, zone, cur string
		inclusive            bool
		std                  int64
		cash                 string
	}{
		"German":  {"de-DE", "de", "Europe/Berlin", "EUR", true, 190000, "Bar"},
		"French":  {"fr-FR", "fr", "Europe/Paris", "EUR", true, 200000, "Espèces"},
		"Spanish": {"es-ES", "es", "Europe/Madrid", "EUR", true, 210000, "Efectivo"},
		"US":      {"en-US", "en", "America/New_York", "USD", false, 88750, "Cash"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			s, err := demo.SetupFor(tc.tag)
			require.NoError(t, err)
			assert.Equal(t, tc.lang, s.Header.Language)
			assert.Equal(t, tc.tag, s.Header.Locale)
			assert.Equal(t, tc.zone, s.Header.TimeZone)
			assert.Equal(t, tc.cur, s.Currency.Code)
			assert.Equal(t, tc.inclusive, s.Tax.Inclusive)
			assert.Equal(t, tc.std, s.TaxGroups[demo.TaxStandard].Codes[0].Rate)
			cash, _ := s.TenderType(demo.TenderCash)
			assert.Equal(t, tc.cash, cash.Name)
			ops, err := demo.StaffFor(tc.tag)
			require.NoError(t, err)
			for _, o := range ops {
				assert.Equal(t, tc.lang, o.Language)
			}
		})
	}
	def, err := demo.SetupFor("")
	require.NoError(t, err)
	assert.Equal(t, demo.Setup(), def, "no locale: the demo store as it always was")
	_, err = demo.SetupFor("it-IT")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "use one of de-DE, fr-FR, es-ES, en-US")
}
