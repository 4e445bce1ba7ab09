package zvt

import (
	"bytes"
	"errors"
)

// Serial transport bytes (PA00P016): an APDU travels as DLE STX, the APDU
// with every DLE doubled, DLE ETX and a CRC; the receiver answers ACK or
// NAK.
const (
	DLE = 0x10
	STX = 0x02
	ETX = 0x03
	ACK = 0x06
	NAK = 0x15
)

// CRC is the frame checksum: CRC-16/CCITT reflected (polynomial 0x8408,
// start 0) over the APDU and the ETX, sent low byte first — as
// Portalum.Zvt's ChecksumHelper.CalcCrc2 and SerialPortDeviceCommunication
// compute and send it.
func CRC(apdu []byte) uint16 {
	var crc uint16
	for _, b := range append(apdu[:len(apdu):len(apdu)], ETX) {
		crc ^= uint16(b)
		for range 8 {
			if crc&1 != 0 {
				crc = crc>>1 ^ 0x8408
			} else {
				crc >>= 1
			}
		}
	}
	return crc
}

// Frame wraps an APDU for the serial line.
func Frame(apdu []byte) []byte {
	out := make([]byte, 0, len(apdu)+8)
	out = append(out, DLE, STX)
	for _, b := range apdu {
		out = append(out, b)
		if b == DLE {
			out = append(out, DLE)
		}
	}
	crc := CRC(apdu)
	return append(out, DLE, ETX, byte(crc), byte(crc>>8))
}

// Errors of a serial frame.
var (
	ErrFrameShort = errors.New("zvt: incomplete serial frame")
	ErrFrameCRC   = errors.New("zvt: serial frame with a wrong CRC")
)

// Unframe reads the first frame of b: it skips bytes before DLE STX,
// undoes the doubled DLEs and checks the CRC. It returns the APDU bytes and
// how many bytes of b it took (including skipped noise). ErrFrameShort
// means more bytes are needed; ErrFrameCRC that the frame arrived damaged
// (answer NAK); both report the bytes to drop.
func Unframe(b []byte) (apdu []byte, used int, err error) {
	start := bytes.Index(b, []byte{DLE, STX})
	if start < 0 {
		// Keep a trailing DLE: it may start the next frame.
		if len(b) > 0 && b[len(b)-1] == DLE {
			return nil, len(b) - 1, ErrFrameShort
		}
		return nil, len(b), ErrFrameShort
	}
	i := start + 2
	for i < len(b) {
		c := b[i]
		if c != DLE {
			apdu = append(apdu, c)
			i++
			continue
		}
		if i+1 >= len(b) {
			return nil, start, ErrFrameShort
		}
		switch b[i+1] {
		case DLE:
			apdu = append(apdu, DLE)
			i += 2
		case ETX:
			if i+4 > len(b) {
				return nil, start, ErrFrameShort
			}
			got := uint16(b[i+2]) | uint16(b[i+3])<<8
			if got != CRC(apdu) {
				return nil, i + 4, ErrFrameCRC
			}
			return apdu, i + 4, nil
		case STX:
			// A new frame starts inside this one: the first was cut off.
			apdu, used, err = Unframe(b[i:])
			return apdu, used + i, err
		default:
			return nil, i + 2, ErrFrameCRC // a lone DLE: damaged
		}
	}
	return nil, start, ErrFrameShort
}
