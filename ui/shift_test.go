package ui

import (
	"context"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/offline/store"
	"github.com/opentill/opentill/pos"
	"github.com/opentill/opentill/pos/shift"
)

func openStore(dir string) (*store.Store, error) { return store.Open(dir) }

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
			require.NotNil(t, r.ui.Tile("tile.shift"))
			test.Tap(r.ui.Tile("tile.shift"))
			require.Equal(t, "shift", r.ui.Screen())
			v := r.ui.shiftView()
			assert.Equal(t, r.ui.L.T("shift.none"), v.status.Text)

			// Open the shift with 100.00.
			test.Tap(v.buttons[pos.OpOpenShift])
			test.Type(v.amount, "100.00")
			r.tap(r.ui.L.T("button.ok"))
			sh, err := r.reg.CurrentShift(context.Background())
			require.NoError(t, err)
			require.NotNil(t, sh)
			assert.Contains(t, v.status.Text, sh.ID[len(sh.ID)-8:])

			// A cash sale of exactly 1.19 through the domain.
			_, err = r.reg.Do(context.Background(), pos.ProductSale{Barcode: "4000000000013"})
			require.NoError(t, err)
			_, err = r.reg.Do(context.Background(), pos.PayCashExact{})
			require.NoError(t, err)

			// Float 20.00 with a reason.
			test.Tap(v.buttons[pos.OpFloatEntry])
			test.Type(v.amount, "20,00")
			test.Type(v.reason, "coins")
			r.tap(r.ui.L.T("button.ok"))

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
	r.ui.Start()
	r.signIn(id, pin)
}

// When the store requires a shift, sign-in leads to the shift screen.
func TestSignInLeadsToShiftWhenRequired(t *testing.T) {
	dir := seeded(t)
	st, err := openStore(dir)
	require.NoError(t, err)
	setup, err := st.LoadSetup(context.Background())
	require.NoError(t, err)
	setup.Shifts.Required = true
	require.NoError(t, st.SaveSetup(context.Background(), setup))
	require.NoError(t, st.Close())
	r := newRigOn(t, dir)
	r.signIn("1001", "1234")
	assert.Equal(t, "shift", r.ui.Screen())
	v := r.ui.shiftView()
	test.Tap(v.buttons[pos.OpOpenShift])
	test.Type(v.amount, "50")
	r.tap(r.ui.L.T("button.ok"))
	r.ui.showHome()
	test.Tap(r.ui.Tile("tile.sell"))
	r.scan("4000000000013")
	assert.Len(t, r.reg.Cart().Lines, 1)
}

// A blind-closed shift is counted and closed later from the resume list.
func TestBlindCloseThenCountAndClose(t *testing.T) {
	r := newRig(t)
	r.signIn("2001", "2468")
	test.Tap(r.ui.Tile("tile.shift"))
	v := r.ui.shiftView()
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
	r.tap(r.ui.L.T("shift.blind_row", map[string]any{"ID": sh.ID[len(sh.ID)-8:], "Name": sh.OpenedBy, "Terminal": sh.Terminal}))
	test.Type(v.counts[1000], "1")
	r.tap(r.ui.L.T("button.ok"))
	require.NotNil(t, v.last)
	assert.Equal(t, shift.Z, v.last.Kind)
	assert.Zero(t, v.last.OverShort)
	got, err := r.st.Shift(context.Background(), sh.ID)
	require.NoError(t, err)
	assert.Equal(t, shift.Closed, got.Status)
}
