package pos

import (
	"github.com/opentill/opentill/pos/cart"
	"github.com/opentill/opentill/pos/receipt"
)

// EventType names what happened.
type EventType string

// Event types. Screens, the line display and extensions subscribe to them.
const (
	SignedIn             EventType = "signed_in"
	SignedOut            EventType = "signed_out"
	RegisterLocked       EventType = "register_locked"
	LineAdded            EventType = "line_added"
	LineChanged          EventType = "line_changed"
	LineVoided           EventType = "line_voided"
	TotalsChanged        EventType = "totals_changed"
	PaymentAdded         EventType = "payment_added"
	PaymentVoided        EventType = "payment_voided"
	TransactionCompleted EventType = "transaction_completed"
	TransactionVoided    EventType = "transaction_voided"
	TransactionSuspended EventType = "transaction_suspended"
	TransactionRecalled  EventType = "transaction_recalled"
	ExtensionFailed      EventType = "extension_failed"
)

// Event is something the register did.
type Event struct {
	Type     EventType
	Operator string
	Line     *cart.Line
	Tender   *cart.Tender
	Totals   *cart.Totals
	Cart     *cart.Cart       // the finished transaction, for completion, void and suspend
	Receipt  *receipt.Receipt // for completion
	Err      error            // for ExtensionFailed
}

// Subscribe calls fn for every event, after the operation that caused it has
// finished (so fn may call back into the register). It returns a function
// that cancels the subscription.
func (r *Register) Subscribe(fn func(Event)) (cancel func()) {
	r.subMu.Lock()
	defer r.subMu.Unlock()
	id := r.nextSub
	r.nextSub++
	r.subs[id] = fn
	return func() {
		r.subMu.Lock()
		defer r.subMu.Unlock()
		delete(r.subs, id)
	}
}

// event queues an event of the running operation.
func (r *Register) event(e Event) { r.pending = append(r.pending, e) }

func (r *Register) emit(e Event) {
	r.subMu.Lock()
	fns := make([]func(Event), 0, len(r.subs))
	for _, fn := range r.subs {
		fns = append(fns, fn)
	}
	r.subMu.Unlock()
	for _, fn := range fns {
		fn(e)
	}
}
