package store_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/offline/api"
	"github.com/opentill/opentill/offline/apimap"
	"github.com/opentill/opentill/offline/store"
	"github.com/opentill/opentill/pos/customer"
	"github.com/opentill/opentill/pos/journal"
)

func stamped(id, number, first, last, card string, at time.Time, by string) customer.Customer {
	c := customer.Customer{ID: id, Number: number, FirstName: first, LastName: last, LoyaltyCard: card, Store: "S0001",
		Created: at, Updated: at, Version: 1}
	c.StampEdit(nil, customer.Stamp{At: at, By: by})
	return c
}

// TestCustomersFromTheFeed: customers of the server's feed are merged into
// the till's copy, searchable at once; a card another customer holds here
// stays in the profile without taking the card from that customer; a
// removal erases the customer from the till; the till's own saves go up as
// CustomerUploads with one client ID per save.
func TestCustomersFromTheFeed(t *testing.T) {
	s, _ := demoStore(t, 10)
	at := time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC)
	local, err := s.SaveCustomer(ctx, stamped("c-local", "", "Lena", "Lokal", "LC9", at, "S0001/T01"), entry(journal.CustomerSaved, 612))
	require.NoError(t, err)
	items, err := s.OutboxPending(ctx, 10)
	require.NoError(t, err)
	var up api.CustomerUpload
	for _, it := range items {
		if it.Kind == store.OutboxCustomer {
			require.NoError(t, json.Unmarshal(it.Payload, &up))
			assert.Equal(t, it.ID, up.ID, "the upload's id is its client ID")
		}
	}
	require.Equal(t, "c-local", up.Customer.ID)
	require.NoError(t, apimap.CheckCustomer(up.Customer))

	remote := apimap.CustomerOf(stamped("c-remote", "S0002-T01-C000001", "Renate", "Remote", "LC9", at.Add(time.Hour), "S0002/T01"))
	require.NoError(t, s.ApplyPage(ctx, api.DatasetCustomers, []api.Change{{Seq: 1, Key: "c-remote", Customer: &remote}}, 1))
	got, err := s.SearchCustomers(ctx, customer.Query{Text: "renate"})
	require.NoError(t, err)
	require.Len(t, got, 1)
	assert.Equal(t, "LC9", got[0].LoyaltyCard)
	byCard, err := s.Customer(ctx, "LC9")
	require.NoError(t, err)
	assert.Equal(t, local.ID, byCard.ID, "the card still finds the customer who holds it here")

	// A later edit from the server merges into the local copy.
	edited := stamped("c-local", local.Number, "Lena", "Lokal", "LC9", at, "S0001/T01")
	edited.Created = local.Created
	edited.StampEdit(&local, customer.Stamp{})
	edited.Phone = "+4930555"
	old := edited
	edited.StampEdit(&old, customer.Stamp{At: at.Add(2 * time.Hour), By: "S0001/T02"})
	w := apimap.CustomerOf(edited)
	require.NoError(t, s.ApplyPage(ctx, api.DatasetCustomers, []api.Change{{Seq: 2, Key: "c-local", Customer: &w}}, 2))
	merged, err := s.Customer(ctx, "c-local")
	require.NoError(t, err)
	assert.Equal(t, "+4930555", merged.Phone)
	assert.Equal(t, local.Version+1, merged.Version, "a merge is a new version of the till's copy")

	require.NoError(t, s.ApplyPage(ctx, api.DatasetCustomers, []api.Change{{Seq: 3, Key: "c-remote", Deleted: true}}, 3))
	got, err = s.SearchCustomers(ctx, customer.Query{Text: "renate"})
	require.NoError(t, err)
	assert.Empty(t, got, "an erased customer is gone from the till")
}
