package tillsync_test

import (
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/offline/demo"
	"github.com/opentill/opentill/pos"
	"github.com/opentill/opentill/pos/cart"
	"github.com/opentill/opentill/pos/catalog"
	"github.com/opentill/opentill/pos/journal"
	"github.com/opentill/opentill/pos/money"
)

// commitBasket commits a paid sale of the products at st.
func commitBasket(t *testing.T, tl *till, ids ...string) {
	t.Helper()
	setup, err := tl.St.LoadSetup(ctx)
	require.NoError(t, err)
	c := &cart.Cart{ID: uuid.Must(uuid.NewV7()).String(), Store: setup.StoreID, Terminal: setup.TerminalID, Operator: "1001",
		Currency: money.EUR, Status: cart.Completed, Started: t0, Finished: t0.Add(time.Minute)}
	for i, id := range ids {
		p, err := tl.St.ByID(ctx, id)
		require.NoError(t, err)
		c.Lines = append(c.Lines, cart.Line{No: i + 1, ProductID: p.ID, ItemID: p.ItemID, Name: p.Name, Unit: p.Unit,
			UnitDecimals: p.UnitDecimals(), Qty: catalog.One, UnitPrice: p.Price, OriginalPrice: p.Price, TaxGroup: p.TaxGroup, Flags: p.Flags})
		if p.Flags.Weighed {
			c.Lines[i].Qty = 500
		}
	}
	require.NoError(t, c.Reprice(setup.Pricing()))
	c.Tenders = []cart.Tender{{No: 1, TypeID: demo.TenderCard, Name: "Card", Kind: cart.Card, Amount: c.Totals.Total}}
	require.NoError(t, c.Reprice(setup.Pricing()))
	require.NoError(t, tl.St.Commit(ctx, c, journal.Entry{Time: t0, Kind: journal.Sale, Operator: "1001"}))
}

// TestRecommendationsFromEveryStore: two tills' sales reach the server,
// which counts what was bought together; the lists come down in a feed and
// a till suggests, offline, what goes with the cart.
func TestRecommendationsFromEveryStore(t *testing.T) {
	s := startServer(t, 50)
	a := newTill(t, s, "T01", s.URL)
	b := newTill(t, s, "T02", s.URL)
	require.NoError(t, a.Eng.Pass(ctx))
	require.NoError(t, b.Eng.Pass(ctx))
	// Breakfast at both tills: milk, bread and butter; a party at one.
	for range 3 {
		commitBasket(t, a, "10000", "10006", "10001")
		commitBasket(t, b, "10000", "10006", "10001", "10007")
		commitBasket(t, b, "10021", "10020")
	}
	require.NoError(t, a.Eng.Pass(ctx))
	require.NoError(t, b.Eng.Pass(ctx))
	n, err := s.St.RefreshRecommendations(ctx)
	require.NoError(t, err)
	assert.Positive(t, n)
	again, err := s.St.RefreshRecommendations(ctx)
	require.NoError(t, err)
	assert.Zero(t, again, "nothing new, nothing published")
	require.NoError(t, a.Eng.Pass(ctx))

	now := time.Now()
	reg := register(t, a, &now)
	_, err = reg.Do(ctx, pos.OpenShift{StartAmount: 0})
	require.NoError(t, err)
	_, err = reg.Do(ctx, pos.ProductSale{Barcode: "4000000000013"}) // milk
	require.NoError(t, err)
	res, err := reg.Do(ctx, pos.Recommendations{})
	require.NoError(t, err)
	var got []string
	for _, p := range res.Recommended {
		got = append(got, p.ID)
	}
	require.NotEmpty(t, got)
	assert.Subset(t, got[:2], []string{"10006", "10001"}, "bread and butter go with milk: %v", got)
	assert.NotContains(t, got, "10000", "not what is already in the cart")

	res, err = reg.Do(ctx, pos.Recommendations{ProductID: "10021"})
	require.NoError(t, err)
	require.NotEmpty(t, res.Recommended)
	assert.Equal(t, "10020", res.Recommended[0].ID, "cola with beer")
}
