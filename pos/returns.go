package pos

import (
	"context"
	"errors"
	"slices"
	"strings"

	"github.com/opentill/opentill/pos/cart"
	"github.com/opentill/opentill/pos/catalog"
	"github.com/opentill/opentill/pos/money"
	"github.com/opentill/opentill/pos/poserr"
	"github.com/opentill/opentill/pos/tender"
)

func (r *Register) returnProduct(ctx context.Context, o ReturnProduct, a *authority) (Result, error) {
	p, emb, err := r.resolve(ctx, o.Barcode, o.ProductID)
	if err != nil {
		return Result{}, err
	}
	if !p.Flags.Returnable() {
		return Result{}, poserr.E(poserr.Conflict, "error.return.not_returnable", "%s cannot be returned", p.Name)
	}
	l, err := r.newLine(p, strings.TrimSpace(o.Barcode), o.Qty, 0, emb)
	if err != nil && !(errors.Is(err, ErrNeedsPrice) && o.Price > 0) {
		return needsInput(p, err), err
	}
	if o.Price < 0 {
		return Result{}, poserr.E(poserr.Invalid, "error.price.negative", "a price cannot be negative")
	}
	if o.Price > 0 {
		l.UnitPrice = o.Price
		l.Overridden = o.Price != p.Price
	}
	if l.Qty == 0 {
		l.Qty = catalog.One
	}
	l.Qty = -l.Qty
	if err := r.checkReturnLimit(l, a); err != nil {
		return Result{}, err
	}
	r.openCart().ReturnNoReceipt = true
	return r.addLine(l)
}

// checkReturnLimit refuses a return line that would take the transaction's
// returns over the role's maximum return amount.
func (r *Register) checkReturnLimit(l cart.Line, a *authority) error {
	var sum money.Amount
	if r.cart != nil {
		for _, x := range r.cart.Active() {
			if x.IsReturn() {
				sum += -x.Net
			}
		}
	}
	gross := money.Amount(money.MulDiv(int64(-l.Qty), int64(l.UnitPrice), 1000, r.setup.Round)) + l.ReturnDiscount
	sum += gross
	if limit := money.Amount(a.role.Limits.MaxReturnAmount); sum > limit {
		return limitErr("error.return.limit", "returns of %s are over %s's limit of %s: a manager can authorise it", r.amountFmt(sum), a.operator.Name, r.amountFmt(limit))
	}
	return nil
}

func (r *Register) returnTransaction(ctx context.Context, o ReturnTransaction, a *authority) (Result, error) {
	no := strings.TrimSpace(o.ReceiptNo)
	if no == "" {
		return Result{}, poserr.E(poserr.Invalid, "error.return.no_receipt", "enter or scan the receipt number")
	}
	orig, returned, err := r.findSale(ctx, no)
	if err != nil {
		return Result{}, err
	}
	if orig.Status != cart.Completed {
		return Result{}, poserr.E(poserr.Conflict, "error.return.not_completed", "receipt %s is a %s transaction and cannot be returned", no, orig.Status)
	}
	left := map[int]catalog.Qty{}
	for _, l := range orig.Active() {
		if l.IsReturn() || !l.Flags.Returnable() {
			continue
		}
		q := l.Qty - returned[l.No] - r.inCartReturn(orig.ID, l.No)
		if q > 0 {
			left[l.No] = q
		}
	}
	sel := o.Lines
	if len(sel) == 0 {
		for _, l := range orig.Active() {
			if left[l.No] > 0 {
				sel = append(sel, ReturnLine{LineNo: l.No})
			}
		}
		if len(sel) == 0 {
			return Result{Returnable: left}, poserr.E(poserr.Conflict, "error.return.nothing_left", "everything on receipt %s has already been returned", no)
		}
	}
	var lines []cart.Line
	for _, s := range sel {
		ol := orig.Line(s.LineNo)
		if ol == nil || ol.Voided || ol.IsReturn() {
			return Result{}, poserr.E(poserr.NotFound, "error.return.line_not_found", "receipt %s has no line %d", no, s.LineNo)
		}
		if !ol.Flags.Returnable() {
			return Result{}, poserr.E(poserr.Conflict, "error.return.not_returnable", "%s cannot be returned", ol.Name)
		}
		q := s.Qty
		if q == 0 {
			q = left[ol.No]
		}
		if q <= 0 || q > left[ol.No] {
			return Result{Returnable: left}, poserr.E(poserr.Conflict, "error.return.qty", "only %s of %s on receipt %s can still be returned",
				left[ol.No].Format(ol.UnitDecimals), ol.Name, no)
		}
		lines = append(lines, returnLine(orig, ol, q))
	}
	for _, l := range lines {
		if err := r.checkReturnLimit(l, a); err != nil {
			return Result{}, err
		}
	}
	var res Result
	for _, l := range lines {
		var err error
		if res, err = r.addLine(l); err != nil {
			return Result{}, err
		}
		left[l.ReturnOf.LineNo] += l.Qty
	}
	addRefundTo(r.cart, orig)
	res.Returnable = left
	return res, nil
}

// addRefundTo notes the tenders orig was paid with on c (once each).
func addRefundTo(c *cart.Cart, orig *cart.Cart) {
	for _, t := range orig.ActiveTenders() {
		if t.Amount <= 0 {
			continue // change, refunds
		}
		rt := cart.RefundTender{TypeID: t.TypeID, Name: t.Name, Kind: t.Kind}
		if t.Value != nil {
			rt.Number = t.Value.Number
		}
		if !slices.Contains(c.RefundTo, rt) {
			c.RefundTo = append(c.RefundTo, rt)
		}
	}
}

// refundToOriginal holds a refund to the tenders the returned sales were
// paid with, when the store says so (a manager may approve another); for a
// gift card or memo it returns the original's number when none was given.
func (r *Register) refundToOriginal(c *cart.Cart, tt tender.Type, number string) (string, error) {
	if !r.setup.RefundToOriginal || len(c.RefundTo) == 0 {
		return number, nil
	}
	var names []string
	for _, rt := range c.RefundTo {
		if rt.TypeID == tt.ID && (number == "" || rt.Number == "" || strings.EqualFold(rt.Number, number)) {
			if number == "" {
				number = rt.Number
			}
			return number, nil
		}
		names = append(names, rt.Name)
	}
	if (r.auth != nil && r.auth.approver != nil) || r.role.Manager {
		return number, nil // a manager's call
	}
	e := poserr.E(poserr.LimitExceeded, "error.tender.refund_original",
		"this store refunds to the payment the sale was made with (%s): a manager can approve another", strings.Join(names, ", "))
	e.Args = map[string]any{"tenders": strings.Join(names, ", ")}
	return number, e
}

// returnLine builds the negative line returning q of ol, carrying the
// proportional share of the discounts the customer got on the sale.
func returnLine(orig *cart.Cart, ol *cart.Line, q catalog.Qty) cart.Line {
	return cart.Line{
		ProductID: ol.ProductID, ItemID: ol.ItemID, Barcode: ol.Barcode, Name: ol.Name, Unit: ol.Unit,
		UnitDecimals: ol.UnitDecimals, Qty: -q, UnitPrice: ol.UnitPrice, OriginalPrice: ol.UnitPrice,
		TaxGroup: ol.TaxGroup, Flags: ol.Flags, ReturnDiscount: returnDiscount(ol, q),
		ReturnOf: &cart.ReturnRef{TxnID: orig.ID, ReceiptNo: orig.ReceiptNo, LineNo: ol.No},
	}
}

// inCartReturn is the quantity of an original line already being returned in the open cart.
func (r *Register) inCartReturn(txnID string, lineNo int) catalog.Qty {
	var q catalog.Qty
	if r.cart == nil {
		return 0
	}
	for _, l := range r.cart.Active() {
		if l.ReturnOf != nil && l.ReturnOf.TxnID == txnID && l.ReturnOf.LineNo == lineNo {
			q += -l.Qty
		}
	}
	return q
}

// returnDiscount is the (negative) share of the original line's discounts
// that a return of q units carries back.
func returnDiscount(ol *cart.Line, q catalog.Qty) money.Amount {
	disc := ol.PromoDiscount + ol.LineDiscount + ol.TotalDiscount
	return -money.Amount(money.MulDiv(int64(disc), int64(q), int64(ol.Qty), money.HalfUp))
}

// returnableDiscount checks a new quantity for a return-by-receipt line
// against what the original sale still has to return, and gives the
// discount share that quantity carries back.
func (r *Register) returnableDiscount(ctx context.Context, l *cart.Line, qty catalog.Qty) (money.Amount, error) {
	orig, returned, err := r.findSale(ctx, l.ReturnOf.ReceiptNo)
	if err != nil {
		return 0, err
	}
	ol := orig.Line(l.ReturnOf.LineNo)
	if ol == nil {
		return 0, poserr.E(poserr.NotFound, "error.return.line_not_found", "receipt %s has no line %d", l.ReturnOf.ReceiptNo, l.ReturnOf.LineNo)
	}
	left := ol.Qty - returned[ol.No] - (r.inCartReturn(orig.ID, ol.No) + l.Qty) // l.Qty is negative: add back this line
	if qty > left {
		return 0, poserr.E(poserr.Conflict, "error.return.qty", "only %s of %s on receipt %s can still be returned", left.Format(ol.UnitDecimals), ol.Name, l.ReturnOf.ReceiptNo)
	}
	return returnDiscount(ol, qty), nil
}

// SaleDirectory finds a sale of another till by receipt number (anyStore:
// in any store of the chain), with what the other tills returned of each
// line; the sync engine implements it over the store server. A sale it
// does not know is poserr.NotFound; an unreachable server poserr.Offline.
type SaleDirectory interface {
	Sale(ctx context.Context, receiptNo string, anyStore bool) (*cart.Cart, map[int]catalog.Qty, error)
}

// findSale finds a sale for a return: on this till, with what the other
// tills returned of it when the server answers; else, online, another
// till's (of the store, or of the chain by the store's setting), with what
// this till and the others returned of it.
func (r *Register) findSale(ctx context.Context, no string) (*cart.Cart, map[int]catalog.Qty, error) {
	orig, returned, err := r.store.Transaction(ctx, no)
	local := err == nil
	if err != nil && !poserr.Is(err, poserr.NotFound) {
		return nil, nil, err
	}
	if r.opt.Sales == nil || !r.online() {
		if !local {
			return nil, nil, poserr.E(poserr.NotFound, "error.return.receipt_not_found", "no sale with receipt number %s is on this till", no)
		}
		return orig, returned, nil
	}
	rs, others, rerr := r.opt.Sales.Sale(ctx, no, r.setup.ReturnsAnyStore)
	switch {
	case rerr == nil && local:
		for line, q := range others {
			returned[line] += q // returned at other tills
		}
		return orig, returned, nil
	case local:
		return orig, returned, nil // the server did not answer: this till's count stands
	case rerr == nil:
		mine, err := r.store.ReturnedOf(ctx, rs.ID)
		if err != nil {
			return nil, nil, err
		}
		for line, q := range others {
			mine[line] += q
		}
		return rs, mine, nil
	case poserr.Is(rerr, poserr.NotFound):
		pe := poserr.E(poserr.NotFound, "error.return.receipt_unknown", "no sale with receipt number %s in this store", no)
		pe.Args = map[string]any{"receipt": no}
		return nil, nil, pe
	}
	pe := poserr.Wrap(rerr, poserr.Offline, "error.return.receipt_offline", "receipt %s is not on this till, and the store server cannot be asked for it now", no)
	return nil, nil, pe
}

// returnOps registers returns.
func returnOps(g *Registry) {
	builtin(g, OpSpec{ID: OpReturnProduct, Name: "Return product", Permission: perm(OpReturnProduct), Offline: true, NeedsShift: true, Quote: true, Group: GroupSale,
		Doc: "Return an item without a receipt (a negative line); bounded by the role's return limit."},
		func(r *Register, ctx context.Context, o ReturnProduct, a *authority) (Result, error) {
			return r.returnProduct(ctx, o, a)
		})
	builtin(g, OpSpec{ID: OpReturnTransaction, Name: "Return transaction", Permission: perm(OpReturnTransaction), Offline: true, NeedsShift: true, Group: GroupSale,
		Doc: "Return lines of an earlier sale found by receipt number; returned quantities are tracked."},
		func(r *Register, ctx context.Context, o ReturnTransaction, a *authority) (Result, error) {
			return r.returnTransaction(ctx, o, a)
		})
}
