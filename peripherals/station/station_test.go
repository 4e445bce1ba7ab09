package station_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/internal/ptytest"
	"github.com/opentill/opentill/peripherals"
	"github.com/opentill/opentill/peripherals/escpos"
	"github.com/opentill/opentill/peripherals/escpos/escpostest"
	"github.com/opentill/opentill/peripherals/paysim"
	"github.com/opentill/opentill/peripherals/profile"
	"github.com/opentill/opentill/peripherals/scale"
	"github.com/opentill/opentill/peripherals/scanner"
	"github.com/opentill/opentill/peripherals/station"
	"github.com/opentill/opentill/peripherals/transport"
	"github.com/opentill/opentill/peripherals/virtual"
	"github.com/opentill/opentill/pos"
	"github.com/opentill/opentill/pos/catalog"
	"github.com/opentill/opentill/pos/poserr"
	"github.com/opentill/opentill/pos/till"
	"github.com/opentill/opentill/pos/till/devices"
)

// notices collects a station's notices.
type notices struct {
	mu   sync.Mutex
	list []devices.Notice
}

func (n *notices) add(x devices.Notice) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.list = append(n.list, x)
}

func (n *notices) all() []devices.Notice {
	n.mu.Lock()
	defer n.mu.Unlock()
	return append([]devices.Notice(nil), n.list...)
}

func key(err error) string {
	var pe *poserr.Error
	if errors.As(err, &pe) {
		return pe.Key
	}
	return ""
}

func demoDevices(t *testing.T) *profile.Devices {
	d, err := profile.Open(context.Background(), profile.Demo(), profile.Options{BaseDir: t.TempDir()})
	require.NoError(t, err)
	d.Simulator.Delay = 0
	d.StableTimeout = 300 * time.Millisecond
	return d
}

func newStation(t *testing.T, d *profile.Devices) (*Till, *station.Station, *notices) {
	tl := newTill(t)
	n := &notices{}
	st := station.New(tl.Reg, d, station.Options{Notify: n.add, IdleAfter: 100 * time.Millisecond, ScalePoll: 5 * time.Millisecond})
	t.Cleanup(st.Close)
	return tl, st, n
}

func eventually(t *testing.T, ok func() bool, msg string) {
	t.Helper()
	require.Eventually(t, ok, 3*time.Second, 5*time.Millisecond, msg)
}

func TestCashSaleWithVirtualDevices(t *testing.T) {
	d := demoDevices(t)
	tl, st, n := newStation(t, d)

	tl.Do(t, pos.ProductSale{Barcode: Milk})
	eventually(t, func() bool {
		s := d.VirtualDisplay.Shown()
		return strings.HasPrefix(s[0], "Whole Milk") && s[1] == "TOTAL           1.19"
	}, "the display shows the line and the total")

	res := tl.Do(t, pos.PayCash{Amount: 500})
	require.NotNil(t, res.Completed, "the sale is complete when Do returns")
	eventually(t, func() bool { r, _, _ := d.VirtualPrinter.Last(); return r != nil }, "the receipt is printed")
	r, text, png := d.VirtualPrinter.Last()
	assert.Equal(t, res.Completed.ReceiptNo, r.ReceiptNo)
	assert.Contains(t, text, "Whole Milk 3.5 % 1 L")
	assert.FileExists(t, png)
	eventually(t, func() bool { return d.VirtualDrawer.Opened() == 1 }, "cash opens the drawer")
	eventually(t, func() bool {
		s := d.VirtualDisplay.Shown()
		return s[0] == "Thank you!" && s[1] == "Change          3.81"
	}, "the display thanks and shows the change")
	eventually(t, func() bool { return d.VirtualDisplay.Shown() == d.Idle }, "then the idle message")
	assert.Equal(t, r, st.Last())
	assert.Nil(t, st.Pending())
	assert.Empty(t, n.all())
}

func TestCardSaleKeepsTheDrawerShut(t *testing.T) {
	d := demoDevices(t)
	tl, _, _ := newStation(t, d)
	tl.Do(t, pos.ProductSale{Barcode: Butter})
	tl.Do(t, pos.PayCard{})
	eventually(t, func() bool { r, _, _ := d.VirtualPrinter.Last(); return r != nil }, "printed")
	time.Sleep(50 * time.Millisecond)
	assert.Zero(t, d.VirtualDrawer.Opened())
}

func TestPaperOutKeepsTheSaleAndTheReceipt(t *testing.T) {
	d := demoDevices(t)
	tl, st, n := newStation(t, d)
	d.VirtualPrinter.SetStatus(peripherals.PrinterStatus{Online: true, PaperOut: true})

	tl.Do(t, pos.ProductSale{Barcode: Milk})
	res := tl.Do(t, pos.PayCash{})
	require.NotNil(t, res.Completed)
	eventually(t, func() bool { return st.Pending() != nil }, "the receipt waits for reprint")
	assert.Equal(t, res.Completed.ReceiptNo, st.Pending().ReceiptNo)
	eventually(t, func() bool { return d.VirtualDrawer.Opened() == 1 }, "the drawer opens all the same")
	got := n.all()
	require.Len(t, got, 1)
	assert.Equal(t, devices.Printer, got[0].Device)
	assert.Equal(t, "error.printer.receipt_waits", key(got[0].Err))
	assert.Contains(t, got[0].Err.Error(), "the sale is saved")
	assert.Contains(t, got[0].Err.Error(), "out of paper")
	assert.Equal(t, res.Completed.ReceiptNo, got[0].Receipt.ReceiptNo)

	// The sale is in the store even though nothing printed.
	saved, _, err := tl.Store.Transaction(context.Background(), res.Completed.ReceiptNo)
	require.NoError(t, err)
	assert.Equal(t, res.Completed.ID, saved.ID)

	err = st.Reprint(context.Background())
	require.Error(t, err, "still no paper")
	d.VirtualPrinter.SetStatus(peripherals.PrinterStatus{Online: true})
	require.NoError(t, st.Reprint(context.Background()))
	r, _, _ := d.VirtualPrinter.Last()
	assert.False(t, r.Copy, "the receipt that never printed prints as the original")
	assert.Nil(t, st.Pending())
	require.NoError(t, st.Reprint(context.Background()))
	r, _, _ = d.VirtualPrinter.Last()
	assert.True(t, r.Copy, "a second reprint is a copy")
}

func TestNetworkPrinterAndPrinterDrawer(t *testing.T) {
	srv := escpostest.NewServer(t)
	p, err := profile.Parse([]byte(`
[printer]
driver = "escpos"
port = "tcp://` + srv.Addr + `"
[drawer]
driver = "printer"
pin = 5
pulse_ms = 60
open_warning = "0s"
`))
	require.NoError(t, err)
	d, err := profile.Open(context.Background(), p, profile.Options{})
	require.NoError(t, err)
	defer d.Close()
	tl, st, n := newStation(t, d)

	tl.Do(t, pos.ProductSale{Barcode: Milk})
	res := tl.Do(t, pos.PayCash{Amount: 200})
	want, _ := escpos.Receipt(res.Receipt, escpos.DefaultLayout())
	got := srv.WaitFor(t, escpos.KickBytes(escpos.Pin5, 60, 120), 3*time.Second)
	assert.True(t, bytes.Contains(got, want), "the receipt's bytes reached the printer")
	assert.Less(t, bytes.Index(got, want), bytes.Index(got, escpos.KickBytes(escpos.Pin5, 60, 120)), "receipt first, then the drawer")

	srv.SetStatus(escpostest.PaperOut)
	tl.Do(t, pos.ProductSale{Barcode: Milk})
	tl.Do(t, pos.PayCash{})
	eventually(t, func() bool { return st.Pending() != nil }, "paper out over TCP leaves the receipt pending")
	require.NotEmpty(t, n.all())
	assert.Contains(t, n.all()[0].Err.Error(), "out of paper")
	srv.SetStatus(escpostest.Ready)
	require.NoError(t, st.Reprint(context.Background()))
}

func TestWeighedItemReadsTheScale(t *testing.T) {
	d := demoDevices(t)
	tl, st, n := newStation(t, d)
	ctx := context.Background()

	d.VirtualScale.Set(734, true)
	sale, err := till.Sell(ctx, tl.Reg, st, pos.ProductSale{Barcode: Bananas})
	require.NoError(t, err)
	require.NotNil(t, sale.Line)
	assert.Equal(t, catalog.Qty(734), sale.Line.Qty)
	assert.Equal(t, "Bananas", sale.Line.Name)
	assert.Equal(t, till.AskNothing, sale.Ask)

	d.VirtualScale.Set(500, false)
	sale, err = till.Sell(ctx, tl.Reg, st, pos.ProductSale{Barcode: Bananas})
	require.Error(t, err)
	assert.Equal(t, "error.item.needs_weight", key(err), "the register's error comes back for manual entry")
	assert.ErrorIs(t, err, pos.ErrNeedsWeight)
	assert.ErrorIs(t, err, peripherals.ErrTimeout, "and the scale's reason")
	assert.Equal(t, till.AskWeight, sale.Ask, "the demo profile allows manual entry")
	require.NotNil(t, sale.Product)
	assert.Equal(t, "Bananas", sale.Product.Name)
	assert.Contains(t, err.Error(), "no stable weight")
	require.NotEmpty(t, n.all())
	assert.Equal(t, devices.Scale, n.all()[0].Device)
	assert.Len(t, tl.Reg.Cart().Active(), 1, "nothing was added without a weight")

	// A profile that does not allow keying in: the refusal, nothing to ask.
	d.ManualWeight = false
	sale, err = till.Sell(ctx, tl.Reg, st, pos.ProductSale{Barcode: Bananas})
	require.Error(t, err)
	var we *till.WeightError
	assert.ErrorAs(t, err, &we)
	assert.Equal(t, till.AskNothing, sale.Ask)
	assert.Len(t, tl.Reg.Cart().Active(), 1)

	// A non-weighed item does not touch the scale.
	reads := d.VirtualScale.Reads()
	_, err = till.Sell(ctx, tl.Reg, st, pos.ProductSale{Barcode: Milk})
	require.NoError(t, err)
	assert.Equal(t, reads, d.VirtualScale.Reads())
}

// TestSerialScannerAndScale drives a real Toledo protocol and a serial
// scanner over pseudo-terminals: a scan of the bananas' key weighs them.
func TestSerialScannerAndScale(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	scalePair, scanPair := ptytest.New(t), ptytest.New(t)
	var mu sync.Mutex
	frame := []byte("\x02?\x01\r")
	go ptytest.Device(ctx, scalePair.OpenPeer(scale.DefaultLine(scale.Toledo8217)), "", 1, func([]byte) []byte {
		mu.Lock()
		defer mu.Unlock()
		return frame
	})
	go func() {
		time.Sleep(100 * time.Millisecond)
		mu.Lock()
		frame = []byte("\x02  1.250\r")
		mu.Unlock()
	}()
	scanPeer := scanPair.OpenPeer(transport.Line{})

	sSpec, _ := transport.ParseSpec(scalePair.Dev, scale.DefaultLine(scale.Toledo8217))
	sc, err := scale.New(transport.NewLink("scale", sSpec), scale.Config{Protocol: scale.Toledo8217, Timeout: 300 * time.Millisecond})
	require.NoError(t, err)
	nSpec, _ := transport.ParseSpec(scanPair.Dev, transport.Line{})
	d := &profile.Devices{Scale: sc, Scanner: scanner.New(transport.NewLink("scanner", nSpec), scanner.Config{}), StableTimeout: 3 * time.Second,
		Display: &virtual.Display{}}
	defer d.Close()
	tl, st, n := newStation(t, d)
	st.Start(ctx)

	_, err = scanPeer.Write([]byte(Bananas + "\r\n" + Milk + "\r\n"))
	require.NoError(t, err)
	eventually(t, func() bool { c := tl.Reg.Cart(); return c != nil && len(c.Active()) == 2 }, "both scans became lines")
	lines := tl.Reg.Cart().Active()
	assert.Equal(t, "Bananas", lines[0].Name)
	assert.Equal(t, catalog.Qty(1250), lines[0].Qty, "the weight came from the scale once it settled")
	assert.Equal(t, catalog.Qty(1000), lines[1].Qty)

	_, _ = scanPeer.Write([]byte("9999999999994\r"))
	eventually(t, func() bool { return len(n.all()) > 0 }, "an unknown code is a notice")
	assert.Equal(t, devices.Scanner, n.all()[0].Device)
	assert.Equal(t, "9999999999994", n.all()[0].Code)
}

func TestDisplayFollowsPayments(t *testing.T) {
	d := demoDevices(t)
	tl, _, _ := newStation(t, d)
	d.Simulator.Queue(paysim.Approve)
	tl.Do(t, pos.ProductSale{Barcode: Milk})
	tl.Do(t, pos.ProductSale{Barcode: Butter})
	tl.Do(t, pos.PayCash{Amount: 100})
	eventually(t, func() bool {
		s := d.VirtualDisplay.Shown()
		return s[0] == "Paid            1.00" && s[1] == "Due             2.48"
	}, "paid and due after a part payment, amounts right-aligned")
	tl.Do(t, pos.VoidTransaction{})
	eventually(t, func() bool { return d.VirtualDisplay.Shown() == d.Idle }, "a voided sale goes back to idle")
}

func TestWeighedItemWithoutScaleAsksForTheWeight(t *testing.T) {
	tl, st, n := newStation(t, &profile.Devices{})
	ctx := context.Background()
	assert.True(t, st.ManualWeight(), "without a scale the weight is keyed in")
	sale, err := till.Sell(ctx, tl.Reg, st, pos.ProductSale{Barcode: Bananas})
	require.ErrorIs(t, err, pos.ErrNeedsWeight)
	assert.Equal(t, till.AskWeight, sale.Ask)
	require.NotNil(t, sale.Product)
	sale, err = till.Sell(ctx, tl.Reg, st, pos.ProductSale{ProductID: sale.Product.ID, Qty: 1500})
	require.NoError(t, err)
	assert.Equal(t, catalog.Qty(1500), sale.Line.Qty)
	sale, err = till.Sell(ctx, tl.Reg, st, pos.ProductSale{Barcode: Milk})
	require.NoError(t, err)
	assert.Equal(t, till.AskNothing, sale.Ask, "an item not sold by weight asks nothing")
	assert.Empty(t, n.all(), "no scale, no scale notice")
}

// TestHungPrinterDoesNotHoldTheRegister: a printer that takes the
// connection but never answers its status costs the register nothing.
func TestHungPrinterDoesNotHoldTheRegister(t *testing.T) {
	srv := escpostest.NewServer(t)
	srv.SetSilent(true)
	p, err := profile.Parse([]byte("[printer]\ndriver = \"escpos\"\nport = \"" + srv.Addr + "\"\n"))
	require.NoError(t, err)
	d, err := profile.Open(context.Background(), p, profile.Options{})
	require.NoError(t, err)
	defer d.Close()
	tl, st, n := newStation(t, d)
	for i := 0; i < 3; i++ {
		tl.Do(t, pos.ProductSale{Barcode: Milk})
		start := time.Now()
		tl.Do(t, pos.PayCash{})
		assert.Less(t, time.Since(start), 500*time.Millisecond, "checkout does not wait for the printer (whose status request takes 1 s to time out)")
	}
	require.Eventually(t, func() bool { return len(n.all()) == 3 }, 8*time.Second, 10*time.Millisecond, "each receipt is reported")
	assert.Contains(t, n.all()[0].Err.Error(), "does not answer")
	assert.NotNil(t, st.Pending())
}

func TestPrintAReprintFromTheJournal(t *testing.T) {
	d := demoDevices(t)
	tl, st, _ := newStation(t, d)
	tl.Do(t, pos.ProductSale{Barcode: Milk})
	done := tl.Do(t, pos.PayCash{})
	res := tl.Do(t, pos.Approved{Op: pos.ReprintReceipt{ReceiptNo: done.Completed.ReceiptNo}, ManagerID: "2001", Secret: "2468"})
	require.NotNil(t, res.Receipt)
	require.NoError(t, st.Print(context.Background(), res.Receipt))
	r, text, _ := d.VirtualPrinter.Last()
	assert.Equal(t, done.Completed.ReceiptNo, r.ReceiptNo)
	assert.Equal(t, res.Receipt.Copy, r.Copy)
	assert.Contains(t, text, "Whole Milk")
}

func TestDisplayTextsTranslate(t *testing.T) {
	d := demoDevices(t)
	tl := newTill(t)
	st := station.New(tl.Reg, d, station.Options{Texts: devices.Texts{Thanks: "Vielen Dank!", Change: "Rückgeld", Total: "SUMME", Idle: "Willkommen", Locale: "de-DE"}})
	defer st.Close()
	eventually(t, func() bool { return d.VirtualDisplay.Shown()[0] == "Willkommen" }, "translated idle message")
	tl.Do(t, pos.ProductSale{Barcode: Milk})
	eventually(t, func() bool { return d.VirtualDisplay.Shown()[1] == "SUMME           1,19" }, "translated total, in the store's locale")
	tl.Do(t, pos.PayCash{Amount: 200})
	eventually(t, func() bool {
		s := d.VirtualDisplay.Shown()
		return s[0] == "Vielen Dank!" && s[1] == "Rückgeld        0,81"
	}, "translated thanks")
}

func TestDrawerLeftOpenWarns(t *testing.T) {
	d := demoDevices(t)
	d.DrawerWarning = 100 * time.Millisecond
	tl, _, n := newStation(t, d)
	tl.Do(t, pos.ProductSale{Barcode: Milk})
	tl.Do(t, pos.PayCash{})
	eventually(t, func() bool { return len(n.all()) == 1 }, "one warning")
	got := n.all()[0]
	assert.True(t, got.Warning)
	assert.Equal(t, devices.Drawer, got.Device)
	assert.Equal(t, peripherals.KeyDrawerOpen, key(got.Err))
	d.VirtualDrawer.Shut()
	time.Sleep(700 * time.Millisecond)
	assert.Len(t, n.all(), 1, "no more warnings once shut")
}

// The demo's virtual devices as a panel on screen sees them: the scale set
// by hand, the display's lines, the drawer with its Shut, the printer's
// paper, and a change for each thing they do.
func TestPanelOfTheVirtualDevices(t *testing.T) {
	d := demoDevices(t)
	tl, st, _ := newStation(t, d)
	p := st.Panel()
	require.NotNil(t, p)
	require.NotNil(t, p.Scale)
	require.NotNil(t, p.Display)
	require.NotNil(t, p.Drawer)
	require.NotNil(t, p.Printer)
	var mu sync.Mutex
	seen := map[devices.Device]int{}
	var printed *devices.Change
	cancel := p.Changes.Watch(func(c devices.Change) {
		mu.Lock()
		defer mu.Unlock()
		seen[c.Device]++
		if c.Printed != nil {
			printed = &c
		}
	})

	p.Scale.Set(734, true)
	w, err := d.VirtualScale.Read(context.Background())
	require.NoError(t, err)
	assert.Equal(t, catalog.Qty(734), w.Value)
	assert.True(t, w.Stable)

	tl.Do(t, pos.ProductSale{Barcode: Milk})
	done := tl.Do(t, pos.PayCash{})
	eventually(t, func() bool { mu.Lock(); defer mu.Unlock(); return printed != nil && seen[devices.Drawer] > 0 }, "the receipt printed and the drawer opened")
	mu.Lock()
	assert.Equal(t, done.Completed.ReceiptNo, printed.Printed.ReceiptNo)
	assert.Contains(t, printed.Text, "Whole Milk")
	mu.Unlock()
	r, text, png := p.Printer.Last()
	assert.Equal(t, done.Completed.ReceiptNo, r.ReceiptNo)
	assert.Contains(t, text, "Whole Milk")
	assert.NotEmpty(t, png)
	eventually(t, func() bool { return p.Display.Lines()[0] == "Thank you!" }, "the display thanks")
	assert.Equal(t, 20, p.Display.Columns())
	mu.Lock()
	assert.Positive(t, seen[devices.Display], "display changes")
	mu.Unlock()

	assert.True(t, p.Drawer.IsOpen())
	p.Drawer.Shut()
	assert.False(t, p.Drawer.IsOpen())

	assert.False(t, p.Printer.PaperOut())
	p.Printer.SetPaperOut(true)
	assert.True(t, p.Printer.PaperOut())
	ps, _ := d.VirtualPrinter.Status(context.Background())
	assert.True(t, ps.PaperOut, "the printer itself is out of paper")

	cancel()
	mu.Lock()
	drawer := seen[devices.Drawer]
	mu.Unlock()
	require.NoError(t, d.VirtualDrawer.Open(context.Background()))
	mu.Lock()
	assert.Equal(t, drawer, seen[devices.Drawer], "no changes after cancel")
	mu.Unlock()

	_, none, _ := newStation(t, &profile.Devices{})
	assert.Nil(t, none.Panel(), "no virtual devices, no panel")
}

// With a stock count on screen the serial scanner's codes go to it, not
// into a sale; codes it leaves are sold.
func TestSerialScansDiverted(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	scanPair := ptytest.New(t)
	scanPeer := scanPair.OpenPeer(transport.Line{})
	nSpec, _ := transport.ParseSpec(scanPair.Dev, transport.Line{})
	d := &profile.Devices{Scanner: scanner.New(transport.NewLink("scanner", nSpec), scanner.Config{}), Display: &virtual.Display{}}
	defer d.Close()
	tl := newTill(t)
	var mu sync.Mutex
	var taken []string
	st := station.New(tl.Reg, d, station.Options{Divert: func(code string) bool {
		mu.Lock()
		defer mu.Unlock()
		if code == Milk {
			taken = append(taken, code)
			return true
		}
		return false
	}})
	t.Cleanup(st.Close)
	st.Start(ctx)
	_, err := scanPeer.Write([]byte(Milk + "\r\n" + Butter + "\r\n" + Milk + "\r\n"))
	require.NoError(t, err)
	eventually(t, func() bool { mu.Lock(); defer mu.Unlock(); return len(taken) == 2 }, "both milk scans were taken")
	eventually(t, func() bool { c := tl.Reg.Cart(); return c != nil && len(c.Active()) == 1 }, "the butter was sold")
	assert.Contains(t, tl.Reg.Cart().Active()[0].Name, "Butter")
}

func TestDisplayKeepsTheAmountWhole(t *testing.T) {
	// A label too long for the display is cut, never the amount after it.
	d := demoDevices(t)
	tl := newTill(t)
	st := station.New(tl.Reg, d, station.Options{Texts: devices.Texts{Total: "Zu zahlender Gesamtbetrag", Locale: "de-DE"}})
	t.Cleanup(st.Close)
	tl.Do(t, pos.ProductSale{Barcode: Milk})
	eventually(t, func() bool { return d.VirtualDisplay.Shown()[1] == "Zu zahlender Ge 1,19" }, "the label shortened, the amount whole")
}
