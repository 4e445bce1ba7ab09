package pos

import (
	"context"
	"strings"
	"unicode/utf8"

	"github.com/opentill/opentill/pos/poserr"
)

// Customer operations.
const (
	OpAddCustomer   OpID = 600
	OpClearCustomer OpID = 603
)

// AddCustomer puts a customer account on the open transaction (starting
// one if needed) and reprices it for the customer's price groups.
type AddCustomer struct{ ID string }

// ClearCustomer takes the customer off the open transaction.
type ClearCustomer struct{}

// OpID of AddCustomer.
func (AddCustomer) OpID() OpID { return OpAddCustomer }

// OpID of ClearCustomer.
func (ClearCustomer) OpID() OpID { return OpClearCustomer }

// MaxCustomerID bounds a customer account number.
const MaxCustomerID = 64

func (r *Register) setCustomer(id string) (Result, error) {
	id = strings.TrimSpace(id)
	if id != "" && (utf8.RuneCountInString(id) > MaxCustomerID || strings.ContainsFunc(id, func(c rune) bool { return c < ' ' })) {
		return Result{}, poserr.E(poserr.Invalid, "error.customer.id", "a customer account number has at most %d characters and no control characters", MaxCustomerID)
	}
	if id == "" && r.cart == nil {
		return Result{}, nil
	}
	c := r.openCart()
	if c.HasPayments() {
		return Result{}, poserr.E(poserr.Conflict, "error.cart.has_payments", "a payment is on the transaction: void the payment before changing the customer")
	}
	old := c.Customer
	c.Customer = id
	if err := r.reprice(); err != nil {
		c.Customer = old
		return Result{}, err
	}
	return Result{}, nil
}

// customerOps registers the customer on the transaction.
func customerOps(g *Registry) {
	builtin(g, OpSpec{ID: OpAddCustomer, Name: "Add customer", Permission: perm(OpAddCustomer), Offline: true, Group: GroupCustomer,
		Doc: "Put a customer account on the transaction: customer prices and promotions apply and the receipt names the customer."},
		func(r *Register, _ context.Context, o AddCustomer, _ *authority) (Result, error) {
			if strings.TrimSpace(o.ID) == "" {
				return Result{}, poserr.E(poserr.Invalid, "error.customer.empty", "enter the customer's account number")
			}
			return r.setCustomer(o.ID)
		})
	builtin(g, OpSpec{ID: OpClearCustomer, Name: "Clear customer", Permission: perm(OpClearCustomer), Offline: true, Group: GroupCustomer,
		Doc: "Take the customer off the transaction; prices go back to the store's."},
		func(r *Register, _ context.Context, _ ClearCustomer, _ *authority) (Result, error) {
			return r.setCustomer("")
		})
}
