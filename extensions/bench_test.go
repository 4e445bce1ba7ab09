package extensions_test

import (
	"context"
	"os"
	"path/filepath"
	"sort"
	"testing"
	"time"

	"github.com/opentill/opentill/extensions"
	"github.com/opentill/opentill/extensions/exttest"
	"github.com/opentill/opentill/offline/demo"
	"github.com/opentill/opentill/offline/store"
	"github.com/opentill/opentill/pos"
)

// nop is a Go extension with one pre- and one post-trigger on product
// sales that read what a real one reads (the product, the cart) and let the
// sale run.
type nop struct{ seen int }

func (*nop) ExtensionInfo() extensions.Info { return extensions.Info{ID: "bench.nop", Name: "Bench"} }
func (*nop) Hooks() extensions.Hooks        { return extensions.Hooks{Ops: []pos.OpID{pos.OpProductSale}} }
func (n *nop) PreOperation(_ context.Context, _ pos.Operation, v pos.View) error {
	if v.Product != nil && v.Product.Category == "Tobacco" {
		n.seen++
	}
	return nil
}
func (n *nop) PostOperation(_ context.Context, _ pos.Operation, res pos.Result, _ error, v pos.View) ([]pos.Operation, error) {
	if res.Line != nil && res.Line.Qty < 0 && v.Cart() != nil { // a return: look at the cart
		n.seen++
	}
	return nil, nil
}

// isolatedNop is nop with its calls on a goroutine of their own
// (Hooks.Isolated).
type isolatedNop struct{ nop }

func (*isolatedNop) ExtensionInfo() extensions.Info {
	return extensions.Info{ID: "bench.isolated", Name: "Bench, isolated"}
}
func (*isolatedNop) Hooks() extensions.Hooks {
	return extensions.Hooks{Ops: []pos.OpID{pos.OpProductSale}, Isolated: true}
}

// sale sells the demo's featured items into a cart of up to 50 lines
// (voided and started again off the clock) and returns the sale's time.
func sale(b *testing.B, h *exttest.Host, i int) time.Duration {
	codes := []string{"4000000000013", "4000000000020", "4000000000037", "4000000000044", "4000000000051", "4000000000068", "4000000000075"}
	ctx := context.Background()
	if i%50 == 0 && i > 0 {
		if _, err := h.Register.Do(ctx, pos.VoidTransaction{}); err != nil {
			b.Fatal(err)
		}
	}
	start := time.Now()
	if _, err := h.Register.Do(ctx, pos.ProductSale{Barcode: codes[i%len(codes)]}); err != nil {
		b.Fatal(err)
	}
	return time.Since(start)
}

// inBlocks times n sales on each of two tills, in alternating blocks of
// 200 so that the machine's noise falls on both. Not sale by sale: the
// extension's hand-over to its own goroutine wakes the other core, which
// slowed the next sale of the till without it too and so hid most of the
// hand-over's cost (SQLite: 1.12× sale by sale, 1.65× in blocks).
func inBlocks(n int, base, ext func(i int) time.Duration) (tb, te []time.Duration) {
	const block = 200
	for i := 0; i < 2*n; i++ {
		if (i/block)%2 == 0 && len(tb) < n || len(te) == n {
			tb = append(tb, base(len(tb)))
		} else {
			te = append(te, ext(len(te)))
		}
	}
	return tb, te
}

func pct(times []time.Duration, p int) float64 {
	sort.Slice(times, func(i, j int) bool { return times[i] < times[j] })
	return float64(times[len(times)*p/100].Nanoseconds()) / 1e3
}

// BenchmarkProductSale compares a product sale with one Go pre- and
// post-trigger with the same sale on a till without extensions, the two
// in alternating blocks of sales (inBlocks)
// (go test -bench ProductSale ./extensions/). It reports both medians and
// p99s and their ratio.
func BenchmarkProductSale(b *testing.B) {
	base := exttest.New(b, exttest.Options{})
	base.SignIn("1001", "1234")
	ext := exttest.New(b, exttest.Options{Extensions: []extensions.Extension{&nop{}}})
	ext.SignIn("1001", "1234")
	b.ResetTimer()
	tb, te := inBlocks(b.N, func(i int) time.Duration { return sale(b, base, i) }, func(i int) time.Duration { return sale(b, ext, i) })
	b.StopTimer()
	b.ReportMetric(pct(tb, 50), "base-p50-µs")
	b.ReportMetric(pct(te, 50), "ext-p50-µs")
	b.ReportMetric(pct(te, 50)/pct(tb, 50), "p50-ratio")
	b.ReportMetric(pct(tb, 99), "base-p99-µs")
	b.ReportMetric(pct(te, 99), "ext-p99-µs")
}

// sqliteTill opens a till on a copy of a seeded SQLite store, with exts.
func sqliteTill(b *testing.B, seed string, exts ...extensions.Extension) *pos.Register {
	dir := b.TempDir()
	ents, err := os.ReadDir(seed)
	if err != nil {
		b.Fatal(err)
	}
	for _, e := range ents {
		if e.Type().IsRegular() {
			data, err := os.ReadFile(filepath.Join(seed, e.Name()))
			if err != nil {
				b.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, e.Name()), data, 0o600); err != nil {
				b.Fatal(err)
			}
		}
	}
	s, err := store.Open(dir)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	setup, err := s.LoadSetup(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	setup.Shifts.Required = false
	g := pos.NewRegistry()
	set, err := extensions.Load(context.Background(), g, extensions.Options{Skip: allRegistered()}, exts...)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { set.Close() })
	reg := pos.NewRegister(setup, s, pos.Options{Registry: g})
	if err := set.Attach(reg); err != nil {
		b.Fatal(err)
	}
	if _, err := reg.Do(context.Background(), pos.SignIn{OperatorID: "1001", Secret: "1234"}); err != nil {
		b.Fatal(err)
	}
	return reg
}

func allRegistered() []string {
	var out []string
	for _, i := range extensions.Registered() {
		out = append(out, i.ID)
	}
	return out
}

// BenchmarkProductSaleSQLite is BenchmarkProductSale on the till's real
// store: SQLite with the demo's 5,000 products.
func BenchmarkProductSaleSQLite(b *testing.B) { benchSQLite(b, &nop{}) }

// BenchmarkProductSaleIsolated is BenchmarkProductSaleSQLite with the
// extension's calls isolated on their own goroutine: the price of being
// able to leave a call that never returns behind.
func BenchmarkProductSaleIsolated(b *testing.B) { benchSQLite(b, &isolatedNop{}) }

func benchSQLite(b *testing.B, e extensions.Extension) {
	seed := b.TempDir()
	if _, err := demo.Seed(context.Background(), seed, 5000, nil); err != nil {
		b.Fatal(err)
	}
	base, ext := sqliteTill(b, seed), sqliteTill(b, seed, e)
	codes := []string{"4000000000013", "4000000000020", "4000000000037", "4000000000044", "4000000000051", "4000000000068", "4000000000075"}
	ctx := context.Background()
	one := func(r *pos.Register, i int) time.Duration {
		if i%50 == 0 && i > 0 {
			if _, err := r.Do(ctx, pos.VoidTransaction{}); err != nil {
				b.Fatal(err)
			}
		}
		start := time.Now()
		if _, err := r.Do(ctx, pos.ProductSale{Barcode: codes[i%len(codes)]}); err != nil {
			b.Fatal(err)
		}
		return time.Since(start)
	}
	b.ResetTimer()
	tb, te := inBlocks(b.N, func(i int) time.Duration { return one(base, i) }, func(i int) time.Duration { return one(ext, i) })
	b.StopTimer()
	b.ReportMetric(pct(tb, 50), "base-p50-µs")
	b.ReportMetric(pct(te, 50), "ext-p50-µs")
	b.ReportMetric(pct(te, 50)/pct(tb, 50), "p50-ratio")
	b.ReportMetric(pct(tb, 99), "base-p99-µs")
	b.ReportMetric(pct(te, 99), "ext-p99-µs")
}
