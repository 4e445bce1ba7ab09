package cart

import "github.com/opentill/opentill/pos/money"

// KindTender is the Applied.Kind of a tender-based discount.
const KindTender = "tender"

// TenderSharer is a Promoter with tender-based discounts: it says which
// tenders earn one.
type TenderSharer interface {
	// TenderDiscounts reports whether there are any (else nothing is
	// shared, and the lines are not looked through).
	TenderDiscounts() bool
	// TenderPaid returns, for the tender discount offer, what the active
	// tenders of c that earn it pay, what the others pay, and whether the
	// tender about to be used (PayingWith, PayingBrand) earns it.
	TenderPaid(c *Cart, offer string) (earning, other money.Amount, paying bool)
}

// shareTenderDiscount gives a tender-based discount only to the share of
// the transaction paid with the tender that earns it (the anchor: "the
// customer can decide whether to do a partial payment or a full payment,
// and the pricing engine determines the appropriate discount amount").
//
// With T0 the total without the tender discount and E what the whole
// discount takes off it: the tender about to be used pays all that the
// other tenders do not, so it covers T0 − other; tenders already on the
// transaction that earn it paid at the discounted rate, so what they paid
// covers earning × T0 / (T0 − E). The discount is E's share of what is
// covered, over T0, spread over the lines in proportion to the whole
// discount's amounts, and the transaction is priced again.
func (c *Cart) shareTenderDiscount(active []*Line, p Pricing, ts TenderSharer, sc *scratch) error {
	if !ts.TenderDiscounts() {
		return nil
	}
	offer := ""
	var full money.Amount
	for _, l := range active {
		for _, a := range l.Promotions {
			if a.Kind == KindTender {
				offer = a.OfferID
				full += a.Amount
			}
		}
	}
	if offer == "" || full <= 0 {
		return nil
	}
	withFull := c.Totals.Total
	earning, other, paying := ts.TenderPaid(c, offer)
	// The total without it.
	kept := make([][]Applied, len(active))
	for i, l := range active {
		kept[i] = l.Promotions
		l.Promotions, l.PromoDiscount = withoutTender(l.Promotions)
	}
	if err := c.settle(active, p, sc); err != nil {
		return err
	}
	t0 := c.Totals.Total
	e := t0 - withFull
	var covered money.Amount
	switch {
	case t0 <= 0 || e <= 0:
		covered = t0
	case paying:
		covered = t0 - other
	default:
		covered = money.Amount(money.MulDiv(int64(earning), int64(t0), int64(t0-e), money.HalfUp))
	}
	if covered >= t0 {
		for i, l := range active {
			l.Promotions, l.PromoDiscount = kept[i], sumApplied(kept[i])
		}
		return c.settle(active, p, sc)
	}
	if covered < 0 {
		covered = 0
	}
	// The share, rounded once, spread over the whole discount's amounts.
	share := money.Amount(money.MulDiv(int64(full), int64(covered), int64(t0), money.HalfUp))
	var weights []money.Amount
	for i := range active {
		for _, a := range kept[i] {
			if a.Kind == KindTender {
				weights = append(weights, a.Amount)
			}
		}
	}
	parts := money.Allocate(share, weights)
	k := 0
	for i, l := range active {
		var out []Applied
		for _, a := range kept[i] {
			if a.Kind == KindTender {
				a.Amount = parts[k]
				if n := int64(len(a.Units)); n > 1 {
					unit, last := UnitShares(a.Amount, n)
					a.Units = make([]money.Amount, n)
					for u := range a.Units {
						a.Units[u] = unit
					}
					a.Units[n-1] = last
				}
				k++
				if a.Amount == 0 {
					continue
				}
			}
			out = append(out, a)
		}
		l.Promotions, l.PromoDiscount = out, sumApplied(out)
	}
	return c.settle(active, p, sc)
}

// withoutTender returns the discounts of a line but its tender discount
// (a new slice: the engine's results are never changed) and their sum.
func withoutTender(list []Applied) ([]Applied, money.Amount) {
	var out []Applied
	for _, a := range list {
		if a.Kind != KindTender {
			out = append(out, a)
		}
	}
	return out, sumApplied(out)
}

func sumApplied(list []Applied) money.Amount {
	var s money.Amount
	for _, a := range list {
		s += a.Amount
	}
	return s
}

// UnitShares splits a line's discount over its k units when the store does
// not keep items on the same sales line: each unit gets a / k, rounded, and
// the last what is left (10.00 over 3: 3.33, 3.33, 3.34).
func UnitShares(a money.Amount, k int64) (unit, last money.Amount) {
	if k <= 1 {
		return a, a
	}
	unit = money.Amount(money.Div(int64(a), k, money.HalfUp))
	return unit, a - money.Amount(k-1)*unit
}
