-- Stock on the till (docs/inventory.md): this till's own movements (booked
-- with each sale in its commit, and with each adjustment), this store's
-- figures as the store server last sent them, the last figures heard of
-- other stores, and the stock counts with this device's lines and the
-- other devices' as the server last said. A movement is reflected once the
-- server's figure counts it (the feed says how many of this till's
-- movements of the product it booked; they reach it in the order booked).
CREATE TABLE stock_movements (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    doc_id     TEXT    NOT NULL, -- the transaction or adjustment ID
    product_id TEXT    NOT NULL,
    kind       TEXT    NOT NULL, -- sale, return, adjustment
    qty        INTEGER NOT NULL, -- the change of on hand, thousandths
    reason     TEXT    NOT NULL DEFAULT '',
    operator   TEXT    NOT NULL DEFAULT '',
    at         TEXT    NOT NULL,
    reflected  INTEGER NOT NULL DEFAULT 0,
    UNIQUE (doc_id, product_id)
);
CREATE INDEX stock_movements_product ON stock_movements(product_id, reflected, seq);

CREATE TABLE stock_known (
    product_id TEXT PRIMARY KEY,
    on_hand    INTEGER NOT NULL,
    reserved   INTEGER NOT NULL,
    on_order   INTEGER NOT NULL,
    in_transit INTEGER NOT NULL,
    as_of      TEXT    NOT NULL,
    base_at    TEXT    NOT NULL DEFAULT '' -- movements at or before it are in on_hand
) WITHOUT ROWID;

CREATE TABLE stock_elsewhere (
    product_id TEXT    NOT NULL,
    store_id   TEXT    NOT NULL,
    store_name TEXT    NOT NULL,
    on_hand    INTEGER NOT NULL,
    reserved   INTEGER NOT NULL,
    on_order   INTEGER NOT NULL,
    in_transit INTEGER NOT NULL,
    as_of      TEXT    NOT NULL,
    PRIMARY KEY (product_id, store_id)
) WITHOUT ROWID;

CREATE TABLE stock_counts (
    id        TEXT PRIMARY KEY,
    name      TEXT    NOT NULL,
    scheduled INTEGER NOT NULL DEFAULT 0,
    status    TEXT    NOT NULL,
    created   TEXT    NOT NULL,
    posted    TEXT    NOT NULL DEFAULT '',
    posted_by TEXT    NOT NULL DEFAULT '',
    products  TEXT    -- JSON list of a scheduled count's products, NULL: any
) WITHOUT ROWID;

-- This device's lines: its running totals (dirty: not sent yet).
CREATE TABLE stock_count_lines (
    count_id   TEXT    NOT NULL,
    product_id TEXT    NOT NULL,
    counted    INTEGER NOT NULL,
    scans      INTEGER NOT NULL,
    counted_at TEXT    NOT NULL,
    recounted  INTEGER NOT NULL DEFAULT 0,
    expected   INTEGER NOT NULL,
    dirty      INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (count_id, product_id)
) WITHOUT ROWID;
CREATE INDEX stock_count_lines_dirty ON stock_count_lines(count_id) WHERE dirty = 1;

-- The other devices' lines, from the counts feed.
CREATE TABLE stock_count_others (
    count_id   TEXT    NOT NULL,
    till_id    TEXT    NOT NULL,
    product_id TEXT    NOT NULL,
    qty        INTEGER NOT NULL,
    counted_at TEXT    NOT NULL,
    PRIMARY KEY (count_id, product_id, till_id)
) WITHOUT ROWID;
