// Package linedisplay drives customer pole displays: CD5220-compatible
// displays (string mode, ESC Q A / ESC Q B), ESC/POS displays (Epson DM-D
// style, optionally daisy-chained behind a printer with ESC =), Logic
// Controls displays and IBM SurePOS displays. All show two lines of Columns
// characters in a code page; characters the page lacks show as '?', and a
// tab right-aligns the rest of a line (peripherals.AlignLine). Brightness
// and the cursor are set where the protocol has a command for them.
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
	CD5220        Protocol = "cd5220"
	ESCPOS        Protocol = "escpos"
	LogicControls Protocol = "logic-controls"
	SurePOS       Protocol = "surepos"
)

// Scroll modes of an ESC/POS or CD5220 display.
//
//	            ESC/POS          CD5220
//	overwrite   US MD1 (1F 01)   string mode, ESC Q A / ESC Q B (the default)
//	vertical    US MD2 (1F 02)   ESC DC2 (1B 12), both lines written from HOM (0B)
//	horizontal  US MD3 (1F 03)   a first line too long for the display scrolls
//	                             continuously: ESC Q D … CR, sent last
const (
	Overwrite  = "overwrite"  // text overwrites (the default)
	Vertical   = "vertical"   // the lower line scrolls up
	Horizontal = "horizontal" // the line scrolls sideways
)

// marqueeMax is the longest message a CD5220 scrolls (ESC Q D).
const marqueeMax = 40

// Config configures a display.
type Config struct {
	Protocol Protocol
	Columns  int             // characters per line; 0 means 20
	CodePage escpos.CodePage // zero value means CP858 (ESC/POS, SurePOS) or CP437 (CD5220, Logic Controls)
	// Daisy selects the display with ESC = 2 before writing and the printer
	// with ESC = 1 after (ESC/POS displays chained behind a printer).
	Daisy bool
	// Brightness 1 (dim) to 4 (full); 0 leaves the display's own.
	Brightness int
	Cursor     bool   // show the cursor (it is hidden otherwise)
	Scroll     string // overwrite (default), vertical or horizontal (ESC/POS and CD5220)
}

func (c Config) withDefaults() Config {
	if c.Columns == 0 {
		c.Columns = 20
	}
	if c.CodePage.Name == "" {
		name := "cp858"
		if c.Protocol == CD5220 || c.Protocol == LogicControls {
			name = "cp437"
		}
		c.CodePage, _ = escpos.LookupCodePage(name)
	}
	c.Brightness = max(0, min(c.Brightness, 4))
	return c
}

// Fit cuts or pads s to n characters, right-aligning what follows a tab.
func Fit(s string, n int) string {
	s = peripherals.AlignLine(s, n)
	if utf8.RuneCountInString(s) > n {
		return string([]rune(s)[:n])
	}
	return s + strings.Repeat(" ", n-utf8.RuneCountInString(s))
}

func b2(on bool) byte {
	if on {
		return 1
	}
	return 0
}

// SetupFrame returns the bytes that set brightness, cursor and scroll
// mode, sent once before the first lines:
//
//	CD5220          ESC _ n (cursor), ESC * n (brightness 1–4), ESC DC2 (vertical scroll)
//	ESC/POS         US C n (cursor), US X n (brightness 1–4), US MD1/2/3
//	Logic Controls  US DC1 (reset, normal mode), DC3/DC4 (cursor on/off), EOT n (brightness 20/40/60/FF)
//	SurePOS         NUL SOH (IBM mode), STX 02 (code page 858), DC1 DC4 (cursor off)
func SetupFrame(c Config) []byte {
	c = c.withDefaults()
	var b []byte
	switch c.Protocol {
	case CD5220:
		b = append(b, 0x1b, '_', b2(c.Cursor))
		if c.Brightness > 0 {
			b = append(b, 0x1b, '*', byte(c.Brightness))
		}
		if c.Scroll == Vertical {
			b = append(b, 0x1b, 0x12)
		}
	case LogicControls:
		b = append(b, 0x1f, 0x11)
		if c.Cursor {
			b = append(b, 0x13)
		} else {
			b = append(b, 0x14)
		}
		if c.Brightness > 0 {
			b = append(b, 0x04, []byte{0x20, 0x40, 0x60, 0xff}[c.Brightness-1])
		}
	case SurePOS:
		b = append(b, 0x00, 0x01, 0x02, 0x02)
		if !c.Cursor {
			b = append(b, 0x11, 0x14)
		}
	default:
		if c.Daisy {
			b = append(b, 0x1b, '=', 2)
		}
		b = append(b, 0x1f, 'C', b2(c.Cursor))
		if c.Brightness > 0 {
			b = append(b, 0x1f, 'X', byte(c.Brightness))
		}
		switch c.Scroll {
		case Vertical:
			b = append(b, 0x1f, 0x02)
		case Horizontal:
			b = append(b, 0x1f, 0x03)
		default:
			b = append(b, 0x1f, 0x01)
		}
		if c.Daisy {
			b = append(b, 0x1b, '=', 1)
		}
	}
	return b
}

// Frame returns the bytes that show two lines.
func Frame(c Config, l peripherals.Lines) []byte {
	c = c.withDefaults()
	var b []byte
	line := func(i int) { b, _ = c.CodePage.Encode(b, Fit(l[i], c.Columns)) }
	switch c.Protocol {
	case CD5220:
		switch {
		case c.Scroll == Vertical: // normal mode: home, then both lines
			b = append(b, 0x0b)
			line(0)
			line(1)
		case c.Scroll == Horizontal && utf8.RuneCountInString(l[0]) > c.Columns:
			// The scrolling message stops at the next command: the second
			// line goes first.
			b = append(b, 0x1b, 'Q', 'B')
			line(1)
			b = append(b, 0x0d, 0x1b, 'Q', 'D')
			msg := []rune(strings.ReplaceAll(l[0], "\t", " "))
			b, _ = c.CodePage.Encode(b, string(msg[:min(len(msg), marqueeMax-1)])+" ") // a space between the repeats
			b = append(b, 0x0d)
		default:
			b = append(b, 0x1b, 'Q', 'A')
			line(0)
			b = append(b, 0x0d, 0x1b, 'Q', 'B')
			line(1)
			b = append(b, 0x0d)
		}
	case LogicControls, SurePOS:
		// Move to position 0 (first line), then to 0x14 (second line).
		b = append(b, 0x10, 0x00)
		line(0)
		b = append(b, 0x10, byte(min(c.Columns, 20)))
		line(1)
	default:
		if c.Daisy {
			b = append(b, 0x1b, '=', 2)
		}
		b = append(b, 0x1b, 't', c.CodePage.N, 0x1f, 'C', b2(c.Cursor), 0x0b) // code page, cursor, home
		line(0)
		line(1)
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
	case LogicControls, SurePOS:
		return Frame(c, peripherals.Lines{})
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

	mu    sync.Mutex
	last  peripherals.Lines
	setup bool // SetupFrame was sent
}

var _ peripherals.LineDisplay = (*Display)(nil)

// New returns a display on link.
func New(link *transport.Link, c Config) (*Display, error) {
	switch c.Protocol {
	case CD5220, ESCPOS, LogicControls, SurePOS:
	default:
		return nil, fmt.Errorf("unknown line display protocol %q: use %s, %s, %s or %s", c.Protocol, CD5220, ESCPOS, LogicControls, SurePOS)
	}
	switch c.Scroll {
	case "", Overwrite, Vertical, Horizontal:
	default:
		return nil, fmt.Errorf("display scroll %q: use %s, %s or %s", c.Scroll, Overwrite, Vertical, Horizontal)
	}
	return &Display{link: link, cfg: c.withDefaults()}, nil
}

// Show writes two lines (after the settings, the first time).
func (d *Display) Show(ctx context.Context, l peripherals.Lines) error {
	b := d.withSetup(Frame(d.cfg, l))
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

// Clear initialises and blanks the display, then sends the settings again.
func (d *Display) Clear(ctx context.Context) error {
	d.mu.Lock()
	d.setup = false
	d.mu.Unlock()
	b := d.withSetup(nil)
	b = append(ClearFrame(d.cfg), b...)
	return d.link.Do(ctx, func(c transport.Conn) error {
		_, err := c.Write(b)
		return err
	})
}

// withSetup puts the settings before b the first time.
func (d *Display) withSetup(b []byte) []byte {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.setup {
		return b
	}
	d.setup = true
	return append(SetupFrame(d.cfg), b...)
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
