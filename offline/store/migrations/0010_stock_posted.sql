-- A count posted on this till sets its lines' on-hand figure here at once,
-- offline too, until the store server's figure counts the posting: the
-- quantity counted (every device) plus this till's movements after the
-- line was first counted (inventory.PostedOnHand).
CREATE TABLE stock_posted (
    product_id TEXT PRIMARY KEY,
    count_id   TEXT    NOT NULL,
    counted    INTEGER NOT NULL, -- every device's count, thousandths
    counted_at TEXT    NOT NULL,
    posted_at  TEXT    NOT NULL
) WITHOUT ROWID;
