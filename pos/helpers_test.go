package pos_test

import (
	"bufio"
	"context"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/offline/store"
	"github.com/opentill/opentill/pos"
)

// reopen opens the till's data folder again, as after a restart. Only a
// SQLite till (newSQLiteTill) has one.
func reopen(t *testing.T, tl *till) *till {
	t.Helper()
	require.NotEmpty(t, tl.dir, "an in-memory till cannot be reopened: build it with newSQLiteTill")
	s, err := store.Open(tl.dir)
	require.NoError(t, err)
	t.Cleanup(func() { s.Close() })
	setup, err := s.LoadSetup(context.Background())
	require.NoError(t, err)
	return &till{Register: pos.NewRegister(setup, s, pos.Options{Terminal: tl.term}), store: s, term: tl.term, dir: tl.dir}
}

// killAfter starts the test binary as a child with env set (the child runs
// the loop TestMain picks by that variable), hands every line it prints to
// onLine, and SIGKILLs it once wait has passed and it has printed at least
// one line. Lines printed before the kill landed are handed over too, so
// every outcome the child reported is counted.
func killAfter(t *testing.T, env string, wait time.Duration, onLine func(string)) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), env)
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	require.NoError(t, cmd.Start())
	lines := make(chan string, 1024)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	deadline := time.After(wait)
	got := 0
wait:
	for {
		select {
		case l, ok := <-lines:
			if !ok {
				t.Fatalf("child stopped by itself: %s", stderr.String())
			}
			onLine(l)
			got++
		case <-deadline:
			if got > 0 {
				break wait
			}
			deadline = time.After(10 * time.Millisecond)
		}
	}
	require.NoError(t, cmd.Process.Signal(syscall.SIGKILL))
	_ = cmd.Wait()
	for l := range lines {
		onLine(l)
	}
}
