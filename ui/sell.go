package ui

import (
	"image"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/opentill/opentill/pos"
	"github.com/opentill/opentill/pos/cart"
	"github.com/opentill/opentill/pos/catalog"
	"github.com/opentill/opentill/pos/money"
	"github.com/opentill/opentill/ui/l10n"
)

// scanEntry is the sell screen's scan field: a keyboard-wedge scanner types
// into it and Enter adds the item. Function keys reach the screen's shortcuts
// and "*" turns the digits typed so far into the next item's quantity.
type scanEntry struct {
	widget.Entry
	onKey  func(fyne.KeyName) bool
	onStar func()
}

func newScanEntry() *scanEntry {
	e := &scanEntry{}
	e.ExtendBaseWidget(e)
	return e
}

func (e *scanEntry) TypedKey(k *fyne.KeyEvent) {
	if e.onKey != nil && k.Name != fyne.KeyReturn && k.Name != fyne.KeyEnter && e.onKey(k.Name) {
		return
	}
	e.Entry.TypedKey(k)
}

func (e *scanEntry) TypedRune(r rune) {
	if r == '*' && e.onStar != nil {
		e.onStar()
		return
	}
	e.Entry.TypedRune(r)
}

// sellView holds the sell screen's widgets so events and tests can reach them.
type sellView struct {
	u        *UI
	scan     *scanEntry
	search   *scanEntry
	list     *widget.List
	lines    []cart.Line
	selected int // line number; 0 = none
	results  *widget.List
	products []catalog.Product
	found    *widget.Label
	center   *fyne.Container
	linesBox fyne.CanvasObject
	resBox   fyne.CanvasObject
	pad      *Numpad
	padHint  *widget.Label
	totals   *totalsPanel
	count    *widget.Label
	queued   *widget.Label // scans waiting for a dialog to close (keys.go)
	customer *widget.Label // the customer on the sale (customers.go)
	buttons  map[string]*widget.Button
}

// totalsPanel shows subtotal, discounts, tax, total and the amount due.
type totalsPanel struct {
	subtotal, discounts, tax, total, due, dueLabel *widget.Label
	box                                            fyne.CanvasObject
}

func (u *UI) newTotals() *totalsPanel {
	t := &totalsPanel{}
	row := func(key string, big bool) (*widget.Label, *widget.Label) {
		k := widget.NewLabel(u.L.T(key))
		v := widget.NewLabelWithStyle("", fyne.TextAlignTrailing, fyne.TextStyle{Bold: big})
		if big {
			k.TextStyle.Bold = true
			k.SizeName, v.SizeName = theme.SizeNameSubHeadingText, theme.SizeNameSubHeadingText
		}
		return k, v
	}
	k1, v1 := row("totals.subtotal", false)
	k2, v2 := row("totals.discounts", false)
	k3, v3 := row("totals.tax", false)
	k4, v4 := row("totals.total", true)
	k5, v5 := row("totals.due", true)
	v5.Importance = widget.HighImportance
	t.subtotal, t.discounts, t.tax, t.total, t.due, t.dueLabel = v1, v2, v3, v4, v5, k5
	// Each row as tall as its text: a grid would give the small rows the
	// height of the large ones.
	rows := container.NewVBox()
	for _, kv := range [][2]*widget.Label{{k1, v1}, {k2, v2}, {k3, v3}, {k4, v4}, {k5, v5}} {
		rows.Add(container.NewBorder(nil, nil, kv[0], nil, kv[1]))
	}
	t.box = rows
	return t
}

func (u *UI) renderTotals(t *totalsPanel, c *cart.Cart) {
	var tt cart.Totals
	if c != nil {
		tt = c.Totals
	}
	setText(t.subtotal, u.money(tt.Subtotal))
	setText(t.discounts, u.money(-tt.Discounts))
	setText(t.tax, u.money(tt.Tax))
	setText(t.total, u.money(tt.Total))
	if tt.Remaining < 0 {
		setText(t.dueLabel, u.L.T("totals.refund"))
		setText(t.due, u.money(-tt.Remaining))
	} else {
		setText(t.dueLabel, u.L.T("totals.due"))
		setText(t.due, u.money(tt.Remaining))
	}
}

// linesList is the list of the transaction's lines: item, quantity, unit
// price, discount and amount. Under an item its promotions show by name and
// amount; a voided line stays, struck through and greyed.
func (u *UI) linesList(lines *[]cart.Line, onSelect func(no int)) *widget.List {
	l := widget.NewList(
		func() int { return len(*lines) },
		func() fyne.CanvasObject { return u.lineRow() },
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if i >= len(*lines) {
				return
			}
			u.renderLine(o.(*fyne.Container), (*lines)[i])
		})
	l.OnSelected = func(i widget.ListItemID) {
		if i < len(*lines) && onSelect != nil && !(*lines)[i].Voided {
			onSelect((*lines)[i].No)
		}
	}
	return l
}

// lineRow is the template of a line: the name (and its promotions) with a
// strike-through for voided lines, then the figures.
func (u *UI) lineRow() *fyne.Container {
	name := widget.NewLabel("")
	name.Truncation = fyne.TextTruncateEllipsis
	promos := widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Italic: true})
	promos.Truncation = fyne.TextTruncateEllipsis
	promos.SizeName = theme.SizeNameCaptionText
	promos.Importance = widget.SuccessImportance
	promos.Hide()
	strike := canvas.NewLine(theme.Color(theme.ColorNameForeground))
	strike.StrokeWidth = 1.5
	strike.Hide()
	nameBox := container.NewStack(container.NewVBox(name, promos), container.New(midLine{}, strike))
	cols := container.NewGridWithColumns(4,
		widget.NewLabelWithStyle("", fyne.TextAlignTrailing, fyne.TextStyle{}),
		widget.NewLabelWithStyle("", fyne.TextAlignTrailing, fyne.TextStyle{}),
		widget.NewLabelWithStyle("", fyne.TextAlignTrailing, fyne.TextStyle{}),
		widget.NewLabelWithStyle("", fyne.TextAlignTrailing, fyne.TextStyle{Bold: true}))
	return u.pictureRow(nameBox, container.NewGridWrap(fyne.NewSize(440, 36), cols))
}

// renderLine fills a line row.
func (u *UI) renderLine(b *fyne.Container, ln cart.Line) {
	first, slot, figures := rowParts(b)
	nameBox := first.(*fyne.Container)
	texts := nameBox.Objects[0].(*fyne.Container).Objects
	name, promos := texts[0].(*widget.Label), texts[1].(*widget.Label)
	strike := nameBox.Objects[1].(*fyne.Container).Objects[0].(*canvas.Line)
	cols := figures.(*fyne.Container).Objects[0].(*fyne.Container).Objects
	if slot != nil {
		var pic image.Image
		if ln.Value == nil && !ln.IsOrderMoney() {
			pic = u.pics.ofLine(ln.ProductID)
		}
		setPicture(slot, pic)
	}
	text := ln.Name
	if ln.IsOrderMoney() {
		text = u.orderLineName(ln)
	}
	if ln.Value != nil {
		text = u.valueLineName(ln)
	}
	switch {
	case ln.Voided:
		text = u.L.T("sell.voided_tag") + ": " + text
	case ln.IsReturn():
		text = u.L.T("sell.return_tag") + ": " + text
	}
	setText(name, clip(text, 80))
	var ps []string
	for _, p := range ln.Promotions {
		ps = append(ps, p.Name+" "+u.money(-abs(p.Amount)))
	}
	if ln.Order != nil && ln.Order.Role == cart.OrderLine {
		ps = append(ps, u.L.T("orders.of_order", l10n.Data{"Number": ln.Order.Number}))
	}
	if len(ps) > 0 && !ln.Voided {
		setText(promos, strings.Join(ps, " · "))
		promos.Show()
	} else {
		promos.Hide()
	}
	imp := widget.MediumImportance
	if ln.Voided {
		imp = widget.LowImportance
		strike.Show()
	} else {
		strike.Hide()
	}
	if name.Importance != imp {
		name.Importance = imp
		name.Refresh()
	}
	setText(cols[0].(*widget.Label), u.L.Qty(ln.Qty, ln.UnitDecimals))
	setText(cols[1].(*widget.Label), u.money(ln.UnitPrice))
	// Every discount of the line, shown as what it takes off, on a sale
	// and on a return alike.
	if d := ln.PromoDiscount + ln.LineDiscount + ln.TotalDiscount; d != 0 && !ln.Voided {
		setText(cols[2].(*widget.Label), u.money(-abs(d)))
	} else {
		setText(cols[2].(*widget.Label), "")
	}
	setText(cols[3].(*widget.Label), u.money(ln.Net))
	for _, c := range cols {
		if lb := c.(*widget.Label); lb.Importance != imp {
			lb.Importance = imp
			lb.Refresh()
		}
	}
}

// lineHeights sets the height of each row of a lines list: taller where a
// line shows its promotions.
func (u *UI) lineHeights(l *widget.List, lines []cart.Line) {
	if u.rowH == 0 {
		row := u.lineRow()
		u.rowH = row.MinSize().Height
		row.Objects[0].(*fyne.Container).Objects[0].(*fyne.Container).Objects[1].Show()
		u.promoRowH = row.MinSize().Height
	}
	for i, ln := range lines {
		h := u.rowH
		if len(ln.Promotions) > 0 && !ln.Voided {
			h = u.promoRowH
		}
		l.SetItemHeight(i, h)
	}
}

// midLine lays its one object out as a line across the middle.
type midLine struct{}

func (midLine) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		if ln, ok := o.(*canvas.Line); ok {
			ln.Position1 = fyne.NewPos(theme.InnerPadding()/2, size.Height/2)
			ln.Position2 = fyne.NewPos(size.Width-theme.InnerPadding()/2, size.Height/2)
		}
	}
}

func (midLine) MinSize([]fyne.CanvasObject) fyne.Size { return fyne.Size{} }

func abs(a money.Amount) money.Amount {
	if a < 0 {
		return -a
	}
	return a
}

func (u *UI) linesHeader() fyne.CanvasObject {
	h := func(key string) *widget.Label {
		return widget.NewLabelWithStyle(u.L.T(key), fyne.TextAlignTrailing, fyne.TextStyle{Bold: true})
	}
	cols := container.NewGridWithColumns(4, h("sell.col.qty"), h("sell.col.price"), h("sell.col.discount"), h("sell.col.amount"))
	return container.NewBorder(nil, nil, nil, container.NewGridWrap(fyne.NewSize(440, 36), cols),
		widget.NewLabelWithStyle(u.L.T("sell.col.item"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
}

// sellScreen: lines, totals, number pad, the button grid from the layout
// file, a scan field that keeps focus and product search as you type.
func (u *UI) sellScreen() fyne.CanvasObject {
	v := &sellView{u: u, buttons: map[string]*widget.Button{}}
	u.sell = v
	v.scan = newScanEntry()
	v.scan.SetPlaceHolder(u.L.T("sell.scan_placeholder"))
	v.scan.OnSubmitted = func(string) { v.addScanned() }
	v.scan.OnChanged = func(string) { u.touch() }
	v.scan.onKey = u.shortcut
	v.scan.onStar = func() {
		v.pad.SetMode(ModeQty)
		v.pad.SetValue(strings.TrimSpace(v.scan.Text))
		v.scan.SetText("")
	}
	v.search = newScanEntry() // forwards the function keys too
	v.search.onKey = func(k fyne.KeyName) bool {
		if k == fyne.KeyEscape {
			v.search.SetText("")
			u.focusScan()
			return true
		}
		return u.shortcut(k)
	}
	v.search.SetPlaceHolder(u.L.T("sell.search_placeholder"))
	v.search.OnChanged = v.searchChanged
	v.search.ActionItem = widget.NewButtonWithIcon("", theme.CancelIcon(), func() { v.search.SetText("") })

	v.list = u.linesList(&v.lines, func(no int) { v.selected = no; u.focusScan() })
	v.count = widget.NewLabel("")
	v.queued = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	v.queued.Importance = widget.WarningImportance
	v.queued.Truncation = fyne.TextTruncateEllipsis
	v.queued.Hide()
	v.linesBox = container.NewBorder(u.linesHeader(), container.NewVBox(v.queued, v.count), nil, nil, v.list)

	v.found = widget.NewLabel("")
	v.results = widget.NewList(func() int { return len(v.products) },
		func() fyne.CanvasObject {
			n := widget.NewLabel("")
			n.Truncation = fyne.TextTruncateEllipsis
			return u.pictureRow(n, widget.NewLabelWithStyle("", fyne.TextAlignTrailing, fyne.TextStyle{Bold: true}))
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if i >= len(v.products) {
				return
			}
			p := v.products[i]
			name, slot, price := rowParts(o.(*fyne.Container))
			setText(name.(*widget.Label), clip(p.Name+"  ·  "+p.ID, 56))
			setText(price.(*widget.Label), u.money(p.Price))
			setPicture(slot, u.pics.of(p.Image))
		})
	v.results.OnSelected = func(i widget.ListItemID) {
		if i < len(v.products) {
			u.productDetails(v.products[i], true)
		}
		v.results.UnselectAll()
	}
	v.resBox = container.NewBorder(widget.NewLabelWithStyle(u.L.T("search.title"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), v.found, nil, nil, v.results)
	v.resBox.Hide()
	v.center = container.NewStack(v.linesBox, v.resBox)

	v.totals = u.newTotals()
	v.customer = u.customerPanel() // the customer on the sale, above the totals
	v.pad = NewNumpad(u.L.T("numpad.enter"), []string{u.L.T("numpad.mode.qty"), u.L.T("numpad.mode.price"), u.L.T("numpad.mode.discount")})
	v.pad.SetDecimalSeparator(u.L.DecimalSeparator())
	v.padHint = widget.NewLabel("")
	v.padHint.Wrapping = fyne.TextWrapWord
	v.pad.OnMode = func(m PadMode) {
		v.padHint.SetText(u.L.T([]string{"numpad.hint.qty", "numpad.hint.price", "numpad.hint.discount"}[m]))
	}
	v.pad.OnMode(ModeQty)
	v.pad.OnEnter = v.padEnter

	grid, err := LoadButtonGrid(u.cfg.Buttons, u.reg.Operations())
	if err != nil {
		grid = ButtonGrid{Columns: 1}
	}
	var btns []fyne.CanvasObject
	for _, gb := range grid.Buttons {
		gb := gb
		b, obj := u.gridButton(gb, func() { v.run(gb) })
		v.buttons[gb.Label] = b
		btns = append(btns, obj)
	}
	home := widget.NewButtonWithIcon(u.L.T("button.home"), theme.HomeIcon(), func() { u.showHome() })
	top := container.NewVBox(u.statusBarWith(home), container.NewGridWithColumns(2, v.scan, v.search))
	var body fyne.CanvasObject
	if u.stacked() {
		tabs := container.NewAppTabs(
			container.NewTabItem(u.L.T("tab.functions"), container.NewVScroll(container.NewGridWithColumns(grid.TabletColumns, btns...))),
			container.NewTabItem(u.L.T("tab.numpad"), container.NewBorder(v.padHint, nil, nil, nil, v.pad)),
		)
		if panel := u.buildDevicesPanel(); panel != nil {
			tabs.Append(container.NewTabItem(u.L.T("tab.devices"), container.NewVScroll(panel)))
		}
		bottom := container.NewVBox(widget.NewSeparator(), v.customer, v.totals.box, container.NewGridWrap(fyne.NewSize(780, 380), tabs))
		body = container.NewBorder(top, bottom, nil, nil, v.center)
	} else {
		right := container.NewVBox(v.customer, v.totals.box, widget.NewSeparator(), v.pad)
		// The button grid sits under the lines, beside the totals and the
		// number pad: the screen's height is the taller of the two columns,
		// not their sum, and fits a 1024×768 till.
		gridBox := container.NewGridWithColumns(grid.DesktopColumns, btns...)
		body = container.NewBorder(top, nil, u.devicesPanel(), right, container.NewBorder(nil, gridBox, nil, nil, v.center))
	}
	v.render(u.reg.Cart())
	return body
}

func (u *UI) showSell() {
	u.pay = nil
	u.show("sell", u.sellScreen())
	u.win.Canvas().Focus(u.sell.scan)
}

// Sell returns the sell screen's view, for tests and benchmarks.
func (u *UI) Sell() *sellView { return u.sell }

// render shows a cart snapshot.
func (v *sellView) render(c *cart.Cart) {
	v.lines = v.lines[:0]
	active := 0
	if c != nil {
		v.lines = append(v.lines, c.Lines...) // voided lines stay, struck through
		for _, l := range c.Lines {
			if !l.Voided {
				active++
			}
		}
	}
	v.u.lineHeights(v.list, v.lines)
	v.list.Refresh()
	sel := -1
	for i, l := range v.lines {
		if l.No == v.selected && !l.Voided {
			sel = i
		}
	}
	if sel < 0 {
		for i := len(v.lines) - 1; i >= 0; i-- {
			if !v.lines[i].Voided {
				sel = i
				v.selected = v.lines[i].No
				break
			}
		}
	}
	if sel >= 0 {
		v.list.Select(sel)
	} else {
		v.selected = 0
		v.list.UnselectAll()
	}
	if active == 0 {
		setText(v.count, v.u.L.T("sell.empty"))
	} else {
		setText(v.count, v.u.L.N("sell.lines", active))
	}
	v.u.renderTotals(v.totals, c)
	if c != nil {
		v.u.renderCustomer(v.customer, c.CustomerName, c.Customer, c.ID, c.Loyalty)
	} else {
		v.u.renderCustomer(v.customer, "", "", "", nil)
	}
}

// Lines returns the active lines shown, for tests.
func (v *sellView) Lines() []cart.Line {
	var out []cart.Line
	for _, l := range v.lines {
		if !l.Voided {
			out = append(out, l)
		}
	}
	return out
}

// Shown returns every line on the screen, voided ones included, for tests.
func (v *sellView) Shown() []cart.Line { return v.lines }

func (v *sellView) padQty() catalog.Qty {
	if v.pad.Mode != ModeQty || v.pad.Value == "" {
		return 0
	}
	q, err := l10n.ParseQty(v.pad.Value)
	if err != nil {
		return 0
	}
	return q
}

func (v *sellView) padPrice() money.Amount {
	if v.pad.Mode != ModePrice || v.pad.Value == "" {
		return 0
	}
	a, err := l10n.ParseAmount(v.pad.Value, v.u.reg.Setup().Currency.Digits)
	if err != nil {
		return 0
	}
	return a
}

// addScanned adds the item in the scan field, with the number pad's
// quantity or price when one was keyed in.
func (v *sellView) addScanned() {
	code := strings.TrimSpace(v.scan.Text)
	v.scan.SetText("")
	if code == "" {
		return
	}
	op := pos.ProductSale{Barcode: code, Qty: v.padQty(), Price: v.padPrice()}
	v.u.sellItem(op, func(pos.Result) { v.pad.SetValue("") })
	v.u.focusScan()
}

func (v *sellView) padEnter(value string, mode PadMode) {
	u := v.u
	if strings.TrimSpace(v.scan.Text) != "" {
		v.addScanned()
		return
	}
	if value == "" {
		return
	}
	if v.selected == 0 {
		if mode == ModeQty {
			return // kept as the quantity of the next scan
		}
		u.message(u.L.T("error.title"), u.L.T("error.input.select_line"))
		return
	}
	clear := func(pos.Result) { v.pad.SetValue("") }
	switch mode {
	case ModeQty:
		q, err := l10n.ParseQty(value)
		if err != nil || q <= 0 {
			u.message(u.L.T("error.title"), u.L.T("error.input.qty"))
			return
		}
		u.do(pos.SetQuantity{Line: v.selected, Qty: q}, clear)
	case ModePrice:
		a, err := l10n.ParseAmount(value, u.reg.Setup().Currency.Digits)
		if err != nil {
			u.message(u.L.T("error.title"), u.L.T("error.input.amount"))
			return
		}
		u.do(pos.PriceOverride{Line: v.selected, Price: a}, clear)
	case ModeDiscount:
		bp, ok := percentBP(value)
		if !ok {
			u.message(u.L.T("error.title"), u.L.T("error.input.percent"))
			return
		}
		u.do(pos.LineDiscount{Line: v.selected, Percent: bp}, clear)
	}
	u.focusScan()
}

// run performs a grid button's operation.
func (v *sellView) run(b GridButton) {
	u := v.u
	switch b.Op {
	case pos.OpProductSale:
		if code := b.Params["barcode"]; code != "" {
			u.sellItem(pos.ProductSale{Barcode: code, Qty: v.padQty()}, func(pos.Result) { v.pad.SetValue("") })
		} else {
			v.addScanned()
		}
	case pos.OpCustomerSearch:
		u.customersDialog()
	case pos.OpCreateOrder:
		v.customerOrder()
	case pos.OpLoyaltyCard:
		u.prompt(u.L.T("loyalty.card_title"), u.L.T("loyalty.card_hint"), func(card string) {
			u.do(pos.LoyaltyCard{Card: card}, func(pos.Result) { u.refreshCart() })
		})
	case pos.OpIssueGiftCard:
		u.giftCardDialog()
	case pos.OpAccountDeposit:
		u.accountDeposit()
	case pos.OpRecommendations:
		u.suggestionsDialog()
	case pos.OpViewApplicableDiscounts, pos.OpViewAllDiscounts:
		u.promotionsDialog()
	case pos.OpPriceCheck:
		v.priceCheck()
	case pos.OpVoidLine:
		v.voidLine()
	case pos.OpSetQuantity:
		v.pad.SetMode(ModeQty)
		if v.pad.Value != "" {
			v.padEnter(v.pad.Value, ModeQty)
		}
	case pos.OpPriceOverride:
		v.pad.SetMode(ModePrice)
		if v.pad.Value != "" {
			v.padEnter(v.pad.Value, ModePrice)
		}
	case pos.OpLineDiscountPct, pos.OpLineDiscountAmt:
		if p, ok := b.Params["percent"]; ok {
			bp, _ := percentBP(p)
			if v.selected == 0 {
				u.message(u.L.T("error.title"), u.L.T("error.input.select_line"))
				return
			}
			u.do(pos.LineDiscount{Line: v.selected, Percent: bp}, nil)
			return
		}
		v.pad.SetMode(ModeDiscount)
		if v.pad.Value != "" {
			v.padEnter(v.pad.Value, ModeDiscount)
		}
	case pos.OpTotalDiscountPct, pos.OpTotalDiscountAmt:
		bp, _ := percentBP(b.Params["percent"])
		if b.Params["percent"] == "" && v.pad.Value != "" {
			bp, _ = percentBP(v.pad.Value)
		}
		u.do(pos.TotalDiscount{Percent: bp}, func(pos.Result) { v.pad.SetValue("") })
	case pos.OpProductSearch:
		u.win.Canvas().Focus(v.search)
	case pos.OpReturnProduct:
		v.returnItem()
	case pos.OpReturnTransaction:
		v.returnByReceipt()
	case pos.OpReprintReceipt:
		u.reprint("")
	case pos.OpPayCash, pos.OpPayCard:
		v.openPay()
	case pos.OpPayCashExact:
		u.do(pos.PayCashExact{}, u.paid)
	case pos.OpVoidTransaction:
		v.voidTransaction()
	case pos.OpSuspend:
		v.suspend()
	case pos.OpRecall:
		v.recall()
	case pos.OpLock:
		u.do(pos.Lock{}, nil)
	case pos.OpSignOut:
		u.do(pos.SignOut{}, nil)
	default:
		// an extension's operation: the button sends its request as is
		if spec, ok := u.reg.Operations().Spec(b.Op); ok && spec.New() != nil {
			u.do(spec.New(), u.showResultPanel)
		}
	}
	u.focusScan()
}

// Button returns a grid button by its label key, for tests.
func (v *sellView) Button(label string) *widget.Button { return v.buttons[label] }

func (v *sellView) searchChanged(q string) {
	q = strings.TrimSpace(q)
	if len([]rune(q)) < 2 {
		v.products = nil
		v.resBox.Hide()
		v.linesBox.Show()
		return
	}
	v.u.do(pos.ProductSearch{Query: q, Limit: 30}, func(r pos.Result) {
		v.products = r.Products
		v.results.Refresh()
		v.results.ScrollToTop()
		if len(v.products) == 0 {
			setText(v.found, v.u.L.T("search.none"))
		} else {
			setText(v.found, v.u.L.N("search.results", len(v.products)))
		}
		v.linesBox.Hide()
		v.resBox.Show()
	})
}

// Products returns the search results shown, for tests.
func (v *sellView) Products() []catalog.Product { return v.products }

func (v *sellView) selectedLine() *cart.Line {
	for i := range v.lines {
		if v.lines[i].No == v.selected {
			return &v.lines[i]
		}
	}
	return nil
}

func (v *sellView) voidLine() {
	u := v.u
	l := v.selectedLine()
	if l == nil {
		u.message(u.L.T("error.title"), u.L.T("error.input.select_line"))
		return
	}
	no := l.No
	u.confirm(u.L.T("confirm.void_line", l10n.Data{"No": no, "Name": l.Name}), func() {
		u.do(pos.VoidLine{Line: no}, nil)
	})
}

func (v *sellView) voidTransaction() {
	u := v.u
	c := u.reg.Cart()
	if c == nil || len(c.Lines) == 0 {
		u.message(u.L.T("error.title"), u.L.T("error.cart.none"))
		return
	}
	u.confirm(u.L.T("confirm.void_txn", l10n.Data{"Total": u.money(c.Totals.Total)}), func() {
		u.do(pos.VoidTransaction{}, func(pos.Result) { v.selected = 0; u.refreshCart() })
	})
}

func (v *sellView) suspend() {
	u := v.u
	u.do(pos.Suspend{}, func(pos.Result) {
		v.selected = 0
		u.message(u.L.T("button.suspend"), u.L.T("suspend.done"))
	})
}

func (v *sellView) openPay() {
	u := v.u
	c := u.reg.Cart()
	if c == nil || c.IsEmpty() {
		u.message(u.L.T("error.title"), u.L.T("error.cart.empty"))
		return
	}
	u.showPay()
}

func (v *sellView) priceCheck() {
	u := v.u
	if code := strings.TrimSpace(v.scan.Text); code != "" {
		v.scan.SetText("")
		u.do(pos.PriceCheck{Barcode: code}, func(r pos.Result) { u.productDetails(*r.Product, true) })
		return
	}
	u.priceCheckDialog()
}

func (v *sellView) returnItem() {
	u := v.u
	code := strings.TrimSpace(v.scan.Text)
	if code == "" {
		u.prompt(u.L.T("return.item_title"), u.L.T("return.item_hint"), func(s string) {
			u.do(pos.ReturnProduct{Barcode: s, Qty: v.padQty()}, func(pos.Result) { v.pad.SetValue("") })
		})
		return
	}
	v.scan.SetText("")
	u.do(pos.ReturnProduct{Barcode: code, Qty: v.padQty()}, func(pos.Result) { v.pad.SetValue("") })
}

// setText changes a label only when its text changes: refreshing a label
// re-measures its text, the costliest part of rendering a line.
func setText(l *widget.Label, s string) {
	if l.Text != s {
		l.SetText(s)
	}
}

// clip shortens s to n runes with an ellipsis (cheaper than the label's own
// truncation, which measures the text on every refresh).
func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
