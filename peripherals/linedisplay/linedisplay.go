// Package linedisplay drives customer pole displays: CD5220-compatible
// displays (string mode, ESC Q A / ESC Q B) and ESC/POS displays (Epson
// DM-D style, optionally daisy-chained behind a printer with ESC =). Both
// show two lines of Columns characters in a code page; characters the page
// lacks show as '?'.
package linedisplay

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/opentill/opentill/peripherals"
	"github.com/opentill/opentill/peripherals/escpos"
	"github.com/opentill/opentill/peripherals/transport"
)

// Protocol names a display protocol as a profile writes it.
type Protocol string

// Protocols.
const (
	CD5220 Protocol = "cd5220"
	ESCPOS Protocol = "escpos"
)

// Config configures a display.
type Config struct {
	Protocol Protocol
	Columns  int             // characters per line; 0 means 20
	CodePage escpos.CodePage // zero value means CP858 (ESC/POS) or CP437 (CD5220)
	// Daisy selects the display with ESC = 2 before writing and the printer
	// with ESC = 1 after (ESC/POS displays chained behind a printer).
	Daisy bool
}

func (c Config) withDefaults() Config {
	if c.Columns == 0 {
		c.Columns = 20
	}
	if c.CodePage.Name == "" {
		name := "cp858"
		if c.Protocol == CD5220 {
			name = "cp437"
		}
		c.CodePage, _ = escpos.LookupCodePage(name)
	}
	return c
}

// Fit cuts or pads s to n characters.
func Fit(s string, n int) string {
	if utf8.RuneCountInString(s) > n {
		return string([]rune(s)[:n])
	}
	return s + strings.Repeat(" ", n-utf8.RuneCountInString(s))
}

// Frame returns the bytes that show two lines.
func Frame(c Config, l peripherals.Lines) []byte {
	c = c.withDefaults()
	var b []byte
	switch c.Protocol {
	case CD5220:
		b = append(b, 0x1b, 'Q', 'A')
		b, _ = c.CodePage.Encode(b, Fit(l[0], c.Columns))
		b = append(b, 0x0d, 0x1b, 'Q', 'B')
		b, _ = c.CodePage.Encode(b, Fit(l[1], c.Columns))
		b = append(b, 0x0d)
	default:
		if c.Daisy {
			b = append(b, 0x1b, '=', 2)
		}
		b = append(b, 0x1b, 't', c.CodePage.N, 0x1f, 'C', 0, 0x0b) // code page, cursor off, home
		b, _ = c.CodePage.Encode(b, Fit(l[0], c.Columns)+Fit(l[1], c.Columns))
		if c.Daisy {
			b = append(b, 0x1b, '=', 1)
		}
	}
	return b
}

// ClearFrame returns the bytes that initialise and blank the display.
func ClearFrame(c Config) []byte {
	c = c.withDefaults()
	switch c.Protocol {
	case CD5220:
		return []byte{0x1b, '@', 0x0c}
	default:
		if c.Daisy {
			return []byte{0x1b, '=', 2, 0x1b, '@', 0x0c, 0x1b, '=', 1}
		}
		return []byte{0x1b, '@', 0x0c}
	}
}

// Display is a line display on a transport.Link (peripherals.LineDisplay).
type Display struct {
	link *transport.Link
	cfg  Config

	mu   sync.Mutex
	last peripherals.Lines
}

var _ peripherals.LineDisplay = (*Display)(nil)

// New returns a display on link.
func New(link *transport.Link, c Config) (*Display, error) {
	switch c.Protocol {
	case CD5220, ESCPOS:
	default:
		return nil, fmt.Errorf("unknown line display protocol %q: use %s or %s", c.Protocol, CD5220, ESCPOS)
	}
	return &Display{link: link, cfg: c.withDefaults()}, nil
}

// Show writes two lines.
func (d *Display) Show(ctx context.Context, l peripherals.Lines) error {
	b := Frame(d.cfg, l)
	err := d.link.Do(ctx, func(c transport.Conn) error {
		_, err := c.Write(b)
		return err
	})
	if err == nil {
		d.mu.Lock()
		d.last = l
		d.mu.Unlock()
	}
	return err
}

// Clear blanks the display.
func (d *Display) Clear(ctx context.Context) error {
	return d.link.Do(ctx, func(c transport.Conn) error {
		_, err := c.Write(ClearFrame(d.cfg))
		return err
	})
}

// Shown is what the display was last told to show.
func (d *Display) Shown() peripherals.Lines {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.last
}

// Columns is the line width.
func (d *Display) Columns() int { return d.cfg.Columns }

// Close closes the port.
func (d *Display) Close() error { return d.link.Close() }
