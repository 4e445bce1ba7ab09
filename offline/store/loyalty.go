package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/opentill/opentill/offline/api"
	"github.com/opentill/opentill/pos/cart"
	"github.com/opentill/opentill/pos/loyalty"
)

// LoyaltyBalance implements pos.LoyaltyLedger: the server's last balance
// of the card and this till's movements it has not counted.
func (s *Store) LoyaltyBalance(ctx context.Context, card string) (loyalty.Balance, error) {
	b := loyalty.Balance{Card: card}
	var asOf string
	err := s.r.QueryRowContext(ctx, `SELECT points, year, as_of FROM loyalty_known WHERE card = ?`, card).Scan(&b.Known, &b.Year, &asOf)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return b, readErr(err, "reading the points of card %s", card)
	}
	if err == nil {
		if b.AsOf, err = time.Parse(timeFormat, asOf); err != nil {
			return b, readErr(err, "reading the points of card %s", card)
		}
	}
	var earnedYear int64
	since := formatTime(time.Now().AddDate(-1, 0, 0))
	err = s.r.QueryRowContext(ctx, `SELECT coalesce(sum(points), 0), coalesce(sum(redeemed), 0),
			coalesce(sum(CASE WHEN at >= ? THEN points + redeemed ELSE 0 END), 0)
		FROM loyalty_movements WHERE card = ? AND reflected = 0`, since, card).Scan(&b.Pending, &b.Unconfirmed, &earnedYear)
	if err != nil {
		return b, readErr(err, "reading the points of card %s", card)
	}
	b.Year += max(earnedYear, 0)
	return b, nil
}

// applyLoyalty takes a card's balance from the server's feed and marks this
// till's movements of the card that it counts.
func (s *Store) applyLoyalty(ctx context.Context, tx *sql.Tx, c *api.Change) error {
	if c.Deleted {
		_, err := tx.ExecContext(ctx, `DELETE FROM loyalty_known WHERE card = ?`, c.Key)
		return err
	}
	l := c.Loyalty
	if _, err := tx.ExecContext(ctx, `INSERT INTO loyalty_known(card, points, year, as_of) VALUES(?, ?, ?, ?)
		ON CONFLICT(card) DO UPDATE SET points = excluded.points, year = excluded.year, as_of = excluded.as_of`,
		l.Card, l.Points, l.Year, formatTime(l.AsOf)); err != nil {
		return err
	}
	storeID, terminalID, err := s.tillIDs(ctx, tx, &cart.Cart{})
	if err != nil {
		return err
	}
	counted := l.Counted[storeID+"/"+terminalID]
	_, err = tx.ExecContext(ctx, `UPDATE loyalty_movements SET reflected = 1 WHERE seq IN
		(SELECT seq FROM loyalty_movements WHERE card = ? ORDER BY seq LIMIT ?)`, l.Card, counted)
	return err
}
