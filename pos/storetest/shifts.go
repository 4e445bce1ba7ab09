package storetest

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/pos"
	"github.com/opentill/opentill/pos/journal"
	"github.com/opentill/opentill/pos/money"
	"github.com/opentill/opentill/pos/poserr"
	"github.com/opentill/opentill/pos/shift"
)

// newShift builds an open shift of the default store.
func newShift(id, terminal string, opened time.Time) *shift.Shift {
	return &shift.Shift{ID: id, Store: StoreID, Terminal: terminal, Status: shift.Open, OpenedBy: Manager,
		Opened: opened, Currency: money.EUR, Users: []string{Manager}}
}

// shiftEntry builds a life-cycle entry of a shift.
func shiftEntry(t *testing.T, kind journal.Kind, sh *shift.Shift, at time.Time) journal.Entry {
	t.Helper()
	b, err := json.Marshal(shift.Event{Shift: sh.ID, Terminal: sh.Terminal, Operator: Manager, Time: at})
	require.NoError(t, err)
	return journal.Entry{Time: at, Kind: kind, Operator: Manager, Payload: b}
}

// movement builds a cash movement entry of a shift.
func movement(t *testing.T, sh *shift.Shift, kind shift.MovementKind, amount money.Amount, at time.Time) journal.Entry {
	t.Helper()
	b, err := json.Marshal(shift.Movement{Shift: sh.ID, Kind: kind, Tender: "cash", Amount: amount, Operator: Manager, Terminal: sh.Terminal, Time: at})
	require.NoError(t, err)
	return journal.Entry{Time: at, Kind: journal.CashMovement, Operator: Manager, Payload: b}
}

func openShift(t *testing.T, st pos.Store, sh *shift.Shift) {
	t.Helper()
	require.NoError(t, st.OpenShift(ctx, sh, shiftEntry(t, journal.ShiftOpen, sh, sh.Opened)), "opening shift %s", sh.ID)
}

// setStatus moves a stored shift to status st (from any status but closed).
func setStatus(t *testing.T, store pos.Store, sh *shift.Shift, st shift.Status, kind journal.Kind) {
	t.Helper()
	sh.Status = st
	require.NoError(t, store.UpdateShift(ctx, *sh, []shift.Status{shift.Open, shift.Suspended, shift.BlindClosed}, shiftEntry(t, kind, sh, t0)))
}

func shiftIDs(list []shift.Shift) []string {
	out := []string{}
	for _, s := range list {
		out = append(out, s.ID)
	}
	return out
}

// requireStatusConflict checks the Conflict a shift in the wrong status gives.
func requireStatusConflict(t *testing.T, err error, status shift.Status) {
	t.Helper()
	requireKind(t, err, poserr.Conflict)
	var pe *poserr.Error
	require.True(t, errors.As(err, &pe))
	assert.Equal(t, "error.shift.status", pe.Key)
	assert.Equal(t, string(status), pe.Args["status"])
}

func testShifts(t *testing.T, open Open) {
	t.Run("OpenShift stores the shift and its start", func(t *testing.T) {
		st := open(t, Default(t))
		require.NoError(t, st.AppendJournal(ctx, journal.Entry{Time: t0, Kind: journal.SignIn, Operator: Manager}))
		sh := newShift("shift-a", TerminalID, t0)
		openShift(t, st, sh)
		es := journalOf(t, st)
		require.Len(t, es, 2)
		assert.Equal(t, int64(2), sh.StartSeq, "StartSeq is the opening entry's sequence")
		assert.Equal(t, journal.ShiftOpen, es[1].Kind)
		got, err := st.Shift(ctx, sh.ID)
		require.NoError(t, err)
		assert.Equal(t, *sh, got)
		got, err = st.OpenShiftOn(ctx, TerminalID)
		require.NoError(t, err)
		assert.Equal(t, *sh, got)
	})
	t.Run("one open shift per terminal", func(t *testing.T) {
		st := open(t, Default(t))
		a := newShift("shift-a", TerminalID, t0)
		openShift(t, st, a)
		tests := []struct {
			name string
			sh   *shift.Shift
		}{
			{"a second shift on the terminal", newShift("shift-b", TerminalID, t0.Add(time.Hour))},
			{"the same shift ID on another terminal", newShift("shift-a", "T2", t0.Add(time.Hour))},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				tt.sh.StartSeq = 99
				err := st.OpenShift(ctx, tt.sh, shiftEntry(t, journal.ShiftOpen, tt.sh, tt.sh.Opened))
				requireKind(t, err, poserr.Conflict)
				assert.Zero(t, tt.sh.StartSeq, "StartSeq is reset on error")
				assert.Len(t, journalOf(t, st), 1, "nothing journaled")
				list, err := st.Shifts(ctx)
				require.NoError(t, err)
				assert.Equal(t, []string{"shift-a"}, shiftIDs(list))
			})
		}
		openShift(t, st, newShift("shift-c", "T2", t0.Add(time.Hour)))
		got, err := st.OpenShiftOn(ctx, "T2")
		require.NoError(t, err)
		assert.Equal(t, "shift-c", got.ID, "another terminal opens its own")
	})
	t.Run("misses are NotFound", func(t *testing.T) {
		st := open(t, Default(t))
		ghost := newShift("ghost", TerminalID, t0)
		openShift(t, st, newShift("shift-a", "T2", t0))
		tests := []struct {
			name string
			do   func() error
		}{
			{"Shift", func() error { _, err := st.Shift(ctx, "ghost"); return err }},
			{"OpenShiftOn", func() error { _, err := st.OpenShiftOn(ctx, TerminalID); return err }},
			{"UpdateShift", func() error {
				return st.UpdateShift(ctx, *ghost, []shift.Status{shift.Open}, shiftEntry(t, journal.ShiftSuspend, ghost, t0))
			}},
			{"ShiftMovement", func() error {
				return st.ShiftMovement(ctx, "ghost", []shift.Status{shift.Open}, movement(t, ghost, shift.FloatEntry, 100, t0))
			}},
			{"CloseShift", func() error {
				_, err := st.CloseShift(ctx, "ghost", true, shiftEntry(t, journal.ShiftClose, ghost, t0), (&recorder{}).build)
				return err
			}},
			{"LastZ before any close", func() error { _, err := st.LastZ(ctx); return err }},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				requireKind(t, tt.do(), poserr.NotFound)
				assert.Len(t, journalOf(t, st), 1, "nothing journaled")
			})
		}
	})
	t.Run("Shifts lists by status, oldest first", func(t *testing.T) {
		st := open(t, Default(t))
		a := newShift("shift-a", "T1", t0.Add(time.Hour))
		b := newShift("shift-b", "T2", t0)
		c := newShift("shift-c", "T3", t0.Add(time.Hour))
		d := newShift("shift-d", "T4", t0.Add(2*time.Hour))
		for _, sh := range []*shift.Shift{c, a, d, b} {
			openShift(t, st, sh)
		}
		setStatus(t, st, b, shift.Suspended, journal.ShiftSuspend)
		setStatus(t, st, d, shift.BlindClosed, journal.ShiftBlindClose)
		tests := []struct {
			name     string
			statuses []shift.Status
			want     []string
		}{
			{"all", nil, []string{"shift-b", "shift-a", "shift-c", "shift-d"}},
			{"open", []shift.Status{shift.Open}, []string{"shift-a", "shift-c"}},
			{"to resume or close", []shift.Status{shift.Suspended, shift.BlindClosed}, []string{"shift-b", "shift-d"}},
			{"none closed", []shift.Status{shift.Closed}, []string{}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				list, err := st.Shifts(ctx, tt.statuses...)
				require.NoError(t, err)
				assert.Equal(t, tt.want, shiftIDs(list))
				for _, sh := range list {
					if len(tt.statuses) > 0 {
						assert.Contains(t, tt.statuses, sh.Status, "%s", sh.ID)
					}
				}
			})
		}
	})
	t.Run("UpdateShift checks the status and the terminal", func(t *testing.T) {
		st := open(t, Default(t))
		a := newShift("shift-a", TerminalID, t0)
		openShift(t, st, a)
		setStatus(t, st, a, shift.Suspended, journal.ShiftSuspend)
		got, err := st.Shift(ctx, a.ID)
		require.NoError(t, err)
		assert.Equal(t, shift.Suspended, got.Status)
		_, err = st.OpenShiftOn(ctx, TerminalID)
		requireKind(t, err, poserr.NotFound)

		again := *a
		requireStatusConflict(t, st.UpdateShift(ctx, again, []shift.Status{shift.Open}, shiftEntry(t, journal.ShiftSuspend, a, t0)), shift.Suspended)
		assert.Len(t, journalOf(t, st), 2, "a refused update journals nothing")

		b := newShift("shift-b", TerminalID, t0.Add(time.Hour))
		openShift(t, st, b) // the terminal is free while shift-a is suspended
		resume := *a
		resume.Status = shift.Open
		err = st.UpdateShift(ctx, resume, []shift.Status{shift.Suspended}, shiftEntry(t, journal.ShiftResume, &resume, t0))
		requireKind(t, err, poserr.Conflict)
		got, err = st.Shift(ctx, a.ID)
		require.NoError(t, err)
		assert.Equal(t, shift.Suspended, got.Status, "the resume on a busy terminal changed nothing")
		assert.Len(t, journalOf(t, st), 3)

		resume.Terminal = "T2"
		resume.Users = append(resume.Users, Cashier)
		require.NoError(t, st.UpdateShift(ctx, resume, []shift.Status{shift.Suspended}, shiftEntry(t, journal.ShiftResume, &resume, t0)))
		got, err = st.OpenShiftOn(ctx, "T2")
		require.NoError(t, err)
		assert.Equal(t, resume, got, "status, terminal and users are stored")
		es := journalOf(t, st)
		require.Len(t, es, 4)
		assert.Equal(t, journal.ShiftResume, es[3].Kind)
	})
	t.Run("ShiftMovement checks the status", func(t *testing.T) {
		st := open(t, Default(t))
		a := newShift("shift-a", TerminalID, t0)
		openShift(t, st, a)
		in := movement(t, a, shift.FloatEntry, 2000, t0.Add(time.Minute))
		require.NoError(t, st.ShiftMovement(ctx, a.ID, []shift.Status{shift.Open}, in))
		es := journalOf(t, st)
		require.Len(t, es, 2)
		assert.Equal(t, journal.CashMovement, es[1].Kind)
		assert.JSONEq(t, string(in.Payload), string(es[1].Payload))

		setStatus(t, st, a, shift.BlindClosed, journal.ShiftBlindClose)
		requireStatusConflict(t, st.ShiftMovement(ctx, a.ID, []shift.Status{shift.Open}, movement(t, a, shift.FloatEntry, 100, t0)), shift.BlindClosed)
		assert.Len(t, journalOf(t, st), 3)
		require.NoError(t, st.ShiftMovement(ctx, a.ID, []shift.Status{shift.Open, shift.BlindClosed}, movement(t, a, shift.Declaration, 2000, t0)))
		assert.Len(t, journalOf(t, st), 4)
	})
	t.Run("ShiftJournal starts at the opening", func(t *testing.T) {
		st := open(t, Default(t))
		for i := 0; i < 2; i++ {
			require.NoError(t, st.AppendJournal(ctx, journal.Entry{Time: t0, Kind: journal.SignIn, Operator: Manager}))
		}
		a := newShift("shift-a", TerminalID, t0)
		openShift(t, st, a)
		require.NoError(t, st.ShiftMovement(ctx, a.ID, []shift.Status{shift.Open}, movement(t, a, shift.FloatEntry, 100, t0)))
		commit(t, st, sale("txn-a", line(1, "10001", 1, 129)))
		es, err := st.ShiftJournal(ctx, *a)
		require.NoError(t, err)
		var seqs []int64
		for _, e := range es {
			seqs = append(seqs, e.Seq)
		}
		assert.Equal(t, []int64{3, 4, 5}, seqs)
		assert.Equal(t, journal.ShiftOpen, es[0].Kind)
		assert.Equal(t, journal.Sale, es[2].Kind)
		all := journalOf(t, st)
		assert.Equal(t, all[2:], es, "the same entries as the whole journal")

		later := *a
		later.StartSeq = 99
		es, err = st.ShiftJournal(ctx, later)
		require.NoError(t, err)
		assert.Empty(t, es)
	})
}
