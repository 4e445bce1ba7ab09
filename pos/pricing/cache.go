package pricing

import (
	"encoding/binary"
	"fmt"
	"hash/maphash"
	"sync/atomic"

	"github.com/opentill/opentill/pos/money"
)

// Incremental repricing. The engine keeps each pool's promotions, derived
// once per product, price and set of applicable offers (Engine.pools), for
// every cart. A cart keeps the solved components of its last pricing
// (Cart.PromoCache). The next pricing computes the key of every
// component it meets — everything the component's result depends on: the
// stage and priority, and for each of its slots the product, price, units,
// amounts and the promotions that apply to it — and reuses the result when
// the key is known. A change to the cart therefore only re-solves the
// components it touches. The cart also keeps its lines' keys and sorted
// pools (carried): when the same offers apply and only a few lines were
// changed, added or taken off, the next pricing changes just the pools
// those lines leave or join, in place, instead of grouping, sorting and
// looking up every pool again. The rest (components, thresholds, the split
// over lines) is linear in the cart. Results are a function of the key and
// the pools, so an incremental pricing equals a full one (property tests
// check it, and that carried pools are the ones made again);
// cart.Pricing.Full forgets the cache.

// Cache is the solved components of one pricing of one cart by one engine.
// Its components never change once stored on a cart, so copies of a cart
// may share it; its carried pools change only under their lock (carried).
type Cache struct {
	e     *Engine
	comps map[compKey]*compResult
	carry *carried // the pools, for the next pricing (buildPools)
}

// poolCacheKey names what a pool's promotions depend on: the pool's
// product, price and flags, and which offers apply to the cart (fp, see
// buildPools).
type poolCacheKey struct {
	fp uint64
	id poolID
}

// poolCacheCap bounds the pools an engine keeps (it starts again when full).
const poolCacheCap = 1 << 16

// keepPool remembers a pool's promotions for every cart priced by the
// engine (they never change once kept).
func (e *Engine) keepPool(k poolCacheKey, pc *poolCands) {
	e.poolMu.Lock()
	defer e.poolMu.Unlock()
	if e.pools == nil || len(e.pools) >= poolCacheCap {
		e.pools = make(map[poolCacheKey]*poolCands)
	}
	e.pools[k] = pc
}

// poolCands is what buildPools derives for a pool from its promotions.
type poolCands struct {
	cands   []cand
	simples []simpleSet
	multis  []multiSet
	key     [2]uint64
}

type compKey [2]uint64

// checkBounds makes every component solved also be solved exhaustively
// (pruning on dominance only) and panic where the values differ: a bound
// that underestimated a branch would have lost the best combination.
var checkBounds atomic.Bool

var keySeed = maphash.MakeSeed()

// cacheCap bounds the components kept per cart.
const cacheCap = 1 << 16

// solveCached solves a component, reusing the last pricing's result when
// the component has not changed.
func (r *run) solveCached(prio int, excl bool, cs []int) *compResult {
	key := r.compKey(prio, excl, cs)
	if r.prev != nil {
		if res, ok := r.prev.comps[key]; ok {
			r.keep(key, res)
			r.reused++
			return res
		}
	}
	res := r.newSearch(prio, excl, cs).solve()
	if checkBounds.Load() && !res.cut {
		ex := r.newSearch(prio, excl, cs)
		ex.noBounds, ex.maxNodes = true, 1<<24
		if exr := ex.solve(); !exr.cut && exr.value != res.value {
			panic(fmt.Sprintf("pricing: the bounded search found %v, the exhaustive one %v (%d slots, %d decisions)", res.value, exr.value, len(cs), len(ex.decs)))
		}
	}
	r.keep(key, res)
	r.solved++
	return res
}

func (r *run) keep(key compKey, res *compResult) {
	if r.next == nil {
		return
	}
	if len(r.next.comps) < cacheCap {
		r.next.comps[key] = res
	}
}

// compKey hashes the input of a component (two independent 64-bit hashes):
// for each slot, its pool's key (poolKey) and its units and amounts.
func (r *run) compKey(prio int, excl bool, cs []int) compKey {
	h1 := mix64(uint64(prio)*2 + 1)
	h2 := mix64(uint64(len(cs)) + 0x51)
	if excl {
		h1 = mix64(h1 ^ 0xe)
	}
	for i, s := range cs {
		sl := &r.slots[s]
		p := &r.pools[sl.pool]
		v := mix64(p.key[0] ^ uint64(sl.n)*0x9e3779b97f4a7c15 ^ uint64(sl.cur)<<21 ^ uint64(sl.orig)<<42 ^ uint64(i))
		h1 = mix64(h1 ^ v)
		h2 = mix64(h2 + (p.key[1] ^ uint64(sl.cur)*0xbf58476d1ce4e5b9 ^ uint64(sl.orig)*0x94d049bb133111eb ^ uint64(sl.n)<<17))
	}
	return compKey{h1, h2}
}

// poolKey hashes what a pool brings to a component: its product, price
// and flags and the promotions that apply to it (with their priorities and
// methods).
func poolKey(p *pool) [2]uint64 {
	var h1, h2 maphash.Hash
	h1.SetSeed(keySeed)
	h2.SetSeed(keySeed)
	h2.WriteByte(0x5a)
	var buf [8]byte
	num := func(v int64) {
		binary.LittleEndian.PutUint64(buf[:], uint64(v))
		h1.Write(buf[:])
		h2.Write(buf[:])
	}
	str := func(s string) {
		num(int64(len(s)))
		h1.WriteString(s)
		h2.WriteString(s)
	}
	str(p.product)
	str(p.item)
	str(p.category)
	num(int64(p.price))
	flags := int64(0)
	if p.whole {
		flags |= 1
	}
	if p.discountable {
		flags |= 2
	}
	num(flags)
	num(int64(len(p.cands)))
	for _, c := range p.cands {
		num(int64(c.o.idx))
		num(int64(c.prio))
		num(int64(c.m.kind))
		num(int64(c.m.amt))
		num(c.m.bp)
	}
	return [2]uint64{h1.Sum64(), h2.Sum64()}
}

// noteComp records a solved component for Explain.
func (r *run) noteComp(prio int, excl bool, cs []int, res *compResult) {
	if r.trace == nil {
		return
	}
	var pools []int
	for _, s := range cs {
		pools = append(pools, r.slots[s].pool)
	}
	r.trace.comps = append(r.trace.comps, compTrace{prio: prio, excl: excl, pools: pools, res: res})
}

type compTrace struct {
	prio  int
	excl  bool
	pools []int
	res   *compResult
}

// tracer collects what Explain reports.
type tracer struct {
	comps      []compTrace
	thresholds []thresholdTrace
	tenders    []thresholdTrace
}

type thresholdTrace struct {
	o       *offer
	prio    int
	qual    money.Amount // the qualifying amount
	tier    int          // -1: no tier reached
	applied money.Amount
	won     bool
}
