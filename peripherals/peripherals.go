// Package peripherals defines the till's devices, one interface per
// UnifiedPOS category: POSPrinter, CashDrawer, Scanner, Scale, LineDisplay
// and PaymentTerminal. Protocol drivers (peripherals/escpos, scale,
// scanner, linedisplay, drawer) implement them over an io.ReadWriter that a
// transport (peripherals/transport: serial, TCP, device file) opens; virtual
// twins (peripherals/virtual, peripherals/paysim) implement them with no
// hardware. A hardware profile (peripherals/profile) says which is which, and
// peripherals/station wires them to a register.
//
// Every device failure is a *poserr.Error of kind poserr.Device whose
// message says what went wrong and what to do, so a screen can show it and
// the sale goes on.
package peripherals

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/opentill/opentill/pos/catalog"
	"github.com/opentill/opentill/pos/money"
	"github.com/opentill/opentill/pos/poserr"
	"github.com/opentill/opentill/pos/receipt"
	"github.com/opentill/opentill/pos/tender"
	"github.com/opentill/opentill/pos/till/devices"
)

// PrinterStatus is what a receipt printer reports about itself.
type PrinterStatus struct {
	Online       bool // the printer answered
	PaperOut     bool // the roll is empty: printing stopped
	PaperNearEnd bool // the roll is nearly empty: printing still works
	CoverOpen    bool
	Error        bool // cutter jam, head overheated or another error that stops printing
	DrawerOpen   bool // the drawer-kick connector reports an open drawer (when wired)
	// The cause of Error, when the printer tells it (ESC/POS DLE EOT 3).
	CutterError     bool // the autocutter jammed
	Unrecoverable   bool // a fault that needs the printer switched off and on (or serviced)
	AutoRecoverable bool // e.g. the head overheated: printing resumes by itself
}

// Err returns the error that stops printing, or nil when the printer can print.
func (s PrinterStatus) Err() error {
	switch {
	case !s.Online:
		return poserr.E(poserr.Device, KeyPrinterOffline, "the receipt printer does not answer: check its power and cable")
	case s.PaperOut:
		return poserr.E(poserr.Device, KeyPaperOut, "the receipt printer is out of paper: load a new roll and reprint")
	case s.CoverOpen:
		return poserr.E(poserr.Device, KeyCoverOpen, "the receipt printer's cover is open: close it and reprint")
	case s.Error && s.CutterError:
		return poserr.E(poserr.Device, KeyPrinterError, "the receipt printer's cutter jammed: open the cover, clear the paper, close it, then reprint")
	case s.Error && s.Unrecoverable:
		return poserr.E(poserr.Device, KeyPrinterError, "the receipt printer has a fault it cannot clear: switch it off and on; if that does not help, it needs service")
	case s.Error && s.AutoRecoverable:
		return poserr.E(poserr.Device, KeyPrinterError, "the receipt printer paused (its head is too hot): wait a moment, then reprint")
	case s.Error:
		return poserr.E(poserr.Device, KeyPrinterError, "the receipt printer reports an error (cutter jam or overheating): clear it, then reprint")
	}
	return nil
}

// Message keys of device errors, for translation.
const (
	KeyPrinterOffline = "error.printer.offline"
	KeyPaperOut       = "error.printer.paper_out"
	KeyCoverOpen      = "error.printer.cover_open"
	KeyPrinterError   = "error.printer.error"
	KeyPortGone       = "error.device.port_gone"
	KeyTimeout        = "error.device.timeout"
	KeyBadFrame       = "error.device.bad_frame"
	KeyScaleMotion    = "error.scale.motion"
	KeyScaleOver      = "error.scale.over_capacity"
	KeyScaleUnder     = "error.scale.under_zero"
	KeyScaleUnit      = "error.scale.unit"
	KeyDrawerOpen     = "error.drawer.still_open"
)

// Page is a free-form document for a printer: a test page or a report.
// Lines are printed as they are, at the printer's width.
type Page struct {
	Title string   // printed bold and double height, centred
	Lines []string // body lines
	QR    string   // printed as a QR code under the lines when set
}

// POSPrinter is a receipt printer.
type POSPrinter interface {
	// PrintReceipt prints a receipt and cuts the paper.
	PrintReceipt(ctx context.Context, r *receipt.Receipt) error
	// PrintPage prints a free-form page (test page, report) and cuts.
	PrintPage(ctx context.Context, p Page) error
	// Status asks the printer how it is. Printers that cannot answer
	// (one-way device files) report Online and nothing else.
	Status(ctx context.Context) (PrinterStatus, error)
	// Close releases the port.
	Close() error
}

// DrawerStatus is what a cash drawer reports.
type DrawerStatus struct {
	Known bool // the hardware reports the drawer's state
	Open  bool // meaningful only when Known
}

// CashDrawer is a cash drawer, kicked through the printer or standalone.
type CashDrawer interface {
	// Open kicks the drawer open.
	Open(ctx context.Context) error
	// Status reports whether the drawer is open, where the hardware says so.
	Status(ctx context.Context) (DrawerStatus, error)
	// Close releases the port (it does not shut the drawer: people do).
	Close() error
}

// Scanner is a serial barcode scanner. Keyboard-wedge scanners are the UI's
// scan field and need no driver.
type Scanner interface {
	// Read blocks until the next scanned code (prefix and suffix removed,
	// repeats suppressed) or until ctx ends.
	Read(ctx context.Context) (string, error)
	// Close releases the port.
	Close() error
}

// Weight is one scale reading. Value is in thousandths of Unit, the same
// scale as catalog.Qty, so a stable reading of a product sold in Unit is its
// quantity.
type Weight struct {
	Value  catalog.Qty
	Unit   string // "kg" or "lb", as the scale is configured; never converted
	Stable bool   // the scale is not in motion
	Net    bool   // tare was taken
}

// String prints the weight, e.g. "1.234 kg" or "1.234 kg (moving)".
func (w Weight) String() string {
	s := w.Value.Format(3) + " " + w.Unit
	if !w.Stable {
		s += " (moving)"
	}
	return s
}

// Scale is a weighing scale.
type Scale interface {
	// Read takes one reading. A scale in motion gives Stable false (or an
	// error of key KeyScaleMotion); over capacity and under zero are errors.
	Read(ctx context.Context) (Weight, error)
	// Close releases the port.
	Close() error
}

// PriceScale is a price-computing scale (Mettler Toledo Dialog 06): it is
// told the unit price of the item before it weighs, shows it and computes
// the price to pay.
type PriceScale interface {
	Scale
	// SetUnitPrice sends the unit price (per kg or lb) of the item about to
	// be weighed.
	SetUnitPrice(ctx context.Context, price money.Amount) error
}

// Weigh sends the item's unit price when s is a PriceScale, then waits
// for a stable weight as WaitStable does.
func Weigh(ctx context.Context, s Scale, unitPrice money.Amount, timeout, poll time.Duration) (Weight, error) {
	if ps, ok := s.(PriceScale); ok {
		if err := ps.SetUnitPrice(ctx, unitPrice); err != nil {
			return Weight{}, err
		}
	}
	return WaitStable(ctx, s, timeout, poll)
}

// WaitStable reads the scale until it reports a stable, positive weight or
// until timeout passes. Readings in motion are retried every poll.
func WaitStable(ctx context.Context, s Scale, timeout, poll time.Duration) (Weight, error) {
	if poll <= 0 {
		poll = 100 * time.Millisecond
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	deadline, _ := ctx.Deadline()
	var last error
	for {
		w, err := s.Read(ctx)
		// A read the overall deadline cut short (a timeout, or a frame cut
		// off halfway) says less than the reason already known (over
		// capacity, motion…): keep that. The read may return a moment
		// before the context says it is done, so go by the clock too.
		cutShort := err != nil && (ctx.Err() != nil || !time.Now().Before(deadline))
		switch {
		case err == nil && w.Stable && w.Value > 0:
			return w, nil
		case err == nil && w.Stable:
			last = poserr.E(poserr.Device, KeyScaleUnder, "the scale shows no weight: put the item on the scale")
		case err == nil:
			last = poserr.E(poserr.Device, KeyScaleMotion, "the scale is still moving (%s): let the item settle", w)
		case last != nil && (cutShort || errors.Is(err, ErrTimeout)):
		case !cutShort || last == nil:
			// Over capacity, under zero, a bad frame, a port gone: keep
			// trying until the timeout (the cashier may fix it), and report
			// the last reason.
			last = err
		}
		select {
		case <-ctx.Done():
			if last == nil {
				last = ctx.Err()
			}
			e := poserr.Wrap(last, poserr.Device, KeyTimeout, "no stable weight within %s", timeout)
			e.Sentinel = ErrTimeout
			return Weight{}, e
		case <-time.After(poll):
		}
	}
}

// Typed device outcomes, for errors.Is (the message keys are for
// translation). They are the ones pos/till/devices declares for the front
// ends, so a screen tells them apart without importing the drivers.
var (
	// ErrTimeout: the device did not answer (or gave no stable weight) in time.
	ErrTimeout = devices.ErrTimeout
	// ErrPortGone: the device's port is not reachable; it is reopened by itself.
	ErrPortGone = devices.ErrPortGone
)

// Lines is what a customer display shows: two rows. A tab in a row
// right-aligns what follows it ("TOTAL\t12.34"): see AlignLine.
type Lines [2]string

// AlignLine resolves the tab of a display row for a width of n characters:
// the text after the tab is right-aligned and kept whole (an amount), the
// text before it is cut to leave at least one space. A row without a tab
// comes back as it is.
func AlignLine(s string, n int) string {
	left, right, ok := strings.Cut(s, "\t")
	if !ok {
		return s
	}
	right = strings.TrimSpace(right)
	r := []rune(right)
	if len(r) >= n {
		return string(r[len(r)-n:])
	}
	l := []rune(strings.TrimRight(left, " "))
	room := n - len(r) - 1
	if room < 0 {
		room = 0
	}
	if len(l) > room {
		l = l[:room]
	}
	return string(l) + strings.Repeat(" ", n-len(l)-len(r)) + right
}

// LineDisplay is a customer-facing display.
type LineDisplay interface {
	// Show writes two lines, each cut or padded to the display's width.
	Show(ctx context.Context, l Lines) error
	// Clear blanks the display.
	Clear(ctx context.Context) error
	// Columns is the width of a line in characters (20 on a CD5220).
	Columns() int
	// Close releases the port.
	Close() error
}

// PaymentTerminal is a card terminal: the register's tender.PaymentTerminal
// (authorize, refund, void) plus capture of a pre-authorisation and cancel
// of a request in progress. No full card number ever reaches the till.
type PaymentTerminal interface {
	tender.PaymentTerminal
	// Capture completes an authorisation for the final amount.
	Capture(ctx context.Context, reference string, amount money.Amount) (tender.Approval, error)
	// Cancel aborts the request the terminal is working on.
	Cancel(ctx context.Context) error
}

// PortGone wraps a transport error of a device that disappeared.
func PortGone(device, port string, err error) error {
	e := poserr.Wrap(err, poserr.Device, KeyPortGone, "the %s on %s is not reachable: check its cable and power; the till reconnects by itself", device, port)
	e.Args = map[string]any{"device": device, "port": port}
	e.Sentinel = ErrPortGone
	return e
}

// BadFrame is the error of a frame a parser cannot read. It never carries
// a value: a noisy reading is an error, not a wrong weight.
func BadFrame(device string, frame []byte, format string, args ...any) error {
	e := poserr.E(poserr.Device, KeyBadFrame, "%s sent a frame that cannot be read (%s): %q", device, fmt.Sprintf(format, args...), frame)
	return e
}
