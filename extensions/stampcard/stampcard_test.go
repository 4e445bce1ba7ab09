package stampcard_test

import (
	"context"
	"encoding/json"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/extensions"
	"github.com/opentill/opentill/extensions/exttest"
	"github.com/opentill/opentill/extensions/stampcard"
	"github.com/opentill/opentill/pos"
	"github.com/opentill/opentill/pos/customer"
	"github.com/opentill/opentill/pos/journal"
	"github.com/opentill/opentill/pos/poserr"
)

const milk = "4000000000013"

func newHost(t *testing.T, state string, cfg string) (*exttest.Host, string) {
	t.Helper()
	h := exttest.New(t, exttest.Options{Only: []string{stampcard.ID}, Configs: map[string]json.RawMessage{stampcard.ID: json.RawMessage(cfg)},
		State: func(id string) extensions.State {
			st, err := extensions.OpenFileState(filepath.Join(state, id+".json"))
			require.NoError(t, err)
			return st
		}})
	c, err := h.Store.SaveCustomer(context.Background(), customer.Customer{ID: "c-1", FirstName: "Ada", LastName: "Lovelace", Store: "S1"}, journal.Entry{Kind: journal.CustomerSaved})
	require.NoError(t, err)
	h.SignIn("1001", "1234")
	return h, c.ID
}

func sale(t *testing.T, h *exttest.Host, cust string) *pos.Result {
	t.Helper()
	h.Must(pos.ProductSale{Barcode: milk})
	h.Must(pos.AddCustomer{ID: cust})
	res := h.Must(pos.PayCashExact{})
	return &res
}

func TestEverySaleToACustomerStampsTheirCard(t *testing.T) {
	dir := t.TempDir()
	h, cust := newHost(t, dir, `{"stamps": 3}`)
	res := sale(t, h, cust)
	assert.Contains(t, res.Receipt.Text(42), "Stamp card: 1 of 3")

	h.Must(pos.AddCustomer{ID: cust})
	card := h.Must(stampcard.ShowCard{})
	require.NotNil(t, card.Panel)
	assert.Equal(t, "1 / 3", card.Panel.Items[1].Value.In("en"))
	h.Must(pos.ClearCustomer{})

	sale(t, h, cust)
	res = sale(t, h, cust)
	assert.Contains(t, res.Receipt.Text(42), "Stamp card full")

	// Without a customer there is no card, and no stamp.
	h.Must(pos.ProductSale{Barcode: milk})
	_, err := h.Do(stampcard.ShowCard{})
	assert.Equal(t, poserr.Conflict, poserr.KindOf(err))
	res2 := h.Must(pos.PayCashExact{})
	assert.NotContains(t, res2.Receipt.Text(42), "Stamp card")

	// The stamps survive a restart.
	h2, _ := newHost(t, dir, `{"stamps": 3}`)
	h2.Must(pos.AddCustomer{ID: cust})
	assert.Equal(t, "0 / 3", h2.Must(stampcard.ShowCard{}).Panel.Items[1].Value.In("en"))
	res = sale(t, h2, cust)
	assert.Contains(t, res.Receipt.Text(42), "Stamp card: 1 of 3")
}
