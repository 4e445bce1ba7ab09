package tillsync_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/offline/demo"
	"github.com/opentill/opentill/pos"
	"github.com/opentill/opentill/pos/catalog"
	"github.com/opentill/opentill/pos/inventory"
)

func level(t *testing.T, r *pos.Register, barcode string) *pos.InventoryInfo {
	t.Helper()
	res, err := r.Do(ctx, pos.InventoryLookup{Barcode: barcode})
	require.NoError(t, err)
	require.NotNil(t, res.Inventory)
	return res.Inventory
}

// TestStockAcrossTills: two tills of one store start from the server's
// figure; with the server out of reach one sells milk and the other writes
// damaged milk off, each seeing its own movements on top of the last
// figure; once both have synced the server's ledger and both tills hold the
// same on hand, with nothing of their own left uncounted.
func TestStockAcrossTills(t *testing.T) {
	s := startServer(t, 50)
	a := newTill(t, s, "T01", s.URL)
	b := newTill(t, s, "T02", s.URL)
	require.NoError(t, a.Eng.Pass(ctx))
	require.NoError(t, b.Eng.Pass(ctx))
	now := time.Now().UTC()
	ra, rb := register(t, a, &now), register(t, b, &now)
	const milk = "4000000000013" // 10 in the demo store, 0 in the sister store
	for name, r := range map[string]*pos.Register{"till 1": ra, "till 2": rb} {
		info := level(t, r, milk)
		assert.Equal(t, 10*catalog.One, info.Here.OnHand, name)
		assert.True(t, info.Here.Known(), "%s: the server's figure came down with the feed", name)
		assert.Zero(t, info.Here.Local, name)
		assert.False(t, info.Live, "%s: no connectivity source: other stores are the last heard", name)
	}

	_, err := ra.Do(ctx, pos.OpenShift{StartAmount: 10000})
	require.NoError(t, err)
	_, err = ra.Do(ctx, pos.ProductSale{Barcode: milk, Qty: 3 * catalog.One})
	require.NoError(t, err)
	_, err = ra.Do(ctx, pos.PayCashExact{})
	require.NoError(t, err)
	_, err = rb.Do(ctx, pos.StockAdjustment{Barcode: milk, Qty: -2 * catalog.One, Reason: "damaged", Note: "dropped crate"})
	require.NoError(t, err)
	_, err = rb.Do(ctx, pos.StockAdjustment{Barcode: milk, Qty: 2 * catalog.One, Reason: "damaged"})
	require.Error(t, err, "damaged takes stock off only")

	ha, hb := level(t, ra, milk).Here, level(t, rb, milk).Here
	assert.Equal(t, 7*catalog.One, ha.OnHand, "till 1: its sale on top of the server's figure, offline")
	assert.Equal(t, -3*catalog.One, ha.Local)
	assert.Equal(t, 8*catalog.One, hb.OnHand, "till 2: its write-off on top")

	for _, tl := range []*till{b, a, b} {
		require.NoError(t, tl.Eng.Pass(ctx))
	}
	f, err := s.St.Figure(ctx, demo.StoreID, "10000")
	require.NoError(t, err)
	assert.EqualValues(t, 5_000, f.OnHand, "the server booked the sale and the write-off once each")
	mv, err := s.St.Movements(ctx, demo.StoreID, "10000")
	require.NoError(t, err)
	var reasons []string
	for _, m := range mv {
		reasons = append(reasons, m.Kind+"/"+m.Reason)
	}
	assert.ElementsMatch(t, []string{"sale/", "adjustment/damaged"}, reasons)
	for name, r := range map[string]*pos.Register{"till 1": ra, "till 2": rb} {
		h := level(t, r, milk).Here
		assert.Equal(t, 5*catalog.One, h.OnHand, name)
		assert.Zero(t, h.Local, "%s: the server counts all its movements", name)
	}
	// Syncing again changes nothing.
	for _, tl := range []*till{a, b} {
		require.NoError(t, tl.Eng.Pass(ctx))
	}
	f, err = s.St.Figure(ctx, demo.StoreID, "10000")
	require.NoError(t, err)
	assert.EqualValues(t, 5_000, f.OnHand)
	assert.Equal(t, 5*catalog.One, level(t, ra, milk).Here.OnHand)
}

// TestCountOnTwoDevices: a 10,000-line count of the store, counted offline
// on two devices (a few hundred products on both, whose counts add up),
// synced twice each, reviewed with both devices' lines and posted: the
// server's on hand of every product equals what was counted, nothing twice,
// and both tills show it.
func TestCountOnTwoDevices(t *testing.T) {
	if testing.Short() {
		t.Skip("a 10,000-product store")
	}
	const n = 10_000
	s := startServer(t, n)
	a := newTill(t, s, "T01", s.URL)
	b := newTill(t, s, "T02", s.URL)
	require.NoError(t, a.Eng.Pass(ctx))
	require.NoError(t, b.Eng.Pass(ctx))
	now := time.Now().UTC()
	ra, rb := register(t, a, &now), register(t, b, &now)

	res, err := ra.Do(ctx, pos.StockCount{Action: pos.CountStart, Name: "Whole store"})
	require.NoError(t, err)
	c := res.Count.Count
	require.NoError(t, a.Eng.Pass(ctx)) // nothing counted yet: the count goes up with its first lines
	next := demo.Products(n, demo.DefaultSeed)
	var products []catalog.Product
	for p, ok := next(); ok; p, ok = next() {
		products = append(products, p)
	}
	require.Len(t, products, n)
	want := map[string]int64{}
	// a counts the first 5,300 products, b the last 5,000 (300 on both).
	for i, p := range products {
		q := int64(i%7) * 1000
		if i < 5300 {
			_, err := ra.Do(ctx, pos.StockCount{Action: pos.CountSet, CountID: c.ID, ProductID: p.ID, Qty: catalog.Qty(q)})
			require.NoError(t, err)
			want[p.ID] += q
		}
		if i == 100 {
			require.NoError(t, a.Eng.Pass(ctx)) // b learns of the count while a counts on
			require.NoError(t, b.Eng.Pass(ctx))
		}
		if i >= 5000 {
			if i == 5000 {
				res, err := rb.Do(ctx, pos.StockCount{Action: pos.CountList})
				require.NoError(t, err)
				require.NotEmpty(t, res.Counts)
				require.Equal(t, c.ID, res.Counts[0].ID, "the count reached the other device")
			}
			act := pos.CountScan // a scan of q at once (a scan of 0 would count one)
			if q == 0 {
				act = pos.CountSet
			}
			_, err := rb.Do(ctx, pos.StockCount{Action: act, CountID: c.ID, ProductID: p.ID, Qty: catalog.Qty(q)})
			require.NoError(t, err)
			want[p.ID] += q
		}
	}
	for _, tl := range []*till{a, b, a, b} {
		require.NoError(t, tl.Eng.Pass(ctx))
	}
	res, err = ra.Do(ctx, pos.StockCount{Action: pos.CountReview, CountID: c.ID})
	require.NoError(t, err)
	rv := res.Count.Review
	assert.Equal(t, n, rv.Counted, "every product counted on one device or the other")
	// Lines far from the expected figure are recounted (the same quantity).
	for _, l := range rv.Lines {
		if l.Recount {
			_, err := ra.Do(ctx, pos.StockCount{Action: pos.CountRecount, CountID: c.ID, ProductID: l.ProductID, Qty: l.Counted})
			require.NoError(t, err)
		}
	}
	res, err = ra.Do(ctx, pos.PostStockCount{CountID: c.ID})
	require.NoError(t, err, "posted once the lines over the threshold were recounted")
	assert.Equal(t, inventory.Posted, res.Count.Count.Status)
	for _, tl := range []*till{a, b, a, b} {
		require.NoError(t, tl.Eng.Pass(ctx))
	}
	wrong := 0
	for _, p := range products {
		f, err := s.St.Figure(ctx, demo.StoreID, p.ID)
		require.NoError(t, err)
		if f.OnHand != want[p.ID] {
			wrong++
			if wrong < 5 {
				t.Errorf("product %s: on hand %d, counted %d", p.ID, f.OnHand, want[p.ID])
			}
		}
	}
	assert.Zero(t, wrong, "products whose on hand is not what was counted")
	for _, i := range []int{0, 5100, n - 1} {
		p := products[i]
		for name, r := range map[string]*pos.Register{"till 1": ra, "till 2": rb} {
			res, err := r.Do(ctx, pos.InventoryLookup{ProductID: p.ID})
			require.NoError(t, err)
			assert.Equal(t, catalog.Qty(want[p.ID]), res.Inventory.Here.OnHand, fmt.Sprintf("%s, product %d", name, i))
		}
	}
	res, err = rb.Do(ctx, pos.StockCount{Action: pos.CountOpen, CountID: c.ID})
	require.NoError(t, err)
	assert.Equal(t, inventory.Posted, res.Count.Count.Status, "the other device sees the count posted")
	_, err = rb.Do(ctx, pos.StockCount{Action: pos.CountScan, CountID: c.ID, ProductID: products[0].ID})
	require.Error(t, err, "a posted count takes no more lines")
}
