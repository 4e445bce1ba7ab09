package inventory

import (
	"fmt"
	"time"

	"github.com/opentill/opentill/pos/catalog"
)

// DocKind is the kind of a stock document.
type DocKind string

// Document kinds.
const (
	PurchaseOrder DocKind = "purchase" // goods ordered from a supplier, received at a store
	TransferOrder DocKind = "transfer" // goods moved from one store to another
)

// DocStatus is where a document stands.
type DocStatus string

// Document statuses.
const (
	DocOpen     DocStatus = "open"     // nothing shipped (transfer) or received yet
	DocShipped  DocStatus = "shipped"  // a transfer on its way, nothing received
	DocPartial  DocStatus = "partial"  // received in part; the rest is still due
	DocReceived DocStatus = "received" // received in full, or closed short
)

// Doc is a purchase or transfer order: the store server delivers it to the
// tills of the stores it concerns (To receives; for a transfer, From ships),
// or a till creates a transfer.
type Doc struct {
	ID     string
	Kind   DocKind
	Number string // the number people say (PO-1001)
	// From is the supplier's name of a purchase order, or the shipping
	// store's ID of a transfer; To is the receiving store's ID.
	From, FromName string
	To, ToName     string
	DeliveryDate   time.Time // the delivery date, if known
	Created        time.Time
	Closed         bool // a receipt closed it short: nothing more is due
	Draft          bool // a transfer made at this till, not sent yet
	Lines          []DocLine
	// Posted are the receipts and shipments the lines count (their IDs).
	Posted []string
}

// DocLine is a product of a document.
type DocLine struct {
	ProductID string
	Ordered   Qty // ordered or requested
	Shipped   Qty // shipped by the sending store (transfers)
	Received  Qty // received so far
}

// Expected is what the receiving store expects of a line in all: what was
// shipped of a transfer, what was ordered of a purchase order.
func (d Doc) Expected(l DocLine) Qty {
	if d.Kind == TransferOrder {
		return l.Shipped
	}
	return l.Ordered
}

// Due is what is still to be received of a line (0 once closed or over).
func (d Doc) Due(l DocLine) Qty {
	if d.Closed {
		return 0
	}
	return max(d.Expected(l)-l.Received, 0)
}

// Status is the document's status, from its lines.
func (d Doc) Status() DocStatus {
	var shipped, received, due Qty
	for _, l := range d.Lines {
		shipped += l.Shipped
		received += l.Received
		due += d.Due(l)
	}
	switch {
	case d.Closed || (received > 0 && due == 0):
		return DocReceived
	case received > 0:
		return DocPartial
	case d.Kind == TransferOrder && shipped > 0:
		return DocShipped
	}
	return DocOpen
}

// Line finds a product's line.
func (d Doc) Line(productID string) (DocLine, bool) {
	for _, l := range d.Lines {
		if l.ProductID == productID {
			return l, true
		}
	}
	return DocLine{}, false
}

// Receivable reports whether the store can receive against the document
// now: a purchase order until it is received; a transfer once shipped.
func (d Doc) Receivable() bool {
	switch d.Status() {
	case DocReceived:
		return false
	case DocOpen:
		return d.Kind == PurchaseOrder
	}
	return true
}

// Shippable reports whether the sending store of a transfer can ship it.
func (d Doc) Shippable() bool { return d.Kind == TransferOrder && d.Status() == DocOpen }

// PostKind is what a posting does to a document.
type PostKind string

// Posting kinds.
const (
	Receiving PostKind = "receipt"  // goods received at the To store
	Shipping  PostKind = "shipment" // a transfer's goods sent from the From store
)

// PostLine is a product's quantity in a posting.
type PostLine struct {
	ProductID string `json:"product_id"`
	Qty       Qty    `json:"qty"`
}

// DocPost is a receipt or a shipment of a document, posted at a till.
type DocPost struct {
	ID       string     `json:"id"`
	DocID    string     `json:"doc_id"`
	Kind     PostKind   `json:"kind"`
	Lines    []PostLine `json:"lines"`
	Close    bool       `json:"close,omitempty"` // a receipt that closes the document short
	Operator string     `json:"operator"`
	At       time.Time  `json:"at"`
}

// Apply adds a posting to the document's lines (a product not on the
// document gets a line of its own: goods that came anyway). A posting
// already applied changes nothing.
func (d *Doc) Apply(p DocPost) {
	for _, id := range d.Posted {
		if id == p.ID {
			return
		}
	}
	for _, pl := range p.Lines {
		i := -1
		for j, l := range d.Lines {
			if l.ProductID == pl.ProductID {
				i = j
				break
			}
		}
		if i < 0 {
			d.Lines = append(d.Lines, DocLine{ProductID: pl.ProductID})
			i = len(d.Lines) - 1
		}
		switch p.Kind {
		case Receiving:
			d.Lines[i].Received += pl.Qty
		case Shipping:
			d.Lines[i].Shipped += pl.Qty
		}
	}
	if p.Kind == Receiving && p.Close {
		d.Closed = true
	}
	d.Posted = append(d.Posted, p.ID)
}

// Moves are what a posting does to the posting store's on hand: a receipt
// adds, a shipment takes off.
func (p DocPost) Moves() []Move {
	out := make([]Move, 0, len(p.Lines))
	for _, l := range p.Lines {
		m := Move{ProductID: l.ProductID, Qty: l.Qty, Kind: Receipt}
		if p.Kind == Shipping {
			m.Qty, m.Kind = -l.Qty, TransferOut
		}
		out = append(out, m)
	}
	return out
}

// ReceiptError is a refusal of a quantity received or of closing short:
// Code is "over" (more than the store's over-receipt tolerance) or
// "under" (closing with a line further short than its under-receipt
// tolerance).
type ReceiptError struct {
	Code      string
	ProductID string
	Limit     Qty // the most (over) or least (under) the line may take
	Msg       string
}

func (e *ReceiptError) Error() string { return e.Msg }

// CheckReceipt checks a line about to be received: the quantity received
// now (qty) on top of what was received before may exceed what is expected
// by the store's over-receipt tolerance at most. A product not on the
// document is over from the first unit, unless the tolerance is
// unlimited.
func (s Settings) CheckReceipt(d Doc, productID string, qty Qty) error {
	l, _ := d.Line(productID)
	limit := overLimit(d.Expected(l), s.OverReceipt)
	if s.OverReceipt < 0 || l.Received+qty <= limit {
		return nil
	}
	return &ReceiptError{Code: "over", ProductID: productID, Limit: max(limit-l.Received, 0),
		Msg: fmt.Sprintf("%s: at most %d more can be received on %s (the store's over-receipt tolerance)", productID, max(limit-l.Received, 0)/catalog.One, d.Number)}
}

// CheckClose checks closing a document short with a receipt: each line
// received in the end (before plus now) must reach its expected quantity
// less the store's under-receipt tolerance.
func (s Settings) CheckClose(d Doc, now map[string]Qty) error {
	for _, l := range d.Lines {
		exp := d.Expected(l)
		least := exp - exp*Qty(s.UnderReceipt)/10000
		if s.UnderReceipt >= 10000 {
			least = 0
		}
		if got := l.Received + now[l.ProductID]; got < least {
			return &ReceiptError{Code: "under", ProductID: l.ProductID, Limit: least,
				Msg: fmt.Sprintf("%s: %s cannot be closed with %d of %d received (the store's under-receipt tolerance): receive the rest later", l.ProductID, d.Number, got/catalog.One, exp/catalog.One)}
		}
	}
	return nil
}

// overLimit is expected plus the tolerance (basis points).
func overLimit(expected Qty, bp int64) Qty {
	if bp <= 0 {
		return expected
	}
	return expected + expected*Qty(bp)/10000
}
