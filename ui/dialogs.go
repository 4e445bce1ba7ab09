package ui

import (
	"context"
	"errors"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/opentill/opentill/pos"
	"github.com/opentill/opentill/pos/catalog"
	"github.com/opentill/opentill/ui/l10n"
)

// prompt asks for one line of text.
func (u *UI) prompt(title, hint string, ok func(string)) {
	e := u.newField() // Enter answers, Escape cancels
	e.SetPlaceHolder(hint)
	d := dialog.NewForm(title, u.L.T("button.ok"), u.L.T("button.cancel"),
		[]*widget.FormItem{widget.NewFormItem(hint, e)}, func(yes bool) {
			if yes && strings.TrimSpace(e.Text) != "" {
				ok(strings.TrimSpace(e.Text))
			}
		}, u.win)
	d.Resize(fyne.NewSize(480, 200))
	u.promptEntry = e
	u.setDialog(d)
	u.win.Canvas().Focus(e)
}

// productDetails shows a product; canAdd offers to add it to the sale.
func (u *UI) productDetails(p catalog.Product, canAdd bool) {
	row := func(key, val string) []fyne.CanvasObject {
		return []fyne.CanvasObject{widget.NewLabelWithStyle(u.L.T(key), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), widget.NewLabel(val)}
	}
	var objs []fyne.CanvasObject
	objs = append(objs, row("product.id", p.ID)...)
	objs = append(objs, row("product.price", u.money(p.Price))...)
	objs = append(objs, row("product.category", strings.Trim(p.Department+" / "+p.Category, " /"))...)
	objs = append(objs, row("product.barcodes", strings.Join(p.Barcodes, ", "))...)
	objs = append(objs, row("product.unit", p.Unit)...)
	objs = append(objs, row("product.tax_group", p.TaxGroup)...)
	if p.VariantID != "" {
		objs = append(objs, row("product.variant", strings.Trim(p.Color+" "+p.Size, " "))...)
	}
	if p.Flags.Weighed {
		objs = append(objs, widget.NewLabel(u.L.T("product.by_weight")), widget.NewLabel(""))
	}
	name := widget.NewLabelWithStyle(p.Name, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	content := container.NewVBox(name, container.NewGridWithColumns(2, objs...))
	if stock := u.stockSection(p); stock != nil { // stock in other stores (syncstatus.go)
		content.Add(stock)
	}
	if u.reg.Can(pos.OpRecommendations) {
		// Bought together with it, from the store server's last lists.
		if r, err := u.reg.Do(context.Background(), pos.Recommendations{ProductID: p.ID, Limit: 3}); err == nil && len(r.Recommended) > 0 {
			names := make([]string, len(r.Recommended))
			for i, q := range r.Recommended {
				names[i] = q.Name
			}
			l := widget.NewLabel(u.L.T("product.together", l10n.Data{"Products": strings.Join(names, ", ")}))
			l.Wrapping = fyne.TextWrapWord
			content.Add(l)
		}
	}
	if canAdd && u.screen == "sell" && u.reg.Can(pos.OpProductSale) {
		d := dialog.NewCustomConfirm(u.L.T("product.title"), u.L.T("button.add"), u.L.T("button.close"), content, func(yes bool) {
			if yes {
				var qty catalog.Qty
				if u.sell != nil {
					qty = u.sell.padQty()
				}
				u.sellItem(pos.ProductSale{ProductID: p.ID, Qty: qty}, func(pos.Result) {
					if u.sell != nil {
						u.sell.pad.SetValue("")
						u.sell.search.SetText("")
					}
				})
			}
		}, u.win)
		u.setDialog(d)
		return
	}
	u.setDialog(dialog.NewCustom(u.L.T("product.title"), u.L.T("button.close"), content, u.win))
}

func (u *UI) priceCheckDialog() {
	u.prompt(u.L.T("pricecheck.title"), u.L.T("pricecheck.prompt"), func(s string) {
		u.do(pos.PriceCheck{Barcode: s}, func(r pos.Result) { u.productDetails(*r.Product, true) })
	})
}

// productsDialog is product search for the home screen (sales associates).
func (u *UI) productsDialog() {
	var products []catalog.Product
	found := widget.NewLabel("")
	list := widget.NewList(func() int { return len(products) },
		func() fyne.CanvasObject { return widget.NewLabel("") },
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if i < len(products) {
				o.(*widget.Label).SetText(products[i].Name + "  ·  " + u.money(products[i].Price))
			}
		})
	search := u.newField()
	search.SetPlaceHolder(u.L.T("sell.search_placeholder"))
	search.OnChanged = func(q string) {
		if len([]rune(strings.TrimSpace(q))) < 2 {
			products = nil
			list.Refresh()
			return
		}
		u.do(pos.ProductSearch{Query: q, Limit: 50}, func(r pos.Result) {
			products = r.Products
			list.Refresh()
			if len(products) == 0 {
				found.SetText(u.L.T("search.none"))
			} else {
				found.SetText(u.L.N("search.results", len(products)))
			}
		})
	}
	list.OnSelected = func(i widget.ListItemID) {
		if i < len(products) {
			u.productDetails(products[i], false)
		}
		list.UnselectAll()
	}
	d := dialog.NewCustom(u.L.T("search.title"), u.L.T("button.close"), container.NewBorder(search, found, nil, nil, list), u.win)
	d.Resize(fyne.NewSize(640, 520))
	u.setDialog(d)
	u.win.Canvas().Focus(search)
}

// recall lists the suspended transactions; choosing one takes it back.
func (v *sellView) recall() {
	u := v.u
	u.do(pos.Recall{}, func(r pos.Result) {
		if len(r.Suspended) == 0 {
			u.message(u.L.T("recall.title"), u.L.T("recall.none"))
			return
		}
		var rows []fyne.CanvasObject
		var d dialog.Dialog
		u.recallButtons = nil
		for _, s := range r.Suspended {
			s := s
			at := s.At
			if tm, err := time.Parse(time.RFC3339, s.At); err == nil {
				at = u.L.DateTime(tm)
			}
			text := u.L.T("recall.row", l10n.Data{"At": at, "Operator": u.reg.OperatorName(context.Background(), s.Operator), "Total": u.money(moneyOf(s.Total))}) + " · " + u.L.N("recall.lines", s.Lines)
			b := widget.NewButton(u.L.T("button.recall_this"), func() {
				d.Hide()
				u.do(pos.Recall{ID: s.ID}, func(pos.Result) {
					if u.sell != nil {
						u.sell.selected = 0
					}
					u.refreshCart()
				})
			})
			u.recallButtons = append(u.recallButtons, b)
			rows = append(rows, container.NewBorder(nil, nil, nil, b, widget.NewLabel(text)))
		}
		d = dialog.NewCustom(u.L.T("recall.title"), u.L.T("button.close"), container.NewVScroll(container.NewVBox(rows...)), u.win)
		d.Resize(fyne.NewSize(720, 420))
		u.setDialog(d)
	})
}

// returnView is the return-by-receipt dialog: find the sale, choose lines
// and quantities.
type returnView struct {
	receipt *field
	find    *widget.Button
	lines   *fyne.Container
	qty     map[int]*field
	no      string
}

// returnByReceipt finds a sale by receipt number and returns the chosen
// lines and quantities.
func (v *sellView) returnByReceipt() {
	u := v.u
	rv := &returnView{qty: map[int]*field{}}
	u.returnView = rv
	rv.receipt = u.newField()
	rv.receipt.SetPlaceHolder(u.L.T("return.receipt_no"))
	rv.lines = container.NewVBox()
	find := func() {
		no := strings.TrimSpace(rv.receipt.Text)
		rv.lines.Objects = nil
		rv.qty = map[int]*field{}
		var chained []*field
		past, err := u.svc.Transaction(context.Background(), no)
		if err != nil {
			rv.lines.Add(widget.NewLabel(u.L.Error(err)))
			rv.lines.Refresh()
			return
		}
		rv.no = past.Cart.ReceiptNo
		for _, r := range past.Returnable() {
			l, left := r.Line, r.Left
			e := u.newField()
			e.SetText("0")
			e.Validator = qtyValidator(u.L.T("error.input.qty"))
			rv.qty[l.No] = e
			chained = append(chained, e)
			text := u.L.T("return.line", l10n.Data{"Name": l.Name, "Sold": u.L.Qty(l.Qty, l.UnitDecimals), "Left": u.L.Qty(left, l.UnitDecimals)})
			rv.lines.Add(container.NewBorder(nil, nil, nil, container.NewGridWrap(fyne.NewSize(110, 40), e), widget.NewLabel(text)))
		}
		if len(rv.qty) == 0 {
			rv.lines.Add(widget.NewLabel(u.L.T("return.nothing_left")))
		}
		chain(chained...)
		rv.lines.Refresh()
		if len(chained) > 0 {
			u.win.Canvas().Focus(chained[0])
		}
	}
	rv.receipt.OnSubmitted = func(string) { find() }
	rv.find = widget.NewButton(u.L.T("button.find"), find)
	content := container.NewBorder(container.NewBorder(nil, nil, nil, rv.find, rv.receipt), nil, nil, nil, container.NewVScroll(rv.lines))
	var d *dialog.ConfirmDialog
	d = dialog.NewCustomConfirm(u.L.T("return.title"), u.L.T("button.return"), u.L.T("button.cancel"), content, func(yes bool) {
		if !yes {
			return
		}
		var sel []pos.ReturnLine
		for _, no := range sortedEntryKeys(rv.qty) {
			q, err := l10n.ParseQty(rv.qty[no].Text)
			if err != nil || q < 0 {
				// The wrong quantity is marked; the sale found and the other
				// quantities stay as typed.
				rv.qty[no].SetValidationError(errors.New(u.L.T("error.input.qty")))
				u.keepOpen(d, rv.qty[no])
				return
			}
			if q > 0 {
				sel = append(sel, pos.ReturnLine{LineNo: no, Qty: q})
			}
		}
		if len(sel) == 0 {
			rv.lines.Add(widget.NewLabel(u.L.T("return.none_selected")))
			u.keepOpen(d, rv.receipt)
			return
		}
		u.do(pos.ReturnTransaction{ReceiptNo: rv.no, Lines: sel}, func(pos.Result) { u.refreshCart() })
	}, u.win)
	d.Resize(fyne.NewSize(760, 480))
	u.setDialog(d)
	u.win.Canvas().Focus(rv.receipt)
}

// unlockDialog lets a manager unlock an operator locked by failed sign-ins.
func (u *UI) unlockDialog() {
	u.prompt(u.L.T("unlock.title"), u.L.T("unlock.prompt"), func(id string) {
		u.do(pos.UnlockOperator{OperatorID: id}, func(pos.Result) {
			u.message(u.L.T("unlock.title"), u.L.T("unlock.done", l10n.Data{"ID": id}))
		})
	})
}

// settingsDialog switches the theme.
func (u *UI) settingsDialog() {
	// The looks by position: the choice never depends on a translation.
	looks := []Look{Light, Dark, HighContrast}
	names := []string{u.L.T("settings.theme.light"), u.L.T("settings.theme.dark"), u.L.T("settings.theme.contrast")}
	radio := widget.NewRadioGroup(names, nil)
	radio.SetSelected(names[u.cfg.look()])
	radio.OnChanged = func(s string) {
		for i, n := range names {
			if n == s {
				u.SetLook(looks[i])
			}
		}
	}
	items := []fyne.CanvasObject{widget.NewLabelWithStyle(u.L.T("settings.theme"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), radio}
	if u.cfg.IdleLock > 0 {
		items = append(items, widget.NewLabel(u.L.N("settings.idle", int(u.cfg.IdleLock.Minutes()+0.5))))
	}
	items = append(items, u.syncSettingsItems()...) // store server (settings.go)
	items = append(items, u.aboutItems()...)        // version, commit, build date (about.go)
	u.setDialog(dialog.NewCustom(u.L.T("settings.title"), u.L.T("button.close"), container.NewVBox(items...), u.win))
}

// askPrice asks for the price of an item whose price is keyed in and sells
// it with that price.
func (u *UI) askPrice(p catalog.Product, op pos.ProductSale, ok func(pos.Result)) {
	u.prompt(u.L.T("price.keyin_title", l10n.Data{"Name": p.Name}), u.L.T("price.keyin_hint"), func(s string) {
		a, err := l10n.ParseAmount(s, u.reg.Setup().Currency.Digits)
		if err != nil || a <= 0 {
			u.message(u.L.T("error.title"), u.L.T("error.input.amount"))
			return
		}
		op.Price = a
		if op.Barcode == "" {
			op.ProductID = p.ID
		}
		u.sellItem(op, ok)
	})
}

// qtyValidator accepts a quantity of zero or more as the till reads it.
func qtyValidator(msg string) fyne.StringValidator {
	return func(s string) error {
		if q, err := l10n.ParseQty(s); err != nil || q < 0 {
			return errors.New(msg)
		}
		return nil
	}
}
