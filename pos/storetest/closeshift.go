package storetest

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/pos/cart"
	"github.com/opentill/opentill/pos/journal"
	"github.com/opentill/opentill/pos/poserr"
	"github.com/opentill/opentill/pos/shift"
	"github.com/opentill/opentill/pos/tender"
)

// recorder is a pos.ReportBuilder that records what the store hands it and
// returns a report made from it (or err).
type recorder struct {
	calls   int
	sh      shift.Shift
	entries []journal.Entry
	err     error
}

func (r *recorder) build(sh shift.Shift, entries []journal.Entry) (shift.Report, error) {
	r.calls++
	r.sh, r.entries = sh, entries
	if r.err != nil {
		return shift.Report{}, r.err
	}
	return shift.Report{Kind: shift.Z, Shift: sh.ID, Store: sh.Store, Terminal: sh.Terminal, Status: sh.Status,
		OpenedBy: sh.OpenedBy, Opened: sh.Opened, At: sh.Closed, Currency: sh.Currency, Operators: sh.Users,
		CustomerCount: len(entries)}, nil
}

// closeEvent decodes the closing entry's payload.
func closeEvent(t *testing.T, e journal.Entry) shift.Event {
	t.Helper()
	require.Equal(t, journal.ShiftClose, e.Kind)
	var ev shift.Event
	require.NoError(t, json.Unmarshal(e.Payload, &ev))
	return ev
}

func testCloseShift(t *testing.T, open Open) {
	t.Run("builds the Z from the shift's journal and stores it", func(t *testing.T) {
		st := open(t, Default(t))
		require.NoError(t, st.AppendJournal(ctx, journal.Entry{Time: t0, Kind: journal.SignIn, Operator: Manager}))
		a := newShift("shift-a", TerminalID, t0)
		openShift(t, st, a)
		require.NoError(t, st.ShiftMovement(ctx, a.ID, []shift.Status{shift.Open}, movement(t, a, shift.FloatEntry, 100, t0)))
		require.NoError(t, st.Suspend(ctx, openCart("susp-a", Cashier, a.ID, line(1, "10001", 1, 129)), suspendAt(t0)))
		closed := t0.Add(8 * time.Hour)
		rec := &recorder{}
		z, err := st.CloseShift(ctx, a.ID, false, shiftEntry(t, journal.ShiftClose, a, closed), rec.build)
		require.NoError(t, err)

		require.Equal(t, 1, rec.calls)
		assert.Equal(t, shift.Closed, rec.sh.Status, "the builder sees the closed shift")
		assert.True(t, rec.sh.Closed.Equal(closed))
		assert.Equal(t, Manager, rec.sh.ClosedBy)
		assert.Equal(t, a.StartSeq, rec.sh.StartSeq)
		all := journalOf(t, st)
		require.Len(t, all, 5)
		assert.Equal(t, all[1:], rec.entries, "the builder gets the journal from the opening to the closing entry")
		ev := closeEvent(t, all[4])
		assert.Equal(t, a.ID, ev.Shift)
		assert.Equal(t, TerminalID, ev.Terminal, "the caller's event is kept")
		assert.Empty(t, ev.Voided)

		want, err := (&recorder{}).build(rec.sh, rec.entries)
		require.NoError(t, err)
		assert.Equal(t, want, z)
		got, err := st.Shift(ctx, a.ID)
		require.NoError(t, err)
		assert.Equal(t, shift.Closed, got.Status)
		assert.True(t, got.Closed.Equal(closed))
		assert.Equal(t, Manager, got.ClosedBy)
		last, err := st.LastZ(ctx)
		require.NoError(t, err)
		assert.Equal(t, z, last)
		list, err := st.Suspended(ctx)
		require.NoError(t, err)
		assert.Len(t, list, 1, "suspended carts are kept unless voided")

		_, err = st.CloseShift(ctx, a.ID, false, shiftEntry(t, journal.ShiftClose, a, closed), rec.build)
		requireStatusConflict(t, err, shift.Closed)
		assert.Equal(t, 1, rec.calls, "a refused close builds nothing")
		assert.Len(t, journalOf(t, st), 5)
	})
	t.Run("voids the shift's suspended carts when asked", func(t *testing.T) {
		st := open(t, Default(t))
		a := newShift("shift-a", TerminalID, t0)
		b := newShift("shift-b", "T2", t0)
		openShift(t, st, a)
		openShift(t, st, b)
		for i, c := range []*cart.Cart{
			openCart("a-2", Cashier, a.ID, line(1, "10001", 1, 129)),
			openCart("b-1", Cashier, b.ID, line(1, "10001", 1, 129)),
			openCart("a-1", Cashier, a.ID, line(1, "10002", 1, 899)),
			openCart("none", Cashier, "", line(1, "30003", 1, 199)),
		} {
			at := map[string]time.Duration{"a-2": 2, "b-1": 1, "a-1": 1, "none": 3}[c.ID]
			require.NoError(t, st.Suspend(ctx, c, suspendAt(t0.Add(at*time.Minute))), "cart %d", i)
		}
		rec := &recorder{}
		_, err := st.CloseShift(ctx, a.ID, true, shiftEntry(t, journal.ShiftClose, a, t0.Add(time.Hour)), rec.build)
		require.NoError(t, err)
		all := journalOf(t, st)
		ev := closeEvent(t, all[len(all)-1])
		assert.Equal(t, []string{"a-1", "a-2"}, ev.Voided, "the shift's suspended carts, oldest first")
		assert.Equal(t, ev, closeEvent(t, rec.entries[len(rec.entries)-1]), "the builder sees the voided list")
		list, err := st.Suspended(ctx)
		require.NoError(t, err)
		var left []string
		for _, s := range list {
			left = append(left, s.ID)
		}
		assert.Equal(t, []string{"b-1", "none"}, left, "other shifts' carts are kept")
	})
	t.Run("only open or blind-closed shifts close", func(t *testing.T) {
		st := open(t, Default(t))
		a := newShift("shift-a", TerminalID, t0)
		b := newShift("shift-b", "T2", t0)
		openShift(t, st, a)
		openShift(t, st, b)
		setStatus(t, st, a, shift.BlindClosed, journal.ShiftBlindClose)
		setStatus(t, st, b, shift.Suspended, journal.ShiftSuspend)
		rec := &recorder{}
		_, err := st.CloseShift(ctx, a.ID, false, shiftEntry(t, journal.ShiftClose, a, t0.Add(time.Hour)), rec.build)
		require.NoError(t, err, "a blind-closed shift closes")
		_, err = st.CloseShift(ctx, b.ID, false, shiftEntry(t, journal.ShiftClose, b, t0.Add(time.Hour)), rec.build)
		requireStatusConflict(t, err, shift.Suspended)
		assert.Equal(t, 1, rec.calls)
		got, err := st.Shift(ctx, b.ID)
		require.NoError(t, err)
		assert.Equal(t, shift.Suspended, got.Status)
	})
	t.Run("a failing report changes nothing", func(t *testing.T) {
		boom := errors.New("the report does not add up")
		tests := []struct {
			name string
			err  error
			kind poserr.Kind
		}{
			{"a plain error is a storage failure", boom, poserr.Storage},
			{"a domain error passes through", poserr.E(poserr.Invalid, "error.shift.none", "bad report"), poserr.Invalid},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				st := open(t, Default(t))
				a := newShift("shift-a", TerminalID, t0)
				openShift(t, st, a)
				require.NoError(t, st.Suspend(ctx, openCart("susp-a", Cashier, a.ID, line(1, "10001", 1, 129)), suspendAt(t0)))
				rec := &recorder{err: tt.err}
				_, err := st.CloseShift(ctx, a.ID, true, shiftEntry(t, journal.ShiftClose, a, t0.Add(time.Hour)), rec.build)
				requireKind(t, err, tt.kind)
				assert.ErrorIs(t, err, tt.err)
				assert.Equal(t, 1, rec.calls)
				got, err := st.Shift(ctx, a.ID)
				require.NoError(t, err)
				assert.Equal(t, shift.Open, got.Status)
				assert.Len(t, journalOf(t, st), 2, "no closing entry")
				list, err := st.Suspended(ctx)
				require.NoError(t, err)
				assert.Len(t, list, 1, "the suspended cart was not voided")
				_, err = st.LastZ(ctx)
				requireKind(t, err, poserr.NotFound)
			})
		}
	})
	t.Run("LastZ is the latest close", func(t *testing.T) {
		st := open(t, Default(t))
		a := newShift("shift-a", "T1", t0)
		b := newShift("shift-b", "T2", t0.Add(time.Hour))
		c := newShift("shift-c", "T3", t0.Add(2*time.Hour))
		for _, sh := range []*shift.Shift{a, b, c} {
			openShift(t, st, sh)
		}
		rec := &recorder{}
		for _, step := range []struct {
			sh   *shift.Shift
			at   time.Duration
			want string
		}{{b, 5, "shift-b"}, {a, 6, "shift-a"}, {c, 4, "shift-a"}} {
			_, err := st.CloseShift(ctx, step.sh.ID, false, shiftEntry(t, journal.ShiftClose, step.sh, t0.Add(step.at*time.Hour)), rec.build)
			require.NoError(t, err)
			z, err := st.LastZ(ctx)
			require.NoError(t, err)
			assert.Equal(t, step.want, z.Shift, "after closing %s", step.sh.ID)
		}
	})
	t.Run("a real Z report reads back unchanged", func(t *testing.T) {
		st := open(t, Default(t))
		a := newShift("shift-a", TerminalID, t0)
		openShift(t, st, a)
		c := sale("txn-a", line(1, "10002", 2, 899), line(2, "10001", 1, 129))
		c.Shift = a.ID
		commit(t, st, c)
		require.NoError(t, st.ShiftMovement(ctx, a.ID, []shift.Status{shift.Open}, movement(t, a, shift.Declaration, 1927, t0.Add(time.Hour))))
		tenders := []tender.Type{{ID: "cash", Name: "Cash", Kind: cart.Cash, GivesChange: true}}
		build := func(sh shift.Shift, es []journal.Entry) (shift.Report, error) {
			return shift.Build(shift.Z, sh, es, tenders, time.UTC)
		}
		z, err := st.CloseShift(ctx, a.ID, false, shiftEntry(t, journal.ShiftClose, a, t0.Add(2*time.Hour)), build)
		require.NoError(t, err)
		assert.Equal(t, 1, z.SaleCount, "the sale is in the shift's journal")
		last, err := st.LastZ(ctx)
		require.NoError(t, err)
		assert.Equal(t, z, last)
	})
}
