package storetest

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/pos/catalog"
	"github.com/opentill/opentill/pos/poserr"
)

// seeded returns the default seed's product with id.
func seeded(t *testing.T, id string) catalog.Product {
	t.Helper()
	for _, p := range Default(t).Products {
		if p.ID == id {
			return p
		}
	}
	t.Fatalf("the default seed has no product %s", id)
	return catalog.Product{}
}

// sameProduct compares products, treating no barcodes and an empty list alike.
func sameProduct(t *testing.T, want, got catalog.Product) {
	t.Helper()
	if len(want.Barcodes) == 0 {
		want.Barcodes = nil
	}
	if len(got.Barcodes) == 0 {
		got.Barcodes = nil
	}
	assert.Equal(t, want, got)
}

func testCatalog(t *testing.T, open Open) {
	st := open(t, Default(t))

	t.Run("by barcode", func(t *testing.T) {
		tests := []struct{ code, want string }{
			{"4006381333931", "10001"},
			{"2100042000001", "10042"},
			{"4012345100028", "20001-M"},
			{"0012345100025", "20001-M"}, // a second barcode of the same product
			{" 4012345300022 ", "30002"}, // surrounding spaces are ignored
		}
		for _, tt := range tests {
			p, err := st.ByBarcode(ctx, tt.code)
			require.NoError(t, err, tt.code)
			sameProduct(t, seeded(t, tt.want), p)
		}
	})
	t.Run("by product ID", func(t *testing.T) {
		for _, id := range []string{"10001", "10042", "20001-S", "30003", " 20002 "} {
			p, err := st.ByID(ctx, id)
			require.NoError(t, err, id)
			sameProduct(t, seeded(t, strings.TrimSpace(id)), p)
		}
	})
	t.Run("misses are NotFound", func(t *testing.T) {
		tests := []struct {
			name string
			find func() (catalog.Product, error)
			says string
		}{
			{"unknown barcode", func() (catalog.Product, error) { return st.ByBarcode(ctx, "4006381333948") }, "4006381333948"},
			{"empty barcode", func() (catalog.Product, error) { return st.ByBarcode(ctx, "") }, "barcode"},
			{"product ID as barcode", func() (catalog.Product, error) { return st.ByBarcode(ctx, "10001") }, "10001"},
			{"unknown product", func() (catalog.Product, error) { return st.ByID(ctx, "99999") }, "99999"},
			{"item ID of variants", func() (catalog.Product, error) { return st.ByID(ctx, "20001") }, "20001"},
			{"barcode as product ID", func() (catalog.Product, error) { return st.ByID(ctx, "4006381333931") }, "4006381333931"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				p, err := tt.find()
				requireKind(t, err, poserr.NotFound)
				assert.Contains(t, err.Error(), tt.says)
				assert.Empty(t, p.ID)
			})
		}
	})
	t.Run("a price for several units is kept", func(t *testing.T) {
		screws := catalog.Product{ID: "90001", ItemID: "90001", Name: "Screws 4x40", Category: "Hardware", Unit: catalog.Each.ID,
			Price: 1000, PriceUnit: 50 * catalog.One, TaxGroup: "STD", Barcodes: []string{"4006381333948"}}
		st := open(t, Seed{Products: []catalog.Product{screws}})
		for _, find := range []func() (catalog.Product, error){
			func() (catalog.Product, error) { return st.ByID(ctx, "90001") },
			func() (catalog.Product, error) { return st.ByBarcode(ctx, "4006381333948") },
		} {
			p, err := find()
			require.NoError(t, err)
			sameProduct(t, screws, p)
		}
		bad := screws
		bad.ID, bad.Barcodes, bad.PriceUnit = "90002", nil, -catalog.One
		requireKind(t, st.(Seeder).PutProduct(ctx, bad), poserr.Invalid)
		_, err := st.ByID(ctx, "90002")
		requireKind(t, err, poserr.NotFound)
	})
	t.Run("a returned product is a copy", func(t *testing.T) {
		p, err := st.ByID(ctx, "20001-M")
		require.NoError(t, err)
		p.Barcodes[0] = "0000000000000"
		again, err := st.ByID(ctx, "20001-M")
		require.NoError(t, err)
		assert.Equal(t, "4012345100028", again.Barcodes[0])
	})
}

func ids(ps []catalog.Product) []string {
	out := []string{}
	for _, p := range ps {
		out = append(out, p.ID)
	}
	return out
}

func testSearch(t *testing.T, open Open) {
	st := open(t, Default(t))
	tests := []struct {
		name    string
		query   string
		limit   int
		want    []string
		ordered bool // names are ranked differently by each store: compare as a set
	}{
		{"exact barcode", "4006381333931", 0, []string{"10001"}, true},
		{"product ID", "10001", 0, []string{"10001"}, true},
		{"item ID finds its variants, by product ID", "20001", 0, []string{"20001-M", "20001-S"}, true},
		{"item-ID prefix, by item ID then product ID", "2000", 0, []string{"20001-M", "20001-S", "20002"}, true},
		{"barcode prefix, by barcode", "4012345", 0, []string{"20001-S", "20001-M", "20002", "30001", "30002"}, true},
		{"limit", "4012345", 2, []string{"20001-S", "20001-M"}, true},
		{"name word prefix", "choc", 0, []string{"30001", "30003"}, false},
		{"every word, any order", "choc dark", 0, []string{"30001"}, true},
		{"case folded", "HOODIE", 0, []string{"20002"}, true},
		{"accents folded", "creme fraich", 0, []string{"30002"}, true},
		{"accented query", "Bergkäse", 0, []string{"10042"}, true},
		{"words inside names", "rhone", 0, []string{"10002"}, true},
		{"two names", "mil", 0, []string{"10001", "30003"}, false},
		{"search syntax is plain text", `dark* "choc`, 0, []string{"30001"}, true},
		{"operators are words", "choc OR hoodie", 0, []string{}, true},
		{"a word is matched from its start", "hocolate", 0, []string{}, true},
		{"no match", "zzz", 0, []string{}, true},
		{"empty", "", 0, []string{}, true},
		{"blank", "   ", 0, []string{}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := st.Search(ctx, tt.query, tt.limit)
			require.NoError(t, err)
			require.NotNil(t, got, "no match is an empty list, not nil")
			if tt.ordered {
				assert.Equal(t, tt.want, ids(got))
			} else {
				assert.ElementsMatch(t, tt.want, ids(got))
			}
			for _, p := range got {
				sameProduct(t, seeded(t, p.ID), p)
			}
		})
	}
}
