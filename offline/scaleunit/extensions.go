package scaleunit

// Extension packages (SQLite schema 13, PostgreSQL migration 11): signed
// WebAssembly extension packages the server delivers to a store's tills,
// or every store's, in the config feed (docs/extensions.md). The manifest
// and signature travel in the feed; the module, a few megabytes, is kept
// once by its SHA-256 and fetched by the tills that lack it. The server
// checks a package before any till sees it: a valid manifest and a
// signature that matches it; each till checks the signature again against
// the keys its store trusts (the extension_keys document) when it loads it.

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/opentill/opentill/extensions/wasm"
	"github.com/opentill/opentill/offline/api"
)

var extensionSchema = []string{
	`CREATE TABLE IF NOT EXISTS extension_modules (
    key   TEXT PRIMARY KEY,
    data  BYTEA NOT NULL,
    added TEXT NOT NULL)`,
}

// PublishExtension checks a signed package's files and sends the package
// to the tills of storeID ("" = every store), replacing the one of the
// same ID they had. A package that fails its check is refused
// (ErrInvalid) and reaches no till.
func (s *DB) PublishExtension(ctx context.Context, storeID string, manifest, module, signature []byte) (api.ExtensionPackage, error) {
	m, _, err := wasm.Inspect(manifest, module, signature)
	if err != nil {
		return api.ExtensionPackage{}, fmt.Errorf("the package is not published, no till got it: %v: %w", err, ErrInvalid)
	}
	sum := sha256.Sum256(module)
	pkg := api.ExtensionPackage{ID: m.ID, Version: m.Version, Manifest: string(manifest), Signature: string(signature),
		Module: hex.EncodeToString(sum[:]), Size: int64(len(module))}
	if err := pkg.Check(); err != nil {
		return api.ExtensionPackage{}, fmt.Errorf("the package is not published: %v: %w", err, ErrInvalid)
	}
	if storeID != "" {
		if _, err := s.storeSetup(ctx, storeID); err != nil {
			return api.ExtensionPackage{}, err
		}
	}
	err = s.tx(ctx, func(tx *sqlTx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO extension_modules(key, data, added) VALUES(?, ?, ?) ON CONFLICT(key) DO NOTHING`,
			pkg.Module, module, time.Now().UTC().Format(time.RFC3339)); err != nil {
			return err
		}
		return change(ctx, tx, api.DatasetConfig, storeID, api.ExtKey(pkg.ID), false, api.Change{Key: api.ExtKey(pkg.ID), Extension: &pkg})
	})
	return pkg, err
}

// WithdrawExtension tells the tills of storeID ("" = every store) to
// remove the package they were sent.
func (s *DB) WithdrawExtension(ctx context.Context, storeID, id string) error {
	key := api.ExtKey(id)
	var n int
	if err := s.r.QueryRowContext(ctx, `SELECT count(*) FROM changes WHERE dataset = ? AND store_id = ? AND key = ? AND deleted = 0`,
		api.DatasetConfig, storeID, key).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		where := "every store"
		if storeID != "" {
			where = "store " + storeID
		}
		return fmt.Errorf("extension %s was not published for %s: %w", id, where, ErrNotFound)
	}
	return s.tx(ctx, func(tx *sqlTx) error {
		return change(ctx, tx, api.DatasetConfig, storeID, key, true, api.Change{Key: key, Deleted: true})
	})
}

// Extensions lists the packages published for storeID ("" = for every
// store).
func (s *DB) Extensions(ctx context.Context, storeID string) ([]api.ExtensionPackage, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT payload FROM changes WHERE dataset = ? AND store_id = ? AND key LIKE 'ext:%' AND deleted = 0 ORDER BY key`,
		api.DatasetConfig, storeID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []api.ExtensionPackage
	for rows.Next() {
		var raw string
		if err := rows.Scan(&raw); err != nil {
			return nil, err
		}
		var c api.Change
		if err := json.Unmarshal([]byte(raw), &c); err != nil || c.Extension == nil {
			return nil, fmt.Errorf("a published extension of %q is stored damaged", storeID)
		}
		out = append(out, *c.Extension)
	}
	return out, rows.Err()
}

// ExtensionModule implements Storage.
func (s *DB) ExtensionModule(ctx context.Context, key string) ([]byte, error) {
	var data []byte
	err := s.r.QueryRowContext(ctx, `SELECT data FROM extension_modules WHERE key = ?`, key).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("extension module %s: %w", key, ErrNotFound)
	}
	return data, err
}
