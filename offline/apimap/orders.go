package apimap

import (
	"slices"

	"github.com/opentill/opentill/offline/api"
	"github.com/opentill/opentill/pos/catalog"
	"github.com/opentill/opentill/pos/money"
	"github.com/opentill/opentill/pos/order"
)

// OrderOf maps a customer order to the orders feed's form (Pending, the
// till's own mark, does not travel).
func OrderOf(o order.Order) api.Order {
	return api.Order{ID: o.ID, Number: o.Number, Quote: o.Quote, Store: o.Store, StoreName: o.StoreName, Customer: o.Customer,
		CustomerName: o.CustomerName, Phone: o.Phone, Currency: CurrencyOf(o.Currency), Lines: each(o.Lines, orderLineOf),
		Deposit: int64(o.Deposit), Overridden: o.Overridden, Paid: int64(o.Paid), CancelCharge: int64(o.CancelCharge),
		Cancelled: o.Cancelled, Created: o.Created, Expires: o.Expires, Operator: o.Operator, Applied: slices.Clone(o.Applied)}
}

// OrderFrom maps an order of the wire to the domain's.
func OrderFrom(w api.Order) order.Order {
	return order.Order{ID: w.ID, Number: w.Number, Quote: w.Quote, Store: w.Store, StoreName: w.StoreName, Customer: w.Customer,
		CustomerName: w.CustomerName, Phone: w.Phone, Currency: CurrencyFrom(w.Currency), Lines: each(w.Lines, orderLineFrom),
		Deposit: money.Amount(w.Deposit), Overridden: w.Overridden, Paid: money.Amount(w.Paid), CancelCharge: money.Amount(w.CancelCharge),
		Cancelled: w.Cancelled, Created: w.Created, Expires: w.Expires, Operator: w.Operator, Applied: slices.Clone(w.Applied)}
}

// CheckOrder says what is wrong with an order on the wire by the domain's
// rules (order.Order.Check), if anything.
func CheckOrder(w api.Order) error { return OrderFrom(w).Check() }

func orderLineOf(l order.Line) api.OrderLine {
	return api.OrderLine{No: l.No, ProductID: l.ProductID, ItemID: l.ItemID, Name: l.Name, Unit: l.Unit, UnitDecimals: l.UnitDecimals,
		Qty: int64(l.Qty), UnitPrice: int64(l.UnitPrice), Discount: int64(l.Discount), Net: int64(l.Net), Tax: int64(l.Tax),
		TaxGroup: l.TaxGroup, Amount: int64(l.Amount), Mode: string(l.Mode), Store: l.Store, Date: l.Date, Address: l.Address,
		Picked: int64(l.Picked), Packed: int64(l.Packed), Done: int64(l.Done), Cancelled: int64(l.Cancelled)}
}

func orderLineFrom(w api.OrderLine) order.Line {
	return order.Line{No: w.No, ProductID: w.ProductID, ItemID: w.ItemID, Name: w.Name, Unit: w.Unit, UnitDecimals: w.UnitDecimals,
		Qty: catalog.Qty(w.Qty), UnitPrice: money.Amount(w.UnitPrice), Discount: money.Amount(w.Discount), Net: money.Amount(w.Net),
		Tax: money.Amount(w.Tax), TaxGroup: w.TaxGroup, Amount: money.Amount(w.Amount), Mode: order.Mode(w.Mode), Store: w.Store,
		Date: w.Date, Address: w.Address, Picked: catalog.Qty(w.Picked), Packed: catalog.Qty(w.Packed), Done: catalog.Qty(w.Done),
		Cancelled: catalog.Qty(w.Cancelled)}
}

// OrderEventOf maps an order event to its upload form.
func OrderEventOf(e order.Event) api.OrderEvent {
	return api.OrderEvent{ID: e.ID, OrderID: e.OrderID, Kind: string(e.Kind), Order: ptr(e.Order, OrderOf),
		Change: ptr(e.Change, func(c order.Change) api.OrderChange {
			return api.OrderChange{Name: c.Name, Phone: c.Phone, Lines: slices.Clone(c.Lines), Store: c.Store, Date: c.Date, Address: c.Address}
		}),
		Lines:  each(e.Lines, func(l order.EventLine) api.OrderEventLine { return api.OrderEventLine{No: l.No, Qty: int64(l.Qty)} }),
		Amount: int64(e.Amount), Charge: int64(e.Charge), Store: e.Store, Operator: e.Operator, At: e.At}
}

// OrderEventFrom maps an uploaded order event to the domain's.
func OrderEventFrom(w api.OrderEvent) order.Event {
	return order.Event{ID: w.ID, OrderID: w.OrderID, Kind: order.EventKind(w.Kind), Order: ptr(w.Order, OrderFrom),
		Change: ptr(w.Change, func(c api.OrderChange) order.Change {
			return order.Change{Name: c.Name, Phone: c.Phone, Lines: slices.Clone(c.Lines), Store: c.Store, Date: c.Date, Address: c.Address}
		}),
		Lines:  each(w.Lines, func(l api.OrderEventLine) order.EventLine { return order.EventLine{No: l.No, Qty: catalog.Qty(l.Qty)} }),
		Amount: money.Amount(w.Amount), Charge: money.Amount(w.Charge), Store: w.Store, Operator: w.Operator, At: w.At}
}
