-- Acknowledged records are purged after a retention period: the payload
-- goes (the server holds the record, the journal keeps everything), the
-- row stays as a small tombstone so the journal verifier still finds each
-- journaled record's outbox row.
ALTER TABLE outbox ADD COLUMN purged INTEGER NOT NULL DEFAULT 0;
