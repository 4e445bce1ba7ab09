package tour

import (
	"bytes"
	"fmt"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/pos/catalog"
	"github.com/opentill/opentill/ui"
)

// fakeTill records what the tour asks of the till.
type fakeTill struct {
	screen string
	calls  []string
}

func (f *fakeTill) do(s string) { f.calls = append(f.calls, s) }
func (f *fakeTill) SignIn(id, secret string) string {
	f.do("SignIn " + id)
	if f.screen == "" {
		f.screen = "shift"
	}
	return ""
}
func (f *fakeTill) Screen() string                 { return f.screen }
func (f *fakeTill) OpenShift(amount string) string { f.do("OpenShift " + amount); return "" }
func (f *fakeTill) OpenHome()                      { f.do("OpenHome") }
func (f *fakeTill) Scan(code string)               { f.do("Scan " + code) }
func (f *fakeTill) Search(q string) []string       { f.do("Search " + q); return nil }
func (f *fakeTill) SetScale(q catalog.Qty)         { f.do(fmt.Sprint("SetScale ", int64(q))) }
func (f *fakeTill) OpenPayment(amount string)      { f.do("OpenPayment " + amount) }
func (f *fakeTill) PayCash()                       { f.do("PayCash") }
func (f *fakeTill) CloseDialog()                   { f.do("CloseDialog") }
func (f *fakeTill) AddCustomer(q string)           { f.do("AddCustomer " + q) }
func (f *fakeTill) OpenCustomers(q string)         { f.do("OpenCustomers " + q) }
func (f *fakeTill) OpenCustomerPage(q string)      { f.do("OpenCustomerPage " + q) }
func (f *fakeTill) LookUpStock(code string)        { f.do("LookUpStock " + code) }
func (f *fakeTill) ReceiveStock(codes ...string)   { f.do(fmt.Sprint("ReceiveStock ", len(codes))) }
func (f *fakeTill) MakeOrder(name, store string, codes ...string) {
	f.do(fmt.Sprint("MakeOrder ", name, " ", store, " ", len(codes)))
}
func (f *fakeTill) SubmitOrder()    { f.do("SubmitOrder") }
func (f *fakeTill) OpenOrders()     { f.do("OpenOrders") }
func (f *fakeTill) OpenPromotions() { f.do("OpenPromotions") }
func (f *fakeTill) CountStock(name string, codes ...string) {
	f.do(fmt.Sprint("CountStock ", name, " ", len(codes)))
}

// quitApp tells when the tour quit the app.
type quitApp struct {
	fyne.App
	quit int
}

func (a *quitApp) Quit() { a.quit++ }

func fast(t *testing.T) {
	old, oldCapture := settle, capture
	settle, capture = 0, captureCanvas // no X server picture in tests
	t.Cleanup(func() { settle, capture = old, oldCapture })
}

func TestNames(t *testing.T) {
	assert.Equal(t, "desktop", Options{Layout: ui.Desktop}.Name())
	assert.Equal(t, "tablet", Options{Layout: ui.Tablet}.Name())
	assert.Equal(t, "desktop-dark-de", Options{Layout: ui.Desktop, Dark: true, Lang: "de"}.Name())
	assert.Equal(t, "tablet-fr", Options{Layout: ui.Tablet, Lang: "fr"}.Name())
}

// The tour signs in, opens the shift sign-in leads to, sells, pays and
// saves a PNG of each screen, then quits the app.
func TestRunSavesEachScreen(t *testing.T) {
	fast(t)
	a := &quitApp{App: test.NewApp()}
	w := test.NewWindow(widget.NewLabel("till"))
	w.Resize(fyne.NewSize(400, 300))
	defer w.Close()
	dir := filepath.Join(t.TempDir(), "shots")
	till := &fakeTill{}
	var out, errs bytes.Buffer
	run(a, w, till, Options{Dir: dir, Layout: ui.Tablet, Dark: true}, &out, &errs)

	assert.Empty(t, errs.String())
	assert.Equal(t, 1, a.quit, "the tour quits the app")
	var saved []string
	for _, s := range []string{"signin", "shift", "home", "search", "sell", "promotions", "payment", "receipt", "customers", "customer", "stock", "count", "receiving", "order", "orders"} {
		p := filepath.Join(dir, "tablet-dark-"+s+".png")
		saved = append(saved, "saved "+p)
		f, err := os.Open(p)
		require.NoError(t, err, s)
		_, err = png.Decode(f)
		f.Close()
		assert.NoError(t, err, "%s is a PNG", p)
	}
	assert.Equal(t, saved, strings.Split(strings.TrimSpace(out.String()), "\n"))
	assert.Equal(t, []string{
		"SignIn 1001", "OpenShift 100.00", "OpenHome",
		"Scan 4000000000082", "Scan 4000000000150", "Search espresso",
		"Search ", "Scan 4000000000143", "Scan 2100042012349", "SetScale 734", "Scan 2100042000001",
		"Scan 4000000000112", "OpenPromotions", "CloseDialog",
		"AddCustomer müller", "OpenPayment 50", "PayCash", "CloseDialog",
		"OpenCustomers müller", "CloseDialog", "OpenCustomerPage müller", "CloseDialog",
		"LookUpStock 4000000000082", "CountStock Shelf 12 6", "ReceiveStock 3",
		"MakeOrder Ada Lovelace S0002 2", "SubmitOrder", "CloseDialog", "OpenOrders",
	}, till.calls)
}

// A till that resumed an open shift goes straight on: no shift screen.
func TestRunSkipsShiftWhenOpen(t *testing.T) {
	fast(t)
	a := &quitApp{App: test.NewApp()}
	w := test.NewWindow(widget.NewLabel("till"))
	defer w.Close()
	dir := t.TempDir()
	till := &fakeTill{screen: "home"}
	var out, errs bytes.Buffer
	run(a, w, till, Options{Dir: dir}, &out, &errs)
	assert.NoFileExists(t, filepath.Join(dir, "desktop-shift.png"))
	assert.FileExists(t, filepath.Join(dir, "desktop-receipt.png"))
	assert.NotContains(t, till.calls, "OpenShift 100.00")
}

// A folder that cannot be made is reported and the app still quits.
func TestRunReportsFolderError(t *testing.T) {
	fast(t)
	a := &quitApp{App: test.NewApp()}
	w := test.NewWindow(widget.NewLabel("till"))
	defer w.Close()
	file := filepath.Join(t.TempDir(), "file")
	require.NoError(t, os.WriteFile(file, nil, 0o644))
	till := &fakeTill{}
	var out, errs bytes.Buffer
	run(a, w, till, Options{Dir: filepath.Join(file, "shots")}, &out, &errs)
	assert.Contains(t, errs.String(), "screenshots:")
	assert.Equal(t, 1, a.quit)
	assert.Empty(t, till.calls)
}
