package pos

import (
	"github.com/opentill/opentill/pos/barcode"
	"github.com/opentill/opentill/pos/cart"
	"github.com/opentill/opentill/pos/inventory"
	"github.com/opentill/opentill/pos/loyalty"
	"github.com/opentill/opentill/pos/money"
	"github.com/opentill/opentill/pos/order"
	"github.com/opentill/opentill/pos/pricing"
	"github.com/opentill/opentill/pos/receipt"
	"github.com/opentill/opentill/pos/shift"
	"github.com/opentill/opentill/pos/storedvalue"
	"github.com/opentill/opentill/pos/tax"
	"github.com/opentill/opentill/pos/tender"
)

// Setup is the store and till configuration the register runs with. The
// offline store loads it; tests build it by hand.
type Setup struct {
	StoreID     string
	StoreName   string
	TerminalID  string
	Currency    money.Currency
	Tax         tax.Config
	TaxGroups   map[string]tax.Group
	Round       money.Mode // rounding of quantity × price and percentage discounts
	TenderTypes []tender.Type
	Masks       []barcode.Mask
	Header      receipt.Header
	// MaxQuantity is the largest quantity of one line (in thousandths); 0 = 9,999 units.
	MaxQuantity int64
	// Promotions is the compiled price and promotions document (price
	// groups, trade agreements, discounts, coupons); nil means catalog prices
	// and no promotions. The offline store loads it from its own setting
	// (it is not part of the setup's JSON).
	Promotions *pricing.Engine `json:"-"`
	// Shifts is the shift policy (shift required for sales, void suspended
	// transactions at close, cash denominations).
	Shifts shift.Policy `json:",omitempty"`
	// Accounts are the income and expense accounts (ops 517/518).
	Accounts []shift.Account `json:",omitempty"`
	// CustomerAttributes are the store's own attributes of a customer
	// (size, preferred brand …), asked on the customer form, in the
	// store's language.
	CustomerAttributes []string `json:",omitempty"`
	// Loyalty is the store's loyalty programme; nil = none.
	Loyalty *loyalty.Programme `json:",omitempty"`
	// GiftCards is the store's gift card rules (offline cap, cash-out
	// limit, most a card holds); nil = nothing spent offline, no cash-out.
	GiftCards *storedvalue.Policy `json:",omitempty"`
	// CustomerAccounts is the store's rules for charging customers'
	// accounts (the offline cap); the credit limits are the store
	// server's. nil = nothing charged offline.
	CustomerAccounts *storedvalue.Policy `json:",omitempty"`
	// ExchangeRates are the store's rates into its currency by ISO code
	// (the store server sets them: scaleunit admin exchange-rate), for the
	// foreign-currency tenders.
	ExchangeRates map[string]money.Rate `json:",omitempty"`
	// RefundToOriginal refunds a return by receipt to the tenders the sale
	// was paid with (a gift card back onto its card); a manager may approve
	// another tender.
	RefundToOriginal bool `json:",omitempty"`
	// OfflineCards caps the card payments taken while the card processor
	// is unreachable (a terminal that stores and forwards); nil = none.
	OfflineCards *tender.OfflinePolicy `json:",omitempty"`
	// Inventory is the store's stock settings (adjustment reasons, recount
	// thresholds); nil = the defaults (inventory.Of).
	Inventory *inventory.Settings `json:",omitempty"`
	// ReturnsAnyStore lets a return by receipt find a sale of any store of
	// the chain (online); otherwise the store's own tills' sales.
	ReturnsAnyStore bool `json:",omitempty"`
	// Orders is the store's customer-order rules (deposit and cancellation
	// percentages, quotation days); nil = no deposit, no charge.
	Orders *order.Settings `json:",omitempty"`
}

// Pricing returns the part of the setup the cart's repricing needs.
func (s *Setup) Pricing() cart.Pricing {
	p := cart.Pricing{Tax: s.Tax, Groups: s.TaxGroups, Round: s.Round}
	if s.Promotions != nil {
		p.Promotions = s.Promotions
	}
	return p
}

// TenderType finds a tender type by ID.
func (s *Setup) TenderType(id string) (tender.Type, bool) {
	for _, t := range s.TenderTypes {
		if t.ID == id {
			return t, true
		}
	}
	return tender.Type{}, false
}

// FirstTender returns the first tender type of a kind.
func (s *Setup) FirstTender(kind cart.TenderKind) (tender.Type, bool) {
	for _, t := range s.TenderTypes {
		if t.Kind == kind {
			return t, true
		}
	}
	return tender.Type{}, false
}
