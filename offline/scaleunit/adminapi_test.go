package scaleunit_test

import (
	"encoding/json"
	"io"
	"io/fs"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/assets"
	"github.com/opentill/opentill/offline/api"
	"github.com/opentill/opentill/offline/apimap"
	"github.com/opentill/opentill/offline/demo"
	"github.com/opentill/opentill/offline/scaleunit"
	"github.com/opentill/opentill/offline/scaleunit/sutest"
	"github.com/opentill/opentill/pos/barcode"
	"github.com/opentill/opentill/pos/staff"
)

// adminEnv is a seeded server with admin tokens for the whole chain and for
// the demo store, and an active till in each store.
type adminEnv struct {
	url            string
	st             *scaleunit.DB
	chain, store1  string // admin tokens
	till1, till2   string // tokens of S0001/T01 and of the sister store's T01
	chainName, s1n string
}

func newAdminEnv(t *testing.T, backend string) *adminEnv {
	t.Helper()
	url, st := startServerOn(t, backend)
	e := &adminEnv{url: url, st: st, chainName: "backoffice", s1n: "store-1"}
	var err error
	e.chain, err = scaleunit.NewAdminToken(ctx, st, e.chainName, nil)
	require.NoError(t, err)
	e.store1, err = scaleunit.NewAdminToken(ctx, st, e.s1n, []string{demo.StoreID})
	require.NoError(t, err)
	code := func(store, terminal string) string {
		till, err := st.PutTill(ctx, store, terminal)
		require.NoError(t, err)
		c, err := scaleunit.IssueActivationCode(ctx, st, till.ID, time.Hour)
		require.NoError(t, err)
		return c
	}
	e.till1 = activateWith(t, url, code(demo.StoreID, "T01"), "")
	e.till2 = activateWith(t, url, code(scaleunit.SisterStoreID, "T01"), "")
	return e
}

// call sends a request and returns the status and body.
func (e *adminEnv) call(t *testing.T, method, path, token, ctype, body string) (int, []byte) {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, e.url+path, rd)
	require.NoError(t, err)
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, b
}

// feed is what a till's next sync of a dataset gets after cursor, through
// the tills' API with the till's token; head is the cursor it ends at.
func (e *adminEnv) feed(t *testing.T, tillToken, dataset string, after int64) []api.Change {
	t.Helper()
	var out []api.Change
	for {
		status, b := e.call(t, "GET", api.PathFeeds+dataset+"?after="+itoa(after), tillToken, "", "")
		require.Equal(t, 200, status, string(b))
		var p api.Page
		require.NoError(t, json.Unmarshal(b, &p))
		require.NoError(t, apimap.ValidatePage(&p, dataset, after), "the till takes the page")
		out = append(out, p.Changes...)
		after = p.NextCursor
		if !p.More {
			return out
		}
	}
}

func (e *adminEnv) head(t *testing.T, tillToken, dataset string) int64 {
	t.Helper()
	cs := e.feed(t, tillToken, dataset, 0)
	if len(cs) == 0 {
		return 0
	}
	return cs[len(cs)-1].Seq
}

func itoa(n int64) string { b, _ := json.Marshal(n); return string(b) }

func asJSON(t *testing.T, v any) string { t.Helper(); return string(mustJSON(t, v)) }

func errorCode(t *testing.T, b []byte) api.Error {
	t.Helper()
	var e api.ErrorReply
	require.NoError(t, json.Unmarshal(b, &e), string(b))
	return e.Error
}

// TestAdminAPIChangesReachTheTills: each admin endpoint's change is in the
// feed a till of the store pulls next (and only in its store's), and the
// reply says what was stored.
func TestAdminAPIChangesReachTheTills(t *testing.T) { sutest.Each(t, testAdminAPIChangesReachTheTills) }

func testAdminAPIChangesReachTheTills(t *testing.T, backend string) {
	e := newAdminEnv(t, backend)
	setup, err := e.st.StoreSetup(ctx, demo.StoreID)
	require.NoError(t, err)
	changedSetup := apimap.SetupOf(setup)
	changedSetup.TenderTypes[0].Name = "Bargeld"
	upc, err := barcode.Normalize("036000291452")
	require.NoError(t, err)
	sale, err := fs.ReadFile(assets.Receipts, "receipts/sale.toml")
	require.NoError(t, err)
	ownSale := string(sale) + "\n[[block]]\ntype = \"text\"\ntext = \"Thank you from the store\"\n"
	profile := "name = \"T01, counter 1\"\n[printer]\ndriver = \"virtual\"\ndir = \"receipts\"\n"
	promotions := "# autumn\n" + string(demo.Promotions())
	tea := api.Product{ID: "TEA-1", Name: "Green tea", Category: "Tea", Unit: "ea", Price: 349, TaxGroup: demo.TaxReduced, Barcodes: []string{"036000291452"}}
	featured := demo.Featured[1].ID

	tests := []struct {
		name           string
		method, path   string
		token          string // "" = the chain's admin token
		ctype, body    string
		status         int
		dataset        string // the feed the change shows in
		till           string // whose feed ("" = S0001/T01's)
		reply          func(t *testing.T, b []byte)
		sees           func(t *testing.T, cs []api.Change)
		otherStoreSees bool // the sister store's till sees it too (chain-wide data)
	}{
		{name: "a product", method: "PUT", path: api.PathAdminProducts + "/TEA-1", body: asJSON(t, tea), status: 200, dataset: api.DatasetProducts,
			reply: func(t *testing.T, b []byte) {
				var p api.Product
				require.NoError(t, json.Unmarshal(b, &p))
				assert.Equal(t, "TEA-1", p.ItemID, "a product without an item ID is its own item")
				assert.Equal(t, []string{upc}, p.Barcodes, "a UPC-A is kept by its lookup key")
			},
			sees: func(t *testing.T, cs []api.Change) {
				require.Len(t, cs, 1)
				require.NotNil(t, cs[0].Product)
				assert.Equal(t, "Green tea", cs[0].Product.Name)
				assert.Equal(t, []string{upc}, cs[0].Product.Barcodes)
			}, otherStoreSees: true},
		{name: "a batch of products", method: "PUT", path: api.PathAdminProducts, status: 200, dataset: api.DatasetProducts,
			body: asJSON(t, api.ProductBatch{Products: []api.Product{
				{ID: "TEA-2", Name: "Black tea", Unit: "ea", Price: 299, TaxGroup: demo.TaxReduced},
				{ID: "TEA-3", Name: "White tea", Unit: "ea", Price: 499, TaxGroup: demo.TaxStandard}}}),
			reply: func(t *testing.T, b []byte) { assert.JSONEq(t, `{"changed":2}`, string(b)) },
			sees: func(t *testing.T, cs []api.Change) {
				require.Len(t, cs, 2)
				assert.Equal(t, "Black tea", cs[0].Product.Name)
				assert.Equal(t, "White tea", cs[1].Product.Name)
			}, otherStoreSees: true},
		{name: "prices", method: "PUT", path: api.PathAdminPrices, status: 200, dataset: api.DatasetPrices,
			body:  asJSON(t, api.PriceBatch{Prices: []api.PriceChange{{ProductID: featured, Price: 4242}}}),
			reply: func(t *testing.T, b []byte) { assert.JSONEq(t, `{"changed":1}`, string(b)) },
			sees: func(t *testing.T, cs []api.Change) {
				require.Len(t, cs, 1)
				assert.Equal(t, api.PriceChange{ProductID: featured, Price: 4242}, *cs[0].Price)
			}, otherStoreSees: true},
		{name: "a product removed", method: "DELETE", path: api.PathAdminProducts + "/TEA-3", status: 204, dataset: api.DatasetProducts,
			sees: func(t *testing.T, cs []api.Change) {
				require.Len(t, cs, 1)
				assert.Equal(t, api.Change{Seq: cs[0].Seq, Key: "TEA-3", Deleted: true}, cs[0])
			}, otherStoreSees: true},
		{name: "the store's setup", method: "PUT", path: api.PathAdminStores + demo.StoreID + "/setup", token: "store1", body: asJSON(t, changedSetup),
			status: 200, dataset: api.DatasetConfig,
			reply: func(t *testing.T, b []byte) {
				var s api.Setup
				require.NoError(t, json.Unmarshal(b, &s))
				assert.Equal(t, "Bargeld", s.TenderTypes[0].Name)
			},
			sees: func(t *testing.T, cs []api.Change) {
				require.Len(t, cs, 1)
				require.NotNil(t, cs[0].Setup)
				assert.Equal(t, "Bargeld", cs[0].Setup.TenderTypes[0].Name)
				assert.Equal(t, "T01", cs[0].Setup.TerminalID, "each till gets its own terminal")
			}},
		{name: "the promotions, as text", method: "PUT", path: api.PathAdminStores + demo.StoreID + "/documents/promotions", token: "store1",
			ctype: "application/toml", body: promotions, status: 200, dataset: api.DatasetConfig,
			reply: func(t *testing.T, b []byte) {
				assert.JSONEq(t, asJSON(t, api.StoreDocument{Name: "promotions", Body: promotions}), string(b))
			},
			sees: func(t *testing.T, cs []api.Change) {
				require.Len(t, cs, 1)
				assert.Equal(t, &api.StoreDocument{Name: "promotions", Body: promotions}, cs[0].Document)
			}},
		{name: "a receipt layout, as JSON", method: "PUT", path: api.PathAdminStores + demo.StoreID + "/documents/receipt/sale", ctype: "application/json",
			body: asJSON(t, api.StoreDocument{Body: ownSale}), status: 200, dataset: api.DatasetConfig,
			sees: func(t *testing.T, cs []api.Change) {
				require.Len(t, cs, 1)
				assert.Equal(t, &api.StoreDocument{Name: "receipt/sale", Body: ownSale}, cs[0].Document)
			}},
		{name: "a till's hardware profile", method: "PUT", path: api.PathAdminStores + demo.StoreID + "/documents/hardware/T01", ctype: "text/plain",
			body: profile, status: 200, dataset: api.DatasetConfig,
			sees: func(t *testing.T, cs []api.Change) {
				require.Len(t, cs, 1)
				assert.Equal(t, "doc:hardware/T01", cs[0].Key)
				assert.Equal(t, profile, cs[0].Document.Body)
			}},
		{name: "the hardware profile removed", method: "DELETE", path: api.PathAdminStores + demo.StoreID + "/documents/hardware/T01", token: "store1",
			status: 204, dataset: api.DatasetConfig,
			sees: func(t *testing.T, cs []api.Change) {
				require.Len(t, cs, 1)
				assert.Equal(t, api.Change{Seq: cs[0].Seq, Key: "doc:hardware/T01", Deleted: true}, cs[0])
			}},
		{name: "a role", method: "PUT", path: api.PathAdminRoles + "supervisor", status: 200, dataset: api.DatasetStaff,
			body: `{"name":"Supervisor","permissions":[100,101],"limits":{"max_line_discount_bp":2000},"manager":true}`,
			reply: func(t *testing.T, b []byte) {
				assert.JSONEq(t, `{"id":"supervisor","name":"Supervisor","permissions":[100,101],"manager":true,"limits":{"max_line_discount_bp":2000,
					"max_total_discount_bp":0,"max_return_amount":0,"allow_price_override":false,"max_price_override_bp":0}}`, string(b))
			},
			sees: func(t *testing.T, cs []api.Change) {
				require.Len(t, cs, 1)
				assert.Equal(t, "role:supervisor", cs[0].Key)
				assert.Equal(t, []int{100, 101}, cs[0].Role.Permissions)
				assert.True(t, cs[0].Role.Manager)
			}, otherStoreSees: true},
		{name: "an operator of one store, with a PIN", method: "PUT", path: api.PathAdminOperators + "6001", status: 200, dataset: api.DatasetStaff,
			body: `{"name":"Ada","role":"supervisor","stores":["S0001"],"pin":"482915"}`,
			reply: func(t *testing.T, b []byte) {
				assert.JSONEq(t, `{"id":"6001","name":"Ada","role":"supervisor","language":"en","stores":["S0001"],"pin_set":true}`, string(b))
				assert.NotContains(t, string(b), "482915", "the PIN is never sent back")
				assert.NotContains(t, string(b), "argon2", "nor a hash of it")
			},
			sees: func(t *testing.T, cs []api.Change) {
				require.Len(t, cs, 1)
				o := cs[0].Operator
				require.NotNil(t, o)
				pepper, err := e.st.PINPepper(ctx, demo.StoreID)
				require.NoError(t, err)
				ok, err := staff.Check("482915", o.PasswordHash, pepper)
				require.NoError(t, err)
				assert.True(t, ok, "the till checks the PIN with its store's pepper")
				h, err := staff.ParseHash(o.PasswordHash)
				require.NoError(t, err)
				assert.True(t, h.Peppered(), "sealed and peppered as scaleunit staff add --pin does")
				assert.Equal(t, staff.DefaultParams, h.Params())
			}},
		{name: "the operator renamed, keeping the PIN", method: "PUT", path: api.PathAdminOperators + "6001", status: 200, dataset: api.DatasetStaff,
			body: `{"id":"6001","name":"Ada L.","role":"supervisor","language":"de","stores":["S0001"]}`,
			reply: func(t *testing.T, b []byte) {
				assert.JSONEq(t, `{"id":"6001","name":"Ada L.","role":"supervisor","language":"de","stores":["S0001"],"pin_set":true}`, string(b))
			},
			sees: func(t *testing.T, cs []api.Change) {
				require.Len(t, cs, 1)
				o := cs[0].Operator
				assert.Equal(t, "Ada L.", o.Name)
				pepper, err := e.st.PINPepper(ctx, demo.StoreID)
				require.NoError(t, err)
				ok, err := staff.Check("482915", o.PasswordHash, pepper)
				require.NoError(t, err)
				assert.True(t, ok, "the PIN stays")
			}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			token := e.chain
			if tc.token == "store1" {
				token = e.store1
			}
			till := e.till1
			before := e.head(t, till, tc.dataset)
			beforeOther := e.head(t, e.till2, tc.dataset)
			status, b := e.call(t, tc.method, tc.path, token, tc.ctype, tc.body)
			require.Equal(t, tc.status, status, string(b))
			if tc.reply != nil {
				tc.reply(t, b)
			}
			tc.sees(t, e.feed(t, till, tc.dataset, before))
			other := e.feed(t, e.till2, tc.dataset, beforeOther)
			if tc.otherStoreSees {
				tc.sees(t, other)
			} else {
				assert.Empty(t, other, "the sister store's till gets nothing of it")
			}
		})
	}

	t.Run("reads: the setup, a document, the tills", func(t *testing.T) {
		status, b := e.call(t, "GET", api.PathAdminStores+demo.StoreID+"/setup", e.store1, "", "")
		require.Equal(t, 200, status, string(b))
		cur, err := e.st.StoreSetup(ctx, demo.StoreID)
		require.NoError(t, err)
		assert.JSONEq(t, asJSON(t, cur), string(b), "the JSON scaleunit store setup show prints")
		assert.Contains(t, string(b), `"Bargeld"`)

		status, b = e.call(t, "GET", api.PathAdminStores+demo.StoreID+"/documents/receipt/sale", e.store1, "", "")
		require.Equal(t, 200, status, string(b))
		assert.JSONEq(t, asJSON(t, api.StoreDocument{Name: "receipt/sale", Body: ownSale}), string(b))
		status, b = e.call(t, "GET", api.PathAdminStores+demo.StoreID+"/documents/hardware/T01", e.store1, "", "")
		assert.Equal(t, 404, status, "removed: %s", b)

		status, b = e.call(t, "GET", api.PathAdminTills, e.chain, "", "")
		require.Equal(t, 200, status, string(b))
		var all api.AdminTills
		require.NoError(t, json.Unmarshal(b, &all))
		stores := map[string]int{}
		for _, tl := range all.Tills {
			stores[tl.StoreID]++
		}
		assert.Equal(t, map[string]int{demo.StoreID: len(scaleunit.DemoTills), scaleunit.SisterStoreID: 1}, stores)
		status, b = e.call(t, "GET", api.PathAdminTills, e.store1, "", "")
		require.Equal(t, 200, status, string(b))
		var mine api.AdminTills
		require.NoError(t, json.Unmarshal(b, &mine))
		require.Len(t, mine.Tills, len(scaleunit.DemoTills), "a store's token sees its store's tills only")
		assert.Equal(t, api.AdminTill{ID: demo.StoreID + "/T01", StoreID: demo.StoreID, TerminalID: "T01", State: api.TillActive,
			Activated: mine.Tills[0].Activated}, mine.Tills[0])
		assert.False(t, mine.Tills[0].Activated.IsZero())
		assert.Equal(t, api.TillNotActivated, mine.Tills[1].State)
	})

	t.Run("a till added with a code, activated, then deactivated", func(t *testing.T) {
		status, b := e.call(t, "POST", api.PathAdminTills+"/"+demo.StoreID+"/T07/code", e.store1, "application/json", `{"valid_hours":2}`)
		require.Equal(t, 200, status, string(b))
		var c api.ActivationCode
		require.NoError(t, json.Unmarshal(b, &c))
		assert.Equal(t, demo.StoreID+"/T07", c.TillID)
		assert.WithinDuration(t, time.Now().Add(2*time.Hour), c.Expires, time.Minute)
		tok := activateWith(t, e.url, c.Code, "")
		status, _ = e.call(t, "GET", api.PathFeeds+api.DatasetConfig, tok, "", "")
		require.Equal(t, 200, status, "the new till syncs")

		status, b = e.call(t, "DELETE", api.PathAdminTills+"/"+demo.StoreID+"/T07", e.store1, "", "")
		require.Equal(t, 204, status, string(b))
		status, b = e.call(t, "GET", api.PathFeeds+api.DatasetConfig, tok, "", "")
		assert.Equal(t, 403, status)
		assert.Equal(t, api.CodeDeactivated, errorCode(t, b).Code)

		status, b = e.call(t, "POST", api.PathAdminTills+"/"+demo.StoreID+"/T07/code", e.store1, "", "")
		require.Equal(t, 200, status, "no body: the default validity: %s", b)
		require.NoError(t, json.Unmarshal(b, &c))
		assert.WithinDuration(t, time.Now().Add(api.DefaultCodeHours*time.Hour), c.Expires, time.Minute)
		tok = activateWith(t, e.url, c.Code, "")
		status, _ = e.call(t, "GET", api.PathFeeds+api.DatasetConfig, tok, "", "")
		assert.Equal(t, 200, status, "a new code lets the deactivated till in again")
	})
}

// TestAdminAPIRefusesBadDocuments: what a till could not use is refused
// with 400 naming what is wrong, and no till's feed changes.
func TestAdminAPIRefusesBadDocuments(t *testing.T) { sutest.Each(t, testAdminAPIRefusesBadDocuments) }

func testAdminAPIRefusesBadDocuments(t *testing.T, backend string) {
	e := newAdminEnv(t, backend)
	setup, err := e.st.StoreSetup(ctx, demo.StoreID)
	require.NoError(t, err)
	badKind := apimap.SetupOf(setup)
	badKind.TenderTypes = append([]api.TenderType(nil), badKind.TenderTypes...)
	badKind.TenderTypes[1].Kind = "cheque"
	badKind.Currency.Code = "EURO"
	typo := strings.Replace(asJSON(t, apimap.SetupOf(setup)), `"TenderTypes"`, `"TenderTypez"`, 1)
	featured := demo.Featured[0]
	good := api.Product{ID: "NEW-1", Name: "New", Unit: "ea", Price: 100, TaxGroup: demo.TaxStandard}
	storePath := api.PathAdminStores + demo.StoreID

	tests := []struct {
		name         string
		method, path string
		ctype, body  string
		status       int
		says         []string // in the message
		dataset      string   // the feed that stays as it was
	}{
		{"promotions that do not compile", "PUT", storePath + "/documents/promotions", "text/plain", "[[promotion]]\nid = 7\nkind = \"nonsense\"\n", 400,
			[]string{"promotions document of store S0001 is not valid", "nothing was changed"}, api.DatasetConfig},
		{"promotions that are not TOML", "PUT", storePath + "/documents/promotions", "application/json", `{"body":"= = ="}`, 400, []string{"not valid"}, api.DatasetConfig},
		{"an empty document", "PUT", storePath + "/documents/promotions", "text/plain", " \n", 400, []string{"empty"}, api.DatasetConfig},
		{"a hardware profile with an unknown driver", "PUT", storePath + "/documents/hardware/T01", "text/plain", "[printer]\ndriver = \"teleprinter\"\n", 400,
			[]string{"teleprinter"}, api.DatasetConfig},
		{"a hardware profile with a typo", "PUT", storePath + "/documents/hardware/T01", "text/plain", "[printr]\n", 400, []string{"printr"}, api.DatasetConfig},
		{"a receipt layout with an unknown block", "PUT", storePath + "/documents/receipt/sale", "text/plain", "[[block]]\ntype = \"nonsense\"\n", 400,
			[]string{"nonsense"}, api.DatasetConfig},
		{"a document named in the body otherwise", "PUT", storePath + "/documents/receipt/sale", "application/json", `{"name":"receipt/gift","body":"x"}`, 400,
			[]string{"differs"}, api.DatasetConfig},
		{"a document the server keeps none of", "PUT", storePath + "/documents/receipt/menu", "text/plain", "x", 404, []string{"no store document"}, api.DatasetConfig},
		{"a setup with wrong fields", "PUT", storePath + "/setup", "application/json", asJSON(t, badKind), 400,
			[]string{"TenderTypes[1].kind", "Currency.Code", "setup was not changed"}, api.DatasetConfig},
		{"a setup with a field the till does not know", "PUT", storePath + "/setup", "application/json", typo, 400, []string{"TenderTypez"}, api.DatasetConfig},
		{"a setup and something after it", "PUT", storePath + "/setup", "application/json", asJSON(t, apimap.SetupOf(setup)) + "{}", 400,
			[]string{"something follows"}, api.DatasetConfig},
		{"a product of no store's tax group", "PUT", api.PathAdminProducts + "/X1", "", `{"name":"X","unit":"ea","price":1,"tax_group":"LUX","flags":{}}`, 400,
			[]string{`tax group "LUX"`}, api.DatasetProducts},
		{"a product with a wrong check digit", "PUT", api.PathAdminProducts + "/X1", "", `{"name":"X","unit":"ea","price":1,"tax_group":"STD","barcodes":["4006381333932"],"flags":{}}`, 400,
			[]string{"4006381333932", "check digit"}, api.DatasetProducts},
		{"a product at a negative price", "PUT", api.PathAdminProducts + "/X1", "", `{"name":"X","unit":"ea","price":-1,"tax_group":"STD","flags":{}}`, 400,
			[]string{"negative"}, api.DatasetProducts},
		{"a product naming a picture the server lacks", "PUT", api.PathAdminProducts + "/X1", "", `{"name":"X","unit":"ea","price":1,"tax_group":"STD","image":"` + strings.Repeat("ab", 32) + `","flags":{}}`, 400,
			[]string{"does not hold"}, api.DatasetProducts},
		{"a product of another id than the path's", "PUT", api.PathAdminProducts + "/X1", "", `{"id":"X2","name":"X","unit":"ea","price":1,"tax_group":"STD","flags":{}}`, 400,
			[]string{"differs"}, api.DatasetProducts},
		{"a product with a field the API does not know", "PUT", api.PathAdminProducts + "/X1", "", `{"name":"X","colour":"red","unit":"ea","price":1,"tax_group":"STD","flags":{}}`, 400,
			[]string{"colour"}, api.DatasetProducts},
		{"a batch with one bad product", "PUT", api.PathAdminProducts, "", asJSON(t, api.ProductBatch{Products: []api.Product{good, {ID: "NEW-2", Name: "", TaxGroup: "STD"}}}), 400,
			[]string{"NEW-2", "needs an ID, a name and a tax group"}, api.DatasetProducts},
		{"a batch with a product twice", "PUT", api.PathAdminProducts, "", asJSON(t, api.ProductBatch{Products: []api.Product{good, good}}), 400,
			[]string{"twice"}, api.DatasetProducts},
		{"an empty batch", "PUT", api.PathAdminProducts, "", `{"products":[]}`, 400, []string{"1 to 10000 products"}, api.DatasetProducts},
		{"prices with one unknown product", "PUT", api.PathAdminPrices, "", asJSON(t, api.PriceBatch{Prices: []api.PriceChange{{ProductID: featured.ID, Price: 1}, {ProductID: "nope", Price: 2}}}), 400,
			[]string{"product nope", "add the product first"}, api.DatasetPrices},
		{"a negative price", "PUT", api.PathAdminPrices, "", asJSON(t, api.PriceBatch{Prices: []api.PriceChange{{ProductID: featured.ID, Price: -5}}}), 400,
			[]string{"negative"}, api.DatasetPrices},
		{"a new operator without a PIN", "PUT", api.PathAdminOperators + "6009", "", `{"name":"Bo","role":"cashier"}`, 400, []string{"give a pin"}, api.DatasetStaff},
		{"an operator with a short PIN", "PUT", api.PathAdminOperators + "6009", "", `{"name":"Bo","role":"cashier","pin":"12"}`, 400, []string{"at least 4 characters"}, api.DatasetStaff},
		{"an operator without a name", "PUT", api.PathAdminOperators + "6009", "", `{"role":"cashier","pin":"123456"}`, 400, []string{"needs an ID, a name and a role"}, api.DatasetStaff},
		{"an operator of a store there is not", "PUT", api.PathAdminOperators + "6009", "", `{"name":"Bo","role":"cashier","stores":["S9999"],"pin":"123456"}`, 400,
			[]string{"store S9999 does not exist"}, api.DatasetStaff},
		{"an operator with a password hash", "PUT", api.PathAdminOperators + "6009", "", `{"name":"Bo","role":"cashier","password_hash":"$argon2id$x"}`, 400,
			[]string{"password_hash"}, api.DatasetStaff},
		{"a role with a discount above 100 %", "PUT", api.PathAdminRoles + "r1", "", `{"name":"R","permissions":[],"limits":{"max_line_discount_bp":20000},"manager":false}`, 400,
			[]string{"max_line_discount_bp"}, api.DatasetStaff},
		{"a role without a name", "PUT", api.PathAdminRoles + "r1", "", `{"permissions":[1]}`, 400, []string{"needs an ID and a name"}, api.DatasetStaff},
		{"a code valid too long", "POST", api.PathAdminTills + "/" + demo.StoreID + "/T08/code", "application/json", `{"valid_hours":9999}`, 400, []string{"valid_hours"}, api.DatasetConfig},
		{"a code for a terminal ID no till can have", "POST", api.PathAdminTills + "/" + demo.StoreID + "/T%201/code", "", "", 400, []string{"terminal ID", `"T 1"`}, api.DatasetConfig},
		{"a code for a store there is not", "POST", api.PathAdminTills + "/S9999/T01/code", "", "", 404, []string{"S9999"}, api.DatasetConfig},
		{"a till there is not", "DELETE", api.PathAdminTills + "/" + demo.StoreID + "/T99", "", "", 404, []string{"S0001/T99"}, api.DatasetConfig},
		{"a product there is not", "DELETE", api.PathAdminProducts + "/nope", "", "", 404, []string{"nope"}, api.DatasetProducts},
		{"the setup of a store there is not", "GET", api.PathAdminStores + "S9999/setup", "", "", 404, []string{"S9999"}, api.DatasetConfig},
		{"a document the store has none of", "DELETE", storePath + "/documents/receipt/gift", "", "", 404, []string{"no receipt/gift document"}, api.DatasetConfig},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			before := e.head(t, e.till1, tc.dataset)
			docBefore, docErr := e.st.Document(ctx, demo.StoreID, api.DocPromotions)
			status, b := e.call(t, tc.method, tc.path, e.chain, tc.ctype, tc.body)
			require.Equal(t, tc.status, status, string(b))
			msg := errorCode(t, b)
			assert.Equal(t, map[int]string{400: api.CodeBadRequest, 404: api.CodeNotFound}[tc.status], msg.Code)
			for _, s := range tc.says {
				assert.Contains(t, msg.Message, s)
			}
			assert.Empty(t, e.feed(t, e.till1, tc.dataset, before), "nothing reached a till")
			docAfter, err := e.st.Document(ctx, demo.StoreID, api.DocPromotions)
			assert.Equal(t, docErr, err)
			assert.Equal(t, string(docBefore), string(docAfter), "the promotions stay")
		})
	}
	tills, err := e.st.Tills(ctx)
	require.NoError(t, err)
	for _, tl := range tills {
		assert.NotEqual(t, demo.StoreID+"/T08", tl.ID, "a refused code request adds no till")
	}
}

// TestAdminAPIAuthentication: the admin API takes a valid, unrevoked admin
// token only; a store's token stays within its stores; the tills' API
// takes no admin token.
func TestAdminAPIAuthentication(t *testing.T) { sutest.Each(t, testAdminAPIAuthentication) }

func testAdminAPIAuthentication(t *testing.T, backend string) {
	e := newAdminEnv(t, backend)
	revoked, err := scaleunit.NewAdminToken(ctx, e.st, "gone", nil)
	require.NoError(t, err)
	status, b := e.call(t, "GET", api.PathAdminTills, revoked, "", "")
	require.Equal(t, 200, status, "works until revoked: %s", b)
	require.NoError(t, e.st.RevokeAdminToken(ctx, "gone"))
	deact := e.till2
	require.NoError(t, e.st.SetTillActive(ctx, scaleunit.SisterStoreID+"/T01", false))
	sister := api.PathAdminStores + scaleunit.SisterStoreID
	price := asJSON(t, api.PriceBatch{Prices: []api.PriceChange{{ProductID: demo.Featured[0].ID, Price: 1}}})

	tests := []struct {
		name         string
		method, path string
		token, body  string
		status       int
		code, says   string
	}{
		{"no token", "GET", api.PathAdminTills, "", "", 401, api.CodeUnauthorized, "no bearer token"},
		{"an unknown token", "GET", api.PathAdminTills, api.AdminTokenPrefix + "guess", "", 401, api.CodeUnauthorized, "unknown admin token"},
		{"a revoked token", "GET", api.PathAdminTills, revoked, "", 401, api.CodeUnauthorized, "gone was revoked"},
		{"a till's token", "GET", api.PathAdminTills, e.till1, "", 401, api.CodeUnauthorized, "a till's token does not work"},
		{"a deactivated till's token", "PUT", api.PathAdminPrices, deact, price, 401, api.CodeUnauthorized, "a till's token does not work"},
		{"a till's token changing its own store's setup", "GET", api.PathAdminStores + demo.StoreID + "/setup", e.till1, "", 401, api.CodeUnauthorized, "till's token"},
		{"the admin token on a till's feed", "GET", api.PathFeeds + api.DatasetProducts, e.chain, "", 401, api.CodeUnauthorized, "an admin token does not work on a till's paths"},
		{"the admin token uploading", "PUT", api.PathUploads + "shift_event/s1", e.chain, `{"id":"s1"}`, 401, api.CodeUnauthorized, "admin token"},
		{"a store's token on another store's setup", "GET", sister + "/setup", e.store1, "", 403, api.CodeForbidden, "not store " + scaleunit.SisterStoreID},
		{"a store's token changing another store's setup", "PUT", sister + "/setup", e.store1, "{}", 403, api.CodeForbidden, "not store"},
		{"a store's token on another store's document", "PUT", sister + "/documents/promotions", e.store1, "x", 403, api.CodeForbidden, "not store"},
		{"a store's token on a store there is not", "GET", api.PathAdminStores + "S9999/setup", e.store1, "", 403, api.CodeForbidden, "not store S9999"},
		{"a store's token on another store's tills", "GET", api.PathAdminTills + "?store=" + scaleunit.SisterStoreID, e.store1, "", 403, api.CodeForbidden, "not store"},
		{"a store's token issuing a code elsewhere", "POST", api.PathAdminTills + "/" + scaleunit.SisterStoreID + "/T02/code", e.store1, "", 403, api.CodeForbidden, "not store"},
		{"a store's token deactivating a till elsewhere", "DELETE", api.PathAdminTills + "/" + scaleunit.SisterStoreID + "/T01", e.store1, "", 403, api.CodeForbidden, "not store"},
		{"a store's token on products", "PUT", api.PathAdminProducts + "/X", e.store1, `{}`, 403, api.CodeForbidden, "products are the whole chain's"},
		{"a store's token on a product batch", "PUT", api.PathAdminProducts, e.store1, `{}`, 403, api.CodeForbidden, "whole chain"},
		{"a store's token removing a product", "DELETE", api.PathAdminProducts + "/" + demo.Featured[0].ID, e.store1, "", 403, api.CodeForbidden, "whole chain"},
		{"a store's token on prices", "PUT", api.PathAdminPrices, e.store1, price, 403, api.CodeForbidden, "prices are the whole chain's"},
		{"a store's token on operators", "PUT", api.PathAdminOperators + "6001", e.store1, `{}`, 403, api.CodeForbidden, "operators are the whole chain's"},
		{"a store's token on roles", "PUT", api.PathAdminRoles + "r", e.store1, `{}`, 403, api.CodeForbidden, "roles are the whole chain's"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			beforePrices := e.head(t, e.till1, api.DatasetPrices)
			beforeConfig := e.head(t, e.till1, api.DatasetConfig)
			ctype := ""
			if tc.body != "" {
				ctype = "application/json"
			}
			status, b := e.call(t, tc.method, tc.path, tc.token, ctype, tc.body)
			require.Equal(t, tc.status, status, string(b))
			got := errorCode(t, b)
			assert.Equal(t, tc.code, got.Code)
			assert.Contains(t, got.Message, tc.says)
			assert.Empty(t, e.feed(t, e.till1, api.DatasetPrices, beforePrices), "nothing changed")
			assert.Empty(t, e.feed(t, e.till1, api.DatasetConfig, beforeConfig), "nothing changed")
		})
	}
	t.Run("the price a till token could not set", func(t *testing.T) {
		p, err := e.st.Feed(ctx, demo.StoreID, api.DatasetPrices, 0, 100, false)
		require.NoError(t, err)
		for _, c := range p.Changes {
			assert.NotEqual(t, int64(1), c.Price.Price)
		}
	})
	t.Run("a use is recorded", func(t *testing.T) {
		toks, err := e.st.AdminTokens(ctx)
		require.NoError(t, err)
		used := map[string]bool{}
		for _, tk := range toks {
			used[tk.Name] = !tk.LastUsed.IsZero()
		}
		assert.Equal(t, map[string]bool{e.chainName: false, e.s1n: true, "gone": true}, used,
			"the chain's token was used on a till's path only, which is no use of it")
	})
}

// TestAdminTokens: a token is kept as its hash, names are unique among the
// tokens not revoked, a store's token names stores there are, and a revoked
// one's name is free again.
func TestAdminTokens(t *testing.T) { sutest.Each(t, testAdminTokens) }

func testAdminTokens(t *testing.T, backend string) {
	st, _ := sutest.Open(t, backend)
	require.NoError(t, scaleunit.Seed(ctx, st, 5, nil))
	tok, err := scaleunit.NewAdminToken(ctx, st, "backoffice", nil)
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(tok, api.AdminTokenPrefix))
	assert.GreaterOrEqual(t, len(tok), len(api.AdminTokenPrefix)+43, "256 random bits")
	other, err := scaleunit.NewAdminToken(ctx, st, "store-2", []string{scaleunit.SisterStoreID, " ", scaleunit.SisterStoreID})
	require.NoError(t, err)
	assert.NotEqual(t, tok, other)

	tests := []struct {
		name   string
		token  string
		stores []string
		err    error
		says   string
	}{
		{"a name in use", "backoffice", nil, scaleunit.ErrConflict, "revoke it first"},
		{"a store there is not", "x", []string{"S9999"}, scaleunit.ErrInvalid, "store S9999 does not exist"},
		{"a name with a space", "back office", nil, scaleunit.ErrInvalid, "letters, digits"},
		{"no name", "", nil, scaleunit.ErrInvalid, "admin token name"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := scaleunit.NewAdminToken(ctx, st, tc.token, tc.stores)
			require.ErrorIs(t, err, tc.err)
			assert.Contains(t, err.Error(), tc.says)
		})
	}

	toks, err := st.AdminTokens(ctx)
	require.NoError(t, err)
	require.Len(t, toks, 2)
	assert.Equal(t, "backoffice", toks[0].Name)
	assert.True(t, toks[0].Chain())
	assert.Equal(t, []string{scaleunit.SisterStoreID}, toks[1].Stores)
	assert.True(t, toks[1].Allows(scaleunit.SisterStoreID))
	assert.False(t, toks[1].Allows(demo.StoreID))
	assert.WithinDuration(t, time.Now(), toks[0].Created, time.Minute)
	b, err := json.Marshal(toks)
	require.NoError(t, err)
	assert.NotContains(t, string(b), scaleunit.HashSecret(tok), "a listing never carries the hash")

	require.NoError(t, st.RevokeAdminToken(ctx, "backoffice"))
	require.ErrorIs(t, st.RevokeAdminToken(ctx, "backoffice"), scaleunit.ErrNotFound, "revoked once")
	require.ErrorIs(t, st.RevokeAdminToken(ctx, "nobody"), scaleunit.ErrNotFound)
	toks, err = st.AdminTokens(ctx)
	require.NoError(t, err)
	assert.False(t, toks[0].Revoked.IsZero())
	again, err := scaleunit.NewAdminToken(ctx, st, "backoffice", []string{demo.StoreID})
	require.NoError(t, err, "a revoked token's name is free again")
	assert.NotEqual(t, tok, again)
	toks, err = st.AdminTokens(ctx)
	require.NoError(t, err)
	assert.True(t, toks[0].Revoked.IsZero())
	assert.Equal(t, []string{demo.StoreID}, toks[0].Stores)
}

// TestAdminTokensMigration: a database of the schema before admin tokens
// (SQLite 14, PostgreSQL 12) gains their table, and the later ones, when
// this server opens it.
func TestAdminTokensMigration(t *testing.T) {
	assert.Equal(t, 16, scaleunit.SchemaVersion, "SQLite's schema: 15 added the admin tokens, 16 the movements by till")
	assert.Equal(t, 15, scaleunit.PostgresSchemaVersion, "PostgreSQL's: 13 added them, 14 the movements by till, 15 the feed numbers")
	sutest.Each(t, testAdminTokensMigration)
}

func testAdminTokensMigration(t *testing.T, backend string) {
	where := sutest.Where(t, backend)
	st, err := scaleunit.Open(ctx, where)
	require.NoError(t, err)
	require.NoError(t, scaleunit.Seed(ctx, st, 5, nil))
	require.NoError(t, scaleunit.DowngradeBy(ctx, st, 2, `DROP TABLE stock_moves_by_till`, `DROP TABLE admin_tokens`))
	require.NoError(t, st.Close())

	st, err = scaleunit.Open(ctx, where)
	require.NoError(t, err)
	defer st.Close()
	v, err := scaleunit.SchemaOf(ctx, st)
	require.NoError(t, err)
	assert.Equal(t, map[string]int{"sqlite": scaleunit.SchemaVersion, "postgres": scaleunit.PostgresSchemaVersion}[backend], v)
	_, err = scaleunit.NewAdminToken(ctx, st, "after-upgrade", nil)
	require.NoError(t, err)
	stores, err := st.Stores(ctx)
	require.NoError(t, err)
	assert.Len(t, stores, 2, "the chain is kept")
}
