// Package station wires a till's devices to its register. After a
// checkout commits it prints the receipt, opens the drawer when cash was
// taken and thanks the customer on the line display; the display follows
// the cart; serial scans become product sales; weighed items read the
// scale. Devices work in their own goroutines, so a slow or broken device
// never holds up the register, and a failure is reported as a Notice: the
// sale is already saved, and a receipt that did not print waits for
// Reprint.
//
// A UI uses it like this:
//
//	st := station.New(reg, devices, station.Options{Notify: func(n station.Notice) { fyne.Do(...) }})
//	st.Start(ctx)            // serial scanner loop
//	defer st.Close()
//	res, err := st.Sell(ctx, pos.ProductSale{Barcode: code}) // scans and keyed codes: weighs when needed
//	st.Reprint(ctx)          // after "paper out": prints the receipt that waits
package station

import (
	"cmp"
	"context"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/opentill/opentill/peripherals"
	"github.com/opentill/opentill/peripherals/drawer"
	"github.com/opentill/opentill/peripherals/profile"
	"github.com/opentill/opentill/pos"
	"github.com/opentill/opentill/pos/cart"
	"github.com/opentill/opentill/pos/catalog"
	"github.com/opentill/opentill/pos/money"
	"github.com/opentill/opentill/pos/poserr"
	"github.com/opentill/opentill/pos/receipt"
)

// Device names in notices.
const (
	PrinterDevice = "printer"
	DrawerDevice  = "drawer"
	DisplayDevice = "display"
	ScaleDevice   = "scale"
	ScannerDevice = "scanner"
)

// Notice is something a cashier should know about a device: an error
// (paper out, drawer jammed, port gone, unknown scanned code) or a warning
// (drawer left open). Err is a *poserr.Error whose Key a UI can translate.
type Notice struct {
	Device  string
	Err     error
	Warning bool             // informational: nothing failed
	Receipt *receipt.Receipt // printer failures: the receipt waiting for Reprint
	Code    string           // scanner notices: the code scanned
}

// Options configure a Station.
type Options struct {
	// Notify receives notices, from the station's goroutines: a UI must hop
	// to its own thread. Nil drops them.
	Notify func(Notice)
	// IdleAfter is how long the thank-you stays on the display before the
	// idle message; 0 means 15 s.
	IdleAfter time.Duration
	// ScalePoll is the interval between scale readings while waiting for a
	// stable weight; 0 means 50 ms.
	ScalePoll time.Duration
	// Texts are the customer display's words; empty ones are English.
	Texts Texts
}

// Texts are the words the station shows on the customer display, for a
// UI to translate.
type Texts struct {
	Thanks   string // "Thank you!"
	Total    string // "TOTAL"
	Change   string // "Change"
	Paid     string // "Paid"
	Due      string // "Due"
	Weighing string // "Weighing..."
}

func (t Texts) withDefaults() Texts {
	def := func(s *string, d string) {
		if *s == "" {
			*s = d
		}
	}
	def(&t.Thanks, "Thank you!")
	def(&t.Total, "TOTAL")
	def(&t.Change, "Change")
	def(&t.Paid, "Paid")
	def(&t.Due, "Due")
	def(&t.Weighing, "Weighing...")
	return t
}

// Station connects devices to a register.
type Station struct {
	reg  *pos.Register
	dev  *profile.Devices
	opt  Options
	cur  money.Currency
	cash map[string]bool // tender type IDs that open the drawer

	jobs    chan job
	display chan peripherals.Lines
	unsub   func()
	ctx     context.Context
	cancel  context.CancelFunc
	wg      sync.WaitGroup

	jmu    sync.Mutex // guards closed and sends on jobs
	closed bool

	watching atomic.Bool // a drawer watcher runs

	mu      sync.Mutex
	last    *receipt.Receipt // last receipt printed
	pending *receipt.Receipt // last receipt that failed to print
	line1   string           // the display's first line while ringing up
	idleAt  time.Time
}

type job struct {
	r      *receipt.Receipt
	kick   bool
	change money.Amount
	total  money.Amount
}

// New wires dev to reg. Call Close when done.
func New(reg *pos.Register, dev *profile.Devices, opt Options) *Station {
	if opt.IdleAfter == 0 {
		opt.IdleAfter = 15 * time.Second
	}
	if opt.ScalePoll == 0 {
		opt.ScalePoll = 50 * time.Millisecond
	}
	opt.Texts = opt.Texts.withDefaults()
	ctx, cancel := context.WithCancel(context.Background())
	setup := reg.Setup()
	s := &Station{reg: reg, dev: dev, opt: opt, cur: setup.Currency, cash: map[string]bool{},
		jobs: make(chan job, 64), display: make(chan peripherals.Lines, 1), ctx: ctx, cancel: cancel}
	for _, t := range setup.TenderTypes {
		if t.OpensDrawer {
			s.cash[t.ID] = true
		}
	}
	s.wg.Add(2)
	go s.printLoop()
	go s.displayLoop()
	s.unsub = reg.Subscribe(s.onEvent)
	s.show(dev.Idle)
	return s
}

// Start runs the serial scanner loop (when there is a scanner) until ctx
// ends or Close is called.
func (s *Station) Start(ctx context.Context) {
	if s.dev.Scanner == nil {
		return
	}
	s.wg.Add(1)
	go s.scanLoop(ctx)
}

// Close unsubscribes and stops the station's goroutines, after printing
// the receipts already queued; it does not close the devices.
func (s *Station) Close() {
	s.unsub()
	s.jmu.Lock()
	if !s.closed {
		s.closed = true
		close(s.jobs)
	}
	s.jmu.Unlock()
	s.cancel()
	s.wg.Wait()
}

func (s *Station) notify(n Notice) {
	if s.opt.Notify != nil {
		s.opt.Notify(n)
	}
}

func (s *Station) onEvent(e pos.Event) {
	switch e.Type {
	case pos.TransactionCompleted:
		if e.Receipt == nil || e.Cart == nil {
			return
		}
		j := job{r: e.Receipt, change: e.Cart.Totals.Change, total: e.Cart.Totals.Due}
		for _, t := range e.Cart.ActiveTenders() {
			if s.cash[t.TypeID] || (len(s.cash) == 0 && t.Kind == cart.Cash) {
				j.kick = true
			}
		}
		s.jmu.Lock()
		if !s.closed {
			s.jobs <- j
		}
		s.jmu.Unlock()
	case pos.LineAdded, pos.LineChanged:
		if e.Line != nil {
			s.mu.Lock()
			s.line1 = lineText(e.Line, s.cur)
			s.mu.Unlock()
		}
	case pos.TotalsChanged:
		if e.Totals == nil {
			return
		}
		s.mu.Lock()
		l1 := s.line1
		s.mu.Unlock()
		t := e.Totals
		if t.Paid != 0 && t.Remaining > 0 {
			s.show(peripherals.Lines{s.opt.Texts.Paid + " " + s.fmt(t.Paid), s.opt.Texts.Due + " " + s.fmt(t.Remaining)})
			return
		}
		s.show(peripherals.Lines{l1, s.pair(s.opt.Texts.Total, s.fmt(t.Due))})
	case pos.TransactionVoided, pos.TransactionSuspended, pos.SignedOut, pos.RegisterLocked:
		s.mu.Lock()
		s.line1 = ""
		s.mu.Unlock()
		s.show(s.dev.Idle)
	}
}

func lineText(l *cart.Line, cur money.Currency) string {
	if l.Unit != "" && l.Unit != catalog.Each.ID {
		return l.Qty.Format(l.UnitDecimals) + l.Unit + " " + l.Name
	}
	if l.Qty != catalog.One {
		return l.Qty.Format(0) + "x " + l.Name
	}
	return l.Name
}

func (s *Station) fmt(a money.Amount) string { return a.Format(s.cur.Digits) }

// pair right-aligns value after label on a display line.
func (s *Station) pair(label, value string) string {
	w := 20
	if s.dev.Display != nil {
		w = s.dev.Display.Columns()
	}
	gap := w - len([]rune(label)) - len([]rune(value))
	if gap < 1 {
		gap = 1
	}
	return label + strings.Repeat(" ", gap) + value
}

// show queues lines for the display; a newer one replaces one not shown yet.
func (s *Station) show(l peripherals.Lines) {
	if s.dev.Display == nil {
		return
	}
	for {
		select {
		case s.display <- l:
			return
		default:
		}
		select {
		case <-s.display:
		default:
		}
	}
}

func (s *Station) displayLoop() {
	defer s.wg.Done()
	var idle <-chan time.Time
	var failed bool
	for {
		select {
		case <-s.ctx.Done():
			return
		case <-idle:
			idle = nil
			s.show(s.dev.Idle)
		case l := <-s.display:
			ctx, cancel := context.WithTimeout(s.ctx, 2*time.Second)
			err := s.dev.Display.Show(ctx, l)
			cancel()
			if err != nil && !failed && s.ctx.Err() == nil {
				s.notify(Notice{Device: DisplayDevice, Err: err})
			}
			failed = err != nil
			s.mu.Lock()
			at := s.idleAt
			s.idleAt = time.Time{}
			s.mu.Unlock()
			if !at.IsZero() {
				idle = time.After(time.Until(at))
			} else if l != s.dev.Idle {
				idle = nil
			}
		}
	}
}

func (s *Station) printLoop() {
	defer s.wg.Done()
	for j := range s.jobs {
		s.print(j)
	}
}

func (s *Station) print(j job) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if s.dev.Printer != nil {
		if err := s.dev.Printer.PrintReceipt(ctx, j.r); err != nil {
			s.mu.Lock()
			s.pending = j.r
			s.mu.Unlock()
			s.notify(Notice{Device: PrinterDevice, Err: reprintErr(err, j.r), Receipt: j.r})
		} else {
			s.mu.Lock()
			s.last, s.pending = j.r, nil
			s.mu.Unlock()
		}
	}
	if j.kick && s.dev.Drawer != nil {
		if err := s.dev.Drawer.Open(ctx); err != nil {
			s.notify(Notice{Device: DrawerDevice, Err: err})
		} else if s.dev.DrawerWarning > 0 && s.watching.CompareAndSwap(false, true) {
			s.wg.Add(1)
			go func() {
				defer s.wg.Done()
				defer s.watching.Store(false)
				drawer.WatchOpen(s.ctx, s.dev.Drawer, s.dev.DrawerWarning, 500*time.Millisecond, func(err error) {
					s.notify(Notice{Device: DrawerDevice, Err: err, Warning: true})
				})
			}()
		}
	}
	l := peripherals.Lines{s.opt.Texts.Thanks, s.pair(s.opt.Texts.Total, s.fmt(j.total))}
	if j.change > 0 {
		l[1] = s.pair(s.opt.Texts.Change, s.fmt(j.change))
	}
	s.mu.Lock()
	s.line1 = ""
	s.idleAt = time.Now().Add(s.opt.IdleAfter)
	s.mu.Unlock()
	s.show(l)
}

// reprintErr says that the sale is saved and the receipt waits.
func reprintErr(err error, r *receipt.Receipt) error {
	e := poserr.Wrap(err, poserr.Device, "error.printer.receipt_waits", "receipt %s did not print; the sale is saved: fix the printer, then reprint", r.ReceiptNo)
	var pe *poserr.Error
	if errors.As(err, &pe) {
		e.Args = map[string]any{"cause": pe.Key, "receipt": r.ReceiptNo}
	}
	return e
}

// Pending is the receipt that failed to print, or nil.
func (s *Station) Pending() *receipt.Receipt {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.pending
}

// Last is the last receipt printed, or nil.
func (s *Station) Last() *receipt.Receipt {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.last
}

// Print prints a receipt now and waits for the printer, e.g. the copy a
// ReprintReceipt operation returns. A failure leaves it pending for Reprint.
func (s *Station) Print(ctx context.Context, r *receipt.Receipt) error {
	if s.dev.Printer == nil {
		return poserr.E(poserr.Device, peripherals.KeyPrinterOffline, "this till has no receipt printer")
	}
	if err := s.dev.Printer.PrintReceipt(ctx, r); err != nil {
		s.mu.Lock()
		s.pending = r
		s.mu.Unlock()
		return reprintErr(err, r)
	}
	s.mu.Lock()
	s.last = r
	s.mu.Unlock()
	return nil
}

// Reprint prints the receipt that failed to print (as the original), or
// else a copy of the last one. It waits for the printer.
func (s *Station) Reprint(ctx context.Context) error {
	s.mu.Lock()
	r, orig := s.pending, true
	if r == nil && s.last != nil {
		cp := *s.last
		cp.Copy = true
		r, orig = &cp, false
	}
	s.mu.Unlock()
	if r == nil {
		return poserr.E(poserr.NotFound, "error.printer.nothing_to_reprint", "no receipt has been printed yet")
	}
	if s.dev.Printer == nil {
		return poserr.E(poserr.Device, peripherals.KeyPrinterOffline, "this till has no receipt printer")
	}
	if err := s.dev.Printer.PrintReceipt(ctx, r); err != nil {
		return reprintErr(err, r)
	}
	if orig {
		s.mu.Lock()
		if s.pending == r {
			s.pending, s.last = nil, r
		}
		s.mu.Unlock()
	}
	return nil
}

// WeightError is a weighed item's sale that got no weight from the scale.
// It wraps the register's error (errors.Is(err, pos.ErrNeedsWeight)) and
// the scale's reason, and says whether the cashier may key the weight in.
type WeightError struct {
	Product catalog.Product
	Manual  bool  // the till has no scale, or its profile allows keying in
	Scale   error // why the scale gave no stable weight (nil without a scale)
	Err     error // the register's refusal
}

func (e *WeightError) Error() string {
	if e.Scale != nil {
		return e.Err.Error() + ": " + e.Scale.Error()
	}
	return e.Err.Error()
}

// Unwrap returns the register's refusal and the scale's reason.
func (e *WeightError) Unwrap() []error {
	if e.Scale != nil {
		return []error{e.Err, e.Scale}
	}
	return []error{e.Err}
}

// ManualWeightAllowed reports whether err (from Sell) lets the cashier key
// the weight in, and for which product.
func ManualWeightAllowed(err error) (catalog.Product, bool) {
	var we *WeightError
	if errors.As(err, &we) && we.Manual {
		return we.Product, true
	}
	return catalog.Product{}, false
}

// Sell runs a product sale; for a weighed item without a quantity it reads
// a stable weight from the scale and sells that. When there is no scale,
// or it gives no stable weight in time, a *WeightError comes back, and
// ManualWeightAllowed says whether the UI may ask for the weight.
func (s *Station) Sell(ctx context.Context, op pos.ProductSale) (pos.Result, error) {
	res, err := s.reg.Do(ctx, op)
	if !errors.Is(err, pos.ErrNeedsWeight) || res.NeedsWeight == nil {
		return res, err
	}
	p := *res.NeedsWeight
	if s.dev.Scale == nil {
		// No scale: keying the weight in is the only way.
		return res, &WeightError{Product: p, Manual: true, Err: err}
	}
	s.show(peripherals.Lines{s.opt.Texts.Weighing, ""})
	w, werr := peripherals.Weigh(ctx, s.dev.Scale, cmp.Or(op.Price, p.Price), s.dev.StableTimeout, s.opt.ScalePoll)
	if werr != nil {
		s.notify(Notice{Device: ScaleDevice, Err: werr})
		return res, &WeightError{Product: p, Manual: s.dev.ManualWeight, Scale: werr, Err: err}
	}
	return s.reg.Do(ctx, pos.ProductSale{ProductID: p.ID, Qty: w.Value, Price: op.Price})
}

func (s *Station) scanLoop(ctx context.Context) {
	defer s.wg.Done()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() {
		select {
		case <-s.ctx.Done():
			cancel()
		case <-ctx.Done():
		}
	}()
	var gone bool
	for ctx.Err() == nil {
		code, err := s.dev.Scanner.Read(ctx)
		if err != nil {
			if ctx.Err() != nil {
				return
			}
			portGone := errors.Is(err, peripherals.ErrPortGone)
			if !portGone || !gone {
				s.notify(Notice{Device: ScannerDevice, Err: err})
			}
			gone = portGone
			if portGone {
				select {
				case <-ctx.Done():
					return
				case <-time.After(time.Second):
				}
			}
			continue
		}
		gone = false
		if _, err := s.Sell(ctx, pos.ProductSale{Barcode: code}); err != nil {
			s.notify(Notice{Device: ScannerDevice, Err: err, Code: code})
		}
	}
}
