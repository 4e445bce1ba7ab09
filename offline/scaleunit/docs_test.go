package scaleunit_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/offline/api"
	"github.com/opentill/opentill/offline/apimap"
	"github.com/opentill/opentill/offline/demo"
	"github.com/opentill/opentill/offline/scaleunit"
	"github.com/opentill/opentill/offline/scaleunit/sutest"
)

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return b
}

func figure(t *testing.T, st *scaleunit.DB, store, product string) api.StockFigure {
	t.Helper()
	f, err := st.Figure(ctx, store, product)
	require.NoError(t, err)
	return f
}

// A purchase order puts its quantities on order; receipts move them to on
// hand once each, partly and then closed short; a transfer is in transit
// at the receiving store from its shipment to its receipt.
func TestStockDocs(t *testing.T) { sutest.Each(t, testStockDocs) }

func testStockDocs(t *testing.T, backend string) {
	st, _ := sutest.Open(t, backend)
	require.NoError(t, scaleunit.Seed(ctx, st, 20, nil))
	t1, err := st.PutTill(ctx, demo.StoreID, "T01")
	require.NoError(t, err)
	nord, err := st.PutTill(ctx, scaleunit.SisterStoreID, "T01")
	require.NoError(t, err)
	p, q := demo.Featured[0].ID, demo.Featured[1].ID
	require.NoError(t, st.SetFigures(ctx, demo.StoreID, []api.StockFigure{{ProductID: p, OnHand: 10_000}, {ProductID: q, OnHand: 3_000}}))
	require.NoError(t, st.SetFigures(ctx, scaleunit.SisterStoreID, []api.StockFigure{{ProductID: p, OnHand: 20_000}}))
	at := time.Now().Add(time.Second)

	t.Run("a purchase order received in two parts, closed short", func(t *testing.T) {
		require.NoError(t, st.PutDoc(ctx, api.StockDoc{ID: "po-1", Kind: "purchase", Number: "PO-1001", From: "Acme Foods", To: demo.StoreID,
			Lines: []api.StockDocLine{{ProductID: p, Ordered: 12_000}, {ProductID: q, Ordered: 6_000}}}))
		assert.EqualValues(t, 12_000, figure(t, st, demo.StoreID, p).OnOrder)
		r1 := api.StockDocPost{ID: "rc-1", DocID: "po-1", Kind: "receipt", Operator: "3001", At: at,
			Lines: []api.StockDocMove{{ProductID: p, Qty: 5_000}}}
		assert.False(t, upload(t, st, t1, api.KindStockDocPost, r1.ID, r1))
		assert.True(t, upload(t, st, t1, api.KindStockDocPost, r1.ID, r1), "a retry is a duplicate")
		f := figure(t, st, demo.StoreID, p)
		assert.EqualValues(t, 15_000, f.OnHand)
		assert.EqualValues(t, 7_000, f.OnOrder)
		assert.Equal(t, map[string]int64{t1.ID: 1}, f.Counted, "the receipt is the till's movement")
		d, err := st.Doc(ctx, "po-1")
		require.NoError(t, err)
		assert.Equal(t, "partial", string(apimap.StockDocFrom(d).Status()))
		assert.Equal(t, []string{"rc-1"}, d.Posted)

		r2 := api.StockDocPost{ID: "rc-2", DocID: "po-1", Kind: "receipt", Operator: "3001", At: at, Close: true,
			Lines: []api.StockDocMove{{ProductID: p, Qty: 6_000}, {ProductID: q, Qty: 6_000}}}
		upload(t, st, t1, api.KindStockDocPost, r2.ID, r2)
		f = figure(t, st, demo.StoreID, p)
		assert.EqualValues(t, 21_000, f.OnHand)
		assert.EqualValues(t, 0, f.OnOrder, "closed short: nothing more on order")
		assert.EqualValues(t, 9_000, figure(t, st, demo.StoreID, q).OnHand)
		d, err = st.Doc(ctx, "po-1")
		require.NoError(t, err)
		assert.Equal(t, "received", string(apimap.StockDocFrom(d).Status()))

		page, err := st.Feed(ctx, demo.StoreID, api.DatasetDocs, 0, 100, false)
		require.NoError(t, err)
		require.NoError(t, page.Validate(api.DatasetDocs, 0))
		require.Len(t, page.Changes, 1, "one change per document")
		assert.Equal(t, []string{"rc-1", "rc-2"}, page.Changes[0].Doc.Posted)
	})

	t.Run("a transfer made at a till, shipped and received at the other store", func(t *testing.T) {
		tr := api.StockDoc{ID: "to-1", Kind: "transfer", Number: "TO-1", From: scaleunit.SisterStoreID, To: demo.StoreID,
			Lines: []api.StockDocLine{{ProductID: p, Ordered: 4_000}}}
		upload(t, st, nord, api.KindStockTransfer, tr.ID, tr)
		assert.EqualValues(t, 0, figure(t, st, demo.StoreID, p).InTransit, "nothing in transit before it ships")
		sh := api.StockDocPost{ID: "sh-1", DocID: "to-1", Kind: "shipment", Operator: "2001", At: at,
			Lines: []api.StockDocMove{{ProductID: p, Qty: 3_000}}}
		_, _, err := st.Upload(ctx, t1, api.KindStockDocPost, "sh-x", mustJSON(t, sh))
		require.ErrorIs(t, err, scaleunit.ErrInvalid, "the receiving store cannot ship it")
		upload(t, st, nord, api.KindStockDocPost, sh.ID, sh)
		assert.EqualValues(t, 17_000, figure(t, st, scaleunit.SisterStoreID, p).OnHand)
		assert.EqualValues(t, 3_000, figure(t, st, demo.StoreID, p).InTransit)
		for _, store := range []string{demo.StoreID, scaleunit.SisterStoreID} {
			page, err := st.Feed(ctx, store, api.DatasetDocs, 0, 100, false)
			require.NoError(t, err)
			var seen bool
			for _, c := range page.Changes {
				seen = seen || c.Key == "to-1"
			}
			assert.True(t, seen, "both stores have the transfer in their feed: %s", store)
		}
		rc := api.StockDocPost{ID: "rc-3", DocID: "to-1", Kind: "receipt", Operator: "3001", At: at,
			Lines: []api.StockDocMove{{ProductID: p, Qty: 3_000}}}
		_, _, err = st.Upload(ctx, nord, api.KindStockDocPost, "rc-x", mustJSON(t, rc))
		require.ErrorIs(t, err, scaleunit.ErrInvalid, "the sending store cannot receive it")
		upload(t, st, t1, api.KindStockDocPost, rc.ID, rc)
		f := figure(t, st, demo.StoreID, p)
		assert.EqualValues(t, 24_000, f.OnHand)
		assert.EqualValues(t, 0, f.InTransit)
	})

	t.Run("bad documents are refused", func(t *testing.T) {
		for _, d := range []api.StockDoc{
			{ID: "", Kind: "purchase", From: "x", To: demo.StoreID},
			{ID: "d", Kind: "gift", From: "x", To: demo.StoreID},
			{ID: "d", Kind: "transfer", From: demo.StoreID, To: demo.StoreID},
			{ID: "d", Kind: "purchase", From: "x", To: "S9999"},
			{ID: "d", Kind: "purchase", From: "x", To: demo.StoreID, Lines: []api.StockDocLine{{ProductID: p, Ordered: -1}}},
		} {
			assert.ErrorIs(t, st.PutDoc(ctx, d), scaleunit.ErrInvalid, "%+v", d)
		}
	})
}
