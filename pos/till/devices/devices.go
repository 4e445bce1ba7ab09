// Package devices is the till's devices as a front end uses them: the
// notices a device raises (paper out, drawer left open, an unknown scanned
// code), the receipts after a sale (the one that waits for the printer, the
// last one printed, printing again), the words of the customer display,
// and the demo's virtual devices that a panel on screen shows and sets.
//
// It declares; peripherals/station implements. A front end imports this
// package and never peripherals/.
package devices

import (
	"context"
	"errors"

	"github.com/opentill/opentill/pos/catalog"
	"github.com/opentill/opentill/pos/receipt"
)

// Device names a device in notices and changes.
type Device string

// Devices.
const (
	Printer Device = "printer"
	Drawer  Device = "drawer"
	Display Device = "display"
	Scale   Device = "scale"
	Scanner Device = "scanner"
)

// Typed device outcomes: device errors wrap these, so a front end decides
// with errors.Is.
var (
	// ErrTimeout: the device did not answer (or gave no stable weight) in
	// time; the error's cause says more when there is one.
	ErrTimeout = errors.New("the device did not answer in time")
	// ErrPortGone: the device's port is not reachable; it is reopened by itself.
	ErrPortGone = errors.New("the device's port is gone")
)

// KeyReceiptWaits is the message key of a receipt that did not print: the
// sale is saved and the receipt waits for Receipts.Reprint. Its error's Args
// hold "receipt" (the receipt number) and "cause" (the printer's message key).
const KeyReceiptWaits = "error.printer.receipt_waits"

// Notice is something a cashier should know about a device: an error
// (paper out, drawer jammed, port gone, unknown scanned code) or a warning
// (drawer left open). Err is a *poserr.Error whose Key a front end
// translates.
type Notice struct {
	Device  Device
	Err     error
	Warning bool             // informational: nothing failed
	Receipt *receipt.Receipt // printer failures: the receipt waiting for Reprint
	Code    string           // scanner notices: the code scanned
}

// Texts are the words the customer display shows, for a front end to
// translate; empty ones are English.
type Texts struct {
	Thanks   string // "Thank you!"
	Total    string // "TOTAL"
	Change   string // "Change"
	Paid     string // "Paid"
	Due      string // "Due"
	Weighing string // "Weighing..."
	Idle     string // "Welcome": the idle message, unless the hardware profile names one
	// Locale is the store's locale the display writes amounts and
	// quantities in (BCP 47, "de-DE"); empty means locale.Default.
	Locale string
	// TimeZone is the store's IANA time zone.
	TimeZone string
}

// Receipts is the printer's side of a sale after it committed.
type Receipts interface {
	// Pending is the receipt that failed to print, or nil.
	Pending() *receipt.Receipt
	// Last is the last receipt printed, or nil.
	Last() *receipt.Receipt
	// Reprint prints the receipt that waits (as the original), or else a
	// copy of the last one, and waits for the printer.
	Reprint(ctx context.Context) error
	// Print prints a receipt now (the copy a reprint operation returned) and
	// waits for the printer; a failure leaves it waiting for Reprint.
	Print(ctx context.Context, r *receipt.Receipt) error
}

// Panel is the till's virtual devices (the demo's) as a panel on screen
// shows and sets them. A nil field is a device that is not virtual.
type Panel struct {
	Scale   VirtualScale
	Display VirtualDisplay
	Drawer  VirtualDrawer
	Printer VirtualPrinter
	// Changes tells of what the virtual devices did; nil: nothing to watch.
	Changes Changes
}

// Empty reports whether the panel has no virtual device (or is nil).
func (p *Panel) Empty() bool {
	return p == nil || (p.Scale == nil && p.Display == nil && p.Drawer == nil && p.Printer == nil)
}

// VirtualScale is a scale whose weight is set by hand.
type VirtualScale interface {
	// Set puts a weight on the scale, stable or still moving.
	Set(q catalog.Qty, stable bool)
}

// VirtualDisplay is a customer display shown on screen.
type VirtualDisplay interface {
	// Lines are the two lines shown now.
	Lines() [2]string
	// Columns is the width of a line.
	Columns() int
}

// VirtualDrawer is a cash drawer shown on screen.
type VirtualDrawer interface {
	IsOpen() bool
	// Shut closes the drawer, as the cashier's hand does.
	Shut()
}

// VirtualPrinter is a receipt printer that prints to files.
type VirtualPrinter interface {
	// Last is the last receipt printed, its text and its PNG file ("" when
	// it writes none).
	Last() (r *receipt.Receipt, text, png string)
	PaperOut() bool
	// SetPaperOut takes the roll out (or puts it back): jobs then fail as a
	// real printer's do.
	SetPaperOut(out bool)
}

// Change is something a virtual device did.
type Change struct {
	Device Device
	// Printed is the receipt the printer just printed, with its text
	// (printer changes only).
	Printed *receipt.Receipt
	Text    string
}

// Changes tells a front end what the virtual devices do.
type Changes interface {
	// Watch calls fn after every change, from the devices' goroutines (a
	// front end hops to its own); the returned function stops it.
	Watch(fn func(Change)) (cancel func())
}
