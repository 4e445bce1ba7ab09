package report_test

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/offline/demo"
	"github.com/opentill/opentill/offline/store"
	"github.com/opentill/opentill/peripherals/paysim"
	"github.com/opentill/opentill/pos"
	"github.com/opentill/opentill/pos/money"
	"github.com/opentill/opentill/pos/report"
	"github.com/opentill/opentill/pos/script"
	"github.com/opentill/opentill/pos/shift"
)

// berlin is the demo store's time zone.
var berlin = func() *time.Location {
	l, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		panic(err)
	}
	return l
}()

// tradingStore is a seeded demo store with two trading days on it: the
// 26th (one shift) and the 27th (a morning shift, docs/examples/trading-day.txt,
// and an afternoon shift, testdata/day2.txt) — sales, returns with and
// without receipt, voids, line voids, promotions, coupons, manual
// discounts, a manager's price override, cash movements, no-sales and
// counted closes.
type tradingStore struct {
	*store.Store
	dir   string
	setup pos.Setup
}

var (
	tradingOnce sync.Once
	tradingDir  string
	tradingErr  error
)

// trading returns the trading store, built once per test binary in a
// folder of its own and copied for each test.
func trading(t testing.TB) *tradingStore {
	t.Helper()
	tradingOnce.Do(func() {
		dir, err := os.MkdirTemp("", "opentill-report-")
		if err != nil {
			tradingErr = err
			return
		}
		tradingDir = dir
		tradingErr = buildTrading(dir)
	})
	require.NoError(t, tradingErr)
	dir := t.TempDir()
	entries, err := os.ReadDir(tradingDir)
	require.NoError(t, err)
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(tradingDir, e.Name()))
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(filepath.Join(dir, e.Name()), b, 0o600))
	}
	s, err := store.Open(dir)
	require.NoError(t, err)
	t.Cleanup(func() { s.Close() })
	setup, err := s.LoadSetup(context.Background())
	require.NoError(t, err)
	return &tradingStore{Store: s, dir: dir, setup: setup}
}

func buildTrading(dir string) error {
	ctx := context.Background()
	if _, err := demo.Seed(ctx, dir, 300, nil); err != nil {
		return err
	}
	s, err := store.Open(dir)
	if err != nil {
		return err
	}
	defer s.Close()
	setup, err := s.LoadSetup(ctx)
	if err != nil {
		return err
	}
	run := func(at time.Time, file string, short int64) error {
		now := at
		clock := func() time.Time { now = now.Add(time.Second); return now }
		reg := pos.NewRegister(setup, s, pos.Options{Terminal: paysim.New(), Now: clock})
		f, err := os.Open(file)
		if err != nil {
			return err
		}
		defer f.Close()
		steps, err := script.Parse(f, setup.Currency.Digits)
		if err != nil {
			return err
		}
		if err := script.Run(ctx, reg, steps, script.Options{}); err != nil {
			return err
		}
		if file == "../../docs/examples/trading-day.txt" {
			return nil // it closes its own shift
		}
		return closeCounted(ctx, reg, short)
	}
	if err := run(time.Date(2026, 11, 26, 10, 0, 0, 0, berlin), "testdata/day1.txt", 0); err != nil {
		return err
	}
	if err := run(time.Date(2026, 11, 27, 8, 30, 0, 0, berlin), "../../docs/examples/trading-day.txt", 0); err != nil {
		return err
	}
	return run(time.Date(2026, 11, 27, 14, 0, 0, 0, berlin), "testdata/day2.txt", 30)
}

// closeCounted declares the expected cash less short and the card takings,
// and closes the shift with the manager's approval.
func closeCounted(ctx context.Context, reg *pos.Register, short int64) error {
	res, err := reg.Do(ctx, pos.PrintXReport{})
	if err != nil {
		return err
	}
	x := res.Report
	if _, err := reg.Do(ctx, pos.DeclareTender{TenderID: demo.TenderCash, Amount: x.Tender(demo.TenderCash).Expected - money.Amount(short)}); err != nil {
		return err
	}
	if _, err := reg.Do(ctx, pos.DeclareTender{TenderID: demo.TenderCard, Amount: x.Tender(demo.TenderCard).Expected}); err != nil {
		return err
	}
	var op pos.Operation = pos.CloseShift{}
	if o, _, _ := reg.Operator(); o.ID != "2001" {
		op = pos.Approved{Op: op, ManagerID: "2001", Secret: "2468"}
	}
	_, err = reg.Do(ctx, op)
	return err
}

// config is the report configuration of the demo store.
func (ts *tradingStore) config() report.Config {
	return report.Config{Store: ts.setup.StoreID, StoreName: ts.setup.StoreName, Currency: ts.setup.Currency,
		Tenders: ts.setup.TenderTypes, TaxGroups: ts.setup.TaxGroups, Loc: berlin}
}

// zs are the stored Z reports of the shifts closed in p.
func (ts *tradingStore) zs(t testing.TB, p report.Period) []shift.Report {
	t.Helper()
	zs, err := ts.ClosedShifts(context.Background(), p.From, p.To)
	require.NoError(t, err)
	return zs
}

// TestMain removes the stores built once per test binary.
func TestMain(m *testing.M) {
	code := m.Run()
	for _, d := range []string{tradingDir, monthDir} {
		if d != "" {
			os.RemoveAll(d)
		}
	}
	os.Exit(code)
}
