package till

import (
	"cmp"
	"context"
	"errors"

	"github.com/opentill/opentill/pos"
	"github.com/opentill/opentill/pos/catalog"
	"github.com/opentill/opentill/pos/money"
)

// Scale weighs an item for a sale. The devices' station implements it over
// the hardware profile's scale.
type Scale interface {
	// Weigh waits for a stable weight on the scale, until ctx ends or the
	// scale's own time limit passes; unitPrice is the item's price per unit
	// of weight, which price-computing scales (Dialog 06) are sent first.
	// It returns ErrNoScale when the till has none.
	Weigh(ctx context.Context, unitPrice money.Amount) (catalog.Qty, error)
	// ManualWeight reports whether the cashier may key the weight in when
	// the scale gives none.
	ManualWeight() bool
}

// ErrNoScale: the till has no scale to weigh on; key the weight in.
var ErrNoScale = errors.New("this till has no scale: key the weight in")

// Ask is what the cashier must key in before an item can be sold.
type Ask int

// What a sale may ask for.
const (
	AskNothing Ask = iota // the sale went through, or failed for another reason
	AskWeight             // the item is sold by weight and the weight is to be keyed in
	AskPrice              // the item's price is keyed in
)

// String returns nothing, weight or price.
func (a Ask) String() string {
	switch a {
	case AskWeight:
		return "weight"
	case AskPrice:
		return "price"
	}
	return "nothing"
}

// Sale is what Sell came to: the register's result and, when the item
// waits for the cashier, what to ask for and about which product. Sell the
// product again with what the cashier keyed in: by its ID with the weight
// as the quantity, or the same request with the price.
type Sale struct {
	pos.Result
	Ask     Ask
	Product *catalog.Product // the product to ask about (with Ask)
}

// WeightError is the refusal of a weighed item the scale gave no weight
// for. It unwraps to the register's refusal (pos.ErrNeedsWeight) and to the
// scale's reason.
type WeightError struct {
	Scale error // why the scale gave no stable weight
	Err   error // the register's refusal
}

func (e *WeightError) Error() string { return e.Err.Error() + ": " + e.Scale.Error() }

// Unwrap returns the register's refusal and the scale's reason.
func (e *WeightError) Unwrap() []error { return []error{e.Err, e.Scale} }

// Sell runs a product sale on r. A weighed item sold without a quantity is
// weighed on s (nil: no scale) and sold again by its ID with the stable
// weight and the price asked for. It asks the cashier for the weight
// (Sale.Ask is AskWeight, the error is the register's refusal) when there is
// no scale, or when the scale gave no weight and the cashier may key it in;
// when they may not, the error is a *WeightError. An item whose price is keyed
// in asks for the price (AskPrice). Every other outcome is the register's.
func Sell(ctx context.Context, r Doer, s Scale, op pos.ProductSale) (Sale, error) {
	res, err := r.Do(ctx, op)
	sale := outcome(res, err)
	if !errors.Is(err, pos.ErrNeedsWeight) || res.NeedsWeight == nil {
		return sale, err
	}
	p := res.NeedsWeight
	ask := Sale{Result: res, Ask: AskWeight, Product: p}
	if s == nil {
		return ask, err
	}
	w, werr := s.Weigh(ctx, cmp.Or(op.Price, p.Price))
	switch {
	case errors.Is(werr, ErrNoScale):
		return ask, err
	case werr != nil && s.ManualWeight():
		return ask, &WeightError{Scale: werr, Err: err}
	case werr != nil:
		return sale, &WeightError{Scale: werr, Err: err}
	}
	res, err = r.Do(ctx, pos.ProductSale{ProductID: p.ID, Qty: w, Price: op.Price})
	return outcome(res, err), err
}

// outcome is the sale of a register's answer: a keyed-in price is asked for.
func outcome(res pos.Result, err error) Sale {
	if errors.Is(err, pos.ErrNeedsPrice) && res.NeedsPrice != nil {
		return Sale{Result: res, Ask: AskPrice, Product: res.NeedsPrice}
	}
	return Sale{Result: res}
}
