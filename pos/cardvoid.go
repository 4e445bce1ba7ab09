package pos

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/opentill/opentill/pos/cart"
	"github.com/opentill/opentill/pos/poserr"
	"github.com/opentill/opentill/pos/tender"
)

// Card voids the terminal has not confirmed yet.
//
// When a sale cannot be saved, finish takes the settling card payment back
// and voids it at the terminal. If the terminal fails the void, the payment
// is not forgotten: the cashier gets an error of kind poserr.Storage with key
// error.card.void_pending (the sale was not saved and the card payment is
// not voided yet), the payment goes onto the register's pending-void list
// (PendingCardVoids), and the till retries it: after the next transaction
// is saved, before a payment or a transaction is voided, and whenever the
// UI calls RetryCardVoids. Every outcome is an event: CardVoidPending when a
// void joins the list, CardVoided when it finally goes through,
// CardVoidFailed when a retry fails again. Nothing leaves the list except a
// void the terminal confirmed.
//
// The taken-back card stays on the open transaction as a voided payment, so
// when that transaction is saved later (completed or voided) the journal
// records the card with its masked number and the voided flag. The list
// itself lives in memory for as long as the register does. Across a restart
// it is gone and the till does not retry: a transaction that was never
// saved is in neither the journal nor the outbox. The card payment then
// stands at the terminal until someone voids it there (most terminals allow
// a void until their end-of-day batch closes, a refund after that) or, for
// an authorisation that is never captured, until the acquirer lets it lapse;
// the terminal's own journal and end-of-day report show it with its
// reference, which the error the cashier saw named too.
const (
	CardVoidPending EventType = "card_void_pending" // Tender: the payment taken back; Err: why the terminal did not void it
	CardVoided      EventType = "card_voided"       // Tender: the pending void the terminal finally confirmed
	CardVoidFailed  EventType = "card_void_failed"  // Tender: still pending; Err: why the retry failed
)

// autoVoidTimeout bounds each retry the register makes by itself, so a dead
// terminal does not hold up the operation it rides on.
const autoVoidTimeout = 10 * time.Second

// PendingVoid is a card payment the till took back but the terminal has not
// voided yet.
type PendingVoid struct {
	Tender   cart.Tender // the payment taken back; Tender.Card.Reference is the terminal's
	TxnID    string      // the transaction it was taken back from (never saved)
	Since    time.Time   // when the first void failed
	Attempts int         // voids tried so far
	LastErr  error       // why the last one failed
}

// cardVoids is the register's pending-void list. It has its own lock so that
// RetryCardVoids can talk to the terminal without the register's lock.
type cardVoids struct {
	mu   sync.Mutex
	list []*pendingVoid
}

type pendingVoid struct {
	PendingVoid
	busy bool // a retry is talking to the terminal about it
}

// PendingCardVoids lists the card payments waiting to be voided at the
// terminal, oldest first.
func (r *Register) PendingCardVoids() []PendingVoid {
	r.voids.mu.Lock()
	defer r.voids.mu.Unlock()
	out := make([]PendingVoid, len(r.voids.list))
	for i, p := range r.voids.list {
		out[i] = p.PendingVoid
		out[i].Tender = copyTender(p.Tender)
	}
	return out
}

// RetryCardVoids tries every pending card void again (see PendingCardVoids)
// and emits CardVoided or CardVoidFailed for each. It does not hold the
// register's lock while the terminal works, so the UI may call it at any
// time (e.g. from a "retry" button or a timer); a void already being tried
// elsewhere is not tried twice. It returns nil when nothing is left pending,
// else an error of kind poserr.Device with key error.card.void_retry_failed.
func (r *Register) RetryCardVoids(ctx context.Context) error {
	events, err := r.retryVoids(ctx, 0)
	r.emit(events)
	return err
}

// retryPendingVoids is RetryCardVoids inside an operation: each attempt is
// bounded by autoVoidTimeout and the events go out with the operation's.
// The operation goes ahead whatever the outcome.
func (r *Register) retryPendingVoids(ctx context.Context) {
	if len(r.PendingCardVoids()) == 0 {
		return
	}
	var events []Event
	r.atTerminal(func() {
		events, _ = r.retryVoids(ctx, autoVoidTimeout) // reported as CardVoidFailed events; the list keeps them
	})
	for _, e := range events {
		r.event(e)
	}
}

// queueVoid puts a card payment the terminal did not void on the list.
func (r *Register) queueVoid(t cart.Tender, txnID string, cause error) Event {
	r.voids.mu.Lock()
	defer r.voids.mu.Unlock()
	r.voids.list = append(r.voids.list, &pendingVoid{PendingVoid: PendingVoid{
		Tender: copyTender(t), TxnID: txnID, Since: r.opt.Now().UTC(), Attempts: 1, LastErr: cause,
	}})
	ct := copyTender(t)
	return Event{Type: CardVoidPending, Tender: &ct, Err: cause}
}

// retryVoids voids every pending payment no other retry is working on, one
// at a time, and returns the events to emit. timeout > 0 bounds each attempt.
func (r *Register) retryVoids(ctx context.Context, timeout time.Duration) ([]Event, error) {
	if r.opt.Terminal == nil {
		return nil, nil
	}
	v := &r.voids
	v.mu.Lock()
	var todo []*pendingVoid
	for _, p := range v.list {
		if !p.busy {
			p.busy = true
			todo = append(todo, p)
		}
	}
	v.mu.Unlock()
	var events []Event
	var errs []error
	for _, p := range todo {
		actx, cancel := ctx, context.CancelFunc(func() {})
		if timeout > 0 {
			actx, cancel = context.WithTimeout(ctx, timeout)
		}
		err := r.opt.Terminal.Void(actx, p.Tender.Card.Reference)
		cancel()
		v.mu.Lock()
		p.busy = false
		p.Attempts++
		t := copyTender(p.Tender)
		if err == nil || alreadyVoided(err) {
			for i, q := range v.list {
				if q == p {
					v.list = append(v.list[:i], v.list[i+1:]...)
					break
				}
			}
			events = append(events, Event{Type: CardVoided, Tender: &t})
		} else {
			p.LastErr = err
			events = append(events, Event{Type: CardVoidFailed, Tender: &t, Err: err})
			errs = append(errs, err)
		}
		v.mu.Unlock()
	}
	v.mu.Lock()
	left := len(v.list)
	v.mu.Unlock()
	if left == 0 {
		return events, nil
	}
	e := poserr.Wrap(errors.Join(errs...), poserr.Device, "error.card.void_retry_failed",
		"%d card payment(s) taken back from unsaved sales are still not voided at the terminal: check the terminal and retry", left)
	e.Args = map[string]any{"count": left}
	return events, e
}

// alreadyVoided reports whether the terminal refused a void because the
// payment is voided already (an earlier void went through but its answer
// was lost): the void's purpose is met.
func alreadyVoided(err error) bool { return errors.Is(err, tender.ErrAlreadyVoided) }

func copyTender(t cart.Tender) cart.Tender {
	if t.Card != nil {
		ci := *t.Card
		t.Card = &ci
	}
	return t
}
