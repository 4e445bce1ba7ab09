package scale

import (
	"bytes"
	"context"
	"fmt"
	"math/bits"
	"strconv"
	"time"

	"github.com/opentill/opentill/peripherals"
	"github.com/opentill/opentill/peripherals/transport"
	"github.com/opentill/opentill/pos/catalog"
	"github.com/opentill/opentill/pos/money"
	"github.com/opentill/opentill/pos/poserr"
)

// Message keys of Dialog 06 errors.
const (
	KeyNoPrice  = "error.scale.no_price"
	KeyChecksum = "error.scale.checksum"
)

// MaxUnitPrice is the largest unit price record 01 carries (six digits).
const MaxUnitPrice money.Amount = 999_999

// Dialog 06 requests. Every dialogue starts with EOT, and the till answers
// every record of the scale with EOT.
var (
	Dialog06Weigh  = []byte{EOT, ENQ}                // fetch the result of weighing (record 02)
	Dialog06Status = []byte{EOT, STX, '0', '8', ETX} // record 08: why the last answer was NAK
	Dialog06Ack    = []byte{EOT}
)

// Record01 is the Dialog 06 record that sends the unit price (minor units
// per kg or lb, six digits): EOT STX "01" ESC pppppp ESC ETX.
func Record01(price money.Amount) []byte {
	price = max(0, min(price, MaxUnitPrice))
	return fmt.Appendf([]byte{EOT, STX, '0', '1', ESC}, "%06d%c%c", price, ESC, ETX)
}

// Record10 is the answer to a checksum request: EOT STX "10" ESC, the
// encoded checksum and correction value as four upper-case hex digits
// each, ETX.
func Record10(cs, kw uint16) []byte {
	return fmt.Appendf([]byte{EOT, STX, '1', '0', ESC}, "%04X%04X%c", cs, kw, ETX)
}

// Record is a record the scale sends: STX, two digits, fields each after
// an ESC, ETX.
type Record struct {
	No     string
	Fields [][]byte
}

// ParseRecord splits a Dialog 06 record.
func ParseRecord(frame []byte) (Record, error) {
	if len(frame) < 4 || len(frame) > maxFrame || frame[0] != STX || frame[len(frame)-1] != ETX || !allDigits(frame[1:3]) {
		return Record{}, peripherals.BadFrame(dev, frame, "a Dialog 06 record is STX nn … ETX")
	}
	r := Record{No: string(frame[1:3])}
	body := frame[3 : len(frame)-1]
	if len(body) == 0 {
		return r, nil
	}
	if body[0] != ESC {
		return Record{}, peripherals.BadFrame(dev, frame, "record fields start with ESC")
	}
	r.Fields = bytes.Split(body[1:], []byte{ESC})
	return r, nil
}

// Result is a record 02: the result of weighing.
type Result struct {
	Weight    peripherals.Weight
	UnitPrice money.Amount
	Total     money.Amount // the price to pay the scale computed
}

// ParseResult reads record 02: STX "02" ESC x ESC weight(5) ESC unit
// price(5 or 6) ESC price to pay(6) ETX. On a kg scale x is the number of
// weight decimals (3 on the usual 0.001 kg scale); on a lb scale 1 is
// 0.01 lb and 2 is 0.005 lb (three decimals), as the DIVA manual lists
// them; lb:oz (0) is refused. The scale only sends record 02 for a
// weight at standstill. sent is the unit price of record 01: a result with
// another unit price, or a price to pay that is not weight × unit price,
// is refused.
func ParseResult(frame []byte, f Format, sent money.Amount) (Result, error) {
	r, err := ParseRecord(frame)
	if err != nil {
		return Result{}, err
	}
	if r.No != "02" || len(r.Fields) != 4 || len(r.Fields[0]) != 1 || len(r.Fields[1]) != 5 ||
		(len(r.Fields[2]) != 5 && len(r.Fields[2]) != 6) || len(r.Fields[3]) != 6 {
		return Result{}, peripherals.BadFrame(dev, frame, "record 02 has status, 5-digit weight, 5- or 6-digit unit price and 6-digit price")
	}
	for _, fl := range r.Fields {
		if !allDigits(fl) {
			return Result{}, peripherals.BadFrame(dev, frame, "record 02 fields are digits")
		}
	}
	x := int(r.Fields[0][0] - '0')
	var dec int
	switch {
	case f.Unit == "lb" && x == 1:
		dec = 2
	case f.Unit == "lb" && x == 2:
		dec = 3
	case f.Unit == "lb" && x == 0:
		return Result{}, poserr.E(poserr.Device, peripherals.KeyScaleUnit, "the scale weighs in lb:oz, which the till cannot read: set it to decimal pounds")
	case f.Unit == "lb":
		return Result{}, unitErr("kg", "lb")
	case x <= 3:
		dec = x
	default:
		return Result{}, peripherals.BadFrame(dev, frame, "record 02 says %d weight decimals", x)
	}
	v, _ := scaled(r.Fields[1], dec)
	up, _ := strconv.ParseInt(string(r.Fields[2]), 10, 64)
	total, _ := strconv.ParseInt(string(r.Fields[3]), 10, 64)
	if money.Amount(up) != sent {
		return Result{}, peripherals.BadFrame(dev, frame, "the scale priced the item at %s, not at the unit price %s the till sent", money.Amount(up), sent)
	}
	if want := money.MulDiv(int64(v), up, 1000, money.HalfUp); abs(want-total) > 1 {
		return Result{}, peripherals.BadFrame(dev, frame, "the price to pay %s is not %s × %s", money.Amount(total), catalog.Qty(v).Format(3), money.Amount(up))
	}
	w, err := f.capped(frame, peripherals.Weight{Value: v, Unit: f.Unit, Stable: true})
	if err != nil {
		return Result{}, err
	}
	return Result{Weight: w, UnitPrice: money.Amount(up), Total: money.Amount(total)}, nil
}

func abs(v int64) int64 {
	if v < 0 {
		return -v
	}
	return v
}

// ParseStatus reads record 09 (the answer to record 08): STX "09" ESC two
// digits ETX.
func ParseStatus(frame []byte) (string, error) {
	r, err := ParseRecord(frame)
	if err != nil {
		return "", err
	}
	if r.No != "09" || len(r.Fields) != 1 || len(r.Fields[0]) != 2 || !allDigits(r.Fields[0]) {
		return "", peripherals.BadFrame(dev, frame, "record 09 has a two-digit status")
	}
	return string(r.Fields[0]), nil
}

// StatusError turns a record 09 status into the error it means.
func StatusError(code string) error {
	switch code {
	case "20":
		return motion()
	case "21":
		return poserr.E(poserr.Device, peripherals.KeyScaleMotion, "the scale saw no change since the last weighing: take the item off and put it back")
	case "22":
		return poserr.E(poserr.Device, peripherals.KeyScaleMotion, "the scale is still weighing: wait a moment")
	case "30":
		return poserr.E(poserr.Device, peripherals.KeyScaleUnder, "the weight is below the scale's minimum: put the item on the scale")
	case "31":
		return underZero()
	case "32":
		return overload()
	case "11":
		return poserr.E(poserr.Device, KeyNoPrice, "the scale refused the unit price: check the product's price")
	case "02":
		return poserr.E(poserr.Device, peripherals.KeyBadFrame, "the scale reports a parity error or buffer overflow (status 02): check the line settings in the hardware profile")
	}
	return poserr.E(poserr.Device, peripherals.KeyBadFrame, "the scale reports error %s (01 general, 10 record, 12 tare, 13 text): check the scale and its protocol setting", code)
}

// ParseChecksumRecord reads record 11: STX "11" ESC d ETX, d being 0
// (checksums invalid) or 1 (valid), or STX "11" ESC 2 zz ETX, a request for
// record 10 with the random number zz (two hex digits).
func ParseChecksumRecord(frame []byte) (d byte, z byte, err error) {
	r, err := ParseRecord(frame)
	if err != nil {
		return 0, 0, err
	}
	if r.No != "11" || len(r.Fields) != 1 || len(r.Fields[0]) < 1 {
		return 0, 0, peripherals.BadFrame(dev, frame, "record 11 has one field")
	}
	fl := r.Fields[0]
	switch {
	case (fl[0] == '0' || fl[0] == '1') && len(fl) == 1:
		return fl[0], 0, nil
	case fl[0] == '2' && len(fl) == 3:
		n, perr := strconv.ParseUint(string(fl[1:]), 16, 8)
		if perr != nil {
			return 0, 0, peripherals.BadFrame(dev, frame, "the random number of record 11 is two hex digits")
		}
		return '2', byte(n), nil
	}
	return 0, 0, peripherals.BadFrame(dev, frame, "record 11 is 0, 1 or 2 and a random number")
}

// Checksums encodes a checksum cs and its correction value for record 10:
// the correction value is the remainder of cs·2¹⁶ by the generator key;
// cs is rotated left by the high nibble of the scale's random number z and
// the correction value right by its low nibble (the DIVA manual's
// description of records 10 and 11; the algorithm as Vracoop's
// toledo_scale driver implements it).
func Checksums(key uint32, z byte, cs uint16) (csEnc, kwEnc uint16) {
	kw := correction(key, cs)
	return bits.RotateLeft16(cs, int(z>>4)), bits.RotateLeft16(kw, -int(z&0x0f))
}

// correction divides cs·2¹⁶ by the generator, aligned to bit 31, for
// sixteen shifts.
func correction(gen uint32, cs uint16) uint16 {
	if gen == 0 {
		return 0
	}
	g := uint64(gen)
	for g&0x8000_0000 == 0 {
		g <<= 1
	}
	kw := uint64(cs)<<16 ^ g
	shifts := 0
	align := func() {
		for kw&0x8000_0000 == 0 && shifts < 16 {
			kw <<= 1
			shifts++
		}
	}
	align()
	for shifts < 16 {
		kw ^= g
		align()
	}
	return uint16(kw >> 16)
}

// sendPrice runs record 01, and the checksum exchange when the scale asks
// for it (then record 01 again, as the protocol wants).
func (s *Scale) sendPrice(ctx context.Context, c transport.Conn, price money.Amount) error {
	for range 3 {
		transport.Drain(ctx, c, time.Millisecond)
		if _, err := c.Write(Record01(price)); err != nil {
			return err
		}
		ans, err := s.answerSkippingLateWeights(ctx, c)
		if err != nil {
			return err
		}
		switch {
		case ans[0] == ACK:
			s.mu.Lock()
			s.pending = true
			s.mu.Unlock()
			return nil
		case ans[0] == NAK:
			return s.why(ctx, c)
		}
		d, z, err := ParseChecksumRecord(ans)
		if err != nil {
			return err
		}
		if d != '2' {
			return peripherals.BadFrame(dev, ans, "record 11 answers a record 10 the till did not send")
		}
		if err := s.checksums(ctx, c, z); err != nil {
			return err
		}
	}
	return poserr.E(poserr.Device, KeyChecksum, "the scale keeps asking for checksums: check checksum_key in the hardware profile")
}

// checksums answers a request for record 10 and reads the verdict.
func (s *Scale) checksums(ctx context.Context, c transport.Conn, z byte) error {
	if s.cfg.ChecksumKey == 0 {
		return poserr.E(poserr.Device, KeyChecksum, "the scale asks for the Dialog 06 checksum exchange: set checksum_key in the hardware profile (the scale's dealer has it)")
	}
	cs, kw := Checksums(s.cfg.ChecksumKey, z, s.rand())
	if _, err := c.Write(Record10(cs, kw)); err != nil {
		return err
	}
	ans, err := s.answer(ctx, c)
	if err != nil {
		return err
	}
	if ans[0] == NAK {
		return s.why(ctx, c)
	}
	if ans[0] != ACK {
		return peripherals.BadFrame(dev, ans, "record 10 is answered with ACK")
	}
	if _, err := c.Write(Dialog06Weigh); err != nil {
		return err
	}
	if ans, err = s.answer(ctx, c); err != nil {
		return err
	}
	if ans[0] == NAK {
		return s.why(ctx, c)
	}
	d, _, err := ParseChecksumRecord(ans)
	if err != nil {
		return err
	}
	if d != '1' {
		return poserr.E(poserr.Device, KeyChecksum, "the scale refused the till's checksums: check checksum_key in the hardware profile")
	}
	return nil
}

// answerSkippingLateWeights reads the answer to record 01, passing over a
// weight record that answers an earlier request the till stopped waiting
// for (on a slow line it can arrive after the next record went out).
func (s *Scale) answerSkippingLateWeights(ctx context.Context, c transport.Conn) ([]byte, error) {
	for range 3 {
		ans, err := s.answer(ctx, c)
		if err != nil || len(ans) < 3 || ans[0] != STX || string(ans[1:3]) != "02" {
			return ans, err
		}
	}
	return nil, peripherals.BadFrame(dev, nil, "the scale keeps sending weights instead of accepting the unit price")
}

// answer reads what the scale answers (ACK, NAK or a record) and
// acknowledges it with EOT.
func (s *Scale) answer(ctx context.Context, c transport.Conn) ([]byte, error) {
	first, err := transport.ReadUntil(ctx, c, "", 1, s.cfg.Timeout)
	if err == nil && first[0] == STX {
		var rest []byte
		rest, err = transport.ReadUntil(ctx, c, string([]byte{ETX}), maxFrame, s.cfg.Timeout)
		first = append(first, rest...)
	}
	if err != nil {
		if transport.IsTimeout(err) {
			return nil, s.timeout(first)
		}
		return nil, err
	}
	if _, err := c.Write(Dialog06Ack); err != nil {
		return nil, err
	}
	if first[0] != ACK && first[0] != NAK && first[0] != STX {
		return nil, peripherals.BadFrame(dev, first, "the scale answers ACK, NAK or a record")
	}
	return first, nil
}

// why asks for the status after a NAK and returns the error it means.
func (s *Scale) why(ctx context.Context, c transport.Conn) error {
	if _, err := c.Write(Dialog06Status); err != nil {
		return err
	}
	ans, err := s.answer(ctx, c)
	if err != nil {
		return err
	}
	code, err := ParseStatus(ans)
	if err != nil {
		return err
	}
	if code != "20" && code != "22" {
		// Only motion and an unfinished measurement let the result be asked
		// for again; anything else starts over with record 01.
		s.mu.Lock()
		s.pending = false
		s.mu.Unlock()
	}
	return StatusError(code)
}

func (s *Scale) dialog06(ctx context.Context, c transport.Conn) (peripherals.Weight, error) {
	s.mu.Lock()
	price, set, pending := s.price, s.priceSet, s.pending
	s.mu.Unlock()
	if !pending {
		if !set {
			return peripherals.Weight{}, poserr.E(poserr.Device, KeyNoPrice, "the price-computing scale needs the item's unit price before it weighs: sell a product sold by weight")
		}
		if err := s.sendPrice(ctx, c, price); err != nil {
			return peripherals.Weight{}, err
		}
	}
	transport.Drain(ctx, c, time.Millisecond)
	if _, err := c.Write(Dialog06Weigh); err != nil {
		return peripherals.Weight{}, err
	}
	ans, err := s.answer(ctx, c)
	if err != nil {
		return peripherals.Weight{}, err
	}
	if ans[0] == NAK {
		return peripherals.Weight{}, s.why(ctx, c)
	}
	s.mu.Lock()
	s.pending = false
	s.mu.Unlock()
	if ans[0] == ACK {
		return peripherals.Weight{}, peripherals.BadFrame(dev, ans, "EOT ENQ is answered with record 02 or NAK")
	}
	r, err := ParseResult(ans, s.f, price)
	if err != nil {
		return peripherals.Weight{}, err
	}
	return r.Weight, nil
}
