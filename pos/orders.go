package pos

import (
	"context"
	"sort"
	"strings"
	"time"

	"github.com/opentill/opentill/pos/cart"
	"github.com/opentill/opentill/pos/catalog"
	"github.com/opentill/opentill/pos/journal"
	"github.com/opentill/opentill/pos/money"
	"github.com/opentill/opentill/pos/order"
	"github.com/opentill/opentill/pos/poserr"
	"github.com/opentill/opentill/pos/receipt"
)

// Customer-order operations (the anchor's numbers; docs/orders.md).
const (
	OpDepositOverride  OpID = 132
	OpRecallOrder      OpID = 515
	OpCreateOrder      OpID = 620
	OpCreateQuote      OpID = 621
	OpShipSelected     OpID = 629
	OpShipAll          OpID = 630
	OpPickupSelected   OpID = 631
	OpPickupAll        OpID = 632
	OpCarryOutSelected OpID = 641
	OpCarryOutAll      OpID = 642
	OpCancelOrder      OpID = 648
	OpOrderFulfillment OpID = 928
	OpPickFulfillment  OpID = 653
	OpPackFulfillment  OpID = 654
	OpShipFulfillment  OpID = 655
	OpEditOrder        OpID = 614
)

// CreateOrder turns the transaction into a customer order (op 620): the
// pick-up and ship operations then move its lines into the order, and the
// transaction takes the deposit. The customer on the transaction is the
// order's; without one, a name (and a phone) says whose it is.
type CreateOrder struct {
	Name, Phone string
}

// CreateQuote saves the transaction's lines as a quotation (op 621) at
// their prices now, for the customer; the transaction ends without payment.
type CreateQuote struct {
	Name, Phone string
}

// Delivery says where and when order lines reach the customer.
type Delivery struct {
	Lines   []int     // the transaction's lines (Selected operations)
	Store   string    // pick-up: the store that hands them over ("" = this one)
	Date    time.Time // the day the customer expects them (zero = as soon as ready)
	Address string    // ship: where to
}

// ShipSelected ships the selected lines to the customer (op 629).
type ShipSelected struct{ Delivery }

// ShipAll ships every line still carried out (op 630).
type ShipAll struct{ Delivery }

// PickupSelected has the selected lines picked up at a store (op 631).
type PickupSelected struct{ Delivery }

// PickupAll has every line still carried out picked up at a store (op 632).
type PickupAll struct{ Delivery }

// CarryOutSelected takes order lines (their numbers in the order) back
// into the transaction, to be carried out now (op 641).
type CarryOutSelected struct{ Lines []int }

// CarryOutAll takes every order line back into the transaction (op 642).
type CarryOutAll struct{}

// DepositOverride sets the order's deposit instead of the store's
// percentage (op 132), at least what the lines to ship cost.
type DepositOverride struct{ Amount money.Amount }

// RecallOrder finds the store's orders (op 515): no ID lists them (Query
// narrows by number, customer or phone); an ID with Collect starts the
// pick-up of its lines here (Lines: those order lines, none = every open
// line fulfilled here), the deposit counted against it.
type RecallOrder struct {
	ID      string
	Query   string
	Collect bool
	Lines   []int
}

// EditOrder changes an open order (op 614): the customer's name and
// phone, and of its open lines (Lines: those order lines, none = all) the
// store a pick-up is handed over at, the date, the address to ship to.
// What is left empty stays as it was.
type EditOrder struct {
	ID          string
	Name, Phone string
	Lines       []int
	Store       string
	Date        time.Time
	Address     string
}

// CancelOrder cancels what is open of an order (op 648): the deposit is
// paid back less the store's cancellation charge, in a transaction.
type CancelOrder struct{ ID string }

// OrderFulfillment lists the orders this store picks, packs, ships or
// hands over (op 928), the ones to work on first.
type OrderFulfillment struct{}

// PickLines marks order lines picked at this store (op 653); Lines are
// the order's line numbers, none = every open line fulfilled here.
type PickLines struct {
	ID    string
	Lines []int
}

// PackLines marks lines to ship packed (op 654).
type PackLines struct {
	ID    string
	Lines []int
}

// ShipLines ships packed lines to the customer (op 655).
type ShipLines struct {
	ID    string
	Lines []int
}

// OpID implementations.
func (CreateOrder) OpID() OpID      { return OpCreateOrder }
func (CreateQuote) OpID() OpID      { return OpCreateQuote }
func (ShipSelected) OpID() OpID     { return OpShipSelected }
func (ShipAll) OpID() OpID          { return OpShipAll }
func (PickupSelected) OpID() OpID   { return OpPickupSelected }
func (PickupAll) OpID() OpID        { return OpPickupAll }
func (CarryOutSelected) OpID() OpID { return OpCarryOutSelected }
func (CarryOutAll) OpID() OpID      { return OpCarryOutAll }
func (DepositOverride) OpID() OpID  { return OpDepositOverride }
func (RecallOrder) OpID() OpID      { return OpRecallOrder }
func (CancelOrder) OpID() OpID      { return OpCancelOrder }
func (OrderFulfillment) OpID() OpID { return OpOrderFulfillment }
func (PickLines) OpID() OpID        { return OpPickFulfillment }
func (PackLines) OpID() OpID        { return OpPackFulfillment }
func (ShipLines) OpID() OpID        { return OpShipFulfillment }
func (EditOrder) OpID() OpID        { return OpEditOrder }

// OrderBook keeps the till's copy of the store's customer orders
// (docs/orders.md): as the store server last sent them, with this till's
// events on top until the server's copy counts them. Commit books the
// event a transaction carries (cart.Cart.OrderEvent) in its own commit.
type OrderBook interface {
	// Orders lists the orders this store took or fulfils, newest first.
	Orders(ctx context.Context) ([]order.Order, error)
	// Order returns an order (poserr.NotFound when the till has none).
	Order(ctx context.Context, id string) (order.Order, error)
	// SaveOrderEvent books an event that moves no money (a quotation made,
	// lines picked, packed or shipped): applied on top of the order,
	// queued for the store server and journaled (payload the event), in
	// one transaction. An event ID saved before is poserr.Conflict.
	SaveOrderEvent(ctx context.Context, ev order.Event, e journal.Entry) error
}

func (r *Register) orderSettings() order.Settings {
	if r.setup.Orders == nil {
		return order.Settings{}
	}
	return *r.setup.Orders
}

// making is the order the open transaction makes, or nil.
func (r *Register) making() *order.Order {
	if r.cart == nil || r.cart.OrderEvent == nil || r.cart.OrderEvent.Kind != order.Create {
		return nil
	}
	return r.cart.OrderEvent.Order
}

// changeable is the order the open transaction makes, while its lines may
// still change (no payment on it yet).
func (r *Register) changeable() (*order.Order, error) {
	od := r.making()
	switch {
	case od == nil:
		return nil, poserr.E(poserr.Conflict, "error.order.none", "make the transaction a customer order first")
	case r.cart.HasPayments():
		return nil, poserr.E(poserr.Conflict, "error.cart.has_payments", "a payment is on the transaction: void the payment before changing lines")
	}
	return od, nil
}

func (r *Register) createOrder(o CreateOrder) (Result, error) {
	c := r.cart
	switch {
	case c == nil || c.IsEmpty():
		return Result{}, poserr.E(poserr.Conflict, "error.cart.empty", "scan what the customer orders first")
	case c.OrderEvent != nil:
		return Result{}, poserr.E(poserr.Conflict, "error.order.already", "the transaction is a customer order already")
	case c.HasPayments():
		return Result{}, poserr.E(poserr.Conflict, "error.cart.has_payments", "a payment is on the transaction: void the payment before changing lines")
	}
	for _, l := range c.Active() {
		if l.IsReturn() || l.Order != nil {
			return Result{}, poserr.E(poserr.Conflict, "error.order.returns", "a customer order cannot hold returns: finish the return first")
		}
		if l.Value != nil {
			return Result{}, poserr.E(poserr.Conflict, "error.giftcard.order", "a gift card cannot go on a customer order: sell it on its own transaction")
		}
	}
	name, phone := strings.TrimSpace(o.Name), strings.TrimSpace(o.Phone)
	if name == "" {
		name = c.CustomerName
	}
	if name == "" && c.Customer == "" {
		return Result{}, poserr.E(poserr.Invalid, "error.order.customer", "add the customer, or give the customer's name")
	}
	now := r.opt.Now().UTC()
	id := r.opt.NewID()
	od := &order.Order{ID: id, Number: orderNumber(id), Store: r.setup.StoreID, StoreName: r.setup.StoreName, Customer: c.Customer,
		CustomerName: name, Phone: phone, Currency: r.setup.Currency, Created: now, Operator: r.operator.ID}
	c.OrderEvent = &order.Event{ID: r.opt.NewID(), OrderID: id, Kind: order.Create, Order: od, Store: r.setup.StoreID, Operator: r.operator.ID, At: now}
	return Result{Order: copyOrder(od)}, nil
}

func orderNumber(id string) string {
	if len(id) > 6 {
		id = id[len(id)-6:]
	}
	return "CO-" + strings.ToUpper(id)
}

// deliver moves transaction lines into the order being made.
func (r *Register) deliver(ctx context.Context, mode order.Mode, d Delivery, all bool) (Result, error) {
	od, err := r.changeable()
	if err != nil {
		return Result{}, err
	}
	c := r.cart
	store := strings.TrimSpace(d.Store)
	if store == "" || mode == order.Ship {
		store = r.setup.StoreID
	}
	addr := strings.TrimSpace(d.Address)
	if mode == order.Ship && addr == "" {
		return Result{}, poserr.E(poserr.Invalid, "error.order.address", "give the address to ship to")
	}
	var picked []*cart.Line
	if all {
		for _, l := range c.Active() {
			if l.Order == nil && !l.IsReturn() {
				picked = append(picked, l)
			}
		}
	} else {
		for _, no := range d.Lines {
			l := c.Line(no)
			if l == nil || l.Voided || l.Order != nil {
				return Result{}, poserr.E(poserr.NotFound, "error.line.not_found", "line %d is not on the transaction", no)
			}
			if l.IsReturn() {
				return Result{}, poserr.E(poserr.Conflict, "error.order.returns", "a customer order cannot hold returns: finish the return first")
			}
			picked = append(picked, l)
		}
	}
	if len(picked) == 0 {
		return Result{}, poserr.E(poserr.Conflict, "error.order.no_lines", "pick the lines to order")
	}
	if err := r.reprice(); err != nil { // the prices the order keeps
		return Result{}, err
	}
	next := 1
	for _, ol := range od.Lines {
		next = max(next, ol.No+1)
	}
	moved := map[int]bool{}
	for _, l := range picked {
		amount := l.Net
		if !c.TaxInclusive {
			amount += l.Tax
		}
		od.Lines = append(od.Lines, order.Line{No: next, ProductID: l.ProductID, ItemID: l.ItemID, Name: l.Name, Unit: l.Unit,
			UnitDecimals: l.UnitDecimals, Qty: l.Qty, UnitPrice: l.UnitPrice, Discount: l.Gross - l.Net, Net: l.Net, Tax: l.Tax,
			TaxGroup: l.TaxGroup, Amount: amount, Mode: mode, Store: store, Date: d.Date, Address: addr})
		next++
		moved[l.No] = true
	}
	keep := c.Lines[:0:0]
	for _, l := range c.Lines {
		if !moved[l.No] {
			keep = append(keep, l)
		}
	}
	c.Lines = keep
	return r.orderChanged()
}

// orderChanged keeps the deposit line of the order being made right and
// reprices.
func (r *Register) orderChanged() (Result, error) {
	c, od := r.cart, r.making()
	if !od.Overridden {
		od.Deposit = r.orderSettings().RequiredDeposit(od.Lines, r.setup.Round)
	}
	od.Deposit = min(max(od.Deposit, order.MinDeposit(od.Lines)), od.Total())
	var dep *cart.Line
	for i := range c.Lines {
		if c.Lines[i].IsOrderMoney() {
			dep = &c.Lines[i]
		}
	}
	if len(od.Lines) == 0 {
		if dep != nil {
			dep.Voided = true
		}
	} else {
		if dep == nil {
			name := receipt.LabelsFor(r.setup.Header.Language).OrderDeposit + " " + od.Number // the customer display shows it
			c.Lines = append(c.Lines, cart.Line{No: c.NextLineNo(), Name: name, Unit: "", Qty: catalog.One,
				Flags: catalog.Flags{NoDiscount: true, NotReturnable: true}, Order: &cart.OrderRef{ID: od.ID, Number: od.Number, Role: cart.OrderDeposit}})
			dep = &c.Lines[len(c.Lines)-1]
		}
		dep.Voided = false
		dep.UnitPrice, dep.OriginalPrice = od.Deposit, od.Deposit
	}
	if err := r.reprice(); err != nil {
		return Result{}, err
	}
	return Result{Order: copyOrder(od)}, nil
}

func (r *Register) carryOut(ctx context.Context, lines []int, all bool) (Result, error) {
	od, err := r.changeable()
	if err != nil {
		return Result{}, err
	}
	want := map[int]bool{}
	for _, no := range lines {
		if _, ok := od.Line(no); !ok {
			return Result{}, poserr.E(poserr.NotFound, "error.order.line", "the order has no line %d", no)
		}
		want[no] = true
	}
	keep := od.Lines[:0:0]
	for _, ol := range od.Lines {
		if !all && !want[ol.No] {
			keep = append(keep, ol)
			continue
		}
		p, err := r.store.ByID(ctx, ol.ProductID)
		if err != nil {
			return Result{}, err
		}
		l, err := r.newLine(p, "", ol.Qty, 0, embedded{})
		if err != nil {
			return Result{}, err
		}
		l.No = r.cart.NextLineNo()
		r.cart.Lines = append(r.cart.Lines, l)
	}
	od.Lines = keep
	return r.orderChanged()
}

func (r *Register) depositOverride(o DepositOverride) (Result, error) {
	od, err := r.changeable()
	if err != nil {
		return Result{}, err
	}
	least, most := order.MinDeposit(od.Lines), od.Total()
	if o.Amount < least || o.Amount > most {
		pe := poserr.E(poserr.Invalid, "error.order.deposit", "the deposit must be between %s and %s", r.amountFmt(least), r.amountFmt(most))
		pe.Args = map[string]any{"least": r.amountFmt(least), "most": r.amountFmt(most)}
		return Result{}, pe
	}
	od.Deposit, od.Overridden = o.Amount, true
	return r.orderChanged()
}

func (r *Register) createQuote(ctx context.Context, o CreateQuote) (Result, error) {
	c := r.cart
	if c == nil || c.IsEmpty() {
		return Result{}, poserr.E(poserr.Conflict, "error.cart.empty", "scan what the customer orders first")
	}
	if c.OrderEvent != nil || c.HasPayments() {
		return Result{}, poserr.E(poserr.Conflict, "error.order.quote_cart", "a quotation is made of a transaction without payments or an order")
	}
	if _, err := r.createOrder(CreateOrder(o)); err != nil {
		return Result{}, err
	}
	if _, err := r.deliver(ctx, order.Pickup, Delivery{}, true); err != nil {
		c.OrderEvent = nil
		return Result{}, err
	}
	ev := c.OrderEvent
	od := ev.Order
	od.Quote, od.Deposit, od.Expires = true, 0, ev.At.Add(r.orderSettings().QuoteLife())
	if err := r.store.SaveOrderEvent(ctx, *ev, r.entry(journal.OrderEvent, OpCreateQuote)); err != nil {
		c.OrderEvent = nil
		return Result{}, err
	}
	// The transaction itself is over: nothing is sold.
	r.cart = nil
	return Result{Order: copyOrder(od)}, nil
}

// orders lists the store's orders, narrowed by a query.
func (r *Register) orders(ctx context.Context, query string) ([]order.Order, error) {
	all, err := r.store.Orders(ctx)
	if err != nil {
		return nil, err
	}
	q := strings.ToLower(strings.TrimSpace(query))
	var out []order.Order
	for _, o := range all {
		if q == "" || strings.Contains(strings.ToLower(o.Number), q) || strings.Contains(strings.ToLower(o.CustomerName), q) ||
			strings.Contains(o.Phone, q) || strings.ToLower(o.Customer) == q {
			out = append(out, o)
		}
	}
	return out, nil
}

func (r *Register) recallOrder(ctx context.Context, o RecallOrder) (Result, error) {
	if strings.TrimSpace(o.ID) == "" {
		list, err := r.orders(ctx, o.Query)
		return Result{Orders: list}, err
	}
	od, err := r.store.Order(ctx, strings.TrimSpace(o.ID))
	if err != nil {
		return Result{}, err
	}
	if !o.Collect {
		if od.Quote {
			return r.recallQuote(ctx, od)
		}
		return Result{Order: &od}, nil
	}
	if err := r.noOpenCart(); err != nil {
		return Result{}, err
	}
	if err := r.orderOpen(od); err != nil {
		return Result{}, err
	}
	want := map[int]bool{}
	for _, no := range o.Lines {
		want[no] = true
	}
	c := r.openCart()
	c.Customer, c.CustomerName = od.Customer, od.CustomerName
	ev := &order.Event{ID: r.opt.NewID(), OrderID: od.ID, Kind: order.Collect, Store: r.setup.StoreID, Operator: r.operator.ID, At: r.opt.Now().UTC()}
	var goods money.Amount
	for _, ol := range od.Lines {
		if ol.Store != r.setup.StoreID || ol.Mode != order.Pickup || ol.Open() == 0 || (len(want) > 0 && !want[ol.No]) {
			continue
		}
		qty := ol.Open()
		l := cart.Line{No: c.NextLineNo(), ProductID: ol.ProductID, ItemID: ol.ItemID, Name: ol.Name, Unit: ol.Unit, UnitDecimals: ol.UnitDecimals,
			Qty: qty, UnitPrice: ol.UnitPrice, OriginalPrice: ol.UnitPrice, TaxGroup: ol.TaxGroup, OrderDiscount: ol.Share(ol.Discount, qty),
			Order: &cart.OrderRef{ID: od.ID, Number: od.Number, Role: cart.OrderLine, LineNo: ol.No}}
		if p, err := r.store.ByID(ctx, ol.ProductID); err == nil {
			l.Category, l.Flags = p.Category, p.Flags
		}
		l.Flags.NoDiscount = true
		c.Lines = append(c.Lines, l)
		goods += ol.Share(ol.Amount, qty)
	}
	if len(c.Lines) == 0 {
		r.cart = nil
		return Result{}, orderError("error.order.nothing_here", "%s has nothing to hand over at this store", od)
	}
	if settle := min(od.Paid, goods); settle > 0 {
		c.Lines = append(c.Lines, cart.Line{No: c.NextLineNo(), Name: "Deposit " + od.Number, Qty: catalog.One, UnitPrice: -settle, OriginalPrice: -settle,
			Flags: catalog.Flags{NoDiscount: true, NotReturnable: true}, Order: &cart.OrderRef{ID: od.ID, Number: od.Number, Role: cart.OrderSettle}})
	}
	c.OrderEvent = ev
	if err := r.reprice(); err != nil {
		r.cart = nil
		return Result{}, err
	}
	return Result{Order: &od}, nil
}

// recallQuote puts a quotation's lines into a new transaction, at least
// at the prices quoted (today's promotions still apply on top).
func (r *Register) recallQuote(ctx context.Context, od order.Order) (Result, error) {
	if err := r.noOpenCart(); err != nil {
		return Result{}, err
	}
	if !od.Expires.IsZero() && r.opt.Now().After(od.Expires) {
		return Result{}, orderError("error.order.quote_expired", "quotation %s has expired", od)
	}
	c := r.openCart()
	c.Customer, c.CustomerName = od.Customer, od.CustomerName
	for _, ol := range od.Lines {
		p, err := r.store.ByID(ctx, ol.ProductID)
		if err != nil {
			r.cart = nil
			return Result{}, err
		}
		l, err := r.newLine(p, "", ol.Qty, 0, embedded{})
		if err != nil {
			r.cart = nil
			return Result{}, err
		}
		l.No = c.NextLineNo()
		if ol.Discount > 0 {
			l.Discount = cart.Discount{Amount: ol.Discount} // the quoted discount stands
		}
		if ol.UnitPrice < l.UnitPrice {
			l.UnitPrice, l.OriginalPrice, l.CatalogPrice = ol.UnitPrice, ol.UnitPrice, false
		}
		c.Lines = append(c.Lines, l)
	}
	if err := r.reprice(); err != nil {
		r.cart = nil
		return Result{}, err
	}
	return Result{Order: &od}, nil
}

func (r *Register) noOpenCart() error {
	if r.cart != nil && !r.cart.IsEmpty() {
		return poserr.E(poserr.Conflict, "error.recall.open_cart", "finish, void or suspend the open transaction before recalling another")
	}
	r.cart = nil
	return nil
}

func (r *Register) orderOpen(od order.Order) error {
	switch od.Status() {
	case order.Quoted:
		return orderError("error.order.is_quote", "%s is a quotation: recall it to sell or order it", od)
	case order.Cancelled:
		return orderError("error.order.cancelled", "%s is cancelled", od)
	case order.Completed:
		return orderError("error.order.completed", "%s is handed over in full", od)
	}
	return nil
}

func orderError(key, format string, od order.Order) error {
	pe := poserr.E(poserr.Conflict, key, format, od.Number)
	pe.Args = map[string]any{"number": od.Number}
	return pe
}

func (r *Register) cancelOrder(ctx context.Context, o CancelOrder) (Result, error) {
	od, err := r.store.Order(ctx, strings.TrimSpace(o.ID))
	if err != nil {
		return Result{}, err
	}
	if err := r.orderOpen(od); err != nil && od.Status() != order.Quoted {
		return Result{}, err
	}
	if err := r.noOpenCart(); err != nil {
		return Result{}, err
	}
	ev := order.Event{ID: r.opt.NewID(), OrderID: od.ID, Kind: order.Cancel, Store: r.setup.StoreID, Operator: r.operator.ID, At: r.opt.Now().UTC()}
	charge := min(r.orderSettings().Charge(od, r.setup.Round), od.Paid)
	if od.Quote || od.Paid == 0 {
		if err := r.store.SaveOrderEvent(ctx, ev, r.entry(journal.OrderEvent, OpCancelOrder)); err != nil {
			return Result{}, err
		}
		od.Apply(ev)
		return Result{Order: &od}, nil
	}
	c := r.openCart()
	c.Customer, c.CustomerName = od.Customer, od.CustomerName
	ref := func(role cart.OrderRole) *cart.OrderRef {
		return &cart.OrderRef{ID: od.ID, Number: od.Number, Role: role}
	}
	refund := cart.Line{No: 1, Name: "Deposit refund " + od.Number, Qty: catalog.One, UnitPrice: -od.Paid, OriginalPrice: -od.Paid,
		Flags: catalog.Flags{NoDiscount: true, NotReturnable: true}, Order: ref(cart.OrderRefund)}
	c.Lines = append(c.Lines, refund)
	if charge > 0 {
		c.Lines = append(c.Lines, cart.Line{No: 2, Name: "Cancellation charge " + od.Number, Qty: catalog.One, UnitPrice: charge, OriginalPrice: charge,
			Flags: catalog.Flags{NoDiscount: true, NotReturnable: true}, Order: ref(cart.OrderCharge)})
	}
	c.OrderEvent = &ev
	if err := r.reprice(); err != nil {
		r.cart = nil
		return Result{}, err
	}
	if c.Totals.Remaining == 0 {
		return r.finish(ctx, cart.Completed, OpCancelOrder)
	}
	return Result{Order: &od}, nil
}

// sealOrder completes the order event of a transaction about to commit
// from its lines: what the order made holds and was paid, what a pick-up
// hands over and settles, what a cancellation refunds and keeps.
func sealOrder(c *cart.Cart) {
	ev := c.OrderEvent
	if ev == nil {
		return
	}
	if c.Status != cart.Completed {
		return // a voided transaction books no event (the stores skip it)
	}
	ev.Amount, ev.Charge, ev.Lines = 0, 0, nil
	for _, l := range c.Active() {
		if l.Order == nil {
			continue
		}
		switch l.Order.Role {
		case cart.OrderDeposit:
			ev.Amount += l.Net
		case cart.OrderSettle, cart.OrderRefund:
			ev.Amount -= l.Net
		case cart.OrderCharge:
			ev.Charge += l.Net
		case cart.OrderLine:
			ev.Lines = append(ev.Lines, order.EventLine{No: l.Order.LineNo, Qty: l.Qty})
		}
	}
	if ev.Kind == order.Create {
		ev.Order.Deposit = ev.Amount
	}
}

// fulfilment lists the orders with open lines this store fulfils: ready
// ones first, then by the date the customer expects them.
func (r *Register) fulfilment(ctx context.Context) ([]order.Order, error) {
	all, err := r.store.Orders(ctx)
	if err != nil {
		return nil, err
	}
	var out []order.Order
	for _, o := range all {
		if o.Quote || o.Cancelled {
			continue
		}
		for _, l := range o.Lines {
			if l.Store == r.setup.StoreID && l.Open() > 0 {
				out = append(out, o)
				break
			}
		}
	}
	due := func(o order.Order) time.Time {
		var d time.Time
		for _, l := range o.Lines {
			if l.Store == r.setup.StoreID && l.Open() > 0 && !l.Date.IsZero() && (d.IsZero() || l.Date.Before(d)) {
				d = l.Date
			}
		}
		if d.IsZero() {
			return o.Created
		}
		return d
	}
	sort.SliceStable(out, func(i, j int) bool { return due(out[i]).Before(due(out[j])) })
	return out, nil
}

// fulfil books picking, packing or shipping lines of an order at this
// store.
func (r *Register) fulfil(ctx context.Context, kind order.EventKind, id string, lines []int, op OpID) (Result, error) {
	od, err := r.store.Order(ctx, strings.TrimSpace(id))
	if err != nil {
		return Result{}, err
	}
	if err := r.orderOpen(od); err != nil {
		return Result{}, err
	}
	want := map[int]bool{}
	for _, no := range lines {
		want[no] = true
	}
	ev := order.Event{ID: r.opt.NewID(), OrderID: od.ID, Kind: kind, Store: r.setup.StoreID, Operator: r.operator.ID, At: r.opt.Now().UTC()}
	for _, l := range od.Lines {
		if l.Store != r.setup.StoreID || l.Open() == 0 || (len(want) > 0 && !want[l.No]) {
			continue
		}
		var qty catalog.Qty
		switch kind {
		case order.Pick:
			qty = l.Qty - l.Cancelled - l.Picked
		case order.Pack:
			if l.Mode == order.Ship {
				qty = min(l.Picked, l.Qty-l.Cancelled) - l.Packed
			}
		case order.Dispatch:
			if l.Mode == order.Ship {
				qty = min(l.Packed, l.Qty-l.Cancelled) - l.Done
			}
		}
		if qty > 0 {
			ev.Lines = append(ev.Lines, order.EventLine{No: l.No, Qty: qty})
			if kind == order.Dispatch {
				ev.Amount += l.Share(l.Amount, qty)
			}
		}
	}
	if len(ev.Lines) == 0 {
		key, msg := "error.order.nothing_to_pick", "%s has nothing left to pick at this store"
		switch kind {
		case order.Pack:
			key, msg = "error.order.nothing_to_pack", "%s has nothing picked to pack at this store"
		case order.Dispatch:
			key, msg = "error.order.nothing_to_ship", "%s has nothing packed to ship at this store"
		}
		return Result{}, orderError(key, msg, od)
	}
	if kind == order.Dispatch && ev.Amount > od.Paid {
		return Result{}, orderError("error.order.unpaid", "%s is not paid in full: the customer pays the rest at a till before it ships", od)
	}
	if err := r.store.SaveOrderEvent(ctx, ev, r.entry(journal.OrderEvent, op)); err != nil {
		return Result{}, err
	}
	od.Apply(ev)
	return Result{Order: &od}, nil
}

func (r *Register) editOrder(ctx context.Context, o EditOrder) (Result, error) {
	od, err := r.store.Order(ctx, strings.TrimSpace(o.ID))
	if err != nil {
		return Result{}, err
	}
	if err := r.orderOpen(od); err != nil {
		return Result{}, err
	}
	ch := order.Change{Name: strings.TrimSpace(o.Name), Phone: strings.TrimSpace(o.Phone), Lines: o.Lines, Store: strings.TrimSpace(o.Store),
		Date: o.Date, Address: strings.TrimSpace(o.Address)}
	for _, no := range o.Lines {
		if l, ok := od.Line(no); !ok || l.Open() == 0 {
			return Result{}, poserr.E(poserr.NotFound, "error.order.line", "the order has no open line %d", no)
		}
	}
	if ch.Name == "" && ch.Phone == "" && ch.Store == "" && ch.Date.IsZero() && ch.Address == "" {
		return Result{}, poserr.E(poserr.Invalid, "error.order.no_change", "say what changes: the name, phone, store, date or address")
	}
	ev := order.Event{ID: r.opt.NewID(), OrderID: od.ID, Kind: order.Edit, Change: &ch, Store: r.setup.StoreID, Operator: r.operator.ID, At: r.opt.Now().UTC()}
	if err := r.store.SaveOrderEvent(ctx, ev, r.entry(journal.OrderEvent, OpEditOrder)); err != nil {
		return Result{}, err
	}
	od.Apply(ev)
	return Result{Order: &od}, nil
}

func copyOrder(o *order.Order) *order.Order {
	cp := *o
	cp.Lines = append([]order.Line(nil), o.Lines...)
	cp.Applied = append([]string(nil), o.Applied...)
	return &cp
}

func copyEvent(e *order.Event) *order.Event {
	if e == nil {
		return nil
	}
	cp := *e
	cp.Lines = append([]order.EventLine(nil), e.Lines...)
	if e.Order != nil {
		cp.Order = copyOrder(e.Order)
	}
	return &cp
}

func orderOps(g *Registry) {
	sel := func(id OpID, name, doc string) OpSpec {
		return OpSpec{ID: id, Name: name, Permission: perm(OpCreateOrder), Offline: true, NeedsShift: true, Group: GroupOrder, Doc: doc}
	}
	builtin(g, OpSpec{ID: OpCreateOrder, Name: "Create customer order", Permission: perm(OpCreateOrder), Offline: true, NeedsShift: true, Group: GroupOrder,
		Doc: "Make the transaction a customer order: its lines are then picked up at a store or shipped (629–632), the deposit is the store's percentage (override 132); made offline, it reaches the store server with the transaction, which reserves the stock."},
		func(r *Register, ctx context.Context, o CreateOrder, _ *authority) (Result, error) {
			return r.createOrder(o)
		})
	builtin(g, OpSpec{ID: OpCreateQuote, Name: "Create quotation", Permission: perm(OpCreateOrder), Offline: true, Group: GroupOrder,
		Doc: "Save the transaction's lines as a quotation at today's prices for the store's quotation days; recalled (515), its prices stand."},
		func(r *Register, ctx context.Context, o CreateQuote, _ *authority) (Result, error) {
			return r.createQuote(ctx, o)
		})
	builtin(g, sel(OpShipSelected, "Ship selected products", "Ship the selected lines to the customer's address from this store (paid in full when ordered)."),
		func(r *Register, ctx context.Context, o ShipSelected, _ *authority) (Result, error) {
			return r.deliver(ctx, order.Ship, o.Delivery, false)
		})
	builtin(g, sel(OpShipAll, "Ship all products", "Ship every line carried out so far to the customer's address."),
		func(r *Register, ctx context.Context, o ShipAll, _ *authority) (Result, error) {
			return r.deliver(ctx, order.Ship, o.Delivery, true)
		})
	builtin(g, sel(OpPickupSelected, "Pick up selected products", "Have the selected lines picked up at a store (this one or another) on a date."),
		func(r *Register, ctx context.Context, o PickupSelected, _ *authority) (Result, error) {
			return r.deliver(ctx, order.Pickup, o.Delivery, false)
		})
	builtin(g, sel(OpPickupAll, "Pick up all products", "Have every line carried out so far picked up at a store."),
		func(r *Register, ctx context.Context, o PickupAll, _ *authority) (Result, error) {
			return r.deliver(ctx, order.Pickup, o.Delivery, true)
		})
	builtin(g, sel(OpCarryOutSelected, "Carry out selected products", "Take the selected order lines back into the transaction, carried out now at today's price."),
		func(r *Register, ctx context.Context, o CarryOutSelected, _ *authority) (Result, error) {
			return r.carryOut(ctx, o.Lines, false)
		})
	builtin(g, sel(OpCarryOutAll, "Carry out all products", "Take every order line back into the transaction."),
		func(r *Register, ctx context.Context, o CarryOutAll, _ *authority) (Result, error) {
			return r.carryOut(ctx, nil, true)
		})
	builtin(g, OpSpec{ID: OpDepositOverride, Name: "Deposit override", Permission: perm(OpDepositOverride), Offline: true, NeedsShift: true, Group: GroupOrder,
		Doc: "Set the order's deposit instead of the store's percentage, between what the lines to ship cost and the order's value."},
		func(r *Register, ctx context.Context, o DepositOverride, _ *authority) (Result, error) {
			return r.depositOverride(o)
		})
	builtin(g, OpSpec{ID: OpRecallOrder, Name: "Recall order", Permission: perm(OpRecallOrder), Offline: true, NeedsShift: true, Group: GroupOrder,
		Doc: "Find the store's orders and quotations (this till's copy, offline too); collect an order's lines at this store: the customer pays the balance, the deposit is settled; a quotation comes back at its prices."},
		func(r *Register, ctx context.Context, o RecallOrder, _ *authority) (Result, error) {
			return r.recallOrder(ctx, o)
		})
	builtin(g, OpSpec{ID: OpEditOrder, Name: "Edit order", Permission: perm(OpRecallOrder), Offline: true, Group: GroupOrder,
		Doc: "Change an open order: the customer's name and phone, the store its lines are picked up at, the date, the address to ship to; the server moves the reservations."},
		func(r *Register, ctx context.Context, o EditOrder, _ *authority) (Result, error) {
			return r.editOrder(ctx, o)
		})
	builtin(g, OpSpec{ID: OpCancelOrder, Name: "Cancel order", Permission: perm(OpCancelOrder), Offline: true, NeedsShift: true, Group: GroupOrder,
		Doc: "Cancel what is open of an order: the deposit is paid back less the store's cancellation charge, and the server releases the reservations."},
		func(r *Register, ctx context.Context, o CancelOrder, _ *authority) (Result, error) {
			return r.cancelOrder(ctx, o)
		})
	builtin(g, OpSpec{ID: OpOrderFulfillment, Name: "Order fulfillment", Permission: perm(OpOrderFulfillment), Offline: true, Group: GroupOrder,
		Doc: "The orders this store picks, packs, ships or hands over, the earliest due first."},
		func(r *Register, ctx context.Context, _ OrderFulfillment, _ *authority) (Result, error) {
			list, err := r.fulfilment(ctx)
			return Result{Orders: list}, err
		})
	ful := func(id OpID, name, doc string) OpSpec {
		return OpSpec{ID: id, Name: name, Permission: perm(OpOrderFulfillment), Offline: true, Group: GroupOrder, Doc: doc}
	}
	builtin(g, ful(OpPickFulfillment, "Pick fulfillment lines", "Mark an order's lines picked at this store (all its open lines, or those given)."),
		func(r *Register, ctx context.Context, o PickLines, _ *authority) (Result, error) {
			return r.fulfil(ctx, order.Pick, o.ID, o.Lines, OpPickFulfillment)
		})
	builtin(g, ful(OpPackFulfillment, "Pack fulfillment lines", "Mark picked lines to ship packed."),
		func(r *Register, ctx context.Context, o PackLines, _ *authority) (Result, error) {
			return r.fulfil(ctx, order.Pack, o.ID, o.Lines, OpPackFulfillment)
		})
	builtin(g, ful(OpShipFulfillment, "Ship fulfillment lines", "Ship packed lines to the customer; their deposit is settled."),
		func(r *Register, ctx context.Context, o ShipLines, _ *authority) (Result, error) {
			return r.fulfil(ctx, order.Dispatch, o.ID, o.Lines, OpShipFulfillment)
		})
}
