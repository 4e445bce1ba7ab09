-- OpenTill local store, schema version 3: cash shifts.
--
-- One row per shift (package pos/shift). The row holds the shift's state;
-- every figure of its reports comes from the journal, which the shift's
-- changes and cash movements are appended to in the same transaction. The Z
-- report is stored with the row when the shift closes (in the closing
-- transaction) for reprints.
CREATE TABLE shifts (
    id          TEXT PRIMARY KEY,
    store_id    TEXT    NOT NULL,
    terminal_id TEXT    NOT NULL, -- the register it is open (or was last) on
    status      TEXT    NOT NULL, -- open, suspended, blind_closed, closed
    opened_at   TEXT    NOT NULL,
    closed_at   TEXT    NOT NULL DEFAULT '',
    start_seq   INTEGER NOT NULL, -- journal sequence of the opening entry
    payload     TEXT    NOT NULL, -- the shift as JSON
    z_report    TEXT              -- the Z report as JSON, once closed
) WITHOUT ROWID;
-- A register has at most one open shift.
CREATE UNIQUE INDEX shifts_open_terminal ON shifts(terminal_id) WHERE status = 'open';
CREATE INDEX shifts_status ON shifts(status, opened_at);
