package ui

import (
	"context"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/pos"
	"github.com/opentill/opentill/pos/shift"
	"github.com/opentill/opentill/ui/l10n"
)

// countRects counts the chart's bars.
func countRects(o fyne.CanvasObject) int {
	n := 0
	switch x := o.(type) {
	case *canvas.Rectangle:
		return 1
	case *fyne.Container:
		for _, c := range x.Objects {
			n += countRects(c)
		}
	}
	return n
}

// TestShiftFlowOnScreen runs a shift through the screen: open with a start
// amount, a sale, a float entry, an X report with its charts, a count by
// denomination and the close with over/short.
func TestShiftFlowOnScreen(t *testing.T) {
	for name, opt := range map[string]rigOpt{"desktop": func(*Config) {}, "tablet": tablet} {
		t.Run(name, func(t *testing.T) {
			r := newRig(t, opt)
			r.signIn("2001", "2468")
			require.Equal(t, "shift", r.ui.Screen(), "no shift is open: sign-in leads to the shift screen")
			v := r.ui.shiftView()
			assert.Equal(t, r.ui.L.T("shift.none"), v.status.Text)

			// Open the shift with 100.00.
			test.Tap(v.buttons[pos.OpOpenShift])
			test.Type(v.amount, "100.00")
			r.tap(r.ui.L.T("button.ok"))
			sh, err := r.reg.CurrentShift(context.Background())
			require.NoError(t, err)
			require.NotNil(t, sh)
			assert.Contains(t, v.status.Text, "Shift "+shiftNo(sh)+" open since")

			// A cash sale of exactly 1.19 through the domain.
			_, err = r.reg.Do(context.Background(), pos.ProductSale{Barcode: "4000000000013"})
			require.NoError(t, err)
			_, err = r.reg.Do(context.Background(), pos.PayCashExact{})
			require.NoError(t, err)
			r.ui.events.Flush()

			// Float 20.00 with a reason.
			test.Tap(v.buttons[pos.OpFloatEntry])
			test.Type(v.amount, "20,00")
			test.Type(v.reason, "coins")
			r.tap(r.ui.L.T("button.ok"))
			assert.Contains(t, r.overlayText(), r.ui.L.T("shift.moved", l10n.Data{"Amount": r.ui.money(2000), "Held": r.ui.money(12119)}),
				"the movement is confirmed with what the drawer should now hold")
			r.ui.CloseDialog()

			// X report with both charts.
			test.Tap(v.buttons[pos.OpPrintXReport])
			assert.Contains(t, v.report.Text, "X REPORT")
			assert.Contains(t, v.report.Text, "121.19")
			assert.GreaterOrEqual(t, countRects(v.chart), 2, "a bar per hour and per tender")

			// Count 121.00 by denomination: 0.19 short.
			test.Tap(v.buttons[pos.OpTenderDeclaration])
			test.Type(v.counts[10000], "1")
			test.Type(v.counts[2000], "1")
			test.Type(v.counts[100], "1")
			assert.Contains(t, v.counted.Text, "121.00")
			r.tap(r.ui.L.T("button.ok"))

			// Close: confirm, Z on screen.
			test.Tap(v.buttons[pos.OpCloseShift])
			r.tap(r.ui.L.T("button.yes"))
			require.NotNil(t, v.last)
			assert.Equal(t, shift.Z, v.last.Kind)
			assert.Equal(t, int64(-19), int64(v.last.OverShort))
			assert.Contains(t, v.report.Text, "Z REPORT")
			assert.Equal(t, r.ui.L.T("shift.none"), v.status.Text)

			// Reprint Z.
			test.Tap(v.buttons[pos.OpReprintZReport])
			assert.Contains(t, v.report.Text, "*** COPY ***")
		})
	}
}

// A cashier sees only the shift operations their role allows; a refused one
// offers the manager override.
func TestShiftScreenFollowsPermissions(t *testing.T) {
	r := newRig(t)
	r.signIn("1001", "1234")
	require.Equal(t, "shift", r.ui.Screen())
	r.tap(r.ui.L.T("button.home"))
	test.Tap(r.ui.Tile("tile.shift"))
	v := r.ui.shiftView()
	assert.NotNil(t, v.buttons[pos.OpOpenShift])
	assert.NotNil(t, v.buttons[pos.OpTenderDeclaration])
	assert.Nil(t, v.buttons[pos.OpSafeDrop], "cashiers do not drop to the safe")
	assert.Nil(t, v.buttons[pos.OpCloseShift])
	r.signInAs(t, "3001", "1357")
	assert.Nil(t, r.ui.Tile("tile.shift"), "associates have no shift operations")
}

func (r *rig) signInAs(t *testing.T, id, pin string) {
	t.Helper()
	_, err := r.reg.Do(context.Background(), pos.SignOut{})
	require.NoError(t, err)
	r.ui.events.Flush() // the sign-out reaches the screen before the next sign-in
	r.ui.Start()
	r.signIn(id, pin)
}

// The demo store requires a shift: sign-in leads to the shift screen, a
// sale is refused until one is open, and the shift opened there sells.
func TestSignInLeadsToShiftWhenRequired(t *testing.T) {
	r := newRig(t)
	require.True(t, r.reg.Setup().Shifts.Required, "the demo store sells only in an open shift")
	r.signIn("1001", "1234")
	assert.Equal(t, "shift", r.ui.Screen())
	r.tap(r.ui.L.T("button.home"))
	test.Tap(r.ui.Tile("tile.sell"))
	r.scan("4000000000013")
	assert.Contains(t, r.overlayText(), "No shift is open on this register: open or resume a shift first.")
	assert.Nil(t, r.reg.Cart())
	r.tap(r.ui.L.T("tile.shift")) // the refusal leads to the shift screen
	require.Equal(t, "shift", r.ui.Screen())
	v := r.ui.shiftView()
	test.Tap(v.buttons[pos.OpOpenShift])
	test.Type(v.amount, "50")
	r.tap(r.ui.L.T("button.ok"))
	r.ui.showHome()
	test.Tap(r.ui.Tile("tile.sell"))
	r.scan("4000000000013")
	assert.Len(t, r.reg.Cart().Lines, 1)
}

// A till restarted with its shift open resumes it: the cashier who opened it
// signs in straight to the home screen and sells on in the same shift.
func TestRestartResumesTheOpenShift(t *testing.T) {
	dir := seeded(t)
	r := newRigOn(t, dir)
	r.signInSelling("1001", "1234")
	sh, err := r.reg.CurrentShift(context.Background())
	require.NoError(t, err)
	require.NotNil(t, sh)
	require.NoError(t, r.st.Close())

	r = newRigOn(t, dir)
	r.signIn("1001", "1234")
	assert.Equal(t, "home", r.ui.Screen(), "no detour over the shift screen")
	test.Tap(r.ui.Tile("tile.sell"))
	r.scan("4000000000013")
	require.NotNil(t, r.reg.Cart())
	r.ui.sell.openPay()
	test.Tap(r.ui.pay.exact)
	require.Equal(t, "receipt", r.ui.Screen())
	x, err := r.reg.Do(context.Background(), pos.PrintXReport{})
	require.NoError(t, err)
	require.NotNil(t, x.Report)
	assert.Equal(t, sh.ID, x.Report.Shift, "the same shift")
	assert.Equal(t, 1, x.Report.SaleCount, "the sale is in the resumed shift")
}

// A manager who signs in while a cashier's shift is open on the register
// is led to the shift screen to join it (multiple shift logon).
func TestManagerJoinsTheCashiersShift(t *testing.T) {
	r := newRig(t)
	r.signInSelling("1001", "1234")
	r.signInAs(t, "2001", "2468")
	require.Equal(t, "shift", r.ui.Screen())
	v := r.ui.shiftView()
	require.NotNil(t, v.buttons[pos.OpJoinShift])
	test.Tap(v.buttons[pos.OpJoinShift])
	r.ui.showHome()
	test.Tap(r.ui.Tile("tile.sell"))
	r.scan("4000000000013")
	assert.Len(t, r.reg.Cart().Lines, 1)
}

// Non-drawer mode (op 4012) sells by card without a shift; cash is refused.
func TestNonDrawerModeSellsByCard(t *testing.T) {
	r := newRig(t)
	r.signIn("2001", "2468")
	require.Equal(t, "shift", r.ui.Screen())
	v := r.ui.shiftView()
	require.NotNil(t, v.buttons[pos.OpNonDrawerMode])
	test.Tap(v.buttons[pos.OpNonDrawerMode])
	assert.True(t, r.reg.NonDrawer())
	assert.Equal(t, r.ui.L.T("shift.non_drawer"), v.status.Text)
	r.ui.showSell()
	r.scan("4000000000013")
	require.Len(t, r.ui.sell.Lines(), 1)
	r.ui.sell.openPay()
	test.Tap(r.ui.pay.exact)
	assert.Contains(t, r.overlayText(), "There is no drawer in non-drawer mode")
	r.ui.CloseDialog()
	test.Tap(r.ui.pay.card)
	assert.Equal(t, "receipt", r.ui.Screen())
}

// A blind-closed shift is counted and closed later from the resume list.
func TestBlindCloseThenCountAndClose(t *testing.T) {
	r := newRig(t)
	r.signIn("2001", "2468")
	v := r.ui.shiftView()
	require.NotNil(t, v, "sign-in leads to the shift screen")
	test.Tap(v.buttons[pos.OpOpenShift])
	test.Type(v.amount, "10")
	r.tap(r.ui.L.T("button.ok"))
	test.Tap(v.buttons[pos.OpBlindCloseShift])
	r.tap(r.ui.L.T("button.yes"))
	assert.Equal(t, r.ui.L.T("shift.none"), v.status.Text)

	list, err := r.st.Shifts(context.Background(), shift.BlindClosed)
	require.NoError(t, err)
	require.Len(t, list, 1)
	test.Tap(v.buttons[pos.OpResumeShift])
	sh := list[0]
	r.tap(r.ui.L.T("shift.blind_row", map[string]any{"No": shiftNo(&sh), "Name": "Morgan Manager", "Terminal": sh.Terminal}))
	test.Type(v.counts[1000], "1")
	r.tap(r.ui.L.T("button.ok"))
	require.NotNil(t, v.last)
	assert.Equal(t, shift.Z, v.last.Kind)
	assert.Zero(t, v.last.OverShort)
	got, err := r.st.Shift(context.Background(), sh.ID)
	require.NoError(t, err)
	assert.Equal(t, shift.Closed, got.Status)
}

// The drive method the screenshot tour and the start-up benchmark use opens
// the shift as the screen's Open shift form does.
func TestDriveOpenShift(t *testing.T) {
	r := newRig(t)
	r.ui.SignIn("1001", "1234")
	require.Equal(t, "shift", r.ui.Screen())
	assert.Equal(t, r.ui.L.T("shift.bad_amount"), r.ui.OpenShift("lots"))
	assert.Empty(t, r.ui.OpenShift("100.00"))
	sh, err := r.reg.CurrentShift(context.Background())
	require.NoError(t, err)
	require.NotNil(t, sh)
	assert.Contains(t, r.ui.shiftView().status.Text, "Shift "+shiftNo(sh)+" open since", "a shift number people can read")
	assert.Contains(t, r.ui.shiftView().status.Text, "opened by Alex Cashier", "the operator by name")
	assert.Equal(t, "A shift is already open on this register.", r.ui.OpenShift("100.00"))
	r.ui.OpenHome()
	assert.Equal(t, "home", r.ui.Screen())
}

// The shift screen offers only what can be done now, with one primary
// action: open when no shift is open, close and the cash movements in one's
// own shift.
func TestShiftScreenShowsWhatCanBeDoneNow(t *testing.T) {
	r := newRig(t)
	r.signIn("2001", "2468")
	v := r.ui.shiftView()
	require.NotNil(t, v)
	visible := func() []pos.OpID {
		var ids []pos.OpID
		for id, b := range v.buttons {
			if b.Visible() {
				ids = append(ids, id)
			}
		}
		return ids
	}
	assert.ElementsMatch(t, []pos.OpID{pos.OpOpenShift, pos.OpResumeShift, pos.OpNonDrawerMode, pos.OpReprintZReport, pos.OpForwardCards}, visible())
	assert.Equal(t, widget.HighImportance, v.buttons[pos.OpOpenShift].Importance, "opening is the primary action")
	test.Tap(v.buttons[pos.OpOpenShift])
	test.Type(v.amount, "10")
	r.tap(r.ui.L.T("button.ok"))
	assert.NotContains(t, visible(), pos.OpOpenShift)
	assert.Contains(t, visible(), pos.OpSafeDrop)
	assert.Contains(t, visible(), pos.OpCloseShift)
	assert.Equal(t, widget.HighImportance, v.buttons[pos.OpCloseShift].Importance)
	assert.Equal(t, widget.MediumImportance, v.buttons[pos.OpSafeDrop].Importance)
}

// A second cashier on another cashier's open shift is told whose it is and
// who must sign in, and can sign out: never a dead end.
func TestSecondCashierIsToldWhoMustSignIn(t *testing.T) {
	r := newRig(t)
	r.signInSelling("1001", "1234")
	r.signInAs(t, "1002", "1234")
	r.ui.showSell()
	r.scan("4000000000013")
	assert.Nil(t, r.reg.Cart(), "the sale is refused")
	text := r.overlayText()
	assert.Contains(t, text, "Alex Cashier", "names the shift's operator")
	require.NotNil(t, r.button(r.ui.L.T("button.signout")), "offers to sign out")
	r.tap(r.ui.L.T("button.signout"))
	r.ui.events.Flush()
	_, _, signedIn := r.reg.Operator()
	assert.False(t, signedIn)
	assert.Equal(t, "signin", r.ui.Screen())

	r.signIn("1002", "1234")
	r.ui.showShift()
	v := r.ui.shiftView()
	assert.Contains(t, v.status.Text, "Ask Alex Cashier to sign in")
	assert.True(t, v.signOut.Visible(), "the shift screen offers signing out")
}

// The X report on the shift screen is in the operator's language, its
// amounts as the screens show them.
func TestShiftReportOnScreenInOperatorsLanguage(t *testing.T) {
	r := newRig(t, func(c *Config) { c.Lang = "de" })
	r.signIn("2001", "2468")
	ctx := context.Background()
	_, err := r.reg.Do(ctx, pos.OpenShift{StartAmount: 10000})
	require.NoError(t, err)
	x, err := r.reg.Do(ctx, pos.PrintXReport{})
	require.NoError(t, err)
	r.ui.showShift()
	r.ui.showShiftReport(*x.Report, false)
	text := r.ui.shiftView().report.Text
	assert.Contains(t, text, "X-BERICHT")
	assert.Contains(t, text, "Anfangsbestand")
	assert.Contains(t, text, "100,00\u00a0€")
	assert.NotContains(t, text, "X REPORT")
}
