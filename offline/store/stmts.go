package store

import (
	"context"
	"database/sql"
)

// Statements of the commit path, prepared once on the writer connection at
// Open and reused by every transaction (parsing them anew cost about a sixth
// of a commit's CPU time).
const (
	qTillIDs     = `SELECT key, value FROM settings WHERE key IN ('store_id', 'terminal_id')`
	qNextReceipt = `INSERT INTO receipt_sequence(terminal, next) VALUES(?, 2)
		ON CONFLICT(terminal) DO UPDATE SET next = next + 1 RETURNING next - 1`
	qInsertTxn = `INSERT INTO transactions(id, receipt_no, store, terminal, status, operator, started, finished, currency, total, payload, customer)
		VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
	qInsertLine = `INSERT INTO transaction_lines(txn_id, line_no, product_id, item_id, qty, net, voided, return_of_txn, return_of_line)
		VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?)`
	qInsertTender  = `INSERT INTO tenders(txn_id, no, type, kind, amount, masked_pan, voided) VALUES(?, ?, ?, ?, ?, ?, ?)`
	qJournalHead   = `SELECT seq, hash, counter, key_id FROM journal ORDER BY seq DESC LIMIT 1`
	qInsertJournal = `INSERT INTO journal(seq, time, kind, op, txn_id, receipt_no, operator, approver, payload, prev_hash, hash, key_id, counter, sig)
		VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
	qInsertOutbox = `INSERT INTO outbox(id, kind, payload, created) VALUES(?, ?, ?, ?)`
)

var writerQueries = []string{qTillIDs, qNextReceipt, qInsertTxn, qInsertLine, qInsertTender, qJournalHead, qInsertJournal, qInsertOutbox}

// prepareWriter prepares the commit statements on the (idle) writer.
func (s *Store) prepareWriter(ctx context.Context) error {
	s.ws = make(map[string]*sql.Stmt, len(writerQueries))
	for _, q := range writerQueries {
		st, err := s.w.PrepareContext(ctx, q)
		if err != nil {
			return err
		}
		s.ws[q] = st
	}
	return nil
}

// stmt returns the prepared statement for q bound to tx (a statement not
// prepared at Open is prepared on tx).
func (s *Store) stmt(ctx context.Context, tx *sql.Tx, q string) (*sql.Stmt, error) {
	if st := s.ws[q]; st != nil {
		return tx.StmtContext(ctx, st), nil
	}
	return tx.PrepareContext(ctx, q)
}
