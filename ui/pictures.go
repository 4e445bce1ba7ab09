package ui

import (
	"bytes"
	"context"
	"image"
	_ "image/jpeg" // pictures may be JPEG
	_ "image/png"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"

	"github.com/opentill/opentill/pos/catalog"
)

// Pictures gives the screens the products' pictures: which picture a
// product has, the picture itself, and whether the catalog has any. The
// offline store implements it.
type Pictures interface {
	catalog.Images
	ByID(ctx context.Context, id string) (catalog.Product, error)
	HasImages(ctx context.Context) (bool, error)
}

// pictureSide is the side of a picture in a list row.
const pictureSide = 32

// pictureCache holds the pictures the screens have drawn and which picture
// each product on a line has, so a list refresh reads nothing twice. A
// picture the till does not hold yet (sync fetches it) is asked for again
// after a minute.
type pictureCache struct {
	src   Pictures
	shown bool                   // the catalog has pictures: lists keep a place for them
	keyOf map[string]string      // product ID → picture key ("" none)
	res   map[string]image.Image // key → picture, decoded once for every row showing it
	miss  map[string]time.Time   // key → when it was not on the till
}

const pictureCacheMax = 4096

func newPictureCache(src Pictures) *pictureCache {
	c := &pictureCache{src: src, keyOf: map[string]string{}, res: map[string]image.Image{}, miss: map[string]time.Time{}}
	if src != nil {
		c.shown, _ = src.HasImages(context.Background()) // no pictures shown is the safe answer
	}
	return c
}

// ofLine returns the picture of the product on a line, looking up which
// picture the product has once; nil when it has none.
func (c *pictureCache) ofLine(productID string) image.Image {
	if c == nil || !c.shown {
		return nil
	}
	k, ok := c.keyOf[productID]
	if !ok {
		if p, err := c.src.ByID(context.Background(), productID); err == nil {
			k = p.Image
		}
		if len(c.keyOf) >= pictureCacheMax {
			clear(c.keyOf)
		}
		c.keyOf[productID] = k
	}
	return c.of(k)
}

// of returns the picture of a key ("" or not on the till yet: nil).
func (c *pictureCache) of(key string) image.Image {
	if c == nil || !c.shown || key == "" {
		return nil
	}
	if r, ok := c.res[key]; ok {
		return r
	}
	if at, ok := c.miss[key]; ok && time.Since(at) < time.Minute {
		return nil
	}
	data, err := c.src.Image(context.Background(), key)
	var r image.Image
	if err == nil {
		r, _, err = image.Decode(bytes.NewReader(data))
	}
	if err != nil {
		c.miss[key] = time.Now()
		return nil
	}
	if len(c.res) >= pictureCacheMax/8 {
		clear(c.res)
	}
	c.res[key] = r
	delete(c.miss, key)
	return r
}

// pictureRow lays a list row out as its text, its trailing figures and,
// when the catalog has pictures, a picture slot at the left (pictureOf
// finds it).
func (u *UI) pictureRow(text, trailing fyne.CanvasObject) *fyne.Container {
	if u.pics != nil && u.pics.shown {
		// Objects: the text, the picture, the figures.
		return container.NewBorder(nil, nil, container.NewCenter(newPictureSlot()), trailing, text)
	}
	return container.NewBorder(nil, nil, nil, trailing, text)
}

// rowParts returns a pictureRow's text, picture slot (nil without one) and
// trailing figures.
func rowParts(b *fyne.Container) (text fyne.CanvasObject, pic *canvas.Image, trailing fyne.CanvasObject) {
	if len(b.Objects) == 3 {
		pic = b.Objects[1].(*fyne.Container).Objects[0].(*canvas.Image)
	}
	return b.Objects[0], pic, b.Objects[len(b.Objects)-1]
}

// newPictureSlot is a list row's picture: a fixed square, empty when the
// product has none.
func newPictureSlot() *canvas.Image {
	img := canvas.NewImageFromImage(nil)
	img.FillMode = canvas.ImageFillContain
	img.ScaleMode = canvas.ImageScaleSmooth
	img.SetMinSize(fyne.NewSquareSize(pictureSide))
	return img
}

// setPicture shows m in a picture slot (nil empties it); a row without a
// slot shows none.
func setPicture(img *canvas.Image, m image.Image) {
	if img == nil || img.Image == m {
		return
	}
	img.Image = m
	img.Refresh()
}
