package storetest

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/pos/journal"
	"github.com/opentill/opentill/pos/poserr"
	"github.com/opentill/opentill/pos/staff"
)

func testOperators(t *testing.T, open Open) {
	seed := Default(t)
	pins := map[string]string{Cashier: CashierPIN, Manager: ManagerPIN, LockedOut: CashierPIN}
	t.Run("lookups", func(t *testing.T) {
		st := open(t, seed)
		for _, want := range seed.Operators {
			got, err := st.Operator(ctx, want.ID)
			require.NoError(t, err, want.ID)
			assert.Equal(t, want, got)
			ok, err := staff.CheckPassword(pins[want.ID], got.PasswordHash)
			require.NoError(t, err)
			assert.True(t, ok, "the stored hash checks the operator's PIN")
		}
		for _, want := range seed.Roles {
			got, err := st.Role(ctx, want.ID)
			require.NoError(t, err, want.ID)
			if len(want.Permissions) == 0 {
				assert.Empty(t, got.Permissions)
				got.Permissions = want.Permissions
			}
			assert.Equal(t, want, got)
		}
	})
	t.Run("misses are NotFound", func(t *testing.T) {
		st := open(t, seed)
		tests := []struct {
			name string
			find func() error
		}{
			{"unknown operator", func() error { _, err := st.Operator(ctx, "9999"); return err }},
			{"empty operator ID", func() error { _, err := st.Operator(ctx, ""); return err }},
			{"role ID as operator", func() error { _, err := st.Operator(ctx, "cashier"); return err }},
			{"unknown role", func() error { _, err := st.Role(ctx, "ghost"); return err }},
			{"operator ID as role", func() error { _, err := st.Role(ctx, Cashier); return err }},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) { requireKind(t, tt.find(), poserr.NotFound) })
		}
	})
	t.Run("SetOperatorState", func(t *testing.T) {
		st := open(t, seed)
		steps := []struct {
			id     string
			failed int
			locked bool
			kind   journal.Kind
		}{
			{Cashier, 1, false, journal.SignInFailed},
			{Cashier, 5, true, journal.LockedOut},
			{LockedOut, 0, false, journal.Unlock},
			{Cashier, 0, false, journal.Unlock},
		}
		for i, s := range steps {
			e := journal.Entry{Time: t0, Kind: s.kind, Operator: s.id}
			require.NoError(t, st.SetOperatorState(ctx, s.id, s.failed, s.locked, e))
			o, err := st.Operator(ctx, s.id)
			require.NoError(t, err)
			assert.Equal(t, s.failed, o.FailedLogins, "step %d", i)
			assert.Equal(t, s.locked, o.Locked, "step %d", i)
			es := journalOf(t, st)
			require.Len(t, es, i+1, "each change journals one entry")
			assert.Equal(t, s.kind, es[i].Kind)
			assert.Equal(t, s.id, es[i].Operator)
		}
		m, err := st.Operator(ctx, Manager)
		require.NoError(t, err)
		assert.Equal(t, seed.Operators[1], m, "other operators are untouched")

		err = st.SetOperatorState(ctx, "9999", 1, false, journal.Entry{Time: t0, Kind: journal.SignInFailed})
		requireKind(t, err, poserr.NotFound)
		assert.Len(t, journalOf(t, st), len(steps), "a miss journals nothing")
	})
}

func testPINPepper(t *testing.T, open Open) {
	t.Run("a fresh store has none", func(t *testing.T) {
		st := open(t, Default(t))
		p, err := st.PINPepper(ctx)
		require.NoError(t, err)
		assert.Nil(t, p)
	})
	t.Run("set, replaced, kept with peppered operators", func(t *testing.T) {
		pa, pb := staff.NewPepper(), staff.NewPepper()
		h, err := staff.HashPeppered(CashierPIN, pa, staff.FastParams)
		require.NoError(t, err)
		seed := Default(t)
		seed.Pepper = pa
		seed.Operators = append(seed.Operators, staff.Operator{ID: "1003", Name: "Pia", RoleID: "cashier", PasswordHash: h})
		st := open(t, seed)
		got, err := st.PINPepper(ctx)
		require.NoError(t, err)
		assert.Equal(t, pa, got)
		o, err := st.Operator(ctx, "1003")
		require.NoError(t, err)
		assert.Equal(t, h, o.PasswordHash, "a peppered hash is stored as given")
		ok, err := staff.Check(CashierPIN, o.PasswordHash, got)
		require.NoError(t, err)
		assert.True(t, ok, "the stored hash checks with the stored pepper")

		sd, ok := st.(Seeder)
		if !ok {
			t.Skipf("%T has no seeding methods", st)
		}
		require.NoError(t, sd.SetPINPepper(ctx, pb))
		got, err = st.PINPepper(ctx)
		require.NoError(t, err)
		assert.Equal(t, pb, got, "replaced")
		got[0] ^= 0xff
		again, err := st.PINPepper(ctx)
		require.NoError(t, err)
		assert.Equal(t, pb, again, "the caller's copy is its own")
		for _, bad := range []staff.Pepper{nil, pb[:16], append(append(staff.Pepper{}, pb...), 0)} {
			requireKind(t, sd.SetPINPepper(ctx, bad), poserr.Invalid)
		}
		again, err = st.PINPepper(ctx)
		require.NoError(t, err)
		assert.Equal(t, pb, again, "a refused pepper changes nothing")
	})
}

func testJournal(t *testing.T, open Open) {
	st := open(t, Default(t))
	assert.Empty(t, journalOf(t, st), "a fresh store has an empty journal")
	in := []journal.Entry{
		{Time: t0, Kind: journal.Override, Operation: 104, TxnID: "txn-1", Operator: Cashier, Approver: Manager, Payload: []byte(`{"line": 1, "price": 99}`)},
		{Time: t0.Add(time.Minute).In(time.FixedZone("CET", 3600)), Kind: journal.Reprint, ReceiptNo: "S1-T1-000001", Operator: Manager},
		{Kind: journal.SignOut, Operator: Cashier}, // no time: the store stamps it
	}
	before := time.Now()
	for _, e := range in {
		require.NoError(t, st.AppendJournal(ctx, e))
	}
	after := time.Now()
	es := journalOf(t, st)
	require.Len(t, es, len(in))
	for i, e := range es {
		assert.Equal(t, int64(i+1), e.Seq)
		if i == 0 {
			assert.Equal(t, journal.Genesis, e.PrevHash)
		} else {
			assert.Equal(t, es[i-1].Hash, e.PrevHash, "entry %d links to the one before", i+1)
		}
		assert.Equal(t, e.Sum(), e.Hash)
		assert.Equal(t, in[i].Kind, e.Kind)
		assert.Equal(t, in[i].Operation, e.Operation)
		assert.Equal(t, in[i].TxnID, e.TxnID)
		assert.Equal(t, in[i].ReceiptNo, e.ReceiptNo)
		assert.Equal(t, in[i].Operator, e.Operator)
		assert.Equal(t, in[i].Approver, e.Approver)
		assert.Equal(t, time.UTC, e.Time.Location(), "times are kept in UTC")
	}
	assert.JSONEq(t, string(in[0].Payload), string(es[0].Payload))
	assert.Empty(t, es[1].Payload)
	assert.True(t, es[0].Time.Equal(t0))
	assert.True(t, es[1].Time.Equal(in[1].Time))
	assert.False(t, es[2].Time.Before(before.Truncate(time.Microsecond)) || es[2].Time.After(after), "an unset time is the time of appending: %v", es[2].Time)

	// The chain catches an edit: the stored hashes are real.
	edited := append([]journal.Entry(nil), es...)
	edited[1].Operator = "someone else"
	assert.Error(t, journal.Verify(edited))
}
