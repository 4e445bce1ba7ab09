package catalog_test

import (
	"bytes"
	"image"
	"image/jpeg"
	"image/png"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/pos/catalog"
	"github.com/opentill/opentill/pos/poserr"
)

func encoded(t testing.TB, w, h int, enc func(*bytes.Buffer, image.Image) error) []byte {
	t.Helper()
	var b bytes.Buffer
	require.NoError(t, enc(&b, image.NewGray(image.Rect(0, 0, w, h))))
	return b.Bytes()
}

func pngEnc(b *bytes.Buffer, m image.Image) error  { return png.Encode(b, m) }
func jpegEnc(b *bytes.Buffer, m image.Image) error { return jpeg.Encode(b, m, nil) }

func TestCheckImage(t *testing.T) {
	big := encoded(t, 600, 600, pngEnc)
	tests := []struct {
		name, typ, err string
		data           []byte
	}{
		{name: "png", data: encoded(t, 136, 128, pngEnc), typ: "image/png"},
		{name: "jpeg", data: encoded(t, 40, 30, jpegEnc), typ: "image/jpeg"},
		{name: "largest side", data: encoded(t, catalog.MaxImageSide, 1, pngEnc), typ: "image/png"},
		{name: "too wide", data: encoded(t, catalog.MaxImageSide+1, 1, pngEnc), err: "scale it down"},
		{name: "too many bytes", data: append(big, make([]byte, catalog.MaxImageBytes)...), err: "make it smaller"},
		{name: "gif", data: []byte("GIF89a\x01\x00\x01\x00"), err: "not a PNG or JPEG"},
		{name: "empty", data: nil, err: "not a PNG or JPEG"},
		{name: "cut short", data: encoded(t, 10, 10, pngEnc)[:20], err: "not a PNG or JPEG"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			typ, err := catalog.CheckImage(tc.data)
			if tc.err != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tc.err)
				assert.True(t, poserr.Is(err, poserr.Invalid))
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.typ, typ)
		})
	}
}

func TestImageKey(t *testing.T) {
	data := encoded(t, 4, 4, pngEnc)
	key := catalog.ImageKey(data)
	assert.True(t, catalog.ValidImageKey(key))
	for _, bad := range []string{"", strings.ToUpper(key), key[:63], key + "0", strings.Repeat("g", 64)} {
		assert.False(t, catalog.ValidImageKey(bad), bad)
	}
	_, err := catalog.CheckImageFor(key, data)
	assert.NoError(t, err)
	damaged := append([]byte(nil), data...)
	damaged[len(damaged)/2] ^= 1
	_, err = catalog.CheckImageFor(key, damaged)
	assert.ErrorContains(t, err, "damaged")
}

// FuzzCheckImage: any bytes get an answer, never a panic, and what is
// accepted is a picture within the limits.
func FuzzCheckImage(f *testing.F) {
	f.Add(encoded(f, 3, 2, pngEnc))
	f.Add(encoded(f, 3, 2, jpegEnc))
	f.Add([]byte("\x89PNG\r\n\x1a\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		typ, err := catalog.CheckImage(data)
		if err != nil {
			return
		}
		cfg, _, derr := image.DecodeConfig(bytes.NewReader(data))
		require.NoError(t, derr)
		assert.LessOrEqual(t, cfg.Width, catalog.MaxImageSide)
		assert.LessOrEqual(t, cfg.Height, catalog.MaxImageSide)
		assert.Contains(t, []string{"image/png", "image/jpeg"}, typ)
	})
}
