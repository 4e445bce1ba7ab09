package memstore

import (
	"context"
	"encoding/json"
	"sort"

	"github.com/opentill/opentill/pos/cart"
	"github.com/opentill/opentill/pos/journal"
	"github.com/opentill/opentill/pos/order"
	"github.com/opentill/opentill/pos/poserr"
)

func copyOrder(o order.Order) order.Order {
	o.Lines = append([]order.Line(nil), o.Lines...)
	o.Applied = append([]string(nil), o.Applied...)
	return o
}

func noOrder(id string) error {
	return notFound("error.order.not_found", "order", id, "no order %s: pick one from the list")
}

// Orders implements pos.OrderBook.
func (s *Store) Orders(ctx context.Context) ([]order.Order, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := s.usable(ctx); err != nil {
		return nil, readErr(err, "reading the orders")
	}
	out := make([]order.Order, 0, len(s.orders))
	for _, o := range s.orders {
		out = append(out, copyOrder(*o))
	}
	sort.Slice(out, func(i, j int) bool {
		if !out[i].Created.Equal(out[j].Created) {
			return out[i].Created.After(out[j].Created)
		}
		return out[i].ID < out[j].ID
	})
	return out, nil
}

// Order implements pos.OrderBook.
func (s *Store) Order(ctx context.Context, id string) (order.Order, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := s.usable(ctx); err != nil {
		return order.Order{}, readErr(err, "reading order %s", id)
	}
	o, ok := s.orders[id]
	if !ok {
		return order.Order{}, noOrder(id)
	}
	return copyOrder(*o), nil
}

// SaveOrderEvent implements pos.OrderBook.
func (s *Store) SaveOrderEvent(ctx context.Context, ev order.Event, e journal.Entry) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.usable(ctx); err != nil {
		return storageErr(err, "saving order %s", ev.OrderID)
	}
	if err := s.checkOrderEvent(ev); err != nil {
		return err
	}
	payload, err := json.Marshal(ev)
	if err != nil {
		return storageErr(err, "saving order %s", ev.OrderID)
	}
	e.Payload = payload
	s.seal(&e)
	s.applyOrderEvent(ev)
	s.appendSealed(e)
	return nil
}

// checkOrderEvent refuses an event that cannot be booked: malformed, of an
// unknown order, or booked already.
func (s *Store) checkOrderEvent(ev order.Event) error {
	if err := ev.CheckEvent(); err != nil {
		return poserr.Wrap(err, poserr.Invalid, "error.order.event", "%v; nothing was saved", err)
	}
	o, ok := s.orders[ev.OrderID]
	if !ok && ev.Kind != order.Create {
		return noOrder(ev.OrderID)
	}
	if ok {
		for _, id := range o.Applied {
			if id == ev.ID {
				return poserr.E(poserr.Conflict, "error.order.event_duplicate", "this order event is already saved; nothing was saved again")
			}
		}
	}
	return nil
}

func (s *Store) applyOrderEvent(ev order.Event) {
	if s.orders == nil {
		s.orders = map[string]*order.Order{}
	}
	o, ok := s.orders[ev.OrderID]
	if !ok {
		o = &order.Order{}
		s.orders[ev.OrderID] = o
	}
	o.Apply(ev)
	o.Pending = true // no store server ever counts it here
}

// orderOfCart checks the order event a completed transaction carries.
func (s *Store) orderOfCart(c *cart.Cart) error {
	if c.Status != cart.Completed || c.OrderEvent == nil {
		return nil
	}
	return s.checkOrderEvent(*c.OrderEvent)
}
