package tillsync_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/offline/api"
	"github.com/opentill/opentill/offline/demo"
	"github.com/opentill/opentill/offline/scaleunit"
)

// TestPromotionsComeFromTheServer: a till activated on an empty folder
// gets its store's price and promotions document from the server, so it
// prices as a seeded till does; a document that does not compile is
// refused by the server before any till sees it, and a changed one
// replaces the till's at the next pass.
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

	changed := append([]byte("# the store's autumn promotions\n"), demo.Promotions()...)
	require.NoError(t, s.St.PutDocument(ctx, demo.StoreID, api.DocPromotions, changed))
	pass(t, a)
	doc, err = a.St.Promotions(ctx)
	require.NoError(t, err)
	assert.Equal(t, string(changed), string(doc))
}
