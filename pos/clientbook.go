package pos

import (
	"context"
	"strings"

	"github.com/opentill/opentill/pos/customer"
	"github.com/opentill/opentill/pos/poserr"
)

// Client book operations (the anchor's numbers; offline here, online-only
// there).
const (
	OpViewClientBook   OpID = 712
	OpStoreClientBooks OpID = 713
	OpAddToClientBook  OpID = 714
	OpRemoveClientBook OpID = 715
	OpReassignClient   OpID = 716
)

// ViewClientBook lists the signed-in associate's customers, with their
// reminders due.
type ViewClientBook struct{}

// StoreClientBooks lists every associate's customers (a manager's view).
type StoreClientBooks struct{}

// AddToClientBook puts a customer in the signed-in associate's client book
// (a customer is in one client book).
type AddToClientBook struct{ CustomerID string }

// RemoveFromClientBook takes a customer out of their client book.
type RemoveFromClientBook struct{ CustomerID string }

// ReassignClient moves a customer to another associate's client book.
type ReassignClient struct {
	CustomerID string
	Associate  string // operator ID
}

// OpID of ViewClientBook.
func (ViewClientBook) OpID() OpID { return OpViewClientBook }

// OpID of StoreClientBooks.
func (StoreClientBooks) OpID() OpID { return OpStoreClientBooks }

// OpID of AddToClientBook.
func (AddToClientBook) OpID() OpID { return OpAddToClientBook }

// OpID of RemoveFromClientBook.
func (RemoveFromClientBook) OpID() OpID { return OpRemoveClientBook }

// OpID of ReassignClient.
func (ReassignClient) OpID() OpID { return OpReassignClient }

// setAssociate changes whose client book holds a customer.
func (r *Register) setAssociate(ctx context.Context, id, associate string, op OpID) (Result, error) {
	return r.changeCustomer(ctx, id, op, func(c *customer.Customer, _ customer.Stamp) error {
		c.Associate = associate
		return nil
	})
}

func clientBookOps(g *Registry) {
	builtin(g, OpSpec{ID: OpViewClientBook, Name: "View client book", Permission: perm(OpViewClientBook), Offline: true, Group: GroupCustomer,
		Doc: "The signed-in associate's customers, by name, with their reminders due."},
		func(r *Register, ctx context.Context, _ ViewClientBook, _ *authority) (Result, error) {
			cs, err := r.store.ClientBook(ctx, r.operator.ID)
			if err != nil {
				return Result{}, err
			}
			return Result{Customers: cs}, nil
		})
	builtin(g, OpSpec{ID: OpStoreClientBooks, Name: "Store client books", Permission: perm(OpStoreClientBooks), Offline: true, Group: GroupCustomer,
		Doc: "Every associate's client book (a manager's view), by associate and name."},
		func(r *Register, ctx context.Context, _ StoreClientBooks, _ *authority) (Result, error) {
			cs, err := r.store.ClientBook(ctx, "")
			if err != nil {
				return Result{}, err
			}
			return Result{Customers: cs}, nil
		})
	builtin(g, OpSpec{ID: OpAddToClientBook, Name: "Add to client book", Permission: perm(OpAddToClientBook), Offline: true, Group: GroupCustomer,
		Doc: "Put a customer in your client book (a customer is in one client book; moving one from another associate's needs Reassign)."},
		func(r *Register, ctx context.Context, o AddToClientBook, _ *authority) (Result, error) {
			cu, err := r.customer(ctx, strings.TrimSpace(o.CustomerID))
			if err != nil {
				return Result{}, err
			}
			if cu.Associate != "" && cu.Associate != r.operator.ID {
				return Result{}, poserr.E(poserr.Conflict, "error.clientbook.taken", "%s is in the client book of %s: a manager can reassign them", cu.Name(), r.OperatorName(ctx, cu.Associate))
			}
			return r.setAssociate(ctx, cu.ID, r.operator.ID, OpAddToClientBook)
		})
	builtin(g, OpSpec{ID: OpRemoveClientBook, Name: "Remove from client book", Permission: perm(OpRemoveClientBook), Offline: true, Group: GroupCustomer,
		Doc: "Take a customer out of their client book."},
		func(r *Register, ctx context.Context, o RemoveFromClientBook, _ *authority) (Result, error) {
			return r.setAssociate(ctx, o.CustomerID, "", OpRemoveClientBook)
		})
	builtin(g, OpSpec{ID: OpReassignClient, Name: "Reassign client", Permission: perm(OpReassignClient), Offline: true, Group: GroupCustomer,
		Doc: "Move a customer to another associate's client book."},
		func(r *Register, ctx context.Context, o ReassignClient, _ *authority) (Result, error) {
			to := strings.TrimSpace(o.Associate)
			if _, err := r.store.Operator(ctx, to); err != nil {
				return Result{}, poserr.E(poserr.Invalid, "error.clientbook.associate", "no associate %q: give the operator ID of the associate", to)
			}
			return r.setAssociate(ctx, o.CustomerID, to, OpReassignClient)
		})
}
