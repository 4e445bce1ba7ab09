package pos_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/peripherals/paysim"
	"github.com/opentill/opentill/pos"
	"github.com/opentill/opentill/pos/catalog"
	"github.com/opentill/opentill/pos/money"
	"github.com/opentill/opentill/pos/poserr"
	"github.com/opentill/opentill/pos/receipt"
	"github.com/opentill/opentill/pos/tender"
)

// offlineCardTill is a till of the test store whose terminal cannot reach
// the processor; policy caps what it takes offline (nil: nothing).
func offlineCardTill(t *testing.T, open func(*testing.T, bool) *till, policy *tender.OfflinePolicy) *till {
	t.Helper()
	tl := open(t, true)
	setup := testSetup(true)
	setup.OfflineCards = policy
	tl.term.SetMode(paysim.Unreachable)
	tl.Register = pos.NewRegister(setup, tl.store, pos.Options{Terminal: tl.term, Now: func() time.Time { tl.now = tl.now.Add(time.Second); return tl.now }})
	tl.do(t, pos.SignIn{OperatorID: "2001", Secret: "2468"})
	tl.do(t, pos.OpenShift{StartAmount: 10000})
	tl.do(t, pos.SignOut{})
	tl.do(t, pos.SignIn{OperatorID: "1001", Secret: "1234"})
	tl.do(t, pos.Approved{Op: pos.JoinShift{}, ManagerID: "2001", Secret: "2468"})
	return tl
}

func TestOfflineCardPayments(t *testing.T) {
	for name, open := range stores {
		t.Run(name, func(t *testing.T) { testOfflineCardPayments(t, open) })
	}
}

func testOfflineCardPayments(t *testing.T, open func(*testing.T, bool) *till) {
	ctx := context.Background()
	t.Run("a store that takes none", func(t *testing.T) {
		tl := offlineCardTill(t, open, nil)
		tl.do(t, pos.ProductSale{Barcode: bcWine})
		_, err := tl.Do(ctx, pos.PayCard{})
		assert.Equal(t, poserr.Device, poserr.KindOf(err), "%v", err)
		assert.Zero(t, tl.term.Stored())
	})
	tl := offlineCardTill(t, open, &tender.OfflinePolicy{MaxPerSale: 5000, MaxPerTill: 6000, MaxPerWindow: 10000, WindowHours: 12})
	sell := func(units int64) {
		t.Helper()
		tl.do(t, pos.ProductSale{Barcode: bcWine, Qty: catalog.Qty(units) * catalog.One}) // 8.99 each
	}
	sell(3) // 26.97
	done := tl.do(t, pos.PayCard{}).Completed
	require.NotNil(t, done, "taken offline, within the caps")
	require.True(t, done.Tenders[0].Card.Offline)
	assert.Empty(t, done.Tenders[0].Card.OfflineApprover)
	assert.Equal(t, 1, tl.term.Stored())
	assert.Contains(t, receipt.Build(done, receipt.Header{}, "").Text(42), "Offline", "marked on the receipt")

	sell(4) // 35.96: 26.97 + 35.96 waiting is beyond the till's 60.00
	_, err := tl.Do(ctx, pos.PayCard{})
	require.Equal(t, poserr.LimitExceeded, poserr.KindOf(err), "%v", err)
	done = tl.do(t, pos.Approved{Op: pos.PayCard{}, ManagerID: "2001", Secret: "2468"}).Completed
	require.NotNil(t, done, "a manager approves it")
	assert.Equal(t, "2001", done.Tenders[0].Card.OfflineApprover)
	sell(6) // 53.94: beyond one payment's 50.00
	_, err = tl.Do(ctx, pos.PayCard{})
	assert.Equal(t, poserr.LimitExceeded, poserr.KindOf(err))
	tl.do(t, pos.PayCashExact{})

	x := tl.do(t, pos.Approved{Op: pos.PrintXReport{}, ManagerID: "2001", Secret: "2468"}).Report
	assert.Equal(t, 2, x.OfflineCards)
	assert.Equal(t, money.Amount(2697+3596), x.OfflineCardAmount)
	assert.Contains(t, receipt.NewShiftReport(*x, receipt.Header{}).Text(42), "Cards taken offline (2)")

	// The processor is back: the terminal forwards both, one is declined.
	_, err = tl.Do(ctx, pos.Approved{Op: pos.ForwardCards{}, ManagerID: "2001", Secret: "2468"})
	assert.Equal(t, poserr.Offline, poserr.KindOf(err), "still unreachable: nothing forwarded")
	tl.term.SetMode(paysim.Approve)
	tl.term.DeclineOnForward(1)
	res := tl.do(t, pos.Approved{Op: pos.ForwardCards{}, ManagerID: "2001", Secret: "2468"})
	require.NotNil(t, res.Forward)
	assert.Len(t, res.Forward.Results, 2)
	require.Len(t, res.Forward.Declined, 1, "declined when forwarded, for the store to follow up")
	assert.Equal(t, money.Amount(2697), res.Forward.Declined[0].Amount)
	assert.Empty(t, res.Forward.Pending)
	assert.Zero(t, tl.term.Stored())

	// Nothing waits now, but the window still counts what was taken.
	tl.term.SetMode(paysim.Unreachable)
	sell(5) // 44.95: 62.93 + 44.95 in the 12 hours is beyond 100.00
	_, err = tl.Do(ctx, pos.PayCard{})
	assert.Equal(t, poserr.LimitExceeded, poserr.KindOf(err))
	tl.do(t, pos.VoidTransaction{})
	sell(1)
	assert.NotNil(t, tl.do(t, pos.PayCard{}).Completed, "8.99 fits")
}
