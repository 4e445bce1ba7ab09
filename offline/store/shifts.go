package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/opentill/opentill/pos"
	"github.com/opentill/opentill/pos/cart"
	"github.com/opentill/opentill/pos/journal"
	"github.com/opentill/opentill/pos/poserr"
	"github.com/opentill/opentill/pos/shift"
)

// OpenShift stores a new open shift and appends its opening entry in one
// transaction; sh.StartSeq is set to the entry's sequence. A terminal has at
// most one open shift.
func (s *Store) OpenShift(ctx context.Context, sh *shift.Shift, e journal.Entry) error {
	err := s.write(ctx, func(tx *sql.Tx) error {
		err := s.appendJournalWith(ctx, tx, &e, func(e *journal.Entry) (err error) {
			sh.StartSeq = e.Seq
			e.Payload, err = withState(e.Payload, sh)
			return err
		})
		if err != nil {
			return err
		}
		payload, err := json.Marshal(sh)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO shifts(id, store_id, terminal_id, status, opened_at, start_seq, payload) VALUES(?, ?, ?, ?, ?, ?, ?)`,
			sh.ID, sh.Store, sh.Terminal, string(sh.Status), formatTime(sh.Opened), sh.StartSeq, string(payload))
		if isConstraint(err) {
			return poserr.Wrap(err, poserr.Conflict, "error.shift.already_open", "a shift is already open on register %s", sh.Terminal)
		}
		if err != nil {
			return err
		}
		return enqueueShiftEvent(ctx, tx, sh.ID, e, sh, nil)
	})
	if err != nil {
		sh.StartSeq = 0
	}
	return storageErr(err, "opening shift %s", sh.ID)
}

func scanShift(row interface{ Scan(...any) error }) (shift.Shift, error) {
	var payload string
	var status, terminal string
	var sh shift.Shift
	if err := row.Scan(&payload, &status, &terminal); err != nil {
		return sh, err
	}
	if err := json.Unmarshal([]byte(payload), &sh); err != nil {
		return sh, err
	}
	sh.Status, sh.Terminal = shift.Status(status), terminal
	return sh, nil
}

// Shift returns a shift by ID.
func (s *Store) Shift(ctx context.Context, id string) (shift.Shift, error) {
	sh, err := scanShift(s.r.QueryRowContext(ctx, `SELECT payload, status, terminal_id FROM shifts WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return sh, poserr.E(poserr.NotFound, "error.shift.not_found", "there is no shift %q", id)
	}
	return sh, readErr(err, "reading shift %s", id)
}

// OpenShiftOn returns the open shift of a terminal.
func (s *Store) OpenShiftOn(ctx context.Context, terminal string) (shift.Shift, error) {
	sh, err := scanShift(s.r.QueryRowContext(ctx, `SELECT payload, status, terminal_id FROM shifts WHERE terminal_id = ? AND status = 'open'`, terminal))
	if errors.Is(err, sql.ErrNoRows) {
		return sh, poserr.E(poserr.NotFound, "error.shift.none", "no shift is open on register %s", terminal)
	}
	return sh, readErr(err, "reading the open shift of %s", terminal)
}

// Shifts lists the shifts in the given statuses (all if none), oldest first.
func (s *Store) Shifts(ctx context.Context, statuses ...shift.Status) ([]shift.Shift, error) {
	q := `SELECT payload, status, terminal_id FROM shifts`
	var args []any
	if len(statuses) > 0 {
		q += ` WHERE status IN (?` + strings.Repeat(`, ?`, len(statuses)-1) + `)`
		for _, st := range statuses {
			args = append(args, string(st))
		}
	}
	rows, err := s.r.QueryContext(ctx, q+` ORDER BY opened_at, id`, args...)
	if err != nil {
		return nil, readErr(err, "listing shifts")
	}
	defer rows.Close()
	var out []shift.Shift
	for rows.Next() {
		sh, err := scanShift(rows)
		if err != nil {
			return nil, readErr(err, "listing shifts")
		}
		out = append(out, sh)
	}
	return out, readErr(rows.Err(), "listing shifts")
}

// currentStatus reads a shift's status inside tx.
func currentStatus(ctx context.Context, tx *sql.Tx, id string) (shift.Status, error) {
	var st string
	err := tx.QueryRowContext(ctx, `SELECT status FROM shifts WHERE id = ?`, id).Scan(&st)
	if errors.Is(err, sql.ErrNoRows) {
		return "", poserr.E(poserr.NotFound, "error.shift.not_found", "there is no shift %q", id)
	}
	return shift.Status(st), err
}

func checkStatus(id string, st shift.Status, allowed []shift.Status) error {
	for _, a := range allowed {
		if a == st {
			return nil
		}
	}
	e := poserr.E(poserr.Conflict, "error.shift.status", "shift %s is %s: that cannot be done now", id, st)
	e.Args = map[string]any{"status": string(st)}
	return e
}

// UpdateShift stores a shift's new state if its current status is one of
// from, and appends e, in one transaction.
func (s *Store) UpdateShift(ctx context.Context, sh shift.Shift, from []shift.Status, e journal.Entry) error {
	err := s.write(ctx, func(tx *sql.Tx) error {
		st, err := currentStatus(ctx, tx, sh.ID)
		if err != nil {
			return err
		}
		if err := checkStatus(sh.ID, st, from); err != nil {
			return err
		}
		payload, err := json.Marshal(sh)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE shifts SET status = ?, terminal_id = ?, payload = ? WHERE id = ?`,
			string(sh.Status), sh.Terminal, string(payload), sh.ID)
		if isConstraint(err) {
			return poserr.Wrap(err, poserr.Conflict, "error.shift.already_open", "a shift is already open on register %s", sh.Terminal)
		}
		if err != nil {
			return err
		}
		err = s.appendJournalWith(ctx, tx, &e, func(e *journal.Entry) (err error) {
			e.Payload, err = withState(e.Payload, &sh)
			return err
		})
		if err != nil {
			return err
		}
		return enqueueShiftEvent(ctx, tx, sh.ID, e, &sh, nil)
	})
	return storageErr(err, "updating shift %s", sh.ID)
}

// ShiftMovement appends a cash movement entry if the shift's status is one
// of allowed.
func (s *Store) ShiftMovement(ctx context.Context, shiftID string, allowed []shift.Status, e journal.Entry) error {
	err := s.write(ctx, func(tx *sql.Tx) error {
		st, err := currentStatus(ctx, tx, shiftID)
		if err != nil {
			return err
		}
		if err := checkStatus(shiftID, st, allowed); err != nil {
			return err
		}
		if err := s.appendJournal(ctx, tx, &e); err != nil {
			return err
		}
		return enqueueShiftEvent(ctx, tx, shiftID, e, nil, nil)
	})
	return storageErr(err, "recording a cash movement in shift %s", shiftID)
}

type querier interface {
	QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error)
}

// journalFrom reads the journal from sequence seq on.
func (s *Store) journalFrom(ctx context.Context, q querier, seq int64) ([]journal.Entry, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+s.journalCols()+` FROM journal WHERE seq >= ? ORDER BY seq`, seq)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []journal.Entry
	for rows.Next() {
		e, err := scanEntry(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// withState adds the shift's state after the event to a shift entry's
// payload (as "state"), so that the journal alone says what each shift row
// must hold; shift.Build and readers of shift.Event ignore it.
func withState(payload json.RawMessage, sh *shift.Shift) (json.RawMessage, error) {
	m := map[string]json.RawMessage{}
	if len(payload) > 0 {
		if err := json.Unmarshal(payload, &m); err != nil {
			return nil, fmt.Errorf("the shift entry's payload is not a JSON object: %w", err)
		}
	}
	b, err := json.Marshal(sh)
	if err != nil {
		return nil, err
	}
	m["state"] = b
	return json.Marshal(m)
}

// ShiftJournal returns the journal entries from the shift's opening on.
func (s *Store) ShiftJournal(ctx context.Context, sh shift.Shift) ([]journal.Entry, error) {
	es, err := s.journalFrom(ctx, s.r, sh.StartSeq)
	return es, readErr(err, "reading the journal of shift %s", sh.ID)
}

// CloseShift closes an open or blind-closed shift in one transaction: it
// drops the shift's suspended transactions if voidSuspended (listing them in
// the closing entry), appends the closing entry, builds the Z report from
// the journal with build and stores it with the closed shift.
func (s *Store) CloseShift(ctx context.Context, id string, voidSuspended bool, e journal.Entry, build pos.ReportBuilder) (shift.Report, error) {
	var z shift.Report
	err := s.write(ctx, func(tx *sql.Tx) error {
		sh, err := scanShift(tx.QueryRowContext(ctx, `SELECT payload, status, terminal_id FROM shifts WHERE id = ?`, id))
		if errors.Is(err, sql.ErrNoRows) {
			return poserr.E(poserr.NotFound, "error.shift.not_found", "there is no shift %q", id)
		}
		if err != nil {
			return err
		}
		if err := checkStatus(id, sh.Status, []shift.Status{shift.Open, shift.BlindClosed}); err != nil {
			return err
		}
		var ev shift.Event
		if len(e.Payload) > 0 {
			if err := json.Unmarshal(e.Payload, &ev); err != nil {
				return err
			}
		}
		ev.Shift = id
		if voidSuspended {
			voided, err := dropSuspended(ctx, tx, id)
			if err != nil {
				return err
			}
			ev.Voided = voided
		}
		if e.Payload, err = json.Marshal(ev); err != nil {
			return err
		}
		err = s.appendJournalWith(ctx, tx, &e, func(e *journal.Entry) (err error) {
			sh.Status, sh.Closed, sh.ClosedBy = shift.Closed, e.Time, e.Operator
			e.Payload, err = withState(e.Payload, &sh)
			return err
		})
		if err != nil {
			return err
		}
		entries, err := s.journalFrom(ctx, tx, sh.StartSeq)
		if err != nil {
			return err
		}
		if z, err = build(sh, entries); err != nil {
			return err
		}
		zb, err := json.Marshal(z)
		if err != nil {
			return err
		}
		payload, err := json.Marshal(sh)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE shifts SET status = 'closed', closed_at = ?, payload = ?, z_report = ? WHERE id = ?`,
			formatTime(sh.Closed), string(payload), string(zb), id)
		if err != nil {
			return err
		}
		return enqueueShiftEvent(ctx, tx, id, e, &sh, &z)
	})
	return z, storageErr(err, "closing shift %s", id)
}

// dropSuspended removes the suspended transactions of a shift, returning their IDs.
func dropSuspended(ctx context.Context, tx *sql.Tx, shiftID string) ([]string, error) {
	rows, err := tx.QueryContext(ctx, `SELECT id, payload FROM suspended ORDER BY at, id`)
	if err != nil {
		return nil, err
	}
	var ids []string
	for rows.Next() {
		var id, payload string
		if err := rows.Scan(&id, &payload); err != nil {
			rows.Close() // a read; the Scan error is the one that counts
			return nil, err
		}
		var c cart.Cart
		if json.Unmarshal([]byte(payload), &c) == nil && c.Shift == shiftID {
			ids = append(ids, id)
		}
	}
	rows.Close() // a read: its errors show in rows.Err
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, id := range ids {
		if _, err := tx.ExecContext(ctx, `DELETE FROM suspended WHERE id = ?`, id); err != nil {
			return nil, err
		}
	}
	return ids, nil
}

// LastZ returns the Z report of the most recently closed shift.
func (s *Store) LastZ(ctx context.Context) (shift.Report, error) {
	var z shift.Report
	var b string
	err := s.r.QueryRowContext(ctx, `SELECT z_report FROM shifts WHERE status = 'closed' AND z_report IS NOT NULL ORDER BY closed_at DESC, id DESC LIMIT 1`).Scan(&b)
	if errors.Is(err, sql.ErrNoRows) {
		return z, poserr.E(poserr.NotFound, "error.shift.no_z", "no shift has been closed yet")
	}
	if err != nil {
		return z, readErr(err, "reading the last Z report")
	}
	return z, readErr(json.Unmarshal([]byte(b), &z), "reading the last Z report")
}

// ZReport returns the stored Z report of a closed shift.
func (s *Store) ZReport(ctx context.Context, shiftID string) (shift.Report, error) {
	var z shift.Report
	var b sql.NullString
	err := s.r.QueryRowContext(ctx, `SELECT z_report FROM shifts WHERE id = ?`, shiftID).Scan(&b)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !b.Valid) {
		return z, poserr.E(poserr.NotFound, "error.shift.no_z", "shift %s has no Z report", shiftID)
	}
	if err != nil {
		return z, readErr(err, "reading the Z report of %s", shiftID)
	}
	return z, readErr(json.Unmarshal([]byte(b.String), &z), "reading the Z report of %s", shiftID)
}
