package tillsync_test

import (
	"io/fs"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/assets"
	"github.com/opentill/opentill/offline/api"
	"github.com/opentill/opentill/offline/demo"
	"github.com/opentill/opentill/offline/scaleunit"
	"github.com/opentill/opentill/pos/receipt"
)

// TestPromotionsComeFromTheServer: a till activated on an empty folder
// gets its store's price and promotions document from the server, so it
// prices as a seeded till does; a document that does not compile is
// refused by the server before any till sees it, and a changed one
// replaces the till's at the next pass. A store's receipt layout travels
// the same way and takes the shipped one's place.
func TestPromotionsComeFromTheServer(t *testing.T) {
	s := startServer(t, 50)
	a := newTill(t, s, "T01", s.URL)
	pass(t, a)
	doc, err := a.St.Promotions(ctx)
	require.NoError(t, err)
	assert.Equal(t, string(demo.Promotions()), string(doc), "the store's promotions arrived")
	setup, err := a.St.LoadSetup(ctx)
	require.NoError(t, err)
	require.NotNil(t, setup.Promotions, "compiled into the till's setup")

	err = s.St.PutDocument(ctx, demo.StoreID, api.DocPromotions, []byte("[[promotion]]\nid = 7\nkind = \"nonsense\"\n"))
	require.ErrorIs(t, err, scaleunit.ErrInvalid, "a bad document is refused")
	pass(t, a)
	doc, err = a.St.Promotions(ctx)
	require.NoError(t, err)
	assert.Equal(t, string(demo.Promotions()), string(doc), "the till keeps the good one")

	// A store's own sale receipt: checked, sent, and used in place of the
	// shipped one.
	sale, err := fs.ReadFile(assets.Receipts, "receipts/sale.toml")
	require.NoError(t, err)
	own := append(append([]byte(nil), sale...), []byte("\n[[block]]\ntype = \"text\"\ntext = \"Thank you from the store\"\n")...)
	require.ErrorIs(t, s.St.PutDocument(ctx, demo.StoreID, "receipt/sale", []byte("[[block]]\ntype = \"nonsense\"\n")), scaleunit.ErrInvalid)
	require.ErrorIs(t, s.St.PutDocument(ctx, demo.StoreID, "receipt/menu", sale), scaleunit.ErrInvalid, "no such receipt type")
	require.NoError(t, s.St.PutDocument(ctx, demo.StoreID, "receipt/sale", own))
	pass(t, a)
	got, err := a.St.ReceiptLayouts(ctx)
	require.NoError(t, err)
	assert.Equal(t, string(own), string(got["sale"]))
	layouts, err := receipt.DefaultLayouts().WithStore(got)
	require.NoError(t, err)
	assert.Equal(t, "store server", layouts.Source(receipt.SaleReceipt))
	assert.Equal(t, receipt.DefaultLayouts().Source(receipt.GiftReceipt), layouts.Source(receipt.GiftReceipt), "the others stay shipped")

	changed := append([]byte("# the store's autumn promotions\n"), demo.Promotions()...)
	require.NoError(t, s.St.PutDocument(ctx, demo.StoreID, api.DocPromotions, changed))
	pass(t, a)
	doc, err = a.St.Promotions(ctx)
	require.NoError(t, err)
	assert.Equal(t, string(changed), string(doc))
}

// TestHardwareProfilesComeFromTheServer: a till's hardware profile is kept
// on the server per terminal (document hardware/T01), checked as the till
// checks a profile file, and only that till uses it.
func TestHardwareProfilesComeFromTheServer(t *testing.T) {
	s := startServer(t, 50)
	a := newTill(t, s, "T01", s.URL)
	b := newTill(t, s, "T02", s.URL)
	prof := "name = \"T01, counter 1\"\n[printer]\ndriver = \"virtual\"\ndir = \"receipts\"\n"
	require.ErrorIs(t, s.St.PutDocument(ctx, demo.StoreID, api.DocHardware+"T01", []byte("[printer]\ndriver = \"teleprinter\"\n")), scaleunit.ErrInvalid, "an unknown driver is refused")
	require.ErrorIs(t, s.St.PutDocument(ctx, demo.StoreID, api.DocHardware+"T01", []byte("[printr]\n")), scaleunit.ErrInvalid, "a typo is refused")
	require.ErrorIs(t, s.St.PutDocument(ctx, demo.StoreID, api.DocHardware+"../T01", []byte(prof)), scaleunit.ErrInvalid, "not a terminal ID")
	require.NoError(t, s.St.PutDocument(ctx, demo.StoreID, api.DocHardware+"T01", []byte(prof)))
	pass(t, a)
	pass(t, b)
	got, ok, err := a.St.HardwareProfile(ctx, "T01")
	require.NoError(t, err)
	require.True(t, ok)
	assert.Equal(t, prof, string(got))
	_, ok, err = b.St.HardwareProfile(ctx, "T02")
	require.NoError(t, err)
	assert.False(t, ok, "T02 has none of its own")
}
