package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"

	"github.com/opentill/opentill/offline/api"
	"github.com/opentill/opentill/offline/apimap"
	"github.com/opentill/opentill/pos/cart"
	"github.com/opentill/opentill/pos/journal"
	"github.com/opentill/opentill/pos/order"
	"github.com/opentill/opentill/pos/poserr"
)

func noOrder(id string) error {
	return &poserr.Error{Kind: poserr.NotFound, Key: "error.order.not_found", Msg: "no order " + id + ": pick one from the list",
		Args: map[string]any{"order": id}}
}

// readOrder reads an order as the server last sent it with this till's
// events it does not count yet applied on top (ok false: the till has
// neither).
func readOrder(ctx context.Context, q countReader, id string) (order.Order, bool, error) {
	var o order.Order
	var b string
	found := false
	err := q.QueryRowContext(ctx, `SELECT doc FROM orders WHERE id = ?`, id).Scan(&b)
	switch {
	case err == nil:
		if err := json.Unmarshal([]byte(b), &o); err != nil {
			return o, false, err
		}
		found = true
	case !errors.Is(err, sql.ErrNoRows):
		return o, false, err
	}
	rows, err := q.QueryContext(ctx, `SELECT event FROM order_events WHERE order_id = ? ORDER BY seq`, id)
	if err != nil {
		return o, false, err
	}
	defer rows.Close()
	for rows.Next() {
		var eb string
		if err := rows.Scan(&eb); err != nil {
			return o, false, err
		}
		var ev order.Event
		if err := json.Unmarshal([]byte(eb), &ev); err != nil {
			return o, false, err
		}
		o.Apply(ev)
		o.Pending, found = true, true
	}
	return o, found && o.ID != "", rows.Err()
}

// Orders implements pos.OrderBook.
func (s *Store) Orders(ctx context.Context) ([]order.Order, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT id FROM (SELECT id, created FROM orders UNION SELECT order_id, min(created) FROM order_events GROUP BY order_id)
		GROUP BY id ORDER BY min(created) DESC, id`)
	if err != nil {
		return nil, readErr(err, "reading the orders")
	}
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, readErr(err, "reading the orders")
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, readErr(err, "reading the orders")
	}
	out := make([]order.Order, 0, len(ids))
	for _, id := range ids {
		o, ok, err := readOrder(ctx, s.r, id)
		if err != nil {
			return nil, readErr(err, "reading order %s", id)
		}
		if ok {
			out = append(out, o)
		}
	}
	return out, nil
}

// Order implements pos.OrderBook.
func (s *Store) Order(ctx context.Context, id string) (order.Order, error) {
	o, ok, err := readOrder(ctx, s.r, id)
	if err != nil {
		return o, readErr(err, "reading order %s", id)
	}
	if !ok {
		return o, noOrder(id)
	}
	return o, nil
}

// SaveOrderEvent implements pos.OrderBook.
func (s *Store) SaveOrderEvent(ctx context.Context, ev order.Event, e journal.Entry) error {
	err := s.write(ctx, func(tx *sql.Tx) error {
		b, err := bookOrderEvent(ctx, tx, ev)
		if err != nil {
			return err
		}
		e.Payload = b
		if err := s.appendJournal(ctx, tx, &e); err != nil {
			return err
		}
		up, err := json.Marshal(apimap.OrderEventOf(ev))
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, qInsertOutbox, ev.ID, api.KindOrderEvent, string(up), nowText())
		return err
	})
	return docErr(err, "saving order %s", ev.OrderID)
}

// bookOrderEvent keeps an event until the server's copy of its order
// counts it, after checking it can be booked; it returns the event's JSON.
func bookOrderEvent(ctx context.Context, tx *sql.Tx, ev order.Event) ([]byte, error) {
	if err := ev.CheckEvent(); err != nil {
		return nil, poserr.Wrap(err, poserr.Invalid, "error.order.event", "%v; nothing was saved", err)
	}
	o, ok, err := readOrder(ctx, tx, ev.OrderID)
	if err != nil {
		return nil, err
	}
	if !ok && ev.Kind != order.Create {
		return nil, noOrder(ev.OrderID)
	}
	for _, id := range o.Applied {
		if id == ev.ID {
			return nil, poserr.E(poserr.Conflict, "error.order.event_duplicate", "this order event is already saved; nothing was saved again")
		}
	}
	b, err := json.Marshal(ev)
	if err != nil {
		return nil, err
	}
	var seq int64
	if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(seq), 0) + 1 FROM order_events`).Scan(&seq); err != nil {
		return nil, err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO order_events(id, order_id, event, seq, created) VALUES(?, ?, ?, ?, ?)`,
		ev.ID, ev.OrderID, string(b), seq, formatTime(ev.At))
	if isConstraint(err) {
		return nil, poserr.Wrap(err, poserr.Conflict, "error.order.event_duplicate", "this order event is already saved; nothing was saved again")
	}
	return b, err
}

// bookCartOrder books the order event a completed transaction carries, in
// its commit (the event reaches the server inside the transaction).
func bookCartOrder(ctx context.Context, tx *sql.Tx, c *cart.Cart) error {
	if c.Status != cart.Completed || c.OrderEvent == nil {
		return nil
	}
	_, err := bookOrderEvent(ctx, tx, *c.OrderEvent)
	return err
}

// applyOrder takes an order from the orders feed: the server's copy, and
// this till's events it counts are dropped from those kept.
func applyOrder(ctx context.Context, tx *sql.Tx, c *api.Change) error {
	if c.Deleted {
		_, err := tx.ExecContext(ctx, `DELETE FROM orders WHERE id = ?`, c.Key)
		return err
	}
	o := apimap.OrderFrom(*c.Order)
	b, err := json.Marshal(o)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO orders(id, doc, created) VALUES(?, ?, ?)
		ON CONFLICT(id) DO UPDATE SET doc = excluded.doc`, o.ID, string(b), formatTime(o.Created)); err != nil {
		return err
	}
	for _, id := range o.Applied {
		if _, err := tx.ExecContext(ctx, `DELETE FROM order_events WHERE id = ?`, id); err != nil {
			return err
		}
	}
	return nil
}
