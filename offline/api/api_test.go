package api_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/offline/api"
)

func TestPageValidate(t *testing.T) {
	prod := &api.Product{ID: "p1", Name: "Tea", TaxGroup: "STD"}
	tests := []struct {
		name    string
		ds      string
		after   int64
		page    api.Page
		wantErr string
	}{
		{"good products page", "products", 0, api.Page{Dataset: "products", NextCursor: 2, Changes: []api.Change{{Seq: 1, Key: "p1", Product: prod}, {Seq: 2, Key: "x", Deleted: true}}}, ""},
		{"empty page at the end", "prices", 5, api.Page{Dataset: "prices", NextCursor: 5}, ""},
		{"other dataset", "prices", 0, api.Page{Dataset: "products"}, `dataset "products"`},
		{"cursor back", "products", 9, api.Page{Dataset: "products", NextCursor: 3}, "behind"},
		{"not after cursor", "products", 1, api.Page{Dataset: "products", NextCursor: 2, Changes: []api.Change{{Seq: 1, Key: "p1", Product: prod}}}, "out of order"},
		{"beyond next cursor", "products", 0, api.Page{Dataset: "products", NextCursor: 1, Changes: []api.Change{{Seq: 2, Key: "p1", Product: prod}}}, "beyond"},
		{"key differs from product", "products", 0, api.Page{Dataset: "products", NextCursor: 1, Changes: []api.Change{{Seq: 1, Key: "p2", Product: prod}}}, "valid products record"},
		{"no key", "products", 0, api.Page{Dataset: "products", NextCursor: 1, Changes: []api.Change{{Seq: 1, Product: prod}}}, "no key"},
		{"negative price", "prices", 0, api.Page{Dataset: "prices", NextCursor: 1, Changes: []api.Change{{Seq: 1, Key: "p1", Price: &api.PriceChange{ProductID: "p1", Price: -1}}}}, "valid prices record"},
		{"staff with role and operator", "staff", 0, api.Page{Dataset: "staff", NextCursor: 1, Changes: []api.Change{{Seq: 1, Key: "role:r", Role: &api.Role{ID: "r"}, Operator: &api.Operator{ID: "o"}}}}, "valid staff record"},
		{"config without IDs", "config", 0, api.Page{Dataset: "config", NextCursor: 1, Changes: []api.Change{{Seq: 1, Key: "setup", Setup: &api.Setup{}}}}, "valid config record"},
		{"negative remaining", "config", 0, api.Page{Dataset: "config", Remaining: -1}, "remaining"},
		{"empty page says more", "config", 0, api.Page{Dataset: "config", More: true}, "empty page"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.page.Validate(tc.ds, tc.after)
			if tc.wantErr == "" {
				assert.NoError(t, err)
				return
			}
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.wantErr)
		})
	}
}

func TestValidClientID(t *testing.T) {
	tests := []struct {
		id   string
		want bool
	}{
		{"01a21bcd-fcef-7699-935e-5a8bb2bc0060", true},
		{"shift:2026-11-27:T01", true},
		{"", false},
		{"-leading", false},
		{"a/b", false},
		{"../etc", false},
		{string(make([]byte, 200)), false},
	}
	for _, tc := range tests {
		assert.Equal(t, tc.want, api.ValidClientID(tc.id), "%q", tc.id)
	}
}

// FuzzPage decodes arbitrary replies as pages: never a panic, and a page
// that validates has strictly increasing sequences within its cursor.
func FuzzPage(f *testing.F) {
	f.Add([]byte(`{"dataset":"products","changes":[{"seq":1,"key":"p","product":{"id":"p","name":"n","tax_group":"S"}}],"next_cursor":1}`))
	f.Add([]byte(`{"dataset":"staff","changes":[{"seq":3,"key":"operator:1","operator":{"id":"1"}}],"next_cursor":3,"more":true}`))
	f.Add([]byte(`{"dataset":"config","changes":[],"next_cursor":0}`))
	f.Add([]byte(`{"dataset":"docs","changes":[{"seq":2,"key":"po-1","doc":{"id":"po-1","kind":"purchase","number":"PO-1","from":"Acme","to":"S1","created":"2026-12-03T10:00:00Z","lines":[{"product_id":"10000","ordered":5000,"received":2000}],"posted":["rc-1"]}}],"next_cursor":2}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var p api.Page
		if json.Unmarshal(data, &p) != nil {
			return
		}
		for _, ds := range api.Datasets {
			if p.Validate(ds, 0) != nil {
				continue
			}
			last := int64(0)
			for _, c := range p.Changes {
				require.Greater(t, c.Seq, last)
				require.LessOrEqual(t, c.Seq, p.NextCursor)
				last = c.Seq
			}
		}
	})
}
