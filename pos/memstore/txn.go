package memstore

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"time"

	"github.com/opentill/opentill/pos"
	"github.com/opentill/opentill/pos/cart"
	"github.com/opentill/opentill/pos/catalog"
	"github.com/opentill/opentill/pos/journal"
	"github.com/opentill/opentill/pos/poserr"
)

// txn is a finished transaction as stored.
type txn struct {
	status  cart.Status
	payload []byte // the cart as JSON
	sum     pos.TxnSummary
}

// suspended is a cart put aside.
type suspended struct {
	row     pos.SuspendedCart
	shift   string
	payload []byte
}

// Commit stores a finished (completed or voided) transaction: it takes the
// next receipt number of the terminal and stores the transaction and its
// journal entry (its payload set to the transaction) in one step. On error
// nothing is stored, no receipt number is used up and c.ReceiptNo is left
// empty.
func (s *Store) Commit(ctx context.Context, c *cart.Cart, e journal.Entry) error {
	if err := c.CheckFinished(); err != nil {
		return err
	}
	c.ReceiptNo = ""
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.commit(ctx, c, e); err != nil {
		c.ReceiptNo = ""
		return storageErr(err, "saving transaction %s", c.ID)
	}
	return nil
}

// commit does Commit's work under the write lock: every check first, then
// the changes, which cannot fail.
func (s *Store) commit(ctx context.Context, c *cart.Cart, e journal.Entry) error {
	if err := s.usable(ctx); err != nil {
		return err
	}
	if s.FailCommit != nil {
		return s.FailCommit
	}
	storeID, terminalID := c.Store, c.Terminal
	if s.setup != nil {
		storeID, terminalID = s.setup.StoreID, s.setup.TerminalID
	}
	if storeID == "" || terminalID == "" {
		return poserr.E(poserr.Conflict, "error.storage.no_setup",
			"the till has no store and terminal ID (no setup saved): nothing was saved")
	}
	if _, dup := s.txns[c.ID]; dup {
		return poserr.E(poserr.Conflict, "error.storage.duplicate_transaction",
			"transaction %s is already saved; nothing was saved again", c.ID)
	}
	if err := uniqueNumbers(c); err != nil {
		return err
	}
	if err := s.orderOfCart(c); err != nil {
		return err
	}
	n := s.receipts[terminalID] + 1
	no := cart.FormatReceiptNo(storeID, terminalID, n)
	c.ReceiptNo = no
	payload, err := json.Marshal(c)
	if err != nil {
		return err
	}
	e.TxnID = c.ID
	e.ReceiptNo = no
	if e.Operator == "" {
		e.Operator = c.Operator
	}
	e.Payload = payload
	s.seal(&e)

	s.receipts[terminalID] = n
	finished := c.Finished
	if finished.IsZero() {
		finished = time.Now()
	}
	active := 0
	for _, l := range c.Lines {
		if !l.Voided {
			active++
		}
	}
	s.txns[c.ID] = &txn{status: c.Status, payload: payload, sum: pos.TxnSummary{ID: c.ID, ReceiptNo: no, Operator: c.Operator,
		Finished: finished.UTC(), Status: c.Status, Total: c.Totals.Total, Lines: active, Customer: c.Customer}}
	s.byReceipt[no] = c.ID
	if c.Status == cart.Completed {
		for _, l := range c.Lines {
			if l.ReturnOf == nil || l.Voided || l.Qty >= 0 {
				continue
			}
			m := s.returned[l.ReturnOf.TxnID]
			if m == nil {
				m = map[int]catalog.Qty{}
				s.returned[l.ReturnOf.TxnID] = m
			}
			m[l.ReturnOf.LineNo] += -l.Qty
		}
	}
	s.bookTransaction(c, finished)
	if c.Status == cart.Completed {
		s.values = append(s.values, c.ValueMoves()...)
	}
	s.bookOfflineCards(c, finished)
	if c.Status == cart.Completed && c.OrderEvent != nil {
		s.applyOrderEvent(*c.OrderEvent)
	}
	s.appendSealed(e)
	return nil
}

// uniqueNumbers refuses a cart with two lines or two tenders of one number,
// which the SQLite store's keys refuse too.
func uniqueNumbers(c *cart.Cart) error {
	lines := map[int]bool{}
	for _, l := range c.Lines {
		if lines[l.No] {
			return fmt.Errorf("line %d: the transaction has two lines with that number", l.No)
		}
		lines[l.No] = true
	}
	tenders := map[int]bool{}
	for _, t := range c.Tenders {
		if tenders[t.No] {
			return fmt.Errorf("tender %d: the transaction has two tenders with that number", t.No)
		}
		tenders[t.No] = true
	}
	return nil
}

// Transaction finds a completed transaction by receipt number, with the
// quantity already returned against each of its lines (by line number) by
// completed transactions. A voided transaction is poserr.Conflict.
func (s *Store) Transaction(ctx context.Context, receiptNo string) (*cart.Cart, map[int]catalog.Qty, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := s.usable(ctx); err != nil {
		return nil, nil, readErr(err, "looking up receipt %q", receiptNo)
	}
	id, ok := s.byReceipt[receiptNo]
	if !ok {
		return nil, nil, notFound("error.storage.receipt_not_found", "receipt_no", receiptNo, "transaction with receipt number %q not found")
	}
	t := s.txns[id]
	if t.status != cart.Completed {
		return nil, nil, &poserr.Error{Kind: poserr.Conflict, Key: "error.storage.receipt_voided",
			Msg: fmt.Sprintf("transaction with receipt number %q was %s", receiptNo, t.status), Args: map[string]any{"receipt_no": receiptNo}}
	}
	c, err := decode[cart.Cart](t.payload)
	if err != nil {
		return nil, nil, readErr(err, "reading receipt %q", receiptNo)
	}
	returned := map[int]catalog.Qty{}
	for line, q := range s.returned[id] {
		returned[line] = q
	}
	return &c, returned, nil
}

// Suspend stores an open cart aside and journals it (the entry's payload is
// the cart unless the caller set one).
func (s *Store) Suspend(ctx context.Context, c *cart.Cart, e journal.Entry) error {
	if c == nil || c.ID == "" {
		return poserr.E(poserr.Invalid, "error.storage.no_id", "the transaction has no ID; nothing was suspended")
	}
	payload, err := json.Marshal(c)
	if err != nil {
		return storageErr(err, "suspending transaction %s", c.ID)
	}
	at := e.Time
	if at.IsZero() {
		at = time.Now()
		e.Time = at
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.usable(ctx); err != nil {
		return storageErr(err, "suspending transaction %s", c.ID)
	}
	if _, dup := s.suspended[c.ID]; dup {
		return poserr.E(poserr.Conflict, "error.storage.already_suspended", "transaction %s is already suspended", c.ID)
	}
	if e.TxnID == "" {
		e.TxnID = c.ID
	}
	if e.Operator == "" {
		e.Operator = c.Operator
	}
	if len(e.Payload) == 0 {
		e.Payload = payload
	}
	s.seal(&e)
	s.suspended[c.ID] = &suspended{
		row:     pos.SuspendedCart{ID: c.ID, Operator: c.Operator, Lines: len(c.Active()), Total: int64(c.Totals.Total), At: formatTime(at)},
		shift:   c.Shift,
		payload: payload,
	}
	s.appendSealed(e)
	return nil
}

// Recall removes a suspended cart and returns it, journaling the recall.
func (s *Store) Recall(ctx context.Context, id string, e journal.Entry) (*cart.Cart, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.usable(ctx); err != nil {
		return nil, storageErr(err, "recalling transaction %s", id)
	}
	sc, ok := s.suspended[id]
	if !ok {
		return nil, notFound("error.storage.suspended_not_found", "id", id, "suspended transaction %q not found")
	}
	c, err := decode[cart.Cart](sc.payload)
	if err != nil {
		return nil, storageErr(fmt.Errorf("reading suspended transaction %s: %w", id, err), "recalling transaction %s", id)
	}
	if e.TxnID == "" {
		e.TxnID = id
	}
	s.seal(&e)
	delete(s.suspended, id)
	s.appendSealed(e)
	return &c, nil
}

// Suspended lists the suspended carts, oldest first.
func (s *Store) Suspended(ctx context.Context) ([]pos.SuspendedCart, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := s.usable(ctx); err != nil {
		return nil, readErr(err, "listing suspended transactions")
	}
	out := []pos.SuspendedCart{}
	for _, sc := range s.suspendedInOrder() {
		out = append(out, sc.row)
	}
	return out, nil
}

// suspendedInOrder lists the suspended carts by time, then ID. The caller
// holds the lock.
func (s *Store) suspendedInOrder() []*suspended {
	out := make([]*suspended, 0, len(s.suspended))
	for _, sc := range s.suspended {
		out = append(out, sc)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].row.At != out[j].row.At {
			return out[i].row.At < out[j].row.At
		}
		return out[i].row.ID < out[j].row.ID
	})
	return out
}

// FindTransactions lists the transactions the query selects, newest first.
func (s *Store) FindTransactions(ctx context.Context, q pos.TxnQuery) ([]pos.TxnSummary, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := s.usable(ctx); err != nil {
		return nil, readErr(err, "listing transactions")
	}
	var out []pos.TxnSummary
	for _, t := range s.txns {
		if q.Matches(t.sum) {
			out = append(out, t.sum)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if !out[i].Finished.Equal(out[j].Finished) {
			return out[i].Finished.After(out[j].Finished)
		}
		return out[i].ReceiptNo > out[j].ReceiptNo
	})
	if len(out) > q.Max() {
		out = out[:q.Max()]
	}
	return out, nil
}

// ReturnedOf implements pos.TransactionFinder.
func (s *Store) ReturnedOf(ctx context.Context, txnID string) (map[int]catalog.Qty, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := s.usable(ctx); err != nil {
		return nil, readErr(err, "reading the returns of transaction %s", txnID)
	}
	out := map[int]catalog.Qty{}
	for line, q := range s.returned[txnID] {
		out[line] = q
	}
	return out, nil
}
