package scaleunit

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver

	"github.com/opentill/opentill/internal/version"
)

// pgMigrations are the PostgreSQL schema's versions, forward only: the
// migration at index i takes the database from version i to i+1, in the
// transaction that records it in schema_migrations. A released migration is
// never edited; a change of the schema is a new one at the end.
var pgMigrations = []string{
	// 1: the schema of SQLite's version 3, with uploads partitioned by store.
	`CREATE TABLE stores (
    id    TEXT PRIMARY KEY,
    name  TEXT NOT NULL
);
CREATE TABLE tills (
    id          TEXT PRIMARY KEY,
    store_id    TEXT NOT NULL REFERENCES stores(id),
    terminal_id TEXT NOT NULL,
    device_name TEXT NOT NULL DEFAULT '',
    token_hash  TEXT UNIQUE,
    activated   TEXT NOT NULL DEFAULT '',
    deactivated INTEGER NOT NULL DEFAULT 0,
    client_version TEXT NOT NULL DEFAULT '',
    client_commit TEXT NOT NULL DEFAULT '',
    client_build_date TEXT NOT NULL DEFAULT '',
    client_os TEXT NOT NULL DEFAULT '',
    client_arch TEXT NOT NULL DEFAULT '',
    client_schema INTEGER NOT NULL DEFAULT 0,
    last_seen TEXT NOT NULL DEFAULT '',
    pending BIGINT NOT NULL DEFAULT 0
);
CREATE TABLE activation_codes (
    code_hash TEXT PRIMARY KEY,
    till_id   TEXT NOT NULL REFERENCES tills(id),
    expires   TEXT NOT NULL
);
CREATE SEQUENCE changes_seq;
CREATE TABLE changes (
    seq      BIGINT PRIMARY KEY DEFAULT nextval('changes_seq'),
    dataset  TEXT NOT NULL,
    store_id TEXT NOT NULL DEFAULT '',
    key      TEXT NOT NULL,
    deleted  INTEGER NOT NULL DEFAULT 0,
    payload  TEXT NOT NULL,
    UNIQUE (dataset, store_id, key)
);
CREATE INDEX changes_feed ON changes(dataset, seq);
CREATE TABLE products (
    id      TEXT PRIMARY KEY,
    payload TEXT NOT NULL
);
CREATE TABLE stock (
    store_id   TEXT NOT NULL,
    product_id TEXT NOT NULL,
    qty        BIGINT NOT NULL,
    PRIMARY KEY (store_id, product_id)
);
-- Transactions and every other upload, one partition per store (made with
-- the store; a default partition catches a store made by hand).
CREATE TABLE uploads (
    arrival      BIGINT GENERATED ALWAYS AS IDENTITY,
    store_id     TEXT NOT NULL,
    id           TEXT NOT NULL,
    kind         TEXT NOT NULL,
    till_id      TEXT NOT NULL,
    payload      TEXT NOT NULL,
    payload_hash TEXT NOT NULL,
    received     TEXT NOT NULL,
    PRIMARY KEY (store_id, id)
) PARTITION BY LIST (store_id);
CREATE TABLE uploads_default PARTITION OF uploads DEFAULT;
CREATE INDEX uploads_arrival ON uploads(kind, arrival);
CREATE INDEX uploads_id ON uploads(id);
CREATE TABLE loyalty_ledger (
    txn_id   TEXT PRIMARY KEY,
    card     TEXT NOT NULL,
    till     TEXT NOT NULL,
    earned   BIGINT NOT NULL,
    redeemed BIGINT NOT NULL,
    at       TEXT NOT NULL
);
CREATE INDEX loyalty_ledger_card ON loyalty_ledger(card, at);
CREATE TABLE erased_customers (
    id     TEXT PRIMARY KEY,
    number TEXT NOT NULL,
    erased TEXT NOT NULL
);
CREATE TABLE customers (
    id      TEXT PRIMARY KEY,
    payload TEXT NOT NULL
);
CREATE INDEX customers_number ON customers((payload::jsonb ->> 'number'));
CREATE TABLE till_keys (
    till_id    TEXT PRIMARY KEY REFERENCES tills(id),
    key_id     TEXT NOT NULL,
    public_key TEXT NOT NULL,
    registered TEXT NOT NULL
);
CREATE TABLE till_key_history (
    till_id    TEXT NOT NULL,
    key_id     TEXT NOT NULL,
    public_key TEXT NOT NULL,
    registered TEXT NOT NULL,
    replaced   TEXT NOT NULL,
    PRIMARY KEY (till_id, key_id)
);
CREATE TABLE journal_heads (
    till_id TEXT NOT NULL,
    key_id  TEXT NOT NULL,
    seq     BIGINT NOT NULL,
    hash    TEXT NOT NULL,
    counter BIGINT NOT NULL,
    updated TEXT NOT NULL,
    alert   TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (till_id, key_id)
);
CREATE TABLE journal_entries (
    till_id        TEXT NOT NULL,
    key_id         TEXT NOT NULL,
    seq            BIGINT NOT NULL,
    hash           TEXT NOT NULL,
    kind           TEXT NOT NULL,
    txn_id         TEXT NOT NULL DEFAULT '',
    payload_sha256 TEXT NOT NULL DEFAULT '',
    record         TEXT NOT NULL,
    received       TEXT NOT NULL,
    PRIMARY KEY (till_id, key_id, seq)
);
CREATE INDEX journal_entries_txn ON journal_entries(txn_id) WHERE txn_id <> '';`,
	// 2: the stock ledger (stockSchema, the same statements as SQLite's).
	strings.Join(stockSchema, ";\n"),
	// 3: purchase and transfer orders (docSchema).
	strings.Join(docSchema, ";\n"),
	// 4: activation replays (replaySchema).
	strings.Join(replaySchema, ";\n"),
	// 5: customer orders (orderSchema).
	strings.Join(orderSchema, ";\n"),
	// 6: the customers' purchase index (historySchema), filled from the
	// transactions uploaded before it.
	strings.Join(append(append([]string(nil), historySchema...), historyBackfill(postgresDialect)), ";\n"),
	// 7: the sales' receipt index and returned quantities (salesSchema),
	// filled from the transactions uploaded before them.
	strings.Join(append(append([]string(nil), salesSchema...), salesBackfillPostgres...), ";\n"),
	// 8: the gift card and memo ledger (valueSchema).
	strings.Join(valueSchema, ";\n"),
	// 9: product pictures (imageSchema).
	strings.Join(imageSchema, ";\n"),
	// 10: the report sums (reportSchema), filled from the transactions
	// uploaded before them (pgBackfills).
	strings.Join(reportSchema, ";\n"),
	// 11: extension packages (extensionSchema).
	strings.Join(extensionSchema, ";\n"),
	// 12: the check value of the chain's PIN key (pinKeySchema).
	strings.Join(pinKeySchema, ";\n"),
	// 13: the admin API's tokens (adminTokenSchema).
	strings.Join(adminTokenSchema, ";\n"),
	// 14: each till's movements of a product, counted (movesByTillSchema).
	strings.Join(movesByTillSchema, ";\n"),
	// 15: the feeds' numbers, given once a change is committed
	// (feedSeqSchema).
	strings.Join(feedSeqSchema, ";\n"),
}

// pgBackfills fill, in Go, what migration version N's tables index of
// the data already there, in the migration's transaction.
var pgBackfills = map[int]func(context.Context, *sqlTx) error{
	10: backfillReportSums,
}

// PostgresSchemaVersion is the newest PostgreSQL schema version this
// scale unit knows.
var PostgresSchemaVersion = len(pgMigrations)

// IsPostgresURL tells a PostgreSQL connection URL (postgres:// or
// postgresql://) from a data folder.
func IsPostgresURL(s string) bool {
	return strings.HasPrefix(s, "postgres://") || strings.HasPrefix(s, "postgresql://")
}

// OpenPostgres connects to the scale unit's PostgreSQL database and brings
// its schema to the newest version; several server processes may open the
// same database at once (the migration runs once, under a lock). Its PIN
// key file is $SCALEUNIT_PIN_KEY (OpenWith names another).
func OpenPostgres(ctx context.Context, url string) (*DB, error) {
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("the PostgreSQL URL %s is not valid (postgres://user:password@host:port/database?sslmode=…): %w", Redact(url), err)
	}
	db := sql.OpenDB(stdlib.GetConnector(*cfg))
	db.SetMaxOpenConns(32)
	db.SetMaxIdleConns(32)
	db.SetConnMaxIdleTime(5 * time.Minute)
	where := Redact(url)
	pctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if err := db.PingContext(pctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("connecting to the scale unit's PostgreSQL database %s (is the server running and the URL right?): %w", where, err)
	}
	if err := migratePostgres(pctx, db, where); err != nil {
		db.Close()
		return nil, err
	}
	h := &sqlDB{DB: db, d: postgresDialect}
	s := &DB{w: h, r: h, d: postgresDialect, where: where, pinPath: pinKeyPath(Options{}, "")}
	s.startSequencer()
	return s, nil
}

// Redact hides a URL's password for messages.
func Redact(url string) string {
	scheme, rest, ok := strings.Cut(url, "://")
	if !ok {
		return url
	}
	cred, host, ok := strings.Cut(rest, "@")
	if !ok {
		return url
	}
	if user, _, hasPass := strings.Cut(cred, ":"); hasPass {
		return scheme + "://" + user + ":***@" + host
	}
	return url
}

func migratePostgres(ctx context.Context, db *sql.DB, where string) error {
	conn, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	// One process migrates; the others wait and then find nothing to do.
	if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock(hashtextextended('opentill-scaleunit-migrate', 0))`); err != nil {
		return fmt.Errorf("locking %s for its schema migration: %w", where, err)
	}
	defer conn.ExecContext(context.Background(), `SELECT pg_advisory_unlock(hashtextextended('opentill-scaleunit-migrate', 0))`) //nolint:errcheck // the lock also ends with the connection
	if _, err := conn.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied TEXT NOT NULL, by_version TEXT NOT NULL)`); err != nil {
		return fmt.Errorf("creating the migration table in %s (does the user own the database?): %w", where, err)
	}
	var cur int
	if err := conn.QueryRowContext(ctx, `SELECT coalesce(max(version), 0) FROM schema_migrations`).Scan(&cur); err != nil {
		return err
	}
	if cur > len(pgMigrations) {
		return newerSchema(where, cur, len(pgMigrations))
	}
	for v := cur; v < len(pgMigrations); v++ {
		err := upgradeStep(ctx, conn, where, v+1, func(tx *sql.Tx) error {
			if _, err := tx.ExecContext(ctx, pgMigrations[v]); err != nil {
				return err
			}
			if fill := pgBackfills[v+1]; fill != nil {
				if err := fill(ctx, &sqlTx{Tx: tx, d: postgresDialect}); err != nil {
					return err
				}
			}
			_, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations(version, applied, by_version) VALUES($1, $2, $3)`, v+1, now(), version.Get().Version)
			return err
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// storePartition makes the uploads partition of a store (on PostgreSQL).
func storePartition(ctx context.Context, tx *sqlTx, storeID string) error {
	if tx.d != postgresDialect {
		return nil
	}
	sum := sha256.Sum256([]byte(storeID))
	name := "uploads_s" + hex.EncodeToString(sum[:8])
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM pg_class WHERE relname = ?`, name).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return nil
	}
	if err := tx.lock(ctx, "partitions"); err != nil {
		return err
	}
	lit := "'" + strings.ReplaceAll(storeID, "'", "''") + "'"
	if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS `+name+` PARTITION OF uploads FOR VALUES IN (`+lit+`)`); err != nil {
		return fmt.Errorf("making the uploads partition of store %s: %w", storeID, err)
	}
	return nil
}

// pgRetryable tells the errors after which a transaction simply runs again:
// a serialization failure, a deadlock, or a unique key another process
// inserted first.
func pgRetryable(err error) bool {
	var pe *pgconn.PgError
	if !errors.As(err, &pe) {
		return false
	}
	switch pe.Code {
	case "40001", "40P01", "23505":
		return true
	}
	return false
}

// Options are what opening the storage may take besides where it is.
type Options struct {
	// PINKeyFile is the chain's PIN key file (pinkey.go). "" is the file
	// $SCALEUNIT_PIN_KEY names, else PINKeyFile in a SQLite data folder; a
	// PostgreSQL database needs one of the two.
	PINKeyFile string
}

// Open opens the scale unit's storage at where: a PostgreSQL URL
// (postgres://…) or a data folder holding the SQLite database.
func Open(ctx context.Context, where string) (*DB, error) { return OpenWith(ctx, where, Options{}) }

// OpenWith is Open with options.
func OpenWith(ctx context.Context, where string, o Options) (*DB, error) {
	var db *DB
	var err error
	if IsPostgresURL(where) {
		db, err = OpenPostgres(ctx, where)
	} else {
		db, err = OpenSQLite(where)
	}
	if err != nil {
		return nil, err
	}
	if o.PINKeyFile != "" {
		db.pinPath = o.PINKeyFile
	}
	return db, nil
}
