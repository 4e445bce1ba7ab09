package pos_test

import (
	"bufio"
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/offline/store"
	"github.com/opentill/opentill/pos"
	"github.com/opentill/opentill/pos/cart"
	"github.com/opentill/opentill/pos/catalog"
)

// crashChildEnv makes the test binary act as a till that sells in a loop.
const crashChildEnv = "OPENTILL_CRASH_CHILD_DIR"

func TestMain(m *testing.M) {
	if dir := os.Getenv(crashChildEnv); dir != "" {
		os.Exit(crashChild(dir))
	}
	if dir := os.Getenv(shiftCrashEnv); dir != "" {
		os.Exit(shiftCrashChild(dir))
	}
	os.Exit(m.Run())
}

// crashChild rings up sales until it is killed, printing one line per sale
// only after Do has returned it as complete (and so committed).
func crashChild(dir string) int {
	ctx := context.Background()
	s, err := store.Open(dir)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	setup, err := s.LoadSetup(ctx)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	reg := pos.NewRegister(setup, s, pos.Options{})
	if _, err := reg.Do(ctx, pos.SignIn{OperatorID: "2001", Secret: "2468"}); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	out := bufio.NewWriter(os.Stdout)
	codes := []string{bcMilk, bcWine, bcNoDisc, bcCoat}
	for i := 0; ; i++ {
		for j := 0; j <= i%7; j++ {
			if _, err := reg.Do(ctx, pos.ProductSale{Barcode: codes[(i+j)%len(codes)], Qty: catalog.Qty(1+j%3) * catalog.One}); err != nil {
				fmt.Fprintln(os.Stderr, err)
				return 2
			}
		}
		if i%5 == 0 {
			_, _ = reg.Do(ctx, pos.TotalDiscount{Percent: 500})
		}
		res, err := reg.Do(ctx, pos.PayCashExact{})
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 2
		}
		c := res.Completed
		fmt.Fprintf(out, "DONE %s %s %d %d\n", c.ReceiptNo, c.ID, c.Totals.Total, len(c.Lines))
		out.Flush()
	}
}

// TestSalesSurviveSIGKILL kills a selling process at 20 random moments.
// After each kill every sale it reported is stored whole, no receipt number
// repeats, nothing half-written is visible and the journal verifies.
func TestSalesSurviveSIGKILL(t *testing.T) {
	if testing.Short() {
		t.Skip("kills processes; skipped with -short")
	}
	tl := newSQLiteTill(t, true)
	require.NoError(t, tl.store.Close())
	rounds := 20
	rng := rand.New(rand.NewPCG(7, 11))
	reported := map[string][2]int64{} // receipt → total, lines
	ids := map[string]string{}
	for round := 0; round < rounds; round++ {
		// Let it sell for a random while (at least one sale), then SIGKILL.
		killAfter(t, crashChildEnv+"="+tl.dir, time.Duration(30+rng.IntN(250))*time.Millisecond, func(l string) {
			f := strings.Fields(l)
			require.Len(t, f, 5, l)
			total, _ := strconv.ParseInt(f[3], 10, 64)
			n, _ := strconv.ParseInt(f[4], 10, 64)
			_, dup := reported[f[1]]
			require.False(t, dup, "receipt number %s reported twice", f[1])
			reported[f[1]] = [2]int64{total, n}
			ids[f[1]] = f[2]
		})
		checkAfterCrash(t, tl.dir, reported, ids)
	}
	t.Logf("%d kills, %d sales reported and found intact", rounds, len(reported))
}

func checkAfterCrash(t *testing.T, dir string, reported map[string][2]int64, ids map[string]string) {
	t.Helper()
	ctx := context.Background()
	s, err := store.Open(dir)
	require.NoError(t, err)
	defer s.Close()
	for no, want := range reported {
		c, _, err := s.Transaction(ctx, no)
		require.NoError(t, err, "reported sale %s is missing after the kill", no)
		assert.Equal(t, cart.Completed, c.Status)
		assert.Equal(t, ids[no], c.ID)
		assert.Equal(t, want[0], int64(c.Totals.Total), no)
		assert.Equal(t, want[1], int64(len(c.Lines)), no)
	}
	_, err = s.VerifyJournal(ctx)
	require.NoError(t, err, "journal broken after a kill")
	require.NoError(t, s.Audit(ctx), "transactions and journal disagree after a kill")

	db, err := sql.Open("sqlite", "file:"+s.Path()+"?mode=ro&_pragma=busy_timeout(5000)")
	require.NoError(t, err)
	defer db.Close()
	var q = func(query string) int64 {
		var n int64
		require.NoError(t, db.QueryRow(query).Scan(&n), query)
		return n
	}
	// Nothing partial: every transaction has its lines, its journal entry and its outbox row.
	assert.Zero(t, q(`SELECT count(*) FROM transactions t WHERE NOT EXISTS (SELECT 1 FROM transaction_lines l WHERE l.txn_id = t.id)`))
	assert.Zero(t, q(`SELECT count(*) FROM transactions t WHERE NOT EXISTS (SELECT 1 FROM journal j WHERE j.txn_id = t.id AND j.kind = 'sale')`))
	assert.Zero(t, q(`SELECT count(*) FROM transactions t WHERE NOT EXISTS (SELECT 1 FROM outbox o WHERE o.id = t.id)`))
	assert.Zero(t, q(`SELECT count(*) FROM (SELECT receipt_no FROM transactions GROUP BY receipt_no HAVING count(*) > 1)`))
	assert.Equal(t, q(`SELECT count(*) FROM transactions`), q(`SELECT count(*) FROM journal WHERE kind = 'sale'`))
}
