package memstore

import (
	"context"
	"encoding/json"
	"sort"
	"time"

	"github.com/opentill/opentill/pos"
	"github.com/opentill/opentill/pos/cart"
	"github.com/opentill/opentill/pos/catalog"
	"github.com/opentill/opentill/pos/inventory"
	"github.com/opentill/opentill/pos/journal"
	"github.com/opentill/opentill/pos/poserr"
)

// stock is the till's stock book in memory (pos.StockBook). There is no
// store server behind the memory store, so this store's figures are the
// till's own movements alone.
type stock struct {
	moves  []stockMove
	adjIDs map[string]bool
	others map[string]inventory.Level // store/product → last heard
	counts map[string]*countRow
	posted map[string]postedLine // product → the line of the count posted last
	docs   map[string]*docRow    // purchase and transfer orders (docs.go)
}

type stockMove struct {
	product string
	qty     catalog.Qty
	at      time.Time
}

// postedLine is a posted count's line: the product's on hand is what was
// counted plus the movements after it was counted.
type postedLine struct {
	counted catalog.Qty
	at      time.Time
}

type countRow struct {
	c     inventory.Count
	lines map[string]*inventory.CountLine
}

func (s *Store) stockBook() *stock {
	if s.stock == nil {
		s.stock = &stock{adjIDs: map[string]bool{}, others: map[string]inventory.Level{}, counts: map[string]*countRow{}, posted: map[string]postedLine{}}
	}
	return s.stock
}

// bookTransaction books a committed transaction's movements (under the
// write lock, after every check).
func (s *Store) bookTransaction(c *cart.Cart, at time.Time) {
	for _, m := range pos.StockMoves(c) {
		s.stockBook().moves = append(s.stockBook().moves, stockMove{product: m.ProductID, qty: m.Qty, at: at.UTC()})
	}
}

func (s *Store) level(productID string) inventory.Level {
	l := inventory.Level{ProductID: productID}
	p, posted := s.stockBook().posted[productID]
	for _, m := range s.stockBook().moves {
		if m.product == productID && (!posted || m.at.After(p.at)) {
			l.Local += m.qty
		}
	}
	l.OnHand = l.Local
	if posted {
		l.OnHand = inventory.PostedOnHand(p.counted, l.Local)
	}
	return l
}

// StockLevel implements pos.StockBook.
func (s *Store) StockLevel(ctx context.Context, productID string) (inventory.Level, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := s.usable(ctx); err != nil {
		return inventory.Level{}, readErr(err, "reading the stock of %s", productID)
	}
	return s.level(productID), nil
}

// KnownLevels implements pos.StockBook.
func (s *Store) KnownLevels(ctx context.Context, productID string) ([]inventory.Level, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := s.usable(ctx); err != nil {
		return nil, readErr(err, "reading the stock of %s in other stores", productID)
	}
	var out []inventory.Level
	for _, l := range s.stockBook().others {
		if l.ProductID == productID {
			out = append(out, l)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].StoreID < out[j].StoreID })
	return out, nil
}

// RememberLevels implements pos.StockBook.
func (s *Store) RememberLevels(ctx context.Context, levels []inventory.Level) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.usable(ctx); err != nil {
		return storageErr(err, "keeping other stores' stock")
	}
	for _, l := range levels {
		if l.AsOf.IsZero() {
			l.AsOf = time.Now().UTC()
		}
		s.stockBook().others[l.StoreID+"/"+l.ProductID] = l
	}
	return nil
}

// AdjustStock implements pos.StockBook.
func (s *Store) AdjustStock(ctx context.Context, a inventory.AdjustmentRecord, e journal.Entry) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.usable(ctx); err != nil {
		return storageErr(err, "saving the adjustment of %s", a.ProductID)
	}
	if a.ID == "" || a.ProductID == "" || a.Qty == 0 {
		return poserr.E(poserr.Invalid, "error.stock.adjust_invalid", "an adjustment needs an ID, a product and a quantity; nothing was saved")
	}
	st := s.stockBook()
	if st.adjIDs[a.ID] {
		return poserr.E(poserr.Conflict, "error.stock.adjust_duplicate", "adjustment %s is already saved; nothing was saved again", a.ID)
	}
	payload, err := json.Marshal(a)
	if err != nil {
		return storageErr(err, "saving the adjustment of %s", a.ProductID)
	}
	e.Payload = payload
	s.seal(&e)
	st.adjIDs[a.ID] = true
	st.moves = append(st.moves, stockMove{product: a.ProductID, qty: a.Qty, at: a.At.UTC()})
	s.appendSealed(e)
	return nil
}

// StockCounts implements pos.StockBook.
func (s *Store) StockCounts(ctx context.Context) ([]inventory.Count, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := s.usable(ctx); err != nil {
		return nil, readErr(err, "reading the stock counts")
	}
	out := make([]inventory.Count, 0, len(s.stockBook().counts))
	for _, r := range s.stockBook().counts {
		out = append(out, r.c)
	}
	inventory.SortCounts(out)
	return out, nil
}

// StockCount implements pos.StockBook.
func (s *Store) StockCount(ctx context.Context, id string) (inventory.Count, []inventory.CountLine, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := s.usable(ctx); err != nil {
		return inventory.Count{}, nil, readErr(err, "reading stock count %s", id)
	}
	r, ok := s.stockBook().counts[id]
	if !ok {
		return inventory.Count{}, nil, notFound("error.count.not_found", "count", id, "no stock count %s: pick one from the list")
	}
	lines := make([]inventory.CountLine, 0, len(r.lines))
	for _, l := range r.lines {
		lines = append(lines, *l)
	}
	sort.Slice(lines, func(i, j int) bool { return lines[i].ProductID < lines[j].ProductID })
	return r.c, lines, nil
}

// StartCount implements pos.StockBook.
func (s *Store) StartCount(ctx context.Context, c inventory.Count, e journal.Entry) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.usable(ctx); err != nil {
		return storageErr(err, "starting stock count %s", c.Name)
	}
	if c.ID == "" {
		return poserr.E(poserr.Invalid, "error.count.invalid", "a stock count needs an ID; nothing was saved")
	}
	if _, dup := s.stockBook().counts[c.ID]; dup {
		return poserr.E(poserr.Conflict, "error.count.exists", "stock count %s already exists", c.ID)
	}
	payload, err := json.Marshal(c)
	if err != nil {
		return storageErr(err, "starting stock count %s", c.Name)
	}
	e.Payload = payload
	s.seal(&e)
	s.stockBook().counts[c.ID] = &countRow{c: c, lines: map[string]*inventory.CountLine{}}
	s.appendSealed(e)
	return nil
}

// CountProduct implements pos.StockBook.
func (s *Store) CountProduct(ctx context.Context, countID, productID string, qty catalog.Qty, add, recount bool, at time.Time) (inventory.CountLine, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.usable(ctx); err != nil {
		return inventory.CountLine{}, storageErr(err, "counting %s", productID)
	}
	r, ok := s.stockBook().counts[countID]
	if !ok {
		return inventory.CountLine{}, notFound("error.count.not_found", "count", countID, "no stock count %s: pick one from the list")
	}
	if r.c.Status != inventory.Open {
		return inventory.CountLine{}, pos.CountPostedError(r.c)
	}
	l := r.lines[productID]
	if l == nil {
		l = &inventory.CountLine{ProductID: productID}
		r.lines[productID] = l
	}
	inventory.CountInto(l, qty, add, recount, at, s.level(productID).OnHand)
	return *l, nil
}

// PostCount implements pos.StockBook.
func (s *Store) PostCount(ctx context.Context, countID, by string, at time.Time, e journal.Entry) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.usable(ctx); err != nil {
		return storageErr(err, "posting stock count %s", countID)
	}
	r, ok := s.stockBook().counts[countID]
	if !ok {
		return notFound("error.count.not_found", "count", countID, "no stock count %s: pick one from the list")
	}
	if r.c.Status != inventory.Open {
		return pos.CountPostedError(r.c)
	}
	c := r.c
	c.Status, c.Posted, c.PostedBy = inventory.Posted, at.UTC(), by
	for id, l := range r.lines {
		if l.IsCounted() {
			s.stockBook().posted[id] = postedLine{counted: l.Total(), at: l.CountedAt}
		}
	}
	payload, err := json.Marshal(c)
	if err != nil {
		return storageErr(err, "posting stock count %s", countID)
	}
	e.Payload = payload
	s.seal(&e)
	r.c = c
	s.appendSealed(e)
	return nil
}

// CountOf implements pos.StockBook.
func (s *Store) CountOf(ctx context.Context, id string) (inventory.Count, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := s.usable(ctx); err != nil {
		return inventory.Count{}, readErr(err, "reading stock count %s", id)
	}
	r, ok := s.stockBook().counts[id]
	if !ok {
		return inventory.Count{}, notFound("error.count.not_found", "count", id, "no stock count %s: pick one from the list")
	}
	return r.c, nil
}
