package apimap

import (
	"slices"

	"github.com/opentill/opentill/offline/api"
	"github.com/opentill/opentill/pos/catalog"
	"github.com/opentill/opentill/pos/money"
)

// ProductOf maps a product to the products feed's form.
func ProductOf(p catalog.Product) api.Product {
	return api.Product{ID: p.ID, ItemID: p.ItemID, VariantID: p.VariantID, Color: p.Color, Size: p.Size, Name: p.Name,
		Category: p.Category, Department: p.Department, Unit: p.Unit, Price: int64(p.Price), PriceUnit: int64(p.PriceUnit),
		TaxGroup: p.TaxGroup, Barcodes: slices.Clone(p.Barcodes),
		Flags: api.ProductFlags{Weighed: p.Flags.Weighed, MustKeyInPrice: p.Flags.MustKeyInPrice, NoDiscount: p.Flags.NoDiscount,
			NotReturnable: p.Flags.NotReturnable, NoOverride: p.Flags.NoOverride},
		Image: p.Image}
}

// ProductFrom maps a product of the feed to the catalog's.
func ProductFrom(w api.Product) catalog.Product {
	return catalog.Product{ID: w.ID, ItemID: w.ItemID, VariantID: w.VariantID, Color: w.Color, Size: w.Size, Name: w.Name,
		Category: w.Category, Department: w.Department, Unit: w.Unit, Price: money.Amount(w.Price), PriceUnit: catalog.Qty(w.PriceUnit),
		TaxGroup: w.TaxGroup, Barcodes: slices.Clone(w.Barcodes),
		Flags: catalog.Flags{Weighed: w.Flags.Weighed, MustKeyInPrice: w.Flags.MustKeyInPrice, NoDiscount: w.Flags.NoDiscount,
			NotReturnable: w.Flags.NotReturnable, NoOverride: w.Flags.NoOverride},
		Image: w.Image}
}
