package scaleunit

// Purchase and transfer orders (docs/inventory.md): the documents a store
// receives against and ships, their effect on the ledger's on-order and
// in-transit figures, and the docs feed of each store they concern. A
// posting (receipt or shipment) is applied once: its ID is kept in the
// document, and its movements are booked by their keys like any other.

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/opentill/opentill/offline/api"
	"github.com/opentill/opentill/offline/apimap"
	"github.com/opentill/opentill/pos/catalog"
	"github.com/opentill/opentill/pos/inventory"
)

// docSchema is the documents' table (SQLite schema version 5, PostgreSQL
// version 3). A document's lines and postings are kept with it as JSON:
// a document is read and written whole.
var docSchema = []string{
	`CREATE TABLE IF NOT EXISTS stock_docs (
    id        TEXT PRIMARY KEY,
    kind      TEXT NOT NULL,
    from_id   TEXT NOT NULL,
    to_id     TEXT NOT NULL,
    created   BIGINT NOT NULL,
    doc       TEXT NOT NULL)`,
	`CREATE INDEX IF NOT EXISTS stock_docs_to ON stock_docs(to_id)`,
	`CREATE INDEX IF NOT EXISTS stock_docs_from ON stock_docs(from_id)`,
}

// PutDoc creates or replaces a purchase or transfer order (an
// administrator's or the merchandising system's): its receipts and
// shipments so far are kept, and the stores' on-order figures follow.
func (s *DB) PutDoc(ctx context.Context, d api.StockDoc) error {
	if err := d.Check(); err != nil {
		return fmt.Errorf("%v: %w", err, ErrInvalid)
	}
	if d.Created.IsZero() {
		d.Created = time.Now().UTC()
	}
	return s.tx(ctx, func(tx *sqlTx) error {
		old, err := readDoc(ctx, tx, d.ID)
		switch {
		case errors.Is(err, ErrNotFound):
			old = inventory.Doc{}
		case err != nil:
			return err
		default:
			// what was received and shipped stands
			nd := apimap.StockDocFrom(d)
			for i, l := range nd.Lines {
				if ol, ok := old.Line(l.ProductID); ok {
					nd.Lines[i].Shipped, nd.Lines[i].Received = ol.Shipped, ol.Received
				}
			}
			for _, ol := range old.Lines {
				if _, ok := nd.Line(ol.ProductID); !ok && (ol.Shipped > 0 || ol.Received > 0) {
					nd.Lines = append(nd.Lines, ol)
				}
			}
			nd.Posted, nd.Closed = old.Posted, old.Closed
			d = apimap.StockDocOf(nd)
		}
		if err := docStores(ctx, tx, d); err != nil {
			return err
		}
		return saveDoc(ctx, tx, old, apimap.StockDocFrom(d))
	})
}

// docStores checks the stores a document names exist, and fills in their
// names.
func docStores(ctx context.Context, tx *sqlTx, d api.StockDoc) error {
	ids := []string{d.To}
	if d.Kind == string(inventory.TransferOrder) {
		ids = append(ids, d.From)
	}
	for _, id := range ids {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM stores WHERE id = ?`, id).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return fmt.Errorf("document %s names store %s, which does not exist (create it first): %w", d.ID, id, ErrInvalid)
		}
	}
	return nil
}

// Doc returns a document.
func (s *DB) Doc(ctx context.Context, id string) (api.StockDoc, error) {
	d, err := readDoc(ctx, s.r, id)
	return apimap.StockDocOf(d), err
}

func readDoc(ctx context.Context, q queryRower, id string) (inventory.Doc, error) {
	var b string
	err := q.QueryRowContext(ctx, `SELECT doc FROM stock_docs WHERE id = ?`, id).Scan(&b)
	if errors.Is(err, sql.ErrNoRows) {
		return inventory.Doc{}, fmt.Errorf("no document %s: %w", id, ErrNotFound)
	}
	if err != nil {
		return inventory.Doc{}, err
	}
	var d api.StockDoc
	if err := json.Unmarshal([]byte(b), &d); err != nil {
		return inventory.Doc{}, fmt.Errorf("document %s is unreadable: %w", id, err)
	}
	return apimap.StockDocFrom(d), nil
}

// pending is what a document still adds to its stores' figures: what the
// receiving store has on order (purchase) or in transit (transfer), by
// product.
func pending(d inventory.Doc) map[string]catalog.Qty {
	out := map[string]catalog.Qty{}
	if d.ID == "" || (d.Kind == inventory.TransferOrder && d.Status() == inventory.DocOpen) {
		return out
	}
	for _, l := range d.Lines {
		if due := d.Due(l); due > 0 {
			out[l.ProductID] = due
		}
	}
	return out
}

// saveDoc writes a document, moves the receiving store's on-order or
// in-transit figures by what changed of what is still due, and puts the
// document in the feeds of the stores it concerns.
func saveDoc(ctx context.Context, tx *sqlTx, old, d inventory.Doc) error {
	if err := tx.lock(ctx, "doc:"+d.ID); err != nil {
		return err
	}
	w := apimap.StockDocOf(d)
	b, err := json.Marshal(w)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO stock_docs(id, kind, from_id, to_id, created, doc) VALUES(?, ?, ?, ?, ?, ?)
		ON CONFLICT(id) DO UPDATE SET kind = excluded.kind, from_id = excluded.from_id, to_id = excluded.to_id, doc = excluded.doc`,
		d.ID, string(d.Kind), d.From, d.To, nanos(d.Created), string(b)); err != nil {
		return err
	}
	was, now := pending(old), pending(d)
	products := map[string]bool{}
	for p := range was {
		products[p] = true
	}
	for p := range now {
		products[p] = true
	}
	for p := range products {
		delta := int64(now[p] - was[p])
		if delta == 0 {
			continue
		}
		col := "on_order"
		if d.Kind == inventory.TransferOrder {
			col = "in_transit"
		}
		if err := tx.lock(ctx, "stock:"+d.To+"/"+p); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO stock_levels(store_id, product_id, `+col+`, updated) VALUES(?, ?, ?, ?)
			ON CONFLICT(store_id, product_id) DO UPDATE SET `+col+` = stock_levels.`+col+` + excluded.`+col+`, updated = excluded.updated`,
			d.To, p, delta, time.Now().UnixNano()); err != nil {
			return err
		}
		f, err := stockFigure(ctx, tx, d.To, p)
		if err != nil {
			return err
		}
		if err := publishStock(ctx, tx, d.To, f); err != nil {
			return err
		}
	}
	stores := []string{d.To}
	if d.Kind == inventory.TransferOrder {
		stores = append(stores, d.From)
	}
	for _, st := range stores {
		if err := change(ctx, tx, api.DatasetDocs, st, d.ID, false, api.Change{Key: d.ID, Doc: &w}); err != nil {
			return err
		}
	}
	return nil
}

// createTransfer takes a transfer order made at a till of one of its two
// stores; the same transfer sent again changes nothing.
func createTransfer(ctx context.Context, tx *sqlTx, till TillInfo, payload []byte) error {
	var d api.StockDoc
	if err := json.Unmarshal(payload, &d); err != nil {
		return fmt.Errorf("the transfer is unreadable: %v: %w", err, ErrInvalid)
	}
	d.Kind, d.Posted, d.Closed = string(inventory.TransferOrder), nil, false
	for i := range d.Lines {
		d.Lines[i].Shipped, d.Lines[i].Received = 0, 0
	}
	if err := d.Check(); err != nil {
		return fmt.Errorf("%v: %w", err, ErrInvalid)
	}
	if d.From != till.StoreID && d.To != till.StoreID {
		return fmt.Errorf("transfer %s is between stores %s and %s, not the till's store %s: %w", d.ID, d.From, d.To, till.StoreID, ErrInvalid)
	}
	if _, err := readDoc(ctx, tx, d.ID); err == nil {
		return nil
	} else if !errors.Is(err, ErrNotFound) {
		return err
	}
	if err := docStores(ctx, tx, d); err != nil {
		return err
	}
	return saveDoc(ctx, tx, inventory.Doc{}, apimap.StockDocFrom(d))
}

// postDoc books a receipt at the receiving store or a shipment at the
// sending store: the movements of the till's store, the document's lines,
// and the figures that follow (the receiving store's on order or in
// transit). What a till posts happened: it is booked even over the
// document's quantities (the till applies the store's tolerances), so a
// till's queue never stops behind goods that came.
func postDoc(ctx context.Context, tx *sqlTx, till TillInfo, payload []byte) error {
	var w api.StockDocPost
	if err := json.Unmarshal(payload, &w); err != nil {
		return fmt.Errorf("the receipt or shipment is unreadable: %v: %w", err, ErrInvalid)
	}
	if err := w.Check(); err != nil {
		return fmt.Errorf("%v: %w", err, ErrInvalid)
	}
	p := apimap.StockDocPostFrom(w)
	if err := tx.lock(ctx, "doc:"+p.DocID); err != nil {
		return err
	}
	d, err := readDoc(ctx, tx, p.DocID)
	if errors.Is(err, ErrNotFound) {
		return fmt.Errorf("%s %s is of document %s, which the server does not have: %w", p.Kind, p.ID, p.DocID, ErrInvalid)
	}
	if err != nil {
		return err
	}
	switch {
	case p.Kind == inventory.Receiving && d.To != till.StoreID:
		return fmt.Errorf("document %s is received at store %s, not at the till's store %s: %w", d.ID, d.To, till.StoreID, ErrInvalid)
	case p.Kind == inventory.Shipping && (d.Kind != inventory.TransferOrder || d.From != till.StoreID):
		return fmt.Errorf("document %s is not a transfer shipped from the till's store %s: %w", d.ID, till.StoreID, ErrInvalid)
	}
	for _, id := range d.Posted {
		if id == p.ID {
			return nil // applied already
		}
	}
	at := p.At
	if at.IsZero() {
		at = time.Now().UTC()
	}
	for _, m := range byProduct(p.Moves()) {
		if _, err := bookMove(ctx, tx, StockMovement{ID: inventory.MoveKey(p.ID, m.ProductID), StoreID: till.StoreID, ProductID: m.ProductID,
			TillID: till.ID, Kind: string(m.Kind), Qty: int64(m.Qty), Reason: d.Number, Operator: p.Operator, At: at}); err != nil {
			return err
		}
	}
	old := d
	old.Lines = append([]inventory.DocLine(nil), d.Lines...)
	d.Apply(p)
	return saveDoc(ctx, tx, old, d)
}

// bookDoc books the document uploads (bookStock hands them over).
func bookDoc(ctx context.Context, tx *sqlTx, till TillInfo, kind string, payload []byte) error {
	switch kind {
	case api.KindStockTransfer:
		return createTransfer(ctx, tx, till, payload)
	case api.KindStockDocPost:
		return postDoc(ctx, tx, till, payload)
	}
	return nil
}
