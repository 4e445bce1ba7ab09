package zvt

import (
	"errors"
	"fmt"
	"strings"
)

// BMP field IDs this package reads or writes (chapter "Bitmaps" of the
// specification; lengths as Portalum.Zvt's BmpParser table has them).
const (
	BMPTimeout     = 0x01 // 1 byte
	BMPMaxStatus   = 0x02 // 1 byte
	BMPServiceByte = 0x03 // 1 byte
	BMPAmount      = 0x04 // 6 bytes BCD, minor units
	BMPTLV         = 0x06 // TLV container, BER length
	BMPTrace       = 0x0B // 3 bytes BCD
	BMPTime        = 0x0C // 3 bytes BCD HHMMSS
	BMPDate        = 0x0D // 2 bytes BCD MMDD
	BMPExpiry      = 0x0E // 2 bytes BCD YYMM (read, never kept)
	BMPPaymentType = 0x19 // 1 byte
	BMPPAN         = 0x22 // LLVAR BCD, E masks a digit, F pads
	BMPResult      = 0x27 // 1 byte result code
	BMPTerminalID  = 0x29 // 4 bytes BCD
	BMPVU          = 0x2A // 15 bytes ASCII
	BMPOrigTrace   = 0x37 // 3 bytes BCD
	BMPAuthCode    = 0x3B // 8 bytes: AID authorisation attribute
	BMPText        = 0x3C // LLLVAR additional text
	BMPPassword    = 0x3D // 3 bytes BCD
	BMPCurrency    = 0x49 // 2 bytes BCD ISO 4217 numeric
	BMPTotals      = 0x60 // LLLVAR individual totals
	BMPReceipt     = 0x87 // 2 bytes BCD receipt number
	BMPTurnover    = 0x88 // 3 bytes BCD
	BMPCardType    = 0x8A // 1 byte
	BMPCardName    = 0x8B // LLVAR
	BMPCardTypeID  = 0x8C // 1 byte
	BMPResultAS    = 0xA0 // 1 byte
	BMPDateYYMMDD  = 0xAA // 3 bytes BCD
	BMPAIDParam    = 0xBA // 5 bytes
)

// Length kinds of a BMP.
const (
	lenLL  = -2 // two bytes F0–F9 give the length
	lenLLL = -3 // three bytes
	lenTLV = -1 // BER length (BMP 06)
)

// bmpLen is the length of each known BMP: bytes, or a length kind. An
// unknown BMP cannot be skipped (its length is unknown), so it is an error.
var bmpLen = map[byte]int{
	0x01: 1, 0x02: 1, 0x03: 1, 0x04: 6, 0x05: 1, 0x06: lenTLV,
	0x0B: 3, 0x0C: 3, 0x0D: 2, 0x0E: 2, 0x17: 2, 0x19: 1,
	0x22: lenLL, 0x23: lenLL, 0x24: lenLLL, 0x27: 1, 0x29: 4, 0x2A: 15, 0x2D: lenLL,
	0x2E: lenLLL, 0x37: 3, 0x3A: 2, 0x3B: 8, 0x3C: lenLLL, 0x3D: 3, 0x49: 2, 0x60: lenLLL,
	0x70: 4, 0x71: 4, 0x72: 1, 0x73: 1, 0x74: 1, 0x75: 1,
	0x87: 2, 0x88: 3, 0x8A: 1, 0x8B: lenLL, 0x8C: 1, 0x9A: lenLLL,
	0xA0: 1, 0xA7: lenLL, 0xAA: 3, 0xAF: lenLLL, 0xBA: 5,
	0xD0: 1, 0xD1: lenLL, 0xD2: 1, 0xD3: 1, 0xE0: 1,
	0xE1: lenLL, 0xE2: lenLL, 0xE3: lenLL, 0xE4: lenLL, 0xE5: lenLL, 0xE6: lenLL, 0xE7: lenLL, 0xE8: lenLL,
	0xE9: 1, 0xEA: 1, 0xEB: 8, 0xF0: 1,
	0xF1: lenLL, 0xF2: lenLL, 0xF3: lenLL, 0xF4: lenLL, 0xF5: lenLL, 0xF6: lenLL, 0xF7: lenLL, 0xF8: lenLL,
	0xF9: 1, 0xFA: 1, 0xFB: 1, 0xFC: 1, 0xFD: 1,
}

// Field is one BMP: its ID and its value (without the length prefix; for
// BMP 06 the TLV objects without the container's length).
type Field struct {
	ID   byte
	Data []byte
}

// Fields are the BMPs of an APDU, in order.
type Fields []Field

// Get returns the value of the first BMP id.
func (fs Fields) Get(id byte) ([]byte, bool) {
	for _, f := range fs {
		if f.ID == id {
			return f.Data, true
		}
	}
	return nil, false
}

// ErrField is the error of BMP data that cannot be read.
var ErrField = errors.New("zvt: bad BMP data")

func fieldErr(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrField, fmt.Sprintf(format, args...))
}

// ParseFields reads a sequence of BMPs.
func ParseFields(b []byte) (Fields, error) {
	var fs Fields
	for len(b) > 0 {
		id := b[0]
		kind, ok := bmpLen[id]
		if !ok {
			return nil, fieldErr("unknown BMP %02X", id)
		}
		b = b[1:]
		n := kind
		switch kind {
		case lenLL, lenLLL:
			digits := -kind
			if len(b) < digits {
				return nil, fieldErr("BMP %02X: length cut off", id)
			}
			n = 0
			for _, c := range b[:digits] {
				if c&0xf0 != 0xf0 || c&0x0f > 9 {
					return nil, fieldErr("BMP %02X: length byte %02X is not F0–F9", id, c)
				}
				n = n*10 + int(c&0x0f)
			}
			b = b[digits:]
		case lenTLV:
			l, skip, err := berLength(b)
			if err != nil {
				return nil, fieldErr("BMP 06: %v", err)
			}
			n, b = l, b[skip:]
		}
		if len(b) < n {
			return nil, fieldErr("BMP %02X needs %d bytes, %d left", id, n, len(b))
		}
		fs = append(fs, Field{ID: id, Data: b[:n:n]})
		b = b[n:]
	}
	return fs, nil
}

// AppendField appends a BMP with its length prefix (LL, LLL or BER for
// BMP 06). A fixed-length BMP must be given exactly its length.
func AppendField(dst []byte, id byte, data []byte) ([]byte, error) {
	kind, ok := bmpLen[id]
	if !ok {
		return dst, fieldErr("unknown BMP %02X", id)
	}
	dst = append(dst, id)
	switch kind {
	case lenLL, lenLLL:
		if max := []int{0, 0, 99, 999}[-kind]; len(data) > max {
			return dst[:len(dst)-1], fieldErr("BMP %02X takes at most %d bytes", id, max)
		}
		n := len(data)
		if kind == lenLLL {
			dst = append(dst, 0xf0|byte(n/100))
		}
		dst = append(dst, 0xf0|byte(n/10%10), 0xf0|byte(n%10))
	case lenTLV:
		dst = appendBERLength(dst, len(data))
	default:
		if len(data) != kind {
			return dst[:len(dst)-1], fieldErr("BMP %02X is %d bytes, got %d", id, kind, len(data))
		}
	}
	return append(dst, data...), nil
}

// TLV is one object of a TLV container: its tag (the tag bytes as a
// number, e.g. 0x1F10) and value.
type TLV struct {
	Tag   uint32
	Value []byte
}

// Constructed reports whether the object holds further objects.
func (t TLV) Constructed() bool {
	first := t.Tag
	for first > 0xff {
		first >>= 8
	}
	return first&0x20 != 0
}

// ParseTLV reads the objects of one level of a TLV container.
func ParseTLV(b []byte) ([]TLV, error) {
	var out []TLV
	for len(b) > 0 {
		tag, n := uint32(b[0]), 1
		if b[0]&0x1f == 0x1f {
			for {
				if n >= len(b) || n > 3 {
					return nil, fieldErr("TLV tag cut off")
				}
				tag = tag<<8 | uint32(b[n])
				n++
				if b[n-1]&0x80 == 0 {
					break
				}
			}
		}
		b = b[n:]
		l, skip, err := berLength(b)
		if err != nil {
			return nil, fieldErr("TLV %X: %v", tag, err)
		}
		b = b[skip:]
		if len(b) < l {
			return nil, fieldErr("TLV %X needs %d bytes, %d left", tag, l, len(b))
		}
		out = append(out, TLV{Tag: tag, Value: b[:l:l]})
		b = b[l:]
	}
	return out, nil
}

// AppendTLV appends a TLV object.
func AppendTLV(dst []byte, tag uint32, value []byte) []byte {
	switch {
	case tag > 0xffffff:
		dst = append(dst, byte(tag>>24), byte(tag>>16), byte(tag>>8), byte(tag))
	case tag > 0xffff:
		dst = append(dst, byte(tag>>16), byte(tag>>8), byte(tag))
	case tag > 0xff:
		dst = append(dst, byte(tag>>8), byte(tag))
	default:
		dst = append(dst, byte(tag))
	}
	return append(appendBERLength(dst, len(value)), value...)
}

// berLength reads a TLV length: one byte below 80, or 81 nn, or 82 nn nn.
func berLength(b []byte) (n, skip int, err error) {
	if len(b) == 0 {
		return 0, 0, errors.New("length missing")
	}
	switch {
	case b[0] < 0x80:
		return int(b[0]), 1, nil
	case b[0] == 0x81 && len(b) >= 2:
		return int(b[1]), 2, nil
	case b[0] == 0x82 && len(b) >= 3:
		return int(b[1])<<8 | int(b[2]), 3, nil
	}
	return 0, 0, fmt.Errorf("length %02X is not 00–7F, 81 nn or 82 nn nn", b[0])
}

func appendBERLength(dst []byte, n int) []byte {
	switch {
	case n < 0x80:
		return append(dst, byte(n))
	case n <= 0xff:
		return append(dst, 0x81, byte(n))
	default:
		return append(dst, 0x82, byte(n>>8), byte(n))
	}
}

// BCD encodes v as n bytes of packed BCD, most significant first.
func BCD(v uint64, n int) []byte {
	out := make([]byte, n)
	for i := n - 1; i >= 0; i-- {
		out[i] = byte(v%10) | byte(v/10%10)<<4
		v /= 100
	}
	return out
}

// FromBCD decodes packed BCD.
func FromBCD(b []byte) (uint64, error) {
	var v uint64
	for _, c := range b {
		hi, lo := c>>4, c&0x0f
		if hi > 9 || lo > 9 {
			return 0, fieldErr("%X is not BCD", b)
		}
		v = v*100 + uint64(hi)*10 + uint64(lo)
	}
	return v, nil
}

// bcdDigits prints packed BCD as its digits (a terminal ID "52500038").
func bcdDigits(b []byte) (string, error) {
	if _, err := FromBCD(b); err != nil {
		return "", err
	}
	return fmt.Sprintf("%X", b), nil
}

// MaskedPAN reads BMP 22: BCD digits where E hides a digit and F pads. The
// result shows hidden digits as '*'; a number the terminal sent unmasked
// (or with more than ten digits shown) is masked here to its last four
// digits, so no full card number is kept.
func MaskedPAN(b []byte) (string, error) {
	var sb strings.Builder
	for _, c := range b {
		for _, nib := range []byte{c >> 4, c & 0x0f} {
			switch {
			case nib <= 9:
				sb.WriteByte('0' + nib)
			case nib == 0xe:
				sb.WriteByte('*')
			case nib == 0xf:
			default:
				return "", fieldErr("PAN nibble %X", nib)
			}
		}
	}
	pan := sb.String()
	visible := len(pan) - strings.Count(pan, "*")
	if n := len(pan); n > 4 && (visible == n || visible > 10) {
		// Unmasked, or more shown than the first six and last four a
		// receipt may show: keep the last four only.
		pan = strings.Repeat("*", n-4) + pan[n-4:]
	}
	return pan, nil
}
