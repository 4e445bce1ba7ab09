package demo_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/offline/demo"
	"github.com/opentill/opentill/pos/recommend"
)

// split returns the products of baskets before and from index cut.
func split(bs []demo.Basket, cut int) (train, test [][]string) {
	for i, b := range bs {
		if i < cut {
			train = append(train, b.Products)
		} else {
			test = append(test, b.Products)
		}
	}
	return train, test
}

// TestRecommendationHitRate: on a held-out fifth of the demo's baskets,
// "bought together" finds the hidden product in its top 5 far more often
// than the best sellers do, and the personal variant more often still.
func TestRecommendationHitRate(t *testing.T) {
	bs := demo.Baskets(20000, demo.DemoCustomers, demo.DefaultSeed)
	train, test := split(bs, 16000)
	m := recommend.Count(train, 20)
	together := recommend.HitRate(test, 5, func(cart []string, n int) []recommend.Scored { return m.ForCart(cart, nil, n) })
	best := recommend.HitRate(test, 5, func(cart []string, n int) []recommend.Scored {
		return recommend.Model{BestSellers: m.BestSellers}.ForCart(cart, nil, n)
	})
	// Personal: the customer's own earlier purchases weigh in.
	const weight = 0.1
	bought := map[int]map[string]int{}
	for _, b := range bs[:16000] {
		if b.Customer < 0 {
			continue
		}
		if bought[b.Customer] == nil {
			bought[b.Customer] = map[string]int{}
		}
		for _, p := range b.Products {
			bought[b.Customer][p]++
		}
	}
	tried, hits := 0, 0
	for _, b := range bs[16000:] {
		if len(b.Products) < 2 || b.Customer < 0 {
			continue
		}
		tried++
		cart, hidden := recommend.Hide(b.Products)
		for _, s := range m.ForCart(cart, recommend.PersonalWeights(bought[b.Customer], weight, 1), 5) {
			if s.ProductID == hidden {
				hits++
				break
			}
		}
	}
	personal := float64(hits) / float64(tried)
	var knownTried, knownHits int
	for _, b := range bs[16000:] {
		if len(b.Products) < 2 || b.Customer < 0 {
			continue
		}
		knownTried++
		cart, hidden := recommend.Hide(b.Products)
		for _, s := range m.ForCart(cart, nil, 5) {
			if s.ProductID == hidden {
				knownHits++
				break
			}
		}
	}
	anonymous := float64(knownHits) / float64(knownTried)
	t.Logf("hit rate at 5 on %d held-out baskets: bought together %.1f %%, best sellers %.1f %%; customers' baskets: personal %.1f %% vs not personal %.1f %%",
		len(test), 100*together, 100*best, 100*personal, 100*anonymous)
	require.Greater(t, together, 0.2, "the model finds something")
	assert.Greater(t, together, 2*best, "far better than best sellers")
	assert.InDelta(t, anonymous, personal, 0.02, "with a cart that says what the shopper came for, the history changes little")

}

func BenchmarkRecommendForCart(b *testing.B) {
	bs := demo.Baskets(20000, demo.DemoCustomers, demo.DefaultSeed)
	train, _ := split(bs, 20000)
	m := recommend.Count(train, 20)
	var cart []string
	for _, p := range demo.Featured[:20] {
		cart = append(cart, p.ID)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		if len(m.ForCart(cart, nil, 5)) == 0 {
			b.Fatal("nothing recommended")
		}
	}
}
