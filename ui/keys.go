package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"
)

// Keyboard operation of dialogs. A till without a touch screen must reach
// every outcome of every dialog by keys: Enter confirms, Escape cancels, and
// in a form Enter moves from one field to the next (the last one confirms).
// A focused entry receives every key, so the dialogs' entries are fields
// that pass Enter and Escape on to the dialog; with no entry focused the
// canvas does (onKey).

// field is an entry of a dialog: Escape cancels the dialog; Enter moves to
// the next field, or confirms the dialog from the last one, unless the
// entry has its own OnSubmitted.
type field struct {
	widget.Entry
	u    *UI
	next fyne.Focusable
}

// newField returns an empty field of a dialog.
func (u *UI) newField() *field {
	f := &field{u: u}
	f.ExtendBaseWidget(f)
	return f
}

// newSecretField returns a field whose text is hidden (PINs, passwords).
func (u *UI) newSecretField() *field {
	f := &field{u: u}
	f.Password = true
	f.ExtendBaseWidget(f)
	return f
}

// TypedKey passes Enter and Escape on to the dialog the field is in.
func (f *field) TypedKey(k *fyne.KeyEvent) {
	switch k.Name {
	case fyne.KeyEscape:
		if f.u.dialog != nil {
			f.u.dismissDialog()
			return
		}
	case fyne.KeyReturn, fyne.KeyEnter:
		if f.OnSubmitted == nil && !f.MultiLine {
			if f.next != nil {
				f.u.win.Canvas().Focus(f.next)
				return
			}
			if f.u.dialog != nil {
				f.u.confirmDialog()
				return
			}
		}
	}
	f.Entry.TypedKey(k)
}

// chain makes Enter in each field move to the next one.
func chain(fs ...*field) {
	for i := 0; i+1 < len(fs); i++ {
		fs[i].next = fs[i+1]
	}
}

// confirmDialog is Enter on the dialog on show: its affirmative action, or,
// for a dialog that only informs, closing it.
func (u *UI) confirmDialog() {
	switch d := u.dialog.(type) {
	case nil:
	case *dialog.ConfirmDialog:
		d.Confirm()
	case *dialog.FormDialog:
		d.Submit()
	default:
		if u.dialogOK != nil {
			u.dialogOK()
			return
		}
		if u.dialogCancel != nil {
			return // a dialog whose only button cancels (waiting for the scale)
		}
		d.Dismiss()
	}
}

// dismissDialog is Escape on the dialog on show: it closes without its
// affirmative action.
func (u *UI) dismissDialog() {
	if u.dialog == nil {
		return
	}
	if u.dialogCancel != nil {
		u.dialogCancel()
		return
	}
	u.dialog.Dismiss()
}

// dialogKey handles Enter and Escape for the dialog on show when no entry
// has focus, and reports whether it did.
func (u *UI) dialogKey(name fyne.KeyName) bool {
	if u.waiting > 0 {
		return true // a card payment is under way: no key may leave its screen
	}
	if u.dialog == nil {
		return false
	}
	switch name {
	case fyne.KeyEscape:
		u.dismissDialog()
	case fyne.KeyReturn, fyne.KeyEnter:
		u.confirmDialog()
	default:
		return false
	}
	return true
}
