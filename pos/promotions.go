package pos

import (
	"context"

	"github.com/opentill/opentill/pos/poserr"
	"github.com/opentill/opentill/pos/pricing"
)

// The anchor's system-discount operations (reference §1.4 "POS helpers").
const (
	OpCalculateTotal          OpID = 310
	OpRemoveSystemDiscounts   OpID = 311
	OpReapplySystemDiscounts  OpID = 312
	OpViewAllDiscounts        OpID = 645
	OpViewApplicableDiscounts OpID = 646
)

// CalculateTotal computes the delayed multi-line discounts (quantity,
// mix-and-match, threshold) when the store calculates them on demand
// (manual_multiline_discounts): they then apply until the lines change.
type CalculateTotal struct{}

// RemoveSystemDiscounts takes every automatic discount (promotion) off the
// transaction; ReapplySystemDiscounts puts them back.
type RemoveSystemDiscounts struct{}

// ReapplySystemDiscounts puts the automatic discounts back (op 312).
type ReapplySystemDiscounts struct{}

// ViewAllDiscounts lists the store's promotions valid now (op 645).
type ViewAllDiscounts struct{}

// ViewApplicableDiscounts lists the promotions that apply to the open
// transaction, the lines each selects and what it takes off (op 646).
type ViewApplicableDiscounts struct{}

// OpID methods.
func (CalculateTotal) OpID() OpID          { return OpCalculateTotal }
func (RemoveSystemDiscounts) OpID() OpID   { return OpRemoveSystemDiscounts }
func (ReapplySystemDiscounts) OpID() OpID  { return OpReapplySystemDiscounts }
func (ViewAllDiscounts) OpID() OpID        { return OpViewAllDiscounts }
func (ViewApplicableDiscounts) OpID() OpID { return OpViewApplicableDiscounts }

// promotionOps registers the system-discount operations.
func promotionOps(g *Registry) {
	builtin(g, OpSpec{ID: OpCalculateTotal, Name: "Calculate total", Permission: perm(OpCalculateTotal), Offline: true, Quote: true, Group: GroupDiscount,
		Doc: "Compute the multi-line discounts when the store calculates them on demand; they apply until the lines change."},
		func(r *Register, _ context.Context, _ CalculateTotal, _ *authority) (Result, error) {
			return r.systemDiscounts(func() { r.cart.DiscountsCalculated = r.cart.LinesDigest() })
		})
	builtin(g, OpSpec{ID: OpRemoveSystemDiscounts, Name: "Remove system discounts", Permission: perm(OpRemoveSystemDiscounts), Offline: true, Quote: true, Group: GroupDiscount,
		Doc: "Take every automatic discount (promotion) off the transaction."},
		func(r *Register, _ context.Context, _ RemoveSystemDiscounts, _ *authority) (Result, error) {
			return r.systemDiscounts(func() { r.cart.SystemDiscountsOff = true })
		})
	builtin(g, OpSpec{ID: OpReapplySystemDiscounts, Name: "Reapply system discounts", Permission: perm(OpReapplySystemDiscounts), Offline: true, Quote: true, Group: GroupDiscount,
		Doc: "Put the automatic discounts back on the transaction."},
		func(r *Register, _ context.Context, _ ReapplySystemDiscounts, _ *authority) (Result, error) {
			return r.systemDiscounts(func() { r.cart.SystemDiscountsOff = false })
		})
	builtin(g, OpSpec{ID: OpViewAllDiscounts, Name: "View all discounts", Permission: perm(OpViewAllDiscounts), Offline: true, Group: GroupDiscount,
		Doc: "List the store's promotions valid now, with the coupons that enable them."},
		func(r *Register, _ context.Context, _ ViewAllDiscounts, _ *authority) (Result, error) {
			if r.setup.Promotions == nil {
				return Result{Discounts: []pricing.OfferInfo{}}, nil
			}
			return Result{Discounts: r.setup.Promotions.AllOffers(r.cart, r.opt.Now())}, nil
		})
	builtin(g, OpSpec{ID: OpViewApplicableDiscounts, Name: "View applicable discounts", Permission: perm(OpViewApplicableDiscounts), Offline: true, Group: GroupDiscount,
		Doc: "List the promotions that apply to the transaction, the lines each selects and what it takes off."},
		func(r *Register, _ context.Context, _ ViewApplicableDiscounts, _ *authority) (Result, error) {
			if r.cart == nil || r.cart.IsEmpty() {
				return Result{}, poserr.E(poserr.Conflict, "error.cart.empty", "add items first")
			}
			if r.setup.Promotions == nil {
				return Result{Discounts: []pricing.OfferInfo{}}, nil
			}
			return Result{Discounts: r.setup.Promotions.ApplicableOffers(r.cart, r.cart.Active(), r.opt.Now())}, nil
		})
}

// systemDiscounts changes how the transaction's automatic discounts are
// applied and reprices, undoing the change if repricing fails. Payments
// must be voided first: they were taken for the old total.
func (r *Register) systemDiscounts(change func()) (Result, error) {
	if r.cart == nil || r.cart.IsEmpty() {
		return Result{}, poserr.E(poserr.Conflict, "error.cart.empty", "add items first")
	}
	if r.cart.HasPayments() {
		return Result{}, poserr.E(poserr.Conflict, "error.cart.has_payments", "a payment is on the transaction: void the payment before changing the discounts")
	}
	off, calc := r.cart.SystemDiscountsOff, r.cart.DiscountsCalculated
	change()
	if err := r.reprice(); err != nil {
		r.cart.SystemDiscountsOff, r.cart.DiscountsCalculated = off, calc
		return Result{}, err
	}
	return Result{}, nil
}

// couponScan adds a scanned or typed code as a coupon when the store knows
// it as one (the scan field takes coupon barcodes as well as items).
func (r *Register) couponScan(code string) (Result, bool, error) {
	if code == "" || r.setup.Promotions == nil || !r.setup.Promotions.HasCoupon(code) {
		return Result{}, false, nil
	}
	if !r.role.Allows(perm(OpAddCoupon)) {
		name := ""
		if r.operator != nil {
			name = r.operator.Name
		}
		return Result{}, true, poserr.E(poserr.NotPermitted, "error.op.not_permitted", "%s is not allowed to run %s: a manager can authorise it", name, "Add coupon code")
	}
	res, err := r.addCoupon(AddCoupon{Code: code})
	return res, true, err
}
