// Package scale drives serial weighing scales: Mettler-Toledo 8217
// ("W" → weight or status frame), CAS PD-II ("W" → ASCII weight) and Toledo
// Dialog 04 (EOT ENQ → record 02; status record 09). The frame parsers are
// pure functions; a noisy, truncated or garbled frame is an error, never a
// wrong weight. Weights are never converted between units: the scale's unit
// is configured and checked.
package scale

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/opentill/opentill/peripherals"
	"github.com/opentill/opentill/peripherals/transport"
	"github.com/opentill/opentill/pos/catalog"
	"github.com/opentill/opentill/pos/money"
	"github.com/opentill/opentill/pos/poserr"
)

// Protocol names a scale protocol as a profile writes it.
type Protocol string

// Protocols.
const (
	Toledo8217 Protocol = "toledo8217"
	CASPD2     Protocol = "cas-pd2"
	Dialog04   Protocol = "dialog04"
)

// Control bytes.
const (
	STX = 0x02
	ETX = 0x03
	EOT = 0x04
	ENQ = 0x05
	ACK = 0x06
	CR  = 0x0d
	LF  = 0x0a
	ESC = 0x1b
	NAK = 0x15
)

// DefaultLine is the serial setting a protocol's scales ship with.
func DefaultLine(p Protocol) transport.Line {
	switch p {
	case Dialog04:
		return transport.Line{Baud: 4800, DataBits: 7, Parity: "O", StopBits: 1}
	default:
		return transport.Line{Baud: 9600, DataBits: 7, Parity: "E", StopBits: 1}
	}
}

// Requests.
var (
	ToledoWeigh = []byte{'W'}
	CASWeigh    = []byte{'W'}
	DialogWeigh = []byte{EOT, ENQ}
	DialogState = []byte{EOT, STX, '0', '8', ETX}
)

// DialogUnitPrice is the record 01 that sets the unit price (per kg, two
// decimals, six digits) before a Dialog 04 reading.
func DialogUnitPrice(p money.Amount) []byte {
	p = max(0, min(p, 999999))
	return fmt.Appendf([]byte{EOT, STX, '0', '1', ESC}, "%06d%c%c", p, ESC, ETX)
}

// maxFrame bounds a frame: anything longer is noise.
const maxFrame = 48

const dev = "the scale"

// ParseToledo reads a Toledo 8217 answer: STX, optional spaces, a weight
// with an optional decimal point, an optional N (net), CR; or STX ? status
// CR, whose bits are motion (0), over capacity (1), under zero (2) and bad
// command (6).
func ParseToledo(frame []byte, unit string) (peripherals.Weight, error) {
	if len(frame) < 3 || frame[0] != STX || frame[len(frame)-1] != CR || len(frame) > maxFrame {
		return peripherals.Weight{}, peripherals.BadFrame(dev, frame, "a Toledo frame is STX … CR")
	}
	body := frame[1 : len(frame)-1]
	if body[0] == '?' {
		if len(body) != 2 {
			return peripherals.Weight{}, peripherals.BadFrame(dev, frame, "a status frame has one status byte")
		}
		return peripherals.Weight{}, toledoStatus(body[1], frame)
	}
	net := false
	if body[len(body)-1] == 'N' {
		net, body = true, body[:len(body)-1]
	}
	v, err := decimal(bytes.TrimLeft(body, " "), 3)
	if err != nil {
		return peripherals.Weight{}, peripherals.BadFrame(dev, frame, "%v", err)
	}
	return peripherals.Weight{Value: v, Unit: unit, Stable: true, Net: net}, nil
}

func toledoStatus(s byte, frame []byte) error {
	switch {
	case s&0x40 != 0:
		return peripherals.BadFrame(dev, frame, "the scale did not understand the request (bad command)")
	case s&0x02 != 0:
		return poserr.E(poserr.Device, peripherals.KeyScaleOver, "the scale is over capacity: take the item off")
	case s&0x04 != 0:
		return poserr.E(poserr.Device, peripherals.KeyScaleUnder, "the scale reads under zero: empty it and zero it")
	case s&0x01 != 0:
		return poserr.E(poserr.Device, peripherals.KeyScaleMotion, "the scale is in motion: let the item settle")
	}
	return peripherals.BadFrame(dev, frame, "a status frame without motion, capacity or zero error")
}

// ParseCAS reads a CAS PD-II answer: an optional STX, optional spaces, a
// weight in ASCII digits with an optional decimal point, an optional unit
// (KG or LB, which must match unit), CR with an optional LF. The frame
// carries no motion flag: Stable is true and the driver asks for two equal
// readings.
func ParseCAS(frame []byte, unit string) (peripherals.Weight, error) {
	if len(frame) < 2 || len(frame) > maxFrame {
		return peripherals.Weight{}, peripherals.BadFrame(dev, frame, "a CAS frame is a weight ended by CR")
	}
	body := frame
	body = bytes.TrimSuffix(body, []byte{LF})
	if len(body) == 0 || body[len(body)-1] != CR {
		return peripherals.Weight{}, peripherals.BadFrame(dev, frame, "a CAS frame ends with CR")
	}
	body = body[:len(body)-1]
	body = bytes.TrimPrefix(body, []byte{STX})
	body = bytes.TrimLeft(body, " ")
	if len(body) > 0 && body[0] == '-' {
		return peripherals.Weight{}, poserr.E(poserr.Device, peripherals.KeyScaleUnder, "the scale reads under zero: empty it and zero it")
	}
	if i := bytes.IndexAny(body, "KkLl"); i >= 0 {
		got := strings.ToLower(string(bytes.TrimSpace(body[i:])))
		if got != "kg" && got != "lb" {
			return peripherals.Weight{}, peripherals.BadFrame(dev, frame, "unknown unit %q", got)
		}
		if got != unit {
			return peripherals.Weight{}, unitErr(got, unit)
		}
		body = bytes.TrimRight(body[:i], " ")
	}
	v, err := decimal(body, 3)
	if err != nil {
		return peripherals.Weight{}, peripherals.BadFrame(dev, frame, "%v", err)
	}
	return peripherals.Weight{Value: v, Unit: unit, Stable: true}, nil
}

func unitErr(got, want string) error {
	e := poserr.E(poserr.Device, peripherals.KeyScaleUnit, "the scale weighs in %s but the till expects %s: set the scale or the profile to the same unit", got, want)
	e.Args = map[string]any{"scale": got, "profile": want}
	return e
}

// ParseDialog reads a Dialog 04 answer: record 02 (STX "02" ESC status ESC
// weight(5) ESC unit price(6) ESC total(6) ETX, weight in grams) or record
// 09 (STX "09" ESC code(2) ETX: 20 motion, 21 no change, 22 price missing,
// 30 zero, 31 negative, 32 overload).
func ParseDialog(frame []byte, unit string) (peripherals.Weight, error) {
	if len(frame) < 6 || len(frame) > maxFrame || frame[0] != STX || frame[len(frame)-1] != ETX || frame[3] != ESC {
		return peripherals.Weight{}, peripherals.BadFrame(dev, frame, "a Dialog record is STX nn ESC … ETX")
	}
	body := frame[1 : len(frame)-1]
	fields := bytes.Split(body[3:], []byte{ESC})
	switch string(body[:2]) {
	case "02":
		if len(fields) != 4 || len(fields[0]) != 1 || len(fields[1]) != 5 || len(fields[2]) != 6 || len(fields[3]) != 6 {
			return peripherals.Weight{}, peripherals.BadFrame(dev, frame, "record 02 has status, 5-digit weight, 6-digit price and 6-digit total")
		}
		for _, f := range fields {
			if !allDigits(f) {
				return peripherals.Weight{}, peripherals.BadFrame(dev, frame, "record 02 fields are digits")
			}
		}
		v, _ := decimal(fields[1], 0)
		return peripherals.Weight{Value: catalog.Qty(v), Unit: unit, Stable: fields[0][0] == '0'}, nil
	case "09":
		if len(fields) != 1 || len(fields[0]) != 2 || !allDigits(fields[0]) {
			return peripherals.Weight{}, peripherals.BadFrame(dev, frame, "record 09 has a two-digit status")
		}
		return peripherals.Weight{}, dialogStatus(string(fields[0]), frame)
	}
	return peripherals.Weight{}, peripherals.BadFrame(dev, frame, "record %q is not a weight or status record", body[:2])
}

func dialogStatus(code string, frame []byte) error {
	switch code {
	case "20":
		return poserr.E(poserr.Device, peripherals.KeyScaleMotion, "the scale is in motion: let the item settle")
	case "21":
		return poserr.E(poserr.Device, peripherals.KeyScaleMotion, "the scale saw no change since the last weighing: take the item off and put it back")
	case "22":
		return poserr.E(poserr.Device, "error.scale.no_price", "the scale has no unit price: check the scale's price setting")
	case "30":
		return poserr.E(poserr.Device, peripherals.KeyScaleUnder, "the scale shows zero: put the item on the scale")
	case "31":
		return poserr.E(poserr.Device, peripherals.KeyScaleUnder, "the scale reads under zero: empty it and zero it")
	case "32":
		return poserr.E(poserr.Device, peripherals.KeyScaleOver, "the scale is over capacity: take the item off")
	}
	return peripherals.BadFrame(dev, frame, "unknown status %s", code)
}

// decimal parses digits with at most one '.', into thousandths when
// places is 3 (more decimals than places is an error, never rounded) or as
// an integer when places is 0.
func decimal(b []byte, places int) (catalog.Qty, error) {
	if len(b) == 0 || len(b) > 12 {
		return 0, fmt.Errorf("%q is not a weight", b)
	}
	var v int64
	frac := -1
	digits := 0
	for _, c := range b {
		switch {
		case c >= '0' && c <= '9':
			v = v*10 + int64(c-'0')
			digits++
			if frac >= 0 {
				frac++
			}
		case c == '.' && frac < 0 && places > 0:
			frac = 0
		default:
			return 0, fmt.Errorf("%q is not a weight", b)
		}
	}
	if digits == 0 {
		return 0, fmt.Errorf("%q has no digits", b)
	}
	if frac < 0 {
		frac = 0
	}
	if frac > places {
		return 0, fmt.Errorf("%q has more than %d decimals", b, places)
	}
	for ; frac < places; frac++ {
		v *= 10
	}
	return catalog.Qty(v), nil
}

func allDigits(b []byte) bool {
	for _, c := range b {
		if c < '0' || c > '9' {
			return false
		}
	}
	return len(b) > 0
}

// Config configures a Scale.
type Config struct {
	Protocol Protocol
	Unit     string        // "kg" (default) or "lb": the unit the scale is set to
	Timeout  time.Duration // how long to wait for an answer; 0 means 1 s
}

// Scale is a serial scale on a transport.Link (peripherals.Scale).
type Scale struct {
	link *transport.Link
	cfg  Config

	mu        sync.Mutex
	last      peripherals.Weight // previous CAS reading, for the two-equal-readings rule
	lastAt    time.Time
	unitPrice money.Amount
}

var _ peripherals.Scale = (*Scale)(nil)

// New returns a scale speaking cfg.Protocol on link.
func New(link *transport.Link, cfg Config) (*Scale, error) {
	switch cfg.Protocol {
	case Toledo8217, CASPD2, Dialog04:
	default:
		return nil, fmt.Errorf("unknown scale protocol %q: use %s, %s or %s", cfg.Protocol, Toledo8217, CASPD2, Dialog04)
	}
	if cfg.Unit == "" {
		cfg.Unit = "kg"
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = time.Second
	}
	return &Scale{link: link, cfg: cfg, unitPrice: 100}, nil
}

// SetUnitPrice sets the unit price a price-computing scale (Dialog 04)
// is sent before weighing.
func (s *Scale) SetUnitPrice(p money.Amount) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.unitPrice = p
}

// Read takes one reading.
func (s *Scale) Read(ctx context.Context) (peripherals.Weight, error) {
	var w peripherals.Weight
	err := s.link.Do(ctx, func(c transport.Conn) error {
		var err error
		switch s.cfg.Protocol {
		case Toledo8217:
			w, err = s.exchange(ctx, c, ToledoWeigh, "\r", ParseToledo)
		case CASPD2:
			w, err = s.exchange(ctx, c, CASWeigh, "\r", ParseCAS)
			if err == nil {
				w = s.confirm(w)
			}
		case Dialog04:
			w, err = s.dialog(ctx, c)
		}
		return err
	})
	return w, err
}

// Close closes the port.
func (s *Scale) Close() error { return s.link.Close() }

func (s *Scale) exchange(ctx context.Context, c transport.Conn, req []byte, stops string, parse func([]byte, string) (peripherals.Weight, error)) (peripherals.Weight, error) {
	transport.Drain(ctx, c, time.Millisecond)
	if _, err := c.Write(req); err != nil {
		return peripherals.Weight{}, err
	}
	frame, err := transport.ReadUntil(ctx, c, stops, maxFrame, s.cfg.Timeout)
	if err != nil {
		if transport.IsTimeout(err) {
			return peripherals.Weight{}, s.timeout(frame)
		}
		return peripherals.Weight{}, err
	}
	return parse(frame, s.cfg.Unit)
}

func (s *Scale) timeout(partial []byte) error {
	if len(partial) > 0 {
		return peripherals.BadFrame(dev, partial, "the frame was cut off")
	}
	return poserr.Sentinel(peripherals.ErrTimeout, poserr.Device, peripherals.KeyTimeout, "the scale did not answer within %s: check its cable and that it is set to %s", s.cfg.Timeout, s.cfg.Protocol)
}

// confirm marks a CAS reading stable only when the previous reading, taken
// less than two seconds before, was the same.
func (s *Scale) confirm(w peripherals.Weight) peripherals.Weight {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := time.Now()
	w.Stable = w.Value == s.last.Value && now.Sub(s.lastAt) < 2*time.Second
	s.last, s.lastAt = w, now
	return w
}

func (s *Scale) dialog(ctx context.Context, c transport.Conn) (peripherals.Weight, error) {
	s.mu.Lock()
	price := s.unitPrice
	s.mu.Unlock()
	transport.Drain(ctx, c, time.Millisecond)
	if _, err := c.Write(DialogUnitPrice(price)); err != nil {
		return peripherals.Weight{}, err
	}
	ack, err := transport.ReadUntil(ctx, c, string([]byte{ACK, NAK}), 1, s.cfg.Timeout)
	if err != nil {
		if transport.IsTimeout(err) {
			return peripherals.Weight{}, s.timeout(ack)
		}
		return peripherals.Weight{}, err
	}
	if ack[0] != ACK {
		return peripherals.Weight{}, poserr.E(poserr.Device, "error.scale.no_price", "the scale refused the unit price: check the scale's price setting")
	}
	if _, err := c.Write(DialogWeigh); err != nil {
		return peripherals.Weight{}, err
	}
	frame, err := transport.ReadUntil(ctx, c, string([]byte{ETX, NAK}), maxFrame, s.cfg.Timeout)
	if err != nil {
		if transport.IsTimeout(err) {
			return peripherals.Weight{}, s.timeout(frame)
		}
		return peripherals.Weight{}, err
	}
	if len(frame) == 1 && frame[0] == NAK {
		return s.exchange(ctx, c, DialogState, string([]byte{ETX}), ParseDialog)
	}
	w, err := ParseDialog(frame, s.cfg.Unit)
	if err == nil && !w.Stable {
		// The status digit is not 0: ask why.
		if _, serr := s.exchange(ctx, c, DialogState, string([]byte{ETX}), ParseDialog); serr != nil {
			return peripherals.Weight{}, serr
		}
	}
	return w, err
}
