package pos

import (
	"errors"

	"github.com/opentill/opentill/pos/catalog"
)

// Typed outcomes: the register's errors carry these sentinels, so callers
// decide with errors.Is, never by a message key (keys are for translation).
var (
	// ErrNoShift: the operation needs an open shift and none is open on
	// this register (open or resume one, or work in non-drawer mode).
	ErrNoShift = errors.New("no shift is open on this register")
	// ErrNotShiftUser: a shift is open on this register, but another
	// operator's; join it (op 4013) or sign in as them.
	ErrNotShiftUser = errors.New("the shift on this register is another operator's")
	// ErrNeedsWeight: a weighed item was sold without a weight;
	// Result.NeedsWeight names the product.
	ErrNeedsWeight = errors.New("the item needs a weight")
	// ErrNeedsPrice: an item whose price is keyed in was sold without one;
	// Result.NeedsPrice names the product.
	ErrNeedsPrice = errors.New("the item needs a keyed-in price")
)

// needsInput fills the result of a sale refused for want of a weight or a
// price with the product to ask about.
func needsInput(p catalog.Product, err error) Result {
	var res Result
	switch {
	case errors.Is(err, ErrNeedsWeight):
		res.NeedsWeight = &p
	case errors.Is(err, ErrNeedsPrice):
		res.NeedsPrice = &p
	}
	return res
}
