package demo

import (
	_ "embed"
)

//go:embed promotions.toml
var promotionsTOML []byte

// Promotions returns the demo store's price and promotions document (TOML,
// see docs/promotions.md): trade agreements with a quantity break and a club
// price group, and one promotion of each kind — a category discount with an
// excluded product, beer quantity tiers, a mix-and-match deal, a T-shirt
// least-expensive offer, compounded champagne discounts, an exclusive club
// discount and two coupons (TEDDY10, WELCOME5). Seed stores it.
func Promotions() []byte { return append([]byte(nil), promotionsTOML...) }
