// Package scanner reads serial barcode scanners (USB-COM / CDC-ACM or
// RS-232 mode): ASCII frames ended by CR, LF or CR LF, or by a configured
// suffix, with an optional prefix (STX, a symbology letter) removed and
// repeats of the same code within a short window suppressed.
// Keyboard-wedge scanners need no driver: they type into the UI's scan field.
package scanner

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"sync"
	"time"

	"github.com/opentill/opentill/peripherals"
	"github.com/opentill/opentill/peripherals/transport"
)

// Config configures frame parsing.
type Config struct {
	Prefix string        // removed from the start of each frame, e.g. "\x02"; a frame without it is an error
	Suffix string        // ends a frame, e.g. "\x03"; empty means CR, LF or CR LF
	Repeat time.Duration // the same code again within this window is dropped; 0 means 300 ms, negative keeps all
	MaxLen int           // longest code; 0 means 128
}

func (c Config) withDefaults() Config {
	if c.Repeat == 0 {
		c.Repeat = 300 * time.Millisecond
	}
	if c.MaxLen == 0 {
		c.MaxLen = 128
	}
	return c
}

// ParseFrame turns one frame (terminator included or not) into a code: the
// terminator and prefix are removed, blanks trimmed. An empty frame, a
// missing prefix, a control or non-ASCII character, or a code longer than
// MaxLen is an error.
func ParseFrame(frame []byte, c Config) (string, error) {
	c = c.withDefaults()
	body := frame
	if c.Suffix != "" {
		body = bytes.TrimSuffix(body, []byte(c.Suffix))
	} else {
		body = bytes.TrimRight(body, "\r\n")
	}
	if c.Prefix != "" {
		if !bytes.HasPrefix(body, []byte(c.Prefix)) {
			return "", peripherals.BadFrame("the scanner", frame, "the frame does not start with the prefix %q: check the scanner's prefix setting", c.Prefix)
		}
		body = body[len(c.Prefix):]
	}
	body = bytes.TrimSpace(body)
	if len(body) == 0 {
		return "", peripherals.BadFrame("the scanner", frame, "empty code")
	}
	if len(body) > c.MaxLen {
		return "", peripherals.BadFrame("the scanner", frame, "longer than %d characters", c.MaxLen)
	}
	for _, b := range body {
		if b < 0x20 || b > 0x7e {
			return "", peripherals.BadFrame("the scanner", frame, "byte %02X is not a barcode character (noise on the line, or a wrong baud rate)", b)
		}
	}
	return string(body), nil
}

// Framer splits a byte stream into frames.
type Framer struct {
	cfg  Config
	buf  []byte
	over bool
}

// NewFramer returns a framer for the configuration.
func NewFramer(c Config) *Framer { return &Framer{cfg: c.withDefaults()} }

// Push adds a byte; when it ends a frame, the frame (terminator included)
// is returned. Frames of only a terminator (the LF of CR LF) are skipped.
// A frame longer than MaxLen plus framing is returned whole once it ends,
// so ParseFrame reports it.
func (f *Framer) Push(b byte) ([]byte, bool) {
	if len(f.buf) < f.cfg.MaxLen+len(f.cfg.Prefix)+len(f.cfg.Suffix)+4 {
		f.buf = append(f.buf, b)
	} else {
		f.over = true
	}
	end := false
	if f.cfg.Suffix == "" {
		end = b == '\r' || b == '\n'
	} else {
		end = bytes.HasSuffix(f.buf, []byte(f.cfg.Suffix))
	}
	if !end {
		return nil, false
	}
	frame := f.buf
	f.buf = nil
	if f.cfg.Suffix == "" && len(bytes.TrimRight(frame, "\r\n")) == 0 {
		return nil, false
	}
	if f.over {
		f.over = false
		frame = append(frame[:len(frame)-1], strings.Repeat("X", f.cfg.MaxLen)...)
		frame = append(frame, b)
	}
	return frame, true
}

// Scanner is a serial scanner on a transport.Link (peripherals.Scanner).
type Scanner struct {
	link   *transport.Link
	cfg    Config
	framer *Framer

	mu       sync.Mutex
	lastCode string
	lastAt   time.Time
}

var _ peripherals.Scanner = (*Scanner)(nil)

// New returns a scanner on link.
func New(link *transport.Link, c Config) *Scanner {
	c = c.withDefaults()
	return &Scanner{link: link, cfg: c, framer: NewFramer(c)}
}

// Read returns the next code. A garbled frame is returned as an error (the
// next Read goes on with the following frame); a port that went away is an
// error of key peripherals.KeyPortGone, after which Read reopens the port.
func (s *Scanner) Read(ctx context.Context) (string, error) {
	for {
		var code string
		err := s.link.Do(ctx, func(c transport.Conn) error {
			var one [1]byte
			for {
				if err := ctx.Err(); err != nil {
					return err
				}
				transport.SetDeadline(ctx, c, 200*time.Millisecond)
				n, err := c.Read(one[:])
				if n == 1 {
					if frame, ok := s.framer.Push(one[0]); ok {
						code, err = ParseFrame(frame, s.cfg)
						return err
					}
				}
				if err != nil && !transport.IsTimeout(err) {
					return err
				}
			}
		})
		if err != nil {
			if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
				return "", ctx.Err()
			}
			return "", err
		}
		if s.repeat(code) {
			continue
		}
		return code, nil
	}
}

func (s *Scanner) repeat(code string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := time.Now()
	rep := s.cfg.Repeat > 0 && code == s.lastCode && now.Sub(s.lastAt) < s.cfg.Repeat
	s.lastCode, s.lastAt = code, now
	return rep
}

// Close closes the port; a Read in progress returns.
func (s *Scanner) Close() error { return s.link.Close() }
