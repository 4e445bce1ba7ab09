package ui

import (
	"context"
	"errors"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/opentill/opentill/pos"
	"github.com/opentill/opentill/pos/cart"
	"github.com/opentill/opentill/ui/l10n"
)

// journalView is the journal screen: the till's past transactions, searched
// by receipt number, day, amount or operator; one chosen shows its lines,
// and can be reprinted or returned.
type journalView struct {
	receipt, day, amount *field
	operator             *widget.Select
	opIDs                []string // by the operator select's index; "" = anyone
	search               *widget.Button
	found                *widget.Label
	list                 *widget.List
	rows                 []pos.TxnSummary
	names                map[string]string // operator names by ID

	detail    *widget.Label
	lines     []cart.Line
	linesList *widget.List
	chosen    string // receipt number of the transaction shown
	reprint   *widget.Button
	ret       *widget.Button
}

// journalTile is the home tile of the journal screen.
func journalTile() tile {
	return tile{"tile.journal", theme.ListIcon(), []pos.OpID{pos.OpReprintReceipt, pos.OpReturnTransaction},
		func(u *UI) { u.showJournal() }}
}

func (u *UI) showJournal() {
	u.sell, u.pay = nil, nil
	u.show("journal", u.journalScreen())
	u.searchJournal()
	u.win.Canvas().Focus(u.journalV.receipt)
}

// Journal returns the journal screen's view while it is shown, for tests.
func (u *UI) Journal() *journalView {
	if u.screen != "journal" {
		return nil
	}
	return u.journalV
}

func (u *UI) journalScreen() fyne.CanvasObject {
	v := &journalView{names: map[string]string{}}
	u.journalV = v
	v.receipt, v.day, v.amount = u.newField(), u.newField(), u.newField()
	v.receipt.SetPlaceHolder(u.L.T("journal.receipt_hint"))
	v.day.SetPlaceHolder(u.now().In(u.storeLoc()).Format(time.DateOnly))
	v.amount.SetPlaceHolder(u.money(0))
	v.day.Validator = u.dayValidator
	v.amount.Validator = func(s string) error {
		if strings.TrimSpace(s) == "" {
			return nil
		}
		if _, ok := u.parseAmount(s); !ok {
			return errors.New(u.L.T("error.input.amount"))
		}
		return nil
	}
	for _, f := range []*field{v.receipt, v.day, v.amount} {
		f.OnSubmitted = func(string) { u.searchJournal() }
	}
	opNames := []string{u.L.T("journal.anyone")}
	v.opIDs = []string{""}
	v.operator = widget.NewSelect(opNames, func(string) { u.searchJournal() })
	v.operator.SetSelectedIndex(0)
	v.search = widget.NewButtonWithIcon(u.L.T("journal.search"), theme.SearchIcon(), func() { u.searchJournal() })
	v.search.Importance = widget.HighImportance
	v.found = widget.NewLabel("")

	v.list = widget.NewList(func() int { return len(v.rows) },
		func() fyne.CanvasObject {
			when := widget.NewLabel("")
			who := widget.NewLabel("")
			who.Truncation = fyne.TextTruncateEllipsis
			total := widget.NewLabelWithStyle("", fyne.TextAlignTrailing, fyne.TextStyle{Bold: true})
			return container.NewBorder(nil, nil, when, container.NewGridWrap(fyne.NewSize(120, 36), total), who)
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if i >= len(v.rows) {
				return
			}
			r := v.rows[i]
			b := o.(*fyne.Container)
			who := b.Objects[0].(*widget.Label)
			when := b.Objects[1].(*widget.Label)
			total := b.Objects[2].(*fyne.Container).Objects[0].(*widget.Label)
			setText(when, u.L.DateTime(r.Finished))
			text := r.ReceiptNo + " · " + u.opName(r.Operator) + " · " + u.L.N("journal.lines", r.Lines)
			if r.Status == cart.Voided {
				text += " · " + u.L.T("journal.voided")
			}
			setText(who, text)
			setText(total, u.money(r.Total))
		})
	v.list.OnSelected = func(i widget.ListItemID) {
		if i < len(v.rows) {
			u.showPast(v.rows[i])
		}
	}
	v.detail = widget.NewLabel(u.L.T("journal.choose"))
	v.detail.Wrapping = fyne.TextWrapWord
	v.linesList = u.linesList(&v.lines, nil)
	v.reprint = widget.NewButtonWithIcon(u.L.T("journal.reprint"), theme.DocumentPrintIcon(), func() {
		if v.chosen != "" {
			u.reprint(v.chosen)
		}
	})
	v.ret = widget.NewButtonWithIcon(u.L.T("journal.return"), theme.ContentUndoIcon(), func() {
		if v.chosen != "" {
			u.returnFrom(v.chosen)
		}
	})
	v.reprint.Disable()
	v.ret.Disable()
	if !u.reg.Can(pos.OpReprintReceipt) {
		v.reprint.Hide()
	}
	if !u.reg.Can(pos.OpReturnTransaction) {
		v.ret.Hide()
	}

	form := widget.NewForm(
		widget.NewFormItem(u.L.T("journal.receipt"), v.receipt),
		widget.NewFormItem(u.L.T("journal.day"), v.day),
		widget.NewFormItem(u.L.T("journal.amount"), v.amount),
		widget.NewFormItem(u.L.T("journal.operator"), v.operator))
	chain(v.receipt, v.day, v.amount)
	left := container.NewBorder(container.NewVBox(form, container.NewHBox(layout.NewSpacer(), v.search), v.found), nil, nil, nil, v.list)
	right := container.NewBorder(v.detail, container.NewHBox(layout.NewSpacer(), v.ret, v.reprint), nil, nil,
		container.NewBorder(u.linesHeader(), nil, nil, nil, v.linesList))
	title := widget.NewLabelWithStyle(u.L.T("journal.title"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	home := widget.NewButtonWithIcon(u.L.T("button.home"), theme.HomeIcon(), func() { u.showHome() })
	var body fyne.CanvasObject
	if u.stacked() {
		split := container.NewVSplit(left, right)
		split.Offset = 0.5
		body = split
	} else {
		split := container.NewHSplit(left, right)
		split.Offset = 0.45
		body = split
	}
	u.fillOperators(v)
	return container.NewBorder(container.NewVBox(u.statusBarWith(home), title), nil, nil, nil, body)
}

// fillOperators offers the operators of the transactions on the till.
func (u *UI) fillOperators(v *journalView) {
	rows, err := u.svc.History(context.Background(), pos.TxnQuery{Limit: 1000})
	if err != nil {
		return
	}
	seen := map[string]bool{}
	opts := []string{u.L.T("journal.anyone")}
	ids := []string{""}
	for _, r := range rows {
		if !seen[r.Operator] {
			seen[r.Operator] = true
			opts = append(opts, u.opName(r.Operator))
			ids = append(ids, r.Operator)
		}
	}
	v.opIDs = ids
	v.operator.Options = opts
	v.operator.Refresh()
}

// opName is an operator's name, looked up once per screen.
func (u *UI) opName(id string) string {
	v := u.journalV
	if v == nil {
		return u.reg.OperatorName(context.Background(), id)
	}
	if n, ok := v.names[id]; ok {
		return n
	}
	n := u.reg.OperatorName(context.Background(), id)
	v.names[id] = n
	return n
}

// journalQuery reads the search fields; a wrong field is marked and nothing
// is searched.
func (u *UI) journalQuery(v *journalView) (pos.TxnQuery, bool) {
	q := pos.TxnQuery{Receipt: strings.TrimSpace(v.receipt.Text)}
	if i := v.operator.SelectedIndex(); i > 0 && i < len(v.opIDs) {
		q.Operator = v.opIDs[i]
	}
	ok := true
	if day, err := u.parseDay(v.day.Text); err != nil {
		v.day.SetValidationError(errors.New(u.L.T("journal.bad_day")))
		ok = false
	} else if !day.IsZero() {
		q.From, q.To = day, day.AddDate(0, 0, 1)
	}
	if s := strings.TrimSpace(v.amount.Text); s != "" {
		if a, good := u.parseAmount(s); good {
			q.Total, q.HasTotal = a, true
		} else {
			v.amount.SetValidationError(errors.New(u.L.T("error.input.amount")))
			ok = false
		}
	}
	return q, ok
}

// searchJournal lists the transactions the fields select.
func (u *UI) searchJournal() {
	v := u.Journal()
	if v == nil {
		return
	}
	q, ok := u.journalQuery(v)
	if !ok {
		setText(v.found, u.L.T("journal.fix_fields"))
		return
	}
	rows, err := u.svc.History(context.Background(), q)
	if err != nil {
		setText(v.found, u.L.Error(err))
		return
	}
	v.rows = rows
	v.list.UnselectAll()
	v.list.Refresh()
	if len(rows) == 0 {
		setText(v.found, u.L.T("journal.none"))
	} else {
		setText(v.found, u.L.N("journal.found", len(rows)))
	}
}

// showPast shows a past transaction's lines.
func (u *UI) showPast(r pos.TxnSummary) {
	v := u.Journal()
	if v == nil {
		return
	}
	v.chosen = r.ReceiptNo
	v.lines = nil
	head := u.L.T("journal.detail", l10n.Data{"Receipt": r.ReceiptNo, "Time": u.L.DateTime(r.Finished),
		"Operator": u.opName(r.Operator), "Total": u.money(r.Total)})
	if r.Status == cart.Voided {
		v.detail.SetText(head + " · " + u.L.T("journal.voided"))
		v.reprint.Disable()
		v.ret.Disable()
		v.linesList.Refresh()
		return
	}
	past, err := u.svc.Transaction(context.Background(), r.ReceiptNo)
	if err != nil {
		v.detail.SetText(head + "\n" + u.L.Error(err))
		v.reprint.Disable()
		v.ret.Disable()
		v.linesList.Refresh()
		return
	}
	v.lines = append(v.lines, past.Cart.Lines...)
	v.detail.SetText(head)
	u.lineHeights(v.linesList, v.lines)
	v.linesList.Refresh()
	v.reprint.Enable()
	if len(past.Returnable()) > 0 {
		v.ret.Enable()
	} else {
		v.ret.Disable()
	}
}

// returnFrom starts a return by receipt of a past sale on the sell screen.
func (u *UI) returnFrom(receiptNo string) {
	u.showSell()
	u.sell.returnByReceipt()
	rv := u.returnView
	rv.receipt.SetText(receiptNo)
	rv.find.OnTapped()
}

// parseDay reads a day (YYYY-MM-DD, as the reports screen takes it) in the
// store's time zone; "" is no day.
// dayValidator marks a day typed wrong (YYYY-MM-DD; empty is no day).
func (u *UI) dayValidator(s string) error {
	if _, err := u.parseDay(s); err != nil {
		return errors.New(u.L.T("journal.bad_day"))
	}
	return nil
}

func (u *UI) parseDay(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	return time.ParseInLocation(time.DateOnly, s, u.storeLoc())
}
