package pricing

import (
	"fmt"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/opentill/opentill/pos/cart"
	"github.com/opentill/opentill/pos/catalog"
	"github.com/opentill/opentill/pos/money"
)

// Kind is the type of a promotion.
type Kind int

// Promotion kinds (the anchor's simple, quantity, mix-and-match and
// threshold discounts).
const (
	Simple Kind = iota
	Quantity
	MixMatch
	Threshold
	// Tender is a tender-based discount: paying by a tender type or card
	// brand discounts the qualifying items, after every other kind.
	Tender
)

// String names the kind as the file writes it.
func (k Kind) String() string {
	switch k {
	case Quantity:
		return "quantity"
	case MixMatch:
		return "mix-match"
	case Threshold:
		return "threshold"
	case Tender:
		return cart.KindTender
	}
	return "discount"
}

// Concurrency is how a promotion combines with others on the same item.
type Concurrency int

// Concurrency modes. BestPrice competes with the others and the best for the
// customer wins; Exclusive never combines with another discount; Compound
// combines with the other compound discounts of its priority (deal price,
// then amount off, then percent off).
const (
	BestPrice Concurrency = iota
	Exclusive
	Compound
)

// String names the mode as the file writes it.
func (c Concurrency) String() string {
	switch c {
	case Exclusive:
		return "exclusive"
	case Compound:
		return "compound"
	}
	return "best-price"
}

// Model is the discount concurrency control model.
type Model int

// Concurrency control models of the anchor.
const (
	// WithinPriority is "best price and compound within priority, never
	// compound across priorities" (the default): an item discounted at one
	// priority gets no discount of a lower priority.
	WithinPriority Model = iota
	// AcrossPriorities is "best price only within priority, always compound
	// across priority": each priority gives an item its single best
	// discount, and the priorities compound on one another (an exclusive
	// discount still ends the item's discounts).
	AcrossPriorities
)

type methodKind int8

// Method kinds in compounding order: deal price, then amount off, then percent off.
const (
	mDeal methodKind = iota
	mAmount
	mPercent
	mNone
)

type method struct {
	kind methodKind
	bp   int64        // percent in basis points
	amt  money.Amount // amount off, or deal price
}

type selector struct {
	product, item, category string
	exclude                 bool
	m                       method // mNone: the promotion's method
}

type matcher []selector

// match reports whether the product is selected (exclude wins) and the
// method of the first include line that selected it.
func (ms matcher) match(p *pool) (bool, method) {
	found, m := false, method{kind: mNone}
	for i := range ms {
		s := &ms[i]
		if !s.matches(p) {
			continue
		}
		if s.exclude {
			return false, m
		}
		if !found {
			found, m = true, s.m
		}
	}
	return found, m
}

// excludes reports whether an exclude line selects the product.
func (ms matcher) excludes(p *pool) bool {
	for i := range ms {
		if ms[i].exclude && ms[i].matches(p) {
			return true
		}
	}
	return false
}

func (s *selector) matches(p *pool) bool {
	switch {
	case s.product != "":
		return s.product == p.product
	case s.item != "":
		return s.item == p.item
	default:
		return s.category == p.category
	}
}

type tier struct {
	minQty catalog.Qty
	minAmt money.Amount
	m      method
}

type mmGroup struct {
	name  string
	qty   int
	match matcher
}

type offer struct {
	idx      int
	id, name string
	kind     Kind
	conc     Concurrency
	prio     int
	hasPrio  bool
	groups   []string
	coupons  []string // upper case
	from, to time.Time
	m        method
	leastN   int
	favorRet bool // least-expensive sets favour the retailer (FavorRetailer)
	mixed    bool
	lines    matcher
	tiers    []tier
	mm       []mmGroup
	tenders  []string // tender discounts: tender type IDs (upper case)
	brands   []string // tender discounts: card brands (upper case)
	minAmt   money.Amount
}

type trade struct {
	group    string
	price    money.Amount // per unit, rounded half away from zero when a price unit divides it
	minQty   catalog.Qty
	from, to time.Time
}

// Engine is a compiled promotions document: it prices lines from price
// lists and trade agreements and computes automatic discounts. It is
// immutable and safe for concurrent use.
type Engine struct {
	loc             *time.Location
	model           Model
	onOriginal      bool
	countNonDisc    bool
	distributeLE    bool
	exclThresholds  bool // exclusive thresholds compete with exclusive discounts (ExclusiveThresholdCompetes)
	applyOverrides  bool
	manualExclusive bool
	keepSameLine    bool // round a discount once per line (the default), or unit by unit
	manualMulti     bool // multi-line discounts wait for "calculate total" (op 310)
	storeGroups     []string
	storeSet        map[string]bool // read only
	groupPrio       map[string]int
	customerGroups  map[string][]string // customer group → price groups
	customers       map[string][]string // customer → price groups (direct and through groups)
	trades          map[string][]trade  // product or item ID → agreements
	offers          []*offer
	byProduct       map[string][]int32
	byItem          map[string][]int32
	byCategory      map[string][]int32
	global          []int32
	coupons         map[string]bool
	maxSearchNodes  int
	hasTender       bool
	runs            sync.Pool           // *run scratch space
	kept            atomic.Pointer[run] // one run kept through garbage collections (sync.Pool drops its items)
	unitAt          []int               // by offer: where its units per group are counted (run.liveMultis)
	unitSlots       int
	poolMu          sync.RWMutex
	pools           map[poolCacheKey]*poolCands // see keepPool
	cands           sync.Map                    // product, item and category → []candT
}

// Offers returns how many promotions the engine holds.
func (e *Engine) Offers() int { return len(e.offers) }

// HasCoupon reports whether code enables at least one promotion.
func (e *Engine) HasCoupon(code string) bool {
	return e.coupons[strings.ToUpper(strings.TrimSpace(code))]
}

// ManualMultiline reports whether quantity, mix-and-match and threshold
// discounts wait for "calculate total" (op 310).
func (e *Engine) ManualMultiline() bool { return e.manualMulti }

// Location returns the store's time zone that validity dates are read in.
func (e *Engine) Location() *time.Location { return e.loc }

type compiler struct {
	digits int
	loc    *time.Location
	where  string
}

func (c *compiler) errf(format string, args ...any) error {
	return fmt.Errorf("%s: %s", c.where, fmt.Sprintf(format, args...))
}

func (c *compiler) amount(field, s string) (money.Amount, error) {
	a, err := money.Parse(s, c.digits)
	if err != nil {
		return 0, c.errf("%s: %v", field, err)
	}
	if a < 0 {
		return 0, c.errf("%s cannot be negative", field)
	}
	return a, nil
}

func (c *compiler) percent(field, s string) (int64, error) {
	a, err := money.Parse(strings.TrimSuffix(strings.TrimSpace(s), "%"), 2)
	if err != nil {
		return 0, c.errf("%s: %v", field, err)
	}
	if a <= 0 || a > 10000 {
		return 0, c.errf("%s must be more than 0 and at most 100", field)
	}
	return int64(a), nil
}

func (c *compiler) qty(field, s string) (catalog.Qty, error) {
	a, err := money.Parse(s, 3)
	if err != nil {
		return 0, c.errf("%s: %v", field, err)
	}
	if a <= 0 {
		return 0, c.errf("%s must be more than zero", field)
	}
	return catalog.Qty(a), nil
}

// method reads a method from the three exclusive fields; none set gives mNone.
func (c *compiler) method(pct, amt, deal string) (method, error) {
	n := 0
	for _, s := range []string{pct, amt, deal} {
		if strings.TrimSpace(s) != "" {
			n++
		}
	}
	if n > 1 {
		return method{}, c.errf("give one of percent, amount or deal_price, not several")
	}
	switch {
	case pct != "":
		bp, err := c.percent("percent", pct)
		return method{kind: mPercent, bp: bp}, err
	case amt != "":
		a, err := c.amount("amount", amt)
		if err == nil && a == 0 {
			err = c.errf("amount must be more than zero")
		}
		return method{kind: mAmount, amt: a}, err
	case deal != "":
		a, err := c.amount("deal_price", deal)
		return method{kind: mDeal, amt: a}, err
	}
	return method{kind: mNone}, nil
}

var dateLayouts = []string{"2006-01-02T15:04:05", "2006-01-02T15:04", "2006-01-02 15:04", "2006-01-02"}

// date reads a validity date in the store's time zone. A bare day given as
// an end date means the end of that day.
func (c *compiler) date(field, s string, end bool) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	for _, l := range dateLayouts {
		t, err := time.ParseInLocation(l, s, c.loc)
		if err != nil {
			continue
		}
		if end && l == "2006-01-02" {
			t = t.AddDate(0, 0, 1)
		}
		return t, nil
	}
	return time.Time{}, c.errf("%s: %q is not a date (2026-12-24 or 2026-12-24T18:00)", field, s)
}

func (c *compiler) lines(ls []LineDoc, withMethod bool) (matcher, error) {
	var out matcher
	for i, l := range ls {
		n := 0
		for _, s := range []string{l.Product, l.Item, l.Category} {
			if strings.TrimSpace(s) != "" {
				n++
			}
		}
		if n != 1 {
			return nil, c.errf("line %d: give exactly one of product, item or category", i+1)
		}
		m, err := c.method(l.Percent, l.Amount, l.DealPrice)
		if err != nil {
			return nil, err
		}
		if m.kind != mNone && (!withMethod || l.Exclude) {
			return nil, c.errf("line %d: only include lines of a simple discount carry a method", i+1)
		}
		out = append(out, selector{product: strings.TrimSpace(l.Product), item: strings.TrimSpace(l.Item),
			category: strings.TrimSpace(l.Category), exclude: l.Exclude, m: m})
	}
	return out, nil
}

func hasInclude(m matcher) bool {
	for _, s := range m {
		if !s.exclude {
			return true
		}
	}
	return false
}

// Compile checks a promotions document and builds the engine for a currency
// with digits minor digits.
func Compile(f *File, digits int) (*Engine, error) {
	loc := time.UTC
	if tz := strings.TrimSpace(f.TimeZone); tz != "" {
		l, err := time.LoadLocation(tz)
		if err != nil {
			return nil, fmt.Errorf("time_zone: %q is not a known time zone", tz)
		}
		loc = l
	}
	e := &Engine{loc: loc, groupPrio: map[string]int{}, customerGroups: map[string][]string{}, customers: map[string][]string{},
		trades: map[string][]trade{}, byProduct: map[string][]int32{}, byItem: map[string][]int32{}, byCategory: map[string][]int32{},
		coupons: map[string]bool{}, countNonDisc: f.CountNonDiscountable, distributeLE: f.DistributeLeastExpensive,
		applyOverrides: f.ApplyToPriceOverrides, maxSearchNodes: DefaultSearchNodes, keepSameLine: f.KeepSameLine == nil || *f.KeepSameLine,
		manualMulti: f.ManualMultilineDiscounts, exclThresholds: f.ExclusiveThresholdCompetes}
	switch strings.ToLower(strings.TrimSpace(f.ConcurrencyModel)) {
	case "", "best-price-and-compound-within-priority", "within-priority":
	case "best-price-within-priority-compound-across", "across-priorities":
		e.model = AcrossPriorities
	default:
		return nil, fmt.Errorf("concurrency_model: %q is not best-price-and-compound-within-priority or best-price-within-priority-compound-across", f.ConcurrencyModel)
	}
	switch strings.ToLower(strings.TrimSpace(f.CompoundOn)) {
	case "", "running":
	case "original":
		e.onOriginal = true
	default:
		return nil, fmt.Errorf("compound_on: %q is not running or original", f.CompoundOn)
	}
	switch strings.ToLower(strings.TrimSpace(f.ManualDiscounts)) {
	case "", "compound":
	case "exclusive":
		e.manualExclusive = true
	default:
		return nil, fmt.Errorf("manual_discounts: %q is not compound or exclusive", f.ManualDiscounts)
	}
	for i, g := range f.PriceGroups {
		if g.ID == "" {
			return nil, fmt.Errorf("price_group %d: id is missing", i+1)
		}
		if _, dup := e.groupPrio[g.ID]; dup {
			return nil, fmt.Errorf("price_group %q is defined twice", g.ID)
		}
		e.groupPrio[g.ID] = g.Priority
	}
	known := func(where string, ids []string) error {
		for _, id := range ids {
			if _, ok := e.groupPrio[id]; !ok {
				return fmt.Errorf("%s: price group %q is not defined", where, id)
			}
		}
		return nil
	}
	if err := known("store_price_groups", f.StorePriceGroups); err != nil {
		return nil, err
	}
	e.storeGroups = f.StorePriceGroups
	e.storeSet = map[string]bool{}
	for _, g := range e.storeGroups {
		e.storeSet[g] = true
	}
	for _, cg := range f.CustomerGroups {
		if err := known("customer_group "+cg.ID, cg.PriceGroups); err != nil {
			return nil, err
		}
		e.customerGroups[cg.ID] = cg.PriceGroups
	}
	for _, cu := range f.Customers {
		if err := known("customer "+cu.ID, cu.PriceGroups); err != nil {
			return nil, err
		}
		gs := append([]string(nil), cu.PriceGroups...)
		for _, g := range cu.Groups {
			pg, ok := e.customerGroups[g]
			if !ok {
				return nil, fmt.Errorf("customer %s: customer group %q is not defined", cu.ID, g)
			}
			gs = append(gs, pg...)
		}
		e.customers[cu.ID] = gs
	}
	for i, t := range f.TradeAgreements {
		c := &compiler{digits: digits, loc: loc, where: fmt.Sprintf("trade_agreement %d", i+1)}
		if err := known(c.where, []string{t.PriceGroup}); err != nil {
			return nil, err
		}
		key := strings.TrimSpace(t.Product)
		if (key == "") == (strings.TrimSpace(t.Item) == "") {
			return nil, c.errf("give either product or item")
		}
		if key == "" {
			key = "item:" + strings.TrimSpace(t.Item)
		}
		price, err := c.amount("price", t.Price)
		if err != nil {
			return nil, err
		}
		if t.PriceUnit != "" {
			u, err := c.qty("price_unit", t.PriceUnit)
			if err != nil {
				return nil, err
			}
			price = money.Amount(money.MulDiv(int64(price), int64(catalog.One), int64(u), money.HalfUp))
		}
		tr := trade{group: t.PriceGroup, price: price}
		if t.MinQty != "" {
			if tr.minQty, err = c.qty("min_qty", t.MinQty); err != nil {
				return nil, err
			}
		}
		if tr.from, err = c.date("from", t.From, false); err != nil {
			return nil, err
		}
		if tr.to, err = c.date("to", t.To, true); err != nil {
			return nil, err
		}
		e.trades[key] = append(e.trades[key], tr)
	}
	ids := map[string]bool{}
	for i := range f.Promotions {
		o, err := e.compileOffer(&f.Promotions[i], i, digits, known)
		if err != nil {
			return nil, err
		}
		if o == nil {
			continue
		}
		if ids[o.id] {
			return nil, fmt.Errorf("promotion %q is defined twice", o.id)
		}
		ids[o.id] = true
		o.idx = len(e.offers)
		e.offers = append(e.offers, o)
		e.unitAt = append(e.unitAt, e.unitSlots)
		e.unitSlots += max(len(o.mm), 1)
	}
	for _, o := range e.offers {
		sels := append(matcher(nil), o.lines...)
		for _, g := range o.mm {
			sels = append(sels, g.match...)
		}
		seen := map[string]bool{}
		add := func(m map[string][]int32, kind, k string) {
			if seen[kind+k] {
				return
			}
			seen[kind+k] = true
			m[k] = append(m[k], int32(o.idx))
		}
		included := false
		for _, s := range sels {
			if s.exclude {
				continue
			}
			included = true
			switch {
			case s.product != "":
				add(e.byProduct, "p:", s.product)
			case s.item != "":
				add(e.byItem, "i:", s.item)
			default:
				add(e.byCategory, "c:", s.category)
			}
		}
		if !included {
			e.global = append(e.global, int32(o.idx))
		}
		for _, c := range o.coupons {
			e.coupons[c] = true
		}
		if o.kind == Tender {
			e.hasTender = true
		}
	}
	return e, nil
}

func (e *Engine) compileOffer(p *PromotionDoc, i, digits int, known func(string, []string) error) (*offer, error) {
	c := &compiler{digits: digits, loc: e.loc, where: fmt.Sprintf("promotion %d", i+1)}
	if strings.TrimSpace(p.ID) == "" {
		return nil, c.errf("id is missing")
	}
	c.where = fmt.Sprintf("promotion %q", p.ID)
	if strings.TrimSpace(p.Name) == "" {
		return nil, c.errf("name is missing (it is shown on the line and the receipt)")
	}
	o := &offer{id: strings.TrimSpace(p.ID), name: strings.TrimSpace(p.Name), groups: p.PriceGroups}
	if err := known(c.where, p.PriceGroups); err != nil {
		return nil, err
	}
	switch strings.ToLower(strings.TrimSpace(p.Kind)) {
	case "discount", "simple":
		o.kind = Simple
	case "quantity", "multibuy":
		o.kind = Quantity
	case "mix-match", "mixmatch", "mix-and-match":
		o.kind = MixMatch
	case "threshold":
		o.kind = Threshold
	case "tender", "tender-based":
		o.kind = Tender
	default:
		return nil, c.errf("kind %q is not discount, quantity, mix-match, threshold or tender", p.Kind)
	}
	switch strings.ToLower(strings.TrimSpace(p.Concurrency)) {
	case "", "best-price", "best":
	case "exclusive":
		o.conc = Exclusive
	case "compound", "compounded":
		o.conc = Compound
	default:
		return nil, c.errf("concurrency %q is not exclusive, best-price or compound", p.Concurrency)
	}
	if p.Priority != nil {
		o.prio, o.hasPrio = *p.Priority, true
	}
	for _, cp := range p.Coupons {
		cp = strings.ToUpper(strings.TrimSpace(cp))
		if cp == "" {
			return nil, c.errf("an empty coupon code")
		}
		o.coupons = append(o.coupons, cp)
	}
	var err error
	if o.from, err = c.date("from", p.From, false); err != nil {
		return nil, err
	}
	if o.to, err = c.date("to", p.To, true); err != nil {
		return nil, err
	}
	if !o.from.IsZero() && !o.to.IsZero() && !o.to.After(o.from) {
		return nil, c.errf("to is before from")
	}
	if o.m, err = c.method(p.Percent, p.Amount, p.DealPrice); err != nil {
		return nil, err
	}
	if (len(p.TenderTypes) > 0 || len(p.CardBrands) > 0) && o.kind != Tender {
		return nil, c.errf("tender_types and card_brands belong to a tender discount (kind = \"tender\")")
	}
	if o.lines, err = c.lines(p.Lines, o.kind == Simple); err != nil {
		return nil, err
	}
	if p.LeastExpensive < 0 {
		return nil, c.errf("least_expensive cannot be negative")
	}
	o.leastN, o.mixed, o.favorRet = p.LeastExpensive, p.Mixed, p.FavorRetailer
	if o.favorRet && (o.kind != MixMatch || o.leastN == 0 || len(p.Groups) != 1) {
		return nil, c.errf("favor_retailer belongs to a least-expensive mix-and-match of one group (least_expensive = N)")
	}
	switch o.kind {
	case Simple:
		if !hasInclude(o.lines) {
			return nil, c.errf("a discount needs at least one include line")
		}
		for _, s := range o.lines {
			if !s.exclude && s.m.kind == mNone && o.m.kind == mNone {
				return nil, c.errf("give percent, amount or deal_price on the promotion or on every include line")
			}
		}
	case Quantity:
		if !hasInclude(o.lines) {
			return nil, c.errf("a quantity discount needs at least one include line")
		}
		if len(p.Tiers) == 0 {
			return nil, c.errf("a quantity discount needs at least one tier")
		}
		for k, t := range p.Tiers {
			c.where = fmt.Sprintf("promotion %q tier %d", p.ID, k+1)
			var tr tier
			if tr.minQty, err = c.qty("min_qty", t.MinQty); err != nil {
				return nil, err
			}
			if tr.minQty%catalog.One != 0 {
				return nil, c.errf("min_qty must be a whole number of units")
			}
			if t.MinAmount != "" {
				return nil, c.errf("a quantity tier has min_qty, not min_amount")
			}
			if tr.m, err = c.method(t.Percent, t.Amount, t.DealPrice); err != nil {
				return nil, err
			}
			if tr.m.kind == mNone {
				return nil, c.errf("give percent, amount or deal_price")
			}
			o.tiers = append(o.tiers, tr)
		}
		sort.SliceStable(o.tiers, func(a, b int) bool { return o.tiers[a].minQty < o.tiers[b].minQty })
	case MixMatch:
		if len(p.Groups) == 0 {
			return nil, c.errf("a mix-and-match needs at least one group")
		}
		if len(p.Groups) > 64 {
			return nil, c.errf("a mix-and-match has at most 64 groups")
		}
		if len(p.Lines) > 0 {
			return nil, c.errf("a mix-and-match selects products in its groups, not in lines")
		}
		size := 0
		for k, g := range p.Groups {
			c.where = fmt.Sprintf("promotion %q group %d", p.ID, k+1)
			if g.Qty < 1 || g.Qty > 1000 {
				return nil, c.errf("qty must be between 1 and 1000")
			}
			m, err := c.lines(g.Lines, false)
			if err != nil {
				return nil, err
			}
			if !hasInclude(m) {
				return nil, c.errf("a group needs at least one include line")
			}
			size += g.Qty
			o.mm = append(o.mm, mmGroup{name: g.Name, qty: g.Qty, match: m})
		}
		c.where = fmt.Sprintf("promotion %q", p.ID)
		if o.leastN > 0 {
			if o.leastN >= size {
				return nil, c.errf("least_expensive must be less than the %d items of a set", size)
			}
			if o.m.kind == mNone {
				o.m = method{kind: mPercent, bp: 10000}
			}
			if o.m.kind != mPercent {
				return nil, c.errf("least-expensive items are discounted by a percent (default 100)")
			}
		} else if o.m.kind == mNone {
			return nil, c.errf("give deal_price, percent, amount or least_expensive")
		}
	case Threshold:
		if len(p.Tiers) == 0 {
			return nil, c.errf("a threshold needs at least one tier")
		}
		for k, t := range p.Tiers {
			c.where = fmt.Sprintf("promotion %q tier %d", p.ID, k+1)
			var tr tier
			if tr.minAmt, err = c.amount("min_amount", t.MinAmount); err != nil {
				return nil, err
			}
			if t.MinQty != "" || t.DealPrice != "" {
				return nil, c.errf("a threshold tier has min_amount and percent or amount")
			}
			if tr.m, err = c.method(t.Percent, t.Amount, ""); err != nil {
				return nil, err
			}
			if tr.m.kind == mNone {
				return nil, c.errf("give percent or amount")
			}
			o.tiers = append(o.tiers, tr)
		}
		sort.SliceStable(o.tiers, func(a, b int) bool { return o.tiers[a].minAmt < o.tiers[b].minAmt })
	case Tender:
		for _, t := range p.TenderTypes {
			if t = strings.ToUpper(strings.TrimSpace(t)); t != "" {
				o.tenders = append(o.tenders, t)
			}
		}
		for _, b := range p.CardBrands {
			if b = strings.ToUpper(strings.TrimSpace(b)); b != "" {
				o.brands = append(o.brands, b)
			}
		}
		if len(o.tenders) == 0 && len(o.brands) == 0 {
			return nil, c.errf("a tender discount needs tender_types or card_brands (the tender that earns it)")
		}
		if o.m.kind != mPercent && o.m.kind != mAmount {
			return nil, c.errf("a tender discount gives percent or amount off")
		}
		if p.MinAmount != "" {
			if o.minAmt, err = c.amount("min_amount", p.MinAmount); err != nil {
				return nil, err
			}
		}
	}
	if p.MinAmount != "" && o.kind != Tender {
		return nil, c.errf("min_amount belongs to a tender discount; a threshold has it in its tiers")
	}
	if p.Disabled {
		return nil, nil
	}
	return o, nil
}
