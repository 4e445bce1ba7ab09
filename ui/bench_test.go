package ui

import (
	"context"
	"os"
	"path/filepath"
	"sort"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/opentill/opentill/offline/demo"
	"github.com/opentill/opentill/offline/store"
	"github.com/opentill/opentill/pos"
	"github.com/opentill/opentill/pos/catalog"
)

// benchProducts is the catalog size of the UI benchmarks.
const benchProducts = 100_000

// benchStore returns a 100,000-product demo store, seeded once into
// $OPENTILL_BENCH_DIR (default: the temp folder) and copied per benchmark.
func benchStore(b *testing.B) string {
	dir := os.Getenv("OPENTILL_BENCH_DIR")
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "opentill-ui-bench-100k")
	}
	if _, err := os.Stat(filepath.Join(dir, store.FileName)); err != nil {
		os.RemoveAll(dir)
		if _, err := demo.Seed(context.Background(), dir, benchProducts, nil); err != nil {
			b.Fatal(err)
		}
	}
	// each benchmark sells on its own copy
	cp := b.TempDir()
	for _, f := range []string{store.FileName, store.FileName + "-wal", "journal.key"} { // the signed journal needs its key
		data, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil {
			continue
		}
		if err := os.WriteFile(filepath.Join(cp, f), data, 0o600); err != nil {
			b.Fatal(err)
		}
	}
	// A cached store seeded by an older build keeps its setup and roles:
	// give the copy today's (a shift is required for selling, and the roles
	// may open one).
	st, err := store.Open(cp)
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	if err := st.SaveSetup(context.Background(), demo.Setup()); err != nil {
		b.Fatal(err)
	}
	for _, r := range demo.Roles() {
		if err := st.PutRole(context.Background(), r); err != nil {
			b.Fatal(err)
		}
	}
	return cp
}

func sampleProducts(n, every int) []catalog.Product {
	var out []catalog.Product
	next := demo.Products(benchProducts, demo.DefaultSeed)
	i := 0
	for p, ok := next(); ok && len(out) < n; p, ok = next() {
		if i%every == 0 && len(p.Barcodes) > 0 && !p.Flags.Weighed && !p.Flags.MustKeyInPrice {
			out = append(out, p)
		}
		i++
	}
	return out
}

func percentile(d []time.Duration, p float64) float64 {
	if len(d) == 0 {
		return 0
	}
	s := append([]time.Duration(nil), d...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	i := int(float64(len(s)-1) * p)
	return float64(s[i].Microseconds()) / 1000
}

func report(b *testing.B, prefix string, d []time.Duration) {
	b.ReportMetric(percentile(d, 0.5), prefix+"p50_ms")
	b.ReportMetric(percentile(d, 0.99), prefix+"p99_ms")
}

// BenchmarkScanToLine: Enter in the scan field (the barcode already typed by
// the scanner), to the new line rendered in the list and the totals updated (Fyne test driver,
// 100,000 products, carts of up to 200 lines). Beside it, in the same run:
// baseline_ — a bare Fyne list gaining a row and a label set, with no till
// behind it; lookup_ — the store's barcode lookup alone.
func BenchmarkScanToLine(b *testing.B) {
	dir := benchStore(b)
	r := newRigOn(b, dir)
	r.signInSelling("1001", "1234")
	r.ui.showSell()
	ps := sampleProducts(500, 150)
	var scan, base, lookup []time.Duration

	// baseline: bare list + label in the same test app
	rows := []string{}
	lbl := widget.NewLabel("")
	list := widget.NewList(func() int { return len(rows) }, func() fyne.CanvasObject { return widget.NewLabel("") },
		func(i widget.ListItemID, o fyne.CanvasObject) { o.(*widget.Label).SetText(rows[i]) })
	w2 := test.NewTempWindow(b, container.NewBorder(nil, lbl, nil, nil, list))
	w2.Resize(fyne.NewSize(800, 600))

	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		p := ps[i%len(ps)]
		if c := r.reg.Cart(); c != nil && len(c.Lines) >= 200 {
			b.StopTimer()
			if _, err := r.reg.Do(context.Background(), pos.VoidTransaction{}); err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
		}
		before := len(r.ui.sell.lines)
		v := r.ui.sell
		r.win.Canvas().Focus(v.scan)
		test.Type(v.scan, p.Barcodes[0]) // the scanner's keystrokes, before the Enter
		t0 := time.Now()
		v.scan.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
		scan = append(scan, time.Since(t0))
		if len(r.ui.sell.lines) != before+1 && before < 200 {
			b.Fatalf("scan of %s did not add a line (dialog: %v)", p.Barcodes[0], r.overlayText())
		}

		t1 := time.Now()
		if len(rows) >= 200 {
			rows = rows[:0]
		}
		rows = append(rows, p.Name)
		list.Refresh()
		list.Select(len(rows) - 1)
		lbl.SetText(p.Name)
		base = append(base, time.Since(t1))

		t2 := time.Now()
		if _, err := r.st.ByBarcode(context.Background(), p.Barcodes[0]); err != nil {
			b.Fatal(err)
		}
		lookup = append(lookup, time.Since(t2))
	}
	b.StopTimer()
	report(b, "scan_", scan)
	report(b, "baseline_", base)
	report(b, "lookup_", lookup)
}

// BenchmarkSearchAsYouType: each keystroke in the product search field, to
// the results list shown (Fyne test driver, 100,000 products). Beside it:
// fts_ — the store's search alone for the same prefixes.
func BenchmarkSearchAsYouType(b *testing.B) {
	dir := benchStore(b)
	r := newRigOn(b, dir)
	r.signInSelling("1001", "1234")
	r.ui.showSell()
	words := []string{"espresso", "chocolate", "butter", "organic", "sparkling", "cheese", "tomatoes", "shirt", "beans", "juice"}
	var key, fts []time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		w := words[i%len(words)]
		r.ui.sell.search.SetText("")
		for n := 2; n <= len(w); n++ {
			q := w[:n]
			t0 := time.Now()
			r.ui.sell.search.SetText(q)
			key = append(key, time.Since(t0))
			t1 := time.Now()
			if _, err := r.st.Search(context.Background(), q, 30); err != nil {
				b.Fatal(err)
			}
			fts = append(fts, time.Since(t1))
		}
	}
	b.StopTimer()
	report(b, "keystroke_", key)
	report(b, "fts_", fts)
}
