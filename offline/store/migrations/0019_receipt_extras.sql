-- The extensions' lines on a transaction's receipt (pos.ReceiptLines, as
-- JSON), kept so a reprint shows the receipt as it was printed.
CREATE TABLE receipt_extras (
    txn_id TEXT PRIMARY KEY,
    lines  TEXT NOT NULL
) WITHOUT ROWID;
