package tillsync_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/offline/api"
	"github.com/opentill/opentill/offline/apimap"
	"github.com/opentill/opentill/offline/store"
)

// FuzzFeedReply feeds arbitrary bytes to the till as a feed page: decoding and
// validation never panic, and a page that passes validation is applied
// completely or not at all (the cursor moves only with it).
func FuzzFeedReply(f *testing.F) {
	seeds := []string{
		`{"dataset":"products","changes":[{"seq":1,"key":"p1","product":{"id":"p1","item_id":"p1","name":"Tea","unit":"ea","price":199,"tax_group":"STD"}}],"next_cursor":1}`,
		`{"dataset":"products","changes":[{"seq":2,"key":"p1","deleted":true}],"next_cursor":2}`,
		`{"dataset":"prices","changes":[{"seq":3,"key":"p1","price":{"product_id":"p1","price":-5}}],"next_cursor":3}`,
		`{"dataset":"staff","changes":[{"seq":4,"key":"operator:1","operator":{"id":"1","name":"x","role":"r","password_hash":"nope"}}],"next_cursor":4}`,
		`{"dataset":"products","changes":[{"seq":5,"key":"p2","product":{"id":"p2","name":"A","tax_group":"STD","barcodes":["4006381333931"]}},{"seq":6,"key":"p3","product":{"id":"p3","name":"B","tax_group":"STD","barcodes":["4006381333931"]}}],"next_cursor":6}`,
		`{"dataset":"products","changes":null,"next_cursor":-1}`,
		`[]`, `null`, `{`, ``,
	}
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	st, err := store.Open(f.TempDir())
	require.NoError(f, err)
	f.Cleanup(func() { st.Close() })
	f.Fuzz(func(t *testing.T, data []byte) {
		var p api.Page
		if json.Unmarshal(data, &p) != nil {
			return
		}
		ds := p.Dataset
		if !api.ValidDataset(ds) {
			return
		}
		before, err := st.SyncCursor(ctx, ds)
		require.NoError(t, err)
		if apimap.ValidatePage(&p, ds, before) != nil { // as the client does
			return
		}
		n0, err := st.ProductCount(ctx)
		require.NoError(t, err)
		if err := st.ApplyPage(ctx, ds, p.Changes, p.NextCursor); err != nil {
			after, err2 := st.SyncCursor(ctx, ds)
			require.NoError(t, err2)
			require.Equal(t, before, after, "a refused page does not move the cursor")
			n1, err2 := st.ProductCount(ctx)
			require.NoError(t, err2)
			require.Equal(t, n0, n1, "a refused page changes no product")
			return
		}
		after, err := st.SyncCursor(ctx, ds)
		require.NoError(t, err)
		require.Equal(t, p.NextCursor, after)
	})
}
