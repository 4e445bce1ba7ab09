package synclink

import (
	"context"
	"sync/atomic"
	"time"

	"github.com/opentill/opentill/offline/tillsync"
	"github.com/opentill/opentill/pos"
	"github.com/opentill/opentill/pos/cart"
	"github.com/opentill/opentill/pos/catalog"
	"github.com/opentill/opentill/pos/money"
	"github.com/opentill/opentill/pos/poserr"
	"github.com/opentill/opentill/pos/report"
	"github.com/opentill/opentill/pos/storedvalue"
)

// Ports is the register's view of the store server (pos.Connectivity and
// pos.StockDirectory). The register is built before the sync engine opens,
// so Ports answers "offline" until Attach hands it the engine; a till
// without sync stays offline.
type Ports struct {
	eng atomic.Pointer[tillsync.Engine]
}

var (
	_ pos.Connectivity          = (*Ports)(nil)
	_ pos.StockDirectory        = (*Ports)(nil)
	_ pos.CustomerHistorySource = (*Ports)(nil)
	_ pos.SaleDirectory         = (*Ports)(nil)
	_ pos.StoreReportSource     = (*Ports)(nil)
	_ pos.ValueDirectory        = (*Ports)(nil)
)

// Hold asks the store server to hold what a sale takes from a number.
func (p *Ports) Hold(ctx context.Context, kind storedvalue.Kind, number, txnID string, amount money.Amount) error {
	e := p.eng.Load()
	if e == nil {
		return poserr.E(poserr.Offline, "error.value.no_server", "this till has no store server set up: balances are as this till knows them")
	}
	err := e.Hold(ctx, kind, number, txnID, amount)
	if err != nil && !poserr.Is(err, poserr.Conflict) {
		return problem(err)
	}
	return err
}

// Balance asks the store server for a gift card's or memo's balance.
func (p *Ports) Balance(ctx context.Context, kind storedvalue.Kind, number string) (storedvalue.Known, error) {
	e := p.eng.Load()
	if e == nil {
		return storedvalue.Known{}, poserr.E(poserr.Offline, "error.value.no_server", "this till has no store server set up: balances are as this till knows them")
	}
	k, err := e.Balance(ctx, kind, number)
	if err != nil && !poserr.Is(err, poserr.NotFound) {
		return k, problem(err)
	}
	return k, err
}

// StoreReport asks the store server for the store's figures across its tills.
func (p *Ports) StoreReport(ctx context.Context, from, to time.Time) (report.Parts, error) {
	e := p.eng.Load()
	if e == nil {
		return report.Parts{}, poserr.E(poserr.Offline, "error.report.no_server", "this till has no store server set up: its own reports are all it has")
	}
	parts, err := e.StoreReport(ctx, from, to)
	if err != nil {
		return parts, problem(err)
	}
	return parts, nil
}

// Sale asks the store server for another till's sale, for a return.
func (p *Ports) Sale(ctx context.Context, receiptNo string, anyStore bool) (*cart.Cart, map[int]catalog.Qty, error) {
	e := p.eng.Load()
	if e == nil {
		return nil, nil, poserr.E(poserr.Offline, "error.return.no_server", "this till has no store server set up: only its own sales can be returned")
	}
	c, ret, err := e.Sale(ctx, receiptNo, anyStore)
	if err != nil && !poserr.Is(err, poserr.NotFound) {
		return nil, nil, problem(err)
	}
	return c, ret, err
}

// CustomerHistory asks the store server for a customer's purchases at the
// chain's other tills.
func (p *Ports) CustomerHistory(ctx context.Context, numbers []string) (pos.CustomerHistory, error) {
	e := p.eng.Load()
	if e == nil {
		return pos.CustomerHistory{}, poserr.E(poserr.Offline, "error.customer.no_server", "this till has no store server set up: purchases at other stores need one")
	}
	h, err := e.CustomerHistory(ctx, numbers)
	if err != nil {
		return h, problem(err)
	}
	return h, nil
}

// Attach hands the ports the running engine (nil keeps them offline).
func (p *Ports) Attach(e *tillsync.Engine) { p.eng.Store(e) }

// Online reports whether the store server answered the last exchange.
func (p *Ports) Online() bool {
	e := p.eng.Load()
	return e != nil && e.Online()
}

// StockLevels asks the store server for a product's stock in the stores. A
// failure of the server carries its till.SyncProblem.
func (p *Ports) StockLevels(ctx context.Context, productID string) ([]pos.StoreStock, error) {
	e := p.eng.Load()
	if e == nil {
		return nil, poserr.E(poserr.Offline, "error.stock.no_server", "this till has no store server set up: stock in other stores needs one")
	}
	levels, err := e.StockLevels(ctx, productID)
	if err != nil {
		return nil, problem(err)
	}
	return levels, nil
}
