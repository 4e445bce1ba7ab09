package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"

	"github.com/opentill/opentill/pos"
)

var _ pos.ReceiptExtras = (*Store)(nil)

// PutReceiptExtras implements pos.ReceiptExtras.
func (s *Store) PutReceiptExtras(ctx context.Context, txnID string, lines []pos.ReceiptLines) error {
	b, err := json.Marshal(lines)
	if err != nil {
		return err
	}
	err = s.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO receipt_extras(txn_id, lines) VALUES(?, ?) ON CONFLICT(txn_id) DO UPDATE SET lines = excluded.lines`, txnID, string(b))
		return err
	})
	return storageErr(err, "keeping the extensions' receipt lines of %s", txnID)
}

// ReceiptExtras implements pos.ReceiptExtras: none for a transaction
// printed without extension lines.
func (s *Store) ReceiptExtras(ctx context.Context, txnID string) ([]pos.ReceiptLines, error) {
	var raw string
	err := s.r.QueryRowContext(ctx, `SELECT lines FROM receipt_extras WHERE txn_id = ?`, txnID).Scan(&raw)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, readErr(err, "reading the extensions' receipt lines of %s", txnID)
	}
	var out []pos.ReceiptLines
	if err := json.Unmarshal([]byte(raw), &out); err != nil {
		return nil, readErr(err, "the extensions' receipt lines of %s are damaged", txnID)
	}
	return out, nil
}
