// Package ptytest gives serial-device tests a real pseudo-terminal pair made
// by socat: the driver opens Dev with go.bug.st/serial as it would open
// /dev/ttyUSB0, and the test plays the device on Peer with real bytes in
// both directions. Kill and Start make the port disappear and come back.
package ptytest

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/opentill/opentill/peripherals/transport"
)

// Pair is a socat pseudo-terminal pair.
type Pair struct {
	Dev  string // the port the driver opens
	Peer string // the port the simulated device opens
	tb   testing.TB
	cmd  *exec.Cmd
}

// New starts socat. Without socat the test fails: the serial tests are part
// of the suite, never skipped.
func New(tb testing.TB) *Pair {
	tb.Helper()
	if _, err := exec.LookPath("socat"); err != nil {
		tb.Fatalf("socat is not installed and the serial tests need it: run `make test`, which installs it (scripts/deps.sh), or apt-get install socat (%v)", err)
	}
	dir := tb.TempDir()
	p := &Pair{Dev: filepath.Join(dir, "ttyDEV"), Peer: filepath.Join(dir, "ttyPEER"), tb: tb}
	p.Start()
	tb.Cleanup(p.Kill)
	return p
}

// Start (re)starts socat and waits for both links to appear.
func (p *Pair) Start() {
	p.tb.Helper()
	p.cmd = exec.Command("socat",
		"pty,raw,echo=0,link="+p.Dev,
		"pty,raw,echo=0,link="+p.Peer)
	if err := p.cmd.Start(); err != nil {
		p.tb.Fatalf("starting socat: %v (run `make test`, which installs it via scripts/deps.sh)", err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		_, e1 := os.Stat(p.Dev)
		_, e2 := os.Stat(p.Peer)
		if e1 == nil && e2 == nil {
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
	p.tb.Fatalf("socat did not create %s and %s within 5 s", p.Dev, p.Peer)
}

// Kill stops socat: both ports disappear.
func (p *Pair) Kill() {
	if p.cmd == nil || p.cmd.Process == nil {
		return
	}
	_ = p.cmd.Process.Kill()
	_ = p.cmd.Wait()
	p.cmd = nil
	for i := 0; i < 200; i++ { // socat removes its links on exit; wait for it
		if _, err := os.Stat(p.Dev); os.IsNotExist(err) {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	_ = os.Remove(p.Dev)
	_ = os.Remove(p.Peer)
}

// OpenPeer opens the device end with the given line settings.
func (p *Pair) OpenPeer(l transport.Line) transport.Conn {
	p.tb.Helper()
	c, err := transport.OpenSerial(p.Peer, l)
	if err != nil {
		p.tb.Fatalf("opening the device end %s: %v", p.Peer, err)
	}
	p.tb.Cleanup(func() { c.Close() })
	return c
}

// Device simulates a device on the peer end: for every request read (up
// to a byte of stops, or exactly n bytes when stops is empty) it writes
// what answer returns. It runs until ctx ends or the port closes.
func Device(ctx context.Context, c transport.Conn, stops string, n int, answer func(req []byte) []byte) {
	for ctx.Err() == nil {
		var req []byte
		var err error
		if stops == "" {
			req, err = readN(ctx, c, n)
		} else {
			req, err = transport.ReadUntil(ctx, c, stops, 256, 100*time.Millisecond)
			if transport.IsTimeout(err) && len(req) > 0 {
				// A request without a terminator: keep what came.
				err = nil
			}
		}
		if err != nil {
			if transport.IsTimeout(err) {
				continue
			}
			return
		}
		if out := answer(req); len(out) > 0 {
			if _, err := c.Write(out); err != nil {
				return
			}
		}
	}
}

func readN(ctx context.Context, c transport.Conn, n int) ([]byte, error) {
	buf := make([]byte, 0, n)
	one := make([]byte, 1)
	for len(buf) < n {
		transport.SetDeadline(ctx, c, 100*time.Millisecond)
		k, err := c.Read(one)
		if k == 1 {
			buf = append(buf, one[0])
		}
		if err != nil {
			if transport.IsTimeout(err) && len(buf) == 0 {
				return nil, err
			}
			if !transport.IsTimeout(err) {
				return buf, err
			}
		}
	}
	return buf, nil
}
