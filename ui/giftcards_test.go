package ui

import (
	"context"
	"testing"

	"fyne.io/fyne/v2/test"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/pos"
	"github.com/opentill/opentill/pos/catalog"
	"github.com/opentill/opentill/pos/money"
)

// A manager sells a gift card from its button (a wrong number is marked and
// what was typed stays), the customer later pays with it offline, and a
// return is refunded onto a credit memo printed with its number.
func TestGiftCardAndMemoOnScreen(t *testing.T) {
	r := newRig(t)
	r.signInSelling("2001", "2468")
	r.ui.showSell()
	require.NotNil(t, r.ui.sell.Button("button.gift_card"), "the sell screen has the button")
	test.Tap(r.ui.sell.Button("button.gift_card"))
	f := r.ui.valueF
	require.NotNil(t, f)
	test.Type(f.number, "12")
	test.Type(f.amount, "25")
	f.dialog.Submit()
	assert.Error(t, f.number.Validate(), "the number is marked")
	assert.Equal(t, "25", f.amount.Text, "the amount stays as typed")
	f.number.SetText("")
	test.Type(f.number, "GC-1234-5678")
	f.dialog.Submit()
	c := r.reg.Cart()
	require.NotNil(t, c, "the card is on the sale")
	lines := c.Active()
	require.Len(t, lines, 1)
	require.NotNil(t, lines[0].Value)
	assert.Equal(t, money.Amount(2500), lines[0].Net)
	assert.Equal(t, "Gift card ****5678", r.ui.valueLineName(*lines[0]), "as the line shows it")
	test.Tap(r.ui.sell.Button("button.pay_exact"))
	require.Nil(t, r.reg.Cart(), "sold")
	assert.Contains(t, r.ui.ReceiptText(), "Gift card ****5678")

	// Offline, the card this till sold pays for a croissant.
	r.ui.showSell()
	r.scan(stockCode)
	test.Tap(r.ui.sell.Button("button.pay"))
	p := r.ui.pay
	require.True(t, p.value.Visible())
	test.Tap(p.value)
	f = r.ui.valueF
	test.Type(f.number, "gc-1234-5678")
	f.dialog.Submit()
	require.Nil(t, r.reg.Cart(), "paid by the card")
	assert.Contains(t, r.ui.ReceiptText(), "****5678")
	assert.Contains(t, r.ui.ReceiptText(), "Balance")

	// A return refunded onto a credit memo.
	r.ui.showSell()
	_, err := r.reg.Do(context.Background(), pos.ReturnProduct{Barcode: stockCode, Qty: catalog.One})
	require.NoError(t, err)
	test.Tap(r.ui.sell.Button("button.pay"))
	test.Tap(r.ui.pay.value)
	r.tap("Yes")
	require.Nil(t, r.reg.Cart(), "refunded onto the memo")
	txt := r.ui.ReceiptText()
	assert.Contains(t, txt, "Credit memo")
	assert.Contains(t, txt, "CM-", "the memo's number")
}

// A customer pays in dollars from the payment screen's other tenders: the
// form says what is due in dollars, and the change is in euros.
func TestPayInDollarsOnScreen(t *testing.T) {
	r := newRig(t)
	r.signInSelling("1001", "1234")
	r.ui.showSell()
	r.scan(stockCode)
	test.Tap(r.ui.sell.Button("button.pay"))
	p := r.ui.pay
	pad(p.pad, "2", "0")
	test.Tap(p.value)
	f := r.ui.valueF
	require.NotNil(t, f)
	f.what.SetSelected("US dollars (USD)")
	assert.Contains(t, r.overlayText(), "1 USD = 0.923400")
	assert.True(t, f.number.Disabled(), "no number to type for cash")
	f.dialog.Submit()
	require.Nil(t, r.reg.Cart(), "paid in dollars")
	assert.Contains(t, r.ui.ReceiptText(), "$20.00 × 0.923400")
	assert.Contains(t, r.overlayText(), "in change", "the change, in euros")
}
