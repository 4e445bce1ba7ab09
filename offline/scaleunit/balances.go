package scaleunit

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/opentill/opentill/offline/api"
	"github.com/opentill/opentill/pos/cart"
	"github.com/opentill/opentill/pos/money"
	"github.com/opentill/opentill/pos/storedvalue"
)

// valueSchema is the ledger of gift cards and credit memos: every till's
// movements, once per transaction and number (the same statements on
// SQLite and PostgreSQL).
var valueSchema = []string{
	`CREATE TABLE IF NOT EXISTS value_ledger (
    txn_id TEXT NOT NULL,
    kind   TEXT NOT NULL,
    number TEXT NOT NULL,
    till   TEXT NOT NULL,
    amount BIGINT NOT NULL,
    at     TEXT NOT NULL,
    PRIMARY KEY (txn_id, kind, number))`,
	`CREATE INDEX IF NOT EXISTS value_ledger_number ON value_ledger(kind, number)`,
	// what a till is taking from a number in a sale it has not uploaded
	// yet (released when the sale arrives, or after HoldTTL)
	`CREATE TABLE IF NOT EXISTS value_holds (
    txn_id TEXT NOT NULL,
    kind   TEXT NOT NULL,
    number TEXT NOT NULL,
    till   TEXT NOT NULL,
    amount BIGINT NOT NULL,
    at     TEXT NOT NULL,
    PRIMARY KEY (txn_id, kind, number))`,
	`CREATE INDEX IF NOT EXISTS value_holds_number ON value_holds(kind, number)`,
	// customer accounts' credit limits, set at the server
	`CREATE TABLE IF NOT EXISTS credit_limits (
    number       TEXT PRIMARY KEY,
    credit_limit BIGINT NOT NULL,
    set_at       TEXT NOT NULL)`,
}

// bookValue enters a completed transaction's gift card and memo movements
// in the ledger (once: the upload itself is stored once) and publishes each
// number's new balance in the balances feed. A number spent below zero is
// booked all the same (two tills spent it offline): Overdrawn reports it.
func bookValue(ctx context.Context, tx *sqlTx, id string, payload []byte) error {
	var c cart.Cart
	if err := json.Unmarshal(payload, &c); err != nil {
		return fmt.Errorf("the transaction is unreadable: %v: %w", err, ErrInvalid)
	}
	// the sale is here (completed or voided): its holds have done their work
	if _, err := tx.ExecContext(ctx, `DELETE FROM value_holds WHERE txn_id = ?`, id); err != nil {
		return err
	}
	if c.Status != cart.Completed {
		return nil
	}
	for _, m := range c.ValueMoves() {
		if n, ok := storedvalue.Normalize(m.Number); !ok || n != m.Number || !m.Kind.Valid() {
			return fmt.Errorf("transaction %s moves money on %q, which is not a gift card or memo number: %w", id, m.Number, ErrInvalid)
		}
		key := api.BalanceKey(string(m.Kind), m.Number)
		// Summed after the entry: entries of the same number from other
		// processes wait, so each published balance counts every entry
		// before it.
		if err := tx.lock(ctx, "value:"+key); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO value_ledger(txn_id, kind, number, till, amount, at) VALUES(?, ?, ?, ?, ?, ?)`,
			id, string(m.Kind), m.Number, c.Store+"/"+c.Terminal, int64(m.Amount), c.Finished.UTC().Format(time.RFC3339Nano)); err != nil {
			return err
		}
		b, err := valueBalance(ctx, tx, m.Kind, m.Number)
		if err != nil {
			return err
		}
		if err := change(ctx, tx, api.DatasetBalances, "", key, false, api.Change{Key: key, Balance: &b}); err != nil {
			return err
		}
	}
	return nil
}

// valueBalance sums a number's ledger; found is false when it has none.
func valueBalance(ctx context.Context, q interface {
	QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row
	QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error)
}, kind storedvalue.Kind, number string) (api.ValueBalance, error) {
	b := api.ValueBalance{Kind: string(kind), Number: number, AsOf: time.Now().UTC()}
	counted, err := countsByTill(ctx, q, `SELECT till, count(*) FROM value_ledger WHERE kind = ? AND number = ? GROUP BY till`, string(kind), number)
	if err != nil {
		return b, err
	}
	hasLimit := false
	if kind == storedvalue.Account {
		err := q.QueryRowContext(ctx, `SELECT credit_limit FROM credit_limits WHERE number = ?`, number).Scan(&b.Limit)
		switch {
		case err == nil:
			hasLimit = true
		case !errors.Is(err, sql.ErrNoRows):
			return b, err
		}
	}
	if len(counted) == 0 && !hasLimit {
		return b, fmt.Errorf("no %s %s: %w", kind, number, ErrNotFound)
	}
	if err := q.QueryRowContext(ctx, `SELECT coalesce(sum(amount), 0) FROM value_ledger WHERE kind = ? AND number = ?`,
		string(kind), number).Scan(&b.Amount); err != nil {
		return b, err
	}
	b.Counted = counted
	b.Overdrawn = b.Amount < -b.Limit
	return b, nil
}

// HoldTTL is how long a hold counts: a till that took money from a number
// uploads the sale long before, or voided it.
const HoldTTL = 30 * time.Minute

// heldByOthers sums the live holds on a number of tills other than till.
func heldByOthers(ctx context.Context, q interface {
	QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row
}, kind storedvalue.Kind, number, till string) (int64, error) {
	var held int64
	err := q.QueryRowContext(ctx, `SELECT coalesce(sum(amount), 0) FROM value_holds WHERE kind = ? AND number = ? AND till <> ? AND at >= ?`,
		string(kind), number, till, time.Now().UTC().Add(-HoldTTL).Format(time.RFC3339Nano)).Scan(&held)
	return held, err
}

// TillBalance is ValueBalance as one till sees it: Held is what other
// tills hold on the number for sales they have not uploaded yet.
func (s *DB) TillBalance(ctx context.Context, till string, kind storedvalue.Kind, number string) (api.ValueBalance, error) {
	b, err := valueBalance(ctx, s.r, kind, number)
	if err != nil {
		return b, err
	}
	b.Held, err = heldByOthers(ctx, s.r, kind, number, till)
	return b, err
}

// HoldValue holds amount of a number for a till's sale (txnID) until the
// sale is uploaded (0 drops it): other tills see it as held, so a memo or card spent at
// one till online is not spent again at another before the sale arrives.
// What the number holds less the other tills' holds must cover it (with an
// account, its credit limit too), else ErrConflict. A hold again for the same
// sale replaces the first.
func (s *DB) HoldValue(ctx context.Context, till string, kind storedvalue.Kind, number, txnID string, amount int64) (api.ValueBalance, error) {
	var b api.ValueBalance
	if amount < 0 || txnID == "" || len(txnID) > 64 {
		return b, fmt.Errorf("a hold needs the sale's ID and an amount of zero (to drop it) or more: %w", ErrInvalid)
	}
	err := s.tx(ctx, func(tx *sqlTx) error {
		key := api.BalanceKey(string(kind), number)
		if err := tx.lock(ctx, "value:"+key); err != nil {
			return err
		}
		var err error
		if b, err = valueBalance(ctx, tx, kind, number); err != nil {
			return err
		}
		if b.Held, err = heldByOthers(ctx, tx, kind, number, till); err != nil {
			return err
		}
		if amount == 0 {
			_, err := tx.ExecContext(ctx, `DELETE FROM value_holds WHERE txn_id = ? AND kind = ? AND number = ? AND till = ?`, txnID, string(kind), number, till)
			return err
		}
		if b.Amount+b.Limit-b.Held < amount {
			return fmt.Errorf("%s %s holds %d less %d held at other tills: %d cannot be taken: %w", kind, number, b.Amount+b.Limit, b.Held, amount, ErrConflict)
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO value_holds(txn_id, kind, number, till, amount, at) VALUES(?, ?, ?, ?, ?, ?)
			ON CONFLICT(txn_id, kind, number) DO UPDATE SET amount = excluded.amount, at = excluded.at`,
			txnID, string(kind), number, till, amount, time.Now().UTC().Format(time.RFC3339Nano))
		return err
	})
	return b, err
}

// ReleaseValue drops a till's holds for a sale (a payment voided, the sale
// voided); releasing what is not held is no error.
func (s *DB) ReleaseValue(ctx context.Context, till, txnID string) error {
	return s.tx(ctx, func(tx *sqlTx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM value_holds WHERE txn_id = ? AND till = ?`, txnID, till)
		return err
	})
}

// SetCreditLimit sets a customer account's credit limit (minor units, 0 =
// the customer may not charge the account) and publishes the account in
// the balances feed.
func (s *DB) SetCreditLimit(ctx context.Context, number string, limit int64) error {
	n, ok := storedvalue.Normalize(number)
	if !ok || n != number || limit < 0 {
		return fmt.Errorf("a customer number of 4 to 32 letters and digits and a limit of 0 or more (got %q, %d): %w", number, limit, ErrInvalid)
	}
	return s.tx(ctx, func(tx *sqlTx) error {
		key := api.BalanceKey(string(storedvalue.Account), n)
		if err := tx.lock(ctx, "value:"+key); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO credit_limits(number, credit_limit, set_at) VALUES(?, ?, ?)
			ON CONFLICT(number) DO UPDATE SET credit_limit = excluded.credit_limit, set_at = excluded.set_at`,
			n, limit, time.Now().UTC().Format(time.RFC3339Nano)); err != nil {
			return err
		}
		b, err := valueBalance(ctx, tx, storedvalue.Account, n)
		if err != nil {
			return err
		}
		return change(ctx, tx, api.DatasetBalances, "", key, false, api.Change{Key: key, Balance: &b})
	})
}

// ValueBalance returns a gift card's or memo's balance in the ledger
// (ErrNotFound when no till has moved money on it).
func (s *DB) ValueBalance(ctx context.Context, kind storedvalue.Kind, number string) (api.ValueBalance, error) {
	return valueBalance(ctx, s.r, kind, number)
}

// OverdrawnBalances lists the gift cards and memos whose ledger went below
// zero: spent offline at two tills beyond what they held, for the store to
// follow up (never hidden, never clipped).
func (s *DB) OverdrawnBalances(ctx context.Context) ([]api.ValueBalance, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT kind, number FROM value_ledger GROUP BY kind, number HAVING sum(amount) < 0 ORDER BY kind, number`)
	if err != nil {
		return nil, err
	}
	type key struct{ kind, number string }
	var keys []key
	for rows.Next() {
		var k key
		if err := rows.Scan(&k.kind, &k.number); err != nil {
			rows.Close()
			return nil, err
		}
		keys = append(keys, k)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := make([]api.ValueBalance, 0, len(keys))
	for _, k := range keys {
		b, err := valueBalance(ctx, s.r, storedvalue.Kind(k.kind), k.number)
		if err != nil {
			return nil, err
		}
		if b.Overdrawn { // an account below zero is only owing; beyond its limit it is overdrawn
			out = append(out, b)
		}
	}
	return out, nil
}

// SetExchangeRate sets a store's exchange rate for a currency (its major
// units per unit of the currency, in millionths; 0 removes it): the store's
// tills get it with the setup in the config feed.
func (s *DB) SetExchangeRate(ctx context.Context, storeID, code string, rate money.Rate) error {
	code = strings.ToUpper(strings.TrimSpace(code))
	if len(code) != 3 || rate < 0 {
		return fmt.Errorf("an ISO 4217 currency code like USD and a rate of 0 or more (got %q, %s): %w", code, rate, ErrInvalid)
	}
	setup, err := s.storeSetup(ctx, storeID)
	if err != nil {
		return err
	}
	if code == setup.Currency.Code {
		return fmt.Errorf("%s is store %s's own currency: %w", code, storeID, ErrInvalid)
	}
	rates := make(map[string]money.Rate, len(setup.ExchangeRates)+1)
	for k, v := range setup.ExchangeRates {
		rates[k] = v
	}
	if rate == 0 {
		delete(rates, code)
	} else {
		rates[code] = rate
	}
	setup.ExchangeRates = rates
	return s.tx(ctx, func(tx *sqlTx) error {
		return change(ctx, tx, api.DatasetConfig, storeID, "setup", false, setupChange(setup))
	})
}
