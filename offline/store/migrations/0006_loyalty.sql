-- Loyalty points on the till: the movements this till booked with its
-- sales (in the sale's own commit), and each card's balance as the store
-- server last sent it. A movement is reflected once the server's balance
-- counts it (the feed says how many of this till's movements of the card it
-- counted; they reach the server in the order they were booked).
CREATE TABLE loyalty_movements (
    seq       INTEGER PRIMARY KEY AUTOINCREMENT,
    txn_id    TEXT    NOT NULL UNIQUE,
    card      TEXT    NOT NULL,
    points    INTEGER NOT NULL, -- earned − redeemed
    redeemed  INTEGER NOT NULL,
    at        TEXT    NOT NULL,
    reflected INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX loyalty_movements_card ON loyalty_movements(card, seq);

CREATE TABLE loyalty_known (
    card   TEXT PRIMARY KEY,
    points INTEGER NOT NULL,
    year   INTEGER NOT NULL, -- earned in the last twelve months
    as_of  TEXT    NOT NULL
) WITHOUT ROWID;
