package tillsync_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/offline/api"
	"github.com/opentill/opentill/offline/demo"
	"github.com/opentill/opentill/offline/scaleunit"
	"github.com/opentill/opentill/offline/store"
	"github.com/opentill/opentill/offline/tillsync"
	"strconv"
)

func TestActivateAndFirstPull(t *testing.T) {
	s := startServer(t, 300)
	tl := newTill(t, s, "T01", s.URL)
	var last tillsync.Status
	cancel := tl.Eng.Subscribe(func(st tillsync.Status) { last = st })
	defer cancel()
	res, err := tl.Eng.PassResult(ctx)
	require.NoError(t, err)
	assert.EqualValues(t, 300, res.Pulled[api.DatasetProducts])
	n, err := tl.St.ProductCount(ctx)
	require.NoError(t, err)
	assert.EqualValues(t, 300, n)
	setup, err := tl.St.LoadSetup(ctx)
	require.NoError(t, err)
	assert.Equal(t, demo.StoreID, setup.StoreID)
	assert.Equal(t, "T01", setup.TerminalID, "the config feed carries the till's own terminal ID")
	ops, err := tl.St.Operators(ctx)
	require.NoError(t, err)
	assert.Len(t, ops, 4)
	assert.Equal(t, tillsync.Online, last.State)
	assert.True(t, last.Activated)

	// A second pass pulls nothing new.
	res, err = tl.Eng.PassResult(ctx)
	require.NoError(t, err)
	assert.Zero(t, res.Pulled[api.DatasetProducts])
}

func TestActivationCodeIsOneTime(t *testing.T) {
	s := startServer(t, 10)
	code := s.code(t, "T02")
	st1 := openStore(t)
	_, err := tillsync.Activate(ctx, st1, s.URL, " "+strings.ToLower(strings.ReplaceAll(code, "-", ""))+" ", "first")
	require.NoError(t, err, "case, spaces and dashes do not matter")
	_, err = tillsync.Activate(ctx, openStore(t), s.URL, code, "second")
	require.Error(t, err)
	assert.Equal(t, tillsync.Refused, tillsync.KindOf(err))
	assert.Contains(t, err.Error(), "already used")
}

func TestUploadsAreIdempotentByClientID(t *testing.T) {
	s := startServer(t, 50)
	tl := newTill(t, s, "T01", s.URL)
	require.NoError(t, tl.Eng.Pass(ctx))
	ids := sell(t, tl.St, 5)
	cfg, err := tillsync.LoadConfig(ctx, tl.St)
	require.NoError(t, err)
	c, err := tillsync.NewClient(s.URL, cfg.Token, tillsync.ClientOptions{})
	require.NoError(t, err)
	items, err := tl.St.OutboxPending(ctx, 10)
	require.NoError(t, err)
	require.Len(t, items, 5)

	tests := []struct {
		name    string
		send    int
		wantDup []bool
	}{
		{"once", 1, []bool{false}},
		{"twice", 2, []bool{false, true}},
		{"five times", 5, []bool{false, true, true, true, true}},
	}
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			it := items[i]
			for k := 0; k < tc.send; k++ {
				rep, err := c.Upload(ctx, it.Kind, it.ID, it.Payload)
				require.NoError(t, err)
				assert.Equal(t, it.ID, rep.ID)
				assert.Equal(t, tc.wantDup[k], rep.Duplicate, "attempt %d", k+1)
			}
		})
	}
	t.Run("same ID, other content is a conflict", func(t *testing.T) {
		var other map[string]any
		require.NoError(t, json.Unmarshal(items[0].Payload, &other))
		other["comment"] = "other content"
		body, err := json.Marshal(other)
		require.NoError(t, err)
		_, err = c.Upload(ctx, items[0].Kind, items[0].ID, body)
		require.Error(t, err)
		assert.Equal(t, tillsync.Refused, tillsync.KindOf(err))
		assert.Equal(t, http.StatusConflict, err.(*tillsync.Error).Status)
	})
	// The pusher sends the rest; the server holds each once.
	require.NoError(t, tl.Eng.Pass(ctx))
	assert.ElementsMatch(t, ids, uploadedIDs(t, s.St))
	pending, _, err := tl.St.OutboxCount(ctx)
	require.NoError(t, err)
	assert.Zero(t, pending)
}

func TestEveryCallIsAuthenticated(t *testing.T) {
	s := startServer(t, 10)
	tl := newTill(t, s, "T01", s.URL)
	require.NoError(t, tl.Eng.Pass(ctx))
	cfg, err := tillsync.LoadConfig(ctx, tl.St)
	require.NoError(t, err)

	tests := []struct {
		name  string
		token string
		code  string
	}{
		{"no token", "", api.CodeUnauthorized},
		{"wrong token", "not-a-token", api.CodeUnauthorized},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := tillsync.NewClient(s.URL, tc.token, tillsync.ClientOptions{Retries: -1})
			require.NoError(t, err)
			_, err = c.Feed(ctx, api.DatasetProducts, 0, 10, false)
			require.Error(t, err)
			assert.Equal(t, tc.code, err.(*tillsync.Error).Code)
			_, err = c.Upload(ctx, api.KindTransaction, "x1", []byte(`{}`))
			require.Error(t, err)
			assert.Equal(t, tc.code, err.(*tillsync.Error).Code)
		})
	}
	t.Run("deactivated till is refused", func(t *testing.T) {
		require.NoError(t, s.St.SetTillActive(ctx, cfg.TillID, false))
		sell(t, tl.St, 1)
		err := tl.Eng.Pass(ctx)
		require.Error(t, err)
		assert.Equal(t, api.CodeDeactivated, err.(*tillsync.Error).Code)
		assert.Equal(t, tillsync.Degraded, tl.Eng.Status().State)
		assert.EqualValues(t, 1, tl.Eng.Status().Pending, "the sale waits in the outbox")
		assert.Empty(t, uploadedIDs(t, s.St))
	})
}

func TestTwoTillsSeeAPriceChangeAndServerHasTheUnion(t *testing.T) {
	s := startServer(t, 200)
	a := newTill(t, s, "T01", s.URL)
	b := newTill(t, s, "T02", s.URL)
	require.NoError(t, a.Eng.Pass(ctx))
	require.NoError(t, b.Eng.Pass(ctx))
	idsA := sell(t, a.St, 7)
	idsB := sell(t, b.St, 9)

	p := demo.Featured[0]
	newPrice := p.Price + 111
	require.NoError(t, s.St.SetPrices(ctx, []api.PriceChange{{ProductID: p.ID, Price: int64(newPrice)}}))
	a.Eng.Start()
	b.Eng.Start()
	for _, tl := range []*till{a, b} {
		require.Eventually(t, func() bool {
			got, err := tl.St.ByID(ctx, p.ID)
			return err == nil && got.Price == newPrice && tl.Eng.Status().Pending == 0
		}, 10*time.Second, 20*time.Millisecond)
	}
	// Sales after the change use the new price.
	idsA = append(idsA, sell(t, a.St, 1)...)
	a.Eng.PendingChanged()
	require.Eventually(t, func() bool { return a.Eng.Status().Pending == 0 }, 10*time.Second, 20*time.Millisecond)

	assert.ElementsMatch(t, append(append([]string{}, idsA...), idsB...), uploadedIDs(t, s.St))
	ups, err := s.St.Uploads(ctx, api.KindTransaction)
	require.NoError(t, err)
	last := ups[len(ups)-1]
	assert.Contains(t, string(last.Payload), `"unit_price":`+strconv.FormatInt(int64(newPrice), 10))
}

func TestInventoryAcrossSisterStores(t *testing.T) {
	s := startServer(t, 10)
	tl := newTill(t, s, "T01", s.URL)
	av, err := tl.Eng.Availability(ctx, demo.Featured[2].ID)
	require.NoError(t, err)
	require.Len(t, av.Stores, 2)
	assert.Equal(t, scaleunit.SisterStoreID, av.Stores[1].StoreID)
	assert.EqualValues(t, 6000, av.Stores[1].Qty)
}

func TestOnePusherPerDataFolder(t *testing.T) {
	s := startServer(t, 10)
	tl := newTill(t, s, "T01", s.URL)
	_, err := tillsync.Open(tl.Dir, tl.St, tillsync.Options{})
	require.ErrorIs(t, err, tillsync.ErrLocked)
}

// TestRefusedRecordStaysQueuedAndPullsContinue: a record the server refuses
// (the same ID with other content) is never dropped from the outbox; the
// till reports degraded and still receives price changes.
func TestConflictingRecordIsParkedAndPullsContinue(t *testing.T) {
	s := startServer(t, 50)
	tl := newTill(t, s, "T01", s.URL)
	require.NoError(t, tl.Eng.Pass(ctx))
	ids := sell(t, tl.St, 2)
	till, err := s.St.PutTill(ctx, demo.StoreID, "T01")
	require.NoError(t, err)
	_, _, err = s.St.Upload(ctx, till, api.KindTransaction, ids[0], []byte(`{"id":"`+ids[0]+`","other":true}`))
	require.NoError(t, err)
	p := demo.Featured[3]
	require.NoError(t, s.St.SetPrices(ctx, []api.PriceChange{{ProductID: p.ID, Price: int64(p.Price) + 1}}))

	for i := 0; i < 3; i++ {
		err = tl.Eng.Pass(ctx)
		require.Error(t, err, "the journal, which records the sale as the till made it, does not match the server's copy")
		assert.Equal(t, api.CodeJournal, err.(*tillsync.Error).Code)
	}
	st := tl.Eng.Status()
	assert.Equal(t, tillsync.Degraded, st.State)
	assert.EqualValues(t, 1, st.Pending, "the conflicting sale is not on the server as the till made it")
	assert.EqualValues(t, 1, st.Parked)
	items, err := tl.St.OutboxPending(ctx, 10)
	require.NoError(t, err)
	assert.Empty(t, items, "the sale behind it went up")
	assert.Contains(t, uploadedIDs(t, s.St), ids[1])
	parked, err := tl.St.OutboxParked(ctx)
	require.NoError(t, err)
	require.Len(t, parked, 1)
	assert.Equal(t, ids[0], parked[0].ID)
	assert.Equal(t, 1, parked[0].Attempts, "parked once, not sent again")
	assert.Contains(t, parked[0].LastError, "different content")
	got, err := tl.St.ByID(ctx, p.ID)
	require.NoError(t, err)
	assert.Equal(t, p.Price+1, got.Price)
}

func TestEngineActivateAndOfflineAvailability(t *testing.T) {
	s := startServer(t, 20)
	dir := t.TempDir()
	st := openStore(t)
	eng, err := tillsync.Open(dir, st, fastOptions())
	require.NoError(t, err)
	defer eng.Close()
	var states []tillsync.Status
	defer eng.Subscribe(func(s tillsync.Status) { states = append(states, s) })()
	assert.False(t, eng.Status().Activated)
	_, err = eng.Activate(ctx, s.URL, "WRONG-CODE", "x")
	require.Error(t, err)
	_, err = eng.Activate(ctx, s.URL, s.code(t, "T03"), "x")
	require.NoError(t, err)
	assert.True(t, eng.Status().Activated)
	require.NoError(t, eng.Pass(ctx))
	assert.Equal(t, tillsync.Online, eng.Status().State)

	s.stop() // the server goes away
	_, err = eng.Availability(ctx, demo.Featured[0].ID)
	require.Error(t, err)
	assert.Equal(t, tillsync.Unreachable, tillsync.KindOf(err))
	require.Error(t, eng.Pass(ctx))
	assert.Equal(t, tillsync.Offline, eng.Status().State)
	assert.Contains(t, eng.Status().LastError, "cannot be reached")
	assert.Greater(t, len(states), 3, "status changes were published")
}

// TestAcknowledgedRecordsArePurged: after the retention, a pass drops the
// payload of acknowledged records; the journal still verifies, and a
// record the server has not acknowledged keeps its payload.
func TestAcknowledgedRecordsArePurged(t *testing.T) {
	s := startServer(t, 20)
	tl := newTill(t, s, "T01", s.URL)
	require.NoError(t, tl.Eng.Close())
	opt := fastOptions()
	opt.Retention = time.Nanosecond
	eng, err := tillsync.Open(tl.Dir, tl.St, opt)
	require.NoError(t, err)
	tl.Eng = eng
	require.NoError(t, eng.Pass(ctx)) // the setup comes down
	sell(t, tl.St, 3)
	require.NoError(t, eng.Pass(ctx)) // sent and acknowledged
	require.NoError(t, eng.Close())
	eng, err = tillsync.Open(tl.Dir, tl.St, opt) // a new engine purges at its first pass
	require.NoError(t, err)
	tl.Eng = eng
	late := sell(t, tl.St, 1)
	s.stop() // the last sale cannot go up
	require.Error(t, eng.Pass(ctx))
	rep, err := tl.St.Verify(ctx, store.VerifyOptions{})
	require.NoError(t, err)
	assert.Empty(t, rep.Problems, "purged records still verify")
	assert.Equal(t, 3, rep.Unchecked["outbox purged"], "the three acknowledged sales are purged")
	pending, err := tl.St.OutboxPending(ctx, 10)
	require.NoError(t, err)
	require.Len(t, pending, 1)
	assert.Equal(t, late[0], pending[0].ID)
	assert.NotEmpty(t, pending[0].Payload, "an unacknowledged record keeps its payload")
}

// TestLostActivationReplyIsRetried: the server activates the till but its
// reply never arrives; the client's retry carries the same attempt and
// gets the till again with a working token instead of "code already used".
// Another device with the spent code is still refused.
func TestLostActivationReplyIsRetried(t *testing.T) {
	s := startServer(t, 20)
	real := scaleunit.New(s.St, nil).Handler()
	var lost atomic.Bool
	front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == api.PathActivate && lost.CompareAndSwap(false, true) {
			real.ServeHTTP(httptest.NewRecorder(), r) // activated on the server…
			c, _, err := w.(http.Hijacker).Hijack()   // …and the reply is lost
			if err == nil {
				c.Close()
			}
			return
		}
		real.ServeHTTP(w, r)
	}))
	t.Cleanup(front.Close)
	code := s.code(t, "T05")
	st := openStore(t)
	cfg, err := tillsync.Activate(ctx, st, front.URL, code, "till 5")
	require.NoError(t, err, "the retry with the same attempt gets the till")
	assert.True(t, lost.Load())
	assert.Equal(t, demo.StoreID+"/T05", cfg.TillID)
	dir := t.TempDir()
	eng, err := tillsync.Open(dir, st, fastOptions())
	require.NoError(t, err)
	t.Cleanup(func() { eng.Close() })
	require.NoError(t, eng.Pass(ctx), "the token of the retried activation works")

	_, err = tillsync.Activate(ctx, openStore(t), front.URL, code, "another device")
	require.Error(t, err, "another attempt with the spent code is refused")
	assert.Equal(t, api.CodeBadCode, err.(*tillsync.Error).Code)
}
