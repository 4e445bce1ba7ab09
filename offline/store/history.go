package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"

	"github.com/opentill/opentill/pos"
)

// RememberHistory implements pos.HistoryCache.
func (s *Store) RememberHistory(ctx context.Context, customerID string, h pos.CustomerHistory) error {
	b, err := json.Marshal(h)
	if err != nil {
		return storageErr(err, "keeping the history of customer %s", customerID)
	}
	err = s.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO customer_history(customer_id, as_of, history) VALUES(?, ?, ?)
			ON CONFLICT(customer_id) DO UPDATE SET as_of = excluded.as_of, history = excluded.history`, customerID, formatTime(h.AsOf), string(b))
		return err
	})
	return storageErr(err, "keeping the history of customer %s", customerID)
}

// KnownHistory implements pos.HistoryCache.
func (s *Store) KnownHistory(ctx context.Context, customerID string) (pos.CustomerHistory, bool, error) {
	var h pos.CustomerHistory
	var b string
	err := s.r.QueryRowContext(ctx, `SELECT history FROM customer_history WHERE customer_id = ?`, customerID).Scan(&b)
	if errors.Is(err, sql.ErrNoRows) {
		return h, false, nil
	}
	if err != nil {
		return h, false, readErr(err, "reading the history of customer %s", customerID)
	}
	if err := json.Unmarshal([]byte(b), &h); err != nil {
		return h, false, readErr(err, "reading the history of customer %s", customerID)
	}
	return h, true, nil
}
