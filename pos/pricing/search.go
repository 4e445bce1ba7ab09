package pricing

import (
	"sort"

	"github.com/opentill/opentill/pos/catalog"
	"github.com/opentill/opentill/pos/money"
)

// piece is part of a slot taken by one application of a multi-unit discount.
type piece struct {
	slot  int
	k     int64
	amt   money.Amount // worth of the k units
	disc  money.Amount // the multi-unit discount on them
	extra []hit        // compound simple discounts stacked on them
}

type claim struct {
	o      *offer
	pieces []piece
	value  money.Amount
}

// decision is one choice of the search: how (and whether) to apply a
// multi-unit offer, or a per-line quantity offer to one slot.
type decision struct {
	o    *offer
	slot int // per-line quantity discount: the slot; -1 otherwise
}

type search struct {
	r       *run
	prio    int
	slots   []int          // component slots (indexes into r.slots)
	rem     []int64        // by slot index (shared scratch: components are disjoint)
	remAmt  []money.Amount // by slot index
	dec     []decision
	nodes   int
	plan    []claim
	best    money.Amount
	bestSet bool
	bestPln []claim
	left    []money.Amount // by slot index: best simple discount of the slot's leftover
	leftSum money.Amount
}

// level applies the quantity, mix-and-match and simple discounts of one
// priority.
func (r *run) level(prio int) {
	// Eligible slots and the multi-unit offers at this priority.
	var elig []int
	for i := range r.slots {
		if r.eligible(&r.slots[i], prio) {
			elig = append(elig, i)
		}
	}
	if len(elig) == 0 {
		return
	}
	// Union-find over slots sharing a multi-unit offer.
	ns := len(r.slots)
	parent := make([]int, ns)
	find := func(x int) int {
		for parent[x] != x {
			parent[x] = parent[parent[x]]
			x = parent[x]
		}
		return x
	}
	for _, s := range elig {
		parent[s] = s
	}
	first := map[*offer]int{}
	hasMulti := make([]bool, ns)
	for _, s := range elig {
		for _, c := range r.pools[r.slots[s].pool].cands {
			if (c.o.kind != Quantity && c.o.kind != MixMatch) || c.prio != prio {
				continue
			}
			hasMulti[s] = true
			if f, ok := first[c.o]; ok {
				a, b := find(f), find(s)
				if a != b {
					parent[a] = b
				}
			} else {
				first[c.o] = s
			}
		}
	}
	comps := map[int][]int{}
	var roots []int
	for _, s := range elig {
		if !hasMulti[s] {
			continue
		}
		root := find(s)
		if _, ok := comps[root]; !ok {
			roots = append(roots, root)
		}
		comps[root] = append(comps[root], s)
	}
	next := make([]slot, 0, ns+8)
	done := make([]bool, ns)
	rem, remAmt, left := make([]int64, ns), make([]money.Amount, ns), make([]money.Amount, ns)
	for _, root := range roots {
		sr := &search{r: r, prio: prio, slots: comps[root], rem: rem, remAmt: remAmt, left: left}
		next = append(next, sr.solve()...)
		for _, s := range comps[root] {
			done[s] = true
		}
	}
	for _, s := range elig {
		if done[s] {
			continue
		}
		sl := r.slots[s]
		d, hits := r.simpleBest(&sl, prio, sl.n, sl.cur, sl.orig, false)
		if d > 0 {
			r.slots[s] = r.withHits(sl, sl.n, sl.cur, sl.orig, hits, true)
		}
	}
	for s := range r.slots {
		if !done[s] {
			next = append(next, r.slots[s])
		}
	}
	r.slots = next
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

func (sr *search) solve() []slot {
	r := sr.r
	offers := map[*offer]bool{}
	for _, s := range sr.slots {
		sl := &r.slots[s]
		sr.rem[s], sr.remAmt[s] = sl.n, sl.cur
		for _, c := range r.pools[sl.pool].cands {
			if (c.o.kind != Quantity && c.o.kind != MixMatch) || c.prio != sr.prio {
				continue
			}
			if c.o.kind == Quantity && !c.o.mixed {
				sr.dec = append(sr.dec, decision{o: c.o, slot: s})
			} else if !offers[c.o] {
				offers[c.o] = true
				sr.dec = append(sr.dec, decision{o: c.o, slot: -1})
			}
		}
	}
	sort.SliceStable(sr.dec, func(a, b int) bool {
		if sr.dec[a].o.idx != sr.dec[b].o.idx {
			return sr.dec[a].o.idx < sr.dec[b].o.idx
		}
		return sr.dec[a].slot < sr.dec[b].slot
	})
	sr.initLeft()
	sr.dfs(0, 0)
	// Realise the best plan.
	taken := map[int][]piece{}
	for _, c := range sr.bestPln {
		for _, p := range c.pieces {
			p.extra = append([]hit{{o: c.o, amt: p.disc, prio: sr.prio}}, p.extra...)
			taken[p.slot] = append(taken[p.slot], p)
		}
	}
	var out []slot
	for _, s := range sr.slots {
		base := r.slots[s]
		n, cur, orig := base.n, base.cur, base.orig
		for _, p := range taken[s] {
			po := money.Amount(money.MulDiv(int64(orig), p.k, n, money.HalfUp))
			var hits []hit
			for _, h := range p.extra {
				if h.amt > 0 {
					hits = append(hits, h)
				}
			}
			ns := r.withHits(base, p.k, p.amt, po, hits, true)
			out = append(out, ns)
			n -= p.k
			cur -= p.amt
			orig -= po
		}
		if n > 0 {
			d, hits := r.simpleBest(&base, sr.prio, n, cur, orig, false)
			if d <= 0 {
				hits = nil
			}
			out = append(out, r.withHits(base, n, cur, orig, hits, true))
		}
	}
	return out
}

// slotLeft is the best simple discount of what is left of slot s.
func (sr *search) slotLeft(s int) money.Amount {
	k := sr.rem[s]
	if k <= 0 {
		return 0
	}
	sl := &sr.r.slots[s]
	orig := money.Amount(money.MulDiv(int64(sl.orig), k, sl.n, money.HalfUp))
	d, _ := sr.r.simpleBest(sl, sr.prio, k, sr.remAmt[s], orig, false)
	return d
}

// initLeft prices the leftovers of every slot once; take keeps the sum up
// to date for the slots it touches, so a leaf costs O(1).
func (sr *search) initLeft() {
	sr.leftSum = 0
	for _, s := range sr.slots {
		v := sr.slotLeft(s)
		sr.left[s] = v
		sr.leftSum += v
	}
}

func (sr *search) leftover() money.Amount { return sr.leftSum }

func (sr *search) dfs(d int, acc money.Amount) {
	sr.nodes++
	if d == len(sr.dec) {
		total := acc + sr.leftover()
		if !sr.bestSet || total > sr.best {
			sr.best, sr.bestSet = total, true
			sr.bestPln = append(sr.bestPln[:0:0], sr.plan...)
		}
		return
	}
	it := sr.options(sr.dec[d])
	for i := 0; ; i++ {
		if i > 0 && sr.nodes > sr.r.e.maxSearchNodes {
			break // budget spent: the rest of the search follows the greedy choice
		}
		c, ok := it.next()
		if !ok {
			break
		}
		sr.take(c, 1)
		sr.plan = append(sr.plan, c)
		sr.dfs(d+1, acc+c.value)
		sr.plan = sr.plan[:len(sr.plan)-1]
		sr.take(c, -1)
	}
}

func (sr *search) take(c claim, sign int64) {
	for _, p := range c.pieces {
		sr.rem[p.slot] -= sign * p.k
		sr.remAmt[p.slot] -= money.Amount(sign) * p.amt
		v := sr.slotLeft(p.slot)
		sr.leftSum += v - sr.left[p.slot]
		sr.left[p.slot] = v
	}
}

// unitAmt is the worth of k of the remaining units of slot s, rounded up so
// the most expensive units go first.
func (sr *search) unitAmt(s int, k int64) money.Amount {
	rem := sr.rem[s]
	if k >= rem {
		return sr.remAmt[s]
	}
	return money.Amount(money.MulDiv(int64(sr.remAmt[s]), k, rem, money.Up))
}

// optIter yields the ways to apply a decision lazily (options are only
// built while the search budget lasts): the greedy one first, "not at all"
// last.
type optIter struct {
	sr        *search
	dc        decision
	stage     int // 0: multi-unit options, 1: "not at all", 2: done
	k         int64
	strat     int
	per       [][]int
	contested func(int) int
	prev      []piece
}

func (sr *search) options(dc decision) *optIter {
	it := &optIter{sr: sr, dc: dc}
	if dc.o.kind == MixMatch {
		it.per, it.k, it.contested = sr.mixMatchSetup(dc.o)
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
			for it.k >= 1 {
				k, strat := it.k, it.strat
				if it.strat == 1 {
					it.strat, it.k = 0, it.k-1
				} else {
					it.strat = 1
				}
				c, ok := sr.buildSets(it.dc.o, it.per, k, strat, it.contested)
				if !ok || (strat == 1 && samePieces(it.prev, c.pieces)) {
					continue
				}
				it.prev = c.pieces
				if c.value > 0 {
					return c, true
				}
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

// stack adds the compound simple discounts of the slot on top of a compound
// multi-unit discount (the multi-unit one first: it decides the set).
func (sr *search) stack(o *offer, p *piece) {
	if o.conc != Compound || sr.r.e.model != WithinPriority {
		return
	}
	sl := &sr.r.slots[p.slot]
	orig := money.Amount(money.MulDiv(int64(sl.orig), p.k, sl.n, money.HalfUp))
	_, hits := sr.r.simpleBest(sl, sr.prio, p.k, p.amt-p.disc, orig, true)
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

func (sr *search) quantity(dc decision) (claim, bool) {
	r := sr.r
	o := dc.o
	var slots []int
	if dc.slot >= 0 {
		slots = []int{dc.slot}
	} else {
		for _, s := range sr.slots {
			for _, c := range r.pools[r.slots[s].pool].cands {
				if c.o == o {
					slots = append(slots, s)
					break
				}
			}
		}
	}
	var units int64
	for _, s := range slots {
		if r.pools[r.slots[s].pool].whole {
			units += sr.rem[s]
		}
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
	for _, s := range slots {
		k := sr.rem[s]
		if k <= 0 || !r.pools[r.slots[s].pool].whole {
			continue
		}
		p := piece{slot: s, k: k, amt: sr.remAmt[s]}
		if r.pools[r.slots[s].pool].discountable {
			sl := &r.slots[s]
			p.disc = r.apply(m, p.amt, money.Amount(money.MulDiv(int64(sl.orig), k, sl.n, money.HalfUp)), k, o.conc == Compound)
		}
		sr.stack(o, &p)
		c.pieces = append(c.pieces, p)
	}
	c.total()
	return c, c.value > 0
}

type unit struct {
	slot  int
	price money.Amount
	disc  bool
}

// mixMatchSetup prepares the applications of a mix-and-match: for every
// number of sets from the most that fit down to one, the units picked most
// expensive first, and (when different) the units fewest other offers want
// first. It returns the candidate slots per group and the most sets.
func (sr *search) mixMatchSetup(o *offer) ([][]int, int64, func(int) int) {
	r := sr.r
	contested := func(s int) int {
		n := 0
		for _, c := range r.pools[r.slots[s].pool].cands {
			if c.o != o && c.prio == sr.prio && c.o.kind != Threshold {
				n++
			}
		}
		return n
	}
	// Candidates per group.
	per := make([][]int, len(o.mm))
	for j, g := range o.mm {
		for _, s := range sr.slots {
			p := &r.pools[r.slots[s].pool]
			if !p.whole {
				continue
			}
			if ok, _ := g.match.match(p); ok {
				per[j] = append(per[j], s)
			}
		}
	}
	maxSets := int64(1 << 30)
	for j, g := range o.mm {
		var n int64
		for _, s := range per[j] {
			n += sr.rem[s]
		}
		if v := n / int64(g.qty); v < maxSets {
			maxSets = v
		}
	}
	if maxSets > 64 {
		maxSets = 64
	}
	return per, maxSets, contested
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

// buildSets picks the units of k sets and prices the discount.
func (sr *search) buildSets(o *offer, per [][]int, k int64, strat int, contested func(int) int) (claim, bool) {
	r := sr.r
	// used: units taken per slot (few slots: a small list searched linearly).
	var usedSlots []int
	var usedK []int64
	usedAt := func(s int) int {
		for i, x := range usedSlots {
			if x == s {
				return i
			}
		}
		usedSlots, usedK = append(usedSlots, s), append(usedK, 0)
		return len(usedSlots) - 1
	}
	groups := make([][]unit, len(o.mm))
	for j, g := range o.mm {
		cands := append([]int(nil), per[j]...)
		unitPrice := func(s int) money.Amount {
			if sr.rem[s] == 0 {
				return 0
			}
			return sr.remAmt[s] / money.Amount(sr.rem[s])
		}
		sort.SliceStable(cands, func(a, b int) bool {
			if strat == 1 {
				ca, cb := contested(cands[a]), contested(cands[b])
				if ca != cb {
					return ca < cb
				}
			}
			return unitPrice(cands[a]) > unitPrice(cands[b])
		})
		need := int64(g.qty) * k
		for _, s := range cands {
			if need == 0 {
				break
			}
			ui := usedAt(s)
			avail := sr.rem[s] - usedK[ui]
			if avail <= 0 {
				continue
			}
			t := min(avail, need)
			usedK[ui] += t
			need -= t
			for u := int64(0); u < t; u++ {
				groups[j] = append(groups[j], unit{slot: s, price: unitPrice(s), disc: r.pools[r.slots[s].pool].discountable})
			}
		}
		if need > 0 {
			return claim{}, false
		}
		sort.SliceStable(groups[j], func(a, b int) bool { return groups[j][a].price > groups[j][b].price })
	}
	// Pieces: the exact worth of the units taken from each slot.
	c := claim{o: o}
	order := make([]int, 0, len(usedSlots))
	for i, k := range usedK {
		if k > 0 {
			order = append(order, i)
		}
	}
	sort.Slice(order, func(a, b int) bool { return usedSlots[order[a]] < usedSlots[order[b]] })
	idx := make(map[int]int, len(order))
	for _, i := range order {
		s := usedSlots[i]
		idx[s] = len(c.pieces)
		c.pieces = append(c.pieces, piece{slot: s, k: usedK[i], amt: sr.unitAmt(s, usedK[i])})
	}
	discAt := make([]money.Amount, len(c.pieces))
	m := o.m
	switch {
	case o.leastN > 0:
		for i := int64(0); i < k; i++ {
			var set []unit
			for j, g := range o.mm {
				set = append(set, groups[j][i*int64(g.qty):(i+1)*int64(g.qty)]...)
			}
			sort.SliceStable(set, func(a, b int) bool { return set[a].price < set[b].price })
			var setDisc money.Amount
			n := 0
			for _, u := range set {
				if n == o.leastN {
					break
				}
				if !u.disc {
					continue
				}
				d := money.Percent(u.price, m.bp, money.HalfUp)
				n++
				if !r.e.distributeLE {
					discAt[idx[u.slot]] += d
				}
				setDisc += d
			}
			if r.e.distributeLE {
				sr.spread(set, setDisc, idx, discAt)
			}
		}
	case m.kind == mPercent:
		for i := range c.pieces {
			if r.pools[r.slots[c.pieces[i].slot].pool].discountable {
				sl := &r.slots[c.pieces[i].slot]
				orig := money.Amount(money.MulDiv(int64(sl.orig), c.pieces[i].k, sl.n, money.HalfUp))
				discAt[i] = r.apply(m, c.pieces[i].amt, orig, c.pieces[i].k, o.conc == Compound)
			}
		}
	default: // deal price or amount off per set
		for i := int64(0); i < k; i++ {
			var set []unit
			var total, discountable money.Amount
			for j, g := range o.mm {
				for _, u := range groups[j][i*int64(g.qty) : (i+1)*int64(g.qty)] {
					set = append(set, u)
					total += u.price
					if u.disc {
						discountable += u.price
					}
				}
			}
			var d money.Amount
			if m.kind == mDeal {
				d = total - m.amt
			} else {
				d = m.amt
			}
			d = max(0, min(d, discountable))
			sr.spread(set, d, idx, discAt)
		}
	}
	for i := range c.pieces {
		c.pieces[i].disc = min(discAt[i], c.pieces[i].amt)
		sr.stack(o, &c.pieces[i])
	}
	c.total()
	return c, true
}

// spread shares a set's discount over its discountable units in proportion
// to their prices.
func (sr *search) spread(set []unit, d money.Amount, idx map[int]int, discAt []money.Amount) {
	if d == 0 {
		return
	}
	var w []money.Amount
	var who []int
	for _, u := range set {
		if u.disc {
			w = append(w, u.price)
			who = append(who, idx[u.slot])
		}
	}
	for i, share := range money.Allocate(d, w) {
		discAt[who[i]] += share
	}
}
