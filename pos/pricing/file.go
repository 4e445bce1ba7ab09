package pricing

import (
	"bytes"
	"fmt"
	"io"
	"strings"

	"github.com/BurntSushi/toml"
)

// File is the promotions document: prices (price groups and trade
// agreements) and promotions, written in TOML. See the package
// documentation and docs/promotions.md for every field; amounts are decimal
// strings in the store currency ("1.99"), percentages decimal strings ("10",
// "12.5"), quantities decimal strings ("3", "0.5"), dates "2026-12-24" or
// "2026-12-24T18:00" in the store's time zone.
type File struct {
	// TimeZone is the store's IANA time zone ("Europe/Berlin"); validity
	// dates are read in it. Empty means UTC.
	TimeZone string `toml:"time_zone" json:"time_zone,omitempty"`
	// ConcurrencyModel is "best-price-and-compound-within-priority" (the
	// default: never compound across priorities) or
	// "best-price-within-priority-compound-across" (always compound across
	// priorities).
	ConcurrencyModel string `toml:"concurrency_model" json:"concurrency_model,omitempty"`
	// CompoundOn is "running" (the default: 10 % then 20 % on 100 gives 72)
	// or "original" (gives 70).
	CompoundOn string `toml:"compound_on" json:"compound_on,omitempty"`
	// CountNonDiscountable lets products marked "no discount" count toward
	// mix-and-match sets, quantity tiers and thresholds without being
	// discounted themselves.
	CountNonDiscountable bool `toml:"count_non_discountable" json:"count_non_discountable,omitempty"`
	// DistributeLeastExpensive spreads a least-expensive discount over every
	// item of the set instead of putting it on the cheapest item.
	DistributeLeastExpensive bool `toml:"distribute_least_expensive" json:"distribute_least_expensive,omitempty"`
	// ExclusiveThresholdCompetes is the anchor's "enable competition between
	// exclusive threshold and other periodic discounts": an exclusive
	// threshold discount competes, at its priority, with the exclusive
	// discounts of other kinds on the items; when it wins it is not
	// evaluated again with the thresholds, when it loses it still is.
	ExclusiveThresholdCompetes bool `toml:"exclusive_threshold_competes" json:"exclusive_threshold_competes,omitempty"`
	// ApplyToPriceOverrides lets promotions apply to lines whose price the
	// cashier overrode (off by default, as in the anchor).
	ApplyToPriceOverrides bool `toml:"apply_to_price_overrides" json:"apply_to_price_overrides,omitempty"`
	// ManualDiscounts is "compound" (the default: a manual line discount
	// applies on the price after promotions) or "exclusive" (a line with a
	// manual discount gets no promotion).
	ManualDiscounts string `toml:"manual_discounts" json:"manual_discounts,omitempty"`
	// KeepSameLine is the anchor's "keep items on the same sales line for
	// discount price rounding": true (the default) rounds a discount once
	// per line; false splits it per unit, each unit rounded, the remainder on
	// the last unit (10.00 off 3 units: 3.33, 3.33, 3.34).
	KeepSameLine *bool `toml:"keep_same_line" json:"keep_same_line,omitempty"`
	// ManualMultilineDiscounts delays quantity, mix-and-match and threshold
	// discounts until the cashier runs "Calculate total" (operation 310), as
	// the anchor's "manually calculate multi-line discounts".
	ManualMultilineDiscounts bool `toml:"manual_multiline_discounts" json:"manual_multiline_discounts,omitempty"`
	// StorePriceGroups are the price groups attached to the store: they apply
	// to every cart.
	StorePriceGroups []string            `toml:"store_price_groups" json:"store_price_groups,omitempty"`
	PriceGroups      []PriceGroupDoc     `toml:"price_group" json:"price_group,omitempty"`
	CustomerGroups   []CustomerGroupDoc  `toml:"customer_group" json:"customer_group,omitempty"`
	Customers        []CustomerDoc       `toml:"customer" json:"customer,omitempty"`
	TradeAgreements  []TradeAgreementDoc `toml:"trade_agreement" json:"trade_agreement,omitempty"`
	Promotions       []PromotionDoc      `toml:"promotion" json:"promotion,omitempty"`
}

// PriceGroupDoc is a price group: trade agreements and promotions attach to
// it; the store, customer groups and customers are attached to price groups.
// A higher Priority wins.
type PriceGroupDoc struct {
	ID       string `toml:"id" json:"id"`
	Name     string `toml:"name" json:"name,omitempty"`
	Priority int    `toml:"priority" json:"priority,omitempty"`
}

// CustomerGroupDoc attaches price groups to a customer group.
type CustomerGroupDoc struct {
	ID          string   `toml:"id" json:"id"`
	PriceGroups []string `toml:"price_groups" json:"price_groups,omitempty"`
}

// CustomerDoc says which customer groups a customer belongs to and which
// price groups are attached to the customer directly.
type CustomerDoc struct {
	ID          string   `toml:"id" json:"id"`
	Groups      []string `toml:"groups" json:"groups,omitempty"`
	PriceGroups []string `toml:"price_groups" json:"price_groups,omitempty"`
}

// TradeAgreementDoc is a sales price of a product (or of every variant of
// an item) in a price group, from a minimum quantity, valid between dates.
type TradeAgreementDoc struct {
	PriceGroup string `toml:"price_group" json:"price_group"`
	Product    string `toml:"product" json:"product,omitempty"` // product (variant) ID
	Item       string `toml:"item" json:"item,omitempty"`       // item ID: all its variants
	Price      string `toml:"price" json:"price"`
	PriceUnit  string `toml:"price_unit" json:"price_unit,omitempty"` // the price is for this many units (default 1)
	MinQty     string `toml:"min_qty" json:"min_qty,omitempty"`       // quantity break
	From       string `toml:"from" json:"from,omitempty"`
	To         string `toml:"to" json:"to,omitempty"`
}

// PromotionDoc is one promotion (a "discount" in the anchor's words).
type PromotionDoc struct {
	ID   string `toml:"id" json:"id"`
	Name string `toml:"name" json:"name"`
	// Kind is "discount" (simple), "quantity", "mix-match", "threshold" or
	// "tender" (tender-based).
	Kind string `toml:"kind" json:"kind"`
	// Concurrency is "exclusive", "best-price" (the default) or "compound".
	Concurrency string `toml:"concurrency" json:"concurrency,omitempty"`
	// Priority overrides the pricing priority of the price groups when set.
	Priority    *int     `toml:"priority" json:"priority,omitempty"`
	PriceGroups []string `toml:"price_groups" json:"price_groups,omitempty"` // empty: every cart
	Coupons     []string `toml:"coupons" json:"coupons,omitempty"`           // codes or coupon barcodes; any one enables it
	From        string   `toml:"from" json:"from,omitempty"`
	To          string   `toml:"to" json:"to,omitempty"`
	Disabled    bool     `toml:"disabled" json:"disabled,omitempty"`

	// Method of a simple discount (one of them), the default of its lines;
	// of a mix-and-match, the deal for one whole set.
	Percent   string `toml:"percent" json:"percent,omitempty"`
	Amount    string `toml:"amount" json:"amount,omitempty"`
	DealPrice string `toml:"deal_price" json:"deal_price,omitempty"`
	// LeastExpensive is, for a mix-and-match, how many of the least
	// expensive items of each set are discounted (by Percent, default 100 %).
	LeastExpensive int `toml:"least_expensive" json:"least_expensive,omitempty"`
	// FavorRetailer forms a least-expensive mix-and-match's sets as the
	// anchor's "least expensive, favor retailer" does: the most expensive
	// items paired with the cheapest, so that the discounted items are the
	// cheapest the promotion takes (one group only).
	FavorRetailer bool `toml:"favor_retailer" json:"favor_retailer,omitempty"`
	// Mixed makes a quantity discount count the quantity over all products of
	// the promotion together instead of per line.
	Mixed bool `toml:"mixed" json:"mixed,omitempty"`
	// TenderTypes and CardBrands say which payment earns a tender discount
	// (any one of them); MinAmount is the least the qualifying items must
	// come to.
	TenderTypes []string `toml:"tender_types" json:"tender_types,omitempty"`
	CardBrands  []string `toml:"card_brands" json:"card_brands,omitempty"`
	MinAmount   string   `toml:"min_amount" json:"min_amount,omitempty"`

	Lines  []LineDoc  `toml:"line" json:"line,omitempty"`
	Tiers  []TierDoc  `toml:"tier" json:"tier,omitempty"`
	Groups []GroupDoc `toml:"group" json:"group,omitempty"`
}

// LineDoc selects products: a product (variant) ID, an item ID (every
// variant) or a category. Exclude lines win over include lines. A simple
// discount line may carry its own method.
type LineDoc struct {
	Product   string `toml:"product" json:"product,omitempty"`
	Item      string `toml:"item" json:"item,omitempty"`
	Category  string `toml:"category" json:"category,omitempty"`
	Exclude   bool   `toml:"exclude" json:"exclude,omitempty"`
	Percent   string `toml:"percent" json:"percent,omitempty"`
	Amount    string `toml:"amount" json:"amount,omitempty"`
	DealPrice string `toml:"deal_price" json:"deal_price,omitempty"`
}

// TierDoc is a tier of a quantity discount (MinQty; Percent, Amount off
// each unit or DealPrice of each unit) or of a threshold (MinAmount; Percent
// or Amount off the qualifying items).
type TierDoc struct {
	MinQty    string `toml:"min_qty" json:"min_qty,omitempty"`
	MinAmount string `toml:"min_amount" json:"min_amount,omitempty"`
	Percent   string `toml:"percent" json:"percent,omitempty"`
	Amount    string `toml:"amount" json:"amount,omitempty"`
	DealPrice string `toml:"deal_price" json:"deal_price,omitempty"`
}

// GroupDoc is a line group of a mix-and-match: Qty units from its lines
// make its part of one set.
type GroupDoc struct {
	Name  string    `toml:"name" json:"name,omitempty"`
	Qty   int       `toml:"qty" json:"qty"`
	Lines []LineDoc `toml:"line" json:"line"`
}

// MaxFileSize bounds a promotions document.
const MaxFileSize = 32 << 20

// Decode reads a promotions document (TOML) and compiles it for a currency
// with digits minor digits. Errors name the promotion and field at fault;
// unknown fields are errors, never silently ignored.
func Decode(r io.Reader, digits int) (*Engine, error) {
	f, err := DecodeFile(r)
	if err != nil {
		return nil, err
	}
	return Compile(f, digits)
}

// DecodeFile reads a promotions document without compiling it.
func DecodeFile(r io.Reader) (*File, error) {
	b, err := io.ReadAll(io.LimitReader(r, MaxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("reading the promotions file: %w", err)
	}
	if len(b) > MaxFileSize {
		return nil, fmt.Errorf("the promotions file is larger than %d bytes", MaxFileSize)
	}
	var f File
	md, err := toml.NewDecoder(bytes.NewReader(b)).Decode(&f)
	if err != nil {
		return nil, fmt.Errorf("reading the promotions file: %w", err)
	}
	if und := md.Undecoded(); len(und) > 0 {
		keys := make([]string, 0, len(und))
		for i, k := range und {
			if i == 5 {
				keys = append(keys, "…")
				break
			}
			keys = append(keys, k.String())
		}
		return nil, fmt.Errorf("the promotions file has unknown fields: %s", strings.Join(keys, ", "))
	}
	return &f, nil
}
