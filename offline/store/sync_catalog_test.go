package store_test

import (
	"database/sql"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/offline/api"
	"github.com/opentill/opentill/offline/demo"
	"github.com/opentill/opentill/offline/store"
	"github.com/opentill/opentill/pos/poserr"
)

// TestApplyCatalogPage loads a catalog page by page in bulk-load mode:
// each page is committed with its cursor, a product that comes again is
// replaced (with its barcodes), a deleted one removed, search scans names
// until FinishCatalogLoad rebuilds the index, and the flag survives a
// reopen.
func TestApplyCatalogPage(t *testing.T) {
	s, dir := openStore(t)
	prod := func(id, name string, codes ...string) *api.Product {
		return &api.Product{ID: id, ItemID: id, Name: name, Unit: "ea", Price: 100, TaxGroup: demo.TaxStandard, Barcodes: codes}
	}
	var page1 []api.Change
	for i := 1; i <= 150; i++ { // more than one multi-row insert
		id := "P" + string(rune('A'+i%26)) + itoa(i)
		page1 = append(page1, api.Change{Seq: int64(i), Key: id, Product: prod(id, "Pumpernickel loaf "+itoa(i), "40000"+itoa(100000+i))})
	}
	page1 = append(page1, api.Change{Seq: 151, Key: "M1", Product: prod("M1", "Crème fraîche", "4000001", "4000002")})
	require.NoError(t, s.ApplyCatalogPage(ctx, page1, 151))

	pending, err := s.CatalogLoadPending(ctx)
	require.NoError(t, err)
	assert.True(t, pending)
	n, err := s.ProductCount(ctx)
	require.NoError(t, err)
	assert.EqualValues(t, 151, n)
	got, err := s.Search(ctx, "pumpernickel 17", 5)
	require.NoError(t, err)
	assert.NotEmpty(t, got, "the fallback scan finds names")
	got, err = s.Search(ctx, "LOAF 150", 5)
	require.NoError(t, err)
	if assert.Len(t, got, 1) {
		assert.Equal(t, "Pumpernickel loaf 150", got[0].Name)
	}
	p, err := s.ByBarcode(ctx, "4000002")
	require.NoError(t, err)
	assert.Equal(t, "M1", p.ID)

	// A page behind the cursor is refused and changes nothing.
	err = s.ApplyCatalogPage(ctx, nil, 100)
	assert.True(t, poserr.Is(err, poserr.Conflict), "%v", err)

	// Reopen: the bulk load is still unfinished.
	require.NoError(t, s.Close())
	s, err = store.Open(dir)
	require.NoError(t, err)
	t.Cleanup(func() { s.Close() })
	pending, err = s.CatalogLoadPending(ctx)
	require.NoError(t, err)
	assert.True(t, pending)

	// The next page replaces M1 (one barcode moves to a new product), deletes
	// one product and repeats an already applied change (skipped).
	page2 := []api.Change{
		{Seq: 151, Key: "M1", Product: prod("M1", "must be skipped")},
		{Seq: 152, Key: "M1", Product: prod("M1", "Crème double", "4000001")},
		{Seq: 153, Key: "N2", Product: prod("N2", "Oat drink", "4000002")},
		{Seq: 154, Key: "PB1", Deleted: true},
	}
	require.NoError(t, s.ApplyCatalogPage(ctx, page2, 154))
	cur, err := s.SyncCursor(ctx, api.DatasetProducts)
	require.NoError(t, err)
	assert.EqualValues(t, 154, cur)
	p, err = s.ByBarcode(ctx, "4000002")
	require.NoError(t, err)
	assert.Equal(t, "N2", p.ID)
	p, err = s.ByID(ctx, "M1")
	require.NoError(t, err)
	assert.Equal(t, "Crème double", p.Name)
	assert.Equal(t, []string{"4000001"}, p.Barcodes)
	_, err = s.ByID(ctx, "PB1")
	assert.True(t, poserr.Is(err, poserr.NotFound))

	// A barcode of another product fails the whole page.
	err = s.ApplyCatalogPage(ctx, []api.Change{
		{Seq: 155, Key: "N3", Product: prod("N3", "Rye", "4000009")},
		{Seq: 156, Key: "N4", Product: prod("N4", "Spelt", "4000001")},
	}, 156)
	require.Error(t, err)
	assert.True(t, poserr.Is(err, poserr.Invalid), "%v", err)
	assert.Contains(t, err.Error(), "4000001")
	_, err = s.ByID(ctx, "N3")
	assert.True(t, poserr.Is(err, poserr.NotFound), "nothing of the failed page was applied")

	require.NoError(t, s.FinishCatalogLoad(ctx))
	pending, err = s.CatalogLoadPending(ctx)
	require.NoError(t, err)
	assert.False(t, pending)
	got, err = s.Search(ctx, "creme", 5)
	require.NoError(t, err)
	if assert.Len(t, got, 1, "the rebuilt index folds accents") {
		assert.Equal(t, "M1", got[0].ID)
	}
	got, err = s.Search(ctx, "pumpernickel", 500)
	require.NoError(t, err)
	assert.Len(t, got, 149)
	db := rawDB(t, dir)
	assert.Equal(t, 151, count(t, db, `SELECT count(*) FROM products_fts WHERE products_fts MATCH 'pumpernickel OR creme OR oat'`))
	assert.NoError(t, s.FinishCatalogLoad(ctx), "without a bulk load it does nothing")
}

func itoa(i int) string {
	const digits = "0123456789"
	if i == 0 {
		return "0"
	}
	var b []byte
	for ; i > 0; i /= 10 {
		b = append([]byte{digits[i%10]}, b...)
	}
	return string(b)
}

// BenchmarkSearchDuringCatalogLoad: Search while a catalog download in
// bulk-load mode is unfinished (the index is incomplete, names are
// scanned). Baseline: BenchmarkSearch, the same queries through the index.
func BenchmarkSearchDuringCatalogLoad(b *testing.B) {
	s := benchStore(b)
	db, err := sql.Open("sqlite", "file:"+filepath.Join(bench.dir, store.FileName)+"?_pragma=busy_timeout(5000)")
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`INSERT INTO settings(key, value) VALUES('catalog_bulk_load', 'true')`); err != nil {
		b.Fatal(err)
	}
	defer db.Exec(`DELETE FROM settings WHERE key = 'catalog_bulk_load'`)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		q := searchQueries[i%len(searchQueries)]
		if _, err := s.Search(ctx, q.text, 20); err != nil {
			b.Fatal(err)
		}
	}
}
