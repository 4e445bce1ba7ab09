package scanner

import (
	"context"
	"errors"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/internal/ptytest"
	"github.com/opentill/opentill/peripherals"
	"github.com/opentill/opentill/peripherals/transport"
	"github.com/opentill/opentill/pos/poserr"
)

func TestParseFrame(t *testing.T) {
	stx := Config{Prefix: "\x02", Suffix: "\x03"}
	tests := []struct {
		name  string
		frame string
		cfg   Config
		want  string
		err   string
	}{
		{"CR", "4006381333931\r", Config{}, "4006381333931", ""},
		{"CR LF", "4006381333931\r\n", Config{}, "4006381333931", ""},
		{"LF", "96385074\n", Config{}, "96385074", ""},
		{"STX ETX", "\x024006381333931\x03", stx, "4006381333931", ""},
		{"symbology prefix", "E4006381333931\r", Config{Prefix: "E"}, "4006381333931", ""},
		{"code 128 with letters", "ABC-123/x\r", Config{}, "ABC-123/x", ""},
		{"missing prefix", "4006381333931\x03", stx, "", "prefix"},
		{"empty", "\r", Config{}, "", "empty"},
		{"noise", "40\xff63\r", Config{}, "", "wrong baud rate"},
		{"control byte", "40\x1b63\r", Config{}, "", "not a barcode character"},
		{"too long", string(make([]byte, 0)) + "123456789\r", Config{MaxLen: 5}, "", "longer than 5"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseFrame([]byte(tc.frame), tc.cfg)
			if tc.err != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tc.err)
				assert.True(t, poserr.Is(err, poserr.Device))
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
		})
	}
}

func TestFramer(t *testing.T) {
	f := NewFramer(Config{})
	var frames []string
	for _, b := range []byte("111\r\n222\n\r333\r") {
		if fr, ok := f.Push(b); ok {
			frames = append(frames, string(fr))
		}
	}
	assert.Equal(t, []string{"111\r", "222\n", "333\r"}, frames)
}

func newScanner(t *testing.T, cfg Config) (*Scanner, *ptytest.Pair, transport.Conn) {
	pair := ptytest.New(t)
	peer := pair.OpenPeer(transport.Line{})
	spec, err := transport.ParseSpec(pair.Dev, transport.Line{})
	require.NoError(t, err)
	s := New(transport.NewLink("scanner", spec), cfg)
	t.Cleanup(func() { s.Close() })
	return s, pair, peer
}

func read(t *testing.T, s *Scanner) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	return s.Read(ctx)
}

func TestScannerOverPTY(t *testing.T) {
	s, _, peer := newScanner(t, Config{Repeat: 200 * time.Millisecond})
	_, err := peer.Write([]byte("4006381333931\r\n4000417025005\r\n"))
	require.NoError(t, err)
	code, err := read(t, s)
	require.NoError(t, err)
	assert.Equal(t, "4006381333931", code)
	code, err = read(t, s)
	require.NoError(t, err)
	assert.Equal(t, "4000417025005", code)

	// A double read of the same label is dropped; a later one is not.
	_, _ = peer.Write([]byte("4006381333931\r\n4006381333931\r\n96385074\r\n"))
	code, err = read(t, s)
	require.NoError(t, err)
	assert.Equal(t, "4006381333931", code)
	code, err = read(t, s)
	require.NoError(t, err)
	assert.Equal(t, "96385074", code, "the repeat was suppressed")
	time.Sleep(250 * time.Millisecond)
	_, _ = peer.Write([]byte("96385074\r"))
	code, err = read(t, s)
	require.NoError(t, err)
	assert.Equal(t, "96385074", code, "the same item scanned again later counts")

	// Noise is an error, and the next frame reads fine.
	_, _ = peer.Write([]byte("12\xfe\xff34\r5000112637922\r"))
	_, err = read(t, s)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "not a barcode character")
	code, err = read(t, s)
	require.NoError(t, err)
	assert.Equal(t, "5000112637922", code)

	// Cancelling the context ends a Read that waits.
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	_, err = s.Read(ctx)
	assert.True(t, errors.Is(err, context.DeadlineExceeded), "%v", err)
}

func TestScannerPrefixSuffix(t *testing.T) {
	s, _, peer := newScanner(t, Config{Prefix: "\x02", Suffix: "\x03"})
	_, _ = peer.Write([]byte("\x024006381333931\x03"))
	code, err := read(t, s)
	require.NoError(t, err)
	assert.Equal(t, "4006381333931", code)
}

func TestScannerReconnects(t *testing.T) {
	s, pair, peer := newScanner(t, Config{})
	_, _ = peer.Write([]byte("111\r"))
	code, err := read(t, s)
	require.NoError(t, err)
	assert.Equal(t, "111", code)

	pair.Kill()
	_, err = read(t, s)
	require.Error(t, err)
	var pe *poserr.Error
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, peripherals.KeyPortGone, pe.Key)

	pair.Start()
	peer = pair.OpenPeer(transport.Line{})
	go func() {
		time.Sleep(150 * time.Millisecond)
		_, _ = peer.Write([]byte("222\r"))
	}()
	code, err = read(t, s)
	require.NoError(t, err)
	assert.Equal(t, "222", code)
}

func FuzzParseFrame(f *testing.F) {
	for _, s := range []string{"4006381333931\r\n", "\x02123\x03", "\r", "\xff\r", "E123\r"} {
		f.Add([]byte(s), false)
	}
	f.Fuzz(func(t *testing.T, frame []byte, stx bool) {
		cfg := Config{}
		if stx {
			cfg = Config{Prefix: "\x02", Suffix: "\x03"}
		}
		code, err := ParseFrame(frame, cfg)
		if err != nil {
			if code != "" || !poserr.Is(err, poserr.Device) {
				t.Fatalf("error %v with code %q", err, code)
			}
			return
		}
		if code == "" || len(code) > 128 || !utf8.ValidString(code) {
			t.Fatalf("frame %q gave code %q", frame, code)
		}
		for _, c := range []byte(code) {
			if c < 0x20 || c > 0x7e {
				t.Fatalf("frame %q gave code %q with byte %02X", frame, code, c)
			}
		}
		// The framer, fed the same bytes, never returns a frame longer than it may hold.
		fr := NewFramer(cfg)
		for _, b := range frame {
			if out, ok := fr.Push(b); ok && len(out) > 128+2+4+1+128 {
				t.Fatalf("framer returned %d bytes", len(out))
			}
		}
	})
}
