package demo

import (
	"embed"
	"path"
	"sort"
	"strings"

	"github.com/opentill/opentill/pos/catalog"
)

//go:embed images/*.png
var imageFS embed.FS

// pictures are the featured products' pictures by product ID (of the item,
// for variants: every T-shirt shows the same).
var pictures = loadPictures()

func loadPictures() map[string][]byte {
	entries, err := imageFS.ReadDir("images")
	if err != nil {
		panic("demo: the embedded pictures cannot be listed: " + err.Error())
	}
	out := map[string][]byte{}
	for _, e := range entries {
		b, err := imageFS.ReadFile(path.Join("images", e.Name()))
		if err != nil {
			panic("demo: embedded picture " + e.Name() + ": " + err.Error())
		}
		if _, err := catalog.CheckImage(b); err != nil {
			panic("demo: embedded picture " + e.Name() + ": " + err.Error())
		}
		out[strings.TrimSuffix(e.Name(), ".png")] = b
	}
	return out
}

func init() {
	for i := range Featured {
		if b, ok := pictures[Featured[i].ItemID]; ok {
			Featured[i].Image = catalog.ImageKey(b)
		}
	}
}

// Images returns the demo catalog's product pictures (each once, in a
// fixed order); the featured products name them by catalog.ImageKey.
func Images() [][]byte {
	ids := make([]string, 0, len(pictures))
	for id := range pictures {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	seen := map[string]bool{}
	var out [][]byte
	for _, id := range ids {
		b := pictures[id]
		if k := catalog.ImageKey(b); !seen[k] {
			seen[k] = true
			out = append(out, b)
		}
	}
	return out
}
