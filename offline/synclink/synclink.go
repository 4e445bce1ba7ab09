// Package synclink decides which store server (scale unit) the till syncs
// with, and runs that sync for the till's process:
//
//   - Offline (pos --offline): no sync at all.
//   - ServerURL (pos --scale-unit URL): that server; none is started, and a
//     manager activates the till from the settings screen.
//   - Demo, with neither: an embedded scale unit on loopback with its data
//     in <data>/scaleunit, and the till activated with its demo code (later
//     starts keep the token and point it at the server's new port).
//
// One process syncs a data folder: a second one sells without sync and says
// so, on stderr and through [Link.OffKey] on the till's screens.
//
// The package is headless; the UI shows [Link.Sync] (the engine adapted to
// till.Sync) or [Link.OffKey].
package synclink

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"time"

	"github.com/opentill/opentill/offline/scaleunit"
	"github.com/opentill/opentill/offline/store"
	"github.com/opentill/opentill/offline/tillsync"
	"github.com/opentill/opentill/pos"
	"github.com/opentill/opentill/pos/poserr"
)

// demoActivateTimeout bounds the demo till's activation at start.
const demoActivateTimeout = 20 * time.Second

// ServerDir is the folder, inside the till's data folder, where the embedded
// demo scale unit keeps its data.
const ServerDir = "scaleunit"

// LockedKey is the message key a till shows when another process syncs its
// data folder.
const LockedKey = "sync.locked"

// Options say which server the till syncs with.
type Options struct {
	// Data is the till's data folder.
	Data string
	// ServerURL is the store server to sync with (--scale-unit); empty: the
	// one the till was activated with, or the embedded one in the demo.
	ServerURL string
	// Offline syncs nothing (--offline); it excludes ServerURL.
	Offline bool
	// Demo starts the embedded scale unit when no ServerURL is given and
	// the till is not activated elsewhere, and activates the till with its
	// demo code.
	Demo bool
	// Hold syncs nothing for this run without it being offline: --bench
	// times the start-up and --screenshots wants the same screens every
	// time.
	Hold bool
	// Logger gets the engine's and the embedded server's log; nil: text on
	// stderr from level warn.
	Logger *slog.Logger
	// Stdout and Stderr get what the till prints at start (the embedded
	// server starting, why it sells without sync); nil: os.Stdout, os.Stderr.
	Stdout, Stderr io.Writer
}

// Link is the running sync of the till: no engine with Offline or Hold, no
// engine but a message when another process syncs the data folder.
type Link struct {
	eng        *tillsync.Engine
	stopServer func() // the embedded scale unit, if started
	unsub      func()
	offKey     string // message key shown when the till runs without sync by force
	stderr     io.Writer
}

// Engine is the running sync engine, or nil when the till does not sync.
func (l *Link) Engine() *tillsync.Engine { return l.eng }

// OffKey is the message key that says why the till sells without sync
// though it should sync ([LockedKey]); empty when it syncs or was told not to.
func (l *Link) OffKey() string { return l.offKey }

// Start opens the sync engine of the data folder, starts the embedded scale
// unit in the demo, activates the demo till if needed, and starts syncing;
// every completed or voided transaction on reg pokes the engine. Close the
// Link when the till stops.
func Start(o Options, st *store.Store, reg *pos.Register) (*Link, error) {
	if o.Offline && o.ServerURL != "" {
		return nil, errors.New("--offline and --scale-unit exclude each other: give one of them")
	}
	stdout, stderr := o.Stdout, o.Stderr
	if stdout == nil {
		stdout = os.Stdout
	}
	if stderr == nil {
		stderr = os.Stderr
	}
	l := &Link{stderr: stderr}
	if o.Offline || o.Hold {
		return l, nil
	}
	log := o.Logger
	if log == nil {
		log = slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	}
	eng, err := tillsync.Open(o.Data, st, tillsync.Options{Logger: log})
	if errors.Is(err, tillsync.ErrLocked) {
		fmt.Fprintf(stderr, "opentill: %v; this till sells without sync.\n", err)
		l.offKey = LockedKey
		return l, nil
	}
	if err != nil {
		return nil, err
	}
	l.eng = eng
	ctx := context.Background()
	cfg, cfgErr := tillsync.LoadConfig(ctx, st)
	activated := cfgErr == nil
	if cfgErr != nil && !poserr.Is(cfgErr, poserr.NotFound) {
		l.Close()
		return nil, cfgErr
	}
	serverURL := o.ServerURL
	if serverURL == "" && o.Demo && (!activated || isLoopback(cfg.URL)) {
		dir := filepath.Join(o.Data, ServerDir)
		fmt.Fprintln(stdout, "Starting the demo store server (scale unit) in", dir, "…")
		u, stop, err := scaleunit.StartEmbeddedLog(dir, log)
		if err != nil {
			fmt.Fprintf(stderr, "opentill: the demo store server did not start (%v); the till sells offline.\n", err)
		} else {
			serverURL, l.stopServer = u, stop
		}
	}
	switch {
	case serverURL == "":
	case activated && cfg.URL != serverURL:
		// The same server at another address (the embedded one listens on
		// a new port at every start): keep the till's token, use the URL.
		cfg.URL = serverURL
		if err := st.PutSetting(ctx, tillsync.SettingKey, cfg); err != nil {
			l.Close()
			return nil, err
		}
	case !activated && l.stopServer != nil:
		actx, cancel := context.WithTimeout(ctx, demoActivateTimeout)
		code := scaleunit.DemoCode(reg.Setup().TerminalID)
		_, err := eng.Activate(actx, serverURL, code, "OpenTill demo "+reg.Setup().TerminalID)
		cancel()
		if err != nil {
			fmt.Fprintf(stderr, "opentill: activating the demo till with %s: %v\n", code, err)
		}
	}
	l.unsub = reg.Subscribe(func(e pos.Event) {
		if e.Type == pos.TransactionCompleted || e.Type == pos.TransactionVoided {
			eng.PendingChanged()
		}
	})
	eng.Start()
	return l, nil
}

// Close stops syncing (what was sent stays sent; the rest waits in the
// outbox), then the embedded server.
func (l *Link) Close() {
	if l.unsub != nil {
		l.unsub()
	}
	if l.eng != nil {
		if err := l.eng.Close(); err != nil {
			fmt.Fprintln(l.stderr, "opentill: closing sync:", err)
		}
	}
	if l.stopServer != nil {
		l.stopServer()
	}
}

// isLoopback reports whether a server URL is on this machine (as the
// embedded demo server is).
func isLoopback(raw string) bool {
	u, err := url.Parse(raw)
	if err != nil {
		return false
	}
	h := u.Hostname()
	if h == "localhost" {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}
