// Package tender describes the ways a customer pays (tender types and their
// rules) and the payment terminal the register asks to authorise cards.
package tender

import (
	"context"
	"errors"

	"github.com/opentill/opentill/pos/cart"
	"github.com/opentill/opentill/pos/money"
)

// Type is a tender type the store accepts, with its rules.
type Type struct {
	ID               string          `json:"id" toml:"id"`
	Name             string          `json:"name" toml:"name"`
	Kind             cart.TenderKind `json:"kind" toml:"kind"`
	GivesChange      bool            `json:"gives_change" toml:"gives_change"`           // overtender is paid back as change (cash)
	AllowOvertender  bool            `json:"allow_overtender" toml:"allow_overtender"`   // may exceed the amount due
	MaxOvertender    money.Amount    `json:"max_overtender" toml:"max_overtender"`       // 0 = no limit
	AllowUndertender bool            `json:"allow_undertender" toml:"allow_undertender"` // may pay part of the amount due (split tender)
	RoundingStep     money.Amount    `json:"rounding_step" toml:"rounding_step"`         // cash rounding step in minor units (5 = 0.05); 0 or 1 = none
	MaxAmount        money.Amount    `json:"max_amount" toml:"max_amount"`               // largest single payment; 0 = no limit
	OpensDrawer      bool            `json:"opens_drawer" toml:"opens_drawer"`
	AllowRefund      bool            `json:"allow_refund" toml:"allow_refund"` // may be used to pay back a return
	// Foreign is the currency of a foreign-currency cash tender (kind
	// currency): amounts handed over are in it, converted at the store's
	// exchange rate (Setup.ExchangeRates); change is paid in the store's
	// currency, and the tender is counted in its own at the declaration.
	Foreign money.Currency `json:"foreign,omitzero" toml:"foreign"`
}

// Request asks the terminal to move money.
type Request struct {
	Amount    money.Amount   // positive
	Currency  money.Currency // currency of the amount
	Reference string         // unique per payment attempt: the transaction ID and tender number
}

// Approval is the terminal's answer to a successful request.
type Approval struct {
	MaskedPAN string // e.g. "************1234"; the full number never reaches the till
	Brand     string
	AuthCode  string
	Reference string // the terminal's reference, used to void or refund
	// Receipt is the terminal's receipt text for the customer (lines as
	// the terminal sent them), printed with the till's receipt.
	Receipt []string
	// Offline says the terminal took the payment without the processor,
	// stored to be forwarded (StoreAndForward).
	Offline bool
}

// ErrAlreadyVoided is what a terminal's Void answers (wrapped) for a payment
// it has voided before: the void's purpose is met.
var ErrAlreadyVoided = errors.New("the payment is voided already")

// PaymentTerminal authorises card payments. The simulator and real devices
// (peripherals) implement it. Declines and timeouts are errors of kind
// poserr.Device.
type PaymentTerminal interface {
	Authorize(ctx context.Context, r Request) (Approval, error)
	Refund(ctx context.Context, r Request) (Approval, error)
	Void(ctx context.Context, reference string) error
}
