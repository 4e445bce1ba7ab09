package ui

import (
	"context"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/offline/api"
	"github.com/opentill/opentill/offline/scaleunit"
	"github.com/opentill/opentill/offline/store"
	"github.com/opentill/opentill/offline/synclink"
	"github.com/opentill/opentill/offline/tillsync"
	"github.com/opentill/opentill/pos"
	"github.com/opentill/opentill/pos/catalog"
	"github.com/opentill/opentill/pos/till"
)

// syncRig is a till syncing with a real scale unit on loopback (embedded,
// its data in a temporary folder). Status updates are queued and run on
// the test goroutine by settle, as fyne.Do runs them on the UI goroutine in
// the app.
type syncRig struct {
	*rig
	dir    string
	suDir  string
	url    string
	stop   func()
	eng    *tillsync.Engine
	posted chan func()
}

func newSyncRig(t *testing.T, activate bool, opts ...rigOpt) *syncRig {
	suDir := t.TempDir()
	url, stop, err := scaleunit.StartEmbedded(suDir)
	require.NoError(t, err)
	t.Cleanup(func() { stop() })
	posted := make(chan func(), 4096)
	opts = append(opts, func(c *Config) { c.Post = func(f func()) { posted <- f } })
	dir := seeded(t)
	r := newRigOn(t, dir, opts...)
	eng, err := tillsync.Open(dir, r.st, tillsync.Options{Interval: time.Second, MaxBackoff: 300 * time.Millisecond,
		Client: tillsync.ClientOptions{Timeout: 3 * time.Second, Retries: -1}})
	require.NoError(t, err)
	t.Cleanup(func() { eng.Close() }) // before the store closes
	r.ports.Attach(eng)
	if activate {
		_, err := eng.Activate(context.Background(), url, scaleunit.DemoCode(r.reg.Setup().TerminalID), "ui test")
		require.NoError(t, err)
	}
	r.reg.Subscribe(func(e pos.Event) {
		if e.Type == pos.TransactionCompleted || e.Type == pos.TransactionVoided {
			eng.PendingChanged()
		}
	})
	r.ui.SetSync(synclink.NewSync(eng))
	eng.Start()
	return &syncRig{rig: r, dir: dir, suDir: suDir, url: url, stop: stop, eng: eng, posted: posted}
}

// settle runs the queued UI work until cond holds (or fails after 20 s).
func (r *syncRig) settle(what string, cond func() bool) {
	r.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		select {
		case f := <-r.posted:
			f()
		case <-time.After(5 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			r.t.Fatalf("timed out waiting for %s; status %+v", what, r.ui.SyncStatus())
		}
	}
}

// settled waits until a pass has finished and the status is s.
func (r *syncRig) settleState(what string, state till.SyncState, pending int64) {
	r.t.Helper()
	r.settle(what, func() bool {
		s := r.ui.SyncStatus()
		return !s.Syncing && s.State == state && s.Pending == pending
	})
}

// restart serves the scale unit's folder again at the address it had.
func (r *syncRig) restart() {
	addr := strings.TrimPrefix(r.url, "http://")
	st, err := scaleunit.OpenSQLite(r.suDir)
	require.NoError(r.t, err)
	var ln net.Listener
	for i := 0; ; i++ {
		ln, err = net.Listen("tcp", addr)
		if err == nil || i == 50 {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	require.NoError(r.t, err)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = scaleunit.New(st, nil).Serve(ctx, ln, "", "")
	}()
	var once sync.Once
	r.stop = func() { once.Do(func() { cancel(); <-done; st.Close() }) }
	r.t.Cleanup(r.stop)
}

// uploads counts the transactions the server holds (with it stopped).
func (r *syncRig) uploads() []string {
	r.stop()
	st, err := scaleunit.OpenSQLite(r.suDir)
	require.NoError(r.t, err)
	defer st.Close()
	ups, err := st.Uploads(context.Background(), api.KindTransaction)
	require.NoError(r.t, err)
	var ids []string
	for _, u := range ups {
		ids = append(ids, u.ID)
	}
	return ids
}

// cashSale sells a croissant for exact cash and starts the next sale.
func (r *syncRig) cashSale() string {
	r.t.Helper()
	r.scan("4000000000082")
	require.Len(r.t, r.ui.sell.Lines(), 1, "on screen: %s", r.overlayText())
	r.ui.sell.openPay()
	test.Tap(r.ui.pay.exact)
	require.Equal(r.t, "receipt", r.ui.Screen())
	no := r.ui.lastRcpt.ReceiptNo
	r.ui.showSell()
	return no
}

// The header shows the store server's state: online with nothing waiting
// after the first pass; a sale is pushed at once and "Sync now" runs a
// pass. With the server stopped it says offline while selling goes on and
// the count of waiting transactions grows; stock in other stores says it
// needs the server; once the server is back everything is sent, exactly
// once.
func TestSyncIndicatorOnlineOfflineAndDrain(t *testing.T) {
	r := newSyncRig(t, true)
	r.settleState("the first pass", till.SyncOnline, 0)
	ind := r.ui.SyncIndicator()
	require.NotNil(t, ind)
	assert.Equal(t, "Online · 0 transactions waiting", ind.Text)
	assert.Equal(t, widget.SuccessImportance, ind.Importance)

	r.signInSelling("1001", "1234")
	test.Tap(r.ui.Tile("tile.sell"))
	require.Equal(t, "sell", r.ui.Screen())
	assert.True(t, hasObject(r.win.Canvas().Content(), ind), "the indicator is in the sell screen's header")
	r.cashSale()
	r.settle("the sale waiting", func() bool { return r.ui.SyncStatus().Pending == 1 })
	r.settleState("the sale pushed", till.SyncOnline, 0)
	assert.Equal(t, "Online · 0 transactions waiting", ind.Text)

	// Sync now, from the indicator's dialog.
	last := r.ui.SyncStatus().LastSync
	test.Tap(ind)
	require.NotNil(t, r.ui.syncDetail)
	assert.Contains(t, r.overlayText(), "Connected to the store server "+r.url)
	r.tap("Sync now")
	r.settle("a pass after Sync now", func() bool {
		s := r.ui.SyncStatus()
		return !s.Syncing && s.LastSync.After(last)
	})
	assert.Contains(t, r.overlayText(), "Last sync: ")
	r.ui.closeDialog()

	// The server goes away: offline, selling goes on, the count grows.
	r.stop()
	r.eng.SyncNow()
	r.settleState("offline", till.SyncOffline, 0)
	assert.Equal(t, "Offline · 0 transactions waiting", ind.Text)
	assert.Equal(t, widget.DangerImportance, ind.Importance)
	r.cashSale()
	r.settleState("one waiting", till.SyncOffline, 1)
	assert.Equal(t, "Offline · 1 transaction waiting", ind.Text)
	r.cashSale()
	r.settleState("two waiting", till.SyncOffline, 2)
	assert.Equal(t, "Offline · 2 transactions waiting", ind.Text)
	test.Tap(ind)
	txt := r.overlayText()
	assert.Contains(t, txt, "cannot be reached. The till keeps selling")
	assert.Contains(t, txt, "Technical detail: ")
	r.ui.closeDialog()

	// Stock in other stores needs the server: it says so plainly.
	p, err := r.st.ByBarcode(context.Background(), "4000000000082")
	require.NoError(t, err)
	r.ui.productDetails(p, true)
	require.NotNil(t, r.ui.stock)
	test.Tap(r.ui.stock.button)
	r.settle("the stock answer", func() bool { return r.ui.stock.result.Text != "Asking the store server…" })
	assert.Equal(t, "Stock in other stores needs the store server, which cannot be reached now. Selling goes on as usual.", r.ui.stock.result.Text)
	r.ui.closeDialog()

	// Back: everything drains.
	r.restart()
	r.eng.SyncNow()
	r.settleState("drained", till.SyncOnline, 0)
	assert.Equal(t, "Online · 0 transactions waiting", ind.Text)

	// …and the stock in the sister stores shows.
	r.ui.productDetails(p, true)
	test.Tap(r.ui.stock.button)
	r.settle("the stock answer", func() bool { return r.ui.stock.result.Text != "Asking the store server…" })
	assert.Contains(t, r.ui.stock.result.Text, "(this store): ")
	assert.Contains(t, r.ui.stock.result.Text, scaleunit.SisterStoreName+": ")
	r.ui.closeDialog()

	ids := r.uploads()
	assert.Len(t, ids, 3, "every sale on the server exactly once")
	n, _, err := r.st.OutboxCount(context.Background())
	require.NoError(t, err)
	assert.Zero(t, n)
}

// A manager connects the till from Settings → Store server: a wrong code
// and a bad address are refused with a translated message; the demo code
// activates the till and the indicator goes online.
func TestSyncSettingsActivation(t *testing.T) {
	r := newSyncRig(t, false)
	r.settle("the first status", func() bool { return r.ui.SyncIndicator() != nil && r.ui.SyncIndicator().Text != "" })
	ind := r.ui.SyncIndicator()
	assert.Equal(t, "Not connected · 0 transactions waiting", ind.Text)

	r.signIn("2001", "2468")
	r.tap(r.ui.L.T("button.home")) // from the shift screen sign-in leads to: settings need no shift
	test.Tap(r.ui.Tile("tile.settings"))
	r.tap("Store server settings")
	require.Equal(t, "settings", r.ui.Screen())
	v := r.ui.settings
	require.NotNil(t, v)
	assert.True(t, hasObject(r.win.Canvas().Content(), ind), "the indicator is in the settings screen's header")

	v.url.SetText("ftp://example.com")
	v.code.SetText("WRONG")
	test.Tap(v.connect)
	assert.Equal(t, "Enter the store server's address, like http://127.0.0.1:8640.", v.result.Text)

	v.url.SetText(r.url)
	v.code.SetText("")
	test.Tap(v.connect)
	assert.Equal(t, "Enter the activation code.", v.result.Text)

	v.code.SetText("WRON-GCOD-E000")
	test.Tap(v.connect)
	r.settle("the refusal", func() bool { return !v.busy && v.result.Text != "Connecting to the store server…" })
	assert.Equal(t, "The activation code is unknown, expired or already used. Ask the store manager for a new one.", v.result.Text)
	assert.False(t, r.ui.SyncStatus().Activated)

	v.code.SetText(scaleunit.DemoCode(r.reg.Setup().TerminalID))
	test.Tap(v.connect)
	r.settle("the activation", func() bool { return !v.busy && v.result.Text != "Connecting to the store server…" })
	assert.Equal(t, "Connected: store S0001, register T01. The till now syncs.", v.result.Text)
	assert.Empty(t, v.code.Text, "the one-time code is cleared")
	r.settleState("online", till.SyncOnline, 0)
	assert.Equal(t, "Online · 0 transactions waiting", ind.Text)
	assert.Contains(t, v.status.Text, "Online")

	// The code is one-time: a second activation with it is refused.
	v.code.SetText(scaleunit.DemoCode(r.reg.Setup().TerminalID))
	test.Tap(v.connect)
	r.settle("the refusal", func() bool { return !v.busy && v.result.Text != "Connecting to the store server…" })
	assert.Contains(t, v.result.Text, "The activation code is unknown, expired or already used.")

	// An unreachable server is said in plain words.
	v.url.SetText("http://127.0.0.1:1")
	v.code.SetText("AAAA-BBBB-CCCC")
	test.Tap(v.connect)
	r.settle("the failure", func() bool { return !v.busy && v.result.Text != "Connecting to the store server…" })
	assert.Equal(t, "The store server cannot be reached. Check the address and the network, then try again.", v.result.Text)

	test.Tap(r.button("Home"))
	assert.Equal(t, "home", r.ui.Screen())
}

// A cashier cannot open the store-server settings.
func TestSyncSettingsNeedManager(t *testing.T) {
	r := newSyncRig(t, false)
	r.signInSelling("1001", "1234")
	assert.Nil(t, r.ui.Tile("tile.settings"))
	r.ui.showSyncSettings()
	assert.Equal(t, "home", r.ui.Screen())
	assert.Contains(t, r.overlayText(), "You are not allowed to do this.")
}

// The indicator speaks the operator's language, plurals included; a till
// that another process syncs says why it has no sync.
func TestSyncIndicatorGermanAndLocked(t *testing.T) {
	r := newSyncRig(t, true, german)
	r.settleState("the first pass", till.SyncOnline, 0)
	assert.Equal(t, "Online · 0 Vorgänge warten", r.ui.SyncIndicator().Text)
	r.ui.renderSync(till.SyncStatus{State: till.SyncOffline, Activated: true, Pending: 1})
	assert.Equal(t, "Offline · 1 Vorgang wartet", r.ui.SyncIndicator().Text)

	// A second engine on the same data folder is refused.
	_, err := tillsync.Open(r.dir, r.st, tillsync.Options{})
	require.ErrorIs(t, err, tillsync.ErrLocked)
	r.ui.SetSyncOff("sync.locked")
	assert.Contains(t, r.overlayText(), "Ein anderes OpenTill-Programm synchronisiert diesen Datenordner bereits", "said at once")
	r.ui.closeDialog()
	assert.Equal(t, "Keine Synchronisierung", r.ui.SyncIndicator().Text)
	test.Tap(r.ui.SyncIndicator())
	assert.Contains(t, r.overlayText(), "Ein anderes OpenTill-Programm synchronisiert diesen Datenordner bereits")
}

// Without sync the header has no indicator and the product dialog no stock
// section (the goldens of the other tests stay as they are).
func TestNoSyncNoIndicator(t *testing.T) {
	r := newRig(t)
	assert.Nil(t, r.ui.SyncIndicator())
	assert.Nil(t, r.ui.syncSettingsItems())
	r.signIn("1001", "1234")
	var st *store.Store = r.st
	p, err := st.ByBarcode(context.Background(), "4000000000082")
	require.NoError(t, err)
	assert.Nil(t, r.ui.stockSection(p))
}

// hasObject reports whether o is in the tree under root.
func hasObject(root, o fyne.CanvasObject) bool {
	if root == o {
		return true
	}
	switch x := root.(type) {
	case *fyne.Container:
		for _, c := range x.Objects {
			if hasObject(c, o) {
				return true
			}
		}
	case fyne.Widget:
		if _, isButton := x.(*widget.Button); isButton {
			return false
		}
		for _, c := range test.WidgetRenderer(x).Objects() {
			if hasObject(c, o) {
				return true
			}
		}
	}
	return false
}

// The indicator switches to the language of the operator who signs in.
func TestSyncIndicatorFollowsOperatorLanguage(t *testing.T) {
	r := newSyncRig(t, true, func(c *Config) { c.Lang = "" })
	r.settleState("the first pass", till.SyncOnline, 0)
	r.signInSelling("1002", "1234") // Jana works in German
	require.Equal(t, "home", r.ui.Screen())
	assert.Equal(t, "Online · 0 Vorgänge warten", r.ui.SyncIndicator().Text)
	assert.True(t, hasObject(r.win.Canvas().Content(), r.ui.SyncIndicator()), "the indicator is in the home screen's header")
}

// A transfer to a store the server does not know is refused and parked:
// the indicator warns, and the manager finds the refused records in the
// indicator's dialog, with the server's reason, and sends one again.
func TestParkedRecordsShownToTheManager(t *testing.T) {
	r := newSyncRig(t, true)
	r.settleState("the first pass", till.SyncOnline, 0)
	r.signIn("2001", "2468")
	res, err := r.reg.Do(context.Background(), pos.OutboundOrder{Action: pos.DocNew, Store: "S0009"})
	require.NoError(t, err)
	_, err = r.reg.Do(context.Background(), pos.OutboundOrder{Action: pos.DocSet, DocID: res.Doc.Doc.ID, Barcode: "4000000000082", Qty: catalog.One})
	require.NoError(t, err)
	_, err = r.reg.Do(context.Background(), pos.OutboundOrder{Action: pos.DocShip, DocID: res.Doc.Doc.ID})
	require.NoError(t, err)
	r.eng.SyncNow()
	r.settle("parked", func() bool { return r.ui.SyncStatus().Parked == 2 })
	ind := r.ui.SyncIndicator()
	assert.Contains(t, ind.Text, "2 refused by the server (kept)")
	assert.Equal(t, widget.WarningImportance, ind.Importance)

	test.Tap(ind)
	require.NotNil(t, r.ui.syncDetail)
	require.NotNil(t, r.ui.syncDetail.parked, "the manager sees the refused records")
	test.Tap(r.ui.syncDetail.parked)
	txt := r.overlayText()
	assert.Contains(t, txt, "stock_transfer of ")
	assert.Contains(t, txt, "S0009")
	test.Tap(r.button("Send again"))
	assert.NotNil(t, r.button("Queued"))
	r.settle("requeued and parked again", func() bool { return r.ui.SyncStatus().Parked == 2 && !r.ui.SyncStatus().Syncing })
}
