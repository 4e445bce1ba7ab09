package scaleunit

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// DBFile is the scale unit's database file inside its data folder.
const DBFile = "scaleunit.db"

const schema = `
CREATE TABLE IF NOT EXISTS stores (
    id    TEXT PRIMARY KEY,
    name  TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS tills (
    id          TEXT PRIMARY KEY,
    store_id    TEXT NOT NULL REFERENCES stores(id),
    terminal_id TEXT NOT NULL,
    device_name TEXT NOT NULL DEFAULT '',
    token_hash  TEXT UNIQUE,
    activated   TEXT NOT NULL DEFAULT '',
    deactivated INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS activation_codes (
    code_hash TEXT PRIMARY KEY,
    till_id   TEXT NOT NULL REFERENCES tills(id),
    expires   TEXT NOT NULL
) WITHOUT ROWID;
-- The delta feeds: one row per (dataset, store, key), replaced with a new
-- sequence number on every change, so a feed read from 0 is the current state.
CREATE TABLE IF NOT EXISTS changes (
    seq      INTEGER PRIMARY KEY AUTOINCREMENT,
    dataset  TEXT NOT NULL,
    store_id TEXT NOT NULL DEFAULT '',
    key      TEXT NOT NULL,
    deleted  INTEGER NOT NULL DEFAULT 0,
    payload  TEXT NOT NULL,
    UNIQUE (dataset, store_id, key)
);
CREATE INDEX IF NOT EXISTS changes_feed ON changes(dataset, seq);
CREATE TABLE IF NOT EXISTS products (
    id      TEXT PRIMARY KEY,
    payload TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS stock (
    store_id   TEXT NOT NULL,
    product_id TEXT NOT NULL,
    qty        INTEGER NOT NULL,
    PRIMARY KEY (store_id, product_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS uploads (
    arrival      INTEGER PRIMARY KEY AUTOINCREMENT,
    id           TEXT NOT NULL UNIQUE,
    kind         TEXT NOT NULL,
    till_id      TEXT NOT NULL,
    payload      TEXT NOT NULL,
    payload_hash TEXT NOT NULL,
    received     TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS uploads_arrival ON uploads(kind, arrival);
-- Loyalty points: every till's movements, once per transaction, and what
-- each card holds.
CREATE TABLE IF NOT EXISTS loyalty_ledger (
    txn_id   TEXT PRIMARY KEY,
    card     TEXT NOT NULL,
    till     TEXT NOT NULL, -- store/terminal
    earned   INTEGER NOT NULL,
    redeemed INTEGER NOT NULL,
    at       TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS loyalty_ledger_card ON loyalty_ledger(card, at);
-- Customers erased on request: their uploads still arriving from a till
-- are acknowledged and dropped.
CREATE TABLE IF NOT EXISTS erased_customers (
    id     TEXT PRIMARY KEY,
    number TEXT NOT NULL,
    erased TEXT NOT NULL
) WITHOUT ROWID;
-- The chain's customers, each merged field by field from every till's
-- uploads (api.Customer); what the customers feed sends.
CREATE TABLE IF NOT EXISTS customers (
    id      TEXT PRIMARY KEY,
    payload TEXT NOT NULL
) WITHOUT ROWID;
-- Each till's registered journal key, and the keys it had before.
CREATE TABLE IF NOT EXISTS till_keys (
    till_id    TEXT PRIMARY KEY REFERENCES tills(id),
    key_id     TEXT NOT NULL,
    public_key TEXT NOT NULL,
    registered TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS till_key_history (
    till_id    TEXT NOT NULL,
    key_id     TEXT NOT NULL,
    public_key TEXT NOT NULL,
    registered TEXT NOT NULL,
    replaced   TEXT NOT NULL,
    PRIMARY KEY (till_id, key_id)
) WITHOUT ROWID;
-- The journal chain of each till and key: the head and every entry's
-- header as uploaded (record), checked as it arrived.
CREATE TABLE IF NOT EXISTS journal_heads (
    till_id TEXT NOT NULL,
    key_id  TEXT NOT NULL,
    seq     INTEGER NOT NULL,
    hash    TEXT NOT NULL,
    counter INTEGER NOT NULL,
    updated TEXT NOT NULL,
    alert   TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (till_id, key_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS journal_entries (
    till_id        TEXT NOT NULL,
    key_id         TEXT NOT NULL,
    seq            INTEGER NOT NULL,
    hash           TEXT NOT NULL,
    kind           TEXT NOT NULL,
    txn_id         TEXT NOT NULL DEFAULT '',
    payload_sha256 TEXT NOT NULL DEFAULT '',
    record         TEXT NOT NULL,
    received       TEXT NOT NULL,
    PRIMARY KEY (till_id, key_id, seq)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS journal_entries_txn ON journal_entries(txn_id) WHERE txn_id <> '';
`

// SchemaVersion is the scale unit's database schema version (PRAGMA
// user_version): 1 is the schema above as v0.1.0 created it (without a
// user_version), 2 adds what each till last said of its build, 3 the store
// of each upload (the key uploads are found by, as on PostgreSQL), 4 the
// stock ledger (stock.go), 5 purchase and transfer orders (docs.go), 6 activation replays, 7 customer orders, 8 the customers' purchase index, 9 the sales' receipt index, 10 the gift card and memo ledger (balances.go), 11 product pictures (images.go), 12 the report sums (reportsums.go), 13 extension packages (extensions.go), 14 the PIN key's check value (pinkey.go), 15 the admin API's tokens (admintokens.go), 16 the movements counted by till (stock.go). A database
// with a newer version is refused: it was written by a newer scale unit.
const SchemaVersion = 16

// schemaSteps upgrade a database from version i+1 to i+2, each in the
// transaction that sets the new user_version. Columns are added only when
// missing, so a step can be rerun.
var schemaSteps = []func(ctx context.Context, tx *sql.Tx) error{
	func(ctx context.Context, tx *sql.Tx) error { // 1 -> 2: tills by version
		for _, col := range []string{
			"client_version TEXT NOT NULL DEFAULT ''",
			"client_commit TEXT NOT NULL DEFAULT ''",
			"client_build_date TEXT NOT NULL DEFAULT ''",
			"client_os TEXT NOT NULL DEFAULT ''",
			"client_arch TEXT NOT NULL DEFAULT ''",
			"client_schema INTEGER NOT NULL DEFAULT 0",
			"last_seen TEXT NOT NULL DEFAULT ''",
			"pending INTEGER NOT NULL DEFAULT 0",
		} {
			name, _, _ := strings.Cut(col, " ")
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM pragma_table_info('tills') WHERE name = ?`, name).Scan(&n); err != nil {
				return err
			}
			if n == 0 {
				if _, err := tx.ExecContext(ctx, `ALTER TABLE tills ADD COLUMN `+col); err != nil {
					return err
				}
			}
		}
		return nil
	},
	func(ctx context.Context, tx *sql.Tx) error { // 2 -> 3: uploads by store
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM pragma_table_info('uploads') WHERE name = 'store_id'`).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			if _, err := tx.ExecContext(ctx, `ALTER TABLE uploads ADD COLUMN store_id TEXT NOT NULL DEFAULT ''`); err != nil {
				return err
			}
		}
		_, err := tx.ExecContext(ctx, `UPDATE uploads SET store_id = substr(till_id, 1, instr(till_id, '/') - 1) WHERE store_id = ''`)
		return err
	},
	execStep(stockSchema),       // 3 -> 4: the stock ledger
	execStep(docSchema),         // 4 -> 5: purchase and transfer orders
	execStep(replaySchema),      // 5 -> 6: activation replays
	execStep(orderSchema),       // 6 -> 7: customer orders
	historyStep,                 // 7 -> 8
	salesStep,                   // 8 -> 9
	execStep(valueSchema),       // 9 -> 10: gift cards and memos
	execStep(imageSchema),       // 10 -> 11: product pictures
	reportStep,                  // 11 -> 12: report sums
	execStep(extensionSchema),   // 12 -> 13: extension packages
	execStep(pinKeySchema),      // 13 -> 14: the PIN key's check value
	execStep(adminTokenSchema),  // 14 -> 15: admin tokens
	execStep(movesByTillSchema), // 15 -> 16: movements counted by till
}

// execStep is a schema step that runs a table's statements in order.
func execStep(stmts []string) func(context.Context, *sql.Tx) error {
	return func(ctx context.Context, tx *sql.Tx) error { return execAll(ctx, tx, stmts) }
}

// execAll runs statements in order in tx.
func execAll(ctx context.Context, tx *sql.Tx, stmts []string) error {
	for _, q := range stmts {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return err
		}
	}
	return nil
}

// ErrNewerSchema is wrapped by OpenSQLite for a database a newer scale unit
// wrote.
var ErrNewerSchema = errors.New("the scale unit's database was written by a newer scale unit")

// migrate brings the database to SchemaVersion, refusing a newer one
// before changing anything.
func migrate(ctx context.Context, w *sql.DB, path string) error {
	var cur int
	if err := w.QueryRowContext(ctx, `PRAGMA user_version`).Scan(&cur); err != nil {
		return fmt.Errorf("reading the schema version of %s (is it a scale-unit database?): %w", path, err)
	}
	if cur > SchemaVersion {
		return newerSchema(path, cur, SchemaVersion)
	}
	if _, err := w.ExecContext(ctx, schema); err != nil {
		return fmt.Errorf("creating the scale unit's schema in %s (is it a scale-unit database?): %w", path, err)
	}
	if cur == 0 {
		cur = 1 // v0.1.0 set no user_version
	}
	for v := cur; v < SchemaVersion; v++ {
		err := upgradeStep(ctx, w, path, v+1, func(tx *sql.Tx) error {
			if err := schemaSteps[v-1](ctx, tx); err != nil {
				return err
			}
			_, err := tx.ExecContext(ctx, fmt.Sprintf(`PRAGMA user_version = %d`, v+1))
			return err
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// OpenSQLite opens (creating if needed) the scale unit's database in dir.
// Its PIN key file is $SCALEUNIT_PIN_KEY, else PINKeyFile in dir (OpenWith
// names another).
func OpenSQLite(dir string) (*DB, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("creating the scale unit's data folder %s: %w", dir, err)
	}
	path := filepath.Join(dir, DBFile)
	dsn := func(extra ...string) string {
		return "file:" + path + "?" + strings.Join(append([]string{"_pragma=busy_timeout(10000)", "_pragma=journal_mode(WAL)",
			"_pragma=foreign_keys(ON)"}, extra...), "&")
	}
	w, err := sql.Open("sqlite", dsn("_pragma=synchronous(FULL)", "_txlock=immediate"))
	if err != nil {
		return nil, fmt.Errorf("opening the scale unit's database %s: %w", path, err)
	}
	w.SetMaxOpenConns(1)
	// On the failures below the open's error is the one to report; the
	// half-open database has nothing unsaved to lose on Close.
	if err := migrate(context.Background(), w, path); err != nil {
		w.Close()
		return nil, err
	}
	r, err := sql.Open("sqlite", dsn("_pragma=query_only(1)"))
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("opening the scale unit's database %s for reading: %w", path, err)
	}
	r.SetMaxOpenConns(4)
	return &DB{w: &sqlDB{w, sqliteDialect, newStmtCache(w)}, r: &sqlDB{r, sqliteDialect, newStmtCache(r)}, d: sqliteDialect,
		where: path, pinPath: pinKeyPath(Options{}, dir)}, nil
}
