package scaleunit

import (
	"context"
	"time"

	"github.com/opentill/opentill/pos/report"
)

// BookSums adds sums and one transaction's exceptions to a till's store
// day as each upload does (bookReport), for benchmarks that load a month
// of transactions at once: the sums of a day's transactions added up
// first are the rows their uploads one by one would leave
// (report.TestSumsOfEachEntryAreTheReport).
func BookSums(ctx context.Context, s *DB, storeID, tillID, day string, sums []report.Sum, txnID string, exc []report.Exception) error {
	return s.tx(ctx, func(tx *sqlTx) error {
		if err := bookSums(ctx, tx, storeID, tillID, day, sums); err != nil {
			return err
		}
		return bookExceptions(ctx, tx, storeID, day, txnID, exc)
	})
}

// InsertUploads stores transactions as uploads without booking them (no
// sums, no ledgers), in one transaction, for a benchmark's
// baseline that reads them all again.
func InsertUploads(ctx context.Context, s *DB, storeID, tillID, kind string, ids []string, payloads [][]byte) error {
	return s.tx(ctx, func(tx *sqlTx) error {
		now := time.Now().UTC().Format(time.RFC3339Nano)
		for i, p := range payloads {
			if _, err := tx.ExecContext(ctx, `INSERT INTO uploads(store_id, id, kind, till_id, payload, payload_hash, received) VALUES(?, ?, ?, ?, ?, ?, ?)`,
				storeID, ids[i], kind, tillID, string(p), HashSecret(string(p)), now); err != nil {
				return err
			}
		}
		return nil
	})
}

// StaffRows returns the staff feed's rows as the database holds them, and
// the PIN key's check value it records.
func StaffRows(ctx context.Context, s *DB) (payloads []string, check string, err error) {
	rows, err := s.r.QueryContext(ctx, `SELECT payload FROM changes WHERE dataset = 'staff' ORDER BY seq`)
	if err != nil {
		return nil, "", err
	}
	defer rows.Close()
	for rows.Next() {
		var p string
		if err := rows.Scan(&p); err != nil {
			return nil, "", err
		}
		payloads = append(payloads, p)
	}
	if err := rows.Err(); err != nil {
		return nil, "", err
	}
	check, err = s.pinCheck(ctx)
	return payloads, check, err
}
