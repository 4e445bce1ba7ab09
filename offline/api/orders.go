package api

import "github.com/opentill/opentill/pos/order"

// Customer orders (docs/orders.md).
const (
	// DatasetOrders is the store's customer orders and quotations, one
	// change per order (key: its ID): those it took and those it fulfils.
	DatasetOrders = "orders"

	// KindOrderEvent is an order.Event that moves no money: a quotation
	// made, lines picked, packed or shipped, an order without deposit
	// cancelled. The events that move money ride in their transaction
	// (its order_event).
	KindOrderEvent = "order_event"
)

func validOrder(c Change) bool {
	return c.Order != nil && c.Order.ID == c.Key && c.Order.Check() == nil
}

// OrderOfTransaction reads the order event a transaction upload carries,
// if any.
type OrderOfTransaction struct {
	Status     string       `json:"status"`
	OrderEvent *order.Event `json:"order_event"`
}
