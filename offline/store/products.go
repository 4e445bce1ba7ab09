package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/opentill/opentill/pos/catalog"
	"github.com/opentill/opentill/pos/money"
	"github.com/opentill/opentill/pos/poserr"
)

// Product flag bits in products.flags.
const (
	flagWeighed = 1 << iota
	flagMustKeyInPrice
	flagNoDiscount
	flagNotReturnable
	flagNoOverride
)

func encodeFlags(f catalog.Flags) int64 {
	var v int64
	if f.Weighed {
		v |= flagWeighed
	}
	if f.MustKeyInPrice {
		v |= flagMustKeyInPrice
	}
	if f.NoDiscount {
		v |= flagNoDiscount
	}
	if f.NotReturnable {
		v |= flagNotReturnable
	}
	if f.NoOverride {
		v |= flagNoOverride
	}
	return v
}

func decodeFlags(v int64) catalog.Flags {
	return catalog.Flags{
		Weighed:        v&flagWeighed != 0,
		MustKeyInPrice: v&flagMustKeyInPrice != 0,
		NoDiscount:     v&flagNoDiscount != 0,
		NotReturnable:  v&flagNotReturnable != 0,
		NoOverride:     v&flagNoOverride != 0,
	}
}

const productCols = `p.id, p.item_id, p.variant_id, p.name, p.category, p.department, p.unit, p.price, p.tax_group, p.flags, p.color, p.size, p.codes, p.image, p.price_unit`

// productColsOf names the product columns of a subquery aliased a.
func productColsOf(a string) string { return strings.ReplaceAll(productCols, "p.", a+".") }

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

type rowScanner interface{ Scan(dest ...any) error }

func scanProduct(r rowScanner) (catalog.Product, error) {
	var p catalog.Product
	var price, flags int64
	var codes string
	if err := r.Scan(&p.ID, &p.ItemID, &p.VariantID, &p.Name, &p.Category, &p.Department, &p.Unit,
		&price, &p.TaxGroup, &flags, &p.Color, &p.Size, &codes, &p.Image, &p.PriceUnit); err != nil {
		return catalog.Product{}, err
	}
	p.Price = money.Amount(price)
	p.Flags = decodeFlags(flags)
	p.Barcodes = strings.Fields(codes)
	return p, nil
}

// ByBarcode finds the product with the normalised barcode key code.
func (s *Store) ByBarcode(ctx context.Context, code string) (catalog.Product, error) {
	code = strings.TrimSpace(code)
	p, err := scanProduct(s.r.QueryRowContext(ctx,
		`SELECT `+productCols+` FROM barcodes b JOIN products p ON p.id = b.product_id WHERE b.code = ?`, code))
	if errors.Is(err, sql.ErrNoRows) {
		return catalog.Product{}, &poserr.Error{Kind: poserr.NotFound, Key: "error.product.barcode_not_found",
			Msg: fmt.Sprintf("product with barcode %q not found", code), Args: map[string]any{"code": code}}
	}
	if err != nil {
		return catalog.Product{}, readErr(err, "looking up barcode %q", code)
	}
	return p, nil
}

// ByID finds a product by its product ID.
func (s *Store) ByID(ctx context.Context, id string) (catalog.Product, error) {
	id = strings.TrimSpace(id)
	p, err := scanProduct(s.r.QueryRowContext(ctx, `SELECT `+productCols+` FROM products p WHERE p.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return catalog.Product{}, &poserr.Error{Kind: poserr.NotFound, Key: "error.product.not_found",
			Msg: fmt.Sprintf("product %q not found", id), Args: map[string]any{"id": id}}
	}
	if err != nil {
		return catalog.Product{}, readErr(err, "looking up product %q", id)
	}
	return p, nil
}

// Variants implements pos.VariantLister: the variants of an item, by
// product ID (at most 200).
func (s *Store) Variants(ctx context.Context, itemID string) ([]catalog.Product, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT `+productCols+` FROM products p WHERE p.item_id = ? AND p.variant_id <> '' ORDER BY p.id LIMIT 200`,
		strings.TrimSpace(itemID))
	if err != nil {
		return nil, readErr(err, "looking up the variants of %q", itemID)
	}
	defer rows.Close()
	var out []catalog.Product
	for rows.Next() {
		p, err := scanProduct(rows)
		if err != nil {
			return nil, readErr(err, "looking up the variants of %q", itemID)
		}
		out = append(out, p)
	}
	return out, readErr(rows.Err(), "looking up the variants of %q", itemID)
}

// Search limits.
const (
	DefaultSearchLimit = 50
	MaxSearchLimit     = 500
	maxSearchTerms     = 8
	searchCandidates   = 2_000 // matches ranked at most
	maxTermLen         = 64
)

// searchTerms splits user text into the words the FTS tokenizer would see:
// runs of letters, digits and marks. Everything else — quotes, operators,
// parentheses, stars, dashes — separates words and never reaches FTS5 as
// syntax.
func searchTerms(q string) []string {
	var terms []string
	for _, f := range strings.FieldsFunc(q, func(r rune) bool {
		return !(unicode.IsLetter(r) || unicode.IsNumber(r) || unicode.IsMark(r) || unicode.Is(unicode.Co, r))
	}) {
		if utf8.RuneCountInString(f) > maxTermLen {
			f = string([]rune(f)[:maxTermLen])
		}
		terms = append(terms, f)
		if len(terms) == maxSearchTerms {
			break
		}
	}
	return terms
}

// matchExpr builds an FTS5 query: every term a quoted prefix phrase, ANDed.
func matchExpr(terms []string) string {
	var b strings.Builder
	for i, t := range terms {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteByte('"')
		b.WriteString(strings.ReplaceAll(t, `"`, `""`))
		b.WriteString(`"*`)
	}
	return b.String()
}

// Search finds products for what a cashier types, best match first:
//
//  1. an exact barcode, product ID or item ID;
//  2. for a query of one word, item IDs and then barcodes starting with it
//     (B-tree range scans, so "4001" costs the same at a million products);
//  3. names containing every word of the query as a word prefix, in any
//     order ("choc dark" finds "Dark Chocolate 70 %", "creme" finds
//     "Crème fraîche"), ranked by BM25 and then by name (of the first
//     2,000 matches in catalog order, for a query that matches more).
//
// Products come with their barcodes. Any text is safe: it is split into
// words and never reaches FTS5 as syntax. An empty query finds nothing.
// While a catalog download in bulk-load mode is unfinished (the index is
// incomplete) names are found by a scan instead (3): every word as a
// substring, in catalog order, accents not folded.
func (s *Store) Search(ctx context.Context, query string, limit int) ([]catalog.Product, error) {
	if limit <= 0 {
		limit = DefaultSearchLimit
	}
	if limit > MaxSearchLimit {
		limit = MaxSearchLimit
	}
	out := []catalog.Product{}
	seen := map[string]bool{}
	collect := func(q string, args ...any) error {
		rows, err := s.r.QueryContext(ctx, q, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			p, err := scanProduct(rows)
			if err != nil {
				return err
			}
			if !seen[p.ID] && len(out) < limit {
				seen[p.ID] = true
				out = append(out, p)
			}
		}
		return rows.Err()
	}
	q := strings.TrimSpace(query)
	if q != "" && !strings.ContainsFunc(q, unicode.IsSpace) && len(q) <= 64 {
		// A single token: exact codes, then code prefixes, in that order.
		// "\xff" sorts after every UTF-8 byte: [q, q+"\xff") holds exactly
		// the strings that start with q. Barcodes are digits only.
		parts := []string{
			`SELECT 2 AS k, '' AS o, ` + productCols + ` FROM products p WHERE p.id = ?1`,
			`SELECT * FROM (SELECT 3, p.id, ` + productCols + ` FROM products p WHERE p.item_id = ?1 ORDER BY p.id LIMIT ?3)`,
			`SELECT * FROM (SELECT 4, p.item_id || ' ' || p.id, ` + productCols + ` FROM products p
				WHERE p.item_id >= ?1 AND p.item_id < ?2 ORDER BY p.item_id, p.id LIMIT ?3)`,
		}
		if isDigits(q) {
			parts = append(parts,
				`SELECT 1, '', `+productCols+` FROM barcodes b JOIN products p ON p.id = b.product_id WHERE b.code = ?1`,
				`SELECT * FROM (SELECT 5, b.code, `+productCols+` FROM barcodes b JOIN products p ON p.id = b.product_id
					WHERE b.code >= ?1 AND b.code < ?2 ORDER BY b.code LIMIT ?3)`)
		}
		if err := collect(`SELECT `+productColsOf("h")+` FROM (`+strings.Join(parts, " UNION ALL ")+`) h ORDER BY h.k, h.o`,
			q, q+"\xff", limit); err != nil {
			return nil, readErr(err, "searching products for %q", query)
		}
	}
	terms := searchTerms(q)
	if len(terms) == 0 || len(out) >= limit {
		return out, nil
	}
	// While a catalog download in bulk-load mode is unfinished the index is
	// incomplete: scan the names instead (see ApplyCatalogPage).
	if loading, err := s.CatalogLoadPending(ctx); err != nil {
		return nil, err
	} else if loading {
		q, args := searchFallback(terms, limit+len(out))
		if err := collect(q, args...); err != nil {
			return nil, readErr(err, "searching products for %q", query)
		}
		return out, nil
	}
	// Ranking costs about a microsecond per match, so a query as broad as
	// "a" (a sixth of a million-product catalog) ranks only the first
	// searchCandidates matches in catalog order; below that it is exact.
	// Only the candidates that rank no worse than the limit-th (ties
	// included) are joined with their products to be ordered by name.
	if err := collect(`
		WITH h AS MATERIALIZED (
			SELECT rowid AS rid, bm25(products_fts) AS score FROM products_fts
			WHERE products_fts MATCH ?1 LIMIT ?3),
		cut AS (SELECT score FROM h ORDER BY score LIMIT 1 OFFSET ?2 - 1)
		SELECT `+productCols+`
		FROM h JOIN products p ON p.rid = h.rid
		WHERE h.score <= coalesce((SELECT score FROM cut), 1e308)
		ORDER BY h.score, p.name, p.rid
		LIMIT ?2`, matchExpr(terms), limit+len(out), searchCandidates); err != nil {
		return nil, readErr(err, "searching products for %q", query)
	}
	return out, nil
}

// PutProduct inserts or replaces one product with its barcodes and index entry.
func (s *Store) PutProduct(ctx context.Context, p catalog.Product) error {
	err := s.write(ctx, func(tx *sql.Tx) error {
		ps, err := prepareProductStmts(ctx, tx)
		if err != nil {
			return err
		}
		defer ps.close()
		return ps.upsert(ctx, p)
	})
	return storageErr(err, "saving product %q", p.ID)
}

// DeleteProduct removes a product, its barcodes and its index entry.
func (s *Store) DeleteProduct(ctx context.Context, id string) error {
	err := s.write(ctx, func(tx *sql.Tx) error {
		var rid int64
		var name string
		err := tx.QueryRowContext(ctx, `SELECT rid, name FROM products WHERE id = ?`, id).Scan(&rid, &name)
		if errors.Is(err, sql.ErrNoRows) {
			return poserr.E(poserr.NotFound, "error.product.not_found", "product %q not found", id)
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
	})
	return storageErr(err, "deleting product %q", id)
}

// productStmts are the prepared statements of a product import.
type productStmts struct {
	insert, insertCode, insertFTS    *sql.Stmt
	existing, deleteFTS, deleteCodes *sql.Stmt
	update, codeOwner                *sql.Stmt
}

func prepareProductStmts(ctx context.Context, tx *sql.Tx) (*productStmts, error) {
	ps := &productStmts{}
	var err error
	prep := func(q string) *sql.Stmt {
		if err != nil {
			return nil
		}
		var st *sql.Stmt
		st, err = tx.PrepareContext(ctx, q)
		return st
	}
	ps.insert = prep(`INSERT INTO products(id, item_id, variant_id, name, category, department, unit, price, tax_group, flags, color, size, codes, image, price_unit)
		VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	ps.insertCode = prep(`INSERT INTO barcodes(code, product_id) VALUES(?, ?)`)
	ps.codeOwner = prep(`SELECT product_id FROM barcodes WHERE code = ?`)
	ps.insertFTS = prep(`INSERT INTO products_fts(rowid, name) VALUES(?, ?)`)
	ps.existing = prep(`SELECT rid, name FROM products WHERE id = ?`)
	ps.deleteFTS = prep(`INSERT INTO products_fts(products_fts, rowid, name) VALUES('delete', ?, ?)`)
	ps.deleteCodes = prep(`DELETE FROM barcodes WHERE product_id = ?`)
	ps.update = prep(`UPDATE products SET item_id = ?, variant_id = ?, name = ?, category = ?, department = ?, unit = ?, price = ?,
		tax_group = ?, flags = ?, color = ?, size = ?, codes = ?, image = ?, price_unit = ? WHERE rid = ?`)
	if err != nil {
		ps.close()
		return nil, err
	}
	return ps, nil
}

// close closes the statements. They are prepared on one transaction and
// hold no data, so a failed Close changes nothing that was written.
func (ps *productStmts) close() {
	for _, st := range []*sql.Stmt{ps.insert, ps.insertCode, ps.insertFTS, ps.existing, ps.deleteFTS, ps.deleteCodes, ps.update, ps.codeOwner} {
		if st != nil {
			st.Close()
		}
	}
}

// cleanProduct checks and tidies a product for storing; it returns its barcodes
// joined for the codes column.
func cleanProduct(p *catalog.Product) (string, error) {
	p.ID = strings.TrimSpace(p.ID)
	if p.ID == "" {
		return "", poserr.E(poserr.Invalid, "error.product.invalid", "product %q has no ID", p.Name)
	}
	if p.ItemID == "" {
		p.ItemID = p.ID
	}
	if p.Unit == "" {
		p.Unit = catalog.Each.ID
	}
	codes := make([]string, 0, len(p.Barcodes))
	for _, c := range p.Barcodes {
		c = strings.TrimSpace(c)
		if c == "" {
			continue
		}
		if strings.ContainsAny(c, " \t\r\n") {
			return "", poserr.E(poserr.Invalid, "error.product.invalid", "product %q: barcode %q contains spaces", p.ID, c)
		}
		codes = append(codes, c)
	}
	p.Barcodes = codes
	if p.PriceUnit < 0 {
		return "", poserr.E(poserr.Invalid, "error.product.invalid", "product %q: a price unit cannot be negative (give how many units the price is for, or 0 for one)", p.ID)
	}
	p.Image = strings.TrimSpace(p.Image)
	if p.Image != "" && !catalog.ValidImageKey(p.Image) {
		return "", poserr.E(poserr.Invalid, "error.product.invalid", "product %q: image %q is not the SHA-256 of a picture (64 lower-case hex digits)", p.ID, p.Image)
	}
	return strings.Join(codes, " "), nil
}

// insertNew inserts and indexes a product that is known not to exist.
func (ps *productStmts) insertNew(ctx context.Context, p catalog.Product, codes string) error {
	res, err := ps.insert.ExecContext(ctx, p.ID, p.ItemID, p.VariantID, p.Name, p.Category, p.Department, p.Unit,
		int64(p.Price), p.TaxGroup, encodeFlags(p.Flags), p.Color, p.Size, codes, p.Image, int64(p.PriceUnit))
	if err != nil {
		if isConstraint(err) {
			return poserr.Wrap(err, poserr.Invalid, "error.product.duplicate", "product %q appears twice in the import", p.ID)
		}
		return err
	}
	if err := ps.insertCodes(ctx, p); err != nil {
		return err
	}
	rid, err := res.LastInsertId()
	if err != nil {
		return err
	}
	_, err = ps.insertFTS.ExecContext(ctx, rid, p.Name)
	return err
}

func (ps *productStmts) insertCodes(ctx context.Context, p catalog.Product) error {
	for _, c := range p.Barcodes {
		if _, err := ps.insertCode.ExecContext(ctx, c, p.ID); err != nil {
			if isConstraint(err) {
				var owner string
				// Only names the owner in the message; the write fails either way.
				_ = ps.codeOwner.QueryRowContext(ctx, c).Scan(&owner)
				return poserr.Wrap(err, poserr.Invalid, "error.product.duplicate_barcode",
					"product %q: barcode %s already belongs to product %q", p.ID, c, owner)
			}
			return err
		}
	}
	return nil
}

// upsert inserts or replaces a product with its barcodes and index entry.
func (ps *productStmts) upsert(ctx context.Context, p catalog.Product) error {
	codes, err := cleanProduct(&p)
	if err != nil {
		return err
	}
	var rid int64
	var oldName string
	err = ps.existing.QueryRowContext(ctx, p.ID).Scan(&rid, &oldName)
	if errors.Is(err, sql.ErrNoRows) {
		return ps.insertNew(ctx, p, codes)
	}
	if err != nil {
		return err
	}
	if _, err := ps.deleteFTS.ExecContext(ctx, rid, oldName); err != nil {
		return err
	}
	if _, err := ps.deleteCodes.ExecContext(ctx, p.ID); err != nil {
		return err
	}
	if _, err := ps.update.ExecContext(ctx, p.ItemID, p.VariantID, p.Name, p.Category, p.Department, p.Unit,
		int64(p.Price), p.TaxGroup, encodeFlags(p.Flags), p.Color, p.Size, codes, p.Image, int64(p.PriceUnit), rid); err != nil {
		return err
	}
	if err := ps.insertCodes(ctx, p); err != nil {
		return err
	}
	_, err = ps.insertFTS.ExecContext(ctx, rid, p.Name)
	return err
}

// EachProduct calls fn with every product in catalog (import) order,
// streaming them from one read snapshot; it stops at fn's first error.
func (s *Store) EachProduct(ctx context.Context, fn func(catalog.Product) error) error {
	rows, err := s.r.QueryContext(ctx, `SELECT `+productCols+` FROM products p ORDER BY p.rid`)
	if err != nil {
		return readErr(err, "reading products")
	}
	defer rows.Close()
	for rows.Next() {
		p, err := scanProduct(rows)
		if err != nil {
			return readErr(err, "reading products")
		}
		if err := fn(p); err != nil {
			return err
		}
	}
	return readErr(rows.Err(), "reading products")
}
