package pricing

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/opentill/opentill/pos/cart"
	"github.com/opentill/opentill/pos/catalog"
	"github.com/opentill/opentill/pos/money"
)

// Explanation says, for every line, why each promotion that selects its
// product did or did not apply (posctl price --explain).
type Explanation struct {
	Lines []LineExplanation `json:"lines"`
	// Notes are remarks on the whole pricing, e.g. a search that reached
	// its budget.
	Notes []string `json:"notes,omitempty"`
}

// LineExplanation is one line's promotions.
type LineExplanation struct {
	Line   int           `json:"line"`
	Name   string        `json:"name"`
	Offers []OfferReason `json:"offers"`
}

// OfferReason is one promotion on one line.
type OfferReason struct {
	OfferID string       `json:"offer_id"`
	Name    string       `json:"name"`
	Kind    string       `json:"kind"`
	Applied money.Amount `json:"applied,omitempty"`
	Reason  string       `json:"reason"`
}

// Explain prices the lines as Discounts does and explains the outcome.
// Amounts in the reasons are formatted by f (the store's locale:
// locale.Locale.Money in its currency).
func (e *Engine) Explain(c *cart.Cart, lines []*cart.Line, at time.Time, f func(money.Amount) string) Explanation {
	tr := &tracer{}
	out, _ := e.discounts(nil, c, lines, at, tr)
	r := e.getRun()
	defer e.putRun(r)
	r.buildPools(c, lines, at) // the pools and applicable offers again, for the reasons
	poolOf := map[int]int{}
	for pi, p := range r.pools {
		for _, li := range p.lines {
			poolOf[li] = pi
		}
	}
	var ex Explanation
	seenCut := false
	for _, ct := range tr.comps {
		if ct.res.cut && !seenCut {
			seenCut = true
			ex.Notes = append(ex.Notes, fmt.Sprintf("the best-combination search of %d items reached its budget (%d nodes): the result is at least as good as the best single promotion, but may not be the best combination", len(ct.pools), ct.res.nodes))
		}
	}
	for li, l := range lines {
		le := LineExplanation{Line: l.No, Name: l.Name}
		applied := map[string]money.Amount{}
		for _, a := range out[li] {
			applied[a.OfferID] += a.Amount
		}
		pi, inPool := poolOf[li]
		offers := e.offersSelecting(l)
		for _, o := range offers {
			or := OfferReason{OfferID: o.id, Name: o.name, Kind: o.kind.String(), Applied: applied[o.id]}
			switch {
			case or.Applied > 0:
				or.Reason = "applied: " + f(or.Applied) + " off"
			case !r.applies(o):
				or.Reason = e.whyNotActive(o, c, at)
			case !inPool:
				or.Reason = whyNoPool(e, l)
			default:
				or.Reason = r.whyNot(o, pi, l, tr, out[li], f)
			}
			le.Offers = append(le.Offers, or)
		}
		le.Offers = append(le.Offers, e.exclusions(l)...)
		ex.Lines = append(ex.Lines, le)
	}
	return ex
}

// offersSelecting lists the promotions whose lines or groups select the
// line's product, plus those without include lines (thresholds and tender
// discounts over every item) that do not exclude it.
func (e *Engine) offersSelecting(l *cart.Line) []*offer {
	var out []*offer
	for _, ct := range e.candsFor(l.ProductID, l.ItemID, l.Category) {
		out = append(out, e.offers[ct.oi])
	}
	p := &pool{product: l.ProductID, item: l.ItemID, category: l.Category}
	for _, oi := range e.global {
		if o := e.offers[oi]; !o.lines.excludes(p) {
			out = append(out, o)
		}
	}
	sort.SliceStable(out, func(a, b int) bool { return out[a].idx < out[b].idx })
	return out
}

// exclusions explains the promotions that would select the line's
// product but for an exclude line (a manager asks why "chocolate week"
// skipped the dark chocolate).
func (e *Engine) exclusions(l *cart.Line) []OfferReason {
	p := &pool{product: l.ProductID, item: l.ItemID, category: l.Category}
	selected := map[int32]bool{}
	for _, ct := range e.candsFor(l.ProductID, l.ItemID, l.Category) {
		selected[ct.oi] = true
	}
	var list []int32
	list = append(list, e.byProduct[l.ProductID]...)
	list = append(list, e.byItem[l.ItemID]...)
	list = append(list, e.byCategory[l.Category]...)
	list = append(list, e.global...)
	slices.Sort(list)
	var out []OfferReason
	for _, oi := range slices.Compact(list) {
		if selected[oi] {
			continue
		}
		o := e.offers[oi]
		if s := o.exclusion(p); s != nil {
			out = append(out, OfferReason{OfferID: o.id, Name: o.name, Kind: o.kind.String(), Reason: "excluded: the promotion leaves out " + s.names()})
		}
	}
	return out
}

// exclusion returns the exclude line that leaves the product out of the
// promotion (or out of one of its groups) where an include line, or with
// none the whole store, would take it; nil when there is none.
func (o *offer) exclusion(p *pool) *selector {
	ms := []matcher{o.lines}
	if o.kind == MixMatch {
		ms = ms[:0]
		for _, g := range o.mm {
			ms = append(ms, g.match)
		}
	}
	for _, m := range ms {
		var ex *selector
		taken := !hasInclude(m)
		for i := range m {
			switch s := &m[i]; {
			case !s.matches(p):
			case s.exclude && ex == nil:
				ex = s
			case !s.exclude:
				taken = true
			}
		}
		if ex != nil && taken {
			return ex
		}
	}
	return nil
}

// names says what a selector names: "product P1", "item I1", "category C".
func (s *selector) names() string {
	switch {
	case s.product != "":
		return "product " + s.product
	case s.item != "":
		return "item " + s.item
	}
	return "category " + s.category
}

func (e *Engine) whyNotActive(o *offer, c *cart.Cart, at time.Time) string {
	switch {
	case !o.from.IsZero() && at.Before(o.from):
		return "not yet valid: from " + o.from.In(e.loc).Format("2006-01-02 15:04")
	case !o.to.IsZero() && !at.Before(o.to):
		return "expired: valid until " + o.to.In(e.loc).Add(-time.Minute).Format("2006-01-02 15:04")
	case len(o.coupons) > 0:
		return "needs a coupon (" + strings.Join(o.coupons, ", ") + "): enter or scan it"
	case len(o.groups) > 0:
		return "for price groups " + strings.Join(o.groups, ", ") + ", none of them attached to this store or customer"
	}
	return "does not apply to this transaction"
}

func whyNoPool(e *Engine, l *cart.Line) string {
	switch {
	case l.IsReturn() || l.ReturnOf != nil:
		return "a returned item gets no promotion"
	case l.Overridden && !e.applyOverrides:
		return "the price was overridden (promotions skip overridden prices: apply_to_price_overrides)"
	case e.manualExclusive && !l.Discount.IsZero():
		return "the line has a manual discount (manual_discounts = \"exclusive\")"
	case !l.Flags.Discountable():
		return "the product takes no discounts"
	}
	return "the line takes no promotion"
}

// whyNot explains why an applicable offer gave nothing to pool pi's line.
func (r *run) whyNot(o *offer, pi int, l *cart.Line, tr *tracer, got []cart.Applied, f func(money.Amount) string) string {
	e := r.e
	p := &r.pools[pi]
	prio := r.act[o.idx].prio
	others := make([]string, 0, len(got))
	for _, a := range got {
		others = append(others, a.OfferID)
	}
	took := ""
	if len(others) > 0 {
		took = " (the line has " + strings.Join(others, ", ") + ")"
	}
	if !p.discountable {
		return "the product takes no discounts; it may still count toward sets, tiers and thresholds"
	}
	switch o.kind {
	case Threshold:
		var last *thresholdTrace
		for i := range tr.thresholds {
			if tr.thresholds[i].o == o {
				last = &tr.thresholds[i]
			}
		}
		switch {
		case last == nil:
			return "not evaluated: the multi-line discounts wait for \"Calculate total\""
		case last.tier < 0:
			return fmt.Sprintf("the qualifying items come to %s, less than the %s the first tier needs", f(last.qual), f(o.tiers[0].minAmt))
		case !last.won:
			return "another threshold of priority " + fmt.Sprint(prio) + " gives more" + took
		}
		return "the item already has a discount this threshold may not compound on" + took + ": " + r.thresholdRule(o)
	case Tender:
		return "pay with " + strings.Join(append(append([]string(nil), o.tenders...), o.brands...), " or ") + " to get it"
	}
	if r.noMulti && (o.kind == Quantity || o.kind == MixMatch) {
		return "multi-line discounts wait for \"Calculate total\" (operation 310)"
	}
	// A higher priority or an exclusive discount came first?
	for _, a := range got {
		if ho := r.offerByID(a.OfferID); ho != nil {
			hp := r.act[ho.idx].prio
			if ho.conc == Exclusive && ho != o {
				return "an exclusive discount (" + ho.id + ") took the item"
			}
			if hp > prio && e.model == WithinPriority {
				return fmt.Sprintf("the item was discounted at the higher priority %d (%s); in the default model lower priorities do not apply", hp, ho.id)
			}
		}
	}
	switch o.kind {
	case Simple:
		m := o.m
		for _, c := range p.cands {
			if c.o == o {
				m = c.m
			}
		}
		var v money.Amount
		if p.n > 0 {
			v = r.apply(m, p.amount, p.amount, p.n, false)
		}
		if v == 0 {
			return "worth nothing on this price (a deal price above it, or nothing left to take off)"
		}
		return "worth " + f(v) + " here alone; the discounts applied are worth more for the customer" + took
	case Quantity:
		units := p.n
		if o.mixed {
			units = 0
			for qi := range r.pools {
				q := &r.pools[qi]
				for _, c := range q.cands {
					if c.o == o && q.whole {
						units += q.n
					}
				}
			}
		}
		if need := int64(o.tiers[0].minQty / catalog.One); units < need {
			return fmt.Sprintf("needs %d units, the transaction has %d", need, units)
		}
	case MixMatch:
		for j, g := range o.mm {
			var n int64
			for _, q := range r.pools {
				if !q.whole {
					continue
				}
				for _, c := range q.cands {
					if c.o == o && c.groups&(1<<uint(j)) != 0 {
						n += q.n
					}
				}
			}
			if n < int64(g.qty) {
				name := g.name
				if name == "" {
					name = fmt.Sprintf("group %d", j+1)
				}
				return fmt.Sprintf("%s needs %d items, the transaction has %d", name, g.qty, n)
			}
		}
	}
	for _, ct := range tr.comps {
		for _, d := range ct.res.decs {
			if d.o == o {
				if d.taken {
					return "its sets took other items of the transaction; this one was worth more elsewhere" + took
				}
				return "worth " + f(d.gain) + " alone; the combination chosen is worth more for the customer" + took
			}
		}
	}
	return "the item was already discounted" + took
}

func (r *run) offerByID(id string) *offer {
	for _, o := range r.acts {
		if o.id == id {
			return o
		}
	}
	return nil
}

// thresholdRule names the rule that kept a threshold off a discounted item.
func (r *run) thresholdRule(o *offer) string {
	switch {
	case o.conc == Exclusive:
		return "an exclusive threshold only discounts items without a discount"
	case r.e.model == AcrossPriorities:
		return "one discount per item and priority (best price only within priority)"
	case o.conc == Compound:
		return "a compound threshold only compounds on compound discounts"
	}
	return "a best-price threshold only discounts items without a discount"
}
