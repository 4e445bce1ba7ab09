package pricing

import (
	"slices"

	"github.com/opentill/opentill/pos/money"
)

// Set filling: which units make the k sets of a mix-and-match. See the
// package documentation ("Filling the sets").

// run is a number of units of one local slot.
type unitRun struct {
	slot int
	n    int64
}

// maxSets returns how many sets of a mix-and-match the remaining units can
// make. With groups that share no slot it is the smallest number any group
// can fill. When groups overlap (a group "any product of category X" beside
// a group "product P2", P2 being in X) it is Hall's bound: for every set G
// of groups, the units of the slots serving G must cover k × (the units G
// needs). The bound is exact — it is the max-flow min-cut value of the
// assignment of units to groups — so no order of the groups loses a set.
func (sr *search) maxSets(dc *decision) int64 {
	o := dc.o
	if dc.indep || len(o.mm) > 12 {
		k := int64(1 << 62)
		for j, g := range dc.groups {
			var n int64
			for _, li := range g {
				n += sr.rem[li]
			}
			k = min(k, n/int64(o.mm[j].qty))
		}
		if !dc.indep {
			var all, need int64
			for _, li := range dc.slots {
				all += sr.rem[li]
			}
			for _, g := range o.mm {
				need += int64(g.qty)
			}
			k = min(k, all/need)
		}
		return k
	}
	k := int64(1 << 62)
	ng := len(o.mm)
	in := make([]bool, len(sr.gs))
	for mask := 1; mask < 1<<ng; mask++ {
		var need, cap int64
		for j := 0; j < ng; j++ {
			if mask&(1<<j) == 0 {
				continue
			}
			need += int64(o.mm[j].qty)
			for _, li := range dc.groups[j] {
				if !in[li] {
					in[li] = true
					cap += sr.rem[li]
				}
			}
		}
		for j := 0; j < ng; j++ {
			if mask&(1<<j) != 0 {
				for _, li := range dc.groups[j] {
					in[li] = false
				}
			}
		}
		k = min(k, cap/need)
	}
	return k
}

// fillCost orders the units a group takes first. Each strategy depends on
// the decision alone, never on the other promotions, so adding a promotion
// never changes how another fills its sets (the search stays monotone):
// 0 the most expensive first; 1 the cheapest first; 2+i the most expensive
// first but the decision's i-th slot last (leaving it to other deals).
func (sr *search) fillCost(dc *decision, li, strat int) int64 {
	p := int64(sr.unitPrice(li))
	switch {
	case strat == 1:
		return p
	case strat >= 2 && dc.slots[strat-2] == li:
		return 1<<40 - p
	}
	return -p
}

// strategies is how many ways of filling a decision's sets the search tries.
func (dc *decision) strategies() int {
	if len(dc.slots) <= 1 {
		return 1
	}
	if len(dc.slots) <= 6 {
		return 2 + len(dc.slots)
	}
	return 2
}

// fill picks k × qty units for every group of a mix-and-match. Groups that
// share no slot take their units greedily by fillCost; overlapping groups
// are filled by a min-cost flow over (slot → group), which finds the
// cheapest assignment by fillCost whatever the order the groups are written
// in. It fails when the units cannot make k sets. The result is the
// search's scratch, valid until the next fill.
func (sr *search) fill(dc *decision, k int64, strat int) ([][]unitRun, bool) {
	o := dc.o
	sel := sr.scratchSel(len(o.mm))
	if !dc.indep {
		return sr.flowFill(dc, k, strat, sel)
	}
	for j, g := range dc.groups {
		// The group's slots by (fillCost, slot), an insertion sort: groups
		// are small.
		cs := sr.costBuf[:0]
		for _, li := range g {
			c := costed{cost: sr.fillCost(dc, li, strat), li: li}
			i := len(cs)
			cs = append(cs, c)
			for i > 0 && (cs[i-1].cost > c.cost || cs[i-1].cost == c.cost && cs[i-1].li > c.li) {
				cs[i] = cs[i-1]
				i--
			}
			cs[i] = c
		}
		sr.costBuf = cs
		if o.favorRet { // the most expensive units and the cheapest, the middle left over
			sel[j] = sr.favorFill(sel[j], cs, k, int64(o.mm[j].qty), int64(o.leastN))
			if sel[j] == nil {
				return nil, false
			}
			continue
		}
		need := k * int64(o.mm[j].qty)
		for _, c := range cs {
			if need == 0 {
				break
			}
			if t := min(sr.rem[c.li], need); t > 0 {
				sel[j] = append(sel[j], unitRun{c.li, t})
				need -= t
			}
		}
		if need > 0 {
			return nil, false
		}
	}
	return sel, true
}

// favorFill picks the units of k favour-retailer sets of qty units with n
// discounted from the slots cs (most expensive first): the k·(qty−n) most
// expensive units and the k·n cheapest, which priceSets pairs. nil when
// the units cannot make k sets.
func (sr *search) favorFill(out []unitRun, cs []costed, k, qty, n int64) []unitRun {
	var total int64
	for _, c := range cs {
		total += sr.rem[c.li]
	}
	top, bottom := k*(qty-n), k*n
	if total < top+bottom {
		return nil
	}
	skipFrom, skipTo := top, total-bottom // the middle units, [skipFrom, skipTo)
	at := int64(0)
	for _, c := range cs {
		r := sr.rem[c.li]
		lo, hi := at, at+r // this slot's units
		at = hi
		take := max(0, min(hi, skipFrom)-lo) + max(0, hi-max(lo, skipTo))
		if take > 0 {
			out = append(out, unitRun{c.li, take})
		}
	}
	return out
}

// costed is a local slot with its fillCost.
type costed struct {
	cost int64
	li   int
}

// scratchSel returns n empty unit lists from the search's scratch.
func (sr *search) scratchSel(n int) [][]unitRun {
	if cap(sr.sel) < n {
		sr.sel = make([][]unitRun, n)
	}
	sel := sr.sel[:n]
	for j := range sel {
		sel[j] = sel[j][:0]
	}
	return sel
}

// flowFill is fill for overlapping groups: successive shortest paths
// (Bellman-Ford) on source → slot (its remaining units) → group (cost
// fillCost) → sink (k × qty). The graph has a node per slot and group of
// the offer, so it is small.
func (sr *search) flowFill(dc *decision, k int64, strat int, sel [][]unitRun) ([][]unitRun, bool) {
	o := dc.o
	S, G := len(dc.slots), len(o.mm)
	nodes := S + G + 2
	src, sink := 0, nodes-1
	type edge struct {
		to   int
		cap  int64
		cost int64
	}
	var es []edge
	adj := make([][]int, nodes)
	add := func(a, b int, cap, cost int64) {
		adj[a] = append(adj[a], len(es))
		es = append(es, edge{b, cap, cost})
		adj[b] = append(adj[b], len(es))
		es = append(es, edge{a, 0, -cost})
	}
	pos := make(map[int]int, S)
	for i, li := range dc.slots {
		pos[li] = i
		add(src, 1+i, sr.rem[li], 0)
	}
	var want int64
	for j, g := range dc.groups {
		for _, li := range g {
			add(1+pos[li], 1+S+j, 1<<62, sr.fillCost(dc, li, strat))
		}
		need := k * int64(o.mm[j].qty)
		want += need
		add(1+S+j, sink, need, 0)
	}
	const inf = int64(1) << 62
	dist := make([]int64, nodes)
	prev := make([]int, nodes)
	var flow int64
	for flow < want {
		for i := range dist {
			dist[i], prev[i] = inf, -1
		}
		dist[src] = 0
		for iter := 0; iter < nodes; iter++ {
			changed := false
			for a := 0; a < nodes; a++ {
				if dist[a] == inf {
					continue
				}
				for _, ei := range adj[a] {
					e := es[ei]
					if e.cap > 0 && dist[a]+e.cost < dist[e.to] {
						dist[e.to], prev[e.to] = dist[a]+e.cost, ei
						changed = true
					}
				}
			}
			if !changed {
				break
			}
		}
		if dist[sink] == inf {
			return nil, false
		}
		f := want - flow
		for v := sink; v != src; v = es[prev[v]^1].to {
			f = min(f, es[prev[v]].cap)
		}
		for v := sink; v != src; v = es[prev[v]^1].to {
			es[prev[v]].cap -= f
			es[prev[v]^1].cap += f
		}
		flow += f
	}
	for i, li := range dc.slots {
		for _, ei := range adj[1+i] {
			e := es[ei]
			if e.to > S && e.to <= S+G && ei%2 == 0 {
				if used := es[ei^1].cap; used > 0 {
					sel[e.to-1-S] = append(sel[e.to-1-S], unitRun{li, used})
				}
			}
		}
	}
	return sel, true
}

// setPart is the units of one slot in one set.
type setPart struct {
	slot  int
	n     int64
	price money.Amount
	disc  bool
}

// segment is a range of sets [from, to) whose part from one group has the
// same units: parts [p0, p1) of the search's part buffer.
type segment struct {
	from, to int64
	p0, p1   int
}

// segments cuts a group's units (sorted most expensive first) into k
// windows of qty units, set i taking units [i·qty, (i+1)·qty), and appends
// them to out as ranges of identical windows: a window inside one slot's
// units repeats, one across two slots stands alone. So a set is built from
// units of similar price (the customer's best for least-expensive deals)
// and the work is O(slots), not O(units). The parts go to sr.parts.
func (sr *search) segments(out []segment, runs []unitRun, qty, k int64) []segment {
	ri, off := 0, int64(0) // position: run ri, units used off
	for i := int64(0); i < k; {
		if ri >= len(runs) {
			break
		}
		left := runs[ri].n - off
		if left >= qty {
			f := min(left/qty, k-i)
			li := runs[ri].slot
			p0 := len(sr.parts)
			sr.parts = append(sr.parts, sr.part(li, qty))
			out = append(out, segment{from: i, to: i + f, p0: p0, p1: p0 + 1})
			i += f
			off += f * qty
			if off == runs[ri].n {
				ri, off = ri+1, 0
			}
			continue
		}
		p0 := len(sr.parts)
		need := qty
		for need > 0 && ri < len(runs) {
			t := min(runs[ri].n-off, need)
			sr.parts = append(sr.parts, sr.part(runs[ri].slot, t))
			need -= t
			off += t
			if off == runs[ri].n {
				ri, off = ri+1, 0
			}
		}
		out = append(out, segment{from: i, to: i + 1, p0: p0, p1: len(sr.parts)})
		i++
	}
	return out
}

// splitRuns cuts units sorted most expensive first into the first m units
// and the rest, the rest cheapest first: for favour-retailer sets, set i
// takes units [i·(qty−N), (i+1)·(qty−N)) of the first and [i·N, (i+1)·N) of
// the rest, so that the most expensive items go with the cheapest and the
// N discounted items of the sets are the cheapest of all.
func splitRuns(runs []unitRun, m int64) (top, rest []unitRun) {
	for _, u := range runs {
		switch {
		case m >= u.n:
			top = append(top, u)
			m -= u.n
		case m > 0:
			top = append(top, unitRun{slot: u.slot, n: m})
			rest = append(rest, unitRun{slot: u.slot, n: u.n - m})
			m = 0
		default:
			rest = append(rest, u)
		}
	}
	slices.Reverse(rest)
	return top, rest
}

func (sr *search) part(li int, n int64) setPart {
	return setPart{slot: li, n: n, price: sr.unitPrice(li), disc: sr.r.pools[sr.r.slots[sr.gs[li]].pool].discountable}
}

// formSets picks the units of k sets (fill) and returns them as pieces by
// slot, not yet priced, with the units per group (the search's scratch).
func (sr *search) formSets(dc *decision, k int64, strat int) (claim, [][]unitRun, bool) {
	o := dc.o
	sel, ok := sr.fill(dc, k, strat)
	if !ok {
		return claim{}, nil, false
	}
	// Pieces: the worth of the units taken from each slot, by slot.
	n := 0
	for _, g := range sel {
		for _, u := range g {
			if sr.pidx[u.slot] == 0 {
				n++
				sr.pidx[u.slot] = -1
			}
		}
	}
	// By slot: a group's slots are its decision's (newSearch), ascending.
	c := claim{o: o, sets: k, pieces: sr.newPieces(n)}
	for _, li := range dc.slots {
		if sr.pidx[li] == -1 {
			c.pieces = append(c.pieces, piece{slot: li})
			sr.pidx[li] = len(c.pieces)
		}
	}
	for _, g := range sel {
		for _, u := range g {
			c.pieces[sr.pidx[u.slot]-1].k += u.n
		}
	}
	for i := range c.pieces {
		sr.pidx[c.pieces[i].slot] = 0
	}
	return c, sel, true
}

// newPieces returns room for n pieces of a claim, cut from the search's
// slab: claims are kept (memoised by state) until the search's result is
// made, so the room is not given back before then (see pieceSlab), and one
// allocation serves many claims.
func (sr *search) newPieces(n int) []piece {
	if cap(sr.pieceSlab)-len(sr.pieceSlab) < n {
		sr.pieceSlab = sr.r.pieceSlab(n, cap(sr.pieceSlab))
	}
	at := len(sr.pieceSlab)
	sr.pieceSlab = sr.pieceSlab[:at+n]
	return sr.pieceSlab[at : at : at+n]
}

// pieceSlab returns an empty slab for at least n pieces, the run's next one
// when it is large enough (a search's pieces are dead once its result is
// made, so the run hands the same slabs to every search of a pricing and
// of the next ones); last is the size of the slab the search had.
func (r *run) pieceSlab(n, last int) []piece {
	for r.slabAt < len(r.slabs) {
		sl := r.slabs[r.slabAt]
		r.slabAt++
		if cap(sl) >= n {
			return sl[:0]
		}
	}
	sl := make([]piece, 0, max(n, min(256, 2*last), 16)) // small searches stay small
	r.slabs = append(r.slabs, sl)
	r.slabAt = len(r.slabs)
	return sl
}

// priceSets prices the sets formSets picked: what each piece is worth and
// the discount on it.
func (sr *search) priceSets(dc *decision, c *claim, sel [][]unitRun) {
	r := sr.r
	o := dc.o
	k := c.sets
	ps := c.pieces
	for i := range ps {
		p := &ps[i]
		sr.pidx[p.slot] = i + 1
		p.amt = sr.unitAmt(p.slot, p.k)
	}
	if cap(sr.discAt) < len(ps) {
		sr.discAt = make([]money.Amount, len(ps))
	}
	discAt := sr.discAt[:len(ps)]
	clear(discAt)
	m := o.m
	if o.leastN == 0 && m.kind == mPercent {
		for i := range ps {
			p := &ps[i]
			if r.pools[r.slots[sr.gs[p.slot]].pool].discountable {
				discAt[i] = r.apply(m, p.amt, sr.origOf(p.slot, p.k), p.k, o.conc == Compound)
			}
		}
	} else {
		// Sets from each group's units sorted by price, most expensive first.
		sr.parts = sr.parts[:0]
		if cap(sr.segs) < len(o.mm) {
			sr.segs = make([][]segment, len(o.mm))
		}
		segs := sr.segs[:len(o.mm)]
		for j := range sel {
			runs := sel[j]
			if cap(sr.priceBuf) < len(runs) {
				sr.priceBuf = make([]money.Amount, len(runs))
			}
			price := sr.priceBuf[:len(runs)]
			for a := range runs {
				price[a] = sr.unitPrice(runs[a].slot)
			}
			for a := 1; a < len(runs); a++ { // by price, highest first, then slot
				for b := a; b > 0; b-- {
					if pa, pb := price[b-1], price[b]; pa > pb || pa == pb && runs[b-1].slot < runs[b].slot {
						break
					}
					runs[b-1], runs[b] = runs[b], runs[b-1]
					price[b-1], price[b] = price[b], price[b-1]
				}
			}
			if o.favorRet { // one group: the top of each set, then its cheapest
				n := int64(o.leastN)
				q := int64(o.mm[j].qty)
				top, bottom := splitRuns(runs, k*(q-n))
				segs[j] = sr.segments(segs[j][:0], top, q-n, k)
				segs = append(segs, sr.segments(nil, bottom, n, k))
				continue
			}
			segs[j] = sr.segments(segs[j][:0], runs, int64(o.mm[j].qty), k)
		}
		if cap(sr.segPos) < len(segs) {
			sr.segPos = make([]int, len(segs))
		}
		pos := sr.segPos[:len(segs)]
		clear(pos)
		for i := int64(0); i < k; {
			to := k
			set := sr.set[:0]
			for j := range segs {
				s := segs[j][pos[j]]
				to = min(to, s.to)
				set = append(set, sr.parts[s.p0:s.p1]...)
			}
			sr.set = set
			sr.setDiscount(o, set, money.Amount(to-i), discAt)
			i = to
			for j := range segs {
				if segs[j][pos[j]].to == i {
					pos[j]++
				}
			}
		}
	}
	for i := range ps {
		ps[i].disc = min(discAt[i], ps[i].amt)
		sr.stack(o, &ps[i])
		sr.pidx[ps[i].slot] = 0
	}
	c.total()
}

// setDiscount prices one set: its least expensive items, its deal price or
// its amount off, and adds mult times what falls on each slot to the
// slot's piece in discAt (by sr.pidx).
func (sr *search) setDiscount(o *offer, set []setPart, mult money.Amount, discAt []money.Amount) {
	m := o.m
	out := func(li int, d money.Amount) { discAt[sr.pidx[li]-1] += d * mult }
	spread := func(d money.Amount) {
		if d <= 0 {
			return
		}
		w, who := sr.wBuf[:0], sr.whoBuf[:0]
		for _, p := range set {
			if p.disc {
				w = append(w, p.price*money.Amount(p.n))
				who = append(who, p.slot)
			}
		}
		sr.wBuf, sr.whoBuf = w, who
		if len(w) == 1 {
			out(who[0], d)
			return
		}
		sr.shareBuf = money.AllocateInto(sr.shareBuf[:0], d, w)
		for i, share := range sr.shareBuf {
			out(who[i], share)
		}
	}
	switch {
	case o.leastN > 0:
		sorted := append(sr.sorted[:0], set...)
		sr.sorted = sorted
		for a := 1; a < len(sorted); a++ { // by price, stable
			for b := a; b > 0 && sorted[b-1].price > sorted[b].price; b-- {
				sorted[b-1], sorted[b] = sorted[b], sorted[b-1]
			}
		}
		var setDisc money.Amount
		n := int64(0)
		for _, p := range sorted {
			if n == int64(o.leastN) {
				break
			}
			if !p.disc {
				continue
			}
			t := min(p.n, int64(o.leastN)-n)
			d := money.Percent(p.price, m.bp, money.HalfUp) * money.Amount(t)
			n += t
			setDisc += d
			if !sr.r.e.distributeLE {
				out(p.slot, d)
			}
		}
		if sr.r.e.distributeLE {
			spread(setDisc)
		}
	default: // deal price or amount off per set
		var total, discountable money.Amount
		for _, p := range set {
			total += p.price * money.Amount(p.n)
			if p.disc {
				discountable += p.price * money.Amount(p.n)
			}
		}
		var d money.Amount
		if m.kind == mDeal {
			d = total - m.amt
		} else {
			d = m.amt
		}
		spread(max(0, min(d, discountable)))
	}
}
