package till

import (
	"github.com/opentill/opentill/pos"
	"github.com/opentill/opentill/pos/poserr"
)

// OffersOverride reports whether a front end should offer a manager
// override for op after the register refused it with err: the operator
// lacks the permission or is over a limit, and the operation is not already
// a manager's (pos.Approved) nor the unlocking of an operator, which a
// manager does signed in as themselves.
func OffersOverride(op pos.Operation, err error) bool {
	if err == nil || op == nil {
		return false
	}
	if _, approved := op.(pos.Approved); approved || op.OpID() == pos.OpUnlockOperator {
		return false
	}
	k := poserr.KindOf(err)
	return k == poserr.NotPermitted || k == poserr.LimitExceeded
}
