-- OpenTill local store, schema version 4: signed journal.
--
-- From this version on every journal entry is signed with the till's own
-- Ed25519 key (kept in the file journal.key in the data folder, never in the
-- database): key_id names the key, counter is the till's signature counter
-- (1 on its first signed entry) and sig the base64 signature of the entry's
-- hash (see pos/journal). Entries written before the upgrade keep '' and 0:
-- they are the chain's unsigned prefix, which verify reports. The settings
-- row journal_signing records the key and the first entry it signed.
ALTER TABLE journal ADD COLUMN key_id  TEXT    NOT NULL DEFAULT '';
ALTER TABLE journal ADD COLUMN counter INTEGER NOT NULL DEFAULT 0;
ALTER TABLE journal ADD COLUMN sig     TEXT    NOT NULL DEFAULT '';
