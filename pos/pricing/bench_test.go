package pricing_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/opentill/opentill/pos/cart"
	"github.com/opentill/opentill/pos/catalog"
	"github.com/opentill/opentill/pos/pricing"
)

// Every benchmark here times the same cart priced with the promotions and,
// in the same loop, with none (the baseline: price lists, tax and totals
// only), and reports p50/p99 of both in milliseconds.

type timings struct{ with, base []time.Duration }

func (tm *timings) report(b *testing.B) {
	q := func(d []time.Duration, p float64) float64 {
		if len(d) == 0 {
			return 0
		}
		s := slices.Clone(d)
		slices.Sort(s)
		return float64(s[int(float64(len(s)-1)*p)].Microseconds()) / 1000
	}
	b.ReportMetric(q(tm.with, 0.50), "p50-ms")
	b.ReportMetric(q(tm.with, 0.99), "p99-ms")
	b.ReportMetric(q(tm.base, 0.50), "baseline-p50-ms")
	b.ReportMetric(q(tm.base, 0.99), "baseline-p99-ms")
}

// timed runs f and returns how long it took.
func timed(b *testing.B, f func() error) time.Duration {
	t0 := time.Now()
	if err := f(); err != nil {
		b.Fatal(err)
	}
	return time.Since(t0)
}

func benchWorld(b *testing.B) (world, *pricing.Engine) {
	rng := rand.New(rand.NewPCG(2026, 11))
	w := genWorld(rng, 5000, 200, 1000, "")
	e, err := pricing.Compile(w.file, 2)
	if err != nil {
		b.Fatal(err)
	}
	return w, e
}

// BenchmarkReprice prices carts of 50 and 200 lines from scratch
// (Pricing.Full) against 1,000 active promotions of every kind (simple,
// quantity, mix-and-match, threshold, coupons; exclusive, best price and
// compound over three priorities) on a 5,000-product catalog. Target: 50
// lines p99 ≤ 1 ms.
func BenchmarkReprice(b *testing.B) {
	for _, n := range []int{50, 200} {
		b.Run(fmt.Sprintf("lines=%d/promotions=1000", n), func(b *testing.B) {
			rng := rand.New(rand.NewPCG(2026, 12))
			w, e := benchWorld(b)
			const nCarts = 16
			carts := make([]*cart.Cart, nCarts)
			for i := range carts {
				carts[i] = newCart(w.cartItems(rng, n))
				carts[i].Coupons = []string{"CPN0", "CPN1", "CPN2", "CPN3", "CPN4"}
			}
			at := carts[0].Started
			withPromos, baseline := testPricing(e, at), testPricing(nil, at)
			withPromos.Full = true
			var tm timings
			applied := 0
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				c := carts[i%nCarts]
				tm.base = append(tm.base, timed(b, func() error { return c.Reprice(baseline) }))
				tm.with = append(tm.with, timed(b, func() error { return c.Reprice(withPromos) }))
				for _, l := range c.Lines {
					applied += len(l.Promotions)
				}
			}
			b.StopTimer()
			tm.report(b)
			b.ReportMetric(float64(applied)/float64(b.N), "applied/op")
		})
	}
}

// BenchmarkAddLine adds one line to a 1,000-line cart and reprices it, as
// the till does after every scan (the line is taken off again, untimed,
// before the next). Target: p99 ≤ 2 ms.
func BenchmarkAddLine(b *testing.B) {
	rng := rand.New(rand.NewPCG(2026, 13))
	w, e := benchWorld(b)
	withC, baseC := newCart(w.cartItems(rng, 1000)), newCart(nil)
	baseC.Lines = append([]cart.Line(nil), withC.Lines...)
	at := withC.Started
	withPromos, baseline := testPricing(e, at), testPricing(nil, at)
	if err := withC.Reprice(withPromos); err != nil {
		b.Fatal(err)
	}
	var tm timings
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		l := newCart(w.cartItems(rng, 1)).Lines[0]
		for _, c := range []*cart.Cart{withC, baseC} {
			l.No = c.NextLineNo()
			c.Lines = append(c.Lines, l)
		}
		tm.base = append(tm.base, timed(b, func() error { return baseC.Reprice(baseline) }))
		tm.with = append(tm.with, timed(b, func() error { return withC.Reprice(withPromos) }))
		b.StopTimer()
		for _, c := range []*cart.Cart{withC, baseC} {
			c.Lines = c.Lines[:len(c.Lines)-1]
		}
		if err := withC.Reprice(withPromos); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
	}
	b.StopTimer()
	tm.report(b)
}

// BenchmarkFromScratch prices a 10,000-line cart with no pricing kept
// (Pricing.Full). Target: ≤ 3 s.
func BenchmarkFromScratch(b *testing.B) {
	rng := rand.New(rand.NewPCG(2026, 14))
	w, e := benchWorld(b)
	c := newCart(w.cartItems(rng, 10000))
	at := c.Started
	withPromos, baseline := testPricing(e, at), testPricing(nil, at)
	withPromos.Full = true
	var tm timings
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		tm.base = append(tm.base, timed(b, func() error { return c.Reprice(baseline) }))
		tm.with = append(tm.with, timed(b, func() error { return c.Reprice(withPromos) }))
	}
	b.StopTimer()
	tm.report(b)
}

// BenchmarkOverlap prices a 20-line cart whose first line 200 promotions
// overlap on (overlapWorld) from scratch. Target: p99 ≤ 5 ms (and never
// dearer than any subset: TestOverlappingPromotionsNeverDearerThanASubset).
func BenchmarkOverlap(b *testing.B) {
	rng := rand.New(rand.NewPCG(200, 20))
	w, items := overlapWorld(rng, 200)
	e, err := pricing.Compile(w.file, 2)
	if err != nil {
		b.Fatal(err)
	}
	c := newCart(items)
	withPromos, baseline := testPricing(e, c.Started), testPricing(nil, c.Started)
	withPromos.Full = true
	var tm timings
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		tm.base = append(tm.base, timed(b, func() error { return c.Reprice(baseline) }))
		tm.with = append(tm.with, timed(b, func() error { return c.Reprice(withPromos) }))
	}
	b.StopTimer()
	tm.report(b)
}

// BenchmarkEditLine changes the quantity of one line of a 50-line cart and
// reprices it, keeping what the last pricing solved (what the till does
// after set-quantity or a scan of an item already on the cart).
func BenchmarkEditLine(b *testing.B) {
	rng := rand.New(rand.NewPCG(2026, 15))
	w, e := benchWorld(b)
	withC := newCart(w.cartItems(rng, 50))
	withC.Coupons = []string{"CPN0", "CPN1", "CPN2", "CPN3", "CPN4"}
	baseC := newCart(nil)
	baseC.Lines = append([]cart.Line(nil), withC.Lines...)
	withPromos, baseline := testPricing(e, withC.Started), testPricing(nil, withC.Started)
	if err := withC.Reprice(withPromos); err != nil {
		b.Fatal(err)
	}
	var tm timings
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		k, q := rng.IntN(50), catalog.Qty(1+rng.IntN(4))*catalog.One
		withC.Lines[k].Qty, baseC.Lines[k].Qty = q, q
		tm.base = append(tm.base, timed(b, func() error { return baseC.Reprice(baseline) }))
		tm.with = append(tm.with, timed(b, func() error { return withC.Reprice(withPromos) }))
	}
	b.StopTimer()
	tm.report(b)
}
