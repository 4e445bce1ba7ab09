package pos

import (
	"context"
	"encoding/json"
	"fmt"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/opentill/opentill/pos/barcode"
	"github.com/opentill/opentill/pos/cart"
	"github.com/opentill/opentill/pos/catalog"
	"github.com/opentill/opentill/pos/journal"
	"github.com/opentill/opentill/pos/money"
	"github.com/opentill/opentill/pos/poserr"
	"github.com/opentill/opentill/pos/receipt"
	"github.com/opentill/opentill/pos/shift"
	"github.com/opentill/opentill/pos/staff"
	"github.com/opentill/opentill/pos/tender"
)

// Result is what an operation returns. Cart is a snapshot the caller may keep.
type Result struct {
	Cart       *cart.Cart
	Line       *cart.Line          // the line added or changed
	Product    *catalog.Product    // price check
	Products   []catalog.Product   // search
	Suspended  []SuspendedCart     // recall list
	Receipt    *receipt.Receipt    // set when a transaction completed or a copy was asked for
	Completed  *cart.Cart          // the transaction that just completed or was voided
	Operator   *staff.Operator     // sign-in
	Returnable map[int]catalog.Qty // return transaction: what is left to return per line
	Shift      *shift.Shift        // the shift an operation opened, changed or closed
	Shifts     []shift.Shift       // shifts that can be resumed or closed
	Report     *shift.Report       // X or Z report
}

// Trigger is an extension hook around every operation. PreOperation may
// cancel the operation by returning an error; PostOperation sees the result.
// Panics and overruns are contained by the register.
type Trigger interface {
	PreOperation(ctx context.Context, op Operation, s State) error
	PostOperation(ctx context.Context, op Operation, res Result, err error)
}

// State is what a trigger may read.
type State struct {
	Operator string
	Role     string
	Cart     *cart.Cart
}

// Options configure a register beyond its setup.
type Options struct {
	Terminal tender.PaymentTerminal // card payments; nil refuses cards
	Now      func() time.Time       // clock; nil = time.Now
	NewID    func() string          // transaction IDs; nil = UUIDv7
	Online   func() bool            // store server reachable; nil = always offline
	// TriggerTimeout bounds each trigger call; 0 = 2 s.
	TriggerTimeout time.Duration
}

// Register is one till: the signed-in operator, the open transaction and the
// operations on them. It is safe for concurrent use; operations run one at a
// time.
type Register struct {
	mu       sync.Mutex
	setup    Setup
	store    Store
	opt      Options
	parser   barcode.Parser
	operator *staff.Operator
	role     staff.Role
	locked   bool
	cart     *cart.Cart
	last     string // receipt number of the last completed transaction
	shifts   shiftState
	voids    cardVoids // card payments taken back that the terminal has not voided yet (cardvoid.go)

	subMu    sync.Mutex
	subs     map[int]func(Event)
	nextSub  int
	triggers []Trigger
	pending  []Event
}

// NewRegister builds a register on a store with the given setup.
func NewRegister(setup Setup, store Store, opt Options) *Register {
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.NewID == nil {
		opt.NewID = func() string { return uuid.Must(uuid.NewV7()).String() }
	}
	if opt.Online == nil {
		opt.Online = func() bool { return false }
	}
	if opt.TriggerTimeout == 0 {
		opt.TriggerTimeout = 2 * time.Second
	}
	if setup.MaxQuantity == 0 {
		setup.MaxQuantity = 9999 * int64(catalog.One)
	}
	masks := setup.Masks
	if masks == nil {
		masks = barcode.DefaultMasks()
	}
	return &Register{setup: setup, store: store, opt: opt, parser: barcode.Parser{Masks: masks}, subs: map[int]func(Event){}}
}

// AddTrigger registers an extension trigger.
func (r *Register) AddTrigger(t Trigger) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.triggers = append(r.triggers, t)
}

// Setup returns the register's setup.
func (r *Register) Setup() Setup { return r.setup }

// Operator returns the signed-in operator, if any.
func (r *Register) Operator() (staff.Operator, staff.Role, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.operator == nil {
		return staff.Operator{}, staff.Role{}, false
	}
	return *r.operator, r.role, true
}

// Locked reports whether the register is locked.
func (r *Register) Locked() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.locked
}

// Cart returns a snapshot of the open transaction, or nil.
func (r *Register) Cart() *cart.Cart {
	r.mu.Lock()
	defer r.mu.Unlock()
	return snapshot(r.cart)
}

// Can reports whether the signed-in operator may run an operation without an override.
func (r *Register) Can(id OpID) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	info, ok := opTable[id]
	if !ok || r.operator == nil {
		return false
	}
	return info.Permission == 0 || r.role.Allows(info.Permission)
}

// authority is who authorises the operation being run.
type authority struct {
	operator staff.Operator
	role     staff.Role
	approver *staff.Operator // set for a manager override
}

// Do runs an operation.
func (r *Register) Do(ctx context.Context, op Operation) (res Result, err error) {
	r.mu.Lock()
	events, res, err := r.do(ctx, op)
	triggers := r.triggers
	r.mu.Unlock()
	r.runPost(ctx, triggers, op, res, err)
	for _, e := range events {
		r.emit(e)
	}
	return res, err
}

func (r *Register) do(ctx context.Context, op Operation) ([]Event, Result, error) {
	r.pending = nil
	inner := op
	var approval *Approved
	if a, ok := op.(Approved); ok {
		approval, inner = &a, a.Op
	}
	if inner == nil {
		return nil, Result{}, poserr.E(poserr.Invalid, "error.op.missing", "no operation given")
	}
	id := inner.OpID()
	info, ok := opTable[id]
	if !ok {
		return nil, Result{}, poserr.E(poserr.Invalid, "error.op.unknown", "operation %d is not known to this till", id)
	}
	if !info.Offline && !r.opt.Online() {
		return nil, Result{}, poserr.E(poserr.Offline, "error.op.offline", "%s needs the store server, which cannot be reached", info.Name)
	}
	if id == OpSignIn {
		res, err := r.signIn(ctx, inner.(SignIn))
		return r.pending, res, err
	}
	if r.operator == nil {
		return nil, Result{}, poserr.E(poserr.Unauthorized, "error.op.signed_out", "sign in first")
	}
	if r.locked {
		return nil, Result{}, poserr.E(poserr.Locked, "error.register.locked", "the register is locked: %s must sign in again", r.operator.Name)
	}
	auth := authority{operator: *r.operator, role: r.role}
	if approval != nil {
		mgr, role, err := r.checkManager(ctx, approval.ManagerID, approval.Secret)
		if err != nil {
			return r.pending, Result{}, err
		}
		if info.Permission != 0 && !role.Allows(info.Permission) {
			return r.pending, Result{}, poserr.E(poserr.NotPermitted, "error.override.not_permitted", "%s may not authorise %s either", mgr.Name, info.Name)
		}
		auth.role, auth.approver = role, &mgr
	} else if info.Permission != 0 && !r.role.Allows(info.Permission) {
		e := poserr.E(poserr.NotPermitted, "error.op.not_permitted", "%s is not allowed to run %s: a manager can authorise it", r.operator.Name, info.Name)
		e.Args = map[string]any{"op": int(id)}
		return nil, Result{}, e
	}
	if err := r.runPre(ctx, inner); err != nil {
		return nil, Result{}, err
	}
	if err := r.shiftGate(ctx, id); err != nil {
		return r.pending, Result{}, err
	}
	res, err := r.handle(ctx, inner, &auth)
	if err == nil && auth.approver != nil {
		payload, _ := json.Marshal(map[string]any{"operation": int(id), "name": info.Name})
		entry := r.entry(journal.Override, id)
		entry.Approver = auth.approver.ID
		entry.Payload = payload
		if r.cart != nil {
			entry.TxnID = r.cart.ID
		} else if res.Completed != nil {
			entry.TxnID, entry.ReceiptNo = res.Completed.ID, res.Completed.ReceiptNo
		}
		if jerr := r.store.AppendJournal(ctx, entry); jerr != nil {
			return r.pending, res, jerr
		}
	}
	if err == nil && res.Cart == nil {
		res.Cart = snapshot(r.cart)
	}
	return r.pending, res, err
}

func (r *Register) handle(ctx context.Context, op Operation, a *authority) (Result, error) {
	switch o := op.(type) {
	case ProductSale:
		return r.productSale(ctx, o)
	case PriceCheck:
		p, _, err := r.resolve(ctx, o.Barcode, "")
		if err != nil {
			return Result{}, err
		}
		return Result{Product: &p}, nil
	case ProductSearch:
		limit := o.Limit
		if limit <= 0 || limit > 200 {
			limit = 20
		}
		ps, err := r.store.Search(ctx, o.Query, limit)
		return Result{Products: ps}, err
	case VoidLine:
		return r.voidLine(o)
	case SetQuantity:
		return r.setQuantity(ctx, o)
	case PriceOverride:
		return r.priceOverride(o, a)
	case LineDiscount:
		return r.lineDiscount(o, a)
	case TotalDiscount:
		return r.totalDiscount(o, a)
	case AddCoupon:
		return r.addCoupon(o)
	case RemoveCoupon:
		return r.removeCoupon(o)
	case LineComment:
		l, err := r.editableLine(o.Line, false)
		if err != nil {
			return Result{}, err
		}
		l.Comment = o.Text
		r.event(Event{Type: LineChanged, Line: copyLine(l)})
		return Result{Line: copyLine(l)}, nil
	case TxnComment:
		c := r.openCart()
		c.Comment = o.Text
		return Result{}, nil
	case ReturnProduct:
		return r.returnProduct(ctx, o, a)
	case ReturnTransaction:
		return r.returnTransaction(ctx, o, a)
	case ReprintReceipt:
		return r.reprint(ctx, o)
	case PayCash:
		return r.pay(ctx, cart.Cash, o.TenderID, o.Amount, OpPayCash)
	case PayCashExact:
		return r.pay(ctx, cart.Cash, o.TenderID, 0, OpPayCashExact)
	case PayCard:
		return r.pay(ctx, cart.Card, o.TenderID, o.Amount, OpPayCard)
	case VoidPayment:
		return r.voidPayment(ctx, o)
	case VoidTransaction:
		return r.voidTransaction(ctx)
	case Suspend:
		return r.suspend(ctx)
	case Recall:
		return r.recall(ctx, o)
	case SignOut:
		return r.signOut(ctx)
	case Lock:
		r.locked = true
		r.event(Event{Type: RegisterLocked, Operator: r.operator.ID})
		return Result{}, nil
	case UnlockOperator:
		return r.unlockOperator(ctx, o, a)
	case AddCustomer:
		if strings.TrimSpace(o.ID) == "" {
			return Result{}, poserr.E(poserr.Invalid, "error.customer.empty", "enter the customer's account number")
		}
		return r.setCustomer(o.ID)
	case ClearCustomer:
		return r.setCustomer("")
	}
	if res, ok, err := r.handleShift(ctx, op, a); ok {
		return res, err
	}
	return Result{}, poserr.E(poserr.Invalid, "error.op.unknown", "operation %d has no handler", op.OpID())
}

// entry starts a journal entry for the current operator.
func (r *Register) entry(kind journal.Kind, op OpID) journal.Entry {
	e := journal.Entry{Time: r.opt.Now().UTC(), Kind: kind, Operation: int(op)}
	if r.operator != nil {
		e.Operator = r.operator.ID
	}
	return e
}

// openCart returns the open transaction, starting one if needed.
func (r *Register) openCart() *cart.Cart {
	if r.cart == nil {
		r.cart = &cart.Cart{
			ID: r.opt.NewID(), Store: r.setup.StoreID, Terminal: r.setup.TerminalID, Operator: r.operator.ID,
			Currency: r.setup.Currency, Status: cart.Open, Started: r.opt.Now().UTC(),
		}
	}
	return r.cart
}

func (r *Register) reprice() error {
	p := r.setup.Pricing()
	p.Now = r.opt.Now()
	if err := r.cart.Reprice(p); err != nil {
		return poserr.Wrap(err, poserr.Other, "error.pricing", "the cart could not be priced; check the store's tax setup")
	}
	t := r.cart.Totals
	r.event(Event{Type: TotalsChanged, Totals: &t})
	return nil
}

func (r *Register) runPre(ctx context.Context, op Operation) error {
	if len(r.triggers) == 0 {
		return nil
	}
	s := State{Cart: snapshot(r.cart)}
	if r.operator != nil {
		s.Operator, s.Role = r.operator.ID, r.role.ID
	}
	for _, t := range r.triggers {
		if err := r.callPre(ctx, t, op, s); err != nil {
			if poserr.KindOf(err) == poserr.Other {
				return poserr.Wrap(err, poserr.Cancelled, "error.trigger.cancelled", "an extension cancelled the operation")
			}
			return err
		}
	}
	return nil
}

func (r *Register) callPre(ctx context.Context, t Trigger, op Operation, s State) (err error) {
	ctx, cancel := context.WithTimeout(ctx, r.opt.TriggerTimeout)
	defer cancel()
	done := make(chan error, 1)
	go func() {
		defer func() {
			if p := recover(); p != nil {
				done <- poserr.E(poserr.Cancelled, "error.trigger.panic", "an extension failed (%v) and the operation was not run", p)
			}
		}()
		done <- t.PreOperation(ctx, op, s)
	}()
	select {
	case err = <-done:
		return err
	case <-ctx.Done():
		return poserr.E(poserr.Cancelled, "error.trigger.timeout", "an extension did not answer in %s and the operation was not run", r.opt.TriggerTimeout)
	}
}

func (r *Register) runPost(ctx context.Context, triggers []Trigger, op Operation, res Result, err error) {
	for _, t := range triggers {
		func() {
			defer func() {
				if p := recover(); p != nil {
					r.emit(Event{Type: ExtensionFailed, Err: fmt.Errorf("extension post-trigger panicked: %v\n%s", p, debug.Stack())})
				}
			}()
			t.PostOperation(ctx, op, res, err)
		}()
	}
}

func snapshot(c *cart.Cart) *cart.Cart {
	if c == nil {
		return nil
	}
	cp := *c
	cp.Lines = append([]cart.Line(nil), c.Lines...)
	cp.Tenders = append([]cart.Tender(nil), c.Tenders...)
	for i := range cp.Tenders {
		if c.Tenders[i].Card != nil {
			ci := *c.Tenders[i].Card
			cp.Tenders[i].Card = &ci
		}
	}
	cp.Coupons = append([]string(nil), c.Coupons...)
	for i := range cp.Lines {
		cp.Lines[i].Promotions = append([]cart.Applied(nil), c.Lines[i].Promotions...)
		if c.Lines[i].ReturnOf != nil {
			rf := *c.Lines[i].ReturnOf
			cp.Lines[i].ReturnOf = &rf
		}
	}
	cp.TaxSummary = append(cp.TaxSummary[:0:0], c.TaxSummary...)
	return &cp
}

func copyLine(l *cart.Line) *cart.Line {
	cp := *l
	cp.Promotions = append([]cart.Applied(nil), l.Promotions...)
	return &cp
}

// amountFmt formats an amount in the store currency for messages.
func (r *Register) amountFmt(a money.Amount) string {
	return a.Format(r.setup.Currency.Digits) + " " + r.setup.Currency.Code
}
