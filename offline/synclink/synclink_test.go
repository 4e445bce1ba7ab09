package synclink

import (
	"bytes"
	"context"
	"path/filepath"
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
	var out bytes.Buffer
	o := Options{Data: dir, Demo: true, Stdout: &out}

	l, err := Start(o, st, reg)
	require.NoError(t, err)
	require.NotNil(t, l.Engine())
	require.NotNil(t, l.Sync(), "the screens get the engine")
	require.NotNil(t, l.stopServer, "the embedded server runs")
	assert.Empty(t, l.OffKey())
	assert.DirExists(t, filepath.Join(dir, ServerDir))
	assert.Contains(t, out.String(), "Starting the demo store server (scale unit) in "+filepath.Join(dir, ServerDir))
	cfg, err := tillsync.LoadConfig(context.Background(), st)
	require.NoError(t, err)
	assert.True(t, isLoopback(cfg.URL), cfg.URL)
	assert.Equal(t, "T01", cfg.TerminalID)
	waitStatus(t, l.Engine(), "online", func(s tillsync.Status) bool { return s.State == tillsync.Online && !s.Syncing })

	ctx := context.Background()
	_, err = reg.Do(ctx, pos.SignIn{OperatorID: "1001", Secret: "1234"})
	require.NoError(t, err)
	_, err = reg.Do(ctx, pos.OpenShift{StartAmount: 100_00})
	require.NoError(t, err)
	_, err = reg.Do(ctx, pos.ProductSale{Barcode: "4000000000082"})
	require.NoError(t, err)
	_, err = reg.Do(ctx, pos.PayCashExact{})
	require.NoError(t, err)
	waitStatus(t, l.Engine(), "the sale pushed", func(s tillsync.Status) bool {
		n, _, _ := st.OutboxCount(ctx)
		return n == 0 && s.Pending == 0 && s.State == tillsync.Online
	})

	// A second till process on the same folder.
	st2, reg2 := openTill(t, dir)
	var errs bytes.Buffer
	o2 := o
	o2.Stderr = &errs
	l2, err := Start(o2, st2, reg2)
	require.NoError(t, err)
	assert.Nil(t, l2.Engine())
	assert.Nil(t, l2.Sync(), "the screens get no sync, but its OffKey")
	assert.Nil(t, l2.stopServer, "no second embedded server")
	assert.Equal(t, LockedKey, l2.OffKey())
	assert.Contains(t, errs.String(), "this till sells without sync.")
	l2.Close()

	l.Close()
	l, err = Start(o, st, reg)
	require.NoError(t, err)
	defer l.Close()
	cfg2, err := tillsync.LoadConfig(ctx, st)
	require.NoError(t, err)
	assert.NotEqual(t, cfg.URL, cfg2.URL, "the embedded server listens on a new port")
	assert.Equal(t, cfg.Token, cfg2.Token, "the activation is kept")
	waitStatus(t, l.Engine(), "online again", func(s tillsync.Status) bool { return s.State == tillsync.Online && !s.Syncing })
}

// Offline syncs nothing; ServerURL uses the server given and starts none
// (the till is activated from the settings screen).
func TestOfflineAndServerURL(t *testing.T) {
	dir := t.TempDir()
	_, err := demo.Seed(context.Background(), dir, 20, nil)
	require.NoError(t, err)
	st, reg := openTill(t, dir)

	l, err := Start(Options{Data: dir, Demo: true, Offline: true}, st, reg)
	require.NoError(t, err)
	assert.Nil(t, l.Engine())
	assert.Nil(t, l.stopServer)
	assert.Empty(t, l.OffKey(), "told to be offline: nothing to explain")
	l.Close()

	_, err = Start(Options{Data: dir, Offline: true, ServerURL: "http://127.0.0.1:8640"}, st, reg)
	assert.ErrorContains(t, err, "--offline and --scale-unit exclude each other")

	url, stop, err := scaleunit.StartEmbedded(t.TempDir())
	require.NoError(t, err)
	defer stop()
	l, err = Start(Options{Data: dir, Demo: true, ServerURL: url}, st, reg)
	require.NoError(t, err)
	defer l.Close()
	require.NotNil(t, l.Engine())
	assert.Nil(t, l.stopServer, "no embedded server with a server URL")
	assert.False(t, l.Engine().Status().Activated, "activation needs a code from the settings screen")
	_, err = l.Engine().Activate(context.Background(), url, scaleunit.DemoCode("T01"), "test")
	require.NoError(t, err)
	waitStatus(t, l.Engine(), "online", func(s tillsync.Status) bool { return s.State == tillsync.Online && !s.Syncing })
}

// Hold (--bench, --screenshots) syncs nothing, starts no server and takes no
// lock, with or without a server URL.
func TestHoldSyncsNothing(t *testing.T) {
	dir := t.TempDir()
	_, err := demo.Seed(context.Background(), dir, 20, nil)
	require.NoError(t, err)
	st, reg := openTill(t, dir)
	for _, o := range []Options{
		{Data: dir, Demo: true, Hold: true},
		{Data: dir, Hold: true, ServerURL: "http://10.0.0.5:8640"},
	} {
		l, err := Start(o, st, reg)
		require.NoError(t, err)
		assert.Nil(t, l.Engine())
		assert.Nil(t, l.stopServer)
		assert.Empty(t, l.OffKey())
		l.Close()
	}
	assert.NoDirExists(t, filepath.Join(dir, ServerDir))
	eng, err := tillsync.Open(dir, st, tillsync.Options{})
	require.NoError(t, err, "the data folder is not locked")
	require.NoError(t, eng.Close())
}

func TestIsLoopback(t *testing.T) {
	assert.True(t, isLoopback("http://127.0.0.1:4711"))
	assert.True(t, isLoopback("http://localhost:8640"))
	assert.True(t, isLoopback("http://[::1]:8640"))
	assert.False(t, isLoopback("https://store.example.com"))
	assert.False(t, isLoopback("http://10.0.0.5:8640"))
	assert.False(t, isLoopback("::"))
}
