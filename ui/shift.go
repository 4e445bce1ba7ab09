package ui

import (
	"context"
	"errors"
	"fmt"
	"image/color"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/opentill/opentill/pos"
	"github.com/opentill/opentill/pos/cart"
	"github.com/opentill/opentill/pos/money"
	"github.com/opentill/opentill/pos/receipt"
	"github.com/opentill/opentill/pos/shift"
	"github.com/opentill/opentill/pos/till"
	"github.com/opentill/opentill/ui/l10n"
)

// shiftOps are the operations of the shift screen, in button order: the
// registry's shift and cash-management groups.
func shiftOps(g *pos.Registry) []pos.OpID {
	var ids []pos.OpID
	for _, s := range g.InGroup(pos.GroupShift, pos.GroupCash) {
		ids = append(ids, s.ID)
	}
	return ids
}

// shiftView is the shift and cash-management screen.
type shiftView struct {
	status  *widget.Label
	report  *widget.Label // the X or Z report as printed
	chart   *fyne.Container
	buttons map[pos.OpID]*widget.Button
	signOut *widget.Button // shown to one who may not join the shift open here
	last    *shift.Report

	// the open form, for tests
	amount, reason, extra *field
	account               *widget.Select
	counts                map[money.Amount]*field
	others                map[string]*field
	counted               *widget.Label
	form                  dialog.Dialog
}

// shiftTile is the home tile of the shift screen.
func shiftTile(ops *pos.Registry) tile {
	return tile{"tile.shift", theme.StorageIcon(), shiftOps(ops), func(u *UI) { u.showShift() }}
}

func (u *UI) showShift() {
	u.sell, u.pay = nil, nil
	u.show("shift", u.shiftScreen())
	u.refreshShift()
}

// shiftView returns the shift screen's state while it is shown.
func (u *UI) shiftView() *shiftView {
	if u.screen != "shift" {
		return nil
	}
	return u.shiftV
}

func (u *UI) shiftScreen() fyne.CanvasObject {
	v := &shiftView{buttons: map[pos.OpID]*widget.Button{}}
	u.shiftV = v
	v.status = widget.NewLabel("")
	v.status.Wrapping = fyne.TextWrapWord
	v.report = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Monospace: true})
	v.chart = container.NewVBox()
	var btns []fyne.CanvasObject
	for _, id := range shiftOps(u.reg.Operations()) {
		if !u.reg.Can(id) {
			continue
		}
		id := id
		b := widget.NewButton(u.L.OpName(int(id)), func() { u.shiftAction(id) })
		v.buttons[id] = b
		btns = append(btns, b)
	}
	title := widget.NewLabelWithStyle(u.L.T("shift.title"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	home := widget.NewButtonWithIcon(u.L.T("button.home"), theme.HomeIcon(), func() { u.showHome() })
	cols := 3
	if u.stacked() {
		cols = 2
	}
	v.signOut = widget.NewButtonWithIcon(u.L.T("button.signout"), theme.LogoutIcon(), func() { u.do(pos.SignOut{}, nil) })
	v.signOut.Hide()
	left := container.NewVBox(v.status, container.NewGridWithColumns(cols, btns...), v.signOut)
	right := container.NewVScroll(container.NewVBox(v.chart, container.NewCenter(v.report)))
	var body fyne.CanvasObject
	if u.stacked() {
		body = container.NewVSplit(left, right)
	} else {
		body = container.NewHSplit(left, right)
	}
	return container.NewBorder(container.NewVBox(u.statusBar(), title), container.NewHBox(home, layout.NewSpacer()), nil, nil, body)
}

// refreshShift shows the register's shift and only the actions that can
// be done in it now, the one to do next as the primary button.
func (u *UI) refreshShift() {
	v := u.shiftView()
	if v == nil {
		return
	}
	ctx := context.Background()
	g, err := u.svc.Shift(ctx)
	if sh := g.Shift; sh != nil {
		v.status.SetText(u.L.T("shift.open_by", u.shiftData(ctx, sh)))
	}
	switch {
	case err != nil:
		v.status.SetText(u.L.Error(err))
	case g.State == till.ShiftOthers:
		key := "shift.others_join"
		if !g.CanJoin {
			key = "shift.others_ask"
		}
		v.status.SetText(u.L.T(key, u.shiftData(ctx, g.Shift)))
	case g.Shift != nil:
	case g.State == till.ShiftNonDrawer:
		v.status.SetText(u.L.T("shift.non_drawer"))
	default:
		v.status.SetText(u.L.T("shift.none"))
	}
	now, primary := shiftActions(g)
	for id, b := range v.buttons {
		b.Importance = widget.MediumImportance
		if id == primary {
			b.Importance = widget.HighImportance
		}
		if now[id] {
			b.Show()
		} else {
			b.Hide()
		}
		b.Refresh()
	}
	if v.signOut != nil {
		if g.State == till.ShiftOthers && !g.CanJoin {
			v.signOut.Show() // the way out for one who may not join: the shift's operator signs in
		} else {
			v.signOut.Hide()
		}
	}
}

// shiftData is what the shift messages say of a shift: a number people can
// read (the register and the journal entry it opened with), its operator's
// name and when it opened.
func (u *UI) shiftData(ctx context.Context, sh *shift.Shift) l10n.Data {
	return l10n.Data{"No": shiftNo(sh), "Name": u.reg.OperatorName(ctx, sh.OpenedBy), "Terminal": sh.Terminal, "Time": u.L.DateTime(sh.Opened)}
}

// shiftNo is a shift's number as people read it: its register and the
// number of the journal entry that opened it (unique on the register).
func shiftNo(sh *shift.Shift) string {
	if sh.StartSeq <= 0 {
		return short(sh.ID)
	}
	return fmt.Sprintf("%s-%d", sh.Terminal, sh.StartSeq)
}

// shiftActions says which shift and cash operations can be done in the
// operator's shift state, and which one comes next (the primary action).
// Permissions are applied when the buttons are made.
func shiftActions(g till.ShiftGuidance) (map[pos.OpID]bool, pos.OpID) {
	set := func(ids ...pos.OpID) map[pos.OpID]bool {
		m := map[pos.OpID]bool{}
		for _, id := range ids {
			m[id] = true
		}
		return m
	}
	switch g.State {
	case till.ShiftNone:
		return set(pos.OpOpenShift, pos.OpResumeShift, pos.OpNonDrawerMode, pos.OpReprintZReport, pos.OpForwardCards), pos.OpOpenShift
	case till.ShiftOthers:
		return set(pos.OpJoinShift), pos.OpJoinShift
	case till.ShiftMine:
		return set(pos.OpDeclareStart, pos.OpFloatEntry, pos.OpTenderRemoval, pos.OpSafeDrop, pos.OpBankDrop,
			pos.OpIncomeAccount, pos.OpExpenseAccount, pos.OpOpenDrawer, pos.OpTenderDeclaration, pos.OpPrintXReport,
			pos.OpSuspendShift, pos.OpBlindCloseShift, pos.OpCloseShift, pos.OpReprintZReport, pos.OpForwardCards), pos.OpCloseShift
	case till.ShiftNonDrawer, till.ShiftNotRequired:
		return set(pos.OpReprintZReport, pos.OpForwardCards), 0
	}
	return set(), 0
}

func short(id string) string {
	if len(id) > 8 {
		return id[len(id)-8:]
	}
	return id
}

// parseAmount reads an amount typed with a point or a comma.
func (u *UI) parseAmount(s string) (money.Amount, bool) {
	return u.parseAmountIn(s, u.reg.Setup().Currency)
}

// parseAmountIn reads an amount typed in a currency (a foreign tender's).
func (u *UI) parseAmountIn(s string, cur money.Currency) (money.Amount, bool) {
	a, err := money.Parse(strings.ReplaceAll(strings.TrimSpace(s), ",", "."), cur.Digits)
	return a, err == nil && a >= 0
}

func (u *UI) shiftAction(id pos.OpID) {
	done := func(res pos.Result) {
		u.refreshShift()
		if res.Report != nil {
			u.showShiftReport(*res.Report, id == pos.OpReprintZReport)
		}
	}
	// moved confirms a cash movement with the cash the drawer should now hold.
	moved := func(a money.Amount) func(pos.Result) {
		return func(res pos.Result) {
			u.refreshShift()
			if res.DrawerCash != nil {
				u.message(u.L.OpName(int(id)), u.L.T("shift.moved", l10n.Data{"Amount": u.money(a), "Held": u.money(*res.DrawerCash)}))
			}
		}
	}
	switch id {
	case pos.OpOpenShift:
		u.shiftForm(id, false, false, "", func(a money.Amount, _, _ string) { u.do(pos.OpenShift{StartAmount: a}, done) })
	case pos.OpDeclareStart:
		u.shiftForm(id, false, false, "", func(a money.Amount, _, _ string) { u.do(pos.DeclareStart{Amount: a}, done) })
	case pos.OpFloatEntry:
		u.shiftForm(id, true, false, "", func(a money.Amount, r, _ string) { u.do(pos.FloatEntry{Amount: a, Reason: r}, moved(a)) })
	case pos.OpTenderRemoval:
		u.shiftForm(id, true, false, "", func(a money.Amount, r, _ string) { u.do(pos.TenderRemoval{Amount: a, Reason: r}, moved(a)) })
	case pos.OpSafeDrop:
		u.shiftForm(id, true, false, "", func(a money.Amount, r, _ string) { u.do(pos.SafeDrop{Amount: a, Reason: r}, moved(a)) })
	case pos.OpBankDrop:
		u.shiftForm(id, true, true, "", func(a money.Amount, r, bag string) { u.do(pos.BankDrop{Amount: a, Reason: r, Bag: bag}, moved(a)) })
	case pos.OpIncomeAccount:
		u.shiftForm(id, true, false, string(shift.IncomeAccount), func(a money.Amount, r, acc string) {
			u.do(pos.IncomeEntry{Account: acc, Amount: a, Reason: r}, moved(a))
		})
	case pos.OpExpenseAccount:
		u.shiftForm(id, true, false, string(shift.ExpenseAccount), func(a money.Amount, r, acc string) {
			u.do(pos.ExpenseEntry{Account: acc, Amount: a, Reason: r}, moved(a))
		})
	case pos.OpOpenDrawer:
		u.do(pos.OpenDrawer{}, done)
	case pos.OpForwardCards:
		u.do(pos.ForwardCards{}, func(res pos.Result) {
			if f := res.Forward; f != nil {
				u.message(u.L.OpName(int(id)), u.L.T("shift.forward_done", l10n.Data{"Sent": u.L.Int(int64(len(f.Results))),
					"Declined": u.L.Int(int64(len(f.Declined))), "Pending": u.L.Int(int64(len(f.Pending)))}))
			}
		})
	case pos.OpJoinShift:
		u.do(pos.JoinShift{}, done)
	case pos.OpNonDrawerMode:
		u.do(pos.NonDrawerMode{}, done)
	case pos.OpResumeShift:
		u.do(pos.ResumeShift{}, func(res pos.Result) { u.resumeDialog(res.Shifts, done) })
	case pos.OpTenderDeclaration:
		u.countDialog(done)
	case pos.OpSuspendShift:
		u.confirm(u.L.T("shift.confirm_suspend"), func() { u.do(pos.SuspendShift{}, done) })
	case pos.OpBlindCloseShift:
		u.confirm(u.L.T("shift.confirm_blind"), func() { u.do(pos.BlindCloseShift{}, done) })
	case pos.OpCloseShift:
		u.closeShiftDialog(done)
	case pos.OpPrintXReport:
		u.do(pos.PrintXReport{}, done)
	case pos.OpReprintZReport:
		u.do(pos.ReprintZReport{}, done)
	}
}

// shiftForm asks for an amount, optionally a reason, a bank bag number or
// an income/expense account, and calls ok.
func (u *UI) shiftForm(id pos.OpID, withReason, withBag bool, accountKind string, ok func(a money.Amount, reason, extra string)) {
	v := u.shiftView()
	v.amount, v.reason, v.extra, v.account = u.newField(), u.newField(), u.newField(), nil
	v.amount.SetPlaceHolder(u.L.Number(0, u.reg.Setup().Currency.Digits))
	items := []*widget.FormItem{widget.NewFormItem(u.L.T("shift.amount"), v.amount)}
	if accountKind != "" {
		var names []string
		ids := map[string]string{}
		for _, a := range u.reg.Setup().Accounts {
			if string(a.Kind) == accountKind {
				names = append(names, a.Name)
				ids[a.Name] = a.ID
			}
		}
		v.account = widget.NewSelect(names, func(s string) { v.extra.SetText(ids[s]) })
		if len(names) > 0 {
			v.account.SetSelectedIndex(0)
		}
		items = append([]*widget.FormItem{widget.NewFormItem(u.L.T("shift.account"), v.account)}, items...)
	}
	if withBag {
		items = append(items, widget.NewFormItem(u.L.T("shift.bag"), v.extra))
	}
	if withReason {
		items = append(items, widget.NewFormItem(u.L.T("shift.reason"), v.reason))
	}
	fields := []*field{v.amount}
	if withBag {
		fields = append(fields, v.extra)
	}
	if withReason {
		fields = append(fields, v.reason)
	}
	chain(fields...)
	var d *dialog.FormDialog
	d = dialog.NewForm(u.L.OpName(int(id)), u.L.T("button.ok"), u.L.T("button.cancel"), items, func(yes bool) {
		if !yes {
			return
		}
		a, good := u.parseAmount(v.amount.Text)
		if !good {
			// The amount is marked; the reason and bag number stay as typed.
			v.amount.SetValidationError(errors.New(u.L.T("shift.bad_amount")))
			u.keepOpen(d, v.amount)
			return
		}
		ok(a, strings.TrimSpace(v.reason.Text), strings.TrimSpace(v.extra.Text))
	}, u.win)
	d.Resize(fyne.NewSize(480, 300))
	v.form = d
	u.setDialog(d)
	u.win.Canvas().Focus(v.amount)
}

// resumeDialog lists the shifts that can be resumed.
func (u *UI) resumeDialog(list []shift.Shift, done func(pos.Result)) {
	var rows []fyne.CanvasObject
	for _, sh := range list {
		id := sh.ID
		data := u.shiftData(context.Background(), &sh)
		switch sh.Status {
		case shift.Suspended:
			rows = append(rows, widget.NewButton(u.L.T("shift.resume_row", data), func() {
				u.closeDialog()
				u.do(pos.ResumeShift{ID: id}, done)
			}))
		case shift.BlindClosed:
			// Count and close a blind-closed shift from this register.
			rows = append(rows, widget.NewButton(u.L.T("shift.blind_row", data), func() {
				u.closeDialog()
				u.countDialogFor(id, func(pos.Result) { u.do(pos.CloseShift{ID: id}, done) })
			}))
		}
	}
	if len(rows) == 0 {
		u.message(u.L.OpName(int(pos.OpResumeShift)), u.L.T("shift.none_suspended"))
		return
	}
	u.setDialog(dialog.NewCustom(u.L.OpName(int(pos.OpResumeShift)), u.L.T("button.cancel"), container.NewVBox(rows...), u.win))
}

// countDialog counts the drawer by denomination (cash) and takes the
// amounts of the other tenders, then declares each tender.
func (u *UI) countDialog(done func(pos.Result)) { u.countDialogFor("", done) }

// countDialogFor counts the register's shift ("") or a blind-closed one.
func (u *UI) countDialogFor(shiftID string, done func(pos.Result)) {
	v := u.shiftView()
	setup := u.reg.Setup()
	cur := setup.Currency
	v.counts, v.others = map[money.Amount]*field{}, map[string]*field{}
	var fields []*field
	v.counted = widget.NewLabel("")
	denoms := setup.Shifts.Denominations
	if len(denoms) == 0 {
		denoms = []money.Amount{5000, 2000, 1000, 500, 200, 100, 50, 20, 10, 5, 2, 1}
	}
	total := func() money.Amount {
		var t money.Amount
		for d, e := range v.counts {
			n, _ := strconv.ParseInt(strings.TrimSpace(e.Text), 10, 64)
			t += d * money.Amount(n)
		}
		return t
	}
	update := func(string) { v.counted.SetText(u.L.T("shift.counted", l10n.Data{"Amount": u.L.Money(total(), cur)})) }
	grid := container.NewGridWithColumns(4)
	for _, d := range denoms {
		e := u.newField()
		e.SetPlaceHolder("0")
		e.OnChanged = update
		v.counts[d] = e
		fields = append(fields, e)
		grid.Add(widget.NewLabel(u.L.Money(d, cur)))
		grid.Add(e)
	}
	update("")
	cashID := ""
	others := container.NewVBox()
	for _, t := range setup.TenderTypes {
		if t.Kind == cart.Cash && cashID == "" {
			cashID = t.ID
			continue
		}
		e := u.newField()
		tcur, name := u.reg.Setup().Currency, t.Name
		if t.Kind == cart.Currency {
			tcur, name = t.Foreign, t.Name+" ("+t.Foreign.Code+")" // counted in its own currency
		}
		e.SetPlaceHolder(u.L.Number(0, tcur.Digits))
		v.others[t.ID] = e
		fields = append(fields, e)
		others.Add(container.NewBorder(nil, nil, widget.NewLabel(u.L.T("shift.tender_amount", l10n.Data{"Tender": name})), nil, e))
	}
	chain(fields...) // Enter moves down the count; from the last it declares
	content := container.NewVBox(grid, v.counted, others)
	d := dialog.NewCustomConfirm(u.L.OpName(int(pos.OpTenderDeclaration)), u.L.T("button.ok"), u.L.T("button.cancel"), container.NewVScroll(content), func(yes bool) {
		if !yes {
			return
		}
		var counts []shift.Count
		for _, dv := range denoms {
			n, err := strconv.ParseInt(strings.TrimSpace(v.counts[dv].Text), 10, 64)
			if err == nil && n > 0 {
				counts = append(counts, shift.Count{Value: dv, Qty: n})
			}
		}
		op := pos.DeclareTender{Shift: shiftID, TenderID: cashID, Counts: counts}
		if len(counts) == 0 {
			op.Amount = 0
		}
		u.do(op, func(res pos.Result) {
			for id, e := range v.others {
				if strings.TrimSpace(e.Text) == "" {
					continue
				}
				cur := u.reg.Setup().Currency
				if tt, ok := setup.TenderType(id); ok && tt.Kind == cart.Currency {
					cur = tt.Foreign
				}
				a, good := u.parseAmountIn(e.Text, cur)
				if !good {
					u.message(u.L.T("error.title.invalid"), u.L.T("shift.bad_amount"))
					return
				}
				u.do(pos.DeclareTender{Shift: shiftID, TenderID: id, Amount: a}, nil)
			}
			done(res)
		})
	}, u.win)
	d.Resize(fyne.NewSize(560, 560))
	v.form = d
	u.setDialog(d)
}

// showShiftReport shows an X or Z report with its charts.
func (u *UI) showShiftReport(r shift.Report, copy bool) {
	v := u.shiftView()
	if v == nil {
		return
	}
	v.last = &r
	// On screen the report speaks the operator's language, in the store's
	// locale as the screens show amounts; the printer prints the store's.
	h := u.reg.Setup().Header
	h.Language, h.Locale = u.L.Lang, u.L.Format
	doc := receipt.NewShiftReport(r, h)
	doc.Copy = copy
	v.report.SetText(doc.Document(u.cfg.Receipts).Text(42))
	v.chart.Objects = nil
	cur := u.reg.Setup().Currency
	var hours []bar
	for _, h := range r.ByHour {
		hours = append(hours, bar{fmt.Sprintf("%02d", h.Hour), h.Amount})
	}
	var tenders []bar
	for _, t := range r.Tenders {
		if t.Tendered != 0 || t.Count > 0 {
			tenders = append(tenders, bar{t.Name, t.Tendered - t.Change})
		}
	}
	v.chart.Add(u.barChart(u.L.T("chart.by_hour"), hours, cur))
	v.chart.Add(u.barChart(u.L.T("chart.by_tender"), tenders, cur))
	v.chart.Refresh()
}

type bar struct {
	label string
	value money.Amount
}

// barChart draws horizontal bars (canvas rectangles) scaled to the largest value.
func (u *UI) barChart(title string, bars []bar, cur money.Currency) fyne.CanvasObject {
	const width = 260
	var maxV money.Amount
	for _, b := range bars {
		if abs := b.value; abs > maxV {
			maxV = abs
		} else if -abs > maxV {
			maxV = -abs
		}
	}
	rows := container.NewVBox(widget.NewLabelWithStyle(title, fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
	for _, b := range bars {
		w := float32(2)
		if maxV > 0 {
			v := b.value
			if v < 0 {
				v = -v
			}
			w = float32(width) * float32(v) / float32(maxV)
			if w < 2 {
				w = 2
			}
		}
		rect := canvas.NewRectangle(theme.Color(theme.ColorNamePrimary))
		if b.value < 0 {
			rect.FillColor = color.NRGBA{R: 0xd3, G: 0x2f, B: 0x2f, A: 0xff}
		}
		rect.SetMinSize(fyne.NewSize(w, 16))
		lbl := widget.NewLabel(b.label)
		amt := widget.NewLabel(u.L.Money(b.value, cur))
		rows.Add(container.NewHBox(container.NewGridWrap(fyne.NewSize(90, 24), lbl), container.NewCenter(rect), amt))
	}
	return rows
}

// needsShift reports whether the operator needs a shift to sell and may
// open, resume or join one or work without a drawer (till.ShiftGuidance):
// sign-in then leads to the shift screen. A till restarted with an open
// shift resumes it, so its operator goes straight on selling.
func (u *UI) needsShift() bool {
	g, err := u.svc.Shift(context.Background())
	return err == nil && g.CanGetIn()
}

// closeShiftDialog asks to close the shift, with room for the reason of a
// difference beyond the store's limit (which a manager then approves).
func (u *UI) closeShiftDialog(done func(pos.Result)) {
	reason := u.newField() // Enter closes the shift, Escape keeps it open
	reason.SetPlaceHolder(u.L.T("shift.close_reason_hint"))
	text := widget.NewLabel(u.L.T("shift.confirm_close"))
	text.Wrapping = fyne.TextWrapWord
	d := dialog.NewCustomConfirm(u.L.T("confirm.title"), u.L.T("button.yes"), u.L.T("button.no"),
		container.NewVBox(text, widget.NewForm(widget.NewFormItem(u.L.T("shift.close_reason"), reason))), func(yes bool) {
			if yes {
				u.do(pos.CloseShift{Reason: strings.TrimSpace(reason.Text)}, done)
			}
		}, u.win)
	d.Resize(fyne.NewSize(480, 240))
	u.setDialog(d)
	u.win.Canvas().Focus(reason)
}
