package ui

import (
	"errors"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/opentill/opentill/pos"
	"github.com/opentill/opentill/pos/cart"
	"github.com/opentill/opentill/pos/order"
	"github.com/opentill/opentill/pos/poserr"
	"github.com/opentill/opentill/ui/l10n"
)

// ordersTile is the home tile of the orders screen.
func ordersTile() tile {
	return tile{"tile.orders", theme.DocumentIcon(), []pos.OpID{pos.OpRecallOrder, pos.OpOrderFulfillment},
		func(u *UI) { u.showOrders() }}
}

// ordersScreen lists the store's customer orders and quotations (op 515)
// and those this store picks, packs, ships or hands over (op 928).
type ordersScreen struct {
	query  *field
	tabs   *container.AppTabs
	all    *orderList
	fulfil *orderList
}

// orderList is one tab of the orders screen.
type orderList struct {
	orders []order.Order
	list   *widget.List
	found  *widget.Label
}

func (u *UI) showOrders() {
	u.sell, u.pay = nil, nil
	u.show("orders", u.ordersScreenView())
	u.listOrders()
}

// Orders returns the orders screen's view while it is shown, for tests.
func (u *UI) Orders() *ordersScreen {
	if u.screen != "orders" {
		return nil
	}
	return u.ordersV
}

func (u *UI) ordersScreenView() fyne.CanvasObject {
	v := &ordersScreen{}
	u.ordersV = v
	home := widget.NewButtonWithIcon(u.L.T("button.home"), theme.HomeIcon(), func() { u.showHome() })
	title := widget.NewLabelWithStyle(u.L.T("orders.title"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	v.query = u.newField()
	v.query.SetPlaceHolder(u.L.T("orders.search_hint"))
	v.query.OnSubmitted = func(string) { u.listOrders() }
	find := widget.NewButtonWithIcon(u.L.T("stock.find"), theme.SearchIcon(), func() { u.listOrders() })
	tab := func(l *orderList) fyne.CanvasObject {
		l.found = widget.NewLabel("")
		l.list = twoLineList(func() int { return len(l.orders) }, func(i int) (string, string) {
			return u.orderTitle(l.orders[i]), u.orderDetail(l.orders[i])
		})
		l.list.OnSelected = func(i widget.ListItemID) {
			if i < len(l.orders) {
				u.orderDialog(l.orders[i])
			}
			l.list.UnselectAll()
		}
		return container.NewBorder(l.found, nil, nil, nil, l.list)
	}
	var items []*container.TabItem
	if u.reg.Can(pos.OpRecallOrder) {
		v.all = &orderList{}
		items = append(items, container.NewTabItemWithIcon(u.L.T("orders.all"), theme.ListIcon(), tab(v.all)))
	}
	if u.reg.Can(pos.OpOrderFulfillment) {
		v.fulfil = &orderList{}
		items = append(items, container.NewTabItemWithIcon(u.L.T("orders.fulfil"), theme.UploadIcon(), tab(v.fulfil)))
	}
	v.tabs = container.NewAppTabs(items...)
	search := container.NewBorder(nil, nil, nil, find, v.query)
	return container.NewBorder(container.NewVBox(u.statusBarWith(home), title, search), nil, nil, nil, v.tabs)
}

// listOrders fills both tabs.
func (u *UI) listOrders() {
	v := u.Orders()
	if v == nil {
		return
	}
	fill := func(l *orderList, list []order.Order) {
		l.orders = list
		l.list.Refresh()
		if len(list) == 0 {
			setText(l.found, u.L.T("orders.none"))
		} else {
			setText(l.found, u.L.N("orders.count", len(list)))
		}
	}
	if v.all != nil {
		u.do(pos.RecallOrder{Query: v.query.Text}, func(r pos.Result) { fill(v.all, r.Orders) })
	}
	if v.fulfil != nil {
		u.do(pos.OrderFulfillment{}, func(r pos.Result) { fill(v.fulfil, filterOrders(r.Orders, v.query.Text)) })
	}
}

func filterOrders(list []order.Order, q string) []order.Order {
	q = strings.ToLower(strings.TrimSpace(q))
	if q == "" {
		return list
	}
	var out []order.Order
	for _, o := range list {
		if strings.Contains(strings.ToLower(o.Number+" "+o.CustomerName+" "+o.Phone), q) {
			out = append(out, o)
		}
	}
	return out
}

// orderTitle names an order: its number (or a quotation's) and the customer.
func (u *UI) orderTitle(o order.Order) string {
	key := "orders.title_order"
	if o.Quote {
		key = "orders.title_quote"
	}
	return u.L.T(key, l10n.Data{"Number": o.Number, "Customer": o.CustomerName})
}

// orderDetail is an order's second line: its status, lines and money.
func (u *UI) orderDetail(o order.Order) string {
	text := u.L.T("orders.status."+string(o.Status())) + " · " + u.L.N("orders.lines", len(o.Lines))
	if o.Pending {
		text = u.L.T("orders.pending") + " · " + text
	}
	if o.Quote {
		return text + " · " + u.money(o.Total())
	}
	return text + " · " + u.L.T("orders.money", l10n.Data{"Paid": u.money(o.Paid), "Balance": u.money(max(o.OpenValue()-o.Paid, 0))})
}

// orderLineText says what a line is and where it stands.
func (u *UI) orderLineText(o order.Order, l order.Line) string {
	where := u.L.T("orders.pickup_at", l10n.Data{"Store": l.Store})
	if l.Mode == order.Ship {
		where = u.L.T("orders.ship_to", l10n.Data{"Address": l.Address})
	}
	text := u.L.T("orders.line", l10n.Data{"Qty": u.L.Qty(l.Qty, l.UnitDecimals), "Name": l.Name, "Amount": u.money(l.Amount), "Where": where})
	if !l.Date.IsZero() {
		text += " · " + u.L.Date(l.Date)
	}
	if !o.Quote {
		q := func(v order.Qty) string { return u.L.Qty(v, l.UnitDecimals) }
		text += "\n    " + u.L.T("orders.progress", l10n.Data{"Picked": q(l.Picked), "Packed": q(l.Packed), "Done": q(l.Done)})
	}
	return text
}

// orderDialog shows an order with what can be done with it here now.
func (u *UI) orderDialog(o order.Order) {
	here := u.reg.Setup().StoreID
	head := widget.NewLabelWithStyle(u.orderTitle(o), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	info := widget.NewLabel(u.orderDetail(o) + "\n" + strings.TrimSpace(o.Phone))
	info.Wrapping = fyne.TextWrapWord
	rows := container.NewVBox()
	var pick, pack, ship, collect bool
	for _, l := range o.Lines {
		lb := widget.NewLabel(u.orderLineText(o, l))
		lb.Wrapping = fyne.TextWrapWord
		rows.Add(lb)
		if l.Store != here || l.Open() == 0 {
			continue
		}
		pick = pick || l.Picked < l.Qty-l.Cancelled
		pack = pack || (l.Mode == order.Ship && l.Packed < l.Picked)
		ship = ship || (l.Mode == order.Ship && l.Done < l.Packed)
		collect = collect || l.Mode == order.Pickup
	}
	var d dialog.Dialog
	after := func(pos.Result) {
		d.Hide()
		u.listOrders()
	}
	toSell := func(pos.Result) {
		d.Hide()
		u.showSell()
		u.refreshCart()
	}
	var buttons []fyne.CanvasObject
	add := func(op pos.OpID, icon fyne.Resource, run func()) {
		if u.reg.Can(op) {
			buttons = append(buttons, widget.NewButtonWithIcon(u.L.OpName(int(op)), icon, run))
		}
	}
	st := o.Status()
	switch {
	case o.Quote:
		if u.reg.Can(pos.OpProductSale) {
			add(pos.OpRecallOrder, theme.HistoryIcon(), func() { u.do(pos.RecallOrder{ID: o.ID}, toSell) })
		}
	case st != order.Cancelled && st != order.Completed:
		if pick {
			add(pos.OpPickFulfillment, theme.ConfirmIcon(), func() { u.do(pos.PickLines{ID: o.ID}, after) })
		}
		if pack {
			add(pos.OpPackFulfillment, theme.ContentPasteIcon(), func() { u.do(pos.PackLines{ID: o.ID}, after) })
		}
		if ship {
			add(pos.OpShipFulfillment, theme.MailSendIcon(), func() { u.do(pos.ShipLines{ID: o.ID}, after) })
		}
		if collect && u.reg.Can(pos.OpPayCash) {
			b := widget.NewButtonWithIcon(u.L.T("orders.collect"), theme.ConfirmIcon(), func() { u.do(pos.RecallOrder{ID: o.ID, Collect: true}, toSell) })
			b.Importance = widget.HighImportance
			buttons = append(buttons, b)
		}
		add(pos.OpEditOrder, theme.DocumentCreateIcon(), func() { d.Hide(); u.editOrderDialog(o) })
		add(pos.OpCancelOrder, theme.CancelIcon(), func() {
			u.confirm(u.L.T("orders.confirm_cancel", l10n.Data{"Number": o.Number}), func() {
				u.do(pos.CancelOrder{ID: o.ID}, func(r pos.Result) {
					if r.Completed != nil || u.reg.Cart() == nil {
						after(r) // nothing to pay back: cancelled at once
						return
					}
					toSell(r)
				})
			})
		})
	}
	body := container.NewVBox(head, info, widget.NewSeparator(), rows)
	scroll := container.NewVScroll(body)
	scroll.SetMinSize(fyne.NewSize(560, 320))
	content := container.NewBorder(nil, container.NewHBox(append([]fyne.CanvasObject{layout.NewSpacer()}, buttons...)...), nil, nil, scroll)
	d = dialog.NewCustom(u.L.T("orders.order"), u.L.T("button.close"), content, u.win)
	d.Resize(fyne.NewSize(640, 480))
	u.setDialog(d)
}

// orderForm is the customer-order form of the sell screen.
type orderForm struct {
	name, phone, store, address *field
	date                        *field // the day the customer expects it (empty: as soon as ready)
	mode                        *widget.Select
	quote                       *widget.Check
	dialog                      *dialog.FormDialog
	// tried says the form was sent once: from then on its fields are
	// checked as typed, a wrong one marked until it is right.
	tried  bool
	anyone bool   // the transaction has a customer: the name may stay empty
	done   func() // called once the order is made (the tour pays its deposit)
}

// Order modes of the form, in the order shown.
const (
	modeHere = iota
	modeThere
	modeShip
)

// customerOrder makes the transaction a customer order (ops 620 and
// 629–632) or a quotation (621); on a transaction that is an order
// already, it shows the order and lets the deposit be changed (132).
func (v *sellView) customerOrder(preset ...func(*orderForm)) {
	u := v.u
	c := u.reg.Cart()
	if c != nil && c.OrderEvent != nil && c.OrderEvent.Kind == order.Create && len(c.OrderEvent.Order.Lines) > 0 {
		u.orderCartDialog(c.OrderEvent.Order)
		return
	}
	f := &orderForm{name: u.newField(), phone: u.newField(), store: u.newField(), address: u.newField(), date: u.newField()}
	f.date.SetPlaceHolder(u.now().In(u.storeLoc()).Format(time.DateOnly))
	f.date.Validator = u.dayValidator
	u.orderF = f
	if c != nil {
		f.name.SetText(c.CustomerName)
		f.anyone = c.Customer != ""
	}
	need := func(bad func(string) bool, msg func() error) func(string) error {
		return func(s string) error {
			if f.tried && bad(strings.TrimSpace(s)) {
				return msg()
			}
			return nil
		}
	}
	f.name.Validator = need(func(s string) bool { return s == "" && !f.anyone }, func() error { return errors.New(u.L.T("error.order.customer")) })
	f.store.Validator = need(func(s string) bool { return s == "" && f.mode.SelectedIndex() == modeThere },
		func() error { return errors.New(u.L.T("orders.need_store")) })
	f.address.Validator = need(func(s string) bool { return s == "" && f.mode.SelectedIndex() == modeShip },
		func() error { return errors.New(u.L.T("error.order.address")) })
	modes := []string{u.L.T("orders.mode_here"), u.L.T("orders.mode_there"), u.L.T("orders.mode_ship")}
	f.mode = widget.NewSelect(modes, func(s string) {
		f.store.Disable()
		f.address.Disable()
		switch s {
		case modes[modeThere]:
			f.store.Enable()
		case modes[modeShip]:
			f.address.Enable()
		}
		if f.tried {
			_, _ = f.store.Validate(), f.address.Validate()
		}
	})
	f.mode.SetSelectedIndex(modeHere)
	f.store.SetPlaceHolder(u.L.T("doc.store_hint"))
	f.quote = widget.NewCheck(u.L.T("orders.as_quote"), nil)
	for _, p := range preset {
		p(f)
	}
	chain(f.name, f.phone, f.store, f.address, f.date)
	items := []*widget.FormItem{
		widget.NewFormItem(u.L.T("orders.customer"), f.name),
		widget.NewFormItem(u.L.T("customers.phone"), f.phone),
		widget.NewFormItem(u.L.T("orders.delivery"), f.mode),
		widget.NewFormItem(u.L.T("orders.store"), f.store),
		widget.NewFormItem(u.L.T("orders.address"), f.address),
		widget.NewFormItem(u.L.T("orders.date"), f.date),
		widget.NewFormItem("", f.quote),
	}
	f.dialog = dialog.NewForm(u.L.OpName(int(pos.OpCreateOrder)), u.L.T("button.ok"), u.L.T("button.cancel"), items, func(yes bool) {
		if yes {
			u.submitOrder(f)
		}
	}, u.win)
	f.dialog.Resize(fyne.NewSize(520, 480))
	u.setDialog(f.dialog)
	u.win.Canvas().Focus(f.name)
}

// submitOrder sends the form's order; a wrong field is marked and the
// form keeps what was typed.
func (u *UI) submitOrder(f *orderForm) {
	name, phone := strings.TrimSpace(f.name.Text), strings.TrimSpace(f.phone.Text)
	f.tried = true
	for _, e := range []*field{f.name, f.store, f.address, f.date} {
		if e.Validate() != nil {
			u.keepOpen(f.dialog, e) // marked; what was typed stays
			return
		}
	}
	if f.quote.Checked {
		u.try(pos.CreateQuote{Name: name, Phone: phone}, func(r pos.Result, err error) {
			if err != nil {
				u.orderError(f, err)
				return
			}
			u.refreshCart()
			u.message(u.L.OpName(int(pos.OpCreateQuote)), u.L.T("orders.quote_saved", l10n.Data{"Number": r.Order.Number}))
		})
		return
	}
	day, _ := u.parseDay(f.date.Text) // checked above
	var deliver pos.Operation
	switch f.mode.SelectedIndex() {
	case modeThere:
		deliver = pos.PickupAll{Delivery: pos.Delivery{Store: strings.TrimSpace(f.store.Text), Date: day}}
	case modeShip:
		deliver = pos.ShipAll{Delivery: pos.Delivery{Address: strings.TrimSpace(f.address.Text), Date: day}}
	default:
		deliver = pos.PickupAll{Delivery: pos.Delivery{Date: day}}
	}
	send := func() {
		u.try(deliver, func(_ pos.Result, err error) {
			u.refreshCart()
			if err != nil {
				u.orderError(f, err)
				return
			}
			if f.done != nil {
				f.done()
			}
		})
	}
	if c := u.reg.Cart(); c != nil && c.OrderEvent != nil {
		send() // made an order a moment ago: only the lines' delivery is left
		return
	}
	u.try(pos.CreateOrder{Name: name, Phone: phone}, func(_ pos.Result, err error) {
		if err != nil {
			u.orderError(f, err)
			return
		}
		send()
	})
}

// orderError shows the domain's refusal on the field it is about, or as a
// message.
func (u *UI) orderError(f *orderForm, err error) {
	var pe *poserr.Error
	if errors.As(err, &pe) {
		switch pe.Key {
		case "error.order.customer":
			f.name.SetValidationError(errors.New(u.L.Error(err)))
			u.keepOpen(f.dialog, f.name)
			return
		case "error.order.address":
			f.address.SetValidationError(errors.New(u.L.Error(err)))
			u.keepOpen(f.dialog, f.address)
			return
		}
	}
	u.message(u.L.T("error.title"), u.L.Error(err))
}

// orderCartDialog shows the order the transaction makes: its lines and the
// deposit, which a manager may change.
func (u *UI) orderCartDialog(o *order.Order) {
	rows := container.NewVBox(widget.NewLabelWithStyle(u.orderTitle(*o), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
	for _, l := range o.Lines {
		lb := widget.NewLabel(u.orderLineText(order.Order{Quote: true}, l))
		lb.Wrapping = fyne.TextWrapWord
		rows.Add(lb)
	}
	rows.Add(widget.NewLabel(u.L.T("orders.deposit_now", l10n.Data{"Deposit": u.money(o.Deposit), "Total": u.money(o.Total())})))
	amount := u.newField()
	amount.SetPlaceHolder(u.L.Number(0, u.reg.Setup().Currency.Digits))
	var d *dialog.FormDialog
	d = dialog.NewForm(u.L.T("orders.order"), u.L.OpName(int(pos.OpDepositOverride)), u.L.T("button.close"),
		[]*widget.FormItem{widget.NewFormItem("", rows), widget.NewFormItem(u.L.T("orders.deposit"), amount)}, func(yes bool) {
			if !yes {
				return
			}
			a, ok := u.parseAmount(amount.Text)
			if !ok {
				amount.SetValidationError(errors.New(u.L.T("shift.bad_amount")))
				u.keepOpen(d, amount)
				return
			}
			u.do(pos.DepositOverride{Amount: a}, func(pos.Result) { u.refreshCart() })
		}, u.win)
	d.Resize(fyne.NewSize(560, 420))
	u.setDialog(d)
	u.win.Canvas().Focus(amount)
}

// orderLineName is what the sell screen shows of a line of a customer
// order's money.
func (u *UI) orderLineName(ln cart.Line) string {
	key := map[cart.OrderRole]string{cart.OrderDeposit: "receipt.label.order_deposit", cart.OrderSettle: "receipt.label.order_settle",
		cart.OrderRefund: "receipt.label.order_refund", cart.OrderCharge: "receipt.label.order_charge"}[ln.Order.Role]
	return u.L.T(key) + " " + ln.Order.Number
}

// orderFromLookup orders a product looked up on the stock screen ("order
// for pick-up there"): it goes onto a sale, and the order form opens set to
// pick it up at the other store with the most available (or to ship it when
// no other store has it).
func (u *UI) orderFromLookup(info *pos.InventoryInfo) {
	best, most := "", order.Qty(0)
	for _, l := range info.Others {
		if a := l.Available(); a > most {
			best, most = l.StoreID, a
		}
	}
	id := info.Product.ID
	u.showSell()
	u.sellItem(pos.ProductSale{ProductID: id}, func(pos.Result) {
		if u.sell == nil {
			return
		}
		u.sell.customerOrder(func(f *orderForm) {
			if best != "" {
				f.mode.SetSelectedIndex(modeThere)
				f.store.SetText(best)
			} else {
				f.mode.SetSelectedIndex(modeShip)
			}
		})
	})
}

// editOrderDialog changes an open order's phone, pick-up store, date or
// address (op 614); what is left empty stays.
func (u *UI) editOrderDialog(o order.Order) {
	phone, store, date, addr := u.newField(), u.newField(), u.newField(), u.newField()
	phone.SetPlaceHolder(o.Phone)
	store.SetPlaceHolder(u.L.T("doc.store_hint"))
	date.SetPlaceHolder(u.now().In(u.storeLoc()).Format(time.DateOnly))
	date.Validator = u.dayValidator
	chain(phone, store, date, addr)
	var d *dialog.FormDialog
	d = dialog.NewForm(u.L.OpName(int(pos.OpEditOrder))+" "+o.Number, u.L.T("button.ok"), u.L.T("button.cancel"), []*widget.FormItem{
		widget.NewFormItem(u.L.T("customers.phone"), phone),
		widget.NewFormItem(u.L.T("orders.store"), store),
		widget.NewFormItem(u.L.T("orders.date"), date),
		widget.NewFormItem(u.L.T("orders.address"), addr),
	}, func(yes bool) {
		if !yes {
			return
		}
		day, err := u.parseDay(date.Text)
		if err != nil {
			u.keepOpen(d, date)
			return
		}
		u.try(pos.EditOrder{ID: o.ID, Phone: phone.Text, Store: store.Text, Date: day, Address: addr.Text}, func(_ pos.Result, err error) {
			if err != nil {
				u.message(u.L.T("error.title"), u.L.Error(err))
				return
			}
			u.listOrders()
		})
	}, u.win)
	d.Resize(fyne.NewSize(520, 360))
	u.setDialog(d)
	u.win.Canvas().Focus(phone)
}
