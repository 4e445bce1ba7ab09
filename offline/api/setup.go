package api

// Setup is the till's configuration as the config feed carries it (key
// "setup"): the store, its currency and tax, tender types, barcode masks,
// receipt header and the store's policies. Its keys are the field names, as
// the till has always stored it; the price and promotions document travels
// on its own (DocPromotions).
type Setup struct {
	StoreID     string              `json:"StoreID"`
	StoreName   string              `json:"StoreName"`
	TerminalID  string              `json:"TerminalID"`
	Currency    Currency            `json:"Currency"`
	Tax         TaxConfig           `json:"Tax"`
	TaxGroups   map[string]TaxGroup `json:"TaxGroups"`
	Round       int                 `json:"Round"` // rounding of quantity × price and percentage discounts: 0 half up, 1 half even, 2 down, 3 up
	TenderTypes []TenderType        `json:"TenderTypes"`
	Masks       []BarcodeMask       `json:"Masks"`
	Header      ReceiptHeader       `json:"Header"`
	// MaxQuantity is the largest quantity of one line (thousandths); 0 = 9,999 units.
	MaxQuantity int64 `json:"MaxQuantity"`
	// Shifts is always sent (omitempty leaves a struct in).
	Shifts             ShiftPolicy       `json:"Shifts,omitempty"`
	Accounts           []CashAccount     `json:"Accounts,omitempty"`
	CustomerAttributes []string          `json:"CustomerAttributes,omitempty"`
	Loyalty            *LoyaltyProgramme `json:"Loyalty,omitempty"`
	GiftCards          *ValuePolicy      `json:"GiftCards,omitempty"`
	CustomerAccounts   *ValuePolicy      `json:"CustomerAccounts,omitempty"`
	// ExchangeRates are the rates into the store's currency by ISO code, in
	// millionths (0.9234 = 923400).
	ExchangeRates    map[string]int64   `json:"ExchangeRates,omitempty"`
	RefundToOriginal bool               `json:"RefundToOriginal,omitempty"`
	OfflineCards     *OfflineCardPolicy `json:"OfflineCards,omitempty"`
	Inventory        *InventorySettings `json:"Inventory,omitempty"`
	ReturnsAnyStore  bool               `json:"ReturnsAnyStore,omitempty"`
	Orders           *OrderSettings     `json:"Orders,omitempty"`
}

// Currency is an ISO 4217 currency and its minor-unit digits.
type Currency struct {
	Code   string `json:"Code"`
	Digits int    `json:"Digits"`
}

// TaxConfig is the store's tax setting.
type TaxConfig struct {
	Inclusive bool `json:"inclusive"` // prices include tax (VAT)
	Level     int  `json:"level"`     // 0 rounds per line, 1 per total
	Round     int  `json:"round"`     // as Setup.Round
}

// TaxGroup is the set of tax codes a product's tax group applies.
type TaxGroup struct {
	ID    string    `json:"id"`
	Name  string    `json:"name"`
	Codes []TaxCode `json:"codes"`
}

// TaxCode is one tax and its rate in millionths (19 % = 190000).
type TaxCode struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	Rate int64  `json:"rate"`
}

// TenderType is a way the store is paid, with its rules. Amounts are minor
// units.
type TenderType struct {
	ID               string `json:"id"`
	Name             string `json:"name"`
	Kind             string `json:"kind"` // cash, card, loyalty, giftcard, memo, account, currency
	GivesChange      bool   `json:"gives_change"`
	AllowOvertender  bool   `json:"allow_overtender"`
	MaxOvertender    int64  `json:"max_overtender"`
	AllowUndertender bool   `json:"allow_undertender"`
	RoundingStep     int64  `json:"rounding_step"`
	MaxAmount        int64  `json:"max_amount"`
	OpensDrawer      bool   `json:"opens_drawer"`
	AllowRefund      bool   `json:"allow_refund"`
	// Foreign is a foreign-currency tender's currency; left out for others.
	Foreign Currency `json:"foreign,omitzero"`
}

// BarcodeMask is an in-store barcode layout with an embedded weight, price
// or quantity.
type BarcodeMask struct {
	Prefix      string `json:"Prefix"`
	Embedded    int    `json:"Embedded"` // 0 none, 1 weight, 2 price, 3 quantity
	ItemDigits  int    `json:"ItemDigits"`
	ValueDigits int    `json:"ValueDigits"`
	Decimals    int    `json:"Decimals"`
	PriceCheck  bool   `json:"PriceCheck"`
	Layout      string `json:"Layout,omitempty"`
}

// ReceiptHeader is the store identity printed on receipts.
type ReceiptHeader struct {
	StoreName      string   `json:"StoreName"`
	Address        string   `json:"Address"` // lines separated by "\n"
	Phone          string   `json:"Phone"`
	TaxID          string   `json:"TaxID"`
	Lines          []string `json:"Lines"`
	Footer         []string `json:"Footer"`
	TimeZone       string   `json:"TimeZone"` // IANA, e.g. Europe/Berlin
	Language       string   `json:"Language"` // BCP 47
	Locale         string   `json:"Locale,omitempty"`
	SignatureLines bool     `json:"SignatureLines"`
}

// ShiftPolicy is the store's shift setting. Amounts are minor units.
type ShiftPolicy struct {
	Required             bool    `json:"required"`
	VoidSuspendedAtClose bool    `json:"void_suspended_at_close"`
	Denominations        []int64 `json:"denominations,omitempty"` // largest first
	ManagerMayOverdraw   bool    `json:"manager_may_overdraw,omitempty"`
	OverShortLimit       int64   `json:"over_short_limit,omitempty"`
}

// CashAccount is an income or expense account (ops 517/518).
type CashAccount struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	Kind string `json:"kind"` // income, expense
}

// LoyaltyProgramme is the store's loyalty programme.
type LoyaltyProgramme struct {
	Name          string           `json:"name"`
	PointsPerUnit int64            `json:"points_per_unit"`
	CategoryBP    map[string]int64 `json:"category_bp,omitempty"` // basis points by category
	Tiers         []LoyaltyTier    `json:"tiers,omitempty"`
	PointValue    int64            `json:"point_value"` // minor units
	OfflineCap    int64            `json:"offline_cap"`
}

// LoyaltyTier is a level of the loyalty programme.
type LoyaltyTier struct {
	Name      string `json:"name"`
	MinPoints int64  `json:"min_points"`
	EarnBP    int64  `json:"earn_bp"`
}

// ValuePolicy is the store's rules for gift cards or customer accounts.
// Amounts are minor units.
type ValuePolicy struct {
	OfflineCap int64 `json:"offline_cap"`
	CashOutMax int64 `json:"cash_out_max"`
	MaxValue   int64 `json:"max_value"`
	MinIssue   int64 `json:"min_issue"`
}

// OfflineCardPolicy caps the card payments taken while the card processor
// is unreachable. Amounts are minor units.
type OfflineCardPolicy struct {
	MaxPerSale   int64 `json:"max_per_sale"`
	MaxPerTill   int64 `json:"max_per_till"`
	MaxPerWindow int64 `json:"max_per_window"`
	WindowHours  int   `json:"window_hours"`
}

// InventorySettings are the store's stock settings. Quantities are
// thousandths, percentages basis points.
type InventorySettings struct {
	Reasons        []StockReason `json:"Reasons,omitempty"`
	RecountQty     int64         `json:"RecountQty,omitempty"`
	RecountPercent int64         `json:"RecountPercent,omitempty"`
	MaxAdjustment  int64         `json:"MaxAdjustment,omitempty"`
	OverReceipt    int64         `json:"OverReceipt,omitempty"`
	UnderReceipt   int64         `json:"UnderReceipt,omitempty"`
}

// StockReason is an adjustment reason code.
type StockReason struct {
	Code string `json:"code"`
	Name string `json:"name"`
	Sign int    `json:"sign"` // 1 only up, -1 only down, 0 either
}

// OrderSettings are the store's customer-order rules.
type OrderSettings struct {
	DepositPercent int64 `json:"DepositPercent,omitempty"` // basis points
	CancelPercent  int64 `json:"CancelPercent,omitempty"`  // basis points
	QuoteDays      int   `json:"QuoteDays,omitempty"`
}
