// Package inventory is the stock domain: a store's figures of a product
// (on hand, reserved, on order, in transit), the movements that change them
// (sales, returns, adjustments, counts), adjustment reasons and their sign
// rules, and stock counts with their variance review. It holds no storage:
// the till's store keeps the figures and movements, the store server the
// ledger (docs/inventory.md gives the rules both follow).
package inventory

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/opentill/opentill/pos/catalog"
	"github.com/opentill/opentill/pos/money"
)

// Kind is what moved stock.
type Kind string

// Movement kinds.
const (
	Sale        Kind = "sale"         // a completed sale's lines (negative)
	Return      Kind = "return"       // a completed transaction's returned lines (positive)
	Adjustment  Kind = "adjustment"   // op 806, with a reason
	Receipt     Kind = "receipt"      // goods received (op 804)
	TransferOut Kind = "transfer_out" // a transfer's goods shipped to another store (op 805)
)

// Level is a product's stock in one store. On the till, this store's
// OnHand is the store server's last figure plus the till's own movements it
// does not count yet (Local); other stores' are the last figures heard.
type Level struct {
	StoreID   string
	StoreName string
	ProductID string
	OnHand    catalog.Qty
	Reserved  catalog.Qty
	OnOrder   catalog.Qty
	InTransit catalog.Qty
	// AsOf is when the server's figure was true; zero when the server never
	// sent one (OnHand is then the till's own movements alone).
	AsOf time.Time
	// Local is the part of OnHand that is this till's movements not yet in
	// the server's figure.
	Local catalog.Qty
}

// Available is what can be sold or promised: on hand less reserved.
func (l Level) Available() catalog.Qty { return l.OnHand - l.Reserved }

// Known reports whether the figure comes from the server at all.
func (l Level) Known() bool { return !l.AsOf.IsZero() }

// Item is one line of a transaction as stock sees it.
type Item struct {
	ProductID string
	Qty       catalog.Qty // sold: positive; returned: negative
	Voided    bool
}

// Move is the stock a transaction moves of one product.
type Move struct {
	ProductID string
	Qty       catalog.Qty // the change of on-hand: a sale is negative
	Kind      Kind
}

// TransactionMoves is what a completed transaction does to stock: one move
// per product (its active lines summed), sold quantities leaving, returned
// ones coming back; products whose lines cancel out move nothing. The till
// and the store server both book a transaction with it, so both count the
// same movements (one per transaction and product).
func TransactionMoves(items []Item) []Move {
	sum := map[string]catalog.Qty{}
	var order []string
	for _, it := range items {
		if it.Voided || it.ProductID == "" || it.Qty == 0 {
			continue
		}
		if _, ok := sum[it.ProductID]; !ok {
			order = append(order, it.ProductID)
		}
		sum[it.ProductID] += it.Qty
	}
	out := make([]Move, 0, len(order))
	for _, p := range order {
		q := -sum[p]
		switch {
		case q < 0:
			out = append(out, Move{ProductID: p, Qty: q, Kind: Sale})
		case q > 0:
			out = append(out, Move{ProductID: p, Qty: q, Kind: Return})
		}
	}
	return out
}

// MoveKey is the key of a document's movement of a product: the same at
// the till and on the server, so a movement is booked once.
func MoveKey(docID, productID string) string { return docID + "/" + productID }

// Sign says which way an adjustment reason may move stock.
type Sign int

// Signs of reasons.
const (
	Either Sign = 0
	Up     Sign = 1  // only more stock (found)
	Down   Sign = -1 // only less stock (damaged, theft, expired)
)

// Reason is an adjustment reason code.
type Reason struct {
	Code string `json:"code"`
	Name string `json:"name"` // in the store's language
	Sign Sign   `json:"sign"`
}

// Settings are the store's inventory settings.
type Settings struct {
	// Reasons are the adjustment reason codes; empty = DefaultReasons.
	Reasons []Reason `json:",omitempty"`
	// RecountQty and RecountPercent (basis points of the expected
	// quantity) bound a count line's variance: a line whose variance is
	// larger than both must be recounted before the count is posted.
	// Both 0 = DefaultRecountQty and DefaultRecountPercent.
	RecountQty     catalog.Qty `json:",omitempty"`
	RecountPercent int64       `json:",omitempty"`
	// MaxAdjustment bounds one adjustment (thousandths); 0 = 1,000 units.
	MaxAdjustment catalog.Qty `json:",omitempty"`
	// OverReceipt is how much more than expected a line may be received
	// (basis points of the expected quantity; 0 = not a unit more,
	// negative = no limit).
	OverReceipt int64 `json:",omitempty"`
	// UnderReceipt is how far short of expected a line may be when a
	// receipt closes its document (basis points; 0 = only complete
	// documents close, 10000 = any). A receipt that does not close leaves
	// the rest due: a partial receipt.
	UnderReceipt int64 `json:",omitempty"`
}

// Defaults of Settings.
const (
	DefaultRecountQty     = 5 * catalog.One
	DefaultRecountPercent = 1000 // 10 %
	DefaultMaxAdjustment  = 1000 * catalog.One
)

// DefaultReasons are the reason codes of a store that set none.
func DefaultReasons() []Reason {
	return []Reason{
		{Code: "damaged", Name: "Damaged", Sign: Down},
		{Code: "theft", Name: "Theft", Sign: Down},
		{Code: "expired", Name: "Expired", Sign: Down},
		{Code: "found", Name: "Found", Sign: Up},
		{Code: "correction", Name: "Correction", Sign: Either},
	}
}

// Of returns the settings with their defaults filled in (s may be nil).
func Of(s *Settings) Settings {
	var out Settings
	if s != nil {
		out = *s
	}
	if len(out.Reasons) == 0 {
		out.Reasons = DefaultReasons()
	}
	if out.RecountQty == 0 && out.RecountPercent == 0 {
		out.RecountQty, out.RecountPercent = DefaultRecountQty, DefaultRecountPercent
	}
	if out.MaxAdjustment == 0 {
		out.MaxAdjustment = DefaultMaxAdjustment
	}
	return out
}

// Reason finds a reason code.
func (s Settings) Reason(code string) (Reason, bool) {
	for _, r := range s.Reasons {
		if r.Code == code {
			return r, true
		}
	}
	return Reason{}, false
}

// Codes lists the reason codes, for messages.
func (s Settings) Codes() string {
	cs := make([]string, len(s.Reasons))
	for i, r := range s.Reasons {
		cs[i] = r.Code
	}
	return strings.Join(cs, ", ")
}

// AdjustmentError names the field of an adjustment that is wrong and why.
type AdjustmentError struct {
	Field string // "qty" or "reason"
	// Code says what is wrong: "reason" (unknown), "zero", "too_large",
	// "down" (the reason only takes stock off), "up" (only adds).
	Code string
	Msg  string
}

func (e *AdjustmentError) Error() string { return e.Msg }

// AdjustmentRecord is one adjustment as it is journaled and uploaded.
type AdjustmentRecord struct {
	ID        string      `json:"id"`
	StoreID   string      `json:"store"`
	ProductID string      `json:"product_id"`
	Qty       catalog.Qty `json:"qty"` // the change of on-hand
	Reason    string      `json:"reason"`
	Note      string      `json:"note,omitempty"`
	Operator  string      `json:"operator"`
	Approver  string      `json:"approver,omitempty"`
	At        time.Time   `json:"at"`
}

// CheckAdjustment checks a quantity and reason against the settings: the
// quantity is not zero, within the largest adjustment, and moves the way
// the reason allows.
func (s Settings) CheckAdjustment(qty catalog.Qty, code string) (Reason, error) {
	r, ok := s.Reason(code)
	if !ok {
		return r, &AdjustmentError{Field: "reason", Code: "reason", Msg: fmt.Sprintf("pick a reason (%s)", s.Codes())}
	}
	switch {
	case qty == 0:
		return r, &AdjustmentError{Field: "qty", Code: "zero", Msg: "type the quantity to add or take off (not zero)"}
	case qty > s.MaxAdjustment || -qty > s.MaxAdjustment:
		return r, &AdjustmentError{Field: "qty", Code: "too_large", Msg: fmt.Sprintf("an adjustment moves at most %s units: split it or count the product", s.MaxAdjustment.Format(0))}
	case r.Sign == Down && qty > 0:
		return r, &AdjustmentError{Field: "qty", Code: "down", Msg: fmt.Sprintf("%s takes stock off: type a negative quantity", r.Name)}
	case r.Sign == Up && qty < 0:
		return r, &AdjustmentError{Field: "qty", Code: "up", Msg: fmt.Sprintf("%s adds stock: type a positive quantity", r.Name)}
	}
	return r, nil
}

// Status of a stock count.
type Status string

// Count statuses.
const (
	Open   Status = "open"
	Posted Status = "posted"
)

// Count is a stock count document: scheduled by the store server (with the
// products to count) or started at a till (any product scanned).
type Count struct {
	ID        string    `json:"id"`
	StoreID   string    `json:"store"`
	Name      string    `json:"name"`
	Scheduled bool      `json:"scheduled,omitempty"`
	Status    Status    `json:"status"`
	Created   time.Time `json:"created"`
	Posted    time.Time `json:"posted,omitzero"`
	PostedBy  string    `json:"posted_by,omitempty"`
	// Products are a scheduled count's products (nil: any product).
	Products []string `json:"products,omitempty"`
}

// CountLine is one product of a count on a till.
type CountLine struct {
	ProductID string
	// Counted is what this device counted; Others what the other devices
	// counted as the store server last said.
	Counted   catalog.Qty
	Others    catalog.Qty
	Scans     int64     // scans and keyed entries on this device
	CountedAt time.Time // first counted on this device (zero: not yet)
	Recounted bool
	// Expected is the on-hand figure when the line was counted (the
	// current figure less this till's movements since).
	Expected catalog.Qty
}

// Total is what every device counted.
func (l CountLine) Total() catalog.Qty { return l.Counted + l.Others }

// Variance is counted less expected.
func (l CountLine) Variance() catalog.Qty { return l.Total() - l.Expected }

// IsCounted reports whether any device counted the line.
func (l CountLine) IsCounted() bool { return l.Scans > 0 || l.Others != 0 || !l.CountedAt.IsZero() }

// NeedsRecount reports whether a line's variance is over the settings'
// threshold (larger than both bounds that are set) and it was not
// recounted.
func (s Settings) NeedsRecount(l CountLine) bool {
	return !l.Recounted && l.IsCounted() && s.OverThreshold(l.Expected, l.Total())
}

// OverThreshold reports whether counted differs from expected by more than
// the recount bounds.
func (s Settings) OverThreshold(expected, counted catalog.Qty) bool {
	v := counted - expected
	if v < 0 {
		v = -v
	}
	if v == 0 {
		return false
	}
	over := true
	if s.RecountQty > 0 && v <= s.RecountQty {
		over = false
	}
	if s.RecountPercent > 0 {
		base := expected
		if base < 0 {
			base = -base
		}
		// v/base > pct/10000, in integers
		if base != 0 && int64(v)*10000 <= int64(base)*s.RecountPercent {
			over = false
		}
	}
	return over
}

// ReviewLine is a line of the variance review.
type ReviewLine struct {
	CountLine
	Name    string
	Price   money.Amount
	Value   money.Amount // the variance's value at the product's price
	Recount bool         // over the threshold and not recounted
}

// Review is the variance review of a count before it is posted.
type Review struct {
	Count     Count
	Lines     []ReviewLine // the largest variance value first
	Counted   int          // lines counted
	Expected  int          // lines of a scheduled count (0 for an unscheduled one)
	Recount   int          // lines to recount before posting
	Value     money.Amount // the variances' value, signed
	Shortfall money.Amount // the value of the lines counted short (negative or 0)
}

// Value is the value of a quantity (thousandths) at a unit price, rounded
// half away from zero to the minor unit.
func Value(q catalog.Qty, price money.Amount) money.Amount {
	v := int64(q) * int64(price)
	if v >= 0 {
		return money.Amount((v + 500) / 1000)
	}
	return money.Amount(-((-v + 500) / 1000))
}

// BuildReview lays out the review: every counted line, with the lines of a
// scheduled count not counted yet; names and prices from products (by ID).
func (s Settings) BuildReview(c Count, lines []CountLine, products map[string]catalog.Product) Review {
	rv := Review{Count: c, Expected: len(c.Products)}
	for _, l := range lines {
		p := products[l.ProductID]
		rl := ReviewLine{CountLine: l, Name: p.Name, Price: p.Price}
		if l.IsCounted() {
			rv.Counted++
			rl.Value = Value(l.Variance(), p.Price)
			rl.Recount = s.NeedsRecount(l)
		}
		if rl.Recount {
			rv.Recount++
		}
		rv.Value += rl.Value
		if rl.Value < 0 {
			rv.Shortfall += rl.Value
		}
		rv.Lines = append(rv.Lines, rl)
	}
	sort.SliceStable(rv.Lines, func(i, j int) bool {
		a, b := rv.Lines[i].Value, rv.Lines[j].Value
		if a < 0 {
			a = -a
		}
		if b < 0 {
			b = -b
		}
		if a != b {
			return a > b
		}
		return rv.Lines[i].ProductID < rv.Lines[j].ProductID
	})
	return rv
}

// PostedOnHand is the count rule: a posted line's on-hand is what was
// counted plus every movement after the line was counted (sales since are
// negative: a sale after the shelf was counted takes from the counted
// figure; one before it had already left the shelf).
func PostedOnHand(counted catalog.Qty, movesSince catalog.Qty) catalog.Qty {
	return counted + movesSince
}

// CountInto counts qty of a line on this device at a time: add adds it to
// what the device counted, otherwise it replaces it (a keyed quantity);
// recount marks the line recounted. The first count of a line records when
// and the expected figure (on hand then).
func CountInto(l *CountLine, qty Qty, add, recount bool, at time.Time, onHand Qty) {
	if l.CountedAt.IsZero() {
		l.CountedAt, l.Expected = at.UTC(), onHand
	}
	if add {
		l.Counted += qty
	} else {
		l.Counted = qty
	}
	l.Scans++
	if recount {
		l.Recounted = true
	}
}

// Qty is a quantity in thousandths (catalog.Qty).
type Qty = catalog.Qty

// SortCounts orders counts for a list: open ones first, the newest first.
func SortCounts(cs []Count) {
	sort.SliceStable(cs, func(i, j int) bool {
		if (cs[i].Status == Open) != (cs[j].Status == Open) {
			return cs[i].Status == Open
		}
		if !cs[i].Created.Equal(cs[j].Created) {
			return cs[i].Created.After(cs[j].Created)
		}
		return cs[i].ID < cs[j].ID
	})
}
