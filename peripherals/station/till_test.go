package station_test

// A real register on a real store for the station's tests and benchmarks:
// the demo catalog seeded into a temporary SQLite store, the simulated card
// terminal, and the demo cashier signed in. It lives in a _test file so the
// peripherals never depend on the offline store.

import (
	"context"
	"testing"
	"time"

	"github.com/opentill/opentill/offline/demo"
	"github.com/opentill/opentill/offline/store"
	"github.com/opentill/opentill/peripherals/paysim"
	"github.com/opentill/opentill/pos"
)

// Barcodes of demo products.
const (
	Milk    = "4000000000013" // Whole Milk 3.5 % 1 L, 1.19
	Butter  = "4000000000020" // Butter 250 g, 2.29
	Bananas = "2100042000001" // sold by weight, 1.99/kg
)

// Till is a register on a seeded store.
type Till struct {
	Reg   *pos.Register
	Store *store.Store
	Term  *paysim.Terminal
	Dir   string
}

// newTill seeds 50 demo products into a temporary store, opens a register on
// it, signs the demo cashier 1001 in and opens a shift with a 100.00 float
// (the demo store sells only in an open shift).
func newTill(tb testing.TB) *Till {
	tb.Helper()
	ctx := context.Background()
	dir := tb.TempDir()
	if _, err := demo.Seed(ctx, dir, 50, nil); err != nil {
		tb.Fatalf("seeding the demo store: %v", err)
	}
	s, err := store.Open(dir)
	if err != nil {
		tb.Fatalf("opening the store: %v", err)
	}
	tb.Cleanup(func() { s.Close() })
	setup, err := s.LoadSetup(ctx)
	if err != nil {
		tb.Fatalf("loading the setup: %v", err)
	}
	term := paysim.New()
	term.Timeout = 50 * time.Millisecond
	reg := pos.NewRegister(setup, s, pos.Options{Terminal: term})
	if _, err := reg.Do(ctx, pos.SignIn{OperatorID: "1001", Secret: "1234"}); err != nil {
		tb.Fatalf("signing in: %v", err)
	}
	if _, err := reg.Do(ctx, pos.OpenShift{StartAmount: 100_00}); err != nil {
		tb.Fatalf("opening the shift: %v", err)
	}
	return &Till{Reg: reg, Store: s, Term: term, Dir: dir}
}

// Do runs an operation and fails the test on error.
func (t *Till) Do(tb testing.TB, op pos.Operation) pos.Result {
	tb.Helper()
	res, err := t.Reg.Do(context.Background(), op)
	if err != nil {
		tb.Fatalf("%T %+v: %v", op, op, err)
	}
	return res
}
