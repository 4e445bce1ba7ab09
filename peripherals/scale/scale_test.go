package scale

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/internal/ptytest"
	"github.com/opentill/opentill/peripherals"
	"github.com/opentill/opentill/peripherals/transport"
	"github.com/opentill/opentill/pos/catalog"
	"github.com/opentill/opentill/pos/money"
	"github.com/opentill/opentill/pos/poserr"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/; the run then fails, so review the diff and run again without it")

func key(err error) string {
	var pe *poserr.Error
	if errors.As(err, &pe) {
		return pe.Key
	}
	return ""
}

var kg = Format{Unit: "kg", Decimals: 3, Capacity: 15_000}

func TestParsers(t *testing.T) {
	w := func(v catalog.Qty) peripherals.Weight { return peripherals.Weight{Value: v, Unit: "kg", Stable: true} }
	tests := []struct {
		name  string
		parse func([]byte, Format) (peripherals.Weight, error)
		f     Format
		frame string
		want  peripherals.Weight
		key   string
	}{
		{"toledo weight", ParseToledo, kg, "\x02  1.234\r", w(1234), ""},
		{"toledo leading zeros", ParseToledo, kg, "\x0201.234\r", w(1234), ""},
		{"toledo two decimals", ParseToledo, kg, "\x02 0.25\r", w(250), ""},
		{"toledo net", ParseToledo, kg, "\x02 0.734N\r", peripherals.Weight{Value: 734, Unit: "kg", Stable: true, Net: true}, ""},
		{"toledo integer", ParseToledo, kg, "\x02    12\r", w(12000), ""},
		{"toledo above the capacity set", ParseToledo, kg, "\x02 16.000\r", peripherals.Weight{}, peripherals.KeyScaleOver},
		// Status bytes as a real scale sends them: bit 6 always set.
		{"toledo motion 'A'", ParseToledo, kg, "\x02?A\r", peripherals.Weight{}, peripherals.KeyScaleMotion},
		{"toledo over capacity 'B'", ParseToledo, kg, "\x02?B\r", peripherals.Weight{}, peripherals.KeyScaleOver},
		{"toledo under zero 'D'", ParseToledo, kg, "\x02?D\r", peripherals.Weight{}, peripherals.KeyScaleUnder},
		{"toledo outside zero range 'H'", ParseToledo, kg, "\x02?H\r", peripherals.Weight{}, peripherals.KeyScaleUnder},
		{"toledo motion at centre of zero 'Q'", ParseToledo, kg, "\x02?Q\r", peripherals.Weight{}, peripherals.KeyScaleMotion},
		{"toledo motion, net 'a'", ParseToledo, kg, "\x02?a\r", peripherals.Weight{}, peripherals.KeyScaleMotion},
		{"toledo centre of zero 'P' is a stable zero", ParseToledo, kg, "\x02?P\r", peripherals.Weight{Unit: "kg", Stable: true}, ""},
		{"toledo centre of zero, net 'p'", ParseToledo, kg, "\x02?p\r", peripherals.Weight{Unit: "kg", Stable: true, Net: true}, ""},
		{"toledo parity bit set (8N1 adapter)", ParseToledo, kg, "\x02?\xc1\r", peripherals.Weight{}, peripherals.KeyScaleMotion},
		{"toledo status without bit 6", ParseToledo, kg, "\x02?\x01\r", peripherals.Weight{}, peripherals.KeyScaleMotion},
		{"toledo status with no flag '@'", ParseToledo, kg, "\x02?@\r", peripherals.Weight{}, peripherals.KeyBadFrame},
		{"toledo no STX", ParseToledo, kg, " 1.234\r", peripherals.Weight{}, peripherals.KeyBadFrame},
		{"toledo truncated", ParseToledo, kg, "\x02 1.2", peripherals.Weight{}, peripherals.KeyBadFrame},
		{"toledo noise", ParseToledo, kg, "\x02 1.2#4\r", peripherals.Weight{}, peripherals.KeyBadFrame},
		{"toledo two points", ParseToledo, kg, "\x02 1.2.4\r", peripherals.Weight{}, peripherals.KeyBadFrame},
		{"toledo four decimals", ParseToledo, kg, "\x02 1.2345\r", peripherals.Weight{}, peripherals.KeyBadFrame},
		{"toledo empty", ParseToledo, kg, "\x02\r", peripherals.Weight{}, peripherals.KeyBadFrame},
		// CAS PD-II: digits are thousandths (the public drivers' reading).
		{"cas grams", ParseCAS, kg, "01450\r", w(1450), ""},
		{"cas grams with unit and CRLF", ParseCAS, kg, "\x02 01450 KG\r\n", w(1450), ""},
		{"cas two decimals set", ParseCAS, Format{Unit: "kg", Decimals: 2, Capacity: 15_000}, "1450\r", w(14500), ""},
		{"cas with a point", ParseCAS, kg, " 0.734 KG\r\n", w(734), ""},
		{"cas 1450 kg is over capacity", ParseCAS, kg, "1450000\r", peripherals.Weight{}, peripherals.KeyScaleOver},
		{"cas 1450 read as kg would be over capacity", ParseCAS, Format{Unit: "kg", Decimals: 3, Capacity: 15_000}, "1450.000\r", peripherals.Weight{}, peripherals.KeyScaleOver},
		{"cas wrong unit", ParseCAS, kg, " 1.620 LB\r", peripherals.Weight{}, peripherals.KeyScaleUnit},
		{"cas pounds", ParseCAS, Format{Unit: "lb", Decimals: 3, Capacity: 30_000}, "03240 LB\r", peripherals.Weight{Value: 3240, Unit: "lb", Stable: true}, ""},
		{"cas negative", ParseCAS, kg, "-0.010\r", peripherals.Weight{}, peripherals.KeyScaleUnder},
		{"cas four decimals", ParseCAS, kg, "1.4567\r", peripherals.Weight{}, peripherals.KeyBadFrame},
		{"cas no CR", ParseCAS, kg, " 0.734", peripherals.Weight{}, peripherals.KeyBadFrame},
		{"cas garbage", ParseCAS, kg, "\xff\xfe\r", peripherals.Weight{}, peripherals.KeyBadFrame},
		// Dialog 1: digits ended by RS, thousandths.
		{"dialog1 grams", ParseDialog1, kg, "01450\x1e", w(1450), ""},
		{"dialog1 over capacity", ParseDialog1, kg, "1450000\x1e", peripherals.Weight{}, peripherals.KeyScaleOver},
		{"dialog1 letters", ParseDialog1, kg, "14a0\x1e", peripherals.Weight{}, peripherals.KeyBadFrame},
		{"dialog1 point", ParseDialog1, kg, "1.450\x1e", peripherals.Weight{}, peripherals.KeyBadFrame},
		{"dialog1 no RS", ParseDialog1, kg, "01450\r", peripherals.Weight{}, peripherals.KeyBadFrame},
		{"dialog1 empty", ParseDialog1, kg, "\x1e", peripherals.Weight{}, peripherals.KeyBadFrame},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			w, err := tc.parse([]byte(tc.frame), tc.f)
			if tc.key != "" {
				require.Error(t, err)
				assert.Equal(t, tc.key, key(err), err.Error())
				assert.True(t, poserr.Is(err, poserr.Device))
				assert.Zero(t, w, "an error never carries a weight")
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, w)
		})
	}
}

func TestDialog06Records(t *testing.T) {
	assert.Equal(t, []byte("\x04\x0201\x1b001890\x1b\x03"), Record01(1890))
	assert.Equal(t, []byte("\x04\x0201\x1b999999\x1b\x03"), Record01(12_345_678), "clamped to six digits")
	assert.Equal(t, []byte("\x04\x0210\x1b2341BEEF\x03"), Record10(0x2341, 0xbeef))
	assert.Equal(t, []byte("\x04\x0208\x03"), Dialog06Status)
	assert.Equal(t, []byte("\x04\x05"), Dialog06Weigh)

	lb := Format{Unit: "lb"}
	tests := []struct {
		name  string
		f     Format
		frame string
		sent  money.Amount
		want  catalog.Qty
		key   string
	}{
		{"kg, 3 decimals", kg, "\x0202\x1b3\x1b01234\x1b001890\x1b002332\x03", 1890, 1234, ""},
		{"5-digit unit price", kg, "\x0202\x1b3\x1b01234\x1b01890\x1b002332\x03", 1890, 1234, ""},
		{"kg, 2 decimals", kg, "\x0202\x1b2\x1b01234\x1b001890\x1b023323\x03", 1890, 12340, ""},
		{"lb / 0.01", lb, "\x0202\x1b1\x1b01234\x1b000199\x1b002456\x03", 199, 12340, ""},
		{"lb / 0.005", lb, "\x0202\x1b2\x1b01235\x1b000199\x1b000246\x03", 199, 1235, ""},
		{"lb:oz refused", lb, "\x0202\x1b0\x1b01234\x1b000199\x1b002456\x03", 199, 0, peripherals.KeyScaleUnit},
		{"kg scale, lb profile", lb, "\x0202\x1b3\x1b01234\x1b000199\x1b000246\x03", 199, 0, peripherals.KeyScaleUnit},
		{"another unit price", kg, "\x0202\x1b3\x1b01234\x1b000100\x1b000123\x03", 1890, 0, peripherals.KeyBadFrame},
		{"price to pay does not add up", kg, "\x0202\x1b3\x1b01234\x1b001890\x1b002400\x03", 1890, 0, peripherals.KeyBadFrame},
		{"over capacity", kg, "\x0202\x1b3\x1b16000\x1b000100\x1b001600\x03", 100, 0, peripherals.KeyScaleOver},
		{"short weight", kg, "\x0202\x1b3\x1b1234\x1b001890\x1b002332\x03", 1890, 0, peripherals.KeyBadFrame},
		{"letters", kg, "\x0202\x1b3\x1b01A34\x1b001890\x1b002332\x03", 1890, 0, peripherals.KeyBadFrame},
		{"status record", kg, "\x0209\x1b20\x03", 1890, 0, peripherals.KeyBadFrame},
		{"truncated", kg, "\x0202\x1b3\x1b01234", 1890, 0, peripherals.KeyBadFrame},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, err := ParseResult([]byte(tc.frame), tc.f, tc.sent)
			if tc.key != "" {
				require.Error(t, err)
				assert.Equal(t, tc.key, key(err), err.Error())
				assert.Zero(t, r)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, r.Weight.Value)
			assert.True(t, r.Weight.Stable)
			assert.Equal(t, tc.sent, r.UnitPrice)
		})
	}

	statuses := map[string]string{
		"20": peripherals.KeyScaleMotion, "21": peripherals.KeyScaleMotion, "22": peripherals.KeyScaleMotion,
		"30": peripherals.KeyScaleUnder, "31": peripherals.KeyScaleUnder, "32": peripherals.KeyScaleOver,
		"11": KeyNoPrice, "01": peripherals.KeyBadFrame, "02": peripherals.KeyBadFrame, "10": peripherals.KeyBadFrame,
	}
	for code, k := range statuses {
		got, err := ParseStatus([]byte("\x0209\x1b" + code + "\x03"))
		require.NoError(t, err)
		assert.Equal(t, code, got)
		assert.Equal(t, k, key(StatusError(code)), code)
	}
	_, err := ParseStatus([]byte("\x0209\x1b2\x03"))
	assert.Equal(t, peripherals.KeyBadFrame, key(err))

	d, z, err := ParseChecksumRecord([]byte("\x0211\x1b247\x03")) // the DIVA manual's example
	require.NoError(t, err)
	assert.Equal(t, byte('2'), d)
	assert.Equal(t, byte(0x47), z)
	d, _, err = ParseChecksumRecord([]byte("\x0211\x1b1\x03"))
	require.NoError(t, err)
	assert.Equal(t, byte('1'), d)
	_, _, err = ParseChecksumRecord([]byte("\x0211\x1b2G7\x03"))
	assert.Error(t, err)
}

// The checksum vectors were computed with a transcription of the public
// Dialog 06 driver's algorithm (Vracoop/iot toledo_scale: _get_kw_value,
// _rotate_left, _rotate_right).
func TestDialog06Checksums(t *testing.T) {
	tests := []struct {
		key        uint32
		z          byte
		cs         uint16
		kw, cE, kE uint16
	}{
		{0x11021, 0x47, 0x1234, 0x13c6, 0x2341, 0x8c27},
		{0x11021, 0x00, 0xbeef, 0x31c3, 0xbeef, 0x31c3},
		{0x1021, 0xf3, 0x0001, 0x0210, 0x8000, 0x0042},
		{0x8005, 0x9a, 0xffff, 0x003a, 0xffff, 0x0e80},
		{0x11021, 0x47, 0x0000, 0x0000, 0x0000, 0x0000},
	}
	for _, tc := range tests {
		assert.Equal(t, tc.kw, correction(tc.key, tc.cs), "%x %x", tc.key, tc.cs)
		cE, kE := Checksums(tc.key, tc.z, tc.cs)
		assert.Equal(t, [2]uint16{tc.cE, tc.kE}, [2]uint16{cE, kE}, "%x %x %x", tc.key, tc.z, tc.cs)
	}
}

// fakeScale plays a W-polled scale (Toledo, CAS, Dialog 1) on the device
// end of a pty pair.
type fakeScale struct {
	mu     sync.Mutex
	frames [][]byte // answered in turn; the last one repeats
	reqs   [][]byte
	split  bool // write each answer in two halves, 30 ms apart
	peer   transport.Conn
}

func (f *fakeScale) set(frames ...string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.frames = f.frames[:0]
	for _, s := range frames {
		f.frames = append(f.frames, []byte(s))
	}
}

func (f *fakeScale) next() []byte {
	f.mu.Lock()
	defer f.mu.Unlock()
	fr := f.frames[0]
	if len(f.frames) > 1 {
		f.frames = f.frames[1:]
	}
	if f.split && len(fr) > 1 {
		_, _ = f.peer.Write(fr[:len(fr)/2])
		time.Sleep(30 * time.Millisecond)
		return fr[len(fr)/2:]
	}
	return fr
}

func (f *fakeScale) answer(p Protocol) func([]byte) []byte {
	return func(req []byte) []byte {
		f.mu.Lock()
		f.reqs = append(f.reqs, bytes.Clone(req))
		f.mu.Unlock()
		want := ToledoWeigh
		if p == Dialog1 {
			want = Dialog1Weigh
		}
		if bytes.Equal(req, want) {
			return f.next()
		}
		return nil
	}
}

func (f *fakeScale) requests() [][]byte {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([][]byte(nil), f.reqs...)
}

func startFake(ctx context.Context, t *testing.T, pair *ptytest.Pair, p Protocol, f *fakeScale) {
	f.peer = pair.OpenPeer(DefaultLine(p))
	go ptytest.Device(ctx, f.peer, "", 1, f.answer(p))
}

func open(t *testing.T, pair *ptytest.Pair, cfg Config) *Scale {
	spec, err := transport.ParseSpec(pair.Dev, DefaultLine(cfg.Protocol))
	require.NoError(t, err)
	if cfg.Timeout == 0 {
		cfg.Timeout = 500 * time.Millisecond
	}
	s, err := New(transport.NewLink("scale", spec), cfg)
	require.NoError(t, err)
	t.Cleanup(func() { s.Close() })
	return s
}

func TestScalesOverPTY(t *testing.T) {
	tests := []struct {
		name   string
		proto  Protocol
		frames []string
		split  bool
		want   catalog.Qty
		reqs   [][]byte
	}{
		{"toledo", Toledo8217, []string{"\x02?A\r", "\x02?Q\r", "\x02  0.734\r"}, false, 734, [][]byte{ToledoWeigh}},
		{"toledo split frames", Toledo8217, []string{"\x02?A\r", "\x02  0.734\r"}, true, 734, [][]byte{ToledoWeigh}},
		{"cas grams then CR stops the stream", CASPD2, []string{"01430\r", "01450\r", "01450\r"}, false, 1450, [][]byte{CASWeigh, CASStop}},
		{"cas split frames", CASPD2, []string{"01450 KG\r\n", "01450 KG\r\n"}, true, 1450, [][]byte{CASWeigh, CASStop}},
		{"dialog1", Dialog1, []string{"01440\x1e", "01450\x1e", "01450\x1e"}, false, 1450, [][]byte{Dialog1Weigh}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			pair := ptytest.New(t)
			f := &fakeScale{split: tc.split}
			f.set(tc.frames...)
			startFake(ctx, t, pair, tc.proto, f)
			s := open(t, pair, Config{Protocol: tc.proto})
			w, err := peripherals.WaitStable(ctx, s, 3*time.Second, 10*time.Millisecond)
			require.NoError(t, err)
			assert.Equal(t, tc.want, w.Value)
			assert.Equal(t, "kg", w.Unit)
			all := bytes.Join(f.requests(), nil)
			for _, r := range tc.reqs {
				assert.Contains(t, string(all), string(r), "the driver sent the protocol's request")
			}
		})
	}
}

func TestScaleTimeoutAndNoise(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pair := ptytest.New(t)
	f := &fakeScale{}
	f.set("\x02 1.2#4\r")
	startFake(ctx, t, pair, Toledo8217, f)
	s := open(t, pair, Config{Protocol: Toledo8217, Timeout: 200 * time.Millisecond})
	_, err := s.Read(ctx)
	assert.Equal(t, peripherals.KeyBadFrame, key(err), "%v", err)

	f.set("\x15\x02?\x00 1.234\r") // line noise before and inside the frame
	_, err = s.Read(ctx)
	assert.Equal(t, peripherals.KeyBadFrame, key(err), "%v", err)

	f.set("\x02 1.2") // truncated: no CR ever comes
	_, err = s.Read(ctx)
	assert.Equal(t, peripherals.KeyBadFrame, key(err), "%v", err)
	assert.Contains(t, err.Error(), "cut off")

	f.set("")
	_, err = s.Read(ctx)
	assert.Equal(t, peripherals.KeyTimeout, key(err), "%v", err)
	assert.Contains(t, err.Error(), "did not answer")

	f.set("\x02?B\r")
	_, err = peripherals.WaitStable(ctx, s, 300*time.Millisecond, 10*time.Millisecond)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "over capacity", "the last reason is reported")
}

// TestCASCapacity: a CAS scale whose digits are read with the wrong
// decimals gives a weight far above its capacity, which is refused.
func TestCASCapacity(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pair := ptytest.New(t)
	f := &fakeScale{}
	f.set("01450\r")
	startFake(ctx, t, pair, CASPD2, f)
	s := open(t, pair, Config{Protocol: CASPD2, Decimals: 0, Capacity: 0})
	assert.Equal(t, Format{Unit: "kg", Decimals: 3, Capacity: 15_000}, s.Format(), "the safe default")
	s2, err := New(s.link, Config{Protocol: CASPD2, Decimals: 3, Capacity: 1_000})
	require.NoError(t, err)
	_, err = s2.Read(ctx)
	require.Error(t, err)
	assert.Equal(t, peripherals.KeyScaleOver, key(err))
	assert.Contains(t, err.Error(), "capacity of 1.000 kg")
}

// TestScaleReconnects kills socat (the USB adapter is pulled) and starts
// it again: the driver reports the port gone, then reads again by itself.
func TestScaleReconnects(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pair := ptytest.New(t)
	f := &fakeScale{}
	f.set("\x02  1.500\r")
	startFake(ctx, t, pair, Toledo8217, f)
	s := open(t, pair, Config{Protocol: Toledo8217, Timeout: 300 * time.Millisecond})
	w, err := s.Read(ctx)
	require.NoError(t, err)
	assert.Equal(t, catalog.Qty(1500), w.Value)

	pair.Kill()
	var gone error
	for i := 0; i < 5 && gone == nil; i++ {
		_, gone = s.Read(ctx)
	}
	require.Error(t, gone)
	assert.Equal(t, peripherals.KeyPortGone, key(gone), "%v", gone)
	assert.Contains(t, gone.Error(), "reconnects by itself")
	assert.False(t, s.link.Connected())

	pair.Start()
	ctx2, cancel2 := context.WithCancel(ctx)
	defer cancel2()
	f.set("\x02  2.250\r")
	startFake(ctx2, t, pair, Toledo8217, f)
	w, err = s.Read(ctx)
	require.NoError(t, err)
	assert.Equal(t, catalog.Qty(2250), w.Value)
}

// dialogScale plays a Mettler Toledo scale speaking Checkout-Dialog 06 on
// the device end of a pty pair, as the DIVA manual describes it: ACK or
// record 11 to record 01, record 02 or NAK to EOT ENQ, record 09 to record
// 08, ACK to a record 10 and its verdict (record 11) at the next EOT ENQ.
type dialogScale struct {
	mu       sync.Mutex
	key      uint32 // checksum generator
	z        byte   // random number of the next checksum request; 0 = none
	price    money.Amount
	weight   catalog.Qty
	results  []string // per EOT ENQ: "20", "22", "32"… (NAK then that status) or "" (record 02)
	status   string
	verdict  byte // pending record 11 verdict after a record 10
	got      []byte
	records  int // record 02 sent
	badTotal bool
}

func (d *dialogScale) answer(req []byte) []byte {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.got = append(d.got, req...)
	req = bytes.TrimLeft(req, "\x04")
	switch {
	case len(req) == 0:
		return nil // the till's EOT after an answer
	case req[0] == ENQ && d.verdict != 0:
		v := d.verdict
		d.verdict = 0
		return []byte{STX, '1', '1', ESC, v, ETX}
	case req[0] == ENQ:
		res := ""
		if len(d.results) > 0 {
			res, d.results = d.results[0], d.results[1:]
		}
		if res != "" {
			d.status = res
			return []byte{NAK}
		}
		d.records++
		total := money.MulDiv(int64(d.weight), int64(d.price), 1000, money.HalfUp)
		if d.badTotal {
			total++
			total++
		}
		return fmt.Appendf(nil, "\x0202\x1b3\x1b%05d\x1b%06d\x1b%06d\x03", d.weight, d.price, total)
	case bytes.HasPrefix(req, []byte{STX, '0', '1', ESC}) && len(req) == 12:
		p, err := strconv.Atoi(string(req[4:10]))
		if err != nil {
			d.status = "11"
			return []byte{NAK}
		}
		if d.z != 0 {
			return fmt.Appendf(nil, "\x0211\x1b2%02X\x03", d.z)
		}
		d.price = money.Amount(p)
		return []byte{ACK}
	case bytes.HasPrefix(req, []byte{STX, '1', '0', ESC}) && len(req) == 13:
		cs, err1 := strconv.ParseUint(string(req[4:8]), 16, 16)
		kw, err2 := strconv.ParseUint(string(req[8:12]), 16, 16)
		plain := bits16(uint16(cs), -int(d.z>>4))
		d.verdict = '0'
		if err1 == nil && err2 == nil && bits16(uint16(kw), int(d.z&0x0f)) == correction(d.key, plain) {
			d.verdict = '1'
			d.z = 0
		}
		return []byte{ACK}
	case bytes.Equal(req, []byte{STX, '0', '8', ETX}):
		return []byte("\x0209\x1b" + d.status + "\x03")
	}
	d.status = "10"
	return []byte{NAK}
}

func bits16(v uint16, k int) uint16 {
	k &= 15
	return v<<k | v>>(16-k)
}

func (d *dialogScale) sent() []byte {
	d.mu.Lock()
	defer d.mu.Unlock()
	return bytes.Clone(d.got)
}

func startDialog(ctx context.Context, t *testing.T, d *dialogScale, cfg Config) *Scale {
	pair := ptytest.New(t)
	go ptytest.Device(ctx, pair.OpenPeer(DefaultLine(Dialog06)), string([]byte{ETX, ENQ}), 0, d.answer)
	cfg.Protocol = Dialog06
	return open(t, pair, cfg)
}

// golden compares the bytes a fake scale got with testdata/name, once the
// till's closing EOT has arrived.
func golden(t *testing.T, name string, d *dialogScale) {
	t.Helper()
	require.Eventually(t, func() bool { b := d.sent(); return len(b) > 0 && b[len(b)-1] == EOT }, 2*time.Second, 5*time.Millisecond, "the till acknowledges the last record with EOT")
	got := d.sent()
	path := filepath.Join("testdata", name)
	hex := []byte(describe(got) + "\n")
	if *update {
		require.NoError(t, os.MkdirAll("testdata", 0o755))
		require.NoError(t, os.WriteFile(path, hex, 0o644))
		t.Fatalf("rewrote %s: review the diff and run again without -update", path)
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test ./peripherals/scale -run Dialog06 -update to create it")
	assert.Equal(t, string(want), string(hex), "the bytes the till sent")
}

func describe(b []byte) string {
	var sb bytes.Buffer
	for i, c := range b {
		if i > 0 {
			sb.WriteByte(' ')
		}
		fmt.Fprintf(&sb, "%02X", c)
	}
	return sb.String()
}

// TestDialog06Weighing: the real unit price goes out in record 01, motion
// and an unfinished measurement ask again with EOT ENQ only, every answer
// is acknowledged with EOT, and the result is the record 02 weight.
func TestDialog06Weighing(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	d := &dialogScale{weight: 1234, results: []string{"20", "22"}}
	s := startDialog(ctx, t, d, Config{})

	_, err := s.Read(ctx)
	assert.Equal(t, KeyNoPrice, key(err), "no weighing without the item's unit price: %v", err)

	w, err := peripherals.Weigh(ctx, s, 1890, 3*time.Second, 10*time.Millisecond)
	require.NoError(t, err)
	assert.Equal(t, catalog.Qty(1234), w.Value)
	assert.Equal(t, money.Amount(1890), d.price, "the product's unit price reached the scale")
	golden(t, "dialog06_weighing.hex", d)

	// A new item: record 01 again, then the scale is over capacity.
	d.mu.Lock()
	d.results = slices.Repeat([]string{"32"}, 1000)
	d.mu.Unlock()
	_, err = peripherals.Weigh(ctx, s, 299, 200*time.Millisecond, 10*time.Millisecond)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "over capacity")
	assert.Equal(t, money.Amount(299), d.price)

	// A result whose price to pay does not add up is refused.
	d.mu.Lock()
	d.badTotal, d.results = true, nil
	d.mu.Unlock()
	require.NoError(t, s.SetUnitPrice(ctx, 299))
	_, err = s.Read(ctx)
	assert.Equal(t, peripherals.KeyBadFrame, key(err), "%v", err)

	assert.Equal(t, KeyNoPrice, key(s.SetUnitPrice(ctx, 0)))
}

// TestDialog06Checksums: the scale asks for record 10; with the right key
// the till answers, reads the verdict and weighs again; without a key it
// says what to set.
func TestDialog06ChecksumExchange(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	d := &dialogScale{key: 0x11021, z: 0x47, weight: 500}
	s := startDialog(ctx, t, d, Config{ChecksumKey: 0x11021})
	s.rand = func() uint16 { return 0x1234 }
	w, err := peripherals.Weigh(ctx, s, 1000, 3*time.Second, 10*time.Millisecond)
	require.NoError(t, err)
	assert.Equal(t, catalog.Qty(500), w.Value)
	golden(t, "dialog06_checksum.hex", d)
	assert.Contains(t, string(d.sent()), "\x04\x0210\x1b23418C27\x03", "record 10 with the encoded checksum and correction value")

	wrong := &dialogScale{key: 0x11021, z: 0x47, weight: 500}
	s = startDialog(ctx, t, wrong, Config{ChecksumKey: 0x8005})
	err = s.SetUnitPrice(ctx, 1000)
	assert.Equal(t, KeyChecksum, key(err), "%v", err)
	assert.Contains(t, err.Error(), "refused the till's checksums")

	none := &dialogScale{key: 0x11021, z: 0x47}
	s = startDialog(ctx, t, none, Config{})
	err = s.SetUnitPrice(ctx, 1000)
	assert.Equal(t, KeyChecksum, key(err), "%v", err)
	assert.Contains(t, err.Error(), "set checksum_key")
}

func FuzzParseToledo(f *testing.F) {
	for _, s := range []string{"\x02  1.234\r", "\x02?A\r", "\x02?P\r", "\x02 0.734N\r", "\x02\r", "\x02 1.2.3\r"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, frame []byte) { checkParse(t, ParseToledo, frame) })
}

func FuzzParseCAS(f *testing.F) {
	for _, s := range []string{"01450\r", " 0.734 KG\r\n", "-0.1\r", "\x02 1.000\r", "LB\r"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, frame []byte) { checkParse(t, ParseCAS, frame) })
}

func FuzzParseDialog1(f *testing.F) {
	for _, s := range []string{"01450\x1e", "\x1e", "1a\x1e"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, frame []byte) { checkParse(t, ParseDialog1, frame) })
}

func FuzzParseDialog06(f *testing.F) {
	for _, s := range []string{"\x0202\x1b3\x1b01234\x1b001890\x1b002332\x03", "\x0209\x1b20\x03", "\x0211\x1b247\x03", "\x0202\x1b\x03"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, frame []byte) {
		checkParse(t, func(b []byte, f Format) (peripherals.Weight, error) {
			r, err := ParseResult(b, f, 1890)
			return r.Weight, err
		}, frame)
		if code, err := ParseStatus(frame); err == nil {
			assert.True(t, poserr.Is(StatusError(code), poserr.Device))
		}
		_, _, _ = ParseChecksumRecord(frame)
	})
}

// checkParse: an error carries no weight and is a device error; a weight
// is never negative, never above the capacity, and its digits are all in
// the frame.
func checkParse(t *testing.T, parse func([]byte, Format) (peripherals.Weight, error), frame []byte) {
	w, err := parse(frame, kg)
	if err != nil {
		if w != (peripherals.Weight{}) {
			t.Fatalf("error %v came with a weight %v", err, w)
		}
		if !poserr.Is(err, poserr.Device) {
			t.Fatalf("error %v is not a device error", err)
		}
		return
	}
	if w.Value < 0 || w.Value > kg.Capacity || w.Unit != "kg" {
		t.Fatalf("frame %q gave %v", frame, w)
	}
	digits := 0
	for _, c := range frame {
		if c >= '0' && c <= '9' {
			digits++
		}
	}
	if digits == 0 && w.Value != 0 {
		t.Fatalf("frame %q without digits gave %v", frame, w)
	}
}
