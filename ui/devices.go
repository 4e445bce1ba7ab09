package ui

// The till's devices on screen, through the ports of pos/till and
// pos/till/devices: item sales through the till service (so weighed items
// read the scale), device notices as banners, printing and reprinting
// receipts, and the demo's virtual devices panel.

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/opentill/opentill/pos"
	"github.com/opentill/opentill/pos/catalog"
	"github.com/opentill/opentill/pos/money"
	"github.com/opentill/opentill/pos/poserr"
	"github.com/opentill/opentill/pos/receipt"
	"github.com/opentill/opentill/pos/till"
	"github.com/opentill/opentill/pos/till/devices"
	"github.com/opentill/opentill/ui/l10n"
)

// weighingDelay is how long a sale may take before the "weighing…"
// dialog shows: ordinary items are back long before.
const weighingDelay = 150 * time.Millisecond

// noticeOrder is the order of the banners, one per device.
var noticeOrder = []devices.Device{devices.Printer, devices.Drawer, devices.Scale, devices.Scanner, devices.Display}

// Devices are the till's devices as the screens use them;
// peripherals/station implements each of them.
type Devices struct {
	// Scale weighs items sold by weight; nil: the weight is keyed in.
	Scale till.Scale
	// Receipts prints receipts after a sale and again; nil: no printing.
	Receipts devices.Receipts
	// Panel is the virtual devices shown on the sell, payment and receipt
	// screens; nil: none.
	Panel *devices.Panel
}

// devState is the UI's devices state.
type devState struct {
	receipts devices.Receipts // nil without devices
	panel    *devices.Panel   // nil without virtual devices
	unwatch  func()

	banner      *fyne.Container                  // device notices, newest last
	bannerPanel *fyne.Container                  // the banner on its background, overlaying the screen
	notices     map[devices.Device]*noticeBanner // by device

	sales    []saleJob // item sales waiting for the one in progress
	selling  bool
	saleGen  int
	weighing dialog.Dialog

	devView  *devicesView
	scaleSet catalog.Qty // the weight last put on the virtual scale
}

type saleJob struct {
	op pos.ProductSale
	ok func(pos.Result)
}

type noticeBanner struct {
	box   fyne.CanvasObject
	text  *widget.Label
	again *widget.Button // printer: print the receipt that waits
}

// SetDevices wires the till's devices to the screens: item sales weigh on
// the scale, one after another in the order scanned; notices show as banners
// (Notice); receipts print and reprint; the virtual devices get a panel on
// the sell, payment and receipt screens and the preview follows the virtual
// printer. Call it before Start.
func (u *UI) SetDevices(d Devices) {
	u.svc = till.New(u.reg, till.Options{Scale: d.Scale, Transactions: u.cfg.Transactions})
	u.receipts, u.panel = d.Receipts, d.Panel
	if u.unwatch != nil {
		u.unwatch()
		u.unwatch = nil
	}
	if p := d.Panel; p != nil && p.Changes != nil {
		u.unwatch = p.Changes.Watch(func(c devices.Change) {
			u.post(func() {
				if c.Printed != nil {
					u.printed(c.Printed, c.Text)
					return
				}
				u.renderDevices()
			})
		})
	}
	if d.Receipts != nil {
		u.ensureBanner()
	}
}

// ensureBanner makes the notice banner (devices and extensions report in it).
func (u *UI) ensureBanner() {
	if u.banner != nil {
		return
	}
	// Notices overlay the top of the screen on a background of their
	// own: they never grow the window or push the bottom row off it.
	u.banner = container.NewVBox()
	bg := canvas.NewRectangle(theme.Color(theme.ColorNameOverlayBackground))
	bg.StrokeColor = theme.Color(theme.ColorNameShadow)
	bg.StrokeWidth = 1
	u.bannerPanel = container.NewStack(bg, container.NewPadded(u.banner))
	u.bannerPanel.Hide()
	u.win.SetContent(container.NewStack(u.root, container.NewVBox(u.bannerPanel)))
}

// post runs f on the UI goroutine (device callbacks come from the
// devices' goroutines).
func (u *UI) post(f func()) {
	if u.cfg.Post != nil {
		u.cfg.Post(f)
		return
	}
	fyne.Do(f)
}

// DisplayTexts are the customer display's words in a language, for the
// station that drives the display; locale is the store's (amounts and
// quantities on the display), "" for the one the store's setup names.
func DisplayTexts(lang, locale string) devices.Texts {
	l := l10n.Must(lang)
	return devices.Texts{Thanks: l.T("display.thanks"), Total: l.T("display.total"), Change: l.T("display.change"),
		Paid: l.T("display.paid"), Due: l.T("display.due"), Weighing: l.T("display.weighing"), Idle: l.T("display.idle"),
		Locale: locale}
}

// sellItem sells a product through the till service, so a weighed item
// without a quantity reads the scale. With a scale, sales run off the UI
// goroutine one after another in the order scanned, and a sale that waits
// for a stable weight shows the weighing dialog.
func (u *UI) sellItem(op pos.ProductSale, ok func(pos.Result)) {
	u.touch()
	if !u.svc.HasScale() {
		u.serial(func() { // in order with the other operations, off the UI goroutine
			sale, err := u.svc.Sell(context.Background(), op)
			u.events.Flush() // the events of the sale are on screen before its outcome
			fyne.Do(func() { u.sold(op, sale, err, ok) })
		})
		return
	}
	u.sales = append(u.sales, saleJob{op: op, ok: ok})
	if !u.selling {
		u.nextSale()
	}
}

func (u *UI) nextSale() {
	if len(u.sales) == 0 {
		u.selling = false
		return
	}
	j := u.sales[0]
	u.sales = u.sales[1:]
	u.selling = true
	u.saleGen++
	gen := u.saleGen
	ctx, cancel := context.WithCancel(context.Background())
	stopped := false // the cashier cancelled the weighing
	timer := time.AfterFunc(weighingDelay, func() {
		u.post(func() {
			if u.selling && u.saleGen == gen {
				u.showWeighing(func() { stopped = true; cancel() })
			}
		})
	})
	svc := u.svc
	u.cfg.Go(func() {
		sale, err := svc.Sell(ctx, j.op)
		u.events.Flush()
		u.post(func() {
			timer.Stop()
			cancel()
			u.hideWeighing()
			if !(stopped && err != nil) { // cancelled on the weighing dialog: nothing to say
				u.sold(j.op, sale, err, j.ok)
			}
			u.nextSale()
		})
	})
}

// sold shows the outcome of an item sale: the keyed-weight or keyed-price
// entry when the sale asks for one, else as any operation's.
func (u *UI) sold(op pos.ProductSale, sale till.Sale, err error, ok func(pos.Result)) {
	switch sale.Ask {
	case till.AskWeight:
		u.askWeight(*sale.Product, op.Price, ok)
	case till.AskPrice:
		u.askPrice(*sale.Product, op, ok)
	default:
		u.after(op, sale.Result, err, ok)
	}
}

// Selling reports whether an item sale is in progress (e.g. weighing).
func (u *UI) Selling() bool { return u.selling }

// showWeighing shows that the till waits for a stable weight; Cancel stops
// waiting.
func (u *UI) showWeighing(cancel func()) {
	var d dialog.Dialog
	stop := widget.NewButtonWithIcon(u.L.T("button.cancel"), theme.CancelIcon(), func() {
		cancel()
		d.Hide()
	})
	text := widget.NewLabel(u.L.T("weigh.text"))
	text.Wrapping = fyne.TextWrapWord
	d = dialog.NewCustomWithoutButtons(u.L.T("weigh.title"),
		container.NewVBox(container.NewGridWrap(fyne.NewSize(380, 60), text), widget.NewProgressBarInfinite(), container.NewCenter(stop)), u.win)
	u.weighing = d
	u.setDialog(d)
	u.dialogCancel = func() {
		cancel()
		d.Hide()
	}
}

func (u *UI) hideWeighing() {
	if u.weighing == nil {
		return
	}
	d := u.weighing
	u.weighing = nil
	if u.dialog == d {
		u.closeDialog()
	} else {
		d.Hide()
	}
	u.focusScan()
}

// askWeight is the keyed-weight entry, offered when the scale gives no
// stable weight and the profile allows keying it in (or there is no scale).
func (u *UI) askWeight(p catalog.Product, price money.Amount, ok func(pos.Result)) {
	if p.ID == "" {
		u.message(u.L.T("error.title"), u.L.T("error.item.needs_weight"))
		return
	}
	u.prompt(u.L.T("weigh.manual_title"), u.L.T("weigh.manual_hint"), func(s string) {
		q, err := l10n.ParseQty(s)
		if err != nil || q <= 0 {
			u.message(u.L.T("error.title"), u.L.T("error.input.qty"))
			return
		}
		u.sellItem(pos.ProductSale{ProductID: p.ID, Qty: q, Price: price}, ok)
	})
}

// Notice shows a device notice as a banner above the screen, one per
// device (the newest replaces the last); it does not block the till. Call
// it on the UI goroutine.
func (u *UI) Notice(n devices.Notice) {
	if n.Err == nil || u.banner == nil {
		return
	}
	if u.notices == nil {
		u.notices = map[devices.Device]*noticeBanner{}
	}
	text := u.deviceMessage(n.Err)
	if n.Code != "" {
		text = u.L.T("notice.scanned", l10n.Data{"Code": n.Code}) + " " + text
	}
	icon := theme.ErrorIcon()
	if n.Warning {
		icon = theme.WarningIcon()
	}
	nb := &noticeBanner{text: widget.NewLabel(text)}
	nb.text.Wrapping = fyne.TextWrapWord
	dev := n.Device
	dismiss := widget.NewButtonWithIcon("", theme.CancelIcon(), func() { u.dropNotice(dev) })
	dismiss.Importance = widget.LowImportance
	actions := container.NewHBox()
	if dev == devices.Printer && u.receipts != nil && u.receipts.Pending() != nil {
		nb.again = widget.NewButtonWithIcon(u.L.T("button.print_again"), theme.DocumentPrintIcon(), u.printAgain)
		nb.again.Importance = widget.HighImportance
		actions.Add(nb.again)
	}
	actions.Add(dismiss)
	nb.box = container.NewBorder(nil, nil, widget.NewIcon(icon), actions, nb.text)
	u.notices[dev] = nb
	u.renderNotices()
	u.renderPrintStatus()
}

// NoticeText returns the banner text shown for a device ("" when none), for tests.
func (u *UI) NoticeText(device devices.Device) string {
	if nb := u.notices[device]; nb != nil {
		return nb.text.Text
	}
	return ""
}

func (u *UI) dropNotice(device devices.Device) {
	if _, ok := u.notices[device]; !ok {
		return
	}
	delete(u.notices, device)
	u.renderNotices()
}

func (u *UI) renderNotices() {
	if u.banner == nil {
		return
	}
	u.banner.Objects = nil
	for _, dev := range append(noticeOrder[:len(noticeOrder):len(noticeOrder)], u.extNotices...) {
		if nb := u.notices[dev]; nb != nil {
			u.banner.Add(nb.box)
		}
	}
	if len(u.banner.Objects) == 0 {
		u.bannerPanel.Hide()
	} else {
		u.bannerPanel.Show()
	}
	u.banner.Refresh()
	u.bannerPanel.Refresh()
}

// deviceMessage translates a device error; a receipt that did not print
// gets its cause (paper out, printer offline…) in front.
func (u *UI) deviceMessage(err error) string {
	var pe *poserr.Error
	if !errors.As(err, &pe) {
		return u.L.Error(err)
	}
	if errors.Is(err, devices.ErrTimeout) {
		// "no stable weight in time": the scale's last reason says more
		var cause *poserr.Error
		if errors.As(pe.Err, &cause) && cause.Key != "" && u.L.Has(cause.Key) {
			return u.L.Error(cause)
		}
	}
	if pe.Key != devices.KeyReceiptWaits {
		return u.L.Error(err)
	}
	no, _ := pe.Args["receipt"].(string)
	msg := u.L.T(devices.KeyReceiptWaits, l10n.Data{"Receipt": no})
	if cause, _ := pe.Args["cause"].(string); cause != "" && u.L.Has(cause) {
		msg = u.L.T(cause) + " " + msg
	}
	return msg
}

// printAgain prints the receipt that waits (after paper out, a lost printer…).
func (u *UI) printAgain() {
	st := u.receipts
	if st == nil {
		return
	}
	u.touch()
	u.cfg.Go(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		err := st.Reprint(ctx)
		cancel()
		u.post(func() {
			if err != nil {
				u.Notice(devices.Notice{Device: devices.Printer, Err: err})
				return
			}
			u.dropNotice(devices.Printer)
			u.renderPrintStatus()
		})
	})
}

// printCopy prints a receipt copy the register made (Reprint).
func (u *UI) printCopy(r *receipt.Receipt) {
	st := u.receipts
	if st == nil || r == nil {
		return
	}
	u.cfg.Go(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		err := st.Print(ctx, r)
		cancel()
		u.post(func() {
			if err != nil {
				u.Notice(devices.Notice{Device: devices.Printer, Err: err, Receipt: r})
			}
			u.renderPrintStatus()
		})
	})
}

// printed follows the virtual printer: the preview shows what it printed.
func (u *UI) printed(r *receipt.Receipt, text string) {
	if u.screen == "receipt" && u.receipt != nil && u.receipt.no == r.ReceiptNo && u.receipt.copy == r.Copy && r.Kind != receipt.Gift {
		setText(u.receipt.text, text)
	}
	if nb := u.notices[devices.Printer]; nb != nil && u.receipts != nil && u.receipts.Pending() == nil {
		u.dropNotice(devices.Printer)
	}
	u.renderPrintStatus()
}

// renderPrintStatus shows on the receipt preview whether its receipt
// printed or waits, with Print again when it waits.
func (u *UI) renderPrintStatus() {
	v := u.receipt
	if u.screen != "receipt" || v == nil || v.status == nil || u.receipts == nil {
		return
	}
	pending := u.receipts.Pending()
	waits := pending != nil && pending.ReceiptNo == v.no
	switch {
	case waits:
		setText(v.status, u.L.T("receipt.waits"))
		v.status.Importance = widget.DangerImportance
		v.again.Show()
	default:
		v.again.Hide()
		v.status.Importance = widget.MediumImportance
		msg := u.L.T("receipt.printing")
		if last := u.receipts.Last(); last != nil && last.ReceiptNo == v.no {
			msg = u.L.T("receipt.printed")
		}
		if vp := u.virtualPrinter(); vp != nil {
			// the virtual printer says itself what it printed (its hook
			// runs before the station records the receipt as printed)
			if lr, _, png := vp.Last(); lr != nil && lr.ReceiptNo == v.no && lr.Copy == v.copy && png != "" {
				msg = u.L.T("receipt.printed_to", l10n.Data{"File": filepath.Base(png)})
				if v.png != nil && v.png.File != png {
					v.png.File = png
					v.png.Refresh()
				}
			}
		}
		setText(v.status, msg)
	}
	v.status.Refresh()
}

// devicesView is the demo's virtual devices panel: the scale's weight, the
// customer display's two lines, the drawer, the printer's paper.
type devicesView struct {
	weight   *widget.Entry
	setW     *widget.Button
	onScale  *widget.Label
	line1    *widget.Label
	line2    *widget.Label
	drawer   *widget.Label
	shut     *widget.Button
	paperOut *widget.Check
}

// Devices returns the virtual devices panel on show, for tests.
func (u *UI) Devices() *devicesView { return u.devView }

// virtualPrinter is the virtual receipt printer, or nil.
func (u *UI) virtualPrinter() devices.VirtualPrinter {
	if u.panel == nil {
		return nil
	}
	return u.panel.Printer
}

// devicesPanel builds the virtual devices panel, or returns nil when the
// till has no virtual devices.
func (u *UI) devicesPanel() fyne.CanvasObject {
	if !u.wide() {
		return nil // on a narrow till the panel opens from the status bar (devicesButton)
	}
	return u.buildDevicesPanel()
}

// wide reports whether the window has room for the virtual devices panel
// beside a screen; a 1024×768 till opens it as a dialog instead.
func (u *UI) wide() bool { return u.win.Canvas().Size().Width >= 1280 }

// devicesButton opens the virtual devices panel as a dialog on a till too
// narrow to show it beside the screen; nil when it is shown there or there
// are no virtual devices.
func (u *UI) devicesButton() fyne.CanvasObject {
	if u.panel.Empty() || u.wide() || u.stacked() {
		return nil
	}
	return widget.NewButtonWithIcon(u.L.T("tab.devices"), theme.ComputerIcon(), func() {
		d := dialog.NewCustom(u.L.T("devices.title"), u.L.T("button.close"), container.NewVScroll(u.buildDevicesPanel()), u.win)
		d.Resize(fyne.NewSize(360, 560))
		u.setDialog(d)
	})
}

// buildDevicesPanel builds the virtual devices panel.
func (u *UI) buildDevicesPanel() fyne.CanvasObject {
	d := u.panel
	if d.Empty() {
		u.devView = nil
		return nil
	}
	v := &devicesView{}
	u.devView = v
	bold := func(key string) *widget.Label {
		return widget.NewLabelWithStyle(u.L.T(key), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	}
	objs := []fyne.CanvasObject{bold("devices.title")}
	if d.Scale != nil {
		v.weight = widget.NewEntry()
		v.weight.SetPlaceHolder(u.L.Number(0, 3))
		set := func() {
			q, err := l10n.ParseQty(strings.TrimSpace(v.weight.Text))
			if err != nil || q < 0 {
				u.message(u.L.T("error.title"), u.L.T("error.input.qty"))
				return
			}
			u.SetScale(q)
			v.weight.SetText("")
		}
		v.weight.OnSubmitted = func(string) { set() }
		v.setW = widget.NewButton(u.L.T("devices.set_weight"), set)
		v.onScale = widget.NewLabel("")
		objs = append(objs, widget.NewLabel(u.L.T("devices.scale")), container.NewBorder(nil, nil, nil, v.setW, v.weight), v.onScale)
	}
	if d.Display != nil {
		mono := fyne.TextStyle{Monospace: true}
		v.line1 = widget.NewLabelWithStyle("", fyne.TextAlignLeading, mono)
		v.line2 = widget.NewLabelWithStyle("", fyne.TextAlignLeading, mono)
		objs = append(objs, widget.NewLabel(u.L.T("devices.display")), widget.NewCard("", "", container.NewVBox(v.line1, v.line2)))
	}
	if d.Drawer != nil {
		v.drawer = widget.NewLabel("")
		v.shut = widget.NewButton(u.L.T("devices.shut_drawer"), func() { d.Drawer.Shut() })
		objs = append(objs, widget.NewLabel(u.L.T("devices.drawer")), container.NewBorder(nil, nil, nil, v.shut, v.drawer))
	}
	if p := d.Printer; p != nil {
		v.paperOut = widget.NewCheck(u.L.T("devices.paper_out"), nil)
		v.paperOut.SetChecked(p.PaperOut())
		v.paperOut.OnChanged = func(out bool) { p.SetPaperOut(out) }
		objs = append(objs, widget.NewLabel(u.L.T("devices.printer")), v.paperOut)
	}
	u.renderDevices()
	return container.NewVBox(objs...)
}

// SetScale puts a weight on the demo's virtual scale (stable).
func (u *UI) SetScale(q catalog.Qty) {
	if u.panel == nil || u.panel.Scale == nil {
		return
	}
	u.scaleSet = q
	u.panel.Scale.Set(q, true)
	u.renderDevices()
}

// renderDevices shows the virtual devices' state.
func (u *UI) renderDevices() {
	v, d := u.devView, u.panel
	if v == nil || d == nil {
		return
	}
	if v.onScale != nil {
		setText(v.onScale, u.L.T("devices.on_scale", l10n.Data{"Weight": u.L.Qty(u.scaleSet, 3) + " kg"}))
	}
	if v.line1 != nil {
		l := d.Display.Lines()
		setText(v.line1, pad20(l[0], d.Display.Columns()))
		setText(v.line2, pad20(l[1], d.Display.Columns()))
	}
	if v.drawer != nil {
		if d.Drawer.IsOpen() {
			setText(v.drawer, u.L.T("devices.drawer_open"))
			v.drawer.Importance = widget.WarningImportance
			v.shut.Enable()
		} else {
			setText(v.drawer, u.L.T("devices.drawer_closed"))
			v.drawer.Importance = widget.MediumImportance
			v.shut.Disable()
		}
		v.drawer.Refresh()
	}
}

// DisplayLines returns the customer display's lines as the panel shows them, for tests.
func (v *devicesView) DisplayLines() (string, string) { return v.line1.Text, v.line2.Text }

// DrawerText returns the drawer's state as the panel shows it, for tests.
func (v *devicesView) DrawerText() string { return v.drawer.Text }

func pad20(s string, w int) string {
	if n := len([]rune(s)); n < w {
		return s + strings.Repeat(" ", w-n)
	}
	return s
}
