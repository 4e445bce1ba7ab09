package api

import (
	"fmt"
	"time"
)

// Stock datasets and upload kinds (docs/inventory.md).
const (
	// DatasetStock is the till's own store's stock figures, one change per
	// product.
	DatasetStock = "stock"
	// DatasetCounts is the store's stock counts: each count's header (key:
	// the count ID) and each device's counted lines (key: count ID + "/" +
	// till ID).
	DatasetCounts = "counts"

	KindStockAdjustment = "stock_adjustment" // a StockAdjustment (op 806)
	KindStockCount      = "stock_count"      // a StockCountLines: one device's counted lines of a count
	KindStockCountPost  = "stock_count_post" // a StockCountPost (op 808)
)

// Statuses of a stock count (StockCount.Status).
const (
	CountOpen   = "open"
	CountPosted = "posted"
)

// StockFigure is a store's figures of a product as the server's ledger
// holds them. Quantities are thousandths.
type StockFigure struct {
	ProductID string    `json:"product_id"`
	OnHand    int64     `json:"on_hand"`
	Reserved  int64     `json:"reserved"`
	OnOrder   int64     `json:"on_order"`
	InTransit int64     `json:"in_transit"`
	AsOf      time.Time `json:"as_of"`
	// BaseAt is when the figure was last set (by an administrator or a
	// posted count): movements dated before it are already in it.
	BaseAt time.Time `json:"base_at,omitzero"`
	// Counted says, per till (store/terminal), how many of its movements of
	// the product the figure has booked.
	Counted map[string]int64 `json:"counted,omitempty"`
}

// StockAdjustment is an adjustment made at a till.
type StockAdjustment struct {
	ID        string    `json:"id"`
	ProductID string    `json:"product_id"`
	Qty       int64     `json:"qty"`
	Reason    string    `json:"reason"`
	Note      string    `json:"note,omitempty"`
	Operator  string    `json:"operator"`
	Approver  string    `json:"approver,omitempty"`
	At        time.Time `json:"at"`
}

// Check checks an adjustment upload.
func (a StockAdjustment) Check() error {
	if a.ProductID == "" || a.Qty == 0 || a.Reason == "" || a.At.IsZero() {
		return fmt.Errorf("adjustment %s needs a product, a quantity other than 0, a reason and a time", a.ID)
	}
	return nil
}

// StockCount is a count document's header.
type StockCount struct {
	ID        string    `json:"id"`
	Name      string    `json:"name"`
	Scheduled bool      `json:"scheduled,omitempty"`
	Status    string    `json:"status"` // CountOpen, CountPosted
	Created   time.Time `json:"created"`
	Posted    time.Time `json:"posted,omitzero"`
	PostedBy  string    `json:"posted_by,omitempty"`
	Products  []string  `json:"products,omitempty"` // a scheduled count's products
}

// StockCountLine is one product a device counted: the device's total so
// far (not an increment), so an upload sent again never counts twice.
type StockCountLine struct {
	ProductID string    `json:"product_id"`
	Qty       int64     `json:"qty"`
	CountedAt time.Time `json:"counted_at"`
	Recounted bool      `json:"recounted,omitempty"`
}

// StockCountLines is a device's upload of its counted lines of a count:
// the lines changed since its last upload.
type StockCountLines struct {
	ID      string           `json:"id"` // the upload's client ID
	CountID string           `json:"count_id"`
	Name    string           `json:"name"` // the count's name, for a count started at the till
	Created time.Time        `json:"created"`
	Lines   []StockCountLine `json:"lines"`
}

// StockCountDevice is one device's counted lines as the counts feed sends
// them to the store's other tills.
type StockCountDevice struct {
	CountID string           `json:"count_id"`
	TillID  string           `json:"till_id"`
	Lines   []StockCountLine `json:"lines"`
}

// StockCountPost posts a count (op 808): the server sets each counted
// line's on-hand (docs/inventory.md).
type StockCountPost struct {
	ID       string    `json:"id"`
	CountID  string    `json:"count_id"`
	PostedBy string    `json:"posted_by"`
	At       time.Time `json:"at"`
}

func validStock(c Change) bool {
	return c.Stock != nil && c.Stock.ProductID == c.Key && !c.Stock.AsOf.IsZero()
}

func validCount(c Change) bool {
	switch {
	case c.Count != nil:
		return c.Count.ID == c.Key && (c.Count.Status == CountOpen || c.Count.Status == CountPosted)
	case c.CountDevice != nil:
		return c.CountDevice.CountID+"/"+c.CountDevice.TillID == c.Key
	}
	return false
}
