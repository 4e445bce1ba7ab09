package pos

import (
	"sync"

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
	ReceiptExtrasLost    EventType = "receipt_extras_lost" // Err: the extensions' receipt lines of Cart could not be kept for reprints
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
	// Extension is the extension an ExtensionFailed event is about;
	// Disabled says it was switched off for the session.
	Extension string
	Disabled  bool
}

// Subscribe calls fn for every event, in order, after the operation that
// caused it has finished (so fn may call back into the register). Each
// subscriber has its own queue and goroutine: a slow or blocked subscriber
// delays only itself, never an operation or another subscriber. It returns
// a function that cancels the subscription; events queued before the
// cancel are still delivered.
func (r *Register) Subscribe(fn func(Event)) (cancel func()) { return r.Watch(fn).Cancel }

// Subscription is one subscriber's place in the event stream.
type Subscription struct {
	r  *Register
	id int
	s  *subscriber
}

// Watch subscribes fn like Subscribe and returns the subscription, whose
// Flush waits for this subscriber alone.
func (r *Register) Watch(fn func(Event)) *Subscription {
	s := &subscriber{fn: fn}
	s.cond = sync.NewCond(&s.mu)
	r.subMu.Lock()
	id := r.nextSub
	r.nextSub++
	r.subs[id] = s
	r.subMu.Unlock()
	go s.run()
	return &Subscription{r: r, id: id, s: s}
}

// Cancel ends the subscription; events queued before it are still delivered.
func (s *Subscription) Cancel() {
	s.r.subMu.Lock()
	delete(s.r.subs, s.id)
	s.r.subMu.Unlock()
	s.s.close()
}

// Flush waits until this subscriber has handled the events of the
// operations that returned before it was called.
func (s *Subscription) Flush() { s.s.flush() }

// Flush waits until every subscriber has handled the events of the
// operations that returned before it was called (tests and screens that
// must see the effect of an event before going on).
func (r *Register) Flush() {
	r.subMu.Lock()
	subs := make([]*subscriber, 0, len(r.subs))
	for _, s := range r.subs {
		subs = append(subs, s)
	}
	r.subMu.Unlock()
	for _, s := range subs {
		s.flush()
	}
}

// event queues an event of the running operation.
func (r *Register) event(e Event) { r.pending = append(r.pending, e) }

// emit hands the events of one operation to every subscriber's queue.
func (r *Register) emit(events []Event) {
	if len(events) == 0 {
		return
	}
	r.subMu.Lock()
	for _, s := range r.subs {
		s.push(events)
	}
	r.subMu.Unlock()
}

// subscriber is one subscription: an unbounded queue and the goroutine
// that empties it.
type subscriber struct {
	fn      func(Event)
	mu      sync.Mutex
	cond    *sync.Cond
	queue   []Event
	closed  bool
	handled uint64 // events delivered so far
	queued  uint64 // events queued so far
}

func (s *subscriber) push(events []Event) {
	s.mu.Lock()
	if !s.closed {
		s.queue = append(s.queue, events...)
		s.queued += uint64(len(events))
		s.cond.Broadcast()
	}
	s.mu.Unlock()
}

func (s *subscriber) run() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for {
		for len(s.queue) == 0 && !s.closed {
			s.cond.Wait()
		}
		if len(s.queue) == 0 {
			s.cond.Broadcast()
			return
		}
		e := s.queue[0]
		s.queue[0] = Event{}
		s.queue = s.queue[1:]
		s.mu.Unlock()
		s.deliver(e)
		s.mu.Lock()
		s.handled++
		s.cond.Broadcast()
	}
}

// deliver calls the subscriber, containing a panic so that one broken
// subscriber does not take the till down.
func (s *subscriber) deliver(e Event) {
	defer func() { _ = recover() }()
	s.fn(e)
}

func (s *subscriber) close() {
	s.mu.Lock()
	s.closed = true
	s.cond.Broadcast()
	s.mu.Unlock()
}

// flush waits until the events queued so far are handled.
func (s *subscriber) flush() {
	s.mu.Lock()
	defer s.mu.Unlock()
	target := s.queued
	for s.handled < target {
		s.cond.Wait()
	}
}
