// Command pos is the OpenTill till: a Fyne window on the local store. On
// first start it seeds the demo store in the user's data folder.
//
//	pos [--data DIR] [--lang en|de|fr|es] [--layout auto|desktop|tablet] [--fullscreen] [--dark|--high-contrast]
//	    [--profile FILE|demo|none] [--card approve|decline|timeout|unreachable] [--scale-unit URL | --offline]
//
// main only parses the flags and wires: the store, the hardware profile's
// devices (the card terminal among them), the register, the sync with the
// store server (offline/synclink), the station and the UI, which renders the
// till service (pos/till) over them; --screenshots hands the window to
// ui/tour and --bench to ui/startbench.
package main

import (
	"errors"
	_ "github.com/opentill/opentill/ui/clocale" // first: see its doc

	"bytes"
	"context"
	"flag"
	"fmt"
	"image"
	"os"
	"path/filepath"
	"runtime"
	"time"
	_ "time/tzdata" // the store's time zone on Windows, which has no zoneinfo files

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"

	"github.com/opentill/opentill/extensions/host"
	_ "github.com/opentill/opentill/extensions/standard" // the extensions this till carries (pos --extensions lists them)
	"github.com/opentill/opentill/internal/datadir"
	"github.com/opentill/opentill/offline/demo"
	mail "github.com/opentill/opentill/offline/mailer"
	"github.com/opentill/opentill/offline/store"
	"github.com/opentill/opentill/offline/synclink"
	"github.com/opentill/opentill/peripherals/profile"
	"github.com/opentill/opentill/peripherals/station"
	"github.com/opentill/opentill/peripherals/virtual"
	"github.com/opentill/opentill/pos"
	"github.com/opentill/opentill/pos/receipt"
	"github.com/opentill/opentill/pos/till/devices"
	"github.com/opentill/opentill/ui"
	"github.com/opentill/opentill/ui/l10n"
	"github.com/opentill/opentill/ui/startbench"
	"github.com/opentill/opentill/ui/tour"
)

type options struct {
	data, lang, locale, layout, card, size  string
	demoLocale                              string
	profile                                 string
	shots                                   string
	fullscreen, dark, contrast, demo, bench bool
	baseline                                bool
	extensions, listExtensions              bool
	idle                                    time.Duration
	soak                                    time.Duration // --soak: sell for this long, then print memory figures
	products                                int
	scaleUnit                               string // --scale-unit: the store server
	offline                                 bool   // --offline: no sync at all
}

func parseFlags(args []string) (options, error) {
	var o options
	fs := flag.NewFlagSet("pos", flag.ContinueOnError)
	fs.StringVar(&o.data, "data", "", "data folder of the till (default: the demo store in the user's data folder, seeded on first start)")
	fs.StringVar(&o.lang, "lang", "", "language of the screens: en, de, fr or es (default: each operator's language)")
	fs.StringVar(&o.locale, "locale", "", "store locale for amounts, numbers and dates: en, de, fr or es (default: the store's, else the screen language)")
	fs.StringVar(&o.demoLocale, "demo-locale", "", "on first start, seed the demo store of a locale: de-DE, fr-FR, es-ES or en-US (as posctl seed --locale)")
	fs.StringVar(&o.layout, "layout", "auto", "screen layout: auto, desktop or tablet")
	fs.StringVar(&o.size, "size", "", "window size WIDTHxHEIGHT (default 1024x740 desktop, 800x1280 tablet)")
	fs.BoolVar(&o.fullscreen, "fullscreen", false, "open full screen")
	fs.BoolVar(&o.dark, "dark", false, "dark theme")
	fs.BoolVar(&o.contrast, "high-contrast", false, "high-contrast theme (black on white, strong borders)")
	fs.BoolVar(&o.demo, "demo", false, "show the demo operators on the sign-in screen (always on for the default demo store)")
	fs.DurationVar(&o.idle, "idle", 5*time.Minute, "lock the till after this long without use (0: never)")
	fs.StringVar(&o.card, "card", "", "simulated card terminal: approve, decline, timeout or unreachable (the processor: payments go offline, forwarded later) (default: the profile's setting, approve in the demo)")
	fs.StringVar(&o.profile, "profile", "", "hardware profile: a TOML file, demo (virtual devices, receipts in DATA/receipts) or none (default: the one the store server sent for this till, else demo)")
	fs.IntVar(&o.products, "products", 5000, "products in the demo store seeded on first start")
	fs.StringVar(&o.scaleUnit, "scale-unit", "", "store server (scale unit) URL to sync with (default in the demo: an embedded one on loopback, data in DATA/scaleunit)")
	fs.BoolVar(&o.offline, "offline", false, "do not sync with a store server at all")
	fs.StringVar(&o.shots, "screenshots", "", "run the screenshot tour, save PNGs in this folder and quit")
	fs.BoolVar(&o.bench, "bench", false, "print start-up time and memory after signing in, then quit")
	fs.BoolVar(&o.baseline, "baseline", false, "with --bench: measure a bare Fyne window with 50 labels instead")
	fs.DurationVar(&o.soak, "soak", 0, "sign in as the demo cashier, sell a five-line cash sale every second for this long, print the memory figures and quit (scripts/soak.sh)")
	fs.BoolVar(&o.extensions, "extensions", true, "run the extensions the till carries and those in DATA/extensions (false: none)")
	fs.BoolVar(&o.listExtensions, "list-extensions", false, "list the Go extensions compiled into this till and quit")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if o.data == "" {
		o.data, o.demo = defaultDataDir(), true
	}
	return o, nil
}

// defaultDataDir is the demo store's folder: %LOCALAPPDATA%\OpenTill\demo on
// Windows, $XDG_DATA_HOME/opentill/demo elsewhere.
func defaultDataDir() string { return datadir.Default() }

// hasDisplay reports whether a graphical display is reachable.
func hasDisplay() bool {
	if runtime.GOOS != "linux" && runtime.GOOS != "freebsd" && runtime.GOOS != "openbsd" {
		return true
	}
	return os.Getenv("DISPLAY") != "" || os.Getenv("WAYLAND_DISPLAY") != ""
}

func main() {
	start := time.Now()
	o, err := parseFlags(os.Args[1:])
	if err != nil {
		if !errors.Is(err, flag.ErrHelp) { // flag said why on stderr, which pos.exe has not
			showStartError(startErrorText(l10n.Must(l10n.Match(os.Getenv("LANG"))), err, ""))
		}
		os.Exit(2)
	}
	if o.listExtensions {
		host.PrintCarried(os.Stdout)
		return
	}
	if !hasDisplay() {
		fmt.Fprintln(os.Stderr, "opentill: "+l10n.Must(l10n.Match(firstNonEmpty(o.lang, os.Getenv("LANG")))).T("error.display"))
		os.Exit(3)
	}
	if err := run(o, start); err != nil {
		reportStartError(o, err)
		os.Exit(1)
	}
}

func firstNonEmpty(s ...string) string {
	for _, x := range s {
		if x != "" {
			return x
		}
	}
	return ""
}

func run(o options, start time.Time) (err error) {
	if o.bench && o.baseline {
		startbench.Baseline(appNew(), start)
		return nil
	}
	if err := seedOnFirstStart(o); err != nil {
		return err
	}
	s, err := store.Open(o.data)
	if err != nil {
		return err
	}
	defer func() {
		// Every sale was on disk when it completed; a failed close (the
		// final checkpoint) still says the disk needs looking at.
		if cerr := s.Close(); cerr != nil {
			err = errors.Join(err, cerr)
		}
	}()
	setup, err := s.LoadSetup(context.Background())
	if err != nil {
		return err
	}
	devs, err := openDevices(context.Background(), o, setup, s)
	if err != nil {
		return err
	}
	term, err := terminal(o, devs)
	if err != nil {
		return err
	}
	server := &synclink.Ports{} // the register asks the sync engine, once open, whether the server is reachable
	layouts, err := receipt.LoadLayouts(filepath.Join(o.data, profile.ReceiptLayoutsDir))
	if err != nil {
		return err
	}
	// The store's own layouts from the store server, where the data folder
	// has none of its own.
	if storeLayouts, err := s.ReceiptLayouts(context.Background()); err != nil {
		return err
	} else if layouts, err = layouts.WithStore(storeLayouts); err != nil {
		return err
	}
	// Receipts by e-mail, when the data folder has mail.toml: queued in the
	// store, sent in the background through the store's relay.
	var mailer pos.ReceiptMailer
	if mcfg, ok, err := mail.LoadConfig(o.data); err != nil {
		return err
	} else if ok {
		sender := mail.NewSender(mcfg, s, mail.Options{Layouts: layouts,
			Picture:   func(d *receipt.Document) image.Image { return virtual.RenderDocument(d, 42, nil) },
			EncodePNG: func(w *bytes.Buffer, img image.Image) error { return virtual.EncodePNG(w, img) }})
		mctx, stopMail := context.WithCancel(context.Background())
		defer stopMail()
		go sender.Run(mctx)
		mailer = mail.Queue{St: s, Sender: sender}
	}
	ops := pos.NewRegistry()
	var exts *host.Extensions
	if o.extensions {
		if exts, err = host.Open(context.Background(), o.data, ops); err != nil {
			return err
		}
		defer func() { err = errors.Join(err, exts.Close()) }()
		for _, r := range exts.Refused {
			fmt.Fprintln(os.Stderr, "opentill: extension refused:", r)
		}
	}
	reg := pos.NewRegister(setup, s, pos.Options{Terminal: term, Connectivity: server, Stock: server, History: server, Sales: server, StoreReports: server, Balances: server, Registry: ops, Mailer: mailer})
	if err := exts.Attach(reg); err != nil {
		return err
	}
	link, err := synclink.Start(synclink.Options{
		Data: o.data, ServerURL: o.scaleUnit, Offline: o.offline, Demo: o.demo,
		Hold: o.bench || o.shots != "", // the same start-up and screens every run
	}, s, reg)
	if err != nil {
		return err
	}
	defer link.Close()
	server.Attach(link.Engine())

	a := appNew()
	w := a.NewWindow("OpenTill — " + setup.StoreName)
	mobile := fyne.CurrentDevice().IsMobile()
	lay, err := ui.ParseLayout(o.layout, mobile, false)
	if err != nil {
		return err
	}
	size := fyne.NewSize(1024, 740) // fits the smallest till screen, 1024×768 with a title bar (ui's TestScreensFitEverySize)
	if lay == ui.Tablet {
		size = fyne.NewSize(800, 1280)
	}
	if o.size != "" {
		var wd, ht float32
		if _, err := fmt.Sscanf(o.size, "%gx%g", &wd, &ht); err != nil || wd < 320 || ht < 320 {
			return fmt.Errorf("--size %q: give the window size as WIDTHxHEIGHT, e.g. 1280x800", o.size)
		}
		size = fyne.NewSize(wd, ht)
	}
	w.Resize(size)
	w.SetFullScreen(o.fullscreen)
	receipts := layouts
	cfg := ui.Config{Register: reg, Transactions: s, Pictures: s, Lang: o.lang, Locale: o.locale, Layout: lay, Dark: o.dark, Contrast: o.contrast, IdleLock: o.idle,
		Receipts: receipts, Mail: mailer != nil}
	if o.demo {
		_, ops := demo.Staff()
		for _, op := range ops {
			cfg.Demo = append(cfg.Demo, ui.Credential{ID: op.ID, PIN: op.PIN, Name: op.Name, Role: op.RoleID})
		}
	}
	till := ui.New(a, w, cfg)
	if devs != nil {
		defer devs.Close()
		st := station.New(reg, devs, station.Options{
			Texts:  ui.DisplayTexts(firstNonEmpty(o.locale, reg.Setup().Header.Language, o.lang), o.locale),
			Notify: func(n devices.Notice) { fyne.Do(func() { till.Notice(n) }) },
			Divert: till.TakeScan,
		})
		defer st.Close()
		st.Start(context.Background())
		till.SetDevices(ui.Devices{Scale: st, Receipts: st, Panel: st.Panel()})
	}
	till.Start()
	// After Start: a till without sync says why on the sign-in screen.
	if sync := link.Sync(); sync != nil {
		till.SetSync(sync)
	} else if key := link.OffKey(); key != "" {
		till.SetSyncOff(key)
	}
	switch {
	case o.shots != "":
		go tour.Run(a, w, till, tour.Options{Dir: o.shots, Layout: lay, Dark: o.dark, Lang: o.lang, Landscape: lay == ui.Tablet && size.Width > size.Height})
	case o.bench:
		startbench.AfterStart(a, till, start)
	case o.soak > 0:
		startbench.Soak(a, till, o.soak, time.Second)
	}
	w.ShowAndRun()
	return nil
}

// seedOnFirstStart creates the demo store when the data folder has none.
func seedOnFirstStart(o options) error {
	if _, err := os.Stat(filepath.Join(o.data, store.FileName)); err == nil {
		return nil
	}
	fmt.Printf("First start: seeding the demo store in %s (%d products)…\n", o.data, o.products)
	st, err := demo.SeedLocale(context.Background(), o.data, o.products, o.demoLocale, nil)
	if err != nil {
		return err
	}
	fmt.Printf("Seeded %d products in %s.\n", st.Products, st.Elapsed.Round(time.Millisecond))
	return nil
}

// appNew creates the Fyne app. The till keeps no Fyne preferences (its
// settings live in the store), so it has no app ID and no preferences file,
// and no stopped hook (dropStoppedHook).
func appNew() fyne.App {
	a := app.New()
	dropStoppedHook(a)
	return a
}

// dropStoppedHook removes the app's "stopped" lifecycle hook, which only
// saves Fyne's preferences (the till has none), and the till sets no
// OnStopped of its own: keep it so. Fyne v2.7.1's GLFW driver queues that
// hook as an event when its run loop ends and its event goroutine runs it
// through the main-thread queue; when that goroutine gets there after the
// loop's last look at the queue but before the loop marks the queue drained,
// the hook is left in the closed queue, that goroutine waits for it forever,
// and so does Run, which waits for the lifecycle events (WaitForEvents): the
// till printed its --bench figures, quit, and its main goroutine, locked to
// its thread, waited on a channel (about one run in four under load). With
// no hook no event is queued at the end and Run returns.
func dropStoppedHook(a fyne.App) {
	if l, ok := a.Lifecycle().(interface{ SetOnStoppedHookExecuted(func()) }); ok {
		l.SetOnStoppedHookExecuted(nil)
	}
}
