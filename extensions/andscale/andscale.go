// Package andscale is an example device-driver extension: the A&D standard
// format of A&D balances and scales (FX-i, FZ-i, GF, GX, EK-i, SJ and
// others), usable from a hardware profile once the till is built with it:
//
//	[scale]
//	driver = "opentill.and-st"
//	port = "/dev/ttyUSB0"      # line default 2400 7E1, the scales' factory setting
//	unit = "kg"
//	capacity = 6
//
// The till sends the command Q ("output the weighing data immediately",
// Q CR LF); the scale answers one data record of 15 characters and CR LF:
// a header (ST stable, US unstable, OL overload, QT a count), a comma, the
// value as nine characters with its sign and point ("+0001.450") and the
// unit in three ("  g", " kg", " lb"), e.g. "ST,+0001.450 kg\r\n". Source:
// the A&D FX-i/FZ-i series instruction manual, "A&D standard format" and
// "Commands" (the same format is documented for the other series).
package andscale

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/opentill/opentill/peripherals"
	"github.com/opentill/opentill/peripherals/profile"
	"github.com/opentill/opentill/peripherals/transport"
	"github.com/opentill/opentill/pos/catalog"
	"github.com/opentill/opentill/pos/poserr"
)

// Driver is the driver's name in hardware profiles.
const Driver = "opentill.and-st"

// Request is the command Q: output the weighing data immediately.
var Request = []byte("Q\r\n")

const dev = "scale"

func init() {
	profile.RegisterScale(profile.ScaleDriver{
		Name: Driver,
		Line: transport.Line{Baud: 2400, DataBits: 7, Parity: "E", StopBits: 1},
		New:  func(link *transport.Link, s profile.Scale) (peripherals.Scale, error) { return New(link, s) },
	})
}

// Scale reads an A&D scale over a link.
type Scale struct {
	link     *transport.Link
	unit     string      // "kg" or "lb", as the till weighs
	capacity catalog.Qty // heaviest accepted reading, in thousandths of unit; 0 = the scale's own limit
	timeout  time.Duration
}

// New opens nothing yet: the link opens the port at the first reading.
func New(link *transport.Link, s profile.Scale) (*Scale, error) {
	unit := s.Unit
	if unit == "" {
		unit = "kg"
	}
	if unit != "kg" && unit != "lb" {
		return nil, fmt.Errorf("unit %q: use kg or lb", s.Unit)
	}
	return &Scale{link: link, unit: unit, capacity: catalog.Qty(math.Round(s.Capacity * 1000)), timeout: 2 * time.Second}, nil
}

// Read implements peripherals.Scale.
func (s *Scale) Read(ctx context.Context) (peripherals.Weight, error) {
	var w peripherals.Weight
	err := s.link.Do(ctx, func(c transport.Conn) error {
		transport.Drain(ctx, c, time.Millisecond)
		if _, err := c.Write(Request); err != nil {
			return err
		}
		frame, err := transport.ReadUntil(ctx, c, "\n", 64, s.timeout)
		if err != nil {
			if transport.IsTimeout(err) && len(frame) > 0 {
				return peripherals.BadFrame(dev, frame, "the record was cut off")
			}
			if transport.IsTimeout(err) {
				return poserr.Sentinel(peripherals.ErrTimeout, poserr.Device, peripherals.KeyTimeout,
					"the scale did not answer within %s: check its cable and that it outputs the A&D standard format at the profile's line settings", s.timeout)
			}
			return err
		}
		w, err = Parse(frame, s.unit)
		if err == nil && s.capacity > 0 && w.Value > s.capacity {
			err = poserr.E(poserr.Device, peripherals.KeyScaleOver, "the scale reads %s, above the profile's capacity: take the item off", w)
		}
		return err
	})
	return w, err
}

// Close implements peripherals.Scale.
func (s *Scale) Close() error { return s.link.Close() }

// Parse reads one A&D standard format record (with or without its CR LF)
// as a weight in thousandths of unit ("kg" or "lb"): grams are read as
// thousandths of a kilogram. An overload, a negative weight, a count or a
// unit other than the till's are errors; anything else unreadable is a
// bad frame.
func Parse(frame []byte, unit string) (peripherals.Weight, error) {
	rec := bytes.TrimRight(frame, "\r\n")
	if len(rec) < 13 || rec[2] != ',' {
		return peripherals.Weight{}, peripherals.BadFrame(dev, frame, "not an A&D standard format record (HH,+0000.000 uu)")
	}
	header, data, u := string(rec[:2]), strings.TrimSpace(string(rec[3:12])), strings.TrimSpace(string(rec[12:]))
	w := peripherals.Weight{Unit: unit}
	switch header {
	case "ST":
		w.Stable = true
	case "US":
	case "OL":
		return peripherals.Weight{}, poserr.E(poserr.Device, peripherals.KeyScaleOver, "the scale is overloaded: take the item off")
	case "QT":
		return peripherals.Weight{}, peripherals.BadFrame(dev, frame, "the scale is counting pieces, not weighing: set it to weighing")
	default:
		return peripherals.Weight{}, peripherals.BadFrame(dev, frame, "unknown header %q (ST, US, OL or QT)", header)
	}
	scale := int64(0) // thousandths of unit per unit of the record
	switch {
	case u == "g" && unit == "kg":
		scale = 1
	case u == "kg" && unit == "kg", u == "lb" && unit == "lb":
		scale = 1000
	case u == "g" || u == "kg" || u == "lb":
		return peripherals.Weight{}, poserr.E(poserr.Device, "error.scale.unit", "the scale weighs in %s and the till in %s: set the scale or the hardware profile to the same unit", u, unit)
	default:
		return peripherals.Weight{}, peripherals.BadFrame(dev, frame, "unknown unit %q", u)
	}
	if len(data) < 2 || (data[0] != '+' && data[0] != '-') || strings.Count(data, ".") > 1 {
		return peripherals.Weight{}, peripherals.BadFrame(dev, frame, "the value %q is not a signed number", data)
	}
	v, err := thousandths(data[1:], scale)
	if err != nil {
		return peripherals.Weight{}, peripherals.BadFrame(dev, frame, "the value %q: %v", data, err)
	}
	if data[0] == '-' && v != 0 {
		return peripherals.Weight{}, poserr.E(poserr.Device, peripherals.KeyScaleUnder, "the scale reads below zero: empty and zero it")
	}
	w.Value = catalog.Qty(v)
	return w, nil
}

// thousandths reads unsigned digits with an optional point as a count of
// thousandths, times scale per whole unit; digits finer than a thousandth
// of the till's unit are rounded half up.
func thousandths(s string, scale int64) (int64, error) {
	whole, frac, _ := strings.Cut(s, ".")
	if whole == "" && frac == "" {
		return 0, strconv.ErrSyntax
	}
	for _, part := range []string{whole, frac} {
		for i := 0; i < len(part); i++ {
			if part[i] < '0' || part[i] > '9' {
				return 0, strconv.ErrSyntax
			}
		}
	}
	n, err := strconv.ParseInt(whole+frac, 10, 64)
	if err != nil {
		return 0, err
	}
	// n is the value × 10^len(frac); the result is value × scale.
	num, den := n*scale, int64(math.Pow10(len(frac)))
	return (num + den/2) / den, nil
}
