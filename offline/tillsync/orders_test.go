package tillsync_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/offline/api"
	"github.com/opentill/opentill/offline/demo"
	"github.com/opentill/opentill/offline/scaleunit"
	"github.com/opentill/opentill/pos"
	"github.com/opentill/opentill/pos/catalog"
	"github.com/opentill/opentill/pos/order"
)

// TestPickupOrderAcrossStores: a customer order made at store A (the demo
// store) with the server out of reach, for pick-up at store B (the sister
// store): the deposit is taken at A offline; once A syncs the server
// reserves the goods at B and B's till receives the order; B picks it and
// hands it over, the customer paying the balance; after B syncs the
// server's order is completed, the reservation gone, the goods off B's
// stock, and A sees it completed too.
func TestPickupOrderAcrossStores(t *testing.T) {
	s := startServer(t, 50)
	require.NoError(t, s.St.SetFigures(ctx, scaleunit.SisterStoreID, []api.StockFigure{{ProductID: "10000", OnHand: 20_000}}))
	a := newTill(t, s, "T01", s.URL)
	b := sisterTill(t, s)
	pass(t, a, b)
	now := time.Now().UTC()
	ra, rb := register(t, a, &now), register(t, b, &now)
	for _, r := range []*pos.Register{ra, rb} {
		_, err := r.Do(ctx, pos.OpenShift{StartAmount: 10000})
		require.NoError(t, err)
	}

	// At A, not synced: three milks for pick-up at B.
	_, err := ra.Do(ctx, pos.ProductSale{Barcode: milkCode, Qty: 3 * catalog.One})
	require.NoError(t, err)
	_, err = ra.Do(ctx, pos.CreateOrder{Name: "Ada Lovelace", Phone: "+49 30 555"})
	require.NoError(t, err)
	res, err := ra.Do(ctx, pos.PickupAll{Delivery: pos.Delivery{Store: scaleunit.SisterStoreID}})
	require.NoError(t, err)
	id, value, deposit := res.Order.ID, res.Order.Total(), res.Order.Deposit
	assert.Equal(t, value*2000/10000, deposit, "the demo store asks 20 %%")
	done, err := ra.Do(ctx, pos.PayCashExact{})
	require.NoError(t, err)
	require.NotNil(t, done.Completed)
	o, err := a.St.Order(ctx, id)
	require.NoError(t, err)
	assert.Equal(t, deposit, o.Paid, "stored at A before the server heard")
	assert.True(t, o.Pending, "plainly not sent yet")
	f, err := s.St.Figure(ctx, scaleunit.SisterStoreID, "10000")
	require.NoError(t, err)
	assert.EqualValues(t, 0, f.Reserved, "nothing reserved before the order arrives")

	pass(t, a, b)
	f, err = s.St.Figure(ctx, scaleunit.SisterStoreID, "10000")
	require.NoError(t, err)
	assert.EqualValues(t, 3_000, f.Reserved, "reserved at B once synced")
	so, err := s.St.Order(ctx, id)
	require.NoError(t, err)
	assert.Equal(t, order.Created, so.Status())
	assert.Equal(t, 3*catalog.One, level(t, rb, milkCode).Here.Reserved, "B's till sees the reservation")

	res, err = rb.Do(ctx, pos.OrderFulfillment{})
	require.NoError(t, err)
	require.Len(t, res.Orders, 1, "B has the order to pick")
	_, err = rb.Do(ctx, pos.PickLines{ID: id})
	require.NoError(t, err)
	_, err = rb.Do(ctx, pos.RecallOrder{ID: id, Collect: true})
	require.NoError(t, err)
	c := rb.Cart()
	assert.Equal(t, value-deposit, c.Totals.Total, "B collects the balance")
	done, err = rb.Do(ctx, pos.PayCashExact{})
	require.NoError(t, err)
	require.NotNil(t, done.Completed)

	pass(t, b, a)
	so, err = s.St.Order(ctx, id)
	require.NoError(t, err)
	assert.Equal(t, order.Completed, so.Status())
	assert.Zero(t, so.Paid, "the deposit is settled")
	f, err = s.St.Figure(ctx, scaleunit.SisterStoreID, "10000")
	require.NoError(t, err)
	assert.EqualValues(t, 0, f.Reserved)
	assert.EqualValues(t, 17_000, f.OnHand, "handed over at B")
	g, err := s.St.Figure(ctx, demo.StoreID, "10000")
	require.NoError(t, err)
	assert.EqualValues(t, 10_000, g.OnHand, "nothing left A")
	o, err = a.St.Order(ctx, id)
	require.NoError(t, err)
	assert.Equal(t, order.Completed, o.Status(), "A sees it completed")
	assert.False(t, o.Pending, "the server's copy counts everything A did")

	// Sent again, nothing changes (exactly once).
	pass(t, a, b)
	so2, err := s.St.Order(ctx, id)
	require.NoError(t, err)
	assert.Equal(t, so.Applied, so2.Applied)
}

// TestEditOrderMovesReservation: an order for pick-up at the demo store,
// moved to the sister store by an edit made offline: once synced the
// reservation has left the demo store for the sister store, whose till now
// lists the order to fulfil.
func TestEditOrderMovesReservation(t *testing.T) {
	s := startServer(t, 50)
	a := newTill(t, s, "T01", s.URL)
	b := sisterTill(t, s)
	pass(t, a, b)
	now := time.Now().UTC()
	ra, rb := register(t, a, &now), register(t, b, &now)
	_, err := ra.Do(ctx, pos.OpenShift{StartAmount: 10000})
	require.NoError(t, err)
	_, err = ra.Do(ctx, pos.ProductSale{Barcode: milkCode, Qty: 2 * catalog.One})
	require.NoError(t, err)
	_, err = ra.Do(ctx, pos.CreateOrder{Name: "Grace Hopper"})
	require.NoError(t, err)
	res, err := ra.Do(ctx, pos.PickupAll{})
	require.NoError(t, err)
	id := res.Order.ID
	_, err = ra.Do(ctx, pos.PayCashExact{})
	require.NoError(t, err)
	pass(t, a)
	f, err := s.St.Figure(ctx, demo.StoreID, "10000")
	require.NoError(t, err)
	assert.EqualValues(t, 2_000, f.Reserved)

	_, err = ra.Do(ctx, pos.EditOrder{ID: id, Store: scaleunit.SisterStoreID, Phone: "+1 555 0100"})
	require.NoError(t, err)
	o, err := a.St.Order(ctx, id)
	require.NoError(t, err)
	assert.Equal(t, scaleunit.SisterStoreID, o.Lines[0].Store, "changed at once on the till, offline")
	pass(t, a, b)
	f, err = s.St.Figure(ctx, demo.StoreID, "10000")
	require.NoError(t, err)
	assert.EqualValues(t, 0, f.Reserved, "released at the demo store")
	g, err := s.St.Figure(ctx, scaleunit.SisterStoreID, "10000")
	require.NoError(t, err)
	assert.EqualValues(t, 2_000, g.Reserved, "reserved at the sister store")
	res, err = rb.Do(ctx, pos.OrderFulfillment{})
	require.NoError(t, err)
	require.Len(t, res.Orders, 1)
	assert.Equal(t, "+1 555 0100", res.Orders[0].Phone)
}
