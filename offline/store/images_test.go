package store_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/offline/demo"
	"github.com/opentill/opentill/pos/catalog"
	"github.com/opentill/opentill/pos/poserr"
)

// TestProductPictures: a product names its picture through every way in
// (import, one product, and a search finds it with it); pictures are kept
// once; MissingImages lists what the products name and the till lacks.
func TestProductPictures(t *testing.T) {
	s, _ := demoStore(t, 60) // the fast bulk import
	banana := demo.Featured[9]
	require.NotEmpty(t, banana.Image)
	got, err := s.ByID(ctx, banana.ID)
	require.NoError(t, err)
	assert.Equal(t, banana.Image, got.Image, "imported with its picture key")
	found, err := s.Search(ctx, "bananas", 5)
	require.NoError(t, err)
	require.NotEmpty(t, found)
	assert.Equal(t, banana.Image, found[0].Image)

	missing, err := s.MissingImages(ctx, 100)
	require.NoError(t, err)
	assert.Len(t, missing, len(demo.Images()), "each named picture once, none held yet")
	_, err = s.Image(ctx, banana.Image)
	assert.True(t, poserr.Is(err, poserr.NotFound))

	for _, b := range demo.Images() {
		key, err := s.PutImage(ctx, b)
		require.NoError(t, err)
		again, err := s.PutImage(ctx, b)
		require.NoError(t, err)
		assert.Equal(t, key, again)
	}
	missing, err = s.MissingImages(ctx, 100)
	require.NoError(t, err)
	assert.Empty(t, missing)
	data, err := s.Image(ctx, banana.Image)
	require.NoError(t, err)
	assert.Equal(t, banana.Image, catalog.ImageKey(data))

	_, err = s.PutImage(ctx, []byte("not a picture"))
	assert.True(t, poserr.Is(err, poserr.Invalid))

	p := banana
	p.Image = ""
	require.NoError(t, s.PutProduct(ctx, p))
	got, err = s.ByID(ctx, banana.ID)
	require.NoError(t, err)
	assert.Empty(t, got.Image, "an update takes the picture away")
	p.Image = "BANANA.PNG"
	err = s.PutProduct(ctx, p)
	require.Error(t, err, "a product naming a picture by anything but its digest is refused")
	assert.Contains(t, err.Error(), "64 lower-case hex digits")
}
