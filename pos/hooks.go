package pos

// Extension hooks: how the register runs an extension's triggers. The SDK in
// extensions/ turns Go and WebAssembly extensions into Hooks; the register
// owns the rules every extension is held to:
//
//   - a hook sees the till through a View (copies: it cannot change the
//     transaction), and acts only by returning operations, which the register
//     runs through Do after the operation, so permissions, limits and the
//     journal apply to them as to the cashier;
//   - a pre-hook may refuse the operation with a translated message (Refuse)
//     or ask the operator first (AskOperator): the front end shows the panel
//     and sends the operation again wrapped in Answered; the answer and the
//     hook's verdict are journaled;
//   - every call has a deadline; a hook that panics, overruns or fails is
//     disabled for the rest of the session, journaled and reported with an
//     ExtensionFailed event, and the operation goes on or is cancelled as the
//     hook's FailPolicy says. The transaction itself is never touched.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/opentill/opentill/pos/cart"
	"github.com/opentill/opentill/pos/catalog"
	"github.com/opentill/opentill/pos/journal"
	"github.com/opentill/opentill/pos/poserr"
	"github.com/opentill/opentill/pos/prompt"
)

// FailPolicy says what happens to an operation when a pre-hook of an
// extension fails (panics, overruns its deadline or returns an error that is
// neither a refusal nor a question).
type FailPolicy int

// Failure policies.
const (
	// FailContinue lets the operation go on without the extension.
	FailContinue FailPolicy = iota
	// FailCancel cancels the operation; the extension is disabled, so the
	// operator can run it again without it.
	FailCancel
)

// String names the policy as manifests write it.
func (p FailPolicy) String() string {
	if p == FailCancel {
		return "cancel"
	}
	return "continue"
}

// ParseFailPolicy reads "continue" (or "") and "cancel".
func ParseFailPolicy(s string) (FailPolicy, error) {
	switch s {
	case "", "continue":
		return FailContinue, nil
	case "cancel":
		return FailCancel, nil
	}
	return 0, fmt.Errorf("failure policy %q: write continue or cancel", s)
}

// OperatorView is the signed-in operator as an extension sees them.
type OperatorView struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Role     string `json:"role"`
	Language string `json:"language,omitempty"`
}

// CustomerView is the customer on the transaction.
type CustomerView struct {
	ID   string `json:"id"`
	Name string `json:"name,omitempty"`
}

// View is what a hook reads of the till: copies, so nothing it does to them
// reaches the register.
type View struct {
	Store    string        `json:"store"`
	Terminal string        `json:"terminal"`
	Language string        `json:"language,omitempty"` // the store's (receipts'), BCP 47
	Operator *OperatorView `json:"operator,omitempty"`
	Customer *CustomerView `json:"customer,omitempty"`
	cart     *lazyCart
	// Product is the product a sale or a return names (ops 100 and 109),
	// looked up as the operation will; nil for other operations or a code
	// the catalog does not know.
	Product *catalog.Product `json:"product,omitempty"`
	// Answers are the operator's answers to the panel this extension asked
	// for this operation (nil when it asked nothing).
	Answers prompt.Answers `json:"answers,omitempty"`
}

// Cart returns a copy of the open transaction (after the operation, for a
// post-hook), or nil. The copy is made the first time a hook asks, so a
// hook that does not read the cart does not pay for it; asked after the
// hook's deadline, it is nil.
func (v View) Cart() *cart.Cart {
	if v.cart == nil {
		return nil
	}
	return v.cart.get()
}

// lazyCart copies a cart on first use. src is read under mu, and expire
// (after the hook returned or overran) or the call's deadline stops any
// later read, so a hook that overruns never reads the register's cart
// while the register changes it.
type lazyCart struct {
	mu      sync.Mutex
	src     *cart.Cart
	done    bool
	copy    *cart.Cart
	expired bool
	until   time.Time // the call's deadline (zero: none set yet)
}

func (l *lazyCart) get() *cart.Cart {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.done && !l.expired && (l.until.IsZero() || time.Now().Before(l.until)) {
		l.copy, l.done = snapshot(l.src), true
	}
	if !l.done {
		return nil
	}
	return l.copy
}

// bound sets the call's deadline, before the hook has the view.
func (l *lazyCart) bound(t time.Time) {
	if l != nil {
		l.until = t
	}
}

func (l *lazyCart) expire() {
	if l == nil {
		return
	}
	l.mu.Lock()
	l.expired = true
	l.src = nil
	l.mu.Unlock()
}

// Hook is one extension's triggers, as the register runs them.
type Hook struct {
	// Extension is the extension's namespaced ID ("acme.agecheck").
	Extension string
	// Ops are the operations it hooks; none means every operation.
	Ops []OpID
	// Policy is what a failure of the pre-hook does to the operation.
	Policy FailPolicy
	// Timeout bounds each call; 0 = the register's TriggerTimeout.
	Timeout time.Duration
	// Isolated runs each call on the hook's own goroutine, and the register
	// waits for it no longer than its deadline: for a hook that may block
	// where its context does not reach (a library call without one), so
	// that a call that never returns cannot hold up the till. It costs a
	// hand-over to that goroutine and back, about 15 µs a call. Without it
	// a call runs on the register's goroutine, as a function call: a panic
	// is still contained, the call's context ends at the deadline, and a
	// call that answers after it is a failure all the same; but a call that
	// ignores its context holds the till until it returns. A WebAssembly
	// module needs no isolation: its sandbox stops it at the deadline.
	Isolated bool
	// Pre runs before the operation (after the permission check). It returns
	// nil to let it run, Refuse(...) to cancel it, AskOperator(...) to ask
	// the operator first; any other error is a failure of the extension.
	Pre func(ctx context.Context, op Operation, v View) error
	// Post runs after the operation with its result and error. The
	// operations it returns run next, through Do, as the operator.
	Post func(ctx context.Context, op Operation, res Result, opErr error, v View) ([]Operation, error)

	w *hookWorker // the hook's goroutine (set by AddHook)
}

// hookWorker is the goroutine a hook's calls run on.
type hookWorker struct {
	once sync.Once
	jobs chan hookJob
}

// hookJob is one call of a hook: f with its context, answering on done.
type hookJob struct {
	ctx  *hookCtx
	f    func(context.Context) error
	done chan error
}

// run calls f and answers on done (f contains its own panic: callHook).
func (j hookJob) run() { j.done <- j.f(j.ctx) }

// hookCtx is the context a hook's call runs with: the caller's, marked as
// a trigger's, with the call's deadline. Its Done channel (and the timer
// behind it) is made only when the hook asks for it, which most never do;
// the caller waits on a timer of its own. When the call ends, Done is
// closed and Err is Canceled, as for a context whose cancel was called.
type hookCtx struct {
	context.Context // the caller's
	r               *Register
	deadline        time.Time

	mu     sync.Mutex
	done   context.Context // made by the first Done
	cancel context.CancelFunc
	ended  bool
}

func (c *hookCtx) Deadline() (time.Time, bool) {
	if d, ok := c.Context.Deadline(); ok && d.Before(c.deadline) {
		return d, true
	}
	return c.deadline, true
}

func (c *hookCtx) Done() <-chan struct{} {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.done == nil {
		if c.ended {
			return closedDone
		}
		c.done, c.cancel = context.WithDeadline(c.Context, c.deadline)
	}
	return c.done.Done()
}

func (c *hookCtx) Err() error {
	c.mu.Lock()
	done, ended := c.done, c.ended
	c.mu.Unlock()
	switch {
	case done != nil:
		return done.Err()
	case ended:
		return context.Canceled
	}
	if err := c.Context.Err(); err != nil {
		return err
	}
	if !time.Now().Before(c.deadline) {
		return context.DeadlineExceeded
	}
	return nil
}

func (c *hookCtx) Value(key any) any {
	if key == (triggerKey{}) {
		return c.r
	}
	return c.Context.Value(key)
}

// end is the call's cancel.
func (c *hookCtx) end() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.ended = true
	if c.cancel != nil {
		c.cancel()
	}
}

// overran says the call's deadline passed while it was waited for.
func (c *hookCtx) overran() bool { return !time.Now().Before(c.deadline) }

var closedDone = func() chan struct{} { c := make(chan struct{}); close(c); return c }()

// waits keeps the channels and timers of finished calls for the next.
var waits = sync.Pool{New: func() any {
	t := time.NewTimer(time.Hour)
	t.Stop()
	return &hookWait{done: make(chan error, 1), timer: t}
}}

type hookWait struct {
	done  chan error
	timer *time.Timer
}

// worker returns the channel of the hook's goroutine, starting it. The
// goroutine serves one call at a time for the register's life; a call that
// never returns keeps it, and the hook, which is switched off, gets no more.
func (h *Hook) worker() chan<- hookJob {
	w := h.w
	if w == nil {
		return nil // a nil channel: the call gets a goroutine of its own
	}
	w.once.Do(func() {
		w.jobs = make(chan hookJob)
		go func() {
			for job := range w.jobs {
				job.run()
			}
		}()
	})
	return w.jobs
}

func (h *Hook) hooks(id OpID) bool { return len(h.Ops) == 0 || slices.Contains(h.Ops, id) }

// Refusal is an extension cancelling an operation, with its message to
// the operator in the languages it ships.
type Refusal struct {
	Extension string
	Message   prompt.Text
}

func (e *Refusal) Error() string {
	return fmt.Sprintf("%s: %s", e.Extension, e.Message.In("en"))
}

// Localized returns the message in lang (front ends translate by it).
func (e *Refusal) Localized(lang string) string { return e.Message.In(lang) }

// Refuse returns the error a pre-hook cancels the operation with.
func Refuse(msg prompt.Text) error { return &Refusal{Message: msg} }

// ErrNeedsAnswer is the typed outcome of an operation an extension wants the
// operator to answer a question about first: errors.As gives the *Question.
var ErrNeedsAnswer = errors.New("an extension asks the operator a question before the operation runs")

// Question is an extension's question: show Panel, then send the operation
// again as Answered{Op, Extension, Answers}.
type Question struct {
	Extension string
	Panel     prompt.Panel
}

func (q *Question) Error() string {
	return fmt.Sprintf("%s asks: %s", q.Extension, q.Panel.Title.In("en"))
}

// AskOperator returns the error a pre-hook asks the operator a question with.
func AskOperator(p prompt.Panel) error { return &Question{Panel: p} }

// Answered is an operation sent again with the operator's answers to an
// extension's question. It is journaled with the hook's verdict.
type Answered struct {
	Op        Operation
	Extension string
	Answers   prompt.Answers
}

// OpID is the answered operation's.
func (a Answered) OpID() OpID {
	if a.Op == nil {
		return 0
	}
	return a.Op.OpID()
}

// lookedUp is a product lookup made for the hooks, which the operation's
// handler takes instead of looking it up again.
type lookedUp struct {
	set      bool
	code, id string
	p        catalog.Product
	emb      embedded
	err      error
}

// hookState is the register's extension bookkeeping.
type hookState struct {
	hooks    []*Hook
	disabled map[string]string         // extension → why, for the session
	asked    map[string]prompt.Panel   // extension → the panel it last asked
	answers  map[string]prompt.Answers // answers given with the operation running now
	inner    Operation                 // the operation running now, without its wrappers
	looked   lookedUp                  // the product the hooks looked up for it
	fields   []receiptField
}

// AddHook registers an extension's triggers. Add hooks before the till
// starts selling; they run in the order they were added.
func (r *Register) AddHook(h Hook) error {
	if h.Extension == "" {
		return fmt.Errorf("a hook needs its extension's ID")
	}
	if h.Pre == nil && h.Post == nil {
		return fmt.Errorf("extension %s: a hook needs a Pre or a Post function", h.Extension)
	}
	for _, id := range h.Ops {
		if _, ok := r.ops.specs[id]; !ok {
			return fmt.Errorf("extension %s hooks operation %d, which this till does not know", h.Extension, id)
		}
	}
	h.w = &hookWorker{}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.ext.hooks = append(r.ext.hooks, &h)
	return nil
}

// Disabled returns the extensions disabled for this session, with why.
func (r *Register) Disabled() map[string]string {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make(map[string]string, len(r.ext.disabled))
	for k, v := range r.ext.disabled {
		out[k] = v
	}
	return out
}

// followKey marks the context of an operation an extension asked for, so
// that its own hooks do not run on it (no loops).
type followKey struct{}

func followOf(ctx context.Context) string {
	s, _ := ctx.Value(followKey{}).(string)
	return s
}

// peelAnswers takes Answered wrappers off op (also inside Approved).
func peelAnswers(op Operation, into map[string]prompt.Answers) Operation {
	for {
		a, ok := op.(Answered)
		if !ok {
			break
		}
		into[a.Extension] = a.Answers
		op = a.Op
	}
	if ap, ok := op.(Approved); ok && ap.Op != nil {
		ap.Op = peelAnswers(ap.Op, into)
		return ap
	}
	return op
}

// view builds what a hook reads, showing the cart c (none when nil), copied
// when the hook asks.
func (r *Register) view(ext string, c *cart.Cart) View {
	v := View{Store: r.setup.StoreID, Terminal: r.setup.TerminalID, Language: r.setup.Header.Language}
	parts := new(struct { // one allocation for the view's parts
		cart     lazyCart
		operator OperatorView
		customer CustomerView
	})
	if c != nil {
		parts.cart.src = c
		v.cart = &parts.cart
	}
	if r.operator != nil {
		parts.operator = OperatorView{ID: r.operator.ID, Name: r.operator.Name, Role: r.role.ID, Language: r.operator.Language}
		v.Operator = &parts.operator
	}
	if r.cart != nil && r.cart.Customer != "" {
		parts.customer = CustomerView{ID: r.cart.Customer, Name: r.cart.CustomerName}
		v.Customer = &parts.customer
	}
	if a, ok := r.ext.answers[ext]; ok {
		v.Answers = a
	}
	return v
}

func (r *Register) active(h *Hook, ctx context.Context, id OpID) bool {
	if !h.hooks(id) || followOf(ctx) == h.Extension {
		return false
	}
	_, off := r.ext.disabled[h.Extension]
	return !off
}

// productOf looks up the product a sale or a return names, for the hooks
// (false when op names none or the catalog does not know it).
func (r *Register) productOf(ctx context.Context, op Operation) (catalog.Product, bool) {
	var code, id string
	switch o := op.(type) {
	case ProductSale:
		code, id = o.Barcode, o.ProductID
	case ReturnProduct:
		code, id = o.Barcode, o.ProductID
	default:
		return catalog.Product{}, false
	}
	p, emb, err := r.lookup(ctx, code, id)
	r.ext.looked = lookedUp{set: true, code: code, id: id, p: p, emb: emb, err: err} // the handler's lookup
	return p, err == nil
}

// runHooksPre runs the pre-hooks on op, with the register's lock held.
func (r *Register) runHooksPre(ctx context.Context, op Operation) error {
	var product catalog.Product
	looked, found := false, false
	for _, h := range r.ext.hooks {
		if h.Pre == nil || !r.active(h, ctx, op.OpID()) {
			continue
		}
		v := r.view(h.Extension, r.cart)
		if !looked {
			product, found = r.productOf(ctx, op)
			looked = true
		}
		if found { // each hook its own copy
			v.Product = copyProduct(product)
		}
		if v.Answers != nil {
			if asked, ok := r.ext.asked[h.Extension]; ok {
				if err := asked.Check(v.Answers); err != nil {
					return poserr.Wrap(err, poserr.Invalid, "error.extension.answer", "the answer to %s's question is not complete", h.Extension)
				}
			}
		}
		_, err := callHook[struct{}](r, ctx, h, v.cart, preCall{h.Pre, op, v})
		v.cart.expire()
		if err != nil || v.Answers != nil {
			if err := r.preVerdict(ctx, h, op, v.Answers, err); err != nil {
				return err
			}
		}
	}
	return nil
}

// preVerdict acts on what a pre-hook answered (err, nil when it let the
// operation run) and journals the operator's answers it was given. It
// returns the error that stops the operation, or nil to go on.
func (r *Register) preVerdict(ctx context.Context, h *Hook, op Operation, answers prompt.Answers, err error) error {
	var ref *Refusal
	var q *Question
	var failed *hookFailure
	switch {
	case err == nil:
	case errors.As(err, &ref):
		ref.Extension = h.Extension
	case errors.As(err, &q):
		q.Extension, q.Panel.Extension = h.Extension, h.Extension
		if verr := q.Panel.Validate(); verr != nil {
			err = &hookFailure{fmt.Errorf("it asked a question the till cannot show: %w", verr)}
			failed = err.(*hookFailure)
			break
		}
		r.ext.asked[h.Extension] = q.Panel
	case errors.As(err, &failed):
	default:
		failed = &hookFailure{err}
	}
	if answers != nil && failed == nil {
		verdict := "accepted"
		if ref != nil {
			verdict = "refused"
		}
		if jerr := r.journalExtension(ctx, h.Extension, op.OpID(), map[string]any{"event": "answer", "panel": r.ext.asked[h.Extension].ID, "answers": answers, "verdict": verdict}); jerr != nil {
			return jerr
		}
	}
	switch {
	case failed != nil:
		ev, ferr := r.disable(ctx, h, op.OpID(), failed.err)
		if ev != nil {
			r.event(*ev)
		}
		if ferr != nil {
			return ferr
		}
		if h.Policy == FailCancel {
			e := poserr.Wrap(failed.err, poserr.Cancelled, "error.extension.failed_cancel",
				"extension %s failed, so the operation was not run; it is switched off for this session: run the operation again", h.Extension)
			e.Args = map[string]any{"extension": h.Extension}
			return e
		}
	case ref != nil:
		e := poserr.Wrap(ref, poserr.Cancelled, "error.extension.refused", "%s", ref.Error())
		return e
	case q != nil:
		return &poserr.Error{Kind: poserr.Cancelled, Key: "error.extension.ask", Msg: q.Error(), Err: q, Sentinel: ErrNeedsAnswer}
	}
	return nil
}

// copyProduct copies p for a view, with its barcodes, in one allocation
// for up to four of them.
func copyProduct(p catalog.Product) *catalog.Product {
	c := &struct {
		p     catalog.Product
		codes [4]string
	}{p: p}
	switch n := len(p.Barcodes); {
	case n == 0:
	case n <= len(c.codes):
		copy(c.codes[:], p.Barcodes)
		c.p.Barcodes = c.codes[:n:n]
	default:
		c.p.Barcodes = slices.Clone(p.Barcodes)
	}
	return &c.p
}

// hookFailure is an extension that failed (as opposed to one that refused).
type hookFailure struct{ err error }

func (f *hookFailure) Error() string { return f.err.Error() }

// hookCall is one call of a hook (a trigger or a receipt field) with what
// it is called with, as a value, so that a call on the register's
// goroutine allocates nothing for it.
type hookCall[T any] interface {
	call(ctx context.Context) (T, error)
}

// callHook runs c with the hook's deadline, turning a panic or an overrun
// into a *hookFailure: on the register's goroutine, or on the hook's own
// for an Isolated hook, waited for no longer than the deadline. lc, the
// call's view of the cart, reads nothing after the deadline. An isolated
// call reuses the channel and timer of the last call that ended in time.
func callHook[T any, C hookCall[T]](r *Register, ctx context.Context, h *Hook, lc *lazyCart, c C) (T, error) {
	var zero T
	d := h.Timeout
	if d <= 0 {
		d = r.opt.TriggerTimeout
	}
	hc := &hookCtx{Context: ctx, r: r, deadline: time.Now().Add(d)}
	defer hc.end()
	lc.bound(hc.deadline)
	overrun := func() error { return &hookFailure{fmt.Errorf("it did not answer within %s", d)} }
	if !h.Isolated {
		got, err := callContained[T](hc, c)
		if hc.overran() {
			return zero, overrun() // a late answer counts for nothing
		}
		return got, err
	}
	w := waits.Get().(*hookWait)
	cc, got := c, new(T) // the goroutine's own: it may answer after the register went on
	job := hookJob{ctx: hc, f: func(ctx context.Context) error {
		v, err := callContained[T](ctx, cc)
		*got = v
		return err
	}, done: w.done}
	select {
	case h.worker() <- job: // the hook's own goroutine, its stack already grown
	default:
		go job.run() // busy: with a call that overran (the hook is being switched off)
	}
	w.timer.Reset(time.Until(hc.deadline))
	select {
	case err := <-w.done:
		w.timer.Stop()
		waits.Put(w) // drained: the next call may use it
		if hc.overran() {
			return zero, overrun()
		}
		return *got, err
	case <-w.timer.C:
		return zero, overrun() // w stays with the call, which may still answer on it
	case <-ctx.Done():
		w.timer.Stop()
		return zero, overrun() // w stays with the call too
	}
}

// callContained calls c, turning a panic into a *hookFailure.
func callContained[T any, C hookCall[T]](ctx context.Context, c C) (got T, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = &hookFailure{fmt.Errorf("it panicked: %v", p)}
		}
	}()
	return c.call(ctx)
}

// preCall, postCallOf and fieldCall are the three kinds of hookCall.
type preCall struct {
	pre func(ctx context.Context, op Operation, v View) error
	op  Operation
	v   View
}

func (c preCall) call(ctx context.Context) (struct{}, error) {
	return struct{}{}, c.pre(ctx, c.op, c.v)
}

type postCallOf struct {
	post  func(ctx context.Context, op Operation, res Result, opErr error, v View) ([]Operation, error)
	op    Operation
	res   Result
	opErr error
	v     View
}

func (c postCallOf) call(ctx context.Context) ([]Operation, error) {
	return c.post(ctx, c.op, c.res, c.opErr, c.v)
}

type fieldCall struct {
	f    ReceiptFields
	done *cart.Cart
	v    View
}

func (c fieldCall) call(ctx context.Context) (ReceiptLines, error) {
	return c.f(ctx, snapshot(c.done), c.v)
}

// disable switches an extension off for the session: journaled, and
// reported by the ExtensionFailed event it returns. Called with the lock
// held.
func (r *Register) disable(ctx context.Context, h *Hook, op OpID, why error) (*Event, error) {
	if _, done := r.ext.disabled[h.Extension]; done {
		return nil, nil
	}
	r.ext.disabled[h.Extension] = why.Error()
	ev := &Event{Type: ExtensionFailed, Extension: h.Extension, Disabled: true,
		Err: fmt.Errorf("extension %s was switched off for this session: %w", h.Extension, why)}
	return ev, r.journalExtension(ctx, h.Extension, op, map[string]any{"event": "disabled", "error": why.Error(), "policy": h.Policy.String()})
}

// journalExtension appends an extension entry for the current operator.
func (r *Register) journalExtension(ctx context.Context, ext string, op OpID, payload map[string]any) error {
	payload["extension"] = ext
	b, err := json.Marshal(payload)
	if err != nil {
		return poserr.Wrap(err, poserr.Storage, "error.storage.journal", "the extension's entry could not be journaled")
	}
	e := r.entry(journal.Extension, op)
	e.Payload = b
	if r.cart != nil {
		e.TxnID = r.cart.ID
	}
	if err := r.store.AppendJournal(ctx, e); err != nil {
		return poserr.Wrap(err, poserr.Storage, "error.storage.journal", "the extension's entry could not be journaled; nothing was changed")
	}
	return nil
}

// postCall is one post-hook to run after an operation, with its view.
type postCall struct {
	h *Hook
	v View
}

// postCalls picks the post-hooks for op, with the lock held. Their view's
// cart is the result's (a copy the register no longer changes), else a copy
// of the register's taken now.
func (r *Register) postCalls(ctx context.Context, op Operation, res *cart.Cart) []postCall {
	if op == nil || len(r.ext.hooks) == 0 {
		return nil
	}
	var out []postCall
	for _, h := range r.ext.hooks {
		if h.Post != nil && r.active(h, ctx, op.OpID()) {
			src := res
			if src == nil && r.cart != nil {
				src = snapshot(r.cart)
			}
			v := r.view(h.Extension, src)
			out = append(out, postCall{h: h, v: v})
		}
	}
	return out
}

// runHooksPost runs the post-hooks without the lock, then the operations
// they asked for through Do. A failed hook is disabled; a refused follow-up
// operation is reported. It returns the events to emit and the cart after
// the follow-ups (nil when none ran).
func (r *Register) runHooksPost(ctx context.Context, calls []postCall, op Operation, res Result, opErr error) ([]Event, *cart.Cart) {
	var events []Event
	var follow []struct {
		ext string
		ops []Operation
	}
	for _, c := range calls {
		ops, err := callHook[[]Operation](r, ctx, c.h, c.v.cart, postCallOf{c.h.Post, op, res, opErr, c.v})
		c.v.cart.expire()
		if err != nil {
			r.mu.Lock()
			ev, jerr := r.disable(ctx, c.h, op.OpID(), err)
			r.mu.Unlock()
			if ev != nil {
				events = append(events, *ev)
			}
			if jerr != nil {
				events = append(events, Event{Type: ExtensionFailed, Extension: c.h.Extension, Err: jerr})
			}
			continue
		}
		if len(ops) > 0 {
			follow = append(follow, struct {
				ext string
				ops []Operation
			}{c.h.Extension, ops})
		}
	}
	if len(follow) == 0 {
		return events, nil
	}
	r.emit(events) // before the follow-ups' own events
	events = nil
	var after *cart.Cart
	for _, f := range follow {
		fctx := context.WithValue(ctx, followKey{}, f.ext)
		for _, fop := range f.ops {
			fres, err := r.Do(fctx, fop)
			if err != nil {
				r.emit([]Event{{Type: ExtensionFailed, Extension: f.ext,
					Err: fmt.Errorf("extension %s asked for operation %d, which was refused: %w", f.ext, fop.OpID(), err)}})
				continue
			}
			after = fres.Cart
		}
	}
	return nil, after
}
