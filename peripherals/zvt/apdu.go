// Package zvt speaks ZVT, the German ECR–terminal protocol ("ECR-Interface
// / ZVT-Protocol", Verband der Terminalhersteller, PA00P015; the serial
// transport in PA00P016): APDUs of a two-byte control field, a length and
// BMP fields (with TLV containers), carried as they are over TCP (port
// 20007) or framed DLE STX … DLE ETX with a CRC on a serial line.
//
// Terminal is a driver for tender.PaymentTerminal (and
// peripherals.PaymentTerminal): registration (06 00), authorisation (06 01),
// reversal (06 30), refund (06 31), end-of-day (06 50), abort (06 B0),
// status enquiry (05 01) and repeat receipt (06 20), with the terminal's
// intermediate status (04 FF), status information (04 0F) and receipt
// lines (06 D1, 06 D3) handled while it is master. A reply lost after the
// terminal took an authorisation is resolved with a status enquiry and the
// terminal's last transaction, so a card is never charged twice for one
// payment and an approval is never lost. Only the masked card number and
// the terminal's receipt text are kept of a card. Package zvtsim is a
// terminal simulator speaking the same bytes.
package zvt

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// APDU is one ZVT message: a control field (class and instruction) and
// its data.
type APDU struct {
	Class, Instr byte
	Data         []byte
}

// Command is the control field as one number, e.g. 0x0601.
func (a APDU) Command() uint16 { return uint16(a.Class)<<8 | uint16(a.Instr) }

// String prints the control field and the length, e.g. "06 01 (7 bytes)".
func (a APDU) String() string {
	return fmt.Sprintf("%02X %02X (%d bytes)", a.Class, a.Instr, len(a.Data))
}

// Commands and answers by control field.
const (
	CmdRegistration        = 0x0600
	CmdAuthorization       = 0x0601
	CmdLogOff              = 0x0602
	CmdRepeatReceipt       = 0x0620
	CmdReversal            = 0x0630
	CmdRefund              = 0x0631
	CmdEndOfDay            = 0x0650
	CmdAbort               = 0x06B0 // ECR → terminal: stop the command in progress
	CmdStatusEnquiry       = 0x0501
	CmdCompletion          = 0x060F // terminal → ECR: the command is done
	CmdTerminalAbort       = 0x061E // terminal → ECR: the command failed, result code follows
	CmdStatusInfo          = 0x040F
	CmdIntermediate        = 0x04FF
	CmdPrintLine           = 0x06D1
	CmdPrintTextBlock      = 0x06D3
	CmdSetDateTime         = 0x0401
	AckClass          byte = 0x80 // 80 00 00: positive acknowledgement
	NakClass          byte = 0x84 // 84 xx 00: negative, xx is the result code (83: not supported)
)

// Acknowledgements.
var (
	Ack          = []byte{0x80, 0x00, 0x00}
	NotSupported = []byte{0x84, 0x83, 0x00}
)

// MaxData is the largest APDU data length (two-byte extended length).
const MaxData = 0xffff

// Marshal encodes the APDU: control field, length (one byte, or FF and
// two bytes little-endian when 255 or more), data.
func (a APDU) Marshal() []byte {
	out := make([]byte, 0, len(a.Data)+5)
	out = append(out, a.Class, a.Instr)
	if len(a.Data) < 0xff {
		out = append(out, byte(len(a.Data)))
	} else {
		out = append(out, 0xff)
		out = binary.LittleEndian.AppendUint16(out, uint16(len(a.Data)))
	}
	return append(out, a.Data...)
}

// NewAPDU builds an APDU of a command and its data.
func NewAPDU(cmd uint16, data []byte) APDU {
	return APDU{Class: byte(cmd >> 8), Instr: byte(cmd), Data: data}
}

// ErrShort means the bytes hold only the start of an APDU: read more.
var ErrShort = errors.New("zvt: incomplete APDU")

// ParseAPDU reads the first APDU of b and returns it with the number of
// bytes it took. ErrShort means more bytes are needed.
func ParseAPDU(b []byte) (APDU, int, error) {
	if len(b) < 3 {
		return APDU{}, 0, ErrShort
	}
	n, start := int(b[2]), 3
	if b[2] == 0xff {
		if len(b) < 5 {
			return APDU{}, 0, ErrShort
		}
		n, start = int(binary.LittleEndian.Uint16(b[3:5])), 5
	}
	if len(b) < start+n {
		return APDU{}, 0, ErrShort
	}
	data := make([]byte, n)
	copy(data, b[start:start+n])
	return APDU{Class: b[0], Instr: b[1], Data: data}, start + n, nil
}

// IsAck reports whether a acknowledges a command: 80 00 00, or 84 00 00
// and 84 9C 00 ("please wait"), which terminals also send (Portalum.Zvt
// accepts all three).
func (a APDU) IsAck() bool {
	return (a.Class == AckClass && a.Instr == 0) || (a.Class == NakClass && (a.Instr == 0 || a.Instr == 0x9c))
}

// IsNak reports whether a refuses a command (84 xx 00); Instr is the
// result code.
func (a APDU) IsNak() bool { return a.Class == NakClass && !a.IsAck() }
