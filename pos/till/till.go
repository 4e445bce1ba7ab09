// Package till is the application service every front end shares: the Fyne
// till (ui/), the text till (posctl till) and whatever comes next. It holds
// the orchestration around the register that is the same whatever draws the
// screen:
//
//   - selling an item, weighing it on the scale when it is sold by weight
//     and asking for a keyed-in weight or price when that is the way on
//     (Sell);
//   - how the signed-in operator gets into a shift (Guide);
//   - whether a refused operation may be offered to a manager
//     (OffersOverride);
//   - finding a past transaction by its receipt number (Transaction);
//   - what the screens show of the store server and what they ask of it
//     (Sync, SyncStatus);
//
// and, in pos/till/devices, the till's devices as a front end uses them.
//
// The package is pure: it depends on the domain and on the small interfaces
// it declares here (Register, Scale, Transactions, Sync), which cmd/ wires to
// the register, the devices' station, the local store and the sync engine.
package till

import (
	"context"

	"github.com/opentill/opentill/pos"
	"github.com/opentill/opentill/pos/shift"
	"github.com/opentill/opentill/pos/staff"
)

// Doer runs operations: *pos.Register.
type Doer interface {
	Do(ctx context.Context, op pos.Operation) (pos.Result, error)
}

// ShiftSource is what shift guidance reads of the register (*pos.Register).
type ShiftSource interface {
	Setup() pos.Setup
	Operator() (staff.Operator, staff.Role, bool)
	Can(id pos.OpID) bool
	NonDrawer() bool
	CurrentShift(ctx context.Context) (*shift.Shift, error)
}

// Register is the register as the service uses it: *pos.Register.
type Register interface {
	Doer
	ShiftSource
}

// Options are the ports of a Till; each may be nil.
type Options struct {
	// Scale weighs items sold by weight; nil: the till has no scale, and the
	// cashier keys weights in.
	Scale Scale
	// Transactions finds past transactions; nil: none can be found.
	Transactions Transactions
}

// Till is the service on one register.
type Till struct {
	reg   Register
	scale Scale
	txns  Transactions
}

// New returns the service on reg with the given ports.
func New(reg Register, o Options) *Till {
	return &Till{reg: reg, scale: o.Scale, txns: o.Transactions}
}

// HasScale reports whether the till weighs on a scale (a sale may then take
// as long as the item takes to settle on it).
func (t *Till) HasScale() bool { return t.scale != nil }

// Sell runs a product sale, weighing a weighed item on the till's scale; see
// the package-level Sell.
func (t *Till) Sell(ctx context.Context, op pos.ProductSale) (Sale, error) {
	return Sell(ctx, t.reg, t.scale, op)
}

// Shift tells the signed-in operator how they get into a shift; see Guide.
func (t *Till) Shift(ctx context.Context) (ShiftGuidance, error) { return Guide(ctx, t.reg) }
