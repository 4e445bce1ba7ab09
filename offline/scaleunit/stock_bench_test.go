package scaleunit_test

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/offline/api"
	"github.com/opentill/opentill/offline/demo"
	"github.com/opentill/opentill/offline/scaleunit"
	"github.com/opentill/opentill/offline/scaleunit/sutest"
)

// BenchmarkPostCount10000Lines posts a count of 10,000 lines that two
// devices uploaded (the post sets each product's on hand and sends its
// figure to the store's tills), beside BenchmarkSetFigures10000, an
// administrator's import of the same 10,000 figures: the ledger's bulk
// write alone.
func BenchmarkPostCount10000Lines(b *testing.B) {
	for _, backend := range []string{"sqlite", "postgres"} {
		b.Run(backend, func(b *testing.B) {
			st, _ := sutest.Open(b, backend)
			require.NoError(b, scaleunit.Seed(ctx, st, 10, nil))
			t1, err := st.PutTill(ctx, demo.StoreID, "T01")
			require.NoError(b, err)
			t2, err := st.PutTill(ctx, demo.StoreID, "T02")
			require.NoError(b, err)
			b.ResetTimer()
			for n := 0; n < b.N; n++ {
				b.StopTimer()
				id := fmt.Sprintf("C%d", n)
				for d, till := range []scaleunit.TillInfo{t1, t2} {
					up := api.StockCountLines{ID: fmt.Sprintf("%s.%d", id, d), CountID: id, Name: "bench", Created: time.Now()}
					for i := d * 5000; i < d*5000+5000; i++ {
						up.Lines = append(up.Lines, api.StockCountLine{ProductID: fmt.Sprintf("P%05d", i), Qty: int64(i%9) * 1000, CountedAt: time.Now()})
					}
					raw, err := json.Marshal(up)
					require.NoError(b, err)
					_, _, err = st.Upload(ctx, till, api.KindStockCount, up.ID, raw)
					require.NoError(b, err)
				}
				post, err := json.Marshal(api.StockCountPost{ID: id + ".post", CountID: id, PostedBy: "2001", At: time.Now()})
				require.NoError(b, err)
				b.StartTimer()
				_, _, err = st.Upload(ctx, t1, api.KindStockCountPost, id+".post", post)
				require.NoError(b, err)
			}
		})
	}
}

func BenchmarkSetFigures10000(b *testing.B) {
	for _, backend := range []string{"sqlite", "postgres"} {
		b.Run(backend, func(b *testing.B) {
			st, _ := sutest.Open(b, backend)
			require.NoError(b, scaleunit.Seed(ctx, st, 10, nil))
			figs := make([]api.StockFigure, 10_000)
			for i := range figs {
				figs[i] = api.StockFigure{ProductID: fmt.Sprintf("P%05d", i), OnHand: int64(i%9) * 1000}
			}
			b.ResetTimer()
			for n := 0; n < b.N; n++ {
				require.NoError(b, st.SetFigures(ctx, demo.StoreID, figs))
			}
		})
	}
}
