package storetest

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/pos/catalog"
	"github.com/opentill/opentill/pos/poserr"
	"github.com/opentill/opentill/pos/staff"
)

// testSeeding checks the Seeder methods of a store that has them: products
// are replaced with their barcodes, and bad records are refused.
func testSeeding(t *testing.T, open Open) {
	st := open(t, Default(t))
	sd, ok := st.(Seeder)
	if !ok {
		t.Skipf("%T has no seeding methods", st)
	}
	t.Run("a product is replaced with its barcodes", func(t *testing.T) {
		p := seeded(t, "20001-M")
		p.Name, p.Price, p.Barcodes = "T-Shirt Basic (new)", 1299, []string{" 4012345100035 ", ""}
		require.NoError(t, sd.PutProduct(ctx, p))
		_, err := st.ByBarcode(ctx, "4012345100028")
		requireKind(t, err, poserr.NotFound)
		got, err := st.ByBarcode(ctx, "4012345100035")
		require.NoError(t, err)
		assert.Equal(t, "T-Shirt Basic (new)", got.Name)
		assert.Equal(t, []string{"4012345100035"}, got.Barcodes, "barcodes are trimmed, blanks dropped")
		found, err := st.Search(ctx, "new", 0)
		require.NoError(t, err)
		assert.Equal(t, []string{"20001-M"}, ids(found), "the new name is searched")
		found, err = st.Search(ctx, "2000", 0)
		require.NoError(t, err)
		assert.Equal(t, []string{"20001-M", "20001-S", "20002"}, ids(found), "the product is not listed twice")
	})
	t.Run("defaults", func(t *testing.T) {
		require.NoError(t, sd.PutProduct(ctx, catalog.Product{ID: " 40001 ", Name: "Loose item", Price: 100, TaxGroup: "STD"}))
		got, err := st.ByID(ctx, "40001")
		require.NoError(t, err)
		assert.Equal(t, "40001", got.ItemID, "the item ID defaults to the product ID")
		assert.Equal(t, "ea", got.Unit)
	})
	t.Run("bad records are refused", func(t *testing.T) {
		tests := []struct {
			name string
			put  func() error
		}{
			{"product without ID", func() error { return sd.PutProduct(ctx, catalog.Product{Name: "x"}) }},
			{"barcode with a space", func() error {
				return sd.PutProduct(ctx, catalog.Product{ID: "50001", Name: "x", Barcodes: []string{"123 456"}})
			}},
			{"another product's barcode", func() error {
				return sd.PutProduct(ctx, catalog.Product{ID: "50002", Name: "x", Barcodes: []string{"4006381333931"}})
			}},
			{"a barcode twice", func() error {
				return sd.PutProduct(ctx, catalog.Product{ID: "50003", Name: "x", Barcodes: []string{"111", "111"}})
			}},
			{"role without ID", func() error { return sd.PutRole(ctx, staff.Role{Name: "x"}) }},
			{"operator without ID", func() error { return sd.PutOperator(ctx, staff.Operator{Name: "x", PasswordHash: hash(t, CashierPIN)}) }},
			{"operator with a plain PIN", func() error { return sd.PutOperator(ctx, staff.Operator{ID: "9001", PasswordHash: "1234"}) }},
			{"setup without terminal", func() error { return sd.SaveSetup(ctx, posSetup(StoreID, "")) }},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) { requireKind(t, tt.put(), poserr.Invalid) })
		}
		for _, id := range []string{"50001", "50002", "50003"} {
			_, err := st.ByID(ctx, id)
			requireKind(t, err, poserr.NotFound)
		}
		_, err := st.Operator(ctx, "9001")
		requireKind(t, err, poserr.NotFound)
		p, err := st.ByBarcode(ctx, "4006381333931")
		require.NoError(t, err)
		assert.Equal(t, "10001", p.ID, "the barcode stays with its product")
	})
}
