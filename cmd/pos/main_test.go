package main

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/offline/demo"
	"github.com/opentill/opentill/pos/money"
	"github.com/opentill/opentill/pos/tender"
	"github.com/opentill/opentill/ui/l10n"
)

func TestMain(m *testing.M) {
	if os.Getenv("OPENTILL_TEST_MAIN") == "1" {
		os.Args = append([]string{"pos"}, strings.Fields(os.Getenv("OPENTILL_TEST_ARGS"))...)
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

func TestFlags(t *testing.T) {
	t.Setenv("XDG_DATA_HOME", "/srv/data")
	o, err := parseFlags(nil)
	require.NoError(t, err)
	assert.Equal(t, filepath.Join("/srv/data", "opentill", "demo"), o.data)
	assert.True(t, o.demo, "the default store is the demo store: show its operators")
	assert.Equal(t, "auto", o.layout)

	o, err = parseFlags([]string{"--data", "/tmp/store", "--lang", "fr", "--layout", "tablet", "--fullscreen", "--dark"})
	require.NoError(t, err)
	assert.Equal(t, "/tmp/store", o.data)
	assert.False(t, o.demo, "another store shows no demo credentials unless --demo")
	assert.Equal(t, "fr", o.lang)
	assert.True(t, o.fullscreen)
	assert.True(t, o.dark)

	_, err = parseFlags([]string{"--bogus"})
	assert.Error(t, err)
}

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

// --screenshots and --bench [--baseline] hand the window to ui/tour and
// ui/startbench (scripts/screenshots.sh, scripts/bench-ui.sh).
func TestTourAndBenchFlags(t *testing.T) {
	o, err := parseFlags(nil)
	require.NoError(t, err)
	assert.Equal(t, "", o.shots)
	assert.False(t, o.bench)
	assert.False(t, o.baseline)
	o, err = parseFlags([]string{"--data", "/tmp/d", "--demo", "--idle", "0", "--layout", "desktop", "--screenshots", "docs/screenshots", "--dark", "--lang", "de"})
	require.NoError(t, err)
	assert.Equal(t, "docs/screenshots", o.shots)
	assert.True(t, o.demo)
	assert.Zero(t, o.idle)
	o, err = parseFlags([]string{"--bench", "--baseline"})
	require.NoError(t, err)
	assert.True(t, o.bench)
	assert.True(t, o.baseline)
	o, err = parseFlags([]string{"--soak", "1h", "--idle", "0"})
	require.NoError(t, err)
	assert.Equal(t, time.Hour, o.soak)
	_, err = parseFlags([]string{"--soak", "an hour"})
	assert.Error(t, err)
}

// Without a display the till exits with a clear message (in the language
// asked for) instead of a toolkit crash.
func TestNoDisplayExitsWithMessage(t *testing.T) {
	for lang, want := range map[string]string{
		"":   "No display was found. OpenTill needs a graphical desktop",
		"de": "Kein Bildschirm gefunden.",
	} {
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		args := "--data " + t.TempDir()
		if lang != "" {
			args += " --lang " + lang
		}
		cmd.Env = append(os.Environ(), "OPENTILL_TEST_MAIN=1", "OPENTILL_TEST_ARGS="+args, "DISPLAY=", "WAYLAND_DISPLAY=", "LANG=C")
		out, err := cmd.CombinedOutput()
		var ee *exec.ExitError
		require.ErrorAs(t, err, &ee, string(out))
		assert.Equal(t, 3, ee.ExitCode())
		assert.Contains(t, string(out), want)
		assert.Contains(t, string(out), "posctl till")
	}
}

// --profile picks the devices (demo: virtual ones, receipts in the data
// folder); the card terminal is the profile's, and --card sets what its
// simulator does.
func TestProfileAndTerminal(t *testing.T) {
	o, err := parseFlags(nil)
	require.NoError(t, err)
	assert.Equal(t, "", o.profile, "the store server's profile, else demo")
	assert.Equal(t, "", o.card, "the profile's outcome unless --card is given")

	o.data = t.TempDir()
	devs, err := openDevices(context.Background(), o, demo.Setup(), noProfile{})
	require.NoError(t, err)
	require.NotNil(t, devs.VirtualPrinter)
	assert.Equal(t, filepath.Join(o.data, "receipts"), devs.VirtualPrinter.Dir)
	term, err := terminal(o, devs)
	require.NoError(t, err)
	assert.Same(t, devs.Simulator, term)

	o.card = "decline"
	term, err = terminal(o, devs)
	require.NoError(t, err)
	_, err = term.Authorize(context.Background(), tender.Request{Amount: 100, Currency: money.EUR, Reference: "t-1"})
	assert.Error(t, err, "--card decline makes the profile's simulator decline")

	o.card = "bogus"
	_, err = terminal(o, devs)
	assert.Error(t, err)

	o.profile, o.card = "none", ""
	devs, err = openDevices(context.Background(), o, demo.Setup(), noProfile{})
	require.NoError(t, err)
	assert.Nil(t, devs)
	term, err = terminal(o, nil)
	require.NoError(t, err)
	assert.Nil(t, term, "no profile terminal and no --card: cards are refused")
	o.card = "approve"
	term, err = terminal(o, nil)
	require.NoError(t, err)
	assert.NotNil(t, term, "--card without a profile terminal: the simulator")

	o.profile = filepath.Join(t.TempDir(), "missing.toml")
	_, err = openDevices(context.Background(), o, demo.Setup(), noProfile{})
	assert.Error(t, err)
}

// noProfile is a till the store server sent no hardware profile.
type noProfile struct{}

func (noProfile) HardwareProfile(context.Context, string) ([]byte, bool, error) {
	return nil, false, nil
}

// serverSent is a till the store server sent profiles by terminal.
type serverSent map[string]string

func (s serverSent) HardwareProfile(_ context.Context, terminal string) ([]byte, bool, error) {
	b, ok := s[terminal]
	return []byte(b), ok, nil
}

// Without --profile, a till uses the profile the store server sent for its
// terminal; --profile still wins; a broken one is a start-up error that
// says what to do.
func TestTheStoreServersProfile(t *testing.T) {
	o, err := parseFlags([]string{"--card", "decline"})
	require.NoError(t, err)
	o.data = t.TempDir()
	setup := demo.Setup()
	sent := serverSent{setup.TerminalID: "name = \"T01 from the server\"\n[printer]\ndriver = \"virtual\"\ndir = \"server-receipts\"\n"}
	devs, err := openDevices(context.Background(), o, setup, sent)
	require.NoError(t, err)
	require.NotNil(t, devs.VirtualPrinter)
	assert.Equal(t, filepath.Join(o.data, "server-receipts"), devs.VirtualPrinter.Dir)
	assert.Nil(t, devs.Payment, "the server's profile has no payment terminal")

	o.profile = "demo"
	devs, err = openDevices(context.Background(), o, setup, sent)
	require.NoError(t, err)
	assert.Equal(t, filepath.Join(o.data, "receipts"), devs.VirtualPrinter.Dir, "--profile wins")

	o.profile = ""
	_, err = openDevices(context.Background(), o, setup, serverSent{setup.TerminalID: "[printr]\n"})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "the hardware profile the store server sent for "+setup.TerminalID)
	assert.Contains(t, err.Error(), "--profile")
}

// A start-up error is written to the data folder's start-up log, appended
// (a till with no console, as on Windows, still says why it did not start).
func TestStartErrorsAreLogged(t *testing.T) {
	dir := t.TempDir()
	at := time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC)
	path := logStartError(dir, errors.New("the store is locked by another till process"), at)
	require.Equal(t, filepath.Join(dir, startLogName), path)
	logStartError(dir, errors.New("second"), at)
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, "2026-12-02T09:00:00Z opentill: the store is locked by another till process\n2026-12-02T09:00:00Z opentill: second\n", string(b))
	assert.Empty(t, logStartError(filepath.Join(path, "not-a-dir"), errors.New("x"), at), "an unwritable folder gives no path")
}

// The message box pos.exe shows at a failed start says so in the
// operator's language, why, and where it is logged.
func TestStartErrorText(t *testing.T) {
	err := errors.New("till.db has schema version 5 but this OpenTill knows only up to version 4")
	assert.Equal(t, "OpenTill could not start:\n\n"+err.Error()+"\n\nThis message is also in C:\\Till\\start-errors.log",
		startErrorText(l10n.Must(l10n.Match("en")), err, `C:\Till\start-errors.log`))
	assert.Equal(t, "OpenTill konnte nicht starten:\n\n"+err.Error(), startErrorText(l10n.Must(l10n.Match("de")), err, ""),
		"no log line when the log could not be written")
}

// The till's app has no stopped hook, so Fyne's run loop queues no event as
// it ends and Run returns after Quit (dropStoppedHook: with one, a race in
// Fyne v2.7.1's shutdown left pos --bench waiting after its figures). When
// a Fyne upgrade changes its lifecycle, this fails: check the shutdown again.
func TestAppHasNoStoppedHook(t *testing.T) {
	a := appNew()
	l, ok := a.Lifecycle().(interface{ OnStopped() func() })
	require.True(t, ok, "Fyne's lifecycle no longer has OnStopped: see dropStoppedHook")
	assert.Nil(t, l.OnStopped(), "no stopped event is queued when the run loop ends")
}
