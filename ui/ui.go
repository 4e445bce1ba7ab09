// Package ui is the till on screen: Fyne screens for sign-in, the role-based
// home screen, selling, payment, returns, recall and the receipt preview, in a
// desktop (landscape) and a tablet (portrait) layout built by the same code.
//
// Screens are functions returning a fyne.CanvasObject. They talk to the domain
// only through the register and the till service (pos/till): they dispatch
// operations with Do, sell items through the service (the scale, keyed-in
// weights and prices), render the register's events and cart snapshots, and
// reach devices and the store server only through the ports of pos/till and
// pos/till/devices. Operations refused for permission or over a limit offer
// the manager-override dialog (till.OffersOverride) and, once approved, run
// again wrapped in pos.Approved. Errors are shown by their translated message
// key.
package ui

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/opentill/opentill/pos"
	"github.com/opentill/opentill/pos/money"
	"github.com/opentill/opentill/pos/poserr"
	"github.com/opentill/opentill/pos/prompt"
	"github.com/opentill/opentill/pos/receipt"
	"github.com/opentill/opentill/pos/till"
	"github.com/opentill/opentill/pos/till/devices"
	"github.com/opentill/opentill/ui/l10n"
)

// Layout picks the screen arrangement.
type Layout int

// Layouts.
const (
	Desktop Layout = iota // landscape till: lines, totals, number pad and button grid side by side
	Tablet                // portrait: the same parts stacked, functions in tabs
)

// ParseLayout reads "desktop", "tablet" or "auto" (auto = tablet on mobile
// devices and on portrait screens).
func ParseLayout(s string, mobile bool, portrait bool) (Layout, error) {
	switch s {
	case "desktop":
		return Desktop, nil
	case "tablet":
		return Tablet, nil
	case "auto", "":
		if mobile || portrait {
			return Tablet, nil
		}
		return Desktop, nil
	}
	return Desktop, errors.New("layout must be auto, desktop or tablet")
}

// Credential is a demo operator shown on the sign-in screen in demo mode.
type Credential struct{ ID, PIN, Name, Role string }

// Config is what the screens need.
type Config struct {
	Register *pos.Register
	Mail     bool   // receipts can be sent by e-mail (the till has a mail relay)
	Lang     string // UI language; "" = the operator's language after sign-in, English before
	Locale   string // store locale for amounts, numbers and dates; "" = the UI language
	Layout   Layout
	Dark     bool
	Contrast bool          // the high-contrast look (Dark wins when both are set)
	Demo     []Credential  // shown on the sign-in screen; nil outside demo mode
	IdleLock time.Duration // auto-lock after this long without use; 0 = never
	Buttons  string        // button-grid layout name in assets/layouts; "" = "sell"
	// Receipts are the store's receipt layouts the previews show receipts
	// and X/Z reports with (the printer's); nil means the shipped ones.
	Receipts *receipt.Layouts
	// Transactions finds past sales for a return by receipt; the offline
	// store implements it.
	Transactions till.Transactions
	// Pictures gives the products' pictures shown in search and on the
	// lines; nil shows none. The offline store implements it.
	Pictures Pictures
	// Go runs slow work (card payments) off the UI goroutine; nil = a goroutine.
	// Tests run it inline.
	Go func(func())
	// Ops runs the register's operations, in order, off the UI goroutine;
	// nil = a goroutine of the UI's own. Tests run them inline.
	Ops func(func())
	// Now is the clock the reports screen starts its periods from; nil =
	// time.Now.
	Now func() time.Time
	// Post runs device callbacks (from the station's goroutines) on the UI
	// goroutine; nil = fyne.Do. Tests queue them and run them in turn.
	Post func(func())
}

// look is the theme the config asks for.
func (c Config) look() Look {
	switch {
	case c.Dark:
		return Dark
	case c.Contrast:
		return HighContrast
	}
	return Light
}

// UI is the running till.
type UI struct {
	cfg    Config
	app    fyne.App
	win    fyne.Window
	reg    *pos.Register
	svc    *till.Till // selling, shift guidance, lookups (pos/till)
	L      *l10n.Localizer
	fixed  bool // language given by flag: operators' languages do not switch it
	root   *fyne.Container
	screen string

	sell          *sellView
	pay           *payView
	signin        *signinView
	home          *homeView
	receipt       *receiptView
	dialog        dialog.Dialog    // the dialog on top, if any
	dialogOK      func()           // Enter on a dialog whose affirmative action is a button of its content (keys.go)
	dialogCancel  func()           // Escape on a dialog whose cancel is a button of its content
	extPanel      *prompt.Panel    // the extension panel shown last (extensions.go)
	extNotices    []devices.Device // banners about extensions, in the order they came
	waiting       int              // card payments under way (doAsync): keys wait
	typed         []rune           // typed on a dialog with no field focused: a scan, if Enter follows (keys.go)
	scans         []string         // scans that arrived while a dialog was open, sold when it closes
	pics          *pictureCache    // product pictures (pictures.go)
	rowH          float32          // height of a line row, and of one showing its promotions (lineHeights)
	promoRowH     float32
	reopen        dialog.Dialog // the dialog to show again when it closes (keepOpen)
	reopenFocus   fyne.Focusable
	overrideForm  *overrideForm
	promptEntry   *field
	recallButtons []*widget.Button
	returnView    *returnView
	shiftV        *shiftView             // the shift and cash-management screen (shift.go)
	customersV    *customersView         // the customer search (customers.go)
	open          map[dialog.Dialog]bool // dialogs on show (setDialog)
	customerF     *customerForm          // the customer form on show
	reportsV      *reportsView           // the reports screen (reports.go)
	journalV      *journalView           // the journal screen (journal.go)
	stockV        *stockScreen           // the stock screen (stock.go)
	ordersV       *ordersScreen          // the orders screen while shown
	orderF        *orderForm             // the customer-order form last opened
	valueF        *valueForm             // the gift card or gift card / memo payment form last opened
	countV        *countView             // the count being counted (stock.go)
	adjustF       *adjustForm            // the stock adjustment form on show
	reviewD       dialog.Dialog          // the variance review on show
	docV          *docView               // the document being received or shipped (docs.go)

	events   *pos.Subscription // the register's events, posted to the UI goroutine
	serial   func(func())      // runs operations in order off the UI goroutine
	idle     *time.Timer
	idleGen  int
	lastRcpt *receipt.Receipt
	// points are the loyalty points last read for the card on the sale
	// (key: card and transaction), shown on the customer panel.
	points struct{ key, text string }

	devState // devices: receipts, device notices, virtual devices (devices.go)

	syncState // store server: status indicator, settings, stock elsewhere (syncstatus.go, settings.go)

	// scanTo is where a serial scanner's codes go (scanTarget), read from
	// the station's goroutine.
	scanTo atomic.Int32

	// Drawn is called once the first screen has been laid out (start-up timing).
	Drawn func()
}

// New builds the till in a window. Call Start to show the sign-in screen.
func New(a fyne.App, w fyne.Window, cfg Config) *UI {
	if cfg.Go == nil {
		cfg.Go = func(f func()) { go f() }
	}
	serial := cfg.Ops
	if serial == nil {
		// Operations run one after another, in the order they were asked
		// for, on one goroutine of their own: never on the UI goroutine.
		queue := make(chan func(), 1024)
		go func() {
			for f := range queue {
				f()
			}
		}()
		serial = func(f func()) { queue <- f }
	}
	if cfg.Buttons == "" {
		cfg.Buttons = "sell"
	}
	u := &UI{cfg: cfg, app: a, win: w, reg: cfg.Register, fixed: cfg.Lang != "", serial: serial}
	u.svc = till.New(cfg.Register, till.Options{Transactions: cfg.Transactions})
	if cfg.Pictures != nil {
		u.pics = newPictureCache(cfg.Pictures)
	}
	u.L = u.localizer(cfg.Lang)
	a.Settings().SetTheme(newTheme(cfg.look()))
	u.root = container.NewStack()
	w.SetContent(u.root)
	u.events = u.reg.Watch(func(e pos.Event) { fyne.Do(func() { u.onEvent(e) }) })
	w.Canvas().SetOnTypedKey(u.onKey)
	w.Canvas().SetOnTypedRune(u.onRune)
	return u
}

// Start shows the sign-in screen.
func (u *UI) Start() {
	u.showSignIn()
	if u.Drawn != nil {
		u.Drawn()
	}
}

// stacked reports whether screens stack their parts (the tablet layout on
// a portrait window). A tablet held in landscape gets the side-by-side
// arrangement, which is what fits its 1280×800.
func (u *UI) stacked() bool {
	if u.cfg.Layout != Tablet {
		return false
	}
	sz := u.win.Canvas().Size()
	return sz.Width == 0 || sz.Height >= sz.Width
}

// Screen names the screen on show: signin, home, sell, pay or receipt.
func (u *UI) Screen() string { return u.screen }

// SetDark switches between the light and the dark theme.
func (u *UI) SetDark(dark bool) {
	if dark {
		u.SetLook(Dark)
	} else {
		u.SetLook(Light)
	}
}

// SetLook switches the theme (light, dark or high contrast) and redraws
// the screen on show.
func (u *UI) SetLook(l Look) {
	u.cfg.Dark, u.cfg.Contrast = l == Dark, l == HighContrast
	u.app.Settings().SetTheme(newTheme(l))
}

func (u *UI) show(name string, o fyne.CanvasObject) {
	u.scanTo.Store(scanTarget(name))
	u.closeDialog()
	for d := range u.open { // a screen of its own: no dialog of the last one stays on top
		d.Hide()
	}
	u.screen = name
	u.root.Objects = []fyne.CanvasObject{o}
	u.root.Refresh()
}

// do runs an operation. On success it calls ok with the result; a refusal for
// permission or limit offers the manager override and continues with ok once
// approved; other errors show a dialog.
//
// The operation runs off the UI goroutine, after those asked for before it;
// its outcome comes back to the UI goroutine, after its events.
func (u *UI) do(op pos.Operation, ok func(pos.Result)) {
	u.touch()
	u.serial(func() {
		res, err := u.reg.Do(context.Background(), op)
		u.events.Flush() // the events of op are posted to the screen before its outcome
		fyne.Do(func() { u.after(op, res, err, ok) })
	})
}

// try runs an operation as do does and hands its outcome, error included,
// to then on the UI goroutine (forms that mark the wrong field).
func (u *UI) try(op pos.Operation, then func(pos.Result, error)) {
	u.touch()
	u.serial(func() {
		res, err := u.reg.Do(context.Background(), op)
		u.events.Flush()
		fyne.Do(func() { then(res, err) })
	})
}

// showAgain shows a dialog that closed once more, as it was, with focus on
// a field.
func (u *UI) showAgain(d dialog.Dialog, focus fyne.Focusable) {
	u.open[d] = true
	u.dialog, u.dialogOK, u.dialogCancel = d, nil, nil
	d.Show()
	if focus != nil {
		u.win.Canvas().Focus(focus)
	}
}

// doAsync runs an operation off the UI goroutine (card payments), showing a
// waiting dialog meanwhile.
func (u *UI) doAsync(op pos.Operation, waiting string, ok func(pos.Result)) {
	u.touch()
	wait := dialog.NewCustomWithoutButtons(u.L.T("pay.title"), container.NewVBox(widget.NewLabel(waiting), widget.NewProgressBarInfinite()), u.win)
	wait.Show()
	u.win.Canvas().Unfocus()
	u.waiting++
	u.cfg.Go(func() {
		res, err := u.reg.Do(context.Background(), op)
		u.events.Flush()
		fyne.Do(func() {
			u.waiting--
			wait.Hide()
			u.after(op, res, err, ok)
		})
	})
}

func (u *UI) after(op pos.Operation, res pos.Result, err error, ok func(pos.Result)) {
	if err != nil {
		if till.OffersOverride(op, err) {
			u.override(op, ok)
			return
		}
		if shiftKey(err) && u.needsShift() {
			u.toShift(err)
			return
		}
		if errors.Is(err, pos.ErrNotShiftUser) {
			u.notYourShift()
			return
		}
		var q *pos.Question
		if errors.As(err, &q) {
			u.askExtension(op, q, ok)
			return
		}
		u.showError(err)
		return
	}
	if ok != nil {
		ok(res)
	}
}

// shiftKey reports whether err refuses an operation for want of a shift the
// operator works in.
func shiftKey(err error) bool {
	return errors.Is(err, pos.ErrNoShift) || errors.Is(err, pos.ErrNotShiftUser)
}

// toShift shows an operation refused for want of a shift with the way to
// the shift screen, where the operator opens, resumes or joins one.
func (u *UI) toShift(err error) {
	lbl := widget.NewLabel(u.L.Error(err))
	lbl.Wrapping = fyne.TextWrapWord
	d := dialog.NewCustomConfirm(u.L.T("error.title."+poserr.KindOf(err).String()), u.L.T("tile.shift"), u.L.T("button.cancel"),
		container.NewGridWrap(fyne.NewSize(420, 80), lbl), func(yes bool) {
			if yes {
				u.showShift()
			}
		}, u.win)
	u.setDialog(d)
}

// notYourShift tells an operator who may not join the shift open on this
// register whose it is and who must sign in, with the way out: signing out.
func (u *UI) notYourShift() {
	ctx := context.Background()
	g, err := u.svc.Shift(ctx)
	if err != nil || g.Shift == nil {
		u.showError(pos.ErrNotShiftUser)
		return
	}
	lbl := widget.NewLabel(u.L.T("shift.others_ask", u.shiftData(ctx, g.Shift)))
	lbl.Wrapping = fyne.TextWrapWord
	d := dialog.NewCustomConfirm(u.L.T("shift.not_yours_title"), u.L.T("button.signout"), u.L.T("button.cancel"),
		container.NewGridWrap(fyne.NewSize(440, 110), lbl), func(yes bool) {
			if yes {
				u.do(pos.SignOut{}, nil)
			}
		}, u.win)
	u.setDialog(d)
}

// showError shows a domain error as a dialog titled by its kind, with the
// translation of its message key.
func (u *UI) showError(err error) {
	u.message(u.L.T("error.title."+poserr.KindOf(err).String()), u.L.Error(err))
}

func (u *UI) message(title, text string) {
	lbl := widget.NewLabel(text)
	lbl.Wrapping = fyne.TextWrapWord
	d := dialog.NewCustom(title, u.L.T("button.ok"), container.NewGridWrap(fyne.NewSize(420, 80), lbl), u.win)
	u.setDialog(d)
}

func (u *UI) setDialog(d dialog.Dialog) {
	// A dialog opened from another (a customer form from the search) gives
	// the keys back to it when it closes.
	parent := u.dialog
	if parent == d {
		parent = nil
	}
	if u.open == nil {
		u.open = map[dialog.Dialog]bool{}
	}
	u.open[d] = true
	u.dialog, u.dialogOK, u.dialogCancel = d, nil, nil
	// Keys go to the dialog, not to a field of the screen behind it (the
	// payment amount would take the Enter meant for "change due").
	u.win.Canvas().Unfocus()
	d.SetOnClosed(func() {
		if u.reopen == d { // a wrong field: the form comes back as it was typed (keepOpen)
			u.reopen = nil
			d.Show()
			if u.reopenFocus != nil {
				u.win.Canvas().Focus(u.reopenFocus)
			}
			return
		}
		delete(u.open, d)
		if u.dialog == d {
			if !u.open[parent] {
				parent = nil // closed meanwhile (the dialog that opened this one from its callback)
			}
			u.dialog, u.dialogOK, u.dialogCancel = parent, nil, nil
		}
		u.typed = u.typed[:0]
		u.focusScan()
		u.applyScans()
	})
	d.Show()
}

// keepOpen, called from a dialog's callback, shows the dialog again as it
// is once it has closed, with focus on the field to correct: a wrong value
// is marked, and nothing else typed into the form is lost.
func (u *UI) keepOpen(d dialog.Dialog, focus fyne.Focusable) {
	u.reopen, u.reopenFocus = d, focus
}

func (u *UI) closeDialog() {
	if u.dialog != nil {
		d := u.dialog
		u.dialog, u.dialogOK, u.dialogCancel = nil, nil, nil
		d.Hide()
	}
}

// Dialog returns the dialog on show, for tests.
func (u *UI) Dialog() dialog.Dialog { return u.dialog }

func (u *UI) confirm(text string, yes func()) {
	d := dialog.NewConfirm(u.L.T("confirm.title"), text, func(ok bool) {
		if ok {
			yes()
		}
	}, u.win)
	d.SetConfirmText(u.L.T("button.yes"))
	d.SetDismissText(u.L.T("button.no"))
	u.setDialog(d)
}

// override asks a manager to approve op and runs it again with their authority.
func (u *UI) override(op pos.Operation, ok func(pos.Result)) {
	id := u.newField()
	secret := u.newSecretField()
	chain(id, secret) // Enter in the manager's ID moves to the PIN; Enter there approves
	opName := u.L.OpName(int(op.OpID()))
	if spec, ok := u.reg.Operations().Spec(op.OpID()); ok && !u.L.Has(fmt.Sprintf("op.%d", op.OpID())) {
		opName = spec.Name
	}
	text := widget.NewLabel(u.L.T("override.text", l10n.Data{"Op": opName}))
	text.Wrapping = fyne.TextWrapWord
	form := widget.NewForm(
		widget.NewFormItem(u.L.T("override.manager"), id),
		widget.NewFormItem(u.L.T("override.secret"), secret),
	)
	var d *dialog.ConfirmDialog
	submit := func() { d.Confirm() }
	d = dialog.NewCustomConfirm(u.L.T("override.title"), u.L.T("override.approve"), u.L.T("button.cancel"),
		container.NewVBox(text, form), func(yes bool) {
			if yes {
				u.do(pos.Approved{Op: op, ManagerID: id.Text, Secret: secret.Text}, ok)
			}
		}, u.win)
	d.Resize(fyne.NewSize(460, 300))
	u.overrideForm = &overrideForm{id: id, secret: secret, submit: submit}
	u.setDialog(d)
	u.win.Canvas().Focus(id)
}

type overrideForm struct {
	id, secret *field
	submit     func()
}

// onEvent renders a register event.
func (u *UI) onEvent(e pos.Event) {
	switch e.Type {
	case pos.LineAdded:
		if u.sell != nil && e.Line != nil {
			u.sell.selected = e.Line.No
		}
	case pos.TotalsChanged, pos.LineChanged, pos.LineVoided, pos.PaymentAdded, pos.PaymentVoided,
		pos.TransactionCompleted, pos.TransactionVoided, pos.TransactionSuspended, pos.TransactionRecalled:
		u.refreshCart()
	case pos.ExtensionFailed:
		u.extensionOff(e)
	case pos.ReceiptExtrasLost:
		u.receiptExtrasLost(e)
	case pos.RegisterLocked:
		u.showSignIn()
	case pos.SignedOut:
		if !u.fixed {
			u.L = u.localizer("")
		}
		u.showSignIn()
	}
}

func (u *UI) refreshCart() {
	c := u.reg.Cart()
	if u.sell != nil && (u.screen == "sell") {
		u.sell.render(c)
	}
	if u.pay != nil && u.screen == "pay" {
		u.pay.render(c)
	}
}

func (u *UI) focusScan() {
	if u.dialog != nil {
		return
	}
	switch {
	case u.screen == "sell" && u.sell != nil:
		u.win.Canvas().Focus(u.sell.scan)
	case u.screen == "count" && u.countV != nil:
		u.win.Canvas().Focus(u.countV.scan)
	case u.screen == "doc" && u.docV != nil && !u.docV.scan.Disabled():
		u.win.Canvas().Focus(u.docV.scan)
	case u.screen == "stock" && u.stockV != nil && u.stockV.code != nil && u.stockV.tabs.SelectedIndex() == 0:
		u.win.Canvas().Focus(u.stockV.code)
	}
}

// touch restarts the idle timer.
func (u *UI) touch() {
	if u.cfg.IdleLock <= 0 {
		return
	}
	u.idleGen++
	gen := u.idleGen
	if u.idle != nil {
		u.idle.Stop()
	}
	u.idle = time.AfterFunc(u.cfg.IdleLock, func() {
		fyne.Do(func() {
			if gen != u.idleGen {
				return
			}
			u.idleLock()
		})
	})
}

// idleLock locks the register after the idle time, if someone is signed in.
func (u *UI) idleLock() {
	if _, _, ok := u.reg.Operator(); !ok || u.reg.Locked() {
		return
	}
	u.do(pos.Lock{}, nil)
}

// onKey handles keys that reach the canvas (no entry focused).
func (u *UI) onKey(k *fyne.KeyEvent) {
	if u.dialogKey(k.Name) {
		return
	}
	u.shortcut(k.Name)
}

// shortcut runs the function key bindings of the sell and payment screens.
func (u *UI) shortcut(name fyne.KeyName) bool {
	switch u.screen {
	case "sell":
		v := u.sell
		switch name {
		case fyne.KeyF2:
			u.win.Canvas().Focus(v.search)
		case fyne.KeyF4:
			v.voidLine()
		case fyne.KeyF6:
			v.priceCheck()
		case fyne.KeyF8:
			v.suspend()
		case fyne.KeyF9:
			v.recall()
		case fyne.KeyF10:
			v.voidTransaction()
		case fyne.KeyF12:
			v.openPay()
		case fyne.KeyEscape:
			if u.dialog != nil {
				u.dismissDialog()
				return true
			}
			// Escape never leaves a sale in progress: only an empty till
			// goes back to the home screen.
			if c := u.reg.Cart(); c == nil || len(c.Lines) == 0 {
				u.showHome()
			}
		default:
			return false
		}
		return true
	case "pay":
		switch name {
		case fyne.KeyEscape:
			u.showSell()
		case fyne.KeyF12, fyne.KeyReturn, fyne.KeyEnter:
			u.pay.payCash()
		case fyne.KeyBackspace:
			u.pay.pad.OnKey(KeyBack)
		case fyne.KeyDelete:
			u.pay.pad.OnKey("C")
		default:
			return false
		}
		return true
	case "receipt":
		switch name {
		case fyne.KeyReturn, fyne.KeyEnter:
			u.showSell() // the next sale
		default:
			return false
		}
		return true
	}
	return false
}

// onRune takes characters typed with no entry focused: on the payment
// screen, digits and the decimal separator go to the amount.
func (u *UI) onRune(r rune) {
	if u.dialog != nil {
		u.dialogRune(r)
		return
	}
	if u.waiting > 0 || u.screen != "pay" || u.pay == nil {
		return
	}
	switch {
	case r >= '0' && r <= '9':
		u.pay.pad.OnKey(string(r))
	case r == '.' || r == ',':
		u.pay.pad.OnKey(".")
	}
}

// localizer is a localizer for the screens in lang that formats amounts,
// numbers and dates for the store: in the locale the flag names, else the
// store's (its receipts' locale), else lang's; dates and times in the
// store's time zone, as its receipts show them.
func (u *UI) localizer(lang string) *l10n.Localizer {
	h := u.reg.Setup().Header
	tag := u.cfg.Locale
	if tag == "" {
		tag = firstNonEmpty(h.Locale, h.Language)
	}
	return l10n.Must(lang).WithFormat(tag).WithZone(h.TimeZone)
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}

// operatorLanguage switches to the signed-in operator's language unless a
// language was fixed by flag.
func (u *UI) operatorLanguage() {
	if u.fixed {
		return
	}
	if op, _, ok := u.reg.Operator(); ok && op.Language != "" {
		if l := l10n.Match(op.Language); l != u.L.Lang {
			u.L = u.localizer(l)
		}
	}
}

// roleName translates the operator's role.
func (u *UI) roleName(id, fallback string) string {
	key := "role." + id
	if u.L.Has(key) {
		return u.L.T(key)
	}
	return fallback
}

func (u *UI) money(a money.Amount) string {
	return u.L.Money(a, u.reg.Setup().Currency)
}

func moneyOf(v int64) money.Amount { return money.Amount(v) }

func sortedEntryKeys[E any](m map[int]E) []int {
	out := make([]int, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Ints(out)
	return out
}
