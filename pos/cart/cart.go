// Package cart holds the transaction being rung up (and, once completed, the
// record of it): lines, manual discounts, tenders and the totals, and the
// repricing that keeps the totals identity exact:
//
//	Subtotal − Discounts + ExclusiveTax = Total
//	Total + Rounding = Paid − Change
package cart

import (
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"hash/fnv"
	"time"

	"github.com/opentill/opentill/pos/catalog"
	"github.com/opentill/opentill/pos/money"
	"github.com/opentill/opentill/pos/order"
	"github.com/opentill/opentill/pos/poserr"
	"github.com/opentill/opentill/pos/storedvalue"
	"github.com/opentill/opentill/pos/tax"
)

// Status is where a transaction is in its life.
type Status string

// Transaction statuses.
const (
	Open      Status = "open"
	Completed Status = "completed"
	Voided    Status = "voided"
	Suspended Status = "suspended"
)

// Discount is a manual discount: a percentage in basis points or a fixed amount.
type Discount struct {
	Percent int64        `json:"percent_bp,omitempty"` // 1000 = 10 %
	Amount  money.Amount `json:"amount,omitempty"`
}

// IsZero reports whether no discount is set.
func (d Discount) IsZero() bool { return d.Percent == 0 && d.Amount == 0 }

// ReturnRef points a return line at the line it returns.
type ReturnRef struct {
	TxnID     string `json:"txn_id"`
	ReceiptNo string `json:"receipt_no"`
	LineNo    int    `json:"line_no"`
}

// Line is one line of the transaction. Return lines have a negative quantity.
type Line struct {
	No            int           `json:"no"` // stable 1-based line number
	ProductID     string        `json:"product_id"`
	ItemID        string        `json:"item_id"`
	VariantID     string        `json:"variant_id,omitempty"`
	Category      string        `json:"category,omitempty"`
	Barcode       string        `json:"barcode,omitempty"`
	Name          string        `json:"name"`
	Unit          string        `json:"unit"`
	UnitDecimals  int           `json:"unit_decimals"`
	Qty           catalog.Qty   `json:"qty"`
	UnitPrice     money.Amount  `json:"unit_price"`
	OriginalPrice money.Amount  `json:"original_price"`
	Overridden    bool          `json:"price_overridden,omitempty"`
	TaxGroup      string        `json:"tax_group"`
	Flags         catalog.Flags `json:"flags"`
	Discount      Discount      `json:"discount"` // manual line discount
	Comment       string        `json:"comment,omitempty"`
	Voided        bool          `json:"voided,omitempty"`
	ReturnOf      *ReturnRef    `json:"return_of,omitempty"`
	// CatalogPrice says the unit price came from the catalog (not keyed in,
	// not embedded in the barcode), so price lists and trade agreements may
	// replace it; ListPrice is that catalog price.
	CatalogPrice bool         `json:"catalog_price,omitempty"`
	ListPrice    money.Amount `json:"list_price,omitempty"`
	// PriceUnit is how many units the catalog price is for (catalog.Product);
	// 0 means one unit.
	PriceUnit catalog.Qty `json:"price_unit,omitempty"`
	// ReturnDiscount is the share of the original sale's discounts carried by a
	// return-by-receipt line (negative quantity, so it is a negative amount).
	ReturnDiscount money.Amount `json:"return_discount,omitempty"`
	// Order ties the line to a customer order (pos/order): a product of
	// the order handed over now (its price and OrderDiscount as ordered),
	// or the order's money (a deposit taken, settled or refunded, a
	// cancellation charge), which is neither a sale nor taxed.
	Order         *OrderRef    `json:"order,omitempty"`
	OrderDiscount money.Amount `json:"order_discount,omitempty"`
	// Value makes the line a gift card's money: issued or topped up (sold
	// for its amount) or cashed out (negative). Neither a sale nor taxed.
	Value *ValueRef `json:"value,omitempty"`

	// Computed by Reprice.
	PricedPer     catalog.Qty  `json:"priced_per,omitempty"`     // the units UnitPrice is for (the catalog's price unit); 0 one
	Gross         money.Amount `json:"gross"`                    // qty × unit price (÷ PricedPer)
	PromoDiscount money.Amount `json:"promo_discount,omitempty"` // Σ Promotions
	Promotions    []Applied    `json:"promotions,omitempty"`     // automatic discounts applied, in the order applied
	LineDiscount  money.Amount `json:"line_discount"`            // manual line discount (or carried return discount)
	TotalDiscount money.Amount `json:"total_discount"`           // share of the transaction discount
	Net           money.Amount `json:"net"`                      // gross − promotions − discounts (tax included when prices include tax)
	Tax           money.Amount `json:"tax"`
}

// Applied is one automatic discount (promotion) applied to a line: which
// offer, its name as shown on the line and the receipt, and the amount it
// takes off the line.
type Applied struct {
	OfferID string       `json:"offer_id"`
	Name    string       `json:"name"`
	Kind    string       `json:"kind"` // "discount", "quantity", "mix-match", "threshold"
	Amount  money.Amount `json:"amount"`
	Coupon  string       `json:"coupon,omitempty"` // the coupon code that enabled it
	// Units is the amount split unit by unit when the store does not keep
	// items on the same sales line for discount rounding: the first units
	// get the amount divided by the quantity, the last what is left
	// (10.00 off 3 units: 3.33, 3.33, 3.34).
	Units []money.Amount `json:"units,omitempty"`
}

// OrderRole is what a line of a customer order is in a transaction.
type OrderRole string

// Order roles.
const (
	OrderLine    OrderRole = "line"    // a product of the order handed over now
	OrderDeposit OrderRole = "deposit" // the deposit paid when ordering
	OrderSettle  OrderRole = "settle"  // the deposit counted against a pick-up (negative)
	OrderRefund  OrderRole = "refund"  // the deposit paid back at a cancellation (negative)
	OrderCharge  OrderRole = "charge"  // the cancellation charge
)

// OrderRef points a line at its customer order.
type OrderRef struct {
	ID     string    `json:"id"`
	Number string    `json:"number"`
	Role   OrderRole `json:"role"`
	LineNo int       `json:"line_no,omitempty"` // the order's line (OrderLine)
}

// IsOrderMoney reports whether the line is an order's money (a deposit, a
// settlement, a refund or a charge), not goods.
func (l Line) IsOrderMoney() bool { return l.Order != nil && l.Order.Role != OrderLine }

// ValueRole is what a stored-value line does to its card.
type ValueRole string

// Stored-value roles.
const (
	ValueIssue   ValueRole = "issue"   // a new gift card sold
	ValueAdd     ValueRole = "add"     // value added to a card
	ValueCashOut ValueRole = "cashout" // a card's remainder paid out (negative)
	ValueDeposit ValueRole = "deposit" // a payment into a customer's account (op 1100)
)

// ValueRef points a line at the gift card it moves money on.
type ValueRef struct {
	Kind   storedvalue.Kind `json:"kind"`
	Number string           `json:"number"`
	Role   ValueRole        `json:"role"`
}

// IsMoney reports whether the line is money rather than goods: an order's
// deposit or settlement, or a gift card's value. Money lines are not
// discounted, taxed or counted as sales.
func (l Line) IsMoney() bool { return l.IsOrderMoney() || l.Value != nil }

// ChangeTenderID is the tender type the change came out of: ChangeTender,
// else the last cash tender ("" when none).
func (c *Cart) ChangeTenderID() string {
	if c.ChangeTender != "" {
		return c.ChangeTender
	}
	id := ""
	for _, t := range c.ActiveTenders() {
		if t.Kind == Cash {
			id = t.TypeID
		}
	}
	return id
}

// ValueMove is what a completed transaction moves on one gift card or memo
// number: positive adds to it, negative takes from it.
type ValueMove struct {
	Kind   storedvalue.Kind `json:"kind"`
	Number string           `json:"number"`
	Amount money.Amount     `json:"amount"`
	Spent  money.Amount     `json:"spent"` // what was taken from it (positive)
	// Issued says the transaction issued the number: sold the gift card,
	// or refunded onto the memo.
	Issued bool `json:"issued,omitempty"`
}

// ValueMoves sums the transaction's stored-value movements per number, in
// the order the numbers first appear: lines add their net (a cash-out is
// negative), tenders take their amount (a negative memo tender issues
// the memo).
func (c *Cart) ValueMoves() []ValueMove {
	var out []ValueMove
	add := func(k storedvalue.Kind, n string, a money.Amount, issues bool) {
		i := 0
		for i < len(out) && (out[i].Kind != k || out[i].Number != n) {
			i++
		}
		if i == len(out) {
			out = append(out, ValueMove{Kind: k, Number: n})
		}
		out[i].Amount += a
		out[i].Spent += max(-a, 0)
		out[i].Issued = out[i].Issued || issues
	}
	for _, l := range c.Lines {
		if l.Value != nil && !l.Voided {
			add(l.Value.Kind, l.Value.Number, l.Net, l.Value.Role == ValueIssue)
		}
	}
	for _, t := range c.Tenders {
		if t.Value != nil && !t.Voided {
			add(t.Value.Kind, t.Value.Number, -t.Amount, t.Amount < 0)
		}
	}
	return out
}

// IsReturn reports whether the line gives goods back.
func (l Line) IsReturn() bool { return l.Qty < 0 }

// TenderKind is how a tender behaves.
type TenderKind string

// Tender kinds.
const (
	Cash   TenderKind = "cash"
	Card   TenderKind = "card"
	Points TenderKind = "loyalty" // loyalty points (op 207)
	// GiftCard pays with a gift card's balance (op 214).
	GiftCard TenderKind = "giftcard"
	// CreditMemo pays with a credit memo (op 213), or refunds onto a new
	// one (op 511: a negative tender).
	CreditMemo TenderKind = "memo"
	// Account charges the customer's account (op 202), up to its credit limit.
	Account TenderKind = "account"
	// Currency is foreign-currency cash (op 203), converted at the store's
	// rate; change is paid in the store's currency.
	Currency TenderKind = "currency"
)

// Loyalty is the loyalty card on a transaction and the points it moved,
// booked with the transaction (the store server's ledger counts them
// exactly once by the transaction's ID).
type Loyalty struct {
	Card     string `json:"card"`
	Tier     string `json:"tier,omitempty"`
	Earned   int64  `json:"earned"`   // points earned (negative for a return)
	Redeemed int64  `json:"redeemed"` // points paid with
}

// CardInfo is what the payment terminal returned. The full card number is never held.
type CardInfo struct {
	MaskedPAN string `json:"masked_pan"`
	Brand     string `json:"brand"`
	AuthCode  string `json:"auth_code"`
	Reference string `json:"reference"` // terminal reference, used to void or refund
	// Receipt is the terminal's receipt text for the customer (no card data
	// beyond what the terminal prints: the masked number).
	Receipt []string `json:"receipt,omitempty"`
	// Offline says the payment was taken while the card processor was
	// unreachable, stored on the terminal to be forwarded; OfflineApprover
	// is the manager who let it past the store's offline caps.
	Offline         bool   `json:"offline,omitempty"`
	OfflineApprover string `json:"offline_approver,omitempty"`
	// NoBrandDiscount says the card was charged before its brand was known
	// and could not be charged again for less: it earns no brand discount.
	NoBrandDiscount bool `json:"no_brand_discount,omitempty"`
	// Recharged says the card earned a brand discount after it was
	// authorised for more: that authorisation was reversed (a voided
	// payment before this one) and this one is for what was due.
	Recharged bool `json:"recharged,omitempty"`
}

// Tender is one payment line. Refunds are negative.
type Tender struct {
	No     int          `json:"no"`
	TypeID string       `json:"type"`
	Name   string       `json:"name"`
	Kind   TenderKind   `json:"kind"`
	Amount money.Amount `json:"amount"`
	Card   *CardInfo    `json:"card,omitempty"`
	Points int64        `json:"points,omitempty"` // a loyalty tender: the points redeemed
	Value  *ValueInfo   `json:"value,omitempty"`  // a gift card or credit memo tender
	// Foreign is what a foreign-currency tender handed over, in its own
	// currency, and the rate Amount was converted at.
	Foreign *ForeignInfo `json:"foreign,omitempty"`
	Voided  bool         `json:"voided,omitempty"`
}

// RefundTender is a tender a returned sale was paid with: its type, and
// the gift card, memo or account number it used.
type RefundTender struct {
	TypeID string     `json:"type"`
	Name   string     `json:"name"`
	Kind   TenderKind `json:"kind"`
	Number string     `json:"number,omitempty"`
}

// ForeignInfo is a foreign-currency tender's own amount.
type ForeignInfo struct {
	Currency money.Currency `json:"currency"`
	Amount   money.Amount   `json:"amount"` // in Currency's minor units
	Rate     money.Rate     `json:"rate"`   // store currency per unit of Currency, in millionths
}

// ValueInfo is the gift card or memo a tender pays with (or, for a
// negative memo tender, issues) and its balance after the tender.
type ValueInfo struct {
	Kind    storedvalue.Kind `json:"kind"`
	Number  string           `json:"number"`
	Balance money.Amount     `json:"balance"`
}

// Totals are derived from the lines and tenders by Reprice.
type Totals struct {
	Subtotal       money.Amount `json:"subtotal"`        // Σ gross
	PromoDiscounts money.Amount `json:"promo_discounts"` // automatic discounts (promotions)
	LineDiscounts  money.Amount `json:"line_discounts"`
	TotalDiscounts money.Amount `json:"total_discounts"`
	Discounts      money.Amount `json:"discounts"` // promotions + line + total
	Tax            money.Amount `json:"tax"`       // all tax, included or added
	ExclusiveTax   money.Amount `json:"exclusive_tax"`
	Total          money.Amount `json:"total"`    // Subtotal − Discounts + ExclusiveTax
	Rounding       money.Amount `json:"rounding"` // cash rounding applied at payment
	Due            money.Amount `json:"due"`      // Total + Rounding
	Paid           money.Amount `json:"paid"`     // Σ tenders not voided
	Change         money.Amount `json:"change"`   // given back in cash
	Remaining      money.Amount `json:"remaining"`
}

// Cart is a transaction: open while being rung up, then completed, voided or suspended.
type Cart struct {
	ID           string         `json:"id"` // client-generated UUIDv7
	ReceiptNo    string         `json:"receipt_no,omitempty"`
	Store        string         `json:"store"`
	Terminal     string         `json:"terminal"`
	Operator     string         `json:"operator"`
	Currency     money.Currency `json:"currency"`
	Status       Status         `json:"status"`
	Started      time.Time      `json:"started"`
	Finished     time.Time      `json:"finished,omitempty"`
	Lines        []Line         `json:"lines"`
	Discount     Discount       `json:"discount"` // manual total discount
	Tenders      []Tender       `json:"tenders"`
	Comment      string         `json:"comment,omitempty"`
	Customer     string         `json:"customer,omitempty"`
	CustomerName string         `json:"customer_name,omitempty"` // as the customer directory knows them, for screens and receipts
	Coupons      []string       `json:"coupons,omitempty"`       // coupon codes entered (ops 643/644)
	Loyalty      *Loyalty       `json:"loyalty,omitempty"`       // the loyalty card (op 117) and its points
	Rounding     money.Amount   `json:"rounding,omitempty"`
	Change       money.Amount   `json:"change,omitempty"`
	// RefundTo are the tenders the returned sales were paid with, for a
	// store that refunds to the original payment (Setup.RefundToOriginal).
	RefundTo []RefundTender `json:"refund_to,omitempty"`
	// ChangeTender is the tender type the change is paid from (the store's
	// cash when a foreign currency settled); "" = the last cash tender.
	ChangeTender    string          `json:"change_tender,omitempty"`
	Totals          Totals          `json:"totals"`
	TaxSummary      []tax.CodeTotal `json:"tax_summary"`
	TaxInclusive    bool            `json:"tax_inclusive"`
	ReturnNoReceipt bool            `json:"return_no_receipt,omitempty"`
	// Shift is the cash shift the transaction was rung up in (package pos/shift).
	Shift string `json:"shift,omitempty"`
	// Authorities record who authorised each limited part of the
	// transaction, within which limit (set by the register).
	Authorities []Authority `json:"authorities,omitempty"`
	// Signature is the till's signature of the transaction's journal entry,
	// set by a store that signs its journal when it commits the transaction
	// (and when it finds it again). It is not part of the journaled
	// transaction: the entry's payload is the cart without it.
	Signature Signature `json:"signature,omitzero"`
	// SystemDiscountsOff removes the automatic discounts (promotions) from
	// the transaction (operation 311; 312 puts them back).
	SystemDiscountsOff bool `json:"system_discounts_off,omitempty"`
	// DiscountsCalculated is the LinesDigest of the lines when the cashier
	// last ran "Calculate total" (operation 310): with delayed multi-line
	// discounts they apply while the lines are still the same.
	DiscountsCalculated string `json:"discounts_calculated,omitempty"`
	// PayingWith and PayingBrand are the tender type (and card brand) the
	// customer is about to pay with: tender-based discounts count them as
	// if the payment were on the transaction already.
	PayingWith  string `json:"paying_with,omitempty"`
	PayingBrand string `json:"paying_brand,omitempty"`
	// Approvals are the managers' overrides of operations on the
	// transaction: who approved which operation when, for the cashier
	// (the journal also records each one; the store server reads them here).
	Approvals []Approval `json:"approvals,omitempty"`
	// OrderEvent is the customer order the transaction makes, hands over
	// or cancels (pos/order), booked with the transaction.
	OrderEvent *order.Event `json:"order_event,omitempty"`

	promoCache any // the pricing engine's components of the last pricing (never changed once set)
	noSeen     int // NextLineNo: lines looked at
	noMax      int // NextLineNo: the largest number among them
	noLast     int // NextLineNo: the number of the last line looked at
}

// PromoCache returns what the pricing engine kept of the cart's last
// pricing, so that the next one only re-solves what changed.
func (c *Cart) PromoCache() any { return c.promoCache }

// SetPromoCache keeps the pricing engine's state for the next pricing.
func (c *Cart) SetPromoCache(v any) { c.promoCache = v }

// LinesDigest fingerprints the active lines (product, quantity, price,
// discounts) and coupons: it changes whenever something a discount depends on does.
func (c *Cart) LinesDigest() string {
	h := fnv.New128a()
	var b [8]byte
	num := func(v int64) {
		binary.LittleEndian.PutUint64(b[:], uint64(v))
		h.Write(b[:])
	}
	for _, l := range c.Active() {
		num(int64(l.No))
		h.Write([]byte(l.ProductID))
		num(int64(l.Qty))
		num(int64(l.UnitPrice))
		num(l.Discount.Percent)
		num(int64(l.Discount.Amount))
	}
	for _, cp := range c.Coupons {
		h.Write([]byte(cp))
		num(0)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// Signature is a signed journal entry as a receipt shows it (the fields of
// a fiscal receipt in the spirit of KassenSichV: transaction number,
// signature counter, signature).
type Signature struct {
	Seq     int64  `json:"seq"`         // the journal entry: the signature's transaction number
	Counter int64  `json:"sig_counter"` // the till's signature counter
	KeyID   string `json:"key_id"`      // the till's key (journal.KeyID)
	Hash    string `json:"hash"`        // the entry's hash, which is what is signed
	Sig     string `json:"sig"`         // base64 Ed25519 signature of the hash
}

// IsZero reports whether the signature is unset.
func (s Signature) IsZero() bool { return s.Sig == "" && s.Seq == 0 }

// Active returns the lines that are not voided.
func (c *Cart) Active() []*Line { return c.appendActive(make([]*Line, 0, len(c.Lines))) }

// appendActive appends the lines that are not voided to dst.
func (c *Cart) appendActive(dst []*Line) []*Line {
	for i := range c.Lines {
		if !c.Lines[i].Voided {
			dst = append(dst, &c.Lines[i])
		}
	}
	return dst
}

// Line returns the line with number no, or nil. It looks from the last
// line back: the line just added or changed is found at once.
func (c *Cart) Line(no int) *Line {
	for i := len(c.Lines) - 1; i >= 0; i-- {
		if c.Lines[i].No == no {
			return &c.Lines[i]
		}
	}
	return nil
}

// NextLineNo returns the number the next added line gets. It remembers
// the largest number seen, so adding lines one by one stays linear.
func (c *Cart) NextLineNo() int {
	if c.noSeen > len(c.Lines) || (c.noSeen > 0 && c.Lines[c.noSeen-1].No != c.noLast) {
		c.noSeen, c.noMax = 0, 0 // lines were taken away or replaced: look again
	}
	for _, l := range c.Lines[c.noSeen:] {
		c.noMax = max(c.noMax, l.No)
	}
	c.noSeen = len(c.Lines)
	if c.noSeen > 0 {
		c.noLast = c.Lines[c.noSeen-1].No
	}
	return c.noMax + 1
}

// ActiveTenders returns the tenders that are not voided.
func (c *Cart) ActiveTenders() []*Tender {
	out := make([]*Tender, 0, len(c.Tenders))
	for i := range c.Tenders {
		if !c.Tenders[i].Voided {
			out = append(out, &c.Tenders[i])
		}
	}
	return out
}

// HasPayments reports whether any tender that is not voided is on the cart.
func (c *Cart) HasPayments() bool { return len(c.ActiveTenders()) > 0 }

// IsEmpty reports whether the cart has no active lines.
func (c *Cart) IsEmpty() bool { return len(c.Active()) == 0 }

// Approval is a manager's override of one operation on the transaction.
type Approval struct {
	Op       int       `json:"op"`
	Name     string    `json:"name"`
	Operator string    `json:"operator"` // who ran it
	Approver string    `json:"approver"` // the manager who approved it
	At       time.Time `json:"at"`
}

// Limit names a limit of the operator's role that a transaction is held to.
type Limit string

// Limits a transaction is held to after every operation.
const (
	LimitLineDiscount  Limit = "line_discount"  // manual discount of a line, basis points of the line
	LimitTotalDiscount Limit = "total_discount" // manual discount of the transaction, basis points of what can be discounted
	LimitPriceOverride Limit = "price_override" // a changed unit price, cut in basis points of the original price
	LimitReturn        Limit = "return"         // total refunded for returned lines, minor units
)

// Authority records who authorised a limited part of the transaction (a
// discounted or overridden line, the total discount, the returns) and the
// most their role allowed: later operations are held to it.
type Authority struct {
	Limit    Limit  `json:"limit"`
	Line     int    `json:"line,omitempty"`     // 0 = the transaction
	Operator string `json:"operator"`           // who authorised it
	Approved bool   `json:"approved,omitempty"` // a manager's override, not the operator's own limit
	Max      int64  `json:"max"`                // the role's limit (basis points or minor units); -1 = not allowed at all
}

// FormatReceiptNo renders a receipt number: STORE-TERMINAL-NNNNNN.
func FormatReceiptNo(storeID, terminalID string, n int64) string {
	return fmt.Sprintf("%s-%s-%06d", storeID, terminalID, n)
}

// CheckFinished refuses to save what is not a finished transaction: a
// store's Commit takes only a completed or voided cart with an ID.
func (c *Cart) CheckFinished() error {
	if c == nil {
		return poserr.E(poserr.Invalid, "error.storage.no_cart", "no transaction to save")
	}
	if c.ID == "" {
		return poserr.E(poserr.Invalid, "error.storage.no_id", "the transaction has no ID; nothing was saved")
	}
	if c.Status != Completed && c.Status != Voided {
		return poserr.E(poserr.Conflict, "error.storage.not_finished",
			"transaction %s is %s: only a completed or voided transaction can be saved; nothing was saved", c.ID, c.Status)
	}
	return nil
}
