-- Card payments taken while the card processor was unreachable (the
-- terminal stores and forwards them), booked in the sale's commit, until
-- the terminal has forwarded them and the processor answered.
CREATE TABLE offline_cards (
    reference  TEXT    PRIMARY KEY, -- the terminal's
    txn_id     TEXT    NOT NULL,
    receipt_no TEXT    NOT NULL,
    amount     INTEGER NOT NULL,
    at         TEXT    NOT NULL,
    forwarded  INTEGER NOT NULL DEFAULT 0,
    approved   INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
CREATE INDEX offline_cards_at ON offline_cards(at);
