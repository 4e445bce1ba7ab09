-- Customer orders and quotations (docs/orders.md): each order as the store
-- server last sent it, and this till's events the server's copy does not
-- count yet (applied on top when read; a create event stands for an order
-- the server has not sent back yet).
CREATE TABLE orders (
    id      TEXT PRIMARY KEY,
    doc     TEXT NOT NULL, -- order.Order JSON
    created TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE order_events (
    id       TEXT PRIMARY KEY,
    order_id TEXT    NOT NULL,
    event    TEXT    NOT NULL, -- order.Event JSON
    seq      INTEGER NOT NULL,
    created  TEXT    NOT NULL
) WITHOUT ROWID;
CREATE INDEX order_events_order ON order_events(order_id, seq);
