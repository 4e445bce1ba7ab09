package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The payment test authorises 0.01 and reverses it, here through the ZVT
// driver at the ZVT simulator.
func TestDevicesTestZVT(t *testing.T) {
	out, err := run(t, "devices", "test", "--profile", "demo-zvt", "--dir", t.TempDir(), "--only", "payment,scale")
	require.NoError(t, err, out)
	assert.Contains(t, out, "OK    payment  0.01 approved (VISA ************4242")
	assert.Contains(t, out, "and reversed")
	assert.Contains(t, out, "test unit price 1.00 sent")
}

// A profile pointing at a terminal simulator run by posctl itself.
func TestDevicesTestAgainstZVTSimulatorCommand(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	c := rootCmd()
	out := &syncBuf{}
	c.SetOut(out)
	c.SetArgs([]string{"devices", "zvt-simulator", "--listen", "127.0.0.1:0", "--delay", "0s"})
	done := make(chan error, 1)
	go func() { done <- c.ExecuteContext(ctx) }()
	var addr string
	require.Eventually(t, func() bool {
		_, rest, ok := strings.Cut(out.String(), "port = \"")
		addr, _, _ = strings.Cut(rest, "\"")
		return ok && addr != ""
	}, 5*time.Second, 10*time.Millisecond)
	prof := filepath.Join(t.TempDir(), "till.toml")
	require.NoError(t, os.WriteFile(prof, []byte("[payment]\ndriver = \"zvt\"\nport = \""+addr+"\"\n"), 0o644))
	res, err := run(t, "devices", "test", "--profile", prof)
	require.NoError(t, err, res)
	assert.Contains(t, res, "OK    payment  0.01 approved")
	cancel()
	require.NoError(t, <-done)
}

// syncBuf is an output another goroutine writes to.
type syncBuf struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuf) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuf) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
