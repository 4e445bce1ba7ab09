package tillsync

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"time"

	"github.com/opentill/opentill/offline/api"
	"github.com/opentill/opentill/pos"
	"github.com/opentill/opentill/pos/cart"
	"github.com/opentill/opentill/pos/catalog"
	"github.com/opentill/opentill/pos/customer"
	"github.com/opentill/opentill/pos/money"
	"github.com/opentill/opentill/pos/poserr"
	"github.com/opentill/opentill/pos/report"
	"github.com/opentill/opentill/pos/storedvalue"
)

// The engine is the register's connectivity source and its directory of
// other stores' stock (pos.Connectivity, pos.StockDirectory).
var (
	_ pos.Connectivity          = (*Engine)(nil)
	_ pos.StockDirectory        = (*Engine)(nil)
	_ pos.CustomerHistorySource = (*Engine)(nil)
	_ pos.SaleDirectory         = (*Engine)(nil)
	_ pos.StoreReportSource     = (*Engine)(nil)
	_ pos.ValueDirectory        = (*Engine)(nil)
)

// Balance asks the server for a gift card's or memo's balance, with how
// many of this till's movements of it the server counted. A number the
// server does not know is poserr.NotFound; an unreachable server
// poserr.Offline.
func (e *Engine) Balance(ctx context.Context, kind storedvalue.Kind, number string) (storedvalue.Known, error) {
	c, err := e.lookupClient(ctx)
	if err != nil {
		return storedvalue.Known{}, err
	}
	b, err := c.Balance(ctx, kind, number)
	var ce *Error
	switch {
	case KindOf(err) == Unreachable:
		return storedvalue.Known{}, poserr.Wrap(err, poserr.Offline, "sync.balance.offline", "the store server cannot be reached: the balance is as last heard")
	case errors.As(err, &ce) && ce.Status == http.StatusNotFound:
		return storedvalue.Known{}, poserr.Wrap(err, poserr.NotFound, "error.value.unknown", "%s is not a gift card or credit memo the store issued", storedvalue.Mask(number))
	case err != nil:
		return storedvalue.Known{}, err
	}
	if b.Kind != string(kind) || b.Number != number {
		return storedvalue.Known{}, poserr.E(poserr.Other, "sync.balance.bad", "the store server answered for another number than %s", storedvalue.Mask(number))
	}
	return storedvalue.Known{Kind: kind, Number: number, Amount: money.Amount(b.Amount), AsOf: b.AsOf, Counted: b.Counted, Limit: money.Amount(b.Limit), Held: money.Amount(b.Held)}, nil
}

// Hold asks the server to hold what the sale txnID takes from a number
// until the sale is uploaded (0 drops it). A number it cannot cover is
// poserr.Conflict; an unreachable server poserr.Offline.
func (e *Engine) Hold(ctx context.Context, kind storedvalue.Kind, number, txnID string, amount money.Amount) error {
	c, err := e.lookupClient(ctx)
	if err != nil {
		return err
	}
	_, err = c.Hold(ctx, kind, number, txnID, amount)
	var ce *Error
	switch {
	case KindOf(err) == Unreachable:
		return poserr.Wrap(err, poserr.Offline, "sync.balance.offline", "the store server cannot be reached: the balance is as last heard")
	case errors.As(err, &ce) && ce.Status == http.StatusConflict:
		return poserr.Wrap(err, poserr.Conflict, "error.value.held", "%s was just spent at another till: take another payment", storedvalue.Mask(number))
	}
	return err
}

// StoreReport asks the server for the store's figures over [from, to)
// across its tills. An unreachable server is a poserr.Offline error.
func (e *Engine) StoreReport(ctx context.Context, from, to time.Time) (report.Parts, error) {
	c, err := e.lookupClient(ctx)
	if err != nil {
		return report.Parts{}, err
	}
	rep, err := c.StoreReport(ctx, from, to)
	if err != nil {
		if KindOf(err) == Unreachable {
			return report.Parts{}, poserr.Wrap(err, poserr.Offline, "error.report.store_offline",
				"the whole store's reports need the store server, which cannot be reached: this till's own reports work offline")
		}
		return report.Parts{}, err
	}
	fig := func(f api.ReportFigures) report.Figures {
		return report.Figures{Transactions: f.Transactions, SaleCount: f.SaleCount, ReturnCount: f.ReturnCount, Items: f.Items, Returned: f.Returned,
			Sales: money.Amount(f.Sales), Returns: money.Amount(f.Returns), Net: money.Amount(f.Net), Tax: money.Amount(f.Tax),
			Discounts: money.Amount(f.Discounts), Rounding: money.Amount(f.Rounding)}
	}
	people := func(rs []api.ReportRow) []report.People {
		out := make([]report.People, 0, len(rs))
		for _, r := range rs {
			out = append(out, report.People{ID: r.ID, Figures: fig(r.ReportFigures), Voids: r.Voids, VoidTotal: money.Amount(r.VoidTotal),
				LineVoids: r.LineVoids, NoSales: r.NoSales, Overrides: r.Overrides})
		}
		return out
	}
	lines := func(ls []api.ReportLines) []report.Lines {
		out := make([]report.Lines, 0, len(ls))
		for _, l := range ls {
			out = append(out, report.Lines{ID: l.ID, Name: l.Name, Category: l.Category, Lines: l.Lines, Sold: catalog.Qty(l.Sold),
				Returned: catalog.Qty(l.Returned), Decimals: l.Decimals, Sales: money.Amount(l.Sales), Returns: money.Amount(l.Returns),
				Tax: money.Amount(l.Tax), Discount: money.Amount(l.Discount)})
		}
		return out
	}
	p := report.Parts{Terminals: rep.Terminals, Total: fig(rep.Total), NoShift: fig(rep.NoShift), Registers: people(rep.Registers),
		Operators: people(rep.Operators), Categories: lines(rep.Categories), Products: lines(rep.Products),
		Voids: rep.Voids, VoidTotal: money.Amount(rep.VoidTotal), LineVoids: rep.LineVoids, NoSales: rep.NoSales, Suspended: rep.Suspended,
		Income: money.Amount(rep.Income), Expense: money.Amount(rep.Expense), Entries: rep.Entries}
	if p.Terminals == nil { // a server before hours and exceptions: its registers
		for _, r := range rep.Registers {
			p.Terminals = append(p.Terminals, r.ID)
		}
	}
	for h, f := range rep.Hours {
		if h < len(p.Hours) {
			p.Hours[h] = fig(f)
		}
	}
	for _, d := range rep.Days {
		p.Days = append(p.Days, report.DayFigures{Day: d.Day, Figures: fig(d.ReportFigures)})
	}
	for _, t := range rep.Tenders {
		p.Tenders = append(p.Tenders, report.Tender{ID: t.ID, Name: t.Name, Cash: t.Cash, Count: t.Count, Tendered: money.Amount(t.Tendered), Change: money.Amount(t.Change)})
	}
	for _, t := range rep.Taxes {
		p.Taxes = append(p.Taxes, report.Tax{Code: t.Code, Name: t.Name, Rate: t.Rate, Basis: money.Amount(t.Basis), Tax: money.Amount(t.Tax)})
	}
	for _, pr := range rep.Promotions {
		p.Promotions = append(p.Promotions, report.Promotion{ID: pr.ID, Name: pr.Name, Kind: pr.Kind, Coupon: pr.Coupon, Lines: pr.Lines,
			Transactions: pr.Transactions, Amount: money.Amount(pr.Amount)})
	}
	for _, x := range rep.Exceptions {
		p.Exceptions = append(p.Exceptions, report.Exception{Kind: report.ExceptionKind(x.Kind), Time: x.Time, Seq: x.Seq, Terminal: x.Terminal,
			Receipt: x.Receipt, Operator: x.Operator, Authorised: x.Authorised, Approved: x.Approved, Item: x.Item, Amount: money.Amount(x.Amount),
			Detail: x.Detail, Was: money.Amount(x.Was), Now: money.Amount(x.Now), Percent: x.Percent, Off: money.Amount(x.Off)})
	}
	for _, o := range rep.OverShort {
		p.OverShort = append(p.OverShort, report.OverShort{Shift: o.Shift, Terminal: o.Terminal, OpenedBy: o.OpenedBy, ClosedBy: o.ClosedBy,
			Closed: o.Closed, Expected: money.Amount(o.Expected), Declared: money.Amount(o.Declared), OverShort: money.Amount(o.OverShort),
			Approver: o.Approver, Reason: o.Reason})
	}
	return p, nil
}

// Sale asks the server for another till's sale, for a return: the
// transaction and what the other tills returned of each line. A receipt
// the server does not know is poserr.NotFound; an unreachable server
// poserr.Offline.
func (e *Engine) Sale(ctx context.Context, receiptNo string, anyStore bool) (*cart.Cart, map[int]catalog.Qty, error) {
	c, err := e.lookupClient(ctx)
	if err != nil {
		return nil, nil, err
	}
	sale, err := c.Sale(ctx, receiptNo, anyStore)
	var ce *Error
	switch {
	case KindOf(err) == Unreachable:
		return nil, nil, poserr.Wrap(err, poserr.Offline, "sync.sale.offline", "the store server cannot be reached: only this till's sales can be returned now")
	case errors.As(err, &ce) && ce.Status == http.StatusNotFound:
		return nil, nil, poserr.Wrap(err, poserr.NotFound, "error.return.receipt_unknown", "no sale with receipt number %s in this store", receiptNo)
	case err != nil:
		return nil, nil, err
	}
	var out cart.Cart
	if err := json.Unmarshal(sale.Transaction, &out); err != nil || out.ID == "" {
		return nil, nil, poserr.E(poserr.Other, "sync.sale.bad", "the store server sent receipt %s in a form this till cannot read", receiptNo)
	}
	returned := map[int]catalog.Qty{}
	for _, rl := range sale.Returned {
		returned[rl.Line] += catalog.Qty(rl.Qty)
	}
	return &out, returned, nil
}

// CustomerHistory asks the server for a customer's purchases at the
// chain's other tills. An unreachable server is a poserr.Offline error.
func (e *Engine) CustomerHistory(ctx context.Context, numbers []string) (pos.CustomerHistory, error) {
	if len(numbers) > api.MaxHistoryNumbers {
		numbers = numbers[:api.MaxHistoryNumbers]
	}
	c, err := e.lookupClient(ctx)
	if err != nil {
		return pos.CustomerHistory{}, err
	}
	h, err := c.CustomerHistory(ctx, numbers)
	if err != nil {
		if KindOf(err) == Unreachable {
			return pos.CustomerHistory{}, poserr.Wrap(err, poserr.Offline, "sync.history.offline",
				"the store server cannot be reached: purchases at other stores are shown as last heard")
		}
		return pos.CustomerHistory{}, err
	}
	out := pos.CustomerHistory{AsOf: h.AsOf}
	for _, v := range h.Visits {
		out.Visits = append(out.Visits, customer.Visit{At: v.At, Total: money.Amount(v.Total)})
	}
	for _, p := range h.Purchases {
		out.Purchases = append(out.Purchases, pos.TxnSummary{ID: p.ID, ReceiptNo: p.ReceiptNo, Operator: p.Operator, Finished: p.Finished,
			Status: cart.Completed, Total: money.Amount(p.Total), Lines: p.Lines, Customer: p.Customer, Store: p.Store, StoreName: p.StoreName, Terminal: p.Terminal})
	}
	for _, it := range h.Items {
		out.Items = append(out.Items, customer.Item{ProductID: it.ProductID, ItemID: it.ItemID, Qty: catalog.Qty(it.Qty), Times: it.Times,
			First: it.First, Last: it.Last, Amount: money.Amount(it.Amount)})
	}
	return out, nil
}

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
