package receipt

import (
	"reflect"
	"strings"
	"sync"
	"unicode"

	"github.com/nicksnyder/go-i18n/v2/i18n"

	"github.com/opentill/opentill/pos/cart"
	"github.com/opentill/opentill/pos/locale"
	"github.com/opentill/opentill/pos/storedvalue"
)

// Labels are the words a receipt and a shift report print, in one language.
// They are messages of the till's go-i18n bundle (assets/i18n), each field
// the message "receipt.label." + the field's name in snake case (SalesTitle
// is receipt.label.sales_title); the completeness tests make sure every
// field has its message in every language.
type Labels struct {
	// SalesTitle is the heading of a sale receipt.
	SalesTitle string
	// ReturnTitle is the heading of a return receipt.
	ReturnTitle string
	// VoidTitle is the heading of a voided transaction.
	VoidTitle string
	// GiftTitle is the heading of a gift receipt.
	GiftTitle string
	// GiftNote is printed on a gift receipt, which shows no prices.
	GiftNote string
	// Copy is the banner printed at the top and the bottom of a reprint.
	Copy string
	// Tel is the caption before the store's phone number.
	Tel string
	// TaxID is the caption before the store's tax registration number.
	TaxID string
	// Receipt is the caption of the receipt number.
	Receipt string
	// Date is the caption of the date and time.
	Date string
	// Store is the caption of the store ID.
	Store string
	// Terminal is the caption of the terminal ID.
	Terminal string
	// Operator is the caption of the operator.
	Operator string
	// Customer is the caption of the customer account.
	Customer string
	// PriceOverridden is the text before the original price of an overridden line.
	PriceOverridden string
	// ReturnOf is the text before the original receipt number of a returned line.
	ReturnOf string
	// Return is marks a returned line without an original receipt.
	Return string
	// LineDiscount is the label of a manual line discount (a percentage may follow).
	LineDiscount string
	// OriginalDiscount is the label of the discount a returned line carries back.
	OriginalDiscount string
	// TotalDiscount is the label of the manual transaction discount (a percentage may follow).
	TotalDiscount string
	// Subtotal is the sum of the lines before discounts.
	Subtotal string
	// Promotions is the sum of the automatic discounts.
	Promotions string
	// LineDiscounts is the sum of the manual line discounts.
	LineDiscounts string
	// Tax is the tax added to prices, and the tax in a shift report.
	Tax string
	// Total is the grand total (the layout prints its row large).
	Total string
	// Rounding is the cash rounding.
	Rounding string
	// AmountDue is the total after rounding.
	AmountDue string
	// AuthCode is the caption of a card authorisation code.
	AuthCode string
	// Change is the cash given back.
	Change string
	// TotalSavings is the sum of all discounts.
	TotalSavings string
	// TaxColumn is the heading of the tax summary's name column.
	TaxColumn string
	// RateColumn is the heading of the tax summary's rate column.
	RateColumn string
	// NetColumn is the heading of the tax summary's net amount column.
	NetColumn string
	// TaxAmountColumn is the heading of the tax table's tax amount column.
	TaxAmountColumn string
	// GrossColumn is the heading of the tax table's gross (net + tax) column.
	GrossColumn string
	// TaxTotal is the total row of the tax summary.
	TaxTotal string
	// NoteInclusive is the note printed when prices include tax.
	NoteInclusive string
	// NoteExclusive is the note printed when tax is added to prices.
	NoteExclusive string
	// Cash is the usual name of the cash tender.
	Cash string
	// VAT is the usual name of value added tax, as in a tax code's name ("VAT 19%").
	VAT string
	// XReport is the heading of an X report.
	XReport string
	// ZReport is the heading of a Z report.
	ZReport string
	// Shift is the caption of the shift ID.
	Shift string
	// Opened is the caption of the time the shift was opened.
	Opened string
	// OpenedBy is the caption of who opened the shift.
	OpenedBy string
	// Closed is the caption of the time a Z report closed the shift.
	Closed string
	// Printed is the caption of the time an X report was printed.
	Printed string
	// Totals is the heading of the report's totals.
	Totals string
	// Sales is the sales amount.
	Sales string
	// Returns is the returns amount.
	Returns string
	// NetSales is sales less returns.
	NetSales string
	// Discounts is the discounts given.
	Discounts string
	// IncomeAccounts is the sum of the income accounts.
	IncomeAccounts string
	// ExpenseAccounts is the sum of the expense accounts.
	ExpenseAccounts string
	// OrderDeposit is a customer order's deposit taken (a line and an X/Z
	// figure); OrderSettle the deposit counted against a pick-up;
	// OrderRefund the deposit paid back at a cancellation; OrderCharge the
	// cancellation charge.
	OrderDeposit string
	OrderSettle  string
	OrderRefund  string
	OrderCharge  string
	// GiftCard names a gift card sold on a line (with its masked number),
	// GiftCardTopUp value added to one, GiftCardCashOut its remainder paid
	// out; ValueBalance is a gift card's or memo's balance after a tender;
	// MemoIssued heads the credit memo a refund issued (with its barcode).
	GiftCard        string
	GiftCardTopUp   string
	GiftCardCashOut string
	ValueBalance    string
	MemoIssued      string
	// GiftCardsSold, GiftCardsCashedOut and MemosIssued are the X/Z's
	// stored-value figures.
	GiftCardsSold      string
	GiftCardsCashedOut string
	MemosIssued        string
	// AccountDeposit names a payment into a customer's account (a line,
	// with the customer number); AccountDeposits is the X/Z's sum of them.
	AccountDeposit  string
	AccountDeposits string
	// CardOffline marks a card payment taken while the processor was
	// unreachable, to be forwarded; OfflineCards is the X/Z's count of them.
	CardOffline  string
	OfflineCards string
	// OrderTitle heads a deposit receipt's order block (with the order's
	// number); OrderPickupAt and OrderShipTo say where a line goes;
	// OrderTotal is the order's value and OrderBalance what is left to pay.
	OrderTitle    string
	OrderPickupAt string
	OrderShipTo   string
	OrderTotal    string
	OrderBalance  string
	// Counts is the heading of the report's counts.
	Counts string
	// SaleCount is the number of sale transactions.
	SaleCount string
	// ReturnCount is the number of return transactions.
	ReturnCount string
	// Customers is the number of customers.
	Customers string
	// VoidCount is the number of voided transactions.
	VoidCount string
	// NoSales is the number of drawer openings without a sale.
	NoSales string
	// Suspended is the number of suspended transactions.
	Suspended string
	// Tendered is the amount taken in a tender.
	Tendered string
	// StartAmount is the cash in the drawer at the start.
	StartAmount string
	// FloatEntry is cash added to the float.
	FloatEntry string
	// Income is cash paid in to an income account.
	Income string
	// Expense is cash paid out from an expense account.
	Expense string
	// TenderRemoval is cash taken out of the drawer.
	TenderRemoval string
	// SafeDrop is cash moved to the safe.
	SafeDrop string
	// BankDrop is cash taken to the bank.
	BankDrop string
	// Expected is what the drawer should hold.
	Expected string
	// Declared is what was counted.
	Declared string
	// OverShort is the difference between counted and expected.
	OverShort string
	// Accounts is the heading of the income and expense accounts.
	Accounts string
	// SalesByHour is the heading of the sales by hour.
	SalesByHour string
	// AllTenders is the heading of the totals over all tenders.
	AllTenders string
	// OverShortTotal is the difference over all tenders.
	OverShortTotal string
	// TxnNo is the caption of the signed journal entry's number (the
	// signature's transaction number).
	TxnNo string
	// SigCounter is the caption of the till's signature counter.
	SigCounter string
	// SigStart is the caption of the time the transaction started.
	SigStart string
	// SigEnd is the caption of the time the transaction ended.
	SigEnd string
	// Signature is the caption of the (shortened) signature.
	Signature string
	// JournalEntry is the caption of the journal entry a Z report closes at.
	JournalEntry string
	// OverShortApprover and OverShortReason label the manager who accepted
	// an over/short beyond the store's limit, and why.
	OverShortApprover string
	OverShortReason   string
	// LoyaltyCard, PointsEarned and PointsRedeemed caption the loyalty
	// card on a sale and the points it moved.
	LoyaltyCard    string
	PointsEarned   string
	PointsRedeemed string

	lang string          // the language the labels are in
	loc  *i18n.Localizer // for the plural messages
}

// Languages are the languages receipts are printed in, English first.
var Languages = []string{"en", "de", "fr", "es"}

var labelCache sync.Map // language → *Labels

// LabelsFor returns the labels of a language given as a BCP 47 tag ("de",
// "fr-CA", "es_ES"); only the primary language subtag counts. An empty or
// unknown language gets English.
func LabelsFor(lang string) Labels {
	base, _, _ := strings.Cut(strings.ToLower(strings.TrimSpace(lang)), "-")
	base, _, _ = strings.Cut(base, "_")
	known := false
	for _, l := range Languages {
		known = known || l == base
	}
	if !known {
		base = "en"
	}
	if l, ok := labelCache.Load(base); ok {
		return *l.(*Labels)
	}
	l, _ := loadLabels(base)
	labelCache.Store(base, &l)
	return l
}

// loadLabels localizes every label of lang. It returns the IDs of the
// messages lang lacks (those labels are left empty), for the tests.
func loadLabels(lang string) (Labels, []string) {
	var lb Labels
	lb.lang = lang
	b, err := locale.Messages()
	if err != nil {
		return lb, []string{err.Error()}
	}
	lb.loc = i18n.NewLocalizer(b, lang)
	var missing []string
	v := reflect.ValueOf(&lb).Elem()
	for i := 0; i < v.NumField(); i++ {
		f := v.Type().Field(i)
		if !f.IsExported() {
			continue
		}
		id := LabelKey(f.Name)
		s, err := lb.loc.Localize(&i18n.LocalizeConfig{MessageID: id})
		if err != nil {
			missing = append(missing, id)
			continue
		}
		v.Field(i).SetString(s)
	}
	return lb, missing
}

// LabelKey is the message ID of a Labels field: "receipt.label." and the
// field's name in snake case (OverShortTotal → receipt.label.over_short_total).
func LabelKey(field string) string {
	var b strings.Builder
	b.WriteString("receipt.label.")
	rs := []rune(field)
	for i, r := range rs {
		if unicode.IsUpper(r) {
			if i > 0 && (unicode.IsLower(rs[i-1]) || (i+1 < len(rs) && unicode.IsLower(rs[i+1]))) {
				b.WriteByte('_')
			}
			r = unicode.ToLower(r)
		}
		b.WriteRune(r)
	}
	return b.String()
}

// ValueLine names a stored-value line: the gift card sold, topped up or
// cashed out (masked), or the account paid into.
func (l Labels) ValueLine(v cart.ValueRef) string {
	label := map[cart.ValueRole]string{cart.ValueIssue: l.GiftCard, cart.ValueAdd: l.GiftCardTopUp,
		cart.ValueCashOut: l.GiftCardCashOut, cart.ValueDeposit: l.AccountDeposit}[v.Role]
	return label + " " + storedvalue.Shown(v.Kind, v.Number)
}

// PaymentsKey is the plural message of a tender's count of payments.
const PaymentsKey = "receipt.label.payments"

// Payments is a tender's count of payments ("3 payments", "1 Zahlung"),
// with the count as the locale writes it.
func (l Labels) Payments(n int, count string) string {
	if l.loc == nil {
		return count
	}
	s, err := l.loc.Localize(&i18n.LocalizeConfig{MessageID: PaymentsKey, PluralCount: n, TemplateData: map[string]any{"PluralCount": count}})
	if err != nil && s == "" {
		return count
	}
	return s
}

// Language is the language the labels are in ("en", "de", "fr", "es").
func (l Labels) Language() string { return l.lang }

// Title is the heading printed for a receipt of kind k.
func (l Labels) Title(k Kind) string {
	switch k {
	case Return:
		return l.ReturnTitle
	case Void:
		return l.VoidTitle
	case Gift:
		return l.GiftTitle
	}
	return l.SalesTitle
}
