package scaleunit_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/offline/scaleunit"
	"github.com/opentill/opentill/offline/scaleunit/sutest"
	"github.com/opentill/opentill/pos/storedvalue"
)

// TestValueHolds: what one till holds on a card for a sale it has not
// uploaded yet is not there for another till; a hold is replaced, dropped,
// released, and gone once the sale arrives.
func TestValueHolds(t *testing.T) { sutest.Each(t, testValueHolds) }

func testValueHolds(t *testing.T, backend string) {
	st, _ := sutest.Open(t, backend)
	t.Cleanup(func() { st.Close() })
	require.NoError(t, scaleunit.Seed(ctx, st, 10, nil))
	a, err := st.PutTill(ctx, "S0001", "T01")
	require.NoError(t, err)
	b, err := st.PutTill(ctx, "S0001", "T02")
	require.NoError(t, err)
	const card = "GC-4444"
	issue := `{"id":"t-issue","status":"completed","store":"S0001","terminal":"T01","finished":"2026-12-01T10:00:00Z",` +
		`"lines":[{"no":1,"product_id":"giftcard","qty":1000,"unit_price":5000,"net":5000,"value":{"kind":"giftcard","number":"GC-4444","role":"issue"}}],` +
		`"tenders":[{"no":1,"type":"cash","kind":"cash","amount":5000}]}`
	_, _, err = st.Upload(ctx, a, "transaction", "t-issue", []byte(issue))
	require.NoError(t, err)
	_, err = st.HoldValue(ctx, a.ID, storedvalue.GiftCard, "GC-9999", "t-x", 100)
	assert.True(t, errors.Is(err, scaleunit.ErrNotFound), "no hold on a card never issued: %v", err)

	_, err = st.HoldValue(ctx, a.ID, storedvalue.GiftCard, card, "t-a", 4000)
	require.NoError(t, err)
	seen, err := st.TillBalance(ctx, b.ID, storedvalue.GiftCard, card)
	require.NoError(t, err)
	assert.Equal(t, int64(5000), seen.Amount)
	assert.Equal(t, int64(4000), seen.Held, "till 2 sees till 1's hold")
	own, err := st.TillBalance(ctx, a.ID, storedvalue.GiftCard, card)
	require.NoError(t, err)
	assert.Zero(t, own.Held, "a till counts its own sales itself")
	_, err = st.HoldValue(ctx, b.ID, storedvalue.GiftCard, card, "t-b", 2000)
	assert.True(t, errors.Is(err, scaleunit.ErrConflict), "50.00 less 40.00 held does not cover 20.00: %v", err)
	_, err = st.HoldValue(ctx, b.ID, storedvalue.GiftCard, card, "t-b", 1000)
	require.NoError(t, err, "10.00 it does")

	_, err = st.HoldValue(ctx, a.ID, storedvalue.GiftCard, card, "t-a", 1500) // the payment changed
	require.NoError(t, err)
	seen, err = st.TillBalance(ctx, b.ID, storedvalue.GiftCard, card)
	require.NoError(t, err)
	assert.Equal(t, int64(1500), seen.Held, "the hold replaced")
	_, err = st.HoldValue(ctx, a.ID, storedvalue.GiftCard, card, "t-a", 0)
	require.NoError(t, err)
	seen, _ = st.TillBalance(ctx, b.ID, storedvalue.GiftCard, card)
	assert.Zero(t, seen.Held, "dropped")

	// Till 2's sale arrives: its hold is gone, the ledger has it.
	spend := fmt.Sprintf(`{"id":"t-b","status":"completed","store":"S0001","terminal":"T02","finished":"2026-12-01T10:05:00Z","lines":[],`+
		`"tenders":[{"no":1,"type":"giftcard","kind":"giftcard","amount":1000,"value":{"kind":"giftcard","number":"%s"}}]}`, card)
	_, _, err = st.Upload(ctx, b, "transaction", "t-b", []byte(spend))
	require.NoError(t, err)
	seen, err = st.TillBalance(ctx, a.ID, storedvalue.GiftCard, card)
	require.NoError(t, err)
	assert.Equal(t, int64(4000), seen.Amount)
	assert.Zero(t, seen.Held)
	_, err = st.HoldValue(ctx, a.ID, storedvalue.GiftCard, card, "t-c", 4000)
	require.NoError(t, err)
	require.NoError(t, st.ReleaseValue(ctx, a.ID, "t-c"))
	seen, _ = st.TillBalance(ctx, b.ID, storedvalue.GiftCard, card)
	assert.Zero(t, seen.Held, "released")
}
