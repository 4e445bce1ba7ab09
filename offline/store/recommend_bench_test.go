package store_test

import (
	"database/sql"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/opentill/opentill/offline/api"
	"github.com/opentill/opentill/offline/demo"
	"github.com/opentill/opentill/offline/store"
	"github.com/opentill/opentill/pos/recommend"
)

// recommendStore is a store holding the lists counted over 20,000 demo
// baskets, as the feed brings them, and a 20-line cart of products.
func recommendStore(b *testing.B) (*store.Store, string, []string) {
	b.Helper()
	s, dir := openStore(b)
	bs := demo.Baskets(20000, demo.DemoCustomers, demo.DefaultSeed)
	baskets := make([][]string, len(bs))
	for i, x := range bs {
		baskets[i] = x.Products
	}
	m := recommend.Count(baskets, 10)
	var changes []api.Change
	add := func(key string, l []recommend.Scored) {
		r := &api.Recommendation{ProductID: key}
		for _, sc := range l {
			r.Together = append(r.Together, api.ScoredEntry{ProductID: sc.ProductID, Score: sc.Score})
		}
		changes = append(changes, api.Change{Seq: int64(len(changes) + 1), Key: key, Recommend: r})
	}
	add(api.BestSellersKey, m.BestSellers)
	for p, l := range m.Together {
		add(p, l)
	}
	if err := s.ApplyPage(ctx, api.DatasetRecommendations, changes, int64(len(changes))); err != nil {
		b.Fatal(err)
	}
	var cart []string
	for _, p := range demo.Featured[:20] {
		cart = append(cart, p.ID)
	}
	return s, dir, cart
}

// BenchmarkRecommendCart20: the lists of a 20-line cart read and ranked,
// beside BenchmarkBareRecommendRows, the bare SELECT of the same rows.
func BenchmarkRecommendCart20(b *testing.B) {
	s, _, cart := recommendStore(b)
	ds := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for range b.N {
		t := time.Now()
		m, err := s.Recommendations(ctx, cart)
		if err != nil {
			b.Fatal(err)
		}
		if len(m.ForCart(cart, nil, 5)) == 0 {
			b.Fatal("nothing recommended")
		}
		ds = append(ds, time.Since(t))
	}
	reportPercentiles(b, ds)
}

func BenchmarkBareRecommendRows(b *testing.B) {
	_, dir, cart := recommendStore(b)
	db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, store.FileName)+"?_pragma=query_only(1)")
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	q := `SELECT product_id, together FROM recommendations WHERE product_id IN (?` + strings.Repeat(", ?", len(cart)) + `)`
	args := []any{api.BestSellersKey}
	for _, c := range cart {
		args = append(args, c)
	}
	ds := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for range b.N {
		t := time.Now()
		rows, err := db.Query(q, args...)
		if err != nil {
			b.Fatal(err)
		}
		for rows.Next() {
			var id, raw string
			if err := rows.Scan(&id, &raw); err != nil {
				b.Fatal(err)
			}
		}
		rows.Close()
		ds = append(ds, time.Since(t))
	}
	reportPercentiles(b, ds)
}
