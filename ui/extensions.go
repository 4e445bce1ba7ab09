package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/opentill/opentill/pos"
	"github.com/opentill/opentill/pos/prompt"
	"github.com/opentill/opentill/pos/till/devices"
	"github.com/opentill/opentill/ui/l10n"
)

// Extensions' screens: an extension describes a question or a panel as data
// (pos/prompt); the till draws it here, in the operator's language, with the
// keys every dialog has (Enter presses the first button that does not
// cancel, Escape the cancel button).

// askExtension shows an extension's question about op; the answer sends op
// again with it, continuing with ok.
func (u *UI) askExtension(op pos.Operation, q *pos.Question, ok func(pos.Result)) {
	u.showPanel(q.Panel, func(a prompt.Answers) {
		u.do(pos.Answered{Op: op, Extension: q.Extension, Answers: a}, ok)
	})
}

// showResultPanel shows the panel a custom operation returned, if any.
func (u *UI) showResultPanel(res pos.Result) {
	if res.Panel != nil {
		u.showPanel(*res.Panel, nil)
	}
}

// showPanel draws a panel as a dialog. answer gets the operator's answers;
// nil for a panel that only shows something (its buttons close it, or run
// the operation they name).
func (u *UI) showPanel(p prompt.Panel, answer func(prompt.Answers)) {
	lang := u.L.Lang
	var rows []fyne.CanvasObject
	if m := p.Message.In(lang); m != "" {
		lbl := widget.NewLabel(m)
		lbl.Wrapping = fyne.TextWrapWord
		rows = append(rows, lbl)
	}
	if len(p.Items) > 0 {
		list := container.NewGridWithColumns(2)
		for _, it := range p.Items {
			k := widget.NewLabel(it.Label.In(lang))
			k.TextStyle.Bold = true
			list.Add(k)
			list.Add(widget.NewLabel(it.Value.In(lang)))
		}
		rows = append(rows, list)
	}
	values := map[string]func() string{}
	if len(p.Fields) > 0 {
		form := widget.NewForm()
		for _, f := range p.Fields {
			switch f.Kind {
			case prompt.ChoiceField:
				labels := make([]string, len(f.Options))
				byLabel := map[string]string{}
				for i, o := range f.Options {
					labels[i] = o.Label.In(lang)
					byLabel[labels[i]] = o.Value
				}
				sel := widget.NewSelect(labels, nil)
				values[f.ID] = func() string { return byLabel[sel.Selected] }
				form.Append(f.Label.In(lang), sel)
			default:
				e := widget.NewEntry()
				values[f.ID] = func() string { return strings.TrimSpace(e.Text) }
				form.Append(f.Label.In(lang), e)
			}
		}
		rows = append(rows, form)
	}
	problem := widget.NewLabel("")
	problem.Wrapping = fyne.TextWrapWord
	problem.Importance = widget.DangerImportance
	problem.Hide()
	rows = append(rows, problem)

	var d *dialog.CustomDialog
	press := func(b prompt.Button) {
		a := prompt.Answers{prompt.ButtonKey: b.ID}
		for id, get := range values {
			a[id] = get()
		}
		if answer != nil {
			if err := p.Check(a); err != nil {
				problem.SetText(u.L.T("extension.answer_incomplete", l10n.Data{"Problem": err.Error()}))
				problem.Show()
				return
			}
		}
		d.Hide()
		switch {
		case b.Op != 0:
			if spec, ok := u.reg.Operations().Spec(pos.OpID(b.Op)); ok && spec.New() != nil {
				u.do(spec.New(), u.showResultPanel)
			}
		case answer != nil:
			answer(a)
		}
	}
	var buttons []fyne.CanvasObject
	var ok, cancel func()
	for _, b := range p.Buttons {
		b := b
		btn := widget.NewButton(b.Label.In(lang), func() { press(b) })
		if b.Cancel {
			btn.Importance = widget.LowImportance
			if cancel == nil {
				cancel = func() { press(b) }
			}
		} else {
			if ok == nil {
				btn.Importance = widget.HighImportance
				ok = func() { press(b) }
			}
		}
		buttons = append(buttons, btn)
	}
	rows = append(rows, container.NewGridWithColumns(len(buttons), buttons...))
	d = dialog.NewCustomWithoutButtons(p.Title.In(lang), container.NewGridWrap(fyne.NewSize(460, panelHeight(rows)), container.NewVBox(rows...)), u.win)
	u.setDialog(d)
	u.dialogOK, u.dialogCancel = ok, cancel
	if cancel == nil {
		u.dialogCancel = func() { d.Hide() }
	}
	u.extPanel = &p
}

// panelHeight is the height a panel's rows need.
func panelHeight(rows []fyne.CanvasObject) float32 {
	var h float32
	for _, r := range rows {
		if r.Visible() {
			h += r.MinSize().Height + theme.Padding()
		}
	}
	return h + 2*theme.Padding() + 40 // room for a problem shown later
}

// Panel returns the extension panel shown last, for tests.
func (u *UI) ExtensionPanel() *prompt.Panel { return u.extPanel }

// extensionOff shows that an extension failed and is off for the session.
func (u *UI) extensionOff(e pos.Event) {
	text := u.L.T("extension.off", l10n.Data{"Extension": e.Extension})
	if !e.Disabled {
		text = u.L.T("extension.refused", l10n.Data{"Extension": e.Extension})
	}
	u.extensionBanner(devices.Device("extension "+e.Extension), text)
}

// extensionBanner shows a dismissable warning banner about extensions,
// replacing the one under the same name.
func (u *UI) extensionBanner(dev devices.Device, text string) {
	u.ensureBanner()
	if u.notices == nil {
		u.notices = map[devices.Device]*noticeBanner{}
	}
	nb := &noticeBanner{text: widget.NewLabel(text)}
	nb.text.Wrapping = fyne.TextWrapWord
	dismiss := widget.NewButtonWithIcon("", theme.CancelIcon(), func() { u.dropNotice(dev) })
	dismiss.Importance = widget.LowImportance
	nb.box = container.NewBorder(nil, nil, widget.NewIcon(theme.WarningIcon()), dismiss, nb.text)
	u.notices[dev] = nb
	if !containsDevice(u.extNotices, dev) {
		u.extNotices = append(u.extNotices, dev)
	}
	u.renderNotices()
}

// receiptExtrasLost says on a banner that a receipt's extension lines were
// not kept, so its reprint will lack them.
func (u *UI) receiptExtrasLost(e pos.Event) {
	no := ""
	if e.Cart != nil {
		no = e.Cart.ReceiptNo
	}
	u.extensionBanner("extension receipt lines", u.L.T("extension.receipt_not_kept", l10n.Data{"Receipt": no}))
}

// ExtensionNotice returns the banner text about an extension, for tests.
func (u *UI) ExtensionNotice(id string) string {
	return u.NoticeText(devices.Device("extension " + id))
}

func containsDevice(list []devices.Device, d devices.Device) bool {
	for _, x := range list {
		if x == d {
			return true
		}
	}
	return false
}
