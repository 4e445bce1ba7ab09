package memstore

import (
	"context"
	"encoding/json"
	"sort"
	"time"

	"github.com/opentill/opentill/pos/catalog"
	"github.com/opentill/opentill/pos/inventory"
	"github.com/opentill/opentill/pos/journal"
	"github.com/opentill/opentill/pos/poserr"
)

// docRow is a document with this till's postings applied and the
// quantities worked on it now.
type docRow struct {
	doc   inventory.Doc
	work  map[string]inventory.PostLine
	order []string // work's products in the order first worked
}

func (s *Store) docBook() map[string]*docRow {
	st := s.stockBook()
	if st.docs == nil {
		st.docs = map[string]*docRow{}
	}
	return st.docs
}

// copyDoc hands out a fresh copy, as a row read back would be.
func copyDoc(d inventory.Doc) inventory.Doc {
	d.Lines = append([]inventory.DocLine(nil), d.Lines...)
	d.Posted = append([]string(nil), d.Posted...)
	return d
}

func noDoc(id string) error {
	return notFound("error.doc.not_found", "doc", id, "no document %s: pick one from the list")
}

// StockDocs implements pos.StockBook.
func (s *Store) StockDocs(ctx context.Context) ([]inventory.Doc, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := s.usable(ctx); err != nil {
		return nil, readErr(err, "reading the documents")
	}
	var out []inventory.Doc
	for _, r := range s.docBook() {
		out = append(out, copyDoc(r.doc))
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}

// StockDoc implements pos.StockBook.
func (s *Store) StockDoc(ctx context.Context, id string) (inventory.Doc, []inventory.PostLine, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := s.usable(ctx); err != nil {
		return inventory.Doc{}, nil, readErr(err, "reading document %s", id)
	}
	r, ok := s.docBook()[id]
	if !ok {
		return inventory.Doc{}, nil, noDoc(id)
	}
	return copyDoc(r.doc), r.workLines(), nil
}

func (r *docRow) workLines() []inventory.PostLine {
	var out []inventory.PostLine
	for _, p := range r.order {
		if l, ok := r.work[p]; ok {
			out = append(out, l)
		}
	}
	return out
}

// StartTransfer implements pos.StockBook.
func (s *Store) StartTransfer(ctx context.Context, d inventory.Doc) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.usable(ctx); err != nil {
		return storageErr(err, "saving transfer %s", d.Number)
	}
	if d.ID == "" || d.Kind != inventory.TransferOrder {
		return poserr.E(poserr.Invalid, "error.doc.invalid", "a transfer needs an ID; nothing was saved")
	}
	if _, ok := s.docBook()[d.ID]; ok {
		return poserr.E(poserr.Conflict, "error.doc.exists", "document %s already exists", d.ID)
	}
	d = copyDoc(d)
	d.Draft = true
	s.docBook()[d.ID] = &docRow{doc: d, work: map[string]inventory.PostLine{}}
	return nil
}

// WorkDoc implements pos.StockBook.
func (s *Store) WorkDoc(ctx context.Context, docID, productID string, qty catalog.Qty, add bool, at time.Time) (inventory.PostLine, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.usable(ctx); err != nil {
		return inventory.PostLine{}, storageErr(err, "scanning %s", productID)
	}
	r, ok := s.docBook()[docID]
	if !ok {
		return inventory.PostLine{}, noDoc(docID)
	}
	l, had := r.work[productID]
	l.ProductID = productID
	if add {
		l.Qty += qty
	} else {
		l.Qty = qty
	}
	if l.Qty <= 0 {
		delete(r.work, productID)
		return inventory.PostLine{ProductID: productID}, nil
	}
	if !had {
		r.order = append(r.order, productID)
	}
	r.work[productID] = l
	return l, nil
}

// SendTransfer implements pos.StockBook.
func (s *Store) SendTransfer(ctx context.Context, d inventory.Doc, post *inventory.DocPost, e journal.Entry) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.usable(ctx); err != nil {
		return storageErr(err, "sending transfer %s", d.Number)
	}
	r, ok := s.docBook()[d.ID]
	if !ok {
		return noDoc(d.ID)
	}
	if !r.doc.Draft {
		return poserr.E(poserr.Conflict, "error.doc.sent", "transfer %s is sent already", d.Number)
	}
	d = copyDoc(d)
	d.Draft = false
	payload, err := json.Marshal(d)
	if err != nil {
		return storageErr(err, "sending transfer %s", d.Number)
	}
	e.Payload = payload
	s.seal(&e)
	r.doc = d
	s.appendSealed(e)
	if post != nil {
		return s.postDoc(r, *post, nil)
	}
	r.work, r.order = map[string]inventory.PostLine{}, nil
	return nil
}

// PostDoc implements pos.StockBook.
func (s *Store) PostDoc(ctx context.Context, p inventory.DocPost, e journal.Entry) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.usable(ctx); err != nil {
		return storageErr(err, "posting on document %s", p.DocID)
	}
	r, ok := s.docBook()[p.DocID]
	if !ok {
		return noDoc(p.DocID)
	}
	return s.postDoc(r, p, &e)
}

// postDoc books a posting under the write lock.
func (s *Store) postDoc(r *docRow, p inventory.DocPost, e *journal.Entry) error {
	if p.ID == "" || (len(p.Lines) == 0 && !p.Close) {
		return poserr.E(poserr.Invalid, "error.doc.post_invalid", "a receipt or shipment needs an ID and lines; nothing was saved")
	}
	for _, id := range r.doc.Posted {
		if id == p.ID {
			return poserr.E(poserr.Conflict, "error.doc.post_duplicate", "this receipt or shipment is already saved; nothing was saved again")
		}
	}
	if e != nil {
		payload, err := json.Marshal(p)
		if err != nil {
			return storageErr(err, "posting on document %s", p.DocID)
		}
		e.Payload = payload
		s.seal(e)
		s.appendSealed(*e)
	}
	st := s.stockBook()
	for _, m := range p.Moves() {
		st.moves = append(st.moves, stockMove{product: m.ProductID, qty: m.Qty, at: p.At.UTC()})
	}
	r.doc.Apply(p)
	r.work, r.order = map[string]inventory.PostLine{}, nil
	return nil
}
