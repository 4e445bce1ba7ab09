package tillsync_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/offline/demo"
	"github.com/opentill/opentill/pos"
	"github.com/opentill/opentill/pos/catalog"
	"github.com/opentill/opentill/pos/money"
)

// TestPriceUnitsComeFromTheServer: a product priced per 50 units reaches a
// till on its first download and a change of it on a later pass, and the
// till prices a line from it as the server meant: 10.00 per 50 screws is
// 0.60 for three.
func TestPriceUnitsComeFromTheServer(t *testing.T) {
	s := startServer(t, 20)
	screws := catalog.Product{ID: "SCREW-4x40", Name: "Screws 4x40", Category: "Hardware", Unit: catalog.Each.ID,
		Price: 1000, PriceUnit: 50 * catalog.One, TaxGroup: demo.TaxStandard}
	require.NoError(t, s.St.PutProducts(ctx, []catalog.Product{screws}))
	tl := newTill(t, s, "T01", s.URL)
	pass(t, tl)

	lineOf := func(id string) money.Amount {
		t.Helper()
		setup, err := tl.St.LoadSetup(ctx)
		require.NoError(t, err)
		r := pos.NewRegister(setup, tl.St, pos.Options{})
		_, err = r.Do(ctx, pos.SignIn{OperatorID: "1001", Secret: "1234"})
		require.NoError(t, err)
		if _, err := r.Do(ctx, pos.OpenShift{StartAmount: 10000}); err != nil {
			require.Contains(t, err.Error(), "open")
		}
		_, err = r.Do(ctx, pos.ProductSale{ProductID: id, Qty: 3 * catalog.One})
		require.NoError(t, err)
		c := r.Cart()
		require.Len(t, c.Lines, 1)
		return c.Lines[0].Net
	}
	got, err := tl.St.ByID(ctx, screws.ID)
	require.NoError(t, err)
	assert.Equal(t, 50*catalog.One, got.PriceUnit, "first download")
	assert.Equal(t, money.Amount(60), lineOf(screws.ID))

	screws.PriceUnit = 100 * catalog.One
	require.NoError(t, s.St.PutProducts(ctx, []catalog.Product{screws}))
	pass(t, tl)
	got, err = tl.St.ByID(ctx, screws.ID)
	require.NoError(t, err)
	assert.Equal(t, 100*catalog.One, got.PriceUnit, "a later change")
	assert.Equal(t, money.Amount(30), lineOf(screws.ID))

	screws.PriceUnit = -catalog.One
	require.Error(t, s.St.PutProducts(ctx, []catalog.Product{screws}), "a negative price unit is refused on the server")
}
