package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/opentill/opentill/offline/api"
	"github.com/opentill/opentill/offline/apimap"
	"github.com/opentill/opentill/pos/cart"
	"github.com/opentill/opentill/pos/catalog"
	"github.com/opentill/opentill/pos/customer"
	"github.com/opentill/opentill/pos/journal"
	"github.com/opentill/opentill/pos/money"
	"github.com/opentill/opentill/pos/poserr"
)

// OutboxCustomer is the outbox kind of a created or edited customer (the
// scale-unit API's "customer" upload). Each version is its own record
// ("<id>.<version>"), so every edit reaches the server once.
const OutboxCustomer = "customer"

// SaveCustomer stores a new customer (numbering it) or an edit of the
// stored version, its journal entry and its outbox record, in one
// transaction.
func (s *Store) SaveCustomer(ctx context.Context, c customer.Customer, e journal.Entry) (customer.Customer, error) {
	if c.ID == "" {
		return customer.Customer{}, poserr.E(poserr.Invalid, "error.storage.no_id", "the customer has no ID; nothing was saved")
	}
	err := s.write(ctx, func(tx *sql.Tx) error {
		row, err := loadRow(ctx, tx, c.ID)
		if err != nil {
			return err
		}
		rowid, version, oldPayload, exists := row.ftsID, row.version, row.payload, row.exists
		switch {
		case c.Version <= 1 && exists:
			return poserr.E(poserr.Conflict, "error.customer.exists", "customer %s is already saved; nothing was saved again", c.ID)
		case c.Version > 1 && !exists:
			return &poserr.Error{Kind: poserr.NotFound, Key: "error.customer.not_found", Msg: fmt.Sprintf("no customer %s: search again", c.ID), Args: map[string]any{"customer": c.ID}}
		case c.Version > 1 && c.Version != version+1:
			return poserr.E(poserr.Conflict, "error.customer.edited", "%s was changed meanwhile (at another till or by sync): search again and redo the edit", c.Name())
		}
		if c.LoyaltyCard != "" {
			var other string
			err := tx.QueryRowContext(ctx, `SELECT payload FROM customers WHERE card = ? AND id <> ?`, c.LoyaltyCard, c.ID).Scan(&other)
			if err == nil {
				var o customer.Customer
				_ = json.Unmarshal([]byte(other), &o) // only for the name in the message
				pe := poserr.E(poserr.Conflict, "error.customer.card_taken", "loyalty card %s belongs to %s already", c.LoyaltyCard, o.Name())
				pe.Args = map[string]any{"field": customer.FieldLoyaltyCard}
				return pe
			}
			if !errors.Is(err, sql.ErrNoRows) {
				return err
			}
		}
		if exists {
			var old customer.Customer
			if err := json.Unmarshal([]byte(oldPayload), &old); err != nil {
				return fmt.Errorf("reading customer %s: %w", c.ID, err)
			}
			c.Number, c.Created, c.CreatedBy = old.Number, old.Created, old.CreatedBy
		} else if c.Number == "" {
			storeID, terminalID, err := s.tillIDs(ctx, tx, &cart.Cart{}) // the saved setup names them
			if err != nil {
				return err
			}
			var n int64
			err = tx.QueryRowContext(ctx, `INSERT INTO customer_numbers(terminal, last) VALUES(?, 1)
				ON CONFLICT(terminal) DO UPDATE SET last = last + 1 RETURNING last`, terminalID).Scan(&n)
			if err != nil {
				return err
			}
			c.Number = customer.FormatNumber(storeID, terminalID, n)
		}
		payload, err := putCustomer(ctx, tx, c, rowid, exists, true)
		if err != nil {
			return err
		}
		e.Payload = payload
		if err := s.appendJournal(ctx, tx, &e); err != nil {
			return err
		}
		storeID, terminalID, err := s.tillIDs(ctx, tx, &cart.Cart{})
		if err != nil {
			return err
		}
		id := api.CustomerUploadID(c.ID, c.Version, storeID, terminalID)
		up, err := json.Marshal(api.CustomerUpload{ID: id, Customer: apimap.CustomerOf(c)})
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, qInsertOutbox, id, OutboxCustomer, string(up), nowText())
		return err
	})
	if err != nil {
		return customer.Customer{}, storageErr(err, "saving customer %s", c.ID)
	}
	return c, nil
}

// putCustomer writes a customer's row and its name index (ftsID, the row
// of the name index, and exists from the caller's lookup by ID) and
// returns the stored profile. A loyalty card another customer holds is
// refused when strict (a save at this till); from the server it stays in
// the profile but out of the card index, so the customer who holds it here
// is still the one a scan finds.
func putCustomer(ctx context.Context, tx *sql.Tx, c customer.Customer, ftsID int64, exists, strict bool) ([]byte, error) {
	payload, err := json.Marshal(c)
	if err != nil {
		return nil, err
	}
	var card any
	if c.LoyaltyCard != "" {
		card = c.LoyaltyCard
		if !strict {
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM customers WHERE card = ? AND id <> ?`, c.LoyaltyCard, c.ID).Scan(&n); err != nil {
				return nil, err
			}
			if n > 0 {
				card = nil
			}
		}
	}
	if exists {
		if _, err := tx.ExecContext(ctx, `DELETE FROM customers_fts WHERE rowid = ?`, ftsID); err != nil {
			return nil, err
		}
	}
	if !exists || nameOrder(ftsID) != nameOrder(nameID(c)) {
		if ftsID, err = freeNameID(ctx, tx, c); err != nil {
			return nil, err
		}
	}
	cols := []any{c.Number, customer.Fold(c.LastName), customer.Fold(c.FirstName), customer.Reverse(strings.TrimPrefix(c.Phone, "+")),
		strings.ToLower(c.Email), card, c.Version, formatTime(c.Updated), string(payload), ftsID, c.Associate}
	if exists {
		if _, err := tx.ExecContext(ctx, `UPDATE customers SET number = ?, last_fold = ?, first_fold = ?, phone_rev = ?, email_fold = ?,
			card = ?, version = ?, updated = ?, payload = ?, fts_id = ?, associate = ? WHERE id = ?`, append(cols, c.ID)...); err != nil {
			return nil, err
		}
	} else {
		if _, err := tx.ExecContext(ctx, `INSERT INTO customers(number, last_fold, first_fold, phone_rev, email_fold, card, version, updated, payload, fts_id, associate, id)
			VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, append(cols, c.ID)...); err != nil {
			if isConstraint(err) {
				return nil, poserr.Wrap(err, poserr.Conflict, "error.customer.exists", "customer number %s is taken; nothing was saved", c.Number)
			}
			return nil, err
		}
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO customers_fts(rowid, names) VALUES(?, ?)`, ftsID, c.FirstName+" "+c.LastName); err != nil {
		return nil, err
	}
	return payload, nil
}

// applyCustomer merges a customer of the server's feed into the till's
// copy, field by field (customer.Merge): an edit made here and not yet
// acknowledged keeps its field if it is the later one; the server has the
// same rule, so both arrive at the same profile. A deleted customer is
// erased from the till.
func applyCustomer(ctx context.Context, tx *sql.Tx, ch *api.Change) error {
	row, err := loadRow(ctx, tx, ch.Key)
	if err != nil {
		return err
	}
	if ch.Deleted {
		if !row.exists {
			return nil
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM customers_fts WHERE rowid = ?`, row.ftsID); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `DELETE FROM customers WHERE id = ?`, ch.Key)
		return err
	}
	return mergeCustomer(ctx, tx, apimap.CustomerFrom(*ch.Customer), row)
}

// storedRow is what a save or a merge reads of a customer's row.
type storedRow struct {
	exists  bool
	ftsID   int64 // its row in the name index
	version int
	payload string
}

// loadRow reads the row of customer id (exists false when there is none).
func loadRow(ctx context.Context, tx *sql.Tx, id string) (storedRow, error) {
	var r storedRow
	err := tx.QueryRowContext(ctx, `SELECT fts_id, version, payload FROM customers WHERE id = ?`, id).Scan(&r.ftsID, &r.version, &r.payload)
	if errors.Is(err, sql.ErrNoRows) {
		return storedRow{}, nil
	}
	r.exists = err == nil
	return r, err
}

// mergeCustomer merges in into the till's copy (row, as loadRow read it).
func mergeCustomer(ctx context.Context, tx *sql.Tx, in customer.Customer, row storedRow) error {
	merged := in
	if row.exists {
		var cur customer.Customer
		if err := json.Unmarshal([]byte(row.payload), &cur); err != nil {
			return fmt.Errorf("reading customer %s: %w", in.ID, err)
		}
		var changed bool
		if merged, changed = customer.Merge(cur, in); !changed {
			return nil
		}
		merged.Version = row.version + 1
	} else {
		merged.Version = 1
	}
	_, err := putCustomer(ctx, tx, merged, row.ftsID, row.exists, false)
	return err
}

// ImportCustomers merges customers into the till's copy as the customers
// feed would, in transactions of a few thousand (a demo or a bulk load; a
// store server's first download goes through ApplyPage). progress, if not
// nil, is called after each transaction with the customers done.
func (s *Store) ImportCustomers(ctx context.Context, next func() (customer.Customer, bool), progress func(done int)) (int, error) {
	const batch = 5000
	done := 0
	for {
		var cs []customer.Customer
		for len(cs) < batch {
			c, ok := next()
			if !ok {
				break
			}
			cs = append(cs, c)
		}
		if len(cs) == 0 {
			return done, nil
		}
		err := s.write(ctx, func(tx *sql.Tx) error {
			for _, c := range cs {
				row, err := loadRow(ctx, tx, c.ID)
				if err != nil {
					return err
				}
				if err := mergeCustomer(ctx, tx, c, row); err != nil {
					return fmt.Errorf("customer %s: %w", c.ID, err)
				}
			}
			return nil
		})
		if err != nil {
			return done, storageErr(err, "importing customers")
		}
		done += len(cs)
		if progress != nil {
			progress(done)
		}
	}
}

// maxSorted bounds the phone numbers with one ending that a search sorts.
const maxSorted = 1000

// Customer finds a customer by ID, customer number or loyalty card.
func (s *Store) Customer(ctx context.Context, key string) (customer.Customer, error) {
	var payload string
	err := s.r.QueryRowContext(ctx, `SELECT payload FROM customers WHERE id = ?1 OR number = ?1 OR card = ?1 LIMIT 1`, key).Scan(&payload)
	if errors.Is(err, sql.ErrNoRows) {
		return customer.Customer{}, &poserr.Error{Kind: poserr.NotFound, Key: "error.customer.not_found",
			Msg: fmt.Sprintf("no customer %q: search by name, phone or card", key), Args: map[string]any{"customer": key}}
	}
	if err != nil {
		return customer.Customer{}, readErr(err, "looking up customer %q", key)
	}
	var c customer.Customer
	if err := json.Unmarshal([]byte(payload), &c); err != nil {
		return customer.Customer{}, readErr(err, "reading customer %q", key)
	}
	return c, nil
}

// SearchCustomers finds the customers the query matches (customer.Query):
// an exact e-mail, card or customer number, then a phone number by its end
// or the words of the name by prefix.
func (s *Store) SearchCustomers(ctx context.Context, q customer.Query) ([]customer.Customer, error) {
	text := strings.TrimSpace(q.Text)
	if text == "" {
		return nil, nil
	}
	limit := q.Max()
	found := map[string]customer.Customer{}
	collect := func(query string, args ...any) error {
		rows, err := s.r.QueryContext(ctx, query, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var payload string
			if err := rows.Scan(&payload); err != nil {
				return err
			}
			var c customer.Customer
			if err := json.Unmarshal([]byte(payload), &c); err != nil {
				return err
			}
			found[c.ID] = c
		}
		return rows.Err()
	}
	err := collect(`SELECT payload FROM customers WHERE email_fold = lower(?1)
		UNION ALL SELECT payload FROM customers WHERE card = ?1
		UNION ALL SELECT payload FROM customers WHERE number = ?1`, text)
	if err == nil {
		if core := customer.PhoneCore(text); core != "" {
			rev := customer.Reverse(core)
			// The phone index finds the numbers that end so; at most a
			// page of them is sorted.
			err = collect(`SELECT payload FROM (SELECT payload, last_fold, first_fold, number FROM customers INDEXED BY customers_phone
				WHERE phone_rev >= ? AND phone_rev < ? LIMIT ?) ORDER BY last_fold, first_fold, number LIMIT ?`,
				rev, rev+":", maxSorted, limit)
		} else if words := customer.Words(text); len(words) > 0 {
			terms := make([]string, len(words))
			for i, w := range words {
				terms[i] = `"` + w + `"*`
			}
			// The name index's rows are in name order: the first matches
			// are the page.
			err = collect(`SELECT c.payload FROM (SELECT rowid FROM customers_fts WHERE customers_fts MATCH ? ORDER BY rowid LIMIT ?) f
				JOIN customers c ON c.fts_id = f.rowid`, strings.Join(terms, " AND "), limit)
		}
	}
	if err != nil {
		return nil, readErr(err, "searching customers for %q", text)
	}
	out := make([]customer.Customer, 0, len(found))
	for _, c := range found {
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool { return customer.Less(out[i], out[j]) })
	if len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}

// PurchasedItems implements pos.CustomerDirectory.
func (s *Store) PurchasedItems(ctx context.Context, number string, limit int) ([]customer.Item, error) {
	if number == "" {
		return nil, nil
	}
	rows, err := s.r.QueryContext(ctx, `SELECT l.product_id, l.item_id, sum(l.qty), count(DISTINCT t.id), min(t.finished), max(t.finished), sum(l.net)
		FROM transactions t INDEXED BY transactions_customer JOIN transaction_lines l ON l.txn_id = t.id
		WHERE t.customer = ? AND t.customer <> '' AND t.status = ? AND l.voided = 0
		GROUP BY l.product_id ORDER BY max(t.finished) DESC, l.product_id LIMIT ?`, number, string(cart.Completed), limit)
	if err != nil {
		return nil, readErr(err, "reading what customer %s bought", number)
	}
	defer rows.Close()
	var out []customer.Item
	for rows.Next() {
		var it customer.Item
		var qty, amount int64
		var first, last string
		if err := rows.Scan(&it.ProductID, &it.ItemID, &qty, &it.Times, &first, &last, &amount); err != nil {
			return nil, readErr(err, "reading what customer %s bought", number)
		}
		it.Qty, it.Amount = catalog.Qty(qty), money.Amount(amount)
		if it.First, err = time.Parse(timeFormat, first); err == nil {
			it.Last, err = time.Parse(timeFormat, last)
		}
		if err != nil {
			return nil, readErr(err, "reading what customer %s bought", number)
		}
		out = append(out, it)
	}
	if err := rows.Err(); err != nil {
		return nil, readErr(err, "reading what customer %s bought", number)
	}
	return out, nil
}

// ClientBook implements pos.CustomerDirectory: the customers in an
// associate's client book ("" = every associate's), by name.
func (s *Store) ClientBook(ctx context.Context, associate string) ([]customer.Customer, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT payload FROM customers INDEXED BY customers_associate
		WHERE associate <> '' AND (?1 = '' OR associate = ?1) ORDER BY associate, last_fold, first_fold, number`, associate)
	if err != nil {
		return nil, readErr(err, "reading the client book")
	}
	defer rows.Close()
	var out []customer.Customer
	for rows.Next() {
		var raw string
		if err := rows.Scan(&raw); err != nil {
			return nil, readErr(err, "reading the client book")
		}
		var c customer.Customer
		if err := json.Unmarshal([]byte(raw), &c); err != nil {
			return nil, readErr(err, "reading the client book")
		}
		out = append(out, c)
	}
	return out, readErr(rows.Err(), "reading the client book")
}
