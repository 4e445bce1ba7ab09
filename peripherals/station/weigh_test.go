package station_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/pos"
	"github.com/opentill/opentill/pos/money"
	"github.com/opentill/opentill/pos/poserr"
	"github.com/opentill/opentill/pos/till"
)

// TestWeighingSendsTheUnitPrice: a price-computing scale is told the
// product's own unit price (or the price keyed in) before it weighs.
func TestWeighingSendsTheUnitPrice(t *testing.T) {
	d := demoDevices(t)
	tl, st, _ := newStation(t, d)
	ctx := context.Background()

	d.VirtualScale.Set(734, true)
	_, err := till.Sell(ctx, tl.Reg, st, pos.ProductSale{Barcode: Bananas})
	require.NoError(t, err)
	assert.Equal(t, money.Amount(199), d.VirtualScale.UnitPrice(), "the bananas' 1.99/kg, not a fixed 1.00")

	_, err = till.Sell(ctx, tl.Reg, st, pos.ProductSale{Barcode: Bananas, Price: 149})
	assert.Equal(t, poserr.LimitExceeded, poserr.KindOf(err), "a cashier's own price is an override: %v", err)
	assert.Equal(t, money.Amount(149), d.VirtualScale.UnitPrice(), "a keyed-in price is the unit price")
}
