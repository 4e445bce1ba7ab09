package store_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/offline/demo"
	"github.com/opentill/opentill/offline/store"
	"github.com/opentill/opentill/pos/cart"
	"github.com/opentill/opentill/pos/catalog"
	"github.com/opentill/opentill/pos/journal"
	"github.com/opentill/opentill/pos/money"
)

var ctx = context.Background()

// openStore opens a store in a fresh temporary folder.
func openStore(t testing.TB) (*store.Store, string) {
	t.Helper()
	dir := t.TempDir()
	s, err := store.Open(dir)
	require.NoError(t, err)
	t.Cleanup(func() { s.Close() })
	return s, dir
}

// demoStore opens a store with the demo setup and n demo products.
func demoStore(t testing.TB, n int) (*store.Store, string) {
	t.Helper()
	s, dir := openStore(t)
	require.NoError(t, s.SaveSetup(ctx, demo.Setup()))
	got, err := s.ImportProducts(ctx, demo.Products(n, demo.DefaultSeed))
	require.NoError(t, err)
	require.Equal(t, n, got)
	return s, dir
}

// rawDB opens the store's file directly, as an attacker or a test would.
func rawDB(t testing.TB, dir string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, store.FileName)+"?_pragma=busy_timeout(5000)")
	require.NoError(t, err)
	t.Cleanup(func() { db.Close() })
	return db
}

func count(t testing.TB, db *sql.DB, query string, args ...any) int {
	t.Helper()
	var n int
	require.NoError(t, db.QueryRow(query, args...).Scan(&n))
	return n
}

var t0 = time.Date(2026, 11, 27, 9, 30, 0, 0, time.UTC)

// sale builds a completed, priced cart of one unit of each product, paid in cash.
func sale(t testing.TB, products ...catalog.Product) *cart.Cart {
	t.Helper()
	setup := demo.Setup()
	c := &cart.Cart{
		ID: uuid.Must(uuid.NewV7()).String(), Store: demo.StoreID, Terminal: demo.TerminalID, Operator: "1001",
		Currency: money.EUR, Status: cart.Completed, Started: t0, Finished: t0.Add(time.Minute),
	}
	for i, p := range products {
		c.Lines = append(c.Lines, cart.Line{
			No: i + 1, ProductID: p.ID, ItemID: p.ItemID, Name: p.Name, Unit: p.Unit, UnitDecimals: p.UnitDecimals(),
			Qty: catalog.One, UnitPrice: p.Price, OriginalPrice: p.Price, TaxGroup: p.TaxGroup, Flags: p.Flags,
		})
		if len(p.Barcodes) > 0 {
			c.Lines[i].Barcode = p.Barcodes[0]
		}
	}
	require.NoError(t, c.Reprice(setup.Pricing()))
	c.Tenders = []cart.Tender{{No: 1, TypeID: demo.TenderCash, Name: "Cash", Kind: cart.Cash, Amount: c.Totals.Total}}
	require.NoError(t, c.Reprice(setup.Pricing()))
	return c
}

func entry(kind journal.Kind, op int) journal.Entry {
	return journal.Entry{Time: t0, Kind: kind, Operation: op, Operator: "1001"}
}

func featured(t testing.TB, id string) catalog.Product {
	t.Helper()
	for _, p := range demo.Featured {
		if p.ID == id {
			return p
		}
	}
	t.Fatalf("no featured product %s", id)
	return catalog.Product{}
}
