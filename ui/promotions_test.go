package ui

import (
	"context"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/offline/demo"
	"github.com/opentill/opentill/offline/store"
	"github.com/opentill/opentill/pos/money"
)

// overlayTabs finds the tabs of the dialog on show.
func (r *rig) overlayTabs() *container.AppTabs {
	var found *container.AppTabs
	walkVisible(r.win.Canvas().Overlays().Top(), func(o fyne.CanvasObject) bool {
		found, _ = o.(*container.AppTabs)
		return found != nil
	})
	return found
}

// TestPromotionsDialog: the Promotions button shows what applies to the
// sale (646) — the chocolate's 20 % on line 1, the beer tiers not reached —
// and every promotion valid now (645) with its coupons; removing the
// automatic discounts (311) needs a manager, and the cashier puts them back
// (312).
func TestPromotionsDialog(t *testing.T) {
	r := newRig(t)
	r.signInSelling("1001", "1234")
	r.ui.showSell()
	r.scan("4000000000112") // milk chocolate 1.29: Chocolate week -20%
	r.scan("4000000000181") // one beer: the 6+ tier is not reached
	with := r.reg.Cart().Totals.Total

	r.tap("Promotions")
	txt := r.overlayText()
	assert.Contains(t, txt, "Chocolate week -20%")
	assert.Contains(t, txt, "Discount · line 1")
	assert.Contains(t, txt, r.ui.money(-26))
	assert.Contains(t, txt, "Beer: 6+ -10%, 12+ -20%")
	assert.Contains(t, txt, "Quantity discount · line 2 · not applied now")
	assert.NotContains(t, txt, "Welcome coupon", "a coupon promotion without its coupon does not apply")

	tabs := r.overlayTabs()
	require.NotNil(t, tabs)
	require.Len(t, tabs.Items, 2)
	tabs.SelectIndex(1)
	txt = r.overlayText()
	assert.Contains(t, txt, "Welcome coupon")
	assert.Contains(t, txt, "coupons WELCOME5, 9900000000052")
	assert.Contains(t, txt, "Snack deal: cola + 2 cookies 5.00")

	r.tap("Remove system discounts")
	require.NotNil(t, r.ui.overrideForm, "taking the promotions off needs a manager")
	test.Type(r.ui.overrideForm.id, "2001")
	test.Type(r.ui.overrideForm.secret, "2468")
	r.tap("Approve")
	c := r.reg.Cart()
	assert.True(t, c.SystemDiscountsOff)
	assert.Equal(t, with+26, c.Totals.Total)

	r.tap("Promotions")
	r.ui.overrideForm = nil
	r.tap("Reapply system discounts")
	assert.Nil(t, r.ui.overrideForm, "putting them back is the cashier's")
	assert.Equal(t, with, r.reg.Cart().Totals.Total)
	assert.Equal(t, money.Amount(26), r.reg.Cart().Line(1).PromoDiscount)
}

// TestPromotionsDialogWithoutASale lists the store's promotions alone.
func TestPromotionsDialogWithoutASale(t *testing.T) {
	r := newRig(t)
	r.signInSelling("1001", "1234")
	r.ui.showSell()
	r.tap("Promotions")
	tabs := r.overlayTabs()
	require.NotNil(t, tabs)
	require.Len(t, tabs.Items, 1)
	assert.Equal(t, "All valid now", tabs.Items[0].Text)
	assert.Contains(t, r.overlayText(), "Chocolate week -20%")
	assert.Nil(t, r.button("Remove system discounts"), "nothing to take off")
}

// TestCardBrandIsAskedWhenABrandEarnsADiscount: in a store with a Visa
// discount the Card button asks which card; Visa is charged the discounted
// amount at once, and "Another card" leaves it to the terminal.
func TestCardBrandIsAskedWhenABrandEarnsADiscount(t *testing.T) {
	dir := seeded(t)
	st, err := store.Open(dir)
	require.NoError(t, err)
	doc := append(demo.Promotions(), []byte("\n[[promotion]]\nid = \"VISA1\"\nname = \"Visa 1.00 off\"\nkind = \"tender\"\ncard_brands = [\"VISA\"]\namount = \"1.00\"\n")...)
	require.NoError(t, st.PutPromotions(context.Background(), doc, 2))
	require.NoError(t, st.Close())

	r := newRigOn(t, dir)
	r.signInSelling("1001", "1234")
	r.ui.showSell()
	r.scan("4000000000082") // a croissant, 0.89, and espresso beans, 14.99
	r.scan("4000000000143")
	due := r.reg.Cart().Totals.Total
	r.ui.sell.openPay()
	r.tap("Card")
	assert.Contains(t, r.overlayText(), "Which card does the customer pay with?")
	require.NotNil(t, r.button("Another card"))
	r.tap("VISA")
	assert.Equal(t, "receipt", r.ui.Screen(), "the Visa card was charged what was due with its discount")
	txt := r.ui.ReceiptText()
	assert.Contains(t, txt, "Visa 1.00 off")
	assert.Contains(t, txt, r.ui.money(due-100))
	assert.Equal(t, 1, strings.Count(txt, "Auth code"), "charged once, at the discounted amount")

	// Another card that turns out to be a Visa: charged again for less,
	// and the cashier is told.
	r.ui.showSell()
	r.scan("4000000000143")
	due = r.reg.Cart().Totals.Total
	r.ui.sell.openPay()
	r.tap("Card")
	r.tap("Another card")
	assert.Equal(t, "receipt", r.ui.Screen())
	assert.Contains(t, r.overlayText(), "The VISA card earns a discount: its first payment was reversed and "+r.ui.money(due-100)+" was charged.")
	assert.Equal(t, 1, strings.Count(r.ui.ReceiptText(), "Auth code"), "the reversed payment is not on the receipt")
}
