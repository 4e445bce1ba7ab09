// Package store is the till's local SQLite store: products and their search
// index, staff, finished and suspended transactions, the receipt-number
// sequence, the hash-chained electronic journal and the sync outbox. It
// implements pos.Store on modernc.org/sqlite (pure Go).
//
// One writer connection (BEGIN IMMEDIATE, synchronous=FULL) serialises every
// change; a small pool of query-only connections serves lookups and search
// while a commit is running (WAL). The schema is migrated forward from
// embedded SQL files, versioned by PRAGMA user_version.
package store

import (
	"context"
	"database/sql"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"modernc.org/sqlite" // registers the "sqlite" driver
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/opentill/opentill/internal/version"
	"github.com/opentill/opentill/pos"
	"github.com/opentill/opentill/pos/journal"
	"github.com/opentill/opentill/pos/poserr"
)

// FileName is the database file inside the data folder.
const FileName = "till.db"

// Page-cache bounds. Every connection has its own cache, so these keep a till
// with a million products well inside its memory budget.
const (
	writerCacheKiB = 8000
	readerCacheKiB = 4000
	maxReaders     = 4
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// ErrNewerSchema is wrapped by Open when the data folder was written by a
// newer OpenTill than this one.
var ErrNewerSchema = errors.New("data folder was written by a newer OpenTill")

// Store is the SQLite store of one till. It is safe for concurrent use.
type Store struct {
	path string
	w    *sql.DB // the one writer connection
	r    *sql.DB // query-only reader pool

	ws       map[string]*sql.Stmt // commit statements prepared on the writer
	importMu sync.Mutex           // one bulk import at a time
	closeMu  sync.Mutex
	closed   bool

	key      *journal.Key // signs every journal entry; nil when read-only
	signing  Signing      // the record of key
	readOnly bool         // OpenReadOnly: w is the reader pool, nothing is written
	version  int          // the file's schema version
}

var _ pos.Store = (*Store)(nil)

// writerDSN is the writer's DSN: busy_timeout first so that nothing after it
// can fail with SQLITE_BUSY, then WAL, foreign keys, synchronous=FULL (each
// commit is on disk when it returns) and BEGIN IMMEDIATE transactions, so a
// write transaction takes the write lock up front and never fails half-way
// on a lock upgrade.
func writerDSN(path string) string {
	return "file:" + escapePath(path) + "?" + strings.Join([]string{
		"_pragma=busy_timeout(5000)",
		"_pragma=journal_mode(WAL)",
		"_pragma=foreign_keys(ON)",
		"_pragma=synchronous(FULL)",
		fmt.Sprintf("_pragma=cache_size(-%d)", writerCacheKiB),
		"_pragma=mmap_size(0)",
		"_txlock=immediate",
	}, "&")
}

// readerDSN is the readers' DSN: query-only connections on the WAL database.
func readerDSN(path string) string {
	return "file:" + escapePath(path) + "?" + strings.Join([]string{
		"_pragma=busy_timeout(5000)",
		"_pragma=journal_mode(WAL)",
		"_pragma=query_only(1)",
		fmt.Sprintf("_pragma=cache_size(-%d)", readerCacheKiB),
		"_pragma=mmap_size(0)",
	}, "&")
}

// escapePath escapes the characters that would end the file name in a URI.
func escapePath(p string) string {
	return strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace(p)
}

// DirMode is the permission a new data folder is made with: the till's user
// only.
const DirMode = 0o700

// Open opens (creating if needed, mode 0700) the store in the data folder
// dir, migrates its schema to the version this build knows and loads the
// till's journal signing key (KeyFile), making it at the first start.
func Open(dir string) (*Store, error) {
	if dir == "" {
		return nil, poserr.E(poserr.Storage, "error.storage.open", "opening the local store: no data folder given")
	}
	if err := os.MkdirAll(dir, DirMode); err != nil {
		return nil, poserr.Wrap(err, poserr.Storage, "error.storage.open", "creating the data folder %s", dir)
	}
	path := filepath.Join(dir, FileName)
	w, err := sql.Open("sqlite", writerDSN(path))
	if err != nil {
		return nil, poserr.Wrap(err, poserr.Storage, "error.storage.open", "opening the local store %s", path)
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	w.SetConnMaxIdleTime(0)
	s := &Store{path: path, w: w}
	// On the failures below the open's error is the one to report: nothing
	// was written but completed migrations (each committed on its own), so
	// closing the half-open store has nothing to lose.
	if err := s.migrate(context.Background()); err != nil {
		w.Close()
		return nil, err
	}
	s.version = SchemaVersion()
	if err := s.setUpKey(context.Background()); err != nil {
		w.Close()
		return nil, err
	}
	if err := s.prepareWriter(context.Background()); err != nil {
		w.Close()
		return nil, poserr.Wrap(err, poserr.Storage, "error.storage.open", "preparing the statements of the local store %s", path)
	}
	r, err := sql.Open("sqlite", readerDSN(path))
	if err != nil {
		w.Close()
		return nil, poserr.Wrap(err, poserr.Storage, "error.storage.open", "opening the local store %s for reading", path)
	}
	r.SetMaxOpenConns(maxReaders)
	r.SetMaxIdleConns(2)
	s.r = r
	if err := r.Ping(); err != nil {
		s.Close() // see above: the open's error is the one to report
		return nil, poserr.Wrap(err, poserr.Storage, "error.storage.open", "opening the local store %s for reading", path)
	}
	return s, nil
}

// Close closes the store and folds the write-ahead log back into the
// database file. Every commit was on disk when it returned, so a failed
// close loses nothing (the next Open replays the WAL), but it says the disk
// or the file is in trouble: it is reported, kind poserr.Storage. A
// checkpoint another process's reader holds up is not an error; the WAL
// then stays until the next open.
func (s *Store) Close() error {
	s.closeMu.Lock()
	defer s.closeMu.Unlock()
	if s.closed {
		return nil
	}
	s.closed = true
	var errs []error
	if s.readOnly {
		if err := s.r.Close(); err != nil {
			return poserr.Wrap(err, poserr.Storage, "error.storage.close", "closing the local store %s", s.path)
		}
		return nil
	}
	if s.r != nil {
		if err := s.r.Close(); err != nil {
			errs = append(errs, fmt.Errorf("closing the readers: %w", err))
		}
	}
	for _, st := range s.ws {
		if err := st.Close(); err != nil {
			errs = append(errs, fmt.Errorf("closing a prepared statement: %w", err))
		}
	}
	if s.w != nil {
		var busy, frames, done int
		if err := s.w.QueryRow("PRAGMA wal_checkpoint(TRUNCATE)").Scan(&busy, &frames, &done); err != nil {
			errs = append(errs, fmt.Errorf("checkpointing the write-ahead log: %w", err))
		}
		if err := s.w.Close(); err != nil {
			errs = append(errs, fmt.Errorf("closing the writer: %w", err))
		}
	}
	if len(errs) == 0 {
		return nil
	}
	return poserr.Wrap(errors.Join(errs...), poserr.Storage, "error.storage.close",
		"closing the local store %s (every saved sale is kept and the next start replays the write-ahead log; check the disk)", s.path)
}

// Path returns the database file's path.
func (s *Store) Path() string { return s.path }

// migration is one embedded schema step.
type migration struct {
	version int
	name    string
	sql     string
}

// migrations lists the embedded migrations by version. File names start with
// the version number: 0001_init.sql.
func migrations() ([]migration, error) {
	entries, err := fs.ReadDir(migrationFS, "migrations")
	if err != nil {
		return nil, err
	}
	var out []migration
	for _, e := range entries {
		name := e.Name()
		if !strings.HasSuffix(name, ".sql") {
			continue
		}
		num, _, _ := strings.Cut(name, "_")
		v, err := strconv.Atoi(num)
		if err != nil || v <= 0 {
			return nil, fmt.Errorf("migration file %s does not start with a version number", name)
		}
		b, err := migrationFS.ReadFile("migrations/" + name)
		if err != nil {
			return nil, err
		}
		out = append(out, migration{version: v, name: name, sql: string(b)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].version < out[j].version })
	for i, m := range out {
		if m.version != i+1 {
			return nil, fmt.Errorf("migration %s: expected version %d", m.name, i+1)
		}
	}
	return out, nil
}

// SchemaVersion is the schema version this build migrates to.
func SchemaVersion() int {
	ms, err := migrations()
	if err != nil || len(ms) == 0 {
		return 0
	}
	return ms[len(ms)-1].version
}

// migrate applies the migrations newer than the file's user_version, each in
// its own transaction together with the new user_version.
func (s *Store) migrate(ctx context.Context) error {
	ms, err := migrations()
	if err != nil {
		return poserr.Wrap(err, poserr.Storage, "error.storage.migrate", "reading the built-in schema migrations")
	}
	var cur int
	if err := s.w.QueryRowContext(ctx, "PRAGMA user_version").Scan(&cur); err != nil {
		return poserr.Wrap(err, poserr.Storage, "error.storage.open", "reading the schema version of %s (is it an OpenTill data folder?)", s.path)
	}
	latest := 0
	if len(ms) > 0 {
		latest = ms[len(ms)-1].version
	}
	if cur > latest {
		by, install := "a newer OpenTill", "the newer OpenTill"
		if last, ok := s.lastOpenedBy(ctx); ok && last.Version != "" {
			by, install = "OpenTill "+last.Version, "OpenTill "+last.Version+" or newer"
		}
		return poserr.Wrap(ErrNewerSchema, poserr.Storage, "error.storage.newer_schema",
			"%s has schema version %d (last opened by %s) but this OpenTill (%s) knows only up to version %d: "+
				"a downgrade is not possible; install %s; the data was not changed",
			s.path, cur, by, version.Get().Version, latest, install)
	}
	for _, m := range ms {
		if m.version <= cur {
			continue
		}
		if err := s.apply(ctx, m); err != nil {
			return poserr.Wrap(err, poserr.Storage, "error.storage.migrate",
				"upgrading the local store to schema version %d (%s); the store was left at version %d", m.version, m.name, m.version-1)
		}
	}
	return s.noteOpenedBy(ctx, latest)
}

// keyOpenedBy is the setting that lists the OpenTill versions that opened
// the data folder, oldest first: one entry each time the version changed.
const keyOpenedBy = "opened_by"

// maxOpenedBy bounds that list.
const maxOpenedBy = 50

// OpenedBy is one OpenTill version that opened the data folder.
type OpenedBy struct {
	Version string    `json:"version"`
	Commit  string    `json:"commit"`
	Schema  int       `json:"schema"` // the schema version it migrated the folder to
	At      time.Time `json:"at"`     // when it first opened it
}

func (s *Store) readOpenedBy(ctx context.Context) ([]OpenedBy, error) {
	var raw string
	err := s.w.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = ?`, keyOpenedBy).Scan(&raw)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var list []OpenedBy
	if err := json.Unmarshal([]byte(raw), &list); err != nil {
		return nil, err
	}
	return list, nil
}

// lastOpenedBy reads the newest entry without changing anything (a folder
// of a newer schema may not be written).
func (s *Store) lastOpenedBy(ctx context.Context) (OpenedBy, bool) {
	list, err := s.readOpenedBy(ctx)
	if err != nil || len(list) == 0 {
		return OpenedBy{}, false
	}
	return list[len(list)-1], true
}

// noteOpenedBy adds this build to the list when it is not its newest entry
// (a write only the first time a version opens the folder).
func (s *Store) noteOpenedBy(ctx context.Context, schema int) error {
	v := version.Get()
	list, err := s.readOpenedBy(ctx)
	if err != nil {
		// An unreadable list is replaced: it is a record for people only.
		list = nil
	}
	if n := len(list); n > 0 && list[n-1].Version == v.Version && list[n-1].Commit == v.Commit && list[n-1].Schema == schema {
		return nil
	}
	list = append(list, OpenedBy{Version: v.Version, Commit: v.Commit, Schema: schema, At: time.Now().UTC()})
	if len(list) > maxOpenedBy {
		list = list[len(list)-maxOpenedBy:]
	}
	b, err := json.Marshal(list)
	if err != nil {
		return poserr.Wrap(err, poserr.Storage, "error.storage.open", "recording the OpenTill version in %s", s.path)
	}
	if _, err := s.w.ExecContext(ctx, `INSERT INTO settings(key, value) VALUES(?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`,
		keyOpenedBy, string(b)); err != nil {
		return poserr.Wrap(err, poserr.Storage, "error.storage.open", "recording the OpenTill version in %s", s.path)
	}
	return nil
}

// OpenedBy lists the OpenTill versions that opened the data folder, oldest
// first (one entry per change of version).
func (s *Store) OpenedBy(ctx context.Context) ([]OpenedBy, error) {
	list, err := s.readOpenedBy(ctx)
	return list, readErr(err, "reading the versions that opened the data folder")
}

func (s *Store) apply(ctx context.Context, m migration) (err error) {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer rollback(tx, &err)
	if _, err := tx.ExecContext(ctx, m.sql); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", m.version)); err != nil {
		return err
	}
	return tx.Commit()
}

// write runs fn in one immediate write transaction and commits it. Any error
// rolls everything back.
func (s *Store) write(ctx context.Context, fn func(tx *sql.Tx) error) error {
	if s.readOnly {
		return s.errReadOnly()
	}
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		rollback(tx, &err)
		return err
	}
	return tx.Commit()
}

// storageErr and readErr are the domain's wrappers for failed changes and reads.
var (
	storageErr = poserr.StorageFailed
	readErr    = poserr.ReadFailed
)

// timeFormat is a fixed-width UTC form that sorts as text.
const timeFormat = "2006-01-02T15:04:05.000000000Z07:00"

func formatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(timeFormat)
}

func nowText() string { return formatTime(time.Now()) }

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// isConstraint reports whether err is a violated SQLite constraint (UNIQUE,
// PRIMARY KEY, NOT NULL, a trigger's RAISE(ABORT) …).
func isConstraint(err error) bool {
	var se *sqlite.Error
	return errors.As(err, &se) && se.Code()&0xff == sqlite3.SQLITE_CONSTRAINT
}
