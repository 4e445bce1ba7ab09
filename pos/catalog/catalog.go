// Package catalog describes what the store sells: products and variants,
// units of measure, barcodes, categories and tax groups, and the lookup
// interface the register uses to find them.
package catalog

import (
	"context"
	"crypto/sha256"
	"encoding/hex"

	"github.com/opentill/opentill/pos/money"
)

// Qty is a quantity in thousandths of the unit of measure (1 each = 1000,
// 0.250 kg = 250). Weighed goods use the fraction; counted goods use whole units.
type Qty int64

// One is a quantity of one unit.
const One Qty = 1000

// Format renders the quantity with the given decimals (0 for each, 3 for kg).
func (q Qty) Format(decimals int) string {
	if decimals <= 0 {
		return money.Amount(int64(q) / 1000).Format(0)
	}
	if decimals > 3 {
		decimals = 3
	}
	v := int64(q)
	for i := 3; i > decimals; i-- {
		v /= 10
	}
	return money.Amount(v).Format(decimals)
}

// Unit is a unit of measure.
type Unit struct {
	ID       string // "ea", "kg", "l", "m"
	Decimals int    // decimals a quantity may have: 0 for each, 3 for kg
}

// Units known to the demo store.
var (
	Each     = Unit{ID: "ea", Decimals: 0}
	Kilogram = Unit{ID: "kg", Decimals: 3}
)

// Flags are the per-product switches the till obeys.
type Flags struct {
	Weighed        bool `json:"weighed,omitempty"`           // quantity comes from the scale or the barcode
	MustKeyInPrice bool `json:"must_key_in_price,omitempty"` // cashier enters the price
	NoDiscount     bool `json:"no_discount,omitempty"`       // manual and automatic discounts do not apply
	NotReturnable  bool `json:"not_returnable,omitempty"`    // cannot be returned
	NoOverride     bool `json:"no_override,omitempty"`       // price override is never allowed on this product
}

// Discountable reports whether discounts may apply.
func (f Flags) Discountable() bool { return !f.NoDiscount }

// Returnable reports whether the product can be returned.
func (f Flags) Returnable() bool { return !f.NotReturnable }

// Product is one sellable product or variant.
type Product struct {
	ID         string       `json:"id"`                   // unique key: item ID, or item ID + variant
	ItemID     string       `json:"item_id"`              // the item this is (or is a variant of)
	VariantID  string       `json:"variant_id,omitempty"` // empty for a product without variants
	Color      string       `json:"color,omitempty"`
	Size       string       `json:"size,omitempty"`
	Name       string       `json:"name"`
	Category   string       `json:"category"`
	Department string       `json:"department,omitempty"`
	Unit       string       `json:"unit"` // unit of measure ID
	Price      money.Amount `json:"price"`
	// PriceUnit is how many units Price is for (10.00 per 50 units is 0.20
	// each); 0 means one unit.
	PriceUnit Qty      `json:"price_unit,omitempty"`
	TaxGroup  string   `json:"tax_group"`
	Barcodes  []string `json:"barcodes,omitempty"` // normalised (see barcode.Normalize)
	Flags     Flags    `json:"flags"`
	// Image is the product's picture, named by the SHA-256 of its bytes in
	// lower-case hex (see ImageKey); empty when it has none.
	Image string `json:"image,omitempty"`
}

// ImageKey names an image by its content: the lower-case hex SHA-256 of
// its bytes. A till stores and asks for pictures by that key, so a picture
// is never fetched twice and a damaged one is recognised.
func ImageKey(data []byte) string {
	h := sha256.Sum256(data)
	return hex.EncodeToString(h[:])
}

// ValidImageKey reports whether key has the form ImageKey gives.
func ValidImageKey(key string) bool {
	if len(key) != sha256.Size*2 {
		return false
	}
	for i := 0; i < len(key); i++ {
		if c := key[i]; !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

// UnitDecimals returns how many quantity decimals the product's unit allows.
func (p Product) UnitDecimals() int {
	if p.Unit == Kilogram.ID || p.Flags.Weighed {
		return 3
	}
	return 0
}

// Lookup finds products. The offline store implements it; tests fake it.
// Misses return an error of kind poserr.NotFound.
type Lookup interface {
	ByBarcode(ctx context.Context, code string) (Product, error)
	ByID(ctx context.Context, id string) (Product, error)
	Search(ctx context.Context, query string, limit int) ([]Product, error)
}
