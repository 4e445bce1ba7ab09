package scaleunit

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/opentill/opentill/offline/api"
	"github.com/opentill/opentill/pos/recommend"
)

// RecommendTop is how many products each "bought together" list holds.
const RecommendTop = 10

// RefreshRecommendations counts what was bought together over every
// store's completed transactions and publishes each product's list that
// changed (and the best sellers) in the recommendations feed, in one
// transaction. It returns how many lists changed. A chain runs it as a
// batch job (scaleunit admin recommend, or serve's --recommend-every).
func (s *DB) RefreshRecommendations(ctx context.Context) (int, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT payload FROM uploads WHERE kind = ?`, api.KindTransaction)
	if err != nil {
		return 0, err
	}
	var baskets [][]string
	for rows.Next() {
		var raw []byte
		if err := rows.Scan(&raw); err != nil {
			rows.Close()
			return 0, err
		}
		var t struct {
			Status string `json:"status"`
			Lines  []struct {
				ProductID string `json:"product_id"`
				Qty       int64  `json:"qty"`
				Voided    bool   `json:"voided"`
			} `json:"lines"`
		}
		if json.Unmarshal(raw, &t) != nil || t.Status != "completed" {
			continue // the upload was checked when it came; a foreign shape is not a basket
		}
		var b []string
		for _, l := range t.Lines {
			if !l.Voided && l.Qty > 0 && l.ProductID != "" {
				b = append(b, l.ProductID)
			}
		}
		if len(b) > 0 {
			baskets = append(baskets, b)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	m := recommend.Count(baskets, RecommendTop)
	lists := map[string][]recommend.Scored{api.BestSellersKey: m.BestSellers}
	for p, l := range m.Together {
		lists[p] = l
	}
	changed := 0
	err = s.tx(ctx, func(tx *sqlTx) error {
		have := map[string]string{}
		rs, err := tx.QueryContext(ctx, `SELECT key, payload FROM changes WHERE dataset = ? AND deleted = 0`, api.DatasetRecommendations)
		if err != nil {
			return err
		}
		for rs.Next() {
			var k, p string
			if err := rs.Scan(&k, &p); err != nil {
				rs.Close()
				return err
			}
			have[k] = p
		}
		rs.Close()
		if err := rs.Err(); err != nil {
			return err
		}
		keys := make([]string, 0, len(lists))
		for k := range lists {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			rec := &api.Recommendation{ProductID: k}
			for _, sc := range lists[k] {
				rec.Together = append(rec.Together, api.ScoredEntry{ProductID: sc.ProductID, Score: sc.Score})
			}
			c := api.Change{Key: k, Recommend: rec}
			b, err := json.Marshal(c)
			if err != nil {
				return err
			}
			if have[k] == string(b) {
				continue
			}
			if err := change(ctx, tx, api.DatasetRecommendations, "", k, false, c); err != nil {
				return fmt.Errorf("publishing the recommendations of %s: %w", k, err)
			}
			changed++
		}
		for k := range have {
			if _, ok := lists[k]; !ok {
				if err := change(ctx, tx, api.DatasetRecommendations, "", k, true, api.Change{Key: k, Deleted: true}); err != nil {
					return err
				}
				changed++
			}
		}
		return nil
	})
	return changed, err
}
