package pricing

import (
	"math/bits"
	"sort"

	"github.com/opentill/opentill/pos/catalog"
	"github.com/opentill/opentill/pos/money"
)

// piece is part of a slot taken by one application of a multi-unit discount.
type piece struct {
	slot  int          // local slot of the component
	k     int64        // units
	amt   money.Amount // worth of the k units
	disc  money.Amount // the multi-unit discount on them
	extra []hit        // compound simple discounts stacked on them
}

// claim is one option of a decision: the units it takes and what it is worth.
type claim struct {
	o      *offer
	pieces []piece
	value  money.Amount
	sets   int64 // mix-and-match: sets formed
}

// decision is one choice of the search: how many sets of a mix-and-match to
// form, or whether a quantity discount applies (to one slot when it counts
// per line).
type decision struct {
	o      *offer
	slot   int     // per-line quantity discount: its slot; -1 otherwise
	slots  []int   // local slots it may take units from, ascending
	groups [][]int // mix-and-match: local slots per group
	indep  bool    // mix-and-match: no slot serves two groups
	last   []int   // slots no later decision touches
	gain   money.Amount
	ub     []money.Amount // unit bounds on this decision's slots, parallel to slots
	minQ   int64          // quantity discount: the units of its first tier
	single claim          // the best way to apply it alone
}

// search solves one component of one stage of one priority.
type search struct {
	r        *run
	prio     int
	excl     bool
	gs       []int // local → index into r.slots
	rem      []int64
	amt      []money.Amount
	left     []money.Amount // exact leftover value (best simple discount) of each slot's remaining units
	leftSum  money.Amount
	lb       []money.Amount // per-unit bound of each slot's simple discounts
	ubuf     []money.Amount // scratch of bound
	pidx     []int          // scratch of buildSets: local slot → piece index + 1
	slack    money.Amount
	decs     []*decision
	h1, h2   uint64
	z1, z2   []uint64
	memo     map[[3]uint64]money.Amount
	final    money.Amount
	nodes    int
	maxNodes int
	best     money.Amount
	bestSet  bool
	bestPln  []claim
	plan     []claim
	cut      bool // the node budget was reached before the search was complete
}

// compResult is a solved component: for each local slot the pieces its
// units were split into, with the hits each piece got. It depends only on
// the component's input, so a later reprice of an unchanged component
// reuses it (see cache.go).
type compResult struct {
	parts [][]part
	nodes int
	cut   bool
	value money.Amount
	decs  []decInfo // for Explain
}

type part struct {
	k         int64
	cur, orig money.Amount
	hits      []hit
	taken     bool // the units took part in a discount (a set, a tier or a simple discount)
}

// decInfo says what the search did with one multi-unit offer.
type decInfo struct {
	o     *offer
	slot  int // global slot for a per-line quantity discount, -1 otherwise
	taken bool
	sets  int64
	value money.Amount
	gain  money.Amount // worth alone
}

// stage applies one stage of a priority: the exclusive discounts (excl) or
// the best-price and compound ones, on the items still eligible.
func (r *run) stage(prio int, excl bool) {
	ns := len(r.slots)
	if cap(r.parent) < ns {
		r.parent, r.done, r.out = make([]int32, ns), make([]bool, ns), make([][]part, ns)
	}
	parent, done, out := r.parent[:ns], r.done[:ns], r.out[:ns]
	clear(done)
	find := func(x int32) int32 {
		for parent[x] != x {
			parent[x] = parent[parent[x]]
			x = parent[x]
		}
		return x
	}
	r.elig = r.elig[:0]
	if r.first == nil {
		r.first = map[int]int32{}
	}
	clear(r.first)
	any := false
	for s := range r.slots {
		parent[s] = int32(s)
		sl := &r.slots[s]
		if !r.eligible(sl, excl) {
			continue
		}
		r.elig = append(r.elig, s)
		for ci := range r.multisOf(&r.pools[sl.pool], prio, excl) {
			oi := r.multisOf(&r.pools[sl.pool], prio, excl)[ci].o.idx
			any = true
			if f, ok := r.first[oi]; ok {
				a, b := find(f), find(int32(s))
				if a != b {
					if a < b {
						parent[b] = a
					} else {
						parent[a] = b
					}
				}
			} else {
				r.first[oi] = int32(s)
			}
		}
	}
	if len(r.elig) == 0 {
		return
	}
	changed := false
	if any {
		comps := map[int32][]int{}
		var roots []int32
		for _, s := range r.elig {
			if len(r.multisOf(&r.pools[r.slots[s].pool], prio, excl)) == 0 {
				continue
			}
			root := find(int32(s))
			if _, ok := comps[root]; !ok {
				roots = append(roots, root)
			}
			comps[root] = append(comps[root], s)
		}
		for _, root := range roots {
			cs := comps[root]
			res := r.solveCached(prio, excl, cs)
			for li, s := range cs {
				out[s] = res.parts[li]
				done[s] = true
			}
			changed = true
			r.noteComp(prio, excl, cs, res)
		}
	}
	for _, s := range r.elig {
		if done[s] {
			continue
		}
		sl := &r.slots[s]
		if d, hits := r.simpleBest(sl, prio, excl, sl.n, sl.cur, sl.orig, false); d > 0 {
			out[s] = []part{{k: sl.n, cur: sl.cur, orig: sl.orig, hits: hits, taken: true}}
			done[s] = true
			changed = true
		}
	}
	if !changed {
		return
	}
	next := r.spare[:0]
	for s := range r.slots {
		if !done[s] {
			next = append(next, r.slots[s])
			continue
		}
		base := r.slots[s]
		for _, p := range out[s] {
			ns := r.withHits(base, p.k, p.cur, p.orig, p.hits, true)
			if excl && p.taken {
				ns.locked = true // an exclusive deal ends the item's discounts, even its paid items
			}
			next = append(next, ns)
		}
		out[s] = nil
	}
	r.spare, r.slots = r.slots[:0], next
}

// multisOf returns the multi-unit offers of a stage that select a pool
// (see bucket).
func (r *run) multisOf(p *pool, prio int, excl bool) []cand {
	if r.noMulti {
		return nil
	}
	for i := range p.multis {
		if p.multis[i].prio == prio && p.multis[i].excl == excl {
			return p.multis[i].offers
		}
	}
	return nil
}

// multi reports whether a candidate is a multi-unit discount of a stage.
func (r *run) multi(c cand, prio int, excl bool) bool {
	return (c.o.kind == Quantity || c.o.kind == MixMatch) && c.prio == prio && stageOf(c.o) == excl && !r.noMulti
}

// withHits returns a slot of k units worth cur (orig) of base's pool with
// hits added after base's, and records the new hits' amounts in the pool's
// ledger when record is set. (A slot's hits say which discounts its units
// have; the amounts live in the ledger, since a slot may later be split.)
func (r *run) withHits(base slot, k int64, cur, orig money.Amount, hits []hit, record bool) slot {
	if record {
		r.record(base.pool, hits)
	}
	ns := slot{pool: base.pool, n: k, orig: orig, cur: cur, locked: base.locked}
	// Slots share their hits read-only: the full slice expression makes
	// every append copy.
	ns.hits = append(base.hits[:len(base.hits):len(base.hits)], hits...)
	for _, h := range hits {
		ns.cur -= h.amt
		if h.o.conc == Exclusive {
			ns.locked = true
		}
	}
	return ns
}

// newSearch prepares the search of a component (cs: indexes into r.slots).
func (r *run) newSearch(prio int, excl bool, cs []int) *search {
	n := len(cs)
	sr := &search{r: r, prio: prio, excl: excl, gs: cs, rem: make([]int64, n), amt: make([]money.Amount, n),
		left: make([]money.Amount, n), lb: make([]money.Amount, n), ubuf: make([]money.Amount, n), pidx: make([]int, n),
		z1: make([]uint64, n), z2: make([]uint64, n), maxNodes: r.e.maxSearchNodes}
	for li, s := range cs {
		sl := &r.slots[s]
		sr.rem[li], sr.amt[li] = sl.n, sl.cur
		sr.z1[li], sr.z2[li] = mix64(uint64(li)*2+1), mix64(uint64(li)*2+2+1<<40)
	}
	// Decisions.
	byOffer := map[int]*decision{}
	for li, s := range cs {
		p := &r.pools[r.slots[s].pool]
		for _, c := range p.cands {
			if !r.multi(c, prio, excl) {
				continue
			}
			if !p.whole {
				continue // weighed items take simple and threshold discounts only
			}
			if c.o.kind == Quantity && !c.o.mixed {
				sr.decs = append(sr.decs, &decision{o: c.o, slot: li, slots: []int{li}})
				continue
			}
			d := byOffer[c.o.idx]
			if d == nil {
				d = &decision{o: c.o, slot: -1}
				if c.o.kind == MixMatch {
					d.groups = make([][]int, len(c.o.mm))
				}
				byOffer[c.o.idx] = d
				sr.decs = append(sr.decs, d)
			}
			d.slots = append(d.slots, li)
			for j := range d.groups {
				if c.groups&(1<<uint(j)) != 0 {
					d.groups[j] = append(d.groups[j], li)
				}
			}
		}
	}
	for _, d := range sr.decs {
		if d.o.kind == MixMatch {
			d.indep = true
			seen := map[int]bool{}
			for _, g := range d.groups {
				for _, li := range g {
					if seen[li] {
						d.indep = false
					}
					seen[li] = true
				}
			}
		}
	}
	return sr
}

// mix64 is splitmix64: the per-slot keys of the search's state hash.
func mix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// solve runs the search and returns the component's result.
func (sr *search) solve() *compResult {
	n := len(sr.gs)
	for li := range sr.gs {
		sr.left[li] = sr.slotLeft(li)
		sr.leftSum += sr.left[li]
		sr.hashSlot(li, 1)
	}
	// Unit bounds and the order of decisions: by what each is worth alone,
	// best first (ties by offer, then slot), so the first path is the greedy
	// by marginal value and the bound prunes early. The order of two
	// decisions never depends on a third, which keeps the search monotone:
	// adding a promotion only adds options.
	for li := range sr.gs {
		sr.lb[li] = sr.unitBound(nil, li)
	}
	for _, d := range sr.decs {
		d.ub = make([]money.Amount, len(d.slots))
		for k, li := range d.slots {
			d.ub[k] = max(sr.unitBound(d, li), sr.lb[li])
		}
		if d.o.kind == Quantity {
			d.minQ = int64(d.o.tiers[0].minQty / 1000)
		}
		d.gain, d.single = sr.alone(d)
	}
	sort.SliceStable(sr.decs, func(a, b int) bool {
		da, db := sr.decs[a], sr.decs[b]
		if da.gain != db.gain {
			return da.gain > db.gain
		}
		if da.o.idx != db.o.idx {
			return da.o.idx < db.o.idx
		}
		return da.slot < db.slot
	})
	// The last decision touching each slot settles it.
	lastSeen := make([]bool, n)
	for di := len(sr.decs) - 1; di >= 0; di-- {
		d := sr.decs[di]
		for _, li := range d.slots {
			if !lastSeen[li] {
				lastSeen[li] = true
				d.last = append(d.last, li)
			}
		}
	}
	for li := range sr.gs {
		if !lastSeen[li] { // no decision touches it (cannot happen in a component, kept safe)
			sr.final += sr.left[li]
			sr.hashSlot(li, -1)
		}
	}
	sr.slack = money.Amount(n + 1)
	// Incumbents: nothing at all, and every decision alone in each of its
	// ways (the best single-promotion choice is a floor of the answer).
	sr.best, sr.bestSet = sr.leftSum, true
	for _, d := range sr.decs {
		if d.gain > 0 && sr.leftSum+d.gain > sr.best {
			sr.best, sr.bestPln = sr.leftSum+d.gain, []claim{d.single}
		}
	}
	sr.memo = make(map[[3]uint64]money.Amount)
	sr.dfs(0, 0)
	return sr.result()
}

// alone evaluates each way of applying decision d with every other
// decision left out and returns the best gain over applying nothing, with
// its claim: the decision's worth alone, which orders the search, and the
// best single-promotion choice, a floor of the answer.
func (sr *search) alone(d *decision) (money.Amount, claim) {
	base := sr.leftSum
	var best money.Amount
	var bestC claim
	it := sr.options(d)
	for {
		c, ok := it.next()
		if !ok || len(c.pieces) == 0 {
			break
		}
		sr.take(c, 1)
		total := c.value + sr.leftSum
		sr.take(c, -1)
		if total-base > best {
			best, bestC = total-base, c
		}
	}
	return best, bestC
}

func (sr *search) hashSlot(li int, sign int64) {
	v1 := uint64(sr.rem[li])*sr.z1[li] + uint64(sr.amt[li])*sr.z2[li]
	v2 := uint64(sr.rem[li])*sr.z2[li] ^ bits.RotateLeft64(uint64(sr.amt[li])*sr.z1[li], 17)
	if sign > 0 {
		sr.h1 += v1
		sr.h2 += v2
	} else {
		sr.h1 -= v1
		sr.h2 -= v2
	}
}

func (sr *search) dfs(d int, acc money.Amount) {
	sr.nodes++
	if d == len(sr.decs) {
		if total := acc + sr.leftSum; total > sr.best {
			sr.best = total
			sr.bestPln = append(sr.bestPln[:0:0], sr.plan...)
		}
		return
	}
	// The bound: what is taken so far plus, for every unit left, the most
	// any decision still to come (that can still apply) or a simple
	// discount could give it.
	if acc+sr.boundFrom(d)+sr.slack <= sr.best {
		return
	}
	// Dominance: the same state reached before with at least as much in hand.
	key := [3]uint64{uint64(d), sr.h1, sr.h2}
	fixed := acc + sr.final
	if seen, ok := sr.memo[key]; ok && seen >= fixed {
		return
	}
	if len(sr.memo) < 1<<20 {
		sr.memo[key] = fixed
	}
	dc := sr.decs[d]
	it := sr.options(dc)
	for i := 0; ; i++ {
		if i > 0 && sr.nodes > sr.maxNodes {
			sr.cut = true
			break // budget spent: the rest of this path follows the first option
		}
		c, ok := it.next()
		if !ok {
			break
		}
		sr.take(c, 1)
		sr.advance(dc, 1)
		sr.plan = append(sr.plan, c)
		sr.dfs(d+1, acc+c.value)
		sr.plan = sr.plan[:len(sr.plan)-1]
		sr.advance(dc, -1)
		sr.take(c, -1)
	}
}

// take applies (sign 1) or undoes (−1) a claim on the remaining units.
func (sr *search) take(c claim, sign int64) {
	for _, p := range c.pieces {
		li := p.slot
		sr.hashSlot(li, -1)
		sr.rem[li] -= sign * p.k
		sr.amt[li] -= money.Amount(sign) * p.amt
		sr.hashSlot(li, 1)
		v := sr.slotLeft(li)
		sr.leftSum += v - sr.left[li]
		sr.left[li] = v
	}
}

// advance moves past (1) or back before (−1) decision d: slots no later
// decision touches are settled (their leftover is final).
func (sr *search) advance(d *decision, sign int) {
	if sign > 0 {
		for _, li := range d.last {
			sr.final += sr.left[li]
			sr.hashSlot(li, -1)
		}
		return
	}
	for _, li := range d.last {
		sr.hashSlot(li, 1)
		sr.final -= sr.left[li]
	}
}

// boundFrom is a safe upper bound of what decisions d… and the leftovers
// can still add: each unit left gets the most any of them could give it,
// counting only the decisions that can still apply.
func (sr *search) boundFrom(d int) money.Amount {
	u := sr.ubuf
	copy(u, sr.lb)
	for _, dc := range sr.decs[d:] {
		if !sr.mayApply(dc) {
			continue
		}
		for k, li := range dc.slots {
			if dc.ub[k] > u[li] {
				u[li] = dc.ub[k]
			}
		}
	}
	var b money.Amount
	for li, v := range u {
		b += money.Amount(sr.rem[li]) * v
	}
	return b
}

// mayApply is a quick necessary condition for a decision to apply to the
// remaining units: every group can be filled on its own, or the quantity
// reaches the first tier.
func (sr *search) mayApply(dc *decision) bool {
	if dc.o.kind == Quantity {
		var n int64
		for _, li := range dc.slots {
			n += sr.rem[li]
		}
		return n >= dc.minQ
	}
	for j, g := range dc.groups {
		var n int64
		for _, li := range g {
			n += sr.rem[li]
		}
		if n < int64(dc.o.mm[j].qty) {
			return false
		}
	}
	return true
}

// slotLeft is the best simple discount of what is left of local slot li.
func (sr *search) slotLeft(li int) money.Amount {
	k := sr.rem[li]
	if k <= 0 {
		return 0
	}
	sl := &sr.r.slots[sr.gs[li]]
	orig := money.Amount(money.MulDiv(int64(sl.orig), k, sl.n, money.HalfUp))
	return sr.r.simpleValue(sl, sr.prio, sr.excl, k, sr.amt[li], orig, false)
}

// unitWorth is the most one remaining unit of local slot li is worth.
func (sr *search) unitWorth(li int) money.Amount {
	sl := &sr.r.slots[sr.gs[li]]
	if sl.n <= 0 {
		return 0
	}
	return money.Amount(money.Div(int64(sl.cur), sl.n, money.Up))
}

// unitBound is a safe upper bound of what one unit of local slot li can
// get from decision d (nil: from its simple discounts). Summed over the
// units left, it never underestimates what the rest of the search can
// find, so pruning on it never loses the best combination.
func (sr *search) unitBound(d *decision, li int) money.Amount {
	r := sr.r
	w := sr.unitWorth(li)
	sl := &r.slots[sr.gs[li]]
	p := &r.pools[sl.pool]
	if !p.discountable || w <= 0 {
		return 0
	}
	ceilPct := func(bp int64) money.Amount { return money.Amount(money.MulDiv(int64(w), bp, 10000, money.Up)) + 1 }
	methodBound := func(m method) money.Amount {
		switch m.kind {
		case mPercent:
			return ceilPct(m.bp)
		case mAmount:
			return min(w, m.amt)
		case mDeal:
			return max(0, w-m.amt)
		}
		return w
	}
	stack := func(b money.Amount) money.Amount {
		if d.o.conc != Compound || r.e.model != WithinPriority {
			return b
		}
		v := r.simpleValue(sl, sr.prio, sr.excl, 1, w, w, true)
		return min(w, b+v+1)
	}
	if d == nil {
		var b money.Amount
		var comp money.Amount
		for _, c := range p.cands {
			if c.o.kind != Simple || c.prio != sr.prio || stageOf(c.o) != sr.excl {
				continue
			}
			v := methodBound(c.m)
			if c.o.conc == Compound && r.e.model == WithinPriority {
				comp += v
			} else {
				b = max(b, v)
			}
		}
		return min(w, max(b, comp))
	}
	o := d.o
	switch o.kind {
	case Quantity:
		var b money.Amount
		for _, t := range o.tiers {
			b = max(b, methodBound(t.m))
		}
		return stack(b)
	case MixMatch:
		if o.leastN > 0 || o.m.kind == mPercent {
			return stack(ceilPct(o.m.bp))
		}
		// A deal or amount is spread over the discountable units of a set in
		// proportion to their prices; with a non-discountable unit in the
		// set it may all fall on this one.
		var tmax money.Amount
		var size int64
		minP := money.Amount(-1)
		allDisc := true
		for j, g := range d.groups {
			var maxP money.Amount
			for _, lj := range g {
				sj := &r.slots[sr.gs[lj]]
				pj := sr.unitWorth(lj)
				maxP = max(maxP, pj)
				if fl := money.Amount(int64(sj.cur) / max(sj.n, 1)); minP < 0 || fl < minP {
					minP = fl
				}
				if !r.pools[sj.pool].discountable {
					allDisc = false
				}
			}
			tmax += maxP * money.Amount(o.mm[j].qty)
			size += int64(o.mm[j].qty)
		}
		minP = max(minP-1, 0)
		if o.m.kind == mDeal {
			if !allDisc || tmax <= 0 {
				return stack(w)
			}
			if tmax <= o.m.amt {
				return stack(0)
			}
			return stack(min(w, money.Amount(money.MulDiv(int64(w), int64(tmax-o.m.amt), int64(tmax), money.Up))+1))
		}
		b := min(w, o.m.amt)
		if allDisc && size > 1 {
			den := int64(w) + (size-1)*int64(minP)
			b = min(b, money.Amount(money.MulDiv(int64(o.m.amt), int64(w), max(den, 1), money.Up))+1)
		}
		return stack(b)
	}
	return w
}

// options yields the ways to apply a decision lazily: the most sets (or
// the quantity discount) first, in each of the decision's filling
// strategies, then fewer sets, "not at all" last.
type optIter struct {
	sr    *search
	dc    *decision
	stage int // 0: multi-unit options, 1: "not at all", 2: done
	k     int64
	strat int
	seen  [][]piece // fillings already given for this k
}

func (sr *search) options(dc *decision) *optIter {
	it := &optIter{sr: sr, dc: dc}
	if dc.o.kind == MixMatch {
		it.k = sr.maxSets(dc)
	}
	return it
}

func (it *optIter) next() (claim, bool) {
	sr := it.sr
	if it.stage == 0 {
		switch it.dc.o.kind {
		case Quantity:
			it.stage = 1
			if c, ok := sr.quantity(it.dc); ok {
				return c, true
			}
		case MixMatch:
			n := it.dc.strategies()
			for it.k >= 1 {
				k, strat := it.k, it.strat
				if it.strat++; it.strat == n {
					it.strat, it.k = 0, it.k-1
				}
				if strat == 0 {
					it.seen = it.seen[:0]
				}
				c, ok := sr.buildSets(it.dc, k, strat)
				if !ok || c.value <= 0 || it.dup(c.pieces) {
					continue
				}
				it.seen = append(it.seen, c.pieces)
				return c, true
			}
			it.stage = 1
		default:
			it.stage = 1
		}
	}
	if it.stage == 1 {
		it.stage = 2
		return claim{o: it.dc.o}, true
	}
	return claim{}, false
}

func (it *optIter) dup(ps []piece) bool {
	for _, s := range it.seen {
		if samePieces(s, ps) {
			return true
		}
	}
	return false
}

// stack adds the compound simple discounts of the slot on top of a compound
// multi-unit discount (the multi-unit one first: it decides the set).
func (sr *search) stack(o *offer, p *piece) {
	if o.conc != Compound || sr.r.e.model != WithinPriority {
		return
	}
	sl := &sr.r.slots[sr.gs[p.slot]]
	orig := money.Amount(money.MulDiv(int64(sl.orig), p.k, sl.n, money.HalfUp))
	_, hits := sr.r.simpleBest(sl, sr.prio, sr.excl, p.k, p.amt-p.disc, orig, true)
	p.extra = hits
}

func (c *claim) total() {
	c.value = 0
	for _, p := range c.pieces {
		c.value += p.disc
		for _, h := range p.extra {
			c.value += h.amt
		}
	}
}

func (sr *search) origOf(li int, k int64) money.Amount {
	sl := &sr.r.slots[sr.gs[li]]
	return money.Amount(money.MulDiv(int64(sl.orig), k, sl.n, money.HalfUp))
}

func (sr *search) quantity(dc *decision) (claim, bool) {
	r := sr.r
	o := dc.o
	var units int64
	for _, li := range dc.slots {
		units += sr.rem[li]
	}
	t := -1
	for i := range o.tiers {
		if int64(o.tiers[i].minQty/catalog.One) <= units {
			t = i
		}
	}
	if t < 0 {
		return claim{}, false
	}
	m := o.tiers[t].m
	c := claim{o: o}
	for _, li := range dc.slots {
		k := sr.rem[li]
		if k <= 0 {
			continue
		}
		p := piece{slot: li, k: k, amt: sr.amt[li]}
		if r.pools[r.slots[sr.gs[li]].pool].discountable {
			p.disc = r.apply(m, p.amt, sr.origOf(li, k), k, o.conc == Compound)
		}
		sr.stack(o, &p)
		c.pieces = append(c.pieces, p)
	}
	c.total()
	return c, c.value > 0
}

func samePieces(a, b []piece) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].slot != b[i].slot || a[i].k != b[i].k {
			return false
		}
	}
	return true
}

// unitAmt is the worth of k of the remaining units of local slot li,
// rounded up so the most expensive units go first.
func (sr *search) unitAmt(li int, k int64) money.Amount {
	rem := sr.rem[li]
	if k >= rem {
		return sr.amt[li]
	}
	return money.Amount(money.MulDiv(int64(sr.amt[li]), k, rem, money.Up))
}

// unitPrice is the price of one remaining unit of local slot li.
func (sr *search) unitPrice(li int) money.Amount {
	if sr.rem[li] <= 0 {
		return 0
	}
	return sr.amt[li] / money.Amount(sr.rem[li])
}

// result turns the best plan into the pieces of every slot.
func (sr *search) result() *compResult {
	r := sr.r
	res := &compResult{parts: make([][]part, len(sr.gs)), nodes: sr.nodes, cut: sr.cut, value: sr.best}
	taken := make([][]piece, len(sr.gs))
	used := map[*decision]claim{}
	for _, c := range sr.bestPln {
		for _, p := range c.pieces {
			p.extra = append([]hit{{o: c.o, amt: p.disc, prio: sr.prio}}, p.extra...)
			taken[p.slot] = append(taken[p.slot], p)
		}
	}
	for _, d := range sr.decs {
		info := decInfo{o: d.o, slot: -1, gain: d.gain}
		if d.slot >= 0 {
			info.slot = sr.gs[d.slot]
		}
		for _, c := range sr.bestPln {
			if c.o == d.o && (d.slot < 0 || (len(c.pieces) > 0 && c.pieces[0].slot == d.slot)) {
				info.taken, info.sets, info.value = len(c.pieces) > 0, c.sets, c.value
				used[d] = c
			}
		}
		res.decs = append(res.decs, info)
	}
	for li, s := range sr.gs {
		base := r.slots[s]
		n, cur, orig := base.n, base.cur, base.orig
		for _, p := range taken[li] {
			po := money.Amount(money.MulDiv(int64(orig), p.k, n, money.HalfUp))
			var hits []hit
			for _, h := range p.extra {
				if h.amt > 0 {
					hits = append(hits, h)
				}
			}
			res.parts[li] = append(res.parts[li], part{k: p.k, cur: p.amt, orig: po, hits: hits, taken: true})
			n -= p.k
			cur -= p.amt
			orig -= po
		}
		if n > 0 {
			rest := part{k: n, cur: cur, orig: orig}
			if d, hits := r.simpleBest(&base, sr.prio, sr.excl, n, cur, orig, false); d > 0 {
				rest.hits, rest.taken = hits, true
			}
			res.parts[li] = append(res.parts[li], rest)
		}
	}
	return res
}
