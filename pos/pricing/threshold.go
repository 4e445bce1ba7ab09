package pricing

import (
	"sort"

	"github.com/opentill/opentill/pos/cart"
	"github.com/opentill/opentill/pos/money"
)

// thresholdMay reports whether a threshold discount o at priority prio may
// discount slot s given the discounts it already has. Default model: a
// compounded threshold compounds on compounded discounts whatever their
// priority, never on a threshold of another priority; other thresholds only
// take undiscounted items. Other model: best price counts as compoundable, so
// any threshold but an exclusive one compounds on any discount but an
// exclusive one.
func (r *run) thresholdMay(o *offer, s *slot, prio int) bool {
	if s.locked || s.cur <= 0 || !r.pools[s.pool].discountable {
		return false
	}
	if len(s.hits) == 0 {
		return true
	}
	if o.conc == Exclusive {
		return false
	}
	if r.e.model == AcrossPriorities {
		return true
	}
	if o.conc != Compound {
		return false
	}
	for _, h := range s.hits {
		if h.o.conc != Compound || (h.o.kind == Threshold && h.prio != prio) {
			return false
		}
	}
	return true
}

// qual is the qualifying amount of a threshold and the slots it may
// discount; thresholds with the same qualifying items and concurrency share it.
type qual struct {
	q    money.Amount
	idx  []int
	base money.Amount
}

type qualKey struct {
	member *bool
	conc   Concurrency
}

func (r *run) qualify(o *offer, slots []slot, prio int, member []bool, cache map[qualKey]*qual) *qual {
	key := qualKey{&member[0], o.conc}
	if cache != nil {
		if qu, ok := cache[key]; ok {
			return qu
		}
	}
	qu := &qual{}
	for i := range slots {
		s := &slots[i]
		if !member[s.pool] || s.cur <= 0 {
			continue
		}
		qu.q += s.cur
		if r.thresholdMay(o, s, prio) {
			qu.idx = append(qu.idx, i)
			qu.base += s.cur
		}
	}
	if cache != nil {
		cache[key] = qu
	}
	return qu
}

// thresholdOn computes a threshold discount on slots: the qualifying amount
// is the running amount of the qualifying items (member, by pool;
// non-discountable ones count when configured); the discount goes to the
// items it may discount. With out nil it only returns the total.
func (r *run) thresholdOn(o *offer, slots []slot, prio int, member []bool, cache map[qualKey]*qual, out []money.Amount) money.Amount {
	if len(member) == 0 {
		return 0
	}
	qu := r.qualify(o, slots, prio, member, cache)
	t := -1
	for i := range o.tiers {
		if o.tiers[i].minAmt <= qu.q {
			t = i
		}
	}
	if t < 0 || len(qu.idx) == 0 {
		return 0
	}
	var total money.Amount
	m := o.tiers[t].m
	if m.kind == mPercent {
		for _, i := range qu.idx {
			d := r.apply(m, slots[i].cur, slots[i].orig, 1, o.conc == Compound)
			if out != nil {
				out[i] = d
			}
			total += d
		}
		return total
	}
	amt := min(m.amt, qu.base)
	if out == nil {
		return amt
	}
	w := make([]money.Amount, len(qu.idx))
	for k, i := range qu.idx {
		w[k] = slots[i].cur
	}
	for k, share := range money.Allocate(amt, w) {
		out[qu.idx[k]] = min(share, slots[qu.idx[k]].cur)
		total += out[qu.idx[k]]
	}
	return total
}

// thresholds applies the threshold discounts of one priority: each
// exclusive or best-price threshold alone competes with the compound ones
// stacked, and the best for the customer wins.
func (r *run) thresholds(prio int) {
	var offers []*offer
	for _, o := range r.acts {
		if o.kind == Threshold && r.act[o.idx].prio == prio {
			offers = append(offers, o)
		}
	}
	sort.Slice(offers, func(a, b int) bool { return offers[a].idx < offers[b].idx })
	if r.members == nil {
		r.members = map[int][]bool{}
		var all []bool
		for _, o := range r.acts {
			if o.kind != Threshold || hasInclude(o.lines) {
				continue
			}
			if len(o.lines) > 0 { // exclude lines only
				m := make([]bool, len(r.pools))
				for pi := range r.pools {
					m[pi] = !o.lines.excludes(&r.pools[pi])
				}
				r.members[o.idx] = m
				continue
			}
			if all == nil {
				all = make([]bool, len(r.pools))
				for i := range all {
					all[i] = true
				}
			}
			r.members[o.idx] = all
		}
		for pi := range r.pools {
			for _, c := range r.pools[pi].cands {
				if c.o.kind != Threshold {
					continue
				}
				m := r.members[c.o.idx]
				if m == nil {
					m = make([]bool, len(r.pools))
					r.members[c.o.idx] = m
				}
				m[pi] = true
			}
		}
	}
	var best money.Amount
	var bestOffer *offer
	var comp []*offer
	cache := map[qualKey]*qual{}
	for _, o := range offers {
		if o.conc == Compound && r.e.model == WithinPriority {
			comp = append(comp, o)
			continue
		}
		if total := r.thresholdOn(o, r.slots, prio, r.members[o.idx], cache, nil); total > best {
			best, bestOffer = total, o
		}
	}
	if len(comp) > 0 {
		// Compounded thresholds: amount off, then percent off.
		sort.SliceStable(comp, func(a, b int) bool { return comp[a].tiers[0].m.kind < comp[b].tiers[0].m.kind })
		slots := make([]slot, len(r.slots))
		copy(slots, r.slots)
		type rec struct {
			pool int
			h    hit
		}
		recs := make([]rec, 0, len(slots))
		var total money.Amount
		ds := make([]money.Amount, len(slots))
		for _, o := range comp {
			clear(ds)
			r.thresholdOn(o, slots, prio, r.members[o.idx], nil, ds)
			for i, d := range ds {
				if d > 0 {
					h := hit{o: o, amt: d, prio: prio}
					slots[i] = r.withHits(slots[i], slots[i].n, slots[i].cur, slots[i].orig, []hit{h}, false)
					recs = append(recs, rec{slots[i].pool, h})
					total += d
				}
			}
		}
		if total > best {
			r.slots = slots
			for _, rc := range recs {
				r.record(rc.pool, []hit{rc.h})
			}
			return
		}
	}
	if bestOffer != nil {
		ds := make([]money.Amount, len(r.slots))
		r.thresholdOn(bestOffer, r.slots, prio, r.members[bestOffer.idx], cache, ds)
		for i, d := range ds {
			if d > 0 {
				s := r.slots[i]
				r.slots[i] = r.withHits(s, s.n, s.cur, s.orig, []hit{{o: bestOffer, amt: d, prio: prio}}, true)
			}
		}
	}
}

// record adds hits to the ledger of a pool, in the order first applied.
func (r *run) record(pool int, hits []hit) {
	if r.ledger == nil {
		r.ledger = make([][]hit, len(r.pools))
	}
	for _, h := range hits {
		if h.amt == 0 {
			continue
		}
		list := r.ledger[pool]
		found := false
		for i := range list {
			if list[i].o == h.o {
				list[i].amt += h.amt
				found = true
				break
			}
		}
		if !found {
			list = append(list, h)
		}
		r.ledger[pool] = list
	}
}

// distribute turns the slots' discounts into applied discounts per line:
// each pool's amount per offer is shared over its lines in proportion to
// what is left of them.
func (r *run) distribute(lines []*cart.Line, out [][]cart.Applied) {
	per := r.ledger
	for pi, list := range per {
		p := &r.pools[pi]
		// Weights are what is left of each line, so the shares of several
		// offers never add up to more than a line.
		left := make([]money.Amount, len(p.lines))
		for i, li := range p.lines {
			left[i] = lines[li].Gross
		}
		for _, a := range list {
			if len(p.lines) == 1 { // the common case: nothing to share
				li := p.lines[0]
				left[0] -= a.amt
				if out[li] == nil {
					out[li] = make([]cart.Applied, 0, len(list))
				}
				out[li] = append(out[li], cart.Applied{OfferID: a.o.id, Name: a.o.name, Kind: a.o.kind.String(), Amount: a.amt, Coupon: r.couponOf(a.o)})
				continue
			}
			w := append([]money.Amount(nil), left...)
			for i, share := range money.Allocate(a.amt, w) {
				if share == 0 {
					continue
				}
				left[i] -= share
				li := p.lines[i]
				out[li] = append(out[li], cart.Applied{OfferID: a.o.id, Name: a.o.name, Kind: a.o.kind.String(), Amount: share, Coupon: r.couponOf(a.o)})
			}
		}
	}
}
