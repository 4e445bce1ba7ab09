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
	"github.com/opentill/opentill/peripherals/scale"
	"github.com/opentill/opentill/peripherals/transport"
	"github.com/opentill/opentill/peripherals/zvt"
	"github.com/opentill/opentill/pos/money"
	"github.com/opentill/opentill/pos/tender"
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
	assert.Equal(t, peripherals.Lines{"Welcome", ""}, d.Idle, "English until the station greets in the store's language")
	assert.False(t, d.IdleSet)

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

func TestScaleSettings(t *testing.T) {
	p, err := Parse([]byte("[scale]\ndriver = \"cas-pd2\"\nport = \"/dev/ttyS0\"\ndecimals = 2\ncapacity = 6\n"))
	require.NoError(t, err)
	d, err := Open(context.Background(), p, Options{})
	require.NoError(t, err)
	defer d.Close()
	sc := d.Scale.(*scale.Scale)
	assert.Equal(t, scale.Format{Unit: "kg", Decimals: 2, Capacity: 6000}, sc.Format())

	p, err = Parse([]byte("[scale]\ndriver = \"dialog04\"\nport = \"/dev/ttyS0\"\nchecksum_key = \"1A2B3\"\n"))
	require.NoError(t, err, "dialog04 profiles still load")
	d, err = Open(context.Background(), p, Options{})
	require.NoError(t, err)
	defer d.Close()
	_, ok := d.Scale.(peripherals.PriceScale)
	assert.True(t, ok, "dialog04 is read as the price-computing Dialog 06")
}

func TestStarPrinter(t *testing.T) {
	p, err := Parse([]byte("[printer]\ndriver = \"escpos\"\nport = \"192.0.2.1:9100\"\ndialect = \"star\"\nqr_level = \"H\"\n"))
	require.NoError(t, err)
	d, err := Open(context.Background(), p, Options{})
	require.NoError(t, err)
	defer d.Close()
	l := d.Printer.(*escpos.Printer).Layout()
	assert.Equal(t, escpos.StarLine, l.Dialect)
	assert.Equal(t, escpos.QRLevelH, l.QRLevel)
	st, err := d.Printer.Status(context.Background())
	require.NoError(t, err, "no DLE EOT to a Star printer")
	assert.True(t, st.Online)
}

func TestZVTProfiles(t *testing.T) {
	ctx := context.Background()
	d, err := Open(ctx, DemoZVT(), Options{BaseDir: t.TempDir()})
	require.NoError(t, err)
	defer d.Close()
	require.NotNil(t, d.ZVTSimulator)
	assert.IsType(t, &zvt.Terminal{}, d.Payment)
	ap, err := d.Payment.Authorize(ctx, tender.Request{Amount: 1, Currency: money.EUR, Reference: "demo/1"})
	require.NoError(t, err, "the ZVT driver pays at the simulator")
	assert.Equal(t, "************4242", ap.MaskedPAN)
	require.NoError(t, d.Payment.Void(ctx, ap.Reference))
	assert.Zero(t, d.ZVTSimulator.Charged())

	p, err := Parse([]byte("[payment]\ndriver = \"zvt\"\nport = \"127.0.0.1\"\ncurrency = \"chf\"\n"))
	require.NoError(t, err)
	d2, err := Open(ctx, p, Options{})
	require.NoError(t, err, "ports open lazily")
	defer d2.Close()
	_, err = d2.Payment.Authorize(ctx, tender.Request{Amount: 100, Currency: money.EUR})
	assert.ErrorContains(t, err, "set up for CHF")
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
		{"bad dialect", "[printer]\ndriver = \"virtual\"\ndialect = \"zpl\"\n", "use escpos or star"},
		{"star with status", "[printer]\ndriver = \"escpos\"\nport = \"192.0.2.1:9100\"\ndialect = \"star\"\nstatus = true\n", "do not answer DLE EOT"},
		{"bad qr level", "[printer]\ndriver = \"virtual\"\nqr_level = \"Z\"\n", "use L, M, Q or H"},
		{"bad brightness", "[display]\ndriver = \"cd5220\"\nport = \"/dev/ttyS0\"\nbrightness = 7\n", "brightness 7"},
		{"bad scroll", "[display]\ndriver = \"escpos\"\nport = \"/dev/ttyS0\"\nscroll = \"up\"\n", "scroll \"up\""},
		{"bad decimals", "[scale]\ndriver = \"cas-pd2\"\nport = \"/dev/ttyS0\"\ndecimals = 5\n", "decimals 5: use 1, 2 or 3"},
		{"bad capacity", "[scale]\ndriver = \"cas-pd2\"\nport = \"/dev/ttyS0\"\ncapacity = -1\n", "capacity -1"},
		{"bad checksum key", "[scale]\ndriver = \"dialog06\"\nport = \"/dev/ttyS0\"\nchecksum_key = \"xyz\"\n", "checksum_key \"xyz\""},
		{"zvt without port", "[payment]\ndriver = \"zvt\"\n", "[payment] driver \"zvt\" needs a port"},
		{"zvt password", "[payment]\ndriver = \"zvt\"\nport = \"192.0.2.1\"\npassword = \"12ab\"\n", "six digits"},
		{"zvt currency", "[payment]\ndriver = \"zvt\"\nport = \"192.0.2.1\"\ncurrency = \"XYZ\"\n", "no ISO 4217 number"},
		{"zvt simulator outcome", "[payment]\ndriver = \"zvt-simulator\"\noutcome = \"maybe\"\n", "card-removed"},
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
