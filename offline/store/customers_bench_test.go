package store_test

import (
	"database/sql"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/opentill/opentill/offline/demo"
	"github.com/opentill/opentill/offline/store"
	"github.com/opentill/opentill/pos/customer"
)

// The customer benchmarks run against a store holding
// OPENTILL_BENCH_CUSTOMERS demo customers (default 1,000,000), imported once
// per test binary (not timed):
//
//	BenchmarkCustomerSearch vs BenchmarkBareCustomerFTS (the bare FTS5 MATCH of the name words)

var custBench struct {
	once sync.Once
	dir  string
	err  error
}

func benchCustomers() int {
	if v, err := strconv.Atoi(os.Getenv("OPENTILL_BENCH_CUSTOMERS")); err == nil && v > 0 {
		return v
	}
	return 1_000_000
}

func customerStore(b *testing.B) *store.Store {
	b.Helper()
	custBench.once.Do(func() {
		custBench.dir, custBench.err = os.MkdirTemp("", "opentill-customers-")
		if custBench.err != nil {
			return
		}
		s, err := store.Open(custBench.dir)
		if err != nil {
			custBench.err = err
			return
		}
		defer s.Close()
		if custBench.err = s.SaveSetup(ctx, demo.Setup()); custBench.err != nil {
			return
		}
		start := time.Now()
		n, err := s.ImportCustomers(ctx, demo.Customers(benchCustomers(), demo.DefaultSeed), nil)
		custBench.err = err
		b.Logf("imported %d customers in %v", n, time.Since(start).Round(time.Millisecond))
	})
	if custBench.err != nil {
		b.Fatal(custBench.err)
	}
	s, err := store.Open(custBench.dir)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	return s
}

// customerQueries are what a cashier types: a name or its start, a full
// name, a phone number's end, an e-mail address, a card and a customer
// number.
var customerQueries = []struct{ text, fts string }{
	{"müller", `"muller"*`},
	{"garc", `"garc"*`},
	{"anna schmidt", `"anna"* AND "schmidt"*`},
	{"lefèvre", `"lefevre"*`},
	{"jose mart", `"jose"* AND "mart"*`},
	{"o'sullivan", `"o"* AND "sullivan"*`},
	{"0170 1234", ""},
	{"anna.muller17@example.com", ""},
	{"LC0000123456", ""},
	{"S0001-T02-C000777", ""},
	{"ødegaard", `"ødegaard"*`},
	{"wiśniewski", `"wisniewski"*`},
}

func reportPercentiles(b *testing.B, ds []time.Duration) {
	slices.Sort(ds)
	at := func(p float64) float64 { return float64(ds[int(float64(len(ds)-1)*p)]) / float64(time.Millisecond) }
	b.ReportMetric(at(0.5), "p50-ms")
	b.ReportMetric(at(0.99), "p99-ms")
}

func BenchmarkCustomerSearch(b *testing.B) {
	s := customerStore(b)
	ds := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		q := customerQueries[i%len(customerQueries)]
		t := time.Now()
		if _, err := s.SearchCustomers(ctx, customer.Query{Text: q.text, Limit: 20}); err != nil {
			b.Fatal(err)
		}
		ds = append(ds, time.Since(t))
	}
	reportPercentiles(b, ds)
}

func BenchmarkBareCustomerFTS(b *testing.B) {
	customerStore(b)
	db, err := sql.Open("sqlite", "file:"+filepath.Join(custBench.dir, store.FileName)+"?_pragma=busy_timeout(5000)&_pragma=query_only(1)")
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	st, err := db.Prepare(`SELECT rowid FROM customers_fts WHERE customers_fts MATCH ? LIMIT 20`)
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	var names []string
	for _, q := range customerQueries {
		if q.fts != "" {
			names = append(names, q.fts)
		}
	}
	ds := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t := time.Now()
		rows, err := st.Query(names[i%len(names)])
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
		ds = append(ds, time.Since(t))
	}
	reportPercentiles(b, ds)
}
