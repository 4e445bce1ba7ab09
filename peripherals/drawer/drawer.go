// Package drawer drives a standalone serial cash drawer (one with its own
// serial interface rather than a cable to the printer's kick connector):
// it sends the open command and, where the drawer answers a status request,
// reads whether it is open. A drawer kicked through the printer is
// escpos.Printer.Drawer. WatchOpen warns when a drawer stays open too long.
package drawer

import (
	"bytes"
	"context"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"github.com/opentill/opentill/peripherals"
	"github.com/opentill/opentill/peripherals/transport"
	"github.com/opentill/opentill/pos/poserr"
)

// Config says which bytes the drawer understands. Drawers differ: most
// open on any byte, some want a command; status is optional.
type Config struct {
	OpenCmd   []byte        // sent to open; empty means BEL (0x07)
	StatusCmd []byte        // asks for the status; empty when the drawer cannot tell
	OpenReply []byte        // the status answer that means open
	ShutReply []byte        // the status answer that means closed
	Timeout   time.Duration // status answer timeout; 0 means 500 ms
}

// ParseHex reads bytes written as hex in a profile ("1B 70 00", "07").
func ParseHex(s string) ([]byte, error) {
	b, err := hex.DecodeString(strings.NewReplacer(" ", "", ":", "", "0x", "").Replace(s))
	if err != nil {
		return nil, fmt.Errorf("bytes %q: write them as hex, e.g. \"1B 70 00\": %w", s, err)
	}
	return b, nil
}

// Drawer is a serial cash drawer (peripherals.CashDrawer).
type Drawer struct {
	link *transport.Link
	cfg  Config
}

var _ peripherals.CashDrawer = (*Drawer)(nil)

// New returns a drawer on link.
func New(link *transport.Link, c Config) *Drawer {
	if len(c.OpenCmd) == 0 {
		c.OpenCmd = []byte{0x07}
	}
	if c.Timeout == 0 {
		c.Timeout = 500 * time.Millisecond
	}
	return &Drawer{link: link, cfg: c}
}

// Open sends the open command.
func (d *Drawer) Open(ctx context.Context) error {
	return d.link.Do(ctx, func(c transport.Conn) error {
		_, err := c.Write(d.cfg.OpenCmd)
		return err
	})
}

// Status asks the drawer whether it is open, when it can tell.
func (d *Drawer) Status(ctx context.Context) (peripherals.DrawerStatus, error) {
	if len(d.cfg.StatusCmd) == 0 {
		return peripherals.DrawerStatus{}, nil
	}
	n := max(len(d.cfg.OpenReply), len(d.cfg.ShutReply))
	var st peripherals.DrawerStatus
	err := d.link.Do(ctx, func(c transport.Conn) error {
		transport.Drain(ctx, c, time.Millisecond)
		if _, err := c.Write(d.cfg.StatusCmd); err != nil {
			return err
		}
		transport.SetDeadline(ctx, c, d.cfg.Timeout)
		buf := make([]byte, 0, n)
		one := make([]byte, 1)
		for len(buf) < n {
			k, err := c.Read(one)
			buf = append(buf, one[:k]...)
			if bytes.Equal(buf, d.cfg.OpenReply) || bytes.Equal(buf, d.cfg.ShutReply) {
				break
			}
			if err != nil {
				if transport.IsTimeout(err) {
					return poserr.Sentinel(peripherals.ErrTimeout, poserr.Device, peripherals.KeyTimeout, "the cash drawer did not answer the status request: check its cable")
				}
				return err
			}
		}
		switch {
		case bytes.Equal(buf, d.cfg.OpenReply):
			st = peripherals.DrawerStatus{Known: true, Open: true}
		case bytes.Equal(buf, d.cfg.ShutReply):
			st = peripherals.DrawerStatus{Known: true}
		default:
			return peripherals.BadFrame("the cash drawer", buf, "neither the open nor the closed answer")
		}
		return nil
	})
	return st, err
}

// Close closes the port.
func (d *Drawer) Close() error { return d.link.Close() }

// WatchOpen polls a drawer that reports its status until it is closed. If
// it is still open after timeout, warn is called once with an error of key
// peripherals.KeyDrawerOpen; WatchOpen then goes on until the drawer closes
// or ctx ends. It returns at once for a drawer that cannot tell.
func WatchOpen(ctx context.Context, d peripherals.CashDrawer, timeout, poll time.Duration, warn func(error)) {
	if poll <= 0 {
		poll = 250 * time.Millisecond
	}
	start := time.Now()
	warned := false
	for {
		st, err := d.Status(ctx)
		if err == nil && (!st.Known || !st.Open) {
			return
		}
		if !warned && time.Since(start) >= timeout {
			warned = true
			warn(poserr.E(poserr.Device, peripherals.KeyDrawerOpen, "the cash drawer has been open for more than %s: close it", timeout.Round(time.Second)))
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(poll):
		}
	}
}
