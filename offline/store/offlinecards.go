package store

import (
	"context"
	"database/sql"
	"time"

	"github.com/opentill/opentill/pos"
	"github.com/opentill/opentill/pos/cart"
	"github.com/opentill/opentill/pos/journal"
	"github.com/opentill/opentill/pos/money"
	"github.com/opentill/opentill/pos/tender"
)

// bookOfflineCards enters a completing transaction's offline card payments.
func bookOfflineCards(ctx context.Context, tx *sql.Tx, c *cart.Cart, receiptNo string, at time.Time) error {
	if c.Status != cart.Completed {
		return nil
	}
	for _, t := range c.ActiveTenders() {
		if t.Card == nil || !t.Card.Offline {
			continue
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO offline_cards(reference, txn_id, receipt_no, amount, at) VALUES(?, ?, ?, ?, ?)`,
			t.Card.Reference, c.ID, receiptNo, int64(t.Amount), formatTime(at)); err != nil {
			return err
		}
	}
	return nil
}

// OfflineCardTotals implements pos.OfflineCardBook.
func (s *Store) OfflineCardTotals(ctx context.Context, since time.Time) (outstanding, window money.Amount, err error) {
	var o, w int64
	err = s.r.QueryRowContext(ctx, `SELECT coalesce(sum(CASE WHEN forwarded = 0 THEN amount ELSE 0 END), 0),
		coalesce(sum(CASE WHEN at >= ? THEN amount ELSE 0 END), 0) FROM offline_cards`, formatTime(since)).Scan(&o, &w)
	if err != nil {
		return 0, 0, readErr(err, "reading the offline card payments")
	}
	return money.Amount(o), money.Amount(w), nil
}

// OfflineCards implements pos.OfflineCardBook.
func (s *Store) OfflineCards(ctx context.Context, pending bool) ([]pos.OfflineCard, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT reference, txn_id, receipt_no, amount, at, forwarded, approved FROM offline_cards
		WHERE forwarded = 0 OR ? = 0 ORDER BY at, reference`, b2i(pending))
	if err != nil {
		return nil, readErr(err, "reading the offline card payments")
	}
	defer rows.Close()
	var out []pos.OfflineCard
	for rows.Next() {
		var c pos.OfflineCard
		var amount int64
		var at string
		var fwd, ok int
		if err := rows.Scan(&c.Reference, &c.TxnID, &c.ReceiptNo, &amount, &at, &fwd, &ok); err != nil {
			return nil, readErr(err, "reading the offline card payments")
		}
		if c.At, err = time.Parse(timeFormat, at); err != nil {
			return nil, readErr(err, "reading the offline card payments")
		}
		c.Amount, c.Forwarded, c.Approved = money.Amount(amount), fwd == 1, ok == 1
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, readErr(err, "reading the offline card payments")
	}
	return out, nil
}

// RecordForwarded implements pos.OfflineCardBook.
func (s *Store) RecordForwarded(ctx context.Context, results []tender.Forwarded, e journal.Entry) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		for _, r := range results {
			if _, err := tx.ExecContext(ctx, `UPDATE offline_cards SET forwarded = 1, approved = ? WHERE reference = ? AND forwarded = 0`,
				b2i(r.Approved), r.Reference); err != nil {
				return err
			}
		}
		return s.appendJournal(ctx, tx, &e)
	})
}
