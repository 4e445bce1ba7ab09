package scaleunit_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/extensions/wasm"
	"github.com/opentill/opentill/offline/api"
	"github.com/opentill/opentill/offline/apimap"
	"github.com/opentill/opentill/offline/demo"
	"github.com/opentill/opentill/offline/scaleunit"
	"github.com/opentill/opentill/offline/scaleunit/sutest"
	"github.com/opentill/opentill/pos/customer"
	"github.com/opentill/opentill/pos/journal"
)

func TestMain(m *testing.M) { sutest.Main(m) }

var ctx = context.Background()

// startServerOn serves a seeded scale unit on a storage backend.
func startServerOn(t testing.TB, backend string) (string, *scaleunit.DB) {
	t.Helper()
	st, _ := sutest.Open(t, backend)
	require.NoError(t, scaleunit.Seed(ctx, st, 40, nil))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	c, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { defer close(done); _ = scaleunit.New(st, nil).Serve(c, ln, "", "") }()
	t.Cleanup(func() { cancel(); <-done; st.Close() })
	return "http://" + ln.Addr().String(), st
}

// TestResponsesConformToOpenAPI sends real requests to a real server and
// validates every request and response against docs/scaleunit-api.yaml.
func TestResponsesConformToOpenAPI(t *testing.T) { sutest.Each(t, testResponsesConformToOpenAPI) }

func testResponsesConformToOpenAPI(t *testing.T, backend string) {
	url, st := startServerOn(t, backend)
	router, _ := specRouter(t, url)

	tillCode := func(terminal string) string {
		till, err := st.PutTill(ctx, demo.StoreID, terminal)
		require.NoError(t, err)
		code, err := scaleunit.IssueActivationCode(ctx, st, till.ID, time.Hour)
		require.NoError(t, err)
		return code
	}
	activate := func(terminal string) string { return activateWith(t, url, tillCode(terminal), "") }
	key, other := testKey(t, 1), testKey(t, 2)
	signedTill := activateWith(t, url, tillCode("T05"), journal.EncodePublic(key.Public()))
	keyless := activate("T04")
	bid := func(es ...journal.Entry) string { return api.JournalBatchID(key.ID(), es[0].Seq, es[len(es)-1].Seq) }
	batch := func(entries ...journal.Entry) string {
		b := api.JournalBatch{ID: bid(entries...)}
		for _, e := range entries {
			b.Entries = append(b.Entries, apimap.JournalEntryOf(e))
		}
		out, err := json.Marshal(b)
		require.NoError(t, err)
		return string(out)
	}
	chain := signedEntries(key, 3)
	forked := signedEntries(key, 3)
	forked[1].Operator = "9999"
	journal.SealSigned(&forked[1], forked[0].Head(), key)
	token := activate("T01")
	deact := activate("T02")
	require.NoError(t, st.SetTillActive(ctx, demo.StoreID+"/T02", false))
	client := `{"version":"v0.2.0","commit":"c917fb6","build_date":"2026-12-02T16:49:05Z","os":"windows","arch":"amd64","schema":3}`
	sale := tillSale(t, "01a21bcd-fcef-7699-935e-5a8bb2bc0060")
	txn := mustMarshal(t, sale)
	sale["comment"] = "changed"
	otherTxn := mustMarshal(t, sale)
	gift := tillSale(t, "01a21bcd-fcef-7699-935e-5a8bb2bc0061")
	gift["lines"] = []any{map[string]any{"no": 1, "product_id": "giftcard", "item_id": "giftcard", "name": "Gift card", "unit": "", "unit_decimals": 0,
		"qty": 1000, "unit_price": 2500, "original_price": 2500, "tax_group": "", "flags": map[string]any{}, "discount": map[string]any{},
		"gross": 2500, "line_discount": 0, "total_discount": 0, "net": 2500, "tax": 0,
		"value": map[string]any{"kind": "giftcard", "number": "GC-0042", "role": "issue"}}}
	gift["tenders"] = []any{map[string]any{"no": 1, "type": "cash", "name": "Cash", "kind": "cash", "amount": 2500}}
	giftTxn := mustMarshal(t, gift)
	require.NoError(t, st.PutDoc(ctx, api.StockDoc{ID: "po-1", Kind: "purchase", Number: "PO-1", From: "Acme", To: demo.StoreID,
		Lines: []api.StockDocLine{{ProductID: demo.Featured[0].ID, Ordered: 5000}}}))
	receipt := `{"id":"rc-1","doc_id":"po-1","kind":"receipt","lines":[{"product_id":"` + demo.Featured[0].ID + `","qty":2000}],"operator":"3001","at":"2026-12-03T10:00:00Z"}`
	custID, custBody := customerUpload(t, "Anna")
	badCustID, badCustBody := customerUpload(t, "")
	ext := publishedExtension(t, st)

	tests := []struct {
		name    string
		method  string
		path    string
		token   string
		body    string
		status  int
		skipReq bool // the request itself breaks the contract on purpose
	}{
		{"health", "GET", "/v1/health", "", "", 200, false},
		{"activate", "POST", "/v1/activate", "", `{"code":"` + tillCode("T03") + `","device_name":"till 3"}`, 200, false},
		{"activate with the client's build", "POST", "/v1/activate", "", `{"code":"` + tillCode("T08") + `","device_name":"till 8","client":` + client + `}`, 200, false},
		{"check in", "POST", "/v1/checkin", token, `{"client":` + client + `,"pending":3}`, 200, false},
		{"check in without a version", "POST", "/v1/checkin", token, `{"client":{"os":"linux","arch":"amd64"},"pending":0}`, 400, true},
		{"check in without token", "POST", "/v1/checkin", "", `{"client":` + client + `,"pending":0}`, 401, true},
		{"check in, deactivated till", "POST", "/v1/checkin", deact, `{"client":` + client + `,"pending":0}`, 403, false},
		{"activate with a used code", "POST", "/v1/activate", "", `{"code":"NOPE-NOPE-NOPE"}`, 401, false},
		{"activate without code", "POST", "/v1/activate", "", `{}`, 400, true},
		{"feed config", "GET", "/v1/feeds/config?after=0&count=1", token, "", 200, false},
		{"feed staff", "GET", "/v1/feeds/staff", token, "", 200, false},
		{"feed products, paged", "GET", "/v1/feeds/products?after=0&limit=10&count=1", token, "", 200, false},
		{"feed prices", "GET", "/v1/feeds/prices?after=0", token, "", 200, false},
		{"feed, bad limit", "GET", "/v1/feeds/products?limit=0", token, "", 400, true},
		{"feed customers", "GET", "/v1/feeds/customers?after=0&count=1", token, "", 200, false},
		{"feed loyalty", "GET", "/v1/feeds/loyalty?after=0", token, "", 200, false},
		{"upload a receipt", "PUT", "/v1/uploads/stock_doc_post/rc-1", token, receipt, 200, false},
		{"upload a receipt of a document the server lacks", "PUT", "/v1/uploads/stock_doc_post/rc-2", token, strings.ReplaceAll(strings.ReplaceAll(receipt, "po-1", "po-2"), "rc-1", "rc-2"), 400, false},
		{"feed docs", "GET", "/v1/feeds/docs?after=0", token, "", 200, false},
		{"feed stock", "GET", "/v1/feeds/stock?after=0", token, "", 200, false},
		{"feed counts", "GET", "/v1/feeds/counts?after=0", token, "", 200, false},
		{"feed, unknown dataset", "GET", "/v1/feeds/nonsense", token, "", 404, true},
		{"feed without token", "GET", "/v1/feeds/products", "", "", 401, true},
		{"feed, deactivated till", "GET", "/v1/feeds/products", deact, "", 403, false},
		{"upload", "PUT", "/v1/uploads/transaction/01a21bcd-fcef-7699-935e-5a8bb2bc0060", token, txn, 200, false},
		{"upload again", "PUT", "/v1/uploads/transaction/01a21bcd-fcef-7699-935e-5a8bb2bc0060", token, txn, 200, false},
		{"upload, other content", "PUT", "/v1/uploads/transaction/01a21bcd-fcef-7699-935e-5a8bb2bc0060", token, otherTxn, 409, false},
		{"upload, ID mismatch", "PUT", "/v1/uploads/shift_event/s1", token, `{"id":"s2"}`, 400, false},
		{"upload, not JSON", "PUT", "/v1/uploads/customer/c1", token, `nope`, 400, true},
		{"upload, null", "PUT", "/v1/uploads/transaction/t-null", token, `null`, 400, true},
		{"upload, empty object", "PUT", "/v1/uploads/transaction/t-empty", token, `{}`, 400, true},
		{"upload, a transaction breaking its schema", "PUT", "/v1/uploads/transaction/t-bad", token, `{"id":"t-bad","status":"completed","lines":[]}`, 400, false},
		{"upload, another store's transaction", "PUT", "/v1/uploads/transaction/t-other", token, `{"id":"t-other","store":"S0002","terminal":"T01","status":"completed","lines":[]}`, 400, false},
		{"upload, another register's transaction", "PUT", "/v1/uploads/transaction/t-reg", token, `{"id":"t-reg","store":"S0001","terminal":"T09","status":"completed","lines":[]}`, 400, false},
		{"upload a customer", "PUT", "/v1/uploads/customer/" + custID, token, custBody, 200, false},
		{"upload a customer without a name", "PUT", "/v1/uploads/customer/" + badCustID, token, badCustBody, 400, false},
		{"inventory", "GET", "/v1/inventory/" + demo.Featured[0].ID, token, "", 200, false},
		{"customer history", "GET", "/v1/customer-history?number=C000001&number=C000002", token, "", 200, false},
		{"customer history, no number", "GET", "/v1/customer-history", token, "", 400, true},
		{"product picture", "GET", "/v1/images/" + demo.Featured[0].Image, token, "", 200, false},
		{"product picture, unknown", "GET", "/v1/images/" + strings.Repeat("0", 64), token, "", 404, false},
		{"product picture, not a key", "GET", "/v1/images/banana.png", token, "", 400, true},
		{"extension module", "GET", "/v1/extension-modules/" + ext.Module, token, "", 200, false},
		{"extension module, unknown", "GET", "/v1/extension-modules/" + strings.Repeat("0", 64), token, "", 404, false},
		{"extension module, not a key", "GET", "/v1/extension-modules/pfand.wasm", token, "", 400, true},
		{"feed config with an extension", "GET", "/v1/feeds/config?after=0", token, "", 200, false},
		{"sale, unknown receipt", "GET", "/v1/sales/S0001-T09-000001", token, "", 404, true},
		{"balance, unknown card", "GET", "/v1/balances/giftcard/GC-0042", token, "", 404, true},
		{"upload a gift card sale", "PUT", "/v1/uploads/transaction/01a21bcd-fcef-7699-935e-5a8bb2bc0061", token, giftTxn, 200, false},
		{"balance", "GET", "/v1/balances/giftcard/GC-0042", token, "", 200, false},
		{"balance, unknown kind", "GET", "/v1/balances/voucher/GC-0042", token, "", 400, true},
		{"hold", "POST", "/v1/balances/giftcard/GC-0042/holds", token, `{"txn_id":"t-hold","amount":2000}`, 200, false},
		{"hold, a second sale", "POST", "/v1/balances/giftcard/GC-0042/holds", token, `{"txn_id":"t-hold2","amount":600}`, 200, false},
		{"hold at another till, beyond what is left", "POST", "/v1/balances/giftcard/GC-0042/holds", signedTill, `{"txn_id":"t-hold3","amount":1000}`, 409, true},
		{"release", "DELETE", "/v1/holds/t-hold", token, "", 204, false},
		{"hold, not JSON", "POST", "/v1/balances/giftcard/GC-0042/holds", token, `nope`, 400, true},
		{"hold, unknown card", "POST", "/v1/balances/giftcard/GC-0043/holds", token, `{"txn_id":"t-h","amount":100}`, 404, true},
		{"balance feed", "GET", "/v1/feeds/balances", token, "", 200, false},
		{"store report", "GET", "/v1/reports?from=2026-12-01T00:00:00Z&to=2026-12-02T00:00:00Z", token, "", 200, false},
		{"store report, no period", "GET", "/v1/reports", token, "", 400, true},
		{"activate with a key", "POST", "/v1/activate", "", `{"code":"` + tillCode("T06") + `","public_key":"` + journal.EncodePublic(other.Public()) + `"}`, 200, false},
		{"activate with a bad key", "POST", "/v1/activate", "", `{"code":"` + tillCode("T07") + `","public_key":"bm9wZQ=="}`, 400, true},
		{"journal head, no key", "GET", "/v1/journal", keyless, "", 200, false},
		{"register a key", "PUT", "/v1/journal/key", keyless, `{"public_key":"` + journal.EncodePublic(other.Public()) + `"}`, 200, false},
		{"register the same key again", "PUT", "/v1/journal/key", keyless, `{"public_key":"` + journal.EncodePublic(other.Public()) + `"}`, 200, false},
		{"register another key", "PUT", "/v1/journal/key", keyless, `{"public_key":"` + journal.EncodePublic(key.Public()) + `"}`, 409, false},
		{"journal head", "GET", "/v1/journal", signedTill, "", 200, false},
		{"journal upload", "PUT", "/v1/uploads/journal/" + bid(chain[:2]...), signedTill, batch(chain[:2]...), 200, false},
		{"journal upload, overlapping", "PUT", "/v1/uploads/journal/" + bid(chain...), signedTill, batch(chain...), 200, false},
		{"journal upload, rewritten entry", "PUT", "/v1/uploads/journal/" + bid(forked[1]), signedTill, batch(forked[1]), 409, false},
		{"journal upload, gap", "PUT", "/v1/uploads/journal/" + bid(signedEntries(key, 5)[4]), signedTill, batch(signedEntries(key, 5)[4]), 409, false},
		{"journal upload, till without key", "PUT", "/v1/uploads/journal/" + bid(chain[0]), token, batch(chain[0]), 409, false},
		{"journal upload, empty", "PUT", "/v1/uploads/journal/j1", signedTill, `{"id":"j1","entries":[]}`, 400, true},
		{"journal head after", "GET", "/v1/journal", signedTill, "", 200, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ctype := ""
			if tc.body != "" {
				ctype = "application/json"
			}
			conformingCall(t, router, tc.method, url+tc.path, ctype, tc.body, tc.token, tc.status, tc.skipReq)
		})
	}
}

// conformingCall sends a request the document describes (checked against
// it unless skipReq: a request the server must refuse) and checks the
// reply's status and its conformance; it returns the status and the route.
// specRouter loads docs/scaleunit-api.yaml, checks that it is valid
// OpenAPI, and routes its operations for a server at url.
func specRouter(t *testing.T, url string) (routers.Router, *openapi3.T) {
	t.Helper()
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromFile("../../docs/scaleunit-api.yaml")
	require.NoError(t, err)
	require.NoError(t, doc.Validate(loader.Context, openapi3.DisableExamplesValidation()))
	doc.Servers = openapi3.Servers{{URL: url}}
	router, err := legacy.NewRouter(doc)
	require.NoError(t, err)
	return router, doc
}

func conformingCall(t *testing.T, router routers.Router, method, url, ctype, body, token string, status int, skipReq bool) (int, *routers.Route) {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = bytes.NewBufferString(body)
	}
	req, err := http.NewRequest(method, url, rd)
	require.NoError(t, err)
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	route, params, err := router.FindRoute(req)
	require.NoError(t, err, "the path is in the document")
	in := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route,
		Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc}}
	if !skipReq {
		require.NoError(t, openapi3filter.ValidateRequest(ctx, in), "the test's request conforms")
	}
	if body != "" {
		req.Body = io.NopCloser(bytes.NewBufferString(body))
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	assert.Equal(t, status, resp.StatusCode, string(b))
	out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: resp.StatusCode, Header: resp.Header,
		Options: &openapi3filter.Options{IncludeResponseStatus: true}}
	out.SetBodyBytes(b)
	assert.NoError(t, openapi3filter.ValidateResponse(ctx, out), "response %d %s", resp.StatusCode, string(b))
	return resp.StatusCode, route
}

func activateWith(t testing.TB, url, code, pub string) string {
	t.Helper()
	body := `{"code":"` + code + `"}`
	if pub != "" {
		body = `{"code":"` + code + `","public_key":"` + pub + `"}`
	}
	resp, err := http.Post(url+api.PathActivate, "application/json", bytes.NewBufferString(body))
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	require.Equal(t, 200, resp.StatusCode, string(b))
	var a api.Activation
	require.NoError(t, jsonUnmarshal(b, &a))
	return a.Token
}

// TestConformanceCheckIsNotVacuous: the same validation refuses replies that
// break the contract.
func TestConformanceCheckIsNotVacuous(t *testing.T) {
	router, _ := specRouter(t, "http://127.0.0.1:8640")
	tests := []struct {
		name, path string
		status     int
		body       string
	}{
		{"health without version", "/v1/health", 200, `{"status":"ok","time":"2026-11-27T00:00:00Z"}`},
		{"check-in reply without till", "/v1/checkin", 200, `{"server":"v0.2.0","time":"2026-11-27T00:00:00Z"}`},
		{"page with a string cursor", "/v1/feeds/products", 200, `{"dataset":"products","changes":[],"next_cursor":"7","more":false}`},
		{"product without tax group", "/v1/feeds/products", 200, `{"dataset":"products","changes":[{"seq":1,"key":"a","product":{"id":"a","item_id":"a","name":"n","category":"","unit":"ea","price":1,"flags":{}}}],"next_cursor":1,"more":false}`},
		{"error without code", "/v1/feeds/products", 401, `{"error":{"message":"no"}}`},
		{"undocumented status", "/v1/health", 418, `{}`},
		{"journal head with a short hash", "/v1/journal", 200, `{"till_id":"S0001/T01","key_id":"","seq":1,"hash":"ab","sig_counter":0}`},
		{"journal head without a till", "/v1/journal", 200, `{"key_id":"","seq":0,"hash":"","sig_counter":0}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			method := http.MethodGet
			if tc.path == api.PathCheckIn {
				method = http.MethodPost
			}
			req, err := http.NewRequest(method, "http://127.0.0.1:8640"+tc.path, nil)
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

// customerUpload is a till's upload of a new customer named first (none
// when "").
func customerUpload(t *testing.T, first string) (string, string) {
	t.Helper()
	at := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	c := customer.Customer{ID: "01a21bcd-fcef-7699-935e-5a8bb2bc0" + fmt.Sprintf("%03d", len(first)), Number: "S1-T01-C000001", FirstName: first,
		Store: demo.StoreID, Created: at, Updated: at, Version: 1}
	c.StampEdit(nil, customer.Stamp{At: at, By: demo.StoreID + "/T01"})
	id := api.CustomerUploadID(c.ID, 1, demo.StoreID, "T01")
	b, err := json.Marshal(api.CustomerUpload{ID: id, Customer: apimap.CustomerOf(c)})
	require.NoError(t, err)
	return id, string(b)
}

// publishedExtension publishes a small signed package for every store.
func publishedExtension(t *testing.T, st *scaleunit.DB) api.ExtensionPackage {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "acme.hello")
	require.NoError(t, os.MkdirAll(dir, 0o755))
	man := []byte(`{"abi":1,"id":"acme.hello","name":"Hello","version":"0.1.0","hooks":{"pre":[100]},"capabilities":[]}`)
	mod := []byte("\x00asm\x01\x00\x00\x00")
	require.NoError(t, os.WriteFile(filepath.Join(dir, wasm.ManifestFile), man, 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "module.wasm"), mod, 0o644))
	_, key, err := ed25519.GenerateKey(rand.Reader)
	require.NoError(t, err)
	require.NoError(t, wasm.Sign(dir, key))
	sig, err := os.ReadFile(filepath.Join(dir, wasm.SignatureFile))
	require.NoError(t, err)
	p, err := st.PublishExtension(ctx, "", man, mod, sig)
	require.NoError(t, err)
	return p
}
