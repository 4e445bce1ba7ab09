package ui

import (
	"context"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/pos"
	"github.com/opentill/opentill/pos/cart"
	"github.com/opentill/opentill/pos/order"
)

// A manager makes a customer order for pick-up here from the sell screen:
// the form marks what is missing and keeps what was typed; the deposit is
// taken; later the order is found on the orders screen, picked and handed
// over, the customer paying the balance.
func TestCustomerOrderOnScreen(t *testing.T) {
	r := newRig(t)
	r.signInSelling("2001", "2468")
	r.ui.showSell()
	r.scan(stockCode)
	v := r.ui.sell
	require.NotNil(t, v.Button("button.customer_order"), "the sell screen has the button")
	test.Tap(v.Button("button.customer_order"))
	f := r.ui.orderF
	require.NotNil(t, f)
	test.Type(f.phone, "030 1234")
	f.dialog.Submit()
	assert.Error(t, f.name.Validate(), "whose order: the name is marked")
	assert.Equal(t, "030 1234", f.phone.Text, "the phone stays as typed")

	test.Type(f.name, "Ada Lovelace")
	f.mode.SetSelectedIndex(modeShip)
	f.dialog.Submit()
	assert.Error(t, f.address.Validate(), "shipping needs the address")
	assert.Equal(t, "Ada Lovelace", f.name.Text)

	f.mode.SetSelectedIndex(modeHere)
	f.dialog.Submit()
	c := r.reg.Cart()
	require.NotNil(t, c)
	require.NotNil(t, c.OrderEvent, "the transaction is an order")
	lines := c.Active()
	require.Len(t, lines, 1)
	assert.Equal(t, cart.OrderDeposit, lines[0].Order.Role)
	id := c.OrderEvent.OrderID
	number := c.OrderEvent.Order.Number
	deposit := c.Totals.Total
	assert.Positive(t, deposit)
	test.Tap(v.Button("button.pay_exact"))
	require.Nil(t, r.reg.Cart(), "the deposit is paid")

	r.ui.showHome()
	require.NotNil(t, r.ui.Tile("tile.orders"))
	test.Tap(r.ui.Tile("tile.orders"))
	ov := r.ui.Orders()
	require.NotNil(t, ov)
	require.Len(t, ov.all.orders, 1)
	assert.Contains(t, r.ui.orderTitle(ov.all.orders[0]), number)
	require.Len(t, ov.fulfil.orders, 1, "this store hands it over")
	ov.all.list.Select(0)
	assert.Contains(t, r.overlayText(), "Ada Lovelace")
	r.tap(r.ui.L.OpName(int(pos.OpPickFulfillment)))
	o, err := r.st.Order(context.Background(), id)
	require.NoError(t, err)
	assert.Equal(t, order.Ready, o.Status())

	ov.all.list.Select(0)
	r.tap(r.ui.L.T("orders.collect"))
	require.Equal(t, "sell", r.ui.Screen())
	c = r.reg.Cart()
	require.NotNil(t, c)
	assert.Equal(t, o.Total()-deposit, c.Totals.Total, "the balance is due")
	test.Tap(r.ui.sell.Button("button.pay_exact"))
	o, err = r.st.Order(context.Background(), id)
	require.NoError(t, err)
	assert.Equal(t, order.Completed, o.Status())
}

// From a stock lookup, "order for the customer" puts the product on a
// sale and opens the order form; with no other store known to have it,
// the form is set to ship it. A date typed wrong is marked and kept.
func TestOrderFromStockLookup(t *testing.T) {
	r := newRig(t)
	r.signInSelling("2001", "2468")
	test.Tap(r.ui.Tile("tile.stock"))
	v := r.ui.Stock()
	require.NotNil(t, v)
	test.Type(v.code, stockCode)
	v.code.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	require.NotNil(t, v.info)
	require.False(t, v.order.Disabled())
	test.Tap(v.order)
	require.Equal(t, "sell", r.ui.Screen())
	c := r.reg.Cart()
	require.NotNil(t, c)
	require.Len(t, c.Active(), 1, "the product is on the sale")
	f := r.ui.orderF
	require.NotNil(t, f)
	assert.Equal(t, modeShip, f.mode.SelectedIndex(), "no other store has it: ship")
	test.Type(f.name, "Ada")
	test.Type(f.address, "1 Main St")
	test.Type(f.date, "31.12.")
	f.dialog.Submit()
	assert.Error(t, f.date.Validate(), "the date is marked")
	assert.Equal(t, "1 Main St", f.address.Text, "the form keeps what was typed")
	f.date.SetText("2026-12-24")
	f.dialog.Submit()
	c = r.reg.Cart()
	require.NotNil(t, c.OrderEvent)
	require.Len(t, c.OrderEvent.Order.Lines, 1)
	l := c.OrderEvent.Order.Lines[0]
	assert.Equal(t, order.Ship, l.Mode)
	assert.Equal(t, "1 Main St", l.Address)
	assert.Equal(t, 24, l.Date.Day())
}
