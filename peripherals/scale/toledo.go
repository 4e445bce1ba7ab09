package scale

import (
	"bytes"

	"github.com/opentill/opentill/peripherals"
	"github.com/opentill/opentill/pos/poserr"
)

// Status bits of a Toledo 8217 status byte (STX ? s CR), as the Mettler
// Toledo service manuals (Viva, DIVA §6.1.4.3) define them. Bit 6 is
// always 1, so the byte is a printable character ('A' is motion, 'D' under
// zero), and bit 7 is the even parity bit of a 7E1 line.
const (
	ToledoMotion      = 0x01 // scale in motion
	ToledoOver        = 0x02 // over capacity
	ToledoUnder       = 0x04 // under zero
	ToledoOutsideZero = 0x08 // outside the zero capture range (not zeroed at power-up)
	ToledoCentreZero  = 0x10 // at the centre of zero
	ToledoNet         = 0x20 // net weight
	ToledoAlwaysSet   = 0x40 // always 1
	toledoParity      = 0x80
)

// ParseToledo reads a Toledo 8217 answer: STX, optional spaces, a weight
// with an optional decimal point, an optional N (net), CR; or STX ? status
// CR. A status byte reports motion, over capacity, under zero or a scale
// outside its zero range as errors, and a scale at the centre of zero as a
// stable zero. Bit 6 (always set) and the parity bit are ignored.
func ParseToledo(frame []byte, f Format) (peripherals.Weight, error) {
	if len(frame) < 3 || frame[0] != STX || frame[len(frame)-1] != CR || len(frame) > maxFrame {
		return peripherals.Weight{}, peripherals.BadFrame(dev, frame, "a Toledo frame is STX … CR")
	}
	body := frame[1 : len(frame)-1]
	if body[0] == '?' {
		if len(body) != 2 {
			return peripherals.Weight{}, peripherals.BadFrame(dev, frame, "a status frame has one status byte")
		}
		return toledoStatus(body[1], frame, f)
	}
	net := false
	if body[len(body)-1] == 'N' {
		net, body = true, body[:len(body)-1]
	}
	v, err := scaled(bytes.TrimLeft(body, " "), 0)
	if err != nil {
		return peripherals.Weight{}, peripherals.BadFrame(dev, frame, "%v", err)
	}
	return f.capped(frame, peripherals.Weight{Value: v, Unit: f.Unit, Stable: true, Net: net})
}

func toledoStatus(s byte, frame []byte, f Format) (peripherals.Weight, error) {
	s &^= toledoParity | ToledoAlwaysSet
	switch {
	case s&ToledoOver != 0:
		return peripherals.Weight{}, overload()
	case s&ToledoUnder != 0:
		return peripherals.Weight{}, underZero()
	case s&ToledoMotion != 0:
		return peripherals.Weight{}, motion()
	case s&ToledoOutsideZero != 0:
		return peripherals.Weight{}, poserr.E(poserr.Device, peripherals.KeyScaleUnder, "the scale is outside its zero range (it was not empty when switched on): empty it and press zero")
	case s&ToledoCentreZero != 0:
		return peripherals.Weight{Unit: f.Unit, Stable: true, Net: s&ToledoNet != 0}, nil
	}
	return peripherals.Weight{}, peripherals.BadFrame(dev, frame, "a status frame without motion, capacity or zero flags")
}
