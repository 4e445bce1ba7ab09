package api

import "time"

// DatasetBalances is gift cards' and credit memos' balances from the
// server's ledger (key: kind "/" number).
const DatasetBalances = "balances"

// PathBalances reads a gift card's or memo's balance live:
// GET PathBalances + kind + "/" + number.
const PathBalances = "/v1/balances/"

// ValueBalance is a gift card's or credit memo's balance in the server's
// ledger of every till's movements, with how many movements of each till
// ("store/terminal") it counts.
type ValueBalance struct {
	Kind      string           `json:"kind"` // giftcard, memo, account
	Number    string           `json:"number"`
	Amount    int64            `json:"amount"` // minor units
	AsOf      time.Time        `json:"as_of"`
	Counted   map[string]int64 `json:"counted"`
	Overdrawn bool             `json:"overdrawn,omitempty"` // spent beyond its balance (offline at two tills); an account beyond its limit
	// Limit is a customer account's credit limit (kind account, number
	// the customer number), set at the store server.
	Limit int64 `json:"limit,omitempty"`
	// Held is what other tills hold on it for sales they have not uploaded
	// yet (a live read or a hold; never in the feed).
	Held int64 `json:"held,omitempty"`
}

// ValueHold asks the server to hold Amount of a number for a sale (TxnID)
// until the sale is uploaded: POST PathBalances + kind + "/" + number +
// "/holds". A 409 says the number cannot cover it.
type ValueHold struct {
	TxnID  string `json:"txn_id"`
	Amount int64  `json:"amount"`
}

// PathHolds releases a sale's holds: DELETE PathHolds + txn ID.
const PathHolds = "/v1/holds/"

// BalanceKey is a balance's key in the balances feed.
func BalanceKey(kind, number string) string { return kind + "/" + number }

// validBalance checks a balance's key; apimap.CheckRecord its kind and number.
func validBalance(c Change) bool {
	b := c.Balance
	return b != nil && c.Key == BalanceKey(b.Kind, b.Number)
}
