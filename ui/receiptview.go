package ui

import (
	"context"
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"image/color"

	"github.com/opentill/opentill/pos"
	"github.com/opentill/opentill/pos/receipt"
	"github.com/opentill/opentill/ui/l10n"
)

type receiptView struct {
	text    *widget.Label
	reprint *widget.Button
	next    *widget.Button
	no      string
	copy    bool
	status  *widget.Label  // with a printer: printed, printing or waiting
	again   *widget.Button // with a printer: print the receipt that waits
	png     *canvas.Image  // virtual printer: the printout as a picture
	gift    *widget.Button // with a printer, on a sale: print a gift receipt
}

// receiptScreen previews the receipt document of the last transaction, with
// reprint (permission or manager override) and a button for the next sale.
func (u *UI) receiptScreen(rc *receipt.Receipt) fyne.CanvasObject {
	v := &receiptView{no: rc.ReceiptNo, copy: rc.Copy}
	u.receipt = v
	text := rc.Document(u.cfg.Receipts).Text(42)
	if vp := u.virtualPrinter(); vp != nil {
		// what the virtual printer printed, at its width
		if lr, lt, _ := vp.Last(); lr != nil && lr.ReceiptNo == rc.ReceiptNo && lr.Copy == rc.Copy && lr.Kind == rc.Kind {
			text = lt
		}
	}
	v.text = widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Monospace: true})
	paper := container.NewVScroll(container.NewCenter(widget.NewCard("", "", v.text)))
	no := rc.ReceiptNo
	v.reprint = widget.NewButtonWithIcon(u.L.T("button.reprint"), theme.DocumentPrintIcon(), func() { u.reprint(no) })
	v.next = widget.NewButtonWithIcon(u.L.T("button.new_sale"), theme.ContentAddIcon(), func() { u.showSell() })
	v.next.Importance = widget.HighImportance
	title := widget.NewLabelWithStyle(u.L.T("receipt.preview", l10n.Data{"No": no}), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	home := widget.NewButtonWithIcon(u.L.T("button.home"), theme.HomeIcon(), func() { u.showHome() })
	email := widget.NewButtonWithIcon(u.L.T("button.email_receipt"), theme.MailSendIcon(), func() { u.emailReceipt(no) })
	if !u.cfg.Mail || !u.reg.Can(pos.OpEmailReceipt) {
		email.Hide()
	}
	if u.receipts == nil {
		return container.NewBorder(container.NewVBox(u.statusBar(), title), container.NewHBox(home, layout.NewSpacer(), email, v.reprint, v.next), nil, nil, paper)
	}
	v.status = widget.NewLabel("")
	v.status.Truncation = fyne.TextTruncateEllipsis
	v.again = widget.NewButtonWithIcon(u.L.T("button.print_again"), theme.DocumentPrintIcon(), u.printAgain)
	v.again.Importance = widget.HighImportance
	// Print again shows only when a print failed; its place is kept, so the
	// buttons never move nor the screen grow when it appears (measured
	// while shown: a hidden button measures without its icon).
	room := canvas.NewRectangle(color.Transparent)
	room.SetMinSize(v.again.MinSize())
	v.again.Hide()
	again := container.NewStack(room, v.again)
	buttons := container.NewHBox(again, email, v.reprint, v.next)
	if rc.Kind == receipt.Sale {
		// a gift receipt of the sale: the gift layout, no prices
		v.gift = widget.NewButtonWithIcon(u.L.T("button.gift_receipt"), theme.DocumentPrintIcon(), func() { u.printCopy(rc.GiftCopy()) })
		buttons = container.NewHBox(again, v.gift, email, v.reprint, v.next)
	}
	bottom := container.NewBorder(nil, nil, home, buttons, v.status)
	if u.stacked() {
		// an upright tablet: the status above the buttons, which need the width
		bottom = container.NewVBox(v.status, container.NewBorder(nil, nil, home, buttons))
	}
	var view fyne.CanvasObject = paper
	if u.virtualPrinter() != nil {
		// the virtual printer's PNG beside the text
		v.png = canvas.NewImageFromFile("")
		v.png.FillMode = canvas.ImageFillOriginal
		view = container.NewAppTabs(container.NewTabItem(u.L.T("receipt.tab_text"), paper),
			container.NewTabItem(u.L.T("receipt.tab_png"), container.NewScroll(container.NewCenter(v.png))))
	}
	return container.NewBorder(container.NewVBox(u.statusBar(), title), bottom, u.devicesPanel(), nil, view)
}

// emailReceipt asks for the address (the customer's, if they have one) and
// queues the receipt for it.
func (u *UI) emailReceipt(no string) {
	u.prompt(u.L.T("email.title"), u.L.T("email.hint"), func(to string) {
		u.do(pos.EmailReceipt{ReceiptNo: no, To: to}, func(r pos.Result) {
			u.message(u.L.T("email.title"), u.L.T("email.queued", l10n.Data{"To": r.MailedTo}))
		})
	})
	if c := u.lastCustomerEmail(); c != "" && u.promptEntry != nil {
		u.promptEntry.SetText(c)
	}
}

// lastCustomerEmail is the e-mail address of the receipt's customer.
func (u *UI) lastCustomerEmail() string {
	if u.lastRcpt == nil || u.lastRcpt.Customer == "" {
		return ""
	}
	r, err := u.reg.Do(context.Background(), pos.CustomerSearch{Query: u.lastRcpt.Customer, Limit: 1})
	if err != nil || len(r.Customers) != 1 {
		return ""
	}
	return r.Customers[0].Email
}

func (u *UI) showReceipt(rc *receipt.Receipt) {
	u.sell, u.pay = nil, nil
	u.show("receipt", u.receiptScreen(rc))
	u.renderPrintStatus()
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
			u.printCopy(r.Receipt)
		}
	})
}
