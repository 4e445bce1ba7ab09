-- Receipts waiting to be sent by e-mail: kept until the mail relay took
-- them (sent) or refused them for good (parked, with the relay's answer).
CREATE TABLE mail_queue (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    recipient  TEXT    NOT NULL,
    receipt    TEXT    NOT NULL, -- the receipt as JSON (receipt.Receipt)
    created    TEXT    NOT NULL,
    attempts   INTEGER NOT NULL DEFAULT 0,
    last_error TEXT    NOT NULL DEFAULT '',
    sent_at    TEXT,
    parked     INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX mail_queue_pending ON mail_queue(id) WHERE sent_at IS NULL AND parked = 0;
