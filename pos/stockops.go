package pos

import (
	"context"
	"strings"

	"github.com/opentill/opentill/pos/catalog"
	"github.com/opentill/opentill/pos/inventory"
	"github.com/opentill/opentill/pos/journal"
	"github.com/opentill/opentill/pos/poserr"
)

// Stock operations (the anchor's numbers; docs/inventory.md).
const (
	OpInventoryLookup OpID = 801
	OpStockCount      OpID = 802
	OpStockAdjustment OpID = 806
	OpPostStockCount  OpID = 808
)

// InventoryLookup shows a product's stock (op 801): this store's figure
// (offline too: the server's last figure plus this till's own movements)
// and every other store's, from the server when it answers and otherwise
// the last figures heard, with their age. Give a Barcode (or item ID) or a
// ProductID.
type InventoryLookup struct{ Barcode, ProductID string }

// StockAdjustment adjusts a product's on hand in this store (op 806): Qty is
// the change (negative takes stock off), Reason one of the store's reason
// codes.
type StockAdjustment struct {
	Barcode, ProductID string
	Qty                catalog.Qty
	Reason             string
	Note               string
}

// CountAction is what a StockCount operation does.
type CountAction string

// Count actions.
const (
	CountList    CountAction = ""        // list the store's counts
	CountStart   CountAction = "start"   // start an unscheduled count (Name)
	CountOpen    CountAction = "open"    // show a count (CountID)
	CountScan    CountAction = "scan"    // count one more of a product (Qty: that many instead)
	CountSet     CountAction = "set"     // key the quantity this device counted of a product
	CountRecount CountAction = "recount" // key the quantity again after a recount
	CountReview  CountAction = "review"  // the variance review before posting
)

// StockCount works on the store's stock counts (op 802): list them, start
// one, count products by scanning or keying quantities (several devices
// may count one document), recount lines and review the variances.
type StockCount struct {
	Action             CountAction
	CountID            string
	Name               string
	Barcode, ProductID string
	Qty                catalog.Qty
}

// PostStockCount posts a count (op 808): its lines go to the store server,
// which sets each counted product's on hand. Lines over the recount
// threshold must be recounted first.
type PostStockCount struct{ CountID string }

// OpID of InventoryLookup.
func (InventoryLookup) OpID() OpID { return OpInventoryLookup }

// OpID of StockAdjustment.
func (StockAdjustment) OpID() OpID { return OpStockAdjustment }

// OpID of StockCount.
func (StockCount) OpID() OpID { return OpStockCount }

// OpID of PostStockCount.
func (PostStockCount) OpID() OpID { return OpPostStockCount }

// InventoryInfo is the answer of an inventory lookup.
type InventoryInfo struct {
	Product catalog.Product
	Here    inventory.Level   // this store
	Others  []inventory.Level // other stores
	// Variants are the item's other variants (colours, sizes) with their
	// levels here and, like Others, in other stores: live online, the last
	// heard offline.
	Variants []VariantStock
	// Live says Others came from the store server just now; otherwise they
	// are the last figures heard (each with its AsOf), and OthersErr says
	// why the server did not answer (nil when it was not asked: offline).
	Live      bool
	OthersErr error
}

// VariantStock is a variant's stock here and in other stores.
type VariantStock struct {
	Product catalog.Product
	Here    inventory.Level
	Others  []inventory.Level
}

// VariantLister lists an item's variants; a store that has it lets a
// lookup show every variant's stock.
type VariantLister interface {
	Variants(ctx context.Context, itemID string) ([]catalog.Product, error)
}

// CountInfo is a count as a stock-count operation leaves it.
type CountInfo struct {
	Count  inventory.Count
	Lines  []inventory.CountLine
	Line   *inventory.CountLine // the line just counted
	Review *inventory.Review    // the variance review (review and post)
}

// Settings of the store's stock.
func (r *Register) stockSettings() inventory.Settings { return inventory.Of(r.setup.Inventory) }

func (r *Register) stockProduct(ctx context.Context, code, id string) (catalog.Product, error) {
	if strings.TrimSpace(code) == "" && id == "" {
		return catalog.Product{}, poserr.E(poserr.Invalid, "error.stock.no_product", "pick a product to look its stock up")
	}
	p, _, err := r.resolve(ctx, code, id)
	return p, err
}

func (r *Register) inventoryLookup(ctx context.Context, o InventoryLookup) (Result, error) {
	p, err := r.stockProduct(ctx, o.Barcode, o.ProductID)
	if err != nil {
		return Result{}, err
	}
	here, err := r.store.StockLevel(ctx, p.ID)
	if err != nil {
		return Result{}, err
	}
	here.StoreID, here.StoreName = r.setup.StoreID, r.setup.StoreName
	info := &InventoryInfo{Product: p, Here: here}
	live := r.opt.Stock != nil && r.online()
	if info.Others, info.Live, info.OthersErr, err = r.otherLevels(ctx, p.ID, live); err != nil {
		return Result{}, err
	}
	if vl, ok := r.store.(VariantLister); ok && p.VariantID != "" {
		vs, err := vl.Variants(ctx, p.ItemID)
		if err != nil {
			return Result{}, err
		}
		for _, v := range vs {
			if v.ID == p.ID {
				continue
			}
			h, err := r.store.StockLevel(ctx, v.ID)
			if err != nil {
				return Result{}, err
			}
			h.StoreID, h.StoreName = r.setup.StoreID, r.setup.StoreName
			others, _, _, err := r.otherLevels(ctx, v.ID, live && info.Live)
			if err != nil {
				return Result{}, err
			}
			info.Variants = append(info.Variants, VariantStock{Product: v, Here: h, Others: others})
		}
	}
	return Result{Inventory: info}, nil
}

// otherLevels are a product's figures in other stores: from the server
// when live (and kept as the last heard), else the last heard; why the
// server did not answer is errLive.
func (r *Register) otherLevels(ctx context.Context, productID string, live bool) (out []inventory.Level, got bool, errLive, err error) {
	if live {
		levels, lerr := r.opt.Stock.StockLevels(ctx, productID)
		if lerr == nil {
			for _, l := range levels {
				if l.StoreID == r.setup.StoreID {
					continue // this store's figure is the till's own, which counts its movements
				}
				l.ProductID = productID
				out = append(out, l)
			}
			return out, true, nil, r.store.RememberLevels(ctx, out)
		}
		errLive = lerr
	}
	out, err = r.store.KnownLevels(ctx, productID)
	return out, false, errLive, err
}

func (r *Register) adjustStock(ctx context.Context, o StockAdjustment, a *authority) (Result, error) {
	p, err := r.stockProduct(ctx, o.Barcode, o.ProductID)
	if err != nil {
		return Result{}, err
	}
	set := r.stockSettings()
	if reason, err := set.CheckAdjustment(o.Qty, o.Reason); err != nil {
		ae := err.(*inventory.AdjustmentError)
		key := map[string]string{"reason": "error.stock.adjust_reason", "zero": "error.stock.adjust_zero", "too_large": "error.stock.adjust_too_large",
			"down": "error.stock.adjust_down", "up": "error.stock.adjust_up"}[ae.Code]
		pe := poserr.E(poserr.Invalid, key, "%s", ae.Msg)
		pe.Args = map[string]any{"field": ae.Field, "reasons": set.Codes(), "reason": reason.Name, "max": set.MaxAdjustment / catalog.One}
		return Result{}, pe
	}
	if len(o.Note) > 200 {
		return Result{}, poserr.E(poserr.Invalid, "error.stock.note", "a note has at most 200 characters")
	}
	rec := inventory.AdjustmentRecord{ID: r.opt.NewID(), StoreID: r.setup.StoreID, ProductID: p.ID, Qty: o.Qty, Reason: o.Reason,
		Note: strings.TrimSpace(o.Note), Operator: r.operator.ID, At: r.opt.Now().UTC()}
	if a != nil && a.approver != nil {
		rec.Approver = a.approver.ID
	}
	if err := r.store.AdjustStock(ctx, rec, r.entry(journal.StockAdjustment, OpStockAdjustment)); err != nil {
		return Result{}, err
	}
	level, err := r.store.StockLevel(ctx, p.ID)
	if err != nil {
		return Result{}, err
	}
	level.StoreID, level.StoreName = r.setup.StoreID, r.setup.StoreName
	return Result{Inventory: &InventoryInfo{Product: p, Here: level}}, nil
}

func (r *Register) stockCount(ctx context.Context, o StockCount) (Result, error) {
	switch o.Action {
	case CountList:
		cs, err := r.store.StockCounts(ctx)
		return Result{Counts: cs}, err
	case CountStart:
		name := strings.TrimSpace(o.Name)
		if name == "" {
			name = "Count " + r.opt.Now().In(tzLocation(r.setup.Header.TimeZone)).Format("2006-01-02 15:04")
		}
		if len(name) > 80 {
			return Result{}, poserr.E(poserr.Invalid, "error.count.name", "a count's name has at most 80 characters")
		}
		c := inventory.Count{ID: r.opt.NewID(), StoreID: r.setup.StoreID, Name: name, Status: inventory.Open, Created: r.opt.Now().UTC()}
		if err := r.store.StartCount(ctx, c, r.entry(journal.StockCountStart, OpStockCount)); err != nil {
			return Result{}, err
		}
		return Result{Count: &CountInfo{Count: c}}, nil
	}
	switch o.Action {
	case CountOpen, CountReview:
		c, lines, err := r.openCount(ctx, o.CountID)
		if err != nil {
			return Result{}, err
		}
		info := &CountInfo{Count: c, Lines: lines}
		if o.Action == CountReview {
			info.Review, err = r.review(ctx, c, lines)
		}
		return Result{Count: info}, err
	case CountScan, CountSet, CountRecount:
	default:
		return Result{}, poserr.E(poserr.Invalid, "error.count.action", "unknown stock-count action %q", string(o.Action))
	}
	if strings.TrimSpace(o.CountID) == "" {
		return Result{}, poserr.E(poserr.Invalid, "error.count.none", "pick a stock count")
	}
	c, err := r.store.CountOf(ctx, o.CountID)
	if err != nil {
		return Result{}, err
	}
	info := &CountInfo{Count: c}
	if c.Status != inventory.Open {
		return Result{}, CountPostedError(c)
	}
	p, err := r.stockProduct(ctx, o.Barcode, o.ProductID)
	if err != nil {
		return Result{}, err
	}
	if c.Products != nil && !contains(c.Products, p.ID) {
		pe := poserr.E(poserr.Conflict, "error.count.not_listed", "%s is not on count %s: put it aside or count it in an unscheduled count", p.Name, c.Name)
		pe.Args = map[string]any{"product": p.Name, "name": c.Name}
		return Result{}, pe
	}
	qty := o.Qty
	switch {
	case o.Action == CountScan && qty == 0:
		qty = catalog.One
	case qty < 0:
		return Result{}, poserr.E(poserr.Invalid, "error.count.qty", "type the quantity counted (0 or more)")
	}
	if err := r.checkQty(p.Name, p.UnitDecimals(), max(qty, catalog.One)); err != nil {
		return Result{}, err
	}
	l, err := r.store.CountProduct(ctx, c.ID, p.ID, qty, o.Action == CountScan, o.Action == CountRecount, r.opt.Now().UTC())
	if err != nil {
		return Result{}, err
	}
	info.Line = &l
	return Result{Count: info, Product: &p}, nil
}

// CountPostedError is the refusal of a change to a posted count.
func CountPostedError(c inventory.Count) error {
	pe := poserr.E(poserr.Conflict, "error.count.posted", "count %s is posted: start a new count", c.Name)
	pe.Args = map[string]any{"name": c.Name}
	return pe
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func (r *Register) openCount(ctx context.Context, id string) (inventory.Count, []inventory.CountLine, error) {
	if strings.TrimSpace(id) == "" {
		return inventory.Count{}, nil, poserr.E(poserr.Invalid, "error.count.none", "pick a stock count")
	}
	return r.store.StockCount(ctx, id)
}

// review lays out the variances, reading each line's product.
func (r *Register) review(ctx context.Context, c inventory.Count, lines []inventory.CountLine) (*inventory.Review, error) {
	products := make(map[string]catalog.Product, len(lines))
	for _, l := range lines {
		p, err := r.store.ByID(ctx, l.ProductID)
		if err != nil && !poserr.Is(err, poserr.NotFound) {
			return nil, err
		}
		products[l.ProductID] = p
	}
	// the products of a scheduled count nobody counted yet show as lines too
	have := make(map[string]bool, len(lines))
	for _, l := range lines {
		have[l.ProductID] = true
	}
	for _, id := range c.Products {
		if !have[id] {
			lvl, err := r.store.StockLevel(ctx, id)
			if err != nil {
				return nil, err
			}
			p, err := r.store.ByID(ctx, id)
			if err != nil && !poserr.Is(err, poserr.NotFound) {
				return nil, err
			}
			products[id] = p
			lines = append(lines, inventory.CountLine{ProductID: id, Expected: lvl.OnHand})
		}
	}
	rv := r.stockSettings().BuildReview(c, lines, products)
	return &rv, nil
}

func (r *Register) postCount(ctx context.Context, o PostStockCount) (Result, error) {
	c, lines, err := r.openCount(ctx, o.CountID)
	if err != nil {
		return Result{}, err
	}
	if c.Status != inventory.Open {
		return Result{}, CountPostedError(c)
	}
	rv, err := r.review(ctx, c, lines)
	if err != nil {
		return Result{}, err
	}
	if rv.Counted == 0 {
		pe := poserr.E(poserr.Conflict, "error.count.empty", "nothing is counted on %s yet: count before posting", c.Name)
		pe.Args = map[string]any{"name": c.Name}
		return Result{}, pe
	}
	if rv.Recount > 0 {
		pe := poserr.E(poserr.Conflict, "error.count.recount", "%d lines differ from the expected figure by more than the store allows: recount them first", rv.Recount)
		pe.Args = map[string]any{"count": rv.Recount}
		return Result{Count: &CountInfo{Count: c, Lines: lines, Review: rv}}, pe
	}
	now := r.opt.Now().UTC()
	if err := r.store.PostCount(ctx, c.ID, r.operator.ID, now, r.entry(journal.StockCountPost, OpPostStockCount)); err != nil {
		return Result{}, err
	}
	c.Status, c.Posted, c.PostedBy = inventory.Posted, now, r.operator.ID
	rv.Count = c
	return Result{Count: &CountInfo{Count: c, Lines: lines, Review: rv}}, nil
}

func stockOps(g *Registry) {
	builtin(g, OpSpec{ID: OpInventoryLookup, Name: "Inventory lookup", Permission: perm(OpInventoryLookup), Offline: true, Group: GroupInventory,
		Doc: "A product's stock: this store's offline too (the server's last figure plus this till's movements, as of when), other stores' from the server or, offline, the last figures heard with their age."},
		func(r *Register, ctx context.Context, o InventoryLookup, _ *authority) (Result, error) {
			return r.inventoryLookup(ctx, o)
		})
	builtin(g, OpSpec{ID: OpStockCount, Name: "Stock count", Permission: perm(OpStockCount), Offline: true, Group: GroupInventory,
		Doc: "Count stock: scheduled counts from the server or unscheduled ones; a scan adds one, a quantity can be keyed; several devices count one document; variance review and recounts."},
		func(r *Register, ctx context.Context, o StockCount, _ *authority) (Result, error) {
			return r.stockCount(ctx, o)
		})
	builtin(g, OpSpec{ID: OpStockAdjustment, Name: "Inventory adjustment", Permission: perm(OpStockAdjustment), Offline: true, Group: GroupInventory,
		Doc: "Adjust a product's on hand with a reason code (damaged, theft, expired, found …); journaled with the operator and reason and sent to the server."},
		func(r *Register, ctx context.Context, o StockAdjustment, a *authority) (Result, error) {
			return r.adjustStock(ctx, o, a)
		})
	builtin(g, OpSpec{ID: OpPostStockCount, Name: "Post stock count", Permission: perm(OpPostStockCount), Offline: true, Group: GroupInventory,
		Doc: "Post a count after its variance review: each counted product's on hand becomes what was counted (plus what moved since), on the store server when it gets the post."},
		func(r *Register, ctx context.Context, o PostStockCount, _ *authority) (Result, error) {
			return r.postCount(ctx, o)
		})
}
