package store

import (
	"context"
	"database/sql"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/opentill/opentill/pos/poserr"
)

// readOnlyDSN opens the database for reading only. A database without a
// write-ahead log beside it (the till closed cleanly, or a copy) is opened
// immutable: SQLite then takes no locks and creates no -shm file, so it
// works on read-only media and leaves the folder exactly as it was. With a
// -wal file (the till is running, or stopped without closing) the log must
// be read too, so it is opened in plain read-only mode.
func readOnlyDSN(path string, immutable bool) string {
	params := []string{"mode=ro", "_pragma=busy_timeout(5000)", "_pragma=query_only(1)"}
	if immutable {
		params = append(params, "immutable=1")
	}
	return "file:" + escapePath(path) + "?" + strings.Join(params, "&")
}

// OpenReadOnly opens an existing data folder for reading only, for
// posctl journal verify and an auditor's copy that may be mounted read-only:
// it creates, migrates and writes nothing (a missing folder or one without a
// till.db is refused, not made) and loads no private key. A folder of an
// older schema is read as it is. Every write on the returned store fails.
func OpenReadOnly(dir string) (*Store, error) {
	if dir == "" {
		return nil, poserr.E(poserr.Storage, "error.storage.no_folder", "no data folder given: name the folder that holds the till's till.db")
	}
	fi, err := os.Stat(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, poserr.Wrap(err, poserr.Storage, "error.storage.no_folder", "there is no data folder %s: name the folder that holds the till's till.db (nothing was created)", dir)
	}
	if err != nil {
		return nil, poserr.Wrap(err, poserr.Storage, "error.storage.no_folder", "reading the data folder %s", dir)
	}
	if !fi.IsDir() {
		return nil, poserr.E(poserr.Storage, "error.storage.no_folder", "%s is a file, not a data folder: name the folder that holds the till's till.db", dir)
	}
	path := filepath.Join(dir, FileName)
	db, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) || (err == nil && db.Size() == 0) {
		return nil, poserr.E(poserr.Storage, "error.storage.empty_folder",
			"%s holds no till database (%s is missing or empty): it is not an OpenTill data folder, or the wrong one; nothing was created", dir, FileName)
	}
	if err != nil {
		return nil, poserr.Wrap(err, poserr.Storage, "error.storage.open", "reading %s", path)
	}
	_, walErr := os.Stat(path + "-wal")
	hasWAL := walErr == nil
	r, err := sql.Open("sqlite", readOnlyDSN(path, !hasWAL))
	if err != nil {
		return nil, poserr.Wrap(err, poserr.Storage, "error.storage.open", "opening %s for reading", path)
	}
	r.SetMaxOpenConns(maxReaders)
	s := &Store{path: path, w: r, r: r, readOnly: true}
	ctx := context.Background()
	fail := func(err error) (*Store, error) {
		_ = r.Close() // nothing was written; the open's error is the one to report
		return nil, err
	}
	if err := r.QueryRowContext(ctx, "PRAGMA user_version").Scan(&s.version); err != nil {
		if hasWAL {
			return fail(poserr.Wrap(err, poserr.Storage, "error.storage.readonly_wal",
				"reading %s: it has a write-ahead log (%s-wal) that cannot be read in place; stop the till, or copy the whole folder to a writable place and verify the copy", path, FileName))
		}
		return fail(poserr.Wrap(err, poserr.Storage, "error.storage.open", "reading the schema version of %s (is it an OpenTill data folder?)", path))
	}
	if latest := SchemaVersion(); s.version > latest {
		return fail(poserr.Wrap(ErrNewerSchema, poserr.Storage, "error.storage.newer_schema",
			"%s has schema version %d but this OpenTill knows only up to version %d: use the newer OpenTill to verify it", path, s.version, latest))
	}
	if s.version < 1 {
		return fail(poserr.E(poserr.Storage, "error.storage.empty_folder", "%s has no OpenTill schema: it is not a till database", path))
	}
	g, ok, err := readSigning(ctx, r)
	if err != nil {
		return fail(poserr.Wrap(err, poserr.Storage, "error.storage.key_read", "reading the journal signing record of %s", path))
	}
	if ok {
		s.signing = g
	}
	return s, nil
}

// ReadOnly reports whether the store was opened with OpenReadOnly.
func (s *Store) ReadOnly() bool { return s.readOnly }

// sigCols are the journal's signature columns as the file's schema has them.
func (s *Store) sigCols() string {
	if s.version >= 4 {
		return "key_id, counter, sig"
	}
	return "'', 0, ''"
}

// journalCols are the journal columns scanEntry reads.
func (s *Store) journalCols() string {
	return "seq, time, kind, op, txn_id, receipt_no, operator, approver, payload, prev_hash, hash, " + s.sigCols()
}

// errReadOnly is what a write on a read-only store returns.
func (s *Store) errReadOnly() error {
	return poserr.E(poserr.Storage, "error.storage.read_only", "%s was opened read-only (for verifying): nothing can be written", s.path)
}
