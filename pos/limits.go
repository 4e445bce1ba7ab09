package pos

import (
	"github.com/opentill/opentill/pos/cart"
	"github.com/opentill/opentill/pos/money"
	"github.com/opentill/opentill/pos/poserr"
	"github.com/opentill/opentill/pos/staff"
)

// Limits are invariants of the transaction, not checks of one operation.
//
// After every operation that can change the cart (and again before a sale
// is saved) the register measures each limited part of the transaction as
// it now stands — every line's manual discount, the total discount, every
// changed price, the returns — and holds it to an authority: the limit of
// whoever authorised it, recorded in the cart (cart.Authority). A part
// within the current operator's own limit, or within the recorded limit of
// the manager who approved it, passes; a part an approved operation creates
// or raises records that manager's limit; anything else is refused with
// poserr.LimitExceeded (so the screen offers a manager override of that
// very operation) and the cart is put back as it was. So a quantity change
// that turns an allowed amount discount into 100 %, or a second return
// that takes the refunds past the limit, is refused like the discount or
// the return itself.

// measure is one limited part of a transaction, measured now.
type measure struct {
	limit cart.Limit
	line  int
	value int64 // basis points or minor units
	name  string
}

// measures lists the limited parts of c.
func measures(c *cart.Cart) []measure {
	var out []measure
	var totalDisc, totalBase, returns money.Amount
	for _, l := range c.Active() {
		if l.IsReturn() {
			returns += -l.Net
			continue
		}
		if l.Discount.Percent != 0 {
			// a percentage is its own measure: the amount is rounded from it
			out = append(out, measure{limit: cart.LimitLineDiscount, line: l.No, value: l.Discount.Percent, name: l.Name})
		} else if l.Discount.Amount != 0 {
			out = append(out, measure{limit: cart.LimitLineDiscount, line: l.No, value: shareBP(l.LineDiscount, l.Gross-l.PromoDiscount), name: l.Name})
		}
		if l.Overridden {
			cut := int64(0) // a raised price cuts nothing, but is an override all the same
			if l.UnitPrice < l.OriginalPrice {
				cut = shareBP(l.OriginalPrice-l.UnitPrice, l.OriginalPrice)
			}
			out = append(out, measure{limit: cart.LimitPriceOverride, line: l.No, value: cut, name: l.Name})
		}
		if l.TotalDiscount != 0 {
			totalDisc += l.TotalDiscount
		}
		if l.Flags.Discountable() {
			totalBase += l.Gross - l.PromoDiscount - l.LineDiscount
		}
	}
	if c.Discount.Percent != 0 {
		out = append(out, measure{limit: cart.LimitTotalDiscount, value: c.Discount.Percent})
	} else if c.Discount.Amount != 0 {
		out = append(out, measure{limit: cart.LimitTotalDiscount, value: shareBP(totalDisc, totalBase)})
	}
	if returns > 0 {
		out = append(out, measure{limit: cart.LimitReturn, value: int64(returns)})
	}
	return out
}

// shareBP is part as basis points of whole, rounded up; a part of nothing
// is more than everything.
func shareBP(part, whole money.Amount) int64 {
	if part <= 0 {
		return 0
	}
	if whole <= 0 {
		return 10001
	}
	return money.MulDiv(int64(part), 10000, int64(whole), money.Up)
}

// roleMax is what a role allows for a limit (-1: not at all).
func roleMax(l staff.Limits, limit cart.Limit) int64 {
	switch limit {
	case cart.LimitLineDiscount:
		return l.MaxLineDiscountBP
	case cart.LimitTotalDiscount:
		return l.MaxTotalDiscountBP
	case cart.LimitPriceOverride:
		if !l.AllowPriceOverride {
			return -1
		}
		if l.MaxPriceOverrideBP == 0 {
			return 10000
		}
		return l.MaxPriceOverrideBP
	case cart.LimitReturn:
		return l.MaxReturnAmount
	}
	return -1
}

// enforceLimits holds every limited part of c to an authority (see the
// package comment above), recording the authority of a, the operation's, for
// the parts it covers that no recorded authority covers yet. The cart's
// operator's own limits are op's role; a.approver is set for an override.
func (r *Register) enforceLimits(c *cart.Cart, a *authority) error {
	if c == nil || r.quote {
		return nil
	}
	ms := measures(c)
	kept := c.Authorities[:0:0]
	for _, m := range ms {
		rec := findAuthority(c.Authorities, m.limit, m.line)
		switch {
		case rec != nil && m.value <= rec.Max:
			kept = append(kept, *rec)
		case m.value <= roleMax(a.role.Limits, m.limit):
			who, approved := a.operator.ID, false
			if a.approver != nil {
				who, approved = a.approver.ID, true
			}
			kept = append(kept, cart.Authority{Limit: m.limit, Line: m.line, Operator: who, Approved: approved, Max: roleMax(a.role.Limits, m.limit)})
		default:
			return r.limitError(m, a)
		}
	}
	c.Authorities = kept
	return nil
}

func findAuthority(list []cart.Authority, limit cart.Limit, line int) *cart.Authority {
	for i := range list {
		if list[i].Limit == limit && list[i].Line == line {
			return &list[i]
		}
	}
	return nil
}

// limitError says which part of the transaction an operation would take
// past which limit.
func (r *Register) limitError(m measure, a *authority) error {
	who := a.operator.Name
	if a.approver != nil {
		who = a.approver.Name
	}
	max := roleMax(a.role.Limits, m.limit)
	var e *poserr.Error
	switch m.limit {
	case cart.LimitLineDiscount:
		e = poserr.E(poserr.LimitExceeded, "error.limit.line_discount", "this leaves the discount of line %d (%s) at %s%%, over %s's limit of %s%%: a manager can authorise it", m.line, m.name, bp(m.value), who, bp(max))
	case cart.LimitTotalDiscount:
		e = poserr.E(poserr.LimitExceeded, "error.limit.total_discount", "this leaves the transaction's discount at %s%%, over %s's limit of %s%%: a manager can authorise it", bp(m.value), who, bp(max))
	case cart.LimitPriceOverride:
		if max < 0 {
			e = poserr.E(poserr.LimitExceeded, "error.limit.price_override_not_allowed", "line %d (%s) has a changed price, and %s may not override prices: a manager can authorise it", m.line, m.name, who)
		} else {
			e = poserr.E(poserr.LimitExceeded, "error.limit.price_override", "this leaves the price of line %d (%s) %s%% below its own, over %s's limit of %s%%: a manager can authorise it", m.line, m.name, bp(m.value), who, bp(max))
		}
	case cart.LimitReturn:
		e = poserr.E(poserr.LimitExceeded, "error.limit.return", "this takes the returns to %s, over %s's limit of %s: a manager can authorise it", r.amountFmt(money.Amount(m.value)), who, r.amountFmt(money.Amount(max)))
	default:
		e = poserr.E(poserr.LimitExceeded, "error.limit.other", "this goes past %s's limit %s: a manager can authorise it", who, m.limit)
	}
	// The message's arguments in the store's locale ("12,5" %, "50,00 €").
	f := r.setup.Header.Format()
	e.Args = map[string]any{"line": m.line, "name": m.name, "who": who, "value": f.Fraction(m.value, 2), "limit": f.Fraction(max, 2)}
	if m.limit == cart.LimitReturn {
		e.Args["value"], e.Args["limit"] = f.Money(money.Amount(m.value), r.setup.Currency), f.Money(money.Amount(max), r.setup.Currency)
	}
	return e
}

// checkLimitsAfter holds the open transaction to its limits after an
// operation; one that would take it past a limit leaves the cart as it was
// before.
func (r *Register) checkLimitsAfter(before *cart.Cart, a *authority) error {
	if r.cart == nil {
		return nil
	}
	if err := r.enforceLimits(r.cart, a); err != nil {
		r.cart = before
		return err
	}
	return nil
}
