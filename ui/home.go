package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/opentill/opentill/pos"
	"github.com/opentill/opentill/ui/l10n"
)

// tile is one button of the home screen, shown when the operator may run
// any of its operations.
type tile struct {
	key  string
	icon fyne.Resource
	ops  []pos.OpID // any of them; empty = always
	run  func(u *UI)
}

// homeTiles lists the home screen's tiles in order.
func homeTiles(ops *pos.Registry) []tile {
	return []tile{
		{"tile.sell", theme.ContentAddIcon(), []pos.OpID{pos.OpProductSale}, func(u *UI) { u.showSell() }},
		{"tile.return", theme.ContentUndoIcon(), []pos.OpID{pos.OpReturnTransaction, pos.OpReturnProduct}, func(u *UI) { u.showSell(); u.sell.returnByReceipt() }},
		{"tile.recall", theme.HistoryIcon(), []pos.OpID{pos.OpRecall}, func(u *UI) { u.showSell(); u.sell.recall() }},
		customersTile(),
		{"tile.client_book", theme.ListIcon(), []pos.OpID{pos.OpViewClientBook}, func(u *UI) { u.clientBookDialog() }},
		{"tile.products", theme.SearchIcon(), []pos.OpID{pos.OpProductSearch}, func(u *UI) { u.productsDialog() }},
		stockTile(),
		ordersTile(),
		{"tile.price_check", theme.InfoIcon(), []pos.OpID{pos.OpPriceCheck}, func(u *UI) { u.priceCheckDialog() }},
		{"tile.reprint", theme.DocumentPrintIcon(), []pos.OpID{pos.OpReprintReceipt}, func(u *UI) { u.reprint("") }},
		shiftTile(ops),
		reportsTile(),
		journalTile(),
		{"tile.unlock", theme.AccountIcon(), []pos.OpID{pos.OpUnlockOperator}, func(u *UI) { u.unlockDialog() }},
		{"tile.settings", theme.SettingsIcon(), []pos.OpID{pos.OpUnlockOperator}, func(u *UI) { u.settingsDialog() }},
		{"tile.shortcuts", theme.ComputerIcon(), nil, func(u *UI) { u.message(u.L.T("shortcuts.title"), u.L.T("shortcuts.text")) }},
		{"tile.lock", theme.VisibilityOffIcon(), nil, func(u *UI) { u.do(pos.Lock{}, nil) }},
		{"tile.signout", theme.LogoutIcon(), nil, func(u *UI) { u.do(pos.SignOut{}, nil) }},
	}
}

type homeView struct {
	tiles map[string]*widget.Button
}

// homeScreen welcomes the operator and shows a tile for each thing their
// role allows: what they lack is absent, never a button that fails.
func (u *UI) homeScreen() fyne.CanvasObject {
	op, role, _ := u.reg.Operator()
	v := &homeView{tiles: map[string]*widget.Button{}}
	u.home = v
	var objs []fyne.CanvasObject
	for _, t := range homeTiles(u.reg.Operations()) {
		allowed := len(t.ops) == 0
		for _, id := range t.ops {
			if u.reg.Can(id) {
				allowed = true
			}
		}
		if !allowed {
			continue
		}
		t := t
		b := widget.NewButtonWithIcon(u.L.T(t.key), t.icon, func() { t.run(u) })
		if t.key == "tile.sell" {
			b.Importance = widget.HighImportance
		}
		v.tiles[t.key] = b
		objs = append(objs, container.NewGridWrap(fyne.NewSize(220, 96), b))
	}
	cols := 4
	if u.stacked() {
		cols = 2
	}
	welcome := widget.NewLabelWithStyle(u.L.T("home.welcome", l10n.Data{"Name": op.Name}), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	welcome.SizeName = theme.SizeNameHeadingText
	roleLbl := widget.NewLabel(u.L.T("home.role", l10n.Data{"Role": u.roleName(role.ID, role.Name)}))
	hint := widget.NewLabel(u.L.T("home.hint"))
	return container.NewBorder(u.statusBar(), nil, nil, nil,
		container.NewCenter(container.NewVBox(welcome, roleLbl, hint, container.NewGridWithColumns(cols, objs...))))
}

// Tile returns a home tile by message key, or nil when it is not shown.
func (u *UI) Tile(key string) *widget.Button {
	if u.home == nil {
		return nil
	}
	return u.home.tiles[key]
}

func (u *UI) showHome() {
	u.sell, u.pay = nil, nil
	u.show("home", u.homeScreen())
}

// statusBar shows the store, register and operator.
func (u *UI) statusBar() fyne.CanvasObject { return u.statusBarWith(nil) }

// statusBarWith is the status bar with a button at its right end.
func (u *UI) statusBarWith(right fyne.CanvasObject) fyne.CanvasObject {
	if b := u.devicesButton(); b != nil { // virtual devices on a narrow till
		if right == nil {
			right = b
		} else {
			right = container.NewHBox(b, right)
		}
	}
	right = u.withSyncIndicator(right) // the store-server status, when the till syncs
	s := u.reg.Setup()
	op, _, _ := u.reg.Operator()
	lbl := widget.NewLabel(u.L.T("status.bar", l10n.Data{"Store": s.StoreName, "Terminal": s.TerminalID, "Name": op.Name}))
	lbl.Truncation = fyne.TextTruncateEllipsis
	if right == nil {
		return container.NewVBox(lbl, widget.NewSeparator())
	}
	return container.NewVBox(container.NewBorder(nil, nil, nil, right, lbl), widget.NewSeparator())
}
