// Package pos is the domain of the till: the register and its operations.
// Every action a person takes at the till is an Operation handed to
// Register.Do, which checks the operator's permission and limits (offering a
// manager override), runs extension triggers, runs the handler and emits
// events. The package holds no UI, SQL or HTTP code.
package pos

import (
	"github.com/opentill/opentill/pos/catalog"
	"github.com/opentill/opentill/pos/money"
)

// OpID is an operation's stable number, modelled on the anchor's operation
// list. Built-in operations the anchor lacks start at 4000; extensions' custom
// operations start at 5000.
type OpID int

// Operation IDs.
const (
	OpProductSale       OpID = 100
	OpPriceCheck        OpID = 101
	OpVoidLine          OpID = 102
	OpLineComment       OpID = 103
	OpPriceOverride     OpID = 104
	OpSetQuantity       OpID = 105
	OpProductSearch     OpID = 108
	OpReturnProduct     OpID = 109
	OpReturnTransaction OpID = 114
	OpReprintReceipt    OpID = 115
	OpPayCash           OpID = 200
	OpPayCard           OpID = 201
	OpPayCurrency       OpID = 203
	OpPayCashExact      OpID = 206
	OpVoidPayment       OpID = 211
	OpLineDiscountAmt   OpID = 300
	OpLineDiscountPct   OpID = 301
	OpTotalDiscountAmt  OpID = 302
	OpTotalDiscountPct  OpID = 303
	OpAddCoupon         OpID = 643
	OpRemoveCoupon      OpID = 644
	OpVoidTransaction   OpID = 500
	OpTxnComment        OpID = 501
	OpSuspend           OpID = 503
	OpRecall            OpID = 504
	OpSignIn            OpID = 700
	OpSignOut           OpID = 701
	OpLock              OpID = 703
	OpUnlockOperator    OpID = 4001
	// FirstCustomOp is the first ID free for extensions' own operations.
	FirstCustomOp OpID = 5000
)

// Operation is a request to the register.
type Operation interface {
	OpID() OpID
}

// ProductSale adds an item. Give a Barcode (scanned or typed; an item ID is
// accepted too) or a ProductID (from a search result). Qty 0 means one unit,
// or the embedded weight; weighed items without an embedded weight need Qty
// (from the scale). Price is the keyed-in price for must-key-in-price items.
type ProductSale struct {
	Barcode   string
	ProductID string
	Qty       catalog.Qty
	Price     money.Amount
}

// PriceCheck looks up an item's price.
type PriceCheck struct{ Barcode string }

// ProductSearch searches the catalog.
type ProductSearch struct {
	Query string
	Limit int
}

// VoidLine voids a line.
type VoidLine struct{ Line int }

// SetQuantity sets a line's quantity (always positive; return lines stay returns).
type SetQuantity struct {
	Line int
	Qty  catalog.Qty
}

// PriceOverride sets a line's unit price.
type PriceOverride struct {
	Line  int
	Price money.Amount
}

// LineDiscount sets a manual line discount: Percent in basis points (op 301)
// or Amount (op 300). Zero clears it.
type LineDiscount struct {
	Line    int
	Percent int64
	Amount  money.Amount
}

// TotalDiscount sets the manual transaction discount: Percent in basis points
// (op 303) or Amount (op 302). Zero clears it.
type TotalDiscount struct {
	Percent int64
	Amount  money.Amount
}

// AddCoupon enters a coupon code or coupon barcode (op 643).
type AddCoupon struct{ Code string }

// RemoveCoupon takes a coupon code off the transaction (op 644).
type RemoveCoupon struct{ Code string }

// LineComment sets a line's comment.
type LineComment struct {
	Line int
	Text string
}

// TxnComment sets the transaction comment.
type TxnComment struct{ Text string }

// ReturnProduct adds a return line without a receipt.
type ReturnProduct struct {
	Barcode   string
	ProductID string
	Qty       catalog.Qty
	Price     money.Amount // refund price per unit; 0 = current price
}

// ReturnLine selects a line of the original sale and the quantity to return.
type ReturnLine struct {
	LineNo int
	Qty    catalog.Qty // 0 = all that is still returnable
}

// ReturnTransaction returns lines of an earlier sale. No Lines means every
// line with a returnable quantity left.
type ReturnTransaction struct {
	ReceiptNo string
	Lines     []ReturnLine
}

// ReprintReceipt prints a copy of a receipt ("" = the last one).
type ReprintReceipt struct{ ReceiptNo string }

// PayCash tenders cash. Amount is what the customer hands over (positive, also
// for refunds); 0 means the exact amount due, cash-rounded. TenderID picks a
// cash tender type other than the first.
type PayCash struct {
	Amount   money.Amount
	TenderID string
}

// PayCashExact tenders the exact amount due in cash.
type PayCashExact struct{ TenderID string }

// PayCurrency tenders foreign cash: Amount in the tender's currency (minor
// units; 0 = what is due, converted), TenderID the foreign-currency tender
// ("" = the store's first).
type PayCurrency struct {
	TenderID string
	Amount   money.Amount
}

// PayCard tenders by card through the payment terminal; Amount 0 is the
// amount due.
type PayCard struct {
	Amount   money.Amount
	TenderID string
	// Brand is the card brand when known before the card is charged (a
	// tender discount for the brand then lowers the amount charged).
	Brand string
}

// VoidPayment voids a payment line by number.
type VoidPayment struct{ No int }

// VoidTransaction voids the open transaction.
type VoidTransaction struct{}

// Suspend puts the open transaction aside.
type Suspend struct{}

// Recall takes back a suspended transaction; an empty ID lists them.
type Recall struct{ ID string }

// SignIn signs an operator in (or unlocks a locked register).
type SignIn struct {
	OperatorID string
	Secret     string
}

// SignOut signs the operator out.
type SignOut struct{}

// Lock locks the register.
type Lock struct{}

// UnlockOperator clears an operator's lockout.
type UnlockOperator struct{ OperatorID string }

// Approved runs Op with a manager's authority: the manager's permission and
// limits apply, and the journal records both operators.
type Approved struct {
	Op        Operation
	ManagerID string
	Secret    string
}

// OpID methods.
func (ProductSale) OpID() OpID       { return OpProductSale }
func (PriceCheck) OpID() OpID        { return OpPriceCheck }
func (ProductSearch) OpID() OpID     { return OpProductSearch }
func (VoidLine) OpID() OpID          { return OpVoidLine }
func (SetQuantity) OpID() OpID       { return OpSetQuantity }
func (PriceOverride) OpID() OpID     { return OpPriceOverride }
func (LineComment) OpID() OpID       { return OpLineComment }
func (TxnComment) OpID() OpID        { return OpTxnComment }
func (ReturnProduct) OpID() OpID     { return OpReturnProduct }
func (ReturnTransaction) OpID() OpID { return OpReturnTransaction }
func (ReprintReceipt) OpID() OpID    { return OpReprintReceipt }
func (PayCash) OpID() OpID           { return OpPayCash }
func (PayCashExact) OpID() OpID      { return OpPayCashExact }
func (PayCurrency) OpID() OpID       { return OpPayCurrency }
func (PayCard) OpID() OpID           { return OpPayCard }
func (VoidPayment) OpID() OpID       { return OpVoidPayment }
func (VoidTransaction) OpID() OpID   { return OpVoidTransaction }
func (Suspend) OpID() OpID           { return OpSuspend }
func (Recall) OpID() OpID            { return OpRecall }
func (SignIn) OpID() OpID            { return OpSignIn }
func (SignOut) OpID() OpID           { return OpSignOut }
func (Lock) OpID() OpID              { return OpLock }
func (UnlockOperator) OpID() OpID    { return OpUnlockOperator }
func (AddCoupon) OpID() OpID         { return OpAddCoupon }
func (RemoveCoupon) OpID() OpID      { return OpRemoveCoupon }
func (a Approved) OpID() OpID        { return a.Op.OpID() }

// OpID of a line discount: 301 for percent, 300 for amount.
func (d LineDiscount) OpID() OpID {
	if d.Percent != 0 {
		return OpLineDiscountPct
	}
	return OpLineDiscountAmt
}

// OpID of a total discount: 303 for percent, 302 for amount.
func (d TotalDiscount) OpID() OpID {
	if d.Percent != 0 {
		return OpTotalDiscountPct
	}
	return OpTotalDiscountAmt
}
