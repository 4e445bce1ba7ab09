package ui

import (
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/pos"
	"github.com/opentill/opentill/pos/catalog"
	"github.com/opentill/opentill/pos/money"
)

// A till without a touch screen: a whole sale, from the pay key to the next
// sale, by keys only.
func TestKeyboardOnlySaleThroughChangeDue(t *testing.T) {
	r := newRig(t)
	sellThree(t, r)
	r.key(fyne.KeyF12)
	require.Equal(t, "pay", r.ui.Screen())
	r.win.Canvas().Unfocus()
	r.typeRunes("20")
	assert.Equal(t, "20", r.ui.pay.amount.Text, "digits typed on the payment screen go to the amount")
	r.key(fyne.KeyBackspace)
	r.typeRunes("0.5")
	assert.Equal(t, "20.5", r.ui.pay.amount.Text)
	r.key(fyne.KeyReturn)
	require.Equal(t, "receipt", r.ui.Screen(), "Enter pays the amount in cash")
	require.NotNil(t, r.ui.Dialog(), "change due is shown")
	assert.Contains(t, r.overlayText(), "Give the customer €2.55 in change.")
	r.key(fyne.KeyReturn)
	assert.Nil(t, r.ui.Dialog(), "Enter closes the change-due dialog")
	assert.Equal(t, "receipt", r.ui.Screen())
	r.key(fyne.KeyReturn)
	assert.Equal(t, "sell", r.ui.Screen(), "Enter on the receipt starts the next sale")
	assert.Equal(t, r.ui.sell.scan, r.win.Canvas().Focused())
}

// The manager's override by keys: Enter in the manager's ID moves to the
// PIN, Enter in the PIN approves.
func TestOverrideByKeyboard(t *testing.T) {
	r := newRig(t)
	r.signInSelling("1001", "1234")
	r.ui.showSell()
	v := r.ui.sell
	r.scan("4000000000082")
	test.Tap(v.pad.ModeButton(ModePrice))
	pad(v.pad, "0", ".", "5", "0", "enter")
	f := r.ui.overrideForm
	require.NotNil(t, f)
	require.Equal(t, f.id, r.win.Canvas().Focused(), "the first field has focus")
	r.typeRunes("2001")
	r.key(fyne.KeyReturn)
	require.Equal(t, f.secret, r.win.Canvas().Focused(), "Enter in the manager's ID moves to the PIN")
	r.typeRunes("2468")
	r.key(fyne.KeyReturn)
	require.Len(t, v.Lines(), 1)
	assert.Equal(t, money.Amount(50), v.Lines()[0].UnitPrice, "Enter in the PIN approves")
	assert.Nil(t, r.ui.Dialog())
}

// Escape cancels a dialog, whether a field or nothing has focus, and Enter
// confirms one.
func TestEscapeCancelsEnterConfirms(t *testing.T) {
	r := newRig(t)
	sellThree(t, r)
	v := r.ui.sell

	test.Tap(v.Button("button.return_item"))
	require.NotNil(t, r.ui.promptEntry)
	require.Equal(t, r.ui.promptEntry, r.win.Canvas().Focused())
	r.typeRunes("4000")
	r.key(fyne.KeyEscape)
	assert.Nil(t, r.ui.Dialog(), "Escape in a field cancels its dialog")
	assert.Len(t, v.Lines(), 3)

	test.Tap(v.Button("button.void_transaction"))
	require.NotNil(t, r.ui.Dialog())
	r.key(fyne.KeyEscape)
	assert.Nil(t, r.ui.Dialog(), "Escape answers no")
	require.NotNil(t, r.reg.Cart())
	assert.Len(t, r.reg.Cart().Lines, 3)

	test.Tap(v.Button("button.void_transaction"))
	r.key(fyne.KeyReturn)
	assert.Nil(t, r.reg.Cart(), "Enter answers yes")
}

// Escape on the sell screen never leaves a sale in progress.
func TestEscapeKeepsTheSale(t *testing.T) {
	r := newRig(t)
	sellThree(t, r)
	r.win.Canvas().Unfocus()
	r.key(fyne.KeyEscape)
	assert.Equal(t, "sell", r.ui.Screen())
	r.ui.sell.scan.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	assert.Equal(t, "sell", r.ui.Screen(), "nor from the scan field")
	assert.Len(t, r.reg.Cart().Lines, 3)
}

// A letter in a return quantity marks that field; the sale found and the
// other quantities stay as typed, and the corrected form returns.
func TestWrongReturnQuantityKeepsTheForm(t *testing.T) {
	r := newRig(t)
	sellThree(t, r)
	r.ui.sell.openPay()
	test.Tap(r.ui.pay.exact)
	no := r.ui.lastRcpt.ReceiptNo
	test.Tap(r.ui.receipt.next)

	test.Tap(r.ui.sell.Button("button.return_receipt"))
	rv := r.ui.returnView
	test.Type(rv.receipt, no)
	r.key(fyne.KeyReturn) // Enter in the receipt number finds the sale
	require.Len(t, rv.qty, 3)
	require.Equal(t, rv.qty[1], r.win.Canvas().Focused(), "the first quantity takes focus")
	rv.qty[1].SetText("1")
	r.key(fyne.KeyReturn)
	require.Equal(t, rv.qty[2], r.win.Canvas().Focused(), "Enter moves to the next quantity")
	rv.qty[3].SetText("2x")
	r.tap("Return selected")
	d := r.ui.Dialog()
	require.NotNil(t, d, "the form stays open")
	assert.Equal(t, no, rv.receipt.Text)
	assert.Equal(t, "1", rv.qty[1].Text)
	assert.Equal(t, "2x", rv.qty[3].Text)
	assert.Error(t, rv.qty[3].Validate(), "the wrong field is marked")
	assert.Equal(t, rv.qty[3], r.win.Canvas().Focused(), "and has focus")
	assert.Empty(t, r.ui.sell.Lines(), "nothing was returned")

	rv.qty[3].SetText("2")
	r.tap("Return selected")
	require.Len(t, r.ui.sell.Lines(), 2)
	assert.Equal(t, -1*catalog.One, r.ui.sell.Lines()[0].Qty)
	assert.Equal(t, -2*catalog.One, r.ui.sell.Lines()[1].Qty)
}

// A line shows its promotions by name and amount under it; a voided line
// stays on screen, struck through, and no longer counts.
func TestLinesShowPromotionsAndVoidedLines(t *testing.T) {
	r := newRig(t)
	r.signInSelling("1001", "1234")
	r.ui.showSell()
	v := r.ui.sell
	pad(v.pad, "6")
	r.scan("4000000000181") // six beers: 6+ −10 %
	require.Len(t, v.Lines(), 1)
	require.NotEmpty(t, v.Lines()[0].Promotions, "the demo's beer quantity discount applies")
	r.scan("4000000000082")
	row := r.ui.lineRow()
	r.ui.renderLine(row, v.Shown()[0])
	texts := row.Objects[0].(*fyne.Container).Objects[0].(*fyne.Container).Objects
	promo := texts[1].(*widget.Label)
	assert.True(t, promo.Visible())
	assert.Contains(t, promo.Text, "Beer: 6+ -10%, 12+ -20%")
	assert.Contains(t, promo.Text, r.ui.money(-v.Lines()[0].Promotions[0].Amount), "with the amount it takes off")

	test.Tap(v.Button("button.void_line")) // the croissant
	r.tap("Yes")
	assert.Len(t, v.Lines(), 1)
	require.Len(t, v.Shown(), 2, "the voided line stays on screen")
	assert.True(t, v.Shown()[1].Voided)
	r.ui.renderLine(row, v.Shown()[1])
	name := texts[0].(*widget.Label)
	strike := row.Objects[0].(*fyne.Container).Objects[1].(*fyne.Container).Objects[0]
	assert.True(t, strike.Visible(), "struck through")
	assert.Contains(t, name.Text, "VOID")
	assert.Equal(t, "1 item", v.count.Text)
}

// A keyboard-wedge scan that arrives while a dialog is open is neither lost
// nor taken as the Enter that confirms the dialog: it is announced and sold
// once the dialog closes.
func TestScanDuringDialogIsQueued(t *testing.T) {
	r := newRig(t)
	sellThree(t, r)
	v := r.ui.sell
	test.Tap(v.Button("button.void_transaction")) // "Void the transaction?"
	require.NotNil(t, r.ui.Dialog())
	r.typeRunes("4000000000082")
	r.key(fyne.KeyReturn)
	require.NotNil(t, r.ui.Dialog(), "the scanner's Enter does not answer the dialog")
	require.NotNil(t, r.reg.Cart(), "nor void the sale")
	assert.True(t, v.queued.Visible())
	assert.Contains(t, v.queued.Text, "4000000000082")
	r.key(fyne.KeyEscape) // the cashier's answer: no
	assert.Nil(t, r.ui.Dialog())
	require.Len(t, v.Lines(), 4, "the scan is sold when the dialog closes")
	assert.Equal(t, "Butter Croissant", v.Lines()[3].Name)
	assert.False(t, v.queued.Visible())

	test.Tap(v.Button("button.void_transaction"))
	r.key(fyne.KeyReturn) // a cashier's Enter still confirms
	assert.Nil(t, r.reg.Cart())
}

// The journal screen: past transactions searched by receipt number, day,
// amount or operator; one chosen shows its lines and is reprinted or
// returned from.
func TestJournalScreen(t *testing.T) {
	r := newRig(t, func(c *Config) { c.Now = func() time.Time { return time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC) } })
	r.signInSelling("2001", "2468")
	r.ui.showSell()
	r.scan("4000000000082")
	r.ui.sell.openPay()
	test.Tap(r.ui.pay.exact)
	first := r.ui.lastRcpt.ReceiptNo
	test.Tap(r.ui.receipt.next)
	r.scan("4000000000150")
	r.scan("4000000000150")
	r.ui.sell.openPay()
	test.Tap(r.ui.pay.exact)
	second := r.ui.lastRcpt.ReceiptNo
	r.ui.showHome()

	require.NotNil(t, r.ui.Tile("tile.journal"))
	test.Tap(r.ui.Tile("tile.journal"))
	v := r.ui.Journal()
	require.NotNil(t, v)
	require.Len(t, v.rows, 2, "every past sale")
	assert.Equal(t, second, v.rows[0].ReceiptNo, "newest first")
	assert.Equal(t, "2 transactions", v.found.Text)

	test.Type(v.amount, "1.38")
	r.key(fyne.KeyReturn)
	require.Len(t, v.rows, 1, "by amount")
	assert.Equal(t, second, v.rows[0].ReceiptNo)
	v.amount.SetText("")
	test.Type(v.day, "27.11.x")
	test.Tap(v.search)
	assert.Error(t, v.day.Validate(), "a wrong day is marked")
	assert.Equal(t, "Correct the marked field to search.", v.found.Text)
	assert.Equal(t, second, v.rows[0].ReceiptNo, "and the last results stay")
	v.day.SetText("2026-11-27")
	v.receipt.SetText(first[len(first)-6:])
	test.Tap(v.search)
	require.Len(t, v.rows, 1, "by receipt number and day")
	assert.Equal(t, first, v.rows[0].ReceiptNo)

	v.list.Select(0)
	require.Len(t, v.lines, 1)
	assert.Equal(t, "Butter Croissant", v.lines[0].Name)
	assert.Contains(t, v.detail.Text, "Morgan Manager", "the operator by name")
	require.False(t, v.ret.Disabled())
	test.Tap(v.reprint)
	assert.Equal(t, "receipt", r.ui.Screen(), "any past receipt reprints")
	assert.Contains(t, r.ui.ReceiptText(), first)

	test.Tap(r.ui.Tile("tile.journal"))
	v = r.ui.Journal()
	v.receipt.SetText(first)
	test.Tap(v.search)
	v.list.Select(0)
	test.Tap(v.ret)
	require.Equal(t, "sell", r.ui.Screen())
	rv := r.ui.returnView
	require.NotNil(t, rv)
	assert.Equal(t, first, rv.receipt.Text, "the return starts from the chosen sale")
	assert.Len(t, rv.qty, 1)
}

// The high-contrast look: black on white, strong borders, chosen in the
// settings by position (never by comparing translations).
func TestHighContrastLook(t *testing.T) {
	r := newRig(t, german, func(c *Config) { c.Contrast = true })
	th := r.ui.app.Settings().Theme().(*tillTheme)
	require.True(t, th.contrast)
	assert.Equal(t, black, th.Color(theme.ColorNameForeground, theme.VariantLight))
	assert.Equal(t, white, th.Color(theme.ColorNameBackground, theme.VariantLight))
	assert.Equal(t, float32(2), th.Size(theme.SizeNameInputBorder))
	r.ui.SetLook(Light)
	assert.False(t, r.ui.app.Settings().Theme().(*tillTheme).contrast)
}

// Function buttons carry their group's colour and an icon.
func TestFunctionButtonsGroupedWithIcons(t *testing.T) {
	r := newRig(t)
	r.signInSelling("1001", "1234")
	r.ui.showSell()
	pay := r.ui.sell.Button("button.pay")
	require.NotNil(t, pay)
	assert.NotNil(t, pay.Icon, "a payment button has an icon")
	th := r.ui.app.Settings().Theme()
	assert.NotEqual(t, th.Color(groupColor(pos.GroupPayment), theme.VariantLight), th.Color(groupColor(pos.GroupSale), theme.VariantLight),
		"payment and line functions differ in colour")
	assert.Equal(t, colorGroupPayment, groupColor(pos.GroupPayment))
	assert.Equal(t, colorGroupManager, groupColor(pos.GroupManager))
}
