package tillsync_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/offline/api"
	"github.com/opentill/opentill/offline/apimap"
	"github.com/opentill/opentill/offline/demo"
	"github.com/opentill/opentill/offline/scaleunit"
	"github.com/opentill/opentill/pos/staff"
)

// TestAdminAPIChangesReachTheTill: what a back office changes over the
// admin API — a price, a product, the setup, the promotions, the till's
// hardware profile, an operator with a PIN — a till has after its next
// sync pass, and the PIN set over the API signs the operator in there.
func TestAdminAPIChangesReachTheTill(t *testing.T) {
	s := startServer(t, 50)
	tl := newTill(t, s, "T01", s.URL)
	pass(t, tl)
	tok, err := scaleunit.NewAdminToken(ctx, s.St, "backoffice", nil)
	require.NoError(t, err)
	call := func(method, path, ctype, body string) {
		t.Helper()
		req, err := http.NewRequest(method, s.URL+path, bytes.NewBufferString(body))
		require.NoError(t, err)
		req.Header.Set("Authorization", "Bearer "+tok)
		req.Header.Set("Content-Type", ctype)
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		require.NoError(t, err)
		require.Equal(t, http.StatusOK, resp.StatusCode, "%s %s: %s", method, path, b)
	}
	mustJSON := func(v any) string {
		b, err := json.Marshal(v)
		require.NoError(t, err)
		return string(b)
	}
	featured := demo.Featured[0].ID
	setup, err := s.St.StoreSetup(ctx, demo.StoreID)
	require.NoError(t, err)
	w := apimap.SetupOf(setup)
	w.Header.Footer = []string{"Thank you from the back office"}
	profile := "name = \"T01 by the back office\"\n[printer]\ndriver = \"virtual\"\ndir = \"receipts\"\n"
	promotions := "# from the back office\n" + string(demo.Promotions())

	call("PUT", api.PathAdminPrices, "application/json", mustJSON(api.PriceBatch{Prices: []api.PriceChange{{ProductID: featured, Price: 4242}}}))
	call("PUT", api.PathAdminProducts+"/BO-1", "application/json", `{"name":"Back office tea","unit":"ea","price":199,"tax_group":"RED","barcodes":["4006381333931"],"flags":{}}`)
	call("PUT", api.PathAdminStores+demo.StoreID+"/setup", "application/json", mustJSON(w))
	call("PUT", api.PathAdminStores+demo.StoreID+"/documents/promotions", "text/plain", promotions)
	call("PUT", api.PathAdminStores+demo.StoreID+"/documents/hardware/T01", "text/plain", profile)
	call("PUT", api.PathAdminOperators+"6001", "application/json", `{"name":"Ada","role":"`+demo.RoleManager+`","pin":"482915"}`)
	pass(t, tl)

	p, err := tl.St.ByID(ctx, featured)
	require.NoError(t, err)
	assert.EqualValues(t, 4242, p.Price)
	p, err = tl.St.ByBarcode(ctx, "4006381333931")
	require.NoError(t, err)
	assert.Equal(t, "Back office tea", p.Name)
	got, err := tl.St.LoadSetup(ctx)
	require.NoError(t, err)
	assert.Equal(t, []string{"Thank you from the back office"}, got.Header.Footer)
	assert.Equal(t, "T01", got.TerminalID)
	doc, err := tl.St.Promotions(ctx)
	require.NoError(t, err)
	assert.Equal(t, promotions, string(doc))
	hw, ok, err := tl.St.HardwareProfile(ctx, "T01")
	require.NoError(t, err)
	require.True(t, ok)
	assert.Equal(t, profile, string(hw))
	o, err := tl.St.Operator(ctx, "6001")
	require.NoError(t, err)
	assert.Equal(t, "Ada", o.Name)
	pepper, err := tl.St.PINPepper(ctx)
	require.NoError(t, err)
	ok, err = staff.Check("482915", o.PasswordHash, pepper)
	require.NoError(t, err)
	assert.True(t, ok, "the PIN set over the API signs the operator in at the till")
	ok, err = staff.Check("482916", o.PasswordHash, pepper)
	require.NoError(t, err)
	assert.False(t, ok)
}
