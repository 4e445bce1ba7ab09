package tillsync_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/offline/demo"
	"github.com/opentill/opentill/pos"
	"github.com/opentill/opentill/pos/cart"
	"github.com/opentill/opentill/pos/catalog"
	"github.com/opentill/opentill/pos/money"
	"github.com/opentill/opentill/pos/poserr"
	"github.com/opentill/opentill/pos/storedvalue"
)

// pulled is a store server link the test pulls the cable of: the
// register's connectivity and its live balance lookups.
type pulled struct {
	on  atomic.Bool
	dir pos.ValueDirectory
}

func (p *pulled) Online() bool { return p.on.Load() }

func (p *pulled) Hold(ctx context.Context, k storedvalue.Kind, n, txnID string, amount money.Amount) error {
	if !p.on.Load() {
		return poserr.E(poserr.Offline, "sync.balance.offline", "the cable is out")
	}
	return p.dir.Hold(ctx, k, n, txnID, amount)
}

func (p *pulled) Balance(ctx context.Context, k storedvalue.Kind, n string) (storedvalue.Known, error) {
	if !p.on.Load() {
		return storedvalue.Known{}, poserr.E(poserr.Offline, "sync.balance.offline", "the cable is out")
	}
	return p.dir.Balance(ctx, k, n)
}

func valueRegister(t *testing.T, tl *till, link *pulled) *pos.Register {
	t.Helper()
	setup, err := tl.St.LoadSetup(ctx)
	require.NoError(t, err)
	reg := pos.NewRegister(setup, tl.St, pos.Options{Connectivity: link, Balances: link})
	_, err = reg.Do(ctx, pos.SignIn{OperatorID: "2001", Secret: "2468"})
	require.NoError(t, err)
	_, err = reg.Do(ctx, pos.OpenShift{StartAmount: 10000})
	require.NoError(t, err)
	return reg
}

// TestGiftCardAcrossTills: a card issued at one till is spent at both
// with the server out of reach, each within the store's offline cap; once
// both have synced the server's ledger holds every movement exactly once,
// both tills show its balance, and the card spent beyond its balance is
// reported, not hidden.
func TestGiftCardAcrossTills(t *testing.T) {
	s := startServer(t, 50)
	a := newTill(t, s, "T01", s.URL)
	b := newTill(t, s, "T02", s.URL)
	pass(t, a, b)
	la, lb := &pulled{dir: a.Eng}, &pulled{dir: b.Eng}
	la.on.Store(true)
	lb.on.Store(true)
	ra, rb := valueRegister(t, a, la), valueRegister(t, b, lb)
	const card = "GC-5000-0001"
	balance := func(t *testing.T, r *pos.Register) *pos.ValueInfo {
		t.Helper()
		res, err := r.Do(ctx, pos.GiftCardBalance{Number: card})
		require.NoError(t, err)
		return res.Value
	}

	// Online, till 1 sells the card with 60.00 on it.
	res, err := ra.Do(ctx, pos.IssueGiftCard{Number: card, Amount: 6000})
	require.NoError(t, err)
	assert.Equal(t, money.Amount(6000), res.Line.Net)
	_, err = ra.Do(ctx, pos.IssueGiftCard{Number: card, Amount: 1000})
	require.Error(t, err, "the same card twice on one sale")
	res, err = ra.Do(ctx, pos.PayCashExact{})
	require.NoError(t, err)
	require.NotNil(t, res.Completed)
	assert.Zero(t, res.Completed.Totals.Tax, "a gift card is not taxed")
	_, err = rb.Do(ctx, pos.GiftCardBalance{Number: card})
	assert.Equal(t, poserr.NotFound, poserr.KindOf(err), "till 2 has not heard of it before the sale is synced")
	pass(t, a, b)
	assert.Equal(t, money.Amount(6000), balance(t, rb).Balance.Amount())
	assert.True(t, balance(t, rb).Live)
	_, err = rb.Do(ctx, pos.IssueGiftCard{Number: card, Amount: 1000})
	assert.Equal(t, poserr.Conflict, poserr.KindOf(err), "an issued card is not issued again")
	lb.on.Store(false)
	info := balance(t, rb)
	assert.False(t, info.Live)
	assert.Equal(t, money.Amount(5000), info.Spendable, "offline: the store's cap of 50.00")

	// Both offline, both tills spend the card: each within its cap.
	la.on.Store(false)
	spend := func(t *testing.T, r *pos.Register, milk int64) *cart.Cart {
		t.Helper()
		_, err := r.Do(ctx, pos.ProductSale{Barcode: "4000000000013", Qty: catalog.Qty(milk) * catalog.One}) // 1.19 each
		require.NoError(t, err)
		res, err := r.Do(ctx, pos.PayGiftCard{Number: card})
		require.NoError(t, err)
		if res.Completed == nil {
			res, err = r.Do(ctx, pos.PayCashExact{})
			require.NoError(t, err)
		}
		require.NotNil(t, res.Completed)
		return res.Completed
	}
	c := spend(t, ra, 50) // 59.50: 50.00 by card (the cap), 9.50 cash
	require.Len(t, c.Tenders, 2)
	assert.Equal(t, money.Amount(5000), c.Tenders[0].Amount)
	assert.Equal(t, money.Amount(1000), c.Tenders[0].Value.Balance, "the balance after, as the till knows it")
	c = spend(t, rb, 30) // 35.70 by card
	assert.Equal(t, money.Amount(3570), c.Tenders[0].Amount)
	_, err = ra.Do(ctx, pos.ProductSale{Barcode: "4000000000013"})
	require.NoError(t, err)
	_, err = ra.Do(ctx, pos.PayGiftCard{Number: card})
	assert.Equal(t, poserr.Offline, poserr.KindOf(err), "till 1 spent its offline cap")
	_, err = ra.Do(ctx, pos.PayCashExact{})
	require.NoError(t, err)

	// The cable is back: 60.00 − 50.00 − 35.70, exactly.
	la.on.Store(true)
	lb.on.Store(true)
	pass(t, a, b, a, b)
	led, err := s.St.ValueBalance(ctx, storedvalue.GiftCard, card)
	require.NoError(t, err)
	assert.Equal(t, int64(-2570), led.Amount, "the ledger is exact: 60.00 issued, 85.70 spent")
	assert.True(t, led.Overdrawn)
	over, err := s.St.OverdrawnBalances(ctx)
	require.NoError(t, err)
	require.Len(t, over, 1, "the overdrawn card is reported")
	assert.Equal(t, card, over[0].Number)
	for name, r := range map[string]*pos.Register{"till 1": ra, "till 2": rb} {
		info := balance(t, r)
		assert.Equal(t, money.Amount(-2570), info.Balance.Amount(), name)
		assert.Zero(t, info.Balance.Pending, "%s: nothing of its own left uncounted", name)
		assert.Zero(t, info.Spendable, name)
	}
	// and as the feed told it, with the cable out again
	la.on.Store(false)
	assert.Equal(t, money.Amount(-2570), balance(t, ra).Balance.Amount())

	// The store's report on the server: the card sold is not a sale, what
	// it paid is its tender's.
	rep, err := s.St.StoreReport(ctx, demo.StoreID, time.Now().Add(-time.Hour), time.Now().Add(time.Hour))
	require.NoError(t, err)
	assert.EqualValues(t, 5950+3570+119, rep.Total.Sales, "the milk, not the card")
	for _, tn := range rep.Tenders {
		if tn.ID == demo.TenderGiftCard {
			assert.EqualValues(t, 5000+3570, tn.Tendered)
		}
	}
}

// TestCreditMemoRedeemedOnce: a return refunded onto a credit memo at one
// till; offline the memo pays only there; online it pays at the other
// till, partly, and what it paid is gone at the first.
func TestCreditMemoRedeemedOnce(t *testing.T) {
	s := startServer(t, 50)
	a := newTill(t, s, "T01", s.URL)
	b := newTill(t, s, "T02", s.URL)
	pass(t, a, b)
	la, lb := &pulled{dir: a.Eng}, &pulled{dir: b.Eng}
	ra, rb := valueRegister(t, a, la), valueRegister(t, b, lb)

	// Offline at till 1: 10 bottles of milk returned onto a memo.
	_, err := ra.Do(ctx, pos.ReturnProduct{Barcode: "4000000000013", Qty: 10 * catalog.One})
	require.NoError(t, err)
	res, err := ra.Do(ctx, pos.IssueCreditMemo{})
	require.NoError(t, err)
	require.NotNil(t, res.Completed)
	memo := res.Completed.Tenders[0]
	require.NotNil(t, memo.Value)
	assert.Equal(t, money.Amount(-1190), memo.Amount)
	assert.Equal(t, money.Amount(1190), memo.Value.Balance)
	number := memo.Value.Number
	_, ok := storedvalue.Normalize(number)
	assert.True(t, ok, "the memo number %q scans back", number)

	// Offline, the memo pays at the till that issued it, not at the other.
	_, err = ra.Do(ctx, pos.ProductSale{Barcode: "4000000000013", Qty: 2 * catalog.One}) // 2.38
	require.NoError(t, err)
	res, err = ra.Do(ctx, pos.PayCreditMemo{Number: number})
	require.NoError(t, err)
	require.NotNil(t, res.Completed)
	_, err = rb.Do(ctx, pos.ProductSale{Barcode: "4000000000013"})
	require.NoError(t, err)
	_, err = rb.Do(ctx, pos.PayCreditMemo{Number: number})
	assert.Equal(t, poserr.Offline, poserr.KindOf(err), "offline a memo pays only where it was issued")

	// Online, till 2 takes what is left of it, on a bigger sale.
	la.on.Store(true)
	lb.on.Store(true)
	pass(t, a)
	_, err = rb.Do(ctx, pos.ProductSale{Barcode: "4000000000013", Qty: 9 * catalog.One}) // 10 × 1.19 = 11.90
	require.NoError(t, err)
	res, err = rb.Do(ctx, pos.PayCreditMemo{Number: number})
	require.NoError(t, err)
	assert.Nil(t, res.Completed, "9.52 of 11.90 paid by the memo")
	res, err = rb.Do(ctx, pos.PayCashExact{})
	require.NoError(t, err)
	require.NotNil(t, res.Completed)
	assert.Equal(t, money.Amount(952), res.Completed.Tenders[0].Amount)
	assert.Zero(t, res.Completed.Tenders[0].Value.Balance)

	// At once, before till 2 has sent its sale: the server holds what it
	// took, so till 1 cannot spend the memo again.
	_, err = ra.Do(ctx, pos.ProductSale{Barcode: "4000000000013"})
	require.NoError(t, err)
	_, err = ra.Do(ctx, pos.PayCreditMemo{Number: number})
	assert.Equal(t, poserr.Conflict, poserr.KindOf(err), "a memo redeemed once only")
	pass(t, b)
	_, err = ra.Do(ctx, pos.PayCreditMemo{Number: number})
	assert.Equal(t, poserr.Conflict, poserr.KindOf(err), "nor once the sale has arrived")
	pass(t, a, b)
	led, err := s.St.ValueBalance(ctx, storedvalue.Memo, number)
	require.NoError(t, err)
	assert.Zero(t, led.Amount)
	assert.False(t, led.Overdrawn)
	assert.Len(t, led.Counted, 2, "both tills' movements")
}
