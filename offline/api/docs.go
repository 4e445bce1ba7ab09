package api

import (
	"fmt"
	"time"
)

// Stock documents (docs/inventory.md): purchase and transfer orders.
const (
	// DatasetDocs is the store's purchase and transfer orders, one change
	// per document (key: its ID): those it receives and those it ships.
	DatasetDocs = "docs"

	KindStockTransfer = "stock_transfer" // a StockDoc: a transfer order made at a till (op 805)
	KindStockDocPost  = "stock_doc_post" // a StockDocPost: a receipt (op 804) or a shipment (op 805)
)

// Kinds of stock documents (StockDoc.Kind) and of their postings
// (StockDocPost.Kind).
const (
	StockDocPurchase  = "purchase" // goods ordered from a supplier
	StockDocTransfer  = "transfer" // goods moved from one store to another
	StockPostReceipt  = "receipt"  // goods received at the To store
	StockPostShipment = "shipment" // a transfer's goods sent from the From store
)

// StockDoc is a purchase or transfer order on the wire. Quantities are
// thousandths.
type StockDoc struct {
	ID           string         `json:"id"`
	Kind         string         `json:"kind"` // purchase, transfer
	Number       string         `json:"number"`
	From         string         `json:"from"` // a supplier's name, or the shipping store's ID
	FromName     string         `json:"from_name,omitempty"`
	To           string         `json:"to"` // the receiving store's ID
	ToName       string         `json:"to_name,omitempty"`
	DeliveryDate time.Time      `json:"delivery_date,omitzero"`
	Created      time.Time      `json:"created"`
	Closed       bool           `json:"closed,omitempty"`
	Lines        []StockDocLine `json:"lines"`
	Posted       []string       `json:"posted,omitempty"` // the receipts and shipments the lines count
}

// StockDocLine is a product of a document.
type StockDocLine struct {
	ProductID string `json:"product_id"`
	Ordered   int64  `json:"ordered"`
	Shipped   int64  `json:"shipped,omitempty"`
	Received  int64  `json:"received,omitempty"`
}

// Check says what is wrong with a document, if anything.
func (d StockDoc) Check() error {
	switch {
	case d.ID == "" || len(d.ID) > 64:
		return fmt.Errorf("a document needs an ID of at most 64 characters")
	case d.Kind != StockDocPurchase && d.Kind != StockDocTransfer:
		return fmt.Errorf("document %s: the kind is purchase or transfer, not %q", d.ID, d.Kind)
	case d.To == "" || d.From == "":
		return fmt.Errorf("document %s needs the store it goes to and where it comes from", d.ID)
	case d.Kind == StockDocTransfer && d.From == d.To:
		return fmt.Errorf("transfer %s goes from store %s to itself", d.ID, d.To)
	case len(d.Lines) > 100_000:
		return fmt.Errorf("document %s has more than 100,000 lines", d.ID)
	}
	seen := make(map[string]bool, len(d.Lines))
	for _, l := range d.Lines {
		if l.ProductID == "" || l.Ordered < 0 || l.Shipped < 0 || l.Received < 0 {
			return fmt.Errorf("document %s: a line needs a product and quantities of at least 0", d.ID)
		}
		if seen[l.ProductID] {
			return fmt.Errorf("document %s lists product %s twice", d.ID, l.ProductID)
		}
		seen[l.ProductID] = true
	}
	return nil
}

// StockDocPost is a receipt or a shipment posted at a till.
type StockDocPost struct {
	ID       string         `json:"id"`
	DocID    string         `json:"doc_id"`
	Kind     string         `json:"kind"` // receipt, shipment
	Lines    []StockDocMove `json:"lines"`
	Close    bool           `json:"close,omitempty"`
	Operator string         `json:"operator"`
	At       time.Time      `json:"at"`
}

// StockDocMove is a product's quantity received or shipped.
type StockDocMove struct {
	ProductID string `json:"product_id"`
	Qty       int64  `json:"qty"`
}

// Check says what is wrong with a posting, if anything.
func (p StockDocPost) Check() error {
	switch {
	case p.ID == "" || p.DocID == "":
		return fmt.Errorf("a receipt or shipment needs its ID and its document's")
	case p.Kind != StockPostReceipt && p.Kind != StockPostShipment:
		return fmt.Errorf("posting %s: the kind is receipt or shipment, not %q", p.ID, p.Kind)
	case len(p.Lines) == 0 && !p.Close:
		return fmt.Errorf("posting %s moves nothing", p.ID)
	}
	for _, l := range p.Lines {
		if l.ProductID == "" || l.Qty <= 0 {
			return fmt.Errorf("posting %s: a line needs a product and a quantity above 0", p.ID)
		}
	}
	return nil
}

func validDoc(c Change) bool {
	return c.Doc != nil && c.Doc.ID == c.Key && c.Doc.Check() == nil
}
