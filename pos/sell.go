package pos

import (
	"context"
	"errors"

	"strings"

	"github.com/opentill/opentill/pos/barcode"
	"github.com/opentill/opentill/pos/cart"
	"github.com/opentill/opentill/pos/catalog"
	"github.com/opentill/opentill/pos/money"
	"github.com/opentill/opentill/pos/poserr"
)

// embedded is what a scanned code carried besides the product.
type embedded struct {
	qty   catalog.Qty
	price money.Amount
}

// resolve finds the product for a barcode, item ID or product ID. Within
// one operation a lookup the extensions' hooks made is not made again.
func (r *Register) resolve(ctx context.Context, code, productID string) (catalog.Product, embedded, error) {
	if m := r.ext.looked; m.set && m.code == code && m.id == productID {
		r.ext.looked = lookedUp{}
		p := m.p
		p.Barcodes = append([]string(nil), m.p.Barcodes...)
		return p, m.emb, m.err
	}
	return r.lookup(ctx, code, productID)
}

func (r *Register) lookup(ctx context.Context, code, productID string) (catalog.Product, embedded, error) {
	var emb embedded
	if productID != "" {
		p, err := r.store.ByID(ctx, productID)
		return p, emb, err
	}
	code = strings.TrimSpace(code)
	if code == "" {
		return catalog.Product{}, emb, poserr.E(poserr.Invalid, "error.item.empty", "scan a barcode or type an item ID")
	}
	scan, perr := r.parser.Parse(code)
	var pe *poserr.Error
	if errors.As(perr, &pe) && pe.Key == barcode.KeyZeroValue {
		// The catalog's own key of a weighed or priced item (value digits zero),
		// e.g. from a shelf label: find the item; the scale or the cashier gives the value.
		scan, perr = barcode.Scan{Key: code}, nil
	}
	if perr == nil {
		p, err := r.store.ByBarcode(ctx, scan.Key)
		if err == nil {
			switch scan.Embedded {
			case barcode.Weight:
				emb.qty = scan.Weight
			case barcode.Price:
				emb.price = scan.Price
			case barcode.Quantity:
				emb.qty = scan.Quantity
			}
			return p, emb, nil
		}
		if !poserr.Is(err, poserr.NotFound) {
			return p, emb, err
		}
	}
	// Not a known barcode: it may be an item ID typed at the keyboard.
	p, err := r.store.ByID(ctx, code)
	if err == nil {
		return p, emb, nil
	}
	if !poserr.Is(err, poserr.NotFound) {
		return p, emb, err
	}
	if perr != nil && isDigits(code) && len(code) >= 8 {
		return p, emb, perr // a mis-scanned barcode: say what is wrong with it
	}
	return p, emb, poserr.E(poserr.NotFound, "error.item.not_found", "no product has barcode or item ID %s", code)
}

func isDigits(s string) bool {
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return s != ""
}

// newLine builds a line for a product with the quantity and price rules applied.
func (r *Register) newLine(p catalog.Product, code string, qty catalog.Qty, price money.Amount, emb embedded) (cart.Line, error) {
	l := cart.Line{
		ProductID: p.ID, ItemID: p.ItemID, VariantID: p.VariantID, Category: p.Category, Barcode: code, Name: p.Name,
		Unit: p.Unit, UnitDecimals: p.UnitDecimals(), UnitPrice: p.Price, OriginalPrice: p.Price, TaxGroup: p.TaxGroup, Flags: p.Flags,
		CatalogPrice: !p.Flags.MustKeyInPrice, ListPrice: p.Price, PriceUnit: p.PriceUnit,
	}
	if emb.qty != 0 && qty == 0 {
		qty = emb.qty
	}
	if emb.price != 0 {
		// A price-embedded code sells one unit at the printed price.
		l.UnitPrice, l.OriginalPrice = emb.price, emb.price
		l.CatalogPrice, l.ListPrice = false, 0
		if p.Flags.Weighed && p.Price > 0 && qty == 0 {
			// The label price of a weighed item: keep the printed amount exact as one unit.
			qty = catalog.One
		}
	}
	if qty == 0 {
		if p.Flags.Weighed {
			return l, poserr.Sentinel(ErrNeedsWeight, poserr.Invalid, "error.item.needs_weight", "%s is sold by weight: put it on the scale or enter the weight", p.Name)
		}
		qty = catalog.One
	}
	if err := r.checkQty(p.Name, l.UnitDecimals, qty); err != nil {
		return l, err
	}
	l.Qty = qty
	if price != 0 {
		if price < 0 {
			return l, poserr.E(poserr.Invalid, "error.price.negative", "a price cannot be negative")
		}
		l.UnitPrice = price
		if !p.Flags.MustKeyInPrice {
			l.Overridden = true
		}
		if p.Flags.MustKeyInPrice || emb.price != 0 {
			l.CatalogPrice, l.ListPrice = false, 0
		}
	} else if p.Flags.MustKeyInPrice && emb.price == 0 {
		return l, poserr.Sentinel(ErrNeedsPrice, poserr.Invalid, "error.item.needs_price", "enter the price of %s", p.Name)
	}
	return l, nil
}

func (r *Register) checkQty(name string, decimals int, qty catalog.Qty) error {
	if qty <= 0 {
		return poserr.E(poserr.Invalid, "error.qty.positive", "the quantity of %s must be more than zero", name)
	}
	if int64(qty) > r.setup.MaxQuantity {
		return poserr.E(poserr.Invalid, "error.qty.too_large", "%s × %s is more than the till allows (%s)", catalog.Qty(r.setup.MaxQuantity).Format(0), name, catalog.Qty(r.setup.MaxQuantity).Format(0))
	}
	if decimals == 0 && qty%catalog.One != 0 {
		return poserr.E(poserr.Invalid, "error.qty.whole", "%s is sold in whole units", name)
	}
	return nil
}

func (r *Register) productSale(ctx context.Context, o ProductSale) (Result, error) {
	if o.ProductID == "" && o.Qty == 0 && o.Price == 0 {
		if res, ok, err := r.couponScan(strings.TrimSpace(o.Barcode)); ok {
			return res, err
		}
	}
	p, emb, err := r.resolve(ctx, o.Barcode, o.ProductID)
	if err != nil {
		return Result{}, err
	}
	l, err := r.newLine(p, strings.TrimSpace(o.Barcode), o.Qty, o.Price, emb)
	if err != nil {
		return needsInput(p, err), err
	}
	return r.addLine(l)
}

func (r *Register) addLine(l cart.Line) (Result, error) {
	c := r.openCart()
	l.No = c.NextLineNo()
	c.Lines = append(c.Lines, l)
	if err := r.reprice(); err != nil {
		c.Lines = c.Lines[:len(c.Lines)-1]
		return Result{}, err
	}
	added := copyLine(c.Line(l.No))
	r.pending = append([]Event{{Type: LineAdded, Line: added}}, r.pending...)
	return Result{Line: added}, nil
}

// editableLine returns a line that may be changed. Price and quantity
// changes are refused while payments are on the transaction, and on a gift
// card's line (void it and sell it again).
func (r *Register) editableLine(no int, priceAffecting bool) (*cart.Line, error) {
	l, err := r.lineOf(no, priceAffecting)
	if err == nil && priceAffecting && l.Value != nil {
		pe := poserr.E(poserr.Conflict, "error.giftcard.line_fixed", "line %d is a gift card: void the line and sell the card again", no)
		pe.Args = map[string]any{"line": no}
		return nil, pe
	}
	return l, err
}

// lineOf returns an open line; priceAffecting refuses it while payments
// are on the transaction or when a customer order fixed it.
func (r *Register) lineOf(no int, priceAffecting bool) (*cart.Line, error) {
	if r.cart == nil {
		return nil, poserr.E(poserr.Conflict, "error.cart.none", "there is no open transaction")
	}
	l := r.cart.Line(no)
	if l == nil || l.Voided {
		return nil, poserr.E(poserr.NotFound, "error.line.not_found", "line %d is not on the transaction", no)
	}
	if priceAffecting && r.cart.HasPayments() {
		return nil, poserr.E(poserr.Conflict, "error.cart.has_payments", "a payment is on the transaction: void the payment before changing lines")
	}
	if priceAffecting && l.Order != nil {
		// a deposit, a settlement or an order's goods: set by the order
		pe := poserr.E(poserr.Conflict, "error.order.line_fixed", "line %d belongs to customer order %s: void the transaction to start over", no, l.Order.Number)
		pe.Args = map[string]any{"line": no, "number": l.Order.Number}
		return nil, pe
	}
	return l, nil
}

func (r *Register) voidLine(o VoidLine) (Result, error) {
	l, err := r.lineOf(o.Line, true)
	if err != nil {
		return Result{}, err
	}
	l.Voided = true
	if err := r.reprice(); err != nil {
		l.Voided = false
		return Result{}, err
	}
	r.pending = append([]Event{{Type: LineVoided, Line: copyLine(l)}}, r.pending...)
	return Result{Line: copyLine(l)}, nil
}

func (r *Register) setQuantity(ctx context.Context, o SetQuantity) (Result, error) {
	l, err := r.editableLine(o.Line, true)
	if err != nil {
		return Result{}, err
	}
	if err := r.checkQty(l.Name, l.UnitDecimals, o.Qty); err != nil {
		return Result{}, err
	}
	old, oldDisc := l.Qty, l.ReturnDiscount
	if l.IsReturn() {
		if l.ReturnOf != nil {
			d, err := r.returnableDiscount(ctx, l, o.Qty)
			if err != nil {
				return Result{}, err
			}
			l.ReturnDiscount = d
		}
		l.Qty = -o.Qty
	} else {
		l.Qty = o.Qty
	}
	return r.lineChanged(l, func() { l.Qty, l.ReturnDiscount = old, oldDisc })
}

// lineChanged reprices after a change to l, undoing it if repricing fails.
func (r *Register) lineChanged(l *cart.Line, undo func()) (Result, error) {
	if err := r.reprice(); err != nil {
		undo()
		return Result{}, err
	}
	cl := copyLine(l)
	r.pending = append([]Event{{Type: LineChanged, Line: cl}}, r.pending...)
	return Result{Line: cl}, nil
}

func (r *Register) priceOverride(o PriceOverride, a *authority) (Result, error) {
	l, err := r.editableLine(o.Line, true)
	if err != nil {
		return Result{}, err
	}
	if o.Price < 0 {
		return Result{}, poserr.E(poserr.Invalid, "error.price.negative", "a price cannot be negative")
	}
	if l.Flags.NoOverride {
		return Result{}, poserr.E(poserr.Conflict, "error.price.no_override", "the price of %s cannot be overridden", l.Name)
	}
	if l.ReturnOf != nil {
		return Result{}, poserr.E(poserr.Conflict, "error.price.return_line", "the refund price of a returned line comes from the original sale")
	}
	lim := a.role.Limits
	if !lim.AllowPriceOverride {
		return Result{}, limitErr("error.price.override_not_allowed", "%s may not override prices: a manager can authorise it", a.operator.Name)
	}
	if lim.MaxPriceOverrideBP > 0 && o.Price < l.OriginalPrice && l.OriginalPrice > 0 {
		cut := money.MulDiv(int64(l.OriginalPrice-o.Price), 10000, int64(l.OriginalPrice), money.Up)
		if cut > lim.MaxPriceOverrideBP {
			return Result{}, limitErr("error.price.override_limit", "lowering the price by %s%% is over the limit of %s%%: a manager can authorise it", bp(cut), bp(lim.MaxPriceOverrideBP))
		}
	}
	oldPrice, oldOv := l.UnitPrice, l.Overridden
	l.UnitPrice, l.Overridden = o.Price, o.Price != l.OriginalPrice
	return r.lineChanged(l, func() { l.UnitPrice, l.Overridden = oldPrice, oldOv })
}

func (r *Register) lineDiscount(o LineDiscount, a *authority) (Result, error) {
	l, err := r.editableLine(o.Line, true)
	if err != nil {
		return Result{}, err
	}
	if err := validDiscount(o.Percent, o.Amount); err != nil {
		return Result{}, err
	}
	if !l.Flags.Discountable() && (o.Percent != 0 || o.Amount != 0) {
		return Result{}, poserr.E(poserr.Conflict, "error.discount.not_discountable", "%s cannot be discounted", l.Name)
	}
	if l.ReturnOf != nil {
		return Result{}, poserr.E(poserr.Conflict, "error.discount.return_line", "a returned line keeps the discount of the original sale")
	}
	gross := l.Gross - l.PromoDiscount
	if gross < 0 {
		gross = -gross
	}
	if o.Amount > gross {
		return Result{}, poserr.E(poserr.Invalid, "error.discount.too_large", "a discount of %s is more than the line amount %s", r.amountFmt(o.Amount), r.amountFmt(gross))
	}
	if err := checkDiscountLimit(o.Percent, o.Amount, gross, a.role.Limits.MaxLineDiscountBP, a.operator.Name); err != nil {
		return Result{}, err
	}
	old := l.Discount
	l.Discount = cart.Discount{Percent: o.Percent, Amount: o.Amount}
	return r.lineChanged(l, func() { l.Discount = old })
}

func (r *Register) totalDiscount(o TotalDiscount, a *authority) (Result, error) {
	if r.cart == nil || r.cart.IsEmpty() {
		return Result{}, poserr.E(poserr.Conflict, "error.cart.empty", "add items before giving a discount")
	}
	if r.cart.HasPayments() {
		return Result{}, poserr.E(poserr.Conflict, "error.cart.has_payments", "a payment is on the transaction: void the payment before changing the discount")
	}
	if err := validDiscount(o.Percent, o.Amount); err != nil {
		return Result{}, err
	}
	var base money.Amount
	for _, l := range r.cart.Active() {
		if l.ReturnOf == nil && !l.IsReturn() && l.Flags.Discountable() {
			base += l.Gross - l.PromoDiscount - l.LineDiscount
		}
	}
	if base <= 0 && (o.Percent != 0 || o.Amount != 0) {
		return Result{}, poserr.E(poserr.Conflict, "error.discount.nothing_discountable", "no item on the transaction can be discounted")
	}
	if o.Amount > base {
		return Result{}, poserr.E(poserr.Invalid, "error.discount.too_large", "a discount of %s is more than the discountable amount %s", r.amountFmt(o.Amount), r.amountFmt(base))
	}
	if err := checkDiscountLimit(o.Percent, o.Amount, base, a.role.Limits.MaxTotalDiscountBP, a.operator.Name); err != nil {
		return Result{}, err
	}
	old := r.cart.Discount
	r.cart.Discount = cart.Discount{Percent: o.Percent, Amount: o.Amount}
	if err := r.reprice(); err != nil {
		r.cart.Discount = old
		return Result{}, err
	}
	return Result{}, nil
}

func validDiscount(pct int64, amt money.Amount) error {
	switch {
	case pct != 0 && amt != 0:
		return poserr.E(poserr.Invalid, "error.discount.both", "give a discount as a percentage or as an amount, not both")
	case pct < 0 || amt < 0:
		return poserr.E(poserr.Invalid, "error.discount.negative", "a discount cannot be negative")
	case pct > 10000:
		return poserr.E(poserr.Invalid, "error.discount.over_100", "a discount cannot be more than 100%%")
	}
	return nil
}

// checkDiscountLimit compares a discount with a limit in basis points of base.
func checkDiscountLimit(pct int64, amt, base money.Amount, limitBP int64, who string) error {
	eff := pct
	if amt != 0 && base > 0 {
		eff = money.MulDiv(int64(amt), 10000, int64(base), money.Up)
	}
	if eff > limitBP {
		return limitErr("error.discount.limit", "a %s%% discount is over %s's limit of %s%%: a manager can authorise it", bp(eff), who, bp(limitBP))
	}
	return nil
}

func limitErr(key, format string, args ...any) error {
	return poserr.E(poserr.LimitExceeded, key, format, args...)
}

// bp formats basis points as a percentage: 1050 → "10.5".
func bp(v int64) string {
	s := money.Amount(v).Format(2)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	return s
}

// saleOps registers the item and line operations.
func saleOps(g *Registry) {
	builtin(g, OpSpec{ID: OpProductSale, Name: "Product sale", Permission: perm(OpProductSale), Offline: true, NeedsShift: true, Quote: true, Group: GroupSale,
		Doc: "Add an item by barcode (weight/price-embedded codes included), item ID or search result."},
		func(r *Register, ctx context.Context, o ProductSale, _ *authority) (Result, error) {
			return r.productSale(ctx, o)
		})
	builtin(g, OpSpec{ID: OpPriceCheck, Name: "Price check", Permission: perm(OpPriceCheck), Offline: true, Group: GroupLookup,
		Doc: "Show an item's price without adding it."},
		func(r *Register, ctx context.Context, o PriceCheck, _ *authority) (Result, error) {
			p, _, err := r.resolve(ctx, o.Barcode, "")
			if err != nil {
				return Result{}, err
			}
			return Result{Product: &p}, nil
		})
	builtin(g, OpSpec{ID: OpVoidLine, Name: "Void product", Permission: perm(OpVoidLine), Offline: true, Quote: true, Group: GroupSale,
		Doc: "Void a line of the open transaction."},
		func(r *Register, _ context.Context, o VoidLine, _ *authority) (Result, error) { return r.voidLine(o) })
	builtin(g, OpSpec{ID: OpLineComment, Name: "Product comment", Permission: perm(OpLineComment), Offline: true, Quote: true, Group: GroupSale,
		Doc: "Add a comment to a line."},
		func(r *Register, _ context.Context, o LineComment, _ *authority) (Result, error) {
			return r.lineComment(o)
		})
	builtin(g, OpSpec{ID: OpPriceOverride, Name: "Price override", Permission: perm(OpPriceOverride), Offline: true, Quote: true, Group: GroupSale,
		Doc: "Change a line's unit price; needs the role's price-override limit and a product that allows it."},
		func(r *Register, _ context.Context, o PriceOverride, a *authority) (Result, error) {
			return r.priceOverride(o, a)
		})
	builtin(g, OpSpec{ID: OpSetQuantity, Name: "Set quantity", Permission: perm(OpSetQuantity), Offline: true, Quote: true, Group: GroupSale,
		Doc: "Change a line's quantity."},
		func(r *Register, ctx context.Context, o SetQuantity, _ *authority) (Result, error) {
			return r.setQuantity(ctx, o)
		})
	builtin(g, OpSpec{ID: OpProductSearch, Name: "Product search", Permission: perm(OpProductSearch), Offline: true, Group: GroupLookup,
		Doc: "Search the local catalog by name, item ID or barcode."},
		func(r *Register, ctx context.Context, o ProductSearch, _ *authority) (Result, error) {
			limit := o.Limit
			if limit <= 0 || limit > 200 {
				limit = 20
			}
			ps, err := r.store.Search(ctx, o.Query, limit)
			return Result{Products: ps}, err
		})
}

func (r *Register) lineComment(o LineComment) (Result, error) {
	l, err := r.editableLine(o.Line, false)
	if err != nil {
		return Result{}, err
	}
	l.Comment = o.Text
	r.event(Event{Type: LineChanged, Line: copyLine(l)})
	return Result{Line: copyLine(l)}, nil
}

// discountOps registers the manual discounts. One request type serves an
// amount and a percent operation each; its OpID says which.
func discountOps(g *Registry) {
	line := func(r *Register, _ context.Context, o LineDiscount, a *authority) (Result, error) {
		return r.lineDiscount(o, a)
	}
	total := func(r *Register, _ context.Context, o TotalDiscount, a *authority) (Result, error) {
		return r.totalDiscount(o, a)
	}
	builtin(g, OpSpec{ID: OpLineDiscountAmt, Name: "Line discount amount", Permission: perm(OpLineDiscountAmt), Offline: true, Quote: true, Group: GroupDiscount,
		Doc: "Manual amount discount on a line, within the role's limit."}, line)
	builtin(g, OpSpec{ID: OpLineDiscountPct, Name: "Line discount percent", Permission: perm(OpLineDiscountPct), Offline: true, Quote: true, Group: GroupDiscount,
		Doc: "Manual percent discount on a line, within the role's limit."}, line)
	builtin(g, OpSpec{ID: OpTotalDiscountAmt, Name: "Total discount amount", Permission: perm(OpTotalDiscountAmt), Offline: true, Quote: true, Group: GroupDiscount,
		Doc: "Manual amount discount on the transaction, within the role's limit."}, total)
	builtin(g, OpSpec{ID: OpTotalDiscountPct, Name: "Total discount percent", Permission: perm(OpTotalDiscountPct), Offline: true, Quote: true, Group: GroupDiscount,
		Doc: "Manual percent discount on the transaction, within the role's limit."}, total)
	builtin(g, OpSpec{ID: OpAddCoupon, Name: "Add coupon code", Permission: perm(OpAddCoupon), Offline: true, Quote: true, Group: GroupDiscount,
		Doc: "Enter a coupon code or scan a coupon barcode: the promotions it enables apply to the transaction."},
		func(r *Register, _ context.Context, o AddCoupon, _ *authority) (Result, error) { return r.addCoupon(o) })
	builtin(g, OpSpec{ID: OpRemoveCoupon, Name: "Remove coupon", Permission: perm(OpRemoveCoupon), Offline: true, Quote: true, Group: GroupDiscount,
		Doc: "Take a coupon code off the transaction; its promotions no longer apply."},
		func(r *Register, _ context.Context, o RemoveCoupon, _ *authority) (Result, error) {
			return r.removeCoupon(o)
		})
	promotionOps(g)
}
