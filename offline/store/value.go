package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/opentill/opentill/offline/api"
	"github.com/opentill/opentill/pos/cart"
	"github.com/opentill/opentill/pos/money"
	"github.com/opentill/opentill/pos/storedvalue"
)

// ValueBalance implements pos.ValueLedger: the server's last balance of
// the number and this till's movements it has not counted.
func (s *Store) ValueBalance(ctx context.Context, kind storedvalue.Kind, number string) (storedvalue.Balance, error) {
	b := storedvalue.Balance{Kind: kind, Number: number}
	var asOf string
	var known, limit int64
	err := s.r.QueryRowContext(ctx, `SELECT amount, as_of, credit_limit FROM value_known WHERE kind = ? AND number = ?`, string(kind), number).Scan(&known, &asOf, &limit)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return b, readErr(err, "reading the balance of %s", number)
	}
	if err == nil {
		b.Known, b.Limit = money.Amount(known), money.Amount(limit)
		if b.AsOf, err = time.Parse(timeFormat, asOf); err != nil {
			return b, readErr(err, "reading the balance of %s", number)
		}
	}
	var pending, spent, issued int64
	err = s.r.QueryRowContext(ctx, `SELECT coalesce(sum(amount), 0), coalesce(sum(spent), 0), coalesce(max(issued), 0)
		FROM value_movements WHERE kind = ? AND number = ? AND reflected = 0`, string(kind), number).Scan(&pending, &spent, &issued)
	if err != nil {
		return b, readErr(err, "reading the balance of %s", number)
	}
	b.Pending, b.Unconfirmed, b.IssuedHere = money.Amount(pending), money.Amount(spent), issued == 1
	return b, nil
}

// NoteValueBalance implements pos.ValueLedger: a balance read live from
// the server, stored as the feed would store it.
func (s *Store) NoteValueBalance(ctx context.Context, k storedvalue.Known) error {
	return s.write(ctx, func(tx *sql.Tx) error { return s.noteValue(ctx, tx, k) })
}

// noteValue stores the server's balance of a number (unless the till holds
// a newer one) and marks this till's movements of it that it counts.
func (s *Store) noteValue(ctx context.Context, tx *sql.Tx, k storedvalue.Known) error {
	storeID, terminalID, err := s.tillIDs(ctx, tx, &cart.Cart{})
	if err != nil {
		return err
	}
	var asOf string
	err = tx.QueryRowContext(ctx, `SELECT as_of FROM value_known WHERE kind = ? AND number = ?`, string(k.Kind), k.Number).Scan(&asOf)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	if err == nil {
		if held, perr := time.Parse(timeFormat, asOf); perr == nil && held.After(k.AsOf) {
			return nil // an older answer than the one held
		}
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO value_known(kind, number, amount, as_of, credit_limit) VALUES(?, ?, ?, ?, ?)
		ON CONFLICT(kind, number) DO UPDATE SET amount = excluded.amount, as_of = excluded.as_of, credit_limit = excluded.credit_limit`,
		string(k.Kind), k.Number, int64(k.Amount), formatTime(k.AsOf), int64(k.Limit)); err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `UPDATE value_movements SET reflected = 1 WHERE seq IN
		(SELECT seq FROM value_movements WHERE kind = ? AND number = ? ORDER BY seq LIMIT ?)`, string(k.Kind), k.Number, k.Counted[storeID+"/"+terminalID])
	return err
}

// applyBalance takes a number's balance from the server's feed.
func (s *Store) applyBalance(ctx context.Context, tx *sql.Tx, c *api.Change) error {
	if c.Deleted {
		return nil // the server never forgets money owed; a deletion changes nothing here
	}
	b := c.Balance
	return s.noteValue(ctx, tx, storedvalue.Known{Kind: storedvalue.Kind(b.Kind), Number: b.Number, Amount: money.Amount(b.Amount), AsOf: b.AsOf, Counted: b.Counted, Limit: money.Amount(b.Limit)})
}

// bookValue enters a completing transaction's gift card and memo movements.
func bookValue(ctx context.Context, tx *sql.Tx, c *cart.Cart, finished time.Time) error {
	if c.Status != cart.Completed {
		return nil
	}
	for _, m := range c.ValueMoves() {
		if _, err := tx.ExecContext(ctx, `INSERT INTO value_movements(txn_id, kind, number, amount, spent, issued, at) VALUES(?, ?, ?, ?, ?, ?, ?)`,
			c.ID, string(m.Kind), m.Number, int64(m.Amount), int64(m.Spent), b2i(m.Issued), formatTime(finished)); err != nil {
			return err
		}
	}
	return nil
}
