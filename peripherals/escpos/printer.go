package escpos

import (
	"context"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/opentill/opentill/peripherals"
	"github.com/opentill/opentill/peripherals/transport"
	"github.com/opentill/opentill/pos/receipt"
)

// Config configures a Printer.
type Config struct {
	Layout Layout
	// Status asks the printer for its status (DLE EOT) before each job, so
	// paper out or an open cover is reported instead of printing into the
	// void. Needs a two-way port (TCP, serial); leave it off for one-way
	// device files.
	Status bool
	// StatusTimeout bounds the wait for the status answer; 0 means 1 s.
	StatusTimeout time.Duration
	// DrawerOpenHigh says the drawer switch on pin 3 reads high when the
	// drawer is open (the usual wiring). See ParseStatus.
	DrawerOpenHigh bool
	// WriteTimeout bounds a job's write; 0 means 10 s.
	WriteTimeout time.Duration
}

// Printer is an ESC/POS receipt printer (peripherals.POSPrinter) on a
// transport.Link, which reconnects when the printer comes back.
type Printer struct {
	link  *transport.Link
	cfg   Config
	stale atomic.Bool // a status answer may still arrive late: drain before asking again
}

var _ peripherals.POSPrinter = (*Printer)(nil)

// NewPrinter returns a printer on link.
func NewPrinter(link *transport.Link, cfg Config) *Printer {
	cfg.Layout = cfg.Layout.withDefaults()
	if cfg.StatusTimeout == 0 {
		cfg.StatusTimeout = time.Second
	}
	if cfg.WriteTimeout == 0 {
		cfg.WriteTimeout = 10 * time.Second
	}
	return &Printer{link: link, cfg: cfg}
}

// Layout is the printer's receipt layout.
func (p *Printer) Layout() Layout { return p.cfg.Layout }

// PrintReceipt prints a receipt (see Receipt) after checking the status
// when Config.Status is set.
func (p *Printer) PrintReceipt(ctx context.Context, r *receipt.Receipt) error {
	b, _ := Receipt(r, p.cfg.Layout)
	return p.Print(ctx, b)
}

// PrintPage prints a free-form page.
func (p *Printer) PrintPage(ctx context.Context, pg peripherals.Page) error {
	b, _ := PageBytes(pg, p.cfg.Layout)
	return p.Print(ctx, b)
}

// Print sends a job of ESC/POS bytes, checking the status first when
// Config.Status is set.
func (p *Printer) Print(ctx context.Context, job []byte) error {
	return p.link.Do(ctx, func(c transport.Conn) error {
		if p.cfg.Status {
			st, err := p.status(ctx, c)
			if err != nil {
				return err
			}
			if err := st.Err(); err != nil {
				return err
			}
		}
		return p.write(c, job)
	})
}

func (p *Printer) write(c transport.Conn, b []byte) error {
	if wd, ok := c.(interface{ SetWriteDeadline(time.Time) error }); ok {
		_ = wd.SetWriteDeadline(time.Now().Add(p.cfg.WriteTimeout))
	}
	_, err := c.Write(b)
	if err != nil && transport.IsTimeout(err) {
		// Not wrapped: a half-sent job leaves the port in an unknown state, so
		// the link closes it and the next job starts on a fresh connection.
		return fmt.Errorf("the printer took no data for %s (jammed or busy): %s", p.cfg.WriteTimeout, err.Error())
	}
	return err
}

// Status asks the printer how it is (DLE EOT 1, 2 and 4). Without
// Config.Status it reports Online and nothing else.
func (p *Printer) Status(ctx context.Context) (peripherals.PrinterStatus, error) {
	if !p.cfg.Status {
		return peripherals.PrinterStatus{Online: true}, nil
	}
	var st peripherals.PrinterStatus
	err := p.link.Do(ctx, func(c transport.Conn) error {
		var err error
		st, err = p.status(ctx, c)
		return err
	})
	return st, err
}

func (p *Printer) status(ctx context.Context, c transport.Conn) (peripherals.PrinterStatus, error) {
	if p.stale.Load() {
		transport.Drain(ctx, c, 5*time.Millisecond)
		p.stale.Store(false)
	}
	if err := p.write(c, StatusQuery); err != nil {
		return peripherals.PrinterStatus{}, err
	}
	transport.SetDeadline(ctx, c, p.cfg.StatusTimeout)
	buf := make([]byte, 0, 3)
	var one [3]byte
	for len(buf) < 3 {
		n, err := c.Read(one[:3-len(buf)])
		buf = append(buf, one[:n]...)
		if err != nil {
			if transport.IsTimeout(err) {
				p.stale.Store(true)
				return peripherals.PrinterStatus{}, peripherals.PrinterStatus{}.Err() // not online
			}
			return peripherals.PrinterStatus{}, err
		}
	}
	st, err := ParseStatus(buf, p.cfg.DrawerOpenHigh)
	if err != nil || !st.Error {
		return st, err
	}
	// An error: ask for its cause (DLE EOT 3). A printer that does not
	// answer it is reported with the cause unknown.
	if err := p.write(c, ErrorCause); err != nil {
		return st, err
	}
	transport.SetDeadline(ctx, c, p.cfg.StatusTimeout)
	if n, rerr := c.Read(one[:1]); n == 1 && rerr == nil {
		if withCause, perr := ParseErrorCause(st, one[0]); perr == nil {
			return withCause, nil
		}
	} else if rerr != nil && transport.IsTimeout(rerr) {
		p.stale.Store(true)
	}
	return st, nil
}

// Close closes the port.
func (p *Printer) Close() error { return p.link.Close() }

// Drawer returns the cash drawer wired to this printer's kick connector:
// Open sends ESC p with the pin and pulse; Status reads pin 3 through
// DLE EOT 1 when the printer answers status requests.
func (p *Printer) Drawer(pin Pin, onMS, offMS int) *Drawer {
	if onMS <= 0 {
		onMS = 100
	}
	if offMS <= 0 {
		offMS = 2 * onMS
	}
	return &Drawer{p: p, kick: KickBytesFor(p.cfg.Layout.Dialect, pin, onMS, offMS)}
}

// Drawer is a cash drawer kicked through an ESC/POS printer.
type Drawer struct {
	p    *Printer
	kick []byte
}

var _ peripherals.CashDrawer = (*Drawer)(nil)

// Open sends the kick pulse.
func (d *Drawer) Open(ctx context.Context) error {
	return d.p.link.Do(ctx, func(c transport.Conn) error { return d.p.write(c, d.kick) })
}

// Status reads the drawer switch through the printer (Known only when the
// printer answers status requests).
func (d *Drawer) Status(ctx context.Context) (peripherals.DrawerStatus, error) {
	if !d.p.cfg.Status {
		return peripherals.DrawerStatus{}, nil
	}
	st, err := d.p.Status(ctx)
	if err != nil {
		return peripherals.DrawerStatus{}, err
	}
	return peripherals.DrawerStatus{Known: true, Open: st.DrawerOpen}, nil
}

// Close does nothing: the printer owns the port.
func (d *Drawer) Close() error { return nil }
