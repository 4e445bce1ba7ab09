package pricing

import (
	"slices"
	"sort"
	"strings"

	"github.com/opentill/opentill/pos/cart"
	"github.com/opentill/opentill/pos/catalog"
	"github.com/opentill/opentill/pos/money"
)

// thresholdMay reports whether a threshold discount o at priority prio may
// discount slot s given the discounts it already has (the anchor's
// Apply-multiple-retail-discounts, steps 5 and 6 of both examples):
//
//   - an exclusive threshold only discounts items without any discount;
//   - default model: a best-price threshold only discounts items without a
//     discount; a compound one also items whose discounts are all compound
//     (non-threshold ones of any priority, thresholds of its own priority),
//     never an item a threshold of another priority discounted;
//   - other model ("best price only within priority, always compound
//     across"): a best-price or compound threshold discounts every item
//     without an exclusive discount that has no discount of its own
//     priority — one discount per item and priority.
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
		for _, h := range s.hits {
			if h.prio == prio || h.o.conc == Exclusive {
				return false
			}
		}
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
	member *memberSet
	conc   Concurrency
}

// memberSet is the pools that qualify for a threshold: all of them, or a
// list (flags by pool, and the pools themselves so that only their slots
// are visited).
type memberSet struct {
	all   bool
	flags []bool
	pools []int
}

// qualify sums the qualifying amount: the running amount of the member
// items (discounted items count at their discounted price; non-discountable
// ones when configured). An exclusive threshold is evaluated on the items
// without a discount only, as it can only discount those.
func (r *run) qualify(o *offer, slots []slot, prio int, ms *memberSet, cache map[qualKey]*qual) *qual {
	key := qualKey{ms, o.conc}
	if cache != nil {
		if qu, ok := cache[key]; ok {
			return qu
		}
	}
	qu := &qual{}
	start := len(r.idxSlab) // the slots, cut from the run's slab (a pricing's quals never outlive it)
	visit := func(i int) {
		s := &slots[i]
		if s.cur <= 0 {
			return
		}
		if o.conc == Exclusive && (len(s.hits) > 0 || s.locked) {
			return
		}
		qu.q += s.cur
		if r.thresholdMay(o, s, prio) {
			r.idxSlab = append(r.idxSlab, i)
			qu.base += s.cur
		}
	}
	if ms.all || len(r.poolStart) != len(r.pools) {
		for i := range slots {
			if ms.all || ms.flags[slots[i].pool] {
				visit(i)
			}
		}
	} else {
		for _, pi := range ms.pools {
			for i := r.poolStart[pi]; i < r.poolEnd[pi]; i++ {
				visit(int(i))
			}
		}
	}
	qu.idx = r.idxSlab[start:len(r.idxSlab):len(r.idxSlab)]
	if !ms.all && len(r.poolStart) == len(r.pools) {
		sort.Ints(qu.idx) // visited pool by pool
	}
	if cache != nil {
		cache[key] = qu
	}
	return qu
}

// slotRanges records where each pool's slots are in r.slots (they are
// always kept together, in pool order).
func (r *run) slotRanges() {
	if cap(r.poolStart) < len(r.pools) {
		r.poolStart, r.poolEnd = make([]int32, len(r.pools)), make([]int32, len(r.pools))
	}
	r.poolStart, r.poolEnd = r.poolStart[:len(r.pools)], r.poolEnd[:len(r.pools)]
	clear(r.poolEnd)
	for i := len(r.slots) - 1; i >= 0; i-- {
		pi := r.slots[i].pool
		if r.poolEnd[pi] == 0 {
			r.poolEnd[pi] = int32(i + 1)
		}
		r.poolStart[pi] = int32(i)
	}
}

// thresholdOn computes a threshold discount on slots: the tier reached by
// the qualifying amount, its discount on the items it may discount (an
// amount spread over them by what is left of each). With out nil it only
// returns the total.
func (r *run) thresholdOn(o *offer, slots []slot, prio int, member *memberSet, cache map[qualKey]*qual, out []money.Amount) money.Amount {
	if member == nil {
		return 0
	}
	qu := r.qualify(o, slots, prio, member, cache)
	t := -1
	for i := range o.tiers {
		if o.tiers[i].minAmt <= qu.q {
			t = i
		}
	}
	total := r.spreadMethod(o, o.tiersMethod(t), slots, qu.idx, qu.base, out)
	if r.trace != nil {
		r.trace.thresholds = append(r.trace.thresholds, thresholdTrace{o: o, prio: prio, qual: qu.q, tier: t, applied: total})
	}
	return total
}

// tiersMethod returns the method of tier t, or none.
func (o *offer) tiersMethod(t int) method {
	if t < 0 {
		return method{kind: mNone}
	}
	return o.tiers[t].m
}

// spreadMethod applies a percent to each slot of idx, or spreads an amount
// over them in proportion to what is left of each.
func (r *run) spreadMethod(o *offer, m method, slots []slot, idx []int, base money.Amount, out []money.Amount) money.Amount {
	r.lastIdx = nil
	if m.kind == mNone || len(idx) == 0 {
		return 0
	}
	if out != nil {
		r.lastIdx = idx // the slots out was written for
	}
	var total money.Amount
	if m.kind == mPercent {
		for _, i := range idx {
			d := r.apply(m, slots[i].cur, slots[i].orig, slots[i].n, o.conc == Compound)
			if out != nil {
				out[i] = d
			}
			total += d
		}
		return total
	}
	amt := min(m.amt, base)
	if out == nil {
		return amt
	}
	w := make([]money.Amount, len(idx))
	for k, i := range idx {
		w[k] = slots[i].cur
	}
	for k, share := range money.Allocate(amt, w) {
		out[idx[k]] = min(share, slots[idx[k]].cur)
		total += out[idx[k]]
	}
	return total
}

// thresholds applies the threshold discounts of one priority as the anchor
// does: first the exclusive ones (the largest wins, on the items without a
// discount), then the best-price and compound ones — in the default model
// each best-price threshold alone competes with the compound ones stacked
// (amount off, then percent off), in the other model they all compete and
// one wins; the best for the customer is applied.
func (r *run) thresholds(prio int) {
	r.idxSlab = r.idxSlab[:0] // the quals of the last call are gone
	var offers []*offer
	for _, o := range r.acts {
		if o.kind == Threshold && r.act[o.idx].prio == prio && !slices.Contains(r.won, o) {
			offers = append(offers, o)
		}
	}
	sort.Slice(offers, func(a, b int) bool { return offers[a].idx < offers[b].idx })
	r.initMembers()
	r.slotRanges()
	ds := r.amounts(len(r.slots)) // zero outside r.lastIdx after each use
	apply := func(o *offer, cache map[qualKey]*qual) { r.applyThreshold(o, prio, cache) }
	// 1. Exclusive thresholds.
	var best money.Amount
	var bestOffer *offer
	cache := map[qualKey]*qual{}
	for _, o := range offers {
		if o.conc != Exclusive {
			continue
		}
		if total := r.thresholdOn(o, r.slots, prio, r.members[o.idx], cache, nil); total > best {
			best, bestOffer = total, o
		}
	}
	if bestOffer != nil {
		apply(bestOffer, nil)
		r.traceWinner(bestOffer)
	}
	// 2. Best price and compound.
	best, bestOffer = 0, nil
	var comp []*offer
	cache = map[qualKey]*qual{}
	for _, o := range offers {
		if o.conc == Exclusive {
			continue
		}
		if o.conc == Compound && r.e.model == WithinPriority {
			comp = append(comp, o)
			continue
		}
		if total := r.thresholdOn(o, r.slots, prio, r.members[o.idx], cache, nil); total > best {
			best, bestOffer = total, o
		}
	}
	if len(comp) > 0 {
		sort.SliceStable(comp, func(a, b int) bool { return comp[a].tiers[0].m.kind < comp[b].tiers[0].m.kind })
		slots := append(r.spare[:0], r.slots...)
		r.spare = nil // slots may become r.slots below
		recs := r.recs[:0]
		var total money.Amount
		// The thresholds over every item share one qualification, kept
		// up to date as the stack goes: every discount comes off its
		// amount and its base (the items any compound threshold of the
		// priority may discount are the ones it may), until an item is
		// used up and the items change.
		all := map[qualKey]*qual{}
		var allQ *qual // all's one entry (every threshold in it is compound)
		for _, o := range comp {
			ms := r.members[o.idx]
			var cache map[qualKey]*qual
			if ms != nil && ms.all {
				cache = all
			}
			r.thresholdOn(o, slots, prio, ms, cache, ds)
			if cache != nil {
				allQ = all[qualKey{ms, o.conc}]
			}
			for _, i := range r.lastIdx {
				d := ds[i]
				ds[i] = 0
				if d > 0 {
					// Only the amount left changes as the stack goes: a
					// compound threshold of this priority never changes
					// which items the next one may discount (thresholdMay),
					// so the hits are given once the stack has won.
					slots[i].cur -= d
					recs = append(recs, poolHit{slots[i].pool, i, hit{o: o, amt: d, prio: prio}})
					total += d
					if allQ != nil {
						allQ.q -= d
						allQ.base -= d
						if slots[i].cur <= 0 {
							clear(all)
							allQ = nil
						}
					}
				}
			}
		}
		r.recs = recs
		if total <= best {
			r.spare = slots[:0]
		} else {
			r.giveHits(slots, recs)
			r.spare, r.slots = r.slots[:0], slots
			for _, rc := range recs {
				r.record(rc.pool, []hit{rc.h})
			}
			for _, o := range comp {
				r.traceWinner(o)
			}
			return
		}
	}
	if bestOffer != nil {
		apply(bestOffer, cache)
		r.traceWinner(bestOffer)
	}
}

// exclusiveStage is the stage of a priority's exclusive discounts. With
// exclusive_threshold_competes, the exclusive thresholds of the priority
// compete with them: the better for the customer of (a) the exclusive
// discounts, then the best exclusive threshold on the items they leave (as
// the thresholds would give it later), and (b) the best exclusive threshold
// first, then the exclusive discounts on the items it leaves. When (b)
// wins, the threshold is applied now and not again with the thresholds.
func (r *run) exclusiveStage(prio int) {
	var ts []*offer
	if r.e.exclThresholds && !r.noMulti {
		for _, o := range r.acts {
			if o.kind == Threshold && o.conc == Exclusive && r.act[o.idx].prio == prio {
				ts = append(ts, o)
			}
		}
	}
	if len(ts) == 0 {
		r.stage(prio, true)
		return
	}
	sort.Slice(ts, func(a, b int) bool { return ts[a].idx < ts[b].idx })
	r.initMembers()
	before, ledger := slices.Clone(r.slots), cloneLedger(r.ledger, len(r.pools))
	restart := func() { r.slots, r.ledger = slices.Clone(before), cloneLedger(ledger, len(r.pools)) }
	left := func() (sum money.Amount) {
		for i := range r.slots {
			sum += r.slots[i].cur
		}
		return sum
	}
	bestOn := func() (money.Amount, *offer) {
		r.slotRanges()
		var best money.Amount
		var bestOffer *offer
		for _, o := range ts {
			if t := r.thresholdOn(o, r.slots, prio, r.members[o.idx], nil, nil); t > best {
				best, bestOffer = t, o
			}
		}
		return best, bestOffer
	}
	start := left()
	// (a) the exclusive discounts first: what the customer gets, with the
	// threshold the thresholds' stage would give on what they leave.
	runA := func(trial bool) money.Amount {
		r.stage(prio, true)
		if !trial {
			return 0
		}
		later, _ := bestOn()
		return start - left() + later
	}
	// (b) the best exclusive threshold first.
	runB := func() (money.Amount, *offer) {
		first, winner := bestOn()
		if winner == nil || first <= 0 {
			return 0, nil
		}
		r.applyThreshold(winner, prio, nil) // exclusive: locks the items
		r.stage(prio, true)
		return start - left(), winner
	}
	trace := r.trace
	r.trace = nil        // the trials are not traced; the winner is, below
	valueA := runA(true) // on the slots themselves: before and ledger are copies
	slotsA, ledgerA := r.slots, r.ledger
	restart()
	valueB, winner := runB()
	useB := winner != nil && valueB > valueA
	r.trace = trace
	switch {
	case trace != nil: // once more, traced
		restart()
		if useB {
			runB()
		} else {
			runA(false)
		}
	case !useB:
		r.slots, r.ledger = slotsA, ledgerA
	}
	if useB {
		r.won = append(r.won, winner)
		r.traceWinner(winner)
	}
}

// applyThreshold gives threshold o's discount to the slots it reaches.
func (r *run) applyThreshold(o *offer, prio int, cache map[qualKey]*qual) {
	ds := r.amounts(len(r.slots)) // zero outside r.lastIdx after each use
	r.thresholdOn(o, r.slots, prio, r.members[o.idx], cache, ds)
	for _, i := range r.lastIdx {
		d := ds[i]
		ds[i] = 0
		if d > 0 {
			s := r.slots[i]
			r.slots[i] = r.withHits(s, s.n, s.cur, s.orig, []hit{{o: o, amt: d, prio: prio}}, true)
		}
	}
}

// cloneLedger copies a ledger (never nil: record would start one over the
// run's buffers, which the copy must not share).
func cloneLedger(l [][]hit, pools int) [][]hit {
	out := make([][]hit, pools)
	for i := range l {
		out[i] = slices.Clone(l[i])
	}
	return out
}

// poolHit is a discount given to a slot of a pool.
type poolHit struct {
	pool, slot int
	h          hit
}

// giveHits appends each slot's discounts to its hits, in the order given,
// one new list per slot from the run's arena (the amounts are already
// off the slots' cur).
func (r *run) giveHits(slots []slot, recs []poolHit) {
	if cap(r.hitCount) < len(slots) {
		r.hitCount = make([]int32, len(slots))
	}
	cnt := r.hitCount[:len(slots)]
	for _, rc := range recs {
		cnt[rc.slot]++
	}
	for _, rc := range recs {
		i := rc.slot
		if cnt[i] > 0 { // first of this slot: room for all of them
			base := slots[i].hits
			n := len(base) + int(cnt[i])
			if cap(r.hitArena)-len(r.hitArena) < n {
				r.hitArena = make([]hit, 0, max(4096, 2*n, 2*cap(r.hitArena)))
			}
			start := len(r.hitArena)
			r.hitArena = append(r.hitArena, base...)
			slots[i].hits = r.hitArena[start : start+len(base) : start+n]
			r.hitArena = r.hitArena[:start+n]
			cnt[i] = 0
		}
		slots[i].hits = append(slots[i].hits, rc.h)
	}
}

// amounts returns n zero amounts from the run's scratch.
func (r *run) amounts(n int) []money.Amount {
	if cap(r.amtBuf) < n {
		r.amtBuf = make([]money.Amount, n)
	}
	a := r.amtBuf[:n]
	clear(a)
	return a
}

// traceWinner marks the last traced application of o as applied.
func (r *run) traceWinner(o *offer) {
	if r.trace == nil {
		return
	}
	for i := len(r.trace.thresholds) - 1; i >= 0; i-- {
		if r.trace.thresholds[i].o == o && r.trace.thresholds[i].applied > 0 {
			r.trace.thresholds[i].won = true
			return
		}
	}
}

// initMembers works out once per pricing which pools qualify for each
// threshold.
func (r *run) initMembers() {
	if r.membersOK {
		return
	}
	r.membersOK = true
	if r.members == nil {
		r.members = map[int]*memberSet{}
	}
	clear(r.members)
	all := &r.allMembers
	*all = memberSet{all: true}
	slab := r.flagSlab[:0]
	flags := func() []bool {
		n := len(r.pools)
		if cap(slab)-len(slab) < n {
			slab = make([]bool, 0, max(2*cap(slab), 16*n))
		}
		start := len(slab)
		slab = append(slab, make([]bool, n)...)
		return slab[start : start+n : start+n]
	}
	defer func() { r.flagSlab = slab }()
	// The sets are the run's, kept from one pricing to the next with
	// their room.
	used := 0
	newSet := func() *memberSet {
		if used == len(r.memberSets) {
			r.memberSets = append(r.memberSets, &memberSet{})
		}
		m := r.memberSets[used]
		used++
		*m = memberSet{flags: flags(), pools: m.pools[:0]}
		return m
	}
	for _, o := range r.acts {
		if o.kind != Threshold || hasInclude(o.lines) {
			continue
		}
		if len(o.lines) > 0 { // exclude lines only
			m := newSet()
			for pi := range r.pools {
				if !o.lines.excludes(&r.pools[pi]) {
					m.flags[pi] = true
					m.pools = append(m.pools, pi)
				}
			}
			r.members[o.idx] = m
			continue
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
				m = newSet()
				r.members[c.o.idx] = m
			}
			if !m.all && !m.flags[pi] {
				m.flags[pi] = true
				m.pools = append(m.pools, pi)
			}
		}
	}
}

// tenders applies a tender-based discount: when a tender on the cart (not
// voided) or the tender about to be used (Cart.PayingWith) is of one of its
// tender types or card brands. It comes after every other kind and
// compounds on them (the anchor: tender-based discounts always compound
// over item discounts), spread over the qualifying items in proportion to
// what is left of them; the best of several wins.
func (r *run) tenders() {
	c := r.cart
	if c == nil {
		return
	}
	var types, brands []string
	for _, t := range c.ActiveTenders() {
		types = append(types, strings.ToUpper(t.TypeID))
		if t.Card != nil && t.Card.Brand != "" && !t.Card.NoBrandDiscount {
			brands = append(brands, strings.ToUpper(t.Card.Brand))
		}
	}
	if c.PayingWith != "" {
		types = append(types, strings.ToUpper(c.PayingWith))
	}
	if c.PayingBrand != "" {
		brands = append(brands, strings.ToUpper(c.PayingBrand))
	}
	var best money.Amount
	var bestOffer *offer
	var bestDs []money.Amount
	for _, o := range r.e.offers {
		if o.kind != Tender {
			continue
		}
		if !r.applies(o) || !(anyIn(o.tenders, types) || anyIn(o.brands, brands)) {
			continue
		}
		var idx []int
		var base money.Amount
		for i := range r.slots {
			s := &r.slots[i]
			p := &r.pools[s.pool]
			if s.cur <= 0 || !p.discountable {
				continue
			}
			if len(o.lines) > 0 {
				if ok, _ := o.lines.match(p); !ok {
					continue
				}
			}
			idx = append(idx, i)
			base += s.cur
		}
		total := money.Amount(0)
		ds := make([]money.Amount, len(r.slots))
		if base >= o.minAmt {
			total = r.spreadMethod(o, o.m, r.slots, idx, base, ds)
		}
		if r.trace != nil {
			tier := -1
			if base >= o.minAmt {
				tier = 0
			}
			r.trace.tenders = append(r.trace.tenders, thresholdTrace{o: o, qual: base, tier: tier, applied: total})
		}
		if total > best {
			best, bestOffer, bestDs = total, o, ds
		}
	}
	if bestOffer == nil {
		return
	}
	for i, d := range bestDs {
		if d > 0 {
			s := r.slots[i]
			r.slots[i] = r.withHits(s, s.n, s.cur, s.orig, []hit{{o: bestOffer, amt: d, prio: r.act[bestOffer.idx].prio}}, true)
		}
	}
	r.traceWinner(bestOffer)
	if r.trace != nil {
		for i := len(r.trace.tenders) - 1; i >= 0; i-- {
			if r.trace.tenders[i].o == bestOffer {
				r.trace.tenders[i].won = true
				break
			}
		}
	}
}

// TenderPaid says what the tenders on c pay that earn the tender discount
// offerID (by tender type or card brand), what the others pay, and whether
// the tender about to be used earns it (cart.TenderSharer).
func (e *Engine) TenderPaid(c *cart.Cart, offerID string) (earning, other money.Amount, paying bool) {
	var o *offer
	for _, x := range e.offers {
		if x.id == offerID && x.kind == Tender {
			o = x
			break
		}
	}
	if o == nil || c == nil {
		return 0, 0, true
	}
	earns := func(typeID, brand string) bool {
		return anyIn(o.tenders, []string{strings.ToUpper(typeID)}) || (brand != "" && anyIn(o.brands, []string{strings.ToUpper(brand)}))
	}
	for _, t := range c.ActiveTenders() {
		brand := ""
		if t.Card != nil && !t.Card.NoBrandDiscount {
			brand = t.Card.Brand
		}
		if earns(t.TypeID, brand) {
			earning += t.Amount
		} else {
			other += t.Amount
		}
	}
	paying = (c.PayingWith != "" || c.PayingBrand != "") && earns(c.PayingWith, c.PayingBrand)
	return earning, other, paying
}

func anyIn(want, have []string) bool {
	for _, w := range want {
		for _, h := range have {
			if w == h {
				return true
			}
		}
	}
	return false
}

// record adds hits to the ledger of a pool, in the order first applied.
func (r *run) record(pool int, hits []hit) {
	if r.ledger == nil {
		if cap(r.ledgers) < len(r.pools) {
			r.ledgers = append(r.ledgers[:cap(r.ledgers)], make([][]hit, roomFor(len(r.pools))-cap(r.ledgers))...) // the lists keep their room
		}
		r.ledger = r.ledgers[:len(r.pools)]
		for i := range r.ledger {
			r.ledger[i] = r.ledger[i][:0]
		}
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
	// One slab for the single-line pools' results (each gets its own
	// capacity, so appends never overlap); a line whose result is what it
	// already holds keeps it.
	n := 0
	if cap(r.kept) < len(per) {
		r.kept = make([]bool, len(per))
	}
	kept := r.kept[:len(per)] // single-line pools whose line keeps what it holds
	for pi, list := range per {
		kept[pi] = false
		if len(r.pools[pi].lines) == 1 {
			if kept[pi] = r.same(list, lines[r.pools[pi].lines[0]]); !kept[pi] {
				n += len(list)
			}
		}
	}
	slab := make([]cart.Applied, 0, n)
	for pi, list := range per {
		if len(list) == 0 {
			continue
		}
		p := &r.pools[pi]
		if len(p.lines) == 1 { // the common case: nothing to share
			li := p.lines[0]
			if kept[pi] {
				out[li] = lines[li].Promotions
				continue
			}
			start := len(slab)
			for _, a := range list {
				slab = append(slab, r.applied(a.o, a.amt, lines[li]))
			}
			out[li] = slab[start:len(slab):len(slab)]
			continue
		}
		// Weights are what is left of each line, so the shares of several
		// offers never add up to more than a line.
		left := r.leftBuf[:0]
		for _, li := range p.lines {
			left = append(left, lines[li].Gross)
		}
		r.leftBuf = left
		shares := r.shares[:0]
		for _, a := range list {
			w := append(r.wBuf[:0], left...)
			r.wBuf = w
			for i, amt := range money.Allocate(a.amt, w) {
				if amt == 0 {
					continue
				}
				left[i] -= amt
				shares = append(shares, share{line: int32(i), o: a.o, amt: amt})
			}
		}
		r.shares = shares
		// Each line's shares in the offers' order (a counting sort by line),
		// and a line whose promotions are what it already holds keeps them.
		at := append(r.shareAt[:0], make([]int, len(p.lines)+1)...)
		for _, sh := range shares {
			at[sh.line+1]++
		}
		for i := 1; i < len(at); i++ {
			at[i] += at[i-1]
		}
		r.shareAt = at
		byLine := append(r.byLine[:0], make([]share, len(shares))...)
		fill := append(r.shareFill[:0], at[:len(p.lines)]...)
		for _, sh := range shares {
			byLine[fill[sh.line]] = sh
			fill[sh.line]++
		}
		r.byLine, r.shareFill = byLine, fill
		for i, li := range p.lines {
			mine := byLine[at[i]:at[i+1]]
			if len(mine) == 0 {
				continue
			}
			l := lines[li]
			if out[li] == nil && r.sameShares(mine, l) {
				out[li] = l.Promotions
				continue
			}
			for _, sh := range mine {
				out[li] = append(out[li], r.applied(sh.o, sh.amt, l))
			}
		}
	}
}

// share is one offer's part of a pool's amount on one of its lines.
type share struct {
	line int32 // index in the pool's lines
	o    *offer
	amt  money.Amount
}

// sameShares reports whether a line's last promotions are the shares it
// gets now.
func (r *run) sameShares(mine []share, l *cart.Line) bool {
	if len(l.Promotions) != len(mine) {
		return false
	}
	for i, sh := range mine {
		a := &l.Promotions[i]
		if a.OfferID != sh.o.id || a.Amount != sh.amt || a.Name != sh.o.name || a.Kind != sh.o.kind.String() || a.Coupon != r.couponOf(sh.o) {
			return false
		}
		if !r.unitsMatch(a.Units, sh.amt, l) {
			return false
		}
	}
	return true
}

// unitsMatch reports whether units is the unit-by-unit split applied gives
// amt on l, without building it.
func (r *run) unitsMatch(units []money.Amount, amt money.Amount, l *cart.Line) bool {
	if r.e.keepSameLine || l.Qty%catalog.One != 0 || l.Qty <= catalog.One {
		return len(units) == 0
	}
	k := int64(l.Qty / catalog.One)
	if int64(len(units)) != k {
		return false
	}
	unit, last := splitUnits(amt, k)
	for i := int64(0); i < k-1; i++ {
		if units[i] != unit {
			return false
		}
	}
	return units[k-1] == last
}

// same reports whether a line's last promotions are what the ledger list
// of its pool (the line's alone) gives it now.
func (r *run) same(list []hit, l *cart.Line) bool {
	if len(l.Promotions) != len(list) || len(list) == 0 {
		return false
	}
	for i, h := range list {
		a := &l.Promotions[i]
		if a.OfferID != h.o.id || a.Amount != h.amt || a.Name != h.o.name || a.Kind != h.o.kind.String() || a.Coupon != r.couponOf(h.o) {
			return false
		}
		if !r.unitsMatch(a.Units, h.amt, l) {
			return false
		}
	}
	return true
}

// applied is one promotion's amount on a line; without keep_same_line the
// amount is also given unit by unit.
func (r *run) applied(o *offer, amt money.Amount, l *cart.Line) cart.Applied {
	a := cart.Applied{OfferID: o.id, Name: o.name, Kind: o.kind.String(), Amount: amt, Coupon: r.couponOf(o)}
	if !r.e.keepSameLine && l.Qty%catalog.One == 0 && l.Qty > catalog.One {
		k := int64(l.Qty / catalog.One)
		unit, last := splitUnits(amt, k)
		a.Units = make([]money.Amount, k)
		for i := range a.Units {
			a.Units[i] = unit
		}
		a.Units[k-1] = last
	}
	return a
}
