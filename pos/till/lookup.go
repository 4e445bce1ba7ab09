package till

import (
	"context"

	"github.com/opentill/opentill/pos"
	"github.com/opentill/opentill/pos/cart"
	"github.com/opentill/opentill/pos/catalog"
	"github.com/opentill/opentill/pos/poserr"
)

// Transactions finds completed transactions in the local store
// (*store.Store implements it).
type Transactions interface {
	// FindTransactions lists past transactions, newest first (the journal
	// screen).
	pos.TransactionHistory
	// Transaction finds a completed transaction by receipt number, with the
	// quantities already returned against each of its lines (by line
	// number). A miss is an error of kind poserr.NotFound.
	Transaction(ctx context.Context, receiptNo string) (*cart.Cart, map[int]catalog.Qty, error)
}

// Past is a completed transaction found by its receipt number: for a return
// by receipt, a reprint or the journal screen.
type Past struct {
	Cart     *cart.Cart
	Returned map[int]catalog.Qty // already returned, by line number
}

// ReturnableLine is a line of a past sale that can still be returned.
type ReturnableLine struct {
	Line *cart.Line
	Left catalog.Qty // sold and not yet returned
}

// Returnable lists the lines that can still be returned, in line order:
// sold (not returns themselves, not voided), returnable, with some quantity
// left.
func (p Past) Returnable() []ReturnableLine {
	var out []ReturnableLine
	for _, l := range p.Cart.Active() {
		if l.IsReturn() || !l.Flags.Returnable() {
			continue
		}
		if left := l.Qty - p.Returned[l.No]; left > 0 {
			out = append(out, ReturnableLine{Line: l, Left: left})
		}
	}
	return out
}

// Transaction finds a completed transaction by its receipt number.
func (t *Till) Transaction(ctx context.Context, receiptNo string) (Past, error) {
	if t.txns == nil {
		return Past{}, poserr.E(poserr.NotFound, "error.txn.no_lookup", "this till cannot look past transactions up: it has no local store attached")
	}
	c, returned, err := t.txns.Transaction(ctx, receiptNo)
	if err != nil {
		return Past{}, err
	}
	return Past{Cart: c, Returned: returned}, nil
}

// History lists the till's past transactions the query selects, newest
// first: the journal screen browses and searches them.
func (t *Till) History(ctx context.Context, q pos.TxnQuery) ([]pos.TxnSummary, error) {
	if t.txns == nil {
		return nil, poserr.E(poserr.NotFound, "error.txn.no_lookup", "this till cannot look past transactions up: it has no local store attached")
	}
	return t.txns.FindTransactions(ctx, q)
}
