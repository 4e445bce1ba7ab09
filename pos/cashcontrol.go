package pos

import (
	"context"
	"strings"

	"github.com/opentill/opentill/pos/poserr"
	"github.com/opentill/opentill/pos/shift"
)

// Cash control: what leaves the drawer is bounded by what it should hold,
// and a close with a large difference needs a manager.
//
//   - A tender removal, safe drop, bank drop or expense payout of more cash
//     than the drawer should hold now (the X report's expected cash of that
//     tender) is refused. When the store allows it (shift.Policy
//     ManagerMayOverdraw) a manager can approve it with a reason; the
//     movement then names the manager in the journal.
//   - A close whose over/short is beyond the store's OverShortLimit, either
//     way, needs a manager (the operator being one, or an override) and a
//     reason; the Z report shows both.

// outflow says whether a movement takes cash out of the drawer.
func outflow(k shift.MovementKind) bool {
	switch k {
	case shift.Removal, shift.SafeDrop, shift.BankDrop, shift.Expense:
		return true
	}
	return false
}

// drawerReport is the X report of the shift as it stands.
func (r *Register) drawerReport(ctx context.Context, sh *shift.Shift) (shift.Report, error) {
	entries, err := r.store.ShiftJournal(ctx, *sh)
	if err != nil {
		return shift.Report{}, err
	}
	return shift.Build(shift.X, *sh, entries, r.setup.TenderTypes, nil)
}

// checkOutflow bounds a cash movement out of the drawer by the cash it
// should hold, recording the approving manager on m when one allowed more.
func (r *Register) checkOutflow(ctx context.Context, sh *shift.Shift, m *shift.Movement) error {
	if !outflow(m.Kind) {
		return nil
	}
	x, err := r.drawerReport(ctx, sh)
	if err != nil {
		return err
	}
	held := x.Tender(m.Tender).Expected
	if m.Amount <= held {
		return nil
	}
	args := map[string]any{"amount": r.amountFmt(m.Amount), "held": r.amountFmt(held)}
	if !r.setup.Shifts.ManagerMayOverdraw {
		e := poserr.E(poserr.Conflict, "error.cash.over_drawer", "the drawer should hold only %s, so %s cannot come out of it: count the drawer (tender declaration) or take out less", r.amountFmt(held), r.amountFmt(m.Amount))
		e.Args = args
		return e
	}
	if r.auth == nil || (r.auth.approver == nil && !r.role.Manager) {
		e := poserr.E(poserr.LimitExceeded, "error.cash.over_drawer_manager", "the drawer should hold only %s: taking out %s needs a manager and a reason", r.amountFmt(held), r.amountFmt(m.Amount))
		e.Args = args
		return e
	}
	if strings.TrimSpace(m.Reason) == "" {
		e := poserr.E(poserr.Invalid, "error.cash.reason", "the drawer should hold only %s: give the reason for taking out %s", r.amountFmt(held), r.amountFmt(m.Amount))
		e.Args = args
		return e
	}
	m.Approver = r.operator.ID
	if r.auth.approver != nil {
		m.Approver = r.auth.approver.ID
	}
	return nil
}

// checkOverShort holds a close to the store's over/short limit; it returns
// the manager who accepted a larger difference ("" when none was needed).
func (r *Register) checkOverShort(x shift.Report, reason string) (string, error) {
	limit := r.setup.Shifts.OverShortLimit
	if limit <= 0 || abs(x.OverShort) <= limit {
		return "", nil
	}
	args := map[string]any{"over_short": r.amountFmt(x.OverShort), "limit": r.amountFmt(limit)}
	var approver string
	switch {
	case r.auth != nil && r.auth.approver != nil:
		approver = r.auth.approver.ID
	case r.role.Manager:
		approver = r.operator.ID
	default:
		e := poserr.E(poserr.LimitExceeded, "error.cash.over_short_manager", "the drawer is %s over/short, beyond the store's %s: a manager must approve the close, with a reason", r.amountFmt(x.OverShort), r.amountFmt(limit))
		e.Args = args
		return "", e
	}
	if strings.TrimSpace(reason) == "" {
		e := poserr.E(poserr.Invalid, "error.cash.over_short_reason", "the drawer is %s over/short, beyond the store's %s: give the reason with the close", r.amountFmt(x.OverShort), r.amountFmt(limit))
		e.Args = args
		return "", e
	}
	return approver, nil
}
