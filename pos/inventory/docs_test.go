package inventory

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/pos/catalog"
)

const u = catalog.One

func po(lines ...DocLine) Doc {
	return Doc{ID: "po-1", Kind: PurchaseOrder, Number: "PO-1", From: "Acme", To: "S1", Lines: lines}
}

func TestDocStatus(t *testing.T) {
	tr := func(lines ...DocLine) Doc { d := po(lines...); d.Kind = TransferOrder; return d }
	tests := []struct {
		name string
		doc  Doc
		want DocStatus
	}{
		{"a purchase order nothing received", po(DocLine{ProductID: "a", Ordered: 10 * u}), DocOpen},
		{"part received", po(DocLine{ProductID: "a", Ordered: 10 * u, Received: 4 * u}), DocPartial},
		{"all received", po(DocLine{ProductID: "a", Ordered: 10 * u, Received: 10 * u}), DocReceived},
		{"more received than ordered", po(DocLine{ProductID: "a", Ordered: 10 * u, Received: 11 * u}), DocReceived},
		{"a transfer not shipped", tr(DocLine{ProductID: "a", Ordered: 5 * u}), DocOpen},
		{"a transfer shipped", tr(DocLine{ProductID: "a", Ordered: 5 * u, Shipped: 4 * u}), DocShipped},
		{"a transfer received as shipped", tr(DocLine{ProductID: "a", Ordered: 5 * u, Shipped: 4 * u, Received: 4 * u}), DocReceived},
		{"closed short", func() Doc {
			d := po(DocLine{ProductID: "a", Ordered: 10 * u, Received: 2 * u})
			d.Closed = true
			return d
		}(), DocReceived},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { assert.Equal(t, tt.want, tt.doc.Status()) })
	}
	assert.True(t, po(DocLine{ProductID: "a", Ordered: u}).Receivable())
	assert.False(t, tr(DocLine{ProductID: "a", Ordered: u}).Receivable(), "a transfer is received once shipped")
	assert.True(t, tr(DocLine{ProductID: "a", Ordered: u}).Shippable())
}

func TestApplyPostings(t *testing.T) {
	d := po(DocLine{ProductID: "a", Ordered: 10 * u}, DocLine{ProductID: "b", Ordered: 2 * u})
	r := DocPost{ID: "r1", DocID: d.ID, Kind: Receiving, Lines: []PostLine{{"a", 6 * u}, {"c", u}}}
	d.Apply(r)
	d.Apply(r) // once only
	l, _ := d.Line("a")
	assert.Equal(t, 6*u, l.Received)
	assert.Equal(t, 4*u, d.Due(l))
	c, ok := d.Line("c")
	require.True(t, ok, "goods that came anyway get a line")
	assert.Equal(t, u, c.Received)
	assert.Equal(t, DocPartial, d.Status())
	d.Apply(DocPost{ID: "r2", Kind: Receiving, Lines: []PostLine{{"a", 4 * u}}, Close: true})
	assert.Equal(t, DocReceived, d.Status())
	assert.Equal(t, []string{"r1", "r2"}, d.Posted)
	assert.Equal(t, []Move{{ProductID: "a", Qty: -3 * u, Kind: TransferOut}},
		DocPost{Kind: Shipping, Lines: []PostLine{{"a", 3 * u}}}.Moves())
}

func TestReceiptTolerances(t *testing.T) {
	d := po(DocLine{ProductID: "a", Ordered: 10 * u, Received: 8 * u}, DocLine{ProductID: "b", Ordered: 10 * u})
	strict := Settings{}
	assert.NoError(t, strict.CheckReceipt(d, "a", 2*u))
	var re *ReceiptError
	require.ErrorAs(t, strict.CheckReceipt(d, "a", 3*u), &re)
	assert.Equal(t, "over", re.Code)
	assert.Equal(t, 2*u, re.Limit)
	require.ErrorAs(t, strict.CheckReceipt(d, "z", u), &re, "a product not ordered is over")
	tenPct := Settings{OverReceipt: 1000}
	assert.NoError(t, tenPct.CheckReceipt(d, "a", 3*u))
	assert.Error(t, tenPct.CheckReceipt(d, "a", 4*u))
	assert.NoError(t, Settings{OverReceipt: -1}.CheckReceipt(d, "z", 100*u), "no limit")

	require.ErrorAs(t, strict.CheckClose(d, map[string]Qty{"a": 2 * u}), &re, "b is not received at all")
	assert.Equal(t, "under", re.Code)
	assert.Equal(t, "b", re.ProductID)
	assert.NoError(t, strict.CheckClose(d, map[string]Qty{"a": 2 * u, "b": 10 * u}))
	assert.NoError(t, Settings{UnderReceipt: 2000}.CheckClose(d, map[string]Qty{"b": 8 * u}), "a line 20 % short may close")
	assert.Error(t, Settings{UnderReceipt: 1000}.CheckClose(d, map[string]Qty{"b": 8 * u}))
	assert.NoError(t, Settings{UnderReceipt: 10000}.CheckClose(d, nil))
}
