package pos

import (
	"context"
	"github.com/opentill/opentill/pos/loyalty"
	"time"

	"github.com/opentill/opentill/pos/cart"
	"github.com/opentill/opentill/pos/catalog"
	"github.com/opentill/opentill/pos/customer"
	"github.com/opentill/opentill/pos/journal"
	"github.com/opentill/opentill/pos/money"
	"github.com/opentill/opentill/pos/staff"
	"github.com/opentill/opentill/pos/storedvalue"
	"github.com/opentill/opentill/pos/tender"
)

// Store is everything the register needs from the local store: the
// composition of the small ports below. offline/store implements it on
// SQLite and pos/memstore in memory; both pass the conformance suite in
// pos/storetest.
//
// Every method that takes a journal entry appends it (sealed into the hash
// chain) in the same durable transaction as the change it records. Misses
// are errors of kind poserr.NotFound.
type Store interface {
	catalog.Lookup
	OperatorDirectory
	TransactionCommitter
	TransactionFinder
	TransactionHistory
	CustomerDirectory
	LoyaltyLedger
	ValueLedger
	RecommendationSource
	SuspendedStore
	JournalAppender
	ShiftLedger
	StockBook
	OrderBook
	HistoryCache
	OfflineCardBook
}

// OfflineCard is a card payment taken while the processor was unreachable.
type OfflineCard struct {
	Reference string // the terminal's
	TxnID     string
	ReceiptNo string
	Amount    money.Amount
	At        time.Time
	Forwarded bool // the terminal forwarded it and the processor answered
	Approved  bool // the processor's answer
}

// OfflineCardBook keeps the card payments a till took offline until they
// are forwarded (Commit books them from the cart's card tenders).
type OfflineCardBook interface {
	// OfflineCardTotals sums the offline card payments not yet forwarded,
	// and those taken at or after since.
	OfflineCardTotals(ctx context.Context, since time.Time) (outstanding, window money.Amount, err error)
	// OfflineCards lists the offline card payments, oldest first (only
	// those not forwarded when pending).
	OfflineCards(ctx context.Context, pending bool) ([]OfflineCard, error)
	// RecordForwarded marks the payments the processor answered for (by
	// reference; others are left alone) and appends the journal entry, in
	// one transaction.
	RecordForwarded(ctx context.Context, results []tender.Forwarded, e journal.Entry) error
}

// OperatorDirectory finds operators and roles and keeps the sign-in state.
type OperatorDirectory interface {
	// Operator returns an operator by ID.
	Operator(ctx context.Context, id string) (staff.Operator, error)
	// Role returns a role by ID.
	Role(ctx context.Context, id string) (staff.Role, error)
	// SetOperatorState stores an operator's failed-sign-in count and lock flag
	// and appends the journal entry, in one transaction.
	SetOperatorState(ctx context.Context, id string, failed int, locked bool, e journal.Entry) error
	// PINPepper returns the store's PIN pepper, which peppered operator
	// hashes need (staff.Check); nil when the till holds none (one
	// activated before peppers that has not synced since). The store keeps
	// it apart from the operators, so a copy of their hashes alone cannot
	// be guessed against.
	PINPepper(ctx context.Context) (staff.Pepper, error)
}

// TransactionCommitter stores finished transactions.
type TransactionCommitter interface {
	// Commit durably stores a finished transaction (completed or voided): it
	// assigns c.ReceiptNo from the till's never-reused sequence, writes the
	// transaction, its lines and tenders, the journal entry (whose payload
	// it sets to the transaction), and an outbox row keyed by c.ID — all in one
	// transaction, synced to disk before it returns. On error nothing is stored,
	// no receipt number is used up and c.ReceiptNo is left empty.
	Commit(ctx context.Context, c *cart.Cart, e journal.Entry) error
}

// TransactionFinder finds stored transactions, for returns and reprints.
type TransactionFinder interface {
	// Transaction finds a completed transaction by receipt number, with the
	// quantities already returned against each of its lines (by line number).
	// A voided transaction is poserr.Conflict.
	Transaction(ctx context.Context, receiptNo string) (*cart.Cart, map[int]catalog.Qty, error)
	// ReturnedOf is what this till's completed transactions returned of
	// each line (by line number) of the transaction with this ID, which may
	// be another till's.
	ReturnedOf(ctx context.Context, txnID string) (map[int]catalog.Qty, error)
}

// SuspendedStore keeps open carts put aside until they are recalled.
type SuspendedStore interface {
	// Suspend stores an open cart aside and journals it.
	Suspend(ctx context.Context, c *cart.Cart, e journal.Entry) error
	// Recall removes a suspended cart by its ID and returns it, journaling the recall.
	Recall(ctx context.Context, id string, e journal.Entry) (*cart.Cart, error)
	// Suspended lists the suspended carts, oldest first.
	Suspended(ctx context.Context) ([]SuspendedCart, error)
}

// JournalAppender appends journal entries that go with no other change.
type JournalAppender interface {
	// AppendJournal appends an entry that goes with no other change (an override,
	// a reprint).
	AppendJournal(ctx context.Context, e journal.Entry) error
}

// SuspendedCart is one row of the recall list.
type SuspendedCart struct {
	ID       string
	Operator string
	Lines    int
	Total    int64
	At       string // RFC 3339 time it was suspended
}

// LoyaltyLedger knows loyalty cards' points: the store server's last
// balance and the till's own movements (booked by Commit from the cart's
// Loyalty) that the server has not counted yet.
type LoyaltyLedger interface {
	LoyaltyBalance(ctx context.Context, card string) (loyalty.Balance, error)
}

// ValueLedger knows gift cards' and credit memos' balances: the store
// server's last balance and the till's own movements (booked by Commit
// from the cart's ValueMoves) that the server has not counted yet.
type ValueLedger interface {
	// ValueBalance reads a number's balance; a number the till has never
	// heard of has a zero Balance (Exists false), not an error.
	ValueBalance(ctx context.Context, kind storedvalue.Kind, number string) (storedvalue.Balance, error)
	// NoteValueBalance stores the server's balance of a number read live
	// (as the feed would): its amount and how many of this till's
	// movements of it the server counted.
	NoteValueBalance(ctx context.Context, k storedvalue.Known) error
}

// CustomerDirectory keeps the till's copy of the store's customers: created
// and edited here (offline too) or received from the store server.
type CustomerDirectory interface {
	// SaveCustomer stores a new customer (Version 1; the store gives it its
	// customer number when it has none) or an edit (Version one more than
	// the stored profile's; otherwise poserr.Conflict: someone edited it
	// meanwhile), appends the journal entry (its payload the profile) and
	// queues the profile for the store server, in one transaction. It
	// returns the profile as stored.
	SaveCustomer(ctx context.Context, c customer.Customer, e journal.Entry) (customer.Customer, error)
	// Customer finds a customer by ID, customer number or loyalty card.
	Customer(ctx context.Context, key string) (customer.Customer, error)
	// SearchCustomers finds customers as customer.Query.Matches does, by
	// last and first name.
	SearchCustomers(ctx context.Context, q customer.Query) ([]customer.Customer, error)
	// PurchasedItems sums what the customer with this number bought in the
	// till's completed transactions, per product (returns subtracted),
	// the most recently bought first (ProductID, ItemID, Qty, Times,
	// First, Last and Amount set).
	PurchasedItems(ctx context.Context, number string, limit int) ([]customer.Item, error)
	// ClientBook lists the customers in an associate's client book ("" =
	// every associate's), by associate and name.
	ClientBook(ctx context.Context, associate string) ([]customer.Customer, error)
}
