package scaleunit

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestStatementsAreKeptPreparedWithoutWaitingForTheWriter(t *testing.T) {
	ctx := context.Background()
	db, err := OpenSQLite(t.TempDir())
	require.NoError(t, err)
	defer db.Close()
	const q = `SELECT COUNT(*) FROM stores WHERE id <> ?`
	count := func(tx *sqlTx) error {
		var n int
		return tx.QueryRowContext(ctx, q, "nobody").Scan(&n)
	}
	// Met first inside a transaction on the one writer connection: run
	// unprepared (preparing there would wait for that connection), then
	// prepared once the transaction has ended.
	done := make(chan error, 1)
	go func() { done <- db.tx(ctx, count) }()
	select {
	case err := <-done:
		require.NoError(t, err)
	case <-time.After(10 * time.Second):
		t.Fatal("a statement first met in a transaction waited for the writer it holds")
	}
	require.NotNil(t, db.w.stmts.get(q), "prepared after the transaction")
	require.NoError(t, db.tx(ctx, func(tx *sqlTx) error {
		assert.NotNil(t, tx.stmt(ctx, q), "the next transaction runs it prepared")
		return count(tx)
	}))

	// Many goroutines on both handles at once.
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if i%2 == 0 {
				assert.NoError(t, db.tx(ctx, count))
				return
			}
			var n int
			assert.NoError(t, db.r.QueryRowContext(ctx, q, "x").Scan(&n))
		}()
	}
	wg.Wait()
	assert.NotNil(t, db.r.stmts.get(q))

	assert.False(t, cacheable(`DELETE FROM a; DELETE FROM b`), "several statements are not kept")
	assert.True(t, cacheable(`DELETE FROM a;`))
}
