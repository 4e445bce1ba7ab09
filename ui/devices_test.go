package ui

import (
	"bytes"
	"context"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/peripherals/escpos/escpostest"
	"github.com/opentill/opentill/peripherals/profile"
	"github.com/opentill/opentill/peripherals/station"
	"github.com/opentill/opentill/pos"
	"github.com/opentill/opentill/pos/catalog"
	"github.com/opentill/opentill/pos/money"
	"github.com/opentill/opentill/pos/till"
	"github.com/opentill/opentill/pos/till/devices"
	"github.com/opentill/opentill/ui/l10n"
)

// devRig is a till with a station on a hardware profile (the demo's
// virtual devices unless told otherwise). Device callbacks and notices are
// queued and run on the test goroutine by settle, as fyne.Do runs them on
// the UI goroutine in the app.
type devRig struct {
	*rig
	dir    string
	devs   *profile.Devices
	st     *station.Station
	posted chan func()
}

func newDevRig(t *testing.T, p *profile.Profile, opts ...rigOpt) *devRig {
	dir := seeded(t)
	posted := make(chan func(), 4096)
	opts = append(opts, func(c *Config) { c.Post = func(f func()) { posted <- f } })
	r := newRigOn(t, dir, opts...)
	devs, err := profile.Open(context.Background(), p, profile.Options{BaseDir: dir})
	require.NoError(t, err)
	devs.StableTimeout = 300 * time.Millisecond
	t.Cleanup(func() { devs.Close() })
	d := &devRig{rig: r, dir: dir, devs: devs, posted: posted}
	d.st = station.New(r.reg, devs, station.Options{ScalePoll: 5 * time.Millisecond,
		Notify: func(n devices.Notice) { posted <- func() { r.ui.Notice(n) } }})
	t.Cleanup(d.st.Close)
	r.ui.SetDevices(Devices{Scale: d.st, Receipts: d.st, Panel: d.st.Panel()})
	return d
}

// settle runs the queued UI work until cond holds (or fails after 5 s).
func (r *devRig) settle(what string, cond func() bool) {
	r.t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		select {
		case f := <-r.posted:
			f()
		case <-time.After(5 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			r.t.Fatalf("timed out waiting for %s", what)
		}
	}
}

func (r *devRig) sellScreen() {
	r.signInSelling("1001", "1234")
	test.Tap(r.ui.Tile("tile.sell"))
	require.Equal(r.t, "sell", r.ui.Screen())
}

// A weighed item scanned with a weight on the virtual scale (set on the
// virtual devices panel) is sold with that weight as its quantity; the
// customer display shows it.
func TestWeighedItemReadsVirtualScale(t *testing.T) {
	for name, opt := range map[string]rigOpt{"desktop": func(*Config) {}, "tablet": tablet} {
		t.Run(name, func(t *testing.T) {
			r := newDevRig(t, profile.Demo(), opt)
			r.sellScreen()
			p := r.ui.Devices()
			require.NotNil(t, p, "the demo shows the virtual devices panel")
			test.Type(p.weight, "0.734")
			test.Tap(p.setW)
			assert.Equal(t, "On the scale: 0.734 kg", p.onScale.Text)
			r.scan("2100042000001") // bananas, sold by weight
			r.settle("the sale", func() bool { return !r.ui.Selling() })
			v := r.ui.sell
			require.Len(t, v.Lines(), 1)
			assert.Equal(t, catalog.Qty(734), v.Lines()[0].Qty)
			assert.Contains(t, v.Lines()[0].Name, "Banana")
			r.settle("the customer display", func() bool {
				l1, _ := r.ui.Devices().DisplayLines()
				return strings.Contains(l1, "0.734kg")
			})
			_, l2 := r.ui.Devices().DisplayLines()
			assert.Contains(t, l2, "TOTAL")
		})
	}
}

// With nothing on the scale the till waits for a stable weight, then (the
// demo profile allows it) offers the keyed-weight entry; the scale's
// reason shows as a banner.
func TestNoStableWeightOffersKeyedWeight(t *testing.T) {
	r := newDevRig(t, profile.Demo())
	r.sellScreen()
	r.scan("2100042000001")
	r.settle("the sale", func() bool { return !r.ui.Selling() })
	require.NotNil(t, r.ui.promptEntry, "the keyed-weight entry is offered")
	assert.Contains(t, r.overlayText(), "Enter the weight")
	test.Type(r.ui.promptEntry, "0.5")
	r.tap("OK")
	r.settle("the keyed sale", func() bool { return !r.ui.Selling() })
	require.Len(t, r.ui.sell.Lines(), 1)
	assert.Equal(t, catalog.Qty(500), r.ui.sell.Lines()[0].Qty)
	r.settle("the scale notice", func() bool { return r.ui.NoticeText(devices.Scale) != "" })
	assert.Contains(t, r.ui.NoticeText(devices.Scale), "The scale shows no weight.")
}

// The weighing dialog shows while the scale settles and goes once the
// weight is stable.
func TestWeighingState(t *testing.T) {
	r := newDevRig(t, profile.Demo(), func(c *Config) { c.Go = func(f func()) { go f() } })
	r.devs.StableTimeout = 5 * time.Second
	r.sellScreen()
	r.devs.VirtualScale.Set(1200, false) // still moving
	r.scan("2100042000001")
	r.settle("the weighing dialog", func() bool { return r.ui.weighing != nil })
	assert.Contains(t, r.overlayText(), "Put the item on the scale and wait until the weight is stable.")
	r.devs.VirtualScale.Set(1250, true)
	r.settle("the sale", func() bool { return !r.ui.Selling() })
	assert.Nil(t, r.ui.weighing)
	require.Len(t, r.ui.sell.Lines(), 1)
	assert.Equal(t, catalog.Qty(1250), r.ui.sell.Lines()[0].Qty)
}

// Cancel on the weighing dialog stops waiting: no line, no keyed-weight dialog.
func TestWeighingCancel(t *testing.T) {
	r := newDevRig(t, profile.Demo(), func(c *Config) { c.Go = func(f func()) { go f() } })
	r.devs.StableTimeout = 5 * time.Second
	r.sellScreen()
	r.devs.VirtualScale.Set(1200, false)
	r.scan("2100042000001")
	r.settle("the weighing dialog", func() bool { return r.ui.weighing != nil })
	r.tap("Cancel")
	r.settle("the sale", func() bool { return !r.ui.Selling() })
	assert.Empty(t, r.ui.sell.Lines())
	assert.Nil(t, r.ui.promptEntry)
	assert.Nil(t, r.ui.Dialog())
}

// A completed cash sale prints the receipt (text and PNG files of the
// virtual printer, shown on the preview) and opens the virtual drawer.
func TestCashSalePrintsReceiptAndOpensDrawer(t *testing.T) {
	r := newDevRig(t, profile.Demo())
	r.sellScreen()
	r.scan("4000000000082")
	r.settle("the sale", func() bool { return !r.ui.Selling() })
	r.ui.sell.openPay()
	test.Tap(r.ui.pay.exact)
	require.Equal(t, "receipt", r.ui.Screen())
	no := r.ui.lastRcpt.ReceiptNo
	r.settle("the drawer", func() bool { return r.devs.VirtualDrawer.Opened() == 1 })
	r.settle("the panel", func() bool { return r.ui.Devices().DrawerText() == "Open" })
	files, err := filepath.Glob(filepath.Join(r.dir, "receipts", "receipt-*.txt"))
	require.NoError(t, err)
	require.Len(t, files, 1)
	b, err := os.ReadFile(files[0])
	require.NoError(t, err)
	assert.Contains(t, string(b), "Butter Croissant")
	assert.Contains(t, string(b), no)
	assert.FileExists(t, strings.TrimSuffix(files[0], ".txt")+".png")
	assert.Equal(t, string(b), r.ui.ReceiptText(), "the preview shows what the printer printed")
	// the status follows the printer's answer, which may come a moment after the file
	r.settle("the printed status", func() bool { return strings.Contains(r.ui.receipt.status.Text, "Printed on the virtual printer") })
	assert.False(t, r.ui.receipt.again.Visible())
	png := strings.TrimSuffix(files[0], ".txt") + ".png"
	r.settle("the PNG preview", func() bool { return r.ui.receipt.png.File == png }) // drawn after the text
	r.settle("the thank-you", func() bool { l1, _ := r.ui.Devices().DisplayLines(); return strings.HasPrefix(l1, "Thank you!") })
	test.Tap(r.ui.Devices().shut)
	r.settle("the drawer shut", func() bool { return r.ui.Devices().DrawerText() == "Closed" })
}

// A printer out of paper does not stop the sale: it completes, the drawer
// opens, a banner says what happened and the receipt waits; once the
// printer is back, Print again prints it.
func TestPrinterFailureThenPrintAgain(t *testing.T) {
	srv := escpostest.NewServer(t)
	srv.SetStatus(escpostest.PaperOut)
	p, err := profile.Parse([]byte("[printer]\ndriver = \"escpos\"\nport = \"tcp://" + srv.Addr + "\"\n[drawer]\ndriver = \"virtual\"\n"))
	require.NoError(t, err)
	r := newDevRig(t, p)
	r.sellScreen()
	r.scan("4000000000082")
	r.settle("the sale", func() bool { return !r.ui.Selling() })
	r.ui.sell.openPay()
	test.Tap(r.ui.pay.exact)
	require.Equal(t, "receipt", r.ui.Screen())
	assert.Nil(t, r.reg.Cart(), "the sale is complete")
	before := r.win.Content().MinSize()
	no := r.ui.lastRcpt.ReceiptNo
	r.settle("the printer notice", func() bool { return r.ui.NoticeText(devices.Printer) != "" })
	msg := r.ui.NoticeText(devices.Printer)
	assert.Contains(t, msg, "The receipt printer is out of paper. Load a new roll.")
	assert.Contains(t, msg, "Receipt "+no+" did not print, but the sale is saved.")
	assert.True(t, r.ui.bannerPanel.Visible())
	assert.Nil(t, r.win.Canvas().Overlays().Top(), "the notice does not block the till")
	assert.Equal(t, before, r.win.Content().MinSize(), "the notice overlays the screen: it never grows the window")
	r.settle("the drawer", func() bool { return r.devs.VirtualDrawer.Opened() == 1 })
	assert.Equal(t, "Not printed yet: the receipt waits for the printer.", r.ui.receipt.status.Text)
	require.True(t, r.ui.receipt.again.Visible())

	srv.SetStatus(escpostest.Ready)
	test.Tap(r.ui.receipt.again)
	r.settle("the reprint", func() bool { return r.ui.NoticeText(devices.Printer) == "" })
	assert.True(t, bytes.Contains(srv.WaitFor(t, []byte(no), 2*time.Second), []byte(no)), "the printer got the receipt")
	assert.Nil(t, r.st.Pending())
	assert.False(t, r.ui.receipt.again.Visible())
	assert.Equal(t, "Printed.", r.ui.receipt.status.Text)
	assert.False(t, r.ui.bannerPanel.Visible())
}

// Device notices are translated.
func TestDeviceNoticeTranslated(t *testing.T) {
	r := newDevRig(t, profile.Demo(), german)
	r.sellScreen()
	test.Tap(r.ui.Devices().paperOut) // the panel's paper-out switch
	r.scan("4000000000082")
	r.settle("the sale", func() bool { return !r.ui.Selling() })
	r.ui.sell.openPay()
	test.Tap(r.ui.pay.exact)
	r.settle("the printer notice", func() bool { return r.ui.NoticeText(devices.Printer) != "" })
	assert.Contains(t, r.ui.NoticeText(devices.Printer), "Der Bondrucker hat kein Papier mehr.")
	assert.Equal(t, "Erneut drucken", r.ui.receipt.again.Text)
}

// Markup goldens of the sell and receipt screens with the demo's virtual
// devices panel, in both layouts (testdata/{desktop,tablet}/*-devices.xml).
func TestDevicesScreensGolden(t *testing.T) {
	for name, opt := range map[string]rigOpt{"desktop": func(*Config) {}, "tablet": tablet} {
		t.Run(name, func(t *testing.T) {
			r := newDevRig(t, profile.Demo(), opt)
			r.sellScreen()
			r.ui.SetScale(734)
			r.scan("2100042000001")
			r.settle("the sale", func() bool { return !r.ui.Selling() })
			r.settle("the customer display", func() bool {
				l1, _ := r.ui.Devices().DisplayLines()
				return strings.Contains(l1, "Bananas")
			})
			test.AssertRendersToMarkup(t, name+"/sell-devices.xml", r.win.Canvas())
			r.ui.sell.openPay()
			r.ui.pay.SetAmount("5")
			r.ui.pay.payCash()
			r.ui.CloseDialog()
			r.settle("the receipt", func() bool {
				l1, _ := r.ui.Devices().DisplayLines()
				return strings.HasPrefix(l1, "Thank you!") && r.ui.Devices().DrawerText() == "Open" && r.st.Last() != nil
			})
			r.ui.renderPrintStatus()
			test.AssertRendersToMarkup(t, name+"/receipt-devices.xml", r.win.Canvas())
		})
	}
}

// A printer that is not there (nothing listens on its address) is the
// same: the sale completes and the banner says the printer does not answer.
func TestPrinterGoneStillCompletesSale(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	ln.Close()
	p, err := profile.Parse([]byte("[printer]\ndriver = \"escpos\"\nport = \"tcp://" + addr + "\"\n"))
	require.NoError(t, err)
	r := newDevRig(t, p)
	r.sellScreen()
	r.scan("4000000000082")
	r.settle("the sale", func() bool { return !r.ui.Selling() })
	r.ui.sell.openPay()
	test.Tap(r.ui.pay.exact)
	require.Equal(t, "receipt", r.ui.Screen())
	assert.Nil(t, r.reg.Cart(), "the sale is complete")
	r.settle("the printer notice", func() bool { return r.ui.NoticeText(devices.Printer) != "" })
	assert.Contains(t, r.ui.NoticeText(devices.Printer), "did not print, but the sale is saved.")
	assert.NotContains(t, r.ui.NoticeText(devices.Printer), addr, "no Go error text")
	assert.True(t, r.ui.receipt.again.Visible())
}

// A drawer left open warns with a banner; a serial scan of an unknown
// code says which code.
func TestDrawerAndScannerNotices(t *testing.T) {
	p, err := profile.Parse(bytes.Replace(profile.DemoTOML(), []byte(`open_warning = "60s"`), []byte(`open_warning = "100ms"`), 1))
	require.NoError(t, err)
	r := newDevRig(t, p)
	r.sellScreen()
	r.scan("4000000000082")
	r.settle("the sale", func() bool { return !r.ui.Selling() })
	r.ui.sell.openPay()
	test.Tap(r.ui.pay.exact)
	r.settle("the drawer warning", func() bool { return r.ui.NoticeText(devices.Drawer) != "" })
	assert.Equal(t, "The cash drawer has been open for a long time. Please close it.", r.ui.NoticeText(devices.Drawer))
	r.ui.dropNotice(devices.Drawer)
	assert.Equal(t, "", r.ui.NoticeText(devices.Drawer))

	_, err = till.Sell(context.Background(), r.reg, r.st, pos.ProductSale{Barcode: "999999"})
	require.Error(t, err)
	r.ui.Notice(devices.Notice{Device: devices.Scanner, Err: err, Code: "999999"})
	assert.Equal(t, "Scanned 999999: No product has this barcode or item ID.", r.ui.NoticeText(devices.Scanner))
}

// Gift receipt on a sale's preview prints the sale with the gift layout:
// names, no prices; the preview keeps showing the sale.
func TestGiftReceiptFromThePreview(t *testing.T) {
	r := newDevRig(t, profile.Demo())
	r.sellScreen()
	r.scan("4000000000082")
	r.settle("the sale", func() bool { return !r.ui.Selling() })
	r.ui.sell.openPay()
	test.Tap(r.ui.pay.exact)
	require.Equal(t, "receipt", r.ui.Screen())
	sale := r.ui.ReceiptText()
	require.NotNil(t, r.ui.receipt.gift, "a sale offers a gift receipt")
	test.Tap(r.ui.receipt.gift)
	var gift string
	r.settle("the gift receipt", func() bool {
		files, _ := filepath.Glob(filepath.Join(r.dir, "receipts", "receipt-*-gift.txt"))
		if len(files) != 1 {
			return false
		}
		b, _ := os.ReadFile(files[0])
		gift = string(b)
		return gift != ""
	})
	assert.Contains(t, gift, "GIFT RECEIPT")
	assert.Contains(t, gift, "Butter Croissant")
	assert.NotContains(t, gift, "€", "no prices")
	assert.Equal(t, sale, r.ui.ReceiptText(), "the preview still shows the sale")
}

// The number pad's decimal key shows the store locale's separator and
// types it; the amount is read the same.
func TestNumpadDecimalSeparator(t *testing.T) {
	for sep, want := range map[string]string{",": "1,5", ".": "1.5"} {
		n := NewNumpad("OK", nil)
		n.SetDecimalSeparator(sep)
		assert.Equal(t, sep, n.Button(".").Text)
		for _, k := range []string{"1", ".", ".", "5"} {
			n.Press(k)
		}
		assert.Equal(t, want, n.Value, "one separator only")
		a, err := l10n.ParseAmount(n.Value, 2)
		require.NoError(t, err)
		assert.Equal(t, money.Amount(150), a)
	}
	assert.Equal(t, ",", l10n.Must("en").WithFormat("de-DE").DecimalSeparator())
}
