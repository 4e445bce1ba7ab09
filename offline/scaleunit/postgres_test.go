package scaleunit_test

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/offline/api"
	"github.com/opentill/opentill/offline/demo"
	"github.com/opentill/opentill/offline/scaleunit"
	"github.com/opentill/opentill/offline/scaleunit/sutest"
	"github.com/opentill/opentill/pos/catalog"
)

// twoProcesses opens two storages on one throwaway PostgreSQL database (at
// url), as two scale-unit processes have, the first seeded with n products
// (the second's migration finds nothing to do).
func twoProcesses(t *testing.T, n int) (url string, a, b *scaleunit.DB) {
	t.Helper()
	url = sutest.Where(t, "postgres")
	a, err := scaleunit.Open(ctx, url)
	require.NoError(t, err)
	t.Cleanup(func() { a.Close() })
	require.NoError(t, scaleunit.Seed(ctx, a, n, nil))
	b, err = scaleunit.Open(ctx, url)
	require.NoError(t, err)
	t.Cleanup(func() { b.Close() })
	return url, a, b
}

// TestTwoProcessesOnOneDatabase holds two storages on one PostgreSQL
// database (as two scale-unit processes have) to exactly-once uploads and
// gap-free feeds while both write at once.
func TestTwoProcessesOnOneDatabase(t *testing.T) {
	_, a, b := twoProcesses(t, 50)
	till, err := a.PutTill(ctx, demo.StoreID, "T01")
	require.NoError(t, err)

	t.Run("the same upload at both at once is stored once", func(t *testing.T) {
		const n = 40
		var mu sync.Mutex
		fresh := map[string]int{}
		var wg sync.WaitGroup
		for i := 0; i < n; i++ {
			id := fmt.Sprintf("00000000-0000-4000-8000-%012d", i)
			body := []byte(fmt.Sprintf(`{"id":%q,"status":"completed","store":%q,"terminal":"T01"}`, id, demo.StoreID))
			for _, st := range []*scaleunit.DB{a, b, a, b} {
				wg.Add(1)
				go func() {
					defer wg.Done()
					dup, _, err := st.Upload(ctx, till, api.KindTransaction, id, body)
					assert.NoError(t, err)
					if err == nil && !dup {
						mu.Lock()
						fresh[id]++
						mu.Unlock()
					}
				}()
			}
		}
		wg.Wait()
		ups, err := b.Uploads(ctx, api.KindTransaction)
		require.NoError(t, err)
		assert.Len(t, ups, n, "each record once")
		assert.Len(t, fresh, n)
		for id, c := range fresh {
			assert.Equal(t, 1, c, "%s was taken as new %d times", id, c)
		}
	})

	t.Run("an activation code is spent once", func(t *testing.T) {
		code, err := scaleunit.IssueActivationCode(ctx, a, till.ID, time.Hour)
		require.NoError(t, err)
		errs := make(chan error, 2)
		for i, st := range []*scaleunit.DB{a, b} {
			go func() {
				_, err := st.Activate(ctx, scaleunit.HashCode(code), scaleunit.HashSecret(fmt.Sprint("tok", i)), "dev", nil, "")
				errs <- err
			}()
		}
		e1, e2 := <-errs, <-errs
		assert.True(t, (e1 == nil) != (e2 == nil), "exactly one activation succeeds: %v / %v", e1, e2)
	})

	t.Run("a feed tailed while both write misses nothing", func(t *testing.T) {
		const writers, each = 4, 40
		done := make(chan struct{})
		var wg sync.WaitGroup
		for w := 0; w < writers; w++ {
			st := []*scaleunit.DB{a, b}[w%2]
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := 0; i < each; i++ {
					p := catalog.Product{ID: fmt.Sprintf("P-%d-%d", w, i), Name: "tail", TaxGroup: demo.Featured[0].TaxGroup, Price: 100}
					assert.NoError(t, st.PutProducts(ctx, []catalog.Product{p}))
				}
			}()
		}
		go func() { wg.Wait(); close(done) }()
		seen := map[string]bool{}
		var cursor int64
		read := func() {
			for {
				page, err := a.Feed(ctx, demo.StoreID, api.DatasetProducts, cursor, 7, false)
				require.NoError(t, err)
				for _, c := range page.Changes {
					seen[c.Key] = true
				}
				cursor = page.NextCursor
				if !page.More {
					return
				}
			}
		}
		for finished := false; !finished; {
			select {
			case <-done:
				finished = true
			default:
			}
			read()
		}
		read()
		for w := 0; w < writers; w++ {
			for i := 0; i < each; i++ {
				assert.True(t, seen[fmt.Sprintf("P-%d-%d", w, i)], "P-%d-%d was skipped by a till tailing the feed", w, i)
			}
		}
	})
}

// TestAChangeCommittedLateIsNotSkipped: a change written first but
// committed after a later one (two server processes' uploads) is still in
// the feed after the cursor of a till that read the later one meanwhile.
// Writers do not queue behind one another for the feeds' order: the
// early one's open transaction does not hold the later one up.
func TestAChangeCommittedLateIsNotSkipped(t *testing.T) {
	_, a, b := twoProcesses(t, 5)
	tail := func(cursor int64) ([]string, int64) {
		var keys []string
		for {
			page, err := b.Feed(ctx, demo.StoreID, api.DatasetProducts, cursor, 100, false)
			require.NoError(t, err)
			for _, c := range page.Changes {
				keys = append(keys, c.Key)
			}
			cursor = page.NextCursor
			if !page.More {
				return keys, cursor
			}
		}
	}
	_, cursor := tail(0)

	written, release, held := make(chan struct{}), make(chan struct{}), make(chan error, 1)
	go func() { held <- scaleunit.HoldChange(ctx, a, "LATE", written, release) }()
	<-written
	early := catalog.Product{ID: "EARLY", Name: "early", TaxGroup: demo.Featured[0].TaxGroup, Price: 100}
	putDone := make(chan error, 1)
	go func() { putDone <- b.PutProducts(ctx, []catalog.Product{early}) }()
	select {
	case err := <-putDone:
		require.NoError(t, err)
	case <-time.After(10 * time.Second):
		close(release)
		t.Fatal("a writer waited for another's open transaction to publish its change")
	}
	keys, cursor := tail(cursor)
	assert.Equal(t, []string{"EARLY"}, keys, "the open transaction's change is not visible yet")
	close(release)
	require.NoError(t, <-held)
	keys, _ = tail(cursor)
	assert.Equal(t, []string{"LATE"}, keys, "committed after EARLY was read: still after the till's cursor")
}
