package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/peripherals/paysim"
	"github.com/opentill/opentill/pos"
	"github.com/opentill/opentill/pos/catalog"
	"github.com/opentill/opentill/pos/money"
)

// The demo store sells only in an open shift: a cashier who signs in with
// none open lands on the shift screen, told so, with an Open shift action;
// once it is open they go on to the home screen.
func TestSignIn(t *testing.T) {
	r := newRig(t)
	assert.Equal(t, "signin", r.ui.Screen())
	r.signIn("1001", "1234")
	op, _, ok := r.reg.Operator()
	require.True(t, ok)
	assert.Equal(t, "1001", op.ID)
	require.Equal(t, "shift", r.ui.Screen())
	v := r.ui.shiftView()
	assert.Equal(t, "No shift is open on this register. Open a new shift or resume a suspended one.", v.status.Text)
	require.NotNil(t, r.button("Open shift"))
	r.openShift()
	assert.Equal(t, "home", r.ui.Screen())
	r.ui.showSell()
	r.scan("4000000000082")
	assert.Len(t, r.ui.sell.Lines(), 1, "sells in the opened shift")
}

func TestSignInWithNumberPad(t *testing.T) {
	r := newRig(t)
	v := r.ui.signin
	pad(v.pad, "1", "0", "0", "1", "enter", "1", "2", "3", "4", "enter")
	assert.Equal(t, "shift", r.ui.Screen(), "signed in, on to open the shift")
}

func TestSignInLockout(t *testing.T) {
	r := newRig(t)
	r.signIn("1002", "0000")
	assert.Equal(t, "signin", r.ui.Screen())
	assert.Equal(t, "Wrong operator ID or PIN. 4 attempts left before the operator is locked.", r.ui.signin.status.Text)
	for i := 0; i < 3; i++ {
		r.signIn("1002", "0000")
	}
	assert.Contains(t, r.ui.signin.status.Text, "1 attempt left")
	r.signIn("1002", "0000")
	assert.Equal(t, "Too many failed sign-ins: this operator is now locked. A manager must unlock them.", r.ui.signin.status.Text)
	r.signIn("1002", "1234")
	assert.Equal(t, "This operator is locked after too many failed sign-ins. A manager must unlock them.", r.ui.signin.status.Text)
}

func TestDemoCredentialsOnlyInDemoMode(t *testing.T) {
	r := newRig(t)
	assert.NotNil(t, r.button("1001 / 1234 — Alex Cashier (Cashier)"))
	r2 := newRig(t, func(c *Config) { c.Demo = nil })
	assert.Nil(t, r2.button("1001 / 1234 — Alex Cashier (Cashier)"))
}

func TestHomeTilesByRole(t *testing.T) {
	cases := map[string]struct {
		id, pin       string
		shown, hidden []string
	}{
		"cashier":   {"1001", "1234", []string{"tile.sell", "tile.return", "tile.recall", "tile.lock"}, []string{"tile.unlock", "tile.settings", "tile.reprint"}},
		"manager":   {"2001", "2468", []string{"tile.sell", "tile.return", "tile.unlock", "tile.settings", "tile.reprint"}, nil},
		"associate": {"3001", "1357", []string{"tile.products", "tile.price_check", "tile.signout"}, []string{"tile.sell", "tile.return", "tile.recall"}},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			r := newRig(t)
			r.signIn(c.id, c.pin)
			if c.id != "3001" { // associates do not work in a shift
				r.openShift()
			}
			require.Equal(t, "home", r.ui.Screen())
			for _, k := range c.shown {
				assert.NotNil(t, r.ui.Tile(k), k)
			}
			for _, k := range c.hidden {
				assert.Nil(t, r.ui.Tile(k), k)
			}
		})
	}
}

// sellThree sells one item found by search, one by barcode and three of one
// by quantity on the number pad.
func sellThree(t *testing.T, r *rig) {
	r.signInSelling("1001", "1234")
	test.Tap(r.ui.Tile("tile.sell"))
	require.Equal(t, "sell", r.ui.Screen())
	v := r.ui.sell
	assert.Equal(t, v.scan, r.win.Canvas().Focused(), "the scan field has focus")

	test.Type(v.search, "espresso")
	require.NotEmpty(t, v.products)
	assert.Equal(t, "Espresso Beans 1 kg", v.products[0].Name)
	v.results.Select(0)
	r.tap("Add")
	require.Len(t, v.Lines(), 1)

	r.scan("4000000000082") // Butter Croissant
	require.Len(t, v.Lines(), 2)

	pad(v.pad, "3")
	r.scan("4000000000150") // Sparkling water
	require.Len(t, v.Lines(), 3)
	l := v.Lines()[2]
	assert.Equal(t, "Sparkling Mineral Water 1.5 L", l.Name)
	assert.Equal(t, 3*catalog.One, l.Qty)
	assert.Equal(t, "", v.pad.Value)
	// 14.99 + 0.89 + 3 × 0.69
	assert.Equal(t, money.Amount(1795), r.reg.Cart().Totals.Total)
	assert.Equal(t, "€17.95", v.totals.total.Text)
	assert.Equal(t, "3 items", v.count.Text)
	assert.Equal(t, v.scan, r.win.Canvas().Focused(), "the scan field keeps focus")
}

func TestSellThreeItems(t *testing.T) { sellThree(t, newRig(t)) }

func TestSplitCashAndCardWithChange(t *testing.T) {
	r := newRig(t)
	sellThree(t, r)
	test.Tap(r.ui.sell.Button("button.pay"))
	require.Equal(t, "pay", r.ui.Screen())
	p := r.ui.pay
	pad(p.pad, "1", "0")
	test.Tap(p.card)
	assert.Equal(t, money.Amount(795), r.reg.Cart().Totals.Remaining)
	assert.Equal(t, "€7.95", p.totals.due.Text)
	// smart denominations: the next notes above 7.95
	require.Len(t, p.denomBtns, 4)
	assert.Equal(t, []string{"€10.00", "€20.00", "€50.00", "€100.00"}, []string{p.denomBtns[0].Text, p.denomBtns[1].Text, p.denomBtns[2].Text, p.denomBtns[3].Text})
	test.Tap(p.denomBtns[1])
	assert.Equal(t, "receipt", r.ui.Screen())
	assert.Contains(t, r.overlayText(), "Give the customer €12.05 in change.")
	assert.Contains(t, r.ui.ReceiptText(), "Espresso Beans 1 kg")
	assert.Contains(t, r.ui.ReceiptText(), "VISA")
	assert.Nil(t, r.reg.Cart())
}

func TestCardDeclineAndTimeout(t *testing.T) {
	r := newRig(t)
	sellThree(t, r)
	r.ui.sell.openPay()
	r.term.Queue(paysim.Decline, paysim.Timeout)
	test.Tap(r.ui.pay.card)
	assert.Contains(t, r.overlayText(), "The card was declined. Ask for another payment method.")
	assert.Contains(t, r.overlayText(), "Device problem", "the dialog is titled by the error's kind")
	r.ui.CloseDialog()
	test.Tap(r.ui.pay.card)
	assert.Contains(t, r.overlayText(), "The payment terminal did not answer. Check it and try again.")
	r.ui.CloseDialog()
	test.Tap(r.ui.pay.card)
	assert.Equal(t, "receipt", r.ui.Screen())
}

func TestReturnByReceipt(t *testing.T) {
	r := newRig(t)
	sellThree(t, r)
	r.ui.sell.openPay()
	test.Tap(r.ui.pay.exact)
	require.Equal(t, "receipt", r.ui.Screen())
	no := r.ui.lastRcpt.ReceiptNo
	require.NotEmpty(t, no)
	test.Tap(r.ui.receipt.next)

	test.Tap(r.ui.sell.Button("button.return_receipt"))
	rv := r.ui.returnView
	test.Type(rv.receipt, no)
	test.Tap(rv.find)
	require.Len(t, rv.qty, 3)
	rv.qty[3].SetText("2") // two of the three waters
	r.tap("Return selected")
	lines := r.ui.sell.Lines()
	require.Len(t, lines, 1)
	assert.Equal(t, -2*catalog.One, lines[0].Qty)
	assert.Equal(t, money.Amount(-138), r.reg.Cart().Totals.Remaining)
	assert.Equal(t, "Refund due", r.ui.sell.totals.dueLabel.Text)
	r.ui.sell.openPay()
	test.Tap(r.ui.pay.exact)
	assert.Equal(t, "receipt", r.ui.Screen())
	assert.Contains(t, r.ui.ReceiptText(), "RETURN")
}

func TestPriceOverrideThroughManager(t *testing.T) {
	r := newRig(t)
	r.signInSelling("1001", "1234")
	r.ui.showSell()
	v := r.ui.sell
	r.scan("4000000000082")
	test.Tap(v.pad.ModeButton(ModePrice))
	pad(v.pad, "0", ".", "5", "0", "enter")
	require.NotNil(t, r.ui.overrideForm, "a refused price override offers the manager override")
	assert.Contains(t, r.overlayText(), "“Price override” needs a manager's approval.")
	test.Type(r.ui.overrideForm.id, "2001")
	test.Type(r.ui.overrideForm.secret, "2468")
	r.tap("Approve")
	require.Len(t, v.Lines(), 1)
	assert.Equal(t, money.Amount(50), v.Lines()[0].UnitPrice)
	assert.True(t, v.Lines()[0].Overridden)
	assert.Equal(t, "sell", r.ui.Screen())
}

func TestOverrideWithWrongPINShowsError(t *testing.T) {
	r := newRig(t)
	r.signInSelling("1001", "1234")
	r.ui.showSell()
	r.scan("4000000000082")
	test.Tap(r.ui.sell.Button("button.return_item"))
	// return without receipt is a manager operation for cashiers
	test.Type(r.ui.promptEntry, "4000000000082")
	r.tap("OK")
	require.NotNil(t, r.ui.overrideForm)
	test.Type(r.ui.overrideForm.id, "2001")
	test.Type(r.ui.overrideForm.secret, "9999")
	r.tap("Approve")
	assert.Contains(t, r.overlayText(), "wrong")
	assert.NotContains(t, r.overlayText(), "attempts left", "a wrong override PIN does not count against the manager's sign-in")
	assert.Len(t, r.ui.sell.Lines(), 1)
}

func TestLockAndUnlock(t *testing.T) {
	r := newRig(t)
	r.signInSelling("1001", "1234")
	r.ui.showSell()
	r.scan("4000000000082")
	test.Tap(r.ui.sell.Button("button.lock"))
	assert.Equal(t, "signin", r.ui.Screen())
	assert.True(t, r.reg.Locked())
	assert.Equal(t, "The register is locked by Alex Cashier. Sign in again to unlock it.", r.ui.signin.status.Text)
	assert.Equal(t, "1001", r.ui.signin.id.Text)
	r.signIn("2001", "2468")
	assert.Equal(t, "signin", r.ui.Screen(), "only the operator who locked can unlock")
	r.signIn("1001", "1234")
	assert.Equal(t, "sell", r.ui.Screen(), "unlocking returns to the open sale")
	assert.Len(t, r.ui.sell.Lines(), 1)
}

func TestIdleAutoLock(t *testing.T) {
	r := newRig(t)
	r.signIn("1001", "1234")
	r.ui.idleLock() // what the idle timer calls
	assert.True(t, r.reg.Locked())
	assert.Equal(t, "signin", r.ui.Screen())
}

func TestVoidLineAndTransactionWithConfirmation(t *testing.T) {
	r := newRig(t)
	sellThree(t, r)
	v := r.ui.sell
	test.Tap(v.Button("button.void_line"))
	assert.Contains(t, r.overlayText(), "Void line 3: Sparkling Mineral Water 1.5 L?")
	r.tap("No")
	assert.Len(t, v.Lines(), 3)
	test.Tap(v.Button("button.void_line"))
	r.tap("Yes")
	assert.Len(t, v.Lines(), 2)
	test.Tap(v.Button("button.void_transaction"))
	r.tap("Yes")
	assert.Nil(t, r.reg.Cart())
	assert.Empty(t, v.Lines())
	assert.Equal(t, "No items yet. Scan an item to start a sale.", v.count.Text)
}

func TestSuspendAndRecall(t *testing.T) {
	r := newRig(t)
	sellThree(t, r)
	v := r.ui.sell
	test.Tap(v.Button("button.suspend"))
	assert.Nil(t, r.reg.Cart())
	r.ui.CloseDialog()
	test.Tap(v.Button("button.recall"))
	require.Len(t, r.ui.recallButtons, 1)
	assert.Contains(t, r.overlayText(), "3 lines")
	test.Tap(r.ui.recallButtons[0])
	assert.Len(t, v.Lines(), 3)
}

func TestErrorsAreTranslatedNeverRaw(t *testing.T) {
	r := newRig(t, german)
	r.signInSelling("1001", "1234")
	r.ui.showSell()
	r.scan("999999")
	txt := r.overlayText()
	assert.Contains(t, txt, "Kein Artikel hat diesen Barcode oder diese Artikelnummer.")
	assert.NotContains(t, txt, "no product has")
	r.ui.CloseDialog()
	r.scan("4000000000083") // bad check digit
	assert.Contains(t, r.overlayText(), "Prüfziffer")
}

func TestKeyboardShortcuts(t *testing.T) {
	r := newRig(t)
	sellThree(t, r)
	v := r.ui.sell
	v.scan.TypedKey(&fyne.KeyEvent{Name: fyne.KeyF12})
	assert.Equal(t, "pay", r.ui.Screen())
	r.win.Canvas().OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyEscape})
	assert.Equal(t, "sell", r.ui.Screen())
	v = r.ui.sell
	v.scan.TypedKey(&fyne.KeyEvent{Name: fyne.KeyF8})
	assert.Nil(t, r.reg.Cart(), "F8 suspends")
	r.ui.CloseDialog()
	test.Type(v.search, "cola")
	v.search.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	assert.Equal(t, "", v.search.Text, "Esc in the search field clears it")
	assert.Equal(t, v.scan, r.win.Canvas().Focused(), "and goes back to the scan field")
	test.Type(v.scan, "2*")
	assert.Equal(t, "2", v.pad.Value, "digits then * set the next quantity")
	r.scan("4000000000082")
	assert.Equal(t, 2*catalog.One, v.Lines()[0].Qty)
}

func TestOperatorLanguage(t *testing.T) {
	r := newRig(t, func(c *Config) { c.Lang = "" })
	r.signInSelling("1002", "1234") // Jana works in German
	assert.Equal(t, "de", r.ui.L.Lang)
	assert.NotNil(t, r.ui.Tile("tile.sell"))
	assert.Equal(t, "Verkaufen", r.ui.Tile("tile.sell").Text)
}

func TestEveryLanguageRendersEveryScreen(t *testing.T) {
	for _, lang := range []string{"en", "de", "fr", "es"} {
		t.Run(lang, func(t *testing.T) {
			r := newRig(t, func(c *Config) { c.Lang = lang })
			r.signInSelling("1001", "1234")
			sell := r.ui.Tile("tile.sell")
			require.NotNil(t, sell)
			test.Tap(sell)
			r.scan("4000000000082")
			r.ui.sell.openPay()
			test.Tap(r.ui.pay.exact)
			assert.Equal(t, "receipt", r.ui.Screen())
			for _, s := range []string{r.ui.receipt.next.Text, r.ui.receipt.reprint.Text} {
				assert.False(t, strings.HasPrefix(s, "button."), "untranslated %s", s)
			}
		})
	}
}

func TestDenominations(t *testing.T) {
	assert.Equal(t, []money.Amount{2500, 3000, 4000, 5000}, Denominations(2345, 2))
	assert.Equal(t, []money.Amount{1000, 2000, 5000, 10000}, Denominations(500, 2))
	assert.Equal(t, []money.Amount{1000, 2000, 5000, 10000}, Denominations(795, 2))
}

func TestButtonGridLoads(t *testing.T) {
	g, err := LoadButtonGrid("sell", pos.NewRegistry())
	require.NoError(t, err)
	assert.Equal(t, 4, g.Columns)
	assert.GreaterOrEqual(t, len(g.Buttons), 16)
}

func TestTabletLayoutSellsAndPays(t *testing.T) {
	r := newRig(t, tablet)
	sellThree(t, r)
	test.Tap(r.ui.sell.Button("button.pay"))
	require.Equal(t, "pay", r.ui.Screen())
	r.ui.pay.SetAmount("20")
	test.Tap(r.ui.pay.cash)
	assert.Equal(t, "receipt", r.ui.Screen())
	assert.Contains(t, r.overlayText(), "€2.05")
}

func TestReprintNeedsPermission(t *testing.T) {
	r := newRig(t)
	sellThree(t, r)
	r.ui.sell.openPay()
	test.Tap(r.ui.pay.exact)
	require.Equal(t, "receipt", r.ui.Screen())
	test.Tap(r.ui.receipt.reprint)
	require.NotNil(t, r.ui.overrideForm, "cashiers need a manager to reprint")
	test.Type(r.ui.overrideForm.id, "2001")
	test.Type(r.ui.overrideForm.secret, "2468")
	r.tap("Approve")
	assert.Equal(t, "receipt", r.ui.Screen())
	assert.Contains(t, r.ui.ReceiptText(), "COPY")
}

func TestDarkTheme(t *testing.T) {
	r := newRig(t, func(c *Config) { c.Dark = true })
	th := r.ui.app.Settings().Theme().(*tillTheme)
	assert.Equal(t, theme.VariantDark, th.variant)
	r.ui.SetDark(false)
	assert.Equal(t, theme.VariantLight, r.ui.app.Settings().Theme().(*tillTheme).variant)
}

func TestSignOutNeedsEmptyCart(t *testing.T) {
	r := newRig(t)
	sellThree(t, r)
	r.ui.showHome()
	test.Tap(r.ui.Tile("tile.signout"))
	assert.Contains(t, r.overlayText(), "Finish, void or suspend the transaction before signing out.")
	r.ui.CloseDialog()
	r.ui.showSell()
	r.ui.sell.voidTransaction()
	r.tap("Yes")
	r.ui.showHome()
	test.Tap(r.ui.Tile("tile.signout"))
	assert.Equal(t, "signin", r.ui.Screen())
	_, _, ok := r.reg.Operator()
	assert.False(t, ok)
}

func TestReturnWithoutReceiptThroughManager(t *testing.T) {
	r := newRig(t)
	r.signInSelling("1001", "1234")
	r.ui.showSell()
	r.scan("4000000000082")
	test.Type(r.ui.sell.scan, "4000000000020") // butter, typed then Return item
	test.Tap(r.ui.sell.Button("button.return_item"))
	require.NotNil(t, r.ui.overrideForm)
	test.Type(r.ui.overrideForm.id, "2001")
	test.Type(r.ui.overrideForm.secret, "2468")
	r.tap("Approve")
	lines := r.ui.sell.Lines()
	require.Len(t, lines, 2)
	assert.Equal(t, -catalog.One, lines[1].Qty)
	assert.Equal(t, "Return: Butter 250 g", func() string {
		return r.ui.L.T("sell.return_tag") + ": " + lines[1].Name
	}())
}

func TestVoidPayment(t *testing.T) {
	r := newRig(t)
	sellThree(t, r)
	r.ui.sell.openPay()
	r.ui.pay.SetAmount("5")
	test.Tap(r.ui.pay.card)
	require.True(t, r.reg.Cart().HasPayments())
	r.tap("Void")
	assert.Contains(t, r.overlayText(), "Void the payment of €5.00?")
	r.tap("Yes")
	assert.False(t, r.reg.Cart().HasPayments())
	assert.Equal(t, money.Amount(1795), r.reg.Cart().Totals.Remaining)
}

func TestManagerUnlocksOperator(t *testing.T) {
	r := newRig(t)
	for i := 0; i < 5; i++ {
		r.signIn("1002", "0000")
	}
	assert.Contains(t, r.ui.signin.status.Text, "locked")
	r.signIn("2001", "2468")
	require.Equal(t, "shift", r.ui.Screen())
	r.tap(r.ui.L.T("button.home")) // unlocking an operator needs no shift
	require.NotNil(t, r.ui.Tile("tile.unlock"))
	test.Tap(r.ui.Tile("tile.unlock"))
	test.Type(r.ui.promptEntry, "1002")
	r.tap("OK")
	assert.Contains(t, r.overlayText(), "Operator 1002 can sign in again.")
	r.ui.CloseDialog()
	test.Tap(r.ui.Tile("tile.signout"))
	r.signIn("1002", "1234")
	assert.Equal(t, "shift", r.ui.Screen(), "signed in, on to open the shift")
}

func TestStoreLocale(t *testing.T) {
	r := newRig(t, func(c *Config) { c.Locale = "de" })
	r.signInSelling("1001", "1234")
	r.ui.showSell()
	r.scan("4000000000143")
	assert.Equal(t, "14,99\u00a0€", r.ui.sell.totals.total.Text, "amounts in the store's locale")
	assert.Equal(t, "Total", r.ui.L.T("totals.total"), "messages in the operator's language")
}

func TestKeyedInPriceAndWeight(t *testing.T) {
	r := newRig(t)
	r.signInSelling("1001", "1234")
	r.ui.showSell()
	v := r.ui.sell
	r.scan("4000000000280") // gift wrapping: the price must be keyed in
	assert.Contains(t, r.overlayText(), "Price of Gift Wrapping Service", "the till asks for the price")
	require.NotNil(t, r.ui.promptEntry)
	test.Type(r.ui.promptEntry, "3.75")
	r.key(fyne.KeyReturn) // Enter in the field answers the prompt
	require.Len(t, v.Lines(), 1)
	assert.Equal(t, money.Amount(375), v.Lines()[0].UnitPrice)
	test.Tap(v.pad.ModeButton(ModePrice))
	pad(v.pad, "2", ".", "5", "0")
	r.scan("4000000000280")
	require.Len(t, v.Lines(), 2, "a price keyed on the pad first is used at once")
	assert.Equal(t, money.Amount(250), v.Lines()[1].UnitPrice)

	test.Tap(v.pad.ModeButton(ModeQty))
	pad(v.pad, "0", ".", "7", "5")
	r.scan("2100042000001") // bananas by weight, weight keyed in
	require.Len(t, v.Lines(), 3)
	assert.Equal(t, catalog.Qty(750), v.Lines()[2].Qty)
	assert.Equal(t, "0.750", r.ui.L.Qty(v.Lines()[2].Qty, v.Lines()[2].UnitDecimals))
}

// A till without a scale asks for the weight of a weighed item scanned
// without a quantity, as a station without a scale does.
func TestWeighedItemWithoutScaleAsksForTheWeight(t *testing.T) {
	r := newRig(t)
	r.signInSelling("1001", "1234")
	r.ui.showSell()
	r.scan("2100042000001")
	require.NotNil(t, r.ui.promptEntry, "the keyed-weight entry is offered")
	assert.Contains(t, r.overlayText(), "Enter the weight")
	test.Type(r.ui.promptEntry, "0.5")
	r.key(fyne.KeyReturn) // Enter in the field answers the prompt
	require.Len(t, r.ui.sell.Lines(), 1)
	assert.Equal(t, catalog.Qty(500), r.ui.sell.Lines()[0].Qty)
}
