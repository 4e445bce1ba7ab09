package pos_test

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/peripherals/paysim"
	"github.com/opentill/opentill/pos"
	"github.com/opentill/opentill/pos/cart"
	"github.com/opentill/opentill/pos/catalog"
	"github.com/opentill/opentill/pos/journal"
	"github.com/opentill/opentill/pos/memstore"
	"github.com/opentill/opentill/pos/money"
	"github.com/opentill/opentill/pos/poserr"
	"github.com/opentill/opentill/pos/staff"
)

func TestCashSaleWithChangeAndRounding(t *testing.T) {
	tl := newTill(t, true)
	var events []pos.EventType
	tl.Subscribe(func(e pos.Event) { events = append(events, e.Type) })
	tl.do(t, pos.SignIn{OperatorID: "1001", Secret: "1234"})
	tl.do(t, pos.ProductSale{Barcode: bcMilk})
	tl.do(t, pos.ProductSale{Barcode: bcWine, Qty: 2 * catalog.One})
	res := tl.do(t, pos.ProductSale{Barcode: "2100042012349"}) // 1.234 kg of cheese
	assert.Equal(t, catalog.Qty(1234), res.Line.Qty)
	assert.Equal(t, money.Amount(2332), res.Line.Gross) // 1.234 × 18.90 = 23.3226
	c := tl.Cart()
	assert.Equal(t, money.Amount(129+1798+2332), c.Totals.Total)
	identity(t, c)

	res = tl.do(t, pos.PayCash{Amount: 5000})
	require.NotNil(t, res.Completed)
	done := res.Completed
	assert.Equal(t, cart.Completed, done.Status)
	assert.Equal(t, "S1-T1-000001", done.ReceiptNo)
	assert.Equal(t, money.Amount(4260), done.Totals.Due) // 42.59 rounded to 42.60
	assert.Equal(t, money.Amount(1), done.Totals.Rounding)
	assert.Equal(t, money.Amount(740), done.Change)
	identity(t, done)
	require.NotNil(t, res.Receipt)
	assert.Contains(t, res.Receipt.Text(42), "S1-T1-000001")
	assert.Nil(t, tl.Cart(), "a new transaction starts empty")
	tl.Flush()
	assert.Contains(t, events, pos.TransactionCompleted)
	assert.Contains(t, events, pos.LineAdded)

	stored, returned, err := tl.store.Transaction(context.Background(), "S1-T1-000001")
	require.NoError(t, err)
	assert.Equal(t, done.Totals, stored.Totals)
	assert.Empty(t, returned)
	n, err := tl.store.VerifyJournal(context.Background())
	require.NoError(t, err)
	assert.GreaterOrEqual(t, n, int64(2)) // sign-in and sale
}

func TestScanErrorsAreClearAndLoseNothing(t *testing.T) {
	tl := newTill(t, true)
	tl.do(t, pos.SignIn{OperatorID: "1001", Secret: "1234"})
	tl.do(t, pos.ProductSale{Barcode: bcMilk})
	tests := []struct {
		code string
		kind poserr.Kind
		msg  string
	}{
		{"4006381333932", poserr.Invalid, "check digit"},
		{"4006381333948", poserr.NotFound, "4006381333948"},
		{"abc", poserr.NotFound, "abc"},
		{"", poserr.Invalid, "scan a barcode"},
		{bcCheese, poserr.Invalid, "weight"},           // weighed item, no weight
		{bcGiftBox, poserr.Invalid, "enter the price"}, // must key in price
	}
	for _, tt := range tests {
		err := tl.fail(t, pos.ProductSale{Barcode: tt.code})
		assert.Equal(t, tt.kind, poserr.KindOf(err), "%s: %v", tt.code, err)
		assert.Contains(t, err.Error(), tt.msg)
	}
	c := tl.Cart()
	require.Len(t, c.Lines, 1, "failed scans leave the cart as it was")
	assert.Equal(t, money.Amount(129), c.Totals.Total)
	// Item ID typed instead of a barcode, weighed item with a scale weight, keyed-in price.
	tl.do(t, pos.ProductSale{Barcode: "10002"})
	tl.do(t, pos.ProductSale{Barcode: bcCheese, Qty: 500})
	tl.do(t, pos.ProductSale{Barcode: bcGiftBox, Price: 250})
	assert.Len(t, tl.Cart().Lines, 4)
	err := tl.fail(t, pos.SetQuantity{Line: 1, Qty: 1500})
	assert.Contains(t, err.Error(), "whole units")
}

func TestPermissionsAreEnforcedInTheDomain(t *testing.T) {
	tests := []struct {
		name string
		who  [2]string
		prep []pos.Operation
		op   pos.Operation
		kind poserr.Kind
	}{
		{"signed out cannot sell", [2]string{}, nil, pos.ProductSale{Barcode: bcMilk}, poserr.Unauthorized},
		{"associate cannot sell", [2]string{"3001", "1357"}, nil, pos.ProductSale{Barcode: bcMilk}, poserr.NotPermitted},
		{"cashier cannot override price", [2]string{"1001", "1234"}, []pos.Operation{pos.ProductSale{Barcode: bcMilk}}, pos.PriceOverride{Line: 1, Price: 99}, poserr.NotPermitted},
		{"cashier cannot return without receipt", [2]string{"1001", "1234"}, nil, pos.ReturnProduct{Barcode: bcMilk}, poserr.NotPermitted},
		{"cashier line discount over limit", [2]string{"1001", "1234"}, []pos.Operation{pos.ProductSale{Barcode: bcWine}}, pos.LineDiscount{Line: 1, Percent: 1500}, poserr.LimitExceeded},
		{"cashier amount discount over limit", [2]string{"1001", "1234"}, []pos.Operation{pos.ProductSale{Barcode: bcWine}}, pos.LineDiscount{Line: 1, Amount: 100}, poserr.LimitExceeded},
		{"cashier total discount over limit", [2]string{"1001", "1234"}, []pos.Operation{pos.ProductSale{Barcode: bcWine}}, pos.TotalDiscount{Percent: 600}, poserr.LimitExceeded},
		{"cashier cannot unlock", [2]string{"1001", "1234"}, nil, pos.UnlockOperator{OperatorID: "1002"}, poserr.NotPermitted},
		{"cashier cannot reprint", [2]string{"1001", "1234"}, nil, pos.ReprintReceipt{}, poserr.NotPermitted},
		{"no discount on a no-discount item", [2]string{"2001", "2468"}, []pos.Operation{pos.ProductSale{Barcode: bcNoDisc}}, pos.LineDiscount{Line: 1, Percent: 500}, poserr.Conflict},
		{"no override on a no-override item", [2]string{"2001", "2468"}, []pos.Operation{pos.ProductSale{Barcode: bcNoDisc}}, pos.PriceOverride{Line: 1, Price: 100}, poserr.Conflict},
		{"manager cannot return non-returnable", [2]string{"2001", "2468"}, nil, pos.ReturnProduct{Barcode: bcFinal}, poserr.Conflict},
		{"override by a non-manager", [2]string{"1001", "1234"}, []pos.Operation{pos.ProductSale{Barcode: bcMilk}}, pos.Approved{Op: pos.PriceOverride{Line: 1, Price: 99}, ManagerID: "1002", Secret: "1234"}, poserr.NotPermitted},
		{"override by self", [2]string{"2001", "2468"}, []pos.Operation{pos.ProductSale{Barcode: bcMilk}}, pos.Approved{Op: pos.PriceOverride{Line: 1, Price: 99}, ManagerID: "2001", Secret: "2468"}, poserr.NotPermitted},
		{"override with a wrong PIN", [2]string{"1001", "1234"}, []pos.Operation{pos.ProductSale{Barcode: bcMilk}}, pos.Approved{Op: pos.PriceOverride{Line: 1, Price: 99}, ManagerID: "2001", Secret: "0000"}, poserr.Unauthorized},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tl := newTill(t, true)
			if tt.who[0] != "" {
				tl.do(t, pos.SignIn{OperatorID: tt.who[0], Secret: tt.who[1]})
			}
			for _, op := range tt.prep {
				tl.do(t, op)
			}
			before := tl.Cart()
			err := tl.fail(t, tt.op)
			assert.Equal(t, tt.kind, poserr.KindOf(err), "%v", err)
			assert.Equal(t, before, tl.Cart(), "a refused operation changes nothing")
		})
	}
}

func TestManagerOverrideIsJournaledWithBothOperators(t *testing.T) {
	tl := newTill(t, true)
	tl.do(t, pos.SignIn{OperatorID: "1001", Secret: "1234"})
	tl.do(t, pos.ProductSale{Barcode: bcWine})
	err := tl.fail(t, pos.PriceOverride{Line: 1, Price: 700})
	require.Equal(t, poserr.NotPermitted, poserr.KindOf(err))
	res := tl.do(t, pos.Approved{Op: pos.PriceOverride{Line: 1, Price: 700}, ManagerID: "2001", Secret: "2468"})
	assert.Equal(t, money.Amount(700), res.Line.UnitPrice)
	assert.True(t, res.Line.Overridden)
	// A 20 % discount is over the cashier's limit but within the manager's.
	require.Equal(t, poserr.LimitExceeded, poserr.KindOf(tl.fail(t, pos.LineDiscount{Line: 1, Percent: 2000})))
	tl.do(t, pos.Approved{Op: pos.LineDiscount{Line: 1, Percent: 2000}, ManagerID: "2001", Secret: "2468"})
	assert.Equal(t, money.Amount(560), tl.Cart().Totals.Total)
	tl.do(t, pos.PayCashExact{})

	var overrides []journal.Entry
	require.NoError(t, tl.store.JournalEach(context.Background(), func(e journal.Entry) error {
		if e.Kind == journal.Override {
			overrides = append(overrides, e)
		}
		return nil
	}))
	require.Len(t, overrides, 2)
	for _, e := range overrides {
		assert.Equal(t, "1001", e.Operator)
		assert.Equal(t, "2001", e.Approver)
	}
	assert.Equal(t, int(pos.OpPriceOverride), overrides[0].Operation)
}

func TestLockoutAfterFiveFailures(t *testing.T) {
	tl := newTill(t, true)
	for i := 1; i <= 4; i++ {
		err := tl.fail(t, pos.SignIn{OperatorID: "1001", Secret: "9999"})
		assert.Equal(t, poserr.Unauthorized, poserr.KindOf(err))
	}
	err := tl.fail(t, pos.SignIn{OperatorID: "1001", Secret: "9999"})
	assert.Equal(t, poserr.Locked, poserr.KindOf(err))
	err = tl.fail(t, pos.SignIn{OperatorID: "1001", Secret: "1234"})
	assert.Equal(t, poserr.Locked, poserr.KindOf(err), "the right PIN does not open a locked operator")
	// The lock is stored, not held in memory.
	op, err := tl.store.Operator(context.Background(), "1001")
	require.NoError(t, err)
	assert.True(t, op.Locked)
	// Unknown operators get the same answer as a wrong PIN.
	assert.Equal(t, poserr.Unauthorized, poserr.KindOf(tl.fail(t, pos.SignIn{OperatorID: "9999", Secret: "1"})))

	tl.do(t, pos.SignIn{OperatorID: "2001", Secret: "2468"})
	tl.do(t, pos.UnlockOperator{OperatorID: "1001"})
	tl.do(t, pos.SignOut{})
	tl.do(t, pos.SignIn{OperatorID: "1001", Secret: "1234"})

	kinds := map[journal.Kind]int{}
	require.NoError(t, tl.store.JournalEach(context.Background(), func(e journal.Entry) error { kinds[e.Kind]++; return nil }))
	assert.Equal(t, 4, kinds[journal.SignInFailed])
	assert.Equal(t, 1, kinds[journal.LockedOut])
	assert.Equal(t, 1, kinds[journal.Unlock])
}

// A PIN peppered with the store's pepper signs in offline with the pepper
// the till holds; without it, or with another store's, sign-in fails with
// an error that says what to do, and the attempt does not count against
// the operator. A hash made before peppers still signs in.
func TestSignInWithPepperedPIN(t *testing.T) {
	for name, mk := range map[string]func(*testing.T, bool) *till{"memstore": newTill, "sqlite": newSQLiteTill} {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			tl := mk(t, true)
			pepper, other := staff.NewPepper(), staff.NewPepper()
			h, err := staff.HashPeppered("4321", pepper, staff.FastParams)
			require.NoError(t, err)
			require.NoError(t, tl.store.PutOperator(ctx, staff.Operator{ID: "1003", Name: "Pia", RoleID: "cashier", Language: "en", PasswordHash: h}))

			steps := []struct {
				name   string
				pepper staff.Pepper // set before the attempt (nil: left as it is)
				key    string       // the error's message key
				says   string
			}{
				{"no pepper", nil, "error.signin.no_pepper", "sync"},
				{"another store's pepper", other, "error.signin.other_pepper", "set the PIN again"},
			}
			for _, s := range steps {
				if s.pepper != nil {
					require.NoError(t, tl.store.SetPINPepper(ctx, s.pepper))
				}
				err := tl.fail(t, pos.SignIn{OperatorID: "1003", Secret: "4321"})
				var pe *poserr.Error
				require.ErrorAs(t, err, &pe, s.name)
				assert.Equal(t, s.key, pe.Key, s.name)
				assert.Equal(t, poserr.Storage, pe.Kind, s.name)
				assert.Contains(t, err.Error(), s.says, s.name)
				assert.Contains(t, err.Error(), "the attempt was not counted", s.name)
			}
			op, err := tl.store.Operator(ctx, "1003")
			require.NoError(t, err)
			assert.Zero(t, op.FailedLogins, "a check that could not run is no failed sign-in")

			require.NoError(t, tl.store.SetPINPepper(ctx, pepper))
			err = tl.fail(t, pos.SignIn{OperatorID: "1003", Secret: "1234"})
			assert.Equal(t, poserr.Unauthorized, poserr.KindOf(err), "a wrong PIN with the right pepper is a failure")
			op, err = tl.store.Operator(ctx, "1003")
			require.NoError(t, err)
			assert.Equal(t, 1, op.FailedLogins, "and it counts")
			tl.do(t, pos.SignIn{OperatorID: "1003", Secret: "4321"})
			tl.do(t, pos.SignOut{})
			tl.do(t, pos.SignIn{OperatorID: "1001", Secret: "1234"}) // a hash without a pepper
		})
	}
}

func TestLockRegister(t *testing.T) {
	tl := newTill(t, true)
	tl.do(t, pos.SignIn{OperatorID: "1001", Secret: "1234"})
	tl.do(t, pos.ProductSale{Barcode: bcMilk})
	tl.do(t, pos.Lock{})
	assert.Equal(t, poserr.Locked, poserr.KindOf(tl.fail(t, pos.ProductSale{Barcode: bcMilk})))
	assert.Equal(t, poserr.Conflict, poserr.KindOf(tl.fail(t, pos.SignIn{OperatorID: "1002", Secret: "1234"})))
	tl.do(t, pos.SignIn{OperatorID: "1001", Secret: "1234"})
	assert.Len(t, tl.Cart().Lines, 1, "the cart survives the lock")
	assert.Equal(t, poserr.Conflict, poserr.KindOf(tl.fail(t, pos.SignOut{})), "no sign-out with an open transaction")
}

func TestSplitTenderCardAndCash(t *testing.T) {
	tl := newTill(t, false) // sales tax added
	tl.do(t, pos.SignIn{OperatorID: "1001", Secret: "1234"})
	tl.do(t, pos.ProductSale{Barcode: bcWine, Qty: 3000}) // 26.97 + 19 % = 5.12 → 32.09
	c := tl.Cart()
	assert.Equal(t, money.Amount(3209), c.Totals.Total)
	assert.Equal(t, money.Amount(512), c.Totals.ExclusiveTax)

	// A declined card and a timeout add nothing.
	tl.term.Queue(paysim.Decline, paysim.Timeout)
	err := tl.fail(t, pos.PayCard{Amount: 2000})
	assert.Equal(t, poserr.Device, poserr.KindOf(err))
	assert.Contains(t, err.Error(), "declined")
	err = tl.fail(t, pos.PayCard{Amount: 2000})
	assert.Contains(t, err.Error(), "did not answer")
	assert.False(t, tl.Cart().HasPayments())
	// Card cannot overtender.
	assert.Equal(t, poserr.Invalid, poserr.KindOf(tl.fail(t, pos.PayCard{Amount: 4000})))

	tl.do(t, pos.PayCard{Amount: 2000})
	assert.Equal(t, money.Amount(1209), tl.Cart().Totals.Remaining)
	assert.Equal(t, poserr.Conflict, poserr.KindOf(tl.fail(t, pos.Suspend{})), "no suspend with payments")
	assert.Equal(t, poserr.Conflict, poserr.KindOf(tl.fail(t, pos.VoidLine{Line: 1})), "no line change with payments")
	res := tl.do(t, pos.PayCash{Amount: 1500})
	done := res.Completed
	require.NotNil(t, done)
	assert.Equal(t, money.Amount(1), done.Totals.Rounding) // 12.09 → 12.10
	assert.Equal(t, money.Amount(290), done.Change)
	identity(t, done)
	require.Len(t, done.Tenders, 2)
	assert.Regexp(t, `^\*+\d{4}$`, done.Tenders[0].Card.MaskedPAN)
	assert.Contains(t, res.Receipt.Text(42), done.Tenders[0].Card.MaskedPAN)
}

func TestVoidPaymentVoidsAtTheTerminal(t *testing.T) {
	tl := newTill(t, true)
	tl.do(t, pos.SignIn{OperatorID: "1001", Secret: "1234"})
	tl.do(t, pos.ProductSale{Barcode: bcWine})
	tl.do(t, pos.PayCard{Amount: 500})
	ref := tl.Cart().Tenders[0].Card.Reference
	tl.do(t, pos.VoidPayment{No: 1})
	assert.True(t, tl.term.Voided(ref))
	assert.Equal(t, money.Amount(899), tl.Cart().Totals.Remaining)
	tl.do(t, pos.PayCard{})
	assert.Nil(t, tl.Cart())
}

func TestSuspendRecallAndVoid(t *testing.T) {
	tl := newTill(t, true)
	tl.do(t, pos.SignIn{OperatorID: "1001", Secret: "1234"})
	tl.do(t, pos.ProductSale{Barcode: bcMilk})
	tl.do(t, pos.ProductSale{Barcode: bcWine})
	id := tl.Cart().ID
	tl.do(t, pos.Suspend{})
	assert.Nil(t, tl.Cart())
	tl.do(t, pos.ProductSale{Barcode: bcMilk})
	assert.Equal(t, poserr.Conflict, poserr.KindOf(tl.fail(t, pos.Recall{ID: id})), "recall needs an empty till")
	tl.do(t, pos.PayCashExact{})
	list := tl.do(t, pos.Recall{}).Suspended
	require.Len(t, list, 1)
	assert.Equal(t, id, list[0].ID)
	tl.do(t, pos.Recall{ID: id})
	c := tl.Cart()
	assert.Equal(t, id, c.ID)
	assert.Len(t, c.Lines, 2)
	assert.Equal(t, money.Amount(1028), c.Totals.Total)
	assert.Empty(t, tl.do(t, pos.Recall{}).Suspended)
	res := tl.do(t, pos.VoidTransaction{})
	assert.Equal(t, cart.Voided, res.Completed.Status)
	assert.NotEmpty(t, res.Completed.ReceiptNo, "a voided transaction is stored with its own number")
	_, err := tl.Do(context.Background(), pos.ReturnTransaction{ReceiptNo: res.Completed.ReceiptNo})
	assert.Equal(t, poserr.Conflict, poserr.KindOf(err), "a voided transaction cannot be returned")
}

func TestReturnByReceiptTracksQuantities(t *testing.T) {
	tl := newTill(t, true)
	tl.do(t, pos.SignIn{OperatorID: "2001", Secret: "2468"})
	tl.do(t, pos.ProductSale{Barcode: bcWine, Qty: 3000})
	tl.do(t, pos.ProductSale{Barcode: bcMilk})
	tl.do(t, pos.ProductSale{Barcode: bcFinal})
	tl.do(t, pos.TotalDiscount{Percent: 1000})
	sale := tl.do(t, pos.PayCashExact{}).Completed
	identity(t, sale)
	tl.do(t, pos.SignOut{})

	tl.do(t, pos.SignIn{OperatorID: "1001", Secret: "1234"})
	res := tl.do(t, pos.ReturnTransaction{ReceiptNo: sale.ReceiptNo, Lines: []pos.ReturnLine{{LineNo: 1, Qty: 2000}}})
	l := res.Line
	assert.Equal(t, catalog.Qty(-2000), l.Qty)
	// The refund carries 2/3 of the 10 % discount of the original line.
	assert.Equal(t, -(sale.Lines[0].Net * 2 / 3), l.Net)
	assert.Equal(t, catalog.Qty(1000), res.Returnable[1])
	// Asking for more than is left is refused, in the same cart and later.
	err := tl.fail(t, pos.ReturnTransaction{ReceiptNo: sale.ReceiptNo, Lines: []pos.ReturnLine{{LineNo: 1, Qty: 2000}}})
	assert.Equal(t, poserr.Conflict, poserr.KindOf(err))
	assert.Contains(t, err.Error(), "only 1")
	err = tl.fail(t, pos.ReturnTransaction{ReceiptNo: sale.ReceiptNo, Lines: []pos.ReturnLine{{LineNo: 3}}})
	assert.Contains(t, err.Error(), "cannot be returned")
	refund := tl.do(t, pos.PayCashExact{}).Completed
	assert.Less(t, refund.Totals.Total, money.Amount(0))
	identity(t, refund)
	assert.Less(t, refund.Tenders[0].Amount, money.Amount(0))

	_, returned, err := tl.store.Transaction(context.Background(), sale.ReceiptNo)
	require.NoError(t, err)
	assert.Equal(t, catalog.Qty(2000), returned[1])
	// The rest: everything left (1 wine, 1 milk) in one go; then nothing is left.
	res = tl.do(t, pos.ReturnTransaction{ReceiptNo: sale.ReceiptNo})
	assert.Len(t, tl.Cart().Lines, 2)
	tl.do(t, pos.PayCashExact{})
	err = tl.fail(t, pos.ReturnTransaction{ReceiptNo: sale.ReceiptNo})
	assert.Contains(t, err.Error(), "already been returned")
	// The whole sale has been refunded exactly, discounts included.
	var refunded money.Amount
	for _, no := range []string{refund.ReceiptNo, "S1-T1-000003"} {
		c, _, err := tl.store.Transaction(context.Background(), no)
		require.NoError(t, err)
		refunded += c.Totals.Total
	}
	assert.Equal(t, sale.Totals.Total-sale.Lines[2].Net, -refunded)
}

func TestReturnLimitNeedsManager(t *testing.T) {
	tl := newTill(t, true)
	tl.do(t, pos.SignIn{OperatorID: "2001", Secret: "2468"})
	tl.do(t, pos.ProductSale{Barcode: bcCoat})
	sale := tl.do(t, pos.PayCashExact{}).Completed
	tl.do(t, pos.SignOut{})
	tl.do(t, pos.SignIn{OperatorID: "1001", Secret: "1234"})
	err := tl.fail(t, pos.ReturnTransaction{ReceiptNo: sale.ReceiptNo})
	assert.Equal(t, poserr.LimitExceeded, poserr.KindOf(err), "120.00 is over the cashier's 50.00")
	tl.do(t, pos.Approved{Op: pos.ReturnTransaction{ReceiptNo: sale.ReceiptNo}, ManagerID: "2001", Secret: "2468"})
	done := tl.do(t, pos.PayCashExact{}).Completed
	assert.Equal(t, -sale.Totals.Total, done.Totals.Total)
}

func TestFailedCommitKeepsTheSaleOpen(t *testing.T) {
	tests := []struct {
		name string
		till func(t *testing.T, inclusive bool) *till
		fail func(t *testing.T, tl *till)
	}{
		{"the SQLite file goes away", newSQLiteTill, func(t *testing.T, tl *till) { require.NoError(t, tl.store.Close()) }},
		{"the commit fails", newTill, func(t *testing.T, tl *till) { tl.store.(*memstore.Store).FailCommit = errors.New("disk full") }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tl := tt.till(t, true)
			tl.do(t, pos.SignIn{OperatorID: "1001", Secret: "1234"})
			tl.do(t, pos.ProductSale{Barcode: bcWine})
			tl.do(t, pos.PayCard{Amount: 400})
			before := tl.Cart()
			tt.fail(t, tl)
			_, err := tl.Do(context.Background(), pos.PayCash{Amount: 1000})
			require.Error(t, err)
			assert.Equal(t, poserr.Storage, poserr.KindOf(err))
			after := tl.Cart()
			require.NotNil(t, after, "the transaction is still open")
			assert.Equal(t, before.Totals, after.Totals)
			assert.Len(t, after.ActiveTenders(), 1, "the settling cash payment was taken back")
			assert.Empty(t, after.ReceiptNo)
		})
	}
}

type cancelAll struct{ calls int }

func (c *cancelAll) PreOperation(_ context.Context, op pos.Operation, _ pos.State) error {
	c.calls++
	if _, ok := op.(pos.VoidLine); ok {
		return assert.AnError
	}
	if _, ok := op.(pos.TxnComment); ok {
		panic("extension bug")
	}
	return nil
}
func (c *cancelAll) PostOperation(context.Context, pos.Operation, pos.Result, error) {}

func TestTriggersCanCancelAndPanicsAreContained(t *testing.T) {
	tl := newTill(t, true)
	tr := &cancelAll{}
	tl.AddTrigger(tr)
	tl.do(t, pos.SignIn{OperatorID: "1001", Secret: "1234"})
	tl.do(t, pos.ProductSale{Barcode: bcMilk})
	assert.Equal(t, poserr.Cancelled, poserr.KindOf(tl.fail(t, pos.VoidLine{Line: 1})))
	assert.Equal(t, poserr.Cancelled, poserr.KindOf(tl.fail(t, pos.TxnComment{Text: "x"})))
	tl.do(t, pos.PayCashExact{})
	assert.GreaterOrEqual(t, tr.calls, 4)
}

func TestReceiptNumbersSurviveReopen(t *testing.T) {
	tl := newSQLiteTill(t, true)
	tl.do(t, pos.SignIn{OperatorID: "1001", Secret: "1234"})
	tl.do(t, pos.ProductSale{Barcode: bcMilk})
	a := tl.do(t, pos.PayCashExact{}).Completed.ReceiptNo
	require.NoError(t, tl.store.Close())
	tl2 := reopen(t, tl)
	tl2.do(t, pos.SignIn{OperatorID: "1001", Secret: "1234"})
	tl2.do(t, pos.ProductSale{Barcode: bcMilk})
	b := tl2.do(t, pos.PayCashExact{}).Completed.ReceiptNo
	assert.Equal(t, "S1-T1-000001", a)
	assert.Equal(t, "S1-T1-000002", b)
}
