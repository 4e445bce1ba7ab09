package memstore

import (
	"context"
	"encoding/json"
	"sort"

	"github.com/opentill/opentill/pos"
	"github.com/opentill/opentill/pos/journal"
	"github.com/opentill/opentill/pos/poserr"
	"github.com/opentill/opentill/pos/shift"
)

// shiftRow is a stored shift: its state columns beside the shift as JSON,
// and its Z report once closed.
type shiftRow struct {
	id       string
	status   shift.Status
	terminal string
	opened   string // formatTime, for ordering
	closed   string
	payload  []byte
	z        []byte
}

// read decodes the stored shift; status and terminal come from the row.
func (r *shiftRow) read() (shift.Shift, error) {
	sh, err := decode[shift.Shift](r.payload)
	sh.Status, sh.Terminal = r.status, r.terminal
	return sh, err
}

func shiftNotFound(id string) error {
	return poserr.E(poserr.NotFound, "error.shift.not_found", "there is no shift %q", id)
}

func alreadyOpen(terminal string) error {
	return poserr.E(poserr.Conflict, "error.shift.already_open", "a shift is already open on register %s", terminal)
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

// openOn returns the open shift of a terminal other than except, or nil. The
// caller holds the lock.
func (s *Store) openOn(terminal, except string) *shiftRow {
	for _, r := range s.shifts {
		if r.status == shift.Open && r.terminal == terminal && r.id != except {
			return r
		}
	}
	return nil
}

// OpenShift stores a new open shift and appends its opening entry in one
// step; sh.StartSeq is set to the entry's sequence (0 on error). A terminal
// has at most one open shift, and a shift ID is used once (poserr.Conflict).
func (s *Store) OpenShift(ctx context.Context, sh *shift.Shift, e journal.Entry) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	err := s.openShift(ctx, sh, e)
	if err != nil {
		sh.StartSeq = 0
	}
	return storageErr(err, "opening shift %s", sh.ID)
}

func (s *Store) openShift(ctx context.Context, sh *shift.Shift, e journal.Entry) error {
	if err := s.usable(ctx); err != nil {
		return err
	}
	if _, dup := s.shifts[sh.ID]; dup || (sh.Status == shift.Open && s.openOn(sh.Terminal, "") != nil) {
		return alreadyOpen(sh.Terminal)
	}
	s.seal(&e)
	sh.StartSeq = e.Seq
	payload, err := json.Marshal(sh)
	if err != nil {
		return err
	}
	s.shifts[sh.ID] = &shiftRow{id: sh.ID, status: sh.Status, terminal: sh.Terminal, opened: formatTime(sh.Opened), payload: payload}
	s.appendSealed(e)
	return nil
}

// Shift returns a shift by ID.
func (s *Store) Shift(ctx context.Context, id string) (shift.Shift, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := s.usable(ctx); err != nil {
		return shift.Shift{}, readErr(err, "reading shift %s", id)
	}
	r, ok := s.shifts[id]
	if !ok {
		return shift.Shift{}, shiftNotFound(id)
	}
	sh, err := r.read()
	return sh, readErr(err, "reading shift %s", id)
}

// OpenShiftOn returns the open shift of a terminal.
func (s *Store) OpenShiftOn(ctx context.Context, terminal string) (shift.Shift, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := s.usable(ctx); err != nil {
		return shift.Shift{}, readErr(err, "reading the open shift of %s", terminal)
	}
	r := s.openOn(terminal, "")
	if r == nil {
		return shift.Shift{}, poserr.E(poserr.NotFound, "error.shift.none", "no shift is open on register %s", terminal)
	}
	sh, err := r.read()
	return sh, readErr(err, "reading the open shift of %s", terminal)
}

// Shifts lists the shifts in the given statuses (all if none), oldest first.
func (s *Store) Shifts(ctx context.Context, statuses ...shift.Status) ([]shift.Shift, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := s.usable(ctx); err != nil {
		return nil, readErr(err, "listing shifts")
	}
	var rows []*shiftRow
	for _, r := range s.shifts {
		if len(statuses) == 0 || hasStatus(statuses, r.status) {
			rows = append(rows, r)
		}
	}
	sort.Slice(rows, func(i, j int) bool {
		if rows[i].opened != rows[j].opened {
			return rows[i].opened < rows[j].opened
		}
		return rows[i].id < rows[j].id
	})
	var out []shift.Shift
	for _, r := range rows {
		sh, err := r.read()
		if err != nil {
			return nil, readErr(err, "listing shifts")
		}
		out = append(out, sh)
	}
	return out, nil
}

func hasStatus(list []shift.Status, st shift.Status) bool {
	for _, s := range list {
		if s == st {
			return true
		}
	}
	return false
}

// row returns a shift's row whose status is one of allowed. The caller
// holds the lock.
func (s *Store) row(id string, allowed []shift.Status) (*shiftRow, error) {
	r, ok := s.shifts[id]
	if !ok {
		return nil, shiftNotFound(id)
	}
	return r, checkStatus(id, r.status, allowed)
}

// UpdateShift stores a shift's new state if its current status is one of
// from, and appends e, in one step.
func (s *Store) UpdateShift(ctx context.Context, sh shift.Shift, from []shift.Status, e journal.Entry) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return storageErr(s.updateShift(ctx, sh, from, e), "updating shift %s", sh.ID)
}

func (s *Store) updateShift(ctx context.Context, sh shift.Shift, from []shift.Status, e journal.Entry) error {
	if err := s.usable(ctx); err != nil {
		return err
	}
	r, err := s.row(sh.ID, from)
	if err != nil {
		return err
	}
	if sh.Status == shift.Open && s.openOn(sh.Terminal, sh.ID) != nil {
		return alreadyOpen(sh.Terminal)
	}
	payload, err := json.Marshal(sh)
	if err != nil {
		return err
	}
	s.seal(&e)
	r.status, r.terminal, r.payload = sh.Status, sh.Terminal, payload
	s.appendSealed(e)
	return nil
}

// ShiftMovement appends a cash movement entry if the shift's status is one
// of allowed.
func (s *Store) ShiftMovement(ctx context.Context, shiftID string, allowed []shift.Status, e journal.Entry) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	err := s.usable(ctx)
	if err == nil {
		_, err = s.row(shiftID, allowed)
	}
	if err == nil {
		s.seal(&e)
		s.appendSealed(e)
	}
	return storageErr(err, "recording a cash movement in shift %s", shiftID)
}

// ShiftJournal returns the journal entries from the shift's opening on.
func (s *Store) ShiftJournal(ctx context.Context, sh shift.Shift) ([]journal.Entry, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := s.usable(ctx); err != nil {
		return nil, readErr(err, "reading the journal of shift %s", sh.ID)
	}
	return s.entriesFrom(sh.StartSeq), nil
}

// CloseShift closes an open or blind-closed shift in one step: it drops the
// shift's suspended transactions if voidSuspended (listing them in the
// closing entry), appends the closing entry, builds the Z report from the
// journal with build and stores it with the closed shift. If build fails,
// nothing changes.
func (s *Store) CloseShift(ctx context.Context, id string, voidSuspended bool, e journal.Entry, build pos.ReportBuilder) (shift.Report, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	z, err := s.closeShift(ctx, id, voidSuspended, e, build)
	return z, storageErr(err, "closing shift %s", id)
}

func (s *Store) closeShift(ctx context.Context, id string, voidSuspended bool, e journal.Entry, build pos.ReportBuilder) (shift.Report, error) {
	var z shift.Report
	if err := s.usable(ctx); err != nil {
		return z, err
	}
	r, err := s.row(id, []shift.Status{shift.Open, shift.BlindClosed})
	if err != nil {
		return z, err
	}
	sh, err := r.read()
	if err != nil {
		return z, err
	}
	var ev shift.Event
	if len(e.Payload) > 0 {
		if err := json.Unmarshal(e.Payload, &ev); err != nil {
			return z, err
		}
	}
	ev.Shift = id
	var voided []string
	if voidSuspended {
		for _, sc := range s.suspendedInOrder() {
			if sc.shift == id {
				voided = append(voided, sc.row.ID)
			}
		}
		ev.Voided = voided
	}
	if e.Payload, err = json.Marshal(ev); err != nil {
		return z, err
	}
	s.seal(&e)
	entries := append(s.entriesFrom(sh.StartSeq), copyEntry(e))
	sh.Status, sh.Closed, sh.ClosedBy = shift.Closed, e.Time, e.Operator
	if z, err = build(sh, entries); err != nil {
		return z, err
	}
	zb, err := json.Marshal(z)
	if err != nil {
		return z, err
	}
	payload, err := json.Marshal(sh)
	if err != nil {
		return z, err
	}
	for _, v := range voided {
		delete(s.suspended, v)
	}
	r.status, r.closed, r.payload, r.z = shift.Closed, formatTime(sh.Closed), payload, zb
	s.appendSealed(e)
	return z, nil
}

// LastZ returns the Z report of the most recently closed shift.
func (s *Store) LastZ(ctx context.Context) (shift.Report, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := s.usable(ctx); err != nil {
		return shift.Report{}, readErr(err, "reading the last Z report")
	}
	var last *shiftRow
	for _, r := range s.shifts {
		if r.status != shift.Closed || r.z == nil {
			continue
		}
		if last == nil || r.closed > last.closed || (r.closed == last.closed && r.id > last.id) {
			last = r
		}
	}
	if last == nil {
		return shift.Report{}, poserr.E(poserr.NotFound, "error.shift.no_z", "no shift has been closed yet")
	}
	z, err := decode[shift.Report](last.z)
	return z, readErr(err, "reading the last Z report")
}
