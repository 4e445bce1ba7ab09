package main

// The till's link to its store server: --scale-unit URL uses that server,
// --offline syncs nothing, and the demo (neither flag) starts an embedded
// scale unit on loopback in <data>/scaleunit and activates the till with
// its demo code. One process syncs a data folder: a second one sells
// without sync and says so.

import (
	"context"
	"errors"
	"fmt"
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
	"github.com/opentill/opentill/ui"
)

// demoActivateTimeout bounds the demo till's activation at start.
const demoActivateTimeout = 20 * time.Second

// syncLink is the running sync of the till: none with --offline, none but
// a message when another process syncs the data folder.
type syncLink struct {
	eng        *tillsync.Engine
	stopServer func() // the embedded scale unit, if started
	unsub      func()
	offKey     string // message key shown when the till runs without sync by force
}

// startSync opens the sync engine of the data folder, starts the embedded
// scale unit in demo mode, activates the demo till if needed, and starts
// syncing; every completed or voided transaction pokes the engine.
func startSync(o options, st *store.Store, reg *pos.Register) (*syncLink, error) {
	if o.offline && o.scaleUnit != "" {
		return nil, errors.New("--offline and --scale-unit exclude each other")
	}
	l := &syncLink{}
	if o.offline || o.bench || o.shots != "" {
		// --bench times the start-up and --screenshots wants the same
		// screens every time: neither syncs.
		return l, nil
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	eng, err := tillsync.Open(o.data, st, tillsync.Options{Logger: log})
	if errors.Is(err, tillsync.ErrLocked) {
		fmt.Fprintf(os.Stderr, "opentill: %v; this till sells without sync.\n", err)
		l.offKey = "sync.locked"
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
	serverURL := o.scaleUnit
	if serverURL == "" && o.demo && (!activated || isLoopback(cfg.URL)) {
		fmt.Println("Starting the demo store server (scale unit) in", filepath.Join(o.data, "scaleunit"), "…")
		u, stop, err := scaleunit.StartEmbeddedLog(filepath.Join(o.data, "scaleunit"), log)
		if err != nil {
			fmt.Fprintf(os.Stderr, "opentill: the demo store server did not start (%v); the till sells offline.\n", err)
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
			fmt.Fprintf(os.Stderr, "opentill: activating the demo till with %s: %v\n", code, err)
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

// attach shows the sync on the till's screens.
func (l *syncLink) attach(till *ui.UI) {
	switch {
	case l.eng != nil:
		till.SetSync(l.eng)
	case l.offKey != "":
		till.SetSyncOff(l.offKey)
	}
}

// Close stops syncing (what was sent stays sent; the rest waits in the
// outbox), then the embedded server.
func (l *syncLink) Close() {
	if l.unsub != nil {
		l.unsub()
	}
	if l.eng != nil {
		if err := l.eng.Close(); err != nil {
			fmt.Fprintln(os.Stderr, "opentill: closing sync:", err)
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
