package tillsync_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/offline/api"
	"github.com/opentill/opentill/offline/demo"
	"github.com/opentill/opentill/offline/scaleunit"
	"github.com/opentill/opentill/offline/store"
	"github.com/opentill/opentill/offline/tillsync"
	"github.com/opentill/opentill/pos"
	"github.com/opentill/opentill/pos/catalog"
	"github.com/opentill/opentill/pos/inventory"
)

const milkCode = "4000000000013" // product 10000: 10 in the demo store, 0 in the sister store

// sisterTill activates a till of the sister store.
func sisterTill(t *testing.T, s *server) *till {
	t.Helper()
	ti, err := s.St.PutTill(ctx, scaleunit.SisterStoreID, "T01")
	require.NoError(t, err)
	code, err := scaleunit.IssueActivationCode(ctx, s.St, ti.ID, time.Hour)
	require.NoError(t, err)
	dir := t.TempDir()
	st, err := store.Open(dir)
	require.NoError(t, err)
	_, err = tillsync.Activate(ctx, st, s.URL, code, "test sister T01")
	require.NoError(t, err)
	eng, err := tillsync.Open(dir, st, fastOptions())
	require.NoError(t, err)
	t.Cleanup(func() { eng.Close(); st.Close() })
	return &till{Dir: dir, St: st, Eng: eng}
}

func pass(t *testing.T, tills ...*till) {
	t.Helper()
	for _, tl := range tills {
		require.NoError(t, tl.Eng.Pass(ctx))
	}
}

// TestReceivingWhileSelling: a purchase order reaches two tills of a store;
// offline, one receives it (in two parts, the second closing it short)
// while the other sells the same product. Once both have synced the
// server's ledger has the received goods on hand less the sale, nothing
// left on order, and both tills show the server's figure.
func TestReceivingWhileSelling(t *testing.T) {
	s := startServer(t, 50)
	require.NoError(t, s.St.PutDoc(ctx, api.StockDoc{ID: "po-1", Kind: "purchase", Number: "PO-1001", From: "Acme Dairy", To: demo.StoreID,
		Lines: []api.StockDocLine{{ProductID: "10000", Ordered: 24_000}}}))
	a := newTill(t, s, "T01", s.URL)
	b := newTill(t, s, "T02", s.URL)
	pass(t, a, b)
	now := time.Now().UTC()
	ra, rb := register(t, a, &now), register(t, b, &now)
	res, err := ra.Do(ctx, pos.InboundOrder{})
	require.NoError(t, err)
	require.Len(t, res.Docs, 1, "the purchase order came down with the docs feed")
	assert.Equal(t, "PO-1001", res.Docs[0].Number)
	assert.Equal(t, 24*catalog.One, level(t, ra, milkCode).Here.OnOrder)

	// offline from here: till A receives, till B sells
	for range 12 {
		_, err = ra.Do(ctx, pos.InboundOrder{Action: pos.DocScan, DocID: "po-1", Barcode: milkCode})
		require.NoError(t, err)
	}
	_, err = ra.Do(ctx, pos.InboundOrder{Action: pos.DocScan, DocID: "po-1", Barcode: milkCode, Qty: 13 * catalog.One})
	require.Error(t, err, "25 of 24 is over the store's tolerance")
	res, err = ra.Do(ctx, pos.InboundOrder{Action: pos.DocPost, DocID: "po-1"})
	require.NoError(t, err)
	assert.Equal(t, inventory.DocPartial, res.Doc.Doc.Status(), "a partial receipt leaves the rest due")
	_, err = ra.Do(ctx, pos.InboundOrder{Action: pos.DocSet, DocID: "po-1", Barcode: milkCode, Qty: 10 * catalog.One})
	require.NoError(t, err)
	_, err = ra.Do(ctx, pos.InboundOrder{Action: pos.DocPost, DocID: "po-1", Close: true})
	require.Error(t, err, "22 of 24 is short of the store's under-receipt tolerance (none)")
	set := inventory.Settings{UnderReceipt: 1000}
	setupA := ra.Setup()
	setupA.Inventory = &set
	ra = pos.NewRegister(setupA, a.St, pos.Options{Now: func() time.Time { return now }})
	_, err = ra.Do(ctx, pos.SignIn{OperatorID: "2001", Secret: "2468"})
	require.NoError(t, err)
	res, err = ra.Do(ctx, pos.InboundOrder{Action: pos.DocPost, DocID: "po-1", Close: true})
	require.NoError(t, err, "within a 10 % tolerance it closes short")
	assert.Equal(t, inventory.DocReceived, res.Doc.Doc.Status())
	assert.Equal(t, 32*catalog.One, level(t, ra, milkCode).Here.OnHand, "till A: 10 + 22 received, offline")

	_, err = rb.Do(ctx, pos.OpenShift{StartAmount: 10000})
	require.NoError(t, err)
	_, err = rb.Do(ctx, pos.ProductSale{Barcode: milkCode, Qty: 3 * catalog.One})
	require.NoError(t, err)
	_, err = rb.Do(ctx, pos.PayCashExact{})
	require.NoError(t, err)
	assert.Equal(t, 7*catalog.One, level(t, rb, milkCode).Here.OnHand, "till B: its sale on the last figure")

	pass(t, b, a, b, a)
	f, err := s.St.Figure(ctx, demo.StoreID, "10000")
	require.NoError(t, err)
	assert.EqualValues(t, 29_000, f.OnHand, "10 + 22 received − 3 sold")
	assert.EqualValues(t, 0, f.OnOrder, "closed short: nothing more on order")
	for name, r := range map[string]*pos.Register{"till A": ra, "till B": rb} {
		h := level(t, r, milkCode).Here
		assert.Equal(t, 29*catalog.One, h.OnHand, name)
		assert.Zero(t, h.Local, "%s: the server's figure counts every movement", name)
	}
	d, err := s.St.Doc(ctx, "po-1")
	require.NoError(t, err)
	assert.Len(t, d.Posted, 2, "each receipt applied once")
}

// TestTransferBetweenStores: the sister store ships milk to the demo store
// offline; once synced the goods are in transit at the demo store, whose
// till receives them: on hand moves from one store to the other.
func TestTransferBetweenStores(t *testing.T) {
	s := startServer(t, 50)
	require.NoError(t, s.St.SetFigures(ctx, scaleunit.SisterStoreID, []api.StockFigure{{ProductID: "10000", OnHand: 20_000}}))
	n := sisterTill(t, s)
	a := newTill(t, s, "T01", s.URL)
	pass(t, n, a)
	now := time.Now().UTC()
	rn, ra := register(t, n, &now), register(t, a, &now)

	res, err := rn.Do(ctx, pos.OutboundOrder{Action: pos.DocNew, Store: demo.StoreID})
	require.NoError(t, err)
	id := res.Doc.Doc.ID
	_, err = rn.Do(ctx, pos.OutboundOrder{Action: pos.DocSet, DocID: id, Barcode: milkCode, Qty: 6 * catalog.One})
	require.NoError(t, err)
	res, err = rn.Do(ctx, pos.OutboundOrder{Action: pos.DocShip, DocID: id})
	require.NoError(t, err)
	assert.Equal(t, inventory.DocShipped, res.Doc.Doc.Status())
	assert.Equal(t, 14*catalog.One, level(t, rn, milkCode).Here.OnHand, "shipped goods left the sister store, offline")

	pass(t, n, a)
	f, err := s.St.Figure(ctx, demo.StoreID, "10000")
	require.NoError(t, err)
	assert.EqualValues(t, 6_000, f.InTransit)
	assert.Equal(t, 6*catalog.One, level(t, ra, milkCode).Here.InTransit, "the demo store's till sees it in transit")
	res, err = ra.Do(ctx, pos.InboundOrder{})
	require.NoError(t, err)
	require.Len(t, res.Docs, 1)
	assert.True(t, res.Docs[0].Receivable())
	_, err = ra.Do(ctx, pos.InboundOrder{Action: pos.DocSet, DocID: id, Barcode: milkCode, Qty: 6 * catalog.One})
	require.NoError(t, err)
	_, err = ra.Do(ctx, pos.InboundOrder{Action: pos.DocPost, DocID: id})
	require.NoError(t, err)
	pass(t, a, n)
	f, err = s.St.Figure(ctx, demo.StoreID, "10000")
	require.NoError(t, err)
	assert.EqualValues(t, 16_000, f.OnHand)
	assert.EqualValues(t, 0, f.InTransit)
	g, err := s.St.Figure(ctx, scaleunit.SisterStoreID, "10000")
	require.NoError(t, err)
	assert.EqualValues(t, 14_000, g.OnHand)
	res, err = rn.Do(ctx, pos.OutboundOrder{Action: pos.DocOpen, DocID: id})
	require.NoError(t, err)
	assert.Equal(t, inventory.DocReceived, res.Doc.Doc.Status(), "the sending store sees it received")

	// a request from the demo store to the sister store waits there to be shipped
	res, err = ra.Do(ctx, pos.OutboundOrder{Action: pos.DocRequest, Store: scaleunit.SisterStoreID})
	require.NoError(t, err)
	req := res.Doc.Doc.ID
	_, err = ra.Do(ctx, pos.OutboundOrder{Action: pos.DocScan, DocID: req, Barcode: milkCode})
	require.NoError(t, err)
	_, err = ra.Do(ctx, pos.OutboundOrder{Action: pos.DocSend, DocID: req})
	require.NoError(t, err)
	pass(t, a, n)
	res, err = rn.Do(ctx, pos.OutboundOrder{})
	require.NoError(t, err)
	var found bool
	for _, d := range res.Docs {
		found = found || (d.ID == req && d.Shippable())
	}
	assert.True(t, found, "the sister store has the request to ship")
}

// TestRefusedRecordIsParked: a transfer to a store the server does not
// know is refused as invalid; the till parks it (and its shipment) and the
// sale behind it still goes up. Once the store exists, the records are
// requeued and booked.
func TestRefusedRecordIsParked(t *testing.T) {
	s := startServer(t, 50)
	a := newTill(t, s, "T01", s.URL)
	pass(t, a)
	now := time.Now().UTC()
	ra := register(t, a, &now)
	res, err := ra.Do(ctx, pos.OutboundOrder{Action: pos.DocNew, Store: "S0009"})
	require.NoError(t, err)
	_, err = ra.Do(ctx, pos.OutboundOrder{Action: pos.DocSet, DocID: res.Doc.Doc.ID, Barcode: milkCode, Qty: 2 * catalog.One})
	require.NoError(t, err)
	_, err = ra.Do(ctx, pos.OutboundOrder{Action: pos.DocShip, DocID: res.Doc.Doc.ID})
	require.NoError(t, err)
	_, err = ra.Do(ctx, pos.OpenShift{StartAmount: 10000})
	require.NoError(t, err)
	_, err = ra.Do(ctx, pos.ProductSale{Barcode: milkCode})
	require.NoError(t, err)
	_, err = ra.Do(ctx, pos.PayCashExact{})
	require.NoError(t, err)

	pass(t, a)
	parked, err := a.St.OutboxParked(ctx)
	require.NoError(t, err)
	require.Len(t, parked, 2, "the transfer and its shipment")
	assert.Equal(t, api.KindStockTransfer, parked[0].Kind)
	assert.Contains(t, parked[0].LastError, "S0009")
	assert.EqualValues(t, 2, a.Eng.Status().Parked)
	f, err := s.St.Figure(ctx, demo.StoreID, "10000")
	require.NoError(t, err)
	assert.EqualValues(t, 9_000, f.OnHand, "the sale behind the refused records went up")

	require.NoError(t, s.St.PutStore(ctx, scaleunit.StoreInfo{ID: "S0009", Name: "New store"}, demo.Setup()))
	for _, it := range parked {
		require.NoError(t, a.St.OutboxRequeue(ctx, it.ID))
	}
	pass(t, a)
	f, err = s.St.Figure(ctx, demo.StoreID, "10000")
	require.NoError(t, err)
	assert.EqualValues(t, 7_000, f.OnHand, "the shipment is booked once the store exists")
	g, err := s.St.Figure(ctx, "S0009", "10000")
	require.NoError(t, err)
	assert.EqualValues(t, 2_000, g.InTransit)
	pending, _, err := a.St.OutboxCount(ctx)
	require.NoError(t, err)
	assert.Zero(t, pending)
	assert.Zero(t, a.Eng.Status().Parked)
}
