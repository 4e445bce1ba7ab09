package ui

import (
	"context"
	"errors"
	"maps"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/opentill/opentill/pos"
	"github.com/opentill/opentill/pos/cart"
	"github.com/opentill/opentill/pos/customer"
	"github.com/opentill/opentill/pos/poserr"
	"github.com/opentill/opentill/ui/l10n"
)

// customersView is the customer search: one field (name, phone, e-mail,
// card or number) searched as you type on the till's own copy, the results,
// and add to the sale, edit or create.
type customersView struct {
	search  *field
	found   *widget.Label
	list    *widget.List
	results []customer.Customer
	chosen  int // index of the chosen result, -1 for none
	add     *widget.Button
	edit    *widget.Button
	details *widget.Button
	create  *widget.Button
}

// customerForm is the create or edit form of a customer.
type customerForm struct {
	first, last, phone, email, card, birthday *field
	marketing, receipts                       *widget.Check
	fields                                    map[string]*field
}

// customersTile is the home tile of the customer search.
func customersTile() tile {
	return tile{"tile.customers", theme.AccountIcon(), []pos.OpID{pos.OpCustomerSearch}, func(u *UI) { u.customersDialog() }}
}

// customersDialog opens the customer search; from the sell screen a
// customer chosen goes on the sale.
func (u *UI) customersDialog() {
	v := &customersView{chosen: -1}
	u.customersV = v
	v.search = u.newField()
	v.search.SetPlaceHolder(u.L.T("customers.search_hint"))
	v.found = widget.NewLabel("")
	v.list = twoLineList(func() int { return len(v.results) }, func(i int) (string, string) {
		return v.results[i].Name(), customerDetail(v.results[i])
	})
	v.list.OnSelected = func(i widget.ListItemID) {
		v.chosen = i
		v.add.Enable()
		v.edit.Enable()
		v.details.Enable()
	}
	v.search.OnChanged = func(string) { u.searchCustomers() }
	v.search.OnSubmitted = func(string) {
		if len(v.results) > 0 {
			v.list.Select(0)
			if u.screen == "sell" {
				u.addChosenCustomer()
			}
		}
	}
	var d dialog.Dialog
	v.add = widget.NewButtonWithIcon(u.L.T("customers.add_to_sale"), theme.ConfirmIcon(), func() { u.addChosenCustomer() })
	v.add.Importance = widget.HighImportance
	v.add.Disable()
	if u.screen != "sell" || !u.reg.Can(pos.OpAddCustomer) {
		v.add.Hide()
	}
	v.edit = widget.NewButtonWithIcon(u.L.T("customers.edit"), theme.DocumentCreateIcon(), func() {
		if v.chosen >= 0 && v.chosen < len(v.results) {
			u.customerFormDialog(v.results[v.chosen], false)
		}
	})
	v.edit.Disable()
	if !u.reg.Can(pos.OpEditCustomer) {
		v.edit.Hide()
	}
	v.details = widget.NewButtonWithIcon(u.L.T("customers.details"), theme.InfoIcon(), func() {
		if v.chosen >= 0 && v.chosen < len(v.results) {
			u.customerPageDialog(v.results[v.chosen].ID)
		}
	})
	v.details.Disable()
	if !u.reg.Can(pos.OpCustomerDetails) {
		v.details.Hide()
	}
	v.create = widget.NewButtonWithIcon(u.L.T("customers.new"), theme.ContentAddIcon(), func() {
		u.customerFormDialog(customer.Customer{}, u.screen == "sell")
	})
	if !u.reg.Can(pos.OpCreateCustomer) {
		v.create.Hide()
	}
	content := container.NewBorder(container.NewVBox(v.search, v.found), container.NewGridWithColumns(4, v.create, v.edit, v.details, v.add), nil, nil, v.list)
	d = dialog.NewCustom(u.L.T("customers.title"), u.L.T("button.close"), content, u.win)
	d.Resize(fyne.NewSize(620, 560))
	u.setDialog(d)
	u.win.Canvas().Focus(v.search)
}

// customerDetail is the second line of a result: number, phone, e-mail,
// card.
func customerDetail(c customer.Customer) string {
	parts := []string{c.Number}
	for _, s := range []string{c.Phone, c.Email, c.LoyaltyCard} {
		if s != "" {
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, " · ")
}

// searchCustomers runs the search as typed (from two characters on).
func (u *UI) searchCustomers() {
	v := u.customersV
	if v == nil {
		return
	}
	q := strings.TrimSpace(v.search.Text)
	if len([]rune(q)) < 2 {
		v.results, v.chosen = nil, -1
		v.list.UnselectAll()
		v.list.Refresh()
		setText(v.found, "")
		return
	}
	u.do(pos.CustomerSearch{Query: q, Limit: 50}, func(r pos.Result) {
		if u.customersV != v || strings.TrimSpace(v.search.Text) != q {
			return // a later keystroke's search wins
		}
		v.results, v.chosen = r.Customers, -1
		v.list.UnselectAll()
		v.add.Disable()
		v.edit.Disable()
		v.details.Disable()
		v.list.Refresh()
		if len(r.Customers) == 0 {
			setText(v.found, u.L.T("customers.none"))
		} else {
			setText(v.found, u.L.N("customers.found", len(r.Customers)))
		}
	})
}

// addChosenCustomer puts the chosen customer on the sale.
func (u *UI) addChosenCustomer() {
	v := u.customersV
	if v == nil || v.chosen < 0 || v.chosen >= len(v.results) {
		return
	}
	c := v.results[v.chosen]
	u.closeDialog()
	u.do(pos.AddCustomer{ID: c.ID}, func(pos.Result) { u.refreshCart() })
}

// customerFormDialog creates (c zero) or edits a customer. A wrong field is
// marked and the form comes back as typed.
func (u *UI) customerFormDialog(c customer.Customer, addToSale bool) {
	f := &customerForm{fields: map[string]*field{}}
	u.customerF = f
	mk := func(name, text string) *field {
		e := u.newField()
		e.SetText(text)
		f.fields[name] = e
		return e
	}
	f.first, f.last = mk(customer.FieldFirstName, c.FirstName), mk(customer.FieldLastName, c.LastName)
	f.phone, f.email = mk(customer.FieldPhone, c.Phone), mk(customer.FieldEmail, c.Email)
	f.card, f.birthday = mk(customer.FieldLoyaltyCard, c.LoyaltyCard), mk(customer.FieldBirthday, c.Birthday)
	f.birthday.SetPlaceHolder("YYYY-MM-DD")
	// Each field checked as typed by the domain's own rules (one source):
	// a profile holding only that field, which a form then marks.
	check := func(name string, set func(*customer.Customer, string)) {
		f.fields[name].Validator = func(text string) error {
			c := customer.Customer{FirstName: "x", LastName: "x"}
			set(&c, text)
			c.Normalize()
			if err := c.Validate(); err != nil && fieldOf(err) == name {
				return errors.New(u.L.Error(err))
			}
			return nil
		}
	}
	check(customer.FieldPhone, func(c *customer.Customer, s string) { c.Phone = s })
	check(customer.FieldEmail, func(c *customer.Customer, s string) { c.Email = s })
	check(customer.FieldLoyaltyCard, func(c *customer.Customer, s string) { c.LoyaltyCard = s })
	check(customer.FieldBirthday, func(c *customer.Customer, s string) { c.Birthday = s })
	f.marketing = widget.NewCheck(u.L.T("customers.consent_marketing"), nil)
	f.marketing.SetChecked(c.Consent.EmailMarketing)
	f.receipts = widget.NewCheck(u.L.T("customers.consent_receipts"), nil)
	f.receipts.SetChecked(c.Consent.EmailReceipts)
	chain(f.first, f.last, f.phone, f.email, f.card, f.birthday)
	items := []*widget.FormItem{
		widget.NewFormItem(u.L.T("customers.first_name"), f.first),
		widget.NewFormItem(u.L.T("customers.last_name"), f.last),
		widget.NewFormItem(u.L.T("customers.phone"), f.phone),
		widget.NewFormItem(u.L.T("customers.email"), f.email),
		widget.NewFormItem(u.L.T("customers.card"), f.card),
		widget.NewFormItem(u.L.T("customers.birthday"), f.birthday),
	}
	// The store's own attributes, labelled as the store named them.
	attrs := u.reg.Setup().CustomerAttributes
	prev := f.birthday
	for _, name := range attrs {
		e := mk(customer.AttrField(name), c.Attributes[name])
		chain(prev, e)
		prev = e
		items = append(items, widget.NewFormItem(name, e))
	}
	items = append(items, widget.NewFormItem("", f.marketing), widget.NewFormItem("", f.receipts))
	title := u.L.T("customers.new")
	if c.ID != "" {
		title = u.L.T("customers.edit_title", l10n.Data{"Name": c.Name(), "Number": c.Number})
	}
	var d *dialog.FormDialog
	d = dialog.NewForm(title, u.L.T("button.ok"), u.L.T("button.cancel"), items, func(yes bool) {
		if !yes {
			return
		}
		edited := c
		edited.FirstName, edited.LastName = f.first.Text, f.last.Text
		edited.Phone, edited.Email, edited.LoyaltyCard, edited.Birthday = f.phone.Text, f.email.Text, f.card.Text, f.birthday.Text
		edited.Consent = customer.Consent{EmailMarketing: f.marketing.Checked, EmailReceipts: f.receipts.Checked}
		edited.Attributes = maps.Clone(c.Attributes)
		for _, name := range attrs {
			v := strings.TrimSpace(f.fields[customer.AttrField(name)].Text)
			if v == "" {
				delete(edited.Attributes, name)
				continue
			}
			if edited.Attributes == nil {
				edited.Attributes = map[string]string{}
			}
			edited.Attributes[name] = v
		}
		var op pos.Operation = pos.EditCustomer{Customer: edited}
		if c.ID == "" {
			op = pos.CreateCustomer{Customer: edited, AddToSale: addToSale}
		}
		u.try(op, func(res pos.Result, err error) {
			if name := fieldOf(err); name != "" && f.fields[name] != nil {
				// The wrong field is marked; the form comes back as typed.
				f.fields[name].SetValidationError(errors.New(u.L.Error(err)))
				u.showAgain(d, f.fields[name])
				return
			}
			if err != nil {
				u.after(op, res, err, nil)
				return
			}
			u.refreshCart()
			if u.customersV != nil && res.Customer != nil && u.dialog != nil {
				u.customersV.search.SetText(res.Customer.Number) // the new or edited customer, found
			}
		})
	}, u.win)
	d.Resize(u.dialogSize(560, 560+float32(len(attrs))*48))
	u.setDialog(d)
	u.win.Canvas().Focus(f.first)
}

// fieldOf is the form field a domain error names, if any.
func fieldOf(err error) string {
	var pe *poserr.Error
	if errors.As(err, &pe) {
		if s, ok := pe.Args["field"].(string); ok {
			return s
		}
	}
	return ""
}

// customerPanel shows the customer on the sale above the totals.
func (u *UI) customerPanel() *widget.Label {
	l := widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	l.Truncation = fyne.TextTruncateEllipsis
	l.Hide()
	return l
}

// renderCustomer shows the sale's customer and loyalty card on the panel,
// with the card's points as the till knows them.
func (u *UI) renderCustomer(l *widget.Label, name, number, txnID string, card *cart.Loyalty) {
	if l == nil {
		return
	}
	if number == "" && card == nil {
		l.Hide()
		return
	}
	if name == "" {
		name = number
	}
	text := u.L.T("customers.on_sale", l10n.Data{"Name": name, "Number": number})
	if number == "" {
		text = u.L.T("loyalty.on_sale", l10n.Data{"Card": card.Card})
	}
	l.Show()
	if card == nil {
		setText(l, text)
		return
	}
	// A card's points do not move while its sale is open: they are read
	// once per card and sale, not at every scan.
	key := card.Card + "|" + txnID
	if u.points.key == key {
		if u.points.text != "" {
			text += " · " + u.points.text
		}
		setText(l, text)
		return
	}
	setText(l, text)
	u.points.key, u.points.text = key, ""
	// The points are read beside the screen's work (this runs while events
	// are delivered, where an operation of the UI's queue must not wait),
	// and shown when known; a failure leaves the panel without them.
	go func() {
		r, err := u.reg.Do(context.Background(), pos.LoyaltyPoints{Card: card.Card})
		if err != nil || r.Loyalty == nil {
			return
		}
		fyne.Do(func() {
			pts := u.L.N("loyalty.points", int(r.Loyalty.Balance.Points()))
			if r.Loyalty.Tier != "" {
				pts = r.Loyalty.Tier + " · " + pts
			}
			if u.points.key != key {
				return // another card or sale since
			}
			u.points.text = pts
			if l.Text == text {
				setText(l, text+" · "+pts)
			}
		})
	}()
}

// customerPageDialog opens a customer's page: the profile, insights from
// the till's transactions, the purchase history, what they bought (each
// item can go on the sale again) and earlier values of the profile.
func (u *UI) customerPageDialog(id string) {
	u.do(pos.CustomerDetails{ID: id}, func(r pos.Result) {
		if r.Page == nil {
			return
		}
		u.showCustomerPage(r.Page)
	})
}

func (u *UI) showCustomerPage(p *pos.CustomerPage) {
	c, in := p.Customer, p.Insights
	title := widget.NewLabelWithStyle(c.Name(), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	title.Truncation = fyne.TextTruncateEllipsis
	detail := widget.NewLabel(customerDetail(c))
	detail.Truncation = fyne.TextTruncateEllipsis

	figure := func(label, value string) fyne.CanvasObject {
		v := widget.NewLabelWithStyle(value, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		v.Truncation = fyne.TextTruncateEllipsis
		l := widget.NewLabel(label)
		l.Truncation = fyne.TextTruncateEllipsis
		return container.NewVBox(l, v)
	}
	last := u.L.T("customers.never")
	if !in.LastVisit.IsZero() {
		last = u.L.DateTime(in.LastVisit)
	}
	segment := u.L.T("customers.segment.none")
	if in.Segment != customer.SegmentNone {
		segment = u.L.T("customers.segment." + string(in.Segment))
	}
	cells := []fyne.CanvasObject{
		figure(u.L.T("customers.spend"), u.money(in.Spend)),
		figure(u.L.T("customers.visits"), u.L.Int(int64(in.Visits))),
		figure(u.L.T("customers.average_basket"), u.money(in.AverageBasket)),
		figure(u.L.T("customers.last_visit"), last),
		figure(u.L.T("customers.segment"), segment),
	}
	if l := p.Loyalty; l != nil {
		pts := u.L.N("loyalty.points", int(l.Balance.Points()))
		if l.Tier != "" {
			pts = l.Tier + " · " + pts
		}
		cells = append(cells, figure(u.L.T("customers.points"), pts))
	}
	cols := len(cells)
	if u.dialogSize(860, 600).Width < 800 {
		cols = 3 // a tablet held upright: two rows
	}
	figures := container.NewGridWithColumns(cols, cells...)
	favs := u.L.T("customers.none_yet")
	if len(in.Favourites) > 0 {
		favs = strings.Join(in.Favourites, ", ")
	}
	favourites := widget.NewLabel(u.L.T("customers.favourites", l10n.Data{"Categories": favs}))
	favourites.Truncation = fyne.TextTruncateEllipsis
	// Where the purchases come from: every store's (live, or as last heard)
	// or this till's alone.
	scope := u.L.T("customers.history_here")
	switch {
	case p.ElsewhereLive:
		scope = u.L.T("customers.history_live")
	case !p.ElsewhereAsOf.IsZero():
		scope = u.L.T("customers.history_heard", l10n.Data{"Time": u.L.DateTime(p.ElsewhereAsOf)})
	case p.ElsewhereErr != nil:
		scope = u.L.T("customers.history_unreachable")
	}
	scopeLabel := widget.NewLabel(scope)
	scopeLabel.Truncation = fyne.TextTruncateEllipsis
	top := container.NewVBox(title, detail, figures, favourites, scopeLabel)
	selling := u.screen == "sell" && u.reg.Can(pos.OpProductSale)
	if in.NextBest != nil {
		s := widget.NewLabel(u.L.T("customers.suggestion", l10n.Data{"Item": in.NextBest.Name}))
		s.Truncation = fyne.TextTruncateEllipsis
		row := fyne.CanvasObject(s)
		if selling {
			id := in.NextBest.ProductID
			add := widget.NewButtonWithIcon(u.L.T("customers.add_item"), theme.ContentAddIcon(), func() { u.sellAgain(id) })
			row = container.NewBorder(nil, nil, nil, add, s)
		}
		top.Add(row)
	}

	purchases := widget.NewList(func() int { return len(p.Purchases) },
		func() fyne.CanvasObject {
			return container.NewGridWithColumns(3, widget.NewLabel(""), widget.NewLabel(""), widget.NewLabelWithStyle("", fyne.TextAlignTrailing, fyne.TextStyle{}))
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			t := p.Purchases[i]
			g := o.(*fyne.Container)
			setText(g.Objects[0].(*widget.Label), u.L.DateTime(t.Finished))
			where := t.ReceiptNo
			if t.Store != "" {
				where = firstNonEmpty(t.StoreName, t.Store) + " · " + t.ReceiptNo // at another store
			}
			setText(g.Objects[1].(*widget.Label), where)
			setText(g.Objects[2].(*widget.Label), u.money(t.Total))
		})
	items := widget.NewList(func() int { return len(p.Items) },
		func() fyne.CanvasObject {
			name := widget.NewLabel("")
			name.Truncation = fyne.TextTruncateEllipsis
			info := widget.NewLabel("")
			add := widget.NewButtonWithIcon("", theme.ContentAddIcon(), nil)
			if !selling {
				add.Hide()
			}
			return container.NewBorder(nil, nil, nil, container.NewHBox(info, add), name)
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			it := p.Items[i]
			b := o.(*fyne.Container)
			setText(b.Objects[0].(*widget.Label), it.Name)
			right := b.Objects[1].(*fyne.Container)
			setText(right.Objects[0].(*widget.Label), u.L.T("customers.item_info", l10n.Data{"Times": u.L.Int(int64(it.Times)), "Last": u.L.DateTime(it.Last)}))
			right.Objects[1].(*widget.Button).OnTapped = func() { u.sellAgain(it.ProductID) }
		})
	changes := widget.NewList(func() int { return len(c.History) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.Truncation = fyne.TextTruncateEllipsis
			return l
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			h := c.History[len(c.History)-1-i] // newest first
			value := h.Value
			if value == "" {
				value = "—"
			}
			setText(o.(*widget.Label), u.L.T("customers.change", l10n.Data{"Field": u.L.T("customers.field." + h.Field),
				"Value": value, "When": u.L.DateTime(h.At), "Where": h.By}))
		})
	empty := func(list *widget.List, n int, key string) fyne.CanvasObject {
		if n == 0 {
			return widget.NewLabel(u.L.T(key))
		}
		return list
	}
	tabs := container.NewAppTabs(
		container.NewTabItem(u.L.N("customers.purchases", len(p.Purchases)), empty(purchases, len(p.Purchases), "customers.no_purchases")),
		container.NewTabItem(u.L.T("customers.items"), empty(items, len(p.Items), "customers.no_purchases")),
		container.NewTabItem(u.L.T("customers.notes"), u.customerNotes(c)),
		container.NewTabItem(u.L.T("customers.wish_list"), u.customerWishes(c, selling)),
		container.NewTabItem(u.L.T("customers.changes"), empty(changes, len(c.History), "customers.no_changes")))
	if len(c.Attributes) > 0 {
		var parts []string
		for _, name := range u.reg.Setup().CustomerAttributes {
			if v := c.Attributes[name]; v != "" {
				parts = append(parts, name+": "+v)
			}
		}
		if len(parts) > 0 {
			a := widget.NewLabel(strings.Join(parts, " · "))
			a.Truncation = fyne.TextTruncateEllipsis
			top.Objects = slices.Insert(top.Objects, 2, fyne.CanvasObject(a))
		}
	}

	var actions []fyne.CanvasObject
	if c.Associate == "" && u.reg.Can(pos.OpAddToClientBook) {
		actions = append(actions, widget.NewButtonWithIcon(u.L.T("customers.add_to_book"), theme.ListIcon(), func() {
			u.do(pos.AddToClientBook{CustomerID: c.ID}, func(pos.Result) { u.customerPageDialog(c.ID) })
		}))
	}
	if u.reg.Can(pos.OpEditCustomer) {
		actions = append(actions, widget.NewButtonWithIcon(u.L.T("customers.edit"), theme.DocumentCreateIcon(), func() { u.customerFormDialog(c, false) }))
	}
	if u.screen == "sell" && u.reg.Can(pos.OpAddCustomer) {
		add := widget.NewButtonWithIcon(u.L.T("customers.add_to_sale"), theme.ConfirmIcon(), func() {
			u.closeDialog()
			u.do(pos.AddCustomer{ID: c.ID}, func(pos.Result) { u.refreshCart() })
		})
		add.Importance = widget.HighImportance
		actions = append(actions, add)
	}
	content := container.NewBorder(top, container.NewGridWithColumns(max(len(actions), 1), actions...), nil, nil, tabs)
	d := dialog.NewCustom(u.L.T("customers.page_title"), u.L.T("button.close"), content, u.win)
	d.Resize(u.dialogSize(860, 600))
	u.setDialog(d)
}

// customerNotes is the notes tab: a note to write, and the notes newest
// first (reminders with the day they are due, and Done).
func (u *UI) customerNotes(c customer.Customer) fyne.CanvasObject {
	notes := slices.Clone(c.Notes)
	slices.Reverse(notes)
	text := u.newField()
	text.SetPlaceHolder(u.L.T("customers.note_hint"))
	add := func() {
		if strings.TrimSpace(text.Text) == "" {
			return
		}
		u.do(pos.AddCustomerNote{CustomerID: c.ID, Text: text.Text}, func(pos.Result) { u.customerPageDialog(c.ID) })
	}
	text.OnSubmitted = func(string) { add() }
	write := widget.NewButtonWithIcon(u.L.T("customers.add_note"), theme.ContentAddIcon(), add)
	if !u.reg.Can(pos.OpAddCustomerNote) {
		text.Disable()
		write.Disable()
	}
	list := widget.NewList(func() int { return len(notes) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.Wrapping = fyne.TextWrapWord
			done := widget.NewButtonWithIcon("", theme.ConfirmIcon(), nil)
			return container.NewBorder(nil, nil, nil, done, l)
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			n := notes[i]
			b := o.(*fyne.Container)
			by := n.By
			if name := u.reg.OperatorName(context.Background(), n.By); name != "" {
				by = name
			}
			line := u.L.T("customers.note_line", l10n.Data{"When": u.L.DateTime(n.At), "By": by, "Text": n.Text})
			done := b.Objects[1].(*widget.Button)
			done.Hide()
			if n.Kind == customer.NoteReminder {
				line = u.L.T("customers.reminder_line", l10n.Data{"Note": line, "Due": u.L.DateTime(n.Due)})
				if !n.Done && u.reg.Can(pos.OpAddCustomerNote) {
					id := n.ID
					done.OnTapped = func() {
						u.do(pos.CompleteReminder{CustomerID: c.ID, NoteID: id}, func(pos.Result) { u.customerPageDialog(c.ID) })
					}
					done.Show()
				}
			}
			setText(b.Objects[0].(*widget.Label), line)
		})
	var body fyne.CanvasObject = list
	if len(notes) == 0 {
		body = widget.NewLabel(u.L.T("customers.no_notes"))
	}
	return container.NewBorder(container.NewBorder(nil, nil, nil, write, text), nil, nil, nil, body)
}

// customerWishes is the wish list tab: an item to scan or type, and the
// wish list, each product to the sale or off the list.
func (u *UI) customerWishes(c customer.Customer, selling bool) fyne.CanvasObject {
	wishes := c.WishList()
	code := u.newField()
	code.SetPlaceHolder(u.L.T("customers.wish_hint"))
	add := func() {
		if strings.TrimSpace(code.Text) == "" {
			return
		}
		u.do(pos.WishListAdd{CustomerID: c.ID, Code: code.Text}, func(pos.Result) { u.customerPageDialog(c.ID) })
	}
	code.OnSubmitted = func(string) { add() }
	addB := widget.NewButtonWithIcon(u.L.T("customers.add_wish"), theme.ContentAddIcon(), add)
	if !u.reg.Can(pos.OpWishListAdd) {
		code.Disable()
		addB.Disable()
	}
	list := widget.NewList(func() int { return len(wishes) },
		func() fyne.CanvasObject {
			name := widget.NewLabel("")
			name.Truncation = fyne.TextTruncateEllipsis
			toSale := widget.NewButtonWithIcon(u.L.T("customers.move_to_sale"), theme.ContentAddIcon(), nil)
			if !selling {
				toSale.Hide()
			}
			remove := widget.NewButtonWithIcon(u.L.T("customers.remove"), theme.DeleteIcon(), nil)
			if !u.reg.Can(pos.OpWishListRemove) {
				remove.Hide()
			}
			return container.NewBorder(nil, nil, nil, container.NewHBox(toSale, remove), name)
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			w := wishes[i]
			b := o.(*fyne.Container)
			setText(b.Objects[0].(*widget.Label), w.Name)
			btns := b.Objects[1].(*fyne.Container)
			btns.Objects[0].(*widget.Button).OnTapped = func() {
				u.do(pos.ProductSale{ProductID: w.ProductID}, func(pos.Result) {
					u.refreshCart()
					u.do(pos.WishListRemove{CustomerID: c.ID, ProductID: w.ProductID}, func(pos.Result) { u.customerPageDialog(c.ID) })
				})
			}
			btns.Objects[1].(*widget.Button).OnTapped = func() {
				u.do(pos.WishListRemove{CustomerID: c.ID, ProductID: w.ProductID}, func(pos.Result) { u.customerPageDialog(c.ID) })
			}
		})
	var body fyne.CanvasObject = list
	if len(wishes) == 0 {
		body = widget.NewLabel(u.L.T("customers.no_wishes"))
	}
	return container.NewBorder(container.NewBorder(nil, nil, nil, addB, code), nil, nil, nil, body)
}

// sellAgain puts a product a customer bought before on the sale.
func (u *UI) sellAgain(productID string) {
	u.do(pos.ProductSale{ProductID: productID}, func(pos.Result) { u.refreshCart() })
}

// dialogSize is w×h, made smaller to fit the window.
func (u *UI) dialogSize(w, h float32) fyne.Size {
	s := u.win.Canvas().Size()
	if s.Width > 0 && w > s.Width-32 {
		w = s.Width - 32
	}
	if s.Height > 0 && h > s.Height-32 {
		h = s.Height - 32
	}
	return fyne.NewSize(w, h)
}

// suggestionsDialog lists the products bought together with the sale's
// (ranked for its customer), each to add with a tap.
func (u *UI) suggestionsDialog() {
	u.do(pos.Recommendations{Limit: 8}, func(r pos.Result) {
		list := container.NewVBox()
		if len(r.Recommended) == 0 {
			list.Add(widget.NewLabel(u.L.T("suggest.none")))
		}
		for _, p := range r.Recommended {
			id := p.ID
			name := widget.NewLabel(p.Name)
			name.Truncation = fyne.TextTruncateEllipsis
			price := widget.NewLabel(u.money(p.Price))
			add := widget.NewButtonWithIcon(u.L.T("customers.add_item"), theme.ContentAddIcon(), func() {
				u.closeDialog()
				u.sellAgain(id)
			})
			list.Add(container.NewBorder(nil, nil, nil, container.NewHBox(price, add), name))
		}
		d := dialog.NewCustom(u.L.T("suggest.title"), u.L.T("button.close"), container.NewVScroll(list), u.win)
		d.Resize(u.dialogSize(560, 480))
		u.setDialog(d)
	})
}

// clientBookDialog lists the associate's customers, each with the
// reminders due, and opens a customer's page with a tap.
func (u *UI) clientBookDialog() {
	u.do(pos.ViewClientBook{}, func(r pos.Result) {
		list := container.NewVBox()
		if len(r.Customers) == 0 {
			list.Add(widget.NewLabel(u.L.T("clientbook.empty")))
		}
		for _, c := range r.Customers {
			id := c.ID
			detail := customerDetail(c)
			if due := c.Reminders(); len(due) > 0 {
				detail = u.L.N("clientbook.reminders", len(due), l10n.Data{"Next": u.L.DateTime(due[0].Due)}) + " · " + detail
			}
			b := widget.NewButton(c.Name()+" — "+detail, func() { u.closeDialog(); u.customerPageDialog(id) })
			b.Alignment = widget.ButtonAlignLeading
			list.Add(b)
		}
		d := dialog.NewCustom(u.L.T("op.712"), u.L.T("button.close"), container.NewVScroll(list), u.win)
		d.Resize(u.dialogSize(720, 560))
		u.setDialog(d)
	})
}
