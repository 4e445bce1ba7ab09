-- OpenTill local store, schema version 2: sync state.
--
-- The cursor of each delta feed the till pulls from the store server. A
-- feed page is applied in the same transaction that moves its cursor, so a
-- crash leaves either the whole page and the new cursor or neither.
CREATE TABLE sync_cursors (
    dataset TEXT PRIMARY KEY,
    cursor  INTEGER NOT NULL,
    updated TEXT    NOT NULL
) WITHOUT ROWID;
