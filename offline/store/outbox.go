package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/opentill/opentill/pos/poserr"
)

// OutboxItem is one record waiting for the store server.
type OutboxItem struct {
	ID        string // the client-generated ID, the server's idempotency key
	Kind      string // OutboxTransaction, …
	Payload   json.RawMessage
	Created   time.Time
	Attempts  int
	LastError string
}

// Enqueue adds a record to the outbox (for changes other than Commit's
// transactions, e.g. shift events). Adding an ID twice is a Conflict.
func (s *Store) Enqueue(ctx context.Context, id, kind string, payload json.RawMessage) error {
	if id == "" || kind == "" {
		return poserr.E(poserr.Invalid, "error.storage.outbox_invalid", "an outbox record needs an ID and a kind")
	}
	_, err := s.w.ExecContext(ctx, `INSERT INTO outbox(id, kind, payload, created) VALUES(?, ?, ?, ?)`, id, kind, string(payload), nowText())
	if isConstraint(err) {
		return poserr.Wrap(err, poserr.Conflict, "error.storage.outbox_duplicate", "outbox record %s already exists", id)
	}
	return storageErr(err, "queueing %s %s for the store server", kind, id)
}

// OutboxPending returns up to limit records not yet acknowledged, oldest first.
func (s *Store) OutboxPending(ctx context.Context, limit int) ([]OutboxItem, error) {
	if limit <= 0 {
		limit = 100
	}
	return s.outboxItems(ctx, "reading the outbox", `parked_at IS NULL ORDER BY created, id LIMIT ?`, limit)
}

// outboxItems reads the unacknowledged records a condition selects.
func (s *Store) outboxItems(ctx context.Context, what, where string, args ...any) ([]OutboxItem, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT id, kind, payload, created, attempts, last_error FROM outbox
		WHERE acked_at IS NULL AND `+where, args...)
	if err != nil {
		return nil, readErr(err, "%s", what)
	}
	defer rows.Close()
	out := []OutboxItem{}
	for rows.Next() {
		var it OutboxItem
		var payload []byte
		var created string
		if err := rows.Scan(&it.ID, &it.Kind, &payload, &created, &it.Attempts, &it.LastError); err != nil {
			return nil, readErr(err, "%s", what)
		}
		it.Payload = json.RawMessage(payload)
		// The store writes created itself (nowText); an unreadable one is
		// shown as the zero time rather than keeping the record from the
		// server: the pusher sends by (created, id) order from SQL anyway.
		it.Created, _ = time.Parse(time.RFC3339Nano, created)
		out = append(out, it)
	}
	return out, readErr(rows.Err(), "%s", what)
}

// OutboxAck marks a record acknowledged by the server. Acknowledging twice is
// harmless; an unknown ID is NotFound. Records are never deleted here.
func (s *Store) OutboxAck(ctx context.Context, id string) error {
	err := s.write(ctx, func(tx *sql.Tx) error {
		var acked sql.NullString
		err := tx.QueryRowContext(ctx, `SELECT acked_at FROM outbox WHERE id = ?`, id).Scan(&acked)
		if errors.Is(err, sql.ErrNoRows) {
			return &poserr.Error{Kind: poserr.NotFound, Key: "error.storage.outbox_not_found",
				Msg: fmt.Sprintf("outbox record %q not found", id), Args: map[string]any{"id": id}}
		}
		if err != nil || acked.Valid {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE outbox SET acked_at = ? WHERE id = ?`, nowText(), id)
		return err
	})
	return storageErr(err, "acknowledging outbox record %s", id)
}

// OutboxFailed records a failed push attempt of a record.
func (s *Store) OutboxFailed(ctx context.Context, id string, cause string) error {
	res, err := s.w.ExecContext(ctx, `UPDATE outbox SET attempts = attempts + 1, last_error = ? WHERE id = ? AND acked_at IS NULL`, cause, id)
	if err != nil {
		return storageErr(err, "recording a failed push of outbox record %s", id)
	}
	if n, err := res.RowsAffected(); err != nil {
		return storageErr(err, "recording a failed push of outbox record %s", id)
	} else if n == 0 {
		return &poserr.Error{Kind: poserr.NotFound, Key: "error.storage.outbox_not_found",
			Msg: fmt.Sprintf("pending outbox record %q not found", id), Args: map[string]any{"id": id}}
	}
	return nil
}

// OutboxPark sets a record aside that the server refused as invalid (cause:
// its reason): it stays in the outbox, unacknowledged, but OutboxPending
// steps over it until it is requeued.
func (s *Store) OutboxPark(ctx context.Context, id string, cause string) error {
	res, err := s.w.ExecContext(ctx, `UPDATE outbox SET parked_at = ?, attempts = attempts + 1, last_error = ? WHERE id = ? AND acked_at IS NULL`,
		nowText(), cause, id)
	if err != nil {
		return storageErr(err, "parking outbox record %s", id)
	}
	if n, err := res.RowsAffected(); err != nil {
		return storageErr(err, "parking outbox record %s", id)
	} else if n == 0 {
		return &poserr.Error{Kind: poserr.NotFound, Key: "error.storage.outbox_not_found",
			Msg: fmt.Sprintf("pending outbox record %q not found", id), Args: map[string]any{"id": id}}
	}
	return nil
}

// OutboxParked returns the parked records, oldest first.
func (s *Store) OutboxParked(ctx context.Context) ([]OutboxItem, error) {
	return s.outboxItems(ctx, "reading the parked outbox records", `parked_at IS NOT NULL ORDER BY created, id`)
}

// OutboxRequeue puts a parked record back in the queue, in its place by
// age (after the server was fixed, or the record's store created).
func (s *Store) OutboxRequeue(ctx context.Context, id string) error {
	res, err := s.w.ExecContext(ctx, `UPDATE outbox SET parked_at = NULL WHERE id = ? AND acked_at IS NULL AND parked_at IS NOT NULL`, id)
	if err != nil {
		return storageErr(err, "requeueing outbox record %s", id)
	}
	if n, err := res.RowsAffected(); err != nil {
		return storageErr(err, "requeueing outbox record %s", id)
	} else if n == 0 {
		return &poserr.Error{Kind: poserr.NotFound, Key: "error.storage.outbox_not_parked",
			Msg: fmt.Sprintf("outbox record %q is not parked", id), Args: map[string]any{"id": id}}
	}
	return nil
}

// OutboxPurge drops the payload of records the server acknowledged before
// the given time, keeping each row's ID, kind and acknowledgement as a
// tombstone, and returns how many it purged. Unacknowledged records are
// never touched.
func (s *Store) OutboxPurge(ctx context.Context, before time.Time) (int64, error) {
	res, err := s.w.ExecContext(ctx, `UPDATE outbox SET payload = '', purged = 1
		WHERE acked_at IS NOT NULL AND acked_at < ? AND purged = 0`, formatTime(before))
	if err != nil {
		return 0, storageErr(err, "purging acknowledged outbox records")
	}
	n, err := res.RowsAffected()
	return n, storageErr(err, "purging acknowledged outbox records")
}

// OutboxParkedCount returns how many records are parked.
func (s *Store) OutboxParkedCount(ctx context.Context) (int64, error) {
	var n int64
	err := s.r.QueryRowContext(ctx, `SELECT count(*) FROM outbox WHERE acked_at IS NULL AND parked_at IS NOT NULL`).Scan(&n)
	return n, readErr(err, "counting the parked outbox records")
}

// OutboxCount returns how many records wait for the server (parked ones
// included: they are not on the server) and how many the outbox holds in
// all.
func (s *Store) OutboxCount(ctx context.Context) (pending, total int64, err error) {
	err = s.r.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM outbox WHERE acked_at IS NULL), (SELECT count(*) FROM outbox)`).Scan(&pending, &total)
	return pending, total, readErr(err, "counting the outbox")
}
