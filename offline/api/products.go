package api

// Product is a product or variant as the products feed carries it. Price
// is minor units of the store's currency, PriceUnit thousandths.
type Product struct {
	ID         string `json:"id"`
	ItemID     string `json:"item_id"`
	VariantID  string `json:"variant_id,omitempty"`
	Color      string `json:"color,omitempty"`
	Size       string `json:"size,omitempty"`
	Name       string `json:"name"`
	Category   string `json:"category"`
	Department string `json:"department,omitempty"`
	Unit       string `json:"unit"`
	Price      int64  `json:"price"`
	// PriceUnit is how many units Price is for; 0 means one unit.
	PriceUnit int64        `json:"price_unit,omitempty"`
	TaxGroup  string       `json:"tax_group"`
	Barcodes  []string     `json:"barcodes,omitempty"`
	Flags     ProductFlags `json:"flags"`
	// Image is the SHA-256 of the product's picture in lower-case hex
	// (PathImages); empty when it has none.
	Image string `json:"image,omitempty"`
}

// ProductFlags are the per-product switches the till obeys.
type ProductFlags struct {
	Weighed        bool `json:"weighed,omitempty"`
	MustKeyInPrice bool `json:"must_key_in_price,omitempty"`
	NoDiscount     bool `json:"no_discount,omitempty"`
	NotReturnable  bool `json:"not_returnable,omitempty"`
	NoOverride     bool `json:"no_override,omitempty"`
}
