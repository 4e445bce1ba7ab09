package pos

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/opentill/opentill/pos/cart"
	"github.com/opentill/opentill/pos/journal"
	"github.com/opentill/opentill/pos/poserr"
	"github.com/opentill/opentill/pos/receipt"
	"github.com/opentill/opentill/pos/staff"
)

// authenticate checks an operator's secret, counting failures and locking
// the operator after staff.MaxFailedSignIns. Every outcome is journaled.
func (r *Register) authenticate(ctx context.Context, id, secret string, purpose OpID) (staff.Operator, staff.Role, error) {
	id = strings.TrimSpace(id)
	wrong := poserr.E(poserr.Unauthorized, "error.signin.wrong", "operator ID or password is wrong")
	if id == "" {
		return staff.Operator{}, staff.Role{}, poserr.E(poserr.Invalid, "error.signin.no_id", "enter your operator ID")
	}
	op, err := r.store.Operator(ctx, id)
	if err != nil {
		if poserr.Is(err, poserr.NotFound) {
			return op, staff.Role{}, wrong
		}
		return op, staff.Role{}, err
	}
	if op.Locked {
		return op, staff.Role{}, poserr.E(poserr.Locked, "error.signin.locked", "%s is locked after too many failed sign-ins: a manager must unlock", op.Name)
	}
	var pepper staff.Pepper
	if h, perr := staff.ParseHash(op.PasswordHash); perr == nil && h.Peppered() {
		if pepper, err = r.store.PINPepper(ctx); err != nil {
			return op, staff.Role{}, err
		}
	}
	ok, err := staff.Check(secret, op.PasswordHash, pepper)
	switch {
	case errors.Is(err, staff.ErrNoPepper):
		// Nothing was checked: the attempt does not count against the operator.
		return op, staff.Role{}, poserr.Wrap(err, poserr.Storage, "error.signin.no_pepper",
			"this till does not hold its store's PIN pepper, which the PIN of %s needs: connect the till to the store server and sync (or activate it again); the attempt was not counted", op.ID)
	case errors.Is(err, staff.ErrWrongPepper):
		return op, staff.Role{}, poserr.Wrap(err, poserr.Storage, "error.signin.other_pepper",
			"the PIN of %s was set with another PIN pepper than this till's (another store's, or before the store server's PIN key changed): sync the till with the store server, or have a manager set the PIN again; the attempt was not counted", op.ID)
	case err != nil:
		return op, staff.Role{}, poserr.Wrap(err, poserr.Storage, "error.signin.bad_hash", "the stored password of %s is damaged: a manager must reset it", op.ID)
	}
	if !ok && purpose != OpSignIn {
		// A wrong PIN at an override does not count against the manager's
		// sign-in: checkManager slows the register down instead.
		return op, staff.Role{}, wrong
	}
	if !ok {
		failed := op.FailedLogins + 1
		locked := failed >= staff.MaxFailedSignIns
		e := journal.Entry{Time: r.opt.Now().UTC(), Kind: journal.SignInFailed, Operation: int(purpose), Operator: op.ID}
		if locked {
			e.Kind = journal.LockedOut
		}
		if serr := r.store.SetOperatorState(ctx, op.ID, failed, locked, e); serr != nil {
			return op, staff.Role{}, serr
		}
		if locked {
			return op, staff.Role{}, poserr.E(poserr.Locked, "error.signin.now_locked", "%s is now locked after %d failed sign-ins: a manager must unlock", op.Name, failed)
		}
		wrong.Args = map[string]any{"left": staff.MaxFailedSignIns - failed}
		return op, staff.Role{}, wrong
	}
	role, err := r.store.Role(ctx, op.RoleID)
	if err != nil {
		return op, role, poserr.Wrap(err, poserr.Storage, "error.signin.no_role", "the role %q of %s is missing from the store", op.RoleID, op.ID)
	}
	if op.FailedLogins > 0 && purpose == OpSignIn {
		op.FailedLogins = 0
		e := journal.Entry{Time: r.opt.Now().UTC(), Kind: journal.SignIn, Operation: int(purpose), Operator: op.ID}
		if err := r.store.SetOperatorState(ctx, op.ID, 0, false, e); err != nil {
			return op, role, err
		}
	} else if purpose == OpSignIn {
		e := journal.Entry{Time: r.opt.Now().UTC(), Kind: journal.SignIn, Operation: int(purpose), Operator: op.ID}
		if err := r.store.AppendJournal(ctx, e); err != nil {
			return op, role, err
		}
	}
	return op, role, nil
}

func (r *Register) signIn(ctx context.Context, o SignIn) (Result, error) {
	if r.operator != nil && !r.locked {
		return Result{}, poserr.E(poserr.Conflict, "error.signin.already", "%s is signed in: sign out first", r.operator.Name)
	}
	if r.locked && strings.TrimSpace(o.OperatorID) != r.operator.ID {
		return Result{}, poserr.E(poserr.Conflict, "error.register.locked_by", "the register is locked by %s: only they can unlock it", r.operator.Name)
	}
	if err := r.runPre(ctx, o); err != nil {
		return Result{}, err
	}
	op, role, err := r.authenticate(ctx, o.OperatorID, o.Secret, OpSignIn)
	if err != nil {
		return Result{}, err
	}
	r.operator, r.role, r.locked = &op, role, false
	r.event(Event{Type: SignedIn, Operator: op.ID})
	return Result{Operator: &op, Cart: snapshot(r.cart)}, nil
}

// checkManager authenticates the approver of an override.
func (r *Register) checkManager(ctx context.Context, id, secret string) (staff.Operator, staff.Role, error) {
	if strings.TrimSpace(id) == r.operator.ID {
		return staff.Operator{}, staff.Role{}, poserr.E(poserr.NotPermitted, "error.override.same_user", "an override must come from another operator")
	}
	if wait := r.overrides.until.Sub(r.opt.Now()); wait > 0 {
		e := poserr.E(poserr.Locked, "error.override.wait", "too many wrong manager PINs at this register: wait %s before the next override", wait.Round(time.Second))
		e.Args = map[string]any{"seconds": int(wait.Round(time.Second) / time.Second)}
		return staff.Operator{}, staff.Role{}, e
	}
	mgr, role, err := r.authenticate(ctx, id, secret, 0)
	if poserr.KindOf(err) == poserr.Unauthorized {
		if aerr := r.overrideFailed(ctx, strings.TrimSpace(id)); aerr != nil {
			return mgr, role, aerr
		}
		return mgr, role, err
	}
	if err != nil {
		return mgr, role, err
	}
	r.overrides = overrideGate{}
	if !role.Manager {
		return mgr, role, poserr.E(poserr.NotPermitted, "error.override.not_manager", "%s is not a manager and cannot authorise overrides", mgr.Name)
	}
	return mgr, role, nil
}

func (r *Register) signOut(ctx context.Context) (Result, error) {
	if r.cart != nil && !r.cart.IsEmpty() {
		return Result{}, poserr.E(poserr.Conflict, "error.signout.open_cart", "finish, void or suspend the transaction before signing out")
	}
	e := r.entry(journal.SignOut, OpSignOut)
	if err := r.store.AppendJournal(ctx, e); err != nil {
		return Result{}, err
	}
	id := r.operator.ID
	r.operator, r.role, r.cart, r.locked = nil, staff.Role{}, nil, false
	r.event(Event{Type: SignedOut, Operator: id})
	return Result{}, nil
}

func (r *Register) unlockOperator(ctx context.Context, o UnlockOperator, a *authority) (Result, error) {
	if !a.role.Manager {
		return Result{}, poserr.E(poserr.NotPermitted, "error.unlock.not_manager", "only a manager can unlock an operator")
	}
	op, err := r.store.Operator(ctx, strings.TrimSpace(o.OperatorID))
	if err != nil {
		return Result{}, err
	}
	e := r.entry(journal.Unlock, OpUnlockOperator)
	if err := e.SetPayload(map[string]string{"unlocked": op.ID}); err != nil {
		return Result{}, err
	}
	if a.approver != nil {
		e.Approver = a.approver.ID
	}
	if err := r.store.SetOperatorState(ctx, op.ID, 0, false, e); err != nil {
		return Result{}, err
	}
	return Result{}, nil
}

func (r *Register) suspend(ctx context.Context) (Result, error) {
	c := r.cart
	if c == nil || c.IsEmpty() {
		return Result{}, poserr.E(poserr.Conflict, "error.cart.empty", "there is nothing to suspend")
	}
	if c.HasPayments() {
		return Result{}, poserr.E(poserr.Conflict, "error.suspend.payments", "a transaction with payments cannot be suspended: void the payments first")
	}
	c.Status = cart.Suspended
	c.Shift = r.shiftID()
	e := r.entry(journal.Suspend, OpSuspend)
	e.TxnID = c.ID
	if err := r.store.Suspend(ctx, c, e); err != nil {
		c.Status = cart.Open
		return Result{}, err
	}
	done := snapshot(c)
	r.cart = nil
	r.event(Event{Type: TransactionSuspended, Cart: done})
	return Result{Completed: done}, nil
}

func (r *Register) recall(ctx context.Context, o Recall) (Result, error) {
	if strings.TrimSpace(o.ID) == "" {
		list, err := r.store.Suspended(ctx)
		return Result{Suspended: list}, err
	}
	if err := r.noOpenCart(); err != nil {
		return Result{}, err
	}
	e := r.entry(journal.Recall, OpRecall)
	e.TxnID = o.ID
	c, err := r.store.Recall(ctx, o.ID, e)
	if err != nil {
		return Result{}, err
	}
	c.Status = cart.Open
	c.Operator = r.operator.ID
	r.cart = c
	if err := r.reprice(); err != nil {
		return Result{}, err
	}
	r.event(Event{Type: TransactionRecalled, Cart: snapshot(c)})
	return Result{}, nil
}

func (r *Register) reprint(ctx context.Context, o ReprintReceipt) (Result, error) {
	no := strings.TrimSpace(o.ReceiptNo)
	if no == "" {
		no = r.last
	}
	if no == "" {
		return Result{}, poserr.E(poserr.NotFound, "error.reprint.none", "no receipt has been printed on this till since sign-in; give a receipt number")
	}
	c, _, err := r.store.Transaction(ctx, no)
	if err != nil {
		return Result{}, err
	}
	rc := receipt.Build(c, r.setup.Header, r.operator.Name)
	rc.Copy = true
	if err := r.reprintExtras(ctx, rc, c.ID); err != nil {
		return Result{}, err
	}
	e := r.entry(journal.Reprint, OpReprintReceipt)
	e.TxnID, e.ReceiptNo = c.ID, c.ReceiptNo
	if err := r.store.AppendJournal(ctx, e); err != nil {
		return Result{}, err
	}
	return Result{Receipt: rc}, nil
}

// sessionOps registers signing in and out.
func sessionOps(g *Registry) {
	builtin(g, OpSpec{ID: OpSignIn, Name: "Log on", NoSignIn: true, Offline: true, Group: GroupSession,
		Doc: "Sign in with operator ID and password or PIN; five failures lock the operator."},
		func(r *Register, ctx context.Context, o SignIn, _ *authority) (Result, error) {
			return r.signIn(ctx, o)
		})
	builtin(g, OpSpec{ID: OpSignOut, Name: "Log off", Offline: true, Group: GroupSession,
		Doc: "Sign out (refused while a transaction is open)."},
		func(r *Register, ctx context.Context, _ SignOut, _ *authority) (Result, error) { return r.signOut(ctx) })
	builtin(g, OpSpec{ID: OpLock, Name: "Lock register", Offline: true, Group: GroupSession,
		Doc: "Lock the till; the same operator signs in again to unlock."},
		func(r *Register, _ context.Context, _ Lock, _ *authority) (Result, error) {
			r.locked = true
			r.event(Event{Type: RegisterLocked, Operator: r.operator.ID})
			return Result{}, nil
		})
	builtin(g, OpSpec{ID: OpUnlockOperator, Name: "Unlock operator", Permission: perm(OpUnlockOperator), Offline: true, Group: GroupManager,
		Doc: "A manager unlocks an operator locked by failed sign-ins."},
		func(r *Register, ctx context.Context, o UnlockOperator, a *authority) (Result, error) {
			return r.unlockOperator(ctx, o, a)
		})
}

// transactionOps registers the operations on the transaction as a whole.
func transactionOps(g *Registry) {
	builtin(g, OpSpec{ID: OpTxnComment, Name: "Transaction comment", Permission: perm(OpTxnComment), Offline: true, Quote: true, Group: GroupTransaction,
		Doc: "Add a comment to the transaction."},
		func(r *Register, _ context.Context, o TxnComment, _ *authority) (Result, error) {
			r.openCart().Comment = o.Text
			return Result{}, nil
		})
	builtin(g, OpSpec{ID: OpSuspend, Name: "Suspend transaction", Permission: perm(OpSuspend), Offline: true, Group: GroupTransaction,
		Doc: "Put the transaction aside (refused while payments exist)."},
		func(r *Register, ctx context.Context, _ Suspend, _ *authority) (Result, error) { return r.suspend(ctx) })
	builtin(g, OpSpec{ID: OpRecall, Name: "Recall transaction", Permission: perm(OpRecall), Offline: true, Group: GroupTransaction,
		Doc: "List suspended transactions or take one back."},
		func(r *Register, ctx context.Context, o Recall, _ *authority) (Result, error) {
			return r.recall(ctx, o)
		})
	builtin(g, OpSpec{ID: OpReprintReceipt, Name: "Reprint receipt", Permission: perm(OpReprintReceipt), Offline: true, Group: GroupTransaction,
		Doc: "Print a copy of a receipt from the local journal."},
		func(r *Register, ctx context.Context, o ReprintReceipt, _ *authority) (Result, error) {
			return r.reprint(ctx, o)
		})
}

// Manager overrides and wrong PINs.
//
// A wrong PIN typed into the override dialog never locks the manager out
// (a cashier could otherwise lock every manager of the store by guessing).
// Instead the register slows down: after the first wrong PIN the next
// override waits 2 s, and each further one doubles the wait, up to 5
// minutes; each failure is journaled as an override_failed alarm (the
// manager's ID tried, the count, the wait) for the loss-prevention report.
// A correct override resets the count. Sign-in is different: five wrong
// PINs at sign-in lock the operator until a manager unlocks them.

// overrideGate is the register's count of wrong override PINs.
type overrideGate struct {
	fails int
	until time.Time
}

// maxOverrideWait caps the delay after wrong override PINs.
const maxOverrideWait = 5 * time.Minute

// overrideFailed counts a wrong override PIN, sets the next wait and
// journals the alarm.
func (r *Register) overrideFailed(ctx context.Context, managerID string) error {
	r.overrides.fails++
	wait := 2 * time.Second << min(r.overrides.fails-1, 16)
	if wait > maxOverrideWait || wait <= 0 {
		wait = maxOverrideWait
	}
	r.overrides.until = r.opt.Now().Add(wait)
	e := r.entry(journal.OverrideFailed, 0)
	if err := e.SetPayload(map[string]any{"manager": managerID, "failures": r.overrides.fails, "wait_seconds": int(wait / time.Second)}); err != nil {
		return err
	}
	return r.store.AppendJournal(ctx, e)
}
