package scaleunit

import (
	"context"
	"fmt"
	"time"

	"github.com/opentill/opentill/offline/api"
	"github.com/opentill/opentill/pos/report"
)

// HoldChange writes a products change of key in a transaction that
// commits only once release is closed, closing written when the change is
// written: a writer that commits after others that wrote later.
func HoldChange(ctx context.Context, s *DB, key string, written chan<- struct{}, release <-chan struct{}) error {
	return s.tx(ctx, func(tx *sqlTx) error {
		p := api.Product{ID: key, ItemID: key, Name: "late", Unit: "ea", Price: 100}
		if err := change(ctx, tx, api.DatasetProducts, "", key, false, api.Change{Key: key, Product: &p}); err != nil {
			return err
		}
		close(written)
		<-release
		return nil
	})
}

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

// Downgrade runs stmt and takes the database's schema one version back, as
// if the newest migration had not run yet (a database of the release
// before).
func Downgrade(ctx context.Context, s *DB, stmt string) error {
	if err := UndoFeedNumbers(ctx, s); err != nil {
		return err
	}
	if _, err := s.w.ExecContext(ctx, stmt); err != nil {
		return err
	}
	if s.d == postgresDialect {
		_, err := s.w.ExecContext(ctx, `DELETE FROM schema_migrations WHERE version = ?`, pgFeedSeqVersion-1)
		return err
	}
	_, err := s.w.ExecContext(ctx, fmt.Sprintf(`PRAGMA user_version = %d`, SchemaVersion-1))
	return err
}

// DowngradeBy runs stmts and takes the database's schema n versions back
// (a database of a release n migrations before).
func DowngradeBy(ctx context.Context, s *DB, n int, stmts ...string) error {
	if err := UndoFeedNumbers(ctx, s); err != nil {
		return err
	}
	for _, stmt := range stmts {
		if _, err := s.w.ExecContext(ctx, stmt); err != nil {
			return err
		}
	}
	if s.d == postgresDialect {
		_, err := s.w.ExecContext(ctx, `DELETE FROM schema_migrations WHERE version > ?`, pgFeedSeqVersion-1-n)
		return err
	}
	_, err := s.w.ExecContext(ctx, fmt.Sprintf(`PRAGMA user_version = %d`, SchemaVersion-n))
	return err
}

// pgFeedSeqVersion is the PostgreSQL schema version that numbers the
// feeds once committed (the tests' downgrades to versions the two engines
// share undo it first).
const pgFeedSeqVersion = 15

// UndoFeedNumbers takes a PostgreSQL database back to before the feed
// numbers (schema version 14; nothing on SQLite), whose feeds go by seq.
func UndoFeedNumbers(ctx context.Context, s *DB) error {
	if s.d != postgresDialect {
		return nil
	}
	for _, q := range []string{`DROP INDEX changes_unnumbered`, `DROP INDEX changes_feed_fseq`,
		`DROP INDEX changes_fseq_key`, `ALTER TABLE changes DROP COLUMN fseq`, `DROP SEQUENCE changes_fseq`,
		`DELETE FROM schema_migrations WHERE version >= 15`} {
		if _, err := s.w.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("%s: %w", q, err)
		}
	}
	return nil
}

// SchemaOf is the database's schema version (SQLite's user_version, the
// newest PostgreSQL migration recorded).
func SchemaOf(ctx context.Context, s *DB) (int, error) {
	var v int
	q := `PRAGMA user_version`
	if s.d == postgresDialect {
		q = `SELECT max(version) FROM schema_migrations`
	}
	err := s.r.QueryRowContext(ctx, q).Scan(&v)
	return v, err
}
