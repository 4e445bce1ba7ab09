package tillsync_test

import (
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/internal/version"
	"github.com/opentill/opentill/offline/api"
	"github.com/opentill/opentill/offline/demo"
	"github.com/opentill/opentill/offline/scaleunit"
	"github.com/opentill/opentill/offline/store"
	"github.com/opentill/opentill/offline/tillsync"
)

func tillInfo(t *testing.T, s *server, id string) scaleunit.TillInfo {
	t.Helper()
	ts, err := s.St.Tills(ctx)
	require.NoError(t, err)
	for _, ti := range ts {
		if ti.ID == id {
			return ti
		}
	}
	t.Fatalf("no till %s on the server", id)
	return scaleunit.TillInfo{}
}

// The till says its version at activation and at every sync pass; the
// server keeps the last one per till, with the pending count.
func TestTillReportsItsVersion(t *testing.T) {
	s := startServer(t, 20)
	tl := newTill(t, s, "T01", s.URL)
	got := tillInfo(t, s, demo.StoreID+"/T01")
	this := tillsync.ThisClient()
	assert.Equal(t, version.Get().Version, got.Client.Version, "reported at activation")
	assert.Equal(t, this, got.Client)
	assert.Equal(t, store.SchemaVersion(), got.Client.Schema)
	assert.False(t, got.LastSeen.IsZero())

	require.NoError(t, tl.Eng.Pass(ctx)) // the first pull brings the setup
	sell(t, tl.St, 2)
	// A later build of the same till: the next pass reports it.
	cfg, err := tillsync.LoadConfig(ctx, tl.St)
	require.NoError(t, err)
	c, err := tillsync.NewClient(cfg.URL, cfg.Token, tillsync.ClientOptions{Info: api.ClientInfo{Version: "v9.9.9", OS: "windows", Arch: "amd64", Schema: 7}})
	require.NoError(t, err)
	rep, err := c.CheckIn(ctx, 2)
	require.NoError(t, err)
	assert.Equal(t, demo.StoreID+"/T01", rep.TillID)
	got = tillInfo(t, s, demo.StoreID+"/T01")
	assert.Equal(t, "v9.9.9", got.Client.Version)
	assert.Equal(t, "windows", got.Client.OS)
	assert.EqualValues(t, 2, got.Pending)

	// The engine's pass checks in first, with this build, then pushes.
	require.NoError(t, tl.Eng.Pass(ctx))
	got = tillInfo(t, s, demo.StoreID+"/T01")
	assert.Equal(t, this.Version, got.Client.Version)
	assert.EqualValues(t, 2, got.Pending, "the count before this pass pushed them")
	require.NoError(t, tl.Eng.Pass(ctx))
	assert.Zero(t, tillInfo(t, s, demo.StoreID+"/T01").Pending)
}

// A server older than v0.2.0 has no check-in: it answers 404 and the till
// syncs on without it.
func TestSyncWithAServerWithoutCheckIn(t *testing.T) {
	s := startServer(t, 20)
	target, err := url.Parse(s.URL)
	require.NoError(t, err)
	var refused atomic.Int64
	rp := httputil.NewSingleHostReverseProxy(target)
	old := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == api.PathCheckIn {
			refused.Add(1)
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusNotFound)
			_, _ = w.Write([]byte(`{"error":{"code":"not_found","message":"no such endpoint: POST /v1/checkin"}}`))
			return
		}
		rp.ServeHTTP(w, r)
	}))
	t.Cleanup(old.Close)
	tl := newTill(t, s, "T02", old.URL)
	res, err := tl.Eng.PassResult(ctx)
	require.NoError(t, err)
	assert.EqualValues(t, 20, res.Pulled[api.DatasetProducts])
	ids := sell(t, tl.St, 3)
	res, err = tl.Eng.PassResult(ctx)
	require.NoError(t, err)
	assert.Equal(t, 3, res.Pushed)
	assert.EqualValues(t, 2, refused.Load(), "one check-in a pass")
	assert.Subset(t, uploadedIDs(t, s.St), ids)
}
