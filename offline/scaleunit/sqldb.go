package scaleunit

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/opentill/opentill/internal/version"
	"github.com/opentill/opentill/offline/api"
)

// dialect is what differs between the SQL engines the scale unit runs on.
// The queries are written once, with ? placeholders (?N for a numbered
// one) and portable SQL; the dialect rewrites what must differ.
type dialect struct {
	name string
	// numbered placeholders ($1) instead of ?
	dollar bool
	// jsonText extracts a text field of a JSON column: path is the field
	// names from the top.
	jsonText func(col string, path ...string) string
	// jsonRemove returns the JSON column without a top-level field.
	jsonRemove func(col, field string) string
	// upsertChange is the statement that records a feed's change with a
	// new sequence number, replacing the key's earlier change (arguments:
	// dataset, store, key, deleted, payload).
	upsertChange string
	// changeHead, changeRow and changeTail make the statement that records
	// many changes at once: the head, a row per change, the tail.
	changeHead, changeRow, changeTail string
	// lock takes a lock held until the transaction ends on a key (a till,
	// a customer, a card, the feed order), for engines where several
	// writers run at once; "" where one writer is all there is.
	lock string
	// retryable tells an error after which the whole transaction may
	// simply run again (nil: never).
	retryable func(error) bool
	// feedSeq is the column feeds are read by: seq, given as a change is
	// written, or fseq, given once it is committed (sequencer.go).
	feedSeq string
}

// sequenced says the feed numbers are given once committed.
func (d *dialect) sequenced() bool { return d.feedSeq == "fseq" }

var sqliteDialect = &dialect{
	name: "sqlite",
	jsonText: func(col string, path ...string) string {
		return "json_extract(" + col + ", '$." + strings.Join(path, ".") + "')"
	},
	jsonRemove: func(col, field string) string {
		return "json_remove(" + col + ", '$." + field + "')"
	},
	upsertChange: `INSERT OR REPLACE INTO changes(dataset, store_id, key, deleted, payload) VALUES(?, ?, ?, ?, ?)`,
	changeHead:   `INSERT OR REPLACE INTO changes(dataset, store_id, key, deleted, payload) VALUES`,
	changeRow:    `(?, ?, ?, ?, ?)`,
	feedSeq:      "seq",
}

var postgresDialect = &dialect{
	name:   "postgres",
	dollar: true,
	jsonText: func(col string, path ...string) string {
		return "(" + col + "::jsonb #>> '{" + strings.Join(path, ",") + "}')"
	},
	jsonRemove: func(col, field string) string {
		return "((" + col + "::jsonb) - '" + field + "')::text"
	},
	// seq is the order changes were written in; the feed number (fseq)
	// is given once the change is committed (sequencer.go).
	upsertChange: `INSERT INTO changes(seq, dataset, store_id, key, deleted, payload) VALUES(nextval('changes_seq'), ?, ?, ?, ?, ?)
		ON CONFLICT (dataset, store_id, key) DO UPDATE SET seq = excluded.seq, fseq = NULL, deleted = excluded.deleted, payload = excluded.payload`,
	changeHead: `INSERT INTO changes(seq, dataset, store_id, key, deleted, payload) VALUES`,
	changeRow:  `(nextval('changes_seq'), ?, ?, ?, ?, ?)`,
	changeTail: ` ON CONFLICT (dataset, store_id, key) DO UPDATE SET seq = excluded.seq, fseq = NULL, deleted = excluded.deleted, payload = excluded.payload`,
	lock:       `SELECT pg_advisory_xact_lock(hashtextextended(?, 0))`,
	retryable:  pgRetryable,
	feedSeq:    "fseq",
}

// rebind rewrites ? and ?N placeholders outside string literals to $N.
func (d *dialect) rebind(q string) string {
	if !d.dollar || !strings.Contains(q, "?") {
		return q
	}
	var b strings.Builder
	b.Grow(len(q) + 16)
	n := 0
	inStr := false
	for i := 0; i < len(q); i++ {
		c := q[i]
		switch {
		case c == '\'':
			inStr = !inStr
			b.WriteByte(c)
		case c == '?' && !inStr:
			j := i + 1
			for j < len(q) && q[j] >= '0' && q[j] <= '9' {
				j++
			}
			b.WriteByte('$')
			if j > i+1 {
				b.WriteString(q[i+1 : j])
				i = j - 1
			} else {
				n++
				b.WriteString(strconv.Itoa(n))
			}
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// sqlDB is a database handle that speaks the dialect, with its prepared
// statements (SQLite; nil on PostgreSQL, whose driver keeps them).
type sqlDB struct {
	*sql.DB
	d     *dialect
	stmts *stmtCache
}

func (h *sqlDB) ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error) {
	q = h.d.rebind(q)
	if st := h.stmts.prepared(ctx, q); st != nil {
		return st.ExecContext(ctx, args...)
	}
	return h.DB.ExecContext(ctx, q, args...)
}

func (h *sqlDB) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	q = h.d.rebind(q)
	if st := h.stmts.prepared(ctx, q); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return h.DB.QueryContext(ctx, q, args...)
}

func (h *sqlDB) QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row {
	q = h.d.rebind(q)
	if st := h.stmts.prepared(ctx, q); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return h.DB.QueryRowContext(ctx, q, args...)
}

// Close closes the statements, then the handle.
func (h *sqlDB) Close() error {
	serr := h.stmts.close()
	return errors.Join(h.DB.Close(), serr)
}

// sqlTx is a transaction that speaks the dialect.
type sqlTx struct {
	*sql.Tx
	d     *dialect
	held  map[string]bool // the locks this transaction holds (until it ends)
	stmts *stmtCache      // the handle's prepared statements, or nil
	// feedLast, when set, keeps the transaction's feed changes to write
	// last (flushChanges), so that the feeds' lock is taken just before
	// the commit instead of for the rest of the transaction. Only for a
	// transaction that does not read back the changes it made.
	feedLast bool
	pending  []pendingChange
	changed  bool // a feed's change was written (the sequencer runs after the commit)
}

// pendingChange is a feed change kept to be written at the end of its
// transaction.
type pendingChange struct {
	dataset, storeID string
	c                api.Change
}

// stmt returns q's prepared statement for the transaction, or nil (then
// q is prepared once the transaction has ended).
func (t *sqlTx) stmt(ctx context.Context, q string) *sql.Stmt {
	if t.stmts == nil {
		return nil
	}
	if st := t.stmts.get(q); st != nil {
		return t.Tx.StmtContext(ctx, st)
	}
	t.stmts.want(q)
	return nil
}

func (t *sqlTx) ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error) {
	q = t.d.rebind(q)
	if st := t.stmt(ctx, q); st != nil {
		return st.ExecContext(ctx, args...)
	}
	return t.Tx.ExecContext(ctx, q, args...)
}

func (t *sqlTx) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	q = t.d.rebind(q)
	if st := t.stmt(ctx, q); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return t.Tx.QueryContext(ctx, q, args...)
}

func (t *sqlTx) QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row {
	q = t.d.rebind(q)
	if st := t.stmt(ctx, q); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return t.Tx.QueryRowContext(ctx, q, args...)
}

// lock holds a named lock until the transaction ends, on engines with
// several writers (PostgreSQL, where several server processes share the
// database); SQLite has one writer and needs none.
func (t *sqlTx) lock(ctx context.Context, key string) error {
	if t.d.lock == "" || t.held[key] {
		return nil
	}
	if _, err := t.ExecContext(ctx, t.d.lock, key); err != nil {
		return err
	}
	if t.held == nil {
		t.held = map[string]bool{}
	}
	t.held[key] = true
	return nil
}

// b2i is a flag as the integer the schema keeps.
func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

func (t *sqlTx) PrepareContext(ctx context.Context, q string) (*sql.Stmt, error) {
	return t.Tx.PrepareContext(ctx, t.d.rebind(q))
}

func (h *sqlDB) PrepareContext(ctx context.Context, q string) (*sql.Stmt, error) {
	return h.DB.PrepareContext(ctx, h.d.rebind(q))
}

// newerSchema refuses a database a newer scale unit wrote (have > know).
func newerSchema(where string, have, know int) error {
	return fmt.Errorf("%s has schema version %d but this scale unit (%s) knows only up to version %d: install the newer scale unit; the data was not changed: %w",
		where, have, version.Get().Version, know, ErrNewerSchema)
}

// upgradeStep runs one schema step, with the statement recording the new
// version, in a transaction of its own.
func upgradeStep(ctx context.Context, db interface {
	BeginTx(context.Context, *sql.TxOptions) (*sql.Tx, error)
}, where string, to int, step func(*sql.Tx) error) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := step(tx); err != nil {
		_ = tx.Rollback() // the step's error is the one to report; nothing of it was kept
		return fmt.Errorf("upgrading the scale unit's database %s to schema version %d: %w", where, to, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("upgrading the scale unit's database %s to schema version %d: %w", where, to, err)
	}
	return nil
}
