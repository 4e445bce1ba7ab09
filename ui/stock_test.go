package ui

import (
	"context"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/test"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/offline/api"
	"github.com/opentill/opentill/pos"
	"github.com/opentill/opentill/pos/catalog"
	"github.com/opentill/opentill/pos/inventory"
)

const stockCode = "4000000000082" // a demo product sold by the piece

// onHand reads a product's on-hand figure from the till's own store.
func (r *rig) onHand(code string) catalog.Qty {
	r.t.Helper()
	p, err := r.st.ByBarcode(context.Background(), code)
	require.NoError(r.t, err)
	l, err := r.st.StockLevel(context.Background(), p.ID)
	require.NoError(r.t, err)
	return l.OnHand
}

// A manager looks a product's stock up by scanning it on the stock screen,
// offline: this store's figure, and plainly that other stores are not
// known live. An adjustment with the wrong sign is marked on the form and
// kept as typed; corrected, it moves the on-hand figure.
func TestStockLookupAndAdjustment(t *testing.T) {
	r := newRig(t)
	r.signIn("2001", "2468")
	r.ui.showHome()
	require.NotNil(t, r.ui.Tile("tile.stock"), "the manager has the stock tile")
	test.Tap(r.ui.Tile("tile.stock"))
	v := r.ui.Stock()
	require.NotNil(t, v)
	assert.Equal(t, v.code, r.win.Canvas().Focused(), "the scan goes to the lookup field")

	before := r.onHand(stockCode)
	test.Type(v.code, stockCode)
	v.code.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	require.NotNil(t, v.info, "the product is looked up")
	assert.Contains(t, v.name.Text, v.info.Product.Name)
	assert.Contains(t, v.here.Text, "On hand "+r.ui.L.Qty(before, 0))
	assert.Contains(t, v.others.Text, "not known", "without a store server other stores are not known")
	assert.Empty(t, v.code.Text, "ready for the next scan")

	test.Tap(v.adjust)
	f := r.ui.adjustF
	require.NotNil(t, f)
	test.Type(f.qty, "2")
	f.reason.SetSelectedIndex(0) // damaged: takes stock off
	test.Type(f.note, "dropped")
	f.d.Submit()
	assert.Contains(t, f.errText.Text, "negative", "the sign is wrong for damaged goods")
	assert.Equal(t, "2", f.qty.Text, "the form keeps what was typed")
	assert.Equal(t, "dropped", f.note.Text)
	assert.Equal(t, before, r.onHand(stockCode), "nothing saved")

	f.qty.SetText("-2")
	f.d.Submit()
	assert.Equal(t, before-2*catalog.One, r.onHand(stockCode), "the adjustment is saved")
	assert.Contains(t, v.here.Text, "On hand "+r.ui.L.Qty(before-2*catalog.One, 0), "the screen shows the new figure")
}

// A cashier counts blind: scans add one, a typed quantity counts that many,
// and the running totals follow; the variance review is not theirs. The
// manager reviews, is told to recount a line far off, recounts and posts.
func TestStockCountOnScreen(t *testing.T) {
	r := newRig(t)
	r.signIn("1001", "1234")
	r.ui.showHome()
	require.NotNil(t, r.ui.Tile("tile.stock"))
	test.Tap(r.ui.Tile("tile.stock"))
	v := r.ui.Stock()
	require.NotNil(t, v)
	v.tabs.SelectIndex(1)
	test.Tap(r.button(r.ui.L.T("stock.count_start")))
	test.Type(r.ui.promptEntry, "Shelf 12")
	r.ui.promptEntry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	c := r.ui.Count()
	require.NotNil(t, c, "the new count opens")
	assert.Equal(t, "Shelf 12", c.count.Name)
	assert.False(t, c.review.Visible(), "the cashier counts blind")
	assert.Equal(t, c.scan, r.win.Canvas().Focused())

	scan := func(code string) {
		test.Type(c.scan, code)
		c.scan.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	}
	scan(stockCode)
	scan(stockCode)
	assert.Contains(t, c.totals.Text, "Lines counted: 1")
	assert.Contains(t, c.last.Text, "2 counted on this device")
	test.Type(c.qty, "10")
	scan(stockCode)
	assert.Contains(t, c.last.Text, "12 counted on this device")
	assert.Contains(t, c.totals.Text, "units on this device: 12")
	assert.True(t, r.ui.TakeScan(stockCode), "a serial scanner's code goes to the count on screen")
	assert.Contains(t, c.last.Text, "13 counted on this device")
	scan("0000000000000")
	assert.Contains(t, c.last.Text, "Not counted: 0000000000000", "a bad code shows in place, the clerk keeps scanning")
	assert.Nil(t, r.ui.Dialog())
	require.Len(t, c.rows, 1)
	assert.Equal(t, 13*catalog.One, c.rows[0].line.Counted)

	// the manager reviews and posts
	countID := c.count.ID
	r.ui.do(pos.SignOut{}, nil)
	r.signIn("2001", "2468")
	r.ui.openCount(countID)
	c = r.ui.Count()
	require.NotNil(t, c)
	require.True(t, c.review.Visible())
	expected := r.onHand(stockCode)
	test.Tap(c.review)
	_, ok := r.ui.Dialog().(*dialog.ConfirmDialog)
	require.True(t, ok, "the review offers to post")
	over := inventory.Of(nil).OverThreshold(expected, 13*catalog.One)
	r.ui.Dialog().(*dialog.ConfirmDialog).Confirm() // post
	r.ui.Dialog().(*dialog.ConfirmDialog).Confirm() // yes
	if over {
		assert.Contains(t, r.overlayText(), "recount them first")
		r.ui.CloseDialog()
		test.Type(c.qty, "13")
		test.Type(c.scan, stockCode)
		test.Tap(r.button(r.ui.L.T("count.recount")))
		assert.Contains(t, c.last.Text, "recounted")
		test.Tap(c.review)
		r.ui.Dialog().(*dialog.ConfirmDialog).Confirm()
		r.ui.Dialog().(*dialog.ConfirmDialog).Confirm()
	}
	assert.Contains(t, r.overlayText(), "Shelf 12 is posted")
	assert.Equal(t, 13*catalog.One, r.onHand(stockCode), "the count is the on-hand figure")
	r.ui.CloseDialog()
	require.NotNil(t, r.ui.Stock(), "back on the stock screen")
	require.NotEmpty(t, r.ui.Stock().counts)
	assert.Equal(t, inventory.Posted, r.ui.Stock().counts[0].Status)
	r.ui.showHome()
	assert.False(t, r.ui.TakeScan(stockCode), "off the stock screens the station sells the code")
}

// A purchase order delivered by the store server is received on the stock
// screen: scans count up, a line over the order is refused in place, and
// receiving books the goods on hand; the document shows partly received.
func TestReceivingOnScreen(t *testing.T) {
	r := newRig(t)
	p, err := r.st.ByBarcode(context.Background(), stockCode)
	require.NoError(t, err)
	doc := api.StockDoc{ID: "po-1", Kind: "purchase", Number: "PO-1001", From: "Acme Foods", To: r.reg.Setup().StoreID,
		Lines: []api.StockDocLine{{ProductID: p.ID, Ordered: 5 * int64(catalog.One)}}}
	require.NoError(t, r.st.ApplyPage(context.Background(), api.DatasetDocs, []api.Change{{Seq: 1, Key: doc.ID, Doc: &doc}}, 1))
	r.signIn("3001", "1357")
	r.ui.showHome()
	test.Tap(r.ui.Tile("tile.stock"))
	v := r.ui.Stock()
	require.NotNil(t, v)
	require.NotNil(t, v.inbound, "the associate receives")
	var ids []string
	for _, d := range v.inbound.docs {
		ids = append(ids, d.ID)
	}
	assert.ElementsMatch(t, []string{"po-1", "demo-po-1001"}, ids, "the demo's purchase order and this one")
	before := r.onHand(stockCode)
	r.ui.openDoc("po-1", true)
	d := r.ui.Doc()
	require.NotNil(t, d)
	assert.Contains(t, d.title.Text, "PO-1001 from Acme Foods")
	assert.Equal(t, d.scan, r.win.Canvas().Focused())
	scan := func(code string) {
		test.Type(d.scan, code)
		d.scan.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	}
	scan(stockCode)
	scan(stockCode)
	assert.Contains(t, d.totals.Text, "1 lines, 2 units · still due 5")
	test.Type(d.qty, "4")
	scan(stockCode)
	assert.Contains(t, d.last.Text, "at most", "6 of 5 is over the order")
	assert.Equal(t, 2*catalog.One, d.rows[0].now)
	test.Tap(d.post)
	r.ui.Dialog().(*dialog.ConfirmDialog).Confirm()
	assert.Equal(t, before+2*catalog.One, r.onHand(stockCode), "received goods are on hand")
	assert.Contains(t, d.title.Text, "Partly received")
	assert.Contains(t, d.totals.Text, "still due 3")
	assert.Equal(t, "4", d.qty.Text, "a refused quantity stays typed")
	d.qty.SetText("")
	assert.True(t, r.ui.TakeScan(stockCode), "a serial scan goes to the document on screen")
	assert.Equal(t, catalog.One, d.rows[0].now)
}
