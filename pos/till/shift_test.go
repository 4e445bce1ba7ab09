package till_test

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/pos"
	"github.com/opentill/opentill/pos/shift"
	"github.com/opentill/opentill/pos/staff"
	"github.com/opentill/opentill/pos/till"
)

// fakeShifts is the register as shift guidance reads it.
type fakeShifts struct {
	operator  string // "" = signed out
	required  bool
	nonDrawer bool
	shift     *shift.Shift
	err       error
	may       []pos.OpID
}

func (f *fakeShifts) Setup() pos.Setup {
	return pos.Setup{Shifts: shift.Policy{Required: f.required}}
}

func (f *fakeShifts) Operator() (staff.Operator, staff.Role, bool) {
	return staff.Operator{ID: f.operator}, staff.Role{}, f.operator != ""
}

func (f *fakeShifts) Can(id pos.OpID) bool {
	for _, m := range f.may {
		if m == id {
			return f.operator != ""
		}
	}
	return false
}

func (f *fakeShifts) NonDrawer() bool { return f.operator != "" && f.nonDrawer }

func (f *fakeShifts) CurrentShift(context.Context) (*shift.Shift, error) { return f.shift, f.err }

func TestGuide(t *testing.T) {
	mine := &shift.Shift{ID: "S1", OpenedBy: "1001", Users: []string{"1001"}}
	cashier := []pos.OpID{pos.OpOpenShift, pos.OpResumeShift}
	manager := []pos.OpID{pos.OpOpenShift, pos.OpResumeShift, pos.OpJoinShift, pos.OpNonDrawerMode}
	broken := errors.New("the store cannot be read")
	for _, tc := range []struct {
		name  string
		reg   fakeShifts
		state till.ShiftState
		shift bool // the guidance names the register's shift
		wayIn bool
		err   error
	}{
		{name: "signed out", reg: fakeShifts{required: true, shift: mine}, state: till.ShiftSignedOut, shift: true},
		{name: "non-drawer mode", reg: fakeShifts{operator: "2001", required: true, nonDrawer: true, may: manager}, state: till.ShiftNonDrawer},
		{name: "non-drawer mode beside an open shift", reg: fakeShifts{operator: "2001", required: true, nonDrawer: true, shift: mine, may: manager}, state: till.ShiftNonDrawer, shift: true},
		{name: "shifts not required", reg: fakeShifts{operator: "1001", may: cashier}, state: till.ShiftNotRequired},
		{name: "shifts not required, one open", reg: fakeShifts{operator: "1002", shift: mine, may: cashier}, state: till.ShiftNotRequired, shift: true},
		{name: "in my shift", reg: fakeShifts{operator: "1001", required: true, shift: mine, may: cashier}, state: till.ShiftMine, shift: true},
		{name: "another's shift, may join", reg: fakeShifts{operator: "2001", required: true, shift: mine, may: manager}, state: till.ShiftOthers, shift: true, wayIn: true},
		{name: "another's shift, may not join", reg: fakeShifts{operator: "1002", required: true, shift: mine, may: cashier}, state: till.ShiftOthers, shift: true},
		{name: "no shift, may open", reg: fakeShifts{operator: "1001", required: true, may: cashier}, state: till.ShiftNone, wayIn: true},
		{name: "no shift, may only work without a drawer", reg: fakeShifts{operator: "3001", required: true, may: []pos.OpID{pos.OpNonDrawerMode}}, state: till.ShiftNone, wayIn: true},
		{name: "no shift, may do nothing about it", reg: fakeShifts{operator: "3001", required: true}, state: till.ShiftNone},
		{name: "the shift cannot be read", reg: fakeShifts{operator: "1001", required: true, err: broken, may: cashier}, state: till.ShiftUnknown, err: broken},
		{name: "the shift cannot be read, but none is required", reg: fakeShifts{operator: "1001", err: broken, may: cashier}, state: till.ShiftNotRequired, err: broken},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g, err := till.Guide(context.Background(), &tc.reg)
			if tc.err != nil {
				require.ErrorIs(t, err, tc.err)
			} else {
				require.NoError(t, err)
			}
			assert.Equal(t, tc.state, g.State, "state %s", g.State)
			assert.Equal(t, tc.shift, g.Shift != nil, "the shift")
			assert.Equal(t, tc.wayIn, g.CanGetIn(), "leads to the shift screen")
			if tc.reg.operator != "" {
				assert.Equal(t, tc.reg.Can(pos.OpOpenShift), g.CanOpen)
				assert.Equal(t, tc.reg.Can(pos.OpResumeShift), g.CanResume)
				assert.Equal(t, tc.reg.Can(pos.OpJoinShift), g.CanJoin)
				assert.Equal(t, tc.reg.Can(pos.OpNonDrawerMode), g.CanNonDrawer)
			} else {
				assert.False(t, g.CanOpen || g.CanResume || g.CanJoin || g.CanNonDrawer, "nobody may do anything")
			}
		})
	}
}

func TestTillShift(t *testing.T) {
	reg := &fakeTill{fakeRegister: &fakeRegister{}, fakeShifts: &fakeShifts{operator: "1001", required: true, may: []pos.OpID{pos.OpOpenShift}}}
	g, err := till.New(reg, till.Options{}).Shift(context.Background())
	require.NoError(t, err)
	assert.Equal(t, till.ShiftNone, g.State)
	assert.True(t, g.CanOpen)
	assert.Equal(t, "none", g.State.String())
	assert.Equal(t, "another operator's", till.ShiftOthers.String())
}
