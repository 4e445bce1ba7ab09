package tillsync_test

import (
	"bytes"
	"fmt"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/offline/api"
	"github.com/opentill/opentill/offline/apimap"
	"github.com/opentill/opentill/offline/demo"
	"github.com/opentill/opentill/offline/scaleunit"
	"github.com/opentill/opentill/offline/store"
	"github.com/opentill/opentill/offline/tillsync"
	"github.com/opentill/opentill/pos/catalog"
)

// Run the targets with:
//
//	go test -run '^$' -bench . -benchtime 1x ./offline/tillsync
//
// OPENTILL_BENCH_PRODUCTS sets the catalog size of the first download
// (default 1,000,000). Each benchmark reports its baseline, measured in the
// same run, beside it.

func benchProducts() int {
	if v, err := strconv.Atoi(os.Getenv("OPENTILL_BENCH_PRODUCTS")); err == nil && v > 0 {
		return v
	}
	return 1_000_000
}

// BenchmarkFirstDownload: a fresh till pulls the whole catalog from a server
// on loopback, with progress reported. Baseline: seeding the same products
// straight into a local store (no network, no paging, no JSON).
func BenchmarkFirstDownload(b *testing.B) {
	n := benchProducts()
	s := startServer(b, n)
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		baseDir := b.TempDir()
		bs, err := store.Open(baseDir)
		require.NoError(b, err)
		t0 := time.Now()
		_, err = bs.ImportProducts(ctx, demo.Products(n, demo.DefaultSeed))
		require.NoError(b, err)
		baseline := time.Since(t0)
		bs.Close()

		tl := newTill(b, s, fmt.Sprintf("B%02d", i), s.URL)
		require.NoError(b, tl.Eng.Close())
		var reports int
		var lastPct int64 = -1
		opt := tillsync.Options{Progress: func(ds string, done, total int64) {
			reports++
			if ds == api.DatasetProducts && total > 0 {
				if pct := done * 100 / total; pct/25 != lastPct/25 {
					lastPct = pct
					b.Logf("progress: %s %d/%d (%d%%)", ds, done, total, pct)
				}
			}
		}}
		var logBuf bytes.Buffer
		opt.Logger = slog.New(slog.NewTextHandler(&logBuf, nil))
		eng, err := tillsync.Open(tl.Dir, tl.St, opt)
		require.NoError(b, err)
		b.StartTimer()
		t1 := time.Now()
		res, err := eng.PassResult(ctx)
		elapsed := time.Since(t1)
		b.StopTimer()
		require.NoError(b, err)
		for _, l := range strings.Split(logBuf.String(), "\n") {
			if strings.Contains(l, "first catalog download complete") {
				b.Log(l)
			}
		}
		require.EqualValues(b, n, res.Pulled[api.DatasetProducts])
		eng.Close()
		b.ReportMetric(elapsed.Seconds(), "s/download")
		b.ReportMetric(baseline.Seconds(), "s/baseline-local-import")
		b.ReportMetric(float64(n)/elapsed.Seconds(), "products/s")
		b.Logf("first download of %d products: %.1fs (%d progress reports); baseline local import: %.1fs", n, elapsed.Seconds(), reports, baseline.Seconds())
	}
}

// BenchmarkPriceChanges: 1,000 price changes made on the server are pulled
// and applied by a synced till. Baseline: a pass with nothing to pull (the
// round trips alone).
func BenchmarkPriceChanges(b *testing.B) {
	s := startServer(b, 20_000)
	tl := newTill(b, s, "T01", s.URL)
	require.NoError(b, tl.Eng.Pass(ctx))
	var all []catalog.Product
	next := demo.Products(20_000, demo.DefaultSeed)
	for p, ok := next(); ok; p, ok = next() {
		all = append(all, p)
	}
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		t0 := time.Now()
		require.NoError(b, tl.Eng.Pass(ctx))
		baseline := time.Since(t0)
		changes := make([]api.PriceChange, 1000)
		for k := range changes {
			p := all[(i*1000+k*17)%len(all)]
			changes[k] = api.PriceChange{ProductID: p.ID, Price: int64(p.Price) + int64(i+1)}
		}
		require.NoError(b, s.St.SetPrices(ctx, changes))
		b.StartTimer()
		t1 := time.Now()
		res, err := tl.Eng.PassResult(ctx)
		elapsed := time.Since(t1)
		b.StopTimer()
		require.NoError(b, err)
		require.EqualValues(b, 1000, res.Pulled[api.DatasetPrices])
		got, err := tl.St.ByID(ctx, changes[999].ProductID)
		require.NoError(b, err)
		require.EqualValues(b, changes[999].Price, got.Price)
		b.ReportMetric(elapsed.Seconds()*1000, "ms/1000-prices")
		b.ReportMetric(baseline.Seconds()*1000, "ms/baseline-empty-pass")
	}
}

// BenchmarkDrain: 10,000 queued transactions are pushed to the server.
// Baseline: the same 10,000 stored straight into the server's storage (no
// HTTP, no outbox).
func BenchmarkDrain(b *testing.B) {
	const n = 10_000
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		s := startServer(b, 100)
		tl := newTill(b, s, "T01", s.URL)
		require.NoError(b, tl.Eng.Pass(ctx))
		sell(b, tl.St, n)
		items, err := tl.St.OutboxPending(ctx, n)
		require.NoError(b, err)
		base := startServer(b, 1)
		baseTill, err := base.St.PutTill(ctx, demo.StoreID, "T09")
		require.NoError(b, err)
		t0 := time.Now()
		for _, it := range items {
			_, _, err := base.St.Upload(ctx, baseTill, it.Kind, it.ID, it.Payload)
			require.NoError(b, err)
		}
		baseline := time.Since(t0)
		b.StartTimer()
		t1 := time.Now()
		res, err := tl.Eng.PassResult(ctx)
		elapsed := time.Since(t1)
		b.StopTimer()
		require.NoError(b, err)
		require.Equal(b, n, res.Pushed)
		require.Len(b, uploadedIDs(b, s.St), n)
		b.ReportMetric(elapsed.Seconds(), "s/drain-10000")
		b.ReportMetric(baseline.Seconds(), "s/baseline-direct-storage")
		b.ReportMetric(float64(n)/elapsed.Seconds(), "tx/s")
	}
}

// BenchmarkConcurrentTills: 10 tills push their queued transactions to one
// server at once. Baseline: one till alone.
func BenchmarkConcurrentTills(b *testing.B) {
	const perTill = 300
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		s := startServer(b, 100)
		run := func(count int, prefix string) float64 {
			tills := make([]*till, count)
			for k := range tills {
				tills[k] = newTill(b, s, fmt.Sprintf("%s%02d", prefix, k), s.URL)
				require.NoError(b, tills[k].Eng.Pass(ctx))
				sell(b, tills[k].St, perTill)
			}
			before := len(uploadedIDs(b, s.St))
			var wg sync.WaitGroup
			t0 := time.Now()
			for _, tl := range tills {
				wg.Add(1)
				go func(tl *till) {
					defer wg.Done()
					require.NoError(b, tl.Eng.Pass(ctx))
				}(tl)
			}
			wg.Wait()
			elapsed := time.Since(t0)
			require.Len(b, uploadedIDs(b, s.St), before+count*perTill)
			return float64(count*perTill) / elapsed.Seconds()
		}
		baseline := run(1, "A")
		b.StartTimer()
		rate := run(10, "C")
		b.StopTimer()
		b.ReportMetric(rate, "tx/s-10-tills")
		b.ReportMetric(baseline, "tx/s-baseline-1-till")
	}
}

// BenchmarkCustomersFirstDownload: a fresh till pulls OPENTILL_BENCH_CUSTOMERS
// customers (default 100,000) from the server's customers feed, beside the
// same customers imported into a local store directly.
func BenchmarkCustomersFirstDownload(b *testing.B) {
	n := 100_000
	if v, err := strconv.Atoi(os.Getenv("OPENTILL_BENCH_CUSTOMERS")); err == nil && v > 0 {
		n = v
	}
	s := startServer(b, 100)
	next := demo.Customers(n, demo.DefaultSeed)
	var batch []api.Customer
	for c, ok := next(); ok; c, ok = next() {
		batch = append(batch, apimap.CustomerOf(c))
		if len(batch) == 5000 {
			require.NoError(b, s.St.PutCustomers(ctx, batch))
			batch = batch[:0]
		}
	}
	require.NoError(b, s.St.PutCustomers(ctx, batch))
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		bs, err := store.Open(b.TempDir())
		require.NoError(b, err)
		require.NoError(b, bs.SaveSetup(ctx, demo.Setup()))
		t0 := time.Now()
		_, err = bs.ImportCustomers(ctx, demo.Customers(n, demo.DefaultSeed), nil)
		require.NoError(b, err)
		baseline := time.Since(t0)
		bs.Close()

		tl := newTill(b, s, fmt.Sprintf("C%02d", i), s.URL)
		require.NoError(b, tl.Eng.Close())
		var reports int
		eng, err := tillsync.Open(tl.Dir, tl.St, tillsync.Options{Progress: func(ds string, done, total int64) {
			if ds == api.DatasetCustomers {
				reports++
			}
		}})
		require.NoError(b, err)
		b.StartTimer()
		t1 := time.Now()
		res, err := eng.PassResult(ctx)
		elapsed := time.Since(t1)
		b.StopTimer()
		require.NoError(b, err)
		require.EqualValues(b, n, res.Pulled[api.DatasetCustomers])
		eng.Close()
		b.ReportMetric(elapsed.Seconds(), "s/download")
		b.ReportMetric(baseline.Seconds(), "s/baseline-local-import")
		b.Logf("first download of %d customers: %.1fs (%d progress reports, whole pass with the other feeds); baseline local import: %.1fs", n, elapsed.Seconds(), reports, baseline.Seconds())
	}
}

// BenchmarkPriceFeed100Tills: 100,000 price changes made on the server
// reach 100 tills at once: 99 tills pull the prices feed page by page with
// the sync engine's client (each page decoded and checked on this machine
// too, which the server shares its two cores with) while a real till pulls
// and applies them to its SQLite store. Target: all of it ≤ 30 s. Also the real till
// pulling the next 100,000 alone. Baseline: the same 100 tills each
// pulling the empty feed once (the round trips alone).
// SCALEUNIT_TEST_DB=postgres runs it on PostgreSQL.
func BenchmarkPriceFeed100Tills(b *testing.B) {
	const tills, n = 100, 100_000
	s := startServer(b, n)
	real := newTill(b, s, "T01", s.URL)
	require.NoError(b, real.Eng.Close()) // a till's own timeouts, not the tests' short ones
	eng, err := tillsync.Open(real.Dir, real.St, tillsync.Options{})
	require.NoError(b, err)
	b.Cleanup(func() { eng.Close() })
	real.Eng = eng
	require.NoError(b, real.Eng.Pass(ctx)) // the catalog first
	tokens := make([]string, tills-1)
	for i := range tokens {
		till, err := s.St.PutTill(ctx, demo.StoreID, fmt.Sprintf("P%02d", i))
		require.NoError(b, err)
		code, err := scaleunit.IssueActivationCode(ctx, s.St, till.ID, time.Hour)
		require.NoError(b, err)
		tokens[i] = fmt.Sprintf("bench-token-%02d-%d", i, time.Now().UnixNano())
		_, err = s.St.Activate(ctx, scaleunit.HashCode(code), scaleunit.HashSecret(tokens[i]), "bench", nil, "")
		require.NoError(b, err)
	}
	clients := make([]*tillsync.Client, len(tokens))
	for i, tok := range tokens {
		c, err := tillsync.NewClient(s.URL, tok, tillsync.ClientOptions{Timeout: time.Minute})
		require.NoError(b, err)
		clients[i] = c
	}
	// pull reads the prices feed from after to its end, as a till's sync
	// engine does, and counts the changes.
	pull := func(c *tillsync.Client, after int64) (int, int64, error) {
		count := 0
		for {
			p, err := c.Feed(ctx, api.DatasetPrices, after, api.DefaultPageSize, false)
			if err != nil {
				return 0, 0, err
			}
			count += len(p.Changes)
			after = p.NextCursor
			if !p.More {
				return count, after, nil
			}
		}
	}
	var all []catalog.Product
	next := demo.Products(n, demo.DefaultSeed)
	for p, ok := next(); ok; p, ok = next() {
		all = append(all, p)
	}
	cursors := make([]int64, len(tokens))
	for i := range tokens {
		_, c, err := pull(clients[i], 0)
		require.NoError(b, err)
		cursors[i] = c
	}
	b.ResetTimer()
	for it := 0; it < b.N; it++ {
		b.StopTimer()
		t0 := time.Now()
		var wg sync.WaitGroup
		berrs := make([]error, len(tokens))
		for i := range tokens {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, _, berrs[i] = pull(clients[i], cursors[i])
			}()
		}
		wg.Wait()
		baseline := time.Since(t0)
		for _, err := range berrs {
			require.NoError(b, err)
		}
		changes := make([]api.PriceChange, n)
		for k := range changes {
			changes[k] = api.PriceChange{ProductID: all[k].ID, Price: int64(all[k].Price) + int64(it+1)}
		}
		require.NoError(b, s.St.SetPrices(ctx, changes))
		b.StartTimer()
		t1 := time.Now()
		var applied time.Duration
		errs := make([]error, len(tokens)+1)
		got := make([]int, len(tokens))
		for i := range tokens {
			wg.Add(1)
			go func() {
				defer wg.Done()
				got[i], cursors[i], errs[i] = pull(clients[i], cursors[i])
			}()
		}
		var res tillsync.Result
		wg.Add(1)
		go func() {
			defer wg.Done()
			res, errs[len(tokens)] = real.Eng.PassResult(ctx)
			applied = time.Since(t1)
		}()
		wg.Wait()
		elapsed := time.Since(t1)
		b.StopTimer()
		for i, err := range errs {
			require.NoError(b, err, "till %d", i)
		}
		for i := range got {
			require.Equal(b, n, got[i], "till %d got every change", i)
		}
		require.EqualValues(b, n, res.Pulled[api.DatasetPrices])
		p, err := real.St.ByID(ctx, all[n-1].ID)
		require.NoError(b, err)
		require.EqualValues(b, changes[n-1].Price, p.Price)
		// The real till alone, as on a machine of its own.
		for k := range changes {
			changes[k].Price++
		}
		require.NoError(b, s.St.SetPrices(ctx, changes))
		t2 := time.Now()
		res, err = real.Eng.PassResult(ctx)
		alone := time.Since(t2)
		require.NoError(b, err)
		require.EqualValues(b, n, res.Pulled[api.DatasetPrices])
		b.ReportMetric(elapsed.Seconds(), "s/100-tills")
		b.ReportMetric(applied.Seconds(), "s/real-till-applied")
		b.ReportMetric(alone.Seconds(), "s/one-till-alone")
		b.ReportMetric(baseline.Seconds(), "s/baseline-empty-pulls")
		b.StartTimer()
	}
}
