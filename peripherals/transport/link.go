package transport

import (
	"context"
	"errors"
	"io"
	"sync"
	"time"

	"github.com/opentill/opentill/peripherals"
	"github.com/opentill/opentill/pos/poserr"
)

// Dialer opens a port.
type Dialer func(ctx context.Context) (Conn, error)

// Link is a port that reopens itself. Do opens the port when it is not
// open; an I/O failure (the USB adapter pulled, socat gone, a TCP reset)
// closes it, and the next Do opens it again, so a device that disappears and
// comes back works again without a restart. Calls run one at a time.
type Link struct {
	device, port string
	dial         Dialer

	mu sync.Mutex // one exchange at a time

	cmu    sync.Mutex // guards c and closed, so Close can interrupt a blocked read
	c      Conn
	closed bool
}

// NewLink returns a link that opens the port a spec names. device names the
// device in error messages ("receipt printer").
func NewLink(device string, s Spec) *Link {
	return NewLinkDial(device, s.Address, func(ctx context.Context) (Conn, error) { return Open(ctx, s) })
}

// NewLinkDial returns a link over a custom dialer.
func NewLinkDial(device, port string, d Dialer) *Link {
	return &Link{device: device, port: port, dial: d}
}

// Port is the address the link opens.
func (l *Link) Port() string { return l.port }

// Do runs fn on the open port. Errors of the protocol (a *poserr.Error) and
// read timeouts leave the port open; any other error closes it and comes
// back as a poserr.Device error that says the port is gone.
func (l *Link) Do(ctx context.Context, fn func(c Conn) error) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	c, err := l.conn(ctx)
	if err != nil {
		return err
	}
	err = fn(c)
	if err == nil || IsTimeout(err) || ctx.Err() != nil {
		return err
	}
	var pe *poserr.Error
	if errors.As(err, &pe) {
		return err
	}
	l.drop(c)
	return goneErr(l.device, l.port, err)
}

func (l *Link) conn(ctx context.Context) (Conn, error) {
	l.cmu.Lock()
	c, closed := l.c, l.closed
	l.cmu.Unlock()
	if closed {
		return nil, poserr.E(poserr.Device, "error.device.closed", "the %s was closed", l.device)
	}
	if c != nil {
		return c, nil
	}
	c, err := l.dial(ctx)
	if err != nil {
		return nil, goneErr(l.device, l.port, err)
	}
	l.cmu.Lock()
	defer l.cmu.Unlock()
	if l.closed {
		c.Close()
		return nil, poserr.E(poserr.Device, "error.device.closed", "the %s was closed", l.device)
	}
	l.c = c
	return c, nil
}

func (l *Link) drop(c Conn) {
	l.cmu.Lock()
	if l.c == c {
		l.c = nil
	}
	l.cmu.Unlock()
	c.Close()
}

// Discard closes c, the port a Do callback got, so that the next Do opens
// it afresh: for protocols whose stream is in an unknown state after a
// broken exchange.
func (l *Link) Discard(c Conn) { l.drop(c) }

// Connected reports whether the port is open right now.
func (l *Link) Connected() bool {
	l.cmu.Lock()
	defer l.cmu.Unlock()
	return l.c != nil
}

// Close closes the port for good; a read in progress returns.
func (l *Link) Close() error {
	l.cmu.Lock()
	c := l.c
	l.c, l.closed = nil, true
	l.cmu.Unlock()
	if c != nil {
		return c.Close()
	}
	return nil
}

func goneErr(device, port string, err error) error { return peripherals.PortGone(device, port, err) }

// SetDeadline sets rw's read deadline to now+d, or to ctx's deadline when
// that is sooner, when rw supports deadlines. It returns false for a plain
// io.ReadWriter, whose reads cannot time out.
func SetDeadline(ctx context.Context, rw io.ReadWriter, d time.Duration) bool {
	dl, ok := rw.(interface{ SetReadDeadline(time.Time) error })
	if !ok {
		return false
	}
	t := time.Now().Add(d)
	if cd, ok := ctx.Deadline(); ok && cd.Before(t) {
		t = cd
	}
	return dl.SetReadDeadline(t) == nil
}

// ReadUntil reads from r until a byte of stops arrives (included in the
// result) or max bytes were read, waiting at most d (or until ctx's
// deadline). It reads one byte at a time so nothing after the frame is
// consumed.
func ReadUntil(ctx context.Context, rw io.ReadWriter, stops string, max int, d time.Duration) ([]byte, error) {
	SetDeadline(ctx, rw, d)
	var buf []byte
	var one [1]byte
	for len(buf) < max {
		if err := ctx.Err(); err != nil {
			return buf, err
		}
		n, err := rw.Read(one[:])
		if n == 1 {
			buf = append(buf, one[0])
			for i := 0; i < len(stops); i++ {
				if one[0] == stops[i] {
					return buf, nil
				}
			}
		}
		if err != nil {
			return buf, err
		}
	}
	return buf, nil
}

// Drain discards bytes already waiting on rw (a late answer to an earlier
// request), waiting at most d for each.
func Drain(ctx context.Context, rw io.ReadWriter, d time.Duration) {
	if !SetDeadline(ctx, rw, d) {
		return
	}
	var buf [64]byte
	for i := 0; i < 64; i++ {
		n, err := rw.Read(buf[:])
		if n == 0 || err != nil {
			return
		}
		SetDeadline(ctx, rw, d)
	}
}
