package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/opentill/opentill/offline/api"
	"github.com/opentill/opentill/offline/apimap"
	"github.com/opentill/opentill/pos"
	"github.com/opentill/opentill/pos/poserr"
	"github.com/opentill/opentill/pos/staff"
)

// SyncCursor returns the cursor of a delta feed: the sequence number of the
// last change applied (0 before the first pull).
func (s *Store) SyncCursor(ctx context.Context, dataset string) (int64, error) {
	var c int64
	err := s.r.QueryRowContext(ctx, `SELECT cursor FROM sync_cursors WHERE dataset = ?`, dataset).Scan(&c)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return c, readErr(err, "reading the sync cursor of %s", dataset)
}

// SyncCursors returns the cursors of every feed pulled so far.
func (s *Store) SyncCursors(ctx context.Context) (map[string]int64, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT dataset, cursor FROM sync_cursors`)
	if err != nil {
		return nil, readErr(err, "reading the sync cursors")
	}
	defer rows.Close()
	out := map[string]int64{}
	for rows.Next() {
		var ds string
		var c int64
		if err := rows.Scan(&ds, &c); err != nil {
			return nil, readErr(err, "reading the sync cursors")
		}
		out[ds] = c
	}
	return out, readErr(rows.Err(), "reading the sync cursors")
}

// ApplyPage applies one page of a delta feed and moves the feed's cursor to
// next, all in one transaction: after an error or a crash the store holds
// either the whole page or none of it, and the next pull resumes from the
// cursor. The page must have been validated (api.Page.Validate); a change
// the store refuses (a product without a tax group, a barcode of another
// product …) fails the whole page with an error naming it.
//
// Operators keep the till's own failed-sign-in count and lock when they are
// updated; the server's values apply to new operators only. A price change of
// a product the till does not have is skipped (its product change follows).
func (s *Store) ApplyPage(ctx context.Context, dataset string, changes []api.Change, next int64) error {
	if !api.ValidDataset(dataset) {
		return poserr.E(poserr.Invalid, "error.sync.dataset", "unknown sync dataset %q; nothing was applied", dataset)
	}
	err := s.write(ctx, func(tx *sql.Tx) error {
		var cur int64
		err := tx.QueryRowContext(ctx, `SELECT cursor FROM sync_cursors WHERE dataset = ?`, dataset).Scan(&cur)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if next < cur {
			return poserr.E(poserr.Conflict, "error.sync.cursor_back",
				"the %s feed page ends at cursor %d, behind the till's cursor %d; nothing was applied", dataset, next, cur)
		}
		var ps *productStmts
		if dataset == api.DatasetProducts && len(changes) > 0 {
			if ps, err = prepareProductStmts(ctx, tx); err != nil {
				return err
			}
			defer ps.close()
		}
		for i := range changes {
			c := &changes[i]
			if c.Seq <= cur {
				continue // already applied by an earlier pass
			}
			if err := s.applyChange(ctx, tx, ps, dataset, c); err != nil {
				var pe *poserr.Error
				if errors.As(err, &pe) {
					return poserr.Wrap(err, pe.Kind, pe.Key, "%s change %d (key %q)", dataset, c.Seq, c.Key)
				}
				return fmt.Errorf("%s change %d (key %q): %w", dataset, c.Seq, c.Key, err)
			}
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO sync_cursors(dataset, cursor, updated) VALUES(?, ?, ?)
			ON CONFLICT(dataset) DO UPDATE SET cursor = excluded.cursor, updated = excluded.updated`, dataset, next, nowText())
		return err
	})
	if err != nil {
		var pe *poserr.Error
		if errors.As(err, &pe) {
			return err
		}
		return poserr.Wrap(err, poserr.Storage, "error.sync.apply", "applying a page of the %s feed failed in the local store; nothing of it was applied", dataset)
	}
	return nil
}

func (s *Store) applyChange(ctx context.Context, tx *sql.Tx, ps *productStmts, dataset string, c *api.Change) error {
	switch dataset {
	case api.DatasetProducts:
		if c.Deleted {
			return deleteProductTx(ctx, tx, c.Key)
		}
		return ps.upsert(ctx, apimap.ProductFrom(*c.Product))
	case api.DatasetPrices:
		if c.Deleted {
			return nil
		}
		_, err := tx.ExecContext(ctx, `UPDATE products SET price = ? WHERE id = ?`, c.Price.Price, c.Price.ProductID)
		return err
	case api.DatasetStaff:
		return applyStaff(ctx, tx, c)
	case api.DatasetConfig:
		switch {
		case strings.HasPrefix(c.Key, "ext:") && c.Deleted:
			_, err := tx.ExecContext(ctx, `DELETE FROM settings WHERE key = ?`, c.Key)
			return err
		case c.Extension != nil:
			// written into DATA/extensions by the sync engine after the pull
			return putSettingTx(ctx, tx, c.Key, *c.Extension)
		case strings.HasPrefix(c.Key, "doc:") && c.Deleted:
			_, err := tx.ExecContext(ctx, `DELETE FROM settings WHERE key = ?`, docSetting(strings.TrimPrefix(c.Key, "doc:")))
			return err
		case c.Deleted:
			return nil // a till always keeps a setup
		case c.Document != nil:
			// checked by the server; used from the next start
			return putSettingTx(ctx, tx, docSetting(c.Document.Name), c.Document.Body)
		}
		return saveSetupTx(ctx, tx, apimap.SetupFrom(*c.Setup))
	case api.DatasetCustomers:
		return applyCustomer(ctx, tx, c)
	case api.DatasetLoyalty:
		return s.applyLoyalty(ctx, tx, c)
	case api.DatasetRecommendations:
		return applyRecommendation(ctx, tx, c)
	case api.DatasetStock:
		return s.applyStock(ctx, tx, c)
	case api.DatasetCounts:
		return s.applyCount(ctx, tx, c)
	case api.DatasetDocs:
		return applyDoc(ctx, tx, c)
	case api.DatasetOrders:
		return applyOrder(ctx, tx, c)
	case api.DatasetBalances:
		return s.applyBalance(ctx, tx, c)
	}
	return nil
}

func deleteProductTx(ctx context.Context, tx *sql.Tx, id string) error {
	var rid int64
	var name string
	err := tx.QueryRowContext(ctx, `SELECT rid, name FROM products WHERE id = ?`, id).Scan(&rid, &name)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO products_fts(products_fts, rowid, name) VALUES('delete', ?, ?)`, rid, name); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM barcodes WHERE product_id = ?`, id); err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `DELETE FROM products WHERE rid = ?`, rid)
	return err
}

func applyStaff(ctx context.Context, tx *sql.Tx, c *api.Change) error {
	kind, id, _ := cutKey(c.Key)
	if c.Deleted {
		switch kind {
		case "role":
			_, err := tx.ExecContext(ctx, `DELETE FROM roles WHERE id = ?`, id)
			return err
		case "operator":
			_, err := tx.ExecContext(ctx, `DELETE FROM operators WHERE id = ?`, id)
			return err
		}
		return poserr.E(poserr.Invalid, "error.sync.staff_key", "staff change key %q is neither role:ID nor operator:ID", c.Key)
	}
	if c.Role != nil {
		r := apimap.RoleFrom(*c.Role)
		perms := r.Permissions
		if perms == nil {
			perms = []staff.Permission{}
		}
		pj, err := json.Marshal(perms)
		if err != nil {
			return fmt.Errorf("role %q: %w", r.ID, err)
		}
		lj, err := json.Marshal(r.Limits)
		if err != nil {
			return fmt.Errorf("role %q: %w", r.ID, err)
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO roles(id, name, manager, permissions, limits) VALUES(?, ?, ?, ?, ?)
			ON CONFLICT(id) DO UPDATE SET name = excluded.name, manager = excluded.manager,
				permissions = excluded.permissions, limits = excluded.limits`,
			r.ID, r.Name, b2i(r.Manager), string(pj), string(lj))
		return err
	}
	o := apimap.OperatorFrom(*c.Operator)
	if err := staff.ValidateHash(o.PasswordHash); err != nil {
		return poserr.E(poserr.Invalid, "error.staff.invalid", "operator %q: the server sent a password that is not an argon2id hash", o.ID)
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO operators(id, name, role_id, language, password_hash, failed_logins, locked)
		VALUES(?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT(id) DO UPDATE SET name = excluded.name, role_id = excluded.role_id, language = excluded.language,
			password_hash = excluded.password_hash`,
		o.ID, o.Name, o.RoleID, o.Language, o.PasswordHash, o.FailedLogins, b2i(o.Locked))
	return err
}

func cutKey(key string) (kind, id string, ok bool) {
	for i := 0; i < len(key); i++ {
		if key[i] == ':' {
			return key[:i], key[i+1:], true
		}
	}
	return "", key, false
}

func saveSetupTx(ctx context.Context, tx *sql.Tx, setup pos.Setup) error {
	if setup.StoreID == "" || setup.TerminalID == "" {
		return poserr.E(poserr.Invalid, "error.storage.setup_ids", "the setup needs a store ID and a terminal ID")
	}
	b, err := json.Marshal(setup)
	if err != nil {
		return err
	}
	sid, _ := json.Marshal(setup.StoreID)    // a string always marshals
	tid, _ := json.Marshal(setup.TerminalID) // a string always marshals
	for _, kv := range [][2]string{{keySetup, string(b)}, {keyStoreID, string(sid)}, {keyTerminalID, string(tid)}} {
		if _, err := tx.ExecContext(ctx, `INSERT INTO settings(key, value) VALUES(?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`, kv[0], kv[1]); err != nil {
			return err
		}
	}
	return nil
}
