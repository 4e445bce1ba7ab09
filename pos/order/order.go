// Package order is the customer-order domain (docs/orders.md): an order or
// a quotation made at a till, its lines to pick up at a store or to ship,
// the deposit a store setting asks for, and the events that move it on
// (picked, packed, collected, shipped, cancelled). It holds no storage: the
// till keeps its copy with its own events on top until the store server's
// copy counts them, and the server makes the reservations.
package order

import (
	"fmt"
	"time"

	"github.com/opentill/opentill/pos/catalog"
	"github.com/opentill/opentill/pos/money"
)

// Qty is a quantity in thousandths of a unit.
type Qty = catalog.Qty

// Mode is how an order line reaches the customer.
type Mode string

// Delivery modes.
const (
	Pickup Mode = "pickup" // collected at a store (this one or another)
	Ship   Mode = "ship"   // shipped to the customer's address from a store
)

// Status is where an order stands.
type Status string

// Order statuses.
const (
	Quoted    Status = "quote"     // a quotation: nothing reserved, nothing paid
	Created   Status = "created"   // ordered, nothing picked yet
	Picking   Status = "picking"   // some lines picked
	Ready     Status = "ready"     // everything left picked (and packed, to ship)
	Partial   Status = "partial"   // some lines handed over or shipped, the rest still due
	Completed Status = "completed" // everything handed over or shipped
	Cancelled Status = "cancelled"
)

// Order is a customer order or a quotation.
type Order struct {
	ID     string `json:"id"`
	Number string `json:"number"` // the number people say (CO-1A2B3C)
	Quote  bool   `json:"quote,omitempty"`
	// Store is the store that took the order (and its name).
	Store        string         `json:"store"`
	StoreName    string         `json:"store_name,omitempty"`
	Customer     string         `json:"customer,omitempty"` // the customer's number, when the customer is known
	CustomerName string         `json:"customer_name"`
	Phone        string         `json:"phone,omitempty"`
	Currency     money.Currency `json:"currency"`
	Lines        []Line         `json:"lines"`
	// Deposit is what the customer pays when ordering; Overridden says a
	// cashier set it (operation 132) instead of the store's percentage.
	Deposit    money.Amount `json:"deposit"`
	Overridden bool         `json:"deposit_overridden,omitempty"`
	// Paid is the deposit paid and not yet settled at a pick-up or refunded.
	Paid         money.Amount `json:"paid"`
	CancelCharge money.Amount `json:"cancel_charge,omitempty"`
	Cancelled    bool         `json:"cancelled,omitempty"`
	Created      time.Time    `json:"created"`
	Expires      time.Time    `json:"expires,omitzero"` // a quotation's end
	Operator     string       `json:"operator"`
	// Applied are the events the order counts (their IDs).
	Applied []string `json:"applied,omitempty"`
	// Pending says the till holds events of the order the store server
	// has not counted yet (set by the till's store; never sent).
	Pending bool `json:"-"`
}

// Line is a product of an order, priced when it was ordered: the customer
// pays Net + ExclusiveTax for it whatever the price is at the pick-up.
type Line struct {
	No           int          `json:"no"`
	ProductID    string       `json:"product_id"`
	ItemID       string       `json:"item_id"`
	Name         string       `json:"name"`
	Unit         string       `json:"unit"`
	UnitDecimals int          `json:"unit_decimals"`
	Qty          Qty          `json:"qty"`
	UnitPrice    money.Amount `json:"unit_price"`
	Discount     money.Amount `json:"discount"` // promotions and manual discounts of the line when ordered
	Net          money.Amount `json:"net"`      // gross − discount
	Tax          money.Amount `json:"tax"`
	TaxGroup     string       `json:"tax_group"`
	// Amount is what the line costs the customer in all (Net, plus its tax
	// when prices exclude tax).
	Amount  money.Amount `json:"amount"`
	Mode    Mode         `json:"mode"`
	Store   string       `json:"store"` // the store that picks it and hands it over (pick-up) or ships it
	Date    time.Time    `json:"date,omitzero"`
	Address string       `json:"address,omitempty"` // ship to
	Picked  Qty          `json:"picked,omitempty"`
	Packed  Qty          `json:"packed,omitempty"`
	Done    Qty          `json:"done,omitempty"` // handed over or shipped
	// Cancelled is the quantity cancelled (the whole line's rest when the
	// order is cancelled).
	Cancelled Qty `json:"cancelled,omitempty"`
}

// Open is what of a line is still to hand over or ship.
func (l Line) Open() Qty { return max(l.Qty-l.Done-l.Cancelled, 0) }

// Share is the part of the line's amount for qty of it (the last units
// take the rounding rest: shares of the whole line sum to Amount).
func (l Line) Share(a money.Amount, qty Qty) money.Amount {
	if qty >= l.Qty || l.Qty == 0 {
		return a
	}
	return money.Amount(money.MulDiv(int64(a), int64(qty), int64(l.Qty), money.HalfUp))
}

// Total is the order's value: what all its lines cost the customer.
func (o Order) Total() money.Amount {
	var t money.Amount
	for _, l := range o.Lines {
		t += l.Amount
	}
	return t
}

// OpenValue is what the lines still to deliver are worth.
func (o Order) OpenValue() money.Amount {
	var t money.Amount
	for _, l := range o.Lines {
		t += l.Share(l.Amount, l.Open())
	}
	return t
}

// Line returns the line numbered no.
func (o Order) Line(no int) (Line, bool) {
	for _, l := range o.Lines {
		if l.No == no {
			return l, true
		}
	}
	return Line{}, false
}

// Stores are the stores an order concerns: where it was taken and every
// store that fulfils a line.
func (o Order) Stores() []string {
	out := []string{o.Store}
	for _, l := range o.Lines {
		seen := false
		for _, s := range out {
			seen = seen || s == l.Store
		}
		if !seen && l.Store != "" {
			out = append(out, l.Store)
		}
	}
	return out
}

// Status derives the order's status from its lines.
func (o Order) Status() Status {
	switch {
	case o.Quote:
		return Quoted
	case o.Cancelled:
		return Cancelled
	case len(o.Lines) == 0:
		return Created // being made: no line moved into it yet
	}
	var open, done, picked, ready int
	for _, l := range o.Lines {
		if l.Done > 0 {
			done++
		}
		if l.Open() == 0 {
			continue
		}
		open++
		if l.Picked > l.Done {
			picked++
		}
		if l.Picked-l.Done >= l.Open() && (l.Mode != Ship || l.Packed-l.Done >= l.Open()) {
			ready++
		}
	}
	switch {
	case open == 0:
		return Completed
	case ready == open:
		return Ready
	case done > 0:
		return Partial
	case picked > 0:
		return Picking
	}
	return Created
}

// Settings are a store's customer-order rules.
type Settings struct {
	// DepositPercent is the deposit asked of lines to pick up, in basis
	// points of their value (0 = no deposit; lines to ship are paid in
	// full when ordered, since nobody is at the till when they ship).
	DepositPercent int64 `json:",omitempty"`
	// CancelPercent is the cancellation charge, in basis points of the
	// value of what is cancelled (kept out of the deposit refunded).
	CancelPercent int64 `json:",omitempty"`
	// QuoteDays is how long a quotation holds (0 = 30 days).
	QuoteDays int `json:",omitempty"`
}

// RequiredDeposit is what the store asks when the order is made: its
// percentage of the lines to pick up and the whole of the lines to ship.
func (s Settings) RequiredDeposit(lines []Line, round money.Mode) money.Amount {
	var pick, ship money.Amount
	for _, l := range lines {
		if l.Mode == Ship {
			ship += l.Amount
		} else {
			pick += l.Amount
		}
	}
	return money.Percent(pick, s.DepositPercent, round) + ship
}

// MinDeposit is the least a cashier may set the deposit to (operation
// 132): lines to ship are paid in full.
func MinDeposit(lines []Line) money.Amount {
	var ship money.Amount
	for _, l := range lines {
		if l.Mode == Ship {
			ship += l.Amount
		}
	}
	return ship
}

// Charge is the cancellation charge of cancelling what is open of an
// order, never more than what is open.
func (s Settings) Charge(o Order, round money.Mode) money.Amount {
	return money.Percent(o.OpenValue(), s.CancelPercent, round)
}

// QuoteLife is how long a quotation holds.
func (s Settings) QuoteLife() time.Duration {
	if s.QuoteDays <= 0 {
		return 30 * 24 * time.Hour
	}
	return time.Duration(s.QuoteDays) * 24 * time.Hour
}

// EventKind is what an event does to an order.
type EventKind string

// Event kinds.
const (
	Create   EventKind = "create"  // the order or quotation made (Order carries it), its deposit paid
	Pick     EventKind = "pick"    // lines picked at the fulfilling store
	Pack     EventKind = "pack"    // lines packed (to ship)
	Collect  EventKind = "collect" // lines handed over at a pick-up; Amount of the deposit settled
	Dispatch EventKind = "ship"    // lines shipped
	Cancel   EventKind = "cancel"  // the rest cancelled; Amount refunded, Charge kept
	Edit     EventKind = "edit"    // the customer's details or open lines' delivery changed (Change)
)

// Change is what an edit changes: what is set replaces the order's (the
// name and phone), and of its open lines (Lines: those, none = all) the
// store a pick-up line is handed over at, the date, the address a line to
// ship goes to.
type Change struct {
	Name    string    `json:"name,omitempty"`
	Phone   string    `json:"phone,omitempty"`
	Lines   []int     `json:"lines,omitempty"`
	Store   string    `json:"store,omitempty"`
	Date    time.Time `json:"date,omitzero"`
	Address string    `json:"address,omitempty"`
}

// EventLine is a quantity of an order line in an event.
type EventLine struct {
	No  int `json:"no"`
	Qty Qty `json:"qty"`
}

// Event is something that happened to an order at a till. A completed
// transaction carries the create, collect and cancel events that move
// money; pick, pack and ship events go on their own.
type Event struct {
	ID       string       `json:"id"`
	OrderID  string       `json:"order_id"`
	Kind     EventKind    `json:"kind"`
	Order    *Order       `json:"order,omitempty"`  // create: the order as made
	Change   *Change      `json:"change,omitempty"` // edit
	Lines    []EventLine  `json:"lines,omitempty"`
	Amount   money.Amount `json:"amount,omitempty"` // deposit paid (create), settled (collect) or refunded (cancel)
	Charge   money.Amount `json:"charge,omitempty"` // cancel
	Store    string       `json:"store"`            // where it happened
	Operator string       `json:"operator"`
	At       time.Time    `json:"at"`
}

// Apply adds an event to the order (a create event replaces it with the
// order it carries, with the events applied so far kept). An event applied
// already changes nothing.
func (o *Order) Apply(e Event) {
	for _, id := range o.Applied {
		if id == e.ID {
			return
		}
	}
	if e.Kind == Create && e.Order != nil {
		applied := o.Applied
		*o = *e.Order
		o.Lines = append([]Line(nil), e.Order.Lines...)
		o.Paid = e.Amount
		o.Applied = applied
	}
	for _, el := range e.Lines {
		for i := range o.Lines {
			l := &o.Lines[i]
			if l.No != el.No {
				continue
			}
			switch e.Kind {
			case Pick:
				l.Picked = min(l.Picked+el.Qty, l.Qty)
			case Pack:
				l.Packed = min(l.Packed+el.Qty, l.Qty)
			case Collect, Dispatch:
				l.Done = min(l.Done+el.Qty, l.Qty)
				l.Picked, l.Packed = max(l.Picked, l.Done), max(l.Packed, l.Done)
			}
		}
	}
	if e.Kind == Edit && e.Change != nil {
		o.edit(*e.Change)
	}
	switch e.Kind {
	case Collect, Dispatch:
		o.Paid -= e.Amount // the deposit counted against what was handed over or shipped
	case Cancel:
		for i := range o.Lines {
			o.Lines[i].Cancelled += o.Lines[i].Open()
		}
		o.Paid -= e.Amount // the deposit paid back (the charge is paid on its own line)
		o.CancelCharge += e.Charge
		o.Cancelled = true
	}
	o.Applied = append(o.Applied, e.ID)
}

func (o *Order) edit(c Change) {
	if c.Name != "" {
		o.CustomerName = c.Name
	}
	if c.Phone != "" {
		o.Phone = c.Phone
	}
	want := map[int]bool{}
	for _, no := range c.Lines {
		want[no] = true
	}
	for i := range o.Lines {
		l := &o.Lines[i]
		if l.Open() == 0 || (len(want) > 0 && !want[l.No]) {
			continue
		}
		if c.Store != "" && l.Mode == Pickup && c.Store != l.Store {
			// picked at the old store, it is picked anew at the new one
			l.Store, l.Picked, l.Packed = c.Store, l.Done, l.Done
		}
		if !c.Date.IsZero() {
			l.Date = c.Date
		}
		if c.Address != "" && l.Mode == Ship {
			l.Address = c.Address
		}
	}
}

// Reserved is what an order holds of each product at a store: the open
// quantities of its lines fulfilled there (nothing of a quotation or a
// cancelled order).
func (o Order) Reserved(store string) map[string]Qty {
	out := map[string]Qty{}
	if o.Quote || o.Cancelled || o.ID == "" {
		return out
	}
	for _, l := range o.Lines {
		if l.Store == store && l.Open() > 0 {
			out[l.ProductID] += l.Open()
		}
	}
	return out
}

// Check says what is wrong with an order, if anything (the store server
// and the feed apply it to what they take).
func (o Order) Check() error {
	switch {
	case o.ID == "" || len(o.ID) > 64:
		return fmt.Errorf("an order needs an ID of at most 64 characters")
	case o.Store == "":
		return fmt.Errorf("order %s names no store that took it", o.ID)
	case len(o.Lines) == 0:
		return fmt.Errorf("order %s has no lines", o.ID)
	case len(o.Lines) > 10_000:
		return fmt.Errorf("order %s has more than 10,000 lines", o.ID)
	case o.Deposit < 0 || o.Deposit > o.Total():
		return fmt.Errorf("order %s: the deposit must be between 0 and the order's value", o.ID)
	}
	seen := map[int]bool{}
	for _, l := range o.Lines {
		switch {
		case l.ProductID == "" || l.Qty <= 0 || l.Amount < 0:
			return fmt.Errorf("order %s: line %d needs a product, a quantity above 0 and an amount of at least 0", o.ID, l.No)
		case l.Mode != Pickup && l.Mode != Ship:
			return fmt.Errorf("order %s: line %d is picked up or shipped, not %q", o.ID, l.No, l.Mode)
		case l.Store == "":
			return fmt.Errorf("order %s: line %d names no store that fulfils it", o.ID, l.No)
		case l.Mode == Ship && l.Address == "":
			return fmt.Errorf("order %s: line %d is shipped but has no address", o.ID, l.No)
		case seen[l.No]:
			return fmt.Errorf("order %s numbers two lines %d", o.ID, l.No)
		}
		seen[l.No] = true
	}
	return nil
}

// CheckEvent says what is wrong with an event, if anything.
func (e Event) CheckEvent() error {
	switch {
	case e.ID == "" || e.OrderID == "":
		return fmt.Errorf("an order event needs its ID and its order's")
	case e.Kind == Create && (e.Order == nil || e.Order.ID != e.OrderID):
		return fmt.Errorf("order event %s creates no order, or another one", e.ID)
	case e.Kind == Create:
		return e.Order.Check()
	case e.Kind == Edit && e.Change == nil:
		return fmt.Errorf("order event %s changes nothing", e.ID)
	case e.Kind == Edit:
		return nil
	case e.Kind != Pick && e.Kind != Pack && e.Kind != Collect && e.Kind != Dispatch && e.Kind != Cancel:
		return fmt.Errorf("order event %s: unknown kind %q", e.ID, e.Kind)
	case e.Kind != Cancel && len(e.Lines) == 0:
		return fmt.Errorf("order event %s moves no line", e.ID)
	case e.Amount < 0 || e.Charge < 0:
		return fmt.Errorf("order event %s: amounts are 0 or more", e.ID)
	}
	for _, l := range e.Lines {
		if l.Qty <= 0 {
			return fmt.Errorf("order event %s: line %d needs a quantity above 0", e.ID, l.No)
		}
	}
	return nil
}
