package scaleunit_test

import (
	"io/fs"
	"net/http"
	"sort"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/assets"
	"github.com/opentill/opentill/offline/api"
	"github.com/opentill/opentill/offline/apimap"
	"github.com/opentill/opentill/offline/demo"
	"github.com/opentill/opentill/offline/scaleunit"
	"github.com/opentill/opentill/offline/scaleunit/sutest"
)

// TestAdminResponsesConformToOpenAPI sends real requests to every admin
// path of docs/scaleunit-api.yaml and validates each request and reply
// against it, as TestResponsesConformToOpenAPI does the tills' paths; every
// admin operation the document lists is called with a success and a
// refusal.
func TestAdminResponsesConformToOpenAPI(t *testing.T) {
	sutest.Each(t, testAdminResponsesConformToOpenAPI)
}

func testAdminResponsesConformToOpenAPI(t *testing.T, backend string) {
	e := newAdminEnv(t, backend)
	router, doc := specRouter(t, e.url)

	setup, err := e.st.StoreSetup(ctx, demo.StoreID)
	require.NoError(t, err)
	sale, err := fs.ReadFile(assets.Receipts, "receipts/sale.toml")
	require.NoError(t, err)
	store := api.PathAdminStores + demo.StoreID
	sister := api.PathAdminStores + scaleunit.SisterStoreID
	tills := api.PathAdminTills + "/" + demo.StoreID
	product := `{"name":"Green tea","unit":"ea","price":349,"tax_group":"RED","barcodes":["036000291452"],"flags":{}}`
	profile := "name = \"T01\"\n[printer]\ndriver = \"virtual\"\ndir = \"receipts\"\n"
	json := "application/json"
	text := "text/plain"

	tests := []struct {
		name, method, path, token, ctype, body string
		status                                 int
		skipReq                                bool // the request breaks the contract on purpose
	}{
		{"products", "PUT", api.PathAdminProducts, e.chain, json, `{"products":[{"id":"TEA-2","name":"Tea","unit":"ea","price":1,"tax_group":"STD"}]}`, 200, false},
		{"products, without ids", "PUT", api.PathAdminProducts, e.chain, json, `{"products":[` + product + `]}`, 400, true},
		{"products, unknown tax group", "PUT", api.PathAdminProducts, e.chain, json, `{"products":[{"id":"X","name":"X","unit":"ea","price":1,"tax_group":"LUX"}]}`, 400, false},
		{"products, a store's token", "PUT", api.PathAdminProducts, e.store1, json, `{"products":[{"id":"X","name":"X","unit":"ea","price":1,"tax_group":"STD"}]}`, 403, false},
		{"products, no token", "PUT", api.PathAdminProducts, "", json, `{"products":[{"id":"X","name":"X","unit":"ea","price":1,"tax_group":"STD"}]}`, 401, false},
		{"a product", "PUT", api.PathAdminProducts + "/TEA-1", e.chain, json, product, 200, false},
		{"a product, bad barcode", "PUT", api.PathAdminProducts + "/TEA-1", e.chain, json, strings.Replace(product, "036000291452", "036000291453", 1), 400, false},
		{"a product, a till's token", "PUT", api.PathAdminProducts + "/TEA-1", e.till1, json, product, 401, false},
		{"a product removed", "DELETE", api.PathAdminProducts + "/TEA-2", e.chain, "", "", 204, false},
		{"a product removed again", "DELETE", api.PathAdminProducts + "/TEA-2", e.chain, "", "", 404, false},
		{"prices", "PUT", api.PathAdminPrices, e.chain, json, `{"prices":[{"product_id":"TEA-1","price":399}]}`, 200, false},
		{"prices, unknown product", "PUT", api.PathAdminPrices, e.chain, json, `{"prices":[{"product_id":"nope","price":399}]}`, 400, false},
		{"setup", "GET", store + "/setup", e.store1, "", "", 200, false},
		{"setup, another store's", "GET", sister + "/setup", e.store1, "", "", 403, false},
		{"setup, no such store", "GET", api.PathAdminStores + "S9999/setup", e.chain, "", "", 404, false},
		{"setup set", "PUT", store + "/setup", e.store1, json, asJSON(t, apimap.SetupOf(setup)), 200, false},
		{"setup set, a wrong currency", "PUT", store + "/setup", e.store1, json, strings.Replace(asJSON(t, apimap.SetupOf(setup)), `"Code":"EUR"`, `"Code":"EURO"`, 1), 400, false},
		{"promotions", "GET", store + "/documents/promotions", e.store1, "", "", 200, false},
		{"promotions set", "PUT", store + "/documents/promotions", e.store1, text, string(demo.Promotions()), 200, false},
		{"promotions set, not compiling", "PUT", store + "/documents/promotions", e.store1, json, `{"body":"[[promotion]]\nid = 7\nkind = \"nonsense\"\n"}`, 400, false},
		{"promotions removed", "DELETE", store + "/documents/promotions", e.store1, "", "", 204, false},
		{"promotions, none", "GET", store + "/documents/promotions", e.store1, "", "", 404, false},
		{"promotions removed, none", "DELETE", store + "/documents/promotions", e.store1, "", "", 404, false},
		{"a receipt layout set", "PUT", store + "/documents/receipt/sale", e.chain, json, asJSON(t, api.StoreDocument{Name: "receipt/sale", Body: string(sale)}), 200, false},
		{"a receipt layout set, wrong", "PUT", store + "/documents/receipt/sale", e.chain, text, "[[block]]\ntype = \"nonsense\"\n", 400, false},
		{"a receipt layout", "GET", store + "/documents/receipt/sale", e.chain, "", "", 200, false},
		{"a receipt layout, another store's", "GET", sister + "/documents/receipt/sale", e.store1, "", "", 403, false},
		{"a receipt layout removed", "DELETE", store + "/documents/receipt/sale", e.chain, "", "", 204, false},
		{"a receipt layout removed, none", "DELETE", store + "/documents/receipt/gift", e.chain, "", "", 404, false},
		{"a receipt layout, none", "GET", store + "/documents/receipt/gift", e.chain, "", "", 404, false},
		{"a hardware profile set", "PUT", store + "/documents/hardware/T01", e.store1, text, profile, 200, false},
		{"a hardware profile set, unknown driver", "PUT", store + "/documents/hardware/T01", e.store1, text, "[printer]\ndriver = \"teleprinter\"\n", 400, false},
		{"a hardware profile", "GET", store + "/documents/hardware/T01", e.store1, "", "", 200, false},
		{"a hardware profile, none", "GET", store + "/documents/hardware/T02", e.store1, "", "", 404, false},
		{"a hardware profile removed", "DELETE", store + "/documents/hardware/T01", e.store1, "", "", 204, false},
		{"a hardware profile removed, another store's", "DELETE", sister + "/documents/hardware/T01", e.store1, "", "", 403, false},
		{"an operator", "PUT", api.PathAdminOperators + "6001", e.chain, json, `{"name":"Ada","role":"cashier","stores":["S0001"],"pin":"482915"}`, 200, false},
		{"an operator renamed", "PUT", api.PathAdminOperators + "6001", e.chain, json, `{"name":"Ada L.","role":"cashier"}`, 200, false},
		{"an operator, no PIN", "PUT", api.PathAdminOperators + "6002", e.chain, json, `{"name":"Bo","role":"cashier"}`, 400, false},
		{"an operator, a store's token", "PUT", api.PathAdminOperators + "6002", e.store1, json, `{"name":"Bo","role":"cashier","pin":"135790"}`, 403, false},
		{"a role", "PUT", api.PathAdminRoles + "supervisor", e.chain, json, `{"name":"Supervisor","permissions":[100],"limits":{"max_line_discount_bp":2000},"manager":true}`, 200, false},
		{"a role, a discount above 100 %", "PUT", api.PathAdminRoles + "supervisor", e.chain, json, `{"name":"Supervisor","limits":{"max_line_discount_bp":20000}}`, 400, true},
		{"tills", "GET", api.PathAdminTills, e.chain, "", "", 200, false},
		{"tills, of a store", "GET", api.PathAdminTills + "?store=" + demo.StoreID, e.store1, "", "", 200, false},
		{"tills, of another store", "GET", api.PathAdminTills + "?store=" + scaleunit.SisterStoreID, e.store1, "", "", 403, false},
		{"a code", "POST", tills + "/T05/code", e.store1, json, `{"valid_hours":24}`, 200, false},
		{"a code, no body", "POST", tills + "/T05/code", e.store1, "", "", 200, false},
		{"a code, too long", "POST", tills + "/T05/code", e.store1, json, `{"valid_hours":9999}`, 400, true},
		{"a code, no such store", "POST", api.PathAdminTills + "/S9999/T05/code", e.chain, "", "", 404, false},
		{"a till deactivated", "DELETE", tills + "/T05", e.store1, "", "", 204, false},
		{"a till deactivated, none", "DELETE", tills + "/T55", e.store1, "", "", 404, false},
	}
	seen := map[string]map[int]bool{}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, route := conformingCall(t, router, tc.method, e.url+tc.path, tc.ctype, tc.body, tc.token, tc.status, tc.skipReq)
			op := tc.method + " " + route.Path
			if seen[op] == nil {
				seen[op] = map[int]bool{}
			}
			seen[op][code] = true
		})
	}

	t.Run("every admin operation is called, with a success and a refusal", func(t *testing.T) {
		var ops []string
		for path, item := range doc.Paths.Map() {
			if !strings.HasPrefix(path, api.PathAdmin) {
				continue
			}
			for method, op := range item.Operations() {
				ops = append(ops, method+" "+path)
				require.NotNil(t, op.Security, "%s %s names its security scheme", method, path)
				assert.Equal(t, openapi3.SecurityRequirements{{"admin": {}}}, *op.Security, "%s %s takes an admin token", method, path)
			}
		}
		sort.Strings(ops)
		require.Len(t, ops, 20, "the admin operations: %v", ops)
		for _, op := range ops {
			ok, refused := false, false
			for status := range seen[op] {
				ok = ok || status < 300
				refused = refused || status >= 400
			}
			assert.True(t, ok, "%s: no success was checked", op)
			assert.True(t, refused, "%s: no refusal was checked", op)
		}
	})
}

// TestAdminConformanceCheckIsNotVacuous: the admin schemas refuse replies
// that break the contract, a PIN's hash in an operator first.
func TestAdminConformanceCheckIsNotVacuous(t *testing.T) {
	router, _ := specRouter(t, "http://127.0.0.1:8640")
	tests := []struct {
		name, method, path string
		status             int
		body               string
	}{
		{"an operator with its hash", "PUT", "/v1/admin/operators/1", 200,
			`{"id":"1","name":"A","role":"cashier","language":"en","stores":[],"pin_set":true,"password_hash":"$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$a2V5"}`},
		{"an operator without pin_set", "PUT", "/v1/admin/operators/1", 200, `{"id":"1","name":"A","role":"cashier","language":"en","stores":[]}`},
		{"a till in no known state", "GET", "/v1/admin/tills", 200, `{"tills":[{"id":"S/T","store_id":"S","terminal_id":"T","device_name":"","state":"asleep","pending":0}]}`},
		{"a code without the code", "POST", "/v1/admin/tills/S0001/T01/code", 200, `{"till_id":"S0001/T01","expires":"2026-12-01T00:00:00Z"}`},
		{"a batch that changed nothing", "PUT", "/v1/admin/prices", 200, `{"changed":0}`},
		{"a document without its name", "GET", "/v1/admin/stores/S0001/documents/promotions", 200, `{"body":"x"}`},
		{"a status that is not documented", "DELETE", "/v1/admin/products/p1", 409, `{"error":{"code":"conflict","message":"no"}}`},
		{"an error of an unknown code", "GET", "/v1/admin/tills", 403, `{"error":{"code":"nope","message":"no"}}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req, err := http.NewRequest(tc.method, "http://127.0.0.1:8640"+tc.path, nil)
			require.NoError(t, err)
			route, params, err := router.FindRoute(req)
			require.NoError(t, err)
			in := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route}
			out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: tc.status,
				Header: http.Header{"Content-Type": {"application/json"}}, Options: &openapi3filter.Options{IncludeResponseStatus: true}}
			out.SetBodyBytes([]byte(tc.body))
			assert.Error(t, openapi3filter.ValidateResponse(ctx, out))
		})
	}
}
