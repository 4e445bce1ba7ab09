package scale

import (
	"bytes"
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/peripherals"
	"github.com/opentill/opentill/peripherals/internal/ptytest"
	"github.com/opentill/opentill/peripherals/transport"
	"github.com/opentill/opentill/pos/catalog"
	"github.com/opentill/opentill/pos/poserr"
)

func key(err error) string {
	var pe *poserr.Error
	if errors.As(err, &pe) {
		return pe.Key
	}
	return ""
}

func TestParsers(t *testing.T) {
	tests := []struct {
		name  string
		parse func([]byte, string) (peripherals.Weight, error)
		frame string
		want  peripherals.Weight
		key   string
	}{
		{"toledo weight", ParseToledo, "\x02  1.234\r", peripherals.Weight{Value: 1234, Unit: "kg", Stable: true}, ""},
		{"toledo leading zeros", ParseToledo, "\x0201.234\r", peripherals.Weight{Value: 1234, Unit: "kg", Stable: true}, ""},
		{"toledo two decimals", ParseToledo, "\x02 0.25\r", peripherals.Weight{Value: 250, Unit: "kg", Stable: true}, ""},
		{"toledo net", ParseToledo, "\x02 0.734N\r", peripherals.Weight{Value: 734, Unit: "kg", Stable: true, Net: true}, ""},
		{"toledo integer", ParseToledo, "\x02    12\r", peripherals.Weight{Value: 12000, Unit: "kg", Stable: true}, ""},
		{"toledo motion", ParseToledo, "\x02?\x01\r", peripherals.Weight{}, peripherals.KeyScaleMotion},
		{"toledo over capacity", ParseToledo, "\x02?\x02\r", peripherals.Weight{}, peripherals.KeyScaleOver},
		{"toledo under zero", ParseToledo, "\x02?\x04\r", peripherals.Weight{}, peripherals.KeyScaleUnder},
		{"toledo bad command", ParseToledo, "\x02?\x40\r", peripherals.Weight{}, peripherals.KeyBadFrame},
		{"toledo no STX", ParseToledo, " 1.234\r", peripherals.Weight{}, peripherals.KeyBadFrame},
		{"toledo truncated", ParseToledo, "\x02 1.2", peripherals.Weight{}, peripherals.KeyBadFrame},
		{"toledo noise", ParseToledo, "\x02 1.2#4\r", peripherals.Weight{}, peripherals.KeyBadFrame},
		{"toledo two points", ParseToledo, "\x02 1.2.4\r", peripherals.Weight{}, peripherals.KeyBadFrame},
		{"toledo four decimals", ParseToledo, "\x02 1.2345\r", peripherals.Weight{}, peripherals.KeyBadFrame},
		{"toledo empty", ParseToledo, "\x02\r", peripherals.Weight{}, peripherals.KeyBadFrame},
		{"cas weight", ParseCAS, " 0.734\r", peripherals.Weight{Value: 734, Unit: "kg", Stable: true}, ""},
		{"cas with unit and CRLF", ParseCAS, "\x02 0.734 KG\r\n", peripherals.Weight{Value: 734, Unit: "kg", Stable: true}, ""},
		{"cas wrong unit", ParseCAS, " 1.620 LB\r", peripherals.Weight{}, peripherals.KeyScaleUnit},
		{"cas negative", ParseCAS, "-0.010\r", peripherals.Weight{}, peripherals.KeyScaleUnder},
		{"cas no CR", ParseCAS, " 0.734", peripherals.Weight{}, peripherals.KeyBadFrame},
		{"cas garbage", ParseCAS, "\xff\xfe\r", peripherals.Weight{}, peripherals.KeyBadFrame},
		{"dialog weight", ParseDialog, "\x0202\x1b0\x1b01234\x1b000199\x1b000246\x03", peripherals.Weight{Value: 1234, Unit: "kg", Stable: true}, ""},
		{"dialog unstable", ParseDialog, "\x0202\x1b1\x1b01234\x1b000199\x1b000246\x03", peripherals.Weight{Value: 1234, Unit: "kg"}, ""},
		{"dialog motion", ParseDialog, "\x0209\x1b20\x03", peripherals.Weight{}, peripherals.KeyScaleMotion},
		{"dialog zero", ParseDialog, "\x0209\x1b30\x03", peripherals.Weight{}, peripherals.KeyScaleUnder},
		{"dialog negative", ParseDialog, "\x0209\x1b31\x03", peripherals.Weight{}, peripherals.KeyScaleUnder},
		{"dialog overload", ParseDialog, "\x0209\x1b32\x03", peripherals.Weight{}, peripherals.KeyScaleOver},
		{"dialog no price", ParseDialog, "\x0209\x1b22\x03", peripherals.Weight{}, "error.scale.no_price"},
		{"dialog short weight", ParseDialog, "\x0202\x1b0\x1b1234\x1b000199\x1b000246\x03", peripherals.Weight{}, peripherals.KeyBadFrame},
		{"dialog letters", ParseDialog, "\x0202\x1b0\x1b01A34\x1b000199\x1b000246\x03", peripherals.Weight{}, peripherals.KeyBadFrame},
		{"dialog unknown record", ParseDialog, "\x0205\x1b00\x03", peripherals.Weight{}, peripherals.KeyBadFrame},
		{"dialog truncated", ParseDialog, "\x0202\x1b0\x1b01234", peripherals.Weight{}, peripherals.KeyBadFrame},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			w, err := tc.parse([]byte(tc.frame), "kg")
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

func TestDialogUnitPrice(t *testing.T) {
	assert.Equal(t, []byte("\x04\x0201\x1b001890\x1b\x03"), DialogUnitPrice(1890))
}

// fakeScale plays a scale of a protocol on the device end of a pty pair.
type fakeScale struct {
	mu     sync.Mutex
	frames [][]byte // answered in turn; the last one repeats
	reqs   [][]byte
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
	return fr
}

func (f *fakeScale) answer(p Protocol) func([]byte) []byte {
	return func(req []byte) []byte {
		f.mu.Lock()
		f.reqs = append(f.reqs, bytes.Clone(req))
		f.mu.Unlock()
		switch p {
		case Dialog04:
			switch {
			case bytes.HasPrefix(req, []byte{EOT, STX, '0', '1'}):
				return []byte{ACK}
			case bytes.Equal(req, DialogState):
				return []byte("\x0209\x1b20\x03")
			case bytes.Equal(req, DialogWeigh):
				return f.next()
			}
			return []byte{NAK}
		default:
			if bytes.Equal(req, []byte("W")) {
				return f.next()
			}
			return nil
		}
	}
}

func (f *fakeScale) requests() [][]byte {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([][]byte(nil), f.reqs...)
}

func startFake(ctx context.Context, t *testing.T, pair *ptytest.Pair, p Protocol, f *fakeScale) {
	peer := pair.OpenPeer(DefaultLine(p))
	stops, n := "", 1
	if p == Dialog04 {
		stops = string([]byte{ETX, ENQ})
	}
	go ptytest.Device(ctx, peer, stops, n, f.answer(p))
}

func TestScalesOverPTY(t *testing.T) {
	tests := []struct {
		proto  Protocol
		frames []string
		want   catalog.Qty
		req    []byte
	}{
		{Toledo8217, []string{"\x02?\x01\r", "\x02  0.734\r"}, 734, []byte("W")},
		{CASPD2, []string{" 0.730 KG\r", " 0.734 KG\r", " 0.734 KG\r"}, 734, []byte("W")},
		{Dialog04, []string{"\x0202\x1b1\x1b00700\x1b001890\x1b001323\x03", "\x0202\x1b0\x1b00734\x1b001890\x1b001387\x03"}, 734, DialogWeigh},
	}
	for _, tc := range tests {
		t.Run(string(tc.proto), func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			pair := ptytest.New(t)
			f := &fakeScale{}
			f.set(tc.frames...)
			startFake(ctx, t, pair, tc.proto, f)
			spec, err := transport.ParseSpec(pair.Dev, DefaultLine(tc.proto))
			require.NoError(t, err)
			s, err := New(transport.NewLink("scale", spec), Config{Protocol: tc.proto, Timeout: 500 * time.Millisecond})
			require.NoError(t, err)
			defer s.Close()
			if tc.proto == Dialog04 {
				s.SetUnitPrice(1890)
			}
			w, err := peripherals.WaitStable(ctx, s, 3*time.Second, 10*time.Millisecond)
			require.NoError(t, err)
			assert.Equal(t, tc.want, w.Value)
			assert.Equal(t, "kg", w.Unit)
			reqs := f.requests()
			assert.Contains(t, reqs, tc.req, "the driver sent the protocol's request")
			if tc.proto == Dialog04 {
				assert.Contains(t, reqs, DialogUnitPrice(1890), "the unit price goes first")
				assert.Contains(t, reqs, DialogState, "an unstable record makes the driver ask for the status")
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
	spec, _ := transport.ParseSpec(pair.Dev, DefaultLine(Toledo8217))
	s, err := New(transport.NewLink("scale", spec), Config{Protocol: Toledo8217, Timeout: 200 * time.Millisecond})
	require.NoError(t, err)
	defer s.Close()
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

	f.set("\x02?\x02\r")
	_, err = peripherals.WaitStable(ctx, s, 300*time.Millisecond, 10*time.Millisecond)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "over capacity", "the last reason is reported")
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
	spec, _ := transport.ParseSpec(pair.Dev, DefaultLine(Toledo8217))
	link := transport.NewLink("scale", spec)
	s, err := New(link, Config{Protocol: Toledo8217, Timeout: 300 * time.Millisecond})
	require.NoError(t, err)
	defer s.Close()
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
	assert.False(t, link.Connected())

	pair.Start()
	ctx2, cancel2 := context.WithCancel(ctx)
	defer cancel2()
	f.set("\x02  2.250\r")
	startFake(ctx2, t, pair, Toledo8217, f)
	w, err = s.Read(ctx)
	require.NoError(t, err)
	assert.Equal(t, catalog.Qty(2250), w.Value)
}

func FuzzParseToledo(f *testing.F) {
	for _, s := range []string{"\x02  1.234\r", "\x02?\x01\r", "\x02 0.734N\r", "\x02\r", "\x02 1.2.3\r"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, frame []byte) { checkParse(t, ParseToledo, frame) })
}

func FuzzParseCAS(f *testing.F) {
	for _, s := range []string{" 0.734 KG\r\n", "-0.1\r", "\x02 1.000\r", "LB\r"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, frame []byte) { checkParse(t, ParseCAS, frame) })
}

func FuzzParseDialog(f *testing.F) {
	for _, s := range []string{"\x0202\x1b0\x1b01234\x1b000199\x1b000246\x03", "\x0209\x1b20\x03", "\x0202\x1b\x03"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, frame []byte) { checkParse(t, ParseDialog, frame) })
}

// checkParse: an error carries no weight and is a device error; a weight
// is never negative and its digits are all in the frame.
func checkParse(t *testing.T, parse func([]byte, string) (peripherals.Weight, error), frame []byte) {
	w, err := parse(frame, "kg")
	if err != nil {
		if w != (peripherals.Weight{}) {
			t.Fatalf("error %v came with a weight %v", err, w)
		}
		if !poserr.Is(err, poserr.Device) {
			t.Fatalf("error %v is not a device error", err)
		}
		return
	}
	if w.Value < 0 || w.Unit != "kg" {
		t.Fatalf("frame %q gave %v", frame, w)
	}
	digits := 0
	for _, c := range frame {
		if c >= '0' && c <= '9' {
			digits++
		}
	}
	if digits == 0 {
		t.Fatalf("frame %q without digits gave %v", frame, w)
	}
}
