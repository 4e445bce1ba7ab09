// Package station wires a till's devices to its register. After a
// checkout commits it prints the receipt, opens the drawer when cash was
// taken and thanks the customer on the line display; the display follows
// the cart; serial scans become product sales (through pos/till, so a
// weighed item reads the scale). Devices work in their own goroutines, so a
// slow or broken device never holds up the register, and a failure is
// reported as a devices.Notice: the sale is already saved, and a receipt
// that did not print waits for Reprint.
//
// For the front ends the station is the till's scale (till.Scale), its
// receipts (devices.Receipts) and, with virtual devices, their panel
// (devices.Panel):
//
//	st := station.New(reg, devs, station.Options{Notify: func(n devices.Notice) { fyne.Do(...) }})
//	st.Start(ctx)            // serial scanner loop
//	defer st.Close()
//	svc := till.New(reg, till.Options{Scale: st})
//	sale, err := svc.Sell(ctx, pos.ProductSale{Barcode: code}) // weighs when needed
//	st.Reprint(ctx)          // after "paper out": prints the receipt that waits
package station

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"time"

	"github.com/opentill/opentill/peripherals"
	"github.com/opentill/opentill/peripherals/drawer"
	"github.com/opentill/opentill/peripherals/profile"
	"github.com/opentill/opentill/pos"
	"github.com/opentill/opentill/pos/cart"
	"github.com/opentill/opentill/pos/catalog"
	"github.com/opentill/opentill/pos/locale"
	"github.com/opentill/opentill/pos/money"
	"github.com/opentill/opentill/pos/poserr"
	"github.com/opentill/opentill/pos/receipt"
	"github.com/opentill/opentill/pos/till"
	"github.com/opentill/opentill/pos/till/devices"
)

// The station is what the front ends use of the devices.
var (
	_ till.Scale       = (*Station)(nil)
	_ devices.Receipts = (*Station)(nil)
)

// Options configure a Station.
type Options struct {
	// Notify receives notices, from the station's goroutines: a UI must hop
	// to its own thread. Nil drops them.
	Notify func(devices.Notice)
	// IdleAfter is how long the thank-you stays on the display before the
	// idle message; 0 means 15 s.
	IdleAfter time.Duration
	// ScalePoll is the interval between scale readings while waiting for a
	// stable weight; 0 means 50 ms.
	ScalePoll time.Duration
	// Texts are the customer display's words; empty ones are English.
	Texts devices.Texts
	// Divert, if set, is offered each scan of the serial scanner first,
	// from the station's goroutine: it reports whether it took the code
	// (a stock count or lookup on screen); a code it leaves is sold.
	Divert func(code string) bool
}

// withDefaults fills the display's words left empty with English.
func withDefaults(t devices.Texts) devices.Texts {
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
	loc  *locale.Locale
	idle peripherals.Lines // what the display shows between sales
	cash map[string]bool   // tender type IDs that open the drawer

	jobs    chan job
	display chan peripherals.Lines
	unsub   func()
	panel   *devices.Panel
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
	opt.Texts = withDefaults(opt.Texts)
	ctx, cancel := context.WithCancel(context.Background())
	setup := reg.Setup()
	tag := firstOf(opt.Texts.Locale, firstOf(setup.Header.Locale, setup.Header.Language))
	s := &Station{reg: reg, dev: dev, opt: opt, cur: setup.Currency, cash: map[string]bool{},
		loc: locale.For(tag, firstOf(opt.Texts.TimeZone, setup.Header.TimeZone)), idle: dev.Idle,
		jobs: make(chan job, 64), display: make(chan peripherals.Lines, 1), ctx: ctx, cancel: cancel}
	if !dev.IdleSet && opt.Texts.Idle != "" {
		s.idle = peripherals.Lines{opt.Texts.Idle, setup.StoreName}
	}
	for _, t := range setup.TenderTypes {
		if t.OpensDrawer {
			s.cash[t.ID] = true
		}
	}
	s.panel = newPanel(dev) // hooks the virtual devices before they work
	s.wg.Add(2)
	go s.printLoop()
	go s.displayLoop()
	s.unsub = reg.Subscribe(s.onEvent)
	s.show(s.idle)
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

// Panel is the virtual devices for a panel on screen, or nil when the till
// has none.
func (s *Station) Panel() *devices.Panel { return s.panel }

func (s *Station) notify(n devices.Notice) {
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
			s.line1 = s.lineText(e.Line)
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
			s.show(peripherals.Lines{s.pair(s.opt.Texts.Paid, s.fmt(t.Paid)), s.pair(s.opt.Texts.Due, s.fmt(t.Remaining))})
			return
		}
		s.show(peripherals.Lines{l1, s.pair(s.opt.Texts.Total, s.fmt(t.Due))})
	case pos.TransactionVoided, pos.TransactionSuspended, pos.SignedOut, pos.RegisterLocked:
		s.mu.Lock()
		s.line1 = ""
		s.mu.Unlock()
		s.show(s.idle)
	}
}

// lineText is the display's first line for a line just rung up: the
// quantity in the store's locale and the name.
func (s *Station) lineText(l *cart.Line) string {
	if l.Unit != "" && l.Unit != catalog.Each.ID {
		return s.loc.Qty(l.Qty, l.UnitDecimals) + l.Unit + " " + l.Name
	}
	if l.Qty != catalog.One {
		return s.loc.Qty(l.Qty, 0) + "x " + l.Name
	}
	return l.Name
}

// fmt formats an amount for the display as a number in the store's locale
// ("28,71" in de-DE, "28.71" in en-US): without the currency's symbol, which
// the character tables of many line displays (CP437 on a CD5220) lack, and
// which the 20 columns can spare.
func (s *Station) fmt(a money.Amount) string { return s.loc.Number(int64(a), s.cur.Digits) }

func firstOf(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// pair right-aligns value after label on a display line: the display
// keeps the value whole and shortens the label (peripherals.AlignLine).
func (s *Station) pair(label, value string) string {
	return label + "\t" + value
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
			s.show(s.idle)
		case l := <-s.display:
			ctx, cancel := context.WithTimeout(s.ctx, 2*time.Second)
			err := s.dev.Display.Show(ctx, l)
			cancel()
			if err != nil && !failed && s.ctx.Err() == nil {
				s.notify(devices.Notice{Device: devices.Display, Err: err})
			}
			failed = err != nil
			s.mu.Lock()
			at := s.idleAt
			s.idleAt = time.Time{}
			s.mu.Unlock()
			if !at.IsZero() {
				idle = time.After(time.Until(at))
			} else if l != s.idle {
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
			s.notify(devices.Notice{Device: devices.Printer, Err: reprintErr(err, j.r), Receipt: j.r})
		} else {
			s.mu.Lock()
			s.last, s.pending = j.r, nil
			s.mu.Unlock()
		}
	}
	if j.kick && s.dev.Drawer != nil {
		if err := s.dev.Drawer.Open(ctx); err != nil {
			s.notify(devices.Notice{Device: devices.Drawer, Err: err})
		} else if s.dev.DrawerWarning > 0 && s.watching.CompareAndSwap(false, true) {
			s.wg.Add(1)
			go func() {
				defer s.wg.Done()
				defer s.watching.Store(false)
				drawer.WatchOpen(s.ctx, s.dev.Drawer, s.dev.DrawerWarning, 500*time.Millisecond, func(err error) {
					s.notify(devices.Notice{Device: devices.Drawer, Err: err, Warning: true})
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
	e := poserr.Wrap(err, poserr.Device, devices.KeyReceiptWaits, "receipt %s did not print; the sale is saved: fix the printer, then reprint", r.ReceiptNo)
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

// Weigh waits for a stable weight on the scale, saying "Weighing..." on
// the customer display meanwhile; a scale that gives none in time is also
// a notice. Without a scale it returns till.ErrNoScale.
func (s *Station) Weigh(ctx context.Context, unitPrice money.Amount) (catalog.Qty, error) {
	if s.dev.Scale == nil {
		return 0, till.ErrNoScale
	}
	s.show(peripherals.Lines{s.opt.Texts.Weighing, ""})
	w, err := peripherals.Weigh(ctx, s.dev.Scale, unitPrice, s.dev.StableTimeout, s.opt.ScalePoll)
	if err != nil {
		s.notify(devices.Notice{Device: devices.Scale, Err: err})
		return 0, err
	}
	return w.Value, nil
}

// ManualWeight reports whether the cashier may key a weight in when the
// scale gives none: the profile allows it, or there is no scale.
func (s *Station) ManualWeight() bool { return s.dev.Scale == nil || s.dev.ManualWeight }

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
				s.notify(devices.Notice{Device: devices.Scanner, Err: err})
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
		if s.opt.Divert != nil && s.opt.Divert(code) {
			continue
		}
		if _, err := till.Sell(ctx, s.reg, s, pos.ProductSale{Barcode: code}); err != nil {
			s.notify(devices.Notice{Device: devices.Scanner, Err: err, Code: code})
		}
	}
}
