package scaleunit

// Admin tokens (SQLite schema 15, PostgreSQL migration 13): the bearer
// tokens of the admin API (adminapi.go), apart from the tills' tokens. The
// server keeps each token's SHA-256 only; the token itself is printed once
// by scaleunit admin token create. A token made for some stores changes
// only those stores' setup, documents and tills.

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/opentill/opentill/offline/api"
)

var adminTokenSchema = []string{
	`CREATE TABLE IF NOT EXISTS admin_tokens (
    name       TEXT PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    stores     TEXT NOT NULL,
    created    TEXT NOT NULL,
    last_used  TEXT NOT NULL DEFAULT '',
    revoked    TEXT NOT NULL DEFAULT '')`,
}

// AdminToken is an admin API token as the server keeps it: its name, the
// stores it is for, and when it was made, last used and revoked. The
// token's hash never leaves the storage.
type AdminToken struct {
	Name     string    `json:"name"`
	Stores   []string  `json:"stores"` // none: the whole chain
	Created  time.Time `json:"created"`
	LastUsed time.Time `json:"last_used,omitzero"`
	Revoked  time.Time `json:"revoked,omitzero"`
	hash     string
}

// Chain says the token is for the whole chain: it may change the data every
// store shares (products, prices, roles, operators).
func (t AdminToken) Chain() bool { return len(t.Stores) == 0 }

// Allows says the token may change store storeID's setup, documents and
// tills.
func (t AdminToken) Allows(storeID string) bool {
	return t.Chain() || slices.Contains(t.Stores, storeID)
}

// Scope names what the token may change, for messages and listings.
func (t AdminToken) Scope() string {
	if t.Chain() {
		return "the whole chain"
	}
	return "stores " + strings.Join(t.Stores, ",")
}

var adminTokenName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$`)

// NewAdminToken makes an admin token named name for the stores given (none:
// the whole chain), keeps its hash and returns the token, which is shown
// this once.
func NewAdminToken(ctx context.Context, st Storage, name string, stores []string) (string, error) {
	token := api.AdminTokenPrefix + NewSecret(32)
	if err := st.PutAdminToken(ctx, name, stores, HashSecret(token)); err != nil {
		return "", err
	}
	return token, nil
}

// PutAdminToken implements Storage.
func (s *DB) PutAdminToken(ctx context.Context, name string, stores []string, tokenHash string) error {
	if !adminTokenName.MatchString(name) {
		return fmt.Errorf("admin token name %q: use 1 to 64 letters, digits, dots, dashes, underscores and @, starting with a letter or digit: %w", name, ErrInvalid)
	}
	if len(tokenHash) != 64 {
		return fmt.Errorf("admin token %s: the token's hash must be a hex SHA-256: %w", name, ErrInvalid)
	}
	var list []string
	for _, st := range stores {
		if st = strings.TrimSpace(st); st != "" && !slices.Contains(list, st) {
			list = append(list, st)
		}
	}
	slices.Sort(list)
	b, err := json.Marshal(append([]string{}, list...))
	if err != nil {
		return err
	}
	return s.tx(ctx, func(tx *sqlTx) error {
		for _, st := range list {
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM stores WHERE id = ?`, st).Scan(&n); err != nil {
				return err
			}
			if n == 0 {
				return fmt.Errorf("admin token %s: store %s does not exist (scaleunit store add --id %s, or name another store): %w", name, st, st, ErrInvalid)
			}
		}
		var revoked string
		err := tx.QueryRowContext(ctx, `SELECT revoked FROM admin_tokens WHERE name = ?`, name).Scan(&revoked)
		switch {
		case err == nil && revoked == "":
			return fmt.Errorf("there is an admin token named %s: revoke it first (scaleunit admin token revoke --name %s) or choose another name: %w", name, name, ErrConflict)
		case err == nil:
			// A revoked token's name is free again.
			if _, err := tx.ExecContext(ctx, `DELETE FROM admin_tokens WHERE name = ?`, name); err != nil {
				return err
			}
		case !errors.Is(err, sql.ErrNoRows):
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO admin_tokens(name, token_hash, stores, created) VALUES(?, ?, ?, ?)`, name, tokenHash, string(b), now())
		return err
	})
}

// AdminTokens implements Storage.
func (s *DB) AdminTokens(ctx context.Context) ([]AdminToken, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT name, token_hash, stores, created, last_used, revoked FROM admin_tokens ORDER BY name`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []AdminToken
	for rows.Next() {
		var t AdminToken
		var stores, created, used, revoked string
		if err := rows.Scan(&t.Name, &t.hash, &stores, &created, &used, &revoked); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(stores), &t.Stores); err != nil {
			return nil, fmt.Errorf("the stores of admin token %s are unreadable: %w", t.Name, err)
		}
		if len(t.Stores) == 0 {
			t.Stores = nil
		}
		// Shown only; the server writes them itself.
		t.Created, _ = time.Parse(time.RFC3339Nano, created)
		t.LastUsed, _ = time.Parse(time.RFC3339Nano, used)
		t.Revoked, _ = time.Parse(time.RFC3339Nano, revoked)
		out = append(out, t)
	}
	return out, rows.Err()
}

// RevokeAdminToken implements Storage.
func (s *DB) RevokeAdminToken(ctx context.Context, name string) error {
	res, err := s.w.ExecContext(ctx, `UPDATE admin_tokens SET revoked = ? WHERE name = ? AND revoked = ''`, now(), name)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		return fmt.Errorf("there is no admin token named %s that is not revoked (scaleunit admin token list shows them): %w", name, ErrNotFound)
	}
	return nil
}

// UsedAdminToken implements Storage.
func (s *DB) UsedAdminToken(ctx context.Context, name string, at time.Time) error {
	_, err := s.w.ExecContext(ctx, `UPDATE admin_tokens SET last_used = ? WHERE name = ?`, at.UTC().Format(time.RFC3339Nano), name)
	return err
}
