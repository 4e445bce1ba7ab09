package demo

import (
	"math/rand/v2"
	"time"
)

// Basket is one demo transaction's products, for the recommendation model
// and its hit-rate measurement.
type Basket struct {
	Customer int // index into Customers' order; -1 for none
	At       time.Time
	Products []string
}

// missions are what shoppers come for: products bought together, most
// likely first.
var missions = [][]string{
	{"10000", "10006", "10001", "10007", "10005", "10019", "10017", "10004"}, // breakfast
	{"10021", "10020", "10011", "10003", "10012", "10018"},                   // a party
	{"10013", "10010", "10022", "10003", "10002", "10006"},                   // dinner
	{"10014", "10015", "10016", "10020"},                                     // sweets
	{"10024", "10025", "10026"},                                              // household
	{"10027", "10014", "10026", "10029"},                                     // a present
	{"10008", "10031", "10007", "10018"},                                     // on the way to work
	{"10023", "10012", "10029", "10015"},                                     // a celebration
	{"10009", "10004", "10019", "10000"},                                     // healthy
	{"10028-BLK-M", "10028-WHT-M", "10028-BLK-L", "10026"},                   // clothing
}

// Baskets returns n demo baskets, the same for the same n and seed: each
// shopper comes on one or two missions and takes a few of their products
// (the first ones more often), with a product or two from elsewhere in the
// store; regular customers (of the first customers count) favour missions
// of their own.
func Baskets(n, customers int, seed int64) []Basket {
	rng := rand.New(rand.NewPCG(uint64(seed), 0xba5c_e7))
	var noise []string
	for _, p := range Featured {
		noise = append(noise, p.ID)
	}
	next := Products(2000, seed)
	for p, ok := next(); ok; p, ok = next() {
		noise = append(noise, p.ID)
	}
	start := time.Date(2026, 1, 1, 8, 0, 0, 0, time.UTC)
	out := make([]Basket, n)
	for i := range out {
		b := Basket{Customer: -1, At: start.Add(time.Duration(rng.Int64N(int64(330 * 24 * time.Hour))))}
		var favourite int
		if customers > 0 && rng.IntN(3) > 0 {
			b.Customer = rng.IntN(customers)
			favourite = b.Customer % len(missions)
		}
		seen := map[string]bool{}
		add := func(p string) {
			if !seen[p] {
				seen[p] = true
				b.Products = append(b.Products, p)
			}
		}
		for m := range 1 + rng.IntN(2) {
			mission := missions[rng.IntN(len(missions))]
			if b.Customer >= 0 && m == 0 && rng.IntN(2) == 0 {
				mission = missions[favourite]
			}
			take := 2 + rng.IntN(3)
			for j, p := range mission {
				if take == 0 {
					break
				}
				// The first products of a mission are the likely ones.
				if rng.Float64() < 0.85-0.08*float64(j) {
					add(p)
					take--
				}
			}
		}
		for range rng.IntN(3) {
			add(noise[rng.IntN(len(noise))])
		}
		out[i] = b
	}
	return out
}
