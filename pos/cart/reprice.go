package cart

import (
	"fmt"
	"sync"
	"time"

	"github.com/opentill/opentill/pos/catalog"
	"github.com/opentill/opentill/pos/money"
	"github.com/opentill/opentill/pos/tax"
)

// Pricing is what Reprice needs from the store's setup.
type Pricing struct {
	Tax    tax.Config
	Groups map[string]tax.Group
	Round  money.Mode // rounding of quantity × price and of percentage discounts
	// Promotions prices lines from price lists and computes the automatic
	// discounts; nil means catalog prices and no promotions.
	Promotions Promoter
	// Now is when the cart is priced (validity dates of prices and
	// promotions); zero means the cart's start time.
	Now time.Time
	// Full prices the cart from scratch: the promotions engine forgets what
	// it kept of the cart's last pricing (the result is the same; it is for
	// checks and benchmarks).
	Full bool
}

// Promoter is the pricing and promotions engine as the cart sees it;
// pos/pricing implements it. Both methods are pure functions of their input
// (Discounts keeps a cache on the cart, Cart.PromoCache, that never changes
// its result).
type Promoter interface {
	// UnitPrice returns the price of one unit of l from the price lists and
	// trade agreements that apply to the cart at time at, or false when none
	// applies and the catalog price stands.
	UnitPrice(c *Cart, l *Line, at time.Time) (money.Amount, bool)
	// Discounts returns the automatic discounts of lines (out[i] belongs to
	// lines[i]); Gross is set on every line when it is called, and
	// Promotions still holds the line's last result, which Discounts may
	// return again when nothing in it changed (it is never modified).
	Discounts(c *Cart, lines []*Line, at time.Time) [][]Applied
}

// PromoterInto is a Promoter that writes Discounts' result into room the
// caller keeps (dst, grown when short), which Reprice reuses from one call
// to the next.
type PromoterInto interface {
	DiscountsInto(dst [][]Applied, c *Cart, lines []*Line, at time.Time) [][]Applied
}

// Reprice recomputes every line and the totals: prices from the price lists,
// price × quantity, automatic discounts (promotions), manual line discounts
// on the price after promotions, the manual total discount spread over
// discountable lines, tax, and the payment totals. It is the one place
// totals are derived.
func (c *Cart) Reprice(p Pricing) error {
	sc := scratchPool.Get().(*scratch)
	defer sc.put()
	active := c.appendActive(sc.active[:0])
	sc.active = active
	at := p.Now
	if at.IsZero() {
		at = c.Started
	}
	// 1. Prices from price lists, gross.
	for _, l := range active {
		per := l.PriceUnit
		if !l.CatalogPrice {
			per = 0 // keyed in, embedded in the barcode or carried from a sale: per unit
		}
		if p.Promotions != nil && l.CatalogPrice && l.ReturnOf == nil && l.Order == nil && l.Value == nil && !l.IsReturn() {
			price := l.ListPrice
			if tp, ok := p.Promotions.UnitPrice(c, l, at); ok {
				price, per = tp, 0 // agreements are compiled to the price of one unit
			}
			l.OriginalPrice = price
			if !l.Overridden {
				l.UnitPrice = price
			}
		}
		if l.Overridden {
			per = 0 // the cashier keys in the price of one unit
		}
		l.PricedPer = 0
		if per > 0 && per != catalog.One {
			l.PricedPer = per
		}
		l.Gross = l.gross(p.Round)
		l.PromoDiscount = 0 // Promotions still holds the last result (see Promoter)
	}
	// 2. Automatic discounts (promotions), unless the cashier removed them.
	if p.Full {
		c.SetPromoCache(nil)
	}
	var found [][]Applied
	if p.Promotions != nil && !c.SystemDiscountsOff {
		if pi, ok := p.Promotions.(PromoterInto); ok {
			found = pi.DiscountsInto(sc.found, c, active, at)
			sc.found = found
		} else {
			found = p.Promotions.Discounts(c, active, at)
		}
	}
	for i, l := range active {
		l.Promotions = nil
		if i < len(found) && len(found[i]) > 0 {
			l.Promotions = found[i]
			for _, a := range found[i] {
				l.PromoDiscount += a.Amount
			}
		}
	}
	if err := c.settle(active, p, sc); err != nil {
		return err
	}
	if ts, ok := p.Promotions.(TenderSharer); ok && !c.SystemDiscountsOff {
		return c.shareTenderDiscount(active, p, ts, sc)
	}
	return nil
}

// scratch is Reprice's room for its line lists, reused from one call to
// the next: nothing of it outlives the call.
type scratch struct {
	active, taxed []*Line
	found         [][]Applied
	tl            []tax.Line
	tax           tax.Scratch
}

var scratchPool = sync.Pool{New: func() any { return new(scratch) }}

// put lets go of the lines and gives the room back.
func (sc *scratch) put() {
	clear(sc.active)
	clear(sc.taxed)
	clear(sc.found)
	scratchPool.Put(sc)
}

// settle computes what follows the automatic discounts: manual line and
// transaction discounts, net, tax and the totals.
func (c *Cart) settle(active []*Line, p Pricing, sc *scratch) error {
	// 3. Manual line discounts, on the price after promotions.
	for _, l := range active {
		l.LineDiscount, l.TotalDiscount = 0, 0
		after := l.Gross - l.PromoDiscount
		switch {
		case l.ReturnOf != nil:
			l.LineDiscount = l.ReturnDiscount
		case l.Order != nil:
			l.LineDiscount = l.OrderDiscount // as ordered
		case !l.Flags.Discountable():
		case l.Discount.Percent != 0:
			l.LineDiscount = money.Percent(after, l.Discount.Percent, p.Round)
		case l.Discount.Amount != 0:
			d := l.Discount.Amount
			if after < 0 {
				d = -d
			}
			if abs(d) > abs(after) {
				d = after
			}
			l.LineDiscount = d
		}
	}
	// 4. Transaction discount over discountable sale lines.
	if !c.Discount.IsZero() {
		var base money.Amount
		var idx []*Line
		var w []money.Amount
		for _, l := range active {
			if l.ReturnOf != nil || l.Order != nil || l.Value != nil || l.IsReturn() || !l.Flags.Discountable() {
				continue
			}
			after := l.Gross - l.PromoDiscount - l.LineDiscount
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
	// 5. Net and tax.
	// An order's money is not taxed: the goods are, when handed over.
	tl, taxed := sc.tl[:0], sc.taxed[:0]
	defer func() { sc.tl, sc.taxed = tl, taxed }()
	for _, l := range active {
		l.Net = l.Gross - l.PromoDiscount - l.LineDiscount - l.TotalDiscount
		l.Tax = 0
		if !l.IsMoney() {
			tl = append(tl, tax.Line{Group: l.TaxGroup, Amount: l.Net})
			taxed = append(taxed, l)
		}
	}
	res, err := sc.tax.Compute(p.Tax, p.Groups, tl) // res.Lines is sc's: read before the next
	if err != nil {
		return fmt.Errorf("pricing the cart: %w", err)
	}
	for i, l := range taxed {
		l.Tax = res.Lines[i]
	}
	for i := range c.Lines {
		if c.Lines[i].Voided {
			l := &c.Lines[i]
			l.Gross, l.LineDiscount, l.TotalDiscount, l.Net, l.Tax = 0, 0, 0, 0, 0
			l.PromoDiscount, l.Promotions = 0, nil
		}
	}
	c.TaxSummary = res.Summary
	c.TaxInclusive = p.Tax.Inclusive
	// 6. Totals.
	var t Totals
	var net money.Amount
	for _, l := range active {
		t.Subtotal += l.Gross
		t.PromoDiscounts += l.PromoDiscount
		t.LineDiscounts += l.LineDiscount
		t.TotalDiscounts += l.TotalDiscount
		net += l.Net
	}
	t.Discounts = t.PromoDiscounts + t.LineDiscounts + t.TotalDiscounts
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

// gross is quantity × unit price, divided by the price unit when the price
// is for several units, rounded once.
func (l *Line) gross(mode money.Mode) money.Amount {
	if l.PricedPer > 0 {
		return money.Amount(money.MulDiv(int64(l.Qty), int64(l.UnitPrice), int64(l.PricedPer), mode))
	}
	return money.Amount(money.MulDiv(int64(l.Qty), int64(l.UnitPrice), 1000, mode))
}
