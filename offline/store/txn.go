package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/opentill/opentill/pos"
	"github.com/opentill/opentill/pos/cart"
	"github.com/opentill/opentill/pos/catalog"
	"github.com/opentill/opentill/pos/journal"
	"github.com/opentill/opentill/pos/money"
	"github.com/opentill/opentill/pos/poserr"
)

// OutboxTransaction is the outbox kind of a finished transaction.
const OutboxTransaction = "transaction"

// Commit durably stores a finished (completed or voided) transaction: it
// takes the next receipt number of the till, and writes the transaction, its
// lines and tenders, the journal entry (its payload set to the transaction)
// and the outbox row keyed by c.ID in one immediate transaction, synced to
// disk (synchronous=FULL) before it returns. On error nothing is stored, no
// receipt number is used up and c.ReceiptNo is left empty.
func (s *Store) Commit(ctx context.Context, c *cart.Cart, e journal.Entry) error {
	if err := c.CheckFinished(); err != nil {
		return err
	}
	c.ReceiptNo, c.Signature = "", cart.Signature{}
	err := s.write(ctx, func(tx *sql.Tx) error {
		storeID, terminalID, err := s.tillIDs(ctx, tx, c)
		if err != nil {
			return err
		}
		no, err := s.nextReceiptNo(ctx, tx, storeID, terminalID)
		if err != nil {
			return err
		}
		c.ReceiptNo = no
		payload, err := json.Marshal(c)
		if err != nil {
			return err
		}
		finished := c.Finished
		if finished.IsZero() {
			finished = time.Now()
		}
		st, err := s.stmt(ctx, tx, qInsertTxn)
		if err != nil {
			return err
		}
		if _, err := st.ExecContext(ctx,
			c.ID, no, storeID, terminalID, string(c.Status), c.Operator, formatTime(c.Started), formatTime(finished),
			c.Currency.Code, int64(c.Totals.Total), string(payload), c.Customer); err != nil {
			if isConstraint(err) && strings.Contains(err.Error(), "transactions.id") {
				return poserr.Wrap(err, poserr.Conflict, "error.storage.duplicate_transaction",
					"transaction %s is already saved; nothing was saved again", c.ID)
			}
			return err
		}
		if len(c.Lines) > 0 {
			st, err := s.stmt(ctx, tx, qInsertLine)
			if err != nil {
				return err
			}
			for _, l := range c.Lines {
				var rTxn sql.NullString
				var rLine sql.NullInt64
				if l.ReturnOf != nil {
					rTxn = sql.NullString{String: l.ReturnOf.TxnID, Valid: true}
					rLine = sql.NullInt64{Int64: int64(l.ReturnOf.LineNo), Valid: true}
				}
				if _, err := st.ExecContext(ctx, c.ID, l.No, l.ProductID, l.ItemID, int64(l.Qty), int64(l.Net), b2i(l.Voided), rTxn, rLine); err != nil {
					return fmt.Errorf("line %d: %w", l.No, err)
				}
			}
		}
		if len(c.Tenders) > 0 {
			st, err := s.stmt(ctx, tx, qInsertTender)
			if err != nil {
				return err
			}
			for _, t := range c.Tenders {
				var pan sql.NullString
				if t.Card != nil && t.Card.MaskedPAN != "" {
					pan = sql.NullString{String: t.Card.MaskedPAN, Valid: true}
				}
				if _, err := st.ExecContext(ctx, c.ID, t.No, t.TypeID, string(t.Kind), int64(t.Amount), pan, b2i(t.Voided)); err != nil {
					return fmt.Errorf("tender %d: %w", t.No, err)
				}
			}
		}
		e.TxnID = c.ID
		e.ReceiptNo = no
		if e.Operator == "" {
			e.Operator = c.Operator
		}
		e.Payload = payload
		if err := s.appendJournal(ctx, tx, &e); err != nil {
			return err
		}
		if l := c.Loyalty; l != nil && c.Status == cart.Completed && (l.Earned != 0 || l.Redeemed != 0) {
			if _, err := tx.ExecContext(ctx, `INSERT INTO loyalty_movements(txn_id, card, points, redeemed, at) VALUES(?, ?, ?, ?, ?)`,
				c.ID, l.Card, l.Earned-l.Redeemed, l.Redeemed, formatTime(finished)); err != nil {
				return err
			}
		}
		if err := bookValue(ctx, tx, c, finished); err != nil {
			return err
		}
		if err := bookOfflineCards(ctx, tx, c, no, finished); err != nil {
			return err
		}
		if err := bookStock(ctx, tx, c, finished); err != nil {
			return err
		}
		if err := bookCartOrder(ctx, tx, c); err != nil {
			return err
		}
		if st, err = s.stmt(ctx, tx, qInsertOutbox); err != nil {
			return err
		}
		_, err = st.ExecContext(ctx,
			c.ID, OutboxTransaction, string(payload), nowText())
		if isConstraint(err) {
			return poserr.Wrap(err, poserr.Conflict, "error.storage.duplicate_transaction",
				"transaction %s is already waiting to be sent; nothing was saved again", c.ID)
		}
		if err != nil {
			return err
		}
		c.Signature = signatureOf(e)
		return nil
	})
	if err != nil {
		c.ReceiptNo, c.Signature = "", cart.Signature{}
		return storageErr(err, "saving transaction %s", c.ID)
	}
	return nil
}

// tillIDs reads the store and terminal IDs of the saved setup, falling back
// to the cart's.
func (s *Store) tillIDs(ctx context.Context, tx *sql.Tx, c *cart.Cart) (storeID, terminalID string, err error) {
	st, err := s.stmt(ctx, tx, qTillIDs)
	if err != nil {
		return "", "", err
	}
	rows, err := st.QueryContext(ctx)
	if err != nil {
		return "", "", err
	}
	defer rows.Close()
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			return "", "", err
		}
		var id string
		if err := json.Unmarshal([]byte(v), &id); err != nil {
			return "", "", fmt.Errorf("setting %s: %w", k, err)
		}
		if k == "store_id" {
			storeID = id
		} else {
			terminalID = id
		}
	}
	if err := rows.Err(); err != nil {
		return "", "", err
	}
	if storeID == "" {
		storeID = c.Store
	}
	if terminalID == "" {
		terminalID = c.Terminal
	}
	if storeID == "" || terminalID == "" {
		return "", "", poserr.E(poserr.Conflict, "error.storage.no_setup",
			"the till has no store and terminal ID (no setup saved): nothing was saved")
	}
	return storeID, terminalID, nil
}

// nextReceiptNo takes the terminal's next receipt number inside tx.
func (s *Store) nextReceiptNo(ctx context.Context, tx *sql.Tx, storeID, terminalID string) (string, error) {
	var n int64
	st, err := s.stmt(ctx, tx, qNextReceipt)
	if err == nil {
		err = st.QueryRowContext(ctx, terminalID).Scan(&n)
	}
	if err != nil {
		return "", fmt.Errorf("taking the next receipt number: %w", err)
	}
	return cart.FormatReceiptNo(storeID, terminalID, n), nil
}

// appendJournal seals and signs e after the last entry and inserts it,
// inside tx.
func (s *Store) appendJournal(ctx context.Context, tx *sql.Tx, e *journal.Entry) error {
	return s.appendJournalWith(ctx, tx, e, nil)
}

// appendJournalWith is appendJournal with a hook that may complete the entry
// (its payload) once its time and sequence are known, before it is sealed.
func (s *Store) appendJournalWith(ctx context.Context, tx *sql.Tx, e *journal.Entry, prepare func(e *journal.Entry) error) error {
	if s.key == nil {
		return s.errReadOnly()
	}
	if e.Time.IsZero() {
		e.Time = time.Now()
	}
	e.Time = e.Time.UTC()
	var head journal.Head
	st, err := s.stmt(ctx, tx, qJournalHead)
	if err != nil {
		return err
	}
	err = st.QueryRowContext(ctx).Scan(&head.Seq, &head.Hash, &head.Counter, &head.KeyID)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("reading the journal head: %w", err)
	}
	if prepare != nil {
		e.Seq = head.Seq + 1
		if err := prepare(e); err != nil {
			return err
		}
	}
	journal.SealSigned(e, head, s.key)
	var payload any
	if len(e.Payload) > 0 {
		payload = string(e.Payload)
	}
	if st, err = s.stmt(ctx, tx, qInsertJournal); err != nil {
		return err
	}
	_, err = st.ExecContext(ctx,
		e.Seq, e.Time.Format(time.RFC3339Nano), string(e.Kind), e.Operation, e.TxnID, e.ReceiptNo, e.Operator, e.Approver,
		payload, e.PrevHash, e.Hash, e.KeyID, e.Counter, e.Sig)
	if err != nil {
		return fmt.Errorf("appending journal entry %d: %w", e.Seq, err)
	}
	return nil
}

// signatureOf is the receipt's view of a signed entry (zero if unsigned).
func signatureOf(e journal.Entry) cart.Signature {
	if e.Sig == "" {
		return cart.Signature{}
	}
	return cart.Signature{Seq: e.Seq, Counter: e.Counter, KeyID: e.KeyID, Hash: e.Hash, Sig: e.Sig}
}

// AppendJournal appends an entry that goes with no other change.
func (s *Store) AppendJournal(ctx context.Context, e journal.Entry) error {
	err := s.write(ctx, func(tx *sql.Tx) error { return s.appendJournal(ctx, tx, &e) })
	return storageErr(err, "writing the %s journal entry", e.Kind)
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
	err = s.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO suspended(id, operator, lines, total, payload, at) VALUES(?, ?, ?, ?, ?, ?)`,
			c.ID, c.Operator, len(c.Active()), int64(c.Totals.Total), string(payload), formatTime(at))
		if isConstraint(err) {
			return poserr.Wrap(err, poserr.Conflict, "error.storage.already_suspended", "transaction %s is already suspended", c.ID)
		}
		if err != nil {
			return err
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
		return s.appendJournal(ctx, tx, &e)
	})
	return storageErr(err, "suspending transaction %s", c.ID)
}

// Recall removes a suspended cart and returns it, journaling the recall.
func (s *Store) Recall(ctx context.Context, id string, e journal.Entry) (*cart.Cart, error) {
	var c cart.Cart
	err := s.write(ctx, func(tx *sql.Tx) error {
		var payload []byte
		err := tx.QueryRowContext(ctx, `DELETE FROM suspended WHERE id = ? RETURNING payload`, id).Scan(&payload)
		if errors.Is(err, sql.ErrNoRows) {
			return &poserr.Error{Kind: poserr.NotFound, Key: "error.storage.suspended_not_found",
				Msg: fmt.Sprintf("suspended transaction %q not found", id), Args: map[string]any{"id": id}}
		}
		if err != nil {
			return err
		}
		if err := json.Unmarshal(payload, &c); err != nil {
			return fmt.Errorf("reading suspended transaction %s: %w", id, err)
		}
		if e.TxnID == "" {
			e.TxnID = id
		}
		return s.appendJournal(ctx, tx, &e)
	})
	if err != nil {
		return nil, storageErr(err, "recalling transaction %s", id)
	}
	return &c, nil
}

// Suspended lists the suspended carts, oldest first.
func (s *Store) Suspended(ctx context.Context) ([]pos.SuspendedCart, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT id, operator, lines, total, at FROM suspended ORDER BY at, id`)
	if err != nil {
		return nil, readErr(err, "listing suspended transactions")
	}
	defer rows.Close()
	out := []pos.SuspendedCart{}
	for rows.Next() {
		var sc pos.SuspendedCart
		if err := rows.Scan(&sc.ID, &sc.Operator, &sc.Lines, &sc.Total, &sc.At); err != nil {
			return nil, readErr(err, "listing suspended transactions")
		}
		out = append(out, sc)
	}
	if err := rows.Err(); err != nil {
		return nil, readErr(err, "listing suspended transactions")
	}
	return out, nil
}

// Transaction finds a completed transaction by receipt number, with the
// quantity already returned against each of its lines (by line number): the
// sum of the absolute quantities of the lines of completed transactions that
// return it.
func (s *Store) Transaction(ctx context.Context, receiptNo string) (*cart.Cart, map[int]catalog.Qty, error) {
	var id, status string
	var payload []byte
	err := s.r.QueryRowContext(ctx, `SELECT id, status, payload FROM transactions WHERE receipt_no = ?`, receiptNo).Scan(&id, &status, &payload)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, &poserr.Error{Kind: poserr.NotFound, Key: "error.storage.receipt_not_found",
			Msg: fmt.Sprintf("transaction with receipt number %q not found", receiptNo), Args: map[string]any{"receipt_no": receiptNo}}
	}
	if err != nil {
		return nil, nil, readErr(err, "looking up receipt %q", receiptNo)
	}
	if status != string(cart.Completed) {
		return nil, nil, &poserr.Error{Kind: poserr.Conflict, Key: "error.storage.receipt_voided",
			Msg: fmt.Sprintf("transaction with receipt number %q was %s", receiptNo, status), Args: map[string]any{"receipt_no": receiptNo}}
	}
	var c cart.Cart
	if err := json.Unmarshal(payload, &c); err != nil {
		return nil, nil, readErr(err, "reading receipt %q", receiptNo)
	}
	returned, err := s.ReturnedOf(ctx, id)
	if err != nil {
		return nil, nil, readErr(err, "reading the returns of receipt %q", receiptNo)
	}
	sig, err := s.saleSignature(ctx, id)
	if err != nil {
		return nil, nil, readErr(err, "reading the signature of receipt %q", receiptNo)
	}
	c.Signature = sig
	return &c, returned, nil
}

// saleSignature returns the signature of a transaction's sale entry (zero
// if it is unsigned).
func (s *Store) saleSignature(ctx context.Context, txnID string) (cart.Signature, error) {
	var e journal.Entry
	err := s.r.QueryRowContext(ctx, `SELECT seq, hash, `+s.sigCols()+` FROM journal WHERE txn_id = ? AND kind = ? ORDER BY seq LIMIT 1`,
		txnID, string(journal.Sale)).Scan(&e.Seq, &e.Hash, &e.KeyID, &e.Counter, &e.Sig)
	if errors.Is(err, sql.ErrNoRows) {
		return cart.Signature{}, nil
	}
	return signatureOf(e), err
}

// scanEntry reads one journal row (journalCols).
func scanEntry(row interface{ Scan(...any) error }) (journal.Entry, error) {
	var e journal.Entry
	var ts, kind string
	var payload []byte
	if err := row.Scan(&e.Seq, &ts, &kind, &e.Operation, &e.TxnID, &e.ReceiptNo, &e.Operator, &e.Approver,
		&payload, &e.PrevHash, &e.Hash, &e.KeyID, &e.Counter, &e.Sig); err != nil {
		return e, err
	}
	e.Kind = journal.Kind(kind)
	if len(payload) > 0 {
		e.Payload = json.RawMessage(payload)
	}
	t, err := time.Parse(time.RFC3339Nano, ts)
	if err != nil {
		return e, &badTimeError{seq: e.Seq, text: ts, err: err}
	}
	e.Time = t
	return e, nil
}

// badTimeError is a journal row whose time is not a time (the rest of the
// entry is read).
type badTimeError struct {
	seq  int64
	text string
	err  error
}

func (e *badTimeError) Error() string {
	return fmt.Sprintf("the time %q of journal entry %d: %v", e.text, e.seq, e.err)
}

// JournalEach calls fn with every journal entry in sequence order, streaming
// them from one read snapshot. It stops at fn's first error and returns it.
func (s *Store) JournalEach(ctx context.Context, fn func(journal.Entry) error) error {
	return s.journalRange(ctx, 0, 0, fn)
}

// journalRange streams the entries from sequence from to to (0: to the end).
func (s *Store) journalRange(ctx context.Context, from, to int64, fn func(journal.Entry) error) error {
	q := `SELECT ` + s.journalCols() + ` FROM journal WHERE seq >= ?`
	args := []any{from}
	if to > 0 {
		q += ` AND seq <= ?`
		args = append(args, to)
	}
	rows, err := s.r.QueryContext(ctx, q+` ORDER BY seq`, args...)
	if err != nil {
		return readErr(err, "reading the journal")
	}
	defer rows.Close()
	for rows.Next() {
		e, err := scanEntry(rows)
		if err != nil {
			return readErr(err, "reading the journal")
		}
		if err := fn(e); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return readErr(err, "reading the journal")
	}
	return nil
}

// VerifyJournal checks the whole hash chain and the signatures with the
// till's recorded key, and returns how many entries verified. A broken chain
// is a *journal.BreakError naming the first bad entry. Verify checks more.
func (s *Store) VerifyJournal(ctx context.Context) (int64, error) {
	v := journal.Verifier{Key: s.PublicKey()}
	err := s.JournalEach(ctx, v.Add)
	return v.Count(), err
}

// FindTransactions lists the transactions the query selects, newest first
// (the journal screen).
func (s *Store) FindTransactions(ctx context.Context, q pos.TxnQuery) ([]pos.TxnSummary, error) {
	hasTotal := 0
	if q.HasTotal {
		hasTotal = 1
	}
	query := `SELECT t.id, t.receipt_no, t.operator, t.finished, t.status, t.total, t.customer,
			(SELECT COUNT(*) FROM transaction_lines l WHERE l.txn_id = t.id AND l.voided = 0)
		FROM transactions t
		WHERE (?1 = '' OR instr(t.receipt_no, ?1) > 0) AND (?2 = '' OR t.operator = ?2)
			AND (?3 = '' OR t.finished >= ?3) AND (?4 = '' OR t.finished < ?4) AND (?5 = 0 OR t.total = ?6)
			AND (?8 = '' OR t.customer = ?8)
		ORDER BY t.finished DESC, t.receipt_no DESC LIMIT ?7`
	if q.Customer != "" {
		// The customer's own index, newest first.
		query = strings.Replace(query, "FROM transactions t", "FROM transactions t INDEXED BY transactions_customer", 1)
		query = strings.Replace(query, "AND (?8 = '' OR t.customer = ?8)", "AND t.customer = ?8 AND t.customer <> ''", 1)
	}
	rows, err := s.r.QueryContext(ctx, query,
		q.Receipt, q.Operator, formatTime(q.From), formatTime(q.To), hasTotal, int64(q.Total), q.Max(), q.Customer)
	if err != nil {
		return nil, readErr(err, "listing transactions")
	}
	defer rows.Close()
	var out []pos.TxnSummary
	for rows.Next() {
		var t pos.TxnSummary
		var finished, status string
		var total int64
		if err := rows.Scan(&t.ID, &t.ReceiptNo, &t.Operator, &finished, &status, &total, &t.Customer, &t.Lines); err != nil {
			return nil, readErr(err, "listing transactions")
		}
		at, err := time.Parse(timeFormat, finished)
		if err != nil {
			return nil, readErr(err, "reading the time of receipt %q", t.ReceiptNo)
		}
		t.Finished, t.Status, t.Total = at, cart.Status(status), money.Amount(total)
		out = append(out, t)
	}
	if err := rows.Err(); err != nil {
		return nil, readErr(err, "listing transactions")
	}
	return out, nil
}

// ReturnedOf implements pos.TransactionFinder.
func (s *Store) ReturnedOf(ctx context.Context, txnID string) (map[int]catalog.Qty, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT l.return_of_line, SUM(ABS(l.qty))
		FROM transaction_lines l JOIN transactions t ON t.id = l.txn_id
		WHERE l.return_of_txn = ? AND l.voided = 0 AND l.qty < 0 AND t.status = 'completed'
		GROUP BY l.return_of_line`, txnID)
	if err != nil {
		return nil, readErr(err, "reading the returns of transaction %s", txnID)
	}
	defer rows.Close()
	returned := map[int]catalog.Qty{}
	for rows.Next() {
		var line int
		var q int64
		if err := rows.Scan(&line, &q); err != nil {
			return nil, readErr(err, "reading the returns of transaction %s", txnID)
		}
		returned[line] = catalog.Qty(q)
	}
	return returned, readErr(rows.Err(), "reading the returns of transaction %s", txnID)
}
