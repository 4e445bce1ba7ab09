package store_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/opentill/opentill/offline/demo"
	"github.com/opentill/opentill/offline/store"
	"github.com/opentill/opentill/pos/cart"
	"github.com/opentill/opentill/pos/catalog"
	"github.com/opentill/opentill/pos/journal"
)

// The benchmarks run against one demo store seeded once per test binary with
// OPENTILL_BENCH_PRODUCTS products (default 100,000); seeding is not timed.
// Each figure has a baseline measured in the same run:
//
//	BenchmarkCommit10Lines   vs BenchmarkBareInsertFsync (same rows, bare SQLite, synchronous=FULL)
//	BenchmarkSearch          vs BenchmarkBareFTS         (a bare ranked FTS5 MATCH of the same words)

var bench struct {
	once sync.Once
	dir  string
	n    int
	err  error
}

func TestMain(m *testing.M) {
	code := m.Run()
	for _, dir := range []string{bench.dir, custBench.dir} {
		if dir != "" {
			os.RemoveAll(dir)
		}
	}
	os.Exit(code)
}

func benchProducts() int {
	if v, err := strconv.Atoi(os.Getenv("OPENTILL_BENCH_PRODUCTS")); err == nil && v > 0 {
		return v
	}
	return 100_000
}

// benchStore opens the shared seeded store.
func benchStore(b *testing.B) *store.Store {
	b.Helper()
	bench.once.Do(func() {
		bench.n = benchProducts()
		bench.dir, bench.err = os.MkdirTemp("", "opentill-bench-")
		if bench.err != nil {
			return
		}
		start := time.Now()
		_, bench.err = demo.Seed(context.Background(), bench.dir, bench.n, nil)
		if bench.err == nil {
			b.Logf("seeded %d products in %v", bench.n, time.Since(start).Round(time.Millisecond))
		}
	})
	if bench.err != nil {
		b.Fatal(bench.err)
	}
	s, err := store.Open(bench.dir)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	return s
}

// tenLines is a priced, paid cart of ten featured products.
func tenLines(b *testing.B) *cart.Cart {
	var ps []catalog.Product
	for _, p := range demo.Featured[:12] {
		if !p.Flags.Weighed {
			ps = append(ps, p)
		}
	}
	return sale(b, ps[:10]...)
}

func BenchmarkCommit10Lines(b *testing.B) {
	s := benchStore(b)
	tmpl := tenLines(b)
	ids := make([]string, b.N)
	for i := range ids {
		ids[i] = uuid.Must(uuid.NewV7()).String()
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		c := *tmpl
		c.ID = ids[i]
		if err := s.Commit(ctx, &c, journal.Entry{Kind: journal.Sale, Operator: "1001"}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBareInsertFsync writes the rows a commit writes (a transaction
// with its JSON, ten lines, a tender, a journal row and an outbox row) into
// plain tables of a bare SQLite file with the same pragmas, one
// BEGIN IMMEDIATE … COMMIT with synchronous=FULL per iteration: the cost of
// the fsyncs alone.
func BenchmarkBareInsertFsync(b *testing.B) {
	benchStore(b) // same conditions: the seeded store exists
	path := filepath.Join(b.TempDir(), "bare.db")
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(5000)&_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)&_txlock=immediate")
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	if _, err := db.Exec(`
		CREATE TABLE t (id TEXT PRIMARY KEY, receipt_no TEXT UNIQUE, total INTEGER, payload TEXT);
		CREATE TABLE l (txn_id TEXT, line_no INTEGER, product_id TEXT, qty INTEGER, net INTEGER, PRIMARY KEY (txn_id, line_no)) WITHOUT ROWID;
		CREATE TABLE d (txn_id TEXT, no INTEGER, type TEXT, amount INTEGER, PRIMARY KEY (txn_id, no)) WITHOUT ROWID;
		CREATE TABLE j (seq INTEGER PRIMARY KEY, txn_id TEXT, payload TEXT, hash TEXT);
		CREATE TABLE o (id TEXT PRIMARY KEY, payload TEXT, created TEXT)`); err != nil {
		b.Fatal(err)
	}
	tmpl := tenLines(b)
	payload, _ := json.Marshal(tmpl)
	ids := make([]string, b.N)
	for i := range ids {
		ids[i] = uuid.Must(uuid.NewV7()).String()
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		tx, err := db.Begin()
		if err != nil {
			b.Fatal(err)
		}
		id := ids[i]
		_, err = tx.Exec(`INSERT INTO t VALUES(?, ?, ?, ?)`, id, strconv.Itoa(i), int64(tmpl.Totals.Total), string(payload))
		for _, l := range tmpl.Lines {
			if err == nil {
				_, err = tx.Exec(`INSERT INTO l VALUES(?, ?, ?, ?, ?)`, id, l.No, l.ProductID, int64(l.Qty), int64(l.Net))
			}
		}
		if err == nil {
			_, err = tx.Exec(`INSERT INTO d VALUES(?, 1, 'cash', ?)`, id, int64(tmpl.Totals.Total))
		}
		if err == nil {
			_, err = tx.Exec(`INSERT INTO j(txn_id, payload, hash) VALUES(?, ?, 'h')`, id, string(payload))
		}
		if err == nil {
			_, err = tx.Exec(`INSERT INTO o VALUES(?, ?, 'now')`, id, string(payload))
		}
		if err != nil {
			b.Fatal(err)
		}
		if err := tx.Commit(); err != nil {
			b.Fatal(err)
		}
	}
}

// searchQueries are what a cashier types, and the same words as a bare FTS5
// expression.
var searchQueries = []struct{ text, fts string }{
	{"choc", `"choc"*`},
	{"milk", `"milk"*`},
	{"creme", `"creme"*`},
	{"dark choc", `"dark"* "choc"*`},
	{"käse", `"käse"*`},
	{"sourdough", `"sourdough"*`},
	{"jalapeno", `"jalapeno"*`},
	{"tomat", `"tomat"*`},
}

func BenchmarkSearch(b *testing.B) {
	s := benchStore(b)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		q := searchQueries[i%len(searchQueries)]
		if _, err := s.Search(ctx, q.text, 20); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkBareFTS(b *testing.B) {
	benchStore(b)
	db, err := sql.Open("sqlite", "file:"+filepath.Join(bench.dir, store.FileName)+"?_pragma=busy_timeout(5000)&_pragma=query_only(1)&_pragma=cache_size(-4000)")
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	st, err := db.Prepare(`SELECT rowid FROM products_fts WHERE products_fts MATCH ? ORDER BY rank LIMIT 20`)
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		rows, err := st.Query(searchQueries[i%len(searchQueries)].fts)
		if err != nil {
			b.Fatal(err)
		}
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				b.Fatal(err)
			}
		}
		if err := rows.Close(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkByBarcode(b *testing.B) {
	s := benchStore(b)
	codes := make([]string, 0, len(demo.Featured))
	for _, p := range demo.Featured {
		codes = append(codes, p.Barcodes[0])
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := s.ByBarcode(ctx, codes[i%len(codes)]); err != nil {
			b.Fatal(err)
		}
	}
}
