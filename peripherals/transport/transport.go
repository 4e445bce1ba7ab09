// Package transport opens the ports devices hang on: serial lines
// (go.bug.st/serial), TCP sockets (network printers on 9100) and device
// files (/dev/usb/lp0). Every port is a Conn whose reads can time out, and
// a Link reopens a port that disappeared and came back.
package transport

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"go.bug.st/serial"
)

// Conn is an open port. Reads past the deadline return an error for which
// errors.Is(err, os.ErrDeadlineExceeded) holds.
type Conn interface {
	io.ReadWriteCloser
	SetReadDeadline(t time.Time) error
}

// Kinds of port.
const (
	Serial = "serial"
	TCP    = "tcp"
	File   = "file"
)

// Spec says how to open a port.
type Spec struct {
	Kind    string // Serial, TCP or File
	Address string // /dev/ttyUSB0, COM3, 192.0.2.10:9100, /dev/usb/lp0
	Line    Line   // serial line settings
}

// Line is a serial line's settings.
type Line struct {
	Baud     int    // 9600 when 0
	DataBits int    // 8 when 0
	Parity   string // "N", "E" or "O"; "N" when empty
	StopBits int    // 1 when 0
}

// String prints the settings as "9600 7E1".
func (l Line) String() string {
	l = l.withDefaults()
	return fmt.Sprintf("%d %d%s%d", l.Baud, l.DataBits, l.Parity, l.StopBits)
}

func (l Line) withDefaults() Line {
	if l.Baud == 0 {
		l.Baud = 9600
	}
	if l.DataBits == 0 {
		l.DataBits = 8
	}
	if l.Parity == "" {
		l.Parity = "N"
	}
	l.Parity = strings.ToUpper(l.Parity[:1])
	if l.StopBits == 0 {
		l.StopBits = 1
	}
	return l
}

// ParseLine reads "9600 7E1" (or "9600,7E1"); fields left out keep def.
func ParseLine(s string, def Line) (Line, error) {
	s = strings.TrimSpace(strings.ReplaceAll(s, ",", " "))
	if s == "" {
		return def, nil
	}
	l := def
	for _, f := range strings.Fields(s) {
		if n, err := strconv.Atoi(f); err == nil {
			l.Baud = n
			continue
		}
		if len(f) != 3 || f[0] < '5' || f[0] > '8' || !strings.ContainsRune("NEOneo", rune(f[1])) || (f[2] != '1' && f[2] != '2') {
			return def, fmt.Errorf("serial settings %q: write them as baud and frame, e.g. \"9600 8N1\" or \"4800 7O1\"", s)
		}
		l.DataBits = int(f[0] - '0')
		l.Parity = strings.ToUpper(f[1:2])
		l.StopBits = int(f[2] - '0')
	}
	return l, nil
}

// ParseSpec reads a port as a profile writes it: "tcp://host:9100" or
// "host:9100" for TCP, "file:///dev/usb/lp0" or a path under /dev/usb or
// /dev/lp* for a device file, "serial:///dev/ttyUSB0" or any other path or
// COM name for a serial line.
func ParseSpec(port string, line Line) (Spec, error) {
	p := strings.TrimSpace(port)
	switch {
	case p == "":
		return Spec{}, errors.New("no port given: set port to a serial device (/dev/ttyUSB0), host:9100 or a device file")
	case strings.HasPrefix(p, "tcp://"):
		return Spec{Kind: TCP, Address: strings.TrimPrefix(p, "tcp://")}, nil
	case strings.HasPrefix(p, "file://"):
		return Spec{Kind: File, Address: strings.TrimPrefix(p, "file://")}, nil
	case strings.HasPrefix(p, "serial://"):
		return Spec{Kind: Serial, Address: strings.TrimPrefix(p, "serial://"), Line: line.withDefaults()}, nil
	case strings.HasPrefix(p, "/dev/usb/") || strings.HasPrefix(p, "/dev/lp"):
		return Spec{Kind: File, Address: p}, nil
	case !strings.HasPrefix(p, "/") && strings.Contains(p, ":") && !strings.HasPrefix(strings.ToUpper(p), "COM"):
		if _, _, err := net.SplitHostPort(p); err != nil {
			return Spec{}, fmt.Errorf("port %q looks like a network address but is not host:port: %w", p, err)
		}
		return Spec{Kind: TCP, Address: p}, nil
	}
	return Spec{Kind: Serial, Address: p, Line: line.withDefaults()}, nil
}

// String prints the spec back in the form ParseSpec reads.
func (s Spec) String() string { return s.Kind + "://" + s.Address }

// Open opens the port.
func Open(ctx context.Context, s Spec) (Conn, error) {
	switch s.Kind {
	case TCP:
		return DialTCP(ctx, s.Address)
	case File:
		return OpenFile(s.Address)
	case Serial:
		return OpenSerial(s.Address, s.Line)
	}
	return nil, fmt.Errorf("unknown port kind %q: use serial, tcp or file", s.Kind)
}

// DialTCP connects to a network device, giving up after 3 s or when ctx ends.
func DialTCP(ctx context.Context, addr string) (Conn, error) {
	d := net.Dialer{Timeout: 3 * time.Second}
	c, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, err
	}
	if tc, ok := c.(*net.TCPConn); ok {
		_ = tc.SetNoDelay(true)
	}
	return c.(Conn), nil
}

// OpenFile opens a device file such as /dev/usb/lp0 for reading and
// writing, or for writing only when reading is refused. Reads from a file
// that cannot time out fail at once with os.ErrDeadlineExceeded once a
// deadline is set, so a status request does not hang.
func OpenFile(path string) (Conn, error) {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		f, err = os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
		if err != nil {
			return nil, err
		}
		return &fileConn{f: f, writeOnly: true}, nil
	}
	return &fileConn{f: f}, nil
}

type fileConn struct {
	f         *os.File
	writeOnly bool
	noPoll    bool
}

// Read reads from the file, or fails at once when it cannot be read or polled.
func (c *fileConn) Read(p []byte) (int, error) {
	if c.writeOnly || c.noPoll {
		return 0, fmt.Errorf("%s cannot be read: %w", c.f.Name(), os.ErrDeadlineExceeded)
	}
	return c.f.Read(p)
}

// Write writes to the file.
func (c *fileConn) Write(p []byte) (int, error) { return c.f.Write(p) }

// Close closes the file.
func (c *fileConn) Close() error { return c.f.Close() }

// SetReadDeadline sets the deadline, or marks the file unpollable.
func (c *fileConn) SetReadDeadline(t time.Time) error {
	if err := c.f.SetReadDeadline(t); err != nil {
		c.noPoll = true // a regular file or a driver without poll: reads would block forever
	}
	return nil
}

// serialChunk is how long one read of the serial library waits, so that a
// read without a deadline still notices Close.
const serialChunk = 100 * time.Millisecond

// OpenSerial opens a serial line.
func OpenSerial(name string, l Line) (Conn, error) {
	l = l.withDefaults()
	mode := &serial.Mode{BaudRate: l.Baud, DataBits: l.DataBits, StopBits: serial.OneStopBit}
	if l.StopBits == 2 {
		mode.StopBits = serial.TwoStopBits
	}
	switch l.Parity {
	case "E":
		mode.Parity = serial.EvenParity
	case "O":
		mode.Parity = serial.OddParity
	default:
		mode.Parity = serial.NoParity
	}
	p, err := serial.Open(name, mode)
	if err != nil {
		return nil, fmt.Errorf("opening %s at %s: %w", name, l, err)
	}
	if err := p.SetReadTimeout(serialChunk); err != nil {
		p.Close()
		return nil, fmt.Errorf("setting the read timeout of %s: %w", name, err)
	}
	return &serialConn{p: p, name: name}, nil
}

// serialConn turns go.bug.st/serial's timeout convention (a read that times
// out returns 0, nil) into deadlines.
type serialConn struct {
	p        serial.Port
	name     string
	mu       sync.Mutex
	deadline time.Time
}

// SetReadDeadline sets the deadline of the following reads.
func (c *serialConn) SetReadDeadline(t time.Time) error {
	c.mu.Lock()
	c.deadline = t
	c.mu.Unlock()
	return nil
}

// Read reads at least one byte, or fails with os.ErrDeadlineExceeded once
// the deadline passes.
func (c *serialConn) Read(b []byte) (int, error) {
	if len(b) == 0 {
		return 0, nil
	}
	for {
		c.mu.Lock()
		dl := c.deadline
		c.mu.Unlock()
		if !dl.IsZero() {
			left := time.Until(dl)
			if left <= 0 {
				return 0, fmt.Errorf("reading %s: %w", c.name, os.ErrDeadlineExceeded)
			}
			if err := c.p.SetReadTimeout(min(left, serialChunk)); err != nil {
				return 0, err
			}
		}
		n, err := c.p.Read(b)
		if n > 0 || err != nil {
			return n, err
		}
		// 0, nil: the library's read timeout. Try again until the deadline.
	}
}

// Write writes to the line.
func (c *serialConn) Write(b []byte) (int, error) { return c.p.Write(b) }

// Close closes the port; a read in progress returns.
func (c *serialConn) Close() error { return c.p.Close() }

// IsTimeout reports whether err is a read deadline passing.
func IsTimeout(err error) bool {
	if errors.Is(err, os.ErrDeadlineExceeded) {
		return true
	}
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}
