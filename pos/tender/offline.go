package tender

import (
	"context"
	"errors"

	"github.com/opentill/opentill/pos/money"
)

// ErrProcessorUnreachable is what a terminal's Authorize answers (wrapped)
// when it is there but cannot reach the card processor: a terminal that
// can store and forward may then take the payment offline.
var ErrProcessorUnreachable = errors.New("the card processor cannot be reached")

// StoreAndForward is a terminal that can take a card payment while the
// processor is unreachable, keep it, and forward it later.
type StoreAndForward interface {
	// AuthorizeOffline takes the payment without the processor: the
	// terminal stores it for forwarding (Approval.Offline).
	AuthorizeOffline(ctx context.Context, r Request) (Approval, error)
	// Forward sends the stored payments to the processor and says how
	// each came out, by the terminal's reference. An unreachable processor
	// is ErrProcessorUnreachable (wrapped): nothing was forwarded.
	Forward(ctx context.Context) ([]Forwarded, error)
}

// Forwarded is the processor's answer to one stored payment.
type Forwarded struct {
	Reference string `json:"reference"`
	Approved  bool   `json:"approved"`
	AuthCode  string `json:"auth_code,omitempty"`
}

// OfflinePolicy bounds the card payments a till takes while the processor
// is unreachable: the risk the store takes that a card is declined when the
// payment is forwarded. Above a cap a manager approves. MaxPerSale 0 = no
// card payment is taken offline.
type OfflinePolicy struct {
	MaxPerSale   money.Amount `json:"max_per_sale" toml:"max_per_sale"`     // one payment
	MaxPerTill   money.Amount `json:"max_per_till" toml:"max_per_till"`     // taken offline at the till and not yet forwarded
	MaxPerWindow money.Amount `json:"max_per_window" toml:"max_per_window"` // taken offline at the till in the last WindowHours
	WindowHours  int          `json:"window_hours" toml:"window_hours"`     // 0 = 24
}
