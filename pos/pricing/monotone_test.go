package pricing_test

import (
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/pos/cart"
	"github.com/opentill/opentill/pos/catalog"
	"github.com/opentill/opentill/pos/money"
	"github.com/opentill/opentill/pos/pricing"
)

// samePriorityPromos makes n random simple, quantity and mix-and-match
// promotions, best price or compound, all at one priority: the promotions
// the search chooses among (exclusive discounts, priorities and thresholds
// follow the anchor's fixed order, which may make a customer pay more by
// design: see the package documentation).
func samePriorityPromos(rng *rand.Rand, w world, n, from int) []pricing.PromotionDoc {
	gw := genWorld(rng, 1, 1, n, "")
	out := make([]pricing.PromotionDoc, 0, n)
	for i, p := range gw.file.Promotions {
		if p.Kind == "threshold" || p.Kind == "tender" {
			p.Kind = "discount"
			p.Tiers = nil
			p.Percent = fmt.Sprint(5 + rng.IntN(40))
			if len(p.Lines) == 0 {
				p.Lines = []pricing.LineDoc{{Category: "C00"}}
			}
		}
		p.ID = fmt.Sprintf("M%04d", from+i)
		p.Priority = nil
		p.Coupons = nil
		p.Concurrency = []string{"best-price", "compound"}[rng.IntN(2)]
		relink(rng, w, &p)
		out = append(out, p)
	}
	return out
}

// relink points a generated promotion's lines at the world's products.
func relink(rng *rand.Rand, w world, p *pricing.PromotionDoc) {
	fix := func(ls []pricing.LineDoc) {
		for i := range ls {
			if ls[i].Product != "" {
				ls[i].Product = w.products[rng.IntN(len(w.products))].id
			} else if ls[i].Category != "" {
				ls[i].Category = w.products[rng.IntN(len(w.products))].cat
			}
		}
	}
	fix(p.Lines)
	for g := range p.Groups {
		fix(p.Groups[g].Lines)
	}
}

// TestMonotone adds random promotions one by one to random carts and
// checks that the total never rises: the search only gains options, never
// loses one (both models, both compounding rules).
func TestMonotone(t *testing.T) {
	rounds := 120
	if testing.Short() {
		rounds = 30
	}
	for _, model := range []string{"", "best-price-within-priority-compound-across"} {
		t.Run("model="+model, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(11, uint64(len(model))))
			for r := 0; r < rounds; r++ {
				w := genWorld(rng, 8, 3, 0, model)
				w.file.CompoundOn = []string{"running", "original"}[rng.IntN(2)]
				items := w.cartItems(rng, 1+rng.IntN(7))
				promos := samePriorityPromos(rng, w, 2+rng.IntN(14), 0)
				last := priceCart(t, nil, items).Totals.Total
				for k := 0; k <= len(promos); k++ {
					f := *w.file
					f.Promotions = promos[:k]
					e, err := pricing.Compile(&f, 2)
					require.NoError(t, err)
					got := priceCart(t, e, items).Totals.Total
					require.LessOrEqual(t, got, last, "round %d: adding promotion %s (%s %s) raised the total", r, promos[max(k-1, 0)].ID, promos[max(k-1, 0)].Kind, promos[max(k-1, 0)].Concurrency)
					last = got
				}
			}
		})
	}
}

// overlapWorld is a 20-line cart from a 5,000-product catalog whose first
// line (P0000, 3 units) n promotions of every simple and multi-unit kind
// overlap on: each selects P0000 (in a line or in one of its groups) and
// random other products of the catalog, a few of them in the cart.
func overlapWorld(rng *rand.Rand, n int) (world, []item) {
	w := genWorld(rng, 5000, 200, 0, "")
	items := w.cartItems(rng, 20)
	items[0] = w.products[0]
	items[0].qty = 3
	hit := pricing.LineDoc{Product: "P0000"}
	var ps []pricing.PromotionDoc
	for i, p := range samePriorityPromos(rng, w, n, 0) {
		clean := func(ls []pricing.LineDoc) []pricing.LineDoc {
			out := ls[:0]
			for _, l := range ls {
				if !l.Exclude && l.Category == "" {
					out = append(out, l)
				}
			}
			return out
		}
		p.Lines = clean(p.Lines)
		for g := range p.Groups {
			p.Groups[g].Lines = clean(p.Groups[g].Lines)
		}
		if len(p.Groups) > 0 {
			g := rng.IntN(len(p.Groups))
			p.Groups[g].Lines = append(p.Groups[g].Lines, hit)
			for g := range p.Groups {
				if len(p.Groups[g].Lines) == 0 {
					p.Groups[g].Lines = []pricing.LineDoc{{Product: w.products[rng.IntN(len(w.products))].id}}
				}
			}
		} else {
			p.Lines = append(p.Lines, hit)
		}
		if rng.IntN(8) == 0 { // now and then a partner in the cart
			partner := pricing.LineDoc{Product: items[1+rng.IntN(len(items)-1)].id}
			if len(p.Groups) > 0 {
				p.Groups[len(p.Groups)-1].Lines = append(p.Groups[len(p.Groups)-1].Lines, partner)
			} else {
				p.Lines = append(p.Lines, partner)
			}
		}
		p.ID = fmt.Sprintf("O%03d", i)
		ps = append(ps, p)
	}
	w.file.Promotions = ps
	return w, items
}

// TestOverlappingPromotionsNeverDearerThanASubset: with 200 promotions
// overlapping on one line of a 20-line cart, the cart never costs more
// than with any subset of them (random subsets, the empty and the single
// ones among them).
//
// World 1405 is one whose search reaches the node budget: the depth-first
// search alone came out 14.05 dearer than the best combination there, and
// a subset of its promotions a cent cheaper than all of them.
func TestOverlappingPromotionsNeverDearerThanASubset(t *testing.T) {
	for _, seed := range []uint64{200, 1405} {
		t.Run(fmt.Sprint("world=", seed), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(seed, 20))
			w, items := overlapWorld(rng, 200)
			e, err := pricing.Compile(w.file, 2)
			require.NoError(t, err)
			all := priceCart(t, e, items).Totals.Total
			subsets := 150
			if testing.Short() {
				subsets = 40
			}
			for s := 0; s < subsets; s++ {
				var sub []pricing.PromotionDoc
				size := []int{1, 2, 5, 20, 100, 199}[s%6]
				for _, i := range rng.Perm(len(w.file.Promotions))[:size] {
					sub = append(sub, w.file.Promotions[i])
				}
				f := *w.file
				f.Promotions = sub
				es, err := pricing.Compile(&f, 2)
				require.NoError(t, err)
				got := priceCart(t, es, items).Totals.Total
				require.LessOrEqual(t, all, got, "subset %d of %d promotions is cheaper", s, size)
			}
		})
	}
}

// TestBoundsNeverPruneTheBest prices random carts with every component
// also solved by an exhaustive search (pruning on dominance only), which
// panics where the two find different best values: a bound that
// underestimated what a branch could still give would lose the best
// combination there.
func TestBoundsNeverPruneTheBest(t *testing.T) {
	pricing.CheckBounds(true)
	t.Cleanup(func() { pricing.CheckBounds(false) })
	rounds := 3000
	if testing.Short() {
		rounds = 600
	}
	for _, model := range []string{"", "best-price-within-priority-compound-across"} {
		t.Run("model="+model, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(19, uint64(len(model))))
			for r := 0; r < rounds; r++ {
				// Every other round a larger world with more promotions.
				products, promos, items := 10, 6+rng.IntN(14), 2+rng.IntN(10)
				if r%2 == 1 {
					products, promos, items = 16, 10+rng.IntN(40), 4+rng.IntN(16)
				}
				w := genWorld(rng, products, 3, promos, model)
				w.file.CompoundOn = []string{"running", "original"}[rng.IntN(2)]
				e, err := pricing.Compile(w.file, 2)
				require.NoError(t, err)
				e.SetSearchNodes(1 << 20)
				priceCart(t, e, w.cartItems(rng, items))
			}
		})
	}
}

// TestIncrementalEqualsFull edits random carts step by step (add lines,
// change quantities, void lines, coupons, overrides) and checks after every
// step that the incremental pricing equals a full one, line by line.
func TestIncrementalEqualsFull(t *testing.T) {
	pricing.CheckCarry(true) // and that carried pools are the ones made again
	t.Cleanup(func() { pricing.CheckCarry(false) })
	rounds := 20
	if testing.Short() {
		rounds = 6
	}
	for _, model := range []string{"", "best-price-within-priority-compound-across"} {
		rng := rand.New(rand.NewPCG(5, uint64(len(model))))
		for r := 0; r < rounds; r++ {
			w := genWorld(rng, 30, 4, 20+rng.IntN(40), model)
			e, err := pricing.Compile(w.file, 2)
			require.NoError(t, err)
			c := newCart(nil)
			for step := 0; step < 40; step++ {
				switch k := rng.IntN(12); {
				case k < 5 || len(c.Lines) == 0:
					l := newCart(w.cartItems(rng, 1)).Lines[0]
					l.No = c.NextLineNo()
					c.Lines = append(c.Lines, l)
				case k == 10: // weighed
					it := w.cartItems(rng, 1)[0]
					it.qty = -(250 + rng.IntN(2000))
					l := newCart([]item{it}).Lines[0]
					l.No = c.NextLineNo()
					c.Lines = append(c.Lines, l)
				case k == 11: // a product already on the cart at another price
					l := c.Lines[rng.IntN(len(c.Lines))]
					l.No, l.UnitPrice, l.Voided, l.Overridden = c.NextLineNo(), l.UnitPrice+1, false, false
					l.Promotions = nil
					c.Lines = append(c.Lines, l)
				case k < 7:
					c.Lines[rng.IntN(len(c.Lines))].Qty = catalog.Qty(1+rng.IntN(5)) * catalog.One
				case k < 8:
					c.Lines[rng.IntN(len(c.Lines))].Voided = true
				case k < 9:
					c.Coupons = []string{"CPN0", "CPN1", "CPN2"}[:rng.IntN(4)]
				default:
					l := &c.Lines[rng.IntN(len(c.Lines))]
					l.Overridden, l.UnitPrice = true, l.UnitPrice/2
				}
				requireIncrementalEqualsFull(t, e, c, r, step)
			}
		}
	}
}

// TestCopiesOfACartPriceAlone copies a priced cart (the copies share its
// pricing cache and carried pools) and edits and prices the copies in
// turn, one by one and then side by side in two goroutines: each must
// price as a full pricing of its own lines does.
func TestCopiesOfACartPriceAlone(t *testing.T) {
	pricing.CheckCarry(true)
	t.Cleanup(func() { pricing.CheckCarry(false) })
	rng := rand.New(rand.NewPCG(31, 7))
	w := genWorld(rng, 30, 4, 40, "")
	e, err := pricing.Compile(w.file, 2)
	require.NoError(t, err)
	base := newCart(w.cartItems(rng, 12))
	require.NoError(t, base.Reprice(testPricing(e, base.Started)))
	copyOf := func(c *cart.Cart) *cart.Cart {
		d := *c
		d.Lines = append([]cart.Line(nil), c.Lines...)
		return &d
	}
	edit := func(rng *rand.Rand, c *cart.Cart) {
		switch rng.IntN(7) {
		case 0:
			c.Lines[rng.IntN(len(c.Lines))].Qty = catalog.Qty(1+rng.IntN(4)) * catalog.One
			return
		case 1: // weighed: the carried pools give up halfway
			it := w.cartItems(rng, 1)[0]
			it.qty = -(250 + rng.IntN(2000))
			l := newCart([]item{it}).Lines[0]
			l.No = c.NextLineNo()
			c.Lines = append(c.Lines, l)
			return
		case 3: // voided: it leaves the active lines
			c.Lines[rng.IntN(len(c.Lines))].Voided = true
			return
		case 2: // a product already on the cart at another price
			l := c.Lines[rng.IntN(len(c.Lines))]
			l.No, l.UnitPrice, l.Voided, l.Overridden, l.Promotions = c.NextLineNo(), l.UnitPrice+1, false, false, nil
			c.Lines = append(c.Lines, l)
			return
		}
		l := newCart(w.cartItems(rng, 1)).Lines[0]
		l.No = c.NextLineNo()
		c.Lines = append(c.Lines, l)
	}
	check := func(c *cart.Cart) error {
		if err := c.Reprice(testPricing(e, c.Started)); err != nil {
			return err
		}
		fresh := copyOf(c)
		full := testPricing(e, c.Started)
		full.Full = true
		if err := fresh.Reprice(full); err != nil {
			return err
		}
		if fresh.Totals != c.Totals {
			return fmt.Errorf("total %v, a full pricing %v", c.Totals.Total, fresh.Totals.Total)
		}
		return nil
	}
	carts := []*cart.Cart{copyOf(base), copyOf(base), copyOf(base)}
	for step := 0; step < 200; step++ {
		c := carts[rng.IntN(len(carts))]
		for range 1 + rng.IntN(3) { // several edits: the carried pools may give up after changing some
			edit(rng, c)
		}
		require.NoError(t, check(c), "step %d", step)
	}
	a, b := copyOf(carts[0]), copyOf(carts[0])
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for g, c := range []*cart.Cart{a, b} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(g), 9))
			for step := 0; step < 40 && errs[g] == nil; step++ {
				edit(rng, c)
				errs[g] = check(c)
			}
		}()
	}
	wg.Wait()
	require.NoError(t, errs[0])
	require.NoError(t, errs[1])
}

// requireIncrementalEqualsFull prices c incrementally and a copy of it in
// full, and requires the same totals and promotions line by line.
func requireIncrementalEqualsFull(t *testing.T, e *pricing.Engine, c *cart.Cart, round, step int) {
	t.Helper()
	require.NoError(t, c.Reprice(testPricing(e, c.Started)))
	fresh := *c
	fresh.Lines = append([]cart.Line(nil), c.Lines...)
	full := testPricing(e, c.Started)
	full.Full = true
	require.NoError(t, fresh.Reprice(full))
	require.Equal(t, fresh.Totals, c.Totals, "round %d step %d", round, step)
	for i := range c.Lines {
		require.Equal(t, fresh.Lines[i].Promotions, c.Lines[i].Promotions, "round %d step %d line %d", round, step, i+1)
	}
}

// TestIncrementalWithEqualPrices prices carts step by step, as the till
// does, where every product has one of two prices, so that different
// products' pools, slots and components often have the same units and
// amounts: what a pricing keeps for the next one must tell them apart, so
// each step must equal a full pricing.
func TestIncrementalWithEqualPrices(t *testing.T) {
	pricing.CheckCarry(true)
	t.Cleanup(func() { pricing.CheckCarry(false) })
	rounds := 40
	if testing.Short() {
		rounds = 10
	}
	for _, model := range []string{"", "best-price-within-priority-compound-across"} {
		rng := rand.New(rand.NewPCG(41, uint64(len(model))))
		for r := 0; r < rounds; r++ {
			w := genWorld(rng, 12, 2, 20+rng.IntN(30), model)
			w.file.CompoundOn = []string{"running", "original"}[rng.IntN(2)]
			for i := range w.products {
				w.products[i].price = []money.Amount{500, 1200}[i%2]
			}
			e, err := pricing.Compile(w.file, 2)
			require.NoError(t, err)
			c := newCart(nil)
			for step := 0; step < 30; step++ {
				if rng.IntN(4) == 0 && len(c.Lines) > 0 {
					c.Lines[rng.IntN(len(c.Lines))].Qty = catalog.Qty(1+rng.IntN(5)) * catalog.One
				} else {
					l := newCart(w.cartItems(rng, 1)).Lines[0]
					l.No = c.NextLineNo()
					c.Lines = append(c.Lines, l)
				}
				requireIncrementalEqualsFull(t, e, c, r, step)
			}
		}
	}
}

// TestIncrementalReusesComponents: adding a line of an unrelated product
// re-solves nothing that was solved before.
func TestIncrementalReusesComponents(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 9))
	w := genWorld(rng, 5000, 200, 1000, "")
	e, err := pricing.Compile(w.file, 2)
	require.NoError(t, err)
	c := newCart(w.cartItems(rng, 300))
	require.NoError(t, c.Reprice(testPricing(nil, c.Started))) // gross amounts
	_, first := e.DiscountsStats(c, c.Active(), c.Started)
	require.Positive(t, first.Solved)
	_, again := e.DiscountsStats(c, c.Active(), c.Started)
	require.Zero(t, again.Solved, "nothing changed: nothing is searched again")
	require.Equal(t, first.Solved, again.Reused)
	require.False(t, first.Carried)
	require.True(t, again.Carried, "and the pools are carried over")
	l := newCart(w.cartItems(rng, 1)).Lines[0]
	l.No = c.NextLineNo()
	c.Lines = append(c.Lines, l)
	require.NoError(t, c.Reprice(testPricing(nil, c.Started)))
	_, added := e.DiscountsStats(c, c.Active(), c.Started)
	require.True(t, added.Carried, "a line added: the pools it leaves alone are carried over")
}

// TestASimpleDiscountDoesNotReorderTheSearch is the case TestMonotone found
// with another seed: a mix-and-match that takes one of five units leaves a
// quantity discount four, whose 21 % tier beats the 0.52 off of five. A
// simple discount on the mix-and-match's other items made it worth less
// net of what they lose, so it was searched after the quantity discount,
// which then took all five units: 37.13 dearer for one more promotion.
func TestASimpleDiscountDoesNotReorderTheSearch(t *testing.T) {
	head := `compound_on = "original"
[[promotion]]
id = "MM"
name = "set"
kind = "mix-match"
amount = "3.48"
group = [{qty = 1, line = [{category = "C00"}, {product = "P0005"}]}, {qty = 2, line = [{category = "C01"}]}]
[[promotion]]
id = "Q"
name = "tiers"
kind = "quantity"
concurrency = "compound"
line = [{category = "C01"}, {product = "P0001"}]
tier = [{min_qty = "2", percent = "21"}, {min_qty = "5", amount = "0.52"}]
`
	simple := `[[promotion]]
id = "S"
name = "1.20 off"
kind = "discount"
amount = "1.20"
line = [{category = "C01"}]
`
	items := []item{{"P0005", "C01", 237, 1}, {"P0001", "C00", 4601, 5}, {"P0000", "C01", 1332, 1}}
	without := priceCart(t, mustEngine(t, head), items).Totals.Total
	with := priceCart(t, mustEngine(t, head+simple), items).Totals.Total
	require.Equal(t, money.Amount(20361), without)
	require.LessOrEqual(t, with, without)
}

// TestCompoundingDoesNotDependOnTheDocumentOrder: two compound percents
// round on what the other left; the cents are the same whichever is
// written first.
func TestCompoundingDoesNotDependOnTheDocumentOrder(t *testing.T) {
	a := `[[promotion]]
id = "A7"
name = "7 %"
kind = "discount"
concurrency = "compound"
percent = "7"
line = [{product = "P"}]
`
	b := `[[promotion]]
id = "B17"
name = "17 %"
kind = "discount"
concurrency = "compound"
percent = "17"
line = [{product = "P"}]
`
	items := []item{{"P", "c", 1216, 1}}
	ab := priceCart(t, mustEngine(t, a+b), items)
	ba := priceCart(t, mustEngine(t, b+a), items)
	require.Equal(t, promos(ab), promos(ba))
	require.Equal(t, ab.Totals.Total, ba.Totals.Total)
}
