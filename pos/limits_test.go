package pos_test

import (
	"context"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/pos"
	"github.com/opentill/opentill/pos/cart"
	"github.com/opentill/opentill/pos/catalog"
	"github.com/opentill/opentill/pos/money"
	"github.com/opentill/opentill/pos/poserr"
	"github.com/opentill/opentill/pos/staff"
)

// The cashier of newTill: 10 % line discount, 5 % total discount, returns
// up to 50.00, no price overrides.
var cashierLimits = staff.Limits{MaxLineDiscountBP: 1000, MaxTotalDiscountBP: 500, MaxReturnAmount: 5000}

func withOverrideAndReturns(t *testing.T, tl *till) {
	t.Helper()
	perms := append(append([]staff.Permission(nil), cashierOps...), ops(pos.OpPriceOverride, pos.OpReturnProduct)...)
	require.NoError(t, tl.store.PutRole(context.Background(), staff.Role{ID: "cashier", Name: "Cashier", Permissions: perms, Limits: cashierLimits}))
}

func TestLimitsHoldAfterEveryOperation(t *testing.T) {
	ctx := context.Background()
	mgr := func(op pos.Operation) pos.Operation { return pos.Approved{Op: op, ManagerID: "2001", Secret: "2468"} }
	tests := []struct {
		name  string
		setup []pos.Operation // as the cashier, each must succeed
		try   pos.Operation   // refused with LimitExceeded
		key   string          // the invariant's key, or the operation's own check
		// after an approval of try, the sale completes and records it
	}{
		{
			name:  "an allowed amount discount becomes 100 % when the quantity drops",
			setup: []pos.Operation{pos.ProductSale{Barcode: bcMilk, Qty: 10 * catalog.One}, pos.LineDiscount{Line: 1, Amount: 129}},
			try:   pos.SetQuantity{Line: 1, Qty: 2 * catalog.One}, // 1.29 off 2.58: 50 %
			key:   "error.limit.line_discount",
		},
		{
			name:  "a returned quantity raised past the return limit",
			setup: []pos.Operation{pos.ReturnProduct{Barcode: bcWine, Qty: catalog.One}},
			try:   pos.SetQuantity{Line: 1, Qty: 10 * catalog.One},
			key:   "error.limit.return",
		},
		{
			name:  "a second return past the limit",
			setup: []pos.Operation{pos.ReturnProduct{Barcode: bcWine, Qty: 5 * catalog.One}},
			try:   pos.ReturnProduct{Barcode: bcWine, Qty: 2 * catalog.One},
			key:   "error.return.limit",
		},
		{
			name:  "an allowed total discount grows when a line is voided",
			setup: []pos.Operation{pos.ProductSale{Barcode: bcCoat}, pos.ProductSale{Barcode: bcWine}, pos.TotalDiscount{Amount: 620}},
			try:   pos.VoidLine{Line: 2}, // 6.20 of 120.00 is 5.17 %
			key:   "error.limit.total_discount",
		},
		{
			name:  "a price keyed with a sale of a catalog-priced item",
			setup: []pos.Operation{pos.ProductSale{Barcode: bcMilk}},
			try:   pos.ProductSale{Barcode: bcWine, Price: 1},
			key:   "error.limit.price_override_not_allowed",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tl := newTill(t, true)
			require.NoError(t, tl.store.PutRole(ctx, staff.Role{ID: "cashier", Name: "Cashier",
				Permissions: append(append([]staff.Permission(nil), cashierOps...), ops(pos.OpReturnProduct)...), Limits: cashierLimits}))
			tl.do(t, pos.SignIn{OperatorID: "1001", Secret: "1234"})
			for _, op := range tt.setup {
				tl.do(t, op)
			}
			before := tl.Cart()
			_, err := tl.Do(ctx, tt.try)
			require.Error(t, err)
			assert.Equal(t, poserr.LimitExceeded, poserr.KindOf(err), "%v", err)
			var pe *poserr.Error
			require.ErrorAs(t, err, &pe)
			assert.Equal(t, tt.key, pe.Key, pe.Msg)
			assert.Equal(t, before.Lines, tl.Cart().Lines, "the refused operation changed nothing")

			// A manager authorises the very operation; the sale then completes
			// and carries the approval.
			tl.do(t, mgr(tt.try))
			c := tl.Cart()
			var approved bool
			for _, a := range c.Authorities {
				approved = approved || (a.Approved && a.Operator == "2001")
			}
			assert.True(t, approved, "the manager's authority is recorded: %+v", c.Authorities)
			if c.Totals.Remaining < 0 {
				tl.do(t, pos.PayCash{})
			} else {
				tl.do(t, pos.PayCash{Amount: c.Totals.Remaining + 10000})
			}
		})
	}
}

func TestAManagersApprovalCoversLaterChangesWithinTheirLimit(t *testing.T) {
	tl := newTill(t, true)
	tl.do(t, pos.SignIn{OperatorID: "1001", Secret: "1234"})
	tl.do(t, pos.ProductSale{Barcode: bcCoat, Qty: 2 * catalog.One})
	tl.do(t, pos.Approved{Op: pos.LineDiscount{Line: 1, Amount: 6000}, ManagerID: "2001", Secret: "2468"}) // 25 %
	tl.do(t, pos.SetQuantity{Line: 1, Qty: catalog.One})                                                   // 50 %: the manager's 100 % covers it
	res := tl.do(t, pos.PayCash{Amount: 10000})
	require.NotNil(t, res.Completed)
	require.Len(t, res.Completed.Authorities, 1)
	a := res.Completed.Authorities[0]
	assert.Equal(t, cart.Authority{Limit: cart.LimitLineDiscount, Line: 1, Operator: "2001", Approved: true, Max: 10000}, a)
}

func TestARecalledSaleKeepsItsAuthorities(t *testing.T) {
	tl := newTill(t, true)
	tl.do(t, pos.SignIn{OperatorID: "2001", Secret: "2468"})
	tl.do(t, pos.ProductSale{Barcode: bcCoat})
	tl.do(t, pos.LineDiscount{Line: 1, Percent: 3000}) // within the manager's own limit
	res := tl.do(t, pos.Suspend{})
	tl.do(t, pos.SignOut{})
	tl.do(t, pos.SignIn{OperatorID: "1001", Secret: "1234"})
	tl.do(t, pos.Recall{ID: res.Completed.ID})
	done := tl.do(t, pos.PayCashExact{})
	require.NotNil(t, done.Completed, "the manager's discount needs no new approval")
	assert.Equal(t, "2001", done.Completed.Authorities[0].Operator)
}

// TestNoCompletedSaleExceedsALimitWithoutItsAuthority drives random
// operation sequences as a cashier (some approved by a manager) and checks
// every completed transaction: each limited part of it is within the
// cashier's own limits or within a recorded manager approval.
func TestNoCompletedSaleExceedsALimitWithoutItsAuthority(t *testing.T) {
	ctx := context.Background()
	tl := newTill(t, true)
	withOverrideAndReturns(t, tl)
	require.NoError(t, tl.store.PutRole(ctx, staff.Role{ID: "cashier", Name: "Cashier",
		Permissions: append(append([]staff.Permission(nil), cashierOps...), ops(pos.OpPriceOverride, pos.OpReturnProduct)...),
		Limits:      staff.Limits{MaxLineDiscountBP: 1000, MaxTotalDiscountBP: 500, MaxReturnAmount: 5000, AllowPriceOverride: true, MaxPriceOverrideBP: 2000}}))
	cashier := staff.Limits{MaxLineDiscountBP: 1000, MaxTotalDiscountBP: 500, MaxReturnAmount: 5000, AllowPriceOverride: true, MaxPriceOverrideBP: 2000}
	tl.do(t, pos.SignIn{OperatorID: "1001", Secret: "1234"})
	rng := rand.New(rand.NewPCG(16, 10))
	codes := []string{bcMilk, bcWine, bcCoat, bcNoDisc}
	completed, refused, approved := 0, 0, 0
	for round := 0; round < 150; round++ {
		var op pos.Operation
		c := tl.Cart()
		n := 0
		if c != nil {
			n = len(c.Lines)
		}
		line := 1 + rng.IntN(max(n, 1))
		switch k := rng.IntN(12); {
		case k < 3 || n == 0:
			op = pos.ProductSale{Barcode: codes[rng.IntN(len(codes))], Qty: catalog.Qty(1+rng.IntN(4)) * catalog.One}
		case k == 3:
			op = pos.ReturnProduct{Barcode: codes[rng.IntN(len(codes))], Qty: catalog.Qty(1+rng.IntN(3)) * catalog.One}
		case k == 4:
			op = pos.SetQuantity{Line: line, Qty: catalog.Qty(1+rng.IntN(8)) * catalog.One}
		case k == 5:
			op = pos.LineDiscount{Line: line, Amount: money.Amount(rng.IntN(3000))}
		case k == 6:
			op = pos.LineDiscount{Line: line, Percent: int64(rng.IntN(4000))}
		case k == 7:
			op = pos.TotalDiscount{Percent: int64(rng.IntN(1500))}
		case k == 8:
			op = pos.PriceOverride{Line: line, Price: money.Amount(50 + rng.IntN(15000))}
		case k == 9:
			op = pos.VoidLine{Line: line}
		default:
			if c != nil && c.Totals.Remaining != 0 {
				if c.Totals.Remaining > 0 {
					op = pos.PayCash{Amount: c.Totals.Remaining + 1000}
				} else {
					op = pos.PayCash{}
				}
			} else {
				op = pos.ProductSale{Barcode: bcMilk}
			}
		}
		if rng.IntN(6) == 0 {
			op = pos.Approved{Op: op, ManagerID: "2001", Secret: "2468"}
		}
		res, err := tl.Do(ctx, op)
		if poserr.KindOf(err) == poserr.LimitExceeded {
			refused++
		}
		if _, ok := op.(pos.Approved); ok && err == nil {
			approved++
		}
		if res.Completed == nil {
			continue
		}
		completed++
		checkAuthorities(t, res.Completed, cashier)
	}
	t.Logf("%d completed, %d refused over a limit, %d approved", completed, refused, approved)
	assert.Greater(t, completed, 5)
	assert.Greater(t, refused, 5, "the sequences do reach the limits")
}

// checkAuthorities measures c's limited parts independently of the register
// and checks each against the cashier's limits or a recorded approval.
func checkAuthorities(t *testing.T, c *cart.Cart, own staff.Limits) {
	t.Helper()
	find := func(limit cart.Limit, line int) *cart.Authority {
		for i := range c.Authorities {
			if c.Authorities[i].Limit == limit && c.Authorities[i].Line == line {
				return &c.Authorities[i]
			}
		}
		return nil
	}
	covered := func(limit cart.Limit, line int, v, ownMax int64, what string) {
		if v <= ownMax {
			return
		}
		a := find(limit, line)
		if assert.NotNil(t, a, "%s of %s: %d over the cashier's %d without an authority", what, c.ReceiptNo, v, ownMax) {
			assert.True(t, a.Approved && a.Operator == "2001", "%s of %s is over the cashier's limit: only the manager's approval covers it", what, c.ReceiptNo)
			assert.LessOrEqual(t, v, a.Max, "%s of %s within the approval", what, c.ReceiptNo)
		}
	}
	pct := func(part, whole money.Amount) int64 {
		if part <= 0 {
			return 0
		}
		if whole <= 0 {
			return 1 << 40
		}
		return (int64(part)*10000 + int64(whole) - 1) / int64(whole)
	}
	var returns, totalDisc, totalBase money.Amount
	for _, l := range c.Active() {
		if l.IsReturn() {
			returns += -l.Net
			continue
		}
		totalDisc += l.TotalDiscount
		if l.Flags.Discountable() {
			totalBase += l.Gross - l.PromoDiscount - l.LineDiscount
		}
		d := pct(l.LineDiscount, l.Gross-l.PromoDiscount)
		if l.Discount.Percent != 0 {
			d = l.Discount.Percent
		}
		covered(cart.LimitLineDiscount, l.No, d, own.MaxLineDiscountBP, "line discount")
		if l.Overridden && l.UnitPrice < l.OriginalPrice {
			covered(cart.LimitPriceOverride, l.No, pct(l.OriginalPrice-l.UnitPrice, l.OriginalPrice), own.MaxPriceOverrideBP, "price override")
		}
	}
	covered(cart.LimitReturn, 0, int64(returns), own.MaxReturnAmount, "returns")
	td := pct(totalDisc, totalBase)
	if c.Discount.Percent != 0 {
		td = c.Discount.Percent
	}
	covered(cart.LimitTotalDiscount, 0, td, own.MaxTotalDiscountBP, "total discount")
}
