-- A record the store server refuses as invalid is parked: kept, shown to
-- the manager with the server's reason, and stepped over, so the records
-- behind it (the day's sales) still go up. A person requeues or keeps it.
ALTER TABLE outbox ADD COLUMN parked_at TEXT;
DROP INDEX outbox_pending;
CREATE INDEX outbox_pending ON outbox(created, id) WHERE acked_at IS NULL AND parked_at IS NULL;
