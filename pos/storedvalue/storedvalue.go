// Package storedvalue holds gift cards, credit memos and customer
// accounts: money the store owes a card or memo number, or a customer owes
// the store up to a credit limit, and the rules for spending it at a till
// that may be offline.
//
// The store server keeps the ledger of every till's movements, exactly once
// by transaction ID; a till knows the server's last balance of a number
// (from the feed or a live lookup) plus its own movements the server has
// not counted yet. Movements are booked in the sale's own commit.
package storedvalue

import (
	"strings"
	"time"
	"unicode"

	"github.com/opentill/opentill/pos/money"
)

// Kind is what a number holds value on.
type Kind string

// Kinds.
const (
	GiftCard Kind = "giftcard"
	Memo     Kind = "memo"    // a credit memo, issued for a refund
	Account  Kind = "account" // a customer's account (by customer number): negative when the customer owes
)

// Valid reports whether k is a known kind.
func (k Kind) Valid() bool { return k == GiftCard || k == Memo || k == Account }

// Balance is a number's value as the till knows it.
type Balance struct {
	Kind   Kind
	Number string
	// Known is the store server's balance when the till last heard it
	// (AsOf; zero when never).
	Known money.Amount
	AsOf  time.Time
	// Pending are this till's movements the server has not counted yet:
	// issued and added (positive), spent and cashed out (negative).
	Pending money.Amount
	// Unconfirmed is what this till spent of it that the server has not
	// counted yet (positive): what Policy.OfflineCap bounds.
	Unconfirmed money.Amount
	// IssuedHere says this till issued the number and the server has not
	// counted it yet.
	IssuedHere bool
	// Limit is a customer account's credit limit, as the server last said:
	// what the customer may owe (positive).
	Limit money.Amount
	// Held is what other tills hold on it for sales the server has not
	// received yet (a live read only): it cannot be spent here.
	Held money.Amount
}

// Amount is the balance: the server's plus this till's uncounted movements.
func (b Balance) Amount() money.Amount { return b.Known + b.Pending }

// Exists reports whether the number is known: the server has a balance of
// it, or this till issued it.
func (b Balance) Exists() bool { return !b.AsOf.IsZero() || b.IssuedHere }

// Known is the store server's balance of a number as it publishes it: the
// sum of every till's movements, and how many movements of each till
// ("store/terminal") it counted.
type Known struct {
	Kind    Kind
	Number  string
	Amount  money.Amount
	AsOf    time.Time
	Counted map[string]int64
	Limit   money.Amount // a customer account's credit limit
	Held    money.Amount // held by other tills (a live read; not kept)
}

// Policy is the store's rules for a kind.
type Policy struct {
	// OfflineCap bounds what a gift card may be spent at this till that
	// the server has not confirmed (0 = nothing while offline): the risk
	// the store takes while the network is down. Memos are spent offline
	// only at the till that issued them, up to their amount.
	OfflineCap money.Amount `json:"offline_cap" toml:"offline_cap"`
	// CashOutMax is the most of a gift card's remaining balance that may
	// be paid out in cash (0 = cards are never cashed out).
	CashOutMax money.Amount `json:"cash_out_max" toml:"cash_out_max"`
	// MaxValue is the most a gift card may hold (0 = no limit).
	MaxValue money.Amount `json:"max_value" toml:"max_value"`
	// MinIssue is the least a gift card is issued or topped up with.
	MinIssue money.Amount `json:"min_issue" toml:"min_issue"`
}

// Spendable is what the number can pay now: online (the server's balance
// was read a moment ago) all of its balance (an account: its credit limit
// less what the customer owes); offline a gift card or account up to the
// policy's cap less what this till already spent unconfirmed, a memo only
// when this till issued it.
func (p Policy) Spendable(b Balance, live bool) money.Amount {
	if !b.Exists() {
		return 0
	}
	amount := max(b.Amount()-b.Held, 0)
	if b.Kind == Account {
		amount = max(b.Limit+b.Amount()-b.Held, 0) // what the customer may still charge
	}
	if live {
		return amount
	}
	if b.Kind == Memo {
		if b.IssuedHere {
			return amount
		}
		return 0
	}
	return min(amount, max(p.OfflineCap-b.Unconfirmed, 0))
}

// Normalize trims a scanned or typed number and upper-cases it; ok is false
// when it is not 4 to 32 letters, digits and dashes.
func Normalize(number string) (string, bool) {
	n := strings.ToUpper(strings.TrimSpace(number))
	if len(n) < 4 || len(n) > 32 {
		return n, false
	}
	for _, r := range n {
		if r > unicode.MaxASCII || !(unicode.IsDigit(r) || unicode.IsLetter(r) || r == '-') {
			return n, false
		}
	}
	return n, true
}

// Shown is a number as screens and receipts show it: a gift card's
// masked, a memo's or an account's in full (the customer brings a memo
// back by it).
func Shown(k Kind, number string) string {
	if k == GiftCard {
		return Mask(number)
	}
	return number
}

// Mask shows only a number's last four characters (receipts, screens).
func Mask(number string) string {
	if len(number) <= 4 {
		return number
	}
	return "****" + number[len(number)-4:]
}
