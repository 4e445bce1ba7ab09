package pos

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/opentill/opentill/pos/cart"
	"github.com/opentill/opentill/pos/customer"
)

// CustomerHistory is a customer's purchases at the chain's other tills, as
// the store server knew them at AsOf: every visit (time and total), the
// newest purchases in full, and the items bought over all of them. The
// till adds its own transactions (which the server's history leaves out).
type CustomerHistory struct {
	AsOf      time.Time
	Visits    []customer.Visit
	Purchases []TxnSummary
	Items     []customer.Item
}

// CustomerHistorySource asks the store server for a customer's purchases
// at the chain's other tills (all the customer's numbers at once); the
// sync engine implements it. It returns poserr.Offline when the server
// cannot be reached.
type CustomerHistorySource interface {
	CustomerHistory(ctx context.Context, numbers []string) (CustomerHistory, error)
}

// HistoryCache keeps the last history the server sent of each customer,
// for the page offline.
type HistoryCache interface {
	// RememberHistory keeps a customer's history (by the customer's ID),
	// replacing the one kept before.
	RememberHistory(ctx context.Context, customerID string, h CustomerHistory) error
	// KnownHistory returns the history kept of a customer; false when none.
	KnownHistory(ctx context.Context, customerID string) (CustomerHistory, bool, error)
}

// elsewhere is the customer's history at other tills: live from the
// server when it answers (and kept), else the one kept last; live says
// which, and err why the server did not answer (nil when not asked).
func (r *Register) elsewhere(ctx context.Context, cu customer.Customer) (h CustomerHistory, known, live bool, err error) {
	if r.opt.History != nil && r.online() {
		h, err = r.opt.History.CustomerHistory(ctx, cu.Numbers())
		if err == nil {
			if rerr := r.store.RememberHistory(ctx, cu.ID, h); rerr != nil {
				return h, true, true, rerr
			}
			return h, true, true, nil
		}
	}
	kh, ok, kerr := r.store.KnownHistory(ctx, cu.ID)
	if kerr != nil {
		return h, false, false, kerr
	}
	if ok {
		return kh, true, false, err
	}
	return h, false, false, err
}

// withElsewhere adds the other tills' history to this till's purchases,
// visits and items: purchases merged newest first (a transaction once),
// items summed per product.
func withElsewhere(txns []TxnSummary, visits []customer.Visit, items []customer.Item, h CustomerHistory) ([]TxnSummary, []customer.Visit, []customer.Item) {
	seen := map[string]bool{}
	for _, t := range txns {
		seen[t.ID] = true
	}
	for _, t := range h.Purchases {
		if !seen[t.ID] {
			txns = append(txns, t)
		}
	}
	sortNewestFirst(txns)
	visits = append(visits, h.Visits...)
	items = mergeItems(items, h.Items)
	return txns, visits, items
}

// sortNewestFirst orders transactions newest first (ties by receipt).
func sortNewestFirst(txns []TxnSummary) {
	slices.SortFunc(txns, func(a, b TxnSummary) int {
		if c := b.Finished.Compare(a.Finished); c != 0 {
			return c
		}
		return strings.Compare(b.ReceiptNo, a.ReceiptNo)
	})
}

// mergeItems sums two lists of items bought per product, the most
// recently bought first (ties by product).
func mergeItems(a, b []customer.Item) []customer.Item {
	by := map[string]*customer.Item{}
	for _, list := range [][]customer.Item{a, b} {
		for _, it := range list {
			have := by[it.ProductID]
			if have == nil {
				cp := it
				by[it.ProductID] = &cp
				continue
			}
			have.Qty += it.Qty
			have.Amount += it.Amount
			have.Times += it.Times
			if it.First.Before(have.First) {
				have.First = it.First
			}
			if it.Last.After(have.Last) {
				have.Last = it.Last
			}
		}
	}
	out := make([]customer.Item, 0, len(by))
	for _, it := range by {
		out = append(out, *it)
	}
	slices.SortFunc(out, func(x, y customer.Item) int {
		if c := y.Last.Compare(x.Last); c != 0 {
			return c
		}
		return strings.Compare(x.ProductID, y.ProductID)
	})
	return out
}

// completedVisits are the visits of completed transactions.
func completedVisits(txns []TxnSummary) []customer.Visit {
	out := make([]customer.Visit, 0, len(txns))
	for _, t := range txns {
		if t.Status == cart.Completed {
			out = append(out, customer.Visit{At: t.Finished, Total: t.Total})
		}
	}
	return out
}
