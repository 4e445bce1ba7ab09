package ui

// The till's peripherals on screen: item sales through the station (so
// weighed items read the scale), device notices as banners, printing and
// reprinting receipts, and the demo's virtual devices panel.

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/opentill/opentill/peripherals"
	"github.com/opentill/opentill/peripherals/profile"
	"github.com/opentill/opentill/peripherals/station"
	"github.com/opentill/opentill/pos"
	"github.com/opentill/opentill/pos/catalog"
	"github.com/opentill/opentill/pos/money"
	"github.com/opentill/opentill/pos/poserr"
	"github.com/opentill/opentill/pos/receipt"
	"github.com/opentill/opentill/ui/l10n"
)

// weighingDelay is how long a sale may take before the "weighing…"
// dialog shows: ordinary items are back long before.
const weighingDelay = 150 * time.Millisecond

// keyReceiptWaits is the station's key for a receipt that did not print.
const keyReceiptWaits = "error.printer.receipt_waits"

// devState is the UI's peripherals state.
type devState struct {
	st   *station.Station
	devs *profile.Devices

	banner  *fyne.Container          // device notices, newest last
	notices map[string]*noticeBanner // by device

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

// SetDevices shows the till's devices: the virtual ones get a panel on the
// sell, payment and receipt screens, and the preview follows the virtual
// printer. Call it before creating the station (it sets the devices' hooks).
func (u *UI) SetDevices(devs *profile.Devices) {
	u.devs = devs
	if devs == nil {
		return
	}
	if d := devs.VirtualDisplay; d != nil {
		d.OnShow = func(l peripherals.Lines) { u.post(func() { u.renderDevices() }) }
	}
	if d := devs.VirtualDrawer; d != nil {
		d.OnChange = func(bool) { u.post(func() { u.renderDevices() }) }
	}
	if p := devs.VirtualPrinter; p != nil {
		p.OnPrint = func(r *receipt.Receipt, text string) { u.post(func() { u.printed(r, text) }) }
	}
}

// SetStation wires a station to the screens: item sales go through it (so
// weighed items read the scale), its notices show as banners (Notice) and
// receipts print through it. Call it before Start.
func (u *UI) SetStation(st *station.Station) {
	u.st = st
	if st != nil && u.banner == nil {
		u.banner = container.NewVBox()
		u.banner.Hide()
		u.win.SetContent(container.NewBorder(u.banner, nil, nil, nil, u.root))
	}
}

// Station is the station in use, or nil.
func (u *UI) Station() *station.Station { return u.st }

// post runs f on the UI goroutine (device callbacks come from the
// station's goroutines).
func (u *UI) post(f func()) {
	if u.cfg.Post != nil {
		u.cfg.Post(f)
		return
	}
	fyne.Do(f)
}

// DisplayTexts are the customer display's words in a language, for
// station.Options.
func DisplayTexts(lang string) station.Texts {
	l := l10n.Must(lang)
	return station.Texts{Thanks: l.T("display.thanks"), Total: l.T("display.total"), Change: l.T("display.change"),
		Paid: l.T("display.paid"), Due: l.T("display.due"), Weighing: l.T("display.weighing")}
}

// sellItem sells a product: through the station when there is one, so a
// weighed item without a quantity reads the scale, else through the
// register. Sales run one after another in the order scanned.
func (u *UI) sellItem(op pos.ProductSale, ok func(pos.Result)) {
	if u.st == nil {
		u.do(op, ok)
		return
	}
	u.touch()
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
	st := u.st
	u.cfg.Go(func() {
		res, err := st.Sell(ctx, j.op)
		u.events.Flush()
		u.post(func() {
			timer.Stop()
			cancel()
			u.hideWeighing()
			switch {
			case stopped && err != nil:
				// cancelled on the weighing dialog: nothing to say
			case err != nil && manualWeight(err):
				p, _ := station.ManualWeightAllowed(err)
				u.askWeight(p.ID, j.op.Price, j.ok)
			default:
				u.after(j.op, res, err, j.ok)
			}
			u.nextSale()
		})
	})
}

func manualWeight(err error) bool {
	_, ok := station.ManualWeightAllowed(err)
	return ok
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
func (u *UI) askWeight(product string, price money.Amount, ok func(pos.Result)) {
	if product == "" {
		u.message(u.L.T("error.title"), u.L.T("error.item.needs_weight"))
		return
	}
	u.prompt(u.L.T("weigh.manual_title"), u.L.T("weigh.manual_hint"), func(s string) {
		q, err := l10n.ParseQty(s)
		if err != nil || q <= 0 {
			u.message(u.L.T("error.title"), u.L.T("error.input.qty"))
			return
		}
		u.sellItem(pos.ProductSale{ProductID: product, Qty: q, Price: price}, ok)
	})
}

// Notice shows a device notice as a banner above the screen, one per
// device (the newest replaces the last); it does not block the till. Call
// it on the UI goroutine.
func (u *UI) Notice(n station.Notice) {
	if n.Err == nil || u.banner == nil {
		return
	}
	if u.notices == nil {
		u.notices = map[string]*noticeBanner{}
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
	if dev == station.PrinterDevice && u.st != nil && u.st.Pending() != nil {
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
func (u *UI) NoticeText(device string) string {
	if nb := u.notices[device]; nb != nil {
		return nb.text.Text
	}
	return ""
}

func (u *UI) dropNotice(device string) {
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
	for _, dev := range []string{station.PrinterDevice, station.DrawerDevice, station.ScaleDevice, station.ScannerDevice, station.DisplayDevice} {
		if nb := u.notices[dev]; nb != nil {
			u.banner.Add(nb.box)
		}
	}
	if len(u.banner.Objects) == 0 {
		u.banner.Hide()
	} else {
		u.banner.Objects = append(u.banner.Objects, widget.NewSeparator())
		u.banner.Show()
	}
	u.banner.Refresh()
}

// deviceMessage translates a device error; a receipt that did not print
// gets its cause (paper out, printer offline…) in front.
func (u *UI) deviceMessage(err error) string {
	var pe *poserr.Error
	if !errors.As(err, &pe) {
		return u.L.Error(err)
	}
	if errors.Is(err, peripherals.ErrTimeout) {
		// "no stable weight in time": the scale's last reason says more
		var cause *poserr.Error
		if errors.As(pe.Err, &cause) && cause.Key != "" && u.L.Has(cause.Key) {
			return u.L.Error(cause)
		}
	}
	if pe.Key != keyReceiptWaits {
		return u.L.Error(err)
	}
	no, _ := pe.Args["receipt"].(string)
	msg := u.L.T(keyReceiptWaits, l10n.Data{"Receipt": no})
	if cause, _ := pe.Args["cause"].(string); cause != "" && u.L.Has(cause) {
		msg = u.L.T(cause) + " " + msg
	}
	return msg
}

// printAgain prints the receipt that waits (after paper out, a lost printer…).
func (u *UI) printAgain() {
	st := u.st
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
				u.Notice(station.Notice{Device: station.PrinterDevice, Err: err})
				return
			}
			u.dropNotice(station.PrinterDevice)
			u.renderPrintStatus()
		})
	})
}

// printCopy prints a receipt copy the register made (Reprint).
func (u *UI) printCopy(r *receipt.Receipt) {
	st := u.st
	if st == nil || r == nil {
		return
	}
	u.cfg.Go(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		err := st.Print(ctx, r)
		cancel()
		u.post(func() {
			if err != nil {
				u.Notice(station.Notice{Device: station.PrinterDevice, Err: err, Receipt: r})
			}
			u.renderPrintStatus()
		})
	})
}

// printed follows the virtual printer: the preview shows what it printed.
func (u *UI) printed(r *receipt.Receipt, text string) {
	if u.screen == "receipt" && u.receipt != nil && u.receipt.no == r.ReceiptNo && u.receipt.copy == r.Copy {
		setText(u.receipt.text, text)
	}
	if nb := u.notices[station.PrinterDevice]; nb != nil && u.st != nil && u.st.Pending() == nil {
		u.dropNotice(station.PrinterDevice)
	}
	u.renderPrintStatus()
}

// renderPrintStatus shows on the receipt preview whether its receipt
// printed or waits, with Print again when it waits.
func (u *UI) renderPrintStatus() {
	v := u.receipt
	if u.screen != "receipt" || v == nil || v.status == nil || u.st == nil {
		return
	}
	pending := u.st.Pending()
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
		if last := u.st.Last(); last != nil && last.ReceiptNo == v.no {
			msg = u.L.T("receipt.printed")
		}
		if u.devs != nil && u.devs.VirtualPrinter != nil {
			// the virtual printer says itself what it printed (its hook
			// runs before the station records the receipt as printed)
			if lr, _, png := u.devs.VirtualPrinter.Last(); lr != nil && lr.ReceiptNo == v.no && lr.Copy == v.copy && png != "" {
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

// devicesPanel builds the virtual devices panel, or returns nil when the
// till has no virtual devices.
func (u *UI) devicesPanel() fyne.CanvasObject {
	d := u.devs
	if d == nil || (d.VirtualScale == nil && d.VirtualDisplay == nil && d.VirtualDrawer == nil && d.VirtualPrinter == nil) {
		u.devView = nil
		return nil
	}
	v := &devicesView{}
	u.devView = v
	bold := func(key string) *widget.Label {
		return widget.NewLabelWithStyle(u.L.T(key), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	}
	objs := []fyne.CanvasObject{bold("devices.title")}
	if d.VirtualScale != nil {
		v.weight = widget.NewEntry()
		v.weight.SetPlaceHolder("0.000")
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
	if d.VirtualDisplay != nil {
		mono := fyne.TextStyle{Monospace: true}
		v.line1 = widget.NewLabelWithStyle("", fyne.TextAlignLeading, mono)
		v.line2 = widget.NewLabelWithStyle("", fyne.TextAlignLeading, mono)
		objs = append(objs, widget.NewLabel(u.L.T("devices.display")), widget.NewCard("", "", container.NewVBox(v.line1, v.line2)))
	}
	if d.VirtualDrawer != nil {
		v.drawer = widget.NewLabel("")
		v.shut = widget.NewButton(u.L.T("devices.shut_drawer"), func() { d.VirtualDrawer.Shut() })
		objs = append(objs, widget.NewLabel(u.L.T("devices.drawer")), container.NewBorder(nil, nil, nil, v.shut, v.drawer))
	}
	if p := d.VirtualPrinter; p != nil {
		st, _ := p.Status(context.Background())
		v.paperOut = widget.NewCheck(u.L.T("devices.paper_out"), nil)
		v.paperOut.SetChecked(st.PaperOut)
		v.paperOut.OnChanged = func(out bool) {
			s, _ := p.Status(context.Background())
			s.PaperOut = out
			p.SetStatus(s)
		}
		objs = append(objs, widget.NewLabel(u.L.T("devices.printer")), v.paperOut)
	}
	u.renderDevices()
	return container.NewVBox(objs...)
}

// SetScale puts a weight on the demo's virtual scale (stable).
func (u *UI) SetScale(q catalog.Qty) {
	if u.devs == nil || u.devs.VirtualScale == nil {
		return
	}
	u.scaleSet = q
	u.devs.VirtualScale.Set(q, true)
	u.renderDevices()
}

// renderDevices shows the virtual devices' state.
func (u *UI) renderDevices() {
	v, d := u.devView, u.devs
	if v == nil || d == nil {
		return
	}
	if v.onScale != nil {
		setText(v.onScale, u.L.T("devices.on_scale", l10n.Data{"Weight": u.L.Qty(u.scaleSet, 3) + " kg"}))
	}
	if v.line1 != nil {
		l := d.VirtualDisplay.Shown()
		setText(v.line1, pad20(l[0], d.VirtualDisplay.Columns()))
		setText(v.line2, pad20(l[1], d.VirtualDisplay.Columns()))
	}
	if v.drawer != nil {
		st, _ := d.VirtualDrawer.Status(context.Background())
		if st.Open {
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
