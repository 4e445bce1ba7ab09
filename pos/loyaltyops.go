package pos

import (
	"context"
	"strings"

	"github.com/opentill/opentill/pos/cart"
	"github.com/opentill/opentill/pos/loyalty"
	"github.com/opentill/opentill/pos/money"
	"github.com/opentill/opentill/pos/poserr"
)

// Loyalty operations (the anchor's numbers).
const (
	OpLoyaltyCard   OpID = 117
	OpPayLoyalty    OpID = 207
	OpLoyaltyPoints OpID = 521
)

// LoyaltyCard puts a loyalty card on the transaction (starting one if
// needed); a card a customer holds puts the customer on it too.
type LoyaltyCard struct{ Card string }

// PayLoyalty pays with the points of the transaction's card: Amount in
// minor units (0 = what is due, or as much as the points cover).
type PayLoyalty struct{ Amount money.Amount }

// LoyaltyPoints shows a card's points (the transaction's card when Card is
// "").
type LoyaltyPoints struct{ Card string }

// OpID of LoyaltyCard.
func (LoyaltyCard) OpID() OpID { return OpLoyaltyCard }

// OpID of PayLoyalty.
func (PayLoyalty) OpID() OpID { return OpPayLoyalty }

// OpID of LoyaltyPoints.
func (LoyaltyPoints) OpID() OpID { return OpLoyaltyPoints }

// LoyaltyInfo is a card's points as the till knows them.
type LoyaltyInfo struct {
	Balance    loyalty.Balance
	Redeemable int64 // what the card can pay with now (the offline cap applied)
	Tier       string
	Programme  string
}

func (r *Register) programme() (*loyalty.Programme, error) {
	if r.setup.Loyalty == nil {
		return nil, poserr.E(poserr.Conflict, "error.loyalty.none", "the store has no loyalty programme")
	}
	return r.setup.Loyalty, nil
}

// loyaltyInfo reads a card's balance.
func (r *Register) loyaltyInfo(ctx context.Context, card string) (*LoyaltyInfo, error) {
	p, err := r.programme()
	if err != nil {
		return nil, err
	}
	b, err := r.store.LoyaltyBalance(ctx, card)
	if err != nil {
		return nil, err
	}
	info := &LoyaltyInfo{Balance: b, Redeemable: p.Redeemable(b), Programme: p.Name}
	if t, ok := p.TierOf(b.Year); ok {
		info.Tier = t.Name
	}
	return info, nil
}

// attachCard puts card on the open transaction.
func (r *Register) attachCard(ctx context.Context, card string) (Result, error) {
	card = strings.TrimSpace(card)
	if card == "" || len(card) > 32 || strings.ContainsFunc(card, func(c rune) bool { return c < ' ' }) {
		return Result{}, poserr.E(poserr.Invalid, "error.loyalty.card", "scan or type the loyalty card number")
	}
	if _, err := r.programme(); err != nil {
		return Result{}, err
	}
	c := r.openCart()
	if c.HasPayments() {
		return Result{}, poserr.E(poserr.Conflict, "error.cart.has_payments", "a payment is on the transaction: void the payment before changing the customer")
	}
	res := Result{}
	if cu, err := r.store.Customer(ctx, card); err == nil && cu.LoyaltyCard == card && c.Customer != cu.Number {
		if res, err = r.setCustomer(ctx, cu.ID); err != nil {
			return Result{}, err
		}
	}
	c.Loyalty = &cart.Loyalty{Card: card}
	info, err := r.loyaltyInfo(ctx, card)
	if err != nil {
		return Result{}, err
	}
	res.Loyalty = info
	return res, nil
}

// bookLoyalty fills in the points a completing transaction moves: those
// paid with, and those earned on what was not paid with points.
func (r *Register) bookLoyalty(ctx context.Context, c *cart.Cart) error {
	if c.Loyalty == nil || r.setup.Loyalty == nil {
		return nil
	}
	p := r.setup.Loyalty
	var redeemed int64
	var paidWithPoints int64
	for _, t := range c.Tenders {
		if t.Kind == cart.Points && !t.Voided {
			redeemed += t.Points
			paidWithPoints += int64(t.Amount)
		}
	}
	b, err := r.store.LoyaltyBalance(ctx, c.Loyalty.Card)
	if err != nil {
		return err
	}
	tier, _ := p.TierOf(b.Year)
	lines := make([]loyalty.Line, 0, len(c.Lines))
	var orderMoney money.Amount
	for _, l := range c.Active() {
		if l.IsMoney() {
			orderMoney += l.Net // a deposit earns nothing; the goods do when handed over
			continue
		}
		lines = append(lines, loyalty.Line{Category: l.Category, Net: l.Net})
	}
	unit := int64(1)
	for range r.setup.Currency.Digits {
		unit *= 10
	}
	c.Loyalty.Tier = tier.Name
	c.Loyalty.Earned = p.Earn(lines, c.Totals.Total-orderMoney, money.Amount(paidWithPoints), unit, tier)
	c.Loyalty.Redeemed = redeemed
	return nil
}

func loyaltyOps(g *Registry) {
	builtin(g, OpSpec{ID: OpLoyaltyCard, Name: "Loyalty card", Permission: perm(OpLoyaltyCard), Offline: true, Group: GroupCustomer,
		Doc: "Put a loyalty card on the transaction (its holder goes on as the customer): points are earned when it completes, offline too."},
		func(r *Register, ctx context.Context, o LoyaltyCard, _ *authority) (Result, error) {
			return r.attachCard(ctx, o.Card)
		})
	builtin(g, OpSpec{ID: OpLoyaltyPoints, Name: "Loyalty points", Permission: perm(OpLoyaltyPoints), Offline: true, Group: GroupCustomer,
		Doc: "A card's points: the store server's last balance plus this till's movements it has not counted, and what can be redeemed now."},
		func(r *Register, ctx context.Context, o LoyaltyPoints, _ *authority) (Result, error) {
			card := strings.TrimSpace(o.Card)
			if card == "" && r.cart != nil && r.cart.Loyalty != nil {
				card = r.cart.Loyalty.Card
			}
			if card == "" {
				return Result{}, poserr.E(poserr.Invalid, "error.loyalty.card", "scan or type the loyalty card number")
			}
			info, err := r.loyaltyInfo(ctx, card)
			if err != nil {
				return Result{}, err
			}
			return Result{Loyalty: info}, nil
		})
	builtin(g, OpSpec{ID: OpPayLoyalty, Name: "Pay with points", Permission: perm(OpPayLoyalty), Offline: true, NeedsShift: true, Group: GroupPayment,
		Doc: "Pay with the loyalty card's points; offline, points the store server has not confirmed are capped by the programme's offline cap."},
		func(r *Register, ctx context.Context, o PayLoyalty, _ *authority) (Result, error) {
			return r.pay(ctx, payment{kind: cart.Points, amount: o.Amount}, OpPayLoyalty)
		})
}

// pointsPayment checks a payment with points of amount (explicit says the
// cashier typed it) against the card's redeemable points and returns the
// amount the points pay and how many it takes.
func (r *Register) pointsPayment(ctx context.Context, c *cart.Cart, amount money.Amount, explicit bool) (money.Amount, int64, error) {
	p, err := r.programme()
	if err != nil {
		return 0, 0, err
	}
	if c.Loyalty == nil {
		return 0, 0, poserr.E(poserr.Conflict, "error.loyalty.no_card", "put the customer's loyalty card on the transaction first")
	}
	if p.PointValue <= 0 {
		return 0, 0, poserr.E(poserr.Conflict, "error.loyalty.no_value", "the loyalty programme's points cannot pay")
	}
	info, err := r.loyaltyInfo(ctx, c.Loyalty.Card)
	if err != nil {
		return 0, 0, err
	}
	for _, t := range c.Tenders {
		if t.Kind == cart.Points && !t.Voided {
			info.Redeemable -= t.Points // already on this transaction
		}
	}
	cover := money.Amount(max(info.Redeemable, 0)) * p.PointValue
	if cover <= 0 {
		e := poserr.E(poserr.Conflict, "error.loyalty.no_points", "the card has no points to pay with now (offline, points are capped until the store server confirms them)")
		e.Args = map[string]any{"points": info.Balance.Points()}
		return 0, 0, e
	}
	if amount > cover {
		if explicit {
			return 0, 0, poserr.E(poserr.Invalid, "error.loyalty.too_few", "the card's points pay at most %s", r.amountFmt(cover))
		}
		amount = cover
	}
	n, _ := p.PointsFor(amount)
	return amount, n, nil
}
