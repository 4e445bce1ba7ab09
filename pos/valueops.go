package pos

import (
	"context"
	"strconv"
	"strings"
	"unicode"

	"github.com/opentill/opentill/pos/cart"
	"github.com/opentill/opentill/pos/catalog"
	"github.com/opentill/opentill/pos/money"
	"github.com/opentill/opentill/pos/poserr"
	"github.com/opentill/opentill/pos/receipt"
	"github.com/opentill/opentill/pos/storedvalue"
)

// Gift card, credit memo and customer account operations (the anchor's
// numbers).
const (
	OpPayCustomerAccount OpID = 202
	OpPayCardExact       OpID = 216
	OpPayAccountExact    OpID = 218
	OpPayGiftCardExact   OpID = 219
	OpPayLoyaltyExact    OpID = 220
	OpAccountDeposit     OpID = 1100
	OpPayCreditMemo      OpID = 213
	OpPayGiftCard        OpID = 214
	OpCashOutGiftCard    OpID = 215
	OpIssueCreditMemo    OpID = 511
	OpCreditMemoBalance  OpID = 514
	OpIssueGiftCard      OpID = 512
	OpAddToGiftCard      OpID = 519
	OpGiftCardBalance    OpID = 520
	giftCardProductID         = "giftcard" // the product ID of gift card lines
	accountProductID          = "account"  // the product ID of account deposit lines
)

// IssueGiftCard sells a new gift card with Amount on it (minor units): a
// line of the transaction, activated when the sale commits.
type IssueGiftCard struct {
	Number string
	Amount money.Amount
}

// AddToGiftCard sells Amount more onto an issued gift card.
type AddToGiftCard struct {
	Number string
	Amount money.Amount
}

// GiftCardBalance shows a gift card's balance.
type GiftCardBalance struct{ Number string }

// PayGiftCard pays with a gift card: Amount in minor units (0 = what is
// due, or as much as the card can pay now).
type PayGiftCard struct {
	Number string
	Amount money.Amount
}

// CashOutGiftCard pays out a gift card's whole remaining balance in cash
// (a negative line: the transaction then refunds it), when it is no more
// than the store's cash-out limit. Online only.
type CashOutGiftCard struct{ Number string }

// PayCreditMemo pays with a credit memo: Amount in minor units (0 = what
// is due, or the memo's whole balance); what is left stays on the memo.
type PayCreditMemo struct {
	Number string
	Amount money.Amount
}

// IssueCreditMemo refunds what the transaction owes the customer onto a
// new credit memo, printed on the receipt with its number as a barcode.
type IssueCreditMemo struct{}

// PayCustomerAccount charges the transaction's customer's account: Amount
// in minor units (0 = what is due, or as much as the credit limit allows).
type PayCustomerAccount struct{ Amount money.Amount }

// AccountDeposit takes a payment into the transaction's customer's account
// (what they owe goes down): a line of Amount, paid like a sale.
type AccountDeposit struct{ Amount money.Amount }

// PayCardExact pays exactly what is due by card.
type PayCardExact struct{ TenderID string }

// PayAccountExact charges exactly what is due to the customer's account,
// or nothing when the credit limit does not allow it.
type PayAccountExact struct{}

// PayGiftCardExact pays exactly what is due with a gift card, or nothing
// when the card cannot cover it.
type PayGiftCardExact struct{ Number string }

// PayLoyaltyExact pays exactly what is due with the card's points, or
// nothing when they do not cover it.
type PayLoyaltyExact struct{}

// OpID of PayCardExact.
func (PayCardExact) OpID() OpID { return OpPayCardExact }

// OpID of PayAccountExact.
func (PayAccountExact) OpID() OpID { return OpPayAccountExact }

// OpID of PayGiftCardExact.
func (PayGiftCardExact) OpID() OpID { return OpPayGiftCardExact }

// OpID of PayLoyaltyExact.
func (PayLoyaltyExact) OpID() OpID { return OpPayLoyaltyExact }

// CreditMemoBalance shows a credit memo's balance.
type CreditMemoBalance struct{ Number string }

// OpID of CreditMemoBalance.
func (CreditMemoBalance) OpID() OpID { return OpCreditMemoBalance }

// OpID of PayCustomerAccount.
func (PayCustomerAccount) OpID() OpID { return OpPayCustomerAccount }

// OpID of AccountDeposit.
func (AccountDeposit) OpID() OpID { return OpAccountDeposit }

// OpID of IssueGiftCard.
func (IssueGiftCard) OpID() OpID { return OpIssueGiftCard }

// OpID of AddToGiftCard.
func (AddToGiftCard) OpID() OpID { return OpAddToGiftCard }

// OpID of GiftCardBalance.
func (GiftCardBalance) OpID() OpID { return OpGiftCardBalance }

// OpID of PayGiftCard.
func (PayGiftCard) OpID() OpID { return OpPayGiftCard }

// OpID of CashOutGiftCard.
func (CashOutGiftCard) OpID() OpID { return OpCashOutGiftCard }

// OpID of PayCreditMemo.
func (PayCreditMemo) OpID() OpID { return OpPayCreditMemo }

// OpID of IssueCreditMemo.
func (IssueCreditMemo) OpID() OpID { return OpIssueCreditMemo }

// ValueDirectory reads a gift card's, memo's or account's balance from the
// store server, live, and holds what a sale takes from it until the sale
// reaches the server; the sync engine implements it. A number the server
// does not know is poserr.NotFound; an unreachable server poserr.Offline;
// a hold the number cannot cover poserr.Conflict.
type ValueDirectory interface {
	Balance(ctx context.Context, kind storedvalue.Kind, number string) (storedvalue.Known, error)
	// Hold sets what the sale txnID takes from the number (0 drops it).
	Hold(ctx context.Context, kind storedvalue.Kind, number, txnID string, amount money.Amount) error
}

// ValueInfo is a gift card's or memo's balance as the till knows it.
type ValueInfo struct {
	Balance storedvalue.Balance
	// Live says the store server answered a moment ago; otherwise the
	// balance is as the till last heard it (Balance.AsOf) plus its own
	// movements.
	Live bool
	// Spendable is what it can pay now (offline, the store's cap applies).
	Spendable money.Amount
}

// policy is the store's rules for a kind.
func (r *Register) policy(k storedvalue.Kind) storedvalue.Policy {
	p := r.setup.GiftCards
	if k == storedvalue.Account {
		p = r.setup.CustomerAccounts
	}
	if p == nil {
		return storedvalue.Policy{}
	}
	return *p
}

// valueNumber checks a scanned or typed number.
func valueNumber(kind storedvalue.Kind, number string) (string, error) {
	n, ok := storedvalue.Normalize(number)
	if !ok {
		if kind == storedvalue.Memo {
			return n, poserr.E(poserr.Invalid, "error.memo.number", "scan or type the credit memo's number (4 to 32 letters and digits)")
		}
		return n, poserr.E(poserr.Invalid, "error.giftcard.number", "scan or type the gift card's number (4 to 32 letters and digits)")
	}
	return n, nil
}

// valueInfo reads a number's balance: live from the store server when it
// answers (and kept in the local store, as the feed would), else as the
// till last heard it.
func (r *Register) valueInfo(ctx context.Context, kind storedvalue.Kind, number string) (*ValueInfo, error) {
	live, held := false, money.Amount(0)
	if d := r.opt.Balances; d != nil {
		k, err := d.Balance(ctx, kind, number)
		switch {
		case err == nil:
			if err := r.store.NoteValueBalance(ctx, k); err != nil {
				return nil, err
			}
			live, held = true, k.Held
		case poserr.Is(err, poserr.NotFound):
			live = true // the server has never heard of it
		}
		// any other failure: offline rules
	}
	b, err := r.store.ValueBalance(ctx, kind, number)
	if err != nil {
		return nil, err
	}
	b.Held = held
	pol := r.policy(kind)
	return &ValueInfo{Balance: b, Live: live, Spendable: pol.Spendable(b, live)}, nil
}

// unknownValue is the refusal of a number neither the till nor (live) the
// server knows.
func unknownValue(kind storedvalue.Kind, n string, live bool) error {
	shown := storedvalue.Shown(kind, n)
	var e *poserr.Error
	switch {
	case kind == storedvalue.Account && live:
		e = poserr.E(poserr.Conflict, "error.account.none", "customer %s has no account with the store (no credit limit is set)", shown)
	case kind == storedvalue.Account:
		e = poserr.E(poserr.Offline, "error.account.unknown_offline", "the till has not heard of customer %s's account and the store server cannot be reached: take another payment", shown)
	case kind == storedvalue.GiftCard && live:
		e = poserr.E(poserr.NotFound, "error.giftcard.unknown", "gift card %s is not issued: issue it instead", shown)
	case live:
		e = poserr.E(poserr.NotFound, "error.value.unknown", "%s is not a gift card or credit memo the store issued", shown)
	default:
		e = poserr.E(poserr.Offline, "error.value.unknown_offline", "the till has not heard of %s and the store server cannot be reached: take another payment", shown)
	}
	e.Args = map[string]any{"number": shown}
	return e
}

// knownValue reads the balance of a number the till or the server knows.
func (r *Register) knownValue(ctx context.Context, kind storedvalue.Kind, n string) (*ValueInfo, error) {
	info, err := r.valueInfo(ctx, kind, n)
	if err != nil {
		return nil, err
	}
	if !info.Balance.Exists() {
		return nil, unknownValue(kind, n, info.Live)
	}
	return info, nil
}

// onCart sums what the open transaction already moves on a number.
func onCart(c *cart.Cart, kind storedvalue.Kind, number string) money.Amount {
	for _, m := range c.ValueMoves() {
		if m.Kind == kind && m.Number == number {
			return m.Amount
		}
	}
	return 0
}

// giftCardLine adds a gift card line of amount (negative: a cash-out).
func (r *Register) giftCardLine(number string, role cart.ValueRole, amount money.Amount) (Result, error) {
	c := r.openCart()
	if c.HasPayments() {
		return Result{}, poserr.E(poserr.Conflict, "error.cart.has_payments", "a payment is on the transaction: void the payment before adding lines")
	}
	if c.OrderEvent != nil {
		return Result{}, poserr.E(poserr.Conflict, "error.giftcard.order", "a gift card cannot go on a customer order: sell it on its own transaction")
	}
	for _, l := range c.Active() {
		if l.Value != nil && l.Value.Number == number {
			return Result{}, poserr.E(poserr.Conflict, "error.giftcard.on_cart", "gift card %s is on the transaction already (line %d)", storedvalue.Mask(number), l.No)
		}
	}
	return r.addLine(r.moneyLine(giftCardProductID, amount, cart.ValueRef{Kind: storedvalue.GiftCard, Number: number, Role: role}))
}

// moneyLine is a stored-value line: one of amount, neither discounted nor
// returned, named in the store's language (the customer display shows it).
func (r *Register) moneyLine(productID string, amount money.Amount, v cart.ValueRef) cart.Line {
	name := receipt.LabelsFor(r.setup.Header.Language).ValueLine(v)
	return cart.Line{ProductID: productID, ItemID: productID, Name: name, Qty: catalog.One, UnitPrice: amount, OriginalPrice: amount,
		Flags: catalog.Flags{NoDiscount: true, NotReturnable: true}, Value: &v}
}

// sellGiftCard issues a gift card or adds value to one.
func (r *Register) sellGiftCard(ctx context.Context, number string, amount money.Amount, issue bool) (Result, error) {
	if _, ok := r.setup.FirstTender(cart.GiftCard); !ok {
		return Result{}, poserr.E(poserr.Conflict, "error.giftcard.none", "the store takes no gift cards (no gift card tender is set up)")
	}
	n, err := valueNumber(storedvalue.GiftCard, number)
	if err != nil {
		return Result{}, err
	}
	pol := r.policy(storedvalue.GiftCard)
	if amount <= 0 || amount < pol.MinIssue {
		e := poserr.E(poserr.Invalid, "error.giftcard.amount", "enter the amount to put on the card (at least %s)", r.amountFmt(max(pol.MinIssue, 1)))
		e.Args = map[string]any{"min": r.amountFmt(max(pol.MinIssue, 1))}
		return Result{}, e
	}
	info, err := r.valueInfo(ctx, storedvalue.GiftCard, n)
	if err != nil {
		return Result{}, err
	}
	switch {
	case issue && info.Balance.Exists():
		return Result{}, poserr.E(poserr.Conflict, "error.giftcard.issued", "gift card %s is issued already: add value to it instead", storedvalue.Mask(n))
	case !issue && !info.Balance.Exists():
		return Result{}, unknownValue(storedvalue.GiftCard, n, info.Live)
	}
	if pol.MaxValue > 0 && info.Balance.Amount()+amount > pol.MaxValue {
		e := poserr.E(poserr.Invalid, "error.giftcard.max_value", "a gift card holds at most %s", r.amountFmt(pol.MaxValue))
		e.Args = map[string]any{"max": r.amountFmt(pol.MaxValue)}
		return Result{}, e
	}
	role := cart.ValueAdd
	if issue {
		role = cart.ValueIssue
	}
	res, err := r.giftCardLine(n, role, amount)
	if err == nil {
		res.Value = info
	}
	return res, err
}

// cashOutGiftCard pays out a card's remainder.
func (r *Register) cashOutGiftCard(ctx context.Context, number string) (Result, error) {
	n, err := valueNumber(storedvalue.GiftCard, number)
	if err != nil {
		return Result{}, err
	}
	info, err := r.valueInfo(ctx, storedvalue.GiftCard, n)
	if err != nil {
		return Result{}, err
	}
	if !info.Live {
		return Result{}, poserr.E(poserr.Offline, "error.giftcard.cashout_offline", "a gift card is cashed out only while the store server answers: try again when it is back")
	}
	left := info.Balance.Amount() + onCart(r.openCart(), storedvalue.GiftCard, n)
	pol := r.policy(storedvalue.GiftCard)
	switch {
	case left <= 0:
		return Result{}, poserr.E(poserr.Conflict, "error.giftcard.empty", "gift card %s has nothing left on it", storedvalue.Mask(n))
	case left > pol.CashOutMax:
		e := poserr.E(poserr.Conflict, "error.giftcard.cashout_max", "gift card %s holds %s: the store cashes out at most %s", storedvalue.Mask(n), r.amountFmt(left), r.amountFmt(pol.CashOutMax))
		e.Args = map[string]any{"balance": r.amountFmt(left), "max": r.amountFmt(pol.CashOutMax)}
		return Result{}, e
	}
	res, err := r.giftCardLine(n, cart.ValueCashOut, -left)
	if err == nil {
		res.Value = info
	}
	return res, err
}

// valuePayment checks a payment with a gift card or memo (or a refund onto
// one) and returns the amount it pays and the tender's value. amount is
// what is due or what the cashier typed (explicit).
func (r *Register) valuePayment(ctx context.Context, c *cart.Cart, p payment, amount money.Amount, explicit, refund bool) (money.Amount, *cart.ValueInfo, error) {
	kind := storedvalue.GiftCard
	switch p.kind {
	case cart.CreditMemo:
		kind = storedvalue.Memo
	case cart.Account:
		kind = storedvalue.Account
		if c.Customer == "" {
			return 0, nil, poserr.E(poserr.Conflict, "error.account.no_customer", "put the customer on the transaction first: the account is the customer's")
		}
		p.number = c.Customer
	}
	if refund && kind == storedvalue.Memo && strings.TrimSpace(p.number) == "" {
		// a new memo for what the customer is owed
		return amount, &cart.ValueInfo{Kind: kind, Number: memoNumber(c.ID, len(c.Tenders)+1), Balance: amount}, nil
	}
	n, err := valueNumber(kind, p.number)
	if err != nil {
		return 0, nil, err
	}
	for _, l := range c.Active() {
		if l.Value != nil && l.Value.Number == n && !refund {
			return 0, nil, poserr.E(poserr.Conflict, "error.giftcard.pay_itself", "gift card %s is sold on this transaction: pay for it another way", storedvalue.Mask(n))
		}
	}
	info, err := r.valueInfo(ctx, kind, n)
	if err != nil {
		return 0, nil, err
	}
	shown := storedvalue.Shown(kind, n)
	if !info.Balance.Exists() {
		return 0, nil, unknownValue(kind, n, info.Live)
	}
	taken := onCart(c, kind, n) // already on this transaction (negative when spent)
	if refund {
		return amount, &cart.ValueInfo{Kind: kind, Number: n, Balance: info.Balance.Amount() + taken + amount}, nil
	}
	spendable := max(info.Spendable+min(taken, 0), 0)
	if spendable <= 0 {
		var e *poserr.Error
		switch {
		case kind == storedvalue.Account && info.Live:
			e = poserr.E(poserr.Conflict, "error.account.limit", "%s's account is at its credit limit", shown)
		case !info.Live && (info.Balance.Amount()+taken > 0 || kind == storedvalue.Account):
			e = poserr.E(poserr.Offline, "error.value.offline_cap", "%s cannot be spent more while the store server cannot be reached: take another payment", shown)
		default:
			e = poserr.E(poserr.Conflict, "error.value.empty", "%s has nothing left on it", shown)
		}
		e.Args = map[string]any{"number": shown}
		return 0, nil, e
	}
	if amount > spendable {
		if explicit {
			e := poserr.E(poserr.Invalid, "error.value.too_little", "%s can pay at most %s now", shown, r.amountFmt(spendable))
			e.Args = map[string]any{"number": shown, "amount": r.amountFmt(spendable)}
			return 0, nil, e
		}
		amount = spendable
	}
	if info.Live {
		// held at the server until the sale arrives: no other till spends it meanwhile
		err := r.opt.Balances.Hold(ctx, kind, n, c.ID, amount-min(taken, 0))
		switch {
		case poserr.Is(err, poserr.Conflict):
			e := poserr.Wrap(err, poserr.Conflict, "error.value.held", "%s was just spent at another till: take another payment", shown)
			e.Args = map[string]any{"number": shown}
			return 0, nil, e
		case err != nil && !poserr.Is(err, poserr.Offline):
			return 0, nil, err
		case err != nil && amount > r.policy(kind).Spendable(info.Balance, false)+min(taken, 0):
			// the server went away between the read and the hold: offline rules
			e := poserr.Wrap(err, poserr.Offline, "error.value.offline_cap", "%s cannot be spent more while the store server cannot be reached: take another payment", shown)
			e.Args = map[string]any{"number": shown}
			return 0, nil, e
		}
	}
	return amount, &cart.ValueInfo{Kind: kind, Number: n, Balance: info.Balance.Amount() + taken - amount}, nil
}

// releaseValue sets the server's hold on a number to what the open sale
// still takes from it (a payment with it voided); best effort: an
// unreachable server lets the hold lapse.
func (r *Register) releaseValue(ctx context.Context, c *cart.Cart, v *cart.ValueInfo) {
	if r.opt.Balances == nil || v == nil {
		return
	}
	_ = r.opt.Balances.Hold(ctx, v.Kind, v.Number, c.ID, max(-onCart(c, v.Kind, v.Number), 0))
}

// memoNumber is a new credit memo's number: the transaction's ID (its
// random tail) and the tender's number, unique across the chain.
func memoNumber(txnID string, tenderNo int) string {
	var b strings.Builder
	for _, r := range strings.ToUpper(txnID) {
		if unicode.IsDigit(r) || (r >= 'A' && r <= 'Z') {
			b.WriteRune(r)
		}
	}
	id := b.String()
	if len(id) > 12 {
		id = id[len(id)-12:]
	}
	return "CM-" + id + "-" + strconv.Itoa(tenderNo)
}

// accountDeposit adds a payment into the customer's account.
func (r *Register) accountDeposit(ctx context.Context, amount money.Amount) (Result, error) {
	if _, ok := r.setup.FirstTender(cart.Account); !ok {
		return Result{}, poserr.E(poserr.Conflict, "error.account.tender", "the store keeps no customer accounts (no account tender is set up)")
	}
	c := r.openCart()
	if c.Customer == "" {
		return Result{}, poserr.E(poserr.Conflict, "error.account.no_customer", "put the customer on the transaction first: the account is the customer's")
	}
	if amount <= 0 {
		return Result{}, poserr.E(poserr.Invalid, "error.account.amount", "enter the amount the customer pays into the account")
	}
	if c.HasPayments() {
		return Result{}, poserr.E(poserr.Conflict, "error.cart.has_payments", "a payment is on the transaction: void the payment before adding lines")
	}
	n, err := valueNumber(storedvalue.Account, c.Customer)
	if err != nil {
		return Result{}, err
	}
	info, err := r.knownValue(ctx, storedvalue.Account, n)
	if err != nil {
		return Result{}, err
	}
	res, err := r.addLine(r.moneyLine(accountProductID, amount, cart.ValueRef{Kind: storedvalue.Account, Number: n, Role: cart.ValueDeposit}))
	res.Value = info
	return res, err
}

func valueOps(g *Registry) {
	builtin(g, OpSpec{ID: OpPayCardExact, Name: "Pay card exact", Permission: perm(OpPayCardExact), Offline: true, NeedsShift: true, Group: GroupPayment,
		Doc: "Tender exactly the amount due by card through the payment terminal."},
		func(r *Register, ctx context.Context, o PayCardExact, _ *authority) (Result, error) {
			return r.pay(ctx, payment{kind: cart.Card, typeID: o.TenderID, exact: true}, OpPayCardExact)
		})
	builtin(g, OpSpec{ID: OpPayAccountExact, Name: "Pay customer account exact", Permission: perm(OpPayAccountExact), Offline: true, NeedsShift: true, Group: GroupPayment,
		Doc: "Charge exactly the amount due to the customer's account, or nothing when the credit limit (offline: the store's cap) does not allow it."},
		func(r *Register, ctx context.Context, _ PayAccountExact, _ *authority) (Result, error) {
			return r.pay(ctx, payment{kind: cart.Account, exact: true}, OpPayAccountExact)
		})
	builtin(g, OpSpec{ID: OpPayGiftCardExact, Name: "Pay gift card exact", Permission: perm(OpPayGiftCardExact), Offline: true, NeedsShift: true, Group: GroupPayment,
		Doc: "Pay exactly the amount due with a gift card, or nothing when it cannot cover it."},
		func(r *Register, ctx context.Context, o PayGiftCardExact, _ *authority) (Result, error) {
			return r.pay(ctx, payment{kind: cart.GiftCard, number: o.Number, exact: true}, OpPayGiftCardExact)
		})
	builtin(g, OpSpec{ID: OpPayLoyaltyExact, Name: "Pay loyalty card exact", Permission: perm(OpPayLoyaltyExact), Offline: true, NeedsShift: true, Group: GroupPayment,
		Doc: "Pay exactly the amount due with the loyalty card's points, or nothing when they do not cover it."},
		func(r *Register, ctx context.Context, _ PayLoyaltyExact, _ *authority) (Result, error) {
			return r.pay(ctx, payment{kind: cart.Points, exact: true}, OpPayLoyaltyExact)
		})
	builtin(g, OpSpec{ID: OpPayCustomerAccount, Name: "Pay customer account", Permission: perm(OpPayCustomerAccount), Offline: true, NeedsShift: true, Group: GroupPayment,
		Doc: "Charge the customer's account, up to the credit limit the store server sets; offline, a known account up to the store's offline cap."},
		func(r *Register, ctx context.Context, o PayCustomerAccount, _ *authority) (Result, error) {
			return r.pay(ctx, payment{kind: cart.Account, amount: o.Amount}, OpPayCustomerAccount)
		})
	builtin(g, OpSpec{ID: OpAccountDeposit, Name: "Customer account deposit", Permission: perm(OpAccountDeposit), Offline: true, Group: GroupPayment,
		Doc: "Take a payment into the customer's account (a line, paid like a sale): what they owe goes down."},
		func(r *Register, ctx context.Context, o AccountDeposit, _ *authority) (Result, error) {
			return r.accountDeposit(ctx, o.Amount)
		})
	builtin(g, OpSpec{ID: OpIssueGiftCard, Name: "Issue gift card", Permission: perm(OpIssueGiftCard), Offline: true, Group: GroupPayment,
		Doc: "Sell a new gift card with an amount on it: a line of the transaction (no tax, no discount), activated when the sale commits."},
		func(r *Register, ctx context.Context, o IssueGiftCard, _ *authority) (Result, error) {
			return r.sellGiftCard(ctx, o.Number, o.Amount, true)
		})
	builtin(g, OpSpec{ID: OpAddToGiftCard, Name: "Add to gift card", Permission: perm(OpAddToGiftCard), Offline: true, Group: GroupPayment,
		Doc: "Sell more value onto an issued gift card (up to the store's most a card holds)."},
		func(r *Register, ctx context.Context, o AddToGiftCard, _ *authority) (Result, error) {
			return r.sellGiftCard(ctx, o.Number, o.Amount, false)
		})
	builtin(g, OpSpec{ID: OpGiftCardBalance, Name: "Gift card balance", Permission: perm(OpGiftCardBalance), Offline: true, Group: GroupPayment,
		Doc: "A gift card's balance: live from the store server, or offline as last heard plus this till's movements, and what it can pay now."},
		func(r *Register, ctx context.Context, o GiftCardBalance, _ *authority) (Result, error) {
			n, err := valueNumber(storedvalue.GiftCard, o.Number)
			if err != nil {
				return Result{}, err
			}
			info, err := r.knownValue(ctx, storedvalue.GiftCard, n)
			return Result{Value: info}, err
		})
	builtin(g, OpSpec{ID: OpCreditMemoBalance, Name: "Credit memo balance", Permission: perm(OpCreditMemoBalance), Offline: true, Group: GroupPayment,
		Doc: "A credit memo's balance: live from the store server, or offline as last heard plus this till's movements, and what it can pay now."},
		func(r *Register, ctx context.Context, o CreditMemoBalance, _ *authority) (Result, error) {
			n, err := valueNumber(storedvalue.Memo, o.Number)
			if err != nil {
				return Result{}, err
			}
			info, err := r.knownValue(ctx, storedvalue.Memo, n)
			return Result{Value: info}, err
		})
	builtin(g, OpSpec{ID: OpPayGiftCard, Name: "Pay gift card", Permission: perm(OpPayGiftCard), Offline: true, NeedsShift: true, Group: GroupPayment,
		Doc: "Pay with a gift card's balance; offline, a card the till knows pays up to the store's offline cap, reconciled when the server is back."},
		func(r *Register, ctx context.Context, o PayGiftCard, _ *authority) (Result, error) {
			return r.pay(ctx, payment{kind: cart.GiftCard, amount: o.Amount, number: o.Number}, OpPayGiftCard)
		})
	builtin(g, OpSpec{ID: OpCashOutGiftCard, Name: "Cash out gift card", Permission: perm(OpCashOutGiftCard), Group: GroupPayment,
		Doc: "Pay out a gift card's remaining balance in cash, when it is no more than the store's cash-out limit (online only)."},
		func(r *Register, ctx context.Context, o CashOutGiftCard, _ *authority) (Result, error) {
			return r.cashOutGiftCard(ctx, o.Number)
		})
	builtin(g, OpSpec{ID: OpPayCreditMemo, Name: "Pay credit memo", Permission: perm(OpPayCreditMemo), Offline: true, NeedsShift: true, Group: GroupPayment,
		Doc: "Pay with a credit memo; what it does not pay stays on it. Offline only a memo this till issued."},
		func(r *Register, ctx context.Context, o PayCreditMemo, _ *authority) (Result, error) {
			return r.pay(ctx, payment{kind: cart.CreditMemo, amount: o.Amount, number: o.Number}, OpPayCreditMemo)
		})
	builtin(g, OpSpec{ID: OpIssueCreditMemo, Name: "Issue credit memo", Permission: perm(OpIssueCreditMemo), Offline: true, NeedsShift: true, Group: GroupPayment,
		Doc: "Refund what the transaction owes the customer onto a new credit memo, its number printed as a barcode to redeem at any till."},
		func(r *Register, ctx context.Context, _ IssueCreditMemo, _ *authority) (Result, error) {
			if r.cart != nil && r.cart.Totals.Remaining > 0 {
				return Result{}, poserr.E(poserr.Conflict, "error.memo.not_refund", "a credit memo is issued for what a return owes the customer: nothing is owed")
			}
			return r.pay(ctx, payment{kind: cart.CreditMemo}, OpIssueCreditMemo)
		})
}
