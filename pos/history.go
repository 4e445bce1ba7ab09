package pos

import (
	"context"
	"strings"
	"time"

	"github.com/opentill/opentill/pos/cart"
	"github.com/opentill/opentill/pos/money"
)

// TxnSummary is one past transaction as the journal screen lists it.
type TxnSummary struct {
	ID        string
	ReceiptNo string
	Operator  string // operator ID
	Finished  time.Time
	Status    cart.Status // completed or voided
	Total     money.Amount
	Lines     int    // active lines
	Customer  string // the customer's number ("" for none)
	// Store and StoreName say where it was rung up when it was at another
	// store's till (from the store server's history); empty for this till.
	Store, StoreName string
	Terminal         string
}

// TxnQuery selects past transactions, newest first. Zero fields select
// everything.
type TxnQuery struct {
	Receipt  string       // receipt numbers containing this text
	Operator string       // operator ID
	Customer string       // the customer's number (the cart's Customer)
	From, To time.Time    // finished in [From, To)
	Total    money.Amount // with exactly this total (when HasTotal)
	HasTotal bool
	Limit    int // at most this many; 0 = 200
}

// DefaultHistoryLimit is how many transactions a query returns when it
// gives no limit.
const DefaultHistoryLimit = 200

// TransactionHistory lists the till's past transactions (the journal
// screen: browse, search, reprint, return).
type TransactionHistory interface {
	FindTransactions(ctx context.Context, q TxnQuery) ([]TxnSummary, error)
}

// Matches reports whether a transaction passes the query's filters (the
// in-memory store filters with it; SQL stores filter the same way).
func (q TxnQuery) Matches(s TxnSummary) bool {
	switch {
	case q.Receipt != "" && !strings.Contains(s.ReceiptNo, q.Receipt):
		return false
	case q.Operator != "" && s.Operator != q.Operator:
		return false
	case q.Customer != "" && s.Customer != q.Customer:
		return false
	case !q.From.IsZero() && s.Finished.Before(q.From):
		return false
	case !q.To.IsZero() && !s.Finished.Before(q.To):
		return false
	case q.HasTotal && s.Total != q.Total:
		return false
	}
	return true
}

// Max is the query's limit.
func (q TxnQuery) Max() int {
	if q.Limit <= 0 {
		return DefaultHistoryLimit
	}
	return q.Limit
}
