package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"sync"
	"time"
	"unsafe"

	"github.com/opentill/opentill/pos/journal"
	"github.com/opentill/opentill/pos/report"
	"github.com/opentill/opentill/pos/shift"
)

var _ report.Source = (*Store)(nil)

// secondText is a time at second precision in UTC: the first 19
// characters every stored journal time starts with.
func secondText(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05") }

// Entries calls fn with every journal entry timed in [from, to), in
// sequence order, streaming them from one read snapshot (report.Source).
// For speed the entries carry no hashes (a report reads, it does not
// verify: VerifyJournal does), and an entry's payload shares the memory of
// the string the driver read (no copy of a month's payloads): it is
// read-only, as report.Source says.
func (s *Store) Entries(ctx context.Context, from, to time.Time, fn func(journal.Entry) error) error {
	// Stored times are RFC 3339 in UTC with a fraction of varying length:
	// as text they compare correctly to the second, so the query takes
	// whole seconds around the range and the exact times are compared here.
	rows, err := s.r.QueryContext(ctx, `SELECT seq, time, kind, op, txn_id, receipt_no, operator, approver, payload
		FROM journal WHERE time >= ? AND time < ? ORDER BY seq`, secondText(from), secondText(to.Add(time.Second)))
	if err != nil {
		return readErr(err, "reading the journal")
	}
	defer rows.Close()
	var ts, kind []byte
	var payload sql.NullString
	for rows.Next() {
		var e journal.Entry
		if err := rows.Scan(&e.Seq, &ts, &kind, &e.Operation, &e.TxnID, &e.ReceiptNo, &e.Operator, &e.Approver, &payload); err != nil {
			return readErr(err, "reading the journal")
		}
		t, err := time.Parse(time.RFC3339Nano, string(ts))
		if err != nil {
			return readErr(err, "reading the time of journal entry %d", e.Seq)
		}
		if t.Before(from) || !t.Before(to) {
			continue
		}
		e.Time, e.Kind = t, kinds.get(kind)
		if payload.Valid && payload.String != "" {
			e.Payload = json.RawMessage(unsafe.Slice(unsafe.StringData(payload.String), len(payload.String)))
		}
		if err := fn(e); err != nil {
			return err
		}
	}
	return readErr(rows.Err(), "reading the journal")
}

// kindNames shares the few journal kinds' strings across entries.
type kindNames struct{ m sync.Map }

var kinds kindNames

func (k *kindNames) get(b []byte) journal.Kind {
	if v, ok := k.m.Load(string(b)); ok {
		return v.(journal.Kind)
	}
	kd := journal.Kind(b)
	k.m.Store(string(b), kd)
	return kd
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
