package tillsync_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/offline/store"
	"github.com/opentill/opentill/pos"
)

// TestShiftEventsReachTheServer runs a shift on a synced till — open with a
// float, a sale, a float entry, a declaration, close — and checks that the
// server ends with every shift event exactly once, the close carrying its Z
// report, and that a second pass sends nothing again.
func TestShiftEventsReachTheServer(t *testing.T) {
	s := startServer(t, 200)
	tl := newTill(t, s, "T01", s.URL)
	require.NoError(t, tl.Eng.Pass(ctx)) // the catalog, staff and setup come down
	setup, err := tl.St.LoadSetup(ctx)
	require.NoError(t, err)
	reg := pos.NewRegister(setup, tl.St, pos.Options{})
	do := func(op pos.Operation) pos.Result {
		t.Helper()
		res, err := reg.Do(ctx, op)
		require.NoError(t, err, "%T", op)
		return res
	}
	do(pos.SignIn{OperatorID: "2001", Secret: "2468"})
	do(pos.OpenShift{StartAmount: 10000})
	do(pos.ProductSale{Barcode: "4000000000013"})
	do(pos.PayCashExact{})
	do(pos.FloatEntry{Amount: 2000, Reason: "coins"})
	do(pos.DeclareTender{Amount: 12119})
	z := do(pos.CloseShift{}).Report
	require.NotNil(t, z)

	require.NoError(t, tl.Eng.Pass(ctx))
	require.NoError(t, tl.Eng.Pass(ctx))
	ups, err := s.St.Uploads(ctx, store.OutboxShiftEvent)
	require.NoError(t, err)
	require.GreaterOrEqual(t, len(ups), 4, "open, float, declaration and close at least")
	seen := map[string]bool{}
	var closed *store.ShiftEvent
	for _, u := range ups {
		assert.False(t, seen[u.ID], "event %s stored twice", u.ID)
		seen[u.ID] = true
		var ev store.ShiftEvent
		require.NoError(t, json.Unmarshal(u.Payload, &ev))
		assert.Equal(t, u.ID, ev.ID)
		assert.Equal(t, ev.Entry.Sum(), ev.Entry.Hash, "the entry arrives as sealed")
		if ev.Z != nil {
			closed = &ev
		}
	}
	require.NotNil(t, closed, "the closing event carries the Z report")
	assert.Equal(t, z.Tenders, closed.Z.Tenders)
	pending, _, err := tl.St.OutboxCount(ctx)
	require.NoError(t, err)
	assert.Zero(t, pending)
	txns, err := s.St.Uploads(ctx, "transaction")
	require.NoError(t, err)
	assert.Len(t, txns, 1)
}
