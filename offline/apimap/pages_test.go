package apimap_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/offline/api"
	"github.com/opentill/opentill/offline/apimap"
	"github.com/opentill/opentill/pos/catalog"
)

// TestValidatePage: the till refuses a page whose record the contract
// takes but the domain does not, with the error the contract gives.
func TestValidatePage(t *testing.T) {
	cust := apimap.CustomerOf(fullCustomer())
	badMail := cust
	badMail.Email = "anna at example"
	noName := cust
	noName.FirstName, noName.LastName = "", ""
	ord := apimap.OrderOf(fullOrder())
	noLines := ord
	noLines.Lines = nil
	bal := api.ValueBalance{Kind: "giftcard", Number: "GC-0042", Amount: 2500, AsOf: t0}
	voucher := bal
	voucher.Kind = "voucher"
	short := bal
	short.Number = "GC1"
	page := func(ds string, c api.Change) api.Page {
		c.Seq = 1
		return api.Page{Dataset: ds, NextCursor: 1, Changes: []api.Change{c}}
	}
	tests := []struct {
		name     string
		page     api.Page
		contract bool // the contract alone takes it
		wantErr  string
	}{
		{"customer", page(api.DatasetCustomers, api.Change{Key: cust.ID, Customer: &cust}), true, ""},
		{"customer with a bad e-mail", page(api.DatasetCustomers, api.Change{Key: cust.ID, Customer: &badMail}), true, "valid customers record"},
		{"customer without a name", page(api.DatasetCustomers, api.Change{Key: cust.ID, Customer: &noName}), true, "valid customers record"},
		{"customer without a number", page(api.DatasetCustomers, api.Change{Key: cust.ID, Customer: &api.Customer{ID: cust.ID}}), false, "valid customers record"},
		{"order", page(api.DatasetOrders, api.Change{Key: ord.ID, Order: &ord}), true, ""},
		{"order without lines", page(api.DatasetOrders, api.Change{Key: ord.ID, Order: &noLines}), true, "valid orders record"},
		{"order under another key", page(api.DatasetOrders, api.Change{Key: "other", Order: &ord}), false, "valid orders record"},
		{"balance", page(api.DatasetBalances, api.Change{Key: "giftcard/GC-0042", Balance: &bal}), true, ""},
		{"balance of an unknown kind", page(api.DatasetBalances, api.Change{Key: "voucher/GC-0042", Balance: &voucher}), true, "valid balances record"},
		{"balance of a short number", page(api.DatasetBalances, api.Change{Key: "giftcard/GC1", Balance: &short}), true, "valid balances record"},
		{"balance under another key", page(api.DatasetBalances, api.Change{Key: "memo/GC-0042", Balance: &bal}), false, "valid balances record"},
		{"a removal", page(api.DatasetCustomers, api.Change{Key: cust.ID, Deleted: true}), true, ""},
		{"products", page(api.DatasetProducts, api.Change{Key: "p1", Product: &api.Product{ID: "p1", Name: "Tea", TaxGroup: "STD"}}), true, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.contract, tc.page.Validate(tc.page.Dataset, 0) == nil, "the contract's own checks")
			err := apimap.ValidatePage(&tc.page, tc.page.Dataset, 0)
			if tc.wantErr == "" {
				assert.NoError(t, err)
				return
			}
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.wantErr)
		})
	}
}

// TestCheckCustomer keeps the errors the contract's customer check gave.
func TestCheckCustomer(t *testing.T) {
	c := apimap.CustomerOf(fullCustomer())
	require.NoError(t, apimap.CheckCustomer(c))
	bad := c
	bad.ID = "../x"
	assert.EqualError(t, apimap.CheckCustomer(bad), `the customer's id "../x" is not a client ID`)
	bad = c
	bad.Number = ""
	assert.EqualError(t, apimap.CheckCustomer(bad), "customer "+c.ID+" has no customer number")
	bad = c
	bad.Notes = append(bad.Notes, api.CustomerNote{Kind: "note", Text: "x"})
	assert.EqualError(t, apimap.CheckCustomer(bad), "customer "+c.ID+" has a note without an ID")
	bad = c
	bad.Wishes = append(bad.Wishes, api.CustomerWish{Name: "x"})
	assert.EqualError(t, apimap.CheckCustomer(bad), "customer "+c.ID+" has a wish without a product")
	bad = c
	bad.Email = "nope"
	assert.ErrorContains(t, apimap.CheckCustomer(bad), "customer "+c.ID+": ")
}

// FuzzDocs decodes arbitrary document pages: never a panic, and a
// document that validates never has a negative due.
func FuzzDocs(f *testing.F) {
	f.Add([]byte(`{"dataset":"docs","changes":[{"seq":2,"key":"po-1","doc":{"id":"po-1","kind":"purchase","number":"PO-1","from":"Acme","to":"S1","created":"2026-12-03T10:00:00Z","lines":[{"product_id":"10000","ordered":5000,"received":2000}],"posted":["rc-1"]}}],"next_cursor":2}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var p api.Page
		if json.Unmarshal(data, &p) != nil || apimap.ValidatePage(&p, api.DatasetDocs, 0) != nil {
			return
		}
		for _, c := range p.Changes {
			if c.Doc == nil {
				continue
			}
			d := apimap.StockDocFrom(*c.Doc)
			for _, l := range d.Lines {
				require.GreaterOrEqual(t, d.Due(l), catalog.Qty(0), "a valid document never has a negative due")
			}
			_ = d.Status()
		}
	})
}

// FuzzStockDocPost decodes arbitrary receipts and shipments: never a
// panic, and one that checks moves stock by quantities above zero in the
// direction of its kind.
func FuzzStockDocPost(f *testing.F) {
	f.Add([]byte(`{"id":"rc-1","doc_id":"po-1","kind":"receipt","lines":[{"product_id":"10000","qty":2000}],"operator":"3001","at":"2026-12-03T10:00:00Z"}`))
	f.Add([]byte(`{"id":"sh-1","doc_id":"to-1","kind":"shipment","lines":[{"product_id":"10000","qty":-1}]}`))
	f.Add([]byte(`{"id":"rc-2","doc_id":"po-1","kind":"receipt","lines":[],"close":true}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var p api.StockDocPost
		if json.Unmarshal(data, &p) != nil || p.Check() != nil {
			return
		}
		for _, m := range apimap.StockDocPostFrom(p).Moves() {
			if p.Kind == api.StockPostReceipt {
				require.Positive(t, int64(m.Qty))
			} else {
				require.Negative(t, int64(m.Qty))
			}
		}
	})
}
