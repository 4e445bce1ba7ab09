package pos

import (
	"context"
	"time"

	"github.com/opentill/opentill/pos/cart"

	"github.com/opentill/opentill/pos/catalog"
	"github.com/opentill/opentill/pos/inventory"
	"github.com/opentill/opentill/pos/journal"
)

// StockBook is the till's stock (docs/inventory.md): this store's figures
// as the store server last sent them with this till's own movements on top
// (a completed transaction books its movements in its own commit), the
// last figures heard of other stores, adjustments, and the stock counts
// counted here. offline/store keeps it in SQLite and queues what the store
// server needs in the outbox; pos/memstore keeps it in memory.
type StockBook interface {
	// StockLevel returns this store's level of a product: the server's last
	// figure plus this till's movements it does not count yet (a product
	// never heard of has zero figures and a zero AsOf).
	StockLevel(ctx context.Context, productID string) (inventory.Level, error)
	// KnownLevels returns the last figures heard of a product in other
	// stores (AsOf says when each was true), by store.
	KnownLevels(ctx context.Context, productID string) ([]inventory.Level, error)
	// RememberLevels keeps other stores' figures as a lookup heard them.
	RememberLevels(ctx context.Context, levels []inventory.Level) error
	// AdjustStock books an adjustment: its movement, the journal entry
	// (payload the record) and the record for the store server, in one
	// transaction. An ID booked before is poserr.Conflict.
	AdjustStock(ctx context.Context, a inventory.AdjustmentRecord, e journal.Entry) error
	// StockCounts lists the store's counts (open ones first, newest first).
	StockCounts(ctx context.Context) ([]inventory.Count, error)
	// StockCount returns a count and its lines: this device's counts and the
	// other devices' as the store server last said, by product ID.
	StockCount(ctx context.Context, id string) (inventory.Count, []inventory.CountLine, error)
	// CountOf returns a count's header alone (what a scan checks).
	CountOf(ctx context.Context, id string) (inventory.Count, error)
	// StartCount stores a count started at this till and journals it.
	StartCount(ctx context.Context, c inventory.Count, e journal.Entry) error
	// CountProduct counts a product in an open count on this device: add
	// adds qty to what this device counted, otherwise qty replaces it
	// (recount marks the line recounted). The first count of a line records
	// the expected figure (this store's on hand then). It returns the line.
	CountProduct(ctx context.Context, countID, productID string, qty catalog.Qty, add, recount bool, at time.Time) (inventory.CountLine, error)
	// PostCount marks an open count posted, queues this device's lines not
	// yet sent and then the post for the store server, and journals it, in
	// one transaction.
	PostCount(ctx context.Context, countID, by string, at time.Time, e journal.Entry) error

	// StockDocs lists the store's purchase and transfer orders: those it
	// receives and those it ships, as the store server last sent them with
	// this till's postings on top.
	StockDocs(ctx context.Context) ([]inventory.Doc, error)
	// StockDoc returns a document with this till's postings on top, and the
	// quantities being received or shipped on this device now (not posted).
	StockDoc(ctx context.Context, id string) (inventory.Doc, []inventory.PostLine, error)
	// StartTransfer stores a transfer made at this till as a draft: its
	// lines are scanned, then it is sent (SendTransfer).
	StartTransfer(ctx context.Context, d inventory.Doc) error
	// WorkDoc sets (add false) or adds to the quantity of a product being
	// received or shipped now on a document; 0 set takes the product off.
	WorkDoc(ctx context.Context, docID, productID string, qty catalog.Qty, add bool, at time.Time) (inventory.PostLine, error)
	// SendTransfer queues a draft transfer for the store server with its
	// lines, then post (its shipment, when this store ships it at once)
	// if not nil, journaled, in one transaction.
	SendTransfer(ctx context.Context, d inventory.Doc, post *inventory.DocPost, e journal.Entry) error
	// PostDoc books a receipt or shipment: this store's movements, the
	// document's lines, the quantities worked cleared, the posting queued
	// for the store server and journaled, in one transaction.
	PostDoc(ctx context.Context, p inventory.DocPost, e journal.Entry) error
}

// StockMoves is what a finished transaction does to stock (nothing unless
// it completed): the rule both stores book it by, and the store server too
// (inventory.TransactionMoves).
func StockMoves(c *cart.Cart) []inventory.Move {
	if c.Status != cart.Completed {
		return nil
	}
	items := make([]inventory.Item, len(c.Lines))
	for i, l := range c.Lines {
		items[i] = inventory.Item{ProductID: l.ProductID, Qty: l.Qty, Voided: l.Voided}
	}
	return inventory.TransactionMoves(items)
}
