// Package recommend suggests products from what customers bought together:
// "frequently bought together" for a product, "customers who bought this
// also bought" for a cart, and a personal variant that ranks by the
// customer's own history. The store server counts co-purchases over every
// store's transactions (Count) and sends each product's list to the tills
// as a feed; a till ranks for the cart offline (ForCart).
package recommend

import (
	"hash/fnv"
	"math"
	"slices"
	"strings"
)

// Scored is a product with a score (a co-purchase count, or a weight).
type Scored struct {
	ProductID string  `json:"product_id"`
	Score     float64 `json:"score"`
}

// Model is what the server sends: for each product the products bought
// with it most often (with lift-weighted counts), and the best sellers.
type Model struct {
	Together    map[string][]Scored
	BestSellers []Scored
}

// MaxBasket bounds the distinct products of a basket that are paired (a
// wholesale basket of hundreds says little about what goes together).
const MaxBasket = 40

// Count builds the model from baskets (each a transaction's product IDs):
// for each product its top products by co-purchase count, damped by how
// common the other product is (count / √(baskets with it)), so that milk,
// in every other basket, does not top every list.
func Count(baskets [][]string, top int) Model {
	freq := map[string]int{}
	pairs := map[[2]string]int{}
	for _, b := range baskets {
		items := distinct(b)
		if len(items) > MaxBasket {
			items = items[:MaxBasket]
		}
		for i, a := range items {
			freq[a]++
			for _, c := range items[i+1:] {
				k := [2]string{a, c}
				if c < a {
					k = [2]string{c, a}
				}
				pairs[k]++
			}
		}
	}
	lists := map[string][]Scored{}
	for k, n := range pairs {
		if n < 2 {
			continue // one basket is chance
		}
		a, c := k[0], k[1]
		lists[a] = append(lists[a], Scored{c, float64(n) / math.Sqrt(float64(freq[c]))})
		lists[c] = append(lists[c], Scored{a, float64(n) / math.Sqrt(float64(freq[a]))})
	}
	m := Model{Together: make(map[string][]Scored, len(lists))}
	for p, l := range lists {
		m.Together[p] = best(l, top)
	}
	var all []Scored
	for p, n := range freq {
		all = append(all, Scored{p, float64(n)})
	}
	m.BestSellers = best(all, top*5)
	return m
}

// ForCart ranks products for a cart: the sum of each cart product's list,
// products already in the cart left out, the best sellers filling up to n.
// personal, if not nil, ranks by the customer's history: a product's
// score is multiplied by 1 + personal[product] (PersonalWeights).
func (m Model) ForCart(cart []string, personal map[string]float64, n int) []Scored {
	in := map[string]bool{}
	for _, p := range cart {
		in[p] = true
	}
	score := map[string]float64{}
	for _, p := range distinct(cart) {
		for _, s := range m.Together[p] {
			if !in[s.ProductID] {
				score[s.ProductID] += s.Score
			}
		}
	}
	out := make([]Scored, 0, len(score))
	for p, s := range score {
		out = append(out, Scored{p, s * (1 + personal[p])})
	}
	out = best(out, n)
	if len(out) < n {
		seen := map[string]bool{}
		for _, s := range out {
			seen[s.ProductID] = true
		}
		for _, s := range m.BestSellers {
			if len(out) == n {
				break
			}
			if !in[s.ProductID] && !seen[s.ProductID] {
				out = append(out, Scored{s.ProductID, 0})
			}
		}
	}
	return out
}

// best sorts by score (then ID, for a stable order) and keeps n.
func best(l []Scored, n int) []Scored {
	slices.SortFunc(l, func(a, b Scored) int {
		if a.Score != b.Score {
			if a.Score > b.Score {
				return -1
			}
			return 1
		}
		return strings.Compare(a.ProductID, b.ProductID)
	})
	if len(l) > n {
		l = l[:n]
	}
	return l
}

func distinct(b []string) []string {
	seen := make(map[string]bool, len(b))
	out := make([]string, 0, len(b))
	for _, p := range b {
		if p != "" && !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	return out
}

// HitRate measures a recommender on held-out baskets: from each basket of
// two or more products one is hidden, the rest is the cart, and a hit is
// the hidden product among the top n recommended. It returns hits per
// basket tried.
func HitRate(test [][]string, n int, rec func(cart []string, n int) []Scored) float64 {
	tried, hits := 0, 0
	for _, b := range test {
		items := distinct(b)
		if len(items) < 2 {
			continue
		}
		cart, hidden := Hide(items)
		tried++
		for _, s := range rec(cart, n) {
			if s.ProductID == hidden {
				hits++
				break
			}
		}
	}
	if tried == 0 {
		return 0
	}
	return float64(hits) / float64(tried)
}

// Hide takes one product out of a basket, the same one every time (picked
// by a hash of the basket), and returns the rest and the product.
func Hide(basket []string) (cart []string, hidden string) {
	h := fnv.New32a()
	for _, p := range basket {
		h.Write([]byte(p))
	}
	i := int(h.Sum32() % uint32(len(basket)))
	cart = append(slices.Clone(basket[:i]), basket[i+1:]...)
	return cart, basket[i]
}

// PersonalWeights turns what a customer bought (product → times) into
// the weights ForCart ranks by: w per purchase, at most limit.
func PersonalWeights(bought map[string]int, w, limit float64) map[string]float64 {
	out := make(map[string]float64, len(bought))
	for p, n := range bought {
		out[p] = min(float64(n)*w, limit)
	}
	return out
}
