package scaleunit_test

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/offline/api"
	"github.com/opentill/opentill/offline/apimap"
	"github.com/opentill/opentill/offline/demo"
	"github.com/opentill/opentill/offline/scaleunit"
	"github.com/opentill/opentill/offline/scaleunit/sutest"
	"github.com/opentill/opentill/pos/catalog"
)

// pngOf draws a w×h picture of one colour.
func pngOf(t *testing.T, w, h int, c color.Color) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.Set(x, y, c)
		}
	}
	var b bytes.Buffer
	require.NoError(t, png.Encode(&b, img))
	return b.Bytes()
}

// TestProductImages: pictures are kept once by their digest, a product
// names its picture in the products feed, and a picture that is not one is
// refused before anything changes.
func TestProductImages(t *testing.T) { sutest.Each(t, testProductImages) }

func testProductImages(t *testing.T, backend string) {
	st, _ := sutest.Open(t, backend)
	require.NoError(t, scaleunit.Seed(ctx, st, 40, nil))

	banana := demo.Featured[9]
	require.NotEmpty(t, banana.Image, "the demo's bananas have a picture")
	typ, data, err := st.Image(ctx, banana.Image)
	require.NoError(t, err, "the seed keeps the demo's pictures")
	assert.Equal(t, "image/png", typ)
	assert.Equal(t, banana.Image, catalog.ImageKey(data))

	red := pngOf(t, 8, 8, color.RGBA{R: 200, A: 255})
	key, err := st.PutImage(ctx, red)
	require.NoError(t, err)
	again, err := st.PutImage(ctx, red)
	require.NoError(t, err, "the same picture twice changes nothing")
	assert.Equal(t, key, again)

	_, cursor := feedOf(t, st, 0)
	got, err := st.SetProductImage(ctx, banana.ID, red)
	require.NoError(t, err)
	assert.Equal(t, key, got)
	changes, _ := feedOf(t, st, cursor)
	require.Len(t, changes, 1, "the product's new picture is a change of the products feed")
	assert.Equal(t, key, changes[0].Product.Image)

	for name, bad := range map[string][]byte{
		"not a picture":  []byte("GIF89a nonsense"),
		"empty":          nil,
		"too many sides": pngOf(t, catalog.MaxImageSide+1, 1, color.Black),
	} {
		_, err := st.PutImage(ctx, bad)
		assert.Error(t, err, name)
	}
	_, err = st.SetProductImage(ctx, banana.ID, []byte("nonsense"))
	assert.Error(t, err)
	_, err = st.SetProductImage(ctx, "no-such-product", red)
	assert.ErrorIs(t, err, scaleunit.ErrNotFound)
	p := productOf(t, st, banana.ID)
	assert.Equal(t, key, p.Image, "a refused picture changes nothing")

	got, err = st.SetProductImage(ctx, banana.ID, nil)
	require.NoError(t, err, "no picture takes it away")
	assert.Empty(t, got)
	assert.Empty(t, productOf(t, st, banana.ID).Image)

	_, _, err = st.Image(ctx, catalog.ImageKey([]byte("never stored")))
	assert.ErrorIs(t, err, scaleunit.ErrNotFound)
}

// feedOf reads the products feed after cursor.
func feedOf(t *testing.T, st *scaleunit.DB, after int64) ([]api.Change, int64) {
	t.Helper()
	var all []api.Change
	for {
		page, err := st.Feed(ctx, demo.StoreID, api.DatasetProducts, after, 1000, false)
		require.NoError(t, err)
		all = append(all, page.Changes...)
		after = page.NextCursor
		if !page.More {
			return all, after
		}
	}
}

// productOf finds a product in the whole products feed.
func productOf(t *testing.T, st *scaleunit.DB, id string) catalog.Product {
	t.Helper()
	changes, _ := feedOf(t, st, 0)
	for _, c := range changes {
		if c.Key == id && c.Product != nil {
			return apimap.ProductFrom(*c.Product)
		}
	}
	t.Fatalf("product %s is not in the feed", id)
	return catalog.Product{}
}
