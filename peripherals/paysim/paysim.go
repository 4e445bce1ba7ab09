// Package paysim is a simulated payment terminal: it approves, declines or
// times out as it is told, answers like a real terminal (masked card number,
// authorisation code, terminal reference) and never sees a full card number.
// The demo till and the tests use it where no terminal is attached.
package paysim

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/opentill/opentill/pos/poserr"
	"github.com/opentill/opentill/pos/tender"
)

// Outcome is what the simulator does with the next request.
type Outcome int

// Outcomes.
const (
	Approve Outcome = iota
	Decline
	Timeout
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
	}
	return 0, fmt.Errorf("unknown terminal outcome %q: use approve, decline or timeout", s)
}

// Terminal is the simulator. The zero value approves everything.
type Terminal struct {
	mu      sync.Mutex
	mode    Outcome
	queue   []Outcome
	seq     int
	byRef   map[string]tender.Approval // idempotency: one approval per request reference
	voided  map[string]bool
	Delay   time.Duration // simulated processing time
	Timeout time.Duration // how long a timeout takes to surface; 0 = 30 s or the context's deadline
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
	ap := tender.Approval{
		MaskedPAN: fmt.Sprintf("************%04d", 4242+t.seq%5000),
		Brand:     "VISA",
		AuthCode:  fmt.Sprintf("%06d", 100000+t.seq*7919%900000),
		Reference: fmt.Sprintf("SIM-%s-%06d", kind, t.seq),
	}
	if t.byRef == nil {
		t.byRef = map[string]tender.Approval{}
	}
	if r.Reference != "" {
		t.byRef[r.Reference] = ap
	}
	return ap, nil
}

// Void cancels an approved payment by its terminal reference.
func (t *Terminal) Void(ctx context.Context, ref string) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.voided == nil {
		t.voided = map[string]bool{}
	}
	t.voided[ref] = true
	return nil
}
