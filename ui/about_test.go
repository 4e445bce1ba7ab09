package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/internal/version"
)

// A manager opens Settings → About OpenTill and reads the version, the
// commit and the build date, in the operator's language.
func TestAboutShowsTheVersion(t *testing.T) {
	r := newRig(t, german)
	r.signInSelling("2001", "2468")
	tile := r.ui.Tile("tile.settings")
	require.NotNil(t, tile)
	test.Tap(tile)
	r.tap("Über OpenTill")
	in := version.Get()
	text := r.overlayText()
	assert.Contains(t, text, "OpenTill "+in.Version)
	assert.Contains(t, text, "Commit "+in.ShortCommit()+", erstellt "+in.Date)
	assert.Contains(t, text, in.Platform())
	assert.Equal(t, 4, len(strings.Split(r.ui.AboutText(), "\n")))
}
