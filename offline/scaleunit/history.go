package scaleunit

// Customers' purchase history across the chain (docs/customers.md): every
// completed transaction that names a customer is indexed by the customer's
// number as it is uploaded, so a till can show a customer's purchases at
// every store, the calling till's own left out.

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
)

// historySchema is the customers' purchase index (SQLite schema version 8,
// PostgreSQL version 6): the transaction itself stays in uploads.
var historySchema = []string{
	`CREATE TABLE IF NOT EXISTS customer_purchases (
    number    TEXT NOT NULL,
    store_id  TEXT NOT NULL,
    txn_id    TEXT NOT NULL,
    till_id   TEXT NOT NULL,
    finished  TEXT NOT NULL,
    PRIMARY KEY (number, store_id, txn_id))`,
	`CREATE INDEX IF NOT EXISTS customer_purchases_recent ON customer_purchases(number, finished)`,
	// A merged duplicate's loyalty card whose points went to the kept
	// customer's card: points earned or spent on it later go there too.
	`CREATE TABLE IF NOT EXISTS loyalty_moved (
    card    TEXT PRIMARY KEY,
    to_card TEXT NOT NULL,
    moved   TEXT NOT NULL)`,
}

// historyBackfill indexes the transactions uploaded before the index
// existed (d's JSON functions).
func historyBackfill(d *dialect) string {
	cust := d.jsonText("payload", "customer")
	return `INSERT INTO customer_purchases(number, store_id, txn_id, till_id, finished)
		SELECT ` + cust + `, store_id, id, till_id, coalesce(` + d.jsonText("payload", "finished") + `, '') FROM uploads
		WHERE kind = 'transaction' AND ` + d.jsonText("payload", "status") + ` = 'completed' AND coalesce(` + cust + `, '') <> ''
		ON CONFLICT DO NOTHING`
}

func historyStep(ctx context.Context, tx *sql.Tx) error { // 7 -> 8: the customers' purchase index
	return execAll(ctx, tx, append(historySchema, historyBackfill(sqliteDialect)))
}

// Purchases kept in full in a history reply; visits and items count every
// purchase up to maxHistoryRows.
const (
	historyPurchases = 50
	maxHistoryRows   = 5000
)

// CustomerHistory returns the purchases of the customer with these numbers
// at every till but exceptTill (a till's own are on the till), newest first.
func (s *DB) CustomerHistory(ctx context.Context, numbers []string, exceptTill string) (api.CustomerHistory, error) {
	h := api.CustomerHistory{AsOf: time.Now().UTC(), Visits: []api.HistoryVisit{}, Purchases: []api.HistoryPurchase{}, Items: []api.HistoryItem{}}
	if len(numbers) == 0 {
		return h, nil
	}
	args := make([]any, 0, len(numbers)+2)
	for _, n := range numbers {
		args = append(args, n)
	}
	args = append(args, exceptTill, maxHistoryRows)
	rows, err := s.r.QueryContext(ctx, `SELECT u.payload, cp.store_id, coalesce(st.name, '') FROM customer_purchases cp
		JOIN uploads u ON u.store_id = cp.store_id AND u.id = cp.txn_id
		LEFT JOIN stores st ON st.id = cp.store_id
		WHERE cp.number IN (?`+strings.Repeat(", ?", len(numbers)-1)+`) AND cp.till_id <> ?
		ORDER BY cp.finished DESC LIMIT ?`, args...)
	if err != nil {
		return h, err
	}
	defer rows.Close()
	items := map[string]*api.HistoryItem{}
	for rows.Next() {
		var payload, store, name string
		if err := rows.Scan(&payload, &store, &name); err != nil {
			return h, err
		}
		var t struct {
			ID        string    `json:"id"`
			ReceiptNo string    `json:"receipt_no"`
			Terminal  string    `json:"terminal"`
			Operator  string    `json:"operator"`
			Customer  string    `json:"customer"`
			Finished  time.Time `json:"finished"`
			Totals    struct {
				Total int64 `json:"total"`
			} `json:"totals"`
			Lines []struct {
				ProductID string `json:"product_id"`
				ItemID    string `json:"item_id"`
				Qty       int64  `json:"qty"`
				Net       int64  `json:"net"`
				Voided    bool   `json:"voided"`
				Order     *struct {
					Role string `json:"role"`
				} `json:"order"`
			} `json:"lines"`
		}
		if err := json.Unmarshal([]byte(payload), &t); err != nil || t.ID == "" {
			continue // an erased customer's upload, or unreadable: nothing to show
		}
		h.Visits = append(h.Visits, api.HistoryVisit{At: t.Finished, Total: t.Totals.Total})
		p := api.HistoryPurchase{ID: t.ID, ReceiptNo: t.ReceiptNo, Store: store, StoreName: name, Terminal: t.Terminal, Operator: t.Operator,
			Finished: t.Finished, Total: t.Totals.Total, Customer: t.Customer}
		seen := map[string]bool{}
		for _, l := range t.Lines {
			if l.Voided {
				continue
			}
			p.Lines++
			if l.ProductID == "" || (l.Order != nil && l.Order.Role != "line") {
				continue // an order's deposit or charge: no product
			}
			it := items[l.ProductID]
			if it == nil {
				it = &api.HistoryItem{ProductID: l.ProductID, ItemID: l.ItemID, First: t.Finished, Last: t.Finished}
				items[l.ProductID] = it
			}
			it.Qty += l.Qty
			it.Amount += l.Net
			if !seen[l.ProductID] {
				seen[l.ProductID] = true
				it.Times++
			}
			if t.Finished.Before(it.First) {
				it.First = t.Finished
			}
			if t.Finished.After(it.Last) {
				it.Last = t.Finished
			}
		}
		if len(h.Purchases) < historyPurchases {
			h.Purchases = append(h.Purchases, p)
		}
	}
	if err := rows.Err(); err != nil {
		return h, err
	}
	for _, it := range items {
		h.Items = append(h.Items, *it)
	}
	sort.Slice(h.Items, func(i, j int) bool {
		if !h.Items[i].Last.Equal(h.Items[j].Last) {
			return h.Items[i].Last.After(h.Items[j].Last)
		}
		return h.Items[i].ProductID < h.Items[j].ProductID
	})
	return h, nil
}

// moveLoyalty moves the points of a merged duplicate's card to the kept
// customer's own card (when it has another one; otherwise the card itself
// moved to the kept customer): two ledger entries keyed by the duplicate,
// so a merge moves them once, and the card is marked moved so that what
// other tills book on it later lands on the kept card.
func moveLoyalty(ctx context.Context, tx *sqlTx, dupID, dupCard, keptID string) error {
	var raw string
	err := tx.QueryRowContext(ctx, `SELECT payload FROM customers WHERE id = ?`, keptID).Scan(&raw)
	if errors.Is(err, sql.ErrNoRows) {
		return nil // the kept customer is not here yet: its card, if any, is the duplicate's
	}
	if err != nil {
		return err
	}
	var kept api.Customer
	if err := json.Unmarshal([]byte(raw), &kept); err != nil {
		return fmt.Errorf("customer %s on the server is unreadable: %w", keptID, err)
	}
	to := apimap.CustomerFrom(kept).LoyaltyCard
	if to == "" || to == dupCard {
		return nil
	}
	for _, c := range []string{dupCard, to} {
		if err := tx.lock(ctx, "card:"+c); err != nil {
			return err
		}
	}
	from, err := loyaltyBalance(ctx, tx, dupCard)
	if err != nil {
		return err
	}
	at := time.Now().UTC().Format(time.RFC3339Nano)
	if from.Points != 0 {
		for _, e := range []struct {
			key, card string
			points    int64
		}{{"merge:" + dupID + ":from", dupCard, -from.Points}, {"merge:" + dupID + ":to", to, from.Points}} {
			if _, err := tx.ExecContext(ctx, `INSERT INTO loyalty_ledger(txn_id, card, till, earned, redeemed, at) VALUES(?, ?, ?, ?, 0, ?)
				ON CONFLICT DO NOTHING`, e.key, e.card, "merge", e.points, at); err != nil {
				return err
			}
		}
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO loyalty_moved(card, to_card, moved) VALUES(?, ?, ?) ON CONFLICT DO NOTHING`, dupCard, to, at); err != nil {
		return err
	}
	for _, c := range []string{dupCard, to} {
		b, err := loyaltyBalance(ctx, tx, c)
		if err != nil {
			return err
		}
		if err := change(ctx, tx, api.DatasetLoyalty, "", c, false, api.Change{Key: c, Loyalty: &b}); err != nil {
			return err
		}
	}
	return nil
}

// movedCard is where a card's points go: the kept customer's card of a
// merged duplicate's, else the card itself.
func movedCard(ctx context.Context, tx *sqlTx, card string) (string, error) {
	var to string
	err := tx.QueryRowContext(ctx, `SELECT to_card FROM loyalty_moved WHERE card = ?`, card).Scan(&to)
	if errors.Is(err, sql.ErrNoRows) {
		return card, nil
	}
	return to, err
}
