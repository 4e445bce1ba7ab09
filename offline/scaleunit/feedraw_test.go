package scaleunit_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/offline/api"
	"github.com/opentill/opentill/offline/demo"
	"github.com/opentill/opentill/offline/scaleunit"
	"github.com/opentill/opentill/offline/scaleunit/sutest"
)

// TestRawFeedsAreTheFeeds: every feed the server sends as it keeps it
// (FeedRaw) is, byte for byte, the page Feed decodes and the server would
// encode — every page of it, cursors and counts included; the staff and
// config feeds, made for each till, are refused.
func TestRawFeedsAreTheFeeds(t *testing.T) { sutest.Each(t, testRawFeeds) }

func testRawFeeds(t *testing.T, backend string) {
	st, _ := sutest.Open(t, backend)
	require.NoError(t, scaleunit.Seed(ctx, st, 60, nil))
	require.NoError(t, st.SetPrices(ctx, []api.PriceChange{{ProductID: demo.Featured[0].ID, Price: 123}, {ProductID: demo.Featured[1].ID, Price: 4567}}))
	require.NoError(t, st.SetFigures(ctx, demo.StoreID, []api.StockFigure{{ProductID: demo.Featured[0].ID, OnHand: 12000}, {ProductID: demo.Featured[2].ID, OnHand: 3000, OnOrder: 500}}))
	seen := 0
	for _, ds := range api.Datasets {
		if !scaleunit.RawFeed(ds) {
			_, err := st.FeedRaw(ctx, demo.StoreID, ds, 0, 10, false)
			assert.Error(t, err, ds)
			continue
		}
		after := int64(0)
		for {
			want, err := st.Feed(ctx, demo.StoreID, ds, after, 7, true)
			require.NoError(t, err, ds)
			got, err := st.FeedRaw(ctx, demo.StoreID, ds, after, 7, true)
			require.NoError(t, err, ds)
			wb, err := json.Marshal(want)
			require.NoError(t, err)
			gb, err := json.Marshal(got)
			require.NoError(t, err)
			require.Equal(t, string(wb), string(gb), "%s after %d", ds, after)
			seen += len(got.Changes)
			if !got.More {
				break
			}
			after = got.NextCursor
		}
	}
	assert.Greater(t, seen, 60, "the products, prices and stock feeds at least")
}
