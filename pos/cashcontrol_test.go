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

// cashTill is a shift till whose policy allows a manager to overdraw and
// holds closes to a 5.00 over/short; its manager opened a shift with 200.00
// and signed out, and the cashier (who may make every cash movement) is in.
func cashTill(t *testing.T, overdraw bool) *till {
	t.Helper()
	tl := shiftTill(t, false)
	setup := tl.Setup()
	setup.Shifts.ManagerMayOverdraw = overdraw
	setup.Shifts.OverShortLimit = 500
	require.NoError(t, tl.store.SaveSetup(context.Background(), setup))
	tl.Register = pos.NewRegister(setup, tl.store, pos.Options{Terminal: tl.term, Now: tl.clock})
	tl.do(t, pos.SignIn{OperatorID: "2001", Secret: "2468"})
	tl.do(t, pos.OpenShift{StartAmount: 20000})
	return tl
}

func TestCashOutOfTheDrawerIsBoundedByWhatItHolds(t *testing.T) {
	ctx := context.Background()
	mgr := func(op pos.Operation) pos.Operation { return pos.Approved{Op: op, ManagerID: "2001", Secret: "2468"} }
	tests := []struct {
		name     string
		overdraw bool
		op       pos.Operation
		asMgr    bool
		kind     poserr.Kind
		key      string
	}{
		{"a safe drop within the drawer", false, pos.SafeDrop{Amount: 15000}, false, poserr.Other, ""},
		{"all of it", false, pos.TenderRemoval{Amount: 20000}, false, poserr.Other, ""},
		{"a safe drop of 10,000.00 from 200.00", false, pos.SafeDrop{Amount: 1_000_000}, false, poserr.Conflict, "error.cash.over_drawer"},
		{"not even a manager when the store does not allow it", false, pos.BankDrop{Amount: 20001, Bag: "B7"}, true, poserr.Conflict, "error.cash.over_drawer"},
		{"an expense payout past the drawer", false, pos.ExpenseEntry{Account: "POSTAGE", Amount: 25000}, false, poserr.Conflict, "error.cash.over_drawer"},
		{"the store allows a manager: the cashier is asked for one", true, pos.TenderRemoval{Amount: 30000}, false, poserr.LimitExceeded, "error.cash.over_drawer_manager"},
		{"the manager needs a reason", true, pos.TenderRemoval{Amount: 30000}, true, poserr.Invalid, "error.cash.reason"},
		{"the manager with a reason", true, pos.TenderRemoval{Amount: 30000, Reason: "change from the safe miscounted"}, true, poserr.Other, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tl := cashTill(t, tt.overdraw)
			op := tt.op
			if tt.asMgr {
				op = mgr(op)
			}
			tl.do(t, pos.SignOut{})
			require.NoError(t, tl.store.PutRole(ctx, withCashOps(t, tl)))
			tl.do(t, pos.SignIn{OperatorID: "1002", Secret: "1234"})
			tl.do(t, pos.JoinShift{})
			_, err := tl.Do(ctx, op)
			if tt.key == "" {
				require.NoError(t, err)
				return
			}
			require.Error(t, err)
			assert.Equal(t, tt.kind, poserr.KindOf(err), "%v", err)
			var pe *poserr.Error
			require.ErrorAs(t, err, &pe)
			assert.Equal(t, tt.key, pe.Key)
			x, err := tl.Do(ctx, pos.PrintXReport{})
			require.NoError(t, err)
			assert.Equal(t, money.Amount(20000), x.Report.Tender("cash").Expected, "nothing left the drawer")
		})
	}
}

// withCashOps gives the cashier role every cash movement and joining a shift.
func withCashOps(t *testing.T, tl *till) staff.Role {
	t.Helper()
	role, err := tl.store.Role(context.Background(), "cashier")
	require.NoError(t, err)
	role.Permissions = append(role.Permissions, ops(pos.OpTenderRemoval, pos.OpSafeDrop, pos.OpBankDrop, pos.OpExpenseAccount, pos.OpJoinShift, pos.OpPrintXReport, pos.OpTenderDeclaration, pos.OpCloseShift, pos.OpReprintZReport)...)
	return role
}

func TestAnApprovedOverdrawNamesTheManager(t *testing.T) {
	tl := cashTill(t, true)
	tl.do(t, pos.TenderRemoval{Amount: 30000, Reason: "float for the second till"}) // the manager himself
	var moved shift.Movement
	require.NoError(t, tl.store.JournalEach(context.Background(), func(e journal.Entry) error {
		if e.Kind == journal.CashMovement {
			return json.Unmarshal(e.Payload, &moved)
		}
		return nil
	}))
	assert.Equal(t, "2001", moved.Approver)
	assert.Equal(t, "float for the second till", moved.Reason)
}

func TestACloseBeyondTheOverShortLimitNeedsAManagerAndAReason(t *testing.T) {
	ctx := context.Background()
	tl := cashTill(t, false)
	tl.do(t, pos.SignOut{})
	require.NoError(t, tl.store.PutRole(ctx, withCashOps(t, tl)))
	tl.do(t, pos.SignIn{OperatorID: "1002", Secret: "1234"})
	tl.do(t, pos.JoinShift{})
	tl.do(t, pos.DeclareTender{TenderID: "cash", Amount: 19000}) // 10.00 short, the limit is 5.00
	_, err := tl.Do(ctx, pos.CloseShift{})
	assert.Equal(t, poserr.LimitExceeded, kindOf(t, err), "%v", err)
	_, err = tl.Do(ctx, pos.Approved{Op: pos.CloseShift{}, ManagerID: "2001", Secret: "2468"})
	assert.Equal(t, poserr.Invalid, kindOf(t, err), "a reason is needed too: %v", err)
	res := tl.do(t, pos.Approved{Op: pos.CloseShift{Reason: "a 10.00 note went to the safe without a drop"}, ManagerID: "2001", Secret: "2468"})
	require.NotNil(t, res.Report)
	z := *res.Report
	assert.Equal(t, money.Amount(-1000), z.OverShort)
	assert.Equal(t, "2001", z.OverShortApprover)
	assert.Equal(t, "a 10.00 note went to the safe without a drop", z.OverShortReason)
	text := tl.do(t, pos.ReprintZReport{}).Report
	require.NotNil(t, text)
	assert.Equal(t, "2001", text.OverShortApprover, "the reprinted Z, rebuilt from the journal, shows it too")
}

func TestWrongOverridePINsSlowTheRegisterAndNeverLockTheManager(t *testing.T) {
	ctx := context.Background()
	tl := newTill(t, true)
	now := time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC)
	tl.Register = pos.NewRegister(testSetup(true), tl.store, pos.Options{Now: func() time.Time { return now }})
	tl.do(t, pos.SignIn{OperatorID: "1001", Secret: "1234"})
	tl.do(t, pos.ProductSale{Barcode: bcCoat})
	disc := pos.LineDiscount{Line: 1, Percent: 3000}
	for i := 0; i < 7; i++ { // more wrong PINs than lock a sign-in
		_, err := tl.Do(ctx, pos.Approved{Op: disc, ManagerID: "2001", Secret: "0000"})
		assert.Equal(t, poserr.Unauthorized, kindOf(t, err), "%v", err)
		_, err = tl.Do(ctx, pos.Approved{Op: disc, ManagerID: "2001", Secret: "2468"})
		assert.Equal(t, poserr.Locked, kindOf(t, err), "even the right PIN waits: %v", err)
		wait := time.Duration(2<<i) * time.Second // 2 s, 4 s, 8 s…
		now = now.Add(wait - time.Second)
		_, err = tl.Do(ctx, pos.Approved{Op: disc, ManagerID: "2001", Secret: "2468"})
		if i > 0 {
			assert.Equal(t, poserr.Locked, kindOf(t, err), "the wait doubles: %v", err)
		}
		now = now.Add(time.Second)
	}
	mgr, err := tl.store.Operator(ctx, "2001")
	require.NoError(t, err)
	assert.False(t, mgr.Locked, "the manager is not locked out")
	assert.Zero(t, mgr.FailedLogins, "wrong override PINs do not count against the manager's sign-in")
	now = now.Add(maxWait)
	tl.do(t, pos.Approved{Op: disc, ManagerID: "2001", Secret: "2468"})
	var alarms int
	require.NoError(t, tl.store.JournalEach(ctx, func(e journal.Entry) error {
		if e.Kind == journal.OverrideFailed {
			alarms++
		}
		return nil
	}))
	assert.Positive(t, alarms, "each wrong PIN is journaled as an alarm")
	tl.do(t, pos.VoidTransaction{})
	tl.do(t, pos.SignOut{})
	tl.do(t, pos.SignIn{OperatorID: "2001", Secret: "2468"}) // the manager signs in as usual
}

const maxWait = 6 * time.Minute
