package pos

import (
	"context"
	"strings"

	"github.com/opentill/opentill/pos/inventory"
	"github.com/opentill/opentill/pos/poserr"
)

// OpStockElsewhere asks the store server for a product's stock in this store
// and its sister stores. The anchor folds it into its inventory lookup
// (801); here it is an operation of its own because it needs the server.
const OpStockElsewhere OpID = 4020

// StockElsewhere asks for a product's stock across the stores (op 4020).
type StockElsewhere struct{ ProductID string }

// OpID of StockElsewhere.
func (StockElsewhere) OpID() OpID { return OpStockElsewhere }

// StoreStock is one store's stock of a product (its on hand, reserved, on
// order and in transit, as of when the server's figure was true).
type StoreStock = inventory.Level

// StockDirectory answers for the stock of other stores; the sync engine
// implements it over the store server's API. It returns poserr.Offline when
// the server cannot be reached.
type StockDirectory interface {
	StockLevels(ctx context.Context, productID string) ([]StoreStock, error)
}

// Connectivity says whether the store server can be reached now; the sync
// engine's state answers it.
type Connectivity interface {
	Online() bool
}

// lookupOps registers the lookups that need the store server.
func lookupOps(g *Registry) {
	builtin(g, OpSpec{ID: OpStockElsewhere, Name: "Stock in other stores", Permission: perm(OpStockElsewhere), Offline: false, Group: GroupLookup,
		Doc: "A product's stock in this store and its sister stores, from the store server (needs the server)."},
		func(r *Register, ctx context.Context, o StockElsewhere, _ *authority) (Result, error) {
			if strings.TrimSpace(o.ProductID) == "" {
				return Result{}, poserr.E(poserr.Invalid, "error.stock.no_product", "pick a product to look its stock up")
			}
			if r.opt.Stock == nil {
				return Result{}, poserr.E(poserr.Offline, "error.stock.no_server", "this till has no store server set up: stock in other stores needs one")
			}
			levels, err := r.opt.Stock.StockLevels(ctx, o.ProductID)
			if err != nil {
				return Result{}, err
			}
			return Result{Stock: levels}, nil
		})
}
