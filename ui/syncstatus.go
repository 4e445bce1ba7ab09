package ui

// The till's link to its store server on screen: the connectivity indicator
// in the header (online / offline / degraded, transactions waiting, sync
// progress), its detail dialog with "Sync now", and the stock of a product
// in the sister stores. The settings screen is in settings.go.

import (
	"context"
	"errors"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/opentill/opentill/pos"
	"github.com/opentill/opentill/pos/catalog"
	"github.com/opentill/opentill/pos/poserr"
	"github.com/opentill/opentill/pos/till"
	"github.com/opentill/opentill/ui/l10n"
)

// availabilityTimeout bounds the wait for the stock in other stores.
const availabilityTimeout = 10 * time.Second

// syncState is the UI's sync state.
type syncState struct {
	sync       till.Sync
	syncOff    string // message key: why this till runs without sync ("" = it syncs, or sync is off by choice)
	syncStatus till.SyncStatus
	syncCancel func()
	indicator  *widget.Button // in the header of every screen
	syncDetail *syncDetailView
	settings   *syncSettingsView
	stock      *stockView // the stock section of the product dialog on show
}

// syncDetailView is the indicator's dialog.
type syncDetailView struct {
	text, last, detail *widget.Label
	syncNow            *widget.Button
	parked             *widget.Button // the refused records (managers)
}

// stockView is the "stock in other stores" part of the product dialog.
type stockView struct {
	button *widget.Button
	result *widget.Label
}

// SetSync connects the screens to the till's sync with its store server
// (offline/synclink adapts the engine): the header shows its status from
// now on. Call it once, before Start or after.
func (u *UI) SetSync(s till.Sync) {
	if u.syncCancel != nil {
		u.syncCancel()
		u.syncCancel = nil
	}
	u.sync, u.syncOff = s, ""
	u.ensureIndicator()
	if s == nil {
		return
	}
	u.syncCancel = s.Subscribe(func(st till.SyncStatus) { u.post(func() { u.renderSync(st) }) })
}

// SetSyncOff shows that this till runs without sync and why: key is the
// message shown when the indicator is tapped (e.g. "sync.locked" when
// another process syncs the data folder).
func (u *UI) SetSyncOff(key string) {
	if u.syncCancel != nil {
		u.syncCancel()
		u.syncCancel = nil
	}
	u.sync, u.syncOff = nil, key
	u.ensureIndicator()
	u.renderSync(till.SyncStatus{})
	if u.screen != "" { // started: say it now, not only behind the indicator
		u.message(u.L.T("sync.title"), u.L.T(key))
	}
}

// SyncStatus returns the sync status last shown.
func (u *UI) SyncStatus() till.SyncStatus { return u.syncStatus }

// SyncIndicator returns the header's sync indicator (nil without sync).
func (u *UI) SyncIndicator() *widget.Button {
	if u.sync == nil && u.syncOff == "" {
		return nil
	}
	return u.indicator
}

func (u *UI) ensureIndicator() {
	if u.indicator == nil {
		u.indicator = widget.NewButtonWithIcon("", theme.ViewRefreshIcon(), func() { u.syncDetailDialog() })
	}
}

// withSyncIndicator puts the sync indicator before the status bar's right
// end (right may be nil); without sync it returns right unchanged.
func (u *UI) withSyncIndicator(right fyne.CanvasObject) fyne.CanvasObject {
	ind := u.SyncIndicator()
	if ind == nil {
		return right
	}
	u.paintIndicator() // in the language of the operator now signed in
	if right == nil {
		return ind
	}
	return container.NewHBox(ind, right)
}

// syncSummary is the indicator's text, importance and icon for a status.
func (u *UI) syncSummary(s till.SyncStatus) (string, widget.Importance, fyne.Resource) {
	if u.sync == nil {
		return u.L.T("sync.state.off"), widget.DangerImportance, theme.CancelIcon()
	}
	var state string
	imp, icon := widget.DangerImportance, theme.CancelIcon()
	switch {
	case !s.Activated:
		state, imp, icon = u.L.T("sync.state.not_activated"), widget.WarningImportance, theme.WarningIcon()
	case s.State == till.SyncOnline:
		state, imp, icon = u.L.T("sync.state.online"), widget.SuccessImportance, theme.ConfirmIcon()
	case s.State == till.SyncDegraded:
		state, imp, icon = u.L.T("sync.state.degraded"), widget.WarningImportance, theme.WarningIcon()
	default:
		state = u.L.T("sync.state.offline")
	}
	text := state + " · " + u.L.N("sync.pending", int(s.Pending))
	if s.Parked > 0 {
		// records the server refused: a person must look (posctl sync parked)
		text += " · " + u.L.N("sync.parked", int(s.Parked))
		imp, icon = widget.WarningImportance, theme.WarningIcon()
	}
	if s.Syncing {
		icon = theme.ViewRefreshIcon()
		text += " · " + u.syncProgress(s)
	}
	return text, imp, icon
}

// syncProgress says what a running pass does.
func (u *UI) syncProgress(s till.SyncStatus) string {
	if s.Dataset == "" {
		return u.L.T("sync.syncing")
	}
	ds := s.Dataset
	if key := "sync.dataset." + ds; u.L.Has(key) {
		ds = u.L.T(key)
	}
	if s.Total > 0 {
		pct := s.Done * 100 / s.Total
		return u.L.T("sync.progress", l10n.Data{"Dataset": ds, "Percent": u.L.Int(pct)})
	}
	return u.L.T("sync.progress_count", l10n.Data{"Dataset": ds, "Done": u.L.Int(s.Done)})
}

// renderSync shows a status in the header, the detail dialog and the
// settings screen (on the UI goroutine).
func (u *UI) renderSync(s till.SyncStatus) {
	u.syncStatus = s
	if u.indicator == nil {
		return
	}
	u.paintIndicator()
	if d := u.syncDetail; d != nil {
		d.text.SetText(u.syncExplain(s))
		d.last.SetText(u.syncLast(s))
		d.detail.SetText(u.syncDetailText(s))
	}
	if v := u.settings; v != nil && u.screen == "settings" {
		v.renderStatus(s)
	}
}

// paintIndicator shows the last status on the header's indicator.
func (u *UI) paintIndicator() {
	text, imp, icon := u.syncSummary(u.syncStatus)
	u.indicator.SetText(text)
	u.indicator.SetIcon(icon)
	u.indicator.Importance = imp
	u.indicator.Refresh()
}

// syncExplain is a sentence on the state: what it means for selling.
func (u *UI) syncExplain(s till.SyncStatus) string {
	switch {
	case u.sync == nil:
		if u.syncOff != "" {
			return u.L.T(u.syncOff)
		}
		return u.L.T("sync.explain.off")
	case !s.Activated:
		return u.L.T("sync.explain.not_activated")
	case s.State == till.SyncOnline:
		return u.L.T("sync.explain.online", l10n.Data{"Server": s.Server})
	case s.State == till.SyncDegraded:
		return u.L.T("sync.explain.degraded", l10n.Data{"Server": s.Server})
	}
	return u.L.T("sync.explain.offline", l10n.Data{"Server": s.Server})
}

// syncLast says when the till last synced.
func (u *UI) syncLast(s till.SyncStatus) string {
	if s.LastSync.IsZero() {
		return u.L.T("sync.last_never")
	}
	return u.L.T("sync.last", l10n.Data{"Time": u.L.DateTime(s.LastSync)})
}

// syncDetailText is the technical detail of the last failure ("" after a
// good pass): the engine's own words, for whoever looks after the till.
func (u *UI) syncDetailText(s till.SyncStatus) string {
	if s.LastError == "" {
		return ""
	}
	return u.L.T("sync.last_error", l10n.Data{"Error": s.LastError})
}

// syncDetailDialog is the indicator's dialog: the state, transactions
// waiting, the last sync and the last error, and "Sync now".
func (u *UI) syncDetailDialog() {
	u.touch()
	s := u.syncStatus
	d := &syncDetailView{
		text:   widget.NewLabel(u.syncExplain(s)),
		last:   widget.NewLabel(u.syncLast(s)),
		detail: widget.NewLabel(u.syncDetailText(s)),
	}
	d.text.Wrapping = fyne.TextWrapWord
	d.detail.Wrapping = fyne.TextWrapWord
	d.detail.TextStyle = fyne.TextStyle{Italic: true}
	d.syncNow = widget.NewButtonWithIcon(u.L.T("sync.now"), theme.ViewRefreshIcon(), func() { u.syncNow() })
	d.syncNow.Importance = widget.HighImportance
	items := []fyne.CanvasObject{d.text, d.last, d.detail}
	if u.sync == nil {
		d.syncNow.Disable()
	}
	items = append(items, d.syncNow)
	if pr, ok := u.sync.(till.ParkedRecords); ok && s.Parked > 0 && u.isManager() {
		d.parked = widget.NewButtonWithIcon(u.L.N("sync.parked", int(s.Parked)), theme.WarningIcon(), func() { u.parkedDialog(pr) })
		items = append(items, d.parked)
	}
	dlg := dialog.NewCustom(u.L.T("sync.title"), u.L.T("button.close"), container.NewVBox(items...), u.win)
	dlg.Resize(fyne.NewSize(520, 320))
	u.syncDetail = d
	u.setDialog(dlg)
	dlg.SetOnClosed(func() {
		if u.dialog == dlg {
			u.dialog = nil
		}
		if u.syncDetail == d {
			u.syncDetail = nil
		}
		u.focusScan()
	})
}

// syncNow asks the engine for a pass now.
func (u *UI) syncNow() {
	u.touch()
	if u.sync != nil {
		u.sync.SyncNow()
	}
}

// syncErrorText translates a failure of the store server or of activation.
func (u *UI) syncErrorText(err error) string {
	if p, ok := till.SyncProblemOf(err); ok {
		if key := syncProblemKeys[p]; key != "" {
			return u.L.T(key)
		}
	}
	var pe *poserr.Error
	if errors.As(err, &pe) {
		return u.L.Error(err)
	}
	return u.L.T("sync.error.other")
}

// syncProblemKeys are the messages of the store server's problems.
var syncProblemKeys = map[till.SyncProblem]string{
	till.ProblemUnreachable:  "sync.error.unreachable",
	till.ProblemServerFault:  "sync.error.server_fault",
	till.ProblemBadReply:     "sync.error.bad_reply",
	till.ProblemRefused:      "sync.error.refused",
	till.ProblemBadCode:      "sync.error.bad_code",
	till.ProblemDeactivated:  "sync.error.deactivated",
	till.ProblemUnauthorized: "sync.error.unauthorized",
	till.ProblemLocked:       "sync.locked",
}

// stockSection is the product dialog's "stock in other stores" (nil
// without sync). It asks the server only when tapped, and says plainly
// when the server cannot be reached.
func (u *UI) stockSection(p catalog.Product) fyne.CanvasObject {
	if u.sync == nil {
		return nil
	}
	v := &stockView{result: widget.NewLabel("")}
	v.result.Wrapping = fyne.TextWrapWord
	v.button = widget.NewButtonWithIcon(u.L.T("sync.stock.button"), theme.StorageIcon(), nil)
	v.button.OnTapped = func() {
		u.touch()
		v.button.Disable()
		v.result.SetText(u.L.T("sync.stock.asking"))
		u.cfg.Go(func() {
			ctx, cancel := context.WithTimeout(context.Background(), availabilityTimeout)
			res, err := u.reg.Do(ctx, pos.StockElsewhere{ProductID: p.ID})
			cancel()
			u.post(func() {
				v.button.Enable()
				v.result.SetText(u.stockText(p, res.Stock, err))
			})
		})
	}
	u.stock = v
	// room for the answer up front: a dialog does not grow when a label does
	return container.NewVBox(widget.NewSeparator(), v.button, container.NewGridWrap(fyne.NewSize(440, 100), v.result))
}

// stockText renders the stock of a product per store, or why it is unknown.
func (u *UI) stockText(p catalog.Product, stock []pos.StoreStock, err error) string {
	if err != nil {
		if poserr.KindOf(err) == poserr.Offline {
			return u.L.T("sync.stock.offline")
		}
		return u.syncErrorText(err)
	}
	if len(stock) == 0 {
		return u.L.T("sync.stock.none")
	}
	here := u.reg.Setup().StoreID
	var out string
	for i, s := range stock {
		if i > 0 {
			out += "\n"
		}
		name := s.StoreName
		if name == "" {
			name = s.StoreID
		}
		key := "sync.stock.row"
		if s.StoreID == here {
			key = "sync.stock.row_here"
		}
		out += u.L.T(key, l10n.Data{"Store": name, "Qty": u.L.Qty(s.OnHand, p.UnitDecimals()), "Unit": p.Unit})
	}
	return out
}

// isManager reports whether the signed-in operator's role is a manager's.
func (u *UI) isManager() bool {
	_, role, ok := u.reg.Operator()
	return ok && role.Manager
}

// parkedDialog lists the records the store server refused (parked: kept,
// not sent again), each with its reason and "Send again".
func (u *UI) parkedDialog(pr till.ParkedRecords) {
	recs, err := pr.Parked(context.Background())
	if err != nil {
		u.showError(err)
		return
	}
	box := container.NewVBox(widget.NewLabel(u.L.T("sync.parked_intro")))
	for _, r := range recs {
		r := r
		what := u.L.T("sync.parked_row", l10n.Data{"Kind": r.Kind, "Time": u.L.DateTime(r.Created), "ID": r.ID})
		reason := widget.NewLabel(r.Reason)
		reason.Wrapping = fyne.TextWrapWord
		reason.TextStyle = fyne.TextStyle{Italic: true}
		var again *widget.Button
		again = widget.NewButtonWithIcon(u.L.T("sync.parked_again"), theme.ViewRefreshIcon(), func() {
			if err := pr.Requeue(context.Background(), r.ID); err != nil {
				u.showError(err)
				return
			}
			again.SetText(u.L.T("sync.parked_queued"))
			again.Disable()
		})
		box.Add(container.NewBorder(nil, nil, nil, again, widget.NewLabelWithStyle(what, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})))
		box.Add(reason)
		box.Add(widget.NewSeparator())
	}
	d := dialog.NewCustom(u.L.T("sync.parked_title"), u.L.T("button.close"), container.NewVScroll(box), u.win)
	d.Resize(u.dialogSize(720, 480))
	u.setDialog(d)
}
