// Package tour is the screenshot tour of the till (pos --screenshots DIR,
// make screenshots): it drives the real app through sign-in, opening the
// shift, home, search, sell, payment, the receipt, the customer search and
// a customer's page, saves a PNG of each
// screen and quits.
package tour

import (
	"fmt"
	"image/png"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"fyne.io/fyne/v2"

	"github.com/opentill/opentill/pos/catalog"
	"github.com/opentill/opentill/ui"
)

// Till is what the tour drives: the methods of *ui.UI that act as a cashier
// does (ui/drive.go). Call them on the UI goroutine.
type Till interface {
	SignIn(id, secret string) string
	Screen() string
	OpenShift(amount string) string
	OpenHome()
	Scan(code string)
	Search(q string) []string
	SetScale(q catalog.Qty)
	OpenPayment(amount string)
	PayCash()
	CloseDialog()
	AddCustomer(q string)
	OpenCustomers(q string)
	OpenCustomerPage(q string)
	LookUpStock(code string)
	CountStock(name string, codes ...string)
	ReceiveStock(codes ...string)
	MakeOrder(name, store string, codes ...string)
	SubmitOrder()
	OpenOrders()
	OpenPromotions()
}

var _ Till = (*ui.UI)(nil)

// Options say where the PNGs go and what their names say.
type Options struct {
	Dir    string    // folder of the PNGs, created if missing
	Layout ui.Layout // desktop or tablet
	Dark   bool      // the dark theme
	Lang   string    // the --lang given, if any
	// Landscape: a tablet held sideways (tablet-landscape-…).
	Landscape bool
}

// Name is the prefix of the tour's PNGs: desktop or tablet, then -dark
// and -<lang> when given (desktop-dark-de-sell.png).
func (o Options) Name() string {
	name := "desktop"
	if o.Layout == ui.Tablet {
		name = "tablet"
		if o.Landscape {
			name += "-landscape"
		}
	}
	if o.Dark {
		name += "-dark"
	}
	if o.Lang != "" {
		name += "-" + o.Lang
	}
	return name
}

// settle is how long a screen gets to draw before its picture is taken.
var settle = 900 * time.Millisecond

// capture saves the window as a PNG (a variable for tests).
var capture = captureWindow

// Run drives till in window w of app a and saves <Dir>/<Name>-<screen>.png
// for each screen (signin, shift when sign-in leads to it, home, search,
// sell, promotions, payment, receipt, customers, customer, stock, count, receiving, order, orders), printing each file saved on stdout and what failed
// on stderr, then quits the app. Run it in its own goroutine after the till
// has started; it signs in as the demo cashier (1001).
func Run(a fyne.App, w fyne.Window, till Till, o Options) {
	run(a, w, till, o, os.Stdout, os.Stderr)
}

func run(a fyne.App, w fyne.Window, till Till, o Options, stdout, stderr io.Writer) {
	defer fyne.Do(a.Quit)
	if err := os.MkdirAll(o.Dir, 0o755); err != nil {
		fmt.Fprintln(stderr, "screenshots:", err)
		return
	}
	name := o.Name()
	shot := func(screen string) {
		time.Sleep(settle)
		p := filepath.Join(o.Dir, name+"-"+screen+".png")
		if err := capture(w, p); err != nil {
			fmt.Fprintln(stderr, "screenshot:", err)
			return
		}
		fmt.Fprintln(stdout, "saved", p)
	}
	step := func(f func()) { fyne.DoAndWait(f) }
	shot("signin")
	step(func() {
		if msg := till.SignIn("1001", "1234"); msg != "" {
			fmt.Fprintln(stderr, "signing in:", msg)
		}
	})
	// The demo store sells only in an open shift: sign-in leads to the shift
	// screen, unless the till resumed a shift left open in its data folder.
	var onShift bool
	step(func() { onShift = till.Screen() == "shift" })
	if onShift {
		shot("shift")
		step(func() {
			if msg := till.OpenShift("100.00"); msg != "" {
				fmt.Fprintln(stderr, "opening the shift:", msg)
			}
		})
	}
	step(till.OpenHome)
	shot("home")
	step(func() {
		till.Scan("4000000000082")
		till.Scan("4000000000150")
		till.Search("espresso")
	})
	shot("search")
	step(func() {
		till.Search("")
		till.Scan("4000000000143")
		till.Scan("2100042012349")
		till.SetScale(734) // the demo's virtual scale: bananas are weighed
		till.Scan("2100042000001")
	})
	shot("sell")
	step(func() { till.Scan("4000000000112"); till.OpenPromotions() }) // a chocolate bar's -20 %
	shot("promotions")
	step(till.CloseDialog)
	step(func() { till.AddCustomer("müller") }) // a regular customer on the sale
	step(func() { till.OpenPayment("50") })
	shot("payment")
	step(func() { till.PayCash(); till.CloseDialog() })
	shot("receipt")
	step(func() { till.OpenCustomers("müller") })
	shot("customers")
	step(func() { till.CloseDialog(); till.OpenCustomerPage("müller") })
	shot("customer")
	step(till.CloseDialog)
	step(func() { till.LookUpStock("4000000000082") })
	shot("stock")
	step(func() {
		till.CountStock("Shelf 12", "4000000000082", "4000000000082", "4000000000150", "4000000000143", "4000000000143", "4000000000143")
	})
	shot("count")
	step(func() { till.ReceiveStock("4000000000013", "4000000000013", "4000000000020") })
	shot("receiving")
	step(func() { till.MakeOrder("Ada Lovelace", "S0002", "4000000000013", "4000000000020") })
	shot("order")
	step(func() { till.SubmitOrder() })
	time.Sleep(settle)
	step(till.CloseDialog) // the deposit's receipt
	step(till.OpenOrders)
	shot("orders")
}

// captureWindow saves the window as a PNG at path: the X server's picture of it
// when ImageMagick's import is installed (what is really on screen), else
// Fyne's own rendering of the canvas.
func captureWindow(w fyne.Window, path string) error {
	if imp, err := exec.LookPath("import"); err == nil {
		size := w.Canvas().Size()
		scale := w.Canvas().Scale()
		geom := fmt.Sprintf("%dx%d+0+0", int(size.Width*scale), int(size.Height*scale))
		if out, err := exec.Command(imp, "-window", "root", "-crop", geom, "+repage", path).CombinedOutput(); err != nil {
			return fmt.Errorf("import: %v: %s", err, out)
		}
		return nil
	}
	return captureCanvas(w, path)
}

// captureCanvas saves Fyne's rendering of the window's canvas as a PNG.
func captureCanvas(w fyne.Window, path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := png.Encode(f, w.Canvas().Capture()); err != nil {
		f.Close()
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return f.Close()
}
