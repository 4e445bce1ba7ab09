package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/opentill/opentill/pos"
	"github.com/opentill/opentill/pos/cart"
	"github.com/opentill/opentill/pos/money"
	"github.com/opentill/opentill/pos/storedvalue"
	"github.com/opentill/opentill/ui/l10n"
)

// payView is the payment screen: the amount due, an amount entry on the
// number pad, tender buttons, pay exact, smart denominations and the
// payments taken so far (split tender), each of which can be voided.
type payView struct {
	u         *UI
	lines     []cart.Line
	list      *widget.List
	totals    *totalsPanel
	pad       *Numpad
	amount    *widget.Label
	denoms    *fyne.Container
	tenders   *fyne.Container
	cash      *widget.Button
	card      *widget.Button
	exact     *widget.Button
	points    *widget.Button
	value     *widget.Button // gift card or credit memo
	denomBtns []*widget.Button
}

func (u *UI) paymentScreen() fyne.CanvasObject {
	v := &payView{u: u}
	u.pay = v
	v.list = u.linesList(&v.lines, nil)
	v.totals = u.newTotals()
	v.pad = NewNumpad(u.L.T("numpad.enter"), nil)
	v.pad.SetDecimalSeparator(u.L.DecimalSeparator())
	v.amount = widget.NewLabelWithStyle("", fyne.TextAlignTrailing, fyne.TextStyle{Bold: true})
	v.amount.SizeName = theme.SizeNameSubHeadingText
	v.pad.OnKey = func(k string) {
		switch k {
		case "C":
			v.pad.Value = ""
		case KeyBack:
			if v.pad.Value != "" {
				v.pad.Value = v.pad.Value[:len(v.pad.Value)-1]
			}
		case ".":
			if !strings.ContainsAny(v.pad.Value, ".,") {
				v.pad.Value += u.L.DecimalSeparator()
			}
		default:
			if len(v.pad.Value) < 10 {
				v.pad.Value += k
			}
		}
		v.amount.SetText(v.pad.Value)
	}
	v.pad.OnEnter = func(string, PadMode) { v.payCash() }
	v.cash = widget.NewButtonWithIcon(u.L.T("pay.cash"), theme.ConfirmIcon(), v.payCash)
	v.cash.Importance = widget.HighImportance
	v.card = widget.NewButtonWithIcon(u.L.T("pay.card"), theme.AccountIcon(), v.payCard)
	v.card.Importance = widget.HighImportance
	v.exact = widget.NewButton(u.L.T("pay.exact"), func() { u.do(pos.PayCashExact{}, u.paid) })
	v.points = widget.NewButtonWithIcon(u.L.T("pay.points"), theme.ContentAddIcon(), v.payPoints)
	if u.reg.Setup().Loyalty == nil || !u.reg.Can(pos.OpPayLoyalty) {
		v.points.Hide()
	}
	v.value = widget.NewButton(u.L.T("pay.stored_value"), v.payValue)
	if !(u.hasTender(cart.GiftCard) && u.reg.Can(pos.OpPayGiftCard)) && !(u.hasTender(cart.CreditMemo) && (u.reg.Can(pos.OpPayCreditMemo) || u.reg.Can(pos.OpIssueCreditMemo))) &&
		!(u.hasTender(cart.Account) && u.reg.Can(pos.OpPayCustomerAccount)) && !(u.hasTender(cart.Currency) && u.reg.Can(pos.OpPayCurrency)) {
		v.value.Hide()
	}
	v.denoms = container.NewGridWithColumns(4)
	v.tenders = container.NewVBox()
	back := widget.NewButtonWithIcon(u.L.T("button.back"), theme.NavigateBackIcon(), func() { u.showSell() })

	title := widget.NewLabelWithStyle(u.L.T("pay.title"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	title.SizeName = theme.SizeNameHeadingText
	entry := container.NewBorder(nil, nil, widget.NewLabel(u.L.T("pay.amount")), nil, v.amount)
	tenderBtns := container.NewGridWithRows(5, v.cash, v.card, v.exact, v.points, v.value)
	panel := container.NewVBox(v.totals.box, widget.NewSeparator(), entry,
		widget.NewLabelWithStyle(u.L.T("pay.denominations"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), v.denoms,
		container.NewBorder(nil, nil, nil, container.NewGridWrap(fyne.NewSize(150, 240), tenderBtns), container.NewGridWrap(fyne.NewSize(290, 240), v.pad)))
	paid := container.NewBorder(widget.NewLabelWithStyle(u.L.T("pay.tenders"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), nil, nil, nil, container.NewVScroll(v.tenders))
	var body fyne.CanvasObject
	if u.stacked() {
		body = container.NewBorder(nil, container.NewVBox(panel, paid), nil, nil, container.NewBorder(u.linesHeader(), nil, nil, nil, v.list))
	} else {
		left := container.NewVSplit(container.NewBorder(u.linesHeader(), nil, nil, nil, v.list), paid)
		left.Offset = 0.7
		body = container.NewBorder(nil, nil, u.devicesPanel(), panel, left)
	}
	v.render(u.reg.Cart())
	return container.NewBorder(container.NewVBox(u.statusBarWith(back), title), nil, nil, nil, body)
}

func (u *UI) showPay() {
	u.sell = nil
	u.show("pay", u.paymentScreen())
}

// Pay returns the payment screen's view, for tests.
func (u *UI) Pay() *payView { return u.pay }

// SetAmount types an amount on the pad, for tests.
func (v *payView) SetAmount(s string) {
	v.pad.Value = s
	v.amount.SetText(s)
}

func (v *payView) render(c *cart.Cart) {
	u := v.u
	v.lines = v.lines[:0]
	if c == nil {
		v.list.Refresh()
		return
	}
	for _, l := range c.Lines {
		if !l.Voided {
			v.lines = append(v.lines, l)
		}
	}
	u.lineHeights(v.list, v.lines)
	v.list.Refresh()
	u.renderTotals(v.totals, c)
	if c.Loyalty == nil {
		v.points.Disable()
	} else {
		v.points.Enable()
	}
	v.tenders.Objects = nil
	for _, t := range c.ActiveTenders() {
		t := *t
		label := t.Name + "  " + u.money(t.Amount)
		if t.Card != nil {
			label += "  " + t.Card.Brand + " " + t.Card.MaskedPAN
		}
		if t.Points != 0 {
			label += "  " + u.L.N("loyalty.points", int(t.Points))
		}
		if t.Foreign != nil {
			label += "  (" + u.L.Money(t.Foreign.Amount, t.Foreign.Currency) + ")"
		}
		if t.Value != nil {
			label += "  " + storedvalue.Shown(t.Value.Kind, t.Value.Number) + "  " + u.L.T("receipt.label.value_balance") + " " + u.money(t.Value.Balance)
		}
		void := widget.NewButtonWithIcon(u.L.T("pay.void"), theme.DeleteIcon(), func() {
			u.confirm(u.L.T("confirm.void_payment", l10n.Data{"Amount": u.money(t.Amount)}), func() {
				u.do(pos.VoidPayment{No: t.No}, nil)
			})
		})
		v.tenders.Add(container.NewBorder(nil, nil, nil, void, widget.NewLabel(label)))
	}
	if len(v.tenders.Objects) == 0 {
		v.tenders.Add(widget.NewLabel(u.L.T("pay.no_tenders")))
	}
	v.tenders.Refresh()
	v.denoms.Objects = nil
	v.denomBtns = nil
	if c.Totals.Remaining > 0 {
		for _, d := range Denominations(c.Totals.Remaining, c.Currency.Digits) {
			d := d
			b := widget.NewButton(u.money(d), func() { u.do(pos.PayCash{Amount: d}, u.paid) })
			v.denomBtns = append(v.denomBtns, b)
			v.denoms.Add(b)
		}
	}
	v.denoms.Refresh()
}

// Denominations returns up to four cash amounts a customer is likely to hand
// over: the next banknotes (5, 10, 20, 50, 100, 200, 500) above the amount due.
func Denominations(due money.Amount, digits int) []money.Amount {
	unit := money.Amount(1)
	for i := 0; i < digits; i++ {
		unit *= 10
	}
	var out []money.Amount
	for _, n := range []money.Amount{5, 10, 20, 50, 100, 200, 500} {
		note := n * unit
		v := (due + note - 1) / note * note
		if v <= due {
			continue
		}
		if len(out) > 0 && out[len(out)-1] == v {
			continue
		}
		out = append(out, v)
		if len(out) == 4 {
			break
		}
	}
	return out
}

func (v *payView) padAmount() (money.Amount, bool) {
	if v.pad.Value == "" {
		return 0, true
	}
	a, err := l10n.ParseAmount(v.pad.Value, v.u.reg.Setup().Currency.Digits)
	if err != nil || a < 0 {
		v.u.message(v.u.L.T("error.title"), v.u.L.T("error.input.amount"))
		return 0, false
	}
	return a, true
}

// payCash tenders the amount on the pad in cash (the amount due when empty).
func (v *payView) payCash() {
	a, ok := v.padAmount()
	if !ok {
		return
	}
	v.SetAmount("")
	v.u.do(pos.PayCash{Amount: a}, v.u.paid)
}

// payCard sends the amount on the pad (the amount due when empty) to the card terminal.
func (v *payView) payCard() {
	a, ok := v.padAmount()
	if !ok {
		return
	}
	v.SetAmount("")
	u := v.u
	charge := func(brand string) {
		u.doAsync(pos.PayCard{Amount: a, Brand: brand}, u.L.T("pay.waiting"), u.paid)
	}
	var brands []string
	if e := u.reg.Setup().Promotions; e != nil {
		brands = e.CardBrands()
	}
	if len(brands) == 0 {
		charge("")
		return
	}
	// Brand discounts: the cashier asks which card, so it is charged the
	// discounted amount at once (the terminal's brand decides in the end).
	box := container.NewVBox(widget.NewLabel(u.L.T("pay.which_card")))
	for _, b := range brands {
		b := b
		box.Add(widget.NewButton(b, func() { u.closeDialog(); charge(b) }))
	}
	other := widget.NewButton(u.L.T("pay.other_card"), func() { u.closeDialog(); charge("") })
	other.Importance = widget.HighImportance
	box.Add(other)
	d := dialog.NewCustom(u.L.T("pay.card"), u.L.T("button.cancel"), box, u.win)
	u.setDialog(d)
	u.dialogOK = func() { u.closeDialog(); charge("") }
}

// payPoints pays with the loyalty card's points: the amount typed, or as
// much of what is due as the points cover.
func (v *payView) payPoints() {
	a, ok := v.padAmount()
	if !ok {
		return
	}
	v.SetAmount("")
	v.u.do(pos.PayLoyalty{Amount: a}, v.u.paid)
}

// paid follows a payment: when it completed the transaction it shows the
// change due and then the receipt preview.
func (u *UI) paid(r pos.Result) {
	if r.Receipt == nil || r.Completed == nil {
		u.refreshCart()
		return
	}
	u.lastRcpt = r.Receipt
	u.showReceipt(r.Receipt)
	if r.Completed.Change > 0 {
		u.message(u.L.T("change.title"), u.L.T("change.text", l10n.Data{"Amount": u.money(r.Completed.Change)}))
	}
	if tns := r.Completed.Tenders; len(tns) > 0 && tns[len(tns)-1].Card != nil && tns[len(tns)-1].Card.Recharged {
		last := tns[len(tns)-1]
		u.message(u.L.T("pay.card"), u.L.T("pay.recharged", l10n.Data{"Brand": last.Card.Brand, "Amount": u.money(last.Amount)}))
	}
}
