package pos

import (
	"context"
	"encoding/json"
	"fmt"
	"github.com/opentill/opentill/pos/inventory"
	"github.com/opentill/opentill/pos/order"
	"runtime/debug"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/opentill/opentill/pos/barcode"
	"github.com/opentill/opentill/pos/cart"
	"github.com/opentill/opentill/pos/catalog"
	"github.com/opentill/opentill/pos/customer"
	"github.com/opentill/opentill/pos/journal"
	"github.com/opentill/opentill/pos/money"
	"github.com/opentill/opentill/pos/poserr"
	"github.com/opentill/opentill/pos/pricing"
	"github.com/opentill/opentill/pos/prompt"
	"github.com/opentill/opentill/pos/receipt"
	"github.com/opentill/opentill/pos/report"
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
	Stock      []StoreStock        // stock in this and other stores
	Reports    *report.Set         // view reports (op 1003): the period's data, and the period before's
	// DrawerCash is the cash the drawer should hold after a cash movement
	// (of the movement's tender), for the screen to confirm it.
	DrawerCash *money.Amount
	// NeedsWeight is the product of a sale refused for want of a weight
	// (the error is ErrNeedsWeight): weigh it or key the weight in, and sell
	// it again by its ID with the quantity.
	NeedsWeight *catalog.Product
	// NeedsPrice is the product of a sale refused for want of a keyed-in
	// price (the error is ErrNeedsPrice): ask for the price and sell it again.
	NeedsPrice *catalog.Product
	Discounts  []pricing.OfferInfo // promotions listed by ops 645/646
	Customer   *customer.Customer  // the customer created, edited or put on the transaction
	Customers  []customer.Customer // customer search (op 602)
	Page       *CustomerPage       // customer details (op 4030)
	Loyalty    *LoyaltyInfo        // loyalty card and points (ops 117, 521)
	Value      *ValueInfo          // a gift card's or memo's balance (ops 512, 519, 520, 215)
	Forward    *ForwardInfo        // offline card payments forwarded (op 4070)
	// Recommended are suggested products (op 4040), best first.
	Recommended []catalog.Product
	// MailedTo is the address a receipt was queued for (op 4050, or a
	// sale whose customer wants receipts by e-mail); MailErr says why a
	// sale's receipt could not be queued (the sale is saved).
	MailedTo string
	MailErr  error
	// Panel is what an extension's custom operation shows the operator.
	Panel *prompt.Panel
	// Inventory is a product's stock here and in other stores (ops 801, 806).
	Inventory *InventoryInfo
	// Count is a stock count (ops 802, 808); Counts the store's counts.
	Count  *CountInfo
	Counts []inventory.Count
	// Doc is a purchase or transfer order (ops 804, 805); Docs a list.
	Doc  *DocInfo
	Docs []inventory.Doc
	// Order is a customer order or quotation (ops 515, 620–648, 928 …);
	// Orders a list.
	Order  *order.Order
	Orders []order.Order
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
	// Connectivity says whether the store server is reachable; nil = never
	// (operations that need the server are refused as offline).
	Connectivity Connectivity
	// Stock answers for other stores' stock (op 4020); nil = not set up.
	Stock StockDirectory
	// History answers for customers' purchases at the chain's other tills
	// (the customer's page, op 4030); nil = this till's alone.
	History CustomerHistorySource
	// StoreReports answers for the store's figures across its tills (op
	// 1003 with Store); nil = this till's reports alone.
	StoreReports StoreReportSource
	// Sales finds other tills' sales for a return by receipt (online);
	// nil = this till's alone.
	Sales SaleDirectory
	// Balances reads gift cards' and memos' balances live from the store
	// server; nil = as the till last heard them.
	Balances ValueDirectory
	// Registry holds the operations the register runs; nil = the built-in
	// ones. Extensions add theirs to a registry before the register is built.
	Registry *Registry
	// Mailer queues receipts for e-mail; nil = not set up.
	Mailer ReceiptMailer
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
	ops      *Registry
	// authorising says a card payment is at the terminal: the register's
	// lock is released meanwhile (Cart, Operator… answer at once), and every
	// other operation is refused until the terminal answers.
	authorising bool
	quote       bool         // a price quote: no shift, nothing stored
	voids       cardVoids    // card payments taken back that the terminal has not voided yet (cardvoid.go)
	auth        *authority   // who authorises the operation running now
	overrides   overrideGate // wrong manager PINs at overrides (session.go)
	deferPrice  bool         // a quote prices once, before an operation that reads prices and at the end

	subMu    sync.Mutex
	subs     map[int]*subscriber
	nextSub  int
	triggers []Trigger
	pending  []Event
	ext      hookState // extensions' hooks (hooks.go)
}

// NewRegister builds a register on a store with the given setup.
func NewRegister(setup Setup, store Store, opt Options) *Register {
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.NewID == nil {
		opt.NewID = func() string { return uuid.Must(uuid.NewV7()).String() }
	}
	if opt.Registry == nil {
		opt.Registry = NewRegistry()
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
	return &Register{setup: setup, store: store, opt: opt, parser: barcode.Parser{Masks: masks}, ops: opt.Registry, subs: map[int]*subscriber{},
		ext: hookState{disabled: map[string]string{}, asked: map[string]prompt.Panel{}}}
}

// Operations returns the register's operation registry (read it; add
// operations before the register is built, through Options.Registry).
func (r *Register) Operations() *Registry { return r.ops }

// online reports whether the store server is reachable now.
func (r *Register) online() bool {
	return r.opt.Connectivity != nil && r.opt.Connectivity.Online()
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
	spec, ok := r.ops.specs[id]
	if !ok || r.operator == nil {
		return false
	}
	return spec.Permission == 0 || r.role.Allows(spec.Permission)
}

// authority is who authorises the operation being run.
type authority struct {
	operator staff.Operator
	role     staff.Role
	approver *staff.Operator // set for a manager override
}

// Do runs an operation: it looks the operation up in the registry, checks
// that the server is reachable if the operation needs it, the operator's
// permission (or the manager's, for pos.Approved), the pre-triggers and the
// shift, runs the handler, journals an override, then runs the
// post-triggers and hands the events to the subscribers.
func (r *Register) Do(ctx context.Context, op Operation) (res Result, err error) {
	if tr, ok := ctx.Value(triggerKey{}).(*Register); ok && tr == r {
		return Result{}, poserr.E(poserr.Conflict, "error.trigger.reentrant", "an extension called the till from inside its trigger; it must act after the operation (in a post-trigger) instead")
	}
	r.mu.Lock()
	if r.authorising {
		r.mu.Unlock()
		return Result{}, poserr.E(poserr.Conflict, "error.card.authorising", "a card payment is being authorised at the terminal: wait for it to finish")
	}
	events, res, err := r.do(ctx, op)
	triggers := r.triggers
	inner := r.ext.inner
	calls := r.postCalls(ctx, inner, res.Cart)
	r.mu.Unlock()
	events = append(events, r.runPost(ctx, triggers, op, res, err)...)
	if len(calls) == 0 {
		r.emit(events)
		return res, err
	}
	r.emit(events)
	events, after := r.runHooksPost(ctx, calls, inner, res, err)
	r.emit(events)
	if after != nil && err == nil {
		res.Cart = after
	}
	return res, err
}

func (r *Register) do(ctx context.Context, op Operation) ([]Event, Result, error) {
	r.pending = nil
	r.ext.answers, r.ext.inner, r.ext.looked = nil, nil, lookedUp{}
	switch op.(type) {
	case Answered, Approved:
		m := map[string]prompt.Answers{}
		op = peelAnswers(op, m)
		if len(m) > 0 {
			r.ext.answers = m
		}
	}
	inner := op
	var approval *Approved
	if a, ok := op.(Approved); ok {
		approval, inner = &a, a.Op
	}
	if inner == nil {
		return nil, Result{}, poserr.E(poserr.Invalid, "error.op.missing", "no operation given")
	}
	r.ext.inner = inner
	id := inner.OpID()
	spec, ok := r.ops.specs[id]
	if !ok {
		return nil, Result{}, poserr.E(poserr.Invalid, "error.op.unknown", "operation %d is not known to this till", id)
	}
	if spec.NoSignIn {
		res, err := spec.builtin(r, ctx, inner, nil)
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
		if spec.Permission != 0 && !role.Allows(spec.Permission) {
			return r.pending, Result{}, poserr.E(poserr.NotPermitted, "error.override.not_permitted", "%s may not authorise %s either", mgr.Name, spec.Name)
		}
		auth.role, auth.approver = role, &mgr
	} else if spec.Permission != 0 && !r.role.Allows(spec.Permission) {
		return nil, Result{}, poserr.E(poserr.NotPermitted, "error.op.not_permitted", "%s is not allowed to run %s: a manager can authorise it", r.operator.Name, spec.Name)
	}
	if !spec.Offline && !r.online() {
		return r.pending, Result{}, poserr.E(poserr.Offline, "error.op.offline", "%s needs the store server, which cannot be reached: try again when the till is back online", spec.Name)
	}
	if err := r.runPre(ctx, inner); err != nil {
		return r.pending, Result{}, err // an extension switched off is reported
	}
	if err := r.shiftGate(ctx, spec); err != nil {
		return r.pending, Result{}, err
	}
	var res Result
	var err error
	// Limits hold after every operation that edits the cart; payments and
	// the recall of a suspended sale are held to them when the sale is saved.
	limited := spec.Group != GroupPayment && id != OpRecall && id != OpVoidTransaction
	var before *cart.Cart
	if limited {
		before = snapshot(r.cart)
	}
	r.auth = &auth
	// The approval goes into the transaction it approves, before the
	// handler runs: an approved payment or void commits with it.
	var approved *cart.Cart
	if auth.approver != nil && r.cart != nil {
		approved = r.cart
		approved.Approvals = append(approved.Approvals, r.approvalOf(spec, &auth))
	}
	if spec.builtin != nil {
		res, err = spec.builtin(r, ctx, inner, &auth)
	} else {
		res, err = r.runCustom(ctx, spec, inner)
	}
	r.auth = nil
	switch {
	case err != nil && approved != nil && approved.Status == cart.Open && len(approved.Approvals) > 0:
		approved.Approvals = approved.Approvals[:len(approved.Approvals)-1] // nothing was approved after all
	case err == nil && auth.approver != nil && approved == nil && r.cart != nil:
		r.cart.Approvals = append(r.cart.Approvals, r.approvalOf(spec, &auth)) // the handler started the transaction
	}
	if err == nil && limited {
		if lerr := r.checkLimitsAfter(before, &auth); lerr != nil {
			return nil, Result{}, lerr
		}
	}
	if err == nil && auth.approver != nil {
		if jerr := r.journalOverride(ctx, spec, &auth, res); jerr != nil {
			return r.pending, res, jerr
		}
	}
	if err == nil && res.Cart == nil && !r.quote {
		res.Cart = snapshot(r.cart)
	}
	return r.pending, res, err
}

// approvalOf is the record of a manager's override in a transaction.
func (r *Register) approvalOf(spec *OpSpec, a *authority) cart.Approval {
	return cart.Approval{Op: int(spec.ID), Name: spec.Name, Operator: a.operator.ID, Approver: a.approver.ID, At: r.opt.Now().UTC()}
}

// journalOverride records who approved an operation.
func (r *Register) journalOverride(ctx context.Context, spec *OpSpec, a *authority, res Result) error {
	payload, err := json.Marshal(map[string]any{"operation": int(spec.ID), "name": spec.Name})
	if err != nil {
		return poserr.Wrap(err, poserr.Storage, "error.storage.journal", "the override could not be journaled")
	}
	entry := r.entry(journal.Override, spec.ID)
	entry.Approver = a.approver.ID
	entry.Payload = payload
	if r.cart != nil {
		entry.TxnID = r.cart.ID
	} else if res.Completed != nil {
		entry.TxnID, entry.ReceiptNo = res.Completed.ID, res.Completed.ReceiptNo
	}
	return r.store.AppendJournal(ctx, entry)
}

// runCustom runs an extension's operation with a read-only view of the
// register, containing a panic.
func (r *Register) runCustom(ctx context.Context, spec *OpSpec, op Operation) (res Result, err error) {
	defer func() {
		if p := recover(); p != nil {
			res, err = Result{}, poserr.E(poserr.Cancelled, "error.custom.panic", "the extension's operation %s failed (%v); nothing was changed", spec.Name, p)
		}
	}()
	ctx, cancel := context.WithTimeout(context.WithValue(ctx, triggerKey{}, r), r.opt.TriggerTimeout)
	defer cancel()
	return spec.Handler(ctx, r.state(), op)
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
	if r.deferPrice {
		return nil
	}
	p := r.setup.Pricing()
	p.Now = r.opt.Now()
	if err := r.cart.Reprice(p); err != nil {
		return poserr.Wrap(err, poserr.Other, "error.pricing", "the cart could not be priced; check the store's tax setup")
	}
	t := r.cart.Totals
	r.event(Event{Type: TotalsChanged, Totals: &t})
	return nil
}

// atTerminal runs payment-terminal I/O without holding the register's lock,
// with the register marked as authorising so that nothing changes the cart
// meanwhile. It is called by a handler, with the lock held.
func (r *Register) atTerminal(f func()) {
	r.authorising = true
	r.mu.Unlock()
	defer func() {
		r.mu.Lock()
		r.authorising = false
	}()
	f()
}

// Authorising reports whether a card payment is at the terminal now.
func (r *Register) Authorising() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.authorising
}

// triggerKey marks the context a trigger runs with, so that a trigger
// calling back into its register fails fast instead of deadlocking.
type triggerKey struct{}

// state is what triggers and custom operations may read.
func (r *Register) state() State {
	s := State{Cart: snapshot(r.cart)}
	if r.operator != nil {
		s.Operator, s.Role = r.operator.ID, r.role.ID
	}
	return s
}

func (r *Register) runPre(ctx context.Context, op Operation) error {
	if len(r.triggers) == 0 {
		return r.runHooksPre(ctx, op)
	}
	s := r.state()
	for _, t := range r.triggers {
		if err := r.callPre(ctx, t, op, s); err != nil {
			if poserr.KindOf(err) == poserr.Other {
				return poserr.Wrap(err, poserr.Cancelled, "error.trigger.cancelled", "an extension cancelled the operation")
			}
			return err
		}
	}
	return r.runHooksPre(ctx, op)
}

// callPre runs one pre-trigger with a deadline. The trigger's goroutine
// ends when the trigger returns; its context is cancelled at the deadline,
// and the buffered channel lets it finish without a reader.
func (r *Register) callPre(ctx context.Context, t Trigger, op Operation, s State) (err error) {
	ctx, cancel := context.WithTimeout(context.WithValue(ctx, triggerKey{}, r), r.opt.TriggerTimeout)
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

// runPost runs the post-triggers, each with the same deadline as a
// pre-trigger; a panic or an overrun becomes an ExtensionFailed event.
func (r *Register) runPost(ctx context.Context, triggers []Trigger, op Operation, res Result, err error) []Event {
	var failed []Event
	for _, t := range triggers {
		tctx, cancel := context.WithTimeout(ctx, r.opt.TriggerTimeout)
		done := make(chan error, 1)
		go func() {
			defer func() {
				if p := recover(); p != nil {
					done <- fmt.Errorf("extension post-trigger panicked: %v\n%s", p, debug.Stack())
				}
			}()
			t.PostOperation(tctx, op, res, err)
			done <- nil
		}()
		select {
		case perr := <-done:
			if perr != nil {
				failed = append(failed, Event{Type: ExtensionFailed, Err: perr})
			}
		case <-tctx.Done():
			failed = append(failed, Event{Type: ExtensionFailed, Err: fmt.Errorf("extension post-trigger did not return within %s", r.opt.TriggerTimeout)})
		}
		cancel()
	}
	return failed
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
	if c.Loyalty != nil {
		l := *c.Loyalty
		cp.Loyalty = &l
	}
	for i := range cp.Lines {
		cp.Lines[i].Promotions = append([]cart.Applied(nil), c.Lines[i].Promotions...)
		if c.Lines[i].ReturnOf != nil {
			rf := *c.Lines[i].ReturnOf
			cp.Lines[i].ReturnOf = &rf
		}
	}
	cp.OrderEvent = copyEvent(c.OrderEvent)
	cp.Approvals = append(cp.Approvals[:0:0], c.Approvals...)
	cp.TaxSummary = append(cp.TaxSummary[:0:0], c.TaxSummary...)
	cp.Authorities = append(cp.Authorities[:0:0], c.Authorities...)
	return &cp
}

func copyLine(l *cart.Line) *cart.Line {
	cp := *l
	cp.Promotions = append([]cart.Applied(nil), l.Promotions...)
	return &cp
}

// amountFmt formats an amount in the store currency for messages.
func (r *Register) amountFmt(a money.Amount) string {
	return r.setup.Header.Format().Money(a, r.setup.Currency) // the store's locale, as receipts print it
}
