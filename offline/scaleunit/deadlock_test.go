package scaleunit_test

import (
	"database/sql"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/offline/api"
	"github.com/opentill/opentill/offline/demo"
	"github.com/opentill/opentill/offline/scaleunit"
)

// TestSalesInOtherOrdersNeverDeadlock: two server processes on one
// PostgreSQL database take sales of the same products rung up in opposite
// orders (A, B, C at one till and C, B, A at the other) at once. Each sale
// locks its products' stock figures; taken in line order, the two would
// wait for each other, and PostgreSQL would break the deadlock by failing
// one (the server then retries it, seconds later). PostgreSQL counts every
// deadlock it breaks: none may happen.
func TestSalesInOtherOrdersNeverDeadlock(t *testing.T) {
	url, a, b := twoProcesses(t, 50)
	t1, err := a.PutTill(ctx, demo.StoreID, "T01")
	require.NoError(t, err)
	t2, err := a.PutTill(ctx, demo.StoreID, "T02")
	require.NoError(t, err)
	db, err := sql.Open("pgx", url)
	require.NoError(t, err)
	defer db.Close()
	deadlocks := func() int64 {
		var n int64
		require.NoError(t, db.QueryRowContext(ctx, `SELECT pg_stat_clear_snapshot()`).Err())
		require.NoError(t, db.QueryRowContext(ctx, `SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()`).Scan(&n))
		return n
	}
	settled := func() int64 { // the backends report their counts when idle, within a second
		last := deadlocks()
		for i := 0; i < 30; i++ {
			time.Sleep(100 * time.Millisecond)
			if n := deadlocks(); n != last {
				last, i = n, 0
			}
		}
		return last
	}
	before := settled()

	products := []string{demo.Featured[0].ID, demo.Featured[1].ID, demo.Featured[2].ID, demo.Featured[3].ID}
	sale := func(terminal, id string, order []string) []byte {
		lines := ""
		for i, p := range order {
			if i > 0 {
				lines += ","
			}
			lines += fmt.Sprintf(`{"no":%d,"product_id":%q,"qty":1000}`, i+1, p)
		}
		return []byte(fmt.Sprintf(`{"id":%q,"status":"completed","store":%q,"terminal":%q,"operator":"1001","lines":[%s]}`, id, demo.StoreID, terminal, lines))
	}
	reversed := slices.Clone(products)
	slices.Reverse(reversed)
	const n = 40
	var wg sync.WaitGroup
	for k, run := range []struct {
		st    *scaleunit.DB
		till  scaleunit.TillInfo
		order []string
	}{{a, t1, products}, {b, t2, reversed}} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < n; i++ {
				id := fmt.Sprintf("00000000-0000-4000-8%03d-%012d", k, i)
				_, _, err := run.st.Upload(ctx, run.till, api.KindTransaction, id, sale(run.till.TerminalID, id, run.order))
				assert.NoError(t, err)
			}
		}()
	}
	wg.Wait()
	ups, err := a.Uploads(ctx, api.KindTransaction)
	require.NoError(t, err)
	assert.Equal(t, 2*n, len(ups), "every sale stored")
	assert.Equal(t, before, settled(), "deadlocks PostgreSQL broke between the two processes")
}
