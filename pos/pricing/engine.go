package pricing

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/opentill/opentill/pos/cart"
	"github.com/opentill/opentill/pos/catalog"
	"github.com/opentill/opentill/pos/money"
)

// DefaultSearchNodes bounds the best-combination search of one connected
// group of items at one priority (see the package documentation).
const DefaultSearchNodes = 4096

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

// poolID is what makes lines one pool.
type poolID struct {
	product     string
	price       money.Amount
	whole, disc bool
	item, catg  string
	line        int // weighed lines stay apart
}

// id is the pool's identity without its line (whole pools).
func (p *pool) id() poolID {
	return poolID{p.product, p.price, p.whole, p.discountable, p.item, p.category, 0}
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
	nLines                  int
	tmpl                    []candT
	cands                   []cand
	simples                 []simpleSet // by priority and stage (bucket)
	multis                  []multiSet
	key                     [2]uint64 // what the pool brings to a component's key
}

type multiSet struct {
	prio   int
	excl   bool
	offers []cand
}

// simpleSet is a pool's simple discounts of one priority and stage: the
// ones that compete alone, and (default model) the compound ones in
// compounding order.
type simpleSet struct {
	prio   int
	excl   bool
	single []cand
	comp   []cand
}

type cand struct {
	o      *offer
	m      method // simple discounts: the method of the selecting line
	prio   int    // the offer's effective priority for this cart
	groups uint64 // mix-and-match: the groups that select the pool (bit j = group j)
}

// candT is a promotion that selects a product, compiled once per product
// (Engine.candsFor): which offer, the method of the line that selected it
// and which mix-and-match groups select it. Whether the offer applies to a
// cart (dates, coupons, price groups) is decided per run.
type candT struct {
	oi     int32
	m      method
	groups uint64
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
	e                  *Engine
	pools              []pool
	slots              []slot
	act                []active // by offer index
	acts               []*offer // the offers that apply, by index
	checked            []int8   // by offer index: applicability decided
	cart               *cart.Cart
	ledger             [][]hit            // per pool: amount per offer
	members            map[int]*memberSet // threshold offer → qualifying pools
	membersOK          bool               // members worked out for this pricing
	memberSets         []*memberSet       // initMembers' sets, reused
	allMembers         memberSet          // the set of a threshold on every pool
	partSlab           []part             // stage's one-part results
	stageHits          []hit              // their hits
	idxSlab            []int              // qualify's slot lists (thresholds)
	slabs              [][]piece          // the searches' piece slabs (pieceSlab)
	srch               *search            // the last search, whose room the next one reuses
	slabAt             int                // the next one to hand out
	poolStart, poolEnd []int32            // where each pool's slots are (thresholds)
	noMulti            bool               // multi-line discounts wait for "calculate total"
	prev               *Cache             // the cart's last pricing
	next               *Cache             // this pricing's components, stored on the cart
	reused             int
	solved             int
	trace              *tracer
	// scratch of stage
	parent []int32
	done   []bool
	out    [][]part
	elig   []int
	spare  []slot
	// buffers kept between pricings
	poolBuf   []pool // makePools' unsorted pools
	sortBuf   []pool // and sorted ones, when not kept on a cart
	poolIdx   map[poolID]int
	linePool  []int32
	keyBuf    []lineKey // lineKeys' scratch (no cart)
	dirty     []int     // carryPools' scratch
	carried   bool      // the pools were carried over
	held      *carried  // the carried pools this pricing holds (locked) until its end
	prefix    []uint64  // buildPools' sort keys
	kept      []bool    // distribute's scratch
	msOf      [][]cand  // stage's scratch: each slot's multi-unit offers
	lineSlab  []int
	candSlab  []cand
	ssSlab    []simpleSet
	listed    []bool // by offer index: in acts
	lastIdx   []int  // the slots the last spreadMethod wrote
	fp        uint64 // fingerprint of the offers that apply
	msSlab    []multiSet
	amtBuf    []money.Amount
	hitArena  []hit // the slots' hit lists (withHits)
	leftBuf   []money.Amount
	wBuf      []money.Amount // distribute's scratch: weights, shares by line
	shares    []share
	byLine    []share
	shareAt   []int
	shareFill []int
	ledgers   [][]hit // ledger's lists, kept between pricings
	liveUnits []int64 // scratch of liveMultis (at Engine.unitAt)
	live      []bool
	liveSet   []int // the offers live lists
	first     []int32
	firstSet  []int
	compOf    []int32 // scratch of stage: the components
	compLen   []int
	compAt    []int
	compFill  []int
	compBuf   []int
	member    []int
	recs      []poolHit // scratch of thresholds
	won       []*offer  // exclusive thresholds that won against the exclusive discounts
	hitCount  []int32
	flagSlab  []bool // initMembers' flags
}

// getRun takes a run with its scratch space from the engine's pool.
func (e *Engine) getRun() *run {
	if r := e.kept.Swap(nil); r != nil {
		return r
	}
	if r, ok := e.runs.Get().(*run); ok {
		return r
	}
	return &run{e: e, act: make([]active, len(e.offers)), checked: make([]int8, len(e.offers))}
}

// putRun clears a run and gives it back.
func (e *Engine) putRun(r *run) {
	clear(r.act)
	clear(r.checked)
	*r = run{e: e, act: r.act, checked: r.checked, cart: nil, parent: r.parent, done: r.done, out: r.out, elig: r.elig[:0], first: r.first,
		poolBuf: r.poolBuf[:0], sortBuf: r.sortBuf, poolIdx: r.poolIdx, linePool: r.linePool, keyBuf: r.keyBuf, dirty: r.dirty[:0], prefix: r.prefix, kept: r.kept, msOf: r.msOf, lineSlab: r.lineSlab[:0], candSlab: r.candSlab[:0], ssSlab: r.ssSlab[:0], msSlab: r.msSlab[:0],
		slots: r.slots[:0], spare: r.spare[:0], acts: r.acts[:0], listed: r.listed, amtBuf: r.amtBuf,
		hitArena: r.hitArena[:0], leftBuf: r.leftBuf, wBuf: r.wBuf, shares: r.shares, byLine: r.byLine, shareAt: r.shareAt, shareFill: r.shareFill, ledgers: r.ledgers, liveUnits: r.liveUnits, live: r.live, liveSet: r.liveSet, firstSet: r.firstSet,
		compOf: r.compOf, compLen: r.compLen, compAt: r.compAt, compFill: r.compFill, compBuf: r.compBuf, member: r.member, recs: r.recs[:0], hitCount: r.hitCount, flagSlab: r.flagSlab[:0],
		members: r.members, memberSets: r.memberSets, partSlab: r.partSlab[:0], stageHits: r.stageHits[:0], idxSlab: r.idxSlab[:0],
		poolStart: r.poolStart, poolEnd: r.poolEnd, slabs: r.slabs, srch: r.srch}
	if !e.kept.CompareAndSwap(nil, r) {
		e.runs.Put(r)
	}
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
// sale and (unless configured) overridden lines get none. The components
// solved are kept on the cart (Cart.PromoCache) so that the next pricing
// of the same cart only re-solves what changed.
func (e *Engine) Discounts(c *cart.Cart, lines []*cart.Line, at time.Time) [][]cart.Applied {
	out, _ := e.discounts(nil, c, lines, at, nil)
	return out
}

// DiscountsInto is Discounts writing its result into dst's room (grown
// when short; cart.PromoterInto).
func (e *Engine) DiscountsInto(dst [][]cart.Applied, c *cart.Cart, lines []*cart.Line, at time.Time) [][]cart.Applied {
	out, _ := e.discounts(dst, c, lines, at, nil)
	return out
}

// Stats says how much of the last pricing of a cart was re-solved.
type Stats struct {
	Solved, Reused int  // components searched, and taken from the cart's last pricing
	Carried        bool // the pools were taken from the cart's last pricing
}

// DiscountsStats is Discounts that also reports what was re-solved.
func (e *Engine) DiscountsStats(c *cart.Cart, lines []*cart.Line, at time.Time) ([][]cart.Applied, Stats) {
	return e.discounts(nil, c, lines, at, nil)
}

func (e *Engine) discounts(dst [][]cart.Applied, c *cart.Cart, lines []*cart.Line, at time.Time, tr *tracer) ([][]cart.Applied, Stats) {
	out := slices.Grow(dst[:0], len(lines))[:len(lines)]
	clear(out)
	if len(e.offers) == 0 || len(lines) == 0 {
		return out, Stats{}
	}
	r := e.getRun()
	defer e.putRun(r)
	defer r.release()
	r.trace = tr
	if c != nil {
		if prev, ok := c.PromoCache().(*Cache); ok && prev.e == e {
			r.prev = prev
		}
		n := 0
		if r.prev != nil {
			n = len(r.prev.comps)
		}
		r.next = &Cache{e: e, comps: make(map[compKey]*compResult, n)}
		r.noMulti = e.manualMulti && c.DiscountsCalculated != c.LinesDigest()
	}
	r.buildPools(c, lines, at)
	if len(r.acts) == 0 {
		r.store(c)
		return out, Stats{}
	}
	for i := range r.pools {
		p := &r.pools[i]
		r.slots = append(r.slots, slot{pool: i, n: p.n, orig: p.amount, cur: p.amount})
	}
	// Priorities, highest first; thresholds after every other kind, tender
	// discounts last.
	var prios, tprios []int
	seenP, seenT := map[int]bool{}, map[int]bool{}
	for _, o := range r.acts {
		a := r.act[o.idx]
		switch o.kind {
		case Threshold:
			if !seenT[a.prio] && !r.noMulti {
				seenT[a.prio] = true
				tprios = append(tprios, a.prio)
			}
		case Tender:
		default:
			if !seenP[a.prio] {
				seenP[a.prio] = true
				prios = append(prios, a.prio)
			}
		}
	}
	sort.Sort(sort.Reverse(sort.IntSlice(prios)))
	sort.Sort(sort.Reverse(sort.IntSlice(tprios)))
	stages := map[[2]int]bool{}
	for _, o := range r.acts {
		if o.kind != Threshold && o.kind != Tender {
			ex := 0
			if stageOf(o) {
				ex = 1
			}
			stages[[2]int{r.act[o.idx].prio, ex}] = true
		}
	}
	for _, p := range prios {
		if stages[[2]int{p, 1}] {
			r.exclusiveStage(p)
		}
		if stages[[2]int{p, 0}] {
			r.stage(p, false)
		}
	}
	for _, p := range tprios {
		r.thresholds(p)
	}
	if e.hasTender {
		r.tenders()
	}
	r.distribute(lines, out)
	r.store(c)
	return out, Stats{Solved: r.solved, Reused: r.reused, Carried: r.carried}
}

// store keeps this pricing's components on the cart.
func (r *run) store(c *cart.Cart) {
	if c != nil && r.next != nil {
		c.SetPromoCache(r.next)
	}
}

// lineKey is what puts a line in a pool and what it brings to it: the
// next pricing of the cart compares it line by line (carryPools).
type lineKey struct {
	product, item, catg string
	price, gross        money.Amount
	qty                 catalog.Qty
	in, disc            bool // in a pool; discountable
}

// carried is what a pricing leaves for the next one of the same cart: its
// lines' keys and its pools, sorted, with their promotions. The next
// pricing that carries them over changes them in place, holding mu from
// then to its end; copies of a cart share it, and a pricing of one that
// finds it held, or dead, makes its pools again. Keys and pools always
// describe the same lines, whichever cart they were last changed for: a
// pricing compares them with its own lines.
type carried struct {
	mu    sync.Mutex
	fp    uint64
	keys  []lineKey
	pools []pool
	dead  bool // a pricing gave up halfway through changing them
}

// maxDirty is the most changed, added or taken-off lines a pricing
// carries the last one's pools over for; past it the pools are made again.
const maxDirty = 8

// checkCarry makes every carried pricing make its pools again and panic
// where they differ (tests: CheckCarry).
var checkCarry atomic.Bool

// checkCarried compares the carried pools with the ones made from scratch.
func (r *run) checkCarried(keys []lineKey, lines []*cart.Line) {
	got := r.pools
	r.makePools(keys, lines)
	want := r.pools
	r.pools = got
	if len(got) != len(want) {
		panic(fmt.Sprintf("pricing: %d pools carried over, %d made", len(got), len(want)))
	}
	for i := range got {
		a, b := &got[i], &want[i]
		if a.id() != b.id() || a.n != b.n || a.amount != b.amount || !slices.Equal(a.lines, b.lines) || a.nLines != b.nLines ||
			a.key != b.key || len(a.cands) != len(b.cands) || len(a.simples) != len(b.simples) || len(a.multis) != len(b.multis) {
			panic(fmt.Sprintf("pricing: pool %d carried over as %+v, made as %+v", i, *a, *b))
		}
	}
}

// buildPools makes the cart's pools, sorted, with the promotions that
// apply to each, and lists the offers that apply. When the same offers
// apply as at the cart's last pricing and only a few lines changed or
// were added, it takes that pricing's pools and changes only the pools
// those lines touch.
func (r *run) buildPools(c *cart.Cart, lines []*cart.Line, at time.Time) {
	r.cart = c
	r.applicable(c, at)
	keys := r.lineKeys(lines)
	if r.carryPools(keys, lines) {
		r.carried = true
		if checkCarry.Load() {
			r.checkCarried(keys, lines)
		}
		r.next.carry = r.held // changed in place for this cart
	} else {
		r.makePools(keys, lines)
		if r.next != nil {
			kept := append(make([]lineKey, 0, roomFor(len(keys))), keys...) // keys is the run's scratch
			r.next.carry = &carried{fp: r.fp, keys: kept, pools: r.pools}
		}
	}
	r.listOffers()
}

// roomFor is the capacity kept for n carried keys or pools: the next
// pricings change them in place and add lines as they are scanned.
func roomFor(n int) int { return n + n/8 + 8 }

// release lets go of the carried pools this pricing held.
func (r *run) release() {
	if r.held != nil {
		r.held.mu.Unlock()
		r.held = nil
	}
}

// lineKeys returns each line's key, in the run's scratch.
func (r *run) lineKeys(lines []*cart.Line) []lineKey {
	e := r.e
	if cap(r.keyBuf) < len(lines) {
		r.keyBuf = make([]lineKey, len(lines), roomFor(len(lines)))
	}
	keys := r.keyBuf[:len(lines)]
	for i, l := range lines {
		k := lineKey{product: l.ProductID, item: l.ItemID, catg: l.Category, price: l.UnitPrice, gross: l.Gross, qty: l.Qty}
		if !l.IsReturn() && l.ReturnOf == nil && l.Qty != 0 {
			disc := l.Flags.Discountable()
			if l.Overridden && !e.applyOverrides {
				disc = false
			}
			if e.manualExclusive && !l.Discount.IsZero() {
				disc = false
			}
			k.disc, k.in = disc, disc || e.countNonDisc
		}
		keys[i] = k
	}
	return keys
}

// applicable decides which offers apply to this cart (dates, coupons,
// price groups) and their fingerprint: pools are taken from a last pricing
// or the engine's cache only when it is the same.
func (r *run) applicable(c *cart.Cart, at time.Time) {
	e := r.e
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
	checked := r.checked // 1 applies, 2 does not
	fp := uint64(0x1234567)
	for oi, o := range e.offers {
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
			var best int
			if best, ok = e.attached(o, groups); !o.hasPrio {
				a.prio = best
			}
		}
		checked[oi] = 2
		if ok {
			checked[oi] = 1
			a.on = true
			r.act[oi] = a
			fp = mix64(fp ^ uint64(oi)<<32 ^ uint64(uint32(a.prio))<<1 ^ uint64(a.coupon)<<20)
		}
	}
	r.fp = fp
}

// attached returns the highest pricing priority of o's price groups
// attached to the cart (groups), and whether any is.
func (e *Engine) attached(o *offer, groups map[string]bool) (best int, ok bool) {
	for _, g := range o.groups {
		if groups[g] {
			if p := e.groupPrio[g]; !ok || p > best {
				best = p
			}
			ok = true
		}
	}
	return best, ok
}

// listOffers lists the offers that apply to some pool (r.acts), in the
// pools' order, and the thresholds without lines, which qualify every
// item and are not listed per pool (see thresholds).
func (r *run) listOffers() {
	e := r.e
	if cap(r.listed) < len(e.offers) {
		r.listed = make([]bool, len(e.offers))
	}
	listed := r.listed[:len(e.offers)]
	clear(listed)
	for pi := range r.pools {
		for _, c := range r.pools[pi].cands {
			if !listed[c.o.idx] {
				listed[c.o.idx] = true
				r.acts = append(r.acts, c.o)
			}
		}
	}
	if len(r.pools) > 0 {
		for _, oi := range e.global {
			if r.checked[oi] == 1 && !listed[oi] {
				listed[oi] = true
				r.acts = append(r.acts, e.offers[oi])
			}
		}
	}
}

// makePools groups the lines into pools, sorts them and derives each
// one's promotions.
func (r *run) makePools(keys []lineKey, lines []*cart.Line) {
	e := r.e
	keep := r.next != nil // the pools are kept on the cart: memory of their own
	if r.poolIdx == nil {
		r.poolIdx = map[poolID]int{}
	}
	idx := r.poolIdx
	clear(idx)
	r.pools = r.poolBuf[:0] // unsorted
	if cap(r.linePool) < len(lines) {
		r.linePool = make([]int32, len(lines))
	}
	lp := r.linePool[:len(lines)]
	for i := range keys {
		l := &keys[i]
		lp[i] = -1
		if !l.in {
			continue
		}
		whole := l.qty%catalog.One == 0
		k := poolID{l.product, l.price, whole, l.disc, l.item, l.catg, 0}
		if !whole {
			k.line = i + 1 // weighed lines stay apart: each is one unit
		}
		pi, ok := idx[k]
		if !ok {
			pi = len(r.pools)
			idx[k] = pi
			r.pools = append(r.pools, pool{product: l.product, item: l.item, category: l.catg, price: l.price, whole: whole, discountable: l.disc})
		}
		lp[i] = int32(pi)
		p := &r.pools[pi]
		p.nLines++
		p.amount += l.gross
		if whole {
			p.n += int64(l.qty / catalog.One)
		} else {
			p.n = 1
		}
	}
	// The pools' lines, from one slab.
	total := 0
	for pi := range r.pools {
		p := &r.pools[pi]
		p.lines = nil
		total += p.nLines
	}
	var slab []int
	if keep {
		slab = make([]int, total)
	} else {
		if cap(r.lineSlab) < total {
			r.lineSlab = make([]int, 0, total)
		}
		slab = r.lineSlab[:total]
	}
	off := 0
	for pi := range r.pools {
		p := &r.pools[pi]
		p.lines = slab[off : off : off+p.nLines]
		off += p.nLines
	}
	for i, pi := range lp {
		if pi >= 0 {
			p := &r.pools[pi]
			p.lines = append(p.lines, i)
		}
	}
	// Canonical order: by product, price, then the rest — never by line order.
	perm := make([]int32, len(r.pools))
	if cap(r.prefix) < len(r.pools) {
		r.prefix = make([]uint64, len(r.pools))
	}
	prefix := r.prefix[:len(r.pools)]
	for i := range perm {
		perm[i] = int32(i)
		prefix[i] = prefix8(r.pools[i].product)
	}
	slices.SortFunc(perm, func(a, b int32) int {
		if ka, kb := prefix[a], prefix[b]; ka != kb { // most products differ in their first eight bytes
			if ka < kb {
				return -1
			}
			return 1
		}
		pa, pb := &r.pools[a], &r.pools[b]
		if c := cmpPools(pa, pb); c != 0 {
			return c
		}
		if c := cmpAmt(pa.amount, pb.amount); c != 0 {
			return c
		}
		return int(a - b) // as a stable sort would: pools are made in line order
	})
	var sorted []pool
	if keep {
		sorted = make([]pool, len(r.pools), roomFor(len(r.pools))) // room for the pools the next pricings add in place
	} else {
		if cap(r.sortBuf) < len(r.pools) {
			r.sortBuf = make([]pool, len(r.pools))
		}
		sorted = r.sortBuf[:len(r.pools)]
	}
	for i, pi := range perm {
		sorted[i] = r.pools[pi]
	}
	r.pools, r.poolBuf = sorted, r.pools[:0]
	// Whole pools take their promotions from the engine's cache when the
	// same offers applied before; the others are derived from the
	// product's compiled candidates (weighed pools in the run's slab).
	nc := 0
	e.poolMu.RLock() // once for every pool: they are looked up by the hundred
	for pi := range r.pools {
		p := &r.pools[pi]
		p.tmpl = nil
		if p.whole && r.cachedPool(p) {
			continue
		}
		p.tmpl = e.candsFor(p.product, p.item, p.category)
		if !p.whole {
			nc += len(p.tmpl)
		}
	}
	e.poolMu.RUnlock()
	if keep {
		nc = 0
	}
	if cap(r.candSlab) < nc {
		r.candSlab = make([]cand, nc)
	}
	cs := r.candSlab[:nc]
	for pi := range r.pools {
		p := &r.pools[pi]
		if p.tmpl == nil {
			continue // from the cache, or no promotion selects it
		}
		if p.whole || keep { // kept in the engine's pool cache or on the cart: its own memory
			p.cands = make([]cand, 0, len(p.tmpl))
		} else {
			p.cands, cs = cs[:0:len(p.tmpl)], cs[len(p.tmpl):]
		}
		r.derive(p, lines, keep)
	}
}

// cachedPool gives a whole pool its promotions from the engine's cache
// (with e.poolMu held for reading), and says whether they were there.
func (r *run) cachedPool(p *pool) bool {
	pc := r.e.pools[poolCacheKey{r.fp, p.id()}]
	if pc == nil {
		return false
	}
	p.cands, p.simples, p.multis, p.key = pc.cands, pc.simples, pc.multis, pc.key
	return true
}

// derive gives a pool the promotions of its compiled candidates (p.tmpl)
// that apply to the cart, in p.cands' room, and keeps a whole pool's in
// the engine's cache.
func (r *run) derive(p *pool, lines []*cart.Line, own bool) {
	for _, ct := range p.tmpl {
		if r.checked[ct.oi] == 1 {
			r.addCand(p, ct, lines)
		}
	}
	p.tmpl = nil
	r.bucket(p, p.whole || own)
	if p.whole {
		r.e.keepPool(poolCacheKey{r.fp, p.id()}, &poolCands{cands: p.cands, simples: p.simples, multis: p.multis, key: p.key})
	}
}

// cmpPools orders pools by product, price, whole before weighed and
// discountable first: the canonical order but for the amount.
func cmpPools(pa, pb *pool) int {
	if c := strings.Compare(pa.product, pb.product); c != 0 {
		return c
	}
	if pa.price != pb.price {
		return cmpAmt(pa.price, pb.price)
	}
	if pa.whole != pb.whole {
		if pa.whole {
			return -1
		}
		return 1
	}
	if pa.discountable != pb.discountable {
		if pa.discountable {
			return -1
		}
		return 1
	}
	return 0
}

// carryPools takes the cart's last pricing's pools when the same offers
// apply and at most maxDirty lines were changed or added, or taken off
// (and nothing else changed), and changes the pools those lines leave or
// join, in place (r.held). It gives up (false) on what would need the
// pools sorted again: a weighed line among them, or a pool that shares its
// product, price and flags with another (their order goes by amount); and
// when another pricing holds them.
func (r *run) carryPools(keys []lineKey, lines []*cart.Line) bool {
	if r.prev == nil || r.prev.carry == nil || r.next == nil {
		return false
	}
	last := r.prev.carry
	if !last.mu.TryLock() {
		return false
	}
	if !r.changePools(last, keys, lines) {
		last.mu.Unlock()
		return false
	}
	r.pools, r.held = last.pools, last
	return true
}

// changePools changes the carried pools and keys for this pricing's lines
// (with last.mu held), or says it cannot.
func (r *run) changePools(last *carried, keys []lineKey, lines []*cart.Line) bool {
	if last.dead || last.fp != r.fp {
		return false
	}
	if len(keys) < len(last.keys) {
		return r.takeOff(last, keys)
	}
	dirty := r.dirty[:0]
	for i := range keys {
		if i >= len(last.keys) || keys[i] != last.keys[i] {
			if len(dirty) == maxDirty {
				return false
			}
			dirty = append(dirty, i)
		}
	}
	r.dirty = dirty
	if len(dirty) == 0 {
		return true
	}
	// From here on the pools change in place: a failure leaves them dead.
	last.dead = true
	pools := last.pools
	for _, i := range dirty {
		if i < len(last.keys) && last.keys[i].in { // the line leaves its pool
			var ok bool
			if pools, ok = leavePool(pools, &last.keys[i], i); !ok {
				return false
			}
		}
	}
	for _, i := range dirty {
		k := &keys[i]
		if !k.in {
			continue
		}
		at, found, ok := findPool(pools, k)
		if !ok {
			return false
		}
		if !found {
			np := pool{product: k.product, item: k.item, category: k.catg, price: k.price, whole: true, discountable: k.disc}
			r.e.poolMu.RLock()
			cached := r.cachedPool(&np)
			r.e.poolMu.RUnlock()
			if !cached {
				np.tmpl = r.e.candsFor(np.product, np.item, np.category)
				np.cands = make([]cand, 0, len(np.tmpl))
				r.derive(&np, lines, true)
			}
			pools = slices.Insert(pools, at, np)
		}
		p := &pools[at]
		p.nLines++
		p.amount += k.gross
		p.n += int64(k.qty / catalog.One)
		j, _ := slices.BinarySearch(p.lines, i)
		p.lines = slices.Insert(slices.Clone(p.lines), j, i)
	}
	for _, i := range dirty {
		if i < len(last.keys) {
			last.keys[i] = keys[i]
		} else {
			last.keys = append(last.keys, keys[i]) // dirty is ascending: the added lines come in order
		}
	}
	last.pools, last.dead = pools, false
	return true
}

// takeOff changes the carried pools for lines taken off the cart (a voided
// line leaves the active ones): at most maxDirty lines gone, the others the
// same and in the same order. Each line gone leaves its pool and the lines
// after it move up.
func (r *run) takeOff(last *carried, keys []lineKey) bool {
	if len(last.keys)-len(keys) > maxDirty {
		return false
	}
	gone := r.dirty[:0]
	j := 0
	for i := range last.keys {
		if j < len(keys) && keys[j] == last.keys[i] {
			j++
			continue
		}
		if len(gone) == maxDirty {
			return false
		}
		gone = append(gone, i)
	}
	r.dirty = gone
	if j != len(keys) {
		return false // lines changed too
	}
	last.dead = true
	pools := last.pools
	for _, i := range gone {
		if last.keys[i].in {
			var ok bool
			if pools, ok = leavePool(pools, &last.keys[i], i); !ok {
				return false
			}
		}
	}
	for pi := range pools {
		for k, li := range pools[pi].lines {
			before, _ := slices.BinarySearch(gone, li) // lines gone before li
			pools[pi].lines[k] = li - before
		}
	}
	last.keys = append(last.keys[:0], keys...)
	last.pools, last.dead = pools, false
	return true
}

// findPool returns where the pool of key k is (or would go) in the sorted
// pools, and whether it is there; ok is false when the pool cannot be
// changed in place.
func findPool(pools []pool, k *lineKey) (at int, found, ok bool) {
	if k.qty%catalog.One != 0 {
		return 0, false, false
	}
	probe := pool{product: k.product, price: k.price, whole: true, discountable: k.disc}
	at, _ = slices.BinarySearchFunc(pools, &probe, func(p pool, t *pool) int { return cmpPools(&p, t) })
	end := at
	for end < len(pools) && cmpPools(&pools[end], &probe) == 0 {
		end++
	}
	switch end - at {
	case 0:
		return at, false, true
	case 1: // the pool, or one a new pool could not be ordered against
		same := pools[at].item == k.item && pools[at].category == k.catg
		return at, same, same
	}
	return 0, false, false
}

// leavePool takes line i (key k) out of its pool, and the pool out when it
// was the last line.
func leavePool(pools []pool, k *lineKey, i int) ([]pool, bool) {
	at, found, ok := findPool(pools, k)
	if !ok || !found {
		return pools, false
	}
	p := &pools[at]
	p.nLines--
	p.amount -= k.gross
	p.n -= int64(k.qty / catalog.One)
	if p.nLines == 0 {
		return slices.Delete(pools, at, at+1), true
	}
	j := slices.Index(p.lines, i)
	if j < 0 {
		return pools, false
	}
	p.lines = slices.Delete(slices.Clone(p.lines), j, j+1)
	return pools, true
}

// prefix8 is the first eight bytes of s as a number that orders as the
// bytes do (shorter strings padded with zeros, which order first).
func prefix8(s string) uint64 {
	var k uint64
	for i := 0; i < 8; i++ {
		k <<= 8
		if i < len(s) {
			k |= uint64(s[i])
		}
	}
	return k
}

// addCand adds a compiled candidate that applies to the cart to the pool's
// candidates, scaling a per-unit amount of a weighed item by its weight.
func (r *run) addCand(p *pool, ct candT, lines []*cart.Line) {
	o := r.e.offers[ct.oi]
	c := cand{o: o, m: ct.m, prio: r.act[ct.oi].prio, groups: ct.groups}
	if o.kind == Simple && !p.whole && c.m.kind != mPercent {
		// An amount off or deal price "per unit" of a weighed item is read per
		// unit of measure: scale it by the weight.
		c.m.amt = money.Amount(money.MulDiv(int64(c.m.amt), int64(r.weightOf(p, lines)), int64(catalog.One), money.HalfUp))
	}
	p.cands = append(p.cands, c)
}

// candsFor returns the promotions that select a product (cached per
// product, item and category: the engine is immutable).
func (e *Engine) candsFor(product, item, category string) []candT {
	key := product + "\x00" + item + "\x00" + category
	if v, ok := e.cands.Load(key); ok {
		return v.([]candT)
	}
	list := append([]int32(nil), e.byProduct[product]...)
	list = append(list, e.byItem[item]...)
	list = append(list, e.byCategory[category]...)
	slices.Sort(list)
	list = slices.Compact(list)
	p := &pool{product: product, item: item, category: category}
	out := make([]candT, 0, len(list))
	for _, oi := range list {
		o := e.offers[oi]
		switch o.kind {
		case MixMatch:
			var mask uint64
			for j, g := range o.mm {
				if ok, _ := g.match.match(p); ok {
					mask |= 1 << uint(j)
				}
			}
			if mask != 0 {
				out = append(out, candT{oi: oi, groups: mask})
			}
		case Threshold, Tender:
			if len(o.lines) == 0 {
				out = append(out, candT{oi: oi})
			} else if ok, _ := o.lines.match(p); ok {
				out = append(out, candT{oi: oi})
			}
		default:
			if ok, m := o.lines.match(p); ok {
				if m.kind == mNone {
					m = o.m
				}
				out = append(out, candT{oi: oi, m: m})
			}
		}
	}
	if v, loaded := e.cands.LoadOrStore(key, out); loaded {
		return v.([]candT)
	}
	return out
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
		d = r.percent(base, m.bp, k)
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

// percent is bp of an amount worth k units: rounded once (items kept on the
// same sales line, the default) or, with keep_same_line = false, unit by
// unit, the units splitting the amount evenly with the rounding remainder on
// the last one (the anchor's 3.33 / 3.33 / 3.34).
func (r *run) percent(a money.Amount, bp int64, k int64) money.Amount {
	if r.e.keepSameLine || k <= 1 {
		return money.Percent(a, bp, money.HalfUp)
	}
	unit, last := splitUnits(a, k)
	return money.Amount(k-1)*money.Percent(unit, bp, money.HalfUp) + money.Percent(last, bp, money.HalfUp)
}

// splitUnits splits an amount over k units the anchor's way: the first k−1
// units get the amount divided by k, rounded half away from zero; the last
// unit gets what is left.
func splitUnits(a money.Amount, k int64) (unit, last money.Amount) { return cart.UnitShares(a, k) }

// stageOf reports whether an offer belongs to a priority's exclusive stage
// (exclusive discounts are applied first, then best price and compound on
// the units left).
func stageOf(o *offer) bool { return o.conc == Exclusive }

// simplesOf returns the pool's simple discounts of a priority and stage
// (see bucket).
func (r *run) simplesOf(p *pool, prio int, excl bool) *simpleSet {
	for i := range p.simples {
		if p.simples[i].prio == prio && p.simples[i].excl == excl {
			return &p.simples[i]
		}
	}
	return &noSimples
}

var noSimples simpleSet

// simpleBest returns the best simple discounts for k units of slot s worth
// cur at priority prio in one stage: in the exclusive stage the best
// exclusive discount; otherwise a best-price discount alone or (default
// model) the compound discounts stacked (deal price, amount off, percent
// off), whichever is best. compoundOnly asks for the compound discounts
// only (stacked on a compound multi-unit discount).
func (r *run) simpleBest(s *slot, prio int, excl bool, k int64, cur, orig money.Amount, compoundOnly bool) (money.Amount, []hit) {
	return r.simpleEval(s, prio, excl, k, cur, orig, compoundOnly, true, nil)
}

// simpleBestIn is simpleBest with the hits cut from an arena.
func (r *run) simpleBestIn(arena *[]hit, s *slot, prio int, excl bool, k int64, cur, orig money.Amount) (money.Amount, []hit) {
	return r.simpleEval(s, prio, excl, k, cur, orig, false, true, arena)
}

// simpleValue is simpleBest's amount alone (no allocation).
func (r *run) simpleValue(s *slot, prio int, excl bool, k int64, cur, orig money.Amount, compoundOnly bool) money.Amount {
	d, _ := r.simpleEval(s, prio, excl, k, cur, orig, compoundOnly, false, nil)
	return d
}

func (r *run) simpleEval(s *slot, prio int, excl bool, k int64, cur, orig money.Amount, compoundOnly, withHits bool, arena *[]hit) (money.Amount, []hit) {
	p := &r.pools[s.pool]
	if !p.discountable || k <= 0 || cur <= 0 {
		return 0, nil
	}
	ss := r.simplesOf(p, prio, excl)
	var best money.Amount
	var bestOffer *offer
	if !compoundOnly {
		for i := range ss.single {
			if d := r.apply(ss.single[i].m, cur, orig, k, false); d > best {
				best, bestOffer = d, ss.single[i].o
			}
		}
	}
	if len(ss.comp) > 0 {
		run := cur
		var total money.Amount
		for i := range ss.comp {
			d := min(r.apply(ss.comp[i].m, run, orig, k, true), run)
			run -= d
			total += d
		}
		if total > best || (compoundOnly && total > 0) {
			if !withHits {
				return total, nil
			}
			var hits []hit
			start := 0
			if arena != nil {
				hits, start = *arena, len(*arena)
			} else {
				hits = make([]hit, 0, len(ss.comp))
			}
			run = cur
			for _, c := range ss.comp {
				if d := min(r.apply(c.m, run, orig, k, true), run); d > 0 {
					run -= d
					hits = append(hits, hit{o: c.o, amt: d, prio: prio})
				}
			}
			if arena != nil {
				*arena = hits
			}
			return total, hits[start:len(hits):len(hits)]
		}
	}
	if best > 0 && withHits {
		h := hit{o: bestOffer, amt: best, prio: prio}
		if arena == nil {
			return best, []hit{h}
		}
		*arena = append(*arena, h)
		n := len(*arena)
		return best, (*arena)[n-1 : n : n]
	}
	return best, nil
}

// eligible reports whether slot s may take a non-threshold discount in a
// stage of a priority. Exclusive discounts only go to items without any
// discount. In the default model an item discounted at a higher priority
// gets nothing more; in the other model best-price and compound discounts
// compound across priorities unless an exclusive discount ended the item's
// discounts.
func (r *run) eligible(s *slot, excl bool) bool {
	if s.locked || s.cur <= 0 {
		return false
	}
	if excl || r.e.model == WithinPriority {
		return len(s.hits) == 0
	}
	return true
}

// applies reports whether an offer was found to apply to this cart (dates,
// coupons, price groups) while the pools were built.
func (r *run) applies(o *offer) bool { return r.checked[o.idx] == 1 }

func cmpAmt(a, b money.Amount) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// bucket sorts a pool's candidates once, in place, by kind class,
// priority, stage and compounding order, so that the multi-unit offers
// (components) and the simple discounts (leftovers) of each priority and
// stage are sub-slices; and hashes what the pool brings to a component's
// key. Within a bucket the order is by promotion ID, never by where a
// promotion is in the document: compound discounts of one kind apply in
// that order, and each rounds on what the one before left, so a cent of a
// cart must not depend on how the document was written.
func (r *run) bucket(p *pool, own bool) {
	cl := func(c *cand) int {
		switch c.o.kind {
		case Simple:
			return 0
		case Quantity, MixMatch:
			return 1
		}
		return 2
	}
	within := r.e.model == WithinPriority
	key := func(c *cand) (int, int, bool, bool, methodKind) {
		comp := within && c.o.conc == Compound
		mk := methodKind(0)
		if comp {
			mk = c.m.kind
		}
		return cl(c), c.prio, stageOf(c.o), comp, mk
	}
	slices.SortStableFunc(p.cands, func(a, b cand) int {
		ca, pa, ea, xa, ma := key(&a)
		cb, pb, eb, xb, mb := key(&b)
		switch {
		case ca != cb:
			return ca - cb
		case pa != pb:
			return pa - pb
		case ea != eb:
			if ea {
				return -1
			}
			return 1
		case xa != xb:
			if !xa {
				return -1
			}
			return 1
		}
		if ma != mb {
			return int(ma) - int(mb)
		}
		return strings.Compare(a.o.id, b.o.id)
	})
	p.simples, p.multis = nil, nil
	for i := 0; i < len(p.cands); {
		c := &p.cands[i]
		k, pr, ex, _, _ := key(c)
		j := i
		for j < len(p.cands) {
			k2, p2, e2, _, _ := key(&p.cands[j])
			if k2 != k || p2 != pr || e2 != ex {
				break
			}
			j++
		}
		run := p.cands[i:j:j]
		switch k {
		case 0:
			ss := simpleSet{prio: pr, excl: ex, single: run}
			for x := range run {
				if within && run[x].o.conc == Compound {
					ss.single, ss.comp = run[:x:x], run[x:]
					break
				}
			}
			if own {
				p.simples = append(p.simples, ss)
			} else {
				p.simples = r.addSimpleSet(p.simples, ss)
			}
		case 1:
			if own {
				p.multis = append(p.multis, multiSet{prio: pr, excl: ex, offers: run})
			} else {
				p.multis = r.addMultiSet(p.multis, multiSet{prio: pr, excl: ex, offers: run})
			}
		}
		i = j
	}
	p.key = poolKey(p)
}

// addSimpleSet and addMultiSet append to a pool's bucket list, taking the
// room from a slab kept between pricings.
func (r *run) addSimpleSet(list []simpleSet, ss simpleSet) []simpleSet {
	if list == nil {
		if len(r.ssSlab) == cap(r.ssSlab) {
			r.ssSlab = make([]simpleSet, 0, max(64, 2*cap(r.ssSlab)))
		}
		n := len(r.ssSlab)
		room := min(4, cap(r.ssSlab)-n)
		r.ssSlab = r.ssSlab[:n+room]
		list = r.ssSlab[n : n : n+room]
	}
	return append(list, ss)
}

func (r *run) addMultiSet(list []multiSet, ms multiSet) []multiSet {
	if list == nil {
		if len(r.msSlab) == cap(r.msSlab) {
			r.msSlab = make([]multiSet, 0, max(64, 2*cap(r.msSlab)))
		}
		n := len(r.msSlab)
		room := min(4, cap(r.msSlab)-n)
		r.msSlab = r.msSlab[:n+room]
		list = r.msSlab[n : n : n+room]
	}
	return append(list, ms)
}
