// Package paysim is a simulated payment terminal: it approves, declines or
// times out as it is told, answers like a real terminal (masked card number,
// authorisation code, terminal reference) and never sees a full card number.
// The demo till and the tests use it where no terminal is attached. It is
// the virtual twin of a peripherals.PaymentTerminal: authorize, capture,
// refund, void and cancel.
package paysim

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/opentill/opentill/peripherals"
	"github.com/opentill/opentill/pos/money"
	"github.com/opentill/opentill/pos/poserr"
	"github.com/opentill/opentill/pos/tender"
)

var (
	_ peripherals.PaymentTerminal = (*Terminal)(nil)
	_ tender.StoreAndForward      = (*Terminal)(nil)
)

// Outcome is what the simulator does with the next request.
type Outcome int

// Outcomes.
const (
	Approve Outcome = iota
	Decline
	Timeout
	// Unreachable answers that the card processor cannot be reached (the
	// terminal is there): payments can be taken offline and forwarded.
	Unreachable
)

// ParseOutcome reads "approve", "decline" or "timeout".
func ParseOutcome(s string) (Outcome, error) {
	switch s {
	case "approve", "":
		return Approve, nil
	case "decline":
		return Decline, nil
	case "timeout":
		return Timeout, nil
	case "unreachable":
		return Unreachable, nil
	}
	return 0, fmt.Errorf("unknown terminal outcome %q: use approve, decline, timeout or unreachable", s)
}

// Terminal is the simulator. The zero value approves everything.
type Terminal struct {
	mu        sync.Mutex
	mode      Outcome
	queue     []Outcome
	seq       int
	byRef     map[string]tender.Approval // idempotency: one approval per request reference
	byTerm    map[string]tender.Approval // approvals by terminal reference, for capture
	voided    map[string]bool
	voids     map[string]int     // successful voids by terminal reference
	failVoids int                // voids still to fail (FailVoids)
	cancel    context.CancelFunc // cancels the request in progress
	stored    []tender.Approval  // payments taken offline, to forward
	declineFw int                // forwarded payments still to be declined (DeclineOnForward)
	brand     string             // the brand of the cards presented; "" = VISA
	brands    []string           // brands of the next approvals (QueueBrands)
	Delay     time.Duration      // simulated processing time
	Timeout   time.Duration      // how long a timeout takes to surface; 0 = 30 s or the context's deadline
}

// New returns a simulator that approves.
func New() *Terminal { return &Terminal{} }

// SetMode sets what happens to every request from now on.
func (t *Terminal) SetMode(o Outcome) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.mode = o
}

// Queue sets outcomes for the next requests, before the mode applies again.
func (t *Terminal) Queue(o ...Outcome) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.queue = append(t.queue, o...)
}

// SetBrand sets the brand of the cards presented from now on ("" is VISA).
func (t *Terminal) SetBrand(b string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.brand = b
}

// QueueBrands sets the brands of the cards of the next approvals, before
// SetBrand's applies again (a customer who presents another card).
func (t *Terminal) QueueBrands(b ...string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.brands = append(t.brands, b...)
}

// FailVoids makes the next n voids fail as a terminal that does not answer
// would, without voiding anything.
func (t *Terminal) FailVoids(n int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.failVoids = n
}

// VoidCount reports how many times a terminal reference was voided
// successfully.
func (t *Terminal) VoidCount(ref string) int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.voids[ref]
}

// Voided reports whether a terminal reference was voided.
func (t *Terminal) Voided(ref string) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.voided[ref]
}

func (t *Terminal) next() Outcome {
	t.mu.Lock()
	defer t.mu.Unlock()
	if len(t.queue) > 0 {
		o := t.queue[0]
		t.queue = t.queue[1:]
		return o
	}
	return t.mode
}

// Authorize approves, declines or times out a payment.
func (t *Terminal) Authorize(ctx context.Context, r tender.Request) (tender.Approval, error) {
	return t.do(ctx, r, "SALE")
}

// Refund pays money back to a card.
func (t *Terminal) Refund(ctx context.Context, r tender.Request) (tender.Approval, error) {
	return t.do(ctx, r, "REFUND")
}

func (t *Terminal) do(ctx context.Context, r tender.Request, kind string) (tender.Approval, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	t.mu.Lock()
	t.cancel = cancel
	t.mu.Unlock()
	if r.Amount <= 0 {
		return tender.Approval{}, poserr.E(poserr.Invalid, "error.card.amount", "the terminal needs a positive amount")
	}
	t.mu.Lock()
	if ap, ok := t.byRef[r.Reference]; ok && r.Reference != "" {
		t.mu.Unlock()
		return ap, nil
	}
	t.mu.Unlock()
	if t.Delay > 0 {
		select {
		case <-time.After(t.Delay):
		case <-ctx.Done():
			return tender.Approval{}, poserr.Wrap(ctx.Err(), poserr.Device, "error.card.cancelled", "the card payment was cancelled")
		}
	}
	switch t.next() {
	case Unreachable:
		return tender.Approval{}, poserr.Wrap(tender.ErrProcessorUnreachable, poserr.Device, "error.card.processor_offline",
			"the card processor cannot be reached: the terminal can take the payment offline")
	case Decline:
		return tender.Approval{}, poserr.E(poserr.Device, "error.card.declined", "the card was declined: ask for another payment method")
	case Timeout:
		wait := t.Timeout
		if wait == 0 {
			wait = 30 * time.Second
		}
		select {
		case <-time.After(wait):
		case <-ctx.Done():
		}
		return tender.Approval{}, poserr.E(poserr.Device, "error.card.timeout", "the payment terminal did not answer: check it and try again")
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	t.seq++
	brand := t.brand
	if len(t.brands) > 0 {
		brand, t.brands = t.brands[0], t.brands[1:]
	}
	if brand == "" {
		brand = "VISA"
	}
	ap := tender.Approval{
		MaskedPAN: fmt.Sprintf("************%04d", 4242+t.seq%5000),
		Brand:     brand,
		AuthCode:  fmt.Sprintf("%06d", 100000+t.seq*7919%900000),
		Reference: fmt.Sprintf("SIM-%s-%06d", kind, t.seq),
	}
	if t.byRef == nil {
		t.byRef = map[string]tender.Approval{}
	}
	if r.Reference != "" {
		t.byRef[r.Reference] = ap
	}
	if t.byTerm == nil {
		t.byTerm = map[string]tender.Approval{}
	}
	t.byTerm[ap.Reference] = ap
	return ap, nil
}

// Capture completes an approved authorisation for the final amount (at
// most the authorised one; the simulator does not check that).
func (t *Terminal) Capture(ctx context.Context, ref string, amount money.Amount) (tender.Approval, error) {
	if amount <= 0 {
		return tender.Approval{}, poserr.E(poserr.Invalid, "error.card.amount", "the terminal needs a positive amount")
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	ap, ok := t.byTerm[ref]
	switch {
	case !ok:
		return tender.Approval{}, poserr.E(poserr.NotFound, "error.card.unknown_reference", "the terminal knows no payment %s", ref)
	case t.voided[ref]:
		return tender.Approval{}, poserr.E(poserr.Conflict, "error.card.voided", "payment %s was voided and cannot be captured", ref)
	}
	return ap, nil
}

// Cancel aborts the request in progress (the customer pressed cancel on
// the terminal); it returns with a "cancelled" error.
func (t *Terminal) Cancel(ctx context.Context) error {
	t.mu.Lock()
	c := t.cancel
	t.mu.Unlock()
	if c != nil {
		c()
	}
	return nil
}

// Void cancels an approved payment by its terminal reference. Voiding a
// reference again succeeds and is counted (VoidCount).
func (t *Terminal) Void(ctx context.Context, ref string) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.failVoids > 0 {
		t.failVoids--
		return poserr.E(poserr.Device, "error.card.void_failed", "the payment terminal did not answer the void of %s: check it and try again", ref)
	}
	if t.voided == nil {
		t.voided, t.voids = map[string]bool{}, map[string]int{}
	}
	t.voided[ref] = true
	t.voids[ref]++
	return nil
}

// AuthorizeOffline takes a payment without the processor and stores it to
// forward (tender.StoreAndForward).
func (t *Terminal) AuthorizeOffline(ctx context.Context, r tender.Request) (tender.Approval, error) {
	if r.Amount <= 0 {
		return tender.Approval{}, poserr.E(poserr.Invalid, "error.card.amount", "the terminal needs a positive amount")
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if ap, ok := t.byRef[r.Reference]; ok && r.Reference != "" {
		return ap, nil
	}
	t.seq++
	ap := tender.Approval{
		MaskedPAN: fmt.Sprintf("************%04d", 4242+t.seq%5000),
		Brand:     "VISA",
		Reference: fmt.Sprintf("SIM-SAF-%06d", t.seq),
		Offline:   true,
	}
	if t.byRef == nil {
		t.byRef = map[string]tender.Approval{}
	}
	if r.Reference != "" {
		t.byRef[r.Reference] = ap
	}
	t.stored = append(t.stored, ap)
	return ap, nil
}

// DeclineOnForward makes the processor decline the next n forwarded
// payments (a card that turns out to be blocked).
func (t *Terminal) DeclineOnForward(n int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.declineFw = n
}

// Stored is how many payments wait on the terminal to be forwarded.
func (t *Terminal) Stored() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.stored)
}

// Forward sends the stored payments to the processor, oldest first
// (tender.StoreAndForward); while it is unreachable (the mode) nothing goes.
func (t *Terminal) Forward(ctx context.Context) ([]tender.Forwarded, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.mode == Unreachable {
		return nil, fmt.Errorf("forwarding %d payments: %w", len(t.stored), tender.ErrProcessorUnreachable)
	}
	out := make([]tender.Forwarded, 0, len(t.stored))
	for _, ap := range t.stored {
		f := tender.Forwarded{Reference: ap.Reference, Approved: true}
		if t.declineFw > 0 {
			t.declineFw--
			f.Approved = false
		} else {
			t.seq++
			f.AuthCode = fmt.Sprintf("%06d", 100000+t.seq*7919%900000)
		}
		out = append(out, f)
	}
	t.stored = nil
	return out, nil
}
