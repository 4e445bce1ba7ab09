package tillsync_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/offline/scaleunit"
	"github.com/opentill/opentill/pos/poserr"
)

// TestStaffFeedIsStoreScoped: an operator the chain had at every store is
// given to the sister store alone: after a pass the demo store's till no
// longer holds the operator (nor the hash), the sister store's does; given
// back to every store, both hold it again.
func TestStaffFeedIsStoreScoped(t *testing.T) {
	s := startServer(t, 50)
	a := newTill(t, s, "T01", s.URL)
	n := sisterTill(t, s)
	pass(t, a, n)
	_, err := a.St.Operator(ctx, "3001")
	require.NoError(t, err, "the demo operators work at every store")
	o, err := s.St.Operator(ctx, "3001") // as the server keeps it: the PIN sealed
	require.NoError(t, err)
	o.Stores = []string{scaleunit.SisterStoreID}
	require.NoError(t, s.St.PutOperator(ctx, o))
	pass(t, a, n)
	_, err = a.St.Operator(ctx, "3001")
	assert.Equal(t, poserr.NotFound, poserr.KindOf(err), "gone from the demo store's till")
	got, err := n.St.Operator(ctx, "3001")
	require.NoError(t, err, "the sister store's till has the operator")
	assert.Equal(t, o.Name, got.Name)

	o.Stores = []string{"S0404"}
	assert.Error(t, s.St.PutOperator(ctx, o), "a store that does not exist is refused")

	o.Stores = nil
	require.NoError(t, s.St.PutOperator(ctx, o))
	pass(t, a, n)
	for name, tl := range map[string]*till{"demo store": a, "sister store": n} {
		_, err := tl.St.Operator(ctx, "3001")
		assert.NoError(t, err, "%s: every store again", name)
	}
}
