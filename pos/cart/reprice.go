package cart

import (
	"fmt"

	"github.com/opentill/opentill/pos/money"
	"github.com/opentill/opentill/pos/tax"
)

// Pricing is what Reprice needs from the store's setup.
type Pricing struct {
	Tax    tax.Config
	Groups map[string]tax.Group
	Round  money.Mode // rounding of quantity × price and of percentage discounts
}

// Reprice recomputes every line and the totals: price × quantity, manual line
// discounts, the manual total discount spread over discountable lines, tax,
// and the payment totals. It is the one place totals are derived.
func (c *Cart) Reprice(p Pricing) error {
	active := c.Active()
	// 1. Gross and line discounts.
	for _, l := range active {
		l.Gross = money.Amount(money.MulDiv(int64(l.Qty), int64(l.UnitPrice), 1000, p.Round))
		l.LineDiscount, l.TotalDiscount = 0, 0
		switch {
		case l.ReturnOf != nil:
			l.LineDiscount = l.ReturnDiscount
		case !l.Flags.Discountable():
		case l.Discount.Percent != 0:
			l.LineDiscount = money.Percent(l.Gross, l.Discount.Percent, p.Round)
		case l.Discount.Amount != 0:
			d := l.Discount.Amount
			if l.Gross < 0 {
				d = -d
			}
			if abs(d) > abs(l.Gross) {
				d = l.Gross
			}
			l.LineDiscount = d
		}
	}
	// 2. Transaction discount over discountable sale lines.
	if !c.Discount.IsZero() {
		var base money.Amount
		var idx []*Line
		var w []money.Amount
		for _, l := range active {
			if l.ReturnOf != nil || l.IsReturn() || !l.Flags.Discountable() {
				continue
			}
			after := l.Gross - l.LineDiscount
			if after <= 0 {
				continue
			}
			base += after
			idx = append(idx, l)
			w = append(w, after)
		}
		var amt money.Amount
		if c.Discount.Percent != 0 {
			amt = money.Percent(base, c.Discount.Percent, p.Round)
		} else {
			amt = c.Discount.Amount
			if amt > base {
				amt = base
			}
		}
		for k, share := range money.Allocate(amt, w) {
			idx[k].TotalDiscount = share
		}
	}
	// 3. Net and tax.
	tl := make([]tax.Line, len(active))
	for i, l := range active {
		l.Net = l.Gross - l.LineDiscount - l.TotalDiscount
		tl[i] = tax.Line{Group: l.TaxGroup, Amount: l.Net}
	}
	res, err := tax.Compute(p.Tax, p.Groups, tl)
	if err != nil {
		return fmt.Errorf("pricing the cart: %w", err)
	}
	for i, l := range active {
		l.Tax = res.Lines[i]
	}
	for i := range c.Lines {
		if c.Lines[i].Voided {
			l := &c.Lines[i]
			l.Gross, l.LineDiscount, l.TotalDiscount, l.Net, l.Tax = 0, 0, 0, 0, 0
		}
	}
	c.TaxSummary = res.Summary
	c.TaxInclusive = p.Tax.Inclusive
	// 4. Totals.
	var t Totals
	var net money.Amount
	for _, l := range active {
		t.Subtotal += l.Gross
		t.LineDiscounts += l.LineDiscount
		t.TotalDiscounts += l.TotalDiscount
		net += l.Net
	}
	t.Discounts = t.LineDiscounts + t.TotalDiscounts
	t.Tax = res.Total
	if !p.Tax.Inclusive {
		t.ExclusiveTax = res.Total
	}
	t.Total = net + t.ExclusiveTax
	c.refreshPayments(&t)
	c.Totals = t
	return nil
}

// refreshPayments fills the payment part of the totals from the tenders.
func (c *Cart) refreshPayments(t *Totals) {
	t.Rounding = c.Rounding
	t.Due = t.Total + t.Rounding
	t.Paid = 0
	for _, tn := range c.ActiveTenders() {
		t.Paid += tn.Amount
	}
	t.Change = c.Change
	t.Remaining = t.Due - t.Paid + t.Change
}

func abs(a money.Amount) money.Amount {
	if a < 0 {
		return -a
	}
	return a
}
