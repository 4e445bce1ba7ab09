package pricing

import (
	"math/bits"
	"slices"
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
	slot   int                    // per-line quantity discount: its slot; -1 otherwise
	slots  []int                  // local slots it may take units from, ascending
	groups [][]int                // mix-and-match: local slots per group
	indep  bool                   // mix-and-match: no slot serves two groups
	last   []int                  // slots no later decision touches
	gain   money.Amount           // worth alone, net of the simple discounts its units lose
	rank   money.Amount           // its own discount alone, which orders the search
	ub     []money.Amount         // unit bounds on this decision's slots, parallel to slots
	tierUB [][]money.Amount       // quantity discount: by tier, the unit bounds of that tier alone
	minQ   int64                  // quantity discount: the units of its first tier
	single claim                  // the best way to apply it alone
	local  bool                   // no later decision touches its slots
	opts   map[[2]uint64]*optList // optionsOf, by the state of its slots
}

// search solves one component of one stage of one priority.
type search struct {
	r       *run
	prio    int
	excl    bool
	gs      []int // local → index into r.slots
	rem     []int64
	amt     []money.Amount
	left    []money.Amount // exact leftover value (best simple discount) of each slot's remaining units
	leftSum money.Amount
	lb      []money.Amount // per-unit bound of each slot's simple discounts
	ubuf    []money.Amount // scratch of bound
	pidx    []int          // scratch of formSets: local slot → piece index + 1
	// scratch of fill and formSets
	sel        [][]unitRun
	costBuf    []costed
	discAt     []money.Amount
	segs       [][]segment
	segPos     []int
	parts, set []setPart
	sorted     []setPart
	wBuf       []money.Amount
	whoBuf     []int
	shareBuf   []money.Amount // setDiscount's shares
	leftMemo   []leftMemo     // slotLeft's table
	priceBuf   []money.Amount // priceSets' unit prices of a group's runs
	pieceSlab  []piece        // the claims' pieces (newPieces)
	slack      money.Amount
	ustat      [][]money.Amount // by depth: static unit bounds (solve)
	decs       []*decision
	h1, h2     uint64
	z1, z2     []uint64
	memo       map[[3]uint64]money.Amount
	final      money.Amount
	nodes      int
	maxNodes   int
	best       money.Amount
	bestSet    bool
	bestPln    []claim
	plan       []claim
	cut        bool // the node budget was reached before the search was complete
	noBounds   bool // prune on dominance only (checkBounds)
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
	r.partSlab, r.stageHits = r.partSlab[:0], r.stageHits[:0] // read only within the stage (withHits copies the hits)
	find := func(x int32) int32 {
		for parent[x] != x {
			parent[x] = parent[parent[x]]
			x = parent[x]
		}
		return x
	}
	r.elig = r.elig[:0]
	for s := range r.slots {
		parent[s] = int32(s)
		if r.eligible(&r.slots[s], excl) {
			r.elig = append(r.elig, s)
		}
	}
	if len(r.elig) == 0 {
		return
	}
	// Each eligible slot's multi-unit offers of the stage, looked up once.
	if cap(r.msOf) < ns {
		r.msOf = make([][]cand, ns)
	}
	msOf := r.msOf[:ns]
	for _, s := range r.elig {
		msOf[s] = r.multisOf(&r.pools[r.slots[s].pool], prio, excl)
	}
	// Slots are linked by the multi-unit offers that can fill across them.
	live := r.liveMultis(msOf)
	first := r.firstSlot(len(r.e.offers))
	any := false
	for _, s := range r.elig {
		sl := &r.slots[s]
		ms := msOf[s]
		if len(ms) > 0 {
			any = true
		}
		if !r.pools[sl.pool].whole {
			continue // weighed items take no multi-unit discount
		}
		for ci := range ms {
			o := ms[ci].o
			if !live[o.idx] || (o.kind == Quantity && !o.mixed) {
				continue // cannot apply, or counts per line: links nothing
			}
			if f := first[o.idx]; f >= 0 {
				a, b := find(f), find(int32(s))
				if a != b {
					if a < b {
						parent[b] = a
					} else {
						parent[a] = b
					}
				}
			} else {
				first[o.idx] = int32(s)
				r.firstSet = append(r.firstSet, o.idx)
			}
		}
	}
	changed := false
	if any {
		// The components, in the order of their first slot, each in slot
		// order (a counting sort into one buffer).
		if cap(r.compOf) < ns {
			r.compOf = make([]int32, ns)
		}
		compOf := r.compOf[:ns]
		for _, s := range r.elig {
			compOf[s] = -1
		}
		r.compLen = r.compLen[:0]
		member := r.member[:0]
		for _, s := range r.elig {
			if len(msOf[s]) == 0 {
				continue
			}
			root := find(int32(s))
			if compOf[root] < 0 {
				compOf[root] = int32(len(r.compLen))
				r.compLen = append(r.compLen, 0)
			}
			r.compLen[compOf[root]]++
			member = append(member, s)
		}
		r.compAt = append(r.compAt[:0], make([]int, len(r.compLen)+1)...)
		for i, n := range r.compLen {
			r.compAt[i+1] = r.compAt[i] + n
		}
		if cap(r.compBuf) < len(member) {
			r.compBuf = make([]int, len(member))
		}
		buf := r.compBuf[:len(member)]
		fill := append(r.compFill[:0], r.compAt[:len(r.compLen)]...)
		for _, s := range member {
			ci := compOf[find(int32(s))]
			buf[fill[ci]] = s
			fill[ci]++
		}
		r.member, r.compFill = member, fill
		for ci := range r.compLen {
			cs := buf[r.compAt[ci]:r.compAt[ci+1]:r.compAt[ci+1]]
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
		if d, hits := r.simpleBestIn(&r.stageHits, sl, prio, excl, sl.n, sl.cur, sl.orig); d > 0 {
			r.partSlab = append(r.partSlab, part{k: sl.n, cur: sl.cur, orig: sl.orig, hits: hits, taken: true})
			n := len(r.partSlab)
			out[s] = r.partSlab[n-1 : n : n] // read below, before the next stage cuts the slab again
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

// firstSlot returns, by offer index, the first slot an offer selected in
// this stage (-1: none yet), cleared from the last stage.
func (r *run) firstSlot(n int) []int32 {
	if len(r.first) != n {
		r.first = make([]int32, n)
		for i := range r.first {
			r.first[i] = -1
		}
	}
	for _, oi := range r.firstSet {
		r.first[oi] = -1
	}
	r.firstSet = r.firstSet[:0]
	return r.first
}

// liveMultis marks the multi-unit offers of a stage (msOf: by slot, those
// of each eligible one) that the stage's eligible units could fill at all
// (every group of a mix-and-match has its quantity, a mixed quantity
// discount reaches its first tier): the others cannot apply in any
// component and so link no slots. The result is by offer index.
func (r *run) liveMultis(msOf [][]cand) []bool {
	e := r.e
	if len(r.live) != len(e.offers) {
		r.live = make([]bool, len(e.offers))
		r.liveUnits = make([]int64, e.unitSlots)
	}
	for _, oi := range r.liveSet {
		r.live[oi] = false
		o := e.offers[oi]
		clear(r.liveUnits[e.unitAt[oi] : e.unitAt[oi]+max(len(o.mm), 1)])
	}
	r.liveSet = r.liveSet[:0]
	units := r.liveUnits
	for _, s := range r.elig {
		sl := &r.slots[s]
		p := &r.pools[sl.pool]
		if !p.whole {
			continue
		}
		for _, c := range msOf[s] {
			o := c.o
			u := units[e.unitAt[o.idx] : e.unitAt[o.idx]+max(len(o.mm), 1)]
			if !r.live[o.idx] {
				r.live[o.idx] = true // listed; decided below
				r.liveSet = append(r.liveSet, o.idx)
			}
			if o.kind == MixMatch {
				for j := range o.mm {
					if c.groups&(1<<uint(j)) != 0 {
						u[j] += sl.n
					}
				}
			} else {
				u[0] += sl.n
			}
		}
	}
	for _, oi := range r.liveSet {
		o := e.offers[oi]
		u := units[e.unitAt[oi] : e.unitAt[oi]+max(len(o.mm), 1)]
		ok := true
		if o.kind == MixMatch {
			for j := range o.mm {
				if u[j] < int64(o.mm[j].qty) {
					ok = false
				}
			}
		} else {
			ok = u[0] >= int64(o.tiers[0].minQty/catalog.One)
		}
		r.live[oi] = ok
	}
	return r.live
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
	// Slots share their hits read-only; new lists come from the run's
	// arena (slots never outlive the pricing).
	nb := len(base.hits)
	if len(hits) == 0 {
		ns.hits = base.hits[:nb:nb]
	} else {
		n := nb + len(hits)
		if cap(r.hitArena)-len(r.hitArena) < n {
			r.hitArena = make([]hit, 0, max(4096, 2*n, 2*cap(r.hitArena))) // grows until one holds a pricing
		}
		start := len(r.hitArena)
		r.hitArena = append(append(r.hitArena, base.hits...), hits...)
		ns.hits = r.hitArena[start : start+n : start+n]
	}
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
	r.slabAt = 0 // the last search's pieces are dead
	// One search at a time per run: the last one's room is reused (nothing
	// of a search outlives its result).
	sr := r.srch
	if sr == nil {
		sr = new(search)
		r.srch = sr
	}
	clear(sr.decs[:cap(sr.decs)]) // let the last search's decisions and plans go
	clear(sr.plan[:cap(sr.plan)])
	memo := sr.memo
	if len(memo) > 1<<12 {
		memo = nil // a big one is dropped rather than cleared for every small search
	}
	clear(memo)
	*sr = search{r: r, prio: prio, excl: excl, gs: cs, rem: zeroed(sr.rem, n), amt: zeroed(sr.amt, n),
		left: zeroed(sr.left, n), lb: zeroed(sr.lb, n), ubuf: zeroed(sr.ubuf, n), pidx: zeroed(sr.pidx, n),
		z1: zeroed(sr.z1, n), z2: zeroed(sr.z2, n), maxNodes: r.e.maxSearchNodes,
		sel: sr.sel, costBuf: sr.costBuf, discAt: sr.discAt, segs: sr.segs, segPos: sr.segPos, parts: sr.parts[:0], set: sr.set[:0],
		sorted: sr.sorted, wBuf: sr.wBuf, whoBuf: sr.whoBuf, shareBuf: sr.shareBuf, priceBuf: sr.priceBuf,
		leftMemo: zeroed(sr.leftMemo, n*leftWays), decs: sr.decs[:0], plan: sr.plan[:0], memo: memo}
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
	// A decision that cannot apply to the component's units at all (a group
	// short of its quantity, a quantity below the first tier) has nothing
	// to choose: leave it out.
	kept := sr.decs[:0]
	for _, d := range sr.decs {
		if d.o.kind == Quantity {
			d.minQ = int64(d.o.tiers[0].minQty / catalog.One)
		}
		if sr.mayApply(d) {
			kept = append(kept, d)
		}
	}
	sr.decs = kept
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

// zeroed returns s with n zero elements, in its own room when it has
// enough.
func zeroed[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	s = s[:n]
	clear(s)
	return s
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
	// Unit bounds and the order of decisions: by the discount each gives
	// alone, best first (ties by offer, then slot), so the first path is
	// close to the greedy and the bound prunes early. The order of two
	// decisions never depends on another promotion — not on a third
	// decision, and not on the simple discounts their units would lose
	// (which the gain counts): the options a decision offers depend on the
	// units earlier decisions left it, so an order that changed when a
	// promotion is added could lose the plan that was best without it.
	// With a fixed order, adding a promotion only adds options: the search
	// stays monotone.
	for li := range sr.gs {
		sr.lb[li] = sr.unitBound(nil, li, -1)
	}
	for _, d := range sr.decs {
		d.ub = make([]money.Amount, len(d.slots))
		for k, li := range d.slots {
			d.ub[k] = max(sr.unitBound(d, li, -1), sr.lb[li])
		}
		if d.o.kind == Quantity {
			d.tierUB = make([][]money.Amount, len(d.o.tiers))
			for t := range d.o.tiers {
				u := make([]money.Amount, len(d.slots))
				for k, li := range d.slots {
					u[k] = max(sr.unitBound(d, li, t), sr.lb[li])
				}
				d.tierUB[t] = u
			}
		}
		d.gain, d.rank, d.single = sr.alone(d)
	}
	sort.SliceStable(sr.decs, func(a, b int) bool {
		da, db := sr.decs[a], sr.decs[b]
		if da.rank != db.rank {
			return da.rank > db.rank
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
	for _, d := range sr.decs {
		d.local = len(d.last) == len(d.slots)
	}
	for li := range sr.gs {
		if !lastSeen[li] { // no decision touches it (cannot happen in a component, kept safe)
			sr.final += sr.left[li]
			sr.hashSlot(li, -1)
		}
	}
	sr.slack = money.Amount(n + 1)
	// Static unit bounds from each depth on: what decisions d… or a simple
	// discount could give a unit at most, whatever they can still apply to
	// (so never below what boundFrom finds in any state below depth d).
	sr.ustat = make([][]money.Amount, len(sr.decs)+1)
	sr.ustat[len(sr.decs)] = sr.lb
	for d := len(sr.decs) - 1; d >= 0; d-- {
		u := slices.Clone(sr.ustat[d+1])
		dc := sr.decs[d]
		for k, li := range dc.slots {
			u[li] = max(u[li], dc.ub[k])
		}
		sr.ustat[d] = u
	}
	// Incumbents: nothing at all, and every decision alone in each of its
	// ways (the best single-promotion choice is a floor of the answer).
	sr.best, sr.bestSet = sr.leftSum, true
	for _, d := range sr.decs {
		if d.gain > 0 && sr.leftSum+d.gain > sr.best {
			sr.best, sr.bestPln = sr.leftSum+d.gain, []claim{d.single}
		}
	}
	if sr.memo == nil {
		sr.memo = make(map[[3]uint64]money.Amount)
	}
	sr.dfs(0, 0, -1)
	if sr.cut {
		sr.discrepancies()
	}
	return sr.result()
}

// alone evaluates each way of applying decision d with every other
// decision left out and returns the best gain over applying nothing, with
// its claim (the best single-promotion choice, a floor of the answer), and
// the most the decision's own discount comes to in any of its ways (its
// rank: without the simple discounts stacked on it or lost by its units,
// so that no other promotion changes it).
func (sr *search) alone(d *decision) (gain, rank money.Amount, single claim) {
	base := sr.leftSum
	opts := sr.optionsOf(d)
	for i := 0; ; i++ {
		c, ok := opts.at(i)
		if !ok || len(c.pieces) == 0 {
			break
		}
		var own money.Amount
		for _, p := range c.pieces {
			own += p.disc
		}
		rank = max(rank, own)
		sr.take(c, 1)
		total := c.value + sr.leftSum
		sr.take(c, -1)
		if total-base > gain {
			gain, single = total-base, c
		}
	}
	return gain, rank, single
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

// discrepancies goes on after the depth-first search reached its budget:
// that search spends its nodes on the choices of the deepest decisions, so
// a better first choice is never looked at. With a budget as large again,
// it searches the paths that leave the first option at 1, 2, … decisions
// only, wherever they are (limited discrepancy search), keeping the best
// answer of both. When a pass ends within the budget with every decision
// free to leave its first option, the search was complete after all.
func (sr *search) discrepancies() {
	sr.maxNodes = sr.nodes + sr.maxNodes
	for k := 1; k <= len(sr.decs); k++ {
		sr.cut = false
		sr.memo = make(map[[3]uint64]money.Amount)
		sr.dfs(0, 0, k)
		if sr.cut {
			return
		}
	}
}

// dfs searches from decision d with acc in hand; disc ≥ 0 is how many
// decisions below may still take another option than their first (−1: any).
func (sr *search) dfs(d int, acc money.Amount, disc int) {
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
	key := [3]uint64{uint64(d) | uint64(disc+1)<<32, sr.h1, sr.h2}
	fixed := acc + sr.final
	if seen, ok := sr.memo[key]; ok && seen >= fixed {
		return
	}
	if len(sr.memo) < 1<<20 {
		sr.memo[key] = fixed
	}
	dc := sr.decs[d]
	opts := sr.optionsOf(dc)
	if dc.local {
		// No later decision touches its units: its best option is the best
		// whatever comes after, so there is nothing to branch on.
		bi, bv := -1, money.Amount(0)
		for i := 0; ; i++ {
			c, ok := opts.at(i)
			if !ok {
				break
			}
			before := sr.leftSum
			sr.take(c, 1)
			v := c.value + sr.leftSum - before
			sr.take(c, -1)
			if bi < 0 || v > bv {
				bi, bv = i, v
			}
		}
		c, _ := opts.at(bi)
		sr.take(c, 1)
		sr.advance(dc, 1)
		sr.plan = append(sr.plan, c)
		sr.dfs(d+1, acc+c.value, disc)
		sr.plan = sr.plan[:len(sr.plan)-1]
		sr.advance(dc, -1)
		sr.take(c, -1)
		return
	}
	// A child whose bound cannot beat the best so far even with the static
	// unit bounds is not visited (its own bound would prune it at once).
	var us []money.Amount
	var sum money.Amount
	if d+1 < len(sr.decs) && !sr.noBounds {
		us = sr.ustat[d+1]
		for li, v := range us {
			sum += money.Amount(sr.rem[li]) * v
		}
	}
	for i := 0; ; i++ {
		if i > 0 && sr.nodes > sr.maxNodes {
			sr.cut = true
			break // budget spent: the rest of this path follows the first option
		}
		childDisc := disc
		if i > 0 && disc >= 0 {
			if disc == 0 {
				break
			}
			childDisc = disc - 1
		}
		c, ok := opts.at(i)
		if !ok {
			break
		}
		if us != nil {
			b := acc + c.value + sum + sr.slack
			for _, p := range c.pieces {
				b -= money.Amount(p.k) * us[p.slot]
			}
			if b <= sr.best {
				continue
			}
		}
		sr.take(c, 1)
		sr.advance(dc, 1)
		sr.plan = append(sr.plan, c)
		sr.dfs(d+1, acc+c.value, childDisc)
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
// can still add, counting only the decisions that can still apply. It is
// the smaller of two bounds:
//   - by unit: each unit left gets the most any of those decisions, or a
//     simple discount, could give it;
//   - by decision: each unit left gets the most a simple discount could
//     give it, and each decision adds at most what its units could gain
//     over that and, for a mix-and-match, at most setsCap.
//
// A quantity discount's unit bounds are those of the best tier its units
// left can still reach.
func (sr *search) boundFrom(d int) money.Amount {
	if sr.noBounds {
		return money.Amount(1) << 60
	}
	u := sr.ubuf
	copy(u, sr.lb)
	var caps money.Amount
	for _, dc := range sr.decs[d:] {
		if dc.o.kind == Quantity {
			caps += sr.tierBounds(dc, u)
			continue
		}
		if !sr.mayApply(dc) {
			continue
		}
		var gain money.Amount
		for k, li := range dc.slots {
			b := dc.ub[k]
			if b > u[li] {
				u[li] = b
			}
			gain += money.Amount(sr.rem[li]) * (b - sr.lb[li]) // b ≥ lb
		}
		if dc.o.kind == MixMatch {
			gain = min(gain, sr.setsCap(dc))
		}
		caps += gain
	}
	var byUnit, byDec money.Amount
	for li, v := range u {
		byUnit += money.Amount(sr.rem[li]) * v
		byDec += money.Amount(sr.rem[li]) * sr.lb[li]
	}
	return min(byUnit, byDec+caps)
}

// tierBounds raises the unit bounds u by what a quantity discount could
// still give its units, and returns the most it could add over their
// simple discounts. Units only decrease down the search, and a lower tier
// may give more than a higher one, so every tier up to the one the units
// left reach counts; but a lower tier t applies to fewer units than tier
// t+1 needs, so it adds at most that many units' best gain.
func (sr *search) tierBounds(dc *decision, u []money.Amount) money.Amount {
	var n int64
	for _, li := range dc.slots {
		n += sr.rem[li]
	}
	ts := dc.o.tiers
	top := -1
	for i := range ts {
		if int64(ts[i].minQty/catalog.One) <= n {
			top = i
		}
	}
	var most money.Amount
	for t := 0; t <= top; t++ {
		var all, best money.Amount
		for k, li := range dc.slots {
			if sr.rem[li] <= 0 {
				continue
			}
			b := dc.tierUB[t][k]
			if b > u[li] {
				u[li] = b
			}
			g := b - sr.lb[li] // b ≥ lb
			all += money.Amount(sr.rem[li]) * g
			best = max(best, g)
		}
		if t < top {
			all = min(all, money.Amount(ts[t+1].minQty/catalog.One-1)*best)
		}
		most = max(most, all)
	}
	return most
}

// setsCap bounds what a mix-and-match can still add over the simple
// discounts of the units it takes: the sets the units left can form times
// the most one set can save with every unit at the highest unit worth of
// its group, less what a set's units give up at the least (the smallest
// simple-discount bound of each group; nothing when the discount compounds
// on them), plus a cent per set and per slot for rounding.
func (sr *search) setsCap(dc *decision) money.Amount {
	o := dc.o
	if len(dc.groups) == 0 {
		return money.Amount(1) << 60
	}
	comp := o.conc == Compound && sr.r.e.model == WithinPriority
	onOrig := o.conc == Compound && sr.r.e.onOriginal
	sets := int64(1) << 62
	var size int64
	var tmax, omax, lost money.Amount
	for j, g := range dc.groups {
		q := int64(o.mm[j].qty)
		var n int64
		var maxP, maxO money.Amount
		minL := money.Amount(-1)
		for _, li := range g {
			if sr.rem[li] <= 0 {
				continue
			}
			n += sr.rem[li]
			w := sr.unitWorth(li)
			maxP = max(maxP, w)
			if onOrig {
				w = max(w, sr.origWorth(li))
			}
			maxO = max(maxO, w)
			if minL < 0 || sr.lb[li] < minL {
				minL = sr.lb[li]
			}
		}
		sets = min(sets, n/q)
		size += q
		tmax += maxP * money.Amount(q)
		omax += maxO * money.Amount(q)
		if !comp && minL > 0 {
			lost += minL * money.Amount(q)
		}
	}
	if !dc.indep {
		var all int64
		for _, li := range dc.slots {
			all += sr.rem[li]
		}
		sets = min(sets, all/size)
	}
	var per money.Amount
	switch {
	case o.leastN > 0: // the least expensive N units of a set come to at most N/size of it
		least := money.MulDiv(int64(omax), int64(o.leastN), size, money.Up)
		per = min(tmax, money.Amount(money.MulDiv(least, o.m.bp, 10000, money.Up)))
	case o.m.kind == mPercent:
		per = min(tmax, money.Amount(money.MulDiv(int64(omax), o.m.bp, 10000, money.Up)))
	case o.m.kind == mDeal:
		per = max(0, tmax-o.m.amt)
	default:
		per = o.m.amt
	}
	return money.Amount(sets)*max(0, per+1-lost) + money.Amount(len(dc.slots))
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
// It is a function of the slot's units and amount left, kept in a small
// table per slot: the search undoes every claim it takes, and comes back
// to the same states under many paths.
func (sr *search) slotLeft(li int) money.Amount {
	k := sr.rem[li]
	if k <= 0 {
		return 0
	}
	m := &sr.leftMemo[li*leftWays+int(uint64(k)%leftWays)]
	if m.rem == k && m.amt == sr.amt[li] { // k > 0: an entry never set has rem 0
		return m.v
	}
	sl := &sr.r.slots[sr.gs[li]]
	orig := money.Amount(money.MulDiv(int64(sl.orig), k, sl.n, money.HalfUp))
	v := sr.r.simpleValue(sl, sr.prio, sr.excl, k, sr.amt[li], orig, false)
	*m = leftMemo{rem: k, amt: sr.amt[li], v: v}
	return v
}

// leftWays is the entries per slot of slotLeft's table (by units left).
const leftWays = 8

// leftMemo is one entry of slotLeft's table.
type leftMemo struct {
	rem    int64
	amt, v money.Amount
}

// unitWorth is the most one remaining unit of local slot li is worth.
func (sr *search) unitWorth(li int) money.Amount {
	sl := &sr.r.slots[sr.gs[li]]
	if sl.n <= 0 {
		return 0
	}
	return money.Amount(money.Div(int64(sl.cur), sl.n, money.Up))
}

// origWorth is the most one unit of local slot li was worth before any
// discount.
func (sr *search) origWorth(li int) money.Amount {
	sl := &sr.r.slots[sr.gs[li]]
	if sl.n <= 0 {
		return 0
	}
	return money.Amount(money.Div(int64(sl.orig), sl.n, money.Up))
}

// unitBound is a safe upper bound of what one unit of local slot li can
// get from decision d (nil: from its simple discounts). Summed over the
// units left, it never underestimates what the rest of the search can
// find, so pruning on it never loses the best combination.
//
// For a quantity discount, tier ≥ 0 bounds that tier alone (−1: all).
func (sr *search) unitBound(d *decision, li, tier int) money.Amount {
	r := sr.r
	w := sr.unitWorth(li)
	sl := &r.slots[sr.gs[li]]
	p := &r.pools[sl.pool]
	if !p.discountable || w <= 0 {
		return 0
	}
	// A compound percent taken off the original price (compound_on
	// original) can come to more than that percent of the unit's worth
	// now; no discount exceeds the worth.
	wo := w
	if r.e.onOriginal {
		wo = max(w, sr.origWorth(li))
	}
	pctOf := func(base money.Amount, bp int64) money.Amount {
		return min(w, money.Amount(money.MulDiv(int64(base), bp, 10000, money.Up))+1)
	}
	ceilPct := func(bp int64) money.Amount { return pctOf(w, bp) }
	if d != nil && d.o.conc == Compound {
		ceilPct = func(bp int64) money.Amount { return pctOf(wo, bp) }
	}
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
		v := r.simpleValue(sl, sr.prio, sr.excl, 1, w, wo, true)
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
			if c.m.kind == mPercent && c.o.conc == Compound {
				v = pctOf(wo, c.m.bp)
			}
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
		for i, t := range o.tiers {
			if tier < 0 || i == tier {
				b = max(b, methodBound(t.m))
			}
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

// optList is the ways to apply a decision in one state of its slots, in
// the order options yields them, computed as far as the search asked.
type optList struct {
	it   *optIter
	got  []claim
	done bool
}

// at returns the i-th option, computing it if needed.
func (l *optList) at(i int) (claim, bool) {
	for i >= len(l.got) && !l.done {
		c, ok := l.it.next()
		if !ok {
			l.done, l.it = true, nil
			break
		}
		l.got = append(l.got, c)
	}
	if i < len(l.got) {
		return l.got[i], true
	}
	return claim{}, false
}

// optionsOf returns the options of a decision for the remaining units.
// They depend only on the remaining units of the decision's own slots, so
// the search computes them once per state of those slots (the same state
// recurs under many paths).
func (sr *search) optionsOf(dc *decision) *optList {
	h1, h2 := mix64(uint64(len(dc.slots))), mix64(uint64(len(dc.slots))+0x3c)
	for _, li := range dc.slots {
		h1 = mix64(h1 ^ (uint64(sr.rem[li])*sr.z1[li] + uint64(sr.amt[li])*sr.z2[li]))
		h2 = mix64(h2 + (uint64(sr.rem[li])*sr.z2[li] ^ bits.RotateLeft64(uint64(sr.amt[li])*sr.z1[li], 17)))
	}
	key := [2]uint64{h1, h2}
	if l, ok := dc.opts[key]; ok {
		return l
	}
	if dc.opts == nil {
		dc.opts = map[[2]uint64]*optList{}
	}
	l := &optList{it: sr.options(dc)}
	dc.opts[key] = l
	return l
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
				if it.dc.o.favorRet {
					it.k = 0 // every set its items make, or none (the next option)
				} else if it.strat++; it.strat == n {
					it.strat, it.k = 0, it.k-1
				}
				if strat == 0 {
					it.seen = it.seen[:0]
				}
				c, sel, ok := sr.formSets(it.dc, k, strat)
				if !ok || it.dup(c.pieces) {
					continue // the same units as a filling already given are worth the same
				}
				sr.priceSets(it.dc, &c, sel)
				if c.value <= 0 {
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
