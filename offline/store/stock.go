package store

// The till's stock book (pos.StockBook, docs/inventory.md).

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/opentill/opentill/offline/api"
	"github.com/opentill/opentill/offline/apimap"
	"github.com/opentill/opentill/pos"
	"github.com/opentill/opentill/pos/cart"
	"github.com/opentill/opentill/pos/catalog"
	"github.com/opentill/opentill/pos/inventory"
	"github.com/opentill/opentill/pos/journal"
	"github.com/opentill/opentill/pos/poserr"
)

// bookStock books a committed transaction's movements in its commit.
func bookStock(ctx context.Context, tx *sql.Tx, c *cart.Cart, at time.Time) error {
	for _, m := range pos.StockMoves(c) {
		if _, err := tx.ExecContext(ctx, `INSERT INTO stock_movements(doc_id, product_id, kind, qty, operator, at) VALUES(?, ?, ?, ?, ?, ?)`,
			c.ID, m.ProductID, string(m.Kind), int64(m.Qty), c.Operator, formatTime(at)); err != nil {
			return fmt.Errorf("booking the stock of %s: %w", m.ProductID, err)
		}
	}
	return nil
}

type queryRower interface {
	QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row
}

// stockLevel reads this store's level of a product: the server's figure
// and this till's movements it does not count, dated after its base.
func stockLevel(ctx context.Context, q queryRower, productID string) (inventory.Level, error) {
	l := inventory.Level{ProductID: productID}
	var asOf, base string
	err := q.QueryRowContext(ctx, `SELECT on_hand, reserved, on_order, in_transit, as_of, base_at FROM stock_known WHERE product_id = ?`, productID).
		Scan(&l.OnHand, &l.Reserved, &l.OnOrder, &l.InTransit, &asOf, &base)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return l, err
	}
	if asOf != "" {
		if l.AsOf, err = time.Parse(timeFormat, asOf); err != nil {
			return l, err
		}
	}
	var counted int64
	var countedAt string
	err = q.QueryRowContext(ctx, `SELECT counted, counted_at FROM stock_posted WHERE product_id = ?`, productID).Scan(&counted, &countedAt)
	switch {
	case err == nil:
		// a count posted here the server's figure does not count yet
		if err := q.QueryRowContext(ctx, `SELECT coalesce(sum(qty), 0) FROM stock_movements WHERE product_id = ? AND at > ?`,
			productID, countedAt).Scan(&l.Local); err != nil {
			return l, err
		}
		l.OnHand = inventory.PostedOnHand(catalog.Qty(counted), l.Local)
		return l, nil
	case !errors.Is(err, sql.ErrNoRows):
		return l, err
	}
	if err := q.QueryRowContext(ctx, `SELECT coalesce(sum(qty), 0) FROM stock_movements WHERE product_id = ? AND reflected = 0 AND at > ?`,
		productID, base).Scan(&l.Local); err != nil {
		return l, err
	}
	l.OnHand += l.Local
	return l, nil
}

// StockLevel implements pos.StockBook.
func (s *Store) StockLevel(ctx context.Context, productID string) (inventory.Level, error) {
	l, err := stockLevel(ctx, s.r, productID)
	return l, readErr(err, "reading the stock of %s", productID)
}

// KnownLevels implements pos.StockBook.
func (s *Store) KnownLevels(ctx context.Context, productID string) ([]inventory.Level, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT store_id, store_name, on_hand, reserved, on_order, in_transit, as_of FROM stock_elsewhere
		WHERE product_id = ? ORDER BY store_id`, productID)
	if err != nil {
		return nil, readErr(err, "reading the stock of %s in other stores", productID)
	}
	defer rows.Close()
	var out []inventory.Level
	for rows.Next() {
		l := inventory.Level{ProductID: productID}
		var asOf string
		if err := rows.Scan(&l.StoreID, &l.StoreName, &l.OnHand, &l.Reserved, &l.OnOrder, &l.InTransit, &asOf); err != nil {
			return nil, readErr(err, "reading the stock of %s in other stores", productID)
		}
		if l.AsOf, err = time.Parse(timeFormat, asOf); err != nil {
			return nil, readErr(err, "reading the stock of %s in other stores", productID)
		}
		out = append(out, l)
	}
	return out, readErr(rows.Err(), "reading the stock of %s in other stores", productID)
}

// RememberLevels implements pos.StockBook.
func (s *Store) RememberLevels(ctx context.Context, levels []inventory.Level) error {
	if len(levels) == 0 {
		return nil
	}
	err := s.write(ctx, func(tx *sql.Tx) error {
		for _, l := range levels {
			at := l.AsOf
			if at.IsZero() {
				at = time.Now()
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO stock_elsewhere(product_id, store_id, store_name, on_hand, reserved, on_order, in_transit, as_of)
				VALUES(?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(product_id, store_id) DO UPDATE SET store_name = excluded.store_name, on_hand = excluded.on_hand,
				reserved = excluded.reserved, on_order = excluded.on_order, in_transit = excluded.in_transit, as_of = excluded.as_of`,
				l.ProductID, l.StoreID, l.StoreName, int64(l.OnHand), int64(l.Reserved), int64(l.OnOrder), int64(l.InTransit), formatTime(at)); err != nil {
				return err
			}
		}
		return nil
	})
	return storageErr(err, "keeping other stores' stock")
}

// AdjustStock implements pos.StockBook: the movement, the journal entry
// and the outbox row (api.KindStockAdjustment) in one transaction.
func (s *Store) AdjustStock(ctx context.Context, a inventory.AdjustmentRecord, e journal.Entry) error {
	if a.ID == "" || a.ProductID == "" || a.Qty == 0 {
		return poserr.E(poserr.Invalid, "error.stock.adjust_invalid", "an adjustment needs an ID, a product and a quantity; nothing was saved")
	}
	err := s.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO stock_movements(doc_id, product_id, kind, qty, reason, operator, at) VALUES(?, ?, ?, ?, ?, ?, ?)`,
			a.ID, a.ProductID, string(inventory.Adjustment), int64(a.Qty), a.Reason, a.Operator, formatTime(a.At))
		if isConstraint(err) {
			return poserr.Wrap(err, poserr.Conflict, "error.stock.adjust_duplicate", "adjustment %s is already saved; nothing was saved again", a.ID)
		}
		if err != nil {
			return err
		}
		payload, err := json.Marshal(a)
		if err != nil {
			return err
		}
		e.Payload = payload
		if err := s.appendJournal(ctx, tx, &e); err != nil {
			return err
		}
		up, err := json.Marshal(apimap.StockAdjustmentOf(a))
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, qInsertOutbox, a.ID, api.KindStockAdjustment, string(up), nowText())
		return err
	})
	var pe *poserr.Error
	if errors.As(err, &pe) {
		return err
	}
	return storageErr(err, "saving the adjustment of %s", a.ProductID)
}

// applyStock takes a product's figures from the server's stock feed and
// marks this till's movements of it that the figure counts.
func (s *Store) applyStock(ctx context.Context, tx *sql.Tx, c *api.Change) error {
	if c.Deleted {
		_, err := tx.ExecContext(ctx, `DELETE FROM stock_known WHERE product_id = ?`, c.Key)
		return err
	}
	f := c.Stock
	if _, err := tx.ExecContext(ctx, `INSERT INTO stock_known(product_id, on_hand, reserved, on_order, in_transit, as_of, base_at) VALUES(?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT(product_id) DO UPDATE SET on_hand = excluded.on_hand, reserved = excluded.reserved, on_order = excluded.on_order,
			in_transit = excluded.in_transit, as_of = excluded.as_of, base_at = excluded.base_at`,
		f.ProductID, f.OnHand, f.Reserved, f.OnOrder, f.InTransit, formatTime(f.AsOf), formatTime(f.BaseAt)); err != nil {
		return err
	}
	// a figure made after a count posted here counts the posting
	if _, err := tx.ExecContext(ctx, `DELETE FROM stock_posted WHERE product_id = ? AND posted_at <= ?`, f.ProductID, formatTime(f.AsOf)); err != nil {
		return err
	}
	me, err := s.tillKey(ctx, tx)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `UPDATE stock_movements SET reflected = 1 WHERE seq IN
		(SELECT seq FROM stock_movements WHERE product_id = ? ORDER BY seq LIMIT ?) AND reflected = 0`, f.ProductID, f.Counted[me])
	return err
}

// tillKey is this till's key in the server's feeds (store/terminal).
func (s *Store) tillKey(ctx context.Context, tx *sql.Tx) (string, error) {
	storeID, terminalID, err := s.tillIDs(ctx, tx, &cart.Cart{})
	return storeID + "/" + terminalID, err
}

// applyCount takes a count's header or another device's lines from the
// counts feed (this device's own lines it knows better).
func (s *Store) applyCount(ctx context.Context, tx *sql.Tx, c *api.Change) error {
	if c.Deleted {
		return nil // counts are never deleted on the server; a till keeps what it counted
	}
	if h := c.Count; h != nil {
		var products any
		if h.Products != nil {
			b, err := json.Marshal(h.Products)
			if err != nil {
				return err
			}
			products = string(b)
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO stock_counts(id, name, scheduled, status, created, posted, posted_by, products) VALUES(?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT(id) DO UPDATE SET name = excluded.name, scheduled = excluded.scheduled, status = excluded.status,
				posted = excluded.posted, posted_by = excluded.posted_by, products = excluded.products`,
			h.ID, h.Name, b2i(h.Scheduled), h.Status, formatTime(h.Created), formatTime(h.Posted), h.PostedBy, products)
		return err
	}
	d := c.CountDevice
	me, err := s.tillKey(ctx, tx)
	if err != nil || d.TillID == me {
		return err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM stock_count_others WHERE count_id = ? AND till_id = ?`, d.CountID, d.TillID); err != nil {
		return err
	}
	for _, l := range d.Lines {
		if _, err := tx.ExecContext(ctx, `INSERT INTO stock_count_others(count_id, till_id, product_id, qty, counted_at) VALUES(?, ?, ?, ?, ?)`,
			d.CountID, d.TillID, l.ProductID, l.Qty, formatTime(l.CountedAt)); err != nil {
			return err
		}
	}
	return nil
}

func scanCount(row interface{ Scan(...any) error }) (inventory.Count, error) {
	var c inventory.Count
	var created, posted, status string
	var products sql.NullString
	if err := row.Scan(&c.ID, &c.Name, &c.Scheduled, &status, &created, &posted, &c.PostedBy, &products); err != nil {
		return c, err
	}
	c.Status = inventory.Status(status)
	var err error
	if c.Created, err = time.Parse(timeFormat, created); err != nil {
		return c, err
	}
	if posted != "" {
		if c.Posted, err = time.Parse(timeFormat, posted); err != nil {
			return c, err
		}
	}
	if products.Valid {
		if err := json.Unmarshal([]byte(products.String), &c.Products); err != nil {
			return c, err
		}
	}
	return c, nil
}

const countColumns = `id, name, scheduled, status, created, posted, posted_by, products`

// StockCounts implements pos.StockBook.
func (s *Store) StockCounts(ctx context.Context) ([]inventory.Count, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT `+countColumns+` FROM stock_counts`)
	if err != nil {
		return nil, readErr(err, "reading the stock counts")
	}
	defer rows.Close()
	var out []inventory.Count
	for rows.Next() {
		c, err := scanCount(rows)
		if err != nil {
			return nil, readErr(err, "reading the stock counts")
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, readErr(err, "reading the stock counts")
	}
	inventory.SortCounts(out)
	return out, nil
}

func readCount(ctx context.Context, q queryRower, id string) (inventory.Count, error) {
	c, err := scanCount(q.QueryRowContext(ctx, `SELECT `+countColumns+` FROM stock_counts WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return c, &poserr.Error{Kind: poserr.NotFound, Key: "error.count.not_found", Msg: fmt.Sprintf("no stock count %s: pick one from the list", id),
			Args: map[string]any{"count": id}}
	}
	return c, err
}

// StockCount implements pos.StockBook.
func (s *Store) StockCount(ctx context.Context, id string) (inventory.Count, []inventory.CountLine, error) {
	c, err := readCount(ctx, s.r, id)
	if err != nil {
		return c, nil, readErr(err, "reading stock count %s", id)
	}
	lines, err := countLines(ctx, s.r, id)
	return c, lines, readErr(err, "reading stock count %s", id)
}

// countReader reads a count's lines (the database or a transaction).
type countReader interface {
	querier
	queryRower
}

// countLines reads a count's lines: this device's with the other devices'.
func countLines(ctx context.Context, q countReader, id string) ([]inventory.CountLine, error) {
	rows, err := q.QueryContext(ctx, `SELECT p.product_id, coalesce(l.counted, 0), coalesce(l.scans, 0), coalesce(l.counted_at, ''),
			coalesce(l.recounted, 0), coalesce(l.expected, 0), coalesce(o.qty, 0), coalesce(o.first, '')
		FROM (SELECT product_id FROM stock_count_lines WHERE count_id = ?1 UNION SELECT product_id FROM stock_count_others WHERE count_id = ?1) p
		LEFT JOIN stock_count_lines l ON l.count_id = ?1 AND l.product_id = p.product_id
		LEFT JOIN (SELECT product_id, sum(qty) AS qty, min(counted_at) AS first FROM stock_count_others WHERE count_id = ?1 GROUP BY product_id) o
			ON o.product_id = p.product_id
		ORDER BY p.product_id`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var lines []inventory.CountLine
	var orphans []int // lines counted by other devices only: expected is this store's figure now
	for rows.Next() {
		var l inventory.CountLine
		var at, first string
		if err := rows.Scan(&l.ProductID, &l.Counted, &l.Scans, &at, &l.Recounted, &l.Expected, &l.Others, &first); err != nil {
			return nil, err
		}
		if at != "" {
			if l.CountedAt, err = time.Parse(timeFormat, at); err != nil {
				return nil, err
			}
		}
		if at == "" && first != "" {
			if l.CountedAt, err = time.Parse(timeFormat, first); err != nil {
				return nil, err
			}
			orphans = append(orphans, len(lines))
		}
		lines = append(lines, l)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close() // one connection in a transaction: read the levels after
	for _, i := range orphans {
		lvl, err := stockLevel(ctx, q, lines[i].ProductID)
		if err != nil {
			return nil, err
		}
		lines[i].Expected = lvl.OnHand
	}
	return lines, nil
}

// StartCount implements pos.StockBook.
func (s *Store) StartCount(ctx context.Context, c inventory.Count, e journal.Entry) error {
	if c.ID == "" {
		return poserr.E(poserr.Invalid, "error.count.invalid", "a stock count needs an ID; nothing was saved")
	}
	err := s.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO stock_counts(id, name, scheduled, status, created) VALUES(?, ?, 0, ?, ?)`,
			c.ID, c.Name, string(inventory.Open), formatTime(c.Created))
		if isConstraint(err) {
			return poserr.Wrap(err, poserr.Conflict, "error.count.exists", "stock count %s already exists", c.ID)
		}
		if err != nil {
			return err
		}
		payload, err := json.Marshal(c)
		if err != nil {
			return err
		}
		e.Payload = payload
		return s.appendJournal(ctx, tx, &e)
	})
	var pe *poserr.Error
	if errors.As(err, &pe) {
		return err
	}
	return storageErr(err, "starting stock count %s", c.Name)
}

// CountProduct implements pos.StockBook.
func (s *Store) CountProduct(ctx context.Context, countID, productID string, qty catalog.Qty, add, recount bool, at time.Time) (inventory.CountLine, error) {
	var l inventory.CountLine
	err := s.write(ctx, func(tx *sql.Tx) error {
		c, err := readCount(ctx, tx, countID)
		if err != nil {
			return err
		}
		if c.Status != inventory.Open {
			return pos.CountPostedError(c)
		}
		l = inventory.CountLine{ProductID: productID}
		var countedAt string
		err = tx.QueryRowContext(ctx, `SELECT counted, scans, counted_at, recounted, expected FROM stock_count_lines WHERE count_id = ? AND product_id = ?`,
			countID, productID).Scan(&l.Counted, &l.Scans, &countedAt, &l.Recounted, &l.Expected)
		var onHand catalog.Qty
		switch {
		case errors.Is(err, sql.ErrNoRows):
			lvl, err := stockLevel(ctx, tx, productID)
			if err != nil {
				return err
			}
			onHand = lvl.OnHand
		case err != nil:
			return err
		default:
			if l.CountedAt, err = time.Parse(timeFormat, countedAt); err != nil {
				return err
			}
		}
		inventory.CountInto(&l, qty, add, recount, at, onHand)
		_, err = tx.ExecContext(ctx, `INSERT INTO stock_count_lines(count_id, product_id, counted, scans, counted_at, recounted, expected, dirty)
			VALUES(?, ?, ?, ?, ?, ?, ?, 1) ON CONFLICT(count_id, product_id) DO UPDATE SET counted = excluded.counted, scans = excluded.scans,
				recounted = excluded.recounted, dirty = 1`,
			countID, productID, int64(l.Counted), l.Scans, formatTime(l.CountedAt), b2i(l.Recounted), int64(l.Expected))
		if err != nil {
			return err
		}
		return tx.QueryRowContext(ctx, `SELECT coalesce(sum(qty), 0) FROM stock_count_others WHERE count_id = ? AND product_id = ?`, countID, productID).Scan(&l.Others)
	})
	var pe *poserr.Error
	if errors.As(err, &pe) {
		return l, err
	}
	return l, storageErr(err, "counting %s", productID)
}

// flushCount queues this device's count lines not sent yet (their running
// totals) for the store server, in tx.
func flushCount(ctx context.Context, tx *sql.Tx, c inventory.Count) error {
	rows, err := tx.QueryContext(ctx, `SELECT product_id, counted, counted_at, recounted FROM stock_count_lines WHERE count_id = ? AND dirty = 1 ORDER BY product_id`, c.ID)
	if err != nil {
		return err
	}
	up := api.StockCountLines{ID: uuid.Must(uuid.NewV7()).String(), CountID: c.ID, Name: c.Name, Created: c.Created.UTC()}
	for rows.Next() {
		var l api.StockCountLine
		var at string
		if err := rows.Scan(&l.ProductID, &l.Qty, &at, &l.Recounted); err != nil {
			rows.Close()
			return err
		}
		if l.CountedAt, err = time.Parse(timeFormat, at); err != nil {
			rows.Close()
			return err
		}
		up.Lines = append(up.Lines, l)
	}
	if err := rows.Close(); err != nil {
		return err
	}
	if len(up.Lines) == 0 {
		return nil
	}
	b, err := json.Marshal(up)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, qInsertOutbox, up.ID, api.KindStockCount, string(b), nowText()); err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `UPDATE stock_count_lines SET dirty = 0 WHERE count_id = ? AND dirty = 1`, c.ID)
	return err
}

// FlushCounts queues every count's lines counted here since they were last
// sent (the sync engine calls it before it pushes the outbox). It reports
// how many counts it queued lines of.
func (s *Store) FlushCounts(ctx context.Context) (int, error) {
	if s.readOnly {
		return 0, nil
	}
	var ids []string
	rows, err := s.r.QueryContext(ctx, `SELECT DISTINCT count_id FROM stock_count_lines WHERE dirty = 1`)
	if err != nil {
		return 0, readErr(err, "reading the stock counts to send")
	}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return 0, readErr(err, "reading the stock counts to send")
		}
		ids = append(ids, id)
	}
	if err := rows.Close(); err != nil {
		return 0, readErr(err, "reading the stock counts to send")
	}
	for _, id := range ids {
		if err := s.write(ctx, func(tx *sql.Tx) error {
			c, err := readCount(ctx, tx, id)
			if err != nil {
				return err
			}
			return flushCount(ctx, tx, c)
		}); err != nil {
			return 0, storageErr(err, "queueing stock count %s for the store server", id)
		}
	}
	return len(ids), nil
}

// PostCount implements pos.StockBook: this device's unsent lines, then the
// post, queued for the store server; the count marked posted; the journal
// entry — in one transaction.
func (s *Store) PostCount(ctx context.Context, countID, by string, at time.Time, e journal.Entry) error {
	err := s.write(ctx, func(tx *sql.Tx) error {
		c, err := readCount(ctx, tx, countID)
		if err != nil {
			return err
		}
		if c.Status != inventory.Open {
			return pos.CountPostedError(c)
		}
		if err := flushCount(ctx, tx, c); err != nil {
			return err
		}
		post := api.StockCountPost{ID: uuid.Must(uuid.NewV7()).String(), CountID: c.ID, PostedBy: by, At: at.UTC()}
		b, err := json.Marshal(post)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, qInsertOutbox, post.ID, api.KindStockCountPost, string(b), nowText()); err != nil {
			return err
		}
		lines, err := countLines(ctx, tx, c.ID)
		if err != nil {
			return err
		}
		for _, l := range lines {
			if !l.IsCounted() {
				continue
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO stock_posted(product_id, count_id, counted, counted_at, posted_at) VALUES(?, ?, ?, ?, ?)
				ON CONFLICT(product_id) DO UPDATE SET count_id = excluded.count_id, counted = excluded.counted,
					counted_at = excluded.counted_at, posted_at = excluded.posted_at`,
				l.ProductID, c.ID, int64(l.Total()), formatTime(l.CountedAt), formatTime(at)); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE stock_counts SET status = ?, posted = ?, posted_by = ? WHERE id = ?`,
			string(inventory.Posted), formatTime(at), by, c.ID); err != nil {
			return err
		}
		c.Status, c.Posted, c.PostedBy = inventory.Posted, at.UTC(), by
		payload, err := json.Marshal(c)
		if err != nil {
			return err
		}
		e.Payload = payload
		return s.appendJournal(ctx, tx, &e)
	})
	var pe *poserr.Error
	if errors.As(err, &pe) {
		return err
	}
	return storageErr(err, "posting stock count %s", countID)
}

// CountOf implements pos.StockBook.
func (s *Store) CountOf(ctx context.Context, id string) (inventory.Count, error) {
	c, err := readCount(ctx, s.r, id)
	return c, readErr(err, "reading stock count %s", id)
}
