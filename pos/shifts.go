package pos

import (
	"context"
	"encoding/json"
	"strings"
	"time"

	"github.com/opentill/opentill/pos/cart"
	"github.com/opentill/opentill/pos/journal"
	"github.com/opentill/opentill/pos/money"
	"github.com/opentill/opentill/pos/poserr"
	"github.com/opentill/opentill/pos/shift"
	"github.com/opentill/opentill/pos/tender"
)

// Shift events.
const (
	ShiftChanged EventType = "shift_changed" // opened, resumed, joined, suspended, blind-closed or closed
	DrawerOpened EventType = "drawer_opened" // a cash movement or a no-sale opened the drawer
)

// shiftState is the register's side of the shift: the open shift it is
// attached to and who works in non-drawer mode.
type shiftState struct {
	cur       *shift.Shift
	nonDrawer string // operator ID in non-drawer mode
	// looked says the store was asked for the terminal's open shift. Only
	// this register opens, resumes and closes shifts on its terminal, so
	// after one look cur stays right without asking again.
	looked bool
}

// CurrentShift returns the open shift the register works in, if any. After a
// restart the terminal's open shift is found in the store.
func (r *Register) CurrentShift(ctx context.Context) (*shift.Shift, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if err := r.attach(ctx); err != nil {
		return nil, err
	}
	if r.shifts.cur == nil {
		return nil, nil
	}
	cp := *r.shifts.cur
	return &cp, nil
}

// NonDrawer reports whether the signed-in operator works in non-drawer mode.
func (r *Register) NonDrawer() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.operator != nil && r.shifts.nonDrawer == r.operator.ID
}

// attach finds the terminal's open shift after a restart.
func (r *Register) attach(ctx context.Context) error {
	if r.shifts.cur != nil || r.shifts.looked {
		return nil
	}
	sh, err := r.store.OpenShiftOn(ctx, r.setup.TerminalID)
	if poserr.Is(err, poserr.NotFound) {
		r.shifts.looked = true
		return nil
	}
	if err != nil {
		return err
	}
	r.shifts.cur, r.shifts.looked = &sh, true
	return nil
}

// shiftID is the shift the current operator rings transactions up in.
func (r *Register) shiftID() string {
	if r.shifts.cur == nil || r.operator == nil || !r.shifts.cur.HasUser(r.operator.ID) {
		return ""
	}
	return r.shifts.cur.ID
}

// shiftGate refuses sales, returns and payments without an open shift the
// operator works in, when the store requires shifts.
func (r *Register) shiftGate(ctx context.Context, spec *OpSpec) error {
	if !spec.NeedsShift || r.quote {
		return nil
	}
	id := spec.ID
	if err := r.attach(ctx); err != nil {
		return err
	}
	if r.shiftID() != "" {
		return nil
	}
	if r.shifts.nonDrawer == r.operator.ID {
		if id == OpPayCash || id == OpPayCashExact {
			return poserr.E(poserr.Conflict, "error.shift.non_drawer_cash", "there is no drawer in non-drawer mode: take the payment by card, or open a shift")
		}
		return nil
	}
	if !r.setup.Shifts.Required {
		return nil
	}
	if r.shifts.cur != nil {
		return poserr.Sentinel(ErrNotShiftUser, poserr.Conflict, "error.shift.not_user", "the shift on this register was opened by %s: join it (multiple shift logon) or sign in as them", r.shifts.cur.OpenedBy)
	}
	return poserr.Sentinel(ErrNoShift, poserr.Conflict, "error.shift.none", "no shift is open on this register: open or resume a shift first (or work in non-drawer mode)")
}

// myShift returns the open shift the operator works in, or a Conflict.
func (r *Register) myShift(ctx context.Context) (*shift.Shift, error) {
	if err := r.attach(ctx); err != nil {
		return nil, err
	}
	if r.shifts.cur == nil {
		return nil, poserr.Sentinel(ErrNoShift, poserr.Conflict, "error.shift.none", "no shift is open on this register: open or resume a shift first (or work in non-drawer mode)")
	}
	if !r.shifts.cur.HasUser(r.operator.ID) {
		return nil, poserr.Sentinel(ErrNotShiftUser, poserr.Conflict, "error.shift.not_user", "the shift on this register was opened by %s: join it (multiple shift logon) or sign in as them", r.shifts.cur.OpenedBy)
	}
	return r.shifts.cur, nil
}

// shiftOps registers opening, joining and leaving shifts, in the order the
// shift screen lists them.
func shiftOps(g *Registry) {
	builtin(g, OpSpec{ID: OpOpenShift, Name: "Open shift", Permission: perm(OpOpenShift), Offline: true, Group: GroupShift,
		Doc: "Open a new shift on this register, optionally with its start amount."},
		func(r *Register, ctx context.Context, o OpenShift, _ *authority) (Result, error) {
			return r.openShift(ctx, o)
		})
	builtin(g, OpSpec{ID: OpResumeShift, Name: "Resume shift", Permission: perm(OpResumeShift), Offline: true, Group: GroupShift,
		Doc: "Resume a suspended shift on this register (floating till), or take back this register's open shift; no ID lists the shifts that can be resumed or closed."},
		func(r *Register, ctx context.Context, o ResumeShift, _ *authority) (Result, error) {
			return r.resumeShift(ctx, o)
		})
	builtin(g, OpSpec{ID: OpJoinShift, Name: "Allow multiple shift logon", Permission: perm(OpJoinShift), Offline: true, Group: GroupShift,
		Doc: "Work in the shift another operator opened on this register."},
		func(r *Register, ctx context.Context, _ JoinShift, _ *authority) (Result, error) {
			return r.joinShift(ctx)
		})
	builtin(g, OpSpec{ID: OpNonDrawerMode, Name: "Non-drawer mode", Permission: perm(OpNonDrawerMode), Offline: true, Group: GroupShift,
		Doc: "Work without a drawer: sales and card payments without a shift, no cash."},
		func(r *Register, ctx context.Context, _ NonDrawerMode, _ *authority) (Result, error) {
			return r.nonDrawerMode(ctx)
		})
}

// cashOps registers cash management, counting and the shift's reports, in
// the order the shift screen lists them.
func cashOps(g *Registry) {
	builtin(g, OpSpec{ID: OpDeclareStart, Name: "Declare start amount", Permission: perm(OpDeclareStart), Offline: true, Group: GroupCash,
		Doc: "Set the cash the drawer starts with (replaces an earlier start amount)."},
		func(r *Register, ctx context.Context, o DeclareStart, _ *authority) (Result, error) {
			amt := o.Amount
			if len(o.Counts) > 0 {
				amt = shift.Total(o.Counts)
			}
			return r.movement(ctx, shift.Movement{Kind: shift.StartAmount, Tender: o.TenderID, Amount: amt, Counts: o.Counts}, OpDeclareStart, true)
		})
	builtin(g, OpSpec{ID: OpFloatEntry, Name: "Float entry", Permission: perm(OpFloatEntry), Offline: true, Group: GroupCash,
		Doc: "Put cash into the drawer, with a reason."},
		func(r *Register, ctx context.Context, o FloatEntry, _ *authority) (Result, error) {
			return r.movement(ctx, shift.Movement{Kind: shift.FloatEntry, Tender: o.TenderID, Amount: o.Amount, Reason: o.Reason}, OpFloatEntry, false)
		})
	builtin(g, OpSpec{ID: OpTenderRemoval, Name: "Tender removal", Permission: perm(OpTenderRemoval), Offline: true, Group: GroupCash,
		Doc: "Take cash out of the drawer, with a reason."},
		func(r *Register, ctx context.Context, o TenderRemoval, _ *authority) (Result, error) {
			return r.movement(ctx, shift.Movement{Kind: shift.Removal, Tender: o.TenderID, Amount: o.Amount, Reason: o.Reason}, OpTenderRemoval, false)
		})
	builtin(g, OpSpec{ID: OpSafeDrop, Name: "Safe drop", Permission: perm(OpSafeDrop), Offline: true, Group: GroupCash,
		Doc: "Move cash from the drawer to the store safe."},
		func(r *Register, ctx context.Context, o SafeDrop, _ *authority) (Result, error) {
			return r.movement(ctx, shift.Movement{Kind: shift.SafeDrop, Tender: o.TenderID, Amount: o.Amount, Reason: o.Reason}, OpSafeDrop, false)
		})
	builtin(g, OpSpec{ID: OpBankDrop, Name: "Bank drop", Permission: perm(OpBankDrop), Offline: true, Group: GroupCash,
		Doc: "Move cash from the drawer to a bank bag (bag number recorded)."},
		func(r *Register, ctx context.Context, o BankDrop, _ *authority) (Result, error) {
			if strings.TrimSpace(o.Bag) == "" {
				return Result{}, poserr.E(poserr.Invalid, "error.shift.no_bag", "enter the bank bag number")
			}
			return r.movement(ctx, shift.Movement{Kind: shift.BankDrop, Tender: o.TenderID, Amount: o.Amount, Bag: strings.TrimSpace(o.Bag), Reason: o.Reason}, OpBankDrop, false)
		})
	builtin(g, OpSpec{ID: OpIncomeAccount, Name: "Income accounts", Permission: perm(OpIncomeAccount), Offline: true, Group: GroupCash,
		Doc: "Take cash in for a non-sale reason, booked to an income account."},
		func(r *Register, ctx context.Context, o IncomeEntry, _ *authority) (Result, error) {
			return r.account(ctx, shift.IncomeAccount, o.Account, o.Amount, o.Reason, OpIncomeAccount)
		})
	builtin(g, OpSpec{ID: OpExpenseAccount, Name: "Expense accounts", Permission: perm(OpExpenseAccount), Offline: true, Group: GroupCash,
		Doc: "Pay cash out for a non-sale reason, booked to an expense account."},
		func(r *Register, ctx context.Context, o ExpenseEntry, _ *authority) (Result, error) {
			return r.account(ctx, shift.ExpenseAccount, o.Account, o.Amount, o.Reason, OpExpenseAccount)
		})
	builtin(g, OpSpec{ID: OpOpenDrawer, Name: "Open drawer", Permission: perm(OpOpenDrawer), Offline: true, Group: GroupCash,
		Doc: "Open the cash drawer without a sale (journaled as a no-sale)."},
		func(r *Register, ctx context.Context, o OpenDrawer, _ *authority) (Result, error) {
			return r.noSale(ctx, o)
		})
	builtin(g, OpSpec{ID: OpTenderDeclaration, Name: "Tender declaration", Permission: perm(OpTenderDeclaration), Offline: true, Group: GroupCash,
		Doc: "Count a tender (cash by denomination) into the shift; a later count of the same tender replaces it. Works on a blind-closed shift from any register."},
		func(r *Register, ctx context.Context, o DeclareTender, _ *authority) (Result, error) {
			return r.declare(ctx, o)
		})
	builtin(g, OpSpec{ID: OpPrintXReport, Name: "Print X report", Permission: perm(OpPrintXReport), Offline: true, Group: GroupCash,
		Doc: "The shift's figures so far, from the journal."},
		func(r *Register, ctx context.Context, o PrintXReport, _ *authority) (Result, error) {
			return r.xReport(ctx, o)
		})
	builtin(g, OpSpec{ID: OpSuspendShift, Name: "Suspend shift", Permission: perm(OpSuspendShift), Offline: true, Group: GroupCash,
		Doc: "Put the shift aside (floating till): it can be resumed on this or another register."},
		func(r *Register, ctx context.Context, _ SuspendShift, _ *authority) (Result, error) {
			return r.leaveShift(ctx, shift.Suspended, journal.ShiftSuspend, OpSuspendShift)
		})
	builtin(g, OpSpec{ID: OpBlindCloseShift, Name: "Blind close shift", Permission: perm(OpBlindCloseShift), Offline: true, Group: GroupCash,
		Doc: "Close the shift without counting: the register is free; the declaration and the close follow later from any register of the store."},
		func(r *Register, ctx context.Context, _ BlindCloseShift, _ *authority) (Result, error) {
			return r.leaveShift(ctx, shift.BlindClosed, journal.ShiftBlindClose, OpBlindCloseShift)
		})
	builtin(g, OpSpec{ID: OpCloseShift, Name: "Close shift", Permission: perm(OpCloseShift), Offline: true, Group: GroupCash,
		Doc: "Close the shift: over/short per tender and the Z report (refused while a sale is in progress or a cash tender is not declared)."},
		func(r *Register, ctx context.Context, o CloseShift, _ *authority) (Result, error) {
			return r.closeShift(ctx, o)
		})
	builtin(g, OpSpec{ID: OpReprintZReport, Name: "Reprint Z report", Permission: perm(OpReprintZReport), Offline: true, Group: GroupCash,
		Doc: "Print the Z report of the last closed shift again."},
		func(r *Register, ctx context.Context, _ ReprintZReport, _ *authority) (Result, error) {
			return r.reprintZ(ctx)
		})
}

// nonDrawerMode lets the operator work without a shift and drawer.
func (r *Register) nonDrawerMode(ctx context.Context) (Result, error) {
	e := r.entry(journal.ShiftResume, OpNonDrawerMode)
	payload, err := json.Marshal(shift.Event{Terminal: r.setup.TerminalID, Operator: r.operator.ID, Time: r.opt.Now().UTC()})
	if err != nil {
		return Result{}, err
	}
	e.Payload = payload
	if err := r.store.AppendJournal(ctx, e); err != nil {
		return Result{}, err
	}
	r.shifts.nonDrawer = r.operator.ID
	return Result{}, nil
}

func (r *Register) refuseOpenCart(what string) error {
	if r.cart != nil && !r.cart.IsEmpty() {
		return poserr.E(poserr.Conflict, "error.shift.sale_in_progress", "a sale is in progress: finish, void or suspend it before %s", what)
	}
	return nil
}

func (r *Register) cashTender(id string) (tender.Type, error) {
	var tt tender.Type
	var ok bool
	if id == "" {
		tt, ok = r.setup.FirstTender(cart.Cash)
	} else {
		tt, ok = r.setup.TenderType(id)
	}
	if !ok {
		return tt, poserr.E(poserr.Invalid, "error.tender.unknown", "the store has no tender %q", id)
	}
	return tt, nil
}

func (r *Register) shiftEvent(sh *shift.Shift) shift.Event {
	ev := shift.Event{Shift: sh.ID, Terminal: r.setup.TerminalID, Operator: r.operator.ID, Time: r.opt.Now().UTC()}
	if r.auth != nil && r.auth.approver != nil {
		ev.Approver = r.auth.approver.ID // a manager's override travels with the event
	}
	return ev
}

func (r *Register) openShift(ctx context.Context, o OpenShift) (Result, error) {
	if err := r.attach(ctx); err != nil {
		return Result{}, err
	}
	if r.shifts.cur != nil {
		return Result{}, poserr.E(poserr.Conflict, "error.shift.already_open", "shift %s is already open on this register", r.shifts.cur.ID)
	}
	if o.StartAmount < 0 {
		return Result{}, poserr.E(poserr.Invalid, "error.shift.negative", "enter the amount as a positive number")
	}
	now := r.opt.Now().UTC()
	sh := &shift.Shift{ID: r.opt.NewID(), Store: r.setup.StoreID, Terminal: r.setup.TerminalID, Status: shift.Open,
		OpenedBy: r.operator.ID, Opened: now, Currency: r.setup.Currency, Users: []string{r.operator.ID}}
	ev := r.shiftEvent(sh)
	if o.StartAmount > 0 {
		tt, err := r.cashTender(o.TenderID)
		if err != nil {
			return Result{}, err
		}
		ev.Start = &shift.Movement{Shift: sh.ID, Kind: shift.StartAmount, Tender: tt.ID, Amount: o.StartAmount,
			Operator: r.operator.ID, Terminal: r.setup.TerminalID, Time: now}
	}
	e := r.entry(journal.ShiftOpen, OpOpenShift)
	if err := e.SetPayload(ev); err != nil {
		return Result{}, err
	}
	if err := r.store.OpenShift(ctx, sh, e); err != nil {
		return Result{}, err
	}
	r.shifts.cur = sh
	r.shifts.nonDrawer = ""
	r.event(Event{Type: ShiftChanged, Operator: r.operator.ID})
	if o.StartAmount > 0 {
		r.event(Event{Type: DrawerOpened, Operator: r.operator.ID})
	}
	cp := *sh
	return Result{Shift: &cp}, nil
}

func (r *Register) resumeShift(ctx context.Context, o ResumeShift) (Result, error) {
	if strings.TrimSpace(o.ID) == "" {
		list, err := r.store.Shifts(ctx, shift.Suspended, shift.BlindClosed)
		return Result{Shifts: list}, err
	}
	if err := r.attach(ctx); err != nil {
		return Result{}, err
	}
	if r.shifts.cur != nil && r.shifts.cur.ID != o.ID {
		return Result{}, poserr.E(poserr.Conflict, "error.shift.already_open", "shift %s is already open on this register", r.shifts.cur.ID)
	}
	sh, err := r.store.Shift(ctx, strings.TrimSpace(o.ID))
	if err != nil {
		return Result{}, err
	}
	if sh.Status == shift.Open && sh.Terminal == r.setup.TerminalID {
		if !sh.HasUser(r.operator.ID) {
			return Result{}, poserr.Sentinel(ErrNotShiftUser, poserr.Conflict, "error.shift.not_user", "the shift on this register was opened by %s: join it (multiple shift logon) or sign in as them", sh.OpenedBy)
		}
		r.shifts.cur = &sh
		cp := sh
		return Result{Shift: &cp}, nil
	}
	if sh.Status != shift.Suspended {
		return Result{}, poserr.E(poserr.Conflict, "error.shift.not_suspended", "shift %s is %s: only a suspended shift can be resumed", sh.ID, sh.Status)
	}
	sh.Status, sh.Terminal = shift.Open, r.setup.TerminalID
	if !sh.HasUser(r.operator.ID) {
		sh.Users = append(sh.Users, r.operator.ID)
	}
	e := r.entry(journal.ShiftResume, OpResumeShift)
	if err := e.SetPayload(r.shiftEvent(&sh)); err != nil {
		return Result{}, err
	}
	if err := r.store.UpdateShift(ctx, sh, []shift.Status{shift.Suspended}, e); err != nil {
		return Result{}, err
	}
	r.shifts.cur = &sh
	r.shifts.nonDrawer = ""
	r.event(Event{Type: ShiftChanged, Operator: r.operator.ID})
	cp := sh
	return Result{Shift: &cp}, nil
}

func (r *Register) joinShift(ctx context.Context) (Result, error) {
	if err := r.attach(ctx); err != nil {
		return Result{}, err
	}
	if r.shifts.cur == nil {
		return Result{}, poserr.Sentinel(ErrNoShift, poserr.Conflict, "error.shift.none", "no shift is open on this register: open or resume a shift first (or work in non-drawer mode)")
	}
	sh := *r.shifts.cur
	if sh.HasUser(r.operator.ID) {
		return Result{Shift: &sh}, nil
	}
	sh.Users = append(append([]string(nil), sh.Users...), r.operator.ID)
	e := r.entry(journal.ShiftResume, OpJoinShift)
	if err := e.SetPayload(r.shiftEvent(&sh)); err != nil {
		return Result{}, err
	}
	if err := r.store.UpdateShift(ctx, sh, []shift.Status{shift.Open}, e); err != nil {
		return Result{}, err
	}
	r.shifts.cur = &sh
	r.event(Event{Type: ShiftChanged, Operator: r.operator.ID})
	cp := sh
	return Result{Shift: &cp}, nil
}

// movement journals a cash movement in the operator's open shift.
func (r *Register) movement(ctx context.Context, m shift.Movement, op OpID, zeroOK bool) (Result, error) {
	sh, err := r.myShift(ctx)
	if err != nil {
		return Result{}, err
	}
	if m.Amount < 0 || (m.Amount == 0 && !zeroOK) {
		return Result{}, poserr.E(poserr.Invalid, "error.shift.amount", "enter an amount above zero")
	}
	tt, err := r.cashTender(m.Tender)
	if err != nil {
		return Result{}, err
	}
	m.Tender = tt.ID
	m.Reason = strings.TrimSpace(m.Reason)
	if err := r.checkOutflow(ctx, sh, &m); err != nil {
		return Result{}, err
	}
	return r.journalMovement(ctx, sh, m, op, []shift.Status{shift.Open})
}

func (r *Register) journalMovement(ctx context.Context, sh *shift.Shift, m shift.Movement, op OpID, allowed []shift.Status) (Result, error) {
	m.Shift, m.Operator, m.Terminal, m.Time = sh.ID, r.operator.ID, r.setup.TerminalID, r.opt.Now().UTC()
	if tt, ok := r.setup.TenderType(m.Tender); ok && tt.Kind == cart.Currency {
		// counted and moved in its own currency, at today's rate
		rate, ok := r.setup.ExchangeRates[tt.Foreign.Code]
		if !ok || rate <= 0 {
			e := poserr.E(poserr.Conflict, "error.currency.no_rate", "the store has no exchange rate for %s: the store server sets it", tt.Foreign.Code)
			e.Args = map[string]any{"currency": tt.Foreign.Code}
			return Result{}, e
		}
		m.Currency, m.Rate = tt.Foreign, rate
	}
	e := r.entry(journal.CashMovement, op)
	if err := e.SetPayload(m); err != nil {
		return Result{}, err
	}
	if err := r.store.ShiftMovement(ctx, sh.ID, allowed, e); err != nil {
		return Result{}, err
	}
	if m.Kind != shift.Declaration {
		r.event(Event{Type: DrawerOpened, Operator: r.operator.ID})
	}
	cp := *sh
	res := Result{Shift: &cp}
	if x, err := r.drawerReport(ctx, sh); err == nil {
		held := x.Tender(m.Tender).Expected
		res.DrawerCash = &held
	} // the movement is journaled; without the figure the screen just does not confirm it
	return res, nil
}

func (r *Register) account(ctx context.Context, kind shift.AccountKind, id string, amt money.Amount, reason string, op OpID) (Result, error) {
	id = strings.TrimSpace(id)
	found := false
	for _, a := range r.setup.Accounts {
		if a.ID == id && a.Kind == kind {
			found = true
		}
	}
	if !found {
		return Result{}, poserr.E(poserr.Invalid, "error.shift.account", "the store has no %s account %q", kind, id)
	}
	mk := shift.Income
	if kind == shift.ExpenseAccount {
		mk = shift.Expense
	}
	return r.movement(ctx, shift.Movement{Kind: mk, Account: id, Amount: amt, Reason: reason}, op, false)
}

func (r *Register) noSale(ctx context.Context, o OpenDrawer) (Result, error) {
	if err := r.refuseOpenCart("opening the drawer"); err != nil {
		return Result{}, err
	}
	return r.movement(ctx, shift.Movement{Kind: shift.NoSale, Reason: o.Reason}, OpOpenDrawer, true)
}

// declare counts a tender into the register's shift or a blind-closed one.
func (r *Register) declare(ctx context.Context, o DeclareTender) (Result, error) {
	var sh *shift.Shift
	allowed := []shift.Status{shift.Open}
	if id := strings.TrimSpace(o.Shift); id != "" && (r.shifts.cur == nil || r.shifts.cur.ID != id) {
		s, err := r.store.Shift(ctx, id)
		if err != nil {
			return Result{}, err
		}
		if s.Status != shift.BlindClosed {
			return Result{}, poserr.E(poserr.Conflict, "error.shift.declare_other", "shift %s is %s: only a blind-closed shift can be counted from another register", s.ID, s.Status)
		}
		sh, allowed = &s, []shift.Status{shift.BlindClosed}
	} else {
		var err error
		if sh, err = r.myShift(ctx); err != nil {
			return Result{}, err
		}
	}
	var tt tender.Type
	var ok bool
	if o.TenderID == "" {
		tt, ok = r.setup.FirstTender(cart.Cash)
	} else {
		tt, ok = r.setup.TenderType(o.TenderID)
	}
	if !ok {
		return Result{}, poserr.E(poserr.Invalid, "error.tender.unknown", "the store has no tender %q", o.TenderID)
	}
	amt := o.Amount
	for _, c := range o.Counts {
		if c.Qty < 0 || c.Value <= 0 {
			return Result{}, poserr.E(poserr.Invalid, "error.shift.count", "a count needs a face value above zero and a number of pieces not below zero")
		}
	}
	if len(o.Counts) > 0 {
		amt = shift.Total(o.Counts)
	}
	if amt < 0 {
		return Result{}, poserr.E(poserr.Invalid, "error.shift.negative", "enter the amount as a positive number")
	}
	return r.journalMovement(ctx, sh, shift.Movement{Kind: shift.Declaration, Tender: tt.ID, Amount: amt, Counts: o.Counts}, OpTenderDeclaration, allowed)
}

// leaveShift suspends or blind-closes the register's shift.
func (r *Register) leaveShift(ctx context.Context, to shift.Status, kind journal.Kind, op OpID) (Result, error) {
	sh, err := r.myShift(ctx)
	if err != nil {
		return Result{}, err
	}
	if err := r.refuseOpenCart("leaving the shift"); err != nil {
		return Result{}, err
	}
	next := *sh
	next.Status = to
	e := r.entry(kind, op)
	if err := e.SetPayload(r.shiftEvent(&next)); err != nil {
		return Result{}, err
	}
	if err := r.store.UpdateShift(ctx, next, []shift.Status{shift.Open}, e); err != nil {
		return Result{}, err
	}
	r.shifts.cur = nil
	r.event(Event{Type: ShiftChanged, Operator: r.operator.ID})
	return Result{Shift: &next}, nil
}

// builder returns the Z report builder of this register's setup.
func (r *Register) builder(kind shift.ReportKind) ReportBuilder {
	loc := tzLocation(r.setup.Header.TimeZone)
	return func(sh shift.Shift, entries []journal.Entry) (shift.Report, error) {
		return shift.Build(kind, sh, entries, r.setup.TenderTypes, loc)
	}
}

func (r *Register) closeShift(ctx context.Context, o CloseShift) (Result, error) {
	var sh shift.Shift
	if id := strings.TrimSpace(o.ID); id != "" && (r.shifts.cur == nil || r.shifts.cur.ID != id) {
		s, err := r.store.Shift(ctx, id)
		if err != nil {
			return Result{}, err
		}
		if s.Status != shift.BlindClosed {
			return Result{}, poserr.E(poserr.Conflict, "error.shift.close_other", "shift %s is %s: from another register only a blind-closed shift can be closed", s.ID, s.Status)
		}
		sh = s
	} else {
		s, err := r.myShift(ctx)
		if err != nil {
			return Result{}, err
		}
		if err := r.refuseOpenCart("closing the shift"); err != nil {
			return Result{}, err
		}
		sh = *s
	}
	entries, err := r.store.ShiftJournal(ctx, sh)
	if err != nil {
		return Result{}, err
	}
	x, err := shift.Build(shift.X, sh, entries, r.setup.TenderTypes, nil)
	if err != nil {
		return Result{}, err
	}
	if missing := x.Undeclared(); len(missing) > 0 {
		e := poserr.E(poserr.Conflict, "error.shift.undeclared", "declare %s before closing the shift", strings.Join(missing, ", "))
		e.Args = map[string]any{"tenders": strings.Join(missing, ", ")}
		return Result{}, e
	}
	ev := r.shiftEvent(&sh)
	approver, err := r.checkOverShort(x, o.Reason)
	if err != nil {
		return Result{}, err
	}
	if approver != "" {
		ev.Approver, ev.Reason = approver, strings.TrimSpace(o.Reason)
	}
	e := r.entry(journal.ShiftClose, OpCloseShift)
	e.Approver = approver
	if err := e.SetPayload(ev); err != nil {
		return Result{}, err
	}
	z, err := r.store.CloseShift(ctx, sh.ID, r.setup.Shifts.VoidSuspendedAtClose, e, r.builder(shift.Z))
	if err != nil {
		return Result{}, err
	}
	if r.shifts.cur != nil && r.shifts.cur.ID == sh.ID {
		r.shifts.cur = nil
	}
	sh.Status = shift.Closed
	r.event(Event{Type: ShiftChanged, Operator: r.operator.ID})
	return Result{Shift: &sh, Report: &z}, nil
}

func (r *Register) xReport(ctx context.Context, o PrintXReport) (Result, error) {
	var sh shift.Shift
	if id := strings.TrimSpace(o.ID); id != "" {
		s, err := r.store.Shift(ctx, id)
		if err != nil {
			return Result{}, err
		}
		sh = s
	} else {
		s, err := r.myShift(ctx)
		if err != nil {
			return Result{}, err
		}
		sh = *s
	}
	entries, err := r.store.ShiftJournal(ctx, sh)
	if err != nil {
		return Result{}, err
	}
	rep, err := r.builder(shift.X)(sh, entries)
	if err != nil {
		return Result{}, err
	}
	rep.At = r.opt.Now().UTC()
	e := r.entry(journal.ShiftReport, OpPrintXReport)
	if err := e.SetPayload(map[string]string{"shift": sh.ID, "report": "X"}); err != nil {
		return Result{}, err
	}
	if err := r.store.AppendJournal(ctx, e); err != nil {
		return Result{}, err
	}
	return Result{Shift: &sh, Report: &rep}, nil
}

func (r *Register) reprintZ(ctx context.Context) (Result, error) {
	z, err := r.store.LastZ(ctx)
	if err != nil {
		return Result{}, err
	}
	e := r.entry(journal.ShiftReport, OpReprintZReport)
	if err := e.SetPayload(map[string]string{"shift": z.Shift, "report": "Z"}); err != nil {
		return Result{}, err
	}
	if err := r.store.AppendJournal(ctx, e); err != nil {
		return Result{}, err
	}
	return Result{Report: &z}, nil
}

// tzLocation loads a time zone by name; nil for "" or an unknown name.
func tzLocation(name string) *time.Location {
	if name == "" {
		return nil
	}
	l, err := time.LoadLocation(name)
	if err != nil {
		return nil
	}
	return l
}
