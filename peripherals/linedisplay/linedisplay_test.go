package linedisplay

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/internal/ptytest"
	"github.com/opentill/opentill/peripherals"
	"github.com/opentill/opentill/peripherals/escpos"
	"github.com/opentill/opentill/peripherals/transport"
)

func TestFrames(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
		l    peripherals.Lines
		want string
	}{
		{"cd5220", Config{Protocol: CD5220}, peripherals.Lines{"Milch 3.5%", "TOTAL          12.34"},
			"\x1bQAMilch 3.5%          \r\x1bQBTOTAL          12.34\r"},
		{"cd5220 cuts long lines and encodes CP437", Config{Protocol: CD5220}, peripherals.Lines{"Bergkäse würzig am Stück", "€ 5"},
			"\x1bQABergk\x84se w\x81rzig am S\r\x1bQB? 5                 \r"},
		{"escpos", Config{Protocol: ESCPOS, Columns: 10}, peripherals.Lines{"Grüße", "1.00"},
			"\x1bt\x13\x1fC\x00\x0bGr\x81\xe1e     1.00      "},
		{"escpos daisy-chained", Config{Protocol: ESCPOS, Columns: 4, Daisy: true}, peripherals.Lines{"a", "b"},
			"\x1b=\x02\x1bt\x13\x1fC\x00\x0ba   b   \x1b=\x01"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, escpos.Describe([]byte(tc.want)), escpos.Describe(Frame(tc.cfg, tc.l)))
		})
	}
	assert.Equal(t, []byte{0x1b, '@', 0x0c}, ClearFrame(Config{Protocol: CD5220}))
}

func TestMoreFrames(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
		l    peripherals.Lines
		want string
	}{
		{"right-aligned amount", Config{Protocol: CD5220}, peripherals.Lines{"Bergkäse würzig am Stück\t12.34", "TOTAL\t1234.56"},
			"\x1bQABergk\x84se w\x81rzi 12.34\r\x1bQBTOTAL        1234.56\r"},
		{"logic controls", Config{Protocol: LogicControls}, peripherals.Lines{"Milk", "\t0.99"},
			"\x10\x00Milk                \x10\x14                0.99"},
		{"surepos in CP858", Config{Protocol: SurePOS, Columns: 20}, peripherals.Lines{"Grüße €", ""},
			"\x10\x00Gr\x81\xe1e \xd5             \x10\x14                    "},
		{"escpos with the cursor on", Config{Protocol: ESCPOS, Columns: 4, Cursor: true}, peripherals.Lines{"a", "b"},
			"\x1bt\x13\x1fC\x01\x0ba   b   "},
		{"cd5220 vertical scroll: normal mode from home", Config{Protocol: CD5220, Scroll: Vertical, Columns: 8}, peripherals.Lines{"Milk", "\t0.99"},
			"\x0bMilk        0.99"},
		{"cd5220 horizontal scroll: a long first line scrolls, sent last", Config{Protocol: CD5220, Scroll: Horizontal},
			peripherals.Lines{"Bergkäse würzig am Stück, 200 g", "TOTAL\t12.34"},
			"\x1bQBTOTAL          12.34\r\x1bQDBergk\x84se w\x81rzig am St\x81ck, 200 g \r"},
		{"cd5220 horizontal scroll: at most 39 characters and a space", Config{Protocol: CD5220, Scroll: Horizontal},
			peripherals.Lines{"0123456789012345678901234567890123456789XYZ", ""},
			"\x1bQB                    \r\x1bQD012345678901234567890123456789012345678 \r"},
		{"cd5220 horizontal scroll: a line that fits stays in string mode", Config{Protocol: CD5220, Scroll: Horizontal},
			peripherals.Lines{"Milk", ""}, "\x1bQAMilk                \r\x1bQB                    \r"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, escpos.Describe([]byte(tc.want)), escpos.Describe(Frame(tc.cfg, tc.l)))
		})
	}
	setups := []struct {
		name string
		cfg  Config
		want string
	}{
		{"cd5220 dim, cursor on", Config{Protocol: CD5220, Brightness: 2, Cursor: true}, "\x1b_\x01\x1b*\x02"},
		{"cd5220 default", Config{Protocol: CD5220}, "\x1b_\x00"},
		{"cd5220 vertical scroll", Config{Protocol: CD5220, Scroll: Vertical}, "\x1b_\x00\x1b\x12"},
		{"cd5220 horizontal scroll needs no mode", Config{Protocol: CD5220, Scroll: Horizontal}, "\x1b_\x00"},
		{"escpos brightness and vertical scroll", Config{Protocol: ESCPOS, Brightness: 4, Scroll: Vertical}, "\x1fC\x00\x1fX\x04\x1f\x02"},
		{"escpos horizontal scroll, daisy", Config{Protocol: ESCPOS, Scroll: Horizontal, Daisy: true}, "\x1b=\x02\x1fC\x00\x1f\x03\x1b=\x01"},
		{"logic controls brightness 3", Config{Protocol: LogicControls, Brightness: 3}, "\x1f\x11\x14\x04\x60"},
		{"logic controls full, cursor", Config{Protocol: LogicControls, Brightness: 9, Cursor: true}, "\x1f\x11\x13\x04\xff"},
		{"surepos", Config{Protocol: SurePOS}, "\x00\x01\x02\x02\x11\x14"},
	}
	for _, tc := range setups {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, escpos.Describe([]byte(tc.want)), escpos.Describe(SetupFrame(tc.cfg)))
		})
	}
	_, err := New(nil, Config{Protocol: ESCPOS, Scroll: "diagonal"})
	assert.ErrorContains(t, err, "use overwrite, vertical or horizontal")
	_, err = New(nil, Config{Protocol: "aedex"})
	assert.ErrorContains(t, err, "logic-controls")
}

func TestAlignLine(t *testing.T) {
	assert.Equal(t, "TOTAL          12.34", peripherals.AlignLine("TOTAL\t12.34", 20))
	assert.Equal(t, "A very long prod 1.5", peripherals.AlignLine("A very long product name\t1.5", 20))
	assert.Equal(t, "2345678901", peripherals.AlignLine("x\t12345678901", 10), "the amount wins")
	assert.Equal(t, "no tab", peripherals.AlignLine("no tab", 20))
}

func TestCD5220OverPTY(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
		l    peripherals.Lines
		want string // after the clear and the settings
	}{
		{"string mode", Config{Protocol: CD5220}, peripherals.Lines{"Thank you!", "Change\t5.00"},
			"\x1bQAThank you!          \r\x1bQBChange          5.00\r"},
		{"a long first line scrolls", Config{Protocol: CD5220, Scroll: Horizontal}, peripherals.Lines{"Welcome to the demo store, open 8-20", ""},
			"\x1bQB                    \r\x1bQDWelcome to the demo store, open 8-20 \r"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			pair := ptytest.New(t)
			peer := pair.OpenPeer(transport.Line{})
			spec, err := transport.ParseSpec(pair.Dev, transport.Line{})
			require.NoError(t, err)
			d, err := New(transport.NewLink("line display", spec), tc.cfg)
			require.NoError(t, err)
			defer d.Close()
			require.NoError(t, d.Clear(ctx))
			require.NoError(t, d.Show(ctx, tc.l))
			want := append(ClearFrame(tc.cfg), SetupFrame(tc.cfg)...)
			want = append(want, tc.want...)
			got, err := transport.ReadUntil(ctx, peer, "", len(want), time.Second)
			for err == nil && len(got) < len(want) {
				var more []byte
				more, err = transport.ReadUntil(ctx, peer, "", len(want)-len(got), time.Second)
				got = append(got, more...)
			}
			require.NoError(t, err)
			assert.Equal(t, escpos.Describe(want), escpos.Describe(got))
			assert.Equal(t, tc.l, d.Shown())
			assert.Equal(t, 20, d.Columns())
		})
	}
}
