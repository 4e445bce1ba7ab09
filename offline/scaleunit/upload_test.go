package scaleunit_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/offline/api"
	"github.com/opentill/opentill/offline/demo"
	"github.com/opentill/opentill/offline/scaleunit"
	"github.com/opentill/opentill/offline/scaleunit/sutest"
	"github.com/opentill/opentill/pos/cart"
	"github.com/opentill/opentill/pos/catalog"
	"github.com/opentill/opentill/pos/money"
)

// tillSale is a completed sale of till S0001/T01 as the till commits it
// (a cart.Cart priced by the demo store's rules, paid by card).
func tillSale(t testing.TB, id string) map[string]any {
	t.Helper()
	at := time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC)
	p := demo.Featured[0]
	c := &cart.Cart{ID: id, ReceiptNo: "S0001-T01-000001", Store: demo.StoreID, Terminal: "T01", Operator: "1001",
		Currency: money.EUR, Status: cart.Completed, Started: at, Finished: at,
		Lines: []cart.Line{{No: 1, ProductID: p.ID, ItemID: p.ItemID, Name: p.Name, Unit: p.Unit, UnitDecimals: p.UnitDecimals(),
			Qty: 2 * catalog.One, UnitPrice: p.Price, OriginalPrice: p.Price, TaxGroup: p.TaxGroup, Flags: p.Flags}}}
	setup := demo.Setup()
	pricing := setup.Pricing()
	require.NoError(t, c.Reprice(pricing))
	c.Tenders = []cart.Tender{{No: 1, TypeID: demo.TenderCard, Name: "Card", Kind: cart.Card, Amount: c.Totals.Total,
		Card: &cart.CardInfo{MaskedPAN: "************4242", Brand: "VISA", AuthCode: "123456", Reference: "R1"}}}
	require.NoError(t, c.Reprice(pricing))
	b, err := json.Marshal(c)
	require.NoError(t, err)
	var rec map[string]any
	require.NoError(t, json.Unmarshal(b, &rec))
	return rec
}

// put uploads body as kind/id with token and returns the status and reply.
func put(t testing.TB, url, token, kind, id, body string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPut, url+api.PathUploads+kind+"/"+id, strings.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, string(b)
}

// activeTill activates till T01 of the demo store on a served scale unit
// and returns its token.
func activeTill(t testing.TB, url string, st *scaleunit.DB) string {
	t.Helper()
	till, err := st.PutTill(ctx, demo.StoreID, "T01")
	require.NoError(t, err)
	code, err := scaleunit.IssueActivationCode(ctx, st, till.ID, time.Hour)
	require.NoError(t, err)
	return activateWith(t, url, code, "")
}

func mustMarshal(t testing.TB, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return string(b)
}

// TestUploadsBreakingTheContractAreRefused: the server holds each upload to
// its kind's schema in docs/scaleunit-api.yaml; a record that breaks it is
// refused with 400 and a message naming the field, and nothing is stored
// (the valid record under the same ID is new afterwards).
func TestUploadsBreakingTheContractAreRefused(t *testing.T) {
	sutest.Each(t, testUploadsBreakingTheContractAreRefused)
}

func testUploadsBreakingTheContractAreRefused(t *testing.T, backend string) {
	url, st := startServerOn(t, backend)
	token := activeTill(t, url, st)
	const id = "01a21bcd-fcef-7699-935e-5a8bb2bc0a01"
	tests := []struct {
		name   string
		change func(rec map[string]any)
		raw    string // the body instead, when set
		want   string
	}{
		{"null", nil, "null", "the upload is not a JSON object"},
		{"an array", nil, "[" + mustMarshal(t, tillSale(t, id)) + "]", "the upload is not a JSON object"},
		{"an empty object", nil, "{}", "the record carries no id"},
		{"another store's", func(r map[string]any) { r["store"] = "S0002" }, "", "is of store S0002"},
		{"another register's", func(r map[string]any) { r["terminal"] = "T09" }, "", "is of register T09"},
		{"a quantity in a string", func(r map[string]any) { r["lines"].([]any)[0].(map[string]any)["qty"] = "2000" }, "",
			"lines[0].qty: must be an integer (got a string)"},
		{"without the total", func(r map[string]any) { delete(r["totals"].(map[string]any), "total") }, "", "totals.total: is missing"},
		{"without lines", func(r map[string]any) { delete(r, "lines") }, "", "lines: is missing"},
		{"a negative tax rate", func(r map[string]any) { r["tax_summary"].([]any)[0].(map[string]any)["rate"] = -70000 }, "",
			"tax_summary[0].rate: must be at least 0"},
		{"an unknown tender kind", func(r map[string]any) { r["tenders"].([]any)[0].(map[string]any)["kind"] = "iou" }, "",
			"tenders[0].kind: must be one of"},
		{"a suspended cart", func(r map[string]any) { r["status"] = "suspended" }, "", `status: must be one of ["completed","voided"]`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			body := tc.raw
			if body == "" {
				rec := tillSale(t, id)
				tc.change(rec)
				body = mustMarshal(t, rec)
			}
			status, reply := put(t, url, token, api.KindTransaction, id, body)
			require.Equal(t, http.StatusBadRequest, status, reply)
			var e api.ErrorReply
			require.NoError(t, json.Unmarshal([]byte(reply), &e), reply)
			assert.Equal(t, api.CodeBadRequest, e.Error.Code)
			assert.Contains(t, e.Error.Message, tc.want)
			assert.Contains(t, e.Error.Message, "nothing was stored")
			ups, err := st.Uploads(ctx, api.KindTransaction)
			require.NoError(t, err)
			assert.Empty(t, ups, "a refused upload is not stored")
		})
	}
	status, reply := put(t, url, token, api.KindTransaction, id, mustMarshal(t, tillSale(t, id)))
	require.Equal(t, http.StatusOK, status, reply)
	var up api.UploadReply
	require.NoError(t, json.Unmarshal([]byte(reply), &up))
	assert.False(t, up.Duplicate, "none of the refused bodies was stored under the ID")
}

// TestRealUploadsAreAccepted: the uploads real tills sent (testdata/uploads,
// taken from the sync suite's tills) pass the server, kinds a bare server
// can store as they come.
func TestRealUploadsAreAccepted(t *testing.T) { sutest.Each(t, testRealUploadsAreAccepted) }

func testRealUploadsAreAccepted(t *testing.T, backend string) {
	url, st := startServerOn(t, backend)
	token := activeTill(t, url, st)
	for _, name := range []string{"transaction-card", "transaction-foreign", "transaction-return", "transaction-voided",
		"shift_event-open", "shift_event-movement", "shift_event-close", "stock_adjustment", "stock_count", "transaction-order", "order_event-pick"} {
		t.Run(name, func(t *testing.T) {
			b, err := os.ReadFile("testdata/uploads/" + name + ".json")
			require.NoError(t, err)
			var rec map[string]any
			require.NoError(t, json.Unmarshal(b, &rec))
			rec["store"], rec["terminal"] = demo.StoreID, "T01" // the calling till's
			kind, _, _ := strings.Cut(name, "-")
			status, reply := put(t, url, token, kind, rec["id"].(string), mustMarshal(t, rec))
			assert.Equal(t, http.StatusOK, status, reply)
		})
	}
}

// FuzzUploadValidation: whatever a body holds, the server answers without
// failing (no 500: a panic in the validation would be one), and a body it
// refuses leaves nothing stored.
func FuzzUploadValidation(f *testing.F) {
	st, _ := sutest.Open(f, "sqlite")
	require.NoError(f, scaleunit.Seed(ctx, st, 5, nil))
	till, err := st.PutTill(ctx, demo.StoreID, "T01")
	require.NoError(f, err)
	code, err := scaleunit.IssueActivationCode(ctx, st, till.ID, time.Hour)
	require.NoError(f, err)
	const token = "fuzz-token-fuzz-token-fuzz-token"
	_, err = st.Activate(ctx, scaleunit.HashCode(code), scaleunit.HashSecret(token), "fuzz", nil, "")
	require.NoError(f, err)
	h := scaleunit.New(st, nil).Handler()
	for _, name := range []string{"transaction-card", "transaction-order", "shift_event-close", "customer", "journal", "stock_count", "order_event-edit"} {
		b, err := os.ReadFile("testdata/uploads/" + name + ".json")
		require.NoError(f, err)
		kind, _, _ := strings.Cut(name, "-")
		f.Add(kind, b)
	}
	f.Add(api.KindTransaction, []byte(`{"id":"f1","lines":[{"qty":1e400}]}`))
	f.Add(api.KindTransaction, []byte(`{"id":"f1","lines":[null,{"no":"1"}],"tenders":{}}`))
	f.Add(api.KindShiftEvent, []byte(`{"id":"f1","entry":[],"z_report":{"tenders":[[]]}}`))
	f.Add(api.KindStockAdjustment, []byte(`{"id":"f1","qty":-0.0}`))
	f.Add(api.KindTransaction, []byte("null"))
	f.Fuzz(func(t *testing.T, kind string, body []byte) {
		if !api.ValidKind(kind) {
			kind = api.KindTransaction
		}
		id := "f1"
		var probe struct{ ID string }
		if json.Unmarshal(body, &probe) == nil && api.ValidClientID(probe.ID) {
			id = probe.ID
		}
		before := storedUploads(t, st)
		req := httptest.NewRequest(http.MethodPut, api.PathUploads+kind+"/"+id, bytes.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+token)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		status, reply := w.Code, w.Body.String()
		require.NotEqual(t, http.StatusInternalServerError, status, reply)
		if status != http.StatusOK {
			assert.Equal(t, before, storedUploads(t, st), "refused (%d %s) yet stored", status, reply)
		}
	})
}

// storedUploads counts the uploads of every kind the server holds.
func storedUploads(t testing.TB, st *scaleunit.DB) int {
	t.Helper()
	n := 0
	for _, k := range api.Kinds {
		ups, err := st.Uploads(ctx, k)
		require.NoError(t, err)
		n += len(ups)
	}
	return n
}
