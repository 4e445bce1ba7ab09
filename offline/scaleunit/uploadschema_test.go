package scaleunit

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/docs"
	"github.com/opentill/opentill/offline/api"
)

// TestTheContractNamesASchemaForEveryKind: the embedded contract loads,
// and x-upload-schemas maps each upload kind to a component schema.
func TestTheContractNamesASchemaForEveryKind(t *testing.T) {
	us, err := contractSchemas()
	require.NoError(t, err)
	for _, k := range api.Kinds {
		assert.NotNil(t, us[k].schema, k)
	}
	assert.Len(t, us, len(api.Kinds))
}

func TestBrokenContractsAreRefused(t *testing.T) {
	spec := string(docs.ScaleUnitAPI)
	tests := []struct {
		name, old, new, want string
	}{
		{"not YAML", "openapi: 3.1.0", "openapi: [", "does not load"},
		{"no mapping", "      x-upload-schemas:", "      x-upload-schematas:", "needs x-upload-schemas"},
		{"a kind without schema", `        order_event: "#/components/schemas/OrderEvent"`, "", `upload kind "order_event"`},
		{"an unknown schema", `        order_event: "#/components/schemas/OrderEvent"`, `        order_event: "#/components/schemas/Nope"`, `"#/components/schemas/Nope"`},
		{"an unknown kind", `        order_event: "#/components/schemas/OrderEvent"`, `        order_event: "#/components/schemas/OrderEvent"` + "\n" + `        voucher: "#/components/schemas/OrderEvent"`, `"voucher", which is no upload kind`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			require.Contains(t, spec, tc.old)
			_, err := loadUploadSchemas([]byte(strings.Replace(spec, tc.old, tc.new, 1)))
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

// realUploads reads the uploads real tills sent in the sync suite
// (testdata/uploads/KIND[-what].json), by file name.
func realUploads(t testing.TB) map[string][]byte {
	t.Helper()
	files, err := filepath.Glob("testdata/uploads/*.json")
	require.NoError(t, err)
	require.NotEmpty(t, files)
	out := map[string][]byte{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		require.NoError(t, err)
		out[strings.TrimSuffix(filepath.Base(f), ".json")] = b
	}
	return out
}

// kindOf is the upload kind of a testdata file's name.
func kindOf(name string) string { k, _, _ := strings.Cut(name, "-"); return k }

func TestRealUploadsOfEveryKindConform(t *testing.T) {
	us := mustUploadSchemas()
	seen := map[string]bool{}
	for name, body := range realUploads(t) {
		t.Run(name, func(t *testing.T) {
			rec, err := decodeUpload(body)
			require.NoError(t, err)
			require.NoError(t, us.check(kindOf(name), rec))
		})
		seen[kindOf(name)] = true
	}
	for _, k := range api.Kinds {
		assert.True(t, seen[k], "no real upload of kind %s in testdata/uploads", k)
	}
}

// edit changes a decoded record at a dotted path (numbers index arrays):
// sets the value, or deletes the field when del.
func edit(t *testing.T, rec any, path string, v any, del bool) {
	t.Helper()
	parts := strings.Split(path, ".")
	cur := rec
	for i, p := range parts {
		last := i == len(parts)-1
		switch c := cur.(type) {
		case map[string]any:
			if last {
				if del {
					delete(c, p)
				} else {
					c[p] = v
				}
				return
			}
			cur = c[p]
		case []any:
			n := 0
			for _, r := range p {
				n = n*10 + int(r-'0')
			}
			require.Less(t, n, len(c), path)
			if last {
				c[n] = v
				return
			}
			cur = c[n]
		default:
			t.Fatalf("%s: no field %s", path, p)
		}
	}
}

func TestViolationsNameTheFieldAndWhatIsWrong(t *testing.T) {
	us := mustUploadSchemas()
	real := realUploads(t)
	const del = "<delete>"
	tests := []struct {
		upload, path string
		value        any
		want         string
	}{
		{"transaction-card", "lines.0.qty", "1000", "lines[0].qty: must be an integer (got a string)"},
		{"transaction-card", "lines.0.qty", 1.5, "lines[0].qty: must be an integer (got a number with a fraction)"},
		{"transaction-card", "lines.0.product_id", del, "lines[0].product_id: is missing"},
		{"transaction-card", "totals.total", del, "totals.total: is missing"},
		{"transaction-card", "status", del, "status: is missing"},
		{"transaction-card", "status", "open", `status: must be one of ["completed","voided"]`},
		{"transaction-card", "tenders.0.kind", "bitcoin", "tenders[0].kind: must be one of"},
		{"transaction-card", "tenders.0.card.masked_pan", del, "tenders[0].card.masked_pan: is missing"},
		{"transaction-card", "lines.0.no", 0, "lines[0].no: must be at least 1"},
		{"transaction-card", "tax_summary.0.rate", -70000, "tax_summary[0].rate: must be at least 0"},
		{"transaction-card", "currency", nil, "currency: must not be null"},
		{"transaction-card", "currency.Digits", -2, "currency.Digits: must be at least 0"},
		{"transaction-card", "lines", map[string]any{}, "lines: must be one of array, null (got an object)"},
		{"transaction-card", "started", "yesterday", "started: must be an RFC 3339 date-time, e.g. 2026-12-03T10:00:00Z"},
		{"transaction-foreign", "tenders.0.foreign.rate", 0, "tenders[0].foreign.rate: must be at least 1"},
		{"transaction-giftcard", "lines.0.value.role", "steal", "lines[0].value.role: must be one of"},
		{"transaction-order", "order_event.order.lines.0.qty", 0, "order_event.order.lines[0].qty: must be at least 1"},
		{"shift_event-close", "z_report.tenders.0.count", -1, "z_report.tenders[0].count: must be at least 0"},
		{"shift_event-close", "entry.prev_hash", "abc", "entry.prev_hash: doesn't match the regular expression"},
		{"shift_event-open", "state.status", "gone", "state.status: must be one of"},
		{"customer", "customer.stamps", del, "customer.stamps: is missing"},
		{"journal", "entries", []any{}, "entries: minimum number of items is 1"},
		{"journal", "entries.0.seq", 0, "entries[0].seq: must be at least 1"},
		{"stock_adjustment", "qty", 0, "qty: must not be 0"},
		{"stock_count", "lines.0.qty", -1000, "lines[0].qty: must be at least 0"},
		{"stock_count_post", "count_id", "", "count_id: must not be empty"},
		{"stock_transfer", "kind", "gift", "kind: must be one of"},
		{"stock_doc_post", "lines.0.qty", 0, "lines[0].qty: must be at least 1"},
		{"order_event-edit", "kind", "explode", "kind: must be one of"},
	}
	for _, tc := range tests {
		t.Run(tc.upload+" "+tc.path, func(t *testing.T) {
			rec, err := decodeUpload(real[tc.upload])
			require.NoError(t, err)
			edit(t, rec, tc.path, tc.value, tc.value == del)
			err = us.check(kindOf(tc.upload), rec)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
			assert.Contains(t, err.Error(), "docs/scaleunit-api.yaml")
		})
	}
}

func TestManyViolationsAreCounted(t *testing.T) {
	rec, err := decodeUpload(realUploads(t)["transaction-card"])
	require.NoError(t, err)
	for _, f := range []string{"status", "store", "terminal", "operator", "currency", "started", "finished", "totals"} {
		delete(rec, f)
	}
	err = mustUploadSchemas().check(api.KindTransaction, rec)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "; and 3 more")
}

// The messages never repeat a value (a customer's data): only its type.
func TestViolationsKeepValuesOut(t *testing.T) {
	rec, err := decodeUpload(realUploads(t)["customer"])
	require.NoError(t, err)
	edit(t, rec, "customer.first_name", 4711.5, false)
	err = mustUploadSchemas().check(api.KindCustomer, rec)
	require.Error(t, err)
	assert.NotContains(t, err.Error(), "4711")
	b, _ := json.Marshal(rec)
	assert.NotContains(t, err.Error(), string(b))
}

// BenchmarkUploadValidation: what validating a till's sale costs the
// server per upload (decoding it once and holding it to Transaction).
func BenchmarkUploadValidation(b *testing.B) {
	body := realUploads(b)["transaction-card"]
	us := mustUploadSchemas()
	b.ReportAllocs()
	for b.Loop() {
		rec, err := decodeUpload(body)
		if err == nil {
			err = us.check(api.KindTransaction, rec)
		}
		if err != nil {
			b.Fatal(err)
		}
	}
}
