package pricing

import (
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/opentill/opentill/pos/cart"
	"github.com/opentill/opentill/pos/catalog"
	"github.com/opentill/opentill/pos/money"
)

// DefaultSearchNodes bounds the best-combination search of one connected
// group of items at one priority (see the package documentation).
const DefaultSearchNodes = 512

var _ cart.Promoter = (*Engine)(nil)

// SetSearchNodes changes the node budget of the best-combination search
// (tests and benchmarks use it); n < 1 restores the default.
func (e *Engine) SetSearchNodes(n int) {
	if n < 1 {
		n = DefaultSearchNodes
	}
	e.maxSearchNodes = n
}

// cartGroups returns the price groups attached to the cart: the store's and
// the customer's (directly and through customer groups).
func (e *Engine) cartGroups(c *cart.Cart) map[string]bool {
	if c == nil || c.Customer == "" || len(e.customers[c.Customer]) == 0 {
		return e.storeSet
	}
	gs := make(map[string]bool, len(e.storeGroups)+4)
	for _, g := range e.storeGroups {
		gs[g] = true
	}
	if c != nil && c.Customer != "" {
		for _, g := range e.customers[c.Customer] {
			gs[g] = true
		}
	}
	return gs
}

func valid(from, to, at time.Time) bool {
	if at.IsZero() {
		return true
	}
	return (from.IsZero() || !at.Before(from)) && (to.IsZero() || at.Before(to))
}

// UnitPrice returns the trade-agreement price of one unit of l: among the
// agreements for the line's product (or its item) in a price group attached
// to the cart, valid at at and whose quantity break the line reaches, the
// highest pricing priority wins even when its price is higher; within that
// priority the lowest price wins.
func (e *Engine) UnitPrice(c *cart.Cart, l *cart.Line, at time.Time) (money.Amount, bool) {
	if len(e.trades) == 0 {
		return 0, false
	}
	ts := e.trades[l.ProductID]
	ti := e.trades["item:"+l.ItemID]
	if len(ts) == 0 && len(ti) == 0 {
		return 0, false
	}
	gs := e.cartGroups(c)
	qty := l.Qty
	if qty < 0 {
		qty = -qty
	}
	best, bestPrio, found := money.Amount(0), 0, false
	for _, list := range [][]trade{ts, ti} {
		for _, t := range list {
			if !gs[t.group] || !valid(t.from, t.to, at) || t.minQty > qty {
				continue
			}
			p := e.groupPrio[t.group]
			if !found || p > bestPrio || (p == bestPrio && t.price < best) {
				best, bestPrio, found = t.price, p, true
			}
		}
	}
	return best, found
}

// pool is the lines of one product at one price, merged: the engine works
// on pools so that the result does not depend on how the units were split
// over lines or in which order they were added.
type pool struct {
	product, item, category string
	price                   money.Amount
	whole                   bool
	discountable            bool
	n                       int64        // units (1 for a weighed pool)
	amount                  money.Amount // Σ gross
	lines                   []int
	cands                   []cand
}

type cand struct {
	o    *offer
	m    method // simple discounts: the method of the selecting line
	prio int    // the offer's effective priority for this cart
}

// active is an offer that applies to this cart, with its effective priority
// and the coupon that enabled it.
type active struct {
	on     bool
	coupon int16 // 1 + index of the enabling code in the cart's coupons; 0 none
	prio   int
}

// hit is one discount applied to a slot.
type hit struct {
	o    *offer
	amt  money.Amount
	prio int
}

// slot is a number of units of one pool that have had the same discounts.
type slot struct {
	pool   int
	n      int64
	orig   money.Amount // amount before promotions
	cur    money.Amount // amount after the discounts so far
	hits   []hit
	locked bool // an exclusive discount applied
}

type run struct {
	e       *Engine
	pools   []pool
	slots   []slot
	act     []active // by offer index
	acts    []*offer // the offers that apply, by index
	checked []int8   // by offer index: applicability decided
	list    []int32  // scratch
	cart    *cart.Cart
	ledger  [][]hit        // per pool: amount per offer
	members map[int][]bool // threshold offer → qualifying pools
}

// getRun takes a run with its scratch space from the engine's pool.
func (e *Engine) getRun() *run {
	if r, ok := e.runs.Get().(*run); ok {
		return r
	}
	return &run{e: e, act: make([]active, len(e.offers)), checked: make([]int8, len(e.offers))}
}

// putRun clears a run and gives it back.
func (e *Engine) putRun(r *run) {
	clear(r.act)
	clear(r.checked)
	*r = run{e: e, act: r.act, checked: r.checked, list: r.list[:0], cart: nil}
	e.runs.Put(r)
}

// couponOf returns the code on the cart that enabled o, or "".
func (r *run) couponOf(o *offer) string {
	if k := r.act[o.idx].coupon; k > 0 && r.cart != nil && int(k) <= len(r.cart.Coupons) {
		return r.cart.Coupons[k-1]
	}
	return ""
}

// Discounts computes the automatic discounts of the lines: see the package
// documentation for the rules. Return lines, lines carried from an earlier
// sale and (unless configured) overridden lines get none.
func (e *Engine) Discounts(c *cart.Cart, lines []*cart.Line, at time.Time) [][]cart.Applied {
	out := make([][]cart.Applied, len(lines))
	if len(e.offers) == 0 || len(lines) == 0 {
		return out
	}
	r := e.getRun()
	defer e.putRun(r)
	r.buildPools(c, lines, at)
	if len(r.acts) == 0 {
		return out
	}
	for i := range r.pools {
		p := &r.pools[i]
		r.slots = append(r.slots, slot{pool: i, n: p.n, orig: p.amount, cur: p.amount})
	}
	// Priorities, highest first; thresholds after every other kind.
	var prios, tprios []int
	seenP, seenT := map[int]bool{}, map[int]bool{}
	for _, o := range r.acts {
		a := r.act[o.idx]
		if o.kind == Threshold {
			if !seenT[a.prio] {
				seenT[a.prio] = true
				tprios = append(tprios, a.prio)
			}
		} else if !seenP[a.prio] {
			seenP[a.prio] = true
			prios = append(prios, a.prio)
		}
	}
	sort.Sort(sort.Reverse(sort.IntSlice(prios)))
	sort.Sort(sort.Reverse(sort.IntSlice(tprios)))
	for _, p := range prios {
		r.level(p)
	}
	for _, p := range tprios {
		r.thresholds(p)
	}
	r.distribute(lines, out)
	return out
}

func (r *run) buildPools(c *cart.Cart, lines []*cart.Line, at time.Time) {
	e := r.e
	r.cart = c
	type key struct {
		product      string
		price        money.Amount
		whole, disc  bool
		item, catg   string
		unitDecimals int
	}
	idx := make(map[key]int, len(lines))
	if cap(r.pools) < len(lines) {
		r.pools = make([]pool, 0, len(lines))
	}
	for i, l := range lines {
		if l.IsReturn() || l.ReturnOf != nil || l.Qty == 0 {
			continue
		}
		disc := l.Flags.Discountable()
		if l.Overridden && !e.applyOverrides {
			disc = false
		}
		if e.manualExclusive && !l.Discount.IsZero() {
			disc = false
		}
		if !disc && !e.countNonDisc {
			continue
		}
		whole := l.Qty%catalog.One == 0
		k := key{l.ProductID, l.UnitPrice, whole, disc, l.ItemID, l.Category, 0}
		if !whole {
			k.unitDecimals = i + 1 // weighed lines stay apart: each is one unit
		}
		pi, ok := idx[k]
		if !ok {
			pi = len(r.pools)
			idx[k] = pi
			r.pools = append(r.pools, pool{product: l.ProductID, item: l.ItemID, category: l.Category, price: l.UnitPrice, whole: whole, discountable: disc})
		}
		p := &r.pools[pi]
		p.lines = append(p.lines, i)
		p.amount += l.Gross
		if whole {
			p.n += int64(l.Qty / catalog.One)
		} else {
			p.n = 1
		}
	}
	// Canonical order: by product, price, then the rest — never by line order.
	sort.SliceStable(r.pools, func(a, b int) bool {
		pa, pb := &r.pools[a], &r.pools[b]
		if pa.product != pb.product {
			return pa.product < pb.product
		}
		if pa.price != pb.price {
			return pa.price < pb.price
		}
		if pa.whole != pb.whole {
			return pa.whole
		}
		if pa.discountable != pb.discountable {
			return pa.discountable
		}
		return pa.amount < pb.amount
	})
	// Offers that apply to this cart.
	groups := e.cartGroups(c)
	var coupons map[string]int16
	if c != nil && len(c.Coupons) > 0 {
		coupons = make(map[string]int16, len(c.Coupons))
		for i, cp := range c.Coupons {
			if i < 1<<14 {
				coupons[strings.ToUpper(strings.TrimSpace(cp))] = int16(i + 1)
			}
		}
	}
	checked := r.checked // 0 not yet, 1 applies, 2 does not
	check := func(oi int32) bool {
		if v := checked[oi]; v != 0 {
			return v == 1
		}
		o := e.offers[oi]
		ok := valid(o.from, o.to, at)
		a := active{prio: o.prio}
		if ok && len(o.coupons) > 0 {
			ok = false
			for _, cp := range o.coupons {
				if code, have := coupons[cp]; have {
					ok, a.coupon = true, code
					break
				}
			}
		}
		if ok && len(o.groups) > 0 {
			ok = false
			best := 0
			for _, g := range o.groups {
				if groups[g] {
					if p := e.groupPrio[g]; !ok || p > best {
						best = p
					}
					ok = true
				}
			}
			if !o.hasPrio {
				a.prio = best
			}
		}
		checked[oi] = 2
		if ok {
			checked[oi] = 1
			a.on = true
			r.act[o.idx] = a
			r.acts = append(r.acts, o)
		}
		return ok
	}
	list := r.list[:0]
	for pi := range r.pools {
		p := &r.pools[pi]
		list = append(list[:0], e.byProduct[p.product]...)
		list = append(list, e.byItem[p.item]...)
		list = append(list, e.byCategory[p.category]...)
		slices.Sort(list)
		p.cands = make([]cand, 0, len(list))
		for k, oi := range list {
			if k > 0 && list[k-1] == oi {
				continue
			}
			r.addCand(p, oi, check, lines)
		}
	}
	// Thresholds without lines qualify every item: they are not listed per
	// pool (see thresholds).
	if len(r.pools) > 0 {
		for _, oi := range e.global {
			check(oi)
		}
	}
	r.list = list
}

// addCand adds offer oi to the pool's candidates if it applies to the cart
// and selects the pool.
func (r *run) addCand(p *pool, oi int32, check func(int32) bool, lines []*cart.Line) {
	if !check(oi) {
		return
	}
	o := r.e.offers[oi]
	prio := r.act[oi].prio
	switch o.kind {
	case MixMatch:
		for _, g := range o.mm {
			if ok, _ := g.match.match(p); ok {
				p.cands = append(p.cands, cand{o: o, prio: prio})
				break
			}
		}
	case Threshold:
		if len(o.lines) == 0 {
			p.cands = append(p.cands, cand{o: o, prio: prio})
		} else if ok, _ := o.lines.match(p); ok {
			p.cands = append(p.cands, cand{o: o, prio: prio})
		}
	default:
		if ok, m := o.lines.match(p); ok {
			if m.kind == mNone {
				m = o.m
			}
			if o.kind == Simple && !p.whole && m.kind != mPercent {
				// An amount off or deal price "per unit" of a weighed item is
				// read per unit of measure: scale it by the weight.
				m.amt = money.Amount(money.MulDiv(int64(m.amt), int64(r.weightOf(p, lines)), int64(catalog.One), money.HalfUp))
			}
			p.cands = append(p.cands, cand{o: o, m: m, prio: prio})
		}
	}
}

// weightOf returns the quantity of a weighed pool (one line).
func (r *run) weightOf(p *pool, lines []*cart.Line) catalog.Qty {
	if len(p.lines) == 0 {
		return catalog.One
	}
	return lines[p.lines[0]].Qty
}

// apply computes the discount of a method on k units worth cur (orig before
// promotions), never more than cur.
func (r *run) apply(m method, cur, orig money.Amount, k int64, compound bool) money.Amount {
	var d money.Amount
	switch m.kind {
	case mPercent:
		base := cur
		if compound && r.e.onOriginal {
			base = orig
		}
		d = money.Percent(base, m.bp, money.HalfUp)
	case mAmount:
		d = m.amt * money.Amount(k)
	case mDeal:
		d = cur - m.amt*money.Amount(k)
	}
	if d < 0 {
		d = 0
	}
	if d > cur {
		d = cur
	}
	return d
}

// simpleBest returns the best per-unit discounts for k units of slot s worth
// cur at priority prio: an exclusive or best-price discount alone, or the
// compound discounts stacked (deal price, amount off, percent off). extra
// are compound discounts only (stacked on a compound multi-unit discount).
func (r *run) simpleBest(s *slot, prio int, k int64, cur, orig money.Amount, compoundOnly bool) (money.Amount, []hit) {
	p := &r.pools[s.pool]
	if !p.discountable || k <= 0 || cur <= 0 {
		return 0, nil
	}
	var best money.Amount
	var bestHits []hit
	var comp []cand
	for _, c := range p.cands {
		if c.o.kind != Simple || c.prio != prio {
			continue
		}
		if c.o.conc == Compound && r.e.model == WithinPriority {
			comp = append(comp, c)
			continue
		}
		if compoundOnly {
			continue
		}
		if d := r.apply(c.m, cur, orig, k, false); d > best {
			best, bestHits = d, []hit{{o: c.o, amt: d, prio: prio}}
		}
	}
	if len(comp) > 0 {
		sort.SliceStable(comp, func(a, b int) bool { return comp[a].m.kind < comp[b].m.kind })
		run := cur
		var total money.Amount
		hits := make([]hit, 0, len(comp))
		for _, c := range comp {
			d := r.apply(c.m, run, orig, k, true)
			if d > run {
				d = run
			}
			if d > 0 {
				run -= d
				total += d
				hits = append(hits, hit{o: c.o, amt: d, prio: prio})
			}
		}
		if total > best || (compoundOnly && total > 0) {
			best, bestHits = total, hits
		}
	}
	return best, bestHits
}

// eligible reports whether slot s may take a discount at priority prio
// (non-threshold kinds).
func (r *run) eligible(s *slot, prio int) bool {
	if s.locked || s.cur <= 0 {
		return false
	}
	if r.e.model == WithinPriority {
		return len(s.hits) == 0
	}
	return true
}
