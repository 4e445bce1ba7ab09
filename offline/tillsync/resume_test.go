package tillsync_test

import (
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/offline/api"
	"github.com/opentill/opentill/offline/tillsync"
)

// cutOffProxy forwards to target but hangs up on feed requests of dataset
// once it has forwarded allow of them.
func cutOffProxy(t *testing.T, target, dataset string, allow int64) string {
	var seen atomic.Int64
	return hostileServer(t, func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, api.PathFeeds+dataset) && seen.Add(1) > allow {
			c, _, _ := w.(http.Hijacker).Hijack()
			c.Close()
			return
		}
		req, _ := http.NewRequest(r.Method, target+r.URL.RequestURI(), r.Body)
		req.Header = r.Header.Clone()
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			c, _, _ := w.(http.Hijacker).Hijack()
			c.Close()
			return
		}
		defer resp.Body.Close()
		for k, v := range resp.Header {
			w.Header()[k] = v
		}
		w.WriteHeader(resp.StatusCode)
		_, _ = io.Copy(w, resp.Body)
	})
}

// TestInterruptedPullsResume cuts the connection in the middle of paged
// pulls: the first download of the catalog and a later delta pull both keep
// the pages they committed, and the next pass completes both from there.
func TestInterruptedPullsResume(t *testing.T) {
	s := startServer(t, 1000)
	tests := []struct {
		name     string
		prepare  func(t *testing.T, tl *till)
		wantLeft int64 // products after the interrupted pass
	}{
		{"first download keeps its committed pages", func(t *testing.T, tl *till) {}, 2 * 100},
		{"delta pages already applied stay", func(t *testing.T, tl *till) {
			// A till that already holds a product pulls the rest as deltas.
			require.NoError(t, tl.St.PutProduct(ctx, mustProduct(t, s, "10000")))
		}, 2 * 100},
	}
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			proxy := cutOffProxy(t, s.URL, api.DatasetProducts, 2)
			tl := newTill(t, s, []string{"R1", "R2"}[i], proxy)
			require.NoError(t, tl.Eng.Close())
			opt := fastOptions()
			opt.PageSize = 100
			opt.Client.Retries = -1
			eng, err := tillsync.Open(tl.Dir, tl.St, opt)
			require.NoError(t, err)
			tl.Eng = eng
			tc.prepare(t, tl)

			err = eng.Pass(ctx)
			require.Error(t, err)
			assert.Equal(t, tillsync.Unreachable, tillsync.KindOf(err), err.Error())
			n, err := tl.St.ProductCount(ctx)
			require.NoError(t, err)
			assert.EqualValues(t, tc.wantLeft, n)

			cfg, err := tillsync.LoadConfig(ctx, tl.St)
			require.NoError(t, err)
			cfg.URL = s.URL
			require.NoError(t, tl.St.PutSetting(ctx, tillsync.SettingKey, cfg))
			require.NoError(t, eng.Pass(ctx))
			n, err = tl.St.ProductCount(ctx)
			require.NoError(t, err)
			assert.EqualValues(t, 1000, n)
			got, err := tl.St.Search(ctx, "laugen", 5)
			require.NoError(t, err)
			assert.NotEmpty(t, got, "the search index is complete")
		})
	}
}
