package pos

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/opentill/opentill/pos/cart"
	"github.com/opentill/opentill/pos/journal"
	"github.com/opentill/opentill/pos/money"
	"github.com/opentill/opentill/pos/poserr"
	"github.com/opentill/opentill/pos/receipt"
	"github.com/opentill/opentill/pos/tender"
)

// payment is what a tender operation asks for: the kind and (optionally)
// tender type, the amount handed over as a positive number (0 = exactly
// what is due), a card brand known before the terminal answers, and the
// gift card or memo number paid with.
type payment struct {
	kind   cart.TenderKind
	typeID string
	amount money.Amount
	brand  string
	number string
	// exact pays exactly what is due with the tender, or nothing: a card,
	// account or points that cannot cover it are refused, not taken in part.
	exact bool
}

// pay adds a payment (or refund) p.
func (r *Register) pay(ctx context.Context, p payment, op OpID) (Result, error) {
	kind, typeID, amount := p.kind, p.typeID, p.amount
	c := r.cart
	if c == nil || c.IsEmpty() {
		return Result{}, poserr.E(poserr.Conflict, "error.cart.empty", "there is nothing to pay for")
	}
	if r.auth != nil {
		// held to its limits before any money moves (a recalled sale, say)
		if err := r.enforceLimits(c, r.auth); err != nil {
			return Result{}, err
		}
	}
	var tt tender.Type
	var ok bool
	if typeID != "" {
		tt, ok = r.setup.TenderType(typeID)
		if ok && tt.Kind != kind {
			ok = false
		}
	} else {
		tt, ok = r.setup.FirstTender(kind)
	}
	if !ok {
		return Result{}, poserr.E(poserr.Invalid, "error.tender.unknown", "the store has no %s tender %q", kind, typeID)
	}
	if amount < 0 {
		return Result{}, poserr.E(poserr.Invalid, "error.tender.negative", "enter the amount as a positive number")
	}
	// Tender discounts: the amount due is priced for the tender about to be
	// used (and the card brand, when known); taken back if no payment is added.
	paying := r.setup.Promotions != nil && r.setup.Promotions.TenderDiscounts()
	if paying {
		c.PayingWith = tt.ID
		if p.brand != "" {
			c.PayingBrand = p.brand
		}
		defer func() {
			if c.PayingWith != "" || c.PayingBrand != "" {
				c.PayingWith, c.PayingBrand = "", ""
				_ = r.reprice() // back to the price without the tender; it priced a moment ago
			}
		}()
		if err := r.reprice(); err != nil {
			return Result{}, err
		}
	}
	remaining := c.Totals.Remaining
	if remaining == 0 && c.OrderEvent != nil && !c.HasPayments() {
		return r.finish(ctx, cart.Completed, op) // an order with nothing to pay now
	}
	if remaining == 0 {
		return Result{}, poserr.E(poserr.Conflict, "error.tender.nothing_due", "nothing is due")
	}
	refund := remaining < 0
	if refund && !tt.AllowRefund {
		return Result{}, poserr.E(poserr.Invalid, "error.tender.no_refund", "%s cannot be used to pay back a return", tt.Name)
	}
	if refund {
		var err error
		if p.number, err = r.refundToOriginal(c, tt, p.number); err != nil {
			return Result{}, err
		}
	}
	due := abs(remaining)
	// Cash is rounded to the tender's step when it settles the transaction.
	settleDue := due
	if kind == cart.Cash && tt.RoundingStep > 1 {
		settleDue = money.RoundTo(due, tt.RoundingStep, money.HalfUp)
	}
	explicit := amount != 0
	if p.exact {
		amount, explicit = settleDue, true
	}
	var foreign *cart.ForeignInfo
	if kind == cart.Currency {
		var err error
		if amount, foreign, err = r.foreignPayment(tt, amount, settleDue, refund); err != nil {
			return Result{}, err
		}
	}
	if amount == 0 {
		amount = settleDue
	}
	if amount == 0 {
		return Result{}, poserr.E(poserr.Conflict, "error.tender.nothing_due", "nothing is due in cash after rounding")
	}
	var points int64
	if kind == cart.Points {
		if refund {
			return Result{}, poserr.E(poserr.Invalid, "error.tender.no_refund", "%s cannot be used to pay back a return", tt.Name)
		}
		var err error
		if amount, points, err = r.pointsPayment(ctx, c, amount, explicit); err != nil {
			return Result{}, err
		}
	}
	var value *cart.ValueInfo
	if kind == cart.GiftCard || kind == cart.CreditMemo || kind == cart.Account {
		var err error
		if amount, value, err = r.valuePayment(ctx, c, p, amount, explicit, refund); err != nil {
			return Result{}, err
		}
	}
	if tt.MaxAmount > 0 && amount > tt.MaxAmount {
		return Result{}, poserr.E(poserr.Invalid, "error.tender.max_amount", "%s payments are limited to %s", tt.Name, r.amountFmt(tt.MaxAmount))
	}
	var change money.Amount
	settles := amount >= settleDue
	switch {
	case amount > settleDue:
		if refund {
			return Result{}, poserr.E(poserr.Invalid, "error.tender.refund_over", "the refund is %s: you cannot pay back more", r.amountFmt(settleDue))
		}
		if !tt.AllowOvertender || !tt.GivesChange {
			return Result{}, poserr.E(poserr.Invalid, "error.tender.overtender", "%s cannot be more than the amount due (%s)", tt.Name, r.amountFmt(settleDue))
		}
		change = amount - settleDue
		if tt.MaxOvertender > 0 && change > tt.MaxOvertender {
			return Result{}, poserr.E(poserr.Invalid, "error.tender.overtender_max", "change of %s is more than the %s allowed for %s", r.amountFmt(change), r.amountFmt(tt.MaxOvertender), tt.Name)
		}
	case amount < settleDue && !tt.AllowUndertender:
		return Result{}, poserr.E(poserr.Invalid, "error.tender.undertender", "%s must pay the whole amount due (%s)", tt.Name, r.amountFmt(settleDue))
	}
	tn := cart.Tender{No: len(c.Tenders) + 1, TypeID: tt.ID, Name: tt.Name, Kind: kind, Amount: amount, Points: points, Value: value, Foreign: foreign}
	if refund {
		tn.Amount = -amount
	}
	if kind == cart.Card {
		if r.opt.Terminal == nil {
			return Result{}, poserr.E(poserr.Device, "error.card.no_terminal", "no payment terminal is set up for this till")
		}
		req := tender.Request{Amount: amount, Currency: r.setup.Currency, Reference: fmt.Sprintf("%s-%d", c.ID, tn.No)}
		var ap tender.Approval
		var err error
		r.atTerminal(func() {
			if refund {
				ap, err = r.opt.Terminal.Refund(ctx, req)
			} else {
				ap, err = r.opt.Terminal.Authorize(ctx, req)
			}
		})
		approver := ""
		if err != nil && !refund && errors.Is(err, tender.ErrProcessorUnreachable) {
			ap, approver, err = r.offlineCard(ctx, req, err) // store and forward, within the store's caps
		}
		if err != nil {
			if poserr.KindOf(err) == poserr.Other {
				err = poserr.Wrap(err, poserr.Device, "error.card.failed", "the card payment did not go through")
			}
			return Result{}, err
		}
		tn.Card = &cart.CardInfo{MaskedPAN: ap.MaskedPAN, Brand: ap.Brand, AuthCode: ap.AuthCode, Reference: ap.Reference, Receipt: ap.Receipt,
			Offline: ap.Offline, OfflineApprover: approver}
		if paying && !refund {
			// What is due depends on the card's brand, which the terminal
			// reports (or the cashier gave): a brand discount the card earns
			// lowers it, and the card is charged that, never less than it
			// was authorised for; a brand that earns less than the one the
			// amount was priced for leaves a part due.
			brand := ap.Brand
			if brand == "" {
				brand = p.brand
			}
			c.PayingBrand = brand
			if err := r.reprice(); err != nil {
				return Result{}, err
			}
			switch now := c.Totals.Remaining; {
			case now > tn.Amount:
				settles, change = false, 0
			case now > 0 && now < tn.Amount && ap.Offline:
				// stored on the terminal to forward: it keeps the amount,
				// and the brand discount is not given
				tn.Card.NoBrandDiscount = true
			case now > 0 && now < tn.Amount:
				var err error
				if tn, settles, err = r.chargeAgain(ctx, c, tn, now); err != nil {
					return Result{}, err
				}
				if settles {
					settleDue, due = tn.Amount, tn.Amount
				}
			}
		}
	}
	c.PayingWith, c.PayingBrand = "", "" // the tender on the cart carries its type and brand from now on
	c.Tenders = append(c.Tenders, tn)
	if settles {
		rounding := settleDue - due
		if refund {
			rounding = -rounding
		}
		c.Rounding, c.Change = rounding, change
		if change != 0 && kind == cart.Currency {
			// change in the store's currency, from its cash
			cash, _ := r.setup.FirstTender(cart.Cash)
			c.ChangeTender = cash.ID
		}
	}
	if err := r.reprice(); err != nil {
		return Result{}, err
	}
	added := tn
	r.event(Event{Type: PaymentAdded, Tender: &added})
	if !settles {
		return Result{}, nil
	}
	if c.Totals.Remaining != 0 {
		return Result{}, fmt.Errorf("internal: remaining %d after a settling payment", c.Totals.Remaining)
	}
	return r.finish(ctx, cart.Completed, op)
}

// chargeAgain charges a card that earned a brand discount after it was
// authorised for more than is now due: the authorisation is reversed at the
// terminal and kept on the transaction as a voided payment, and the card is
// authorised again for what is due (the terminal asks for it once more). It
// returns the new payment, not yet on the transaction, and whether it
// settles. A terminal that cannot reverse keeps the first payment: the card
// pays what it was authorised for and the brand discount is not given. A
// second authorisation that fails leaves the sale open with nothing taken.
func (r *Register) chargeAgain(ctx context.Context, c *cart.Cart, first cart.Tender, due money.Amount) (cart.Tender, bool, error) {
	var err error
	r.atTerminal(func() { err = r.opt.Terminal.Void(ctx, first.Card.Reference) })
	if err != nil && !alreadyVoided(err) {
		c.PayingBrand = ""
		first.Card.NoBrandDiscount = true
		return first, true, nil
	}
	r.keepVoided(c, first)
	tn := first
	tn.No, tn.Amount, tn.Card = len(c.Tenders)+1, due, nil
	req := tender.Request{Amount: due, Currency: r.setup.Currency, Reference: fmt.Sprintf("%s-%d", c.ID, tn.No)}
	var ap tender.Approval
	r.atTerminal(func() { ap, err = r.opt.Terminal.Authorize(ctx, req) })
	if err != nil {
		if poserr.KindOf(err) == poserr.Other {
			err = poserr.Wrap(err, poserr.Device, "error.card.failed", "the card payment did not go through")
		}
		return cart.Tender{}, false, err
	}
	tn.Card = &cart.CardInfo{MaskedPAN: ap.MaskedPAN, Brand: ap.Brand, AuthCode: ap.AuthCode, Reference: ap.Reference, Receipt: ap.Receipt, Offline: ap.Offline, Recharged: true}
	if ap.Brand == first.Card.Brand {
		return tn, true, nil
	}
	// Another card the second time: it settles if what is due with its
	// brand is what it paid, pays a part if more is due; if its brand earns
	// more, it is reversed too and the cashier takes the payment again.
	c.PayingBrand = ap.Brand
	if err := r.reprice(); err != nil {
		return cart.Tender{}, false, err
	}
	if c.Totals.Remaining >= due {
		return tn, c.Totals.Remaining == due, nil
	}
	r.atTerminal(func() { err = r.opt.Terminal.Void(ctx, tn.Card.Reference) })
	if err != nil && !alreadyVoided(err) {
		return tn, false, nil // it stays on as a part payment; the rest is due
	}
	r.keepVoided(c, tn)
	e := poserr.E(poserr.Conflict, "error.card.brand_changed",
		"the second card is a %s card that earns another discount; it was reversed: take the card payment again", ap.Brand)
	e.Args = map[string]any{"Brand": ap.Brand}
	return cart.Tender{}, false, e
}

// keepVoided puts a card payment reversed at the terminal on the
// transaction as a voided payment.
func (r *Register) keepVoided(c *cart.Cart, t cart.Tender) {
	t.Voided = true
	c.Tenders = append(c.Tenders, t)
	r.event(Event{Type: PaymentVoided, Tender: &t})
}

// finish commits the open transaction as completed or voided. If the commit
// fails, the transaction stays open as it was, so the cashier can retry:
// the settling payment and its rounding and change are taken back (cash is
// dropped; a card is voided at the terminal and stays on as a voided
// payment). A card the terminal does not void goes onto the pending-void
// list (see cardvoid.go) and the error says so. After a successful commit
// the pending voids are retried.
func (r *Register) finish(ctx context.Context, status cart.Status, op OpID) (Result, error) {
	c := r.cart
	c.Status = status
	c.Finished = r.opt.Now().UTC()
	c.Operator = r.operator.ID
	c.Shift = r.shiftID()
	kind := journal.Sale
	if status == cart.Voided {
		kind = journal.Void
	}
	e := r.entry(kind, op)
	e.TxnID = c.ID
	err := error(nil)
	if status == cart.Completed && r.auth != nil {
		err = r.enforceLimits(c, r.auth) // a sale is saved only within its authorities
	}
	if err == nil && status == cart.Completed {
		err = r.bookLoyalty(ctx, c) // the points move in the sale's own commit
	}
	if err == nil {
		sealOrder(c)
		err = r.store.Commit(ctx, c, e)
	}
	if err != nil {
		c.Status, c.Finished, c.ReceiptNo = cart.Open, time.Time{}, ""
		var voidErr error
		var last cart.Tender
		if status == cart.Completed && len(c.Tenders) > 0 {
			last = c.Tenders[len(c.Tenders)-1]
			voidErr = r.undoTender(ctx, c.ID, last)
			if last.Card != nil {
				// A card stays on as a voided payment: its number, and the
				// terminal request reference made from it, must never be
				// reused, or the terminal would answer the next card
				// payment with this (voided) approval.
				c.Tenders[len(c.Tenders)-1].Voided = true
				vt := copyTender(c.Tenders[len(c.Tenders)-1])
				r.event(Event{Type: PaymentVoided, Tender: &vt})
			} else {
				c.Tenders = c.Tenders[:len(c.Tenders)-1]
			}
			c.Rounding, c.Change = 0, 0
			if perr := r.reprice(); perr != nil {
				// Cannot happen with the setup that priced it a moment ago;
				// if it does, the cashier must hear it with the commit failure.
				err = errors.Join(err, perr)
			}
		}
		if voidErr != nil {
			e := poserr.Wrap(errors.Join(err, voidErr), poserr.Storage, "error.card.void_pending",
				"the sale was not saved, and the card payment of %s taken back (terminal reference %s) could not be voided at the terminal yet: check the terminal before taking another card; the till retries the void",
				r.amountFmt(abs(last.Amount)), last.Card.Reference)
			e.Args = map[string]any{"reference": last.Card.Reference}
			return Result{}, e
		}
		if poserr.KindOf(err) == poserr.Other {
			err = poserr.Wrap(err, poserr.Storage, "error.storage.commit", "the sale could not be saved; nothing was recorded, try again")
		}
		return Result{}, err
	}
	done := snapshot(c)
	r.cart = nil
	r.last = done.ReceiptNo
	rc := receipt.Build(done, r.setup.Header, r.operator.Name)
	r.decorateReceipt(ctx, rc, done)
	ev := TransactionCompleted
	if status == cart.Voided {
		ev = TransactionVoided
	}
	r.event(Event{Type: ev, Cart: done, Receipt: rc})
	r.retryPendingVoids(ctx) // the sale is safe; now the terminal's turn
	res := Result{Completed: done, Receipt: rc}
	res.MailedTo, res.MailErr = r.mailIfAsked(ctx, done, rc)
	return res, nil
}

// undoTender voids a card payment at the terminal when it is taken back from
// transaction txnID. If the terminal fails, the payment goes onto the
// pending-void list (with a CardVoidPending event) and the error is returned.
func (r *Register) undoTender(ctx context.Context, txnID string, t cart.Tender) error {
	if t.Card == nil || r.opt.Terminal == nil {
		return nil
	}
	var err error
	r.atTerminal(func() { err = r.opt.Terminal.Void(ctx, t.Card.Reference) })
	if err == nil || alreadyVoided(err) {
		return nil
	}
	r.event(r.queueVoid(t, txnID, err))
	return err
}

// voidPayment takes a payment back; a card is voided at the terminal first
// (pending card voids are retried before it).
func (r *Register) voidPayment(ctx context.Context, o VoidPayment) (Result, error) {
	c := r.cart
	if c == nil {
		return Result{}, poserr.E(poserr.Conflict, "error.cart.none", "there is no open transaction")
	}
	var t *cart.Tender
	for i := range c.Tenders {
		if c.Tenders[i].No == o.No && !c.Tenders[i].Voided {
			t = &c.Tenders[i]
		}
	}
	if t == nil {
		return Result{}, poserr.E(poserr.NotFound, "error.tender.not_found", "payment %d is not on the transaction", o.No)
	}
	if t.Card != nil {
		if r.opt.Terminal == nil {
			return Result{}, poserr.E(poserr.Device, "error.card.no_terminal", "no payment terminal is set up for this till")
		}
		r.retryPendingVoids(ctx)
		var err error
		r.atTerminal(func() { err = r.opt.Terminal.Void(ctx, t.Card.Reference) })
		if err != nil && !alreadyVoided(err) {
			if poserr.KindOf(err) == poserr.Other {
				err = poserr.Wrap(err, poserr.Device, "error.card.void_failed", "the terminal could not void the card payment")
			}
			return Result{}, err
		}
	}
	t.Voided = true
	if t.Value != nil && t.Amount > 0 {
		r.releaseValue(ctx, c, t.Value) // no longer taken from the card or memo
	}
	if err := r.reprice(); err != nil {
		return Result{}, err
	}
	vt := *t
	r.event(Event{Type: PaymentVoided, Tender: &vt})
	return Result{}, nil
}

// voidTransaction voids every card payment at the terminal (pending card
// voids are retried first), hands the cash back and commits the transaction
// as voided. If a card cannot be voided, the cards voided so far stay voided
// and the transaction stays open with its cash.
func (r *Register) voidTransaction(ctx context.Context) (Result, error) {
	c := r.cart
	if c == nil || len(c.Lines) == 0 {
		return Result{}, poserr.E(poserr.Conflict, "error.cart.none", "there is no open transaction to void")
	}
	cards := false
	for _, t := range c.Tenders {
		cards = cards || (t.Card != nil && !t.Voided)
	}
	if cards {
		if r.opt.Terminal == nil {
			return Result{}, poserr.E(poserr.Device, "error.card.no_terminal", "no payment terminal is set up for this till")
		}
		r.retryPendingVoids(ctx)
	}
	for i := range c.Tenders {
		t := &c.Tenders[i]
		if t.Voided || t.Card == nil {
			continue
		}
		var err error
		r.atTerminal(func() { err = r.opt.Terminal.Void(ctx, t.Card.Reference) })
		if err != nil && !alreadyVoided(err) {
			verr := poserr.Wrap(err, poserr.Device, "error.card.void_failed", "the card payment could not be voided at the terminal; the transaction stays open")
			if perr := r.reprice(); perr != nil { // totals follow the cards voided so far
				return Result{}, errors.Join(verr, perr)
			}
			return Result{}, verr
		}
		t.Voided = true
	}
	for i := range c.Tenders {
		c.Tenders[i].Voided = true // cash is handed back
	}
	c.Rounding, c.Change = 0, 0
	if err := r.reprice(); err != nil {
		return Result{}, err
	}
	return r.finish(ctx, cart.Voided, OpVoidTransaction)
}

func abs(a money.Amount) money.Amount {
	if a < 0 {
		return -a
	}
	return a
}

// foreignPayment converts what a foreign-currency tender hands over (in its
// currency; 0 = what is due) at the store's rate.
func (r *Register) foreignPayment(tt tender.Type, handed, due money.Amount, refund bool) (money.Amount, *cart.ForeignInfo, error) {
	if refund {
		return 0, nil, poserr.E(poserr.Invalid, "error.currency.refund", "a refund is paid in the store's currency, not in %s", tt.Foreign.Code)
	}
	rate, ok := r.setup.ExchangeRates[tt.Foreign.Code]
	if tt.Foreign.Code == "" || !ok || rate <= 0 {
		e := poserr.E(poserr.Conflict, "error.currency.no_rate", "the store has no exchange rate for %s: the store server sets it", tt.Foreign.Code)
		e.Args = map[string]any{"currency": tt.Foreign.Code}
		return 0, nil, e
	}
	if handed == 0 {
		handed = money.ExchangeBack(due, tt.Foreign, rate, r.setup.Currency)
	}
	if _, ok := r.setup.FirstTender(cart.Cash); !ok {
		return 0, nil, poserr.E(poserr.Conflict, "error.currency.no_cash", "foreign cash needs the store's own cash tender for the change")
	}
	return money.Exchange(handed, tt.Foreign, rate, r.setup.Currency, money.HalfUp), &cart.ForeignInfo{Currency: tt.Foreign, Amount: handed, Rate: rate}, nil
}

// paymentOps registers the tenders.
func paymentOps(g *Registry) {
	builtin(g, OpSpec{ID: OpPayCash, Name: "Pay cash", Permission: perm(OpPayCash), Offline: true, NeedsShift: true, Group: GroupPayment,
		Doc: "Tender cash: change and cash rounding by the tender type."},
		func(r *Register, ctx context.Context, o PayCash, _ *authority) (Result, error) {
			return r.pay(ctx, payment{kind: cart.Cash, typeID: o.TenderID, amount: o.Amount}, OpPayCash)
		})
	builtin(g, OpSpec{ID: OpPayCard, Name: "Pay card", Permission: perm(OpPayCard), Offline: true, NeedsShift: true, Group: GroupPayment,
		Doc: "Tender by card through the payment terminal."},
		func(r *Register, ctx context.Context, o PayCard, _ *authority) (Result, error) {
			return r.pay(ctx, payment{kind: cart.Card, typeID: o.TenderID, amount: o.Amount, brand: o.Brand}, OpPayCard)
		})
	builtin(g, OpSpec{ID: OpPayCurrency, Name: "Pay currency", Permission: perm(OpPayCurrency), Offline: true, NeedsShift: true, Group: GroupPayment,
		Doc: "Tender foreign cash: the amount in its currency (0 = what is due), converted at the store's exchange rate; change in the store's currency."},
		func(r *Register, ctx context.Context, o PayCurrency, _ *authority) (Result, error) {
			return r.pay(ctx, payment{kind: cart.Currency, typeID: o.TenderID, amount: o.Amount}, OpPayCurrency)
		})
	builtin(g, OpSpec{ID: OpPayCashExact, Name: "Pay cash exact", Permission: perm(OpPayCashExact), Offline: true, NeedsShift: true, Group: GroupPayment,
		Doc: "Tender the exact amount due in cash."},
		func(r *Register, ctx context.Context, o PayCashExact, _ *authority) (Result, error) {
			return r.pay(ctx, payment{kind: cart.Cash, typeID: o.TenderID}, OpPayCashExact)
		})
	builtin(g, OpSpec{ID: OpVoidPayment, Name: "Void payment", Permission: perm(OpVoidPayment), Offline: true, Group: GroupPayment,
		Doc: "Void a payment line before the transaction completes (card payments are voided at the terminal)."},
		func(r *Register, ctx context.Context, o VoidPayment, _ *authority) (Result, error) {
			return r.voidPayment(ctx, o)
		})
	builtin(g, OpSpec{ID: OpVoidTransaction, Name: "Void transaction", Permission: perm(OpVoidTransaction), Offline: true, Group: GroupTransaction,
		Doc: "Void the open transaction; it is kept in the journal."},
		func(r *Register, ctx context.Context, _ VoidTransaction, _ *authority) (Result, error) {
			return r.voidTransaction(ctx)
		})
}
