// Package shift is cash and shift management: the shift a drawer is counted
// in, the cash movements journaled in it (start amount, float, removal,
// drops, income and expense, no-sale, declarations) and the X and Z reports.
// Every figure of a report is derived from journal entries alone (Build), so
// a report can always be recomputed and checked against the journal.
package shift

import (
	"time"

	"github.com/opentill/opentill/pos/money"
)

// Status is where a shift is in its life (values as the anchor's
// ShiftStatus).
type Status string

// Shift statuses.
const (
	Open        Status = "open"
	Closed      Status = "closed"
	BlindClosed Status = "blind_closed"
	Suspended   Status = "suspended"
)

// Shift is one drawer's trading period between open and close.
type Shift struct {
	ID       string    `json:"id"`
	Store    string    `json:"store"`
	Terminal string    `json:"terminal"` // the register it is open (or was last) on
	Status   Status    `json:"status"`
	OpenedBy string    `json:"opened_by"`
	Opened   time.Time `json:"opened"`
	Closed   time.Time `json:"closed,omitempty"`
	ClosedBy string    `json:"closed_by,omitempty"`
	// StartSeq is the journal sequence from which the shift's entries are
	// found (the sequence of its opening entry).
	StartSeq int64          `json:"start_seq"`
	Currency money.Currency `json:"currency"`
	// Users are the operators who may work in the shift: the opener and
	// those who joined it (multiple shift logon).
	Users []string `json:"users"`
}

// HasUser reports whether an operator works in the shift.
func (s *Shift) HasUser(id string) bool {
	for _, u := range s.Users {
		if u == id {
			return true
		}
	}
	return false
}

// MovementKind is the kind of a cash movement.
type MovementKind string

// Movement kinds with the anchor's operation numbers.
const (
	StartAmount MovementKind = "start_amount" // 1200: replaces the start amount of the tender
	FloatEntry  MovementKind = "float_entry"  // 1201: cash put into the drawer
	Removal     MovementKind = "removal"      // 1210: cash taken out
	SafeDrop    MovementKind = "safe_drop"    // 1211: cash moved to the store safe
	BankDrop    MovementKind = "bank_drop"    // 1212: cash sent to the bank in a bag
	Income      MovementKind = "income"       // 517: cash in for a non-sale reason, to an income account
	Expense     MovementKind = "expense"      // 518: cash out for a non-sale reason, from an expense account
	NoSale      MovementKind = "no_sale"      // 1000: drawer opened without a sale
	Declaration MovementKind = "declaration"  // 1052: counted amount of one tender; replaces an earlier one
)

// Count is a number of pieces of one denomination.
type Count struct {
	Value money.Amount `json:"value"` // face value of one piece
	Qty   int64        `json:"qty"`
}

// Total returns the value of the counted pieces.
func Total(counts []Count) money.Amount {
	var t money.Amount
	for _, c := range counts {
		t += c.Value * money.Amount(c.Qty)
	}
	return t
}

// Movement is the payload of a cash movement's journal entry. It records
// who moved what, when and why.
type Movement struct {
	Shift    string       `json:"shift"`
	Kind     MovementKind `json:"kind"`
	Tender   string       `json:"tender,omitempty"` // tender type ID
	Amount   money.Amount `json:"amount"`           // always positive
	Account  string       `json:"account,omitempty"`
	Bag      string       `json:"bag,omitempty"` // bank bag number
	Reason   string       `json:"reason,omitempty"`
	Approver string       `json:"approver,omitempty"` // the manager who let it take out more than the drawer held
	Counts   []Count      `json:"counts,omitempty"`   // declaration by denomination
	// Currency and Rate are set for a foreign-currency tender's movement:
	// Amount is in Currency, at Rate into the store's currency.
	Currency money.Currency `json:"currency,omitzero"`
	Rate     money.Rate     `json:"rate,omitempty"`
	Operator string         `json:"operator"`
	Terminal string         `json:"terminal"`
	Time     time.Time      `json:"time"`
}

// Event is the payload of a shift's life-cycle journal entries (open,
// suspend, resume, join, blind close, close).
type Event struct {
	Shift    string    `json:"shift"`
	Terminal string    `json:"terminal"`
	Operator string    `json:"operator"`
	Time     time.Time `json:"time"`
	// Start is the start amount declared with the opening, if any.
	Start *Movement `json:"start,omitempty"`
	// Voided lists the suspended transactions voided at close.
	Voided []string `json:"voided,omitempty"`
	// Approver is the manager who approved the event (an override of the
	// operation); on a close whose over/short was beyond the store's limit,
	// Approver and Reason are the manager who accepted it and why.
	Approver string `json:"approver,omitempty"`
	Reason   string `json:"reason,omitempty"`
}

// AccountKind says whether an account takes cash in or out.
type AccountKind string

// Account kinds.
const (
	IncomeAccount  AccountKind = "income"
	ExpenseAccount AccountKind = "expense"
)

// Account is an income or expense account (ops 517/518).
type Account struct {
	ID   string      `json:"id"`
	Name string      `json:"name"`
	Kind AccountKind `json:"kind"`
}

// Policy is the store's shift setting.
type Policy struct {
	// Required refuses sales, returns and payments unless a shift is open on
	// the register (or the operator works in non-drawer mode).
	Required bool `json:"required"`
	// VoidSuspendedAtClose voids the transactions still suspended when the
	// shift closes; otherwise they stay for recall in a later shift.
	VoidSuspendedAtClose bool `json:"void_suspended_at_close"`
	// Denominations are the face values counted in a cash declaration,
	// largest first.
	Denominations []money.Amount `json:"denominations,omitempty"`
	// ManagerMayOverdraw lets a manager (with a reason) take out more cash
	// than the drawer should hold; without it such a removal, safe drop, bank
	// drop or expense is refused for everyone.
	ManagerMayOverdraw bool `json:"manager_may_overdraw,omitempty"`
	// OverShortLimit is the largest over/short (either way) a shift closes
	// with on the operator's word; beyond it the close needs a manager and a
	// reason, which the Z shows. 0 = no limit.
	OverShortLimit money.Amount `json:"over_short_limit,omitempty"`
}
