package tillsync_test

import (
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestFailsOverToTheNextServer: a till lists two server processes of one
// database; the first stops between sales and the till goes on syncing
// with the second, and the server side ends with exactly the till's sales.
func TestFailsOverToTheNextServer(t *testing.T) {
	a := startServer(t, 20)
	b := serve(t, a.Dir, a.St) // a second server on the same storage
	tl := newTill(t, a, "T01", a.URL+" "+b.URL)
	require.NoError(t, tl.Eng.Pass(ctx))
	ids := sell(t, tl.St, 3)
	require.NoError(t, tl.Eng.Pass(ctx))
	a.stop() // the first process goes away
	ids = append(ids, sell(t, tl.St, 4)...)
	require.NoError(t, tl.Eng.Pass(ctx), "the till fails over to the second URL")
	got := uploadedIDs(t, b.St)
	slices.Sort(got)
	slices.Sort(ids)
	assert.Equal(t, ids, got, "every sale once")
	pending, _, err := tl.St.OutboxCount(ctx)
	require.NoError(t, err)
	assert.Zero(t, pending)
}
