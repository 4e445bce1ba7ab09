// Package scale drives serial weighing scales:
//
//   - Mettler Toledo 8217 ("W" → STX weight CR, or STX ? status CR);
//   - CAS PD-II ("W" → ASCII digits CR, then CR to stop the stream);
//   - Mettler Toledo Checkout-Dialog 06, the price-computing protocol
//     (record 01 unit price, EOT ENQ → record 02; record 08 → status
//     record 09; record 11/10 checksum exchange; EOT after every answer);
//   - Dialog 1 (ENQ → digits ended by RS, as Openbravo's and uniCenta's
//     ScaleComm read it).
//
// "dialog04", the name earlier profiles used, has no public
// specification: it is read as Dialog 06. The frame parsers are pure
// functions; a noisy, truncated or garbled frame is an error, never a
// wrong weight. Weights are never converted between units: the scale's
// unit and the decimals of its digits are configured and checked, and a
// weight above the configured capacity is refused. docs/hardware.md cites
// the public source of every byte.
package scale

import (
	"context"
	"fmt"
	"math/rand/v2"
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
	Dialog06   Protocol = "dialog06"
	Dialog1    Protocol = "dialog1"
	// Dialog04 is read as Dialog06: no public specification of a "Dialog
	// 04" exists, and the scales it named speak Checkout-Dialog 06.
	Dialog04 Protocol = "dialog04"
)

// Protocols lists the protocols New accepts (Dialog04 is an alias).
func Protocols() []Protocol { return []Protocol{Toledo8217, CASPD2, Dialog06, Dialog1} }

// Canonical resolves an alias: Dialog04 is Dialog06.
func (p Protocol) Canonical() Protocol {
	if p == Dialog04 {
		return Dialog06
	}
	return p
}

// Control bytes.
const (
	STX = 0x02
	ETX = 0x03
	EOT = 0x04
	ENQ = 0x05
	ACK = 0x06
	LF  = 0x0a
	CR  = 0x0d
	NAK = 0x15
	ESC = 0x1b
	RS  = 0x1e
)

// DefaultLine is the serial setting a protocol's scales ship with: 9600
// 7E1 for the 8217 (Odoo's Toledo8217Protocol) and the CAS PD-II (uniCenta's
// ScaleCASPDII), 9600 7O1 for Dialog 06 (Vracoop's Dialog06Protocol), 4800
// 8O1 for Dialog 1 (uniCenta's ScaleComm). Profiles that still say dialog04
// keep the 4800 7O1 that name had.
func DefaultLine(p Protocol) transport.Line {
	switch p {
	case Dialog04:
		return transport.Line{Baud: 4800, DataBits: 7, Parity: "O", StopBits: 1}
	case Dialog06:
		return transport.Line{Baud: 9600, DataBits: 7, Parity: "O", StopBits: 1}
	case Dialog1:
		return transport.Line{Baud: 4800, DataBits: 8, Parity: "O", StopBits: 1}
	default:
		return transport.Line{Baud: 9600, DataBits: 7, Parity: "E", StopBits: 1}
	}
}

// Requests.
var (
	ToledoWeigh  = []byte{'W'}
	CASWeigh     = []byte{'W'}
	CASStop      = []byte{CR} // the PD-II streams every change after W until it gets CR
	Dialog1Weigh = []byte{ENQ}
)

// Format says how to read a scale's weight.
type Format struct {
	Unit string // "kg" or "lb", as the scale is set
	// Decimals is how many of the digits of a weight sent without a decimal
	// point are decimals (CAS PD-II, Dialog 1): 3 reads "1450" as 1.450.
	Decimals int
	// Capacity is the largest weight accepted, in thousandths of Unit; 0
	// means no check.
	Capacity catalog.Qty
}

// DefaultDecimals is what the public CAS PD-II and Dialog 1 drivers
// (uniCenta, Chromis) assume: the digits are thousandths (grams of a kg
// scale).
const DefaultDecimals = 3

// DefaultCapacity is the capacity assumed for scales whose frames carry no
// overload status (CAS PD-II, Dialog 1) when the profile sets none: 15 kg or
// 30 lb, the largest CAS PD-II.
func DefaultCapacity(unit string) catalog.Qty {
	if unit == "lb" {
		return 30_000
	}
	return 15_000
}

// maxFrame bounds a frame: anything longer is noise.
const maxFrame = 48

const dev = "the scale"

// capped refuses a weight above the capacity.
func (f Format) capped(frame []byte, w peripherals.Weight) (peripherals.Weight, error) {
	if f.Capacity > 0 && w.Value > f.Capacity {
		e := poserr.E(poserr.Device, peripherals.KeyScaleOver,
			"the scale sent %s %s, above its capacity of %s %s: take the item off; if it weighs less, check decimals in the hardware profile (frame %q)",
			w.Value.Format(3), w.Unit, f.Capacity.Format(3), w.Unit, frame)
		e.Args = map[string]any{"weight": w.Value.Format(3), "capacity": f.Capacity.Format(3), "unit": w.Unit}
		return peripherals.Weight{}, e
	}
	return w, nil
}

// scaled reads digits with at most one '.' into thousandths. Without a
// point the last decimals digits are decimals; with one, the point says
// where they start. More than three decimals is an error, never rounded.
func scaled(b []byte, decimals int) (catalog.Qty, error) {
	if len(b) == 0 || len(b) > 12 {
		return 0, fmt.Errorf("%q is not a weight", b)
	}
	var v int64
	frac, digits := -1, 0
	for _, c := range b {
		switch {
		case c >= '0' && c <= '9':
			v = v*10 + int64(c-'0')
			digits++
			if frac >= 0 {
				frac++
			}
		case c == '.' && frac < 0:
			frac = 0
		default:
			return 0, fmt.Errorf("%q is not a weight", b)
		}
	}
	if digits == 0 {
		return 0, fmt.Errorf("%q has no digits", b)
	}
	if frac < 0 {
		frac = decimals
	}
	if frac > 3 {
		return 0, fmt.Errorf("%q has more than 3 decimals", b)
	}
	for ; frac < 3; frac++ {
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

func unitErr(got, want string) error {
	e := poserr.E(poserr.Device, peripherals.KeyScaleUnit, "the scale weighs in %s but the till expects %s: set the scale or the profile to the same unit", got, want)
	e.Args = map[string]any{"scale": got, "profile": want}
	return e
}

func motion() error {
	return poserr.E(poserr.Device, peripherals.KeyScaleMotion, "the scale is in motion: let the item settle")
}

func overload() error {
	return poserr.E(poserr.Device, peripherals.KeyScaleOver, "the scale is over capacity: take the item off")
}

func underZero() error {
	return poserr.E(poserr.Device, peripherals.KeyScaleUnder, "the scale reads under zero: empty it and zero it")
}

// Config configures a Scale.
type Config struct {
	Protocol Protocol
	Unit     string // "kg" (default) or "lb": the unit the scale is set to
	// Decimals of a weight sent without a point (CAS PD-II, Dialog 1); 0
	// means DefaultDecimals.
	Decimals int
	// Capacity in thousandths of Unit: heavier readings are refused; 0
	// means DefaultCapacity for CAS PD-II and Dialog 1 and no check for the
	// protocols whose scales report overload themselves.
	Capacity catalog.Qty
	// ChecksumKey is the Dialog 06 generator for the record 10 checksums
	// (the scale's dealer has it); 0 when the scale never asks.
	ChecksumKey uint32
	Timeout     time.Duration // how long to wait for an answer; 0 means 1 s
}

// Scale is a serial scale on a transport.Link (peripherals.Scale; for
// Dialog 06 also peripherals.PriceScale).
type Scale struct {
	link *transport.Link
	cfg  Config
	f    Format

	mu     sync.Mutex
	last   peripherals.Weight // previous reading, for the two-equal-readings rule
	lastAt time.Time

	price    money.Amount // Dialog 06: unit price of the item on the scale
	priceSet bool
	pending  bool          // Dialog 06: the scale took record 01; EOT ENQ fetches the result
	rand     func() uint16 // Dialog 06: the checksum the till picks
}

var _ peripherals.PriceScale = (*Scale)(nil)

// New returns a scale speaking cfg.Protocol on link.
func New(link *transport.Link, cfg Config) (*Scale, error) {
	cfg.Protocol = cfg.Protocol.Canonical()
	switch cfg.Protocol {
	case Toledo8217, CASPD2, Dialog06, Dialog1:
	default:
		return nil, fmt.Errorf("unknown scale protocol %q: use %s, %s, %s or %s", cfg.Protocol, Toledo8217, CASPD2, Dialog06, Dialog1)
	}
	if cfg.Unit == "" {
		cfg.Unit = "kg"
	}
	if cfg.Decimals == 0 {
		cfg.Decimals = DefaultDecimals
	}
	if cfg.Decimals < 0 || cfg.Decimals > 3 {
		return nil, fmt.Errorf("scale decimals %d: use 1, 2 or 3", cfg.Decimals)
	}
	if cfg.Capacity == 0 && (cfg.Protocol == CASPD2 || cfg.Protocol == Dialog1) {
		cfg.Capacity = DefaultCapacity(cfg.Unit)
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = time.Second
	}
	return &Scale{link: link, cfg: cfg, f: Format{Unit: cfg.Unit, Decimals: cfg.Decimals, Capacity: cfg.Capacity},
		rand: func() uint16 { return uint16(rand.Uint32()) }}, nil
}

// Format is how the scale's readings are read.
func (s *Scale) Format() Format { return s.f }

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
			if _, werr := c.Write(CASStop); werr != nil && err == nil {
				err = werr
			}
			if err == nil {
				w = s.confirm(w)
			}
		case Dialog1:
			w, err = s.exchange(ctx, c, Dialog1Weigh, string([]byte{RS}), ParseDialog1)
			if err == nil {
				w = s.confirm(w)
			}
		case Dialog06:
			w, err = s.dialog06(ctx, c)
		}
		return err
	})
	return w, err
}

// SetUnitPrice tells a Dialog 06 scale the unit price of the item about to
// be weighed (record 01): the scale shows it and computes the price to pay.
// Other protocols keep nothing and return nil.
func (s *Scale) SetUnitPrice(ctx context.Context, price money.Amount) error {
	if s.cfg.Protocol != Dialog06 {
		return nil
	}
	if price <= 0 || price > MaxUnitPrice {
		return poserr.E(poserr.Device, KeyNoPrice, "the unit price %s cannot be sent to the scale (it takes 0.01 to 9999.99): check the product's price", price)
	}
	s.mu.Lock()
	s.price, s.priceSet, s.pending = price, true, false
	s.mu.Unlock()
	return s.link.Do(ctx, func(c transport.Conn) error { return s.sendPrice(ctx, c, price) })
}

// Close closes the port.
func (s *Scale) Close() error { return s.link.Close() }

func (s *Scale) exchange(ctx context.Context, c transport.Conn, req []byte, stops string, parse func([]byte, Format) (peripherals.Weight, error)) (peripherals.Weight, error) {
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
	return parse(frame, s.f)
}

func (s *Scale) timeout(partial []byte) error {
	if len(partial) > 0 {
		return peripherals.BadFrame(dev, partial, "the frame was cut off")
	}
	return poserr.Sentinel(peripherals.ErrTimeout, poserr.Device, peripherals.KeyTimeout, "the scale did not answer within %s: check its cable and that it is set to %s", s.cfg.Timeout, s.cfg.Protocol)
}

// confirm marks a reading of a protocol without a motion flag stable only
// when the previous reading, taken less than two seconds before, was the
// same.
func (s *Scale) confirm(w peripherals.Weight) peripherals.Weight {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := time.Now()
	w.Stable = w.Value == s.last.Value && now.Sub(s.lastAt) < 2*time.Second
	s.last, s.lastAt = w, now
	return w
}
