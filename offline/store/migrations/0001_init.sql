-- OpenTill local store, schema version 1.
--
-- Times are UTC text in a fixed-width RFC 3339 form with nanoseconds
-- (2006-01-02T15:04:05.000000000Z) so that they sort as text; journal times
-- are stored exactly as journal.Entry.Canonical hashes them.

-- Key/value settings; values are JSON.
CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

-- Products. rid is the stable integer key the FTS index points at (an
-- INTEGER PRIMARY KEY survives VACUUM, an implicit rowid does not); id is the
-- product's business key. codes holds the product's barcodes separated by
-- spaces, denormalised from the barcodes table so that a product reads back
-- with its barcodes in one row.
CREATE TABLE products (
    rid        INTEGER PRIMARY KEY,
    id         TEXT    NOT NULL UNIQUE,
    item_id    TEXT    NOT NULL,
    variant_id TEXT    NOT NULL DEFAULT '',
    name       TEXT    NOT NULL,
    category   TEXT    NOT NULL DEFAULT '',
    department TEXT    NOT NULL DEFAULT '',
    unit       TEXT    NOT NULL DEFAULT 'ea',
    price      INTEGER NOT NULL,
    tax_group  TEXT    NOT NULL,
    flags      INTEGER NOT NULL DEFAULT 0, -- 1 weighed, 2 must key in price, 4 no discount, 8 not returnable, 16 no override
    color      TEXT    NOT NULL DEFAULT '',
    size       TEXT    NOT NULL DEFAULT '',
    codes      TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX products_item ON products(item_id);

-- Exact barcode lookup: one normalised key per row.
CREATE TABLE barcodes (
    code       TEXT PRIMARY KEY,
    product_id TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX barcodes_product ON barcodes(product_id);

-- Full-text search over product names (words in any order, prefixes,
-- accents folded: "creme" finds "Crème"). External content: the text lives in
-- products, the index only in the FTS shadow tables; the store code keeps it
-- in step (no triggers, so a bulk import builds it in one 'rebuild' pass).
-- Barcodes and item IDs are searched, exactly and by prefix, through the
-- B-tree indexes above instead: a range scan answers a code prefix in
-- O(results), where an FTS5 prefix query over a million distinct codes has to
-- merge every matching term first (seconds for "4"), and leaving the codes
-- out halves the index build.
CREATE VIRTUAL TABLE products_fts USING fts5(
    name,
    content = 'products',
    content_rowid = 'rid',
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '1 2 3'
);

CREATE TABLE roles (
    id          TEXT PRIMARY KEY,
    name        TEXT    NOT NULL,
    manager     INTEGER NOT NULL DEFAULT 0,
    permissions TEXT    NOT NULL DEFAULT '[]', -- JSON array of operation IDs
    limits      TEXT    NOT NULL DEFAULT '{}'  -- JSON staff.Limits
) WITHOUT ROWID;

CREATE TABLE operators (
    id            TEXT PRIMARY KEY,
    name          TEXT    NOT NULL,
    role_id       TEXT    NOT NULL,
    language      TEXT    NOT NULL DEFAULT '',
    password_hash TEXT    NOT NULL,
    failed_logins INTEGER NOT NULL DEFAULT 0,
    locked        INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;

-- Finished transactions (completed or voided). payload is the whole
-- cart.Cart as JSON; the columns beside it are for lookups and reports.
CREATE TABLE transactions (
    id         TEXT PRIMARY KEY, -- client-generated UUIDv7
    receipt_no TEXT    NOT NULL UNIQUE,
    store      TEXT    NOT NULL,
    terminal   TEXT    NOT NULL,
    status     TEXT    NOT NULL,
    operator   TEXT    NOT NULL,
    started    TEXT    NOT NULL,
    finished   TEXT    NOT NULL,
    currency   TEXT    NOT NULL,
    total      INTEGER NOT NULL,
    payload    TEXT    NOT NULL
);
CREATE INDEX transactions_finished ON transactions(finished);

CREATE TABLE transaction_lines (
    txn_id         TEXT    NOT NULL REFERENCES transactions(id),
    line_no        INTEGER NOT NULL,
    product_id     TEXT    NOT NULL,
    item_id        TEXT    NOT NULL,
    qty            INTEGER NOT NULL, -- thousandths; negative for returns
    net            INTEGER NOT NULL,
    voided         INTEGER NOT NULL DEFAULT 0,
    return_of_txn  TEXT,
    return_of_line INTEGER,
    PRIMARY KEY (txn_id, line_no)
) WITHOUT ROWID;
CREATE INDEX transaction_lines_return_of ON transaction_lines(return_of_txn, return_of_line)
    WHERE return_of_txn IS NOT NULL;

CREATE TABLE tenders (
    txn_id     TEXT    NOT NULL REFERENCES transactions(id),
    no         INTEGER NOT NULL,
    type       TEXT    NOT NULL,
    kind       TEXT    NOT NULL,
    amount     INTEGER NOT NULL,
    masked_pan TEXT, -- never a full card number
    voided     INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (txn_id, no)
) WITHOUT ROWID;

-- The next receipt number per terminal. It is taken inside the commit
-- transaction, so a number is used exactly when the sale is stored.
CREATE TABLE receipt_sequence (
    terminal TEXT PRIMARY KEY,
    next     INTEGER NOT NULL
) WITHOUT ROWID;

-- The electronic journal: append-only and hash-chained.
CREATE TABLE journal (
    seq        INTEGER PRIMARY KEY,
    time       TEXT NOT NULL,
    kind       TEXT NOT NULL,
    op         INTEGER NOT NULL DEFAULT 0,
    txn_id     TEXT NOT NULL DEFAULT '',
    receipt_no TEXT NOT NULL DEFAULT '',
    operator   TEXT NOT NULL DEFAULT '',
    approver   TEXT NOT NULL DEFAULT '',
    payload    TEXT,
    prev_hash  TEXT NOT NULL,
    hash       TEXT NOT NULL
);
CREATE INDEX journal_txn ON journal(txn_id) WHERE txn_id <> '';
CREATE TRIGGER journal_no_update BEFORE UPDATE ON journal
BEGIN
    SELECT RAISE(ABORT, 'the journal is append-only: entries cannot be changed');
END;
CREATE TRIGGER journal_no_delete BEFORE DELETE ON journal
BEGIN
    SELECT RAISE(ABORT, 'the journal is append-only: entries cannot be deleted');
END;

-- Records waiting to be pushed to the store server, keyed by the client ID
-- the server upserts by. Never capped, evicted or purged by a migration; a
-- row can only be deleted after it was acknowledged.
CREATE TABLE outbox (
    id         TEXT PRIMARY KEY,
    kind       TEXT    NOT NULL,
    payload    TEXT    NOT NULL,
    created    TEXT    NOT NULL,
    attempts   INTEGER NOT NULL DEFAULT 0,
    last_error TEXT    NOT NULL DEFAULT '',
    acked_at   TEXT
);
CREATE INDEX outbox_pending ON outbox(created, id) WHERE acked_at IS NULL;
CREATE TRIGGER outbox_keep_unacked BEFORE DELETE ON outbox
WHEN OLD.acked_at IS NULL
BEGIN
    SELECT RAISE(ABORT, 'an outbox record that the server has not acknowledged cannot be deleted');
END;

-- Carts put aside, to be recalled.
CREATE TABLE suspended (
    id       TEXT PRIMARY KEY,
    operator TEXT    NOT NULL,
    lines    INTEGER NOT NULL,
    total    INTEGER NOT NULL,
    payload  TEXT    NOT NULL,
    at       TEXT    NOT NULL
);
CREATE INDEX suspended_at ON suspended(at);
