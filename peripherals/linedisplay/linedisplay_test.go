package linedisplay

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/peripherals"
	"github.com/opentill/opentill/peripherals/escpos"
	"github.com/opentill/opentill/peripherals/internal/ptytest"
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

func TestCD5220OverPTY(t *testing.T) {
	ctx := context.Background()
	pair := ptytest.New(t)
	peer := pair.OpenPeer(transport.Line{})
	spec, err := transport.ParseSpec(pair.Dev, transport.Line{})
	require.NoError(t, err)
	d, err := New(transport.NewLink("line display", spec), Config{Protocol: CD5220})
	require.NoError(t, err)
	defer d.Close()
	require.NoError(t, d.Clear(ctx))
	require.NoError(t, d.Show(ctx, peripherals.Lines{"Thank you!", "Change 5.00"}))
	want := append(ClearFrame(Config{Protocol: CD5220}), Frame(Config{Protocol: CD5220}, peripherals.Lines{"Thank you!", "Change 5.00"})...)
	got, err := transport.ReadUntil(ctx, peer, "", len(want), time.Second)
	for err == nil && len(got) < len(want) {
		var more []byte
		more, err = transport.ReadUntil(ctx, peer, "", len(want)-len(got), time.Second)
		got = append(got, more...)
	}
	require.NoError(t, err)
	assert.Equal(t, escpos.Describe(want), escpos.Describe(got))
	assert.Equal(t, peripherals.Lines{"Thank you!", "Change 5.00"}, d.Shown())
	assert.Equal(t, 20, d.Columns())
}
