package scaleunit

// Cross-till returns (docs/sync.md): every completed transaction is found
// by its receipt number, and every returned line is counted against the
// sale it returns, so that a return at any till of the store (or of the
// chain, by the store's setting) finds the sale and what is left of it.

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/opentill/opentill/offline/api"
)

// salesSchema is the sales' receipt index and the returned quantities
// (SQLite schema version 9, PostgreSQL version 7).
var salesSchema = []string{
	`CREATE TABLE IF NOT EXISTS sales_index (
    receipt_no TEXT PRIMARY KEY,
    store_id   TEXT NOT NULL,
    txn_id     TEXT NOT NULL)`,
	`CREATE TABLE IF NOT EXISTS returned_lines (
    orig_txn TEXT NOT NULL,
    line_no  INTEGER NOT NULL,
    till_id  TEXT NOT NULL,
    ret_txn  TEXT NOT NULL,
    qty      BIGINT NOT NULL,
    PRIMARY KEY (orig_txn, line_no, ret_txn))`,
}

// salesBackfillPostgres indexes the transactions uploaded before the
// index existed, in SQL (SQLite's step does it in Go).
var salesBackfillPostgres = []string{
	`INSERT INTO sales_index(receipt_no, store_id, txn_id)
		SELECT payload::jsonb->>'receipt_no', store_id, id FROM uploads
		WHERE kind = 'transaction' AND payload::jsonb->>'status' = 'completed' AND coalesce(payload::jsonb->>'receipt_no', '') <> ''
		ON CONFLICT DO NOTHING`,
	`INSERT INTO returned_lines(orig_txn, line_no, till_id, ret_txn, qty)
		SELECT l->'return_of'->>'txn_id', (l->'return_of'->>'line_no')::int, u.till_id, u.id, sum(-(l->>'qty')::bigint)
		FROM uploads u, jsonb_array_elements(u.payload::jsonb->'lines') l
		WHERE u.kind = 'transaction' AND u.payload::jsonb->>'status' = 'completed' AND l->'return_of' IS NOT NULL
			AND coalesce((l->>'voided')::boolean, false) = false AND (l->>'qty')::bigint < 0
		GROUP BY 1, 2, 3, 4
		ON CONFLICT DO NOTHING`,
}

type execer interface {
	ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error)
}

func salesStep(ctx context.Context, tx *sql.Tx) error { // 8 -> 9: cross-till returns
	if err := execAll(ctx, tx, salesSchema); err != nil {
		return err
	}
	rows, err := tx.QueryContext(ctx, `SELECT store_id, id, till_id, payload FROM uploads WHERE kind = 'transaction'`)
	if err != nil {
		return err
	}
	type up struct{ store, id, till, payload string }
	var ups []up
	for rows.Next() {
		var u up
		if err := rows.Scan(&u.store, &u.id, &u.till, &u.payload); err != nil {
			rows.Close()
			return err
		}
		ups = append(ups, u)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, u := range ups {
		if err := indexSale(ctx, tx, u.store, u.till, u.id, []byte(u.payload)); err != nil && !errors.Is(err, ErrInvalid) {
			return err
		}
	}
	return nil
}

// indexSale indexes a completed transaction by its receipt number and by
// its customer (history.go), and counts the lines it returns against their
// sales, reading the upload once.
func indexSale(ctx context.Context, x execer, storeID, tillID, id string, payload []byte) error {
	var t struct {
		Status    string `json:"status"`
		ReceiptNo string `json:"receipt_no"`
		Customer  string `json:"customer"`
		Finished  string `json:"finished"`
		Lines     []struct {
			No       int   `json:"no"`
			Qty      int64 `json:"qty"`
			Voided   bool  `json:"voided"`
			ReturnOf *struct {
				TxnID  string `json:"txn_id"`
				LineNo int    `json:"line_no"`
			} `json:"return_of"`
		} `json:"lines"`
	}
	if err := json.Unmarshal(payload, &t); err != nil {
		return fmt.Errorf("the transaction is unreadable: %v: %w", err, ErrInvalid)
	}
	if t.Status != "completed" {
		return nil
	}
	if t.ReceiptNo != "" {
		if _, err := x.ExecContext(ctx, `INSERT INTO sales_index(receipt_no, store_id, txn_id) VALUES(?, ?, ?) ON CONFLICT DO NOTHING`,
			t.ReceiptNo, storeID, id); err != nil {
			return err
		}
	}
	if t.Customer != "" {
		if _, err := x.ExecContext(ctx, `INSERT INTO customer_purchases(number, store_id, txn_id, till_id, finished) VALUES(?, ?, ?, ?, ?)
			ON CONFLICT DO NOTHING`, t.Customer, storeID, id, tillID, t.Finished); err != nil {
			return err
		}
	}
	back := map[[2]any]int64{}
	for _, l := range t.Lines {
		if l.ReturnOf == nil || l.Voided || l.Qty >= 0 || l.ReturnOf.TxnID == "" {
			continue
		}
		back[[2]any{l.ReturnOf.TxnID, l.ReturnOf.LineNo}] += -l.Qty
	}
	for k, q := range back {
		if _, err := x.ExecContext(ctx, `INSERT INTO returned_lines(orig_txn, line_no, till_id, ret_txn, qty) VALUES(?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
			k[0], k[1], tillID, id, q); err != nil {
			return err
		}
	}
	return nil
}

// Sale finds a completed transaction by its receipt number for a return
// at the calling till: in the till's store, or in any store with anyStore.
// Returned counts what other tills returned of each line (the calling
// till knows its own).
func (s *DB) Sale(ctx context.Context, till TillInfo, receiptNo string, anyStore bool) (api.Sale, error) {
	var store, id string
	err := s.r.QueryRowContext(ctx, `SELECT store_id, txn_id FROM sales_index WHERE receipt_no = ?`, receiptNo).Scan(&store, &id)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && store != till.StoreID && !anyStore) {
		return api.Sale{}, fmt.Errorf("no sale with receipt number %s in this store: %w", receiptNo, ErrNotFound)
	}
	if err != nil {
		return api.Sale{}, err
	}
	var payload string
	if err := s.r.QueryRowContext(ctx, `SELECT payload FROM uploads WHERE store_id = ? AND id = ?`, store, id).Scan(&payload); err != nil {
		return api.Sale{}, err
	}
	out := api.Sale{Transaction: json.RawMessage(payload), Returned: []api.ReturnedLine{}}
	rows, err := s.r.QueryContext(ctx, `SELECT line_no, sum(qty) FROM returned_lines WHERE orig_txn = ? AND till_id <> ? GROUP BY line_no ORDER BY line_no`, id, till.ID)
	if err != nil {
		return out, err
	}
	defer rows.Close()
	for rows.Next() {
		var rl api.ReturnedLine
		if err := rows.Scan(&rl.Line, &rl.Qty); err != nil {
			return out, err
		}
		out.Returned = append(out.Returned, rl)
	}
	return out, rows.Err()
}
