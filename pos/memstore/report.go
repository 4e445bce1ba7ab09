package memstore

import (
	"context"
	"encoding/json"
	"sort"
	"time"

	"github.com/opentill/opentill/pos/journal"
	"github.com/opentill/opentill/pos/report"
	"github.com/opentill/opentill/pos/shift"
)

var _ report.Source = (*Store)(nil)

// Entries calls fn with every journal entry timed in [from, to), in
// sequence order, from a snapshot taken when it starts (report.Source).
func (s *Store) Entries(ctx context.Context, from, to time.Time, fn func(journal.Entry) error) error {
	s.mu.RLock()
	if err := s.usable(ctx); err != nil {
		s.mu.RUnlock()
		return readErr(err, "reading the journal")
	}
	var list []journal.Entry
	for _, e := range s.journal {
		if !e.Time.Before(from) && e.Time.Before(to) {
			list = append(list, copyEntry(e))
		}
	}
	s.mu.RUnlock()
	for _, e := range list {
		if err := fn(e); err != nil {
			return err
		}
	}
	return nil
}

// ClosedShifts returns the stored Z reports of the shifts closed in
// [from, to), oldest first (report.Source).
func (s *Store) ClosedShifts(ctx context.Context, from, to time.Time) ([]shift.Report, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := s.usable(ctx); err != nil {
		return nil, readErr(err, "reading the Z reports")
	}
	lo, hi := formatTime(from), formatTime(to)
	var rows []*shiftRow
	for _, r := range s.shifts {
		if r.status == shift.Closed && len(r.z) > 0 && r.closed >= lo && r.closed < hi {
			rows = append(rows, r)
		}
	}
	sort.Slice(rows, func(i, j int) bool {
		if rows[i].closed != rows[j].closed {
			return rows[i].closed < rows[j].closed
		}
		return rows[i].id < rows[j].id
	})
	out := make([]shift.Report, 0, len(rows))
	for _, r := range rows {
		var z shift.Report
		if err := json.Unmarshal(r.z, &z); err != nil {
			return nil, readErr(err, "reading the Z report of %s", r.id)
		}
		out = append(out, z)
	}
	return out, nil
}
