package ui

import (
	"context"
	"runtime/debug"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/opentill/opentill/pos"
	"github.com/opentill/opentill/ui/l10n"
)

// focusEntry is an entry that reports when it gains focus, so the number
// pad types into the field last touched.
type focusEntry struct {
	widget.Entry
	onFocus func()
}

func newFocusEntry(password bool) *focusEntry {
	e := &focusEntry{}
	e.Password = password
	e.ExtendBaseWidget(e)
	return e
}

func (e *focusEntry) FocusGained() {
	e.Entry.FocusGained()
	if e.onFocus != nil {
		e.onFocus()
	}
}

type signinView struct {
	id, secret *focusEntry
	target     *focusEntry
	pad        *Numpad
	status     *widget.Label
	button     *widget.Button
}

// signInScreen: operator ID and password/PIN with an on-screen number pad,
// the store and register, the lockout message and, in demo mode, the demo
// credentials.
func (u *UI) signInScreen() fyne.CanvasObject {
	s := u.reg.Setup()
	v := &signinView{}
	u.signin = v
	v.id = newFocusEntry(false)
	v.id.SetPlaceHolder(u.L.T("signin.operator"))
	v.secret = newFocusEntry(true)
	v.secret.SetPlaceHolder(u.L.T("signin.secret"))
	v.target = v.id
	v.id.onFocus = func() { v.target = v.id }
	v.secret.onFocus = func() { v.target = v.secret }
	v.status = widget.NewLabel("")
	v.status.Wrapping = fyne.TextWrapWord
	v.status.Importance = widget.DangerImportance
	locked := false
	if op, _, ok := u.reg.Operator(); ok && u.reg.Locked() {
		locked = true
		v.id.SetText(op.ID)
		v.target = v.secret
		v.status.SetText(u.L.T("signin.locked_by", l10n.Data{"Name": op.Name}))
		v.status.Importance = widget.WarningImportance
	}
	submit := func() { u.submitSignIn() }
	v.id.OnSubmitted = func(string) { u.win.Canvas().Focus(v.secret) }
	v.secret.OnSubmitted = func(string) { submit() }
	v.button = widget.NewButtonWithIcon(u.L.T("signin.button"), theme.LoginIcon(), submit)
	v.button.Importance = widget.HighImportance
	v.pad = NewNumpad(u.L.T("numpad.enter"), nil)
	v.pad.OnKey = func(k string) {
		e := v.target
		switch k {
		case "C":
			e.SetText("")
		case KeyBack:
			if t := e.Text; t != "" {
				e.SetText(t[:len(t)-1])
			}
		default:
			e.SetText(e.Text + k)
		}
	}
	v.pad.OnEnter = func(string, PadMode) {
		if v.target == v.id {
			v.target = v.secret
			u.win.Canvas().Focus(v.secret)
			return
		}
		submit()
	}
	title := canvas.NewText(u.L.T("app.title"), theme.Color(theme.ColorNamePrimary))
	title.TextSize = 34
	title.TextStyle.Bold = true
	store := widget.NewLabelWithStyle(u.L.T("signin.store", l10n.Data{"Store": s.StoreName, "Terminal": s.TerminalID}), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	form := container.NewVBox(
		title, store,
		widget.NewLabel(u.L.T("signin.operator")), v.id,
		widget.NewLabel(u.L.T("signin.secret")), v.secret,
		v.button, v.status,
	)
	var demo fyne.CanvasObject = layout.NewSpacer()
	if len(u.cfg.Demo) > 0 {
		rows := []fyne.CanvasObject{widget.NewLabelWithStyle(u.L.T("signin.demo_title"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})}
		for _, c := range u.cfg.Demo {
			c := c
			b := widget.NewButton(u.L.T("signin.demo_row", l10n.Data{"ID": c.ID, "PIN": c.PIN, "Name": c.Name, "Role": u.roleName(c.Role, c.Role)}), func() {
				if !locked {
					v.id.SetText(c.ID)
				}
				v.secret.SetText(c.PIN)
			})
			b.Alignment = widget.ButtonAlignLeading
			b.Importance = widget.LowImportance
			rows = append(rows, b)
		}
		demo = widget.NewCard("", "", container.NewVBox(rows...))
	}
	padBox := container.NewGridWrap(fyne.NewSize(320, 300), v.pad)
	var body fyne.CanvasObject
	if u.stacked() {
		body = container.NewVBox(form, container.NewCenter(padBox), demo)
	} else {
		body = container.NewHBox(
			container.NewGridWrap(fyne.NewSize(420, 520), form),
			container.NewVBox(padBox, demo),
		)
	}
	return container.NewCenter(container.NewPadded(body))
}

func (u *UI) showSignIn() {
	u.sell, u.pay = nil, nil
	u.show("signin", u.signInScreen())
	u.win.Canvas().Focus(u.signin.target)
}

func (u *UI) submitSignIn() {
	v := u.signin
	wasLocked := u.reg.Locked()
	u.touch()
	_, err := u.reg.Do(context.Background(), pos.SignIn{OperatorID: v.id.Text, Secret: v.secret.Text})
	u.events.Flush()
	if err != nil {
		v.secret.SetText("")
		v.status.Importance = widget.DangerImportance
		v.status.SetText(u.L.Error(err))
		u.win.Canvas().Focus(v.secret)
		return
	}
	u.operatorLanguage()
	// argon2id needs tens of MB per check: hand that garbage back to the
	// system now rather than keep it in an idle till's resident memory.
	u.cfg.Go(debug.FreeOSMemory)
	if wasLocked && u.reg.Cart() != nil {
		u.showSell()
		return
	}
	if u.needsShift() {
		u.showShift() // open a new shift, resume one or continue without a drawer
		return
	}
	u.showHome()
}
