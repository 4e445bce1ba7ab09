package api

import "time"

// Customer orders (docs/orders.md).
const (
	// DatasetOrders is the store's customer orders and quotations, one
	// change per order (key: its ID): those it took and those it fulfils.
	DatasetOrders = "orders"

	// KindOrderEvent is an OrderEvent that moves no money: a quotation
	// made, lines picked, packed or shipped, an order without deposit
	// cancelled. The events that move money ride in their transaction
	// (its order_event).
	KindOrderEvent = "order_event"
)

// Order is a customer order or a quotation. Amounts are minor units of
// Currency, quantities thousandths.
type Order struct {
	ID           string      `json:"id"`
	Number       string      `json:"number"`
	Quote        bool        `json:"quote,omitempty"`
	Store        string      `json:"store"`
	StoreName    string      `json:"store_name,omitempty"`
	Customer     string      `json:"customer,omitempty"` // the customer's number
	CustomerName string      `json:"customer_name"`
	Phone        string      `json:"phone,omitempty"`
	Currency     Currency    `json:"currency"`
	Lines        []OrderLine `json:"lines"`
	Deposit      int64       `json:"deposit"`
	Overridden   bool        `json:"deposit_overridden,omitempty"`
	Paid         int64       `json:"paid"`
	CancelCharge int64       `json:"cancel_charge,omitempty"`
	Cancelled    bool        `json:"cancelled,omitempty"`
	Created      time.Time   `json:"created"`
	Expires      time.Time   `json:"expires,omitzero"`
	Operator     string      `json:"operator"`
	Applied      []string    `json:"applied,omitempty"` // the events the order counts
}

// OrderLine is a product of an order, priced when it was ordered.
type OrderLine struct {
	No           int       `json:"no"`
	ProductID    string    `json:"product_id"`
	ItemID       string    `json:"item_id"`
	Name         string    `json:"name"`
	Unit         string    `json:"unit"`
	UnitDecimals int       `json:"unit_decimals"`
	Qty          int64     `json:"qty"`
	UnitPrice    int64     `json:"unit_price"`
	Discount     int64     `json:"discount"`
	Net          int64     `json:"net"`
	Tax          int64     `json:"tax"`
	TaxGroup     string    `json:"tax_group"`
	Amount       int64     `json:"amount"`
	Mode         string    `json:"mode"` // pickup, ship
	Store        string    `json:"store"`
	Date         time.Time `json:"date,omitzero"`
	Address      string    `json:"address,omitempty"`
	Picked       int64     `json:"picked,omitempty"`
	Packed       int64     `json:"packed,omitempty"`
	Done         int64     `json:"done,omitempty"`
	Cancelled    int64     `json:"cancelled,omitempty"`
}

// OrderEvent is something that happened to an order at a till: create,
// pick, pack, collect, ship, cancel or edit.
type OrderEvent struct {
	ID       string           `json:"id"`
	OrderID  string           `json:"order_id"`
	Kind     string           `json:"kind"`
	Order    *Order           `json:"order,omitempty"`  // create: the order as made
	Change   *OrderChange     `json:"change,omitempty"` // edit
	Lines    []OrderEventLine `json:"lines,omitempty"`
	Amount   int64            `json:"amount,omitempty"`
	Charge   int64            `json:"charge,omitempty"`
	Store    string           `json:"store"`
	Operator string           `json:"operator"`
	At       time.Time        `json:"at"`
}

// OrderChange is what an edit changes.
type OrderChange struct {
	Name    string    `json:"name,omitempty"`
	Phone   string    `json:"phone,omitempty"`
	Lines   []int     `json:"lines,omitempty"`
	Store   string    `json:"store,omitempty"`
	Date    time.Time `json:"date,omitzero"`
	Address string    `json:"address,omitempty"`
}

// OrderEventLine is a quantity (thousandths) of an order line in an event.
type OrderEventLine struct {
	No  int   `json:"no"`
	Qty int64 `json:"qty"`
}

func validOrder(c Change) bool {
	return c.Order != nil && c.Order.ID == c.Key
}

// OrderOfTransaction reads the order event a transaction upload carries,
// if any.
type OrderOfTransaction struct {
	Status     string      `json:"status"`
	OrderEvent *OrderEvent `json:"order_event"`
}
