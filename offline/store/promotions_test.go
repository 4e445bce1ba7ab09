package store_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/offline/demo"
	"github.com/opentill/opentill/pos/poserr"
)

func TestPromotionsLoadWithTheSetup(t *testing.T) {
	s, _ := openStore(t)
	require.NoError(t, s.SaveSetup(ctx, demo.Setup()))
	setup, err := s.LoadSetup(ctx)
	require.NoError(t, err)
	assert.Nil(t, setup.Promotions, "no document, no promotions")

	err = s.PutPromotions(ctx, []byte("[[promotion]]\nid = \"X\"\nname = \"X\"\nkind = \"bogus\""), 2)
	require.Error(t, err)
	assert.True(t, poserr.Is(err, poserr.Invalid))
	assert.Contains(t, err.Error(), "bogus")
	doc, err := s.Promotions(ctx)
	require.NoError(t, err)
	assert.Nil(t, doc, "a refused document is not stored")

	require.NoError(t, s.PutPromotions(ctx, demo.Promotions(), 2))
	setup, err = s.LoadSetup(ctx)
	require.NoError(t, err)
	require.NotNil(t, setup.Promotions)
	assert.True(t, setup.Promotions.HasCoupon("WELCOME5"))

	// A document damaged behind the store's back is a clear error, not wrong prices.
	require.NoError(t, s.PutSetting(ctx, "promotions", "[[["))
	_, err = s.LoadSetup(ctx)
	require.Error(t, err)
	assert.True(t, poserr.Is(err, poserr.Invalid))
	assert.Contains(t, err.Error(), "promotions")
}
