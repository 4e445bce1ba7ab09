package ui

// The store-server settings screen: the server URL and a one-time
// activation code (managers, from the Settings tile), the sync status and
// "Sync now".

import (
	"context"
	"net/url"
	"os"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/opentill/opentill/pos"
	"github.com/opentill/opentill/pos/till"
	"github.com/opentill/opentill/ui/l10n"
)

// activateTimeout bounds an activation call.
const activateTimeout = 30 * time.Second

// syncSettingsView is the store-server settings screen.
type syncSettingsView struct {
	u              *UI
	url, code      *widget.Entry
	connect, sync  *widget.Button
	status, last   *widget.Label
	result, detail *widget.Label
	busy           bool
}

// syncSettingsItems are the settings dialog's entries for the store server
// (none without sync).
func (u *UI) syncSettingsItems() []fyne.CanvasObject {
	if u.sync == nil && u.syncOff == "" {
		return nil
	}
	b := widget.NewButtonWithIcon(u.L.T("settings.server.open"), theme.StorageIcon(), func() { u.showSyncSettings() })
	return []fyne.CanvasObject{widget.NewSeparator(),
		widget.NewLabelWithStyle(u.L.T("settings.server"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), b}
}

// showSyncSettings shows the store-server settings screen (managers only:
// the same permission as the Settings tile).
func (u *UI) showSyncSettings() {
	if !u.reg.Can(pos.OpUnlockOperator) {
		u.message(u.L.T("error.title.not_permitted"), u.L.T("error.kind.not_permitted"))
		return
	}
	u.sell, u.pay = nil, nil
	u.show("settings", u.syncSettingsScreen())
}

func (u *UI) syncSettingsScreen() fyne.CanvasObject {
	v := &syncSettingsView{u: u,
		url: widget.NewEntry(), code: widget.NewEntry(),
		status: widget.NewLabel(""), last: widget.NewLabel(""),
		result: widget.NewLabel(""), detail: widget.NewLabel("")}
	u.settings = v
	v.url.SetPlaceHolder("http://127.0.0.1:8640")
	v.url.SetText(u.syncStatus.Server)
	v.code.SetPlaceHolder("XXXX-XXXX-XXXX")
	v.code.OnSubmitted = func(string) { v.activate() }
	for _, l := range []*widget.Label{v.status, v.result, v.detail} {
		l.Wrapping = fyne.TextWrapWord
	}
	v.detail.TextStyle = fyne.TextStyle{Italic: true}
	v.connect = widget.NewButtonWithIcon(u.L.T("settings.server.activate"), theme.ConfirmIcon(), func() { v.activate() })
	v.connect.Importance = widget.HighImportance
	v.sync = widget.NewButtonWithIcon(u.L.T("sync.now"), theme.ViewRefreshIcon(), func() { u.syncNow() })
	if u.sync == nil {
		v.url.Disable()
		v.code.Disable()
		v.connect.Disable()
		v.sync.Disable()
	}
	form := widget.NewForm(
		widget.NewFormItem(u.L.T("settings.server.url"), v.url),
		widget.NewFormItem(u.L.T("settings.server.code"), v.code),
	)
	hint := widget.NewLabel(u.L.T("settings.server.hint"))
	hint.Wrapping = fyne.TextWrapWord
	title := widget.NewLabelWithStyle(u.L.T("settings.server.title"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	title.SizeName = theme.SizeNameHeadingText
	home := widget.NewButtonWithIcon(u.L.T("button.home"), theme.HomeIcon(), func() { u.showHome() })
	statusTitle := widget.NewLabelWithStyle(u.L.T("sync.title"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	body := container.NewVBox(hint, form, container.NewHBox(v.connect), v.result,
		widget.NewSeparator(), statusTitle, v.status, v.last, v.detail, container.NewHBox(v.sync))
	v.renderStatus(u.syncStatus)
	width := float32(720)
	if u.stacked() {
		width = 700
	}
	return container.NewBorder(container.NewVBox(u.statusBarWith(home), title), nil, nil, nil,
		container.NewVScroll(container.NewCenter(container.NewGridWrap(fyne.NewSize(width, 560), body))))
}

// renderStatus shows the sync status on the settings screen.
func (v *syncSettingsView) renderStatus(s till.SyncStatus) {
	u := v.u
	text, _, _ := u.syncSummary(s)
	v.status.SetText(text + "\n" + u.syncExplain(s))
	v.last.SetText(u.syncLast(s))
	v.detail.SetText(u.syncDetailText(s))
	if v.url.Text == "" && s.Server != "" {
		v.url.SetText(s.Server)
	}
}

// activate registers the till with the server with the code entered.
func (v *syncSettingsView) activate() {
	u := v.u
	u.touch()
	if v.busy || u.sync == nil {
		return
	}
	raw := strings.TrimSpace(v.url.Text)
	code := strings.TrimSpace(v.code.Text)
	// One URL, or several of server processes on one database (the till
	// fails over between them).
	urls := till.ServerURLs(raw)
	ok := len(urls) > 0
	for _, r := range urls {
		if pu, err := url.Parse(r); err != nil || (pu.Scheme != "http" && pu.Scheme != "https") || pu.Host == "" {
			ok = false
		}
	}
	if !ok {
		v.result.SetText(u.L.T("sync.error.url"))
		return
	}
	if code == "" {
		v.result.SetText(u.L.T("sync.error.no_code"))
		return
	}
	v.busy = true
	v.connect.Disable()
	v.result.SetText(u.L.T("settings.server.activating"))
	s := u.sync
	name := deviceName(u.reg.Setup().TerminalID)
	u.cfg.Go(func() {
		ctx, cancel := context.WithTimeout(context.Background(), activateTimeout)
		act, err := s.Activate(ctx, raw, code, name)
		cancel()
		u.post(func() {
			v.busy = false
			v.connect.Enable()
			if err != nil {
				v.result.SetText(u.syncErrorText(err))
				return
			}
			v.code.SetText("")
			v.result.SetText(u.L.T("settings.server.activated", l10n.Data{"Store": act.StoreID, "Terminal": act.TerminalID}))
		})
	})
}

// deviceName names this till to the server: its register and host.
func deviceName(terminal string) string {
	host, _ := os.Hostname()
	name := "OpenTill " + terminal
	if host != "" {
		name += " on " + host
	}
	return name
}
