package report

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/pos/cart"
	"github.com/opentill/opentill/pos/catalog"
	"github.com/opentill/opentill/pos/money"
	"github.com/opentill/opentill/pos/tax"
)

// used clears what decodeCart does not read.
func used(c cart.Cart) cart.Cart {
	c.ID, c.Store, c.Currency.Code = "", "", ""
	for i := range c.Lines {
		c.Lines[i].ItemID = ""
		c.Lines[i].VariantID, c.Lines[i].Barcode, c.Lines[i].Unit, c.Lines[i].Comment = "", "", "", ""
		c.Lines[i].Flags = catalog.Flags{}
		c.Lines[i].CatalogPrice, c.Lines[i].ListPrice, c.Lines[i].ReturnDiscount = false, 0, 0
		if c.Lines[i].ReturnOf != nil {
			c.Lines[i].ReturnOf.TxnID = ""
		}
	}
	for i := range c.Tenders {
		c.Tenders[i].Name, c.Tenders[i].Card = "", nil
	}
	c.Comment, c.Customer, c.Coupons = "", "", nil
	return c
}

func richCart() cart.Cart {
	t0 := time.Date(2026, 11, 27, 13, 4, 5, 123456789, time.UTC)
	return cart.Cart{ID: "01a2", ReceiptNo: "S0001-T01-000042", Store: "S0001", Terminal: "T01", Operator: "1001",
		Currency: money.EUR, Status: cart.Completed, Started: t0, Finished: t0.Add(time.Minute), Shift: "sh-1",
		Lines: []cart.Line{
			{No: 1, ProductID: "10001", ItemID: "10001", Category: "Café & \"Bio\"", Name: "Crème brûlée — 2 × 100 g \\ <b>", Unit: "ea",
				Qty: 2000, UnitPrice: 299, OriginalPrice: 349, Overridden: true, TaxGroup: "RED", Discount: cart.Discount{Percent: 1000},
				Gross: 598, PromoDiscount: 60, LineDiscount: 54, TotalDiscount: 5, Net: 479, Tax: 31,
				Promotions: []cart.Applied{{OfferID: "P1", Name: "Week \u2013 20 %", Kind: "discount", Amount: 60, Coupon: "C\"1"}}},
			{No: 2, ProductID: "10002", Name: "Bananas", UnitDecimals: 3, Qty: -1250, UnitPrice: 199, Gross: -249, Net: -249, Tax: -16,
				ReturnOf: &cart.ReturnRef{TxnID: "x", ReceiptNo: "S0001-T01-000001", LineNo: 3}},
			{No: 3, ProductID: "10003", Name: "Voided", Qty: 1000, Voided: true, Gross: 100},
			{No: 4, ProductID: "giftcard", Name: "Gift card", Qty: 1000, UnitPrice: 2500, Gross: 2500, Net: 2500,
				Value: &cart.ValueRef{Kind: "giftcard", Number: "GC-1", Role: cart.ValueIssue}},
			{No: 5, Name: "Deposit", Qty: 1000, UnitPrice: 500, Gross: 500, Net: 500, Order: &cart.OrderRef{ID: "o1", Number: "CO-1", Role: cart.OrderDeposit}},
		},
		Discount: cart.Discount{Amount: 5},
		Tenders:  []cart.Tender{{No: 1, TypeID: "cash", Name: "Cash", Kind: cart.Cash, Amount: 500}, {No: 2, TypeID: "card", Kind: cart.Card, Amount: 10, Voided: true, Card: &cart.CardInfo{MaskedPAN: "****1234"}}},
		Change:   270, Rounding: 0, ChangeTender: "cash",
		Totals:       cart.Totals{Subtotal: 349, Discounts: 119, Tax: 15, Total: 230, Due: 230, Paid: 500, Change: 270, TotalDiscounts: 5},
		TaxSummary:   []tax.CodeTotal{{Code: "VAT7", Name: "VAT 7 %", Rate: 70000, Basis: 215, Amount: 15}},
		TaxInclusive: true, ReturnNoReceipt: false,
		Authorities: []cart.Authority{{Limit: cart.LimitLineDiscount, Line: 1, Operator: "2001", Approved: true, Max: 10000}, {Limit: cart.LimitReturn, Operator: "1001", Max: 5000}},
	}
}

// decodeCart reads what encoding/json reads, for every field the reports
// use, whatever the strings hold; documents it does not expect go to
// encoding/json.
func TestDecodeCartIsEncodingJSON(t *testing.T) {
	rich, err := json.Marshal(richCart())
	require.NoError(t, err)
	indented, err := json.MarshalIndent(richCart(), "", "  ")
	require.NoError(t, err)
	tests := []struct {
		name string
		doc  string
	}{
		{"as the till writes it", string(rich)},
		{"indented", string(indented)},
		{"empty", `{}`},
		{"nulls", `{"lines":null,"tenders":null,"discount":null,"return_no_receipt":null,"shift":null,"finished":null}`},
		{"unknown fields of every kind", `{"x":[1,{"a":"b\"]}"},true,null,-1.5e3],"operator":"1001","lines":[{"no":1,"y":{"z":[]},"net":5}]}`},
		{"a float amount: encoding/json decides", `{"lines":[{"net":1.5}]}`},
		{"a quoted number: encoding/json decides", `{"change":"12"}`},
		{"a huge number: encoding/json decides", `{"change":12345678901234567890}`},
		{"invalid UTF-8: encoding/json decides", "{\"operator\":\"\xff\"}"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var want cart.Cart
			werr := json.Unmarshal([]byte(tc.doc), &want)
			var got cart.Cart
			gerr := decodeCart([]byte(tc.doc), &got, map[string]string{})
			if werr != nil {
				assert.Error(t, gerr)
				return
			}
			require.NoError(t, gerr)
			assert.Equal(t, normal(used(want)), normal(used(got)))
		})
	}
}

// normal makes empty and nil slices alike (decodeCart reuses arrays).
func normal(c cart.Cart) cart.Cart {
	if len(c.Lines) == 0 {
		c.Lines = nil
	}
	if len(c.Tenders) == 0 {
		c.Tenders = nil
	}
	if len(c.TaxSummary) == 0 {
		c.TaxSummary = nil
	}
	if len(c.Authorities) == 0 {
		c.Authorities = nil
	}
	return c
}

// Reusing the cart between documents leaves nothing of the one before.
func TestDecodeCartReusesNothingVisible(t *testing.T) {
	rich, err := json.Marshal(richCart())
	require.NoError(t, err)
	var c cart.Cart
	in := map[string]string{}
	require.NoError(t, decodeCart(rich, &c, in))
	require.NoError(t, decodeCart([]byte(`{"lines":[{"no":7}]}`), &c, in))
	assert.Equal(t, []cart.Line{{No: 7}}, c.Lines)
	assert.Empty(t, c.Tenders)
	assert.Empty(t, c.Authorities)
	assert.Zero(t, c.Change)
}

// BenchmarkDecodeCart reads a rich transaction beside encoding/json.
func BenchmarkDecodeCart(b *testing.B) {
	doc, err := json.Marshal(richCart())
	require.NoError(b, err)
	b.SetBytes(int64(len(doc)))
	b.Run("baseline=encoding-json", func(b *testing.B) {
		b.SetBytes(int64(len(doc)))
		for b.Loop() {
			var c cart.Cart
			require.NoError(b, json.Unmarshal(doc, &c))
		}
	})
	b.Run("decodeCart", func(b *testing.B) {
		b.SetBytes(int64(len(doc)))
		var c cart.Cart
		in := map[string]string{}
		for b.Loop() {
			require.NoError(b, decodeCart(doc, &c, in))
		}
	})
}

// FuzzReportDecode: on any bytes decodeCart returns (it never panics), and
// on every transaction as the till writes it (encoding/json's output) it
// reads what encoding/json reads. Input the till never writes (control
// characters, keys in other letter cases) need not agree: the journal
// holds only what the till wrote.
func FuzzReportDecode(f *testing.F) {
	rich, _ := json.Marshal(richCart())
	f.Add(rich)
	f.Add([]byte(`{"lines":[{"no":1,"net":5,"promotions":[{"offer_id":"A"}]}],"tenders":[{"type":"cash","amount":-3}]}`))
	f.Add([]byte(`{"x":[1,{"a":"b\"]}"},true,null,-1.5e3]}`))
	f.Fuzz(func(t *testing.T, doc []byte) {
		var any cart.Cart
		_ = decodeCart(doc, &any, map[string]string{}) // must not panic
		var want cart.Cart
		if json.Unmarshal(doc, &want) != nil {
			return
		}
		written, err := json.Marshal(want)
		require.NoError(t, err)
		var back, got cart.Cart
		require.NoError(t, json.Unmarshal(written, &back))
		require.NoError(t, decodeCart(written, &got, map[string]string{}))
		assert.Equal(t, normal(used(back)), normal(used(got)))
	})
}
