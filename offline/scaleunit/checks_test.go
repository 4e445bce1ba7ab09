package scaleunit_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/offline/api"
	"github.com/opentill/opentill/offline/demo"
	"github.com/opentill/opentill/offline/scaleunit"
	"github.com/opentill/opentill/offline/scaleunit/sutest"
	"github.com/opentill/opentill/pos/barcode"
	"github.com/opentill/opentill/pos/catalog"
	"github.com/opentill/opentill/pos/staff"
)

// TestStorageRefusesWhatATillCannotUse: the storage's own checks, which
// every command and the admin API go through, refuse a record a till
// could not use (ErrInvalid, naming it) and change no feed.
func TestStorageRefusesWhatATillCannotUse(t *testing.T) {
	sutest.Each(t, testStorageRefusesWhatATillCannotUse)
}

func testStorageRefusesWhatATillCannotUse(t *testing.T, backend string) {
	st, _ := sutest.Open(t, backend)
	require.NoError(t, scaleunit.Seed(ctx, st, 5, nil))
	tea := func(edit func(p *catalog.Product)) []catalog.Product {
		p := catalog.Product{ID: "TEA", Name: "Tea", Unit: "ea", Price: 100, TaxGroup: demo.TaxStandard}
		edit(&p)
		return []catalog.Product{p}
	}
	tests := []struct {
		name    string
		dataset string
		call    func() error
		says    string
	}{
		{"a product of no store's tax group", api.DatasetProducts,
			func() error { return st.PutProducts(ctx, tea(func(p *catalog.Product) { p.TaxGroup = "LUX" })) }, `no store's setup has tax group "LUX"`},
		{"a barcode with a wrong check digit", api.DatasetProducts,
			func() error {
				return st.PutProducts(ctx, tea(func(p *catalog.Product) { p.Barcodes = []string{"4006381333932"} }))
			}, "check digit"},
		{"a barcode of no symbology", api.DatasetProducts,
			func() error {
				return st.PutProducts(ctx, tea(func(p *catalog.Product) { p.Barcodes = []string{"12345"} }))
			}, `barcode "12345"`},
		{"a negative price", api.DatasetProducts,
			func() error { return st.PutProducts(ctx, tea(func(p *catalog.Product) { p.Price = -1 })) }, "negative"},
		{"a picture the server lacks", api.DatasetProducts,
			func() error {
				return st.PutProducts(ctx, tea(func(p *catalog.Product) { p.Image = strings.Repeat("0", 64) }))
			}, "does not hold"},
		{"a picture named by something else", api.DatasetProducts,
			func() error { return st.PutProducts(ctx, tea(func(p *catalog.Product) { p.Image = "tea.png" })) }, "not a picture's key"},
		{"a product twice", api.DatasetProducts,
			func() error {
				return st.PutProducts(ctx, append(tea(func(*catalog.Product) {}), tea(func(*catalog.Product) {})...))
			}, "twice"},
		{"a negative price change", api.DatasetPrices,
			func() error { return st.SetPrices(ctx, []api.PriceChange{{ProductID: demo.Featured[0].ID, Price: -1}}) }, "negative"},
		{"a role without a name", api.DatasetStaff, func() error { return st.PutRole(ctx, staff.Role{ID: "r"}) }, "needs an ID and a name"},
		{"a role's negative limit", api.DatasetStaff,
			func() error {
				return st.PutRole(ctx, staff.Role{ID: "r", Name: "R", Limits: staff.Limits{MaxReturnAmount: -1}})
			}, "limits.max_return_amount"},
		{"a role's permission 0", api.DatasetStaff,
			func() error {
				return st.PutRole(ctx, staff.Role{ID: "r", Name: "R", Permissions: []staff.Permission{0}})
			}, "permission 0"},
		{"an operator without a role", api.DatasetStaff,
			func() error {
				return st.PutOperatorPIN(ctx, staff.Operator{ID: "o", Name: "O"}, "123456", staff.FastParams)
			}, "a name and a role"},
		{"a PIN too short", api.DatasetStaff,
			func() error {
				return st.PutOperatorPIN(ctx, staff.Operator{ID: "o", Name: "O", RoleID: "cashier"}, "12 ", staff.FastParams)
			}, "at least 4 characters"},
		{"a PIN too long", api.DatasetStaff,
			func() error {
				return st.PutOperatorPIN(ctx, staff.Operator{ID: "o", Name: "O", RoleID: "cashier"}, strings.Repeat("9", 129), staff.FastParams)
			}, "at most 128"},
		{"a terminal ID with a space", api.DatasetConfig,
			func() error { _, err := st.PutTill(ctx, demo.StoreID, "T 1"); return err }, "terminal ID"},
		{"a document the server keeps none of", api.DatasetConfig,
			func() error { return st.DeleteDocument(ctx, demo.StoreID, "receipt/menu") }, "no store document"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			before, err := st.Feed(ctx, demo.StoreID, tc.dataset, 0, 10_000, false)
			require.NoError(t, err)
			err = tc.call()
			require.ErrorIs(t, err, scaleunit.ErrInvalid)
			assert.Contains(t, err.Error(), tc.says)
			after, err := st.Feed(ctx, demo.StoreID, tc.dataset, before.NextCursor, 10_000, false)
			require.NoError(t, err)
			assert.Empty(t, after.Changes, "no feed changed")
		})
	}

	t.Run("a product is kept by its barcodes' lookup keys, as its own item", func(t *testing.T) {
		ps := tea(func(p *catalog.Product) { p.Barcodes = []string{"036000291452", "0036000291452"} })
		require.NoError(t, st.PutProducts(ctx, ps))
		key, err := barcode.Normalize("036000291452")
		require.NoError(t, err)
		page, err := st.Feed(ctx, demo.StoreID, api.DatasetProducts, 0, 10_000, false)
		require.NoError(t, err)
		last := page.Changes[len(page.Changes)-1].Product
		require.NotNil(t, last)
		assert.Equal(t, "TEA", last.ItemID)
		assert.Equal(t, []string{key}, last.Barcodes, "the UPC-A and its EAN-13 are one code")
	})
	t.Run("a document removed leaves the tills", func(t *testing.T) {
		require.NoError(t, st.PutDocument(ctx, demo.StoreID, "receipt/x", []byte("[[block]]\ntype = \"text\"\ntext = \"X\"\n")))
		require.NoError(t, st.DeleteDocument(ctx, demo.StoreID, "receipt/x"))
		_, err := st.Document(ctx, demo.StoreID, "receipt/x")
		require.ErrorIs(t, err, scaleunit.ErrNotFound)
		require.ErrorIs(t, st.DeleteDocument(ctx, demo.StoreID, "receipt/x"), scaleunit.ErrNotFound)
		require.ErrorIs(t, st.DeleteDocument(ctx, "S9999", "receipt/x"), scaleunit.ErrNotFound)
		page, err := st.Feed(ctx, demo.StoreID, api.DatasetConfig, 0, 10_000, false)
		require.NoError(t, err)
		last := page.Changes[len(page.Changes)-1]
		assert.Equal(t, api.Change{Seq: last.Seq, Key: "doc:receipt/x", Deleted: true}, last)
	})
}
