package ui

import (
	_ "github.com/opentill/opentill/ui/clocale" // before Fyne reads the locale

	"context"
	"fmt"
	"os"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/offline/demo"
	"github.com/opentill/opentill/offline/store"
	"github.com/opentill/opentill/offline/synclink"
	"github.com/opentill/opentill/peripherals/paysim"
	"github.com/opentill/opentill/pos"
)

func TestMain(m *testing.M) {
	os.Setenv("LANG", "C.UTF-8")
	os.Setenv("TZ", "UTC")
	time.Local = time.UTC
	os.Exit(m.Run())
}

var (
	seedOnce sync.Once
	seedDir  string
	seedErr  error
)

// seeded returns a copy of a small demo store (seeded once per test run).
func seeded(t testing.TB) string {
	seedOnce.Do(func() {
		seedDir, seedErr = os.MkdirTemp("", "opentill-ui-seed-")
		if seedErr == nil {
			_, seedErr = demo.Seed(context.Background(), seedDir, 300, nil)
		}
	})
	require.NoError(t, seedErr)
	dir := t.TempDir()
	ents, err := os.ReadDir(seedDir) // the database and the till's signing key
	require.NoError(t, err)
	for _, e := range ents {
		if !e.Type().IsRegular() {
			continue
		}
		b, err := os.ReadFile(seedDir + "/" + e.Name())
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(dir+"/"+e.Name(), b, 0o600))
	}
	return dir
}

type rig struct {
	t     testing.TB
	ui    *UI
	win   fyne.Window
	reg   *pos.Register
	ports *synclink.Ports // the register's view of the store server, as cmd/pos wires it
	st    *store.Store
	term  *paysim.Terminal
}

type rigOpt func(*Config)

func tablet(c *Config) { c.Layout = Tablet }
func german(c *Config) { c.Lang = "de" }

// newRig opens a till on a fresh copy of the demo store in the Fyne test driver.
func newRig(t testing.TB, opts ...rigOpt) *rig {
	return newRigOn(t, seeded(t), opts...)
}

func newRigOn(t testing.TB, dir string, opts ...rigOpt) *rig {
	st, err := store.Open(dir)
	require.NoError(t, err)
	t.Cleanup(func() { st.Close() })
	setup, err := st.LoadSetup(context.Background())
	require.NoError(t, err)
	term := paysim.New()
	term.Timeout = 10 * time.Millisecond
	n := 0
	clock := time.Date(2026, 11, 27, 10, 30, 0, 0, time.UTC)
	ports := &synclink.Ports{} // offline until a sync engine is attached
	reg := pos.NewRegister(setup, st, pos.Options{Terminal: term, Connectivity: ports, Stock: ports, History: ports, Sales: ports, StoreReports: ports, Balances: ports,
		Now:   func() time.Time { return clock },
		NewID: func() string { n++; return fmt.Sprintf("00000000-0000-7000-8000-%012d", n) }})
	a := test.NewTempApp(t)
	w := test.NewTempWindow(t, nil)
	cfg := Config{Register: reg, Transactions: st, Pictures: st, Lang: "en", Go: func(f func()) { f() }, Ops: func(f func()) { f() }}
	_, ops := demo.Staff()
	for _, op := range ops {
		cfg.Demo = append(cfg.Demo, Credential{ID: op.ID, PIN: op.PIN, Name: op.Name, Role: op.RoleID})
	}
	for _, o := range opts {
		o(&cfg)
	}
	if cfg.Layout == Tablet {
		w.Resize(fyne.NewSize(800, 1280))
	} else {
		w.Resize(fyne.NewSize(1366, 800))
	}
	u := New(a, w, cfg)
	u.Start()
	return &rig{t: t, ui: u, win: w, reg: reg, st: st, term: term, ports: ports}
}

// signIn signs in through the sign-in screen's fields and button.
func (r *rig) signIn(id, pin string) {
	v := r.ui.signin
	v.id.SetText("")
	v.secret.SetText("")
	test.Type(v.id, id)
	test.Type(v.secret, pin)
	test.Tap(v.button)
}

// openShift opens a shift with a 100.00 float through the shift screen that
// sign-in leads to when no shift is open (the demo store sells only in an
// open shift), then goes to the home screen, as a cashier does before the
// first sale of the day.
func (r *rig) openShift() {
	r.t.Helper()
	if sh, err := r.reg.CurrentShift(context.Background()); err == nil && sh != nil {
		// A copied benchmark store may hold a shift a previous run left open:
		// the till resumed it at sign-in, as a restarted till does.
		r.ui.showHome()
		return
	}
	require.Equal(r.t, "shift", r.ui.Screen(), "sign-in leads to the shift screen")
	v := r.ui.shiftView()
	require.NotNil(r.t, v.buttons[pos.OpOpenShift], "an Open shift action")
	test.Tap(v.buttons[pos.OpOpenShift])
	test.Type(v.amount, "100.00")
	r.tap(r.ui.L.T("button.ok"))
	sh, err := r.reg.CurrentShift(context.Background())
	require.NoError(r.t, err)
	require.NotNil(r.t, sh, "the shift is open")
	r.ui.showHome()
}

// signInSelling signs in and opens a shift: ready to sell from the home screen.
func (r *rig) signInSelling(id, pin string) {
	r.t.Helper()
	r.signIn(id, pin)
	r.openShift()
}

// scan types a code in the scan field and presses Enter.
func (r *rig) scan(code string) {
	v := r.ui.sell
	require.NotNil(r.t, v, "not on the sell screen")
	r.win.Canvas().Focus(v.scan)
	test.Type(v.scan, code)
	v.scan.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
}

// key presses a key as the window does: on the focused object, or, with
// nothing focused, on the canvas.
func (r *rig) key(name fyne.KeyName) {
	r.t.Helper()
	if f := r.win.Canvas().Focused(); f != nil {
		f.TypedKey(&fyne.KeyEvent{Name: name})
		return
	}
	r.win.Canvas().OnTypedKey()(&fyne.KeyEvent{Name: name})
}

// typeRunes types text as the window does: into the focused object, or,
// with nothing focused, on the canvas.
func (r *rig) typeRunes(text string) {
	r.t.Helper()
	for _, c := range text {
		if f := r.win.Canvas().Focused(); f != nil {
			f.TypedRune(c)
			continue
		}
		r.win.Canvas().OnTypedRune()(c)
	}
}

// pad presses number pad keys one by one.
func pad(p *Numpad, keys ...string) {
	for _, k := range keys {
		test.Tap(p.Button(k))
	}
}

// find walks the canvas (overlays first) for a button with the given text.
func (r *rig) button(text string) *widget.Button {
	c := r.win.Canvas()
	var found *widget.Button
	find := func(o fyne.CanvasObject) bool {
		if b, ok := o.(*widget.Button); ok && b.Text == text {
			found = b
		}
		return found != nil
	}
	if top := c.Overlays().Top(); top != nil {
		walkVisible(top, find)
	}
	if found == nil {
		walkVisible(c.Content(), find)
	}
	return found
}

// walkVisible visits o and the visible objects inside it (containers' and
// widgets' renderers) until visit returns true.
func walkVisible(o fyne.CanvasObject, visit func(fyne.CanvasObject) bool) bool {
	if o == nil || !o.Visible() {
		return false
	}
	if visit(o) {
		return true
	}
	switch x := o.(type) {
	case *widget.Button:
		return false
	case *fyne.Container:
		for _, c := range x.Objects {
			if walkVisible(c, visit) {
				return true
			}
		}
		return false
	}
	if w, ok := o.(fyne.Widget); ok {
		for _, c := range test.WidgetRenderer(w).Objects() {
			if walkVisible(c, visit) {
				return true
			}
		}
	}
	return false
}

// tap taps the button with the given (translated) text, failing if there is none.
func (r *rig) tap(text string) {
	b := r.button(text)
	require.NotNil(r.t, b, "no button %q on screen", text)
	test.Tap(b)
}

// dialogText returns all label texts of the top overlay.
func (r *rig) overlayText() string {
	top := r.win.Canvas().Overlays().Top()
	if top == nil {
		return ""
	}
	var s string
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		switch x := o.(type) {
		case *widget.Label:
			s += x.Text + "\n"
		case *fyne.Container:
			for _, c := range x.Objects {
				walk(c)
			}
			return
		}
		if w, ok := o.(fyne.Widget); ok {
			for _, c := range test.WidgetRenderer(w).Objects() {
				walk(c)
			}
		}
	}
	walk(top)
	return s
}
