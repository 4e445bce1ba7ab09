package ui

import (
	"errors"
	"sort"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/opentill/opentill/pos"
	"github.com/opentill/opentill/pos/catalog"
	"github.com/opentill/opentill/pos/inventory"
	"github.com/opentill/opentill/pos/money"
	"github.com/opentill/opentill/pos/till"
	"github.com/opentill/opentill/ui/l10n"
)

// stockScreen is the stock clerk's screen: a product's stock looked up by
// scan (this store offline too, the other stores live or as last heard),
// adjusted with a reason, and the store's stock counts to open or start.
type stockScreen struct {
	tabs *container.AppTabs

	code   *field
	name   *widget.Label
	here   *widget.Label
	others *widget.Label
	adjust *widget.Button
	order  *widget.Button // order the product for pick-up elsewhere or shipping
	info   *pos.InventoryInfo

	counts []inventory.Count
	list   *widget.List
	found  *widget.Label
	open   *widget.Button
	chosen int

	inbound, outbound *docList // the receiving and transfers tabs (docs.go)
}

// countView is a stock count being counted: a large scan field (a scan
// counts one more; a quantity typed first counts that many), the running
// totals, the line just counted and every line of the count.
type countView struct {
	count  inventory.Count
	rows   []countRow // the lines, the last counted first
	scan   *field
	qty    *field
	totals *widget.Label
	last   *widget.Label
	list   *widget.List
	review *widget.Button
}

// countRow is a line of the count as the screen shows it.
type countRow struct {
	line     inventory.CountLine
	name     string
	decimals int
}

// stockTile is the home tile of the stock screen.
func stockTile() tile {
	return tile{"tile.stock", theme.StorageIcon(), []pos.OpID{pos.OpInventoryLookup, pos.OpStockCount, pos.OpStockAdjustment, pos.OpPostStockCount,
		pos.OpInboundOrder, pos.OpOutboundOrder},
		func(u *UI) { u.showStock() }}
}

func (u *UI) showStock() {
	u.sell, u.pay = nil, nil
	u.show("stock", u.stockScreen())
	u.listCounts()
	u.listDocs()
	u.focusScan()
}

// Stock returns the stock screen's view while it is shown, for tests.
func (u *UI) Stock() *stockScreen {
	if u.screen != "stock" {
		return nil
	}
	return u.stockV
}

// Count returns the count being counted while its screen is shown, for tests.
func (u *UI) Count() *countView {
	if u.screen != "count" {
		return nil
	}
	return u.countV
}

func (u *UI) stockScreen() fyne.CanvasObject {
	v := &stockScreen{chosen: -1}
	u.stockV = v
	home := widget.NewButtonWithIcon(u.L.T("button.home"), theme.HomeIcon(), func() { u.showHome() })
	title := widget.NewLabelWithStyle(u.L.T("stock.title"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	var tabs []*container.TabItem
	if u.reg.Can(pos.OpInventoryLookup) { // an adjustment starts from the product looked up
		tabs = append(tabs, container.NewTabItemWithIcon(u.L.T("stock.lookup"), theme.SearchIcon(), u.lookupTab(v)))
	}
	if u.reg.Can(pos.OpStockCount) || u.reg.Can(pos.OpPostStockCount) {
		tabs = append(tabs, container.NewTabItemWithIcon(u.L.T("stock.counts"), theme.ListIcon(), u.countsTab(v)))
	}
	if u.reg.Can(pos.OpInboundOrder) {
		tabs = append(tabs, container.NewTabItemWithIcon(u.L.T("stock.receiving"), theme.DownloadIcon(), u.docTab(v, true)))
	}
	if u.reg.Can(pos.OpOutboundOrder) {
		tabs = append(tabs, container.NewTabItemWithIcon(u.L.T("stock.transfers"), theme.UploadIcon(), u.docTab(v, false)))
	}
	v.tabs = container.NewAppTabs(tabs...)
	v.tabs.OnSelected = func(*container.TabItem) { u.focusScan() }
	return container.NewBorder(container.NewVBox(u.statusBarWith(home), title), nil, nil, nil, v.tabs)
}

// lookupTab is the inventory lookup: scan or type a code, see the stock.
func (u *UI) lookupTab(v *stockScreen) fyne.CanvasObject {
	v.code = u.newField()
	v.code.SetPlaceHolder(u.L.T("stock.code_hint"))
	v.code.OnSubmitted = func(string) { u.lookUp() }
	find := widget.NewButtonWithIcon(u.L.T("stock.find"), theme.SearchIcon(), func() { u.lookUp() })
	find.Importance = widget.HighImportance
	v.name = widget.NewLabelWithStyle(u.L.T("stock.scan_first"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	v.name.Wrapping = fyne.TextWrapWord
	v.here = widget.NewLabel("")
	v.here.Wrapping = fyne.TextWrapWord
	v.others = widget.NewLabel("")
	v.others.Wrapping = fyne.TextWrapWord
	v.adjust = widget.NewButtonWithIcon(u.L.T("stock.adjust"), theme.DocumentCreateIcon(), func() {
		if v.info != nil {
			u.adjustDialog(v.info.Product)
		}
	})
	v.adjust.Disable()
	if !u.reg.Can(pos.OpStockAdjustment) {
		v.adjust.Hide()
	}
	v.order = widget.NewButtonWithIcon(u.L.T("stock.order"), theme.DocumentIcon(), func() {
		if v.info != nil {
			u.orderFromLookup(v.info)
		}
	})
	v.order.Disable()
	if !u.reg.Can(pos.OpCreateOrder) || !u.reg.Can(pos.OpProductSale) {
		v.order.Hide()
	}
	bar := container.NewBorder(nil, nil, nil, find, v.code)
	hereTitle := widget.NewLabelWithStyle(u.L.T("stock.here", l10n.Data{"Store": u.reg.Setup().StoreName}), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	othersTitle := widget.NewLabelWithStyle(u.L.T("stock.elsewhere"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	body := container.NewVBox(v.name, hereTitle, v.here, othersTitle, v.others)
	return container.NewBorder(bar, container.NewHBox(layout.NewSpacer(), v.order, v.adjust), nil, nil, container.NewVScroll(body))
}

// lookUp looks the typed product's stock up.
func (u *UI) lookUp() {
	v := u.Stock()
	if v == nil {
		return
	}
	code := strings.TrimSpace(v.code.Text)
	if code == "" {
		return
	}
	u.do(pos.InventoryLookup{Barcode: code}, func(res pos.Result) {
		if u.stockV != v || res.Inventory == nil {
			return
		}
		u.showLevels(v, res.Inventory)
		v.code.SetText("")
		u.focusScan()
	})
}

// showLevels renders a lookup.
func (u *UI) showLevels(v *stockScreen, info *pos.InventoryInfo) {
	v.info = info
	p := info.Product
	d := p.UnitDecimals()
	q := func(x catalog.Qty) string { return u.L.Qty(x, d) }
	setText(v.name, u.L.T("stock.product", l10n.Data{"Name": p.Name, "ID": p.ID}))
	h := info.Here
	here := u.L.T("stock.levels", l10n.Data{"OnHand": q(h.OnHand), "Reserved": q(h.Reserved), "Available": q(h.Available()),
		"OnOrder": q(h.OnOrder), "InTransit": q(h.InTransit), "Unit": p.Unit})
	if h.Known() {
		here += "\n" + u.L.T("stock.as_of", l10n.Data{"Time": u.L.DateTime(h.AsOf), "Local": q(h.Local)})
	} else {
		here += "\n" + u.L.T("stock.not_heard", l10n.Data{"Local": q(h.Local)})
	}
	setText(v.here, here)
	var out []string
	switch {
	case info.Live:
		out = append(out, u.L.T("stock.live"))
	case info.OthersErr != nil:
		out = append(out, u.L.T("stock.offline_known"))
	case u.sync == nil:
		out = append(out, u.L.T("stock.no_server"))
	default:
		out = append(out, u.L.T("stock.offline_known"))
	}
	if len(info.Others) == 0 {
		out = append(out, u.L.T("stock.none_known"))
	}
	for _, l := range info.Others {
		name := l.StoreName
		if name == "" {
			name = l.StoreID
		}
		row := u.L.T("stock.other_row", l10n.Data{"Store": name, "OnHand": q(l.OnHand), "Available": q(l.Available()), "Unit": p.Unit})
		if !info.Live && l.Known() {
			row += " · " + u.L.T("stock.heard", l10n.Data{"Age": u.age(l.AsOf)})
		}
		out = append(out, row)
	}
	if len(info.Variants) > 0 {
		out = append(out, "", u.L.T("stock.variants"))
		for _, vs := range info.Variants {
			row := u.L.T("stock.variant_row", l10n.Data{"Variant": strings.TrimSpace(vs.Product.Color + " " + vs.Product.Size), "OnHand": q(vs.Here.OnHand),
				"Available": q(vs.Here.Available()), "Unit": p.Unit})
			var els []string
			for _, l := range vs.Others {
				if l.OnHand != 0 || l.Reserved != 0 {
					els = append(els, firstNonEmpty(l.StoreName, l.StoreID)+" "+q(l.Available()))
				}
			}
			if len(els) > 0 {
				row += " · " + strings.Join(els, ", ")
			}
			out = append(out, row)
		}
	}
	setText(v.others, strings.Join(out, "\n"))
	if u.reg.Can(pos.OpStockAdjustment) {
		v.adjust.Enable()
	}
	if u.reg.Can(pos.OpCreateOrder) {
		v.order.Enable()
	}
}

// age says how long ago t was, in the largest whole unit.
func (u *UI) age(t time.Time) string {
	d := u.now().Sub(t)
	switch {
	case d < time.Minute:
		return u.L.T("age.now")
	case d < time.Hour:
		return u.L.N("age.minutes", int(d/time.Minute))
	case d < 48*time.Hour:
		return u.L.N("age.hours", int(d/time.Hour))
	}
	return u.L.N("age.days", int(d/(24*time.Hour)))
}

// adjustForm is the adjustment form on show.
type adjustForm struct {
	qty     *field
	reason  *widget.Select
	codes   []string // reason codes by the select's index
	note    *field
	product catalog.Product
	d       *dialog.FormDialog
	errText *widget.Label
}

// adjustDialog adjusts a product's stock: a signed quantity, a reason and a
// note. A wrong field is marked and the form comes back as typed.
func (u *UI) adjustDialog(p catalog.Product) {
	set := inventory.Of(u.reg.Setup().Inventory)
	f := &adjustForm{product: p, qty: u.newField(), note: u.newField()}
	u.adjustF = f
	f.qty.SetPlaceHolder(u.L.T("stock.adjust_qty_hint"))
	f.note.SetPlaceHolder(u.L.T("stock.adjust_note_hint"))
	var names []string
	for _, r := range set.Reasons {
		name := r.Name
		if key := "stock.reason." + r.Code; u.L.Has(key) {
			name = u.L.T(key)
		}
		names = append(names, name)
		f.codes = append(f.codes, r.Code)
	}
	f.reason = widget.NewSelect(names, nil)
	f.reason.PlaceHolder = u.L.T("stock.adjust_reason_hint")
	f.errText = widget.NewLabel("")
	f.errText.Wrapping = fyne.TextWrapWord
	f.errText.Importance = widget.DangerImportance
	chain(f.qty, f.note)
	items := []*widget.FormItem{
		widget.NewFormItem(u.L.T("stock.adjust_product"), widget.NewLabel(p.Name)),
		widget.NewFormItem(u.L.T("stock.adjust_qty"), f.qty),
		widget.NewFormItem(u.L.T("stock.adjust_reason"), f.reason),
		widget.NewFormItem(u.L.T("stock.adjust_note"), f.note),
		widget.NewFormItem("", f.errText),
	}
	f.d = dialog.NewForm(u.L.T("stock.adjust_title"), u.L.T("stock.adjust_save"), u.L.T("button.cancel"), items, func(yes bool) {
		if yes {
			u.submitAdjustment(f)
		}
	}, u.win)
	f.d.Resize(u.dialogSize(520, 400))
	u.setDialog(f.d)
	u.win.Canvas().Focus(f.qty)
}

// submitAdjustment saves the adjustment on the form.
func (u *UI) submitAdjustment(f *adjustForm) {
	q, err := money.Parse(strings.ReplaceAll(strings.TrimSpace(f.qty.Text), ",", "."), 3)
	if err != nil {
		f.qty.SetValidationError(errors.New(u.L.T("error.input.qty")))
		setText(f.errText, u.L.T("error.input.qty"))
		u.keepOpen(f.d, f.qty)
		return
	}
	op := pos.StockAdjustment{ProductID: f.product.ID, Qty: catalog.Qty(q), Note: f.note.Text}
	if i := f.reason.SelectedIndex(); i >= 0 && i < len(f.codes) {
		op.Reason = f.codes[i]
	}
	u.try(op, func(res pos.Result, err error) {
		if err != nil && !till.OffersOverride(op, err) {
			setText(f.errText, u.L.Error(err))
			var focus fyne.Focusable = f.note
			switch fieldOf(err) {
			case "qty":
				f.qty.SetValidationError(errors.New(u.L.Error(err)))
				focus = f.qty
			case "reason":
				focus = nil
			}
			u.showAgain(f.d, focus)
			return
		}
		u.after(op, res, err, func(res pos.Result) {
			if v := u.Stock(); v != nil && res.Inventory != nil {
				info := *res.Inventory
				if v.info != nil && v.info.Product.ID == info.Product.ID {
					info.Others, info.Live, info.OthersErr = v.info.Others, v.info.Live, v.info.OthersErr
				}
				u.showLevels(v, &info)
			}
		})
	})
}

// countsTab lists the store's counts, to open one or start one.
func (u *UI) countsTab(v *stockScreen) fyne.CanvasObject {
	v.found = widget.NewLabel("")
	v.list = twoLineList(func() int { return len(v.counts) }, func(i int) (string, string) {
		return v.counts[i].Name, u.countDetail(v.counts[i])
	})
	v.list.OnSelected = func(i widget.ListItemID) {
		v.chosen = i
		v.open.Enable()
	}
	v.open = widget.NewButtonWithIcon(u.L.T("stock.count_open"), theme.NavigateNextIcon(), func() {
		if v.chosen >= 0 && v.chosen < len(v.counts) {
			u.openCount(v.counts[v.chosen].ID)
		}
	})
	v.open.Importance = widget.HighImportance
	v.open.Disable()
	start := widget.NewButtonWithIcon(u.L.T("stock.count_start"), theme.ContentAddIcon(), func() {
		u.prompt(u.L.T("stock.count_start"), u.L.T("stock.count_name_hint"), func(name string) {
			u.do(pos.StockCount{Action: pos.CountStart, Name: name}, func(res pos.Result) {
				if res.Count != nil {
					u.openCount(res.Count.Count.ID)
				}
			})
		})
	})
	if !u.reg.Can(pos.OpStockCount) {
		start.Hide()
	}
	return container.NewBorder(v.found, container.NewHBox(start, layout.NewSpacer(), v.open), nil, nil, v.list)
}

// countDetail is the second line of a count in the list.
func (u *UI) countDetail(c inventory.Count) string {
	kind := u.L.T("stock.count_unscheduled")
	if c.Scheduled {
		kind = u.L.N("stock.count_scheduled", len(c.Products))
	}
	if c.Status == inventory.Posted {
		return kind + " · " + u.L.T("stock.count_posted", l10n.Data{"Time": u.L.DateTime(c.Posted)})
	}
	return kind + " · " + u.L.T("stock.count_started", l10n.Data{"Time": u.L.DateTime(c.Created)})
}

// listCounts fills the counts tab.
func (u *UI) listCounts() {
	v := u.Stock()
	if v == nil || v.list == nil || !u.reg.Can(pos.OpStockCount) {
		return
	}
	u.do(pos.StockCount{Action: pos.CountList}, func(res pos.Result) {
		if u.stockV != v {
			return
		}
		v.counts, v.chosen = res.Counts, -1
		v.list.UnselectAll()
		v.open.Disable()
		v.list.Refresh()
		if len(v.counts) == 0 {
			setText(v.found, u.L.T("stock.counts_none"))
		} else {
			setText(v.found, u.L.N("stock.counts_found", len(v.counts)))
		}
	})
}

// openCount shows a count's screen.
func (u *UI) openCount(id string) { u.openCountThen(id, nil) }

// openCountThen shows a count's screen, then calls then (if not nil).
func (u *UI) openCountThen(id string, then func()) {
	u.do(pos.StockCount{Action: pos.CountReview, CountID: id}, func(res pos.Result) {
		if res.Count == nil {
			return
		}
		if res.Count.Count.Status != inventory.Open {
			u.showReview(res.Count) // a posted count: what was posted
			return
		}
		u.sell, u.pay = nil, nil
		u.show("count", u.countScreen(res.Count))
		u.focusScan()
		if then != nil {
			then()
		}
	})
}

func (u *UI) countScreen(info *pos.CountInfo) fyne.CanvasObject {
	v := &countView{count: info.Count}
	u.countV = v
	if info.Review != nil {
		for _, l := range info.Review.Lines {
			v.rows = append(v.rows, countRow{line: l.CountLine, name: l.Name, decimals: qtyDecimals(l.CountLine)})
		}
	}
	sort.SliceStable(v.rows, func(i, j int) bool {
		a, b := v.rows[i].line, v.rows[j].line
		if !a.CountedAt.Equal(b.CountedAt) {
			return a.CountedAt.After(b.CountedAt)
		}
		return v.rows[i].name < v.rows[j].name
	})
	v.scan = u.newField()
	v.scan.SetPlaceHolder(u.L.T("count.scan_hint"))
	v.scan.TextStyle = fyne.TextStyle{Bold: true}
	v.scan.OnSubmitted = func(string) { u.countScan(pos.CountScan) }
	v.qty = u.newField()
	v.qty.SetPlaceHolder(u.L.T("count.qty_hint"))
	v.qty.OnSubmitted = func(string) { u.win.Canvas().Focus(v.scan) }
	set := widget.NewButtonWithIcon(u.L.T("count.set"), theme.DocumentCreateIcon(), func() { u.countScan(pos.CountSet) })
	recount := widget.NewButtonWithIcon(u.L.T("count.recount"), theme.ViewRefreshIcon(), func() { u.countScan(pos.CountRecount) })
	add := widget.NewButtonWithIcon(u.L.T("count.add"), theme.ContentAddIcon(), func() { u.countScan(pos.CountScan) })
	add.Importance = widget.HighImportance
	v.totals = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	v.totals.Wrapping = fyne.TextWrapWord
	v.last = widget.NewLabel(u.L.T("count.scan_first"))
	v.last.Wrapping = fyne.TextWrapWord
	v.list = widget.NewList(func() int { return len(v.rows) },
		func() fyne.CanvasObject {
			name := widget.NewLabel("")
			name.Truncation = fyne.TextTruncateEllipsis
			here := widget.NewLabelWithStyle("", fyne.TextAlignTrailing, fyne.TextStyle{Bold: true})
			all := widget.NewLabelWithStyle("", fyne.TextAlignTrailing, fyne.TextStyle{})
			return container.NewBorder(nil, nil, nil, container.NewGridWrap(fyne.NewSize(200, 36), container.NewGridWithColumns(2, here, all)), name)
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if i >= len(v.rows) {
				return
			}
			r := v.rows[i]
			b := o.(*fyne.Container)
			setText(b.Objects[0].(*widget.Label), r.name)
			cols := b.Objects[1].(*fyne.Container).Objects[0].(*fyne.Container)
			if r.line.IsCounted() {
				setText(cols.Objects[0].(*widget.Label), u.L.Qty(r.line.Counted, r.decimals))
				setText(cols.Objects[1].(*widget.Label), u.L.Qty(r.line.Total(), r.decimals))
			} else {
				setText(cols.Objects[0].(*widget.Label), "–")
				setText(cols.Objects[1].(*widget.Label), u.L.T("count.not_counted"))
			}
		})
	head := container.NewBorder(nil, nil, nil, container.NewGridWrap(fyne.NewSize(200, 36), container.NewGridWithColumns(2,
		widget.NewLabelWithStyle(u.L.T("count.col_here"), fyne.TextAlignTrailing, fyne.TextStyle{Bold: true}),
		widget.NewLabelWithStyle(u.L.T("count.col_all"), fyne.TextAlignTrailing, fyne.TextStyle{Bold: true}))),
		widget.NewLabelWithStyle(u.L.T("count.col_product"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
	back := widget.NewButtonWithIcon(u.L.T("count.back"), theme.NavigateBackIcon(), func() { u.showStock(); u.stockV.tabs.SelectIndex(len(u.stockV.tabs.Items) - 1) })
	v.review = widget.NewButtonWithIcon(u.L.T("count.review"), theme.ListIcon(), func() {
		u.do(pos.StockCount{Action: pos.CountReview, CountID: v.count.ID}, func(res pos.Result) {
			if res.Count != nil {
				u.showReview(res.Count)
			}
		})
	})
	if !u.reg.Can(pos.OpPostStockCount) { // the variances are the manager's: the clerk counts blind
		v.review.Hide()
	}
	title := widget.NewLabelWithStyle(u.L.T("count.title", l10n.Data{"Name": v.count.Name}), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	title.Truncation = fyne.TextTruncateEllipsis
	entry := container.NewBorder(nil, nil, nil, add, container.NewThemeOverride(v.scan, bigText{u.app.Settings().Theme()}))
	qtyRow := container.NewBorder(nil, nil, widget.NewLabel(u.L.T("count.qty")), container.NewHBox(set, recount), v.qty)
	top := container.NewVBox(u.statusBarWith(back), title, v.totals, entry, qtyRow, v.last, widget.NewSeparator(), head)
	u.renderCountTotals(v)
	return container.NewBorder(top, container.NewHBox(layout.NewSpacer(), v.review), nil, nil, v.list)
}

// qtyDecimals shows a whole quantity without decimals, a part with three.
func qtyDecimals(l inventory.CountLine) int {
	for _, q := range []catalog.Qty{l.Counted, l.Others, l.Expected} {
		if q%catalog.One != 0 {
			return 3
		}
	}
	return 0
}

// countScan counts the scanned product: act is scan (one more, or the
// quantity typed more), set (this device's count is the quantity) or
// recount.
func (u *UI) countScan(act pos.CountAction) {
	v := u.Count()
	if v == nil {
		return
	}
	code := strings.TrimSpace(v.scan.Text)
	if code == "" {
		u.win.Canvas().Focus(v.scan)
		return
	}
	op := pos.StockCount{Action: act, CountID: v.count.ID, Barcode: code}
	if s := strings.TrimSpace(v.qty.Text); s != "" || act != pos.CountScan {
		q, err := l10n.ParseQty(strings.ReplaceAll(s, ",", "."))
		if err != nil || q < 0 {
			v.qty.SetValidationError(errors.New(u.L.T("error.count.qty")))
			setText(v.last, u.L.T("error.count.qty"))
			u.win.Canvas().Focus(v.qty)
			return
		}
		op.Qty = q
		if act == pos.CountScan && q == 0 {
			setText(v.last, u.L.T("error.count.qty"))
			u.win.Canvas().Focus(v.qty)
			return
		}
	}
	v.scan.SetText("")
	u.try(op, func(res pos.Result, err error) {
		if u.countV != v {
			return
		}
		if err != nil {
			// The clerk keeps scanning: the refusal shows in place, the code kept.
			setText(v.last, u.L.T("count.refused", l10n.Data{"Code": code, "Why": u.L.Error(err)}))
			v.last.Importance = widget.DangerImportance
			v.last.Refresh()
			u.win.Canvas().Focus(v.scan)
			return
		}
		v.qty.SetText("")
		v.qty.SetValidationError(nil)
		if res.Count != nil && res.Count.Line != nil {
			name, dec := code, 0
			if res.Product != nil {
				name, dec = res.Product.Name, res.Product.UnitDecimals()
			}
			u.countedLine(v, *res.Count.Line, name, dec)
		}
		u.win.Canvas().Focus(v.scan)
	})
}

// countedLine puts a line just counted at the top and updates the totals.
func (u *UI) countedLine(v *countView, l inventory.CountLine, name string, decimals int) {
	row := countRow{line: l, name: name, decimals: max(decimals, qtyDecimals(l))}
	for i, r := range v.rows {
		if r.line.ProductID == l.ProductID {
			v.rows = append(v.rows[:i], v.rows[i+1:]...)
			break
		}
	}
	v.rows = append([]countRow{row}, v.rows...)
	v.list.Refresh()
	v.list.ScrollToTop()
	v.last.Importance = widget.MediumImportance
	key := "count.counted"
	if l.Recounted {
		key = "count.recounted"
	}
	setText(v.last, u.L.T(key, l10n.Data{"Name": name, "Here": u.L.Qty(l.Counted, row.decimals), "All": u.L.Qty(l.Total(), row.decimals)}))
	u.renderCountTotals(v)
}

// renderCountTotals shows the running totals: lines counted (of the lines
// expected on a scheduled count) and units counted on this device.
func (u *UI) renderCountTotals(v *countView) {
	counted := 0
	var units catalog.Qty
	dec := 0
	for _, r := range v.rows {
		if r.line.IsCounted() {
			counted++
		}
		units += r.line.Counted
		dec = max(dec, r.decimals)
	}
	data := l10n.Data{"Counted": u.L.Int(int64(counted)), "Expected": u.L.Int(int64(len(v.count.Products))), "Units": u.L.Qty(units, dec)}
	key := "count.totals"
	if v.count.Scheduled || len(v.count.Products) > 0 {
		key = "count.totals_of"
	}
	setText(v.totals, u.L.T(key, data))
}

// showReview shows a count's variance review; the manager posts it from
// there.
func (u *UI) showReview(info *pos.CountInfo) {
	rv := info.Review
	if rv == nil {
		return
	}
	c := info.Count
	summary := u.L.T("review.summary", l10n.Data{"Counted": u.L.Int(int64(rv.Counted)), "Recount": u.L.Int(int64(rv.Recount)),
		"Value": u.money(rv.Value), "Shortfall": u.money(rv.Shortfall)})
	if rv.Expected > 0 {
		summary = u.L.T("review.summary_of", l10n.Data{"Counted": u.L.Int(int64(rv.Counted)), "Expected": u.L.Int(int64(rv.Expected)),
			"Recount": u.L.Int(int64(rv.Recount)), "Value": u.money(rv.Value), "Shortfall": u.money(rv.Shortfall)})
	}
	if c.Status == inventory.Posted {
		summary = u.L.T("stock.count_posted", l10n.Data{"Time": u.L.DateTime(c.Posted)}) + "\n" + summary
	}
	sum := widget.NewLabel(summary)
	sum.Wrapping = fyne.TextWrapWord
	lines := rv.Lines
	list := widget.NewList(func() int { return len(lines) },
		func() fyne.CanvasObject {
			name := widget.NewLabel("")
			name.Truncation = fyne.TextTruncateEllipsis
			figs := widget.NewLabelWithStyle("", fyne.TextAlignTrailing, fyne.TextStyle{})
			return container.NewBorder(nil, nil, nil, figs, name)
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if i >= len(lines) {
				return
			}
			l := lines[i]
			b := o.(*fyne.Container)
			name := l.Name
			if name == "" {
				name = l.ProductID
			}
			if l.Recount {
				name = "⚠ " + name
			}
			setText(b.Objects[0].(*widget.Label), name)
			d := qtyDecimals(l.CountLine)
			figs := b.Objects[1].(*widget.Label)
			if !l.IsCounted() {
				setText(figs, u.L.T("review.not_counted", l10n.Data{"Expected": u.L.Qty(l.Expected, d)}))
				return
			}
			setText(figs, u.L.T("review.line", l10n.Data{"Expected": u.L.Qty(l.Expected, d), "Counted": u.L.Qty(l.Total(), d),
				"Variance": signedQty(u, l.Variance(), d), "Value": u.money(l.Value)}))
			if l.Recount {
				figs.Importance = widget.DangerImportance
			} else {
				figs.Importance = widget.MediumImportance
			}
			figs.Refresh()
		})
	hint := widget.NewLabel(u.L.T("review.recount_hint"))
	hint.Wrapping = fyne.TextWrapWord
	if rv.Recount == 0 {
		hint.Hide()
	}
	content := container.NewBorder(container.NewVBox(sum, hint), nil, nil, nil, list)
	title := u.L.T("review.title", l10n.Data{"Name": c.Name})
	var d dialog.Dialog
	if c.Status == inventory.Open && u.reg.Can(pos.OpPostStockCount) {
		cd := dialog.NewCustomConfirm(title, u.L.T("review.post"), u.L.T("button.close"), content, func(yes bool) {
			if yes {
				u.postCount(c)
			}
		}, u.win)
		d = cd
	} else {
		d = dialog.NewCustom(title, u.L.T("button.close"), content, u.win)
	}
	d.Resize(u.dialogSize(760, 600))
	u.reviewD = d
	u.setDialog(d)
}

// signedQty shows a variance with its sign (+2, −3).
func signedQty(u *UI, q catalog.Qty, decimals int) string {
	if q > 0 {
		return "+" + u.L.Qty(q, decimals)
	}
	return u.L.Qty(q, decimals)
}

// postCount posts a count after the manager confirms.
func (u *UI) postCount(c inventory.Count) {
	u.confirm(u.L.T("review.post_confirm", l10n.Data{"Name": c.Name}), func() {
		u.do(pos.PostStockCount{CountID: c.ID}, func(res pos.Result) {
			u.showStock()
			if v := u.stockV; v != nil && len(v.tabs.Items) > 1 {
				v.tabs.SelectIndex(len(v.tabs.Items) - 1)
			}
			u.message(u.L.T("review.posted_title"), u.L.T("review.posted", l10n.Data{"Name": c.Name}))
		})
	})
}

// bigText is a theme with text half as large again: the count's scan
// field, read at arm's length on a tablet.
type bigText struct{ fyne.Theme }

// Size scales the text sizes.
func (t bigText) Size(n fyne.ThemeSizeName) float32 {
	s := t.Theme.Size(n)
	if n == theme.SizeNameText {
		return s * 1.5
	}
	return s
}

// Where a serial scanner's codes go.
const (
	scanSells  int32 = iota // sold, as on every selling screen
	scanCounts              // counted on the count, or scanned into the document, on screen
	scanLooks               // looked up on the stock screen
)

// scanTarget is where a screen takes the serial scanner's codes.
func scanTarget(screen string) int32 {
	switch screen {
	case "count", "doc":
		return scanCounts
	case "stock":
		return scanLooks
	}
	return scanSells
}

// TakeScan takes a serial scanner's code when a stock count or the stock
// lookup is on screen, as if typed in its scan field, and reports whether
// it did; other codes the station sells. Safe from any goroutine.
func (u *UI) TakeScan(code string) bool {
	target := u.scanTo.Load()
	if target == scanSells {
		return false
	}
	u.post(func() {
		switch {
		case target == scanCounts && u.Count() != nil && u.dialog == nil:
			u.countV.scan.SetText(code)
			u.countScan(pos.CountScan)
		case target == scanCounts && u.Doc() != nil && u.dialog == nil:
			u.docV.scan.SetText(code)
			u.docScan(pos.DocScan)
		case target == scanLooks && u.Stock() != nil && u.stockV.code != nil && u.dialog == nil:
			u.stockV.code.SetText(code)
			u.lookUp()
		default: // the screen changed, or a dialog is open: the code is announced, never lost
			u.scans = append(u.scans, code)
			u.applyScans()
		}
	})
	return true
}

// twoLineList is a list of rows of a bold first line and a detail line,
// both cut with an ellipsis: row gives the two texts of item i.
func twoLineList(n func() int, row func(i int) (string, string)) *widget.List {
	return widget.NewList(n,
		func() fyne.CanvasObject {
			name := widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
			name.Truncation = fyne.TextTruncateEllipsis
			detail := widget.NewLabel("")
			detail.Truncation = fyne.TextTruncateEllipsis
			return container.NewVBox(name, detail)
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if i >= n() {
				return
			}
			first, second := row(i)
			box := o.(*fyne.Container)
			setText(box.Objects[0].(*widget.Label), first)
			setText(box.Objects[1].(*widget.Label), second)
		})
}
