package tillsync_test

import (
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/pos"
	"github.com/opentill/opentill/pos/catalog"
	"github.com/opentill/opentill/pos/customer"
	"github.com/opentill/opentill/pos/money"
)

// switchable is a connectivity the test turns off.
type switchable struct{ on atomic.Bool }

func (s *switchable) Online() bool { return s.on.Load() }

// TestCustomerHistoryAcrossStores: a customer created at the demo store
// buys there and at the sister store. The demo store's customer page shows
// both purchases and what was bought at each, with the insights over both,
// live from the server; with the server out of reach it shows the history
// as last heard, saying when that was, and the sale rung up since.
func TestCustomerHistoryAcrossStores(t *testing.T) {
	s := startServer(t, 50)
	a := newTill(t, s, "T01", s.URL)
	b := sisterTill(t, s)
	pass(t, a, b)
	now := time.Now().UTC()
	net := &switchable{}
	net.on.Store(true)
	setup, err := a.St.LoadSetup(ctx)
	require.NoError(t, err)
	ra := pos.NewRegister(setup, a.St, pos.Options{Now: func() time.Time { return now }, Connectivity: net, History: a.Eng})
	_, err = ra.Do(ctx, pos.SignIn{OperatorID: "2001", Secret: "2468"})
	require.NoError(t, err)
	rb := register(t, b, &now)
	res, err := ra.Do(ctx, pos.CreateCustomer{Customer: customer.Customer{FirstName: "Grace", LastName: "Hopper", Phone: "030 999"}})
	require.NoError(t, err)
	cu := *res.Customer
	pass(t, a, b)

	sell := func(r *pos.Register, id string, qty catalog.Qty) money.Amount {
		t.Helper()
		for _, op := range []pos.Operation{pos.OpenShift{StartAmount: 10000}} {
			_, _ = r.Do(ctx, op) // once per till
		}
		_, err := r.Do(ctx, pos.AddCustomer{ID: id})
		require.NoError(t, err)
		_, err = r.Do(ctx, pos.ProductSale{Barcode: milkCode, Qty: qty})
		require.NoError(t, err)
		done, err := r.Do(ctx, pos.PayCashExact{})
		require.NoError(t, err)
		return done.Completed.Totals.Total
	}
	here := sell(ra, cu.ID, catalog.One)
	now = now.Add(time.Hour)
	there := sell(rb, cu.ID, 2*catalog.One)
	pass(t, b, a)

	page, err := ra.Do(ctx, pos.CustomerDetails{ID: cu.ID})
	require.NoError(t, err)
	p := page.Page
	require.True(t, p.ElsewhereLive, "from the server just now")
	require.Len(t, p.Purchases, 2, "this till's and the sister store's")
	assert.Equal(t, "S0002", p.Purchases[0].Store, "the newer one, at the sister store")
	assert.Empty(t, p.Purchases[1].Store, "this till's own")
	require.Len(t, p.Items, 1)
	assert.Equal(t, 3*catalog.One, p.Items[0].Qty, "milk bought at both")
	assert.Equal(t, 2, p.Items[0].Times)
	assert.Equal(t, here+there, p.Insights.Spend, "insights over both stores")
	assert.Equal(t, 2, p.Insights.Visits)

	// Offline: the history as last heard, and a sale since.
	net.on.Store(false)
	now = now.Add(time.Hour)
	sell(ra, cu.ID, catalog.One)
	page, err = ra.Do(ctx, pos.CustomerDetails{ID: cu.ID})
	require.NoError(t, err)
	p = page.Page
	assert.False(t, p.ElsewhereLive)
	assert.False(t, p.ElsewhereAsOf.IsZero(), "says when it was heard")
	require.Len(t, p.Purchases, 3)
	assert.Equal(t, 4*catalog.One, p.Items[0].Qty)
}

// TestMergeMovesLoyaltyPoints: two customers with cards of their own, each
// with points; the manager merges the duplicate into the kept customer.
// After sync the kept card holds both balances and the duplicate's none;
// points earned later on the duplicate's card (a till that had not heard)
// land on the kept card too.
func TestMergeMovesLoyaltyPoints(t *testing.T) {
	s := startServer(t, 50)
	a := newTill(t, s, "T01", s.URL)
	b := newTill(t, s, "T02", s.URL)
	pass(t, a, b)
	now := time.Now().UTC()
	ra, rb := register(t, a, &now), register(t, b, &now)
	for _, r := range []*pos.Register{ra, rb} {
		_, err := r.Do(ctx, pos.OpenShift{StartAmount: 10000})
		require.NoError(t, err)
	}
	mk := func(first, card string) customer.Customer {
		res, err := ra.Do(ctx, pos.CreateCustomer{Customer: customer.Customer{FirstName: first, LastName: "Lovelace", LoyaltyCard: card}})
		require.NoError(t, err)
		return *res.Customer
	}
	keep, dup := mk("Ada", "LC-KEEP"), mk("Augusta", "LC-DUP")
	earn := func(r *pos.Register, card string, milk int64) {
		t.Helper()
		_, err := r.Do(ctx, pos.LoyaltyCard{Card: card})
		require.NoError(t, err)
		_, err = r.Do(ctx, pos.ProductSale{Barcode: milkCode, Qty: catalog.Qty(milk) * catalog.One})
		require.NoError(t, err)
		_, err = r.Do(ctx, pos.PayCashExact{})
		require.NoError(t, err)
	}
	earn(ra, "LC-KEEP", 10) // 11.90: 11 points
	earn(ra, "LC-DUP", 20)  // 23.80: 23 points
	pass(t, a, b)

	_, err := ra.Do(ctx, pos.MergeCustomers{Keep: keep.ID, Merge: dup.ID})
	require.NoError(t, err)
	earn(rb, "LC-DUP", 5) // till 2 has not heard of the merge: 5.95, 5 points
	pass(t, a, b, a)
	k, err := s.St.LoyaltyBalance(ctx, "LC-KEEP")
	require.NoError(t, err)
	assert.Equal(t, int64(11+23+5), k.Points, "both balances and the late points on the kept card")
	d, err := s.St.LoyaltyBalance(ctx, "LC-DUP")
	require.NoError(t, err)
	assert.Zero(t, d.Points, "nothing left on the duplicate's card")
}
