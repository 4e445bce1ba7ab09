package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"time"

	"github.com/opentill/opentill/offline/api"
	"github.com/opentill/opentill/offline/apimap"
	"github.com/opentill/opentill/pos/catalog"
	"github.com/opentill/opentill/pos/inventory"
	"github.com/opentill/opentill/pos/journal"
	"github.com/opentill/opentill/pos/poserr"
)

func noDoc(id string) error {
	return &poserr.Error{Kind: poserr.NotFound, Key: "error.doc.not_found", Msg: "no document " + id + ": pick one from the list",
		Args: map[string]any{"doc": id}}
}

// readDoc reads a document with this till's postings the server's copy
// does not count yet applied on top.
func readDoc(ctx context.Context, q countReader, id string) (inventory.Doc, error) {
	var b string
	var draft bool
	err := q.QueryRowContext(ctx, `SELECT doc, draft FROM stock_docs WHERE id = ?`, id).Scan(&b, &draft)
	if errors.Is(err, sql.ErrNoRows) {
		return inventory.Doc{}, noDoc(id)
	}
	if err != nil {
		return inventory.Doc{}, err
	}
	var w api.StockDoc
	if err := json.Unmarshal([]byte(b), &w); err != nil {
		return inventory.Doc{}, err
	}
	d := apimap.StockDocFrom(w)
	d.Draft = draft
	rows, err := q.QueryContext(ctx, `SELECT post FROM stock_doc_posts WHERE doc_id = ? ORDER BY seq`, id)
	if err != nil {
		return d, err
	}
	defer rows.Close()
	for rows.Next() {
		var pb string
		if err := rows.Scan(&pb); err != nil {
			return d, err
		}
		var p api.StockDocPost
		if err := json.Unmarshal([]byte(pb), &p); err != nil {
			return d, err
		}
		d.Apply(apimap.StockDocPostFrom(p))
	}
	return d, rows.Err()
}

// StockDocs implements pos.StockBook.
func (s *Store) StockDocs(ctx context.Context) ([]inventory.Doc, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT id FROM stock_docs ORDER BY created DESC, id`)
	if err != nil {
		return nil, readErr(err, "reading the documents")
	}
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, readErr(err, "reading the documents")
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, readErr(err, "reading the documents")
	}
	out := make([]inventory.Doc, 0, len(ids))
	for _, id := range ids {
		d, err := readDoc(ctx, s.r, id)
		if err != nil {
			return nil, readErr(err, "reading document %s", id)
		}
		out = append(out, d)
	}
	return out, nil
}

// StockDoc implements pos.StockBook.
func (s *Store) StockDoc(ctx context.Context, id string) (inventory.Doc, []inventory.PostLine, error) {
	d, err := readDoc(ctx, s.r, id)
	if err != nil {
		var pe *poserr.Error
		if errors.As(err, &pe) {
			return d, nil, err
		}
		return d, nil, readErr(err, "reading document %s", id)
	}
	work, err := docWork(ctx, s.r, id)
	return d, work, readErr(err, "reading document %s", id)
}

func docWork(ctx context.Context, q querier, id string) ([]inventory.PostLine, error) {
	rows, err := q.QueryContext(ctx, `SELECT product_id, qty FROM stock_doc_work WHERE doc_id = ? ORDER BY at, product_id`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []inventory.PostLine
	for rows.Next() {
		var l inventory.PostLine
		if err := rows.Scan(&l.ProductID, &l.Qty); err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	return out, rows.Err()
}

func putDoc(ctx context.Context, tx *sql.Tx, d inventory.Doc, draft bool) error {
	b, err := json.Marshal(apimap.StockDocOf(d))
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO stock_docs(id, doc, draft, created) VALUES(?, ?, ?, ?)
		ON CONFLICT(id) DO UPDATE SET doc = excluded.doc, draft = excluded.draft`, d.ID, string(b), b2i(draft), formatTime(d.Created))
	return err
}

// StartTransfer implements pos.StockBook.
func (s *Store) StartTransfer(ctx context.Context, d inventory.Doc) error {
	if d.ID == "" || d.Kind != inventory.TransferOrder {
		return poserr.E(poserr.Invalid, "error.doc.invalid", "a transfer needs an ID; nothing was saved")
	}
	err := s.write(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM stock_docs WHERE id = ?`, d.ID).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return poserr.E(poserr.Conflict, "error.doc.exists", "document %s already exists", d.ID)
		}
		return putDoc(ctx, tx, d, true)
	})
	return docErr(err, "saving transfer %s", d.Number)
}

func docErr(err error, format string, args ...any) error {
	var pe *poserr.Error
	if errors.As(err, &pe) {
		return err
	}
	return storageErr(err, format, args...)
}

// WorkDoc implements pos.StockBook.
func (s *Store) WorkDoc(ctx context.Context, docID, productID string, qty catalog.Qty, add bool, at time.Time) (inventory.PostLine, error) {
	l := inventory.PostLine{ProductID: productID}
	err := s.write(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM stock_docs WHERE id = ?`, docID).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return noDoc(docID)
		}
		var have int64
		err := tx.QueryRowContext(ctx, `SELECT qty FROM stock_doc_work WHERE doc_id = ? AND product_id = ?`, docID, productID).Scan(&have)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		l.Qty = qty
		if add {
			l.Qty += catalog.Qty(have)
		}
		if l.Qty <= 0 {
			l.Qty = 0
			_, err := tx.ExecContext(ctx, `DELETE FROM stock_doc_work WHERE doc_id = ? AND product_id = ?`, docID, productID)
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO stock_doc_work(doc_id, product_id, qty, at) VALUES(?, ?, ?, ?)
			ON CONFLICT(doc_id, product_id) DO UPDATE SET qty = excluded.qty`, docID, productID, int64(l.Qty), formatTime(at))
		return err
	})
	return l, docErr(err, "scanning %s", productID)
}

// SendTransfer implements pos.StockBook.
func (s *Store) SendTransfer(ctx context.Context, d inventory.Doc, post *inventory.DocPost, e journal.Entry) error {
	err := s.write(ctx, func(tx *sql.Tx) error {
		var draft bool
		err := tx.QueryRowContext(ctx, `SELECT draft FROM stock_docs WHERE id = ?`, d.ID).Scan(&draft)
		if errors.Is(err, sql.ErrNoRows) {
			return noDoc(d.ID)
		}
		if err != nil {
			return err
		}
		if !draft {
			return poserr.E(poserr.Conflict, "error.doc.sent", "transfer %s is sent already", d.Number)
		}
		d.Draft = false
		if err := putDoc(ctx, tx, d, false); err != nil {
			return err
		}
		w := apimap.StockDocOf(d)
		b, err := json.Marshal(w)
		if err != nil {
			return err
		}
		e.Payload = b
		if err := s.appendJournal(ctx, tx, &e); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, qInsertOutbox, d.ID, api.KindStockTransfer, string(b), nowText()); err != nil {
			return err
		}
		if post != nil {
			return bookPost(ctx, tx, *post, nil, s)
		}
		_, err = tx.ExecContext(ctx, `DELETE FROM stock_doc_work WHERE doc_id = ?`, d.ID)
		return err
	})
	return docErr(err, "sending transfer %s", d.Number)
}

// PostDoc implements pos.StockBook.
func (s *Store) PostDoc(ctx context.Context, p inventory.DocPost, e journal.Entry) error {
	err := s.write(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM stock_docs WHERE id = ?`, p.DocID).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return noDoc(p.DocID)
		}
		return bookPost(ctx, tx, p, &e, s)
	})
	return docErr(err, "posting on document %s", p.DocID)
}

// bookPost books a posting in a write transaction: the movements, the
// posting kept until the server's copy counts it, the work cleared, the
// journal entry (if any) and the upload.
func bookPost(ctx context.Context, tx *sql.Tx, p inventory.DocPost, e *journal.Entry, s *Store) error {
	if p.ID == "" || (len(p.Lines) == 0 && !p.Close) {
		return poserr.E(poserr.Invalid, "error.doc.post_invalid", "a receipt or shipment needs an ID and lines; nothing was saved")
	}
	w := apimap.StockDocPostOf(p)
	b, err := json.Marshal(w)
	if err != nil {
		return err
	}
	var seq int64
	if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(seq), 0) + 1 FROM stock_doc_posts`).Scan(&seq); err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO stock_doc_posts(id, doc_id, post, seq) VALUES(?, ?, ?, ?)`, p.ID, p.DocID, string(b), seq)
	if isConstraint(err) {
		return poserr.Wrap(err, poserr.Conflict, "error.doc.post_duplicate", "posting %s is already saved; nothing was saved again", p.ID)
	}
	if err != nil {
		return err
	}
	for _, m := range p.Moves() {
		if _, err := tx.ExecContext(ctx, `INSERT INTO stock_movements(doc_id, product_id, kind, qty, reason, operator, at) VALUES(?, ?, ?, ?, ?, ?, ?)`,
			p.ID, m.ProductID, string(m.Kind), int64(m.Qty), p.DocID, p.Operator, formatTime(p.At)); err != nil {
			return err
		}
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM stock_doc_work WHERE doc_id = ?`, p.DocID); err != nil {
		return err
	}
	if e != nil {
		e.Payload = b
		if err := s.appendJournal(ctx, tx, e); err != nil {
			return err
		}
	}
	_, err = tx.ExecContext(ctx, qInsertOutbox, p.ID, api.KindStockDocPost, string(b), nowText())
	return err
}

// applyDoc takes a document from the docs feed: the server's copy, and
// this till's postings it counts are dropped from those kept.
func applyDoc(ctx context.Context, tx *sql.Tx, c *api.Change) error {
	if c.Deleted {
		_, err := tx.ExecContext(ctx, `DELETE FROM stock_docs WHERE id = ? AND draft = 0`, c.Key)
		return err
	}
	d := apimap.StockDocFrom(*c.Doc)
	if err := putDoc(ctx, tx, d, false); err != nil {
		return err
	}
	for _, id := range d.Posted {
		if _, err := tx.ExecContext(ctx, `DELETE FROM stock_doc_posts WHERE id = ?`, id); err != nil {
			return err
		}
	}
	return nil
}

// ImportDocs stores documents as the store server would deliver them (the
// demo store's purchase order), without moving the docs feed's cursor.
func (s *Store) ImportDocs(ctx context.Context, docs []inventory.Doc) error {
	err := s.write(ctx, func(tx *sql.Tx) error {
		for _, d := range docs {
			if err := apimap.StockDocOf(d).Check(); err != nil {
				return poserr.Wrap(err, poserr.Invalid, "error.doc.bad", "%v: nothing was imported", err)
			}
			if err := putDoc(ctx, tx, d, false); err != nil {
				return err
			}
		}
		return nil
	})
	return docErr(err, "importing documents")
}
