package scaleunit

// The stock ledger (docs/inventory.md): per store and product the figures
// (on hand, reserved, on order, in transit) and every movement that changed
// them, booked once by its key (document ID / product ID) from the tills'
// uploads; stock count documents with each device's counted lines; and the
// stock and counts feeds. The SQL here is portable (no SQLite functions,
// ON CONFLICT upserts, ? placeholders); times are stored as Unix
// nanoseconds so they compare as numbers.

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/opentill/opentill/offline/api"
	"github.com/opentill/opentill/pos/catalog"
	"github.com/opentill/opentill/pos/inventory"
)

// StockLedger is the store server's stock ledger; SQLite implements it
// (and a PostgreSQL storage can, with the same statements).
type StockLedger interface {
	// SetFigures sets a store's figures of products (an administrator's
	// import): on hand is then true as of now, and movements dated before
	// it that arrive later do not change it.
	SetFigures(ctx context.Context, storeID string, figs []api.StockFigure) error
	// Figure returns a store's figures of a product (zero figures for a
	// product never stocked).
	Figure(ctx context.Context, storeID, productID string) (api.StockFigure, error)
	// PutCount creates or replaces a scheduled count of a store.
	PutCount(ctx context.Context, storeID string, c api.StockCount) error
	// Count returns a count with every device's lines summed by product.
	Count(ctx context.Context, countID string) (api.StockCount, []api.StockCountLine, error)
	// Movements lists a store's movements of a product in order of time.
	Movements(ctx context.Context, storeID, productID string) ([]StockMovement, error)
}

var _ StockLedger = (*DB)(nil)

// StockMovement is one booked movement.
type StockMovement struct {
	ID        string
	StoreID   string
	ProductID string
	TillID    string
	Kind      string
	Qty       int64
	Reason    string
	Operator  string
	At        time.Time
	// Applied is false for a movement dated before the figure was last set
	// (it is in the figure already).
	Applied bool
}

// stockSchema is the ledger's tables (SQLite schema version 4,
// PostgreSQL version 2).
var stockSchema = []string{
	`CREATE TABLE IF NOT EXISTS stock_levels (
    store_id   TEXT NOT NULL,
    product_id TEXT NOT NULL,
    on_hand    BIGINT NOT NULL DEFAULT 0,
    reserved   BIGINT NOT NULL DEFAULT 0,
    on_order   BIGINT NOT NULL DEFAULT 0,
    in_transit BIGINT NOT NULL DEFAULT 0,
    base_at    BIGINT NOT NULL DEFAULT 0, -- movements at or before it are in on_hand
    updated    BIGINT NOT NULL,
    PRIMARY KEY (store_id, product_id))`,
	`CREATE TABLE IF NOT EXISTS stock_movements (
    id         TEXT PRIMARY KEY, -- document ID / product ID
    store_id   TEXT NOT NULL,
    product_id TEXT NOT NULL,
    till_id    TEXT NOT NULL,
    kind       TEXT NOT NULL,
    qty        BIGINT NOT NULL,
    reason     TEXT NOT NULL DEFAULT '',
    operator   TEXT NOT NULL DEFAULT '',
    at         BIGINT NOT NULL,
    applied    INTEGER NOT NULL)`,
	`CREATE INDEX IF NOT EXISTS stock_movements_product ON stock_movements(store_id, product_id, at)`,
	`CREATE TABLE IF NOT EXISTS stock_counts (
    id        TEXT PRIMARY KEY,
    store_id  TEXT NOT NULL,
    name      TEXT NOT NULL,
    scheduled INTEGER NOT NULL,
    status    TEXT NOT NULL,
    created   BIGINT NOT NULL,
    posted    BIGINT NOT NULL DEFAULT 0,
    posted_by TEXT NOT NULL DEFAULT '',
    products  TEXT NOT NULL DEFAULT '[]')`,
	`CREATE TABLE IF NOT EXISTS stock_count_lines (
    count_id   TEXT NOT NULL,
    till_id    TEXT NOT NULL,
    product_id TEXT NOT NULL,
    qty        BIGINT NOT NULL,
    counted_at BIGINT NOT NULL,
    recounted  INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (count_id, till_id, product_id))`,
	// The figures the earlier single-column table held.
	`INSERT INTO stock_levels(store_id, product_id, on_hand, updated)
    SELECT store_id, product_id, qty, 0 FROM stock WHERE true
    ON CONFLICT(store_id, product_id) DO NOTHING`,
}

func nanos(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixNano()
}

func fromNanos(n int64) time.Time {
	if n == 0 {
		return time.Time{}
	}
	return time.Unix(0, n).UTC()
}

// movesByTillSchema keeps how many movements of a store's product each
// till booked (StockFigure.Counted), counted as they are booked instead of
// over the product's whole history at every sale (SQLite schema 16,
// PostgreSQL migration 14), filled from the movements booked before it.
var movesByTillSchema = []string{
	`CREATE TABLE IF NOT EXISTS stock_moves_by_till (
    store_id   TEXT NOT NULL,
    product_id TEXT NOT NULL,
    till_id    TEXT NOT NULL,
    n          BIGINT NOT NULL,
    PRIMARY KEY (store_id, product_id, till_id))`,
	`INSERT INTO stock_moves_by_till(store_id, product_id, till_id, n)
    SELECT store_id, product_id, till_id, count(*) FROM stock_movements WHERE true GROUP BY store_id, product_id, till_id
    ON CONFLICT(store_id, product_id, till_id) DO UPDATE SET n = excluded.n`,
}

// stockFigure reads a store's figures of a product with its tills' counts.
func stockFigure(ctx context.Context, q interface {
	QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row
	QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error)
}, storeID, productID string) (api.StockFigure, error) {
	f := api.StockFigure{ProductID: productID}
	var base, updated int64
	err := q.QueryRowContext(ctx, `SELECT on_hand, reserved, on_order, in_transit, base_at, updated FROM stock_levels
		WHERE store_id = ? AND product_id = ?`, storeID, productID).Scan(&f.OnHand, &f.Reserved, &f.OnOrder, &f.InTransit, &base, &updated)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return f, err
	}
	f.BaseAt, f.AsOf = fromNanos(base), fromNanos(updated)
	counted, err := movesByTill(ctx, q, storeID, productID)
	if len(counted) > 0 {
		f.Counted = counted
	}
	return f, err
}

// movesByTill counts a store's movements of a product by the till that
// booked them (StockFigure.Counted).
func movesByTill(ctx context.Context, q interface {
	QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error)
}, storeID, productID string) (map[string]int64, error) {
	return countsByTill(ctx, q, `SELECT till_id, n FROM stock_moves_by_till WHERE store_id = ? AND product_id = ?`, storeID, productID)
}

// publishStock puts a product's figures in the store's stock feed.
func publishStock(ctx context.Context, tx *sqlTx, storeID string, f api.StockFigure) error {
	if f.AsOf.IsZero() {
		f.AsOf = time.Now().UTC()
	}
	return change(ctx, tx, api.DatasetStock, storeID, f.ProductID, false, api.Change{Key: f.ProductID, Stock: &f})
}

// bookMove books one movement exactly once by its ID: it moves on hand
// unless it is dated at or before the figure was last set, and the
// product's figures go out in the stock feed. It reports whether the
// movement was new.
func bookMove(ctx context.Context, tx *sqlTx, m StockMovement) (bool, error) {
	// Two server processes booking the same product take turns.
	if err := tx.lock(ctx, "stock:"+m.StoreID+"/"+m.ProductID); err != nil {
		return false, err
	}
	var base int64
	err := tx.QueryRowContext(ctx, `SELECT base_at FROM stock_levels WHERE store_id = ? AND product_id = ?`, m.StoreID, m.ProductID).Scan(&base)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return false, err
	}
	at := nanos(m.At)
	m.Applied = at > base
	// Booked once by its ID: a movement booked before inserts nothing.
	res, err := tx.ExecContext(ctx, `INSERT INTO stock_movements(id, store_id, product_id, till_id, kind, qty, reason, operator, at, applied)
		VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO NOTHING`, m.ID, m.StoreID, m.ProductID, m.TillID, m.Kind, m.Qty, m.Reason, m.Operator, at, b2i(m.Applied))
	if err != nil {
		return false, err
	}
	if n, err := res.RowsAffected(); err != nil {
		return false, err
	} else if n == 0 {
		return false, nil
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO stock_moves_by_till(store_id, product_id, till_id, n) VALUES(?, ?, ?, 1)
		ON CONFLICT(store_id, product_id, till_id) DO UPDATE SET n = stock_moves_by_till.n + 1`, m.StoreID, m.ProductID, m.TillID); err != nil {
		return false, err
	}
	delta := int64(0)
	if m.Applied {
		delta = m.Qty
	}
	now := time.Now().UnixNano()
	// The figures as the movement leaves them, read back by the statement
	// that moves them.
	f := api.StockFigure{ProductID: m.ProductID}
	var updated int64
	if err := tx.QueryRowContext(ctx, `INSERT INTO stock_levels(store_id, product_id, on_hand, updated) VALUES(?, ?, ?, ?)
		ON CONFLICT(store_id, product_id) DO UPDATE SET on_hand = stock_levels.on_hand + excluded.on_hand, updated = excluded.updated
		RETURNING on_hand, reserved, on_order, in_transit, base_at, updated`,
		m.StoreID, m.ProductID, delta, now).Scan(&f.OnHand, &f.Reserved, &f.OnOrder, &f.InTransit, &base, &updated); err != nil {
		return false, err
	}
	f.BaseAt, f.AsOf = fromNanos(base), fromNanos(updated)
	counted, err := movesByTill(ctx, tx, m.StoreID, m.ProductID)
	if err != nil {
		return false, err
	}
	if len(counted) > 0 {
		f.Counted = counted
	}
	return true, publishStock(ctx, tx, m.StoreID, f)
}

// bookSale books a completed transaction's movements (inventory.
// TransactionMoves, the rule the till books them by).
func bookSale(ctx context.Context, tx *sqlTx, till TillInfo, id string, payload []byte) error {
	var t struct {
		Status   string    `json:"status"`
		Operator string    `json:"operator"`
		Finished time.Time `json:"finished"`
		Lines    []struct {
			ProductID string `json:"product_id"`
			Qty       int64  `json:"qty"`
			Voided    bool   `json:"voided"`
		} `json:"lines"`
	}
	if err := json.Unmarshal(payload, &t); err != nil {
		return fmt.Errorf("the transaction is unreadable: %v: %w", err, ErrInvalid)
	}
	if t.Status != "completed" {
		return nil
	}
	items := make([]inventory.Item, len(t.Lines))
	for i, l := range t.Lines {
		items[i] = inventory.Item{ProductID: l.ProductID, Qty: catalog.Qty(l.Qty), Voided: l.Voided}
	}
	at := t.Finished
	if at.IsZero() {
		at = time.Now()
	}
	for _, mv := range byProduct(inventory.TransactionMoves(items)) {
		if _, err := bookMove(ctx, tx, StockMovement{ID: inventory.MoveKey(id, mv.ProductID), StoreID: till.StoreID, ProductID: mv.ProductID,
			TillID: till.ID, Kind: string(mv.Kind), Qty: int64(mv.Qty), Operator: t.Operator, At: at}); err != nil {
			return err
		}
	}
	return nil
}

// byProduct orders a document's movements by product, the order every
// upload locks its products' figures in: two sales of the same products in
// other orders would otherwise each hold one while waiting for the other
// (a deadlock between server processes on PostgreSQL).
func byProduct(moves []inventory.Move) []inventory.Move {
	slices.SortStableFunc(moves, func(a, b inventory.Move) int { return strings.Compare(a.ProductID, b.ProductID) })
	return moves
}

// bookAdjustment books an adjustment made at a till.
func bookAdjustment(ctx context.Context, tx *sqlTx, till TillInfo, id string, payload []byte) error {
	var a api.StockAdjustment
	if err := json.Unmarshal(payload, &a); err != nil {
		return fmt.Errorf("the adjustment is unreadable: %v: %w", err, ErrInvalid)
	}
	if err := a.Check(); err != nil {
		return fmt.Errorf("%v: %w", err, ErrInvalid)
	}
	_, err := bookMove(ctx, tx, StockMovement{ID: inventory.MoveKey(id, a.ProductID), StoreID: till.StoreID, ProductID: a.ProductID, TillID: till.ID,
		Kind: string(inventory.Adjustment), Qty: a.Qty, Reason: a.Reason, Operator: a.Operator, At: a.At})
	return err
}

// SetFigures implements StockLedger.
func (s *DB) SetFigures(ctx context.Context, storeID string, figs []api.StockFigure) error {
	for _, f := range figs {
		if f.ProductID == "" {
			return fmt.Errorf("a stock figure needs a product ID: %w", ErrInvalid)
		}
		if f.Reserved < 0 || f.OnOrder < 0 || f.InTransit < 0 {
			return fmt.Errorf("product %s: reserved, on order and in transit cannot be negative: %w", f.ProductID, ErrInvalid)
		}
	}
	return s.tx(ctx, func(tx *sqlTx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM stores WHERE id = ?`, storeID).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return fmt.Errorf("store %s does not exist (create it first): %w", storeID, ErrNotFound)
		}
		now := time.Now().UnixNano()
		for _, f := range figs {
			if _, err := tx.ExecContext(ctx, `INSERT INTO stock_levels(store_id, product_id, on_hand, reserved, on_order, in_transit, base_at, updated)
				VALUES(?, ?, ?, ?, ?, ?, ?, ?)
				ON CONFLICT(store_id, product_id) DO UPDATE SET on_hand = excluded.on_hand, reserved = excluded.reserved,
				on_order = excluded.on_order, in_transit = excluded.in_transit, base_at = excluded.base_at, updated = excluded.updated`,
				storeID, f.ProductID, f.OnHand, f.Reserved, f.OnOrder, f.InTransit, now, now); err != nil {
				return err
			}
			got, err := stockFigure(ctx, tx, storeID, f.ProductID)
			if err != nil {
				return err
			}
			if err := publishStock(ctx, tx, storeID, got); err != nil {
				return err
			}
		}
		return nil
	})
}

// SetStock implements Storage: a store's on-hand of a product (the other
// figures kept).
func (s *DB) SetStock(ctx context.Context, storeID, productID string, qty int64) error {
	f, err := s.Figure(ctx, storeID, productID)
	if err != nil {
		return err
	}
	f.OnHand = qty
	return s.SetFigures(ctx, storeID, []api.StockFigure{f})
}

// Figure implements StockLedger.
func (s *DB) Figure(ctx context.Context, storeID, productID string) (api.StockFigure, error) {
	return stockFigure(ctx, s.r, storeID, productID)
}

// Availability implements Storage: a product's figures in every store.
func (s *DB) Availability(ctx context.Context, productID string) ([]api.StockLevel, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT s.id, s.name, coalesce(k.on_hand, 0), coalesce(k.reserved, 0), coalesce(k.on_order, 0),
		coalesce(k.in_transit, 0), coalesce(k.updated, 0) FROM stores s
		LEFT JOIN stock_levels k ON k.store_id = s.id AND k.product_id = ? ORDER BY s.id`, productID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []api.StockLevel{}
	for rows.Next() {
		var l api.StockLevel
		var at int64
		if err := rows.Scan(&l.StoreID, &l.StoreName, &l.Qty, &l.Reserved, &l.OnOrder, &l.InTransit, &at); err != nil {
			return nil, err
		}
		l.AsOf = fromNanos(at)
		if l.AsOf.IsZero() {
			l.AsOf = time.Now().UTC() // never stocked: none, as of now
		}
		out = append(out, l)
	}
	return out, rows.Err()
}

// Movements implements StockLedger.
func (s *DB) Movements(ctx context.Context, storeID, productID string) ([]StockMovement, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT id, store_id, product_id, till_id, kind, qty, reason, operator, at, applied FROM stock_movements
		WHERE store_id = ? AND product_id = ? ORDER BY at, id`, storeID, productID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []StockMovement
	for rows.Next() {
		var m StockMovement
		var at int64
		if err := rows.Scan(&m.ID, &m.StoreID, &m.ProductID, &m.TillID, &m.Kind, &m.Qty, &m.Reason, &m.Operator, &at, &m.Applied); err != nil {
			return nil, err
		}
		m.At = fromNanos(at)
		out = append(out, m)
	}
	return out, rows.Err()
}

// PutCount implements StockLedger.
func (s *DB) PutCount(ctx context.Context, storeID string, c api.StockCount) error {
	if c.ID == "" || !api.ValidClientID(c.ID) || strings.Contains(c.ID, "/") || strings.TrimSpace(c.Name) == "" {
		return fmt.Errorf("a count needs an ID (letters, digits, . _ : -) and a name: %w", ErrInvalid)
	}
	c.Scheduled, c.Status = true, string(inventory.Open)
	if c.Created.IsZero() {
		c.Created = time.Now().UTC()
	}
	return s.tx(ctx, func(tx *sqlTx) error {
		var st string
		err := tx.QueryRowContext(ctx, `SELECT status FROM stock_counts WHERE id = ?`, c.ID).Scan(&st)
		if err == nil && st == string(inventory.Posted) {
			return fmt.Errorf("count %s is posted already: %w", c.ID, ErrConflict)
		}
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		return putCountTx(ctx, tx, storeID, c)
	})
}

func putCountTx(ctx context.Context, tx *sqlTx, storeID string, c api.StockCount) error {
	products, err := json.Marshal(c.Products)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO stock_counts(id, store_id, name, scheduled, status, created, posted, posted_by, products)
		VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT(id) DO UPDATE SET name = excluded.name, scheduled = excluded.scheduled, status = excluded.status,
		posted = excluded.posted, posted_by = excluded.posted_by, products = excluded.products`,
		c.ID, storeID, c.Name, b2i(c.Scheduled), c.Status, nanos(c.Created), nanos(c.Posted), c.PostedBy, string(products)); err != nil {
		return err
	}
	return change(ctx, tx, api.DatasetCounts, storeID, c.ID, false, api.Change{Key: c.ID, Count: &c})
}

type countRow struct {
	api.StockCount
	storeID string
}

func readCount(ctx context.Context, q queryRower, id string) (countRow, error) {
	var c countRow
	var sched int
	var created, posted int64
	var products string
	err := q.QueryRowContext(ctx, `SELECT id, store_id, name, scheduled, status, created, posted, posted_by, products FROM stock_counts WHERE id = ?`, id).
		Scan(&c.ID, &c.storeID, &c.Name, &sched, &c.Status, &created, &posted, &c.PostedBy, &products)
	if errors.Is(err, sql.ErrNoRows) {
		return c, fmt.Errorf("no stock count %s: %w", id, ErrNotFound)
	}
	if err != nil {
		return c, err
	}
	c.Scheduled, c.Created, c.Posted = sched != 0, fromNanos(created), fromNanos(posted)
	if err := json.Unmarshal([]byte(products), &c.Products); err != nil {
		return c, fmt.Errorf("count %s: its products are unreadable: %w", id, err)
	}
	return c, nil
}

// saveCountLines stores a device's counted lines of a count: each line
// replaces what the device counted of the product before, so an upload
// sent again counts nothing twice; the devices are summed at posting.
func saveCountLines(ctx context.Context, tx *sqlTx, till TillInfo, id string, payload []byte) error {
	var up api.StockCountLines
	if err := json.Unmarshal(payload, &up); err != nil {
		return fmt.Errorf("the count upload is unreadable: %v: %w", err, ErrInvalid)
	}
	if up.CountID == "" || strings.Contains(up.CountID, "/") {
		return fmt.Errorf("count upload %s names no count: %w", id, ErrInvalid)
	}
	c, err := readCount(ctx, tx, up.CountID)
	switch {
	case errors.Is(err, ErrNotFound):
		// A count started at the till: the server hears of it now.
		if strings.TrimSpace(up.Name) == "" {
			return fmt.Errorf("count %s is not known and the upload gives it no name: %w", up.CountID, ErrInvalid)
		}
		created := up.Created
		if created.IsZero() {
			created = time.Now().UTC()
		}
		c = countRow{StockCount: api.StockCount{ID: up.CountID, Name: up.Name, Status: string(inventory.Open), Created: created}, storeID: till.StoreID}
		if err := putCountTx(ctx, tx, till.StoreID, c.StockCount); err != nil {
			return err
		}
	case err != nil:
		return err
	}
	if c.storeID != till.StoreID {
		return fmt.Errorf("count %s belongs to store %s, not to the till's store %s: %w", c.ID, c.storeID, till.StoreID, ErrInvalid)
	}
	// Lines of a count posted already are kept (and shown with the count)
	// but move no stock: the count was booked as it stood. Refusing them
	// would hold up the till's queue behind them.
	for _, l := range up.Lines {
		if l.ProductID == "" || l.Qty < 0 {
			return fmt.Errorf("count %s: a line needs a product and a quantity of at least 0: %w", c.ID, ErrInvalid)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO stock_count_lines(count_id, till_id, product_id, qty, counted_at, recounted) VALUES(?, ?, ?, ?, ?, ?)
			ON CONFLICT(count_id, till_id, product_id) DO UPDATE SET qty = excluded.qty, counted_at = excluded.counted_at, recounted = excluded.recounted`,
			c.ID, till.ID, l.ProductID, l.Qty, nanos(l.CountedAt), b2i(l.Recounted)); err != nil {
			return err
		}
	}
	lines, err := deviceLines(ctx, tx, c.ID, till.ID)
	if err != nil {
		return err
	}
	key := c.ID + "/" + till.ID
	return change(ctx, tx, api.DatasetCounts, till.StoreID, key, false, api.Change{Key: key, CountDevice: &api.StockCountDevice{CountID: c.ID, TillID: till.ID, Lines: lines}})
}

func deviceLines(ctx context.Context, tx *sqlTx, countID, tillID string) ([]api.StockCountLine, error) {
	rows, err := tx.QueryContext(ctx, `SELECT product_id, qty, counted_at, recounted FROM stock_count_lines WHERE count_id = ? AND till_id = ? ORDER BY product_id`, countID, tillID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []api.StockCountLine{}
	for rows.Next() {
		var l api.StockCountLine
		var at int64
		if err := rows.Scan(&l.ProductID, &l.Qty, &at, &l.Recounted); err != nil {
			return nil, err
		}
		l.CountedAt = fromNanos(at)
		out = append(out, l)
	}
	return out, rows.Err()
}

// postCount posts a count: each counted product's on-hand becomes what the
// devices counted together plus every movement dated after the product was
// first counted (inventory.PostedOnHand), and the figure's base moves to
// that time, so a sale made before it and uploaded later changes nothing.
// A count is posted once: a later post of it (from another device) changes
// nothing.
func postCount(ctx context.Context, tx *sqlTx, till TillInfo, payload []byte) error {
	var p api.StockCountPost
	if err := json.Unmarshal(payload, &p); err != nil {
		return fmt.Errorf("the count post is unreadable: %v: %w", err, ErrInvalid)
	}
	c, err := readCount(ctx, tx, p.CountID)
	if errors.Is(err, ErrNotFound) {
		return fmt.Errorf("count %s is not on the server (no device uploaded lines of it): %w", p.CountID, ErrInvalid)
	}
	if err != nil {
		return err
	}
	if c.storeID != till.StoreID {
		return fmt.Errorf("count %s belongs to store %s, not to the till's store %s: %w", c.ID, c.storeID, till.StoreID, ErrInvalid)
	}
	if c.Status == string(inventory.Posted) {
		return nil // posted from another device already: the first post stands
	}
	type line struct {
		product string
		qty     int64
		first   int64
		since   int64
	}
	// Every device's lines summed, with the movements after each product's
	// first count, in one pass.
	rows, err := tx.QueryContext(ctx, `SELECT l.product_id, l.qty, l.first, coalesce(sum(m.qty), 0)
		FROM (SELECT product_id, sum(qty) AS qty, min(counted_at) AS first FROM stock_count_lines WHERE count_id = ? GROUP BY product_id) l
		LEFT JOIN stock_movements m ON m.store_id = ? AND m.product_id = l.product_id AND m.at > l.first
		GROUP BY l.product_id, l.qty, l.first ORDER BY l.product_id`, c.ID, c.storeID)
	if err != nil {
		return err
	}
	var lines []line
	for rows.Next() {
		var l line
		if err := rows.Scan(&l.product, &l.qty, &l.first, &l.since); err != nil {
			rows.Close()
			return err
		}
		lines = append(lines, l)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	counted, err := tillCounts(ctx, tx, c.storeID, c.ID)
	if err != nil {
		return err
	}
	now := time.Now().UTC()
	// the figures set in statements of many rows, and sent out together
	const batch = 500
	feed := make([]api.Change, 0, len(lines))
	for i := 0; i < len(lines); i += batch {
		part := lines[i:min(i+batch, len(lines))]
		figs := make(map[string]*api.StockFigure, len(part))
		var q strings.Builder
		q.WriteString(`INSERT INTO stock_levels(store_id, product_id, on_hand, base_at, updated) VALUES `)
		args := make([]any, 0, 5*len(part))
		for j, l := range part {
			f := &api.StockFigure{ProductID: l.product, OnHand: int64(inventory.PostedOnHand(catalog.Qty(l.qty), catalog.Qty(l.since))),
				AsOf: now, BaseAt: fromNanos(l.first), Counted: counted[l.product]}
			figs[l.product] = f
			if j > 0 {
				q.WriteString(", ")
			}
			q.WriteString("(?, ?, ?, ?, ?)")
			args = append(args, c.storeID, l.product, f.OnHand, l.first, now.UnixNano())
		}
		q.WriteString(` ON CONFLICT(store_id, product_id) DO UPDATE SET on_hand = excluded.on_hand, base_at = excluded.base_at, updated = excluded.updated
			RETURNING product_id, reserved, on_order, in_transit`)
		rows, err := tx.QueryContext(ctx, q.String(), args...)
		if err != nil {
			return err
		}
		for rows.Next() {
			var id string
			var reserved, onOrder, inTransit int64
			if err := rows.Scan(&id, &reserved, &onOrder, &inTransit); err != nil {
				rows.Close()
				return err
			}
			if f := figs[id]; f != nil {
				f.Reserved, f.OnOrder, f.InTransit = reserved, onOrder, inTransit
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, l := range part {
			f := figs[l.product]
			feed = append(feed, api.Change{Key: f.ProductID, Stock: f})
		}
	}
	if err := changes(ctx, tx, api.DatasetStock, c.storeID, feed); err != nil {
		return err
	}
	c.Status, c.Posted, c.PostedBy = string(inventory.Posted), p.At.UTC(), p.PostedBy
	if c.Posted.IsZero() {
		c.Posted = now
	}
	return putCountTx(ctx, tx, c.storeID, c.StockCount)
}

// tillCounts counts each till's movements of the count's products.
func tillCounts(ctx context.Context, tx *sqlTx, storeID, countID string) (map[string]map[string]int64, error) {
	rows, err := tx.QueryContext(ctx, `SELECT m.product_id, m.till_id, m.n FROM stock_moves_by_till m
		WHERE m.store_id = ? AND m.product_id IN (SELECT DISTINCT product_id FROM stock_count_lines WHERE count_id = ?)`, storeID, countID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]map[string]int64{}
	for rows.Next() {
		var p, t string
		var n int64
		if err := rows.Scan(&p, &t, &n); err != nil {
			return nil, err
		}
		if out[p] == nil {
			out[p] = map[string]int64{}
		}
		out[p][t] = n
	}
	return out, rows.Err()
}

// Count implements StockLedger.
func (s *DB) Count(ctx context.Context, countID string) (api.StockCount, []api.StockCountLine, error) {
	c, err := readCount(ctx, s.r, countID)
	if err != nil {
		return api.StockCount{}, nil, err
	}
	rows, err := s.r.QueryContext(ctx, `SELECT product_id, sum(qty), min(counted_at) FROM stock_count_lines WHERE count_id = ? GROUP BY product_id ORDER BY product_id`, countID)
	if err != nil {
		return c.StockCount, nil, err
	}
	defer rows.Close()
	var out []api.StockCountLine
	for rows.Next() {
		var l api.StockCountLine
		var at int64
		if err := rows.Scan(&l.ProductID, &l.Qty, &at); err != nil {
			return c.StockCount, nil, err
		}
		l.CountedAt = fromNanos(at)
		out = append(out, l)
	}
	return c.StockCount, out, rows.Err()
}

// bookStock books what an upload does to the ledger, in the upload's
// transaction (so exactly once, like the upload).
func bookStock(ctx context.Context, tx *sqlTx, till TillInfo, kind, id string, payload []byte) error {
	switch kind {
	case api.KindTransaction:
		return bookSale(ctx, tx, till, id, payload)
	case api.KindStockAdjustment:
		return bookAdjustment(ctx, tx, till, id, payload)
	case api.KindStockCount:
		return saveCountLines(ctx, tx, till, id, payload)
	case api.KindStockCountPost:
		return postCount(ctx, tx, till, payload)
	case api.KindStockTransfer, api.KindStockDocPost:
		return bookDoc(ctx, tx, till, kind, payload)
	}
	return nil
}
