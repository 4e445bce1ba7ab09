package store_test

import (
	"strings"
	"testing"
	"unicode"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/offline/demo"
	"github.com/opentill/opentill/offline/store"
	"github.com/opentill/opentill/pos/catalog"
	"github.com/opentill/opentill/pos/poserr"
)

func ids(ps []catalog.Product) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.ID
	}
	return out
}

func TestLookups(t *testing.T) {
	s, _ := demoStore(t, 2000)

	p, err := s.ByBarcode(ctx, "4000000000013")
	require.NoError(t, err)
	assert.Equal(t, featured(t, "10000"), p)

	p, err = s.ByBarcode(ctx, " 4000000000013\n")
	require.NoError(t, err)
	assert.Equal(t, "10000", p.ID)

	_, err = s.ByBarcode(ctx, "123")
	require.Error(t, err)
	assert.True(t, poserr.Is(err, poserr.NotFound))
	assert.Equal(t, `product with barcode "123" not found`, err.Error())

	// A weighed product is found by its weight-code key.
	p, err = s.ByBarcode(ctx, "2100042000001")
	require.NoError(t, err)
	assert.Equal(t, "Bananas", p.Name)
	assert.True(t, p.Flags.Weighed)
	assert.Equal(t, "kg", p.Unit)
	assert.Equal(t, 3, p.UnitDecimals())

	p, err = s.ByID(ctx, "10028-BLK-M")
	require.NoError(t, err)
	assert.Equal(t, featured(t, "10028-BLK-M"), p)
	assert.Equal(t, "10028", p.ItemID)
	assert.Equal(t, "Black", p.Color)

	p, err = s.ByID(ctx, "10029")
	require.NoError(t, err)
	assert.True(t, p.Flags.MustKeyInPrice)
	assert.True(t, p.Flags.NoDiscount)

	_, err = s.ByID(ctx, "nope")
	assert.True(t, poserr.Is(err, poserr.NotFound))
	assert.Equal(t, `product "nope" not found`, err.Error())

	// Every generated product reads back exactly as it was imported.
	next := demo.Products(2000, demo.DefaultSeed)
	for i := 0; ; i++ {
		want, ok := next()
		if !ok {
			break
		}
		if i%97 != 0 {
			continue
		}
		got, err := s.ByID(ctx, want.ID)
		require.NoError(t, err)
		assert.Equal(t, want, got)
		got, err = s.ByBarcode(ctx, want.Barcodes[0])
		require.NoError(t, err)
		assert.Equal(t, want.ID, got.ID)
	}
}

func TestSearch(t *testing.T) {
	s, _ := demoStore(t, 3000)
	tests := []struct {
		name    string
		query   string
		first   string   // ID expected first ("" = don't care)
		has     []string // IDs expected among the results
		words   []string // every result's name has a word starting with each
		atLeast int
	}{
		{name: "exact barcode first", query: "4000000000129", first: "10015"},
		{name: "exact item ID gives its variants", query: "10028", has: []string{"10028-BLK-M", "10028-BLK-L", "10028-WHT-M"}},
		{name: "exact product ID", query: "10028-WHT-M", first: "10028-WHT-M"},
		{name: "barcode prefix", query: "40000000001", first: "10011", has: []string{"10011", "10014", "10015", "10016"}},
		{name: "prefix", query: "choc", has: []string{"10014", "10015", "10016"}, words: []string{"choc"}, atLeast: 5},
		{name: "two prefixes in any order", query: "choc dark", has: []string{"10015"}, words: []string{"dark", "choc"}},
		{name: "accent folded in the query", query: "creme", has: []string{"10003"}, words: []string{"creme"}},
		{name: "accent in the query", query: "Crème", has: []string{"10003"}, words: []string{"creme"}},
		{name: "upper case", query: "CRÈME FRAÎCHE", first: "10003"},
		{name: "umlaut", query: "käse", has: []string{"10002"}},
		{name: "umlaut folded", query: "emmentaler kase", first: "10002"},
		{name: "tilde folded", query: "jalapeno", first: "10011"},
		{name: "punctuation ignored", query: "  whole-milk!! ", first: "10000"},
		{name: "no match", query: "zzzqqq"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := s.Search(ctx, tt.query, 50)
			require.NoError(t, err)
			if tt.first != "" {
				require.NotEmpty(t, got)
				assert.Equal(t, tt.first, got[0].ID)
			}
			assert.Subset(t, ids(got), tt.has)
			assert.GreaterOrEqual(t, len(got), tt.atLeast)
			for _, p := range got {
				assert.NotEmpty(t, p.Barcodes, "products come with their barcodes")
				for _, w := range tt.words {
					assert.True(t, hasWordPrefix(p.Name, w), "%q has no word starting with %q", p.Name, w)
				}
			}
			if tt.query == "zzzqqq" {
				assert.Empty(t, got)
			}
		})
	}
}

// hasWordPrefix reports whether a word of name starts with prefix, ignoring
// case and the accents the demo names use.
func hasWordPrefix(name, prefix string) bool {
	fold := strings.NewReplacer("è", "e", "é", "e", "ê", "e", "â", "a", "î", "i", "ä", "a", "ö", "o", "ü", "u", "ñ", "n", "ç", "c", "û", "u", "ô", "o", "à", "a", "í", "i", "á", "a", "ó", "o", "ú", "u", "ï", "i", "œ", "oe", "¡", "")
	for _, w := range strings.FieldsFunc(strings.ToLower(name), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsNumber(r) }) {
		if strings.HasPrefix(fold.Replace(w), prefix) {
			return true
		}
	}
	return false
}

func TestSearchRanking(t *testing.T) {
	s, _ := demoStore(t, 3000)
	got, err := s.Search(ctx, "chocolate", 200)
	require.NoError(t, err)
	require.Greater(t, len(got), 3)
	// The exact barcode of a product outranks every name match.
	got, err = s.Search(ctx, "4000000000143", 10)
	require.NoError(t, err)
	require.Len(t, got, 1)
	assert.Equal(t, "Espresso Beans 1 kg", got[0].Name)
	// Limits are honoured.
	got, err = s.Search(ctx, "a", 7)
	require.NoError(t, err)
	assert.Len(t, got, 7)
	got, err = s.Search(ctx, "a", 0)
	require.NoError(t, err)
	assert.Len(t, got, store.DefaultSearchLimit)
	got, err = s.Search(ctx, "4", 10_000)
	require.NoError(t, err)
	assert.Len(t, got, store.MaxSearchLimit)
}

func TestSearchHostileInput(t *testing.T) {
	s, _ := demoStore(t, 500)
	for _, q := range []string{
		``, ` `, `"`, `""`, `"""`, `*`, `**`, `choc*`, `"choc`, `choc"`, `NEAR(`, `NEAR(a b)`, `NEAR`, `-`, `- choc`, `-choc`,
		`AND`, `OR`, `NOT`, `a AND`, `OR NOT choc`, `(`, `)`, `((()`, `^`, `^choc`, `:`, `name:choc`, `{name}: choc`,
		`col:`, `+`, `'`, `'; DROP TABLE products; --`, `%`, `_`, `\`, "\x00", "choc\x00late", `\u0000`, `😀`, `🍫 choc`,
		"\xff\xfe", strings.Repeat("choc ", 1000), strings.Repeat("x", 10_000), `a"b"c`, `"a" OR "b"`, `rank:`, `products_fts`,
	} {
		got, err := s.Search(ctx, q, 20)
		require.NoError(t, err, "query %q", q)
		assert.LessOrEqual(t, len(got), 20)
	}
	got, err := s.Search(ctx, "", 20)
	require.NoError(t, err)
	assert.Empty(t, got)
	got, err = s.Search(ctx, `"choc"*`, 20)
	require.NoError(t, err)
	assert.NotEmpty(t, got, "quotes and stars are separators, the word still counts")
}

func TestPutAndDeleteProduct(t *testing.T) {
	s, _ := demoStore(t, 100)
	p := featured(t, "10014")
	p.Name = "Hazelnut Praline Bar 100 g"
	p.Barcodes = []string{"4000000000112", "4009999999998"}
	require.NoError(t, s.PutProduct(ctx, p))

	got, err := s.ByBarcode(ctx, "4009999999998")
	require.NoError(t, err)
	assert.Equal(t, p, got)
	res, err := s.Search(ctx, "praline", 10)
	require.NoError(t, err)
	assert.Equal(t, []string{"10014"}, ids(res))
	res, err = s.Search(ctx, "milk chocolate bar", 10)
	require.NoError(t, err)
	assert.NotContains(t, ids(res), "10014", "the old name is gone from the index")

	// A barcode of another product is refused, and nothing changes.
	q := featured(t, "10015")
	q.Barcodes = append(q.Barcodes, "4009999999998")
	err = s.PutProduct(ctx, q)
	assert.True(t, poserr.Is(err, poserr.Invalid), "%v", err)
	assert.Contains(t, err.Error(), `already belongs to product "10014"`)
	got, err = s.ByID(ctx, "10015")
	require.NoError(t, err)
	assert.Equal(t, featured(t, "10015"), got)

	require.NoError(t, s.DeleteProduct(ctx, "10014"))
	_, err = s.ByID(ctx, "10014")
	assert.True(t, poserr.Is(err, poserr.NotFound))
	_, err = s.ByBarcode(ctx, "4000000000112")
	assert.True(t, poserr.Is(err, poserr.NotFound))
	res, err = s.Search(ctx, "praline", 10)
	require.NoError(t, err)
	assert.Empty(t, res)
	assert.True(t, poserr.Is(s.DeleteProduct(ctx, "10014"), poserr.NotFound))
}

func productsOf(n int, mutate func(i int, p *catalog.Product)) func() (catalog.Product, bool) {
	next := demo.Products(n, demo.DefaultSeed)
	i := 0
	return func() (catalog.Product, bool) {
		p, ok := next()
		if ok && mutate != nil {
			mutate(i, &p)
		}
		i++
		return p, ok
	}
}

func TestImportAllOrNothing(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(i int, p *catalog.Product)
		want   string
	}{
		{"duplicate ID", func(i int, p *catalog.Product) {
			if i == 700 {
				p.ID = "10003"
			}
		}, `product "10003" appears twice`},
		{"duplicate barcode", func(i int, p *catalog.Product) {
			if i == 900 {
				p.Barcodes = []string{"4000000000013"}
			}
		}, "barcode 4000000000013 belongs to more than one product"},
		{"duplicate second barcode", func(i int, p *catalog.Product) {
			if i == 901 {
				p.Barcodes = append(p.Barcodes, "4000000000020")
			}
		}, "barcode 4000000000020 already belongs to product"},
		{"missing ID", func(i int, p *catalog.Product) {
			if i == 5 {
				p.ID = " "
			}
		}, "has no ID"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _ := openStore(t)
			n, err := s.ImportProducts(ctx, productsOf(1000, tt.mutate))
			require.Error(t, err)
			assert.True(t, poserr.Is(err, poserr.Invalid), "%v", err)
			assert.Contains(t, err.Error(), tt.want)
			assert.Zero(t, n)
			st, err := s.Stats(ctx)
			require.NoError(t, err)
			assert.Zero(t, st.Products)
			assert.Zero(t, st.Barcodes)
			res, err := s.Search(ctx, "milk", 10)
			require.NoError(t, err)
			assert.Empty(t, res)
			// The store is usable afterwards.
			n, err = s.ImportProducts(ctx, productsOf(1000, nil))
			require.NoError(t, err)
			assert.Equal(t, 1000, n)
		})
	}
}

func TestImportUpsertsIntoFilledStore(t *testing.T) {
	s, _ := demoStore(t, 500)
	var progress []int
	n, err := s.ImportProductsProgress(ctx, productsOf(700, func(i int, p *catalog.Product) {
		if i == 10 {
			p.Name = "Vanilla Custard 500 g"
		}
	}), func(done int) { progress = append(progress, done) })
	require.NoError(t, err)
	assert.Equal(t, 700, n)
	assert.Equal(t, 700, progress[len(progress)-1])
	st, err := s.Stats(ctx)
	require.NoError(t, err)
	assert.EqualValues(t, 700, st.Products)
	assert.EqualValues(t, 700, st.Barcodes)
	res, err := s.Search(ctx, "custard", 10)
	require.NoError(t, err)
	require.Len(t, res, 1)
	assert.Equal(t, "10010", res[0].ID)
	res, err = s.Search(ctx, "tomatoes vine", 10)
	require.NoError(t, err)
	assert.NotContains(t, ids(res), "10010")

	// A clash stops the upsert with a clear error.
	_, err = s.ImportProducts(ctx, productsOf(3, func(i int, p *catalog.Product) {
		if i == 2 {
			p.Barcodes = []string{"4000000000013"}
		}
	}))
	assert.True(t, poserr.Is(err, poserr.Invalid), "%v", err)
}

func TestEachProductAndStats(t *testing.T) {
	s, _ := demoStore(t, 300)
	var got []catalog.Product
	require.NoError(t, s.EachProduct(ctx, func(p catalog.Product) error { got = append(got, p); return nil }))
	var want []catalog.Product
	next := demo.Products(300, demo.DefaultSeed)
	for p, ok := next(); ok; p, ok = next() {
		want = append(want, p)
	}
	assert.Equal(t, want, got)
	st, err := s.Stats(ctx)
	require.NoError(t, err)
	assert.EqualValues(t, 300, st.Products)
	assert.Positive(t, st.FileBytes)
}
