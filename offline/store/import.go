package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"strings"

	"github.com/opentill/opentill/pos/catalog"
	"github.com/opentill/opentill/pos/poserr"
)

// Bulk import tuning (measured on the 2-core reference machine; see the
// package benchmarks).
const (
	importBatch      = 1024   // products handed over by the producing goroutine at a time
	importRows       = 64     // rows per multi-row INSERT in the fast path
	importTxProducts = 10_000 // products per write transaction when upserting
	importCacheKiB   = 32768  // page cache of the writer during an import
	importProgress   = 50_000 // products between progress reports
)

// ImportProducts streams products from next into the store until next
// reports false, and returns how many it stored. See ImportProductsProgress.
func (s *Store) ImportProducts(ctx context.Context, next func() (catalog.Product, bool)) (int, error) {
	return s.ImportProductsProgress(ctx, next, nil)
}

// ImportProductsProgress streams products from next into the store, calling
// progress (if not nil) with the number of products written so far. next is
// called from one goroutine, not necessarily the caller's, ahead of the
// writes so that producing and storing overlap; it is never called after the
// import returns.
//
// Into a store without products (seeding; a till's first catalog download
// uses the resumable ApplyCatalogPage instead) it runs
// the fast path: one transaction of multi-row inserts with synchronous=OFF
// and a larger page cache, then the barcode index and the search index each
// built in one set-based pass, then one durable commit. It is all or nothing:
// after an error or a crash the store still has no products.
//
// Into a store that has products, every product is an upsert (replacing the
// product with the same ID, its barcodes and index entry), committed every
// 10,000 products; after an error what was committed before stays.
//
// A product ID given twice, or a barcode that belongs to another product,
// stops the import with an error of kind poserr.Invalid naming them.
func (s *Store) ImportProductsProgress(ctx context.Context, next func() (catalog.Product, bool), progress func(done int)) (int, error) {
	s.importMu.Lock()
	defer s.importMu.Unlock()

	conn, err := s.w.Conn(ctx)
	if err != nil {
		return 0, storageErr(err, "importing products")
	}
	// Close hands the connection back to the pool; its only error is
	// sql.ErrConnDone, when restoreWriter has discarded it already.
	defer conn.Close()

	var existing bool
	if err := conn.QueryRowContext(ctx, `SELECT EXISTS(SELECT 1 FROM products)`).Scan(&existing); err != nil {
		return 0, storageErr(err, "importing products")
	}

	batches := make(chan []catalog.Product, 4)
	stop := make(chan struct{})
	defer func() {
		close(stop)
		for range batches { // wait for the producer to stop
		}
	}()
	go produce(next, batches, stop)

	var done int
	if existing {
		done, err = s.upsertProducts(ctx, conn, batches, progress)
	} else {
		done, err = s.fastImport(ctx, conn, batches, progress)
	}
	if err != nil {
		what := "importing products"
		switch {
		case errors.Is(err, errImportNotSynced):
			what = fmt.Sprintf("importing products (all %d were stored, but a power cut before the next sale is saved could lose them: check the disk, then close the till cleanly)", done)
		case existing && done > 0:
			what = fmt.Sprintf("importing products (the first %d were stored)", done)
		case !existing:
			what = "importing products (none were stored)"
			done = 0
		}
		var pe *poserr.Error
		if errors.As(err, &pe) {
			return done, poserr.Wrap(err, pe.Kind, pe.Key, "%s", what)
		}
		return done, poserr.Wrap(err, poserr.Storage, "error.storage.import", "%s failed in the local store", what)
	}
	// PRAGMA optimize only refreshes the query planner's statistics; the
	// products are committed and on disk whether or not it runs.
	_, _ = conn.ExecContext(ctx, `PRAGMA optimize`)
	if progress != nil {
		progress(done)
	}
	return done, nil
}

// produce calls next and hands the products over in batches until next is
// done or stop is closed; it closes batches when it returns.
func produce(next func() (catalog.Product, bool), batches chan<- []catalog.Product, stop <-chan struct{}) {
	defer close(batches)
	for {
		b := make([]catalog.Product, 0, importBatch)
		for len(b) < importBatch {
			select {
			case <-stop:
				return
			default:
			}
			p, ok := next()
			if !ok {
				break
			}
			b = append(b, p)
		}
		if len(b) == 0 {
			return
		}
		select {
		case batches <- b:
		case <-stop:
			return
		}
		if len(b) < importBatch {
			return
		}
	}
}

const productInsertCols = `INSERT INTO products(id, item_id, variant_id, name, category, department, unit, price, tax_group, flags, color, size, codes, image, price_unit) VALUES`
const productPlaceholders = `(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`

func productArgs(args []any, p catalog.Product, codes string) []any {
	return append(args, p.ID, p.ItemID, p.VariantID, p.Name, p.Category, p.Department, p.Unit,
		int64(p.Price), p.TaxGroup, encodeFlags(p.Flags), p.Color, p.Size, codes, p.Image, int64(p.PriceUnit))
}

// fastImport loads an empty store in one transaction.
func (s *Store) fastImport(ctx context.Context, conn *sql.Conn, batches <-chan []catalog.Product, progress func(int)) (n int, err error) {
	if _, err := conn.ExecContext(ctx, fmt.Sprintf(`PRAGMA synchronous = OFF; PRAGMA cache_size = -%d`, importCacheKiB)); err != nil {
		// A multi-statement PRAGMA may have switched synchronous off before
		// failing: restore (or discard) the connection all the same.
		return 0, errors.Join(err, restoreWriter(conn))
	}
	// The writer must never go back to the pool with synchronous=OFF: every
	// checkout after the import would return before it is on disk. When
	// restoreWriter cannot restore the connection it discards it, which
	// settles that: an import that succeeded (committed and checkpointed)
	// still succeeds, and one that failed reports the failed restore beside
	// its own error.
	defer func() {
		if rerr := restoreWriter(conn); rerr != nil && err != nil {
			err = errors.Join(err, rerr)
		}
	}()

	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer rollback(tx, &err)
	// The statements belong to tx and go with it; closing them cannot lose
	// or keep anything, so their Close errors carry no information.
	multi, err := tx.PrepareContext(ctx, productInsertCols+strings.TrimSuffix(strings.Repeat(productPlaceholders+",", importRows), ","))
	if err != nil {
		return 0, err
	}
	defer multi.Close()
	single, err := tx.PrepareContext(ctx, productInsertCols+productPlaceholders)
	if err != nil {
		return 0, err
	}
	defer single.Close()

	// Products with more than one barcode get their barcodes inserted one by
	// one at the end; the usual single barcode is copied in one pass.
	var multiCode []catalog.Product
	pending := make([]catalog.Product, 0, importRows)
	codesOf := make([]string, 0, importRows)
	args := make([]any, 0, 14*importRows)
	done, reported := 0, 0
	flush := func(st *sql.Stmt) error {
		args = args[:0]
		for i, p := range pending {
			args = productArgs(args, p, codesOf[i])
		}
		if _, err := st.ExecContext(ctx, args...); err != nil {
			if isConstraint(err) {
				return duplicateIDError(ctx, tx, pending, err)
			}
			return err
		}
		done += len(pending)
		pending, codesOf = pending[:0], codesOf[:0]
		if progress != nil && done-reported >= importProgress {
			reported = done
			progress(done)
		}
		return nil
	}
	for b := range batches {
		if err := ctx.Err(); err != nil {
			return 0, err
		}
		for _, p := range b {
			codes, err := cleanProduct(&p)
			if err != nil {
				return 0, err
			}
			if len(p.Barcodes) > 1 {
				multiCode = append(multiCode, p)
			}
			pending = append(pending, p)
			codesOf = append(codesOf, codes)
			if len(pending) == importRows {
				if err := flush(multi); err != nil {
					return 0, err
				}
			}
		}
	}
	if len(pending) > 0 {
		rest := append([]catalog.Product(nil), pending...)
		restCodes := append([]string(nil), codesOf...)
		for i := range rest {
			pending = append(pending[:0], rest[i])
			codesOf = append(codesOf[:0], restCodes[i])
			if err := flush(single); err != nil {
				return 0, err
			}
		}
	}

	// Barcodes: one set-based copy of the single codes, then the others.
	if _, err := tx.ExecContext(ctx, `INSERT INTO barcodes(code, product_id)
		SELECT codes, id FROM products WHERE codes <> '' AND instr(codes, ' ') = 0`); err != nil {
		if isConstraint(err) {
			return 0, duplicateCodeError(ctx, tx, err)
		}
		return 0, err
	}
	if len(multiCode) > 0 {
		st, err := tx.PrepareContext(ctx, `INSERT INTO barcodes(code, product_id) VALUES(?, ?)`)
		if err != nil {
			return 0, err
		}
		defer st.Close() // a statement of tx, see above
		for _, p := range multiCode {
			for _, c := range p.Barcodes {
				if _, err := st.ExecContext(ctx, c, p.ID); err != nil {
					if isConstraint(err) {
						var owner string
						// Only names the owner in the message; the import fails either way.
						_ = tx.QueryRowContext(ctx, `SELECT product_id FROM barcodes WHERE code = ?`, c).Scan(&owner)
						return 0, poserr.Wrap(err, poserr.Invalid, "error.product.duplicate_barcode",
							"product %q: barcode %s already belongs to product %q", p.ID, c, owner)
					}
					return 0, err
				}
			}
		}
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO products_fts(products_fts) VALUES('rebuild')`); err != nil {
		return 0, fmt.Errorf("building the product search index: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return 0, err
	}
	// Make it durable: with synchronous=FULL again, a checkpoint syncs the WAL,
	// copies it into the database file and syncs that.
	if _, err := conn.ExecContext(ctx, fmt.Sprintf(`PRAGMA synchronous = FULL; PRAGMA cache_size = -%d; PRAGMA wal_checkpoint(TRUNCATE)`, writerCacheKiB)); err != nil {
		return done, fmt.Errorf("%w: %w", errImportNotSynced, err)
	}
	return done, nil
}

// errImportNotSynced marks a fast import that committed but could not be
// synced to disk afterwards: the products are in the store, and a power cut
// before the next durable commit may still lose them (all of them: the WAL
// recovers whole transactions only).
var errImportNotSynced = errors.New("the products were stored but could not be synced to disk")

// restoreWriter sets the writer connection back to synchronous=FULL and its
// normal page cache after a bulk import and checks that it took. If it did
// not, the connection is discarded (the pool opens the next one from the
// DSN, with synchronous=FULL), so no later commit runs without fsync.
func restoreWriter(conn *sql.Conn) error {
	ctx := context.Background() // the import's context may be cancelled; this must run
	_, err := conn.ExecContext(ctx, fmt.Sprintf(`PRAGMA synchronous = FULL; PRAGMA cache_size = -%d`, writerCacheKiB))
	var level int
	if err == nil {
		err = conn.QueryRowContext(ctx, `PRAGMA synchronous`).Scan(&level)
	}
	if err == nil && level == syncFull {
		return nil
	}
	if err == nil {
		err = fmt.Errorf("PRAGMA synchronous reads %d, not FULL (%d)", level, syncFull)
	}
	discardConn(conn)
	return fmt.Errorf("restoring synchronous=FULL on the writer after the import (the connection was discarded; the next one opens with synchronous=FULL): %w", err)
}

// syncFull is PRAGMA synchronous's value for FULL.
const syncFull = 2

// discardConn closes conn instead of handing it back to the pool:
// database/sql drops a connection whose Raw callback returns
// driver.ErrBadConn. Raw returns that very error, which is the point.
func discardConn(conn *sql.Conn) {
	_ = conn.Raw(func(any) error { return driver.ErrBadConn })
}

// rollback rolls tx back when the function deferring it returns, and adds a
// failed rollback to *err. After a Commit it does nothing (sql.ErrTxDone).
func rollback(tx *sql.Tx, err *error) {
	if rerr := tx.Rollback(); rerr != nil && !errors.Is(rerr, sql.ErrTxDone) {
		*err = errors.Join(*err, fmt.Errorf("rolling back: %w", rerr))
	}
}

// duplicateIDError names the product ID of a failed multi-row insert that is
// already stored or appears twice in the batch.
func duplicateIDError(ctx context.Context, tx *sql.Tx, batch []catalog.Product, cause error) error {
	seen := map[string]bool{}
	for _, p := range batch {
		var n int
		// Only finds the name for the message; without it the cause is returned as is.
		_ = tx.QueryRowContext(ctx, `SELECT count(*) FROM products WHERE id = ?`, p.ID).Scan(&n)
		if n > 0 || seen[p.ID] {
			return poserr.Wrap(cause, poserr.Invalid, "error.product.duplicate", "product %q appears twice in the import", p.ID)
		}
		seen[p.ID] = true
	}
	return cause
}

// duplicateCodeError names a barcode that two imported products share.
func duplicateCodeError(ctx context.Context, tx *sql.Tx, cause error) error {
	var code, ids string
	err := tx.QueryRowContext(ctx, `SELECT codes, group_concat(id, ', ') FROM products
		WHERE codes <> '' AND instr(codes, ' ') = 0 GROUP BY codes HAVING count(*) > 1 LIMIT 1`).Scan(&code, &ids)
	if err != nil {
		return poserr.Wrap(cause, poserr.Invalid, "error.product.duplicate_barcode", "two imported products share a barcode")
	}
	return poserr.Wrap(cause, poserr.Invalid, "error.product.duplicate_barcode", "barcode %s belongs to more than one product (%s)", code, ids)
}

// upsertProducts inserts or replaces products one by one, keeping the search
// index in step, in transactions of importTxProducts.
func (s *Store) upsertProducts(ctx context.Context, conn *sql.Conn, batches <-chan []catalog.Product, progress func(int)) (_ int, err error) {
	done := 0
	var tx *sql.Tx
	var ps *productStmts
	inTx := 0
	commit := func() error {
		ps.close()
		err := tx.Commit()
		tx, ps = nil, nil
		if err != nil {
			return err
		}
		done += inTx
		inTx = 0
		if progress != nil {
			progress(done)
		}
		return nil
	}
	defer func() {
		if tx != nil {
			ps.close()
			rollback(tx, &err)
		}
	}()
	for b := range batches {
		for _, p := range b {
			if tx == nil {
				if err := ctx.Err(); err != nil {
					return done, err
				}
				var err error
				if tx, err = conn.BeginTx(ctx, nil); err != nil {
					tx = nil
					return done, err
				}
				if ps, err = prepareProductStmts(ctx, tx); err != nil {
					rollback(tx, &err)
					tx = nil
					return done, err
				}
			}
			if err := ps.upsert(ctx, p); err != nil {
				return done, err
			}
			inTx++
			if inTx == importTxProducts {
				if err := commit(); err != nil {
					return done, err
				}
			}
		}
	}
	if tx != nil {
		if err := commit(); err != nil {
			return done, err
		}
	}
	return done, nil
}
