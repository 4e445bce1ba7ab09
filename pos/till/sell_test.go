package till_test

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/pos"
	"github.com/opentill/opentill/pos/cart"
	"github.com/opentill/opentill/pos/catalog"
	"github.com/opentill/opentill/pos/money"
	"github.com/opentill/opentill/pos/poserr"
	"github.com/opentill/opentill/pos/till"
)

// fakeTill is a register for the service: sales and shifts.
type fakeTill struct {
	*fakeRegister
	*fakeShifts
}

// Products of the fake register.
var (
	milk    = catalog.Product{ID: "milk", Name: "Milk"}
	bananas = catalog.Product{ID: "bananas", Name: "Bananas", Flags: catalog.Flags{Weighed: true}}
	wrap    = catalog.Product{ID: "wrap", Name: "Gift wrap"}
	// odd is sold by weight and its price is keyed in.
	odd = catalog.Product{ID: "odd", Name: "Odd", Flags: catalog.Flags{Weighed: true}}
)

// fakeRegister answers product sales the way pos.Register does: a weighed
// item without a quantity and an item without its keyed-in price are
// refused with the typed outcome.
type fakeRegister struct {
	ops []pos.ProductSale
}

func (r *fakeRegister) Do(_ context.Context, op pos.Operation) (pos.Result, error) {
	sale := op.(pos.ProductSale)
	r.ops = append(r.ops, sale)
	var p catalog.Product
	switch {
	case sale.Barcode == "milk" || sale.ProductID == "milk":
		p = milk
	case sale.Barcode == "bananas" || sale.ProductID == "bananas":
		p = bananas
	case sale.Barcode == "wrap" || sale.ProductID == "wrap":
		p = wrap
	case sale.Barcode == "odd" || sale.ProductID == "odd":
		p = odd
	default:
		return pos.Result{}, poserr.E(poserr.NotFound, "error.item.not_found", "no product has barcode %s", sale.Barcode)
	}
	if p.Flags.Weighed && sale.Qty == 0 {
		return pos.Result{NeedsWeight: &p}, poserr.Sentinel(pos.ErrNeedsWeight, poserr.Invalid, "error.item.needs_weight", "%s is sold by weight", p.Name)
	}
	if (p.ID == "wrap" || p.ID == "odd") && sale.Price == 0 {
		return pos.Result{NeedsPrice: &p}, poserr.Sentinel(pos.ErrNeedsPrice, poserr.Invalid, "error.item.needs_price", "enter the price of %s", p.Name)
	}
	qty := sale.Qty
	if qty == 0 {
		qty = catalog.One
	}
	return pos.Result{Line: &cart.Line{ProductID: p.ID, Name: p.Name, Qty: qty, UnitPrice: sale.Price}}, nil
}

// fakeScale weighs what it is told to.
type fakeScale struct {
	weight catalog.Qty
	err    error
	manual bool
	weighs int
}

func (s *fakeScale) Weigh(context.Context, money.Amount) (catalog.Qty, error) {
	s.weighs++
	return s.weight, s.err
}

func (s *fakeScale) ManualWeight() bool { return s.manual }

var errMotion = poserr.E(poserr.Device, "error.scale.motion", "the scale is still moving")

func TestSell(t *testing.T) {
	for _, tc := range []struct {
		name    string
		op      pos.ProductSale
		scale   *fakeScale // nil: no scale
		ask     till.Ask
		product string            // the product asked about
		qty     catalog.Qty       // the line's quantity when sold
		errIs   []error           // the error wraps these
		weight  bool              // the error is a *WeightError
		ops     []pos.ProductSale // what the register was asked
		weighs  int
	}{
		{name: "an ordinary item sells at once", op: pos.ProductSale{Barcode: "milk"}, scale: &fakeScale{weight: 500},
			qty: catalog.One, ops: []pos.ProductSale{{Barcode: "milk"}}},
		{name: "a weighed item with a quantity does not weigh", op: pos.ProductSale{Barcode: "bananas", Qty: 250}, scale: &fakeScale{weight: 500},
			qty: 250, ops: []pos.ProductSale{{Barcode: "bananas", Qty: 250}}},
		{name: "a weighed item sells with the stable weight, by ID, at the price given", op: pos.ProductSale{Barcode: "bananas", Price: 199}, scale: &fakeScale{weight: 734},
			qty: 734, weighs: 1, ops: []pos.ProductSale{{Barcode: "bananas", Price: 199}, {ProductID: "bananas", Qty: 734, Price: 199}}},
		{name: "without a scale the weight is asked for", op: pos.ProductSale{Barcode: "bananas"},
			ask: till.AskWeight, product: "bananas", errIs: []error{pos.ErrNeedsWeight}, ops: []pos.ProductSale{{Barcode: "bananas"}}},
		{name: "a station without a scale asks for the weight", op: pos.ProductSale{Barcode: "bananas"}, scale: &fakeScale{err: till.ErrNoScale},
			ask: till.AskWeight, product: "bananas", errIs: []error{pos.ErrNeedsWeight}, weighs: 1, ops: []pos.ProductSale{{Barcode: "bananas"}}},
		{name: "no stable weight, keying in allowed: the weight is asked for", op: pos.ProductSale{Barcode: "bananas"}, scale: &fakeScale{err: errMotion, manual: true},
			ask: till.AskWeight, product: "bananas", errIs: []error{pos.ErrNeedsWeight, errMotion}, weight: true, weighs: 1, ops: []pos.ProductSale{{Barcode: "bananas"}}},
		{name: "no stable weight, keying in not allowed: the refusal", op: pos.ProductSale{Barcode: "bananas"}, scale: &fakeScale{err: errMotion},
			errIs: []error{pos.ErrNeedsWeight, errMotion}, weight: true, weighs: 1, ops: []pos.ProductSale{{Barcode: "bananas"}}},
		{name: "a keyed-in price is asked for", op: pos.ProductSale{Barcode: "wrap"}, scale: &fakeScale{weight: 500},
			ask: till.AskPrice, product: "wrap", errIs: []error{pos.ErrNeedsPrice}, ops: []pos.ProductSale{{Barcode: "wrap"}}},
		{name: "a weighed item whose price is keyed in asks for the price after weighing", op: pos.ProductSale{Barcode: "odd"}, scale: &fakeScale{weight: 300},
			ask: till.AskPrice, product: "odd", errIs: []error{pos.ErrNeedsPrice}, weighs: 1,
			ops: []pos.ProductSale{{Barcode: "odd"}, {ProductID: "odd", Qty: 300}}},
		{name: "other refusals are the register's", op: pos.ProductSale{Barcode: "nothing"}, scale: &fakeScale{weight: 500},
			ops: []pos.ProductSale{{Barcode: "nothing"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			reg := &fakeRegister{}
			var s till.Scale
			if tc.scale != nil {
				s = tc.scale
			}
			sale, err := till.Sell(context.Background(), reg, s, tc.op)
			assert.Equal(t, tc.ops, reg.ops, "the register's requests")
			assert.Equal(t, tc.ask, sale.Ask)
			if tc.scale != nil {
				assert.Equal(t, tc.weighs, tc.scale.weighs, "scale readings")
			}
			switch {
			case tc.qty != 0:
				require.NoError(t, err)
				require.NotNil(t, sale.Line)
				assert.Equal(t, tc.qty, sale.Line.Qty)
				assert.Nil(t, sale.Product)
			default:
				require.Error(t, err)
				for _, target := range tc.errIs {
					assert.ErrorIs(t, err, target)
				}
				var we *till.WeightError
				assert.Equal(t, tc.weight, errors.As(err, &we), "a *WeightError")
				if tc.product != "" {
					require.NotNil(t, sale.Product)
					assert.Equal(t, tc.product, sale.Product.ID)
				} else {
					assert.Nil(t, sale.Product)
				}
			}
		})
	}
}

// The weight error reads as the register's refusal and the scale's reason,
// and translates as the register's (the first message key in its chain).
func TestWeightErrorSaysBoth(t *testing.T) {
	refusal := poserr.Sentinel(pos.ErrNeedsWeight, poserr.Invalid, "error.item.needs_weight", "Bananas is sold by weight")
	err := error(&till.WeightError{Scale: errMotion, Err: refusal})
	assert.Equal(t, "Bananas is sold by weight: the scale is still moving", err.Error())
	var pe *poserr.Error
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, "error.item.needs_weight", pe.Key)
}

// The service sells on its register with its scale.
func TestTillSellsWithItsScale(t *testing.T) {
	reg := &fakeTill{fakeRegister: &fakeRegister{}, fakeShifts: &fakeShifts{}}
	assert.False(t, till.New(reg, till.Options{}).HasScale())
	scale := &fakeScale{weight: 734}
	svc := till.New(reg, till.Options{Scale: scale})
	assert.True(t, svc.HasScale())
	sale, err := svc.Sell(context.Background(), pos.ProductSale{Barcode: "bananas"})
	require.NoError(t, err)
	assert.Equal(t, catalog.Qty(734), sale.Line.Qty)
	assert.Equal(t, 1, scale.weighs)
}

func TestAskNames(t *testing.T) {
	assert.Equal(t, "weight", till.AskWeight.String())
	assert.Equal(t, "price", till.AskPrice.String())
	assert.Equal(t, "nothing", till.AskNothing.String())
}
