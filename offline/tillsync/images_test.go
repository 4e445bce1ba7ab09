package tillsync_test

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/offline/api"
	"github.com/opentill/opentill/offline/demo"
	"github.com/opentill/opentill/pos/catalog"
)

// TestPicturesComeFromTheServer: a till activated on an empty folder gets
// the pictures its products name, a picture set at the server arrives at
// the next pass, and a damaged picture is never kept (nor does it stop the
// pass).
func TestPicturesComeFromTheServer(t *testing.T) {
	s := startServer(t, 50)
	a := newTill(t, s, "T01", s.URL)
	res, err := a.Eng.PassResult(ctx)
	require.NoError(t, err)
	assert.EqualValues(t, len(demo.Images()), res.Pulled["images"], "every demo picture, each once")
	for _, p := range demo.Featured {
		got, err := a.St.ByID(ctx, p.ID)
		require.NoError(t, err)
		assert.Equal(t, p.Image, got.Image, p.Name)
		if p.Image != "" {
			data, err := a.St.Image(ctx, p.Image)
			require.NoError(t, err, p.Name)
			assert.Equal(t, p.Image, catalog.ImageKey(data))
		}
	}
	missing, err := a.St.MissingImages(ctx, 10)
	require.NoError(t, err)
	assert.Empty(t, missing)
	res, err = a.Eng.PassResult(ctx)
	require.NoError(t, err)
	assert.Zero(t, res.Pulled["images"], "a picture is fetched once")

	banana := demo.Featured[9]
	pic := solidPNG(t, color.RGBA{G: 180, A: 255})
	key, err := s.St.SetProductImage(ctx, banana.ID, pic)
	require.NoError(t, err)
	pass(t, a)
	got, err := a.St.ByID(ctx, banana.ID)
	require.NoError(t, err)
	assert.Equal(t, key, got.Image)
	data, err := a.St.Image(ctx, key)
	require.NoError(t, err)
	assert.Equal(t, pic, data)

	// A till behind a proxy that damages pictures keeps its products and
	// none of the pictures, and says nothing is wrong with its sales.
	ps := damagingProxy(t, s, api.PathImages)
	b := newTill(t, s, "T02", ps.URL)
	res, err = b.Eng.PassResult(ctx)
	require.NoError(t, err, "pictures only decorate: a damaged one does not fail the pass")
	assert.Zero(t, res.Pulled["images"])
	n, err := b.St.ProductCount(ctx)
	require.NoError(t, err)
	assert.EqualValues(t, 50, n)
	missing, err = b.St.MissingImages(ctx, 100)
	require.NoError(t, err)
	assert.Len(t, missing, len(demo.Images()), "no damaged picture was kept; the next pass asks again")
}

func solidPNG(t *testing.T, c color.Color) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 16, 16))
	for i := 0; i < 16*16; i++ {
		img.Set(i%16, i/16, c)
	}
	var b bytes.Buffer
	require.NoError(t, png.Encode(&b, img))
	return b.Bytes()
}

// damagingProxy is a proxy before the server that flips a byte in the
// middle of every successful reply under path.
func damagingProxy(t *testing.T, s *server, path string) *httptest.Server {
	t.Helper()
	target, err := url.Parse(s.URL)
	require.NoError(t, err)
	proxy := httputil.NewSingleHostReverseProxy(target)
	proxy.ModifyResponse = func(r *http.Response) error {
		if !strings.HasPrefix(r.Request.URL.Path, path) || r.StatusCode != http.StatusOK {
			return nil
		}
		b, err := io.ReadAll(r.Body)
		if err != nil {
			return err
		}
		b[len(b)/2] ^= 0xff
		r.Body = io.NopCloser(bytes.NewReader(b))
		r.Header.Set("Content-Length", strconv.Itoa(len(b)))
		return nil
	}
	ps := httptest.NewServer(proxy)
	t.Cleanup(ps.Close)
	return ps
}
