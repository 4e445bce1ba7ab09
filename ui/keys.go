package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/opentill/opentill/pos"
	"github.com/opentill/opentill/ui/l10n"
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
		if u.queueScan() {
			return true // a barcode scanner's Enter, not the cashier's
		}
		u.confirmDialog()
	default:
		return false
	}
	return true
}

// Scans while a dialog is open. A keyboard-wedge scanner types its code and
// Enter wherever the keys go; with a dialog on show and no field focused
// they come to the canvas. The code is kept, not dropped and not taken as
// the Enter that confirms the dialog: it is announced on the sell screen and
// sold, in order, once the dialog closes.

// minScan is the shortest code taken for a scan (item IDs have five digits).
const minScan = 3

// dialogRune collects what is typed on a dialog with no field focused.
func (u *UI) dialogRune(r rune) {
	if r > ' ' && len(u.typed) < 64 {
		u.typed = append(u.typed, r)
	}
}

// queueScan takes what was typed before an Enter on a dialog as a scan and
// reports whether there was one.
func (u *UI) queueScan() bool {
	code := string(u.typed)
	u.typed = u.typed[:0]
	if len([]rune(code)) < minScan {
		return false
	}
	u.scans = append(u.scans, code)
	u.showQueued()
	return true
}

// showQueued announces the scans waiting for the dialog to close.
func (u *UI) showQueued() {
	if u.sell == nil || u.sell.queued == nil {
		return
	}
	if len(u.scans) == 0 {
		u.sell.queued.Hide()
		return
	}
	u.sell.queued.SetText(u.L.N("sell.scans_waiting", len(u.scans)) + ": " + strings.Join(u.scans, ", "))
	u.sell.queued.Show()
}

// applyScans sells the scans that arrived while a dialog was open, once the
// sell screen is back with no dialog; elsewhere they wait, announced.
func (u *UI) applyScans() {
	if u.dialog != nil || len(u.scans) == 0 {
		return
	}
	if u.screen != "sell" || u.sell == nil {
		lost := strings.Join(u.scans, ", ")
		u.scans = nil
		u.message(u.L.T("sell.scans_title"), u.L.T("sell.scans_not_added", l10n.Data{"Codes": lost}))
		return
	}
	scans := u.scans
	u.scans = nil
	u.showQueued()
	for _, code := range scans {
		u.sellItem(pos.ProductSale{Barcode: code}, nil)
	}
}
