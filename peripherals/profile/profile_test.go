package profile

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/peripherals"
	"github.com/opentill/opentill/peripherals/escpos"
	"github.com/opentill/opentill/peripherals/internal/fixtures"
	"github.com/opentill/opentill/peripherals/transport"
)

func TestDemoProfile(t *testing.T) {
	ctx := context.Background()
	p := Demo()
	dir := t.TempDir()
	d, err := Open(ctx, p, Options{BaseDir: dir})
	require.NoError(t, err)
	defer d.Close()
	require.NotNil(t, d.VirtualPrinter)
	require.NotNil(t, d.VirtualScale)
	require.NotNil(t, d.VirtualDrawer)
	require.NotNil(t, d.VirtualDisplay)
	require.NotNil(t, d.Simulator)
	assert.Nil(t, d.Scanner, "the demo scans with the keyboard")
	assert.Equal(t, 60*time.Second, d.DrawerWarning)
	assert.True(t, d.ManualWeight)
	assert.Equal(t, peripherals.Lines{"Welcome to", "OpenTill"}, d.Idle)

	require.NoError(t, d.Printer.PrintReceipt(ctx, fixtures.Receipt("fr")))
	for _, ext := range []string{".txt", ".png", ".bin"} {
		_, err := os.Stat(filepath.Join(dir, "receipts", "receipt-S001-T01-000042"+ext))
		assert.NoError(t, err, ext)
	}
	last, text, png := d.VirtualPrinter.Last()
	require.NotNil(t, last)
	assert.Contains(t, text, "Épicerie Côté Jardin")
	assert.FileExists(t, png)
}

func TestExampleProfileOpensWithoutHardware(t *testing.T) {
	p, err := Parse(ExampleTOML())
	require.NoError(t, err)
	d, err := Open(context.Background(), p, Options{})
	require.NoError(t, err, "ports open lazily")
	defer d.Close()
	assert.IsType(t, &escpos.Printer{}, d.Printer)
	assert.IsType(t, &escpos.Drawer{}, d.Drawer)
	assert.NotNil(t, d.Scanner)
	assert.NotNil(t, d.Scale)
	assert.NotNil(t, d.Display)
}

func TestBadProfiles(t *testing.T) {
	tests := []struct {
		name, toml, want string
	}{
		{"not toml", "[printer", "not valid TOML"},
		{"typo", "[printer]\ndriver = \"virtual\"\ncolums = 42\n", "unknown settings printer.colums"},
		{"unknown driver", "[scale]\ndriver = \"bizerba\"\nport = \"/dev/ttyS0\"\n", "[scale] driver \"bizerba\" is unknown"},
		{"no port", "[printer]\ndriver = \"escpos\"\n", "[printer] driver \"escpos\" needs a port"},
		{"bad line", "[scale]\ndriver = \"toledo8217\"\nport = \"/dev/ttyS0\"\nline = \"9600 9X1\"\n", "write them as baud and frame"},
		{"bad code page", "[printer]\ndriver = \"virtual\"\ncode_page = \"cp999\"\n", "unknown code page"},
		{"drawer without printer", "[drawer]\ndriver = \"printer\"\n", "needs a [printer] section"},
		{"bad pin", "[printer]\ndriver = \"virtual\"\n[drawer]\ndriver = \"printer\"\npin = 3\n", "pin 3: use 2 or 5"},
		{"bad hex", "[drawer]\ndriver = \"serial\"\nport = \"/dev/ttyS0\"\nopen_bytes = \"zz\"\n", "as hex"},
		{"bad duration", "[scale]\ndriver = \"virtual\"\nstable_timeout = \"soon\"\n", "not a duration"},
		{"bad outcome", "[payment]\ndriver = \"simulator\"\noutcome = \"maybe\"\n", "unknown terminal outcome"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse([]byte(tc.toml))
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
	_, err := Load(filepath.Join(t.TempDir(), "missing.toml"))
	assert.ErrorContains(t, err, "reading the hardware profile")
}

// The Windows example profile is valid and names its serial devices COM3 …
func TestExampleWindowsProfile(t *testing.T) {
	p, err := Parse(ExampleWindowsTOML())
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	s, err := transport.ParseSpec(p.Scale.Port, transport.Line{})
	if err != nil {
		t.Fatal(err)
	}
	if s.Kind != transport.Serial || s.Address != "COM3" {
		t.Errorf("scale port: %+v, want serial COM3", s)
	}
	if bytes.Contains(ExampleWindowsTOML(), []byte("/dev/tty")) {
		t.Error("the Windows example names a Linux device")
	}
}
