package tillsync_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/pos"
	"github.com/opentill/opentill/pos/catalog"
)

// TestLoyaltyAcrossTills: two tills earn and spend one card's points with
// the server out of reach; once both have synced, the server's ledger holds
// every movement exactly once, both tills show its balance, and points
// spent twice beyond what the card held are reported, not hidden.
func TestLoyaltyAcrossTills(t *testing.T) {
	s := startServer(t, 50)
	a := newTill(t, s, "T01", s.URL)
	b := newTill(t, s, "T02", s.URL)
	require.NoError(t, a.Eng.Pass(ctx))
	require.NoError(t, b.Eng.Pass(ctx))
	now := time.Now().UTC()
	ra, rb := register(t, a, &now), register(t, b, &now)
	for _, r := range []*pos.Register{ra, rb} {
		_, err := r.Do(ctx, pos.OpenShift{StartAmount: 10000})
		require.NoError(t, err)
	}
	const card = "LC-77"
	points := func(t *testing.T, r *pos.Register) *pos.LoyaltyInfo {
		t.Helper()
		res, err := r.Do(ctx, pos.LoyaltyPoints{Card: card})
		require.NoError(t, err)
		return res.Loyalty
	}
	sale := func(t *testing.T, r *pos.Register, milk int64, withPoints bool) {
		t.Helper()
		_, err := r.Do(ctx, pos.LoyaltyCard{Card: card})
		require.NoError(t, err)
		_, err = r.Do(ctx, pos.ProductSale{Barcode: "4000000000013", Qty: catalog.Qty(milk) * catalog.One}) // 1.19 each
		require.NoError(t, err)
		if withPoints {
			_, err = r.Do(ctx, pos.PayLoyalty{})
			require.NoError(t, err)
		}
		res, err := r.Do(ctx, pos.PayCashExact{})
		require.NoError(t, err)
		require.NotNil(t, res.Completed)
	}

	// Offline: each till earns on its own sale and knows only its own.
	sale(t, ra, 20, false) // 23.80: 23 points
	sale(t, rb, 10, false) // 11.90: 11 points
	assert.Equal(t, int64(23), points(t, ra).Balance.Points())
	assert.Equal(t, int64(11), points(t, rb).Balance.Points())

	for _, tl := range []*till{b, a, b} {
		require.NoError(t, tl.Eng.Pass(ctx))
	}
	led, err := s.St.LoyaltyBalance(ctx, card)
	require.NoError(t, err)
	assert.Equal(t, int64(34), led.Points, "the server counted both tills' points once")
	for name, r := range map[string]*pos.Register{"till 1": ra, "till 2": rb} {
		info := points(t, r)
		assert.Equal(t, int64(34), info.Balance.Points(), name)
		assert.Zero(t, info.Balance.Pending, "%s: nothing of its own left uncounted", name)
		assert.Equal(t, int64(34), info.Redeemable, name)
	}

	// Offline again, both tills spend the same 34 points on a bottle of milk.
	sale(t, ra, 1, true)
	sale(t, rb, 1, true)
	assert.Equal(t, int64(0), points(t, ra).Balance.Points())
	for _, tl := range []*till{a, b, a} {
		require.NoError(t, tl.Eng.Pass(ctx))
		require.NoError(t, tl.Eng.Pass(ctx))
	}
	led, err = s.St.LoyaltyBalance(ctx, card)
	require.NoError(t, err)
	assert.Equal(t, int64(-34), led.Points, "the ledger is exact: 34 earned, spent twice")
	assert.True(t, led.Overdrawn)
	over, err := s.St.Overdrawn(ctx)
	require.NoError(t, err)
	require.Len(t, over, 1, "the overdrawn card is reported")
	assert.Equal(t, card, over[0].Card)
	for name, r := range map[string]*pos.Register{"till 1": ra, "till 2": rb} {
		info := points(t, r)
		assert.Equal(t, int64(-34), info.Balance.Points(), name)
		assert.Zero(t, info.Redeemable)
	}
	_, err = ra.Do(ctx, pos.LoyaltyCard{Card: card})
	require.NoError(t, err)
	_, err = ra.Do(ctx, pos.ProductSale{Barcode: "4000000000013"})
	require.NoError(t, err)
	_, err = ra.Do(ctx, pos.PayLoyalty{})
	require.Error(t, err, "no points to pay with")
}
