package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"strings"

	"github.com/opentill/opentill/offline/api"
	"github.com/opentill/opentill/pos/recommend"
)

// applyRecommendation stores a product's list from the feed.
func applyRecommendation(ctx context.Context, tx *sql.Tx, c *api.Change) error {
	if c.Deleted {
		_, err := tx.ExecContext(ctx, `DELETE FROM recommendations WHERE product_id = ?`, c.Key)
		return err
	}
	b, err := json.Marshal(c.Recommend.Together)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO recommendations(product_id, together) VALUES(?, ?)
		ON CONFLICT(product_id) DO UPDATE SET together = excluded.together`, c.Key, string(b))
	return err
}

// Recommendations implements pos.RecommendationSource: the lists of the
// products given and the best sellers, from the last feed.
func (s *Store) Recommendations(ctx context.Context, productIDs []string) (recommend.Model, error) {
	m := recommend.Model{Together: map[string][]recommend.Scored{}}
	ids := append([]string{api.BestSellersKey}, productIDs...)
	q := `SELECT product_id, together FROM recommendations WHERE product_id IN (?` + strings.Repeat(", ?", len(ids)-1) + `)`
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	rows, err := s.r.QueryContext(ctx, q, args...)
	if err != nil {
		return m, readErr(err, "reading recommendations")
	}
	defer rows.Close()
	for rows.Next() {
		var id, raw string
		if err := rows.Scan(&id, &raw); err != nil {
			return m, readErr(err, "reading recommendations")
		}
		var l []recommend.Scored
		if err := json.Unmarshal([]byte(raw), &l); err != nil {
			return m, readErr(err, "reading the recommendations of %s", id)
		}
		if id == api.BestSellersKey {
			m.BestSellers = l
		} else {
			m.Together[id] = l
		}
	}
	return m, readErr(rows.Err(), "reading recommendations")
}
