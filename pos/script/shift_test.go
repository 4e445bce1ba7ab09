package script

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/pos"
	"github.com/opentill/opentill/pos/shift"
)

func TestParseShiftSteps(t *testing.T) {
	tests := []struct {
		line string
		want pos.Operation
	}{
		{"shift open 100.00", pos.OpenShift{StartAmount: 10000}},
		{"shift open", pos.OpenShift{}},
		{"shift suspend", pos.SuspendShift{}},
		{"shift resume", pos.ResumeShift{}},
		{"shift resume 0190-abc", pos.ResumeShift{ID: "0190-abc"}},
		{"shift join", pos.JoinShift{}},
		{"shift nodrawer", pos.NonDrawerMode{}},
		{"shift close", pos.CloseShift{}},
		{"shift close 0190-abc", pos.CloseShift{ID: "0190-abc"}},
		{`shift close reason="note went to the safe"`, pos.CloseShift{Reason: "note went to the safe"}},
		{"startamount 80", pos.DeclareStart{Amount: 8000}},
		{"float 50.00", pos.FloatEntry{Amount: 5000}},
		{`removal 20.00 "for the bakery"`, pos.TenderRemoval{Amount: 2000, Reason: "for the bakery"}},
		{"safedrop 200.00", pos.SafeDrop{Amount: 20000}},
		{"bankdrop 500.00 BAG123", pos.BankDrop{Amount: 50000, Bag: "BAG123"}},
		{`bankdrop 500.00 BAG123 "evening"`, pos.BankDrop{Amount: 50000, Bag: "BAG123", Reason: "evening"}},
		{"income LOTTERY 5.00", pos.IncomeEntry{Account: "LOTTERY", Amount: 500}},
		{`expense POSTAGE 3.00 "stamps"`, pos.ExpenseEntry{Account: "POSTAGE", Amount: 300, Reason: "stamps"}},
		{"nosale", pos.OpenDrawer{}},
		{`nosale "change"`, pos.OpenDrawer{Reason: "change"}},
		{"declare cash 50x1 20x2 0.50x3", pos.DeclareTender{Counts: []shift.Count{{Value: 5000, Qty: 1}, {Value: 2000, Qty: 2}, {Value: 50, Qty: 3}}}},
		{"declare card 87.20", pos.DeclareTender{TenderID: "card", Amount: 8720}},
		{"declare cash 10x1 shift=S9", pos.DeclareTender{Shift: "S9", Counts: []shift.Count{{Value: 1000, Qty: 1}}}},
		{"blindclose", pos.BlindCloseShift{}},
		{"xreport", pos.PrintXReport{}},
		{"zreport", pos.ReprintZReport{}},
		{"reprintz", pos.ReprintZReport{}},
		{"override 2001 2468 safedrop 20", pos.Approved{Op: pos.SafeDrop{Amount: 2000}, ManagerID: "2001", Secret: "2468"}},
	}
	for _, tt := range tests {
		t.Run(tt.line, func(t *testing.T) {
			st, err := ParseLine(tt.line, 2)
			require.NoError(t, err)
			assert.Equal(t, tt.want, st.Op)
		})
	}
}

func TestParseShiftStepErrors(t *testing.T) {
	for _, line := range []string{"shift", "shift dance", "float", "float -5", "float abc", "bankdrop 5", "income LOTTERY",
		"declare cash 10xq", "expect report nonsense 1", "expect report sales", "expect report voids x"} {
		t.Run(line, func(t *testing.T) {
			_, err := ParseLine(line, 2)
			assert.Error(t, err)
		})
	}
}

func TestReportExpectations(t *testing.T) {
	r := &shift.Report{Sales: 2644, VoidCount: 1, Tenders: []shift.TenderTotals{{Tender: "cash", Cash: true, OverShort: -50}, {Tender: "card", Tendered: 958}}}
	tests := []struct {
		line string
		ok   bool
	}{
		{"expect report sales 26.44", true},
		{"expect report sales 26.45", false},
		{"expect report voids 1", true},
		{"expect report voids 2", false},
		{"expect report tenderovershort -0.50", true},
		{"expect report tenderovershort:cash -0.50", true},
		{"expect report tendered:card 9.58", true},
	}
	for _, tt := range tests {
		t.Run(tt.line, func(t *testing.T) {
			st, err := ParseLine(tt.line, 2)
			require.NoError(t, err)
			err = checkReport(st.Expect, r, nil, 2)
			assert.Equal(t, tt.ok, err == nil, "%v", err)
		})
	}
	st, err := ParseLine("expect report sales 1", 2)
	require.NoError(t, err)
	assert.Error(t, checkReport(st.Expect, nil, nil, 2), "no report yet")
}
