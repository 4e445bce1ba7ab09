package till_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/opentill/opentill/pos"
	"github.com/opentill/opentill/pos/poserr"
	"github.com/opentill/opentill/pos/till"
)

func TestOffersOverride(t *testing.T) {
	notPermitted := poserr.E(poserr.NotPermitted, "error.op.not_permitted", "not allowed")
	overLimit := poserr.E(poserr.LimitExceeded, "error.discount.limit", "over the limit")
	void := pos.VoidTransaction{}
	for _, tc := range []struct {
		name string
		op   pos.Operation
		err  error
		want bool
	}{
		{"not permitted", void, notPermitted, true},
		{"over a limit", pos.LineDiscount{Line: 1, Percent: 5000}, overLimit, true},
		{"wrapped", void, fmt.Errorf("voiding: %w", notPermitted), true},
		{"already a manager's", pos.Approved{Op: void, ManagerID: "2001", Secret: "2468"}, notPermitted, false},
		{"unlocking an operator", pos.UnlockOperator{OperatorID: "1002"}, notPermitted, false},
		{"another kind of refusal", void, poserr.E(poserr.Conflict, "error.cart.empty", "nothing to void"), false},
		{"a plain error", void, fmt.Errorf("boom"), false},
		{"no error", void, nil, false},
		{"no operation", nil, notPermitted, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, till.OffersOverride(tc.op, tc.err))
		})
	}
}
