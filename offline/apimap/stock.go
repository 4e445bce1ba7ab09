package apimap

import (
	"time"

	"github.com/opentill/opentill/offline/api"
	"github.com/opentill/opentill/pos/catalog"
	"github.com/opentill/opentill/pos/inventory"
)

// StockDocOf maps a purchase or transfer order to its wire form (Draft,
// the till's own mark, does not travel).
func StockDocOf(d inventory.Doc) api.StockDoc {
	out := api.StockDoc{ID: d.ID, Kind: string(d.Kind), Number: d.Number, From: d.From, FromName: d.FromName, To: d.To, ToName: d.ToName,
		DeliveryDate: d.DeliveryDate.UTC(), Created: d.Created.UTC(), Closed: d.Closed, Lines: make([]api.StockDocLine, len(d.Lines)), Posted: d.Posted}
	if d.DeliveryDate.IsZero() {
		out.DeliveryDate = time.Time{}
	}
	for i, l := range d.Lines {
		out.Lines[i] = api.StockDocLine{ProductID: l.ProductID, Ordered: int64(l.Ordered), Shipped: int64(l.Shipped), Received: int64(l.Received)}
	}
	return out
}

// StockDocFrom maps a document of the wire to the domain's.
func StockDocFrom(d api.StockDoc) inventory.Doc {
	out := inventory.Doc{ID: d.ID, Kind: inventory.DocKind(d.Kind), Number: d.Number, From: d.From, FromName: d.FromName, To: d.To, ToName: d.ToName,
		DeliveryDate: d.DeliveryDate, Created: d.Created, Closed: d.Closed, Lines: make([]inventory.DocLine, len(d.Lines)), Posted: d.Posted}
	for i, l := range d.Lines {
		out.Lines[i] = inventory.DocLine{ProductID: l.ProductID, Ordered: catalog.Qty(l.Ordered), Shipped: catalog.Qty(l.Shipped), Received: catalog.Qty(l.Received)}
	}
	return out
}

// StockDocPostOf maps a receipt or shipment to its upload.
func StockDocPostOf(p inventory.DocPost) api.StockDocPost {
	out := api.StockDocPost{ID: p.ID, DocID: p.DocID, Kind: string(p.Kind), Lines: make([]api.StockDocMove, len(p.Lines)), Close: p.Close, Operator: p.Operator, At: p.At.UTC()}
	for i, l := range p.Lines {
		out.Lines[i] = api.StockDocMove{ProductID: l.ProductID, Qty: int64(l.Qty)}
	}
	return out
}

// StockDocPostFrom maps an uploaded receipt or shipment to the domain's.
func StockDocPostFrom(p api.StockDocPost) inventory.DocPost {
	out := inventory.DocPost{ID: p.ID, DocID: p.DocID, Kind: inventory.PostKind(p.Kind), Lines: make([]inventory.PostLine, len(p.Lines)), Close: p.Close, Operator: p.Operator, At: p.At}
	for i, l := range p.Lines {
		out.Lines[i] = inventory.PostLine{ProductID: l.ProductID, Qty: catalog.Qty(l.Qty)}
	}
	return out
}

// StockAdjustmentOf maps an adjustment to its upload (the store is the
// uploading till's).
func StockAdjustmentOf(a inventory.AdjustmentRecord) api.StockAdjustment {
	return api.StockAdjustment{ID: a.ID, ProductID: a.ProductID, Qty: int64(a.Qty), Reason: a.Reason, Note: a.Note,
		Operator: a.Operator, Approver: a.Approver, At: a.At.UTC()}
}

// StockCountOf maps a count to its wire form (the store is the feed's).
func StockCountOf(c inventory.Count) api.StockCount {
	return api.StockCount{ID: c.ID, Name: c.Name, Scheduled: c.Scheduled, Status: string(c.Status), Created: c.Created.UTC(),
		Posted: c.Posted.UTC(), PostedBy: c.PostedBy, Products: c.Products}
}

// StockCountFrom maps a count header of the feed to the domain's count of
// store storeID.
func StockCountFrom(c api.StockCount, storeID string) inventory.Count {
	return inventory.Count{ID: c.ID, StoreID: storeID, Name: c.Name, Scheduled: c.Scheduled, Status: inventory.Status(c.Status),
		Created: c.Created, Posted: c.Posted, PostedBy: c.PostedBy, Products: c.Products}
}

// CountLinesOf maps a device's counted lines to their upload form: what
// it counted, when and whether it recounted.
func CountLinesOf(ls []inventory.CountLine) []api.StockCountLine {
	out := make([]api.StockCountLine, len(ls))
	for i, l := range ls {
		out[i] = api.StockCountLine{ProductID: l.ProductID, Qty: int64(l.Counted), CountedAt: l.CountedAt.UTC(), Recounted: l.Recounted}
	}
	return out
}

// StockLevelFrom maps a stock figure of the feed to the domain's level of
// a store.
func StockLevelFrom(f api.StockFigure, storeID, storeName string) inventory.Level {
	return inventory.Level{StoreID: storeID, StoreName: storeName, ProductID: f.ProductID, OnHand: catalog.Qty(f.OnHand),
		Reserved: catalog.Qty(f.Reserved), OnOrder: catalog.Qty(f.OnOrder), InTransit: catalog.Qty(f.InTransit), AsOf: f.AsOf}
}
