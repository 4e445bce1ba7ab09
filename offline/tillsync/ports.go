package tillsync

import (
	"context"

	"github.com/opentill/opentill/pos"
	"github.com/opentill/opentill/pos/catalog"
	"github.com/opentill/opentill/pos/poserr"
)

// The engine is the register's connectivity source and its directory of
// other stores' stock (pos.Connectivity, pos.StockDirectory).
var (
	_ pos.Connectivity   = (*Engine)(nil)
	_ pos.StockDirectory = (*Engine)(nil)
)

// Online reports whether the last exchange with the store server succeeded.
func (e *Engine) Online() bool { return e.Status().State == Online }

// StockLevels asks the server for a product's stock in this store and its
// sister stores. An unreachable server is a poserr.Offline error; a server
// that answers with an error keeps its own message.
func (e *Engine) StockLevels(ctx context.Context, productID string) ([]pos.StoreStock, error) {
	av, err := e.Availability(ctx, productID)
	if err != nil {
		if KindOf(err) == Unreachable {
			return nil, poserr.Wrap(err, poserr.Offline, "sync.stock.offline", "the store server cannot be reached: stock in other stores is not available offline")
		}
		return nil, err
	}
	out := make([]pos.StoreStock, 0, len(av.Stores))
	for _, s := range av.Stores {
		out = append(out, pos.StoreStock{StoreID: s.StoreID, StoreName: s.StoreName, OnHand: catalog.Qty(s.Qty),
			Reserved: catalog.Qty(s.Reserved), OnOrder: catalog.Qty(s.OnOrder), InTransit: catalog.Qty(s.InTransit), AsOf: s.AsOf})
	}
	return out, nil
}
