package store_test

import (
	"database/sql"
	"path/filepath"
	"testing"
	"time"

	"github.com/opentill/opentill/offline/demo"
	"github.com/opentill/opentill/offline/store"
	"github.com/opentill/opentill/pos"
	"github.com/opentill/opentill/pos/catalog"
)

// Stock figures, each beside a baseline of the same run:
//
//	BenchmarkCountScan10000Lines vs BenchmarkBareUpsertFsync (one row upserted per durable transaction in a bare SQLite file)
//	BenchmarkInventoryLookup     vs BenchmarkByBarcode       (the product lookup alone)

// stockRegister is a register on the bench store, the manager signed in.
func stockRegister(b *testing.B, s *store.Store) *pos.Register {
	b.Helper()
	setup, err := s.LoadSetup(ctx)
	if err != nil {
		b.Fatal(err)
	}
	r := pos.NewRegister(setup, s, pos.Options{})
	if _, err := r.Do(ctx, pos.SignIn{OperatorID: "2001", Secret: "2468"}); err != nil {
		b.Fatal(err)
	}
	return r
}

// BenchmarkCountScan10000Lines scans products into a stock count that
// holds 10,000 lines already: each scan resolves the barcode, reads the
// expected figure at a line's first count and stores the line durably.
func BenchmarkCountScan10000Lines(b *testing.B) {
	s := benchStore(b)
	r := stockRegister(b, s)
	res, err := r.Do(ctx, pos.StockCount{Action: pos.CountStart, Name: "bench"})
	if err != nil {
		b.Fatal(err)
	}
	id := res.Count.Count.ID
	var barcodes []string
	next := demo.Products(min(bench.n, 20_000), demo.DefaultSeed)
	i := 0
	start := time.Now()
	for p, ok := next(); ok; p, ok = next() {
		if i < 10_000 {
			if _, err := s.CountProduct(ctx, id, p.ID, catalog.One, true, false, time.Now()); err != nil {
				b.Fatal(err)
			}
		}
		if len(p.Barcodes) > 0 && !p.Flags.Weighed {
			barcodes = append(barcodes, p.Barcodes[0])
		}
		i++
	}
	b.Logf("10,000 lines counted in %v", time.Since(start).Round(time.Millisecond))
	ds := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for n := 0; n < b.N; n++ {
		t := time.Now()
		if _, err := r.Do(ctx, pos.StockCount{Action: pos.CountScan, CountID: id, Barcode: barcodes[n%len(barcodes)]}); err != nil {
			b.Fatal(err)
		}
		ds = append(ds, time.Since(t))
	}
	b.StopTimer()
	reportPercentiles(b, ds)
}

// BenchmarkBareUpsertFsync upserts one row per BEGIN IMMEDIATE … COMMIT
// with synchronous=FULL in a bare SQLite file: the durable write alone.
func BenchmarkBareUpsertFsync(b *testing.B) {
	benchStore(b)
	db, err := sql.Open("sqlite", "file:"+filepath.Join(b.TempDir(), "bare.db")+"?_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)&_txlock=immediate")
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	if _, err := db.Exec(`CREATE TABLE l (c TEXT, p TEXT, q INTEGER, PRIMARY KEY (c, p)) WITHOUT ROWID`); err != nil {
		b.Fatal(err)
	}
	ds := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for n := 0; n < b.N; n++ {
		t := time.Now()
		tx, err := db.Begin()
		if err != nil {
			b.Fatal(err)
		}
		if _, err := tx.Exec(`INSERT INTO l VALUES('c', ?, 1) ON CONFLICT(c, p) DO UPDATE SET q = q + 1`, n%10_000); err != nil {
			b.Fatal(err)
		}
		if err := tx.Commit(); err != nil {
			b.Fatal(err)
		}
		ds = append(ds, time.Since(t))
	}
	b.StopTimer()
	reportPercentiles(b, ds)
}

// BenchmarkInventoryLookup looks a product's stock in this store up by its
// barcode (op 801, offline: the server's figure and this till's movements).
func BenchmarkInventoryLookup(b *testing.B) {
	s := benchStore(b)
	r := stockRegister(b, s)
	next := demo.Products(min(bench.n, 50_000), demo.DefaultSeed)
	var barcodes []string
	for p, ok := next(); ok; p, ok = next() {
		if len(p.Barcodes) > 0 && !p.Flags.Weighed {
			barcodes = append(barcodes, p.Barcodes[0])
		}
	}
	ds := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for n := 0; n < b.N; n++ {
		t := time.Now()
		if _, err := r.Do(ctx, pos.InventoryLookup{Barcode: barcodes[(n*7919)%len(barcodes)]}); err != nil {
			b.Fatal(err)
		}
		ds = append(ds, time.Since(t))
	}
	b.StopTimer()
	reportPercentiles(b, ds)
}
