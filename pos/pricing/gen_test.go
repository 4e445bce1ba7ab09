package pricing_test

import (
	"fmt"
	"math/rand/v2"

	"github.com/opentill/opentill/pos/money"
	"github.com/opentill/opentill/pos/pricing"
)

// world is a generated catalog and promotions document.
type world struct {
	products []item // qty unused
	file     *pricing.File
}

// genWorld makes nProducts products over nCats categories and nPromos
// promotions of every kind, concurrency and a few priorities, all active.
func genWorld(rng *rand.Rand, nProducts, nCats, nPromos int, model string) world {
	w := world{file: &pricing.File{ConcurrencyModel: model, CountNonDiscountable: rng.IntN(2) == 0,
		DistributeLeastExpensive:   rng.IntN(2) == 0,
		ExclusiveThresholdCompetes: nPromos%2 == 1}} // not drawn: the benchmarks' worlds stay the same
	for i := 0; i < nProducts; i++ {
		w.products = append(w.products, item{id: fmt.Sprintf("P%04d", i), cat: fmt.Sprintf("C%02d", rng.IntN(nCats)),
			price: money.Amount(50 + rng.IntN(5000))})
	}
	pct := func() string { return fmt.Sprintf("%d", 5+rng.IntN(50)) }
	amt := func(max int) string { return money.Amount(1 + rng.IntN(max)).String() }
	sel := func() pricing.LineDoc {
		if rng.IntN(3) == 0 {
			return pricing.LineDoc{Category: fmt.Sprintf("C%02d", rng.IntN(nCats))}
		}
		return pricing.LineDoc{Product: w.products[rng.IntN(nProducts)].id}
	}
	lines := func() []pricing.LineDoc {
		n := 1 + rng.IntN(4)
		var ls []pricing.LineDoc
		for i := 0; i < n; i++ {
			ls = append(ls, sel())
		}
		if rng.IntN(4) == 0 {
			ls = append(ls, pricing.LineDoc{Product: w.products[rng.IntN(nProducts)].id, Exclude: true})
		}
		return ls
	}
	concs := []string{"best-price", "exclusive", "compound"}
	for i := 0; i < nPromos; i++ {
		p := pricing.PromotionDoc{ID: fmt.Sprintf("X%04d", i), Name: fmt.Sprintf("Promo %d", i), Concurrency: concs[rng.IntN(3)]}
		prio := rng.IntN(3)
		p.Priority = &prio
		switch k := rng.IntN(10); {
		case k < 4:
			p.Kind = "discount"
			switch rng.IntN(3) {
			case 0:
				p.Percent = pct()
			case 1:
				p.Amount = amt(300)
			default:
				p.DealPrice = amt(3000)
			}
			p.Lines = lines()
		case k < 6:
			p.Kind = "quantity"
			p.Mixed = rng.IntN(2) == 0
			p.Lines = lines()
			p.Tiers = []pricing.TierDoc{{MinQty: "2", Percent: pct()}, {MinQty: fmt.Sprint(3 + rng.IntN(3)), Percent: pct()}}
			if rng.IntN(3) == 0 {
				p.Tiers[1] = pricing.TierDoc{MinQty: "5", Amount: amt(100)}
			}
		case k < 8:
			p.Kind = "mix-match"
			ng := 1 + rng.IntN(2)
			for g := 0; g < ng; g++ {
				p.Groups = append(p.Groups, pricing.GroupDoc{Qty: 1 + rng.IntN(2), Lines: lines()})
			}
			switch rng.IntN(4) {
			case 0:
				p.DealPrice = amt(4000)
			case 1:
				p.Percent = pct()
			case 2:
				p.Amount = amt(500)
			default:
				p.LeastExpensive = 1
				if ng == 1 {
					p.Groups[0].Qty = 2
					p.FavorRetailer = i%3 == 0 // decided without the generator, which the benchmarks' worlds share
				}
			}
		default:
			p.Kind = "threshold"
			if rng.IntN(2) == 0 {
				p.Lines = lines()
			}
			p.Tiers = []pricing.TierDoc{{MinAmount: amt(3000), Amount: amt(500)}, {MinAmount: "60.00", Percent: pct()}}
		}
		if rng.IntN(10) == 0 {
			p.Coupons = []string{fmt.Sprintf("CPN%d", rng.IntN(5))}
		}
		w.file.Promotions = append(w.file.Promotions, p)
	}
	return w
}

// cartItems picks n lines of random products with 1–4 units.
func (w world) cartItems(rng *rand.Rand, n int) []item {
	out := make([]item, n)
	for i := range out {
		p := w.products[rng.IntN(len(w.products))]
		p.qty = 1 + rng.IntN(4)
		out[i] = p
	}
	return out
}
