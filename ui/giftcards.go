package ui

import (
	"errors"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/opentill/opentill/pos"
	"github.com/opentill/opentill/pos/cart"
	"github.com/opentill/opentill/pos/money"
	"github.com/opentill/opentill/pos/poserr"
	"github.com/opentill/opentill/pos/storedvalue"
	"github.com/opentill/opentill/pos/tender"
	"github.com/opentill/opentill/ui/l10n"
)

// valueLineName is what the sell screen shows of a gift card's line.
func (u *UI) valueLineName(ln cart.Line) string {
	if ln.Value.Role == cart.ValueDeposit {
		return u.L.T("receipt.label.account_deposit") + " " + ln.Value.Number
	}
	key := map[cart.ValueRole]string{cart.ValueIssue: "receipt.label.gift_card", cart.ValueAdd: "receipt.label.gift_card_top_up",
		cart.ValueCashOut: "receipt.label.gift_card_cash_out"}[ln.Value.Role]
	return u.L.T(key) + " " + storedvalue.Mask(ln.Value.Number)
}

// valueForm is the gift card dialog or the payment by gift card or memo:
// the number, the amount (gift card dialog), and what to do.
type valueForm struct {
	dialog *dialog.FormDialog
	number *field
	amount *field
	what   *widget.RadioGroup
}

// giftCardAction is one thing the gift card dialog does.
type giftCardAction struct {
	op    pos.OpID
	label string
}

// giftCardDialog sells a gift card, adds value to one, shows its balance or
// cashes it out: the card's number (scanned into the field), the amount,
// and what to do, each offered when the operator may.
func (u *UI) giftCardDialog() {
	var actions []giftCardAction
	for _, a := range []giftCardAction{{pos.OpIssueGiftCard, u.L.OpName(int(pos.OpIssueGiftCard))}, {pos.OpAddToGiftCard, u.L.OpName(int(pos.OpAddToGiftCard))},
		{pos.OpGiftCardBalance, u.L.OpName(int(pos.OpGiftCardBalance))}, {pos.OpCashOutGiftCard, u.L.OpName(int(pos.OpCashOutGiftCard))},
		{pos.OpCreditMemoBalance, u.L.OpName(int(pos.OpCreditMemoBalance))}} {
		if u.reg.Can(a.op) {
			actions = append(actions, a)
		}
	}
	if len(actions) == 0 {
		u.message(u.L.T("error.title"), u.L.T("error.kind.not_permitted"))
		return
	}
	labels := make([]string, len(actions))
	for i, a := range actions {
		labels[i] = a.label
	}
	what := widget.NewRadioGroup(labels, nil)
	what.Required = true
	what.SetSelected(labels[0])
	number := u.newField()
	number.SetPlaceHolder(u.L.T("giftcard.number_hint"))
	number.Validator = u.valueNumberValidator(func() bool { return false })
	amount := u.newField()
	amount.SetPlaceHolder(u.L.Number(0, u.reg.Setup().Currency.Digits))
	var d *dialog.FormDialog
	d = dialog.NewForm(u.L.T("giftcard.title"), u.L.T("button.ok"), u.L.T("button.cancel"),
		[]*widget.FormItem{widget.NewFormItem(u.L.T("giftcard.number"), number), widget.NewFormItem(u.L.T("giftcard.amount"), amount),
			widget.NewFormItem("", what)}, func(yes bool) {
			if !yes {
				return
			}
			var op pos.OpID
			for _, a := range actions {
				if a.label == what.Selected {
					op = a.op
				}
			}
			n, _ := storedvalue.Normalize(number.Text) // the validator let it through
			var operation pos.Operation
			switch op {
			case pos.OpGiftCardBalance:
				operation = pos.GiftCardBalance{Number: n}
			case pos.OpCreditMemoBalance:
				operation = pos.CreditMemoBalance{Number: n}
			case pos.OpCashOutGiftCard:
				operation = pos.CashOutGiftCard{Number: n}
			default:
				a, ok := u.parseAmount(amount.Text)
				if !ok || a <= 0 {
					amount.SetValidationError(errors.New(u.L.T("error.input.amount")))
					u.keepOpen(d, amount)
					return
				}
				if op == pos.OpIssueGiftCard {
					operation = pos.IssueGiftCard{Number: n, Amount: a}
				} else {
					operation = pos.AddToGiftCard{Number: n, Amount: a}
				}
			}
			u.try(operation, func(res pos.Result, err error) {
				switch {
				case err == nil && res.Line == nil && res.Value != nil:
					u.message(u.L.T("giftcard.title"), u.valueText(res.Value))
				case err == nil:
					u.refreshCart()
				default:
					// the domain's refusal goes on the field it is about,
					// keeping what was typed
					field := number
					if poserr.KindOf(err) == poserr.Invalid && (op == pos.OpIssueGiftCard || op == pos.OpAddToGiftCard) {
						field = amount
					}
					field.SetValidationError(errors.New(u.L.Error(err)))
					u.showAgain(d, field)
				}
			})
		}, u.win)
	d.Resize(fyne.NewSize(560, 420))
	u.valueF = &valueForm{dialog: d, number: number, amount: amount, what: what}
	u.setDialog(d)
	u.win.Canvas().Focus(number)
}

// valueText says a gift card's or memo's balance: live, or as last heard.
func (u *UI) valueText(v *pos.ValueInfo) string {
	data := l10n.Data{"Number": storedvalue.Shown(v.Balance.Kind, v.Balance.Number), "Balance": u.money(v.Balance.Amount()), "Spendable": u.money(v.Spendable)}
	if v.Live {
		return u.L.T("giftcard.balance_live", data)
	}
	data["AsOf"] = u.L.T("giftcard.never_heard")
	if !v.Balance.AsOf.IsZero() {
		data["AsOf"] = u.L.DateTime(v.Balance.AsOf)
	}
	return u.L.T("giftcard.balance_offline", data)
}

// payValue pays with a gift card or credit memo (the amount on the pad, or
// as much as it pays), or refunds what a return owes onto a new credit memo.
func (v *payView) payValue() {
	u := v.u
	c := u.reg.Cart()
	if c != nil && c.Totals.Remaining < 0 {
		if !u.reg.Can(pos.OpIssueCreditMemo) {
			u.message(u.L.T("error.title"), u.L.T("error.kind.not_permitted"))
			return
		}
		u.confirm(u.L.T("pay.memo_confirm", l10n.Data{"Amount": u.money(-c.Totals.Remaining)}), func() {
			u.do(pos.IssueCreditMemo{}, u.paid)
		})
		return
	}
	a, ok := v.padAmount()
	if !ok {
		return
	}
	var kinds []string
	if u.hasTender(cart.GiftCard) && u.reg.Can(pos.OpPayGiftCard) {
		kinds = append(kinds, u.L.OpName(int(pos.OpPayGiftCard)))
	}
	if u.hasTender(cart.CreditMemo) && u.reg.Can(pos.OpPayCreditMemo) {
		kinds = append(kinds, u.L.OpName(int(pos.OpPayCreditMemo)))
	}
	account := u.L.OpName(int(pos.OpPayCustomerAccount))
	if c != nil && c.Customer != "" && u.hasTender(cart.Account) && u.reg.Can(pos.OpPayCustomerAccount) {
		kinds = append(kinds, account)
	}
	setup := u.reg.Setup()
	currencies := map[string]tender.Type{} // by label: foreign cash
	if u.reg.Can(pos.OpPayCurrency) {
		for _, tt := range setup.TenderTypes {
			if tt.Kind == cart.Currency {
				label := tt.Name + " (" + tt.Foreign.Code + ")"
				currencies[label] = tt
				kinds = append(kinds, label)
			}
		}
	}
	if len(kinds) == 0 {
		u.message(u.L.T("error.title"), u.L.T("error.kind.not_permitted"))
		return
	}
	kind := widget.NewRadioGroup(kinds, nil)
	kind.Required = true
	number := u.newField()
	number.SetPlaceHolder(u.L.T("giftcard.number_hint"))
	noNumber := func() bool { _, fx := currencies[kind.Selected]; return fx || kind.Selected == account }
	memoValid := u.valueNumberValidator(func() bool { return kind.Selected == u.L.OpName(int(pos.OpPayCreditMemo)) })
	number.Validator = func(s string) error {
		if noNumber() {
			return nil // the customer's account or foreign cash: no number to type
		}
		return memoValid(s)
	}
	info := widget.NewLabel("")
	info.Wrapping = fyne.TextWrapWord
	kind.OnChanged = func(string) {
		info.SetText("")
		if noNumber() {
			number.Disable()
		} else {
			number.Enable()
		}
		if tt, fx := currencies[kind.Selected]; fx && c != nil && c.Totals.Remaining > 0 {
			// what is due in the foreign currency, and the rate
			if rate, ok := setup.ExchangeRates[tt.Foreign.Code]; ok && rate > 0 {
				due := money.ExchangeBack(c.Totals.Remaining, tt.Foreign, rate, setup.Currency)
				info.SetText(u.L.T("pay.currency_due", l10n.Data{"Amount": u.L.Money(due, tt.Foreign), "Rate": u.L.Number(money.Amount(rate), 6),
					"Code": tt.Foreign.Code}))
			}
		}
		_ = number.Validate()
	}
	kind.SetSelected(kinds[0])
	var d *dialog.FormDialog
	d = dialog.NewForm(u.L.T("pay.value_title"), u.L.T("button.ok"), u.L.T("button.cancel"),
		[]*widget.FormItem{widget.NewFormItem("", kind), widget.NewFormItem("", info), widget.NewFormItem(u.L.T("giftcard.number"), number)}, func(yes bool) {
			if !yes {
				return
			}
			memo := kind.Selected == u.L.OpName(int(pos.OpPayCreditMemo))
			n, _ := storedvalue.Normalize(number.Text) // the validator let it through
			var op pos.Operation = pos.PayGiftCard{Number: n, Amount: a}
			tt, fx := currencies[kind.Selected]
			switch {
			case fx:
				// the pad's amount is in the foreign currency
				fa, ok := money.Amount(0), true
				if v.pad.Value != "" {
					fa, ok = u.parseAmountIn(v.pad.Value, tt.Foreign)
				}
				if !ok {
					u.message(u.L.T("error.title"), u.L.T("error.input.amount"))
					return
				}
				op = pos.PayCurrency{TenderID: tt.ID, Amount: fa}
			case kind.Selected == account:
				op = pos.PayCustomerAccount{Amount: a}
			case memo:
				op = pos.PayCreditMemo{Number: n, Amount: a}
			}
			u.try(op, func(res pos.Result, err error) {
				if err != nil {
					number.SetValidationError(errors.New(u.L.Error(err)))
					u.showAgain(d, number)
					return
				}
				v.SetAmount("")
				u.paid(res)
			})
		}, u.win)
	d.Resize(fyne.NewSize(560, 340))
	u.valueF = &valueForm{dialog: d, number: number, what: kind}
	u.setDialog(d)
	u.win.Canvas().Focus(number)
}

// valueNumberValidator marks a gift card's or (memo true) credit memo's
// number that cannot be one.
func (u *UI) valueNumberValidator(memo func() bool) func(string) error {
	return func(s string) error {
		if _, ok := storedvalue.Normalize(s); ok {
			return nil
		}
		if memo() {
			return errors.New(u.L.T("error.memo.number"))
		}
		return errors.New(u.L.T("error.giftcard.number"))
	}
}

// accountDeposit takes a payment into the customer's account: the amount
// is asked, and the line goes on the sale.
func (u *UI) accountDeposit() {
	u.prompt(u.L.T("account.deposit_title"), u.L.T("giftcard.amount"), func(s string) {
		a, ok := u.parseAmount(s)
		if !ok || a <= 0 {
			u.message(u.L.T("error.title"), u.L.T("error.input.amount"))
			return
		}
		u.do(pos.AccountDeposit{Amount: a}, func(pos.Result) { u.refreshCart() })
	})
}

// hasTender reports whether the store has a tender of the kind.
func (u *UI) hasTender(k cart.TenderKind) bool {
	setup := u.reg.Setup()
	_, ok := setup.FirstTender(k)
	return ok
}
