package andscale_test

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/extensions/andscale"
	"github.com/opentill/opentill/internal/ptytest"
	"github.com/opentill/opentill/peripherals"
	"github.com/opentill/opentill/peripherals/profile"
	"github.com/opentill/opentill/peripherals/transport"
	"github.com/opentill/opentill/pos/catalog"
	"github.com/opentill/opentill/pos/poserr"
)

func TestParse(t *testing.T) {
	tests := []struct {
		name, frame, unit string
		want              catalog.Qty
		stable            bool
		key               string // error key, "" for a weight
	}{
		{"stable kg", "ST,+0001.450 kg\r\n", "kg", 1450, true, ""},
		{"unstable kg", "US,+0001.452 kg\r\n", "kg", 1452, false, ""},
		{"grams", "ST,+00123.45  g\r\n", "kg", 123, true, ""},
		{"grams round half up", "ST,+00123.50  g\r\n", "kg", 124, true, ""},
		{"zero", "ST,+0000.000 kg\r\n", "kg", 0, true, ""},
		{"minus zero", "ST,-0000.000 kg\r\n", "kg", 0, true, ""},
		{"pounds", "ST,+0003.215 lb\r\n", "lb", 3215, true, ""},
		{"no terminator", "ST,+0001.450 kg", "kg", 1450, true, ""},
		{"overload", "OL,+9999999E kg\r\n", "kg", 0, false, peripherals.KeyScaleOver},
		{"below zero", "ST,-0000.120 kg\r\n", "kg", 0, false, peripherals.KeyScaleUnder},
		{"other unit", "ST,+0001.450 lb\r\n", "kg", 0, false, "error.scale.unit"},
		{"counting", "QT,+0000012 PC\r\n", "kg", 0, false, peripherals.KeyBadFrame},
		{"unknown header", "XX,+0001.450 kg\r\n", "kg", 0, false, peripherals.KeyBadFrame},
		{"no comma", "ST+0001.450 kg\r\n", "kg", 0, false, peripherals.KeyBadFrame},
		{"letters", "ST,+00A1.450 kg\r\n", "kg", 0, false, peripherals.KeyBadFrame},
		{"cut", "ST,+0001\r\n", "kg", 0, false, peripherals.KeyBadFrame},
		{"noise", "\x00\xff\x13", "kg", 0, false, peripherals.KeyBadFrame},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			w, err := andscale.Parse([]byte(tc.frame), tc.unit)
			if tc.key != "" {
				require.Error(t, err)
				var pe *poserr.Error
				require.ErrorAs(t, err, &pe)
				assert.Equal(t, tc.key, pe.Key)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, w.Value)
			assert.Equal(t, tc.stable, w.Stable)
			assert.Equal(t, tc.unit, w.Unit)
		})
	}
}

// FuzzParse: any bytes give a weight or an error, never a panic, and a
// weight is never negative.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"ST,+0001.450 kg\r\n", "US,+00123.45  g\r\n", "OL,+9999999E kg\r\n", "ST,-.\r\n"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		w, err := andscale.Parse(b, "kg")
		if err == nil {
			assert.GreaterOrEqual(t, int64(w.Value), int64(0))
		}
	})
}

// TestFromAHardwareProfile: a profile names the extension's driver, the
// till opens it like a built-in one, and a scale on a serial line answers
// the Q command with real records (split in two writes, then moving, then
// stable, then over the profile's capacity).
func TestFromAHardwareProfile(t *testing.T) {
	pair := ptytest.New(t)
	dev := pair.Dev
	p, err := profile.Parse([]byte("[scale]\ndriver = \"" + andscale.Driver + "\"\nport = \"" + dev + "\"\nunit = \"kg\"\ncapacity = 6\n"))
	require.NoError(t, err, "the profile accepts the extension's driver")
	devs, err := profile.Open(context.Background(), p, profile.Options{})
	require.NoError(t, err)
	defer devs.Close()
	require.NotNil(t, devs.Scale)

	s := pair.OpenPeer(transport.Line{Baud: 2400, DataBits: 7, Parity: "E", StopBits: 1})
	answers := [][]string{{"US,+0001.4", "52 kg\r\n"}, {"ST,+0001.450 kg\r\n"}, {"ST,+0007.000 kg\r\n"}}
	go func() {
		for _, parts := range answers {
			got, err := transport.ReadUntil(context.Background(), s, "\n", 16, 5*time.Second)
			if err != nil || !bytes.Equal(got, andscale.Request) {
				return
			}
			for _, part := range parts {
				_, _ = s.Write([]byte(part))
				time.Sleep(20 * time.Millisecond)
			}
		}
	}()
	ctx := context.Background()
	w, err := devs.Scale.Read(ctx)
	require.NoError(t, err)
	assert.Equal(t, peripherals.Weight{Value: 1452, Unit: "kg"}, w, "moving")
	w, err = devs.Scale.Read(ctx)
	require.NoError(t, err)
	assert.Equal(t, peripherals.Weight{Value: 1450, Unit: "kg", Stable: true}, w)
	_, err = devs.Scale.Read(ctx)
	var pe *poserr.Error
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, peripherals.KeyScaleOver, pe.Key, "7 kg on a 6 kg profile")

	_, err = profile.Parse([]byte("[scale]\ndriver = \"acme.nothing\"\nport = \"" + dev + "\"\n"))
	require.Error(t, err)
	assert.Contains(t, err.Error(), andscale.Driver, "an unknown driver's error lists the added ones")
}

func TestDriverNamesAreNamespacedAndOnce(t *testing.T) {
	assert.Panics(t, func() {
		profile.RegisterScale(profile.ScaleDriver{Name: andscale.Driver, New: func(*transport.Link, profile.Scale) (peripherals.Scale, error) { return nil, nil }})
	}, "twice")
	assert.Panics(t, func() {
		profile.RegisterDisplay(profile.DisplayDriver{Name: "bizerba", New: func(*transport.Link, profile.Display) (peripherals.LineDisplay, error) { return nil, nil }})
	}, "no vendor prefix")
	scales, _ := profile.Drivers()
	assert.Contains(t, scales, andscale.Driver)
}
