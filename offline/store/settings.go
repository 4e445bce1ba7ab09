package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"os"

	"github.com/opentill/opentill/pos"
	"github.com/opentill/opentill/pos/poserr"
)

// Setting keys used by the store itself.
const (
	keySetup      = "setup"
	keyStoreID    = "store_id"
	keyTerminalID = "terminal_id"
)

// PutSetting stores v as JSON under key.
func (s *Store) PutSetting(ctx context.Context, key string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return storageErr(err, "saving setting %q", key)
	}
	_, err = s.w.ExecContext(ctx, `INSERT INTO settings(key, value) VALUES(?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`, key, string(b))
	return storageErr(err, "saving setting %q", key)
}

// Setting reads the JSON stored under key into v. A missing key is an error of
// kind poserr.NotFound.
func (s *Store) Setting(ctx context.Context, key string, v any) error {
	var raw string
	err := s.r.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = ?`, key).Scan(&raw)
	if errors.Is(err, sql.ErrNoRows) {
		return &poserr.Error{Kind: poserr.NotFound, Key: "error.storage.setting_not_found",
			Msg: fmt.Sprintf("setting %q not found", key), Args: map[string]any{"key": key}}
	}
	if err != nil {
		return readErr(err, "reading setting %q", key)
	}
	if err := json.Unmarshal([]byte(raw), v); err != nil {
		return readErr(err, "decoding setting %q", key)
	}
	return nil
}

// SaveSetup stores the store and till configuration (and the store and
// terminal IDs that receipt numbers are built from) in one transaction.
func (s *Store) SaveSetup(ctx context.Context, setup pos.Setup) error {
	if setup.StoreID == "" || setup.TerminalID == "" {
		return poserr.E(poserr.Invalid, "error.storage.setup_ids", "the setup needs a store ID and a terminal ID")
	}
	b, err := json.Marshal(setup)
	if err != nil {
		return storageErr(err, "saving the till setup")
	}
	sid, _ := json.Marshal(setup.StoreID)    // a string always marshals
	tid, _ := json.Marshal(setup.TerminalID) // a string always marshals
	err = s.write(ctx, func(tx *sql.Tx) error {
		for _, kv := range [][2]string{{keySetup, string(b)}, {keyStoreID, string(sid)}, {keyTerminalID, string(tid)}} {
			if _, err := tx.ExecContext(ctx, `INSERT INTO settings(key, value) VALUES(?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`, kv[0], kv[1]); err != nil {
				return err
			}
		}
		return nil
	})
	return storageErr(err, "saving the till setup")
}

// LoadSetup reads the saved configuration. A till with none yet gets an error
// of kind poserr.NotFound.
func (s *Store) LoadSetup(ctx context.Context) (pos.Setup, error) {
	var setup pos.Setup
	if err := s.Setting(ctx, keySetup, &setup); err != nil {
		if poserr.Is(err, poserr.NotFound) {
			return pos.Setup{}, poserr.Wrap(err, poserr.NotFound, "error.storage.no_setup",
				"the till has no setup yet: seed it (posctl seed) or sync it from the store server")
		}
		return pos.Setup{}, err
	}
	if err := s.loadPromotions(ctx, &setup); err != nil {
		return pos.Setup{}, err
	}
	return setup, nil
}

// Stats counts what the store holds.
type Stats struct {
	SchemaVersion  int
	Products       int64
	Barcodes       int64
	Operators      int64
	Roles          int64
	Transactions   int64
	Suspended      int64
	JournalEntries int64
	OutboxPending  int64
	OutboxTotal    int64
	FileBytes      int64 // database file plus WAL
}

// Stats counts products, staff, transactions, journal entries and outbox rows.
func (s *Store) Stats(ctx context.Context) (Stats, error) {
	var st Stats
	err := s.r.QueryRowContext(ctx, `SELECT
		(SELECT count(*) FROM products),
		(SELECT count(*) FROM barcodes),
		(SELECT count(*) FROM operators),
		(SELECT count(*) FROM roles),
		(SELECT count(*) FROM transactions),
		(SELECT count(*) FROM suspended),
		(SELECT count(*) FROM journal),
		(SELECT count(*) FROM outbox WHERE acked_at IS NULL),
		(SELECT count(*) FROM outbox)`).
		Scan(&st.Products, &st.Barcodes, &st.Operators, &st.Roles, &st.Transactions, &st.Suspended,
			&st.JournalEntries, &st.OutboxPending, &st.OutboxTotal)
	if err != nil {
		return Stats{}, readErr(err, "counting the store's contents")
	}
	if err := s.r.QueryRowContext(ctx, `PRAGMA user_version`).Scan(&st.SchemaVersion); err != nil {
		return Stats{}, readErr(err, "reading the schema version")
	}
	for _, p := range []string{s.path, s.path + "-wal"} {
		if fi, err := os.Stat(p); err == nil {
			st.FileBytes += fi.Size()
		}
	}
	return st, nil
}

// ProductCount returns how many products the store holds.
func (s *Store) ProductCount(ctx context.Context) (int64, error) {
	var n int64
	err := s.r.QueryRowContext(ctx, `SELECT count(*) FROM products`).Scan(&n)
	return n, readErr(err, "counting products")
}

// putSettingTx stores v as JSON under key inside a write transaction.
func putSettingTx(ctx context.Context, tx *sql.Tx, key string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO settings(key, value) VALUES(?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`, key, string(b))
	return err
}
