package pos_test

import (
	"bufio"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/offline/store"
	"github.com/opentill/opentill/pos"
	"github.com/opentill/opentill/pos/journal"
	"github.com/opentill/opentill/pos/shift"
)

// shiftCrashEnv makes the test binary act as a till that runs whole shifts
// in a loop: open, sell, float, count, close.
const shiftCrashEnv = "OPENTILL_SHIFT_CRASH_DIR"

func shiftCrashChild(dir string) int {
	ctx := context.Background()
	fail := func(err error) int { fmt.Fprintln(os.Stderr, err); return 2 }
	s, err := store.Open(dir)
	if err != nil {
		return fail(err)
	}
	setup, err := s.LoadSetup(ctx)
	if err != nil {
		return fail(err)
	}
	reg := pos.NewRegister(setup, s, pos.Options{})
	if _, err := reg.Do(ctx, pos.SignIn{OperatorID: "2001", Secret: "2468"}); err != nil {
		return fail(err)
	}
	out := bufio.NewWriter(os.Stdout)
	say := func(f string, a ...any) { fmt.Fprintf(out, f+"\n", a...); out.Flush() }
	for {
		sh, err := reg.CurrentShift(ctx)
		if err != nil {
			return fail(err)
		}
		if sh == nil {
			res, err := reg.Do(ctx, pos.OpenShift{StartAmount: 10000})
			if err != nil {
				return fail(err)
			}
			sh = res.Shift
		}
		for _, op := range []pos.Operation{pos.ProductSale{Barcode: bcMilk}, pos.PayCashExact{}, pos.FloatEntry{Amount: 100, Reason: "coins"}} {
			if _, err := reg.Do(ctx, op); err != nil {
				return fail(err)
			}
		}
		say("FLOAT %s", sh.ID)
		x, err := reg.Do(ctx, pos.PrintXReport{})
		if err != nil {
			return fail(err)
		}
		// Count the drawer twice (a recount replaces the first count).
		for i := 0; i < 2; i++ {
			exp := x.Report.Tender("cash").Expected
			counts := []shift.Count{{Value: 1000, Qty: int64(exp / 1000)}, {Value: 1, Qty: int64(exp % 1000)}}
			if _, err := reg.Do(ctx, pos.DeclareTender{TenderID: "cash", Counts: counts}); err != nil {
				return fail(err)
			}
			say("DECLARED %s", sh.ID)
		}
		if _, err := reg.Do(ctx, pos.CloseShift{}); err != nil {
			return fail(err)
		}
		say("CLOSED %s", sh.ID)
	}
}

// TestShiftSurvivesSIGKILL kills a till in the middle of counting and
// closing shifts. After each kill the journal verifies, a register has at
// most one open shift and it can be counted and closed, every closed
// shift's stored Z is what its journal says, and no count or float is
// counted twice (each shift closes with over/short 0).
func TestShiftSurvivesSIGKILL(t *testing.T) {
	if testing.Short() {
		t.Skip("kills processes; skipped with -short")
	}
	ctx := context.Background()
	tl := withShifts(t, newSQLiteTill(t, true), false)
	require.NoError(t, tl.store.Close())
	rng := rand.New(rand.NewPCG(3, 5))
	floats := map[string]int{} // shift → floats reported
	closed := map[string]bool{}
	for round := 0; round < 8; round++ {
		killAfter(t, shiftCrashEnv+"="+tl.dir, time.Duration(20+rng.IntN(120))*time.Millisecond, func(l string) {
			f := strings.Fields(l)
			require.Len(t, f, 2, l)
			switch f[0] {
			case "FLOAT":
				floats[f[1]]++
			case "CLOSED":
				closed[f[1]] = true
			}
		})
		checkShiftsAfterCrash(t, ctx, tl, floats, closed, round%3 == 0)
	}
	t.Logf("%d shifts closed across 8 kills", len(closed))
}

func checkShiftsAfterCrash(t *testing.T, ctx context.Context, tl *till, floats map[string]int, closed map[string]bool, finish bool) {
	t.Helper()
	s, err := store.Open(tl.dir)
	require.NoError(t, err)
	defer s.Close()
	_, err = s.VerifyJournal(ctx)
	require.NoError(t, err)
	var all []journal.Entry
	require.NoError(t, s.JournalEach(ctx, func(e journal.Entry) error { all = append(all, e); return nil }))
	setup, err := s.LoadSetup(ctx)
	require.NoError(t, err)
	open, err := s.Shifts(ctx, shift.Open)
	require.NoError(t, err)
	require.LessOrEqual(t, len(open), 1, "one register, at most one open shift")
	done, err := s.Shifts(ctx, shift.Closed)
	require.NoError(t, err)
	for id := range closed {
		sh, err := s.Shift(ctx, id)
		require.NoError(t, err)
		assert.Equal(t, shift.Closed, sh.Status, "reported closed")
	}
	for _, sh := range done {
		stored, err := s.ZReport(ctx, sh.ID)
		require.NoError(t, err)
		z := rebuild(t, sh, all, setup)
		assert.Equal(t, stored, z)
		assert.Zero(t, z.OverShort, "shift %s: a count or float was counted twice", sh.ID)
		assert.GreaterOrEqual(t, int(z.Tender("cash").Float/100), floats[sh.ID], "a reported float is missing")
	}
	if !finish || len(open) == 0 {
		return
	}
	// Restart: the open shift is found again, counted and closed.
	reg := pos.NewRegister(setup, s, pos.Options{})
	_, err = reg.Do(ctx, pos.SignIn{OperatorID: "2001", Secret: "2468"})
	require.NoError(t, err)
	cur, err := reg.CurrentShift(ctx)
	require.NoError(t, err)
	require.NotNil(t, cur)
	assert.Equal(t, open[0].ID, cur.ID)
	if c := reg.Cart(); c != nil && !c.IsEmpty() {
		_, err = reg.Do(ctx, pos.VoidTransaction{})
		require.NoError(t, err)
	}
	x, err := reg.Do(ctx, pos.PrintXReport{})
	require.NoError(t, err)
	_, err = reg.Do(ctx, pos.DeclareTender{Amount: x.Report.Tender("cash").Expected})
	require.NoError(t, err)
	res, err := reg.Do(ctx, pos.CloseShift{})
	require.NoError(t, err)
	assert.Zero(t, res.Report.OverShort)
	closed[cur.ID] = true
	sh, err := s.Shift(ctx, cur.ID)
	require.NoError(t, err)
	var after []journal.Entry
	require.NoError(t, s.JournalEach(ctx, func(e journal.Entry) error { after = append(after, e); return nil }))
	assert.Equal(t, *res.Report, rebuild(t, sh, after, setup))
	z, err := s.LastZ(ctx)
	require.NoError(t, err)
	assert.Equal(t, *res.Report, z)
}

func rebuild(t *testing.T, sh shift.Shift, all []journal.Entry, setup pos.Setup) shift.Report {
	t.Helper()
	z, err := shift.Build(shift.Z, sh, all, setup.TenderTypes, nil)
	require.NoError(t, err)
	return z
}
