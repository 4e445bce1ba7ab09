package pricing

import (
	"sort"
	"time"

	"github.com/opentill/opentill/pos/cart"
	"github.com/opentill/opentill/pos/money"
)

// OfferInfo describes a promotion for the till's discount lists
// (operations 645 "View all discounts" and 646 "View applicable discounts").
type OfferInfo struct {
	ID          string       `json:"offer_id"`
	Name        string       `json:"name"`
	Kind        string       `json:"kind"`
	Concurrency string       `json:"concurrency"`
	Priority    int          `json:"priority"`
	Coupons     []string     `json:"coupons,omitempty"` // codes that enable it (any one)
	NeedsCoupon bool         `json:"needs_coupon,omitempty"`
	From        time.Time    `json:"from,omitzero"`
	To          time.Time    `json:"to,omitzero"`
	Lines       []int        `json:"lines,omitempty"`   // lines of the cart it selects
	Applied     money.Amount `json:"applied,omitempty"` // what it takes off the cart now
}

// Ends says when the promotion ends, for showing it: a promotion that ends
// at midnight (a document's `to` date) is valid through the day before,
// which it returns with day set; otherwise the moment it ends. A zero time
// means it does not end.
func (o OfferInfo) Ends() (at time.Time, day bool) {
	if o.To.IsZero() {
		return time.Time{}, false
	}
	if h, m, s := o.To.Clock(); h == 0 && m == 0 && s == 0 && o.To.Nanosecond() == 0 {
		return o.To.AddDate(0, 0, -1), true
	}
	return o.To, false
}

func (e *Engine) info(o *offer, prio int) OfferInfo {
	return OfferInfo{ID: o.id, Name: o.name, Kind: o.kind.String(), Concurrency: o.conc.String(), Priority: prio,
		Coupons: o.coupons, NeedsCoupon: len(o.coupons) > 0, From: o.from, To: o.to}
}

// AllOffers lists the promotions of the store valid at at for the cart's
// customer (price groups), whether or not an item of the cart qualifies;
// those that need a coupon are listed with their codes.
func (e *Engine) AllOffers(c *cart.Cart, at time.Time) []OfferInfo {
	groups := e.cartGroups(c)
	var out []OfferInfo
	for _, o := range e.offers {
		if !valid(o.from, o.to, at) {
			continue
		}
		prio, ok := o.prio, len(o.groups) == 0
		best := 0
		if !ok {
			best, ok = e.attached(o, groups)
		}
		if !ok {
			continue
		}
		if !o.hasPrio && len(o.groups) > 0 {
			prio = best
		}
		out = append(out, e.info(o, prio))
	}
	return out
}

// ApplicableOffers lists the promotions that apply to the cart now (dates,
// price groups, coupons on the cart) and select at least one of its lines
// (thresholds and tender discounts without lines select every line), with
// the lines they select and what each takes off the cart.
func (e *Engine) ApplicableOffers(c *cart.Cart, lines []*cart.Line, at time.Time) []OfferInfo {
	if len(e.offers) == 0 || len(lines) == 0 {
		return nil
	}
	r := e.getRun()
	defer e.putRun(r)
	r.buildPools(c, lines, at)
	sel := map[int]map[int]bool{}
	for _, p := range r.pools {
		for _, cd := range p.cands {
			if sel[cd.o.idx] == nil {
				sel[cd.o.idx] = map[int]bool{}
			}
			for _, li := range p.lines {
				sel[cd.o.idx][lines[li].No] = true
			}
		}
	}
	for _, o := range r.acts {
		if (o.kind == Threshold || o.kind == Tender) && !hasInclude(o.lines) {
			if sel[o.idx] == nil {
				sel[o.idx] = map[int]bool{}
			}
			for _, p := range r.pools {
				if o.lines.excludes(&p) {
					continue
				}
				for _, li := range p.lines {
					sel[o.idx][lines[li].No] = true
				}
			}
		}
	}
	applied := map[string]money.Amount{}
	for _, l := range lines {
		for _, a := range l.Promotions {
			applied[a.OfferID] += a.Amount
		}
	}
	var out []OfferInfo
	for _, o := range r.acts {
		nos := sel[o.idx]
		if len(nos) == 0 {
			continue
		}
		in := e.info(o, r.act[o.idx].prio)
		for no := range nos {
			in.Lines = append(in.Lines, no)
		}
		sort.Ints(in.Lines)
		in.Applied = applied[o.id]
		out = append(out, in)
	}
	sort.SliceStable(out, func(a, b int) bool {
		if out[a].Priority != out[b].Priority {
			return out[a].Priority > out[b].Priority
		}
		return out[a].ID < out[b].ID
	})
	return out
}

// CardBrands lists the card brands the document's tender discounts name
// (upper case, sorted): a till asks which card before it charges one, so
// the card is charged the discounted amount at once.
func (e *Engine) CardBrands() []string {
	seen := map[string]bool{}
	var out []string
	for _, o := range e.offers {
		for _, b := range o.brands {
			if !seen[b] {
				seen[b] = true
				out = append(out, b)
			}
		}
	}
	sort.Strings(out)
	return out
}

// TenderDiscounts reports whether the document has tender-based discounts
// (the till then prices the cart for the tender before it takes a payment).
func (e *Engine) TenderDiscounts() bool { return e.hasTender }
