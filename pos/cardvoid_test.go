package pos_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/pos"
	"github.com/opentill/opentill/pos/cart"
	"github.com/opentill/opentill/pos/journal"
	"github.com/opentill/opentill/pos/poserr"
)

// commitFails is a till store whose Commit fails while fail is set,
// as a full disk would.
type commitFails struct {
	pos.Store
	fail atomic.Bool
}

func (s *commitFails) Commit(ctx context.Context, c *cart.Cart, e journal.Entry) error {
	if s.fail.Load() {
		return errors.New("disk I/O error (test)")
	}
	return s.Store.Commit(ctx, c, e)
}

// events records what the register emits.
type events struct {
	mu  sync.Mutex
	got []pos.Event
	sub *pos.Subscription
}

func (ev *events) add(e pos.Event) { ev.mu.Lock(); ev.got = append(ev.got, e); ev.mu.Unlock() }

func (ev *events) of(typ pos.EventType) []pos.Event {
	ev.sub.Flush() // events are delivered after the operation, on the subscriber's goroutine
	ev.mu.Lock()
	defer ev.mu.Unlock()
	var out []pos.Event
	for _, e := range ev.got {
		if e.Type == typ {
			out = append(out, e)
		}
	}
	return out
}

// cardTill is a till on a store whose Commit fails on demand, paying by
// the simulator.
func cardTill(t *testing.T) (*till, *commitFails, *events) {
	t.Helper()
	tl := newTill(t, true)
	cs := &commitFails{Store: tl.store}
	tl.Register = pos.NewRegister(testSetup(true), cs, pos.Options{Terminal: tl.term})
	ev := &events{}
	ev.sub = tl.Watch(ev.add)
	tl.do(t, pos.SignIn{OperatorID: "1001", Secret: "1234"})
	return tl, cs, ev
}

// payCardUnsaved sells a bottle of wine by card on a store that cannot
// save, and returns the error and the card's terminal reference.
func payCardUnsaved(t *testing.T, tl *till, cs *commitFails, ev *events) (string, error) {
	t.Helper()
	tl.do(t, pos.ProductSale{Barcode: bcWine})
	cs.fail.Store(true)
	_, err := tl.Do(context.Background(), pos.PayCard{})
	require.Error(t, err)
	added := ev.of(pos.PaymentAdded)
	require.NotEmpty(t, added)
	card := added[len(added)-1].Tender.Card
	require.NotNil(t, card)
	c := tl.Cart()
	require.NotNil(t, c, "the transaction stays open")
	assert.Empty(t, c.ActiveTenders(), "the card payment was taken back")
	assert.Equal(t, c.Totals.Total, c.Totals.Remaining)
	return card.Reference, err
}

// A sale that cannot be saved gives the card back at the terminal.
func TestUnsavedSaleVoidsTheCard(t *testing.T) {
	tl, cs, ev := cardTill(t)
	ref, err := payCardUnsaved(t, tl, cs, ev)
	assert.Equal(t, poserr.Storage, poserr.KindOf(err))
	var pe *poserr.Error
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, "error.storage.commit", pe.Key)
	assert.True(t, tl.term.Voided(ref))
	assert.Equal(t, 1, tl.term.VoidCount(ref))
	assert.Empty(t, tl.PendingCardVoids())
	assert.Empty(t, ev.of(pos.CardVoidPending))
	require.NoError(t, tl.RetryCardVoids(context.Background()))
	assert.Equal(t, 1, tl.term.VoidCount(ref))

	// The next card payment is a new one at the terminal, not the voided
	// approval again, and the saved sale keeps the voided card.
	cs.fail.Store(false)
	done := tl.do(t, pos.PayCard{}).Completed
	require.NotNil(t, done)
	paid := done.ActiveTenders()
	require.Len(t, paid, 1)
	assert.NotEqual(t, ref, paid[0].Card.Reference)
	assert.False(t, tl.term.Voided(paid[0].Card.Reference))
	require.Len(t, done.Tenders, 2)
	assert.True(t, done.Tenders[0].Voided)
	assert.Equal(t, ref, done.Tenders[0].Card.Reference)
	identity(t, done)
}

// When the terminal fails the void too, the cashier is told, the void waits
// on the list, and a later retry voids the card exactly once.
func TestUnvoidedCardIsRetried(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name   string
		fails  int // voids the terminal fails, the first included
		before func(t *testing.T, tl *till, cs *commitFails)
		retry  func(t *testing.T, tl *till, cs *commitFails)
	}{
		{
			name: "RetryCardVoids", fails: 1,
			retry: func(t *testing.T, tl *till, _ *commitFails) {
				require.NoError(t, tl.RetryCardVoids(ctx))
			},
		},
		{
			name: "RetryCardVoids fails again, then works", fails: 2,
			before: func(t *testing.T, tl *till, _ *commitFails) {
				err := tl.RetryCardVoids(ctx)
				require.Error(t, err)
				assert.Equal(t, poserr.Device, poserr.KindOf(err))
				var pe *poserr.Error
				require.ErrorAs(t, err, &pe)
				assert.Equal(t, "error.card.void_retry_failed", pe.Key)
				require.Len(t, tl.PendingCardVoids(), 1, "still pending")
				assert.Equal(t, 2, tl.PendingCardVoids()[0].Attempts)
			},
			retry: func(t *testing.T, tl *till, _ *commitFails) {
				require.NoError(t, tl.RetryCardVoids(ctx))
			},
		},
		{
			name: "the next saved sale", fails: 1,
			retry: func(t *testing.T, tl *till, cs *commitFails) {
				cs.fail.Store(false)
				tl.do(t, pos.PayCashExact{})
			},
		},
		{
			name: "voiding a card payment", fails: 1,
			retry: func(t *testing.T, tl *till, _ *commitFails) {
				tl.do(t, pos.PayCard{Amount: 400})
				tl.do(t, pos.VoidPayment{No: tl.Cart().ActiveTenders()[0].No})
			},
		},
		{
			name: "voiding the transaction", fails: 1,
			retry: func(t *testing.T, tl *till, cs *commitFails) {
				cs.fail.Store(false)
				tl.do(t, pos.VoidTransaction{})
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tl, cs, ev := cardTill(t)
			tl.term.FailVoids(tc.fails)
			ref, err := payCardUnsaved(t, tl, cs, ev)

			assert.Equal(t, poserr.Storage, poserr.KindOf(err), "the sale was not saved")
			var pe *poserr.Error
			require.ErrorAs(t, err, &pe)
			assert.Equal(t, "error.card.void_pending", pe.Key)
			assert.Contains(t, err.Error(), "not saved")
			assert.Contains(t, err.Error(), "could not be voided")
			assert.Contains(t, err.Error(), ref)
			assert.Equal(t, ref, pe.Args["reference"])
			assert.ErrorContains(t, err, "disk I/O error (test)", "the commit's cause is kept")
			assert.ErrorContains(t, err, "did not answer the void", "and the terminal's")
			assert.False(t, tl.term.Voided(ref))

			pending := tl.PendingCardVoids()
			require.Len(t, pending, 1)
			assert.Equal(t, ref, pending[0].Tender.Card.Reference)
			assert.Equal(t, 1, pending[0].Attempts)
			assert.Error(t, pending[0].LastErr)
			require.Len(t, ev.of(pos.CardVoidPending), 1)
			assert.Equal(t, ref, ev.of(pos.CardVoidPending)[0].Tender.Card.Reference)

			if tc.before != nil {
				tc.before(t, tl, cs)
				assert.Len(t, ev.of(pos.CardVoidFailed), tc.fails-1)
			}
			tc.retry(t, tl, cs)
			assert.True(t, tl.term.Voided(ref))
			assert.Empty(t, tl.PendingCardVoids())
			voided := ev.of(pos.CardVoided)
			require.Len(t, voided, 1)
			assert.Equal(t, ref, voided[0].Tender.Card.Reference)

			require.NoError(t, tl.RetryCardVoids(ctx), "nothing left to retry")
			assert.Equal(t, 1, tl.term.VoidCount(ref), "the simulator saw exactly one void")
		})
	}
}

// Two retries at once void the card once.
func TestConcurrentRetriesVoidOnce(t *testing.T) {
	tl, cs, ev := cardTill(t)
	tl.term.FailVoids(1)
	ref, _ := payCardUnsaved(t, tl, cs, ev)
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_ = tl.RetryCardVoids(context.Background()) // one of them voids; the others find it taken or done
		}()
	}
	wg.Wait()
	require.NoError(t, tl.RetryCardVoids(context.Background()))
	assert.Equal(t, 1, tl.term.VoidCount(ref))
	assert.Len(t, ev.of(pos.CardVoided), 1)
}
