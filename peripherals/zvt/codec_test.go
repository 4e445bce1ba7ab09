package zvt

import (
	"bytes"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/pos/money"
)

func hexOf(b []byte) string {
	var sb bytes.Buffer
	for i, c := range b {
		if i > 0 {
			sb.WriteByte(' ')
		}
		sb.WriteString("0123456789ABCDEF"[c>>4 : c>>4+1])
		sb.WriteString("0123456789ABCDEF"[c&15 : c&15+1])
	}
	return sb.String()
}

func TestAPDU(t *testing.T) {
	a := NewAPDU(CmdAuthorization, []byte{0x04, 0, 0, 0, 0, 0x12, 0x34})
	assert.Equal(t, "06 01 07 04 00 00 00 00 12 34", hexOf(a.Marshal()))
	got, n, err := ParseAPDU(append(a.Marshal(), 0x80))
	require.NoError(t, err)
	assert.Equal(t, 10, n, "the byte after the APDU is left")
	assert.Equal(t, a, got)

	long := NewAPDU(CmdPrintTextBlock, bytes.Repeat([]byte{'x'}, 300))
	enc := long.Marshal()
	assert.Equal(t, "06 D3 FF 2C 01", hexOf(enc[:5]), "300 bytes: FF and two bytes little-endian")
	got, n, err = ParseAPDU(enc)
	require.NoError(t, err)
	assert.Equal(t, len(enc), n)
	assert.Len(t, got.Data, 300)

	for _, short := range [][]byte{nil, {0x06}, {0x06, 0x01, 0x07, 0x04}, {0x06, 0xd3, 0xff, 0x2c}} {
		_, _, err := ParseAPDU(short)
		assert.ErrorIs(t, err, ErrShort, "% X", short)
	}
	assert.True(t, APDU{Class: 0x80}.IsAck())
	assert.True(t, APDU{Class: 0x84, Instr: 0x9c}.IsAck(), "please wait")
	assert.True(t, APDU{Class: 0x84, Instr: 0x83}.IsNak())
}

func TestFields(t *testing.T) {
	assert.Equal(t, "00 00 00 00 12 34", hexOf(BCD(1234, 6)))
	assert.Equal(t, "09 78", hexOf(BCD(978, 2)))
	v, err := FromBCD([]byte{0x09, 0x78})
	require.NoError(t, err)
	assert.Equal(t, uint64(978), v)
	_, err = FromBCD([]byte{0x1a})
	assert.ErrorIs(t, err, ErrField)

	var b []byte
	b, err = AppendField(b, BMPAmount, BCD(1, 6))
	require.NoError(t, err)
	b, err = AppendField(b, BMPCardName, []byte("VISA"))
	require.NoError(t, err)
	b, err = AppendField(b, BMPText, []byte("hello"))
	require.NoError(t, err)
	b, err = AppendField(b, BMPTLV, AppendTLV(nil, 0x1f10, []byte{0x02}))
	require.NoError(t, err)
	assert.Equal(t, "04 00 00 00 00 00 01 8B F0 F4 56 49 53 41 3C F0 F0 F5 68 65 6C 6C 6F 06 04 1F 10 01 02", hexOf(b))
	fs, err := ParseFields(b)
	require.NoError(t, err)
	require.Len(t, fs, 4)
	name, _ := fs.Get(BMPCardName)
	assert.Equal(t, "VISA", string(name))
	tlv, _ := fs.Get(BMPTLV)
	objs, err := ParseTLV(tlv)
	require.NoError(t, err)
	assert.Equal(t, []TLV{{Tag: 0x1f10, Value: []byte{0x02}}}, objs)

	_, err = AppendField(nil, BMPAmount, []byte{1})
	assert.ErrorIs(t, err, ErrField, "a fixed BMP needs its length")
	for _, bad := range [][]byte{{0x99}, {0x04, 0, 0}, {0x8b, 0xf0}, {0x8b, 0x30, 0x31}, {0x06, 0x80}, {0x8b, 0xf0, 0xf5, 'a'}} {
		_, err := ParseFields(bad)
		assert.ErrorIs(t, err, ErrField, "% X", bad)
	}

	long := bytes.Repeat([]byte{7}, 200)
	enc := AppendTLV(nil, 0x25, long)
	assert.Equal(t, "25 81 C8", hexOf(enc[:3]))
	enc = AppendTLV(nil, 0x25, bytes.Repeat([]byte{7}, 300))
	assert.Equal(t, "25 82 01 2C", hexOf(enc[:4]))
	objs, err = ParseTLV(enc)
	require.NoError(t, err)
	assert.Len(t, objs[0].Value, 300)
	assert.True(t, TLV{Tag: 0x25}.Constructed(), "print texts hold text lines")
	assert.False(t, TLV{Tag: 0x07}.Constructed())
	assert.False(t, TLV{Tag: 0x1f10}.Constructed())
}

func TestMaskedPAN(t *testing.T) {
	tests := []struct {
		in   []byte
		want string
	}{
		{[]byte{0xee, 0xee, 0xee, 0xee, 0xee, 0xee, 0x42, 0x42}, "************4242"},
		{[]byte{0x47, 0x61, 0x73, 0xee, 0xee, 0xee, 0x00, 0x10}, "476173******0010"},
		{[]byte{0x67, 0x0e, 0xee, 0xee, 0xee, 0xee, 0xe1, 0x23, 0x4f}, "670**********1234"},
		// A terminal that sends the number unmasked: the till masks it.
		{[]byte{0x47, 0x61, 0x73, 0x90, 0x01, 0x01, 0x00, 0x10}, "************0010"},
		{[]byte{0x47, 0x61, 0x73, 0x90, 0x01, 0xee, 0x00, 0x10}, "************0010"},
	}
	for _, tc := range tests {
		got, err := MaskedPAN(tc.in)
		require.NoError(t, err)
		assert.Equal(t, tc.want, got)
	}
	_, err := MaskedPAN([]byte{0xa1})
	assert.Error(t, err)
}

// The CRC vectors were computed with a transcription of Portalum.Zvt's
// ChecksumHelper.CalcCrc2 (table CRC, polynomial 0x8408, over the APDU and
// ETX, bytes swapped) and the order SerialPortDeviceCommunication sends.
func TestSerialFrames(t *testing.T) {
	reg := []byte{0x06, 0x00, 0x06, 0x00, 0x00, 0x00, 0xbe, 0x09, 0x78}
	assert.Equal(t, "10 02 06 00 06 00 00 00 BE 09 78 10 03 3C AA", hexOf(Frame(reg)))
	assert.Equal(t, "10 02 80 00 00 10 03 F5 1F", hexOf(Frame(Ack)))
	auth := []byte{0x06, 0x01, 0x07, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01}
	assert.Equal(t, "2F 0D", hexOf(Frame(auth)[len(Frame(auth))-2:]))

	withDLE := []byte{0x06, 0xd1, 0x02, 0x00, DLE}
	f := Frame(withDLE)
	assert.Equal(t, "10 02 06 D1 02 00 10 10 10 03", hexOf(f[:10]), "a DLE in the APDU is doubled")
	got, used, err := Unframe(f)
	require.NoError(t, err)
	assert.Equal(t, withDLE, got)
	assert.Equal(t, len(f), used)

	noisy := append([]byte{0x00, 0xff, ACK}, f...)
	got, used, err = Unframe(noisy)
	require.NoError(t, err, "bytes before DLE STX are skipped")
	assert.Equal(t, withDLE, got)
	assert.Equal(t, len(noisy), used)

	for cut := 1; cut < len(f); cut++ {
		_, _, err := Unframe(f[:cut])
		assert.ErrorIs(t, err, ErrFrameShort, "cut at %d", cut)
	}
	bad := bytes.Clone(f)
	bad[4] ^= 0x01
	_, used, err = Unframe(bad)
	assert.ErrorIs(t, err, ErrFrameCRC)
	assert.Equal(t, len(bad), used, "a damaged frame is dropped whole")

	// A frame cut off by a new one: the second is read.
	two := append(bytes.Clone(f[:6]), Frame(Ack)...)
	got, _, err = Unframe(two)
	require.NoError(t, err)
	assert.Equal(t, Ack, got)
}

func TestStatus(t *testing.T) {
	var b []byte
	add := func(id byte, v []byte) { b, _ = AppendField(b, id, v) }
	add(BMPResult, []byte{0})
	add(BMPAmount, BCD(1234, 6))
	add(BMPCurrency, BCD(978, 2))
	add(BMPTrace, BCD(17, 3))
	add(BMPTime, BCD(101500, 3))
	add(BMPDate, BCD(1127, 2))
	add(BMPExpiry, BCD(2912, 2))
	add(BMPPAN, []byte{0xee, 0xee, 0xee, 0xee, 0xee, 0xee, 0x42, 0x42})
	add(BMPTerminalID, BCD(52500038, 4))
	add(BMPAuthCode, []byte("123456\x00\x00"))
	add(BMPReceipt, BCD(42, 2))
	add(BMPCardType, []byte{10})
	add(BMPCardName, []byte("VISA"))
	add(BMPTLV, AppendTLV(nil, 0x1f10, []byte{0x02}))
	st, err := ParseStatus(b)
	require.NoError(t, err)
	assert.Equal(t, Status{Result: 0, Amount: 1234, Currency: 978, Trace: 17, Receipt: 42, TerminalID: "52500038",
		Time: "101500", Date: "1127", PAN: "************4242", CardType: 10, CardName: "VISA", AuthCode: "123456"}, st,
		"the expiry date is read past and not kept")
	assert.Equal(t, "VISA", st.Brand())
	assert.Equal(t, "ZVT-52500038-0042-000017", Reference(st))
	r, ok := receiptOf(Reference(st))
	assert.True(t, ok)
	assert.Equal(t, uint16(42), r)

	n, err := CurrencyCode(money.CHF)
	require.NoError(t, err)
	assert.Equal(t, uint16(756), n)
	_, err = CurrencyCode(money.Currency{Code: "XYZ"})
	assert.Error(t, err)
	assert.Contains(t, ResultText(0x05), "issuer")
	assert.Contains(t, ResultText(0xb4), "already reversed")
	assert.Equal(t, "insert card", IntermediateText(0x0a))
}

func FuzzParseAPDU(f *testing.F) {
	f.Add([]byte{0x06, 0x01, 0x07, 0x04, 0, 0, 0, 0, 0x12, 0x34})
	f.Add([]byte{0x06, 0xd3, 0xff, 0x03, 0x00, 1, 2, 3})
	f.Add([]byte{0x80, 0x00, 0x00})
	f.Fuzz(func(t *testing.T, b []byte) {
		a, n, err := ParseAPDU(b)
		if err != nil {
			if !errors.Is(err, ErrShort) {
				t.Fatalf("unexpected error %v", err)
			}
			return
		}
		if n > len(b) || (b[2] != 0xff && !bytes.Equal(a.Marshal(), b[:n])) {
			t.Fatalf("% X: re-encoded % X, used %d", b, a.Marshal(), n)
		}
		_, _ = ParseStatus(a.Data)
		_ = textBlock(a.Data)
	})
}

func FuzzUnframe(f *testing.F) {
	f.Add(Frame([]byte{0x06, 0xd1, 0x02, 0x00, DLE}))
	f.Add(append([]byte{0, ACK, DLE}, Frame(Ack)...))
	f.Add([]byte{DLE, STX, DLE, DLE, DLE, ETX, 0, 0})
	f.Fuzz(func(t *testing.T, b []byte) {
		apdu, used, err := Unframe(b)
		if used < 0 || used > len(b) {
			t.Fatalf("used %d of %d", used, len(b))
		}
		if err == nil && !bytes.Contains(b, Frame(apdu)) {
			t.Fatalf("% X: frame of % X not in the input", b, apdu)
		}
	})
}

func FuzzParseFields(f *testing.F) {
	f.Add([]byte{0x27, 0x00, 0x04, 0, 0, 0, 0, 0x12, 0x34, 0x22, 0xf0, 0xf2, 0xee, 0x42})
	f.Add([]byte{0x06, 0x04, 0x1f, 0x10, 0x01, 0x02, 0x3c, 0xf0, 0xf0, 0xf1, 'x'})
	f.Add([]byte{0x06, 0x82, 0x00, 0x03, 0x25, 0x01, 0x07})
	f.Fuzz(func(t *testing.T, b []byte) {
		fs, err := ParseFields(b)
		if err != nil {
			return
		}
		var out []byte
		for _, fl := range fs {
			if out, err = AppendField(out, fl.ID, fl.Data); err != nil {
				t.Fatalf("field %02X of % X does not re-encode: %v", fl.ID, b, err)
			}
			if fl.ID == BMPTLV {
				_, _ = ParseTLV(fl.Data)
			}
		}
		if st, err := ParseStatus(b); err == nil && st.PAN != "" {
			visible := 0
			for _, c := range st.PAN {
				if c >= '0' && c <= '9' {
					visible++
				}
			}
			if visible > 10 || (visible == len(st.PAN) && visible > 4) {
				t.Fatalf("PAN %q shows too much", st.PAN)
			}
		}
	})
}
