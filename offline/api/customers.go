package api

import (
	"encoding/json"
	"fmt"
	"time"
)

// DatasetCustomers is the chain's customers as the server merged them.
const DatasetCustomers = "customers"

// DatasetLoyalty is loyalty cards' balances from the server's ledger.
const DatasetLoyalty = "loyalty"

// LoyaltyBalance is a card's points in the server's ledger of every till's
// movements. Counted says, for each till ("store/terminal"), how many of
// its movements of the card the balance counts: a till's movements arrive
// in the order it booked them, so the till knows which of its own are in.
type LoyaltyBalance struct {
	Card      string           `json:"card"`
	Points    int64            `json:"points"`
	Year      int64            `json:"year"` // earned in the last twelve months
	AsOf      time.Time        `json:"as_of"`
	Counted   map[string]int64 `json:"counted"`
	Overdrawn bool             `json:"overdrawn,omitempty"` // spent beyond its points (offline at two tills)
}

// Customer is a customer on the wire: the profile, when and where each
// field was last set, and earlier values.
type Customer struct {
	ID          string                   `json:"id"`
	Number      string                   `json:"number"`
	FirstName   string                   `json:"first_name"`
	LastName    string                   `json:"last_name"`
	Phone       string                   `json:"phone,omitempty"`
	Email       string                   `json:"email,omitempty"`
	LoyaltyCard string                   `json:"loyalty_card,omitempty"`
	Birthday    string                   `json:"birthday,omitempty"`
	Store       string                   `json:"store"`
	Associate   string                   `json:"associate,omitempty"`
	MergedInto  string                   `json:"merged_into,omitempty"`
	Aliases     []string                 `json:"aliases,omitempty"`
	Consent     CustomerConsent          `json:"consent"`
	Created     time.Time                `json:"created"`
	CreatedBy   string                   `json:"created_by"`
	Updated     time.Time                `json:"updated"`
	UpdatedBy   string                   `json:"updated_by"`
	Stamps      map[string]CustomerStamp `json:"stamps"`
	History     []CustomerEarlier        `json:"history,omitempty"`
	Attributes  map[string]string        `json:"attributes,omitempty"`
	Notes       []CustomerNote           `json:"notes,omitempty"`
	Wishes      []CustomerWish           `json:"wishes,omitempty"`
}

// CustomerNote is a dated note or activity about a customer.
type CustomerNote struct {
	ID   string    `json:"id"`
	At   time.Time `json:"at"`
	By   string    `json:"by"`
	Till string    `json:"till"`
	Kind string    `json:"kind"` // note, call, visit, reminder
	Text string    `json:"text"`
	Due  time.Time `json:"due,omitzero"`
	Done bool      `json:"done,omitempty"`
}

// CustomerWish is a product put on (or taken off) a wish list.
type CustomerWish struct {
	ProductID string        `json:"product_id"`
	Name      string        `json:"name"`
	Added     bool          `json:"added"`
	Stamp     CustomerStamp `json:"stamp"`
}

// CustomerConsent is what the customer agreed to.
type CustomerConsent struct {
	EmailMarketing bool `json:"email_marketing"`
	EmailReceipts  bool `json:"email_receipts"`
}

// CustomerStamp says when and at which till ("store/terminal") a field was
// last set.
type CustomerStamp struct {
	At time.Time `json:"at"`
	By string    `json:"by"`
}

// CustomerEarlier is an earlier value of a field.
type CustomerEarlier struct {
	Field string    `json:"field"`
	Value string    `json:"value"`
	At    time.Time `json:"at"`
	By    string    `json:"by"`
}

// CustomerUpload is the body of a "customer" upload: a customer as one
// till created or edited it. ID is the upload's client ID, one per save
// (CustomerUploadID); the server merges the profile field by field into
// its copy and sends the result to every till in the customers feed.
type CustomerUpload struct {
	ID       string   `json:"id"`
	Customer Customer `json:"customer"`
}

// CustomerUploadID is the client ID of a till's save of a customer: the
// customer, this copy's version and the till, so that saves of one customer
// at two tills never share an ID.
func CustomerUploadID(customerID string, version int, storeID, terminalID string) string {
	return fmt.Sprintf("%s.%d.%s.%s", customerID, version, idPart(storeID), idPart(terminalID))
}

// idPart keeps the characters a client ID may hold.
func idPart(s string) string {
	b := []byte(s)
	for i, c := range b {
		ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_'
		if !ok {
			b[i] = '_'
		}
	}
	if len(b) > 24 {
		b = b[:24]
	}
	return string(b)
}

// DatasetRecommendations is "frequently bought together" per product,
// counted by the server over every store's transactions; the key
// BestSellersKey holds the best sellers.
const DatasetRecommendations = "recommendations"

// BestSellersKey is the recommendations feed's key of the best sellers.
const BestSellersKey = "_best"

// Recommendation is a product's list (or the best sellers).
type Recommendation struct {
	ProductID string        `json:"product_id"`
	Together  []ScoredEntry `json:"together"`
}

// ScoredEntry is a recommended product and its weight.
type ScoredEntry struct {
	ProductID string  `json:"product_id"`
	Score     float64 `json:"score"`
}

// PathCustomerHistory is the purchase history of a customer across the
// chain's stores: GET with one number= per customer number (a merged
// customer's numbers all together); the calling till's own transactions
// are left out (the till holds them).
const PathCustomerHistory = "/v1/customer-history"

// MaxHistoryNumbers bounds the numbers of one history request.
const MaxHistoryNumbers = 20

// CustomerHistory is a customer's purchases at the chain's other tills.
// Visits are every completed transaction (time and total), newest first;
// Purchases the newest of them in full; Items what was bought, per
// product, over all of them.
type CustomerHistory struct {
	AsOf      time.Time         `json:"as_of"`
	Visits    []HistoryVisit    `json:"visits"`
	Purchases []HistoryPurchase `json:"purchases"`
	Items     []HistoryItem     `json:"items"`
}

// HistoryVisit is one completed transaction's time and total (minor
// units; negative for a return).
type HistoryVisit struct {
	At    time.Time `json:"at"`
	Total int64     `json:"total"`
}

// HistoryPurchase is a transaction of the customer's at another till.
type HistoryPurchase struct {
	ID        string    `json:"id"`
	ReceiptNo string    `json:"receipt_no"`
	Store     string    `json:"store"`
	StoreName string    `json:"store_name,omitempty"`
	Terminal  string    `json:"terminal"`
	Operator  string    `json:"operator"`
	Finished  time.Time `json:"finished"`
	Total     int64     `json:"total"`
	Lines     int       `json:"lines"`
	Customer  string    `json:"customer"`
}

// HistoryItem is a product the customer bought, summed (quantities in
// thousandths, amounts in minor units).
type HistoryItem struct {
	ProductID string    `json:"product_id"`
	ItemID    string    `json:"item_id"`
	Qty       int64     `json:"qty"`
	Times     int       `json:"times"`
	First     time.Time `json:"first"`
	Last      time.Time `json:"last"`
	Amount    int64     `json:"amount"`
}

// PathSales finds a sale by its receipt number for a return at another
// till: GET + receipt number (?any_store=1: in any store of the chain).
const PathSales = "/v1/sales/"

// Sale is a completed transaction as its till uploaded it, and what the
// chain's other tills returned of each of its lines (quantities in
// thousandths).
type Sale struct {
	Transaction json.RawMessage `json:"transaction"`
	Returned    []ReturnedLine  `json:"returned"`
}

// ReturnedLine is what was returned of a line of a sale.
type ReturnedLine struct {
	Line int   `json:"line"`
	Qty  int64 `json:"qty"`
}
