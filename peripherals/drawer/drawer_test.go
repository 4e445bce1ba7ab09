package drawer

import (
	"bytes"
	"context"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/internal/ptytest"
	"github.com/opentill/opentill/peripherals"
	"github.com/opentill/opentill/peripherals/transport"
)

// fakeDrawer opens on 0x07 and answers "1"/"0" to "?".
type fakeDrawer struct {
	mu   sync.Mutex
	open bool
	seen []byte
}

func (f *fakeDrawer) answer(req []byte) []byte {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.seen = append(f.seen, req...)
	switch req[0] {
	case 0x07:
		f.open = true
	case '?':
		if f.open {
			return []byte("1")
		}
		return []byte("0")
	}
	return nil
}

func (f *fakeDrawer) shut() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.open = false
}

func TestSerialDrawerOverPTY(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pair := ptytest.New(t)
	f := &fakeDrawer{}
	go ptytest.Device(ctx, pair.OpenPeer(transport.Line{}), "", 1, f.answer)
	spec, _ := transport.ParseSpec(pair.Dev, transport.Line{})
	d := New(transport.NewLink("cash drawer", spec), Config{StatusCmd: []byte("?"), OpenReply: []byte("1"), ShutReply: []byte("0")})
	defer d.Close()

	st, err := d.Status(ctx)
	require.NoError(t, err)
	assert.Equal(t, peripherals.DrawerStatus{Known: true}, st)
	require.NoError(t, d.Open(ctx))
	st, err = d.Status(ctx)
	require.NoError(t, err)
	assert.Equal(t, peripherals.DrawerStatus{Known: true, Open: true}, st)
	f.mu.Lock()
	assert.True(t, bytes.HasPrefix(f.seen, []byte("?\x07?")), "% X", f.seen)
	f.mu.Unlock()

	// Left open: one warning, then WatchOpen ends when it is shut.
	var warnings []error
	done := make(chan struct{})
	go func() {
		WatchOpen(ctx, d, 100*time.Millisecond, 20*time.Millisecond, func(err error) { warnings = append(warnings, err) })
		close(done)
	}()
	time.Sleep(250 * time.Millisecond)
	f.shut()
	select {
	case <-done:
	case <-time.After(2 * time.Second):
		t.Fatal("WatchOpen did not end after the drawer was shut")
	}
	require.Len(t, warnings, 1)
	assert.Contains(t, warnings[0].Error(), "has been open for more than")
}

func TestDrawerWithoutStatus(t *testing.T) {
	ctx := context.Background()
	pair := ptytest.New(t)
	peer := pair.OpenPeer(transport.Line{})
	spec, _ := transport.ParseSpec(pair.Dev, transport.Line{})
	open, err := ParseHex("1B 70 00 19 FA")
	require.NoError(t, err)
	d := New(transport.NewLink("cash drawer", spec), Config{OpenCmd: open})
	defer d.Close()
	require.NoError(t, d.Open(ctx))
	got, err := transport.ReadUntil(ctx, peer, "", 5, time.Second)
	require.NoError(t, err)
	assert.Equal(t, []byte{0x1b, 0x70, 0x00, 0x19, 0xfa}, got)
	st, err := d.Status(ctx)
	require.NoError(t, err)
	assert.False(t, st.Known)
	WatchOpen(ctx, d, time.Millisecond, time.Millisecond, func(error) { t.Fatal("no warning for a drawer that cannot tell") })
	_, err = ParseHex("zz")
	assert.ErrorContains(t, err, "as hex")
}
