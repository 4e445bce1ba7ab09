package pos

import (
	"strings"

	"github.com/opentill/opentill/pos/poserr"
)

// normCoupon is how coupon codes compare: trimmed, case-insensitive.
func normCoupon(code string) string { return strings.ToUpper(strings.TrimSpace(code)) }

// addCoupon puts a coupon code on the open transaction (starting one if
// needed) and reprices: the promotions it enables apply from now on.
func (r *Register) addCoupon(o AddCoupon) (Result, error) {
	code := strings.TrimSpace(o.Code)
	if code == "" {
		return Result{}, poserr.E(poserr.Invalid, "error.coupon.empty", "enter or scan a coupon code")
	}
	if r.setup.Promotions == nil || !r.setup.Promotions.HasCoupon(code) {
		e := poserr.E(poserr.NotFound, "error.coupon.unknown", "coupon %s is not valid in this store", code)
		e.Args = map[string]any{"code": code}
		return Result{}, e
	}
	if r.cart != nil && r.cart.HasPayments() {
		return Result{}, poserr.E(poserr.Conflict, "error.cart.has_payments", "a payment is on the transaction: void the payment before adding a coupon")
	}
	c := r.openCart()
	for _, have := range c.Coupons {
		if normCoupon(have) == normCoupon(code) {
			e := poserr.E(poserr.Conflict, "error.coupon.duplicate", "coupon %s is already on the transaction", code)
			e.Args = map[string]any{"code": code}
			return Result{}, e
		}
	}
	old := c.Coupons
	c.Coupons = append(append([]string(nil), old...), code)
	if err := r.reprice(); err != nil {
		c.Coupons = old
		return Result{}, err
	}
	return Result{}, nil
}

// removeCoupon takes a coupon code off the open transaction and reprices.
func (r *Register) removeCoupon(o RemoveCoupon) (Result, error) {
	code := normCoupon(o.Code)
	if r.cart == nil {
		return Result{}, poserr.E(poserr.Conflict, "error.cart.none", "there is no open transaction")
	}
	if r.cart.HasPayments() {
		return Result{}, poserr.E(poserr.Conflict, "error.cart.has_payments", "a payment is on the transaction: void the payment before removing a coupon")
	}
	old := r.cart.Coupons
	var kept []string
	for _, have := range old {
		if normCoupon(have) != code {
			kept = append(kept, have)
		}
	}
	if len(kept) == len(old) {
		e := poserr.E(poserr.NotFound, "error.coupon.not_on_cart", "coupon %s is not on the transaction", strings.TrimSpace(o.Code))
		e.Args = map[string]any{"code": strings.TrimSpace(o.Code)}
		return Result{}, e
	}
	r.cart.Coupons = kept
	if err := r.reprice(); err != nil {
		r.cart.Coupons = old
		return Result{}, err
	}
	return Result{}, nil
}
