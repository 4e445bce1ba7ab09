package pos_test

import (
	"context"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/pos"
	"github.com/opentill/opentill/pos/cart"
	"github.com/opentill/opentill/pos/catalog"
	"github.com/opentill/opentill/pos/customer"
	"github.com/opentill/opentill/pos/money"
	"github.com/opentill/opentill/pos/poserr"
	"github.com/opentill/opentill/pos/receipt"
	"github.com/opentill/opentill/pos/storedvalue"
	"github.com/opentill/opentill/pos/tender"
)

// balances is a store server's balances the test sets, reachable or not.
type balances struct {
	on atomic.Bool
	mu sync.Mutex
	m  map[string]storedvalue.Known
}

func (b *balances) Online() bool { return b.on.Load() }

func (b *balances) set(k storedvalue.Kind, n string, amount money.Amount, counted int64) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.m == nil {
		b.m = map[string]storedvalue.Known{}
	}
	b.m[string(k)+n] = storedvalue.Known{Kind: k, Number: n, Amount: amount, AsOf: time.Now(), Counted: map[string]int64{"S1/T1": counted}}
}

func (b *balances) setAccount(n string, owed, limit money.Amount, counted int64) {
	b.set(storedvalue.Account, n, -owed, counted)
	b.mu.Lock()
	defer b.mu.Unlock()
	k := b.m[string(storedvalue.Account)+n]
	k.Limit = limit
	b.m[string(storedvalue.Account)+n] = k
}

func (b *balances) Hold(_ context.Context, k storedvalue.Kind, n, txnID string, amount money.Amount) error {
	if !b.on.Load() {
		return poserr.E(poserr.Offline, "sync.balance.offline", "unreachable")
	}
	return nil
}

func (b *balances) Balance(_ context.Context, k storedvalue.Kind, n string) (storedvalue.Known, error) {
	if !b.on.Load() {
		return storedvalue.Known{}, poserr.E(poserr.Offline, "sync.balance.offline", "unreachable")
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	got, ok := b.m[string(k)+n]
	if !ok {
		return got, poserr.E(poserr.NotFound, "error.value.unknown", "unknown")
	}
	return got, nil
}

// valueTill is a till of the test store taking gift cards (5.00 to
// 200.00 a card, 30.00 spent offline, 10.00 cashed out) and credit memos,
// with the server's balances in srv.
func valueTill(t *testing.T, open func(*testing.T, bool) *till, srv *balances) *till {
	t.Helper()
	tl := open(t, true)
	setup := testSetup(true)
	setup.GiftCards = &storedvalue.Policy{OfflineCap: 3000, CashOutMax: 1000, MaxValue: 20000, MinIssue: 500}
	setup.TenderTypes = append(setup.TenderTypes,
		tender.Type{ID: "GIFT", Name: "Gift card", Kind: cart.GiftCard, AllowUndertender: true},
		tender.Type{ID: "MEMO", Name: "Credit memo", Kind: cart.CreditMemo, AllowUndertender: true, AllowRefund: true},
		tender.Type{ID: "ACCT", Name: "On account", Kind: cart.Account, AllowUndertender: true, AllowRefund: true})
	setup.CustomerAccounts = &storedvalue.Policy{OfflineCap: 2000}
	tl.Register = pos.NewRegister(setup, tl.store, pos.Options{Terminal: tl.term, Connectivity: srv, Balances: srv,
		Now: func() time.Time { tl.now = tl.now.Add(time.Second); return tl.now }})
	tl.do(t, pos.SignIn{OperatorID: "2001", Secret: "2468"})
	tl.do(t, pos.OpenShift{StartAmount: 10000})
	return tl
}

func TestGiftCards(t *testing.T) {
	for name, open := range stores {
		t.Run(name, func(t *testing.T) {
			t.Run("issue", func(t *testing.T) { testIssueGiftCard(t, open) })
			t.Run("pay", func(t *testing.T) { testPayGiftCard(t, open) })
			t.Run("cash out", func(t *testing.T) { testCashOutGiftCard(t, open) })
			t.Run("memo", func(t *testing.T) { testCreditMemo(t, open) })
			t.Run("account", func(t *testing.T) { testCustomerAccount(t, open) })
		})
	}
}

func testIssueGiftCard(t *testing.T, open func(*testing.T, bool) *till) {
	srv := &balances{}
	srv.on.Store(true)
	tl := valueTill(t, open, srv)
	ctx := context.Background()
	for _, tc := range []struct {
		name string
		op   pos.Operation
		kind poserr.Kind
	}{
		{"a number too short", pos.IssueGiftCard{Number: "12", Amount: 2000}, poserr.Invalid},
		{"a number with spaces inside", pos.IssueGiftCard{Number: "GC 0001", Amount: 2000}, poserr.Invalid},
		{"less than the store issues", pos.IssueGiftCard{Number: "GC-0001", Amount: 499}, poserr.Invalid},
		{"more than a card holds", pos.IssueGiftCard{Number: "GC-0001", Amount: 20001}, poserr.Invalid},
		{"adding to a card never issued", pos.AddToGiftCard{Number: "GC-0001", Amount: 2000}, poserr.NotFound},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := tl.Do(ctx, tc.op)
			assert.Equal(t, tc.kind, poserr.KindOf(err), "%v", err)
		})
	}
	tl.do(t, pos.ProductSale{Barcode: bcWine})
	ln := tl.do(t, pos.IssueGiftCard{Number: " gc-0001 ", Amount: 2500}).Line
	require.NotNil(t, ln.Value)
	assert.Equal(t, "GC-0001", ln.Value.Number, "trimmed and upper-cased")
	tl.do(t, pos.TotalDiscount{Percent: 1000})
	c := tl.Cart()
	assert.Equal(t, money.Amount(2500), c.Line(ln.No).Net, "a gift card is not discounted")
	assert.Zero(t, c.Line(ln.No).Tax, "nor taxed")
	assert.Equal(t, money.Amount(899-90+2500), c.Totals.Total)
	_, err := tl.Do(ctx, pos.SetQuantity{Line: ln.No, Qty: 2 * catalog.One})
	assert.Equal(t, poserr.Conflict, poserr.KindOf(err), "a gift card's line is not changed")
	_, err = tl.Do(ctx, pos.PriceOverride{Line: ln.No, Price: 100})
	assert.Equal(t, poserr.Conflict, poserr.KindOf(err))
	_, err = tl.Do(ctx, pos.IssueGiftCard{Number: "GC-0001", Amount: 1000})
	assert.Equal(t, poserr.Conflict, poserr.KindOf(err), "one card once on a sale")
	_, err = tl.Do(ctx, pos.PayGiftCard{Number: "GC-0001"})
	assert.Error(t, err, "a card does not pay for itself")
	done := tl.do(t, pos.PayCashExact{}).Completed
	require.NotNil(t, done)

	text := receipt.Build(done, receipt.Header{}, "").Text(42)
	assert.Contains(t, text, "Gift card ****0001", "the card masked on the receipt")
	assert.NotContains(t, text, "GC-0001")
	x := tl.do(t, pos.PrintXReport{}).Report
	assert.Equal(t, money.Amount(2500), x.GiftCardsSold, "X: gift cards sold, apart from the sales")
	assert.Equal(t, money.Amount(899-90), x.NetSales)

	// Offline, the card issued here is known; a second sale adds to it.
	srv.on.Store(false)
	info := tl.do(t, pos.GiftCardBalance{Number: "GC-0001"}).Value
	assert.False(t, info.Live)
	assert.True(t, info.Balance.IssuedHere)
	assert.Equal(t, money.Amount(2500), info.Balance.Amount())
	assert.Equal(t, money.Amount(2500), info.Spendable, "its amount, within the offline cap")
	_, err = tl.Do(ctx, pos.IssueGiftCard{Number: "GC-0001", Amount: 1000})
	assert.Equal(t, poserr.Conflict, poserr.KindOf(err), "issued already")
	tl.do(t, pos.AddToGiftCard{Number: "GC-0001", Amount: 1000})
	tl.do(t, pos.PayCashExact{})
	assert.Equal(t, money.Amount(3500), tl.do(t, pos.GiftCardBalance{Number: "GC-0001"}).Value.Balance.Amount())
	_, err = tl.Do(ctx, pos.AddToGiftCard{Number: "GC-9999", Amount: 1000})
	assert.Equal(t, poserr.Offline, poserr.KindOf(err), "a card the till never heard of, offline")
}

func testPayGiftCard(t *testing.T, open func(*testing.T, bool) *till) {
	srv := &balances{}
	srv.on.Store(true)
	srv.set(storedvalue.GiftCard, "GC-7777", 5000, 0) // issued at another till
	tl := valueTill(t, open, srv)
	ctx := context.Background()

	// Online: the whole balance pays; what the card cannot pay stays due.
	tl.do(t, pos.ProductSale{Barcode: bcWine, Qty: 7 * catalog.One}) // 62.93
	res := tl.do(t, pos.PayGiftCard{Number: "GC-7777"})
	assert.Nil(t, res.Completed)
	tn := tl.Cart().Tenders[0]
	assert.Equal(t, money.Amount(5000), tn.Amount)
	assert.Zero(t, tn.Value.Balance)
	_, err := tl.Do(ctx, pos.PayGiftCard{Number: "GC-7777"})
	assert.Equal(t, poserr.Conflict, poserr.KindOf(err), "nothing left on it")
	tl.do(t, pos.VoidPayment{No: 1})
	_, err = tl.Do(ctx, pos.PayGiftCard{Number: "GC-7777", Amount: 5001})
	assert.Equal(t, poserr.Invalid, poserr.KindOf(err), "more than it holds, typed")
	_, err = tl.Do(ctx, pos.PayGiftCardExact{Number: "GC-7777"})
	assert.Equal(t, poserr.Invalid, poserr.KindOf(err), "exact: 62.93 is more than the card holds, so nothing is taken")
	assert.Empty(t, tl.Cart().ActiveTenders())
	tl.do(t, pos.PayGiftCard{Number: "GC-7777", Amount: 2000})
	done := tl.do(t, pos.PayCashExact{}).Completed
	require.NotNil(t, done)
	text := receipt.Build(done, receipt.Header{}, "").Text(42)
	assert.Contains(t, text, "****7777")
	assert.Contains(t, text, "Balance €30.00", "the card's balance after, on the receipt")
	srv.set(storedvalue.GiftCard, "GC-7777", 6000, 1) // the server counted it, and another till added 30.00
	assert.Equal(t, money.Amount(6000), tl.do(t, pos.GiftCardBalance{Number: "GC-7777"}).Value.Balance.Amount(), "heard live")

	// Offline: up to the cap of 30.00, less what this till spent unconfirmed.
	srv.on.Store(false)
	tl.do(t, pos.ProductSale{Barcode: bcWine, Qty: 2 * catalog.One}) // 17.98
	done = tl.do(t, pos.PayGiftCard{Number: "GC-7777"}).Completed
	require.NotNil(t, done, "17.98 within the cap")
	tl.do(t, pos.ProductSale{Barcode: bcWine, Qty: 2 * catalog.One})
	tl.do(t, pos.PayGiftCard{Number: "GC-7777"})
	assert.Equal(t, money.Amount(3000-1798), tl.Cart().Tenders[0].Amount, "the cap's rest: 12.02")
	tl.do(t, pos.PayCashExact{})
	tl.do(t, pos.ProductSale{Barcode: bcMilk})
	_, err = tl.Do(ctx, pos.PayGiftCard{Number: "GC-7777"})
	assert.Equal(t, poserr.Offline, poserr.KindOf(err), "the cap is spent: another tender, or wait for the server")
	_, err = tl.Do(ctx, pos.PayGiftCard{Number: "GC-1234"})
	assert.Equal(t, poserr.Offline, poserr.KindOf(err), "a card never heard of is not taken offline")
	srv.on.Store(true)
	_, err = tl.Do(ctx, pos.PayGiftCard{Number: "GC-1234"})
	assert.Equal(t, poserr.NotFound, poserr.KindOf(err), "online, the server does not know it")
	done = tl.do(t, pos.PayGiftCard{Number: "GC-7777"}).Completed
	require.NotNil(t, done, "online: the card pays again")
	assert.Equal(t, money.Amount(6000-3000-129), done.Tenders[0].Value.Balance, "60.00 − 30.00 spent here not yet counted − 1.29")
}

func testCashOutGiftCard(t *testing.T, open func(*testing.T, bool) *till) {
	srv := &balances{}
	srv.set(storedvalue.GiftCard, "GC-0800", 800, 0)
	srv.set(storedvalue.GiftCard, "GC-5000", 5000, 0)
	tl := valueTill(t, open, srv)
	ctx := context.Background()
	_, err := tl.Do(ctx, pos.CashOutGiftCard{Number: "GC-0800"})
	assert.Equal(t, poserr.Offline, poserr.KindOf(err), "online only")
	srv.on.Store(true)
	_, err = tl.Do(ctx, pos.CashOutGiftCard{Number: "GC-5000"})
	assert.Equal(t, poserr.Conflict, poserr.KindOf(err), "above the store's cash-out limit")
	ln := tl.do(t, pos.CashOutGiftCard{Number: "GC-0800"}).Line
	assert.Equal(t, money.Amount(-800), ln.Net)
	assert.Equal(t, money.Amount(-800), tl.Cart().Totals.Total, "the till pays it back")
	done := tl.do(t, pos.PayCashExact{}).Completed
	require.NotNil(t, done)
	assert.Equal(t, money.Amount(-800), done.Tenders[0].Amount)
	x := tl.do(t, pos.PrintXReport{}).Report
	assert.Equal(t, money.Amount(800), x.GiftCardsCashedOut)
	assert.Zero(t, x.Returns, "not a return")
	assert.Zero(t, tl.do(t, pos.GiftCardBalance{Number: "GC-0800"}).Value.Balance.Amount())
}

func testCreditMemo(t *testing.T, open func(*testing.T, bool) *till) {
	srv := &balances{}
	tl := valueTill(t, open, srv)
	ctx := context.Background()
	tl.do(t, pos.ProductSale{Barcode: bcMilk})
	_, err := tl.Do(ctx, pos.IssueCreditMemo{})
	assert.Equal(t, poserr.Conflict, poserr.KindOf(err), "a memo is for a refund")
	tl.do(t, pos.VoidTransaction{})

	tl.do(t, pos.ReturnProduct{Barcode: bcWine, Qty: 2 * catalog.One})
	done := tl.do(t, pos.IssueCreditMemo{}).Completed
	require.NotNil(t, done)
	memo := done.Tenders[0]
	assert.Equal(t, money.Amount(-1798), memo.Amount)
	number := memo.Value.Number
	doc := receipt.Build(done, receipt.Header{}, "").Document(nil)
	var codes []string
	for _, b := range doc.Blocks {
		if bc, ok := b.(*receipt.Barcode); ok {
			codes = append(codes, bc.Data)
		}
	}
	assert.Contains(t, codes, number, "the memo's number as a barcode")
	assert.Contains(t, doc.Text(42), number, "and in full, to type")
	x := tl.do(t, pos.PrintXReport{}).Report
	assert.Equal(t, money.Amount(1798), x.MemosIssued)
	bal := tl.do(t, pos.CreditMemoBalance{Number: number}).Value
	assert.Equal(t, money.Amount(1798), bal.Balance.Amount())
	assert.Equal(t, money.Amount(1798), bal.Spendable, "offline, at the till that issued it")

	// Offline at this till, the memo pays in part; the rest stays on it.
	tl.do(t, pos.ProductSale{Barcode: bcWine})
	res := tl.do(t, pos.PayCreditMemo{Number: strings.ToLower(number)})
	require.NotNil(t, res.Completed)
	assert.Equal(t, money.Amount(899), res.Completed.Tenders[0].Value.Balance)
	tl.do(t, pos.ProductSale{Barcode: bcWine, Qty: 2 * catalog.One})
	tl.do(t, pos.PayCreditMemo{Number: number})
	assert.Equal(t, money.Amount(899), tl.Cart().Tenders[0].Amount, "what is left on it")
	tl.do(t, pos.PayCashExact{})
	tl.do(t, pos.ProductSale{Barcode: bcMilk})
	_, err = tl.Do(ctx, pos.PayCreditMemo{Number: number})
	assert.Equal(t, poserr.Conflict, poserr.KindOf(err), "spent")
	_, err = tl.Do(ctx, pos.PayCreditMemo{Number: "CM-OTHER-1"})
	assert.Equal(t, poserr.Offline, poserr.KindOf(err), "another till's memo needs the server")
	tl.do(t, pos.VoidTransaction{})
}

func testCustomerAccount(t *testing.T, open func(*testing.T, bool) *till) {
	srv := &balances{}
	srv.on.Store(true)
	tl := valueTill(t, open, srv)
	ctx := context.Background()
	tl.do(t, pos.ProductSale{Barcode: bcWine, Qty: 7 * catalog.One}) // 62.93
	_, err := tl.Do(ctx, pos.PayCustomerAccount{})
	assert.Equal(t, poserr.Conflict, poserr.KindOf(err), "no customer on the sale")
	cu := tl.do(t, pos.CreateCustomer{Customer: customer.Customer{FirstName: "Konto", LastName: "Kunde"}}).Customer
	tl.do(t, pos.AddCustomer{ID: cu.ID})
	_, err = tl.Do(ctx, pos.PayCustomerAccount{})
	assert.Equal(t, poserr.Conflict, poserr.KindOf(err), "the customer has no account")
	srv.setAccount(cu.Number, 0, 5000, 0)

	// 50.00 of credit: the account pays that much, cash the rest.
	res := tl.do(t, pos.PayCustomerAccount{})
	assert.Nil(t, res.Completed)
	tn := tl.Cart().Tenders[0]
	assert.Equal(t, money.Amount(5000), tn.Amount)
	assert.Equal(t, money.Amount(-5000), tn.Value.Balance, "the customer owes 50.00 now")
	done := tl.do(t, pos.PayCashExact{}).Completed
	require.NotNil(t, done)
	assert.Contains(t, receipt.Build(done, receipt.Header{}, "").Text(42), cu.Number, "the account on the receipt")
	srv.setAccount(cu.Number, 5000, 5000, 1) // the server counted the charge
	tl.do(t, pos.AddCustomer{ID: cu.ID})
	tl.do(t, pos.ProductSale{Barcode: bcMilk})
	_, err = tl.Do(ctx, pos.PayCustomerAccount{})
	assert.Equal(t, poserr.Conflict, poserr.KindOf(err), "at the credit limit")
	tl.do(t, pos.VoidTransaction{})

	// The customer pays 30.00 into the account: a line, paid in cash.
	tl.do(t, pos.AddCustomer{ID: cu.ID})
	ln := tl.do(t, pos.AccountDeposit{Amount: 3000}).Line
	assert.Equal(t, money.Amount(3000), ln.Net)
	assert.Zero(t, ln.Tax)
	tl.do(t, pos.PayCashExact{})
	x := tl.do(t, pos.PrintXReport{}).Report
	assert.Equal(t, money.Amount(3000), x.AccountDeposits)
	assert.Equal(t, money.Amount(5000), x.Tender("ACCT").Tendered, "charged to accounts")
	assert.Equal(t, money.Amount(6293), x.NetSales, "a deposit is not a sale")

	// Offline: the store's cap of 20.00 bounds what is charged unconfirmed.
	srv.on.Store(false)
	tl.do(t, pos.AddCustomer{ID: cu.ID})
	tl.do(t, pos.ProductSale{Barcode: bcWine, Qty: 3 * catalog.One}) // 26.97
	tl.do(t, pos.PayCustomerAccount{})
	assert.Equal(t, money.Amount(2000), tl.Cart().Tenders[0].Amount, "the offline cap")
	tl.do(t, pos.PayCashExact{})
}

func TestRefundToOriginalTender(t *testing.T) {
	for name, open := range stores {
		t.Run(name, func(t *testing.T) {
			srv := &balances{}
			srv.on.Store(true)
			srv.set(storedvalue.GiftCard, "GC-7777", 5000, 0)
			tl := open(t, true)
			setup := testSetup(true)
			setup.RefundToOriginal = true
			setup.GiftCards = &storedvalue.Policy{OfflineCap: 3000}
			setup.TenderTypes = append(setup.TenderTypes, tender.Type{ID: "GIFT", Name: "Gift card", Kind: cart.GiftCard, AllowUndertender: true, AllowRefund: true})
			tl.Register = pos.NewRegister(setup, tl.store, pos.Options{Terminal: tl.term, Connectivity: srv, Balances: srv,
				Now: func() time.Time { tl.now = tl.now.Add(time.Second); return tl.now }})
			ctx := context.Background()
			tl.do(t, pos.SignIn{OperatorID: "2001", Secret: "2468"})
			tl.do(t, pos.OpenShift{StartAmount: 10000})
			tl.do(t, pos.ProductSale{Barcode: bcWine})
			byCard := tl.do(t, pos.PayCard{}).Completed
			tl.do(t, pos.ProductSale{Barcode: bcWine})
			byGift := tl.do(t, pos.PayGiftCard{Number: "GC-7777"}).Completed
			require.NotNil(t, byGift)

			// A gift card's sale goes back onto the card, found by itself.
			tl.do(t, pos.ReturnTransaction{ReceiptNo: byGift.ReceiptNo})
			done := tl.do(t, pos.PayGiftCard{}).Completed
			require.NotNil(t, done)
			assert.Equal(t, "GC-7777", done.Tenders[0].Value.Number)
			assert.Equal(t, money.Amount(-899), done.Tenders[0].Amount)
			assert.Equal(t, money.Amount(5000), done.Tenders[0].Value.Balance, "back to what it held")

			// A cashier refunds a card sale to a card, not in cash.
			tl.do(t, pos.SignOut{})
			tl.do(t, pos.SignIn{OperatorID: "1001", Secret: "1234"})
			tl.do(t, pos.Approved{Op: pos.JoinShift{}, ManagerID: "2001", Secret: "2468"})
			tl.do(t, pos.ReturnTransaction{ReceiptNo: byCard.ReceiptNo})
			_, err := tl.Do(ctx, pos.PayCashExact{})
			require.Equal(t, poserr.LimitExceeded, poserr.KindOf(err), "%v", err)
			assert.NotNil(t, tl.do(t, pos.PayCard{}).Completed, "refunded to the card")
		})
	}
}
