-- Gift cards, credit memos and customer accounts on the till: the movements this till booked
-- with its sales (in the sale's own commit; one row per transaction and
-- number), and each number's balance as the store server last told it. A
-- movement is reflected once the server's balance counts it (the server
-- says how many of this till's movements of the number it counted; they
-- reach it in the order they were booked).
CREATE TABLE value_movements (
    seq       INTEGER PRIMARY KEY AUTOINCREMENT,
    txn_id    TEXT    NOT NULL,
    kind      TEXT    NOT NULL, -- giftcard, memo, account
    number    TEXT    NOT NULL,
    amount    INTEGER NOT NULL, -- added (positive) or taken (negative), minor units
    spent     INTEGER NOT NULL, -- taken, positive
    issued    INTEGER NOT NULL, -- the transaction issued the number
    at        TEXT    NOT NULL,
    reflected INTEGER NOT NULL DEFAULT 0,
    UNIQUE (txn_id, kind, number)
);
CREATE INDEX value_movements_number ON value_movements(kind, number, seq);

CREATE TABLE value_known (
    kind   TEXT    NOT NULL, -- giftcard, memo, account
    number TEXT    NOT NULL,
    amount INTEGER NOT NULL,
    as_of  TEXT    NOT NULL,
    credit_limit INTEGER NOT NULL DEFAULT 0, -- an account's

    PRIMARY KEY (kind, number)
) WITHOUT ROWID;
