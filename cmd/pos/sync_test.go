package main

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/offline/demo"
	"github.com/opentill/opentill/offline/scaleunit"
	"github.com/opentill/opentill/offline/store"
	"github.com/opentill/opentill/offline/tillsync"
	"github.com/opentill/opentill/pos"
)

func TestSyncFlags(t *testing.T) {
	o, err := parseFlags(nil)
	require.NoError(t, err)
	assert.Equal(t, "", o.scaleUnit)
	assert.False(t, o.offline)
	o, err = parseFlags([]string{"--scale-unit", "http://10.0.0.5:8640"})
	require.NoError(t, err)
	assert.Equal(t, "http://10.0.0.5:8640", o.scaleUnit)
	o, err = parseFlags([]string{"--offline"})
	require.NoError(t, err)
	assert.True(t, o.offline)
}

// openTill opens a small demo store and a register on it.
func openTill(t *testing.T, dir string) (*store.Store, *pos.Register) {
	t.Helper()
	st, err := store.Open(dir)
	require.NoError(t, err)
	t.Cleanup(func() { st.Close() })
	setup, err := st.LoadSetup(context.Background())
	require.NoError(t, err)
	return st, pos.NewRegister(setup, st, pos.Options{})
}

func waitStatus(t *testing.T, eng *tillsync.Engine, what string, cond func(tillsync.Status) bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond(eng.Status()) {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s: %+v", what, eng.Status())
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// The demo starts an embedded scale unit in <data>/scaleunit, activates the
// till with the demo code and syncs; every sale is pushed. A second process
// on the same folder runs without sync and says why; a restart (the
// embedded server on a new port) keeps the activation.
func TestDemoSyncsWithEmbeddedScaleUnit(t *testing.T) {
	dir := t.TempDir()
	_, err := demo.Seed(context.Background(), dir, 50, nil)
	require.NoError(t, err)
	st, reg := openTill(t, dir)
	o := options{data: dir, demo: true}

	l, err := startSync(o, st, reg)
	require.NoError(t, err)
	require.NotNil(t, l.eng)
	require.NotNil(t, l.stopServer, "the embedded server runs")
	assert.DirExists(t, dir+"/scaleunit")
	cfg, err := tillsync.LoadConfig(context.Background(), st)
	require.NoError(t, err)
	assert.True(t, isLoopback(cfg.URL), cfg.URL)
	assert.Equal(t, "T01", cfg.TerminalID)
	waitStatus(t, l.eng, "online", func(s tillsync.Status) bool { return s.State == tillsync.Online && !s.Syncing })

	ctx := context.Background()
	_, err = reg.Do(ctx, pos.SignIn{OperatorID: "1001", Secret: "1234"})
	require.NoError(t, err)
	_, err = reg.Do(ctx, pos.OpenShift{StartAmount: 100_00})
	require.NoError(t, err)
	_, err = reg.Do(ctx, pos.ProductSale{Barcode: "4000000000082"})
	require.NoError(t, err)
	_, err = reg.Do(ctx, pos.PayCashExact{})
	require.NoError(t, err)
	waitStatus(t, l.eng, "the sale pushed", func(s tillsync.Status) bool {
		n, _, _ := st.OutboxCount(ctx)
		return n == 0 && s.Pending == 0 && s.State == tillsync.Online
	})

	// A second till process on the same folder.
	st2, reg2 := openTill(t, dir)
	l2, err := startSync(o, st2, reg2)
	require.NoError(t, err)
	assert.Nil(t, l2.eng)
	assert.Nil(t, l2.stopServer, "no second embedded server")
	assert.Equal(t, "sync.locked", l2.offKey)
	l2.Close()

	l.Close()
	l, err = startSync(o, st, reg)
	require.NoError(t, err)
	defer l.Close()
	cfg2, err := tillsync.LoadConfig(ctx, st)
	require.NoError(t, err)
	assert.NotEqual(t, cfg.URL, cfg2.URL, "the embedded server listens on a new port")
	assert.Equal(t, cfg.Token, cfg2.Token, "the activation is kept")
	waitStatus(t, l.eng, "online again", func(s tillsync.Status) bool { return s.State == tillsync.Online && !s.Syncing })
}

// --offline syncs nothing; --scale-unit uses the server given and starts
// none (the till is activated from the settings screen).
func TestOfflineAndScaleUnitFlags(t *testing.T) {
	dir := t.TempDir()
	_, err := demo.Seed(context.Background(), dir, 20, nil)
	require.NoError(t, err)
	st, reg := openTill(t, dir)

	l, err := startSync(options{data: dir, demo: true, offline: true}, st, reg)
	require.NoError(t, err)
	assert.Nil(t, l.eng)
	assert.Nil(t, l.stopServer)
	l.Close()

	_, err = startSync(options{data: dir, offline: true, scaleUnit: "http://127.0.0.1:8640"}, st, reg)
	assert.Error(t, err)

	url, stop, err := scaleunit.StartEmbedded(t.TempDir())
	require.NoError(t, err)
	defer stop()
	l, err = startSync(options{data: dir, demo: true, scaleUnit: url}, st, reg)
	require.NoError(t, err)
	defer l.Close()
	require.NotNil(t, l.eng)
	assert.Nil(t, l.stopServer, "no embedded server with --scale-unit")
	assert.False(t, l.eng.Status().Activated, "activation needs a code from the settings screen")
	_, err = l.eng.Activate(context.Background(), url, scaleunit.DemoCode("T01"), "test")
	require.NoError(t, err)
	waitStatus(t, l.eng, "online", func(s tillsync.Status) bool { return s.State == tillsync.Online && !s.Syncing })
}

func TestIsLoopback(t *testing.T) {
	assert.True(t, isLoopback("http://127.0.0.1:4711"))
	assert.True(t, isLoopback("http://localhost:8640"))
	assert.True(t, isLoopback("http://[::1]:8640"))
	assert.False(t, isLoopback("https://store.example.com"))
	assert.False(t, isLoopback("http://10.0.0.5:8640"))
	assert.False(t, isLoopback("::"))
}
