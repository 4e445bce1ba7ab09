package till

import (
	"context"

	"github.com/opentill/opentill/pos"
	"github.com/opentill/opentill/pos/shift"
)

// ShiftState is where the signed-in operator stands with the shift on this
// register, as far as selling is concerned.
type ShiftState int

// Shift states.
const (
	// ShiftSignedOut: nobody is signed in.
	ShiftSignedOut ShiftState = iota
	// ShiftNonDrawer: the operator works in non-drawer mode (card sales
	// without a shift).
	ShiftNonDrawer
	// ShiftNotRequired: the store sells without shifts.
	ShiftNotRequired
	// ShiftMine: the operator works in the shift open on this register.
	ShiftMine
	// ShiftOthers: the shift open on this register is another operator's;
	// the operator joins it or that operator signs in.
	ShiftOthers
	// ShiftNone: no shift is open on this register; the operator opens or
	// resumes one, or works in non-drawer mode.
	ShiftNone
	// ShiftUnknown: the shift open on this register could not be read (Guide
	// returns the error).
	ShiftUnknown
)

// String names the state.
func (s ShiftState) String() string {
	return [...]string{"signed out", "non-drawer", "not required", "mine", "another operator's", "none", "unknown"}[s]
}

// ShiftGuidance says how the signed-in operator gets into a shift: the
// state, the shift open on this register, and which of the ways in their
// role allows.
type ShiftGuidance struct {
	State ShiftState
	// Shift is the shift open on this register, nil when none is (set in
	// every state, for the shift screen's status line).
	Shift *shift.Shift
	// What the operator may do (their role's permissions).
	CanOpen, CanResume, CanJoin, CanNonDrawer bool
}

// CanGetIn reports whether the operator needs a shift before selling and
// has a way in: open, resume or join one, or work without a drawer. A front
// end then leads them to its shift screen (the Fyne till does at sign-in and
// when a sale is refused). A shift another operator opened here is a way in
// only for those who may join it.
func (g ShiftGuidance) CanGetIn() bool {
	switch g.State {
	case ShiftOthers:
		return g.CanJoin
	case ShiftNone:
		return g.CanOpen || g.CanResume || g.CanJoin || g.CanNonDrawer
	}
	return false
}

// Guide tells the signed-in operator on r how they get into a shift. A till
// restarted with its shift open resumes it (pos.Register.CurrentShift), so
// its operator is in ShiftMine at once. The error is the store's when the
// open shift cannot be read; the state then says what holds whatever the
// shift (signed out, non-drawer, not required), else ShiftUnknown.
func Guide(ctx context.Context, r ShiftSource) (ShiftGuidance, error) {
	sh, err := r.CurrentShift(ctx)
	if err != nil {
		sh = nil
	}
	op, _, signedIn := r.Operator()
	g := ShiftGuidance{Shift: sh}
	if signedIn {
		g.CanOpen, g.CanResume = r.Can(pos.OpOpenShift), r.Can(pos.OpResumeShift)
		g.CanJoin, g.CanNonDrawer = r.Can(pos.OpJoinShift), r.Can(pos.OpNonDrawerMode)
	}
	switch {
	case !signedIn:
		g.State = ShiftSignedOut
	case r.NonDrawer():
		g.State = ShiftNonDrawer
	case !r.Setup().Shifts.Required:
		g.State = ShiftNotRequired
	case err != nil:
		g.State = ShiftUnknown
	case sh != nil && sh.HasUser(op.ID):
		g.State = ShiftMine
	case sh != nil:
		g.State = ShiftOthers
	default:
		g.State = ShiftNone
	}
	return g, err
}
