package pos_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/pos"
	"github.com/opentill/opentill/pos/journal"
	"github.com/opentill/opentill/pos/money"
	"github.com/opentill/opentill/pos/poserr"
	"github.com/opentill/opentill/pos/shift"
	"github.com/opentill/opentill/pos/staff"
)

// shiftTill is a test till whose store requires a shift for sales and has
// an income and an expense account. voidSuspended sets the close policy.
func shiftTill(t *testing.T, voidSuspended bool) *till {
	t.Helper()
	return withShifts(t, newTill(t, true), voidSuspended)
}

// withShifts gives a till shiftTill's setup.
func withShifts(t *testing.T, tl *till, voidSuspended bool) *till {
	t.Helper()
	setup := tl.Setup()
	setup.Shifts = shift.Policy{Required: true, VoidSuspendedAtClose: voidSuspended}
	setup.Accounts = []shift.Account{{ID: "LOTTO", Name: "Lottery", Kind: shift.IncomeAccount}, {ID: "POSTAGE", Name: "Postage", Kind: shift.ExpenseAccount}}
	require.NoError(t, tl.store.SaveSetup(context.Background(), setup))
	tl.Register = pos.NewRegister(setup, tl.store, pos.Options{Terminal: tl.term, Now: tl.clock})
	return tl
}

// clock is the till's test clock: one second per call.
func (tl *till) clock() time.Time { tl.now = tl.now.Add(time.Second); return tl.now }

// second opens another register (terminal T2) on the same store.
func (tl *till) second(t *testing.T) *till {
	t.Helper()
	setup := tl.Setup()
	setup.TerminalID = "T2"
	t2 := &till{store: tl.store, term: tl.term, dir: tl.dir, now: tl.now}
	t2.Register = pos.NewRegister(setup, tl.store, pos.Options{Terminal: tl.term, Now: t2.clock})
	return t2
}

func kindOf(t *testing.T, err error) poserr.Kind {
	t.Helper()
	require.Error(t, err)
	return poserr.KindOf(err)
}

func TestNoSaleWithoutAShift(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name  string
		setup []pos.Operation
		op    pos.Operation
		want  poserr.Kind // Other = succeeds
	}{
		{"sale refused without shift", nil, pos.ProductSale{Barcode: bcMilk}, poserr.Conflict},
		{"return refused without shift", nil, pos.ReturnProduct{Barcode: bcMilk}, poserr.Conflict},
		{"sale after open", []pos.Operation{pos.OpenShift{StartAmount: 10000}}, pos.ProductSale{Barcode: bcMilk}, poserr.Other},
		{"non-drawer sells", []pos.Operation{pos.NonDrawerMode{}}, pos.ProductSale{Barcode: bcMilk}, poserr.Other},
		{"non-drawer takes no cash", []pos.Operation{pos.NonDrawerMode{}, pos.ProductSale{Barcode: bcMilk}}, pos.PayCash{}, poserr.Conflict},
		{"non-drawer takes card", []pos.Operation{pos.NonDrawerMode{}, pos.ProductSale{Barcode: bcMilk}}, pos.PayCard{}, poserr.Other},
		{"no movement without shift", nil, pos.FloatEntry{Amount: 100}, poserr.Conflict},
		{"non-drawer entry does not break the X report", []pos.Operation{pos.OpenShift{}, pos.NonDrawerMode{}}, pos.PrintXReport{}, poserr.Other},
		{"no second shift", []pos.Operation{pos.OpenShift{}}, pos.OpenShift{}, poserr.Conflict},
		{"no close during a sale", []pos.Operation{pos.OpenShift{}, pos.ProductSale{Barcode: bcMilk}}, pos.CloseShift{}, poserr.Conflict},
		{"no close before the count", []pos.Operation{pos.OpenShift{}}, pos.CloseShift{}, poserr.Conflict},
		{"close after the count", []pos.Operation{pos.OpenShift{StartAmount: 5000}, pos.DeclareTender{Amount: 5000}}, pos.CloseShift{}, poserr.Other},
		{"bank drop needs a bag", []pos.Operation{pos.OpenShift{StartAmount: 5000}}, pos.BankDrop{Amount: 100}, poserr.Invalid},
		{"unknown account", []pos.Operation{pos.OpenShift{}}, pos.IncomeEntry{Account: "NOPE", Amount: 100}, poserr.Invalid},
		{"income to an expense account", []pos.Operation{pos.OpenShift{}}, pos.IncomeEntry{Account: "POSTAGE", Amount: 100}, poserr.Invalid},
		{"no-sale refused during a sale", []pos.Operation{pos.OpenShift{}, pos.ProductSale{Barcode: bcMilk}}, pos.OpenDrawer{}, poserr.Conflict},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tl := shiftTill(t, false)
			tl.do(t, pos.SignIn{OperatorID: "2001", Secret: "2468"})
			for _, op := range tt.setup {
				tl.do(t, op)
			}
			_, err := tl.Do(ctx, tt.op)
			if tt.want == poserr.Other {
				require.NoError(t, err)
				return
			}
			assert.Equal(t, tt.want, kindOf(t, err), "%v", err)
		})
	}
}

// TestShiftPermissions runs the new operations as a cashier of the test
// store (who has none of them) and with a manager's override.
func TestShiftPermissions(t *testing.T) {
	ctx := context.Background()
	ops := []pos.Operation{pos.OpenShift{StartAmount: 100}, pos.FloatEntry{Amount: 100}, pos.TenderRemoval{Amount: 100}, pos.SafeDrop{Amount: 100},
		pos.BankDrop{Amount: 100, Bag: "B1"}, pos.IncomeEntry{Account: "LOTTO", Amount: 100}, pos.ExpenseEntry{Account: "POSTAGE", Amount: 100},
		pos.OpenDrawer{}, pos.DeclareTender{Amount: 100}, pos.DeclareStart{Amount: 100}, pos.PrintXReport{}, pos.SuspendShift{}, pos.BlindCloseShift{},
		pos.CloseShift{}, pos.ReprintZReport{}, pos.ResumeShift{}, pos.JoinShift{}, pos.NonDrawerMode{}}
	for _, op := range ops {
		info, _ := pos.NewRegistry().Spec(op.OpID())
		t.Run(info.Name, func(t *testing.T) {
			tl := shiftTill(t, false)
			if op.OpID() != pos.OpOpenShift {
				tl.do(t, pos.SignIn{OperatorID: "2001", Secret: "2468"})
				tl.do(t, pos.OpenShift{StartAmount: 10000})
				tl.do(t, pos.SignOut{})
			}
			tl.do(t, pos.SignIn{OperatorID: "1001", Secret: "1234"})
			_, err := tl.Do(ctx, op)
			assert.Equal(t, poserr.NotPermitted, kindOf(t, err), "%v", err)
			_, err = tl.Do(ctx, pos.Approved{Op: op, ManagerID: "2001", Secret: "2468"})
			if err != nil {
				assert.NotEqual(t, poserr.NotPermitted, poserr.KindOf(err), "%v", err)
			}
		})
	}
}

// TestMultipleUsersOnOneShift: another operator needs "multiple shift logon"
// to sell in a shift they did not open; every movement records who made it.
func TestMultipleUsersOnOneShift(t *testing.T) {
	ctx := context.Background()
	tl := shiftTill(t, false)
	require.NoError(t, tl.store.PutRole(ctx, staff.Role{ID: "cashier", Name: "Cashier", Permissions: append(append([]staff.Permission(nil), cashierOps...),
		ops(pos.OpJoinShift, pos.OpFloatEntry, pos.OpSignOut)...)}))
	tl.do(t, pos.SignIn{OperatorID: "2001", Secret: "2468"})
	tl.do(t, pos.OpenShift{StartAmount: 10000})
	tl.do(t, pos.SignOut{})

	tl.do(t, pos.SignIn{OperatorID: "1001", Secret: "1234"})
	assert.Equal(t, poserr.Conflict, kindOf(t, tl.fail(t, pos.ProductSale{Barcode: bcMilk})))
	tl.do(t, pos.JoinShift{})
	tl.do(t, pos.ProductSale{Barcode: bcMilk})
	tl.do(t, pos.PayCash{})
	tl.do(t, pos.FloatEntry{Amount: 2000, Reason: "coins from the safe"})

	var moves []shift.Movement
	require.NoError(t, tl.store.JournalEach(ctx, func(e journal.Entry) error {
		if e.Kind == journal.CashMovement {
			var m shift.Movement
			require.NoError(t, json.Unmarshal(e.Payload, &m))
			moves = append(moves, m)
		}
		return nil
	}))
	require.Len(t, moves, 1)
	assert.Equal(t, "1001", moves[0].Operator)
	assert.Equal(t, "coins from the safe", moves[0].Reason)
	assert.Equal(t, "T1", moves[0].Terminal)
	assert.False(t, moves[0].Time.IsZero())

	res := tl.do(t, pos.Approved{Op: pos.PrintXReport{}, ManagerID: "2001", Secret: "2468"})
	assert.ElementsMatch(t, []string{"2001", "1001"}, res.Report.Operators)
	assert.Equal(t, 1, res.Report.SaleCount)
}

// TestFloatingTill suspends a shift on one register, resumes it on another
// of the same store, blind-closes it there and counts and closes it from
// the first.
func TestFloatingTill(t *testing.T) {
	ctx := context.Background()
	t1 := shiftTill(t, false)
	t1.do(t, pos.SignIn{OperatorID: "2001", Secret: "2468"})
	sh := t1.do(t, pos.OpenShift{StartAmount: 10000}).Shift
	t1.do(t, pos.ProductSale{Barcode: bcWine})
	t1.do(t, pos.PayCash{Amount: 1000}) // 8.99 → 9.00 cash rounding, change 1.00
	t1.do(t, pos.SuspendShift{})
	assert.Equal(t, poserr.Conflict, kindOf(t, t1.fail(t, pos.ProductSale{Barcode: bcMilk})))

	t2 := t1.second(t)
	t2.do(t, pos.SignIn{OperatorID: "2001", Secret: "2468"})
	list := t2.do(t, pos.ResumeShift{}).Shifts
	require.Len(t, list, 1)
	assert.Equal(t, shift.Suspended, list[0].Status)
	t2.do(t, pos.ResumeShift{ID: sh.ID})
	t2.do(t, pos.ProductSale{Barcode: bcMilk})
	t2.do(t, pos.PayCard{})
	t2.do(t, pos.BlindCloseShift{})
	assert.Equal(t, poserr.Conflict, kindOf(t, t2.fail(t, pos.FloatEntry{Amount: 100})))

	// Counted later, on the first register.
	t1.do(t, pos.DeclareTender{Shift: sh.ID, Amount: 10900})
	z := t1.do(t, pos.CloseShift{ID: sh.ID}).Report
	assert.Equal(t, 2, z.CustomerCount)
	assert.Equal(t, money.Amount(10900), z.Tender("cash").Expected)
	assert.Equal(t, money.Amount(0), z.Tender("cash").OverShort)
	assert.Equal(t, money.Amount(129), z.Tender("card").Tendered)
	assert.Equal(t, money.Amount(1), z.Rounding)
	got, err := t1.store.Shift(ctx, sh.ID)
	require.NoError(t, err)
	assert.Equal(t, shift.Closed, got.Status)
	assert.Equal(t, poserr.Conflict, kindOf(t, t2.fail(t, pos.CloseShift{ID: sh.ID})))
	again := t2.do(t, pos.ReprintZReport{}).Report
	assert.Equal(t, *z, *again)
}

func TestSuspendedTransactionsAtClose(t *testing.T) {
	for _, void := range []bool{false, true} {
		t.Run(map[bool]string{false: "kept", true: "voided"}[void], func(t *testing.T) {
			ctx := context.Background()
			tl := shiftTill(t, void)
			tl.do(t, pos.SignIn{OperatorID: "2001", Secret: "2468"})
			tl.do(t, pos.OpenShift{})
			tl.do(t, pos.ProductSale{Barcode: bcMilk})
			tl.do(t, pos.Suspend{})
			tl.do(t, pos.DeclareTender{Amount: 0})
			z := tl.do(t, pos.CloseShift{}).Report
			assert.Equal(t, 1, z.SuspendedCount)
			left, err := tl.store.Suspended(ctx)
			require.NoError(t, err)
			if void {
				assert.Empty(t, left)
				assert.Equal(t, 1, z.VoidCount)
			} else {
				assert.Len(t, left, 1)
				assert.Equal(t, 0, z.VoidCount)
			}
		})
	}
}

// TestZReportFromTheJournalAlone recomputes the Z from the journal entries
// read back from the file and gets the stored report.
func TestZReportFromTheJournalAlone(t *testing.T) {
	ctx := context.Background()
	tl := withShifts(t, newSQLiteTill(t, true), false)
	tl.do(t, pos.SignIn{OperatorID: "2001", Secret: "2468"})
	tl.do(t, pos.OpenShift{StartAmount: 15000})
	tl.do(t, pos.ProductSale{Barcode: bcWine})
	tl.do(t, pos.ProductSale{Barcode: bcMilk})
	tl.do(t, pos.PayCard{Amount: 500})
	tl.do(t, pos.PayCash{Amount: 2000})
	tl.do(t, pos.IncomeEntry{Account: "LOTTO", Amount: 250, Reason: "ticket"})
	tl.do(t, pos.SafeDrop{Amount: 5000})
	tl.do(t, pos.BankDrop{Amount: 2000, Bag: "BAG9"})
	tl.do(t, pos.DeclareTender{TenderID: "cash", Counts: []shift.Count{{Value: 5000, Qty: 1}, {Value: 2000, Qty: 2}, {Value: 100, Qty: 5}}})
	tl.do(t, pos.DeclareTender{TenderID: "cash", Counts: []shift.Count{{Value: 5000, Qty: 1}, {Value: 2000, Qty: 2}, {Value: 50, Qty: 17}}}) // recount replaces
	z := tl.do(t, pos.CloseShift{}).Report

	r2 := reopen(t, tl)
	var all []journal.Entry
	require.NoError(t, r2.store.JournalEach(ctx, func(e journal.Entry) error { all = append(all, e); return nil }))
	require.NoError(t, journal.Verify(all))
	sh, err := r2.store.Shift(ctx, z.Shift)
	require.NoError(t, err)
	again, err := shift.Build(shift.Z, sh, all, tl.Setup().TenderTypes, nil)
	require.NoError(t, err)
	assert.Equal(t, *z, again)
	stored, err := r2.store.LastZ(ctx)
	require.NoError(t, err)
	assert.Equal(t, *z, stored)
	// 150.00 + 20.00 − change (8.99+1.29−5.00 = 5.28 → 5.30 cash, change 14.70) + 2.50 − 50.00 − 20.00
	assert.Equal(t, money.Amount(15000+2000-1470+250-5000-2000), z.Tender("cash").Expected)
	assert.Equal(t, money.Amount(9850), z.Tender("cash").Declared)
	assert.Equal(t, money.Amount(9850-8780), z.OverShort)
}
