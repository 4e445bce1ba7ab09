package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/pprof"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/opentill/opentill/offline/demo"
	"github.com/opentill/opentill/offline/store"
	"github.com/opentill/opentill/pos"
)

// row is one line of the benchmark table.
type row struct {
	Name           string  `json:"name"`
	Unit           string  `json:"unit"`
	Median         float64 `json:"median"`
	P99            float64 `json:"p99"`
	Baseline       string  `json:"baseline"`
	BaselineMedian float64 `json:"baseline_median"`
}

// searchQueries are typed the way a cashier types: whole words, prefixes, accents left off.
var searchQueries = []string{"milk", "choc", "cheese", "apple", "bread", "wat", "kase", "creme", "juice", "organic", "red", "bio", "tomato", "coffee", "sh"}

func benchCmd() *cobra.Command {
	var data, data1m, only string
	var asJSON, skipSeed bool
	var iters int
	var cpuprofile string
	c := &cobra.Command{
		Use:   "bench",
		Short: "Measure the selling core; every figure beside a baseline measured in the same run",
		Long: `bench measures add_item and checkout_commit on the store in --data (seed it with
--products 100000), and search, seed_1m and rss_selling on a 1,000,000-product store in
--data-1m (seeded afresh by the seed_1m row unless --skip-seed is given and it exists).`,
		RunE: func(cmd *cobra.Command, _ []string) (err error) {
			ctx := cmd.Context()
			if cpuprofile != "" {
				f, ferr := os.Create(cpuprofile) // not err: the deferred close reports into the result
				if ferr != nil {
					return ferr
				}
				defer closeInto(&err, f, "the CPU profile "+cpuprofile) // runs after StopCPUProfile has flushed it
				if err := pprof.StartCPUProfile(f); err != nil {
					return err
				}
				defer pprof.StopCPUProfile()
			}
			want := func(name string) bool { return only == "" || strings.Contains(","+only+",", ","+name+",") }
			var rows []row
			emit := func(r row) {
				rows = append(rows, r)
				if asJSON {
					b, _ := json.Marshal(r)
					fmt.Fprintln(cmd.OutOrStdout(), string(b))
				}
			}
			if want("add_item") || want("checkout_commit") {
				rs, err := benchSelling(ctx, data, iters, want)
				if err != nil {
					return err
				}
				for _, r := range rs {
					emit(r)
				}
			}
			if data1m != "" {
				if want("seed_1m") && !skipSeed {
					r, err := benchSeed(ctx, data1m)
					if err != nil {
						return err
					}
					emit(r)
				}
				if want("search") {
					r, err := benchSearch(ctx, data1m, iters)
					if err != nil {
						return err
					}
					emit(r)
				}
				if want("rss_selling") {
					r, err := benchRSS(data1m)
					if err != nil {
						return err
					}
					emit(r)
				}
			}
			if !asJSON {
				printTable(cmd.OutOrStdout(), rows)
			}
			return nil
		},
	}
	c.Flags().StringVar(&data, "data", "", "seeded store for add_item and checkout_commit (100,000 products)")
	_ = c.MarkFlagRequired("data")
	c.Flags().StringVar(&data1m, "data-1m", "", "folder for the 1,000,000-product store (search, seed_1m, rss_selling)")
	c.Flags().BoolVar(&asJSON, "json", false, "one JSON object per row")
	c.Flags().BoolVar(&skipSeed, "skip-seed", false, "reuse an existing --data-1m store instead of timing a fresh seed")
	c.Flags().IntVar(&iters, "n", 2000, "samples per timed row")
	c.Flags().StringVar(&only, "only", "", "comma-separated row names to run")
	c.Flags().StringVar(&cpuprofile, "cpuprofile", "", "write a CPU profile of the run to this file")
	c.AddCommand(rssChildCmd())
	return c
}

func printTable(w io.Writer, rows []row) {
	fmt.Fprintf(w, "%-16s %-6s %14s %14s   %-44s %14s %8s\n", "name", "unit", "median", "p99", "baseline", "baseline med", "ratio")
	for _, r := range rows {
		ratio := ""
		if r.BaselineMedian > 0 {
			ratio = fmt.Sprintf("%.2fx", r.Median/r.BaselineMedian)
		}
		fmt.Fprintf(w, "%-16s %-6s %14s %14s   %-44s %14s %8s\n", r.Name, r.Unit, human(r.Median, r.Unit), human(r.P99, r.Unit), r.Baseline, human(r.BaselineMedian, r.Unit), ratio)
	}
}

func human(v float64, unit string) string {
	switch unit {
	case "ns":
		switch {
		case v >= 1e6:
			return fmt.Sprintf("%.2f ms", v/1e6)
		case v >= 1e3:
			return fmt.Sprintf("%.1f µs", v/1e3)
		}
		return fmt.Sprintf("%.0f ns", v)
	case "bytes":
		return fmt.Sprintf("%.1f MB", v/1e6)
	case "s":
		return fmt.Sprintf("%.2f s", v)
	}
	return strconv.FormatFloat(v, 'g', 6, 64)
}

// stats returns the median and 99th percentile of samples.
func stats(s []float64) (median, p99 float64) {
	if len(s) == 0 {
		return 0, 0
	}
	sort.Float64s(s)
	return s[len(s)/2], s[min(len(s)-1, (len(s)*99+99)/100-1)]
}

// benchSelling measures add_item (a 50th line added by barcode, repricing and
// tax included) and checkout_commit (a 10-line sale paid and committed).
func benchSelling(ctx context.Context, data string, n int, want func(string) bool) ([]row, error) {
	s, reg, _, err := openTill(data, "approve", nil)
	if err != nil {
		return nil, err
	}
	defer s.Close()
	codes, err := sampleBarcodes(ctx, s.Path(), 2000)
	if err != nil {
		return nil, err
	}
	if _, err := reg.Do(ctx, demoManager()); err != nil {
		return nil, err
	}
	if err := benchShift(ctx, reg); err != nil {
		return nil, err
	}
	var rows []row
	if want("add_item") {
		// Each sample adds the 50th line to a fresh 49-line cart (the cart is
		// voided and refilled between samples, untimed), so every add reprices
		// a 50-line cart with tax.
		samples := make([]float64, 0, n)
		for i := 0; i < n; i++ {
			if i%20 == 0 {
				if i > 0 {
					if _, err := reg.Do(ctx, pos.VoidTransaction{}); err != nil {
						return nil, err
					}
				}
				for j := 0; j < 49; j++ {
					if _, err := reg.Do(ctx, pos.ProductSale{Barcode: codes[(i+j)%len(codes)]}); err != nil {
						return nil, fmt.Errorf("filling the cart: %w", err)
					}
				}
			} else if _, err := reg.Do(ctx, pos.VoidLine{Line: 49 + i%20}); err != nil {
				return nil, err
			}
			code := codes[(i*7+13)%len(codes)]
			t0 := time.Now()
			_, err := reg.Do(ctx, pos.ProductSale{Barcode: code})
			d := time.Since(t0)
			if err != nil {
				return nil, fmt.Errorf("add_item %s: %w", code, err)
			}
			samples = append(samples, float64(d.Nanoseconds()))
		}
		if _, err := reg.Do(ctx, pos.VoidTransaction{}); err != nil {
			return nil, err
		}
		med, p99 := stats(samples)
		base, err := bareLookup(ctx, s.Path(), codes, n)
		if err != nil {
			return nil, err
		}
		rows = append(rows, row{Name: "add_item", Unit: "ns", Median: med, P99: p99, Baseline: "bare indexed SQLite barcode lookup", BaselineMedian: base})
	}
	if want("checkout_commit") {
		m := n / 10
		if m < 50 {
			m = 50
		}
		samples := make([]float64, 0, m)
		for i := 0; i < m; i++ {
			for j := 0; j < 10; j++ {
				if _, err := reg.Do(ctx, pos.ProductSale{Barcode: codes[(i*10+j)%len(codes)]}); err != nil {
					return nil, err
				}
			}
			t0 := time.Now()
			if _, err := reg.Do(ctx, pos.PayCashExact{}); err != nil {
				return nil, fmt.Errorf("checkout: %w", err)
			}
			samples = append(samples, float64(time.Since(t0).Nanoseconds()))
		}
		med, p99 := stats(samples)
		base, err := bareInsertFsync(filepath.Dir(s.Path()), m)
		if err != nil {
			return nil, err
		}
		rows = append(rows, row{Name: "checkout_commit", Unit: "ns", Median: med, P99: p99, Baseline: "bare SQLite insert of the same rows, fsync'd", BaselineMedian: base})
	}
	return rows, nil
}

// sampleBarcodes picks plain (not weight-embedded) barcodes of the store.
func sampleBarcodes(ctx context.Context, path string, n int) ([]string, error) {
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro&_pragma=busy_timeout(5000)")
	if err != nil {
		return nil, err
	}
	defer db.Close()
	rows, err := db.QueryContext(ctx, `SELECT b.code FROM barcodes b JOIN products p ON p.id = b.product_id
		WHERE p.flags & 3 = 0 AND length(b.code) = 13 AND substr(b.code,1,1) <> '2' ORDER BY b.code LIMIT ?`, n)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	if len(out) < 60 {
		return nil, fmt.Errorf("the store has only %d plain barcodes: seed it with posctl seed --products 100000", len(out))
	}
	return out, rows.Err()
}

// bareLookup times a bare indexed SELECT of a product by barcode.
func bareLookup(ctx context.Context, path string, codes []string, n int) (float64, error) {
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro&_pragma=busy_timeout(5000)")
	if err != nil {
		return 0, err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	stmt, err := db.PrepareContext(ctx, `SELECT p.id, p.name, p.price, p.tax_group FROM barcodes b JOIN products p ON p.id = b.product_id WHERE b.code = ?`)
	if err != nil {
		return 0, err
	}
	defer stmt.Close()
	samples := make([]float64, 0, n)
	for i := 0; i < n; i++ {
		var id, name, tg string
		var price int64
		t0 := time.Now()
		if err := stmt.QueryRowContext(ctx, codes[(i*7+13)%len(codes)]).Scan(&id, &name, &price, &tg); err != nil {
			return 0, err
		}
		samples = append(samples, float64(time.Since(t0).Nanoseconds()))
	}
	med, _ := stats(samples)
	return med, nil
}

// bareInsertFsync times one transaction inserting a 10-line sale's rows
// (header, 10 lines, one tender) into a scratch database with WAL and
// synchronous=FULL: the floor for a durable checkout.
func bareInsertFsync(dir string, n int) (float64, error) {
	path := filepath.Join(dir, "bench-baseline.db")
	os.Remove(path)
	defer os.Remove(path)
	defer os.Remove(path + "-wal")
	defer os.Remove(path + "-shm")
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(5000)&_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)&_txlock=immediate")
	if err != nil {
		return 0, err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	for _, q := range []string{
		`CREATE TABLE t (id TEXT PRIMARY KEY, total INTEGER, payload TEXT)`,
		`CREATE TABLE l (txn TEXT, no INTEGER, product TEXT, qty INTEGER, net INTEGER, PRIMARY KEY (txn, no)) WITHOUT ROWID`,
		`CREATE TABLE p (txn TEXT, no INTEGER, amount INTEGER, PRIMARY KEY (txn, no)) WITHOUT ROWID`,
	} {
		if _, err := db.Exec(q); err != nil {
			return 0, err
		}
	}
	payload := strings.Repeat("x", 3000)
	samples := make([]float64, 0, n)
	for i := 0; i < n; i++ {
		id := fmt.Sprintf("txn-%06d", i)
		t0 := time.Now()
		tx, err := db.Begin()
		if err != nil {
			return 0, err
		}
		if _, err := tx.Exec(`INSERT INTO t VALUES (?, ?, ?)`, id, 1234, payload); err != nil {
			return 0, err
		}
		for j := 1; j <= 10; j++ {
			if _, err := tx.Exec(`INSERT INTO l VALUES (?, ?, ?, ?, ?)`, id, j, "10001", 1000, 199); err != nil {
				return 0, err
			}
		}
		if _, err := tx.Exec(`INSERT INTO p VALUES (?, 1, ?)`, id, 1990); err != nil {
			return 0, err
		}
		if err := tx.Commit(); err != nil {
			return 0, err
		}
		samples = append(samples, float64(time.Since(t0).Nanoseconds()))
	}
	med, _ := stats(samples)
	return med, nil
}

// benchSeed times posctl seed --products 1000000 into a fresh folder, beside a
// bare bulk insert of a million narrow rows (no indexes, no search index).
func benchSeed(ctx context.Context, dir string) (row, error) {
	if err := os.RemoveAll(dir); err != nil {
		return row{}, err
	}
	exe, err := os.Executable()
	if err != nil {
		return row{}, err
	}
	t0 := time.Now()
	cmd := exec.CommandContext(ctx, exe, "seed", "--data", dir, "--products", "1000000", "--quiet")
	cmd.Stderr = os.Stderr
	if out, err := cmd.Output(); err != nil {
		return row{}, fmt.Errorf("seeding 1,000,000 products: %w\n%s", err, out)
	}
	secs := time.Since(t0).Seconds()
	base, err := bareBulkInsert(dir, 1_000_000)
	if err != nil {
		return row{}, err
	}
	return row{Name: "seed_1m", Unit: "s", Median: secs, P99: secs, Baseline: "bare bulk insert of 1M narrow rows, no indexes", BaselineMedian: base}, nil
}

func bareBulkInsert(dir string, n int) (float64, error) {
	path := filepath.Join(dir, "bench-bulk.db")
	os.Remove(path)
	defer os.Remove(path)
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=journal_mode(OFF)&_pragma=synchronous(OFF)")
	if err != nil {
		return 0, err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	if _, err := db.Exec(`CREATE TABLE p (id TEXT, name TEXT, price INTEGER)`); err != nil {
		return 0, err
	}
	t0 := time.Now()
	tx, err := db.Begin()
	if err != nil {
		return 0, err
	}
	st, err := tx.Prepare(`INSERT INTO p VALUES (?, ?, ?)`)
	if err != nil {
		return 0, err
	}
	for i := 0; i < n; i++ {
		if _, err := st.Exec(strconv.Itoa(10000+i), "Product name of a typical length", i%10000); err != nil {
			return 0, err
		}
	}
	st.Close()
	if err := tx.Commit(); err != nil {
		return 0, err
	}
	return time.Since(t0).Seconds(), nil
}

// benchSearch times text and prefix searches through the store, beside the
// same MATCH expressions run bare against the FTS5 table.
func benchSearch(ctx context.Context, dir string, n int) (row, error) {
	s, err := store.Open(dir)
	if err != nil {
		return row{}, err
	}
	defer s.Close()
	if n > 1000 {
		n = 1000
	}
	samples := make([]float64, 0, n)
	for i := 0; i < n; i++ {
		q := searchQueries[i%len(searchQueries)]
		t0 := time.Now()
		if _, err := s.Search(ctx, q, 20); err != nil {
			return row{}, err
		}
		samples = append(samples, float64(time.Since(t0).Nanoseconds()))
	}
	med, p99 := stats(samples)
	db, err := sql.Open("sqlite", "file:"+s.Path()+"?mode=ro&_pragma=busy_timeout(5000)")
	if err != nil {
		return row{}, err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	base := make([]float64, 0, n)
	for i := 0; i < n; i++ {
		q := searchQueries[i%len(searchQueries)] + "*"
		t0 := time.Now()
		rows, err := db.QueryContext(ctx, `SELECT rowid FROM products_fts WHERE products_fts MATCH ? ORDER BY rank LIMIT 20`, q)
		if err != nil {
			return row{}, err
		}
		for rows.Next() {
		}
		rows.Close()
		base = append(base, float64(time.Since(t0).Nanoseconds()))
	}
	bmed, _ := stats(base)
	return row{Name: "search", Unit: "ns", Median: med, P99: p99, Baseline: "bare FTS5 MATCH, top 20 by rank", BaselineMedian: bmed}, nil
}

// benchRSS runs a child process that sells against the 1M store and reports
// its peak RSS, beside a child that only opens the database and runs one query.
func benchRSS(dir string) (row, error) {
	sell, err := childRSS(dir, false)
	if err != nil {
		return row{}, err
	}
	bare, err := childRSS(dir, true)
	if err != nil {
		return row{}, err
	}
	return row{Name: "rss_selling", Unit: "bytes", Median: sell, P99: sell, Baseline: "bare process: open the database, one query", BaselineMedian: bare}, nil
}

func childRSS(dir string, bare bool) (float64, error) {
	exe, err := os.Executable()
	if err != nil {
		return 0, err
	}
	args := []string{"bench", "rss-child", "--data", dir}
	if bare {
		args = append(args, "--bare")
	}
	cmd := exec.Command(exe, args...)
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		return 0, fmt.Errorf("rss child: %w", err)
	}
	kb, err := strconv.ParseFloat(strings.TrimSpace(string(out)), 64)
	if err != nil {
		return 0, fmt.Errorf("rss child printed %q: %w", out, err)
	}
	return kb * 1024, nil
}

// peakRSSKiB reads the process's own peak resident set (VmHWM). Unlike the
// rusage a parent gets from wait4, it is not inflated by the parent's size
// at fork.
func peakRSSKiB() (int64, error) {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0, fmt.Errorf("peak RSS needs /proc: %w", err)
	}
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, "VmHWM:"); ok {
			return strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
		}
	}
	return 0, fmt.Errorf("no VmHWM in /proc/self/status")
}

func rssChildCmd() *cobra.Command {
	var data string
	var bare bool
	c := &cobra.Command{
		Use:    "rss-child",
		Hidden: true,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			s, err := store.Open(data)
			if err != nil {
				return err
			}
			defer s.Close()
			report := func() error {
				kb, err := peakRSSKiB()
				if err != nil {
					return err
				}
				fmt.Fprintln(cmd.OutOrStdout(), kb)
				return nil
			}
			if bare {
				if _, err := s.ByID(ctx, "10000"); err != nil {
					return err
				}
				return report()
			}
			setup, err := s.LoadSetup(ctx)
			if err != nil {
				return err
			}
			reg := pos.NewRegister(setup, s, pos.Options{})
			if _, err := reg.Do(ctx, demoManager()); err != nil {
				return err
			}
			if err := benchShift(ctx, reg); err != nil {
				return err
			}
			codes, err := sampleBarcodes(ctx, s.Path(), 2000)
			if err != nil {
				return err
			}
			for i := 0; i < 200; i++ {
				for j := 0; j < 10; j++ {
					if _, err := reg.Do(ctx, pos.ProductSale{Barcode: codes[(i*10+j)%len(codes)]}); err != nil {
						return err
					}
				}
				if _, err := s.Search(ctx, searchQueries[i%len(searchQueries)], 20); err != nil {
					return err
				}
				if _, err := reg.Do(ctx, pos.PayCashExact{}); err != nil {
					return err
				}
			}
			return report()
		},
	}
	c.Flags().StringVar(&data, "data", "", "data folder")
	c.Flags().BoolVar(&bare, "bare", false, "only open the database and run one query")
	return c
}

// benchShift makes sure the signed-in operator sells in an open shift, as
// the demo store requires: the till's open shift (resumed after a restart,
// so a data folder benchmarked before sells on in the shift it left open,
// joined if another operator opened it), or a new one with a 100.00 float.
// The start amount only feeds the shift's expected cash: checkouts pay
// exact cash and never need change from it.
func benchShift(ctx context.Context, reg *pos.Register) error {
	sh, err := reg.CurrentShift(ctx)
	if err != nil {
		return err
	}
	op, _, _ := reg.Operator()
	switch {
	case sh == nil:
		_, err = reg.Do(ctx, pos.OpenShift{StartAmount: 100_00})
	case !sh.HasUser(op.ID):
		_, err = reg.Do(ctx, pos.JoinShift{})
	}
	if err != nil {
		return fmt.Errorf("opening a shift: %w", err)
	}
	return nil
}

// demoManager signs in as the demo store's first manager.
func demoManager() pos.SignIn {
	_, ops := demo.Staff()
	for _, o := range ops {
		if o.RoleID == demo.RoleManager {
			return pos.SignIn{OperatorID: o.ID, Secret: o.PIN}
		}
	}
	return pos.SignIn{}
}
