package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"time"

	"github.com/opentill/opentill/pos/journal"
	"github.com/opentill/opentill/pos/report"
	"github.com/opentill/opentill/pos/shift"
)

var _ report.Source = (*Store)(nil)

// secondText is a time at second precision in UTC, the prefix every stored
// journal time shares (they are RFC 3339 with a variable fraction, so only
// their first 19 characters compare as text).
func secondText(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05") }

// Entries calls fn with every journal entry timed in [from, to), in
// sequence order, streaming them from one read snapshot (report.Source).
// The time column is compared at second precision in SQL and exactly here.
func (s *Store) Entries(ctx context.Context, from, to time.Time, fn func(journal.Entry) error) error {
	rows, err := s.r.QueryContext(ctx, `SELECT seq, time, kind, op, txn_id, receipt_no, operator, approver, payload, prev_hash, hash
		FROM journal WHERE substr(time, 1, 19) >= ? AND substr(time, 1, 19) <= ? ORDER BY seq`, secondText(from), secondText(to))
	if err != nil {
		return readErr(err, "reading the journal")
	}
	defer rows.Close()
	for rows.Next() {
		var e journal.Entry
		var ts, kind string
		var payload []byte
		if err := rows.Scan(&e.Seq, &ts, &kind, &e.Operation, &e.TxnID, &e.ReceiptNo, &e.Operator, &e.Approver,
			&payload, &e.PrevHash, &e.Hash); err != nil {
			return readErr(err, "reading the journal")
		}
		t, err := time.Parse(time.RFC3339Nano, ts)
		if err != nil {
			return readErr(err, "reading the time of journal entry %d", e.Seq)
		}
		if t.Before(from) || !t.Before(to) {
			continue
		}
		e.Time, e.Kind = t, journal.Kind(kind)
		if len(payload) > 0 {
			e.Payload = json.RawMessage(payload)
		}
		if err := fn(e); err != nil {
			return err
		}
	}
	return readErr(rows.Err(), "reading the journal")
}

// ClosedShifts returns the stored Z reports of the shifts closed in
// [from, to), oldest first (report.Source).
func (s *Store) ClosedShifts(ctx context.Context, from, to time.Time) ([]shift.Report, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT id, z_report FROM shifts WHERE status = 'closed' AND z_report IS NOT NULL
		AND closed_at >= ? AND closed_at < ? ORDER BY closed_at, id`, formatTime(from), formatTime(to))
	if err != nil {
		return nil, readErr(err, "reading the Z reports")
	}
	defer rows.Close()
	out := []shift.Report{}
	for rows.Next() {
		var id string
		var b sql.NullString
		if err := rows.Scan(&id, &b); err != nil {
			return nil, readErr(err, "reading the Z reports")
		}
		var z shift.Report
		if err := json.Unmarshal([]byte(b.String), &z); err != nil {
			return nil, readErr(err, "reading the Z report of %s", id)
		}
		out = append(out, z)
	}
	return out, readErr(rows.Err(), "reading the Z reports")
}
