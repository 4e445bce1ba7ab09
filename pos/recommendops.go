package pos

import (
	"context"
	"strings"

	"github.com/opentill/opentill/pos/catalog"
	"github.com/opentill/opentill/pos/recommend"
)

// RecommendationSource holds the store server's "bought together" lists as
// the till last received them.
type RecommendationSource interface {
	// Recommendations returns the lists of the products given and the best
	// sellers.
	Recommendations(ctx context.Context, productIDs []string) (recommend.Model, error)
}

// OpRecommendations suggests products (ours: the anchor shows
// recommendations without an operation of its own).
const OpRecommendations OpID = 4040

// Recommendations suggests products: bought together with ProductID (its
// details: those alone), or with the open transaction's products (best
// sellers filling up), ranked for its customer when one is on it.
type Recommendations struct {
	ProductID string
	Limit     int // 0 = 5
}

// OpID of Recommendations.
func (Recommendations) OpID() OpID { return OpRecommendations }

// personalWeight is what each earlier purchase of a product adds to its
// rank for the customer, up to personalLimit.
const (
	personalWeight = 0.1
	personalLimit  = 1.0
)

func (r *Register) recommendations(ctx context.Context, o Recommendations) (Result, error) {
	n := o.Limit
	if n <= 0 {
		n = 5
	}
	var ids []string
	var customerNo string
	if id := strings.TrimSpace(o.ProductID); id != "" {
		ids = []string{id}
	} else if r.cart != nil {
		for _, l := range r.cart.Active() {
			if l.Qty > 0 {
				ids = append(ids, l.ProductID)
			}
		}
		customerNo = r.cart.Customer
	}
	m, err := r.store.Recommendations(ctx, ids)
	if err != nil {
		return Result{}, err
	}
	if o.ProductID != "" {
		m.BestSellers = nil // a product's details show only what is bought with it
	}
	var personal map[string]float64
	if customerNo != "" {
		items, err := r.store.PurchasedItems(ctx, customerNo, customerItems)
		if err != nil {
			return Result{}, err
		}
		bought := make(map[string]int, len(items))
		for _, it := range items {
			bought[it.ProductID] = it.Times
		}
		personal = recommend.PersonalWeights(bought, personalWeight, personalLimit)
	}
	var out []catalog.Product
	for _, s := range m.ForCart(ids, personal, n+5) {
		if len(out) == n {
			break
		}
		p, err := r.store.ByID(ctx, s.ProductID)
		if err != nil || p.Flags.MustKeyInPrice {
			continue // no longer sold here, or not something to suggest
		}
		out = append(out, p)
	}
	return Result{Recommended: out}, nil
}

func recommendOps(g *Registry) {
	builtin(g, OpSpec{ID: OpRecommendations, Name: "Recommendations", Permission: perm(OpRecommendations), Offline: true, Group: GroupCustomer,
		Doc: "Products bought together with a product or the transaction's, from the store server's counts over every store, ranked for the transaction's customer; offline from the last feed."},
		func(r *Register, ctx context.Context, o Recommendations, _ *authority) (Result, error) {
			return r.recommendations(ctx, o)
		})
}
