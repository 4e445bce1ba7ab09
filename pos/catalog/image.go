package catalog

import (
	"bytes"
	"context"
	"image"
	_ "image/jpeg" // product pictures may be JPEG
	_ "image/png"  // or PNG

	"github.com/opentill/opentill/pos/poserr"
)

// Limits of a product picture: what a till stores and draws.
const (
	MaxImageBytes = 1 << 20 // 1 MiB
	MaxImageSide  = 2048    // pixels
)

// Images gives product pictures by key (Product.Image). Misses are errors
// of kind poserr.NotFound. The offline store implements it.
type Images interface {
	Image(ctx context.Context, key string) ([]byte, error)
}

// CheckImage says whether data is a picture a till can store and draw (a PNG
// or JPEG of at most MaxImageBytes and MaxImageSide pixels a side) and
// returns its media type.
func CheckImage(data []byte) (string, error) {
	if len(data) > MaxImageBytes {
		return "", poserr.E(poserr.Invalid, "error.image.invalid",
			"the picture is %d bytes; at most %d are kept: make it smaller", len(data), MaxImageBytes)
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return "", poserr.Wrap(err, poserr.Invalid, "error.image.invalid", "the picture is not a PNG or JPEG file")
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width > MaxImageSide || cfg.Height > MaxImageSide {
		return "", poserr.E(poserr.Invalid, "error.image.invalid",
			"the picture is %d×%d pixels; at most %d a side are kept: scale it down", cfg.Width, cfg.Height, MaxImageSide)
	}
	switch format {
	case "png":
		return "image/png", nil
	case "jpeg":
		return "image/jpeg", nil
	}
	return "", poserr.E(poserr.Invalid, "error.image.invalid", "the picture is %s; a PNG or JPEG file is needed", format)
}

// CheckImageFor checks data as CheckImage does and that it is the picture key
// names, for a picture received from elsewhere.
func CheckImageFor(key string, data []byte) (string, error) {
	if got := ImageKey(data); got != key {
		return "", poserr.E(poserr.Invalid, "error.image.invalid",
			"the picture received for %s has the digest %s: it was damaged on the way; it will be asked for again", key, got)
	}
	return CheckImage(data)
}
