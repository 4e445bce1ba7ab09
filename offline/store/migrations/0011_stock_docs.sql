-- Purchase and transfer orders (docs/inventory.md): each document as the
-- store server last sent it (or as drafted here, a transfer not sent yet),
-- this till's receipts and shipments the server's copy does not count yet
-- (applied on top when read), and the quantities being received or shipped
-- on this device now.
CREATE TABLE stock_docs (
    id      TEXT PRIMARY KEY,
    doc     TEXT    NOT NULL, -- api.StockDoc JSON
    draft   INTEGER NOT NULL DEFAULT 0,
    created TEXT    NOT NULL
) WITHOUT ROWID;

CREATE TABLE stock_doc_posts (
    id     TEXT PRIMARY KEY,
    doc_id TEXT NOT NULL,
    post   TEXT NOT NULL, -- api.StockDocPost JSON
    seq    INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX stock_doc_posts_doc ON stock_doc_posts(doc_id, seq);

CREATE TABLE stock_doc_work (
    doc_id     TEXT    NOT NULL,
    product_id TEXT    NOT NULL,
    qty        INTEGER NOT NULL,
    at         TEXT    NOT NULL,
    PRIMARY KEY (doc_id, product_id)
) WITHOUT ROWID;
