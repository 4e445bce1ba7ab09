package ui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/offline/demo"
)

// rowPicture is the picture slot of a line or search row.
func rowPicture(t *testing.T, row fyne.CanvasObject) *canvas.Image {
	t.Helper()
	b := row.(*fyne.Container)
	require.Len(t, b.Objects, 3, "a row with a place for the picture")
	return b.Objects[1].(*fyne.Container).Objects[0].(*canvas.Image)
}

// TestPicturesInSearchAndOnLines: a product's picture shows beside it in
// the search results and on its line; a product without one keeps the
// place empty, so the names stay aligned.
func TestPicturesInSearchAndOnLines(t *testing.T) {
	r := newRig(t)
	r.signInSelling("1001", "1234")
	r.ui.showSell()
	v := r.ui.sell
	milk, creme := demo.Featured[0], demo.Featured[3]
	require.NotEmpty(t, milk.Image)
	require.Empty(t, creme.Image)

	r.scan(milk.Barcodes[0])
	r.scan(creme.Barcodes[0])
	require.Len(t, v.Shown(), 2)
	row := r.ui.lineRow()
	r.ui.renderLine(row, v.Shown()[0])
	pic := rowPicture(t, row)
	require.NotNil(t, pic.Image, "the milk's picture on its line")
	assert.Same(t, r.ui.pics.res[milk.Image], pic.Image, "decoded once, shared by every row showing it")
	assert.Equal(t, 136, pic.Image.Bounds().Dx())
	assert.Equal(t, float32(pictureSide), pic.MinSize().Width)
	r.ui.renderLine(row, v.Shown()[1])
	assert.Nil(t, pic.Image, "no picture for the crème fraîche, the place stays")

	test.Type(v.search, "whole milk")
	require.NotEmpty(t, v.Products())
	assert.Equal(t, milk.ID, v.Products()[0].ID)
	res := v.results.CreateItem()
	v.results.UpdateItem(0, res)
	pic = rowPicture(t, res)
	require.NotNil(t, pic.Image, "the picture beside the search result")
	assert.Same(t, r.ui.pics.res[milk.Image], pic.Image)
}
