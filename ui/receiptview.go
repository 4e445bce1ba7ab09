package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/opentill/opentill/pos"
	"github.com/opentill/opentill/pos/receipt"
	"github.com/opentill/opentill/ui/l10n"
)

type receiptView struct {
	text    *widget.Label
	reprint *widget.Button
	next    *widget.Button
}

// receiptScreen previews the receipt document of the last transaction, with
// reprint (permission or manager override) and a button for the next sale.
func (u *UI) receiptScreen(rc *receipt.Receipt) fyne.CanvasObject {
	v := &receiptView{}
	u.receipt = v
	v.text = widget.NewLabelWithStyle(rc.Text(42), fyne.TextAlignLeading, fyne.TextStyle{Monospace: true})
	paper := container.NewVScroll(container.NewCenter(widget.NewCard("", "", v.text)))
	no := rc.ReceiptNo
	v.reprint = widget.NewButtonWithIcon(u.L.T("button.reprint"), theme.DocumentPrintIcon(), func() { u.reprint(no) })
	v.next = widget.NewButtonWithIcon(u.L.T("button.new_sale"), theme.ContentAddIcon(), func() { u.showSell() })
	v.next.Importance = widget.HighImportance
	title := widget.NewLabelWithStyle(u.L.T("receipt.preview", l10n.Data{"No": no}), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	home := widget.NewButtonWithIcon(u.L.T("button.home"), theme.HomeIcon(), func() { u.showHome() })
	return container.NewBorder(container.NewVBox(u.statusBar(), title), container.NewHBox(home, layout.NewSpacer(), v.reprint, v.next), nil, nil, paper)
}

func (u *UI) showReceipt(rc *receipt.Receipt) {
	u.sell, u.pay = nil, nil
	u.show("receipt", u.receiptScreen(rc))
}

// ReceiptText returns the receipt shown on the preview, for tests.
func (u *UI) ReceiptText() string {
	if u.receipt == nil {
		return ""
	}
	return u.receipt.text.Text
}

// reprint asks the register for a copy of a receipt and previews it.
func (u *UI) reprint(no string) {
	u.do(pos.ReprintReceipt{ReceiptNo: no}, func(r pos.Result) {
		if r.Receipt != nil {
			u.showReceipt(r.Receipt)
		}
	})
}
