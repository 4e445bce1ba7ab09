package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/opentill/opentill/offline/api"
	"github.com/opentill/opentill/offline/apimap"
	"github.com/opentill/opentill/pos/catalog"
	"github.com/opentill/opentill/pos/poserr"
)

// keyCatalogLoad is the setting present while a catalog download in bulk-load
// mode is unfinished: products are stored page by page without their search
// index entries, and the index is rebuilt once when the download completes.
// While it is set, Search falls back to scanning product names.
const keyCatalogLoad = "catalog_bulk_load"

// Bulk-load tuning.
const (
	bulkRows     = 64    // rows per multi-row product INSERT
	bulkCodeRows = 128   // rows per multi-row barcode INSERT
	bulkIDChunk  = 500   // IDs per "which of these exist" query
	bulkCacheKiB = 32768 // the writer's page cache while a download runs
)

// CatalogLoadPending reports whether a catalog download in bulk-load mode is
// unfinished (begun and not yet completed by FinishCatalogLoad): the till
// holds the pages committed so far, and its search index is incomplete.
func (s *Store) CatalogLoadPending(ctx context.Context) (bool, error) {
	var n int
	err := s.r.QueryRowContext(ctx, `SELECT count(*) FROM settings WHERE key = ?`, keyCatalogLoad).Scan(&n)
	return n > 0, readErr(err, "reading the catalog download state")
}

// ApplyCatalogPage applies one page of the products feed in bulk-load mode
// and moves the feed's cursor to next, all in one transaction, like
// ApplyPage: after an error or a crash the store holds either the whole page
// and the new cursor or neither, so an interrupted download resumes from the
// last committed page with nothing stored twice or lost.
//
// Unlike ApplyPage it does not maintain the product search index: the first
// page marks the store as bulk-loading (a persisted flag, committed with
// the page), Search falls back to scanning names until FinishCatalogLoad
// rebuilds the index in one pass and clears the flag. Products are written
// with multi-row statements; a product the store already holds (changed on
// the server after its first page was applied) is replaced, a deleted one
// removed.
func (s *Store) ApplyCatalogPage(ctx context.Context, changes []api.Change, next int64) error {
	ds := api.DatasetProducts
	if _, err := s.w.ExecContext(ctx, fmt.Sprintf(`PRAGMA cache_size = -%d`, bulkCacheKiB)); err != nil {
		return storageErr(err, "applying a page of the products feed")
	}
	err := s.write(ctx, func(tx *sql.Tx) error {
		var cur int64
		err := tx.QueryRowContext(ctx, `SELECT cursor FROM sync_cursors WHERE dataset = ?`, ds).Scan(&cur)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if next < cur {
			return poserr.E(poserr.Conflict, "error.sync.cursor_back",
				"the %s feed page ends at cursor %d, behind the till's cursor %d; nothing was applied", ds, next, cur)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO settings(key, value) VALUES(?, 'true') ON CONFLICT(key) DO NOTHING`, keyCatalogLoad); err != nil {
			return err
		}
		if err := bulkApply(ctx, tx, changes, cur); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO sync_cursors(dataset, cursor, updated) VALUES(?, ?, ?)
			ON CONFLICT(dataset) DO UPDATE SET cursor = excluded.cursor, updated = excluded.updated`, ds, next, nowText())
		return err
	})
	if err != nil {
		var pe *poserr.Error
		if errors.As(err, &pe) {
			return err
		}
		return poserr.Wrap(err, poserr.Storage, "error.sync.apply", "applying a page of the %s feed failed in the local store; nothing of it was applied", ds)
	}
	return nil
}

// bulkApply writes the changes after cursor cur without search index
// maintenance. Within the page the last change of a key wins.
func bulkApply(ctx context.Context, tx *sql.Tx, changes []api.Change, cur int64) error {
	last := make(map[string]int, len(changes))
	for i := range changes {
		if changes[i].Seq > cur {
			last[changes[i].Key] = i
		}
	}
	var puts []catalog.Product
	var codes []string
	var dels []string
	for i := range changes {
		c := &changes[i]
		if c.Seq <= cur || last[c.Key] != i {
			continue
		}
		if c.Deleted || c.Product == nil {
			dels = append(dels, c.Key)
			continue
		}
		p := apimap.ProductFrom(*c.Product)
		cs, err := cleanProduct(&p)
		if err != nil {
			return poserr.Wrap(err, poserr.Invalid, "error.product.invalid", "products change %d (key %q)", c.Seq, c.Key)
		}
		puts = append(puts, p)
		codes = append(codes, cs)
	}
	for _, id := range dels {
		if _, err := tx.ExecContext(ctx, `DELETE FROM barcodes WHERE product_id = ?`, id); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM products WHERE id = ?`, id); err != nil {
			return err
		}
	}
	if len(puts) == 0 {
		return nil
	}
	// Products the store holds already lose their barcodes before they are
	// replaced. On a first download this finds none.
	var existing []any
	for i := 0; i < len(puts); i += bulkIDChunk {
		part := puts[i:min(i+bulkIDChunk, len(puts))]
		args := make([]any, len(part))
		for k, p := range part {
			args[k] = p.ID
		}
		rows, err := tx.QueryContext(ctx, `SELECT id FROM products WHERE id IN (?`+strings.Repeat(`, ?`, len(part)-1)+`)`, args...)
		if err != nil {
			return err
		}
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				rows.Close() // a read; the Scan error is the one that counts
				return err
			}
			existing = append(existing, id)
		}
		rows.Close() // a read: its errors show in rows.Err
		if err := rows.Err(); err != nil {
			return err
		}
	}
	for i := 0; i < len(existing); i += bulkIDChunk {
		part := existing[i:min(i+bulkIDChunk, len(existing))]
		if _, err := tx.ExecContext(ctx, `DELETE FROM barcodes WHERE product_id IN (?`+strings.Repeat(`, ?`, len(part)-1)+`)`, part...); err != nil {
			return err
		}
	}

	const upsert = ` ON CONFLICT(id) DO UPDATE SET item_id = excluded.item_id, variant_id = excluded.variant_id,
		name = excluded.name, category = excluded.category, department = excluded.department, unit = excluded.unit,
		price = excluded.price, tax_group = excluded.tax_group, flags = excluded.flags, color = excluded.color,
		size = excluded.size, codes = excluded.codes, image = excluded.image, price_unit = excluded.price_unit`
	var multi *sql.Stmt
	if len(puts) >= bulkRows {
		var err error
		if multi, err = tx.PrepareContext(ctx, productInsertCols+strings.TrimSuffix(strings.Repeat(productPlaceholders+",", bulkRows), ",")+upsert); err != nil {
			return err
		}
		defer multi.Close() // a statement of tx: it goes with tx and holds no data
	}
	args := make([]any, 0, 14*bulkRows)
	i := 0
	for ; i+bulkRows <= len(puts); i += bulkRows {
		args = args[:0]
		for k := i; k < i+bulkRows; k++ {
			args = productArgs(args, puts[k], codes[k])
		}
		if _, err := multi.ExecContext(ctx, args...); err != nil {
			return err
		}
	}
	if i < len(puts) {
		n := len(puts) - i
		args = args[:0]
		for k := i; k < len(puts); k++ {
			args = productArgs(args, puts[k], codes[k])
		}
		if _, err := tx.ExecContext(ctx, productInsertCols+strings.TrimSuffix(strings.Repeat(productPlaceholders+",", n), ",")+upsert, args...); err != nil {
			return err
		}
	}
	return bulkCodes(ctx, tx, puts)
}

// bulkCodes inserts the barcodes of puts with multi-row statements; a
// barcode that belongs to another product fails with an error naming both.
func bulkCodes(ctx context.Context, tx *sql.Tx, puts []catalog.Product) error {
	type pair struct{ code, id string }
	var all []pair
	for _, p := range puts {
		for _, c := range p.Barcodes {
			all = append(all, pair{c, p.ID})
		}
	}
	args := make([]any, 0, 2*bulkCodeRows)
	for i := 0; i < len(all); i += bulkCodeRows {
		part := all[i:min(i+bulkCodeRows, len(all))]
		args = args[:0]
		for _, pc := range part {
			args = append(args, pc.code, pc.id)
		}
		q := `INSERT INTO barcodes(code, product_id) VALUES(?, ?)` + strings.Repeat(`, (?, ?)`, len(part)-1)
		if _, err := tx.ExecContext(ctx, q, args...); err != nil {
			if !isConstraint(err) {
				return err
			}
			// Name the barcode: insert this part one row at a time.
			for _, pc := range part {
				if _, err := tx.ExecContext(ctx, `INSERT INTO barcodes(code, product_id) VALUES(?, ?)`, pc.code, pc.id); err != nil {
					if isConstraint(err) {
						var owner string
						// Only names the owner in the message; the page fails either way.
						_ = tx.QueryRowContext(ctx, `SELECT product_id FROM barcodes WHERE code = ?`, pc.code).Scan(&owner)
						return poserr.Wrap(err, poserr.Invalid, "error.product.duplicate_barcode",
							"product %q: barcode %s already belongs to product %q", pc.id, pc.code, owner)
					}
					return err
				}
			}
			return err
		}
	}
	return nil
}

// FinishCatalogLoad ends bulk-load mode: it rebuilds the product search
// index from the stored products in one pass and clears the flag in the same
// transaction, then makes it durable. Without an unfinished bulk load it
// does nothing. If it is interrupted the flag stays, and the next call (the
// next sync pass) rebuilds.
func (s *Store) FinishCatalogLoad(ctx context.Context) error {
	s.importMu.Lock()
	defer s.importMu.Unlock()
	pending, err := s.CatalogLoadPending(ctx)
	if err != nil || !pending {
		return err
	}
	err = s.write(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO products_fts(products_fts) VALUES('rebuild')`); err != nil {
			return fmt.Errorf("building the product search index: %w", err)
		}
		_, err := tx.ExecContext(ctx, `DELETE FROM settings WHERE key = ?`, keyCatalogLoad)
		return err
	})
	if err != nil {
		return storageErr(err, "finishing the catalog download")
	}
	// Housekeeping only: the rebuild above was committed with
	// synchronous=FULL and is on disk. A failed cache_size leaves the writer
	// with the download's larger page cache (memory, not data), a failed
	// checkpoint leaves the WAL for SQLite's next automatic one, and optimize
	// only refreshes the planner's statistics.
	_, _ = s.w.ExecContext(ctx, fmt.Sprintf(`PRAGMA cache_size = -%d; PRAGMA wal_checkpoint(TRUNCATE)`, writerCacheKiB))
	_, _ = s.w.ExecContext(ctx, `PRAGMA optimize`)
	return nil
}

// searchFallback answers the name part of Search while the search index is
// incomplete (a catalog download in bulk-load mode is unfinished): names
// containing every term (case-insensitive for ASCII letters; accents are not
// folded), in catalog order. It scans the products table, so it costs up to
// a few hundred milliseconds at a million products instead of milliseconds.
func searchFallback(terms []string, limit int) (string, []any) {
	var where []string
	args := []any{}
	esc := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	for i, t := range terms {
		where = append(where, fmt.Sprintf(`p.name LIKE ?%d ESCAPE '\'`, i+1))
		args = append(args, "%"+esc.Replace(t)+"%")
	}
	args = append(args, limit)
	return `SELECT ` + productCols + ` FROM products p WHERE ` + strings.Join(where, " AND ") +
		fmt.Sprintf(` ORDER BY p.rid LIMIT ?%d`, len(terms)+1), args
}
