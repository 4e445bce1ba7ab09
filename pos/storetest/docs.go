package storetest

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/pos/catalog"
	"github.com/opentill/opentill/pos/inventory"
	"github.com/opentill/opentill/pos/journal"
	"github.com/opentill/opentill/pos/poserr"
)

const one = catalog.One

func testDocs(t *testing.T, open Open) {
	t.Run("a transfer drafted here, scanned, sent and shipped at once", func(t *testing.T) {
		st := open(t, Default(t))
		at := t0.Add(time.Hour)
		d := inventory.Doc{ID: "to-1", Kind: inventory.TransferOrder, Number: "TO-1", From: StoreID, To: "S0002", Created: at}
		require.NoError(t, st.StartTransfer(ctx, d))
		requireKind(t, st.StartTransfer(ctx, d), poserr.Conflict)
		_, err := st.WorkDoc(ctx, "to-1", "10001", one, true, at)
		require.NoError(t, err)
		l, err := st.WorkDoc(ctx, "to-1", "10001", 2*one, true, at)
		require.NoError(t, err)
		assert.Equal(t, 3*one, l.Qty, "a scan adds")
		_, err = st.WorkDoc(ctx, "to-1", "10002", 5*one, false, at.Add(time.Second))
		require.NoError(t, err)
		l, err = st.WorkDoc(ctx, "to-1", "10002", 4*one, false, at.Add(time.Second))
		require.NoError(t, err)
		assert.Equal(t, 4*one, l.Qty, "a keyed quantity replaces")
		got, work, err := st.StockDoc(ctx, "to-1")
		require.NoError(t, err)
		assert.True(t, got.Draft)
		assert.Equal(t, []inventory.PostLine{{ProductID: "10001", Qty: 3 * one}, {ProductID: "10002", Qty: 4 * one}}, work, "in the order first scanned")

		got.Lines = []inventory.DocLine{{ProductID: "10001", Ordered: 3 * one}, {ProductID: "10002", Ordered: 4 * one}}
		ship := inventory.DocPost{ID: "sh-1", DocID: "to-1", Kind: inventory.Shipping, Lines: work, Operator: Manager, At: at}
		require.NoError(t, st.SendTransfer(ctx, got, &ship, stockEntry(journal.StockTransfer, 805)))
		requireKind(t, st.SendTransfer(ctx, got, nil, stockEntry(journal.StockTransfer, 805)), poserr.Conflict)
		got, work, err = st.StockDoc(ctx, "to-1")
		require.NoError(t, err)
		assert.False(t, got.Draft)
		assert.Empty(t, work, "what was scanned is shipped")
		assert.Equal(t, inventory.DocShipped, got.Status())
		lv, err := st.StockLevel(ctx, "10001")
		require.NoError(t, err)
		assert.Equal(t, -3*one, lv.OnHand, "the shipment leaves this store")
	})
	t.Run("a request received in part, then closed short; a posting is booked once", func(t *testing.T) {
		st := open(t, Default(t))
		at := t0.Add(time.Hour)
		d := inventory.Doc{ID: "to-2", Kind: inventory.TransferOrder, Number: "TO-2", From: "S0002", To: StoreID, Created: at}
		require.NoError(t, st.StartTransfer(ctx, d))
		d.Lines = []inventory.DocLine{{ProductID: "10001", Ordered: 10 * one}}
		require.NoError(t, st.SendTransfer(ctx, d, nil, stockEntry(journal.StockTransfer, 805)))
		_, err := st.WorkDoc(ctx, "to-2", "10001", 4*one, false, at)
		require.NoError(t, err)
		r := inventory.DocPost{ID: "rc-1", DocID: "to-2", Kind: inventory.Receiving, Lines: []inventory.PostLine{{ProductID: "10001", Qty: 4 * one}}, Operator: Cashier, At: at}
		require.NoError(t, st.PostDoc(ctx, r, stockEntry(journal.StockReceipt, 804)))
		requireKind(t, st.PostDoc(ctx, r, stockEntry(journal.StockReceipt, 804)), poserr.Conflict)
		got, work, err := st.StockDoc(ctx, "to-2")
		require.NoError(t, err)
		assert.Empty(t, work)
		l, _ := got.Line("10001")
		assert.Equal(t, 4*one, l.Received)
		require.NoError(t, st.PostDoc(ctx, inventory.DocPost{ID: "rc-2", DocID: "to-2", Kind: inventory.Receiving, Close: true, Operator: Cashier, At: at},
			stockEntry(journal.StockReceipt, 804)))
		got, _, err = st.StockDoc(ctx, "to-2")
		require.NoError(t, err)
		assert.True(t, got.Closed)
		assert.Equal(t, inventory.DocReceived, got.Status())
		lv, err := st.StockLevel(ctx, "10001")
		require.NoError(t, err)
		assert.Equal(t, 4*one, lv.OnHand, "received goods are on hand")
		docs, err := st.StockDocs(ctx)
		require.NoError(t, err)
		require.Len(t, docs, 1)

		_, _, err = st.StockDoc(ctx, "nope")
		requireKind(t, err, poserr.NotFound)
		_, err = st.WorkDoc(ctx, "nope", "10001", one, true, at)
		requireKind(t, err, poserr.NotFound)
		requireKind(t, st.PostDoc(ctx, inventory.DocPost{ID: "x", DocID: "nope", Kind: inventory.Receiving, Lines: r.Lines}, stockEntry(journal.StockReceipt, 804)), poserr.NotFound)
		requireKind(t, st.PostDoc(ctx, inventory.DocPost{ID: "x", DocID: "to-2", Kind: inventory.Receiving}, stockEntry(journal.StockReceipt, 804)), poserr.Invalid)
	})
}
