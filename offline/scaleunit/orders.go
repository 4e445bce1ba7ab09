package scaleunit

// Customer orders (docs/orders.md): the orders and quotations tills make,
// the events that move them on, the reservations an order holds at each
// store that fulfils it, and the orders feed of every store an order
// concerns. An event is applied once: its ID is kept in the order.

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/opentill/opentill/offline/api"
	"github.com/opentill/opentill/offline/apimap"
	"github.com/opentill/opentill/pos/order"
)

// orderSchema is the orders' table (SQLite schema version 7, PostgreSQL
// version 5). An order is kept whole as JSON, read and written whole.
var orderSchema = []string{
	`CREATE TABLE IF NOT EXISTS customer_orders (
    id        TEXT PRIMARY KEY,
    store_id  TEXT NOT NULL,
    created   BIGINT NOT NULL,
    doc       TEXT NOT NULL)`,
	`CREATE INDEX IF NOT EXISTS customer_orders_store ON customer_orders(store_id)`,
}

// Order returns a customer order as the server holds it.
func (s *DB) Order(ctx context.Context, id string) (order.Order, error) {
	return readOrder(ctx, s.r, id)
}

func readOrder(ctx context.Context, q queryRower, id string) (order.Order, error) {
	var b string
	err := q.QueryRowContext(ctx, `SELECT doc FROM customer_orders WHERE id = ?`, id).Scan(&b)
	if errors.Is(err, sql.ErrNoRows) {
		return order.Order{}, fmt.Errorf("no order %s: %w", id, ErrNotFound)
	}
	if err != nil {
		return order.Order{}, err
	}
	var o order.Order
	if err := json.Unmarshal([]byte(b), &o); err != nil {
		return order.Order{}, fmt.Errorf("order %s is unreadable: %w", id, err)
	}
	return o, nil
}

// bookOrder books the order event of an upload: a transaction's (its
// order_event, when it completed) or an order_event of its own.
func bookOrder(ctx context.Context, tx *sqlTx, till TillInfo, kind string, payload []byte) error {
	var ev *api.OrderEvent
	switch kind {
	case api.KindTransaction:
		var t api.OrderOfTransaction
		if err := json.Unmarshal(payload, &t); err != nil {
			return fmt.Errorf("the transaction is unreadable: %v: %w", err, ErrInvalid)
		}
		if t.Status != "completed" || t.OrderEvent == nil {
			return nil
		}
		ev = t.OrderEvent
	case api.KindOrderEvent:
		ev = new(api.OrderEvent)
		if err := json.Unmarshal(payload, ev); err != nil {
			return fmt.Errorf("the order event is unreadable: %v: %w", err, ErrInvalid)
		}
	default:
		return nil
	}
	return applyOrderEvent(ctx, tx, till, apimap.OrderEventFrom(*ev))
}

// applyOrderEvent applies one event to its order, moves the reservations
// of the stores it changes and publishes the order to the stores it
// concerns.
func applyOrderEvent(ctx context.Context, tx *sqlTx, till TillInfo, ev order.Event) error {
	if err := ev.CheckEvent(); err != nil {
		return fmt.Errorf("%v: %w", err, ErrInvalid)
	}
	if err := tx.lock(ctx, "order:"+ev.OrderID); err != nil {
		return err
	}
	old, err := readOrder(ctx, tx, ev.OrderID)
	switch {
	case errors.Is(err, ErrNotFound):
		if ev.Kind != order.Create {
			return fmt.Errorf("order event %s is of order %s, which the server does not have: %w", ev.ID, ev.OrderID, ErrInvalid)
		}
		if ev.Order.Store != till.StoreID {
			return fmt.Errorf("order %s was taken at store %s, not at the till's store %s: %w", ev.OrderID, ev.Order.Store, till.StoreID, ErrInvalid)
		}
		if err := storesExist(ctx, tx, ev.OrderID, ev.Order.Stores()); err != nil {
			return err
		}
	case err != nil:
		return err
	default:
		for _, id := range old.Applied {
			if id == ev.ID {
				return nil // applied already
			}
		}
		if ev.Kind == order.Create {
			return fmt.Errorf("order %s exists already; event %s cannot create it again: %w", ev.OrderID, ev.ID, ErrInvalid)
		}
		concerned := false
		for _, st := range old.Stores() {
			concerned = concerned || st == till.StoreID
		}
		if !concerned {
			return fmt.Errorf("order %s does not concern the till's store %s: %w", ev.OrderID, till.StoreID, ErrInvalid)
		}
		if ev.Kind == order.Edit && ev.Change != nil && ev.Change.Store != "" {
			if err := storesExist(ctx, tx, ev.OrderID, []string{ev.Change.Store}); err != nil {
				return err
			}
		}
	}
	now := old
	now.Lines = append([]order.Line(nil), old.Lines...)
	now.Apply(ev)
	b, err := json.Marshal(now)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO customer_orders(id, store_id, created, doc) VALUES(?, ?, ?, ?)
		ON CONFLICT(id) DO UPDATE SET doc = excluded.doc`, now.ID, now.Store, nanos(now.Created), string(b)); err != nil {
		return err
	}
	stores := now.Stores()
	for _, st := range old.Stores() {
		if !slices.Contains(stores, st) && st != "" {
			stores = append(stores, st) // a store the order left: its reservation goes
		}
	}
	for _, st := range stores {
		if err := reserve(ctx, tx, st, old.Reserved(st), now.Reserved(st)); err != nil {
			return err
		}
	}
	for _, st := range stores {
		if err := change(ctx, tx, api.DatasetOrders, st, now.ID, false, api.Change{Key: now.ID, Order: new(apimap.OrderOf(now))}); err != nil {
			return err
		}
	}
	return nil
}

// storesExist refuses an order naming a store the server does not know.
func storesExist(ctx context.Context, tx *sqlTx, orderID string, stores []string) error {
	for _, st := range stores {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM stores WHERE id = ?`, st).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return fmt.Errorf("order %s names store %s, which does not exist: %w", orderID, st, ErrInvalid)
		}
	}
	return nil
}

// reserve moves a store's reserved figures from what an order held to
// what it holds now, and publishes the figures that changed.
func reserve(ctx context.Context, tx *sqlTx, storeID string, was, now map[string]order.Qty) error {
	products := map[string]bool{}
	for p := range was {
		products[p] = true
	}
	for p := range now {
		products[p] = true
	}
	for p := range products {
		delta := int64(now[p] - was[p])
		if delta == 0 {
			continue
		}
		if err := tx.lock(ctx, "stock:"+storeID+"/"+p); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO stock_levels(store_id, product_id, reserved, updated) VALUES(?, ?, ?, ?)
			ON CONFLICT(store_id, product_id) DO UPDATE SET reserved = stock_levels.reserved + excluded.reserved, updated = excluded.updated`,
			storeID, p, delta, time.Now().UnixNano()); err != nil {
			return err
		}
		f, err := stockFigure(ctx, tx, storeID, p)
		if err != nil {
			return err
		}
		if err := publishStock(ctx, tx, storeID, f); err != nil {
			return err
		}
	}
	return nil
}
