package tillsync_test

import (
	"encoding/json"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/offline/api"
	"github.com/opentill/opentill/offline/tillsync"
)

// hostileServer answers every request with the canned reply of reply(path).
func hostileServer(t *testing.T, reply func(w http.ResponseWriter, r *http.Request)) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	hs := &http.Server{Handler: http.HandlerFunc(reply)}
	go func() { _ = hs.Serve(ln) }()
	t.Cleanup(func() { hs.Close() })
	return "http://" + ln.Addr().String()
}

func jsonReply(status int, body string) func(w http.ResponseWriter, r *http.Request) {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = w.Write([]byte(body))
	}
}

// TestHostileRepliesAreRefusedAndLeaveTheStoreIntact points a synced till
// at servers that send broken or malicious replies: every pass fails with a
// clear error, and the till's products, cursors and outbox are unchanged.
func TestHostileRepliesAreRefusedAndLeaveTheStoreIntact(t *testing.T) {
	s := startServer(t, 50)
	tl := newTill(t, s, "T01", s.URL)
	require.NoError(t, tl.Eng.Pass(ctx))
	sell(t, tl.St, 2)
	require.NoError(t, tl.Eng.Pass(ctx))
	sell(t, tl.St, 1)

	goodPage := func(ds string, changes string) string {
		return `{"dataset":"` + ds + `","changes":[` + changes + `],"next_cursor":999999,"more":false}`
	}
	uploadOK := func(w http.ResponseWriter, r *http.Request) bool {
		if r.Method == http.MethodPut {
			parts := strings.Split(r.URL.Path, "/")
			kind, id := parts[len(parts)-2], parts[len(parts)-1]
			jsonReply(200, `{"id":"`+id+`","kind":"`+kind+`","duplicate":false}`)(w, r)
			return true
		}
		return false
	}
	tests := []struct {
		name    string
		reply   func(w http.ResponseWriter, r *http.Request)
		kind    tillsync.ErrorKind
		message string
		pushed  bool // the upload itself was acknowledged
	}{
		{"not JSON", jsonReply(200, `<html>hello</html>`), tillsync.BadReply, "malformed or truncated JSON", false},
		{"HTML content type", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			_, _ = w.Write([]byte(`{"id":"x"}`))
		}, tillsync.BadReply, "expected JSON", false},
		{"truncated JSON", jsonReply(200, `{"id":"abc","kind":"transac`), tillsync.BadReply, "truncated", false},
		{"ack of another ID", jsonReply(200, `{"id":"someone-else","kind":"transaction"}`), tillsync.BadReply, "not this record", false},
		{"trailing garbage", jsonReply(200, `{"id":"a"} {"id":"b"}`), tillsync.BadReply, "trailing data", false},
		{"500 with HTML", func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(500)
			_, _ = w.Write([]byte("<h1>oops</h1>"))
		}, tillsync.ServerFault, "HTTP 500", false},
		{"huge error message", jsonReply(400, `{"error":{"code":"x","message":"`+strings.Repeat("A", 100000)+`"}}`), tillsync.Refused, "HTTP 400", false},
		{"conflict: other content under the ID", jsonReply(409, `{"error":{"code":"conflict","message":"other content"}}`), tillsync.Refused, "HTTP 409", false},
		{"feed: wrong dataset", func(w http.ResponseWriter, r *http.Request) {
			if !uploadOK(w, r) {
				jsonReply(200, goodPage("staff", ""))(w, r)
			}
		}, tillsync.BadReply, `dataset "staff"`, true},
		{"feed: cursor goes back", func(w http.ResponseWriter, r *http.Request) {
			if !uploadOK(w, r) {
				jsonReply(200, `{"dataset":"config","changes":[],"next_cursor":0,"more":false}`)(w, r)
			}
		}, tillsync.BadReply, "behind the cursor", true},
		{"feed: out of order", func(w http.ResponseWriter, r *http.Request) {
			if !uploadOK(w, r) {
				jsonReply(200, goodPage("config", `{"seq":900000,"key":"setup","setup":{"StoreID":"S","TerminalID":"T"}},{"seq":800000,"key":"setup","setup":{"StoreID":"S","TerminalID":"T"}}`))(w, r)
			}
		}, tillsync.BadReply, "out of order", true},
		{"feed: change without its record", func(w http.ResponseWriter, r *http.Request) {
			if !uploadOK(w, r) {
				jsonReply(200, goodPage("config", `{"seq":999999,"key":"setup"}`))(w, r)
			}
		}, tillsync.BadReply, "does not carry a valid config record", true},
		{"feed: more promised, none sent", func(w http.ResponseWriter, r *http.Request) {
			if !uploadOK(w, r) {
				jsonReply(200, `{"dataset":"config","changes":[],"next_cursor":999999,"more":true}`)(w, r)
			}
		}, tillsync.BadReply, "empty page", true},
		{"hang up", func(w http.ResponseWriter, r *http.Request) {
			c, _, _ := w.(http.Hijacker).Hijack()
			c.Close()
		}, tillsync.Unreachable, "cannot be reached", false},
		{"slow loris", func(w http.ResponseWriter, r *http.Request) {
			time.Sleep(3 * time.Second)
		}, tillsync.Unreachable, "cannot be reached", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			url := hostileServer(t, tc.reply)
			cfg, err := tillsync.LoadConfig(ctx, tl.St)
			require.NoError(t, err)
			cfg.URL = url
			require.NoError(t, tl.St.PutSetting(ctx, tillsync.SettingKey, cfg))
			require.NoError(t, tl.Eng.Close())
			opt := fastOptions()
			opt.Client.Retries = -1
			opt.Client.Timeout = 500 * time.Millisecond
			eng, err := tillsync.Open(tl.Dir, tl.St, opt)
			require.NoError(t, err)
			tl.Eng = eng

			// a record an earlier case's 400 parked goes back in the queue
			parked, err := tl.St.OutboxParked(ctx)
			require.NoError(t, err)
			for _, it := range parked {
				require.NoError(t, tl.St.OutboxRequeue(ctx, it.ID))
			}
			pending, _, err := tl.St.OutboxCount(ctx)
			require.NoError(t, err)
			if pending == 0 {
				require.NoError(t, tl.St.Enqueue(ctx, "hostile-"+strings.ReplaceAll(tc.name, " ", "-"), api.KindShiftEvent, json.RawMessage(`{}`)))
			}
			before := snapshot(t, tl)

			err = eng.Pass(ctx)
			require.Error(t, err)
			assert.Equal(t, tc.kind, tillsync.KindOf(err), err.Error())
			assert.Contains(t, err.Error(), tc.message)
			assert.Less(t, len(err.Error()), 1000, "the message stays readable")
			assert.NotEqual(t, tillsync.Online, eng.Status().State)
			after := snapshot(t, tl)
			if tc.pushed {
				// The upload was acknowledged by this server; only the outbox moved.
				assert.Zero(t, after.pending)
				after.pending = before.pending
			}
			assert.Equal(t, before, after, "the local store is unchanged")
			if tc.kind == tillsync.Refused {
				parked, err := tl.St.OutboxParked(ctx)
				require.NoError(t, err)
				assert.Len(t, parked, 1, "a record refused as invalid is parked, kept")
			}
		})
	}
}

type storeSnapshot struct {
	products int64
	cursors  map[string]int64
	pending  int64
	setup    string
}

func snapshot(t *testing.T, tl *till) storeSnapshot {
	t.Helper()
	var s storeSnapshot
	var err error
	s.products, err = tl.St.ProductCount(ctx)
	require.NoError(t, err)
	s.cursors, err = tl.St.SyncCursors(ctx)
	require.NoError(t, err)
	s.pending, _, err = tl.St.OutboxCount(ctx)
	require.NoError(t, err)
	setup, err := tl.St.LoadSetup(ctx)
	require.NoError(t, err)
	b, _ := json.Marshal(setup)
	s.setup = string(b)
	return s
}
