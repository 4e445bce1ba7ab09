// Package receipt turns a completed (or voided) transaction into a Receipt
// (the printable facts, as Build makes them) and a Receipt or a shift report
// into a Document of typed blocks, laid out by a receipt layout (TOML data in
// assets/receipts, overridable per store). Document.Text renders the blocks
// as plain text; peripherals/escpos and peripherals/virtual render the same
// blocks as printer bytes and PNG. Amounts, numbers and dates are formatted
// for the store's locale (pos/locale) and labels come from the till's go-i18n
// messages (receipt.label.*).
//
// Every amount in a Receipt holds the value as it is printed: discounts are
// negative on a sale (they reduce the total), return lines and refunds are
// negative, and a discount carried back by a return is positive.
package receipt

import (
	"strings"
	"time"

	"github.com/opentill/opentill/pos/cart"
	"github.com/opentill/opentill/pos/catalog"
	"github.com/opentill/opentill/pos/locale"
	"github.com/opentill/opentill/pos/money"
	"github.com/opentill/opentill/pos/order"
	"github.com/opentill/opentill/pos/storedvalue"
	"github.com/opentill/opentill/pos/tax"
)

// Header is the store identity printed on every receipt: the lines at the
// top and the footer lines at the bottom.
type Header struct {
	StoreName string
	Address   string // may hold several lines separated by "\n"
	Phone     string
	TaxID     string   // the store's VAT or tax registration number
	Lines     []string // extra header lines, printed centred after the identity
	Footer    []string // footer lines, printed centred at the bottom
	TimeZone  string   // IANA zone the receipt shows times in, e.g. "Europe/Berlin"; empty = UTC
	Language  string   // the store's receipt language, BCP 47 like "de"; empty = the Locale's language, else English (see LabelsFor)
	// Locale is the store's locale for amounts, numbers and dates, BCP 47
	// like "de-DE" (locale.Supported); empty = the Language's shipped
	// locale, else locale.Default.
	Locale string `json:",omitempty"`
	// SignatureLines prints a signed receipt's signature block (transaction
	// number, signature counter, start, end, short signature) as text lines
	// too. Printers print its QR code (Receipt.SignatureQR) in any case.
	SignatureLines bool
}

// Kind is what a receipt records.
type Kind string

// Receipt kinds. A receipt whose lines all give goods back (or whose exchange
// ends in a refund) is a Return; a voided transaction prints as Void; a Gift
// receipt is a sale printed without prices (Receipt.GiftCopy).
const (
	Sale   Kind = "sale"
	Return Kind = "return"
	Void   Kind = "void"
	Gift   Kind = "gift"
)

// Title is the heading printed for the kind in English; a receipt prints
// Receipt.Title, in its header's language.
func (k Kind) Title() string { return LabelsFor("en").Title(k) }

// Operator is the staff member who rang the transaction up.
type Operator struct {
	ID   string
	Name string
}

// String returns "ID Name", or whichever of the two is set.
func (o Operator) String() string {
	return strings.TrimSpace(o.ID + " " + o.Name)
}

// Discount is a printed discount row: a label such as "Line discount 10 %"
// or a promotion's name, and the signed amount it changes the total by
// (negative on a sale). Manual is set on the cashier's discount.
type Discount struct {
	Label  string
	Amount money.Amount
	Manual bool
}

// Line is one printed transaction line. Voided lines never become a Line.
type Line struct {
	No        int          // the cart's line number
	ItemID    string       // item ID of the product
	Name      string       // product name as sold
	Qty       catalog.Qty  // quantity in thousandths, negative on a return
	QtyText   string       // the quantity with the unit's decimals, locale-neutral, e.g. "0.734" or "-1" (for logs; the document formats Qty for the locale)
	Decimals  int          // the unit's decimals (0 for each, 3 for kg)
	Unit      string       // unit of measure ID ("ea", "kg")
	UnitPrice money.Amount // price of one unit
	Amount    money.Amount // quantity × unit price, before discounts
	Net       money.Amount // amount after line and transaction discounts
	Discounts []Discount   // discount rows printed under the line: each promotion by name, then the manual discount

	Comment         string       // line comment keyed in by the cashier
	PriceOverridden bool         // the cashier overrode the price
	OriginalPrice   money.Amount // the price before the override

	Return   bool   // the line gives goods back (negative quantity)
	ReturnOf string // receipt number of the original sale, for a return by receipt
}

// TaxRow is one row of the tax summary.
type TaxRow struct {
	Code  string
	Name  string
	Rate  int64        // millionths, as tax.Code.Rate
	Basis money.Amount // amount the tax was computed on, tax excluded
	Tax   money.Amount
}

// Tender is one printed payment line. Refunds are negative.
type Tender struct {
	Name      string
	Kind      cart.TenderKind
	Amount    money.Amount
	Brand     string // card brand, e.g. "VISA"
	MaskedPAN string // card number with every digit but the last four hidden
	AuthCode  string // authorisation code from the payment terminal
	// TerminalText is the payment terminal's own receipt, printed under
	// the till's.
	TerminalText []string
	// Value is the gift card (masked) or credit memo (in full: it is what
	// the customer brings back) the tender used, and HasBalance/Balance its
	// balance after; IssuesMemo says the tender is a refund onto a new
	// credit memo, printed with the memo's number as a barcode.
	Value      string
	HasBalance bool
	Balance    money.Amount
	IssuesMemo bool
	// Foreign is a foreign-currency tender's own amount and rate, as the
	// store's locale writes them ("$20.00 × 0.923400").
	Foreign string
	// Offline marks a card payment taken while the processor was
	// unreachable, to be forwarded.
	Offline bool
}

// Receipt is the printable document of one transaction.
type Receipt struct {
	Kind   Kind
	Copy   bool // a reprint: printed with a "COPY" banner
	Header Header

	ReceiptNo string
	TxnID     string
	Time      time.Time // when the transaction finished (or started, if it never finished)
	Operator  Operator
	Terminal  string
	Store     string
	Customer  string // customer account, if one was added
	// Loyalty is the loyalty card on the sale and the points it moved.
	Loyalty  *cart.Loyalty
	Comment  string // transaction comment
	Currency money.Currency

	Lines []Line

	Subtotal      money.Amount // Σ line amounts before discounts
	Promotions    money.Amount // Σ automatic discounts (promotions), negative on a sale
	LineDiscounts money.Amount // Σ manual line discounts (negative on a sale)
	TotalDiscount Discount     // the manual transaction discount; zero Amount when none
	Discounts     money.Amount // all discounts: promotions, line and transaction (negative on a sale)
	Tax           money.Amount // all tax, included in prices or added to them
	ExclusiveTax  money.Amount // tax added on top of the prices (zero when prices include tax)
	Total         money.Amount // Subtotal + Discounts + ExclusiveTax
	Rounding      money.Amount // cash rounding applied at payment
	Due           money.Amount // Total + Rounding

	TaxInclusive bool
	TaxNote      string // "Prices include VAT" or "Tax is added to prices"
	TaxSummary   []TaxRow

	Tenders []Tender
	Change  money.Amount // cash given back

	// Barcode is the receipt number as the layout's barcode block prints
	// it (CODE128 on printers, the number as text). Empty means no barcode.
	Barcode string

	// Order is the customer order the transaction made (its deposit paid),
	// for the order block; nil otherwise.
	Order *OrderSummary

	// Signature is the till's signature of the transaction's journal entry;
	// nil when the till does not sign (SignatureQR is its QR code's text).
	Signature *Signature
}

// OrderSummary is a customer order as its deposit receipt prints it.
type OrderSummary struct {
	Number   string
	Customer string
	Lines    []OrderLine
	Total    money.Amount // what the order costs in all
	Paid     money.Amount // the deposit paid now
}

// OrderLine is a line of the order on the receipt.
type OrderLine struct {
	Qty      catalog.Qty
	Decimals int
	Name     string
	Amount   money.Amount
	Ship     bool // shipped to Where (an address); else picked up at Where (a store)
	Where    string
	Date     time.Time
}

// orderSummary is the order a completed transaction made, if any.
func orderSummary(c *cart.Cart) *OrderSummary {
	ev := c.OrderEvent
	if ev == nil || ev.Order == nil || c.Status != cart.Completed {
		return nil
	}
	o := ev.Order
	s := &OrderSummary{Number: o.Number, Customer: o.CustomerName, Total: o.Total(), Paid: ev.Amount}
	for _, l := range o.Lines {
		ol := OrderLine{Qty: l.Qty, Decimals: l.UnitDecimals, Name: l.Name, Amount: l.Amount, Where: l.Store, Date: l.Date}
		if l.Mode == order.Ship {
			ol.Ship, ol.Where = true, l.Address
		}
		s.Lines = append(s.Lines, ol)
	}
	return s
}

// Build makes the receipt of a completed or voided cart. Voided lines and
// voided tenders are left out; return lines keep their negative quantities
// and amounts. Copy is false: set it on a reprint.
func Build(c *cart.Cart, h Header, operatorName string) *Receipt {
	t := c.Totals
	lb := h.labels()
	f := h.Format()
	r := &Receipt{
		Kind:          kindOf(c),
		Header:        h,
		ReceiptNo:     c.ReceiptNo,
		TxnID:         c.ID,
		Time:          c.Finished,
		Operator:      Operator{ID: c.Operator, Name: operatorName},
		Terminal:      c.Terminal,
		Store:         c.Store,
		Customer:      c.Customer,
		Loyalty:       c.Loyalty,
		Comment:       c.Comment,
		Currency:      c.Currency,
		Subtotal:      t.Subtotal,
		Promotions:    -t.PromoDiscounts,
		LineDiscounts: -t.LineDiscounts,
		Discounts:     -t.Discounts,
		Tax:           t.Tax,
		ExclusiveTax:  t.ExclusiveTax,
		Total:         t.Total,
		Rounding:      t.Rounding,
		Due:           t.Due,
		TaxInclusive:  c.TaxInclusive,
		Change:        t.Change,
		Barcode:       c.ReceiptNo,
		Order:         orderSummary(c),
	}
	if r.Time.IsZero() {
		r.Time = c.Started
	}
	loc := f.Zone()
	r.Time = r.Time.In(loc)
	r.Signature = signatureOf(c, loc)
	if t.TotalDiscounts != 0 {
		r.TotalDiscount = Discount{Label: discountLabel(lb.TotalDiscount, c.Discount.Percent, f), Amount: -t.TotalDiscounts, Manual: true}
	}
	if c.TaxInclusive {
		r.TaxNote = lb.NoteInclusive
	} else {
		r.TaxNote = lb.NoteExclusive
	}
	for _, l := range c.Active() {
		r.Lines = append(r.Lines, buildLine(l, &lb, f))
	}
	for _, s := range c.TaxSummary {
		r.TaxSummary = append(r.TaxSummary, taxRow(s))
	}
	for _, tn := range c.ActiveTenders() {
		rt := Tender{Name: tn.Name, Kind: tn.Kind, Amount: tn.Amount}
		if rt.Name == "" {
			rt.Name = tn.TypeID
		}
		if tn.Card != nil {
			rt.Brand = tn.Card.Brand
			rt.MaskedPAN = MaskPAN(tn.Card.MaskedPAN)
			rt.AuthCode = tn.Card.AuthCode
			rt.TerminalText = tn.Card.Receipt
			rt.Offline = tn.Card.Offline
		}
		if fx := tn.Foreign; fx != nil {
			rt.Foreign = f.Money(fx.Amount, fx.Currency) + " × " + f.Number(int64(fx.Rate), 6)
		}
		if v := tn.Value; v != nil {
			rt.Value, rt.HasBalance, rt.Balance = storedvalue.Shown(v.Kind, v.Number), true, v.Balance
			rt.IssuesMemo = v.Kind == storedvalue.Memo && tn.Amount < 0
		}
		r.Tenders = append(r.Tenders, rt)
	}
	return r
}

// Labels returns the labels of the receipt's language (Header.Language).
func (r *Receipt) Labels() Labels { return r.Header.labels() }

// Title is the heading printed for the receipt, in its language.
func (r *Receipt) Title() string { return r.Header.labels().Title(r.Kind) }

// Text renders the receipt with the shipped layout of its kind as plain
// text width characters wide (see Document.Text).
func (r *Receipt) Text(width int) string { return r.Document(nil).Text(width) }

func kindOf(c *cart.Cart) Kind {
	if c.Status == cart.Voided {
		return Void
	}
	var sales, returns int
	for _, l := range c.Active() {
		if l.IsReturn() {
			returns++
		} else {
			sales++
		}
	}
	if returns > 0 && (sales == 0 || c.Totals.Total < 0) {
		return Return
	}
	return Sale
}

func buildLine(l *cart.Line, lb *Labels, f *locale.Locale) Line {
	name := l.Name
	if v := l.Value; v != nil {
		name = lb.ValueLine(*v)
	}
	if l.IsOrderMoney() {
		name = map[cart.OrderRole]string{cart.OrderDeposit: lb.OrderDeposit, cart.OrderSettle: lb.OrderSettle,
			cart.OrderRefund: lb.OrderRefund, cart.OrderCharge: lb.OrderCharge}[l.Order.Role] + " " + l.Order.Number
	}
	rl := Line{
		No:              l.No,
		ItemID:          l.ItemID,
		Name:            name,
		Qty:             l.Qty,
		QtyText:         l.Qty.Format(l.UnitDecimals),
		Decimals:        l.UnitDecimals,
		Unit:            l.Unit,
		UnitPrice:       l.UnitPrice,
		Amount:          l.Gross,
		Net:             l.Net,
		Comment:         l.Comment,
		PriceOverridden: l.Overridden,
		OriginalPrice:   l.OriginalPrice,
		Return:          l.IsReturn(),
	}
	if l.ReturnOf != nil {
		rl.ReturnOf = l.ReturnOf.ReceiptNo
		if rl.ReturnOf == "" {
			rl.ReturnOf = l.ReturnOf.TxnID
		}
	}
	for _, a := range l.Promotions {
		rl.Discounts = append(rl.Discounts, Discount{Label: a.Name, Amount: -a.Amount})
	}
	if l.LineDiscount != 0 {
		label := discountLabel(lb.LineDiscount, l.Discount.Percent, f)
		if l.ReturnOf != nil {
			label = lb.OriginalDiscount
		}
		rl.Discounts = append(rl.Discounts, Discount{Label: label, Amount: -l.LineDiscount, Manual: true})
	}
	return rl
}

func taxRow(s tax.CodeTotal) TaxRow {
	name := s.Name
	if name == "" {
		name = s.Code
	}
	return TaxRow{Code: s.Code, Name: name, Rate: s.Rate, Basis: s.Basis, Tax: s.Amount}
}

// discountLabel appends the percentage (basis points), as the locale
// writes it, to label when there is one.
func discountLabel(label string, bp int64, f *locale.Locale) string {
	if bp == 0 {
		return label
	}
	return label + " " + f.Percent(bp)
}

// MaskPAN hides every digit of a card number except the last four, keeping
// other characters (spaces, dashes, asterisks) as they are. The payment
// terminal already masks the number; this makes sure a receipt never shows
// more even if it did not.
func MaskPAN(pan string) string {
	rs := []rune(pan)
	keep := 4
	for i := len(rs) - 1; i >= 0; i-- {
		if rs[i] < '0' || rs[i] > '9' {
			continue
		}
		if keep > 0 {
			keep--
			continue
		}
		rs[i] = '*'
	}
	return string(rs)
}
