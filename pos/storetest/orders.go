package storetest

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/pos"
	"github.com/opentill/opentill/pos/cart"
	"github.com/opentill/opentill/pos/customer"
	"github.com/opentill/opentill/pos/journal"
	"github.com/opentill/opentill/pos/money"
	"github.com/opentill/opentill/pos/order"
	"github.com/opentill/opentill/pos/poserr"
)

func testOrders(t *testing.T, open Open) {
	made := func(id string) *order.Order {
		return &order.Order{ID: id, Number: "CO-" + id, Store: StoreID, CustomerName: "Ada", Currency: money.EUR, Created: t0, Operator: Manager,
			Deposit: 240, Lines: []order.Line{{No: 1, ProductID: "10001", Name: "Milk", Qty: 2 * one, UnitPrice: 600, Net: 1200, Amount: 1200,
				Mode: order.Pickup, Store: "S0002"}}}
	}
	deposit := func(o *order.Order) cart.Line {
		return cart.Line{No: 1, Name: "Deposit", Qty: one, UnitPrice: o.Deposit, Gross: o.Deposit, Net: o.Deposit,
			Order: &cart.OrderRef{ID: o.ID, Number: o.Number, Role: cart.OrderDeposit}}
	}
	t.Run("a transaction's order is booked in its commit, events on top", func(t *testing.T) {
		st := open(t, Default(t))
		o := made("o-1")
		c := sale("t-1", deposit(o))
		c.OrderEvent = &order.Event{ID: "e-1", OrderID: "o-1", Kind: order.Create, Order: o, Amount: 240, Store: StoreID, Operator: Manager, At: t0}
		require.NoError(t, st.Commit(ctx, c, saleEntry()))
		got, err := st.Order(ctx, "o-1")
		require.NoError(t, err)
		assert.Equal(t, money.Amount(240), got.Paid)
		assert.Equal(t, []string{"e-1"}, got.Applied)
		assert.Equal(t, map[string]order.Qty{"10001": 2 * one}, got.Reserved("S0002"))

		pick := order.Event{ID: "e-2", OrderID: "o-1", Kind: order.Pick, Lines: []order.EventLine{{No: 1, Qty: 2 * one}}, Store: "S0002", At: t0.Add(time.Hour)}
		require.NoError(t, st.SaveOrderEvent(ctx, pick, journal.Entry{Time: t0.Add(time.Hour), Kind: journal.OrderEvent, Operation: 653}))
		requireKind(t, st.SaveOrderEvent(ctx, pick, journal.Entry{Time: t0.Add(time.Hour), Kind: journal.OrderEvent, Operation: 653}), poserr.Conflict)
		got, err = st.Order(ctx, "o-1")
		require.NoError(t, err)
		assert.Equal(t, order.Ready, got.Status())
		list, err := st.Orders(ctx)
		require.NoError(t, err)
		require.Len(t, list, 1)
		assert.Equal(t, got, list[0])
	})
	t.Run("refusals change nothing", func(t *testing.T) {
		st := open(t, Default(t))
		_, err := st.Order(ctx, "nope")
		requireKind(t, err, poserr.NotFound)
		requireKind(t, st.SaveOrderEvent(ctx, order.Event{ID: "e-9", OrderID: "nope", Kind: order.Pick, Lines: []order.EventLine{{No: 1, Qty: one}}},
			journal.Entry{Time: t0, Kind: journal.OrderEvent}), poserr.NotFound)
		bad := made("o-2")
		bad.Lines[0].Store = ""
		c := sale("t-2", deposit(bad))
		c.OrderEvent = &order.Event{ID: "e-3", OrderID: "o-2", Kind: order.Create, Order: bad, Store: StoreID, At: t0}
		require.Error(t, st.Commit(ctx, c, saleEntry()), "an order line with no store")
		assert.Empty(t, c.ReceiptNo)
		list, err := st.Orders(ctx)
		require.NoError(t, err)
		assert.Empty(t, list)
		_, _, err = st.Transaction(ctx, "S1-T1-000001")
		requireKind(t, err, poserr.NotFound)
	})
}

func testHistoryCache(t *testing.T, open Open) {
	t.Run("the server's history of a customer is kept and replaced", func(t *testing.T) {
		st := open(t, Default(t))
		_, ok, err := st.KnownHistory(ctx, "cust-1")
		require.NoError(t, err)
		assert.False(t, ok, "none kept yet")
		h := pos.CustomerHistory{AsOf: t0, Visits: []customer.Visit{{At: t0, Total: 500}},
			Purchases: []pos.TxnSummary{{ID: "tx-9", ReceiptNo: "S2-T1-000009", Finished: t0, Status: cart.Completed, Total: 500, Store: "S2", StoreName: "Two"}},
			Items:     []customer.Item{{ProductID: "10001", Qty: 2 * one, Times: 1, First: t0, Last: t0, Amount: 500}}}
		require.NoError(t, st.RememberHistory(ctx, "cust-1", h))
		got, ok, err := st.KnownHistory(ctx, "cust-1")
		require.NoError(t, err)
		require.True(t, ok)
		assert.True(t, h.AsOf.Equal(got.AsOf))
		assert.Equal(t, "Two", got.Purchases[0].StoreName)
		assert.Equal(t, 2*one, got.Items[0].Qty)
		h.AsOf, h.Purchases = t0.Add(time.Hour), nil
		require.NoError(t, st.RememberHistory(ctx, "cust-1", h))
		got, _, err = st.KnownHistory(ctx, "cust-1")
		require.NoError(t, err)
		assert.Empty(t, got.Purchases, "replaced")
	})
}
