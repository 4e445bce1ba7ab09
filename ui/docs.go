package ui

import (
	"errors"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/opentill/opentill/pos"
	"github.com/opentill/opentill/pos/catalog"
	"github.com/opentill/opentill/pos/inventory"
	"github.com/opentill/opentill/ui/l10n"
)

// docList is a tab of the stock screen listing documents: the ones to
// receive (in) or the transfers (out).
type docList struct {
	in     bool
	docs   []inventory.Doc
	list   *widget.List
	found  *widget.Label
	open   *widget.Button
	chosen int
	tab    fyne.CanvasObject // the tab's content
}

// docView is a document being received or shipped: a large scan field (a
// scan is one more; a quantity typed first that many), the running totals
// and the lines with what is expected, received and scanned now.
type docView struct {
	in      bool
	info    *pos.DocInfo
	scan    *field
	qty     *field
	title   *widget.Label
	totals  *widget.Label
	last    *widget.Label
	list    *widget.List
	rows    []docRow
	post    *widget.Button
	closeIt *widget.Button
}

// docRow is a line of the document as the screen shows it.
type docRow struct {
	product  string
	name     string
	line     inventory.DocLine
	now      catalog.Qty
	onDoc    bool
	decimals int
}

// docTab is the receiving (in) or transfers (out) tab.
func (u *UI) docTab(v *stockScreen, in bool) fyne.CanvasObject {
	l := &docList{in: in, chosen: -1}
	if in {
		v.inbound = l
	} else {
		v.outbound = l
	}
	l.found = widget.NewLabel("")
	l.list = twoLineList(func() int { return len(l.docs) }, func(i int) (string, string) {
		return u.docTitle(l.docs[i]), u.docDetail(l.docs[i])
	})
	l.list.OnSelected = func(i widget.ListItemID) {
		l.chosen = i
		l.open.Enable()
	}
	l.open = widget.NewButtonWithIcon(u.L.T("stock.count_open"), theme.NavigateNextIcon(), func() {
		if l.chosen >= 0 && l.chosen < len(l.docs) {
			u.openDoc(l.docs[l.chosen].ID, in)
		}
	})
	l.open.Importance = widget.HighImportance
	l.open.Disable()
	var left []fyne.CanvasObject
	if !in {
		for _, b := range []struct {
			key string
			act pos.DocAction
		}{{"doc.new_transfer", pos.DocNew}, {"doc.request", pos.DocRequest}} {
			act := b.act
			left = append(left, widget.NewButtonWithIcon(u.L.T(b.key), theme.ContentAddIcon(), func() {
				u.prompt(u.L.T(b.key), u.L.T("doc.store_hint"), func(store string) {
					u.do(pos.OutboundOrder{Action: act, Store: store}, func(res pos.Result) {
						if res.Doc != nil {
							u.openDoc(res.Doc.Doc.ID, false)
						}
					})
				})
			}))
		}
	}
	bottom := container.NewHBox(append(left, layout.NewSpacer(), l.open)...)
	l.tab = container.NewBorder(l.found, bottom, nil, nil, l.list)
	return l.tab
}

// docTitle names a document: its number and where it comes from or goes.
func (u *UI) docTitle(d inventory.Doc) string {
	here := u.reg.Setup().StoreID
	switch {
	case d.Kind == inventory.PurchaseOrder:
		return u.L.T("doc.title_po", l10n.Data{"Number": d.Number, "From": d.From})
	case d.To == here:
		return u.L.T("doc.title_in", l10n.Data{"Number": d.Number, "Store": firstNonEmpty(d.FromName, d.From)})
	}
	return u.L.T("doc.title_out", l10n.Data{"Number": d.Number, "Store": firstNonEmpty(d.ToName, d.To)})
}

// docDetail is a document's second line: its status and size.
func (u *UI) docDetail(d inventory.Doc) string {
	status := u.L.T("doc.status." + string(d.Status()))
	if d.Draft {
		status = u.L.T("doc.status.draft")
	}
	text := status + " · " + u.L.N("doc.lines", len(d.Lines))
	if !d.DeliveryDate.IsZero() {
		text += " · " + u.L.T("doc.delivery", l10n.Data{"Date": u.L.Date(d.DeliveryDate)})
	}
	return text
}

// listDocs fills the receiving and transfers tabs.
func (u *UI) listDocs() {
	v := u.Stock()
	if v == nil {
		return
	}
	fill := func(l *docList, docs []inventory.Doc) {
		l.docs, l.chosen = docs, -1
		l.list.UnselectAll()
		l.open.Disable()
		l.list.Refresh()
		if len(docs) == 0 {
			setText(l.found, u.L.T("doc.none"))
		} else {
			setText(l.found, u.L.N("doc.found", len(docs)))
		}
	}
	if l := v.inbound; l != nil {
		u.do(pos.InboundOrder{}, func(res pos.Result) {
			if u.stockV == v {
				fill(l, res.Docs)
			}
		})
	}
	if l := v.outbound; l != nil {
		u.do(pos.OutboundOrder{}, func(res pos.Result) {
			if u.stockV == v {
				fill(l, res.Docs)
			}
		})
	}
}

// docOp is the operation of an action on the document on screen.
func docOp(in bool, act pos.DocAction, id, code string, qty catalog.Qty, closeShort bool) pos.Operation {
	if in {
		return pos.InboundOrder{Action: act, DocID: id, Barcode: code, Qty: qty, Close: closeShort}
	}
	return pos.OutboundOrder{Action: act, DocID: id, Barcode: code, Qty: qty}
}

// openDoc shows a document's screen.
func (u *UI) openDoc(id string, in bool) {
	u.do(docOp(in, pos.DocOpen, id, "", 0, false), func(res pos.Result) {
		if res.Doc == nil {
			return
		}
		u.sell, u.pay = nil, nil
		u.show("doc", u.docScreen(res.Doc, in))
		u.focusScan()
	})
}

// Doc returns the document on screen, for tests.
func (u *UI) Doc() *docView {
	if u.screen != "doc" {
		return nil
	}
	return u.docV
}

func (u *UI) docScreen(info *pos.DocInfo, in bool) fyne.CanvasObject {
	v := &docView{in: in}
	u.docV = v
	v.scan = u.newField()
	v.scan.SetPlaceHolder(u.L.T("doc.scan_hint"))
	v.scan.TextStyle = fyne.TextStyle{Bold: true}
	v.scan.OnSubmitted = func(string) { u.docScan(pos.DocScan) }
	v.qty = u.newField()
	v.qty.SetPlaceHolder(u.L.T("count.qty_hint"))
	v.qty.OnSubmitted = func(string) { u.win.Canvas().Focus(v.scan) }
	set := widget.NewButtonWithIcon(u.L.T("count.set"), theme.DocumentCreateIcon(), func() { u.docScan(pos.DocSet) })
	add := widget.NewButtonWithIcon(u.L.T("doc.add"), theme.ContentAddIcon(), func() { u.docScan(pos.DocScan) })
	add.Importance = widget.HighImportance
	v.title = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	v.title.Truncation = fyne.TextTruncateEllipsis
	v.totals = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	v.totals.Wrapping = fyne.TextWrapWord
	v.last = widget.NewLabel(u.L.T("doc.scan_first"))
	v.last.Wrapping = fyne.TextWrapWord
	v.list = widget.NewList(func() int { return len(v.rows) },
		func() fyne.CanvasObject {
			name := widget.NewLabel("")
			name.Truncation = fyne.TextTruncateEllipsis
			cols := container.NewGridWithColumns(3, widget.NewLabelWithStyle("", fyne.TextAlignTrailing, fyne.TextStyle{}),
				widget.NewLabelWithStyle("", fyne.TextAlignTrailing, fyne.TextStyle{}),
				widget.NewLabelWithStyle("", fyne.TextAlignTrailing, fyne.TextStyle{Bold: true}))
			return container.NewBorder(nil, nil, nil, container.NewGridWrap(fyne.NewSize(300, 36), cols), name)
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if i >= len(v.rows) {
				return
			}
			r := v.rows[i]
			b := o.(*fyne.Container)
			name := r.name
			if !r.onDoc {
				name = "+ " + name
			}
			setText(b.Objects[0].(*widget.Label), name)
			cols := b.Objects[1].(*fyne.Container).Objects[0].(*fyne.Container)
			q := func(x catalog.Qty) string { return u.L.Qty(x, r.decimals) }
			exp := v.info.Doc.Expected(r.line)
			done := r.line.Received
			if !v.in {
				exp, done = r.line.Ordered, r.line.Shipped
			}
			setText(cols.Objects[0].(*widget.Label), q(exp))
			setText(cols.Objects[1].(*widget.Label), q(done))
			setText(cols.Objects[2].(*widget.Label), q(r.now))
		})
	doneKey := "doc.col_received"
	if !in {
		doneKey = "doc.col_shipped"
	}
	head := container.NewBorder(nil, nil, nil, container.NewGridWrap(fyne.NewSize(300, 36), container.NewGridWithColumns(3,
		widget.NewLabelWithStyle(u.L.T("doc.col_expected"), fyne.TextAlignTrailing, fyne.TextStyle{Bold: true}),
		widget.NewLabelWithStyle(u.L.T(doneKey), fyne.TextAlignTrailing, fyne.TextStyle{Bold: true}),
		widget.NewLabelWithStyle(u.L.T("doc.col_now"), fyne.TextAlignTrailing, fyne.TextStyle{Bold: true}))),
		widget.NewLabelWithStyle(u.L.T("count.col_product"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
	back := widget.NewButtonWithIcon(u.L.T("doc.back"), theme.NavigateBackIcon(), func() { u.backToDocs(in) })
	act, key := pos.DocPost, "doc.receive"
	if !in {
		act, key = pos.DocShip, "doc.ship"
		if info.Doc.Draft && info.Doc.To == u.reg.Setup().StoreID {
			act, key = pos.DocSend, "doc.send"
		}
	}
	v.post = widget.NewButtonWithIcon(u.L.T(key), theme.ConfirmIcon(), func() { u.postDocument(act, false) })
	v.post.Importance = widget.HighImportance
	bottom := []fyne.CanvasObject{layout.NewSpacer()}
	if in {
		v.closeIt = widget.NewButtonWithIcon(u.L.T("doc.receive_close"), theme.DocumentSaveIcon(), func() { u.postDocument(pos.DocPost, true) })
		bottom = append(bottom, v.closeIt)
	}
	bottom = append(bottom, v.post)
	entry := container.NewBorder(nil, nil, nil, add, container.NewThemeOverride(v.scan, bigText{u.app.Settings().Theme()}))
	qtyRow := container.NewBorder(nil, nil, widget.NewLabel(u.L.T("count.qty")), set, v.qty)
	top := container.NewVBox(u.statusBarWith(back), v.title, v.totals, entry, qtyRow, v.last, widget.NewSeparator(), head)
	u.renderDoc(v, info)
	return container.NewBorder(top, container.NewHBox(bottom...), nil, nil, v.list)
}

// renderDoc shows a document's state: title, totals, lines and what can be
// done with it.
func (u *UI) renderDoc(v *docView, info *pos.DocInfo) {
	v.info = info
	d := info.Doc
	setText(v.title, u.docTitle(d)+" · "+u.docDetail(d))
	now := map[string]catalog.Qty{}
	for _, w := range info.Work {
		now[w.ProductID] = w.Qty
	}
	v.rows = v.rows[:0]
	seen := map[string]bool{}
	var units, dueUnits catalog.Qty
	for _, l := range d.Lines {
		seen[l.ProductID] = true
		v.rows = append(v.rows, docRow{product: l.ProductID, name: firstNonEmpty(info.Names[l.ProductID], l.ProductID), line: l, now: now[l.ProductID], onDoc: true})
		dueUnits += d.Due(l)
	}
	for _, w := range info.Work {
		if !seen[w.ProductID] {
			v.rows = append(v.rows, docRow{product: w.ProductID, name: firstNonEmpty(info.Names[w.ProductID], w.ProductID), line: inventory.DocLine{ProductID: w.ProductID}, now: w.Qty})
		}
	}
	dec := 0
	for i := range v.rows {
		r := &v.rows[i]
		for _, q := range []catalog.Qty{r.line.Ordered, r.line.Shipped, r.line.Received, r.now} {
			if q%catalog.One != 0 {
				r.decimals = 3
				dec = 3
			}
		}
		units += r.now
	}
	lines := 0
	for _, w := range info.Work {
		if w.Qty > 0 {
			lines++
		}
	}
	data := l10n.Data{"Lines": u.L.Int(int64(lines)), "Units": u.L.Qty(units, dec), "Due": u.L.Qty(dueUnits, dec)}
	key := "doc.totals_in"
	if !v.in {
		key = "doc.totals_out"
	}
	setText(v.totals, u.L.T(key, data))
	v.list.Refresh()
	can := (v.in && d.Receivable()) || (!v.in && d.Status() == inventory.DocOpen && (d.Draft || d.From == u.reg.Setup().StoreID))
	for _, b := range []*widget.Button{v.post, v.closeIt} {
		if b == nil {
			continue
		}
		if can {
			b.Enable()
		} else {
			b.Disable()
		}
	}
	if can {
		v.scan.Enable()
	} else {
		v.scan.Disable()
	}
}

// docScan scans into the document on screen: one more (or the quantity
// typed more), or set the quantity typed.
func (u *UI) docScan(act pos.DocAction) {
	v := u.Doc()
	if v == nil {
		return
	}
	code := strings.TrimSpace(v.scan.Text)
	if code == "" {
		u.win.Canvas().Focus(v.scan)
		return
	}
	var qty catalog.Qty
	if s := strings.TrimSpace(v.qty.Text); s != "" || act != pos.DocScan {
		q, err := l10n.ParseQty(strings.ReplaceAll(s, ",", "."))
		if err != nil || q < 0 || (act == pos.DocScan && q == 0) {
			v.qty.SetValidationError(errors.New(u.L.T("error.doc.qty")))
			setText(v.last, u.L.T("error.doc.qty"))
			u.win.Canvas().Focus(v.qty)
			return
		}
		qty = q
	}
	v.scan.SetText("")
	op := docOp(v.in, act, v.info.Doc.ID, code, qty, false)
	u.try(op, func(res pos.Result, err error) {
		if u.docV != v {
			return
		}
		if err != nil {
			setText(v.last, u.L.T("count.refused", l10n.Data{"Code": code, "Why": u.L.Error(err)}))
			v.last.Importance = widget.DangerImportance
			v.last.Refresh()
			u.win.Canvas().Focus(v.scan)
			return
		}
		v.qty.SetText("")
		v.qty.SetValidationError(nil)
		if res.Doc != nil {
			u.renderDoc(v, res.Doc)
			if l := res.Doc.Line; l != nil && res.Product != nil {
				v.last.Importance = widget.MediumImportance
				setText(v.last, u.L.T("doc.scanned", l10n.Data{"Name": res.Product.Name, "Now": u.L.Qty(l.Qty, res.Product.UnitDecimals())}))
			}
		}
		u.win.Canvas().Focus(v.scan)
	})
}

// postDocument receives, ships or sends what was scanned, after asking.
func (u *UI) postDocument(act pos.DocAction, closeShort bool) {
	v := u.Doc()
	if v == nil {
		return
	}
	d := v.info.Doc
	key := map[pos.DocAction]string{pos.DocPost: "doc.confirm_receive", pos.DocShip: "doc.confirm_ship", pos.DocSend: "doc.confirm_send"}[act]
	if closeShort {
		key = "doc.confirm_close"
	}
	u.confirm(u.L.T(key, l10n.Data{"Number": d.Number}), func() {
		u.do(docOp(v.in, act, d.ID, "", 0, closeShort), func(res pos.Result) {
			if res.Doc == nil {
				return
			}
			done := "doc.done_receive"
			switch act {
			case pos.DocShip:
				done = "doc.done_ship"
			case pos.DocSend:
				done = "doc.done_send"
			}
			if u.docV == v {
				u.renderDoc(v, res.Doc)
				setText(v.last, u.L.T(done, l10n.Data{"Number": d.Number}))
			}
		})
	})
}

// backToDocs goes back to the list a document was opened from.
func (u *UI) backToDocs(in bool) {
	u.showStock()
	v := u.stockV
	if v == nil {
		return
	}
	want := v.outbound
	if in {
		want = v.inbound
	}
	if want == nil {
		return
	}
	for i, t := range v.tabs.Items {
		if t.Content == want.tab {
			v.tabs.SelectIndex(i)
		}
	}
}
