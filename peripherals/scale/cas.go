package scale

import (
	"bytes"
	"strings"

	"github.com/opentill/opentill/peripherals"
)

// ParseCAS reads a CAS PD-II answer to W: an optional STX, optional
// spaces, a weight in ASCII digits, an optional unit (KG or LB, which must
// match f.Unit), CR with an optional LF. The public drivers (uniCenta's and
// Chromis's ScaleCASPDII) read the digits as thousandths, "01450" being
// 1.450 kg: f.Decimals says how many digits are decimals when the scale
// sends no point. A weight above f.Capacity is refused. The frame carries
// no motion flag: Stable is true and the driver asks for two equal
// readings.
func ParseCAS(frame []byte, f Format) (peripherals.Weight, error) {
	if len(frame) < 2 || len(frame) > maxFrame {
		return peripherals.Weight{}, peripherals.BadFrame(dev, frame, "a CAS frame is a weight ended by CR")
	}
	body := bytes.TrimSuffix(frame, []byte{LF})
	if len(body) == 0 || body[len(body)-1] != CR {
		return peripherals.Weight{}, peripherals.BadFrame(dev, frame, "a CAS frame ends with CR")
	}
	body = body[:len(body)-1]
	body = bytes.TrimPrefix(body, []byte{STX})
	body = bytes.TrimLeft(body, " ")
	if len(body) > 0 && body[0] == '-' {
		return peripherals.Weight{}, underZero()
	}
	if i := bytes.IndexAny(body, "KkLl"); i >= 0 {
		got := strings.ToLower(string(bytes.TrimSpace(body[i:])))
		if got != "kg" && got != "lb" {
			return peripherals.Weight{}, peripherals.BadFrame(dev, frame, "unknown unit %q", got)
		}
		if got != f.Unit {
			return peripherals.Weight{}, unitErr(got, f.Unit)
		}
		body = bytes.TrimRight(body[:i], " ")
	}
	v, err := scaled(body, f.Decimals)
	if err != nil {
		return peripherals.Weight{}, peripherals.BadFrame(dev, frame, "%v", err)
	}
	return f.capped(frame, peripherals.Weight{Value: v, Unit: f.Unit, Stable: true})
}

// ParseDialog1 reads a Dialog 1 answer to ENQ: ASCII digits ended by RS
// (0x1E), as Openbravo's and uniCenta's ScaleComm read it (any other
// character voids the reading). The digits are thousandths by default
// (f.Decimals). The frame carries no motion flag: the driver asks for two
// equal readings.
func ParseDialog1(frame []byte, f Format) (peripherals.Weight, error) {
	if len(frame) < 2 || len(frame) > maxFrame || frame[len(frame)-1] != RS {
		return peripherals.Weight{}, peripherals.BadFrame(dev, frame, "a Dialog 1 frame is digits ended by RS")
	}
	body := frame[:len(frame)-1]
	if !allDigits(body) {
		return peripherals.Weight{}, peripherals.BadFrame(dev, frame, "a Dialog 1 weight is digits only")
	}
	v, err := scaled(body, f.Decimals)
	if err != nil {
		return peripherals.Weight{}, peripherals.BadFrame(dev, frame, "%v", err)
	}
	return f.capped(frame, peripherals.Weight{Value: v, Unit: f.Unit, Stable: true})
}
