// Package profile reads hardware profiles: TOML files that say which device
// of each category the till has, which driver speaks to it and on which
// port. Open turns a profile into peripherals. Demo is a profile of virtual
// devices that needs no hardware; example.toml beside this file shows every
// setting for real devices.
package profile

import (
	"bytes"
	"cmp"
	"context"
	_ "embed"
	"errors"
	"fmt"
	"image"
	_ "image/png" // logos are PNG files
	"math"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/BurntSushi/toml"

	"github.com/opentill/opentill/peripherals"
	"github.com/opentill/opentill/peripherals/drawer"
	"github.com/opentill/opentill/peripherals/escpos"
	"github.com/opentill/opentill/peripherals/linedisplay"
	"github.com/opentill/opentill/peripherals/paysim"
	"github.com/opentill/opentill/peripherals/scale"
	"github.com/opentill/opentill/peripherals/scanner"
	"github.com/opentill/opentill/peripherals/transport"
	"github.com/opentill/opentill/peripherals/virtual"
	"github.com/opentill/opentill/peripherals/zvt"
	"github.com/opentill/opentill/peripherals/zvt/zvtsim"
	"github.com/opentill/opentill/pos/catalog"
	"github.com/opentill/opentill/pos/money"
	"github.com/opentill/opentill/pos/receipt"
)

// Duration is a time.Duration written as "30s" or "1.5s".
type Duration struct{ time.Duration }

// UnmarshalText reads a duration.
func (d *Duration) UnmarshalText(b []byte) error {
	v, err := time.ParseDuration(string(b))
	if err != nil {
		return fmt.Errorf("%q is not a duration: write it like \"30s\" or \"500ms\"", b)
	}
	d.Duration = v
	return nil
}

// MarshalText writes a duration.
func (d Duration) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// Profile is a till's hardware. A missing section means no such device.
type Profile struct {
	Name    string   `toml:"name"`
	Printer *Printer `toml:"printer"`
	Drawer  *Drawer  `toml:"drawer"`
	Scanner *Scanner `toml:"scanner"`
	Scale   *Scale   `toml:"scale"`
	Display *Display `toml:"display"`
	Payment *Payment `toml:"payment"`

	meta toml.MetaData // which keys the file set
}

// Printer is the receipt printer's section.
type Printer struct {
	Driver   string `toml:"driver"`         // "escpos" or "virtual"
	Dialect  string `toml:"dialect"`        // "escpos" (default) or "star" (Star line mode)
	Port     string `toml:"port"`           // "192.0.2.10:9100", "/dev/usb/lp0", "/dev/ttyUSB0"
	Line     string `toml:"line"`           // serial settings, e.g. "19200 8N1"
	Columns  int    `toml:"columns"`        // 42 (default) or 48; 32 on 58 mm paper
	FontB    bool   `toml:"font_b"`         // print in font B
	CodePage string `toml:"code_page"`      // cp858 (default), cp437, cp850, cp852, cp1252, cp866, iso8859-15…
	Cut      string `toml:"cut"`            // "partial" (default) or "full"
	Logo     string `toml:"logo"`           // PNG printed at the top of receipts
	Barcode  string `toml:"barcode"`        // "code128" (default), "ean13", "ean8", "upca" or "none"
	QR       *bool  `toml:"qr"`             // QR code of the receipt number; default true
	QRLevel  string `toml:"qr_level"`       // QR error correction: L, M (default), Q or H
	StarPage int    `toml:"star_code_page"` // star: the ESC GS t number, when the model numbers its tables otherwise
	Status   *bool  `toml:"status"`         // ask DLE EOT status before printing; default true except on device files
	Dir      string `toml:"dir"`            // virtual: folder for the text, PNG and ESC/POS files
}

// Drawer is the cash drawer's section.
type Drawer struct {
	Driver      string   `toml:"driver"`       // "printer" (kicked through the printer), "serial" or "virtual"
	Pin         int      `toml:"pin"`          // printer: 2 (default) or 5
	PulseMS     int      `toml:"pulse_ms"`     // printer: pulse length; default 100
	Port        string   `toml:"port"`         // serial
	Line        string   `toml:"line"`         // serial
	OpenBytes   string   `toml:"open_bytes"`   // serial: hex command that opens; default "07"
	StatusBytes string   `toml:"status_bytes"` // serial: hex status request; empty when the drawer cannot tell
	OpenReply   string   `toml:"open_reply"`   // serial: hex answer meaning open
	ShutReply   string   `toml:"shut_reply"`   // serial: hex answer meaning closed
	OpenHigh    *bool    `toml:"open_high"`    // printer: pin 3 high means open; default true
	OpenWarning Duration `toml:"open_warning"` // warn when open longer; default 60s; 0s to never warn
}

// Scanner is the serial scanner's section.
type Scanner struct {
	Driver string   `toml:"driver"` // "serial" ("none" or no section for keyboard-wedge scanners)
	Port   string   `toml:"port"`
	Line   string   `toml:"line"`
	Prefix string   `toml:"prefix"` // e.g. "\u0002"
	Suffix string   `toml:"suffix"` // e.g. "\u0003"; empty means CR, LF or CR LF
	Repeat Duration `toml:"repeat"` // drop the same code again within this window; default 300ms
}

// Scale is the scale's section.
type Scale struct {
	Driver        string   `toml:"driver"` // "toledo8217", "cas-pd2", "dialog06", "dialog1" or "virtual" ("dialog04" is read as dialog06)
	Port          string   `toml:"port"`
	Line          string   `toml:"line"`           // default: the protocol's (9600 7E1; Dialog 06 9600 7O1; Dialog 1 4800 8O1)
	Unit          string   `toml:"unit"`           // "kg" (default) or "lb"
	Decimals      int      `toml:"decimals"`       // CAS PD-II, Dialog 1: decimals of a weight sent without a point; default 3 ("1450" is 1.450)
	Capacity      float64  `toml:"capacity"`       // heaviest weight accepted, in unit; default 15 kg / 30 lb for CAS PD-II and Dialog 1
	ChecksumKey   string   `toml:"checksum_key"`   // Dialog 06: hex generator of the checksum exchange, from the scale's dealer
	StableTimeout Duration `toml:"stable_timeout"` // wait for a stable weight; default 5s
	ManualEntry   bool     `toml:"manual_entry"`   // the cashier may key a weight in when the scale fails
}

// Display is the line display's section.
type Display struct {
	Driver     string `toml:"driver"` // "cd5220", "escpos", "logic-controls", "surepos" or "virtual"
	Port       string `toml:"port"`
	Line       string `toml:"line"`
	Columns    int    `toml:"columns"`    // default 20
	Brightness int    `toml:"brightness"` // 1 (dim) to 4 (full); default: the display's own
	Cursor     bool   `toml:"cursor"`     // show the cursor; default hidden
	Scroll     string `toml:"scroll"`     // escpos, cd5220: overwrite (default), vertical or horizontal
	CodePage   string `toml:"code_page"`  // default cp437 (CD5220) or cp858 (ESC/POS)
	Daisy      bool   `toml:"daisy"`      // ESC/POS display chained behind the printer
	Idle       string `toml:"idle"`       // idle message, two lines separated by "|"
}

// Payment is the payment terminal's section.
type Payment struct {
	Driver   string   `toml:"driver"`   // "zvt", "zvt-simulator" or "simulator"
	Port     string   `toml:"port"`     // zvt: "192.0.2.20:20007" (TCP; the port defaults to 20007) or a serial port
	Line     string   `toml:"line"`     // zvt on a serial port; default "9600 8N2"
	Password string   `toml:"password"` // zvt: the terminal's six-digit password; default "000000"
	Currency string   `toml:"currency"` // zvt: ISO 4217 code of the amounts; default "EUR"
	Timeout  Duration `toml:"timeout"`  // zvt: longest silence of the terminal during a payment; default 180s
	Outcome  string   `toml:"outcome"`  // simulators: approve (default), decline, timeout or unreachable (paysim); zvt-simulator also card-removed, lost-reply
	Delay    Duration `toml:"delay"`    // simulators: processing time
}

//go:embed demo.toml
var demoTOML []byte

//go:embed example.toml
var exampleTOML []byte

//go:embed demo-zvt.toml
var demoZVTTOML []byte

// DemoZVT returns the demo profile with a ZVT terminal simulator behind
// the real ZVT driver instead of the plain payment simulator.
func DemoZVT() *Profile {
	p, err := Parse(demoZVTTOML)
	if err != nil {
		panic("profile: demo-zvt.toml: " + err.Error())
	}
	return p
}

//go:embed example-windows.toml
var exampleWindowsTOML []byte

// Demo returns the demo profile: every device virtual.
func Demo() *Profile {
	p, err := Parse(demoTOML)
	if err != nil {
		panic("profile: demo.toml: " + err.Error())
	}
	return p
}

// DemoTOML is the demo profile file (virtual devices).
func DemoTOML() []byte { return bytes.Clone(demoTOML) }

// ExampleTOML is the example profile file for real devices, every setting
// explained.
func ExampleTOML() []byte { return bytes.Clone(exampleTOML) }

// ExampleWindowsTOML is ExampleTOML with Windows port names (COM3 …): the
// Windows zip ships it as profiles\example-windows.toml.
func ExampleWindowsTOML() []byte { return bytes.Clone(exampleWindowsTOML) }

// Load reads and checks a profile file.
func Load(path string) (*Profile, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading the hardware profile: %w", err)
	}
	p, err := Parse(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return p, nil
}

// Parse reads and checks a profile. Unknown keys are errors, so a typo
// does not silently leave a device unconfigured.
func Parse(b []byte) (*Profile, error) {
	var p Profile
	md, err := toml.Decode(string(b), &p)
	if err != nil {
		return nil, fmt.Errorf("the hardware profile is not valid TOML: %w", err)
	}
	if und := md.Undecoded(); len(und) > 0 {
		keys := make([]string, len(und))
		for i, k := range und {
			keys[i] = k.String()
		}
		return nil, fmt.Errorf("the hardware profile has unknown settings %s: check their spelling against example.toml", strings.Join(keys, ", "))
	}
	p.meta = md
	return &p, p.Validate()
}

// Validate checks drivers, ports and settings, naming the section at fault.
func (p *Profile) Validate() error {
	var errs []error
	bad := func(section, format string, args ...any) {
		errs = append(errs, fmt.Errorf("[%s] %s", section, fmt.Sprintf(format, args...)))
	}
	needPort := func(section, driver, port string) {
		if port == "" {
			bad(section, "driver %q needs a port", driver)
		}
	}
	line := func(section, s string) {
		if _, err := transport.ParseLine(s, transport.Line{}); err != nil {
			bad(section, "%v", err)
		}
	}
	if pr := p.Printer; pr != nil {
		switch pr.Driver {
		case "escpos":
			needPort("printer", pr.Driver, pr.Port)
		case "virtual":
		default:
			bad("printer", "driver %q is unknown: use escpos or virtual", pr.Driver)
		}
		line("printer", pr.Line)
		if _, err := escpos.LookupCodePage(pr.CodePage); err != nil {
			bad("printer", "%v", err)
		}
		if pr.Cut != "" && pr.Cut != "partial" && pr.Cut != "full" {
			bad("printer", "cut %q: use partial or full", pr.Cut)
		}
		switch pr.Barcode {
		case "", "code128", "ean13", "ean8", "upca", "none":
		default:
			bad("printer", "barcode %q: use code128, ean13, ean8, upca or none", pr.Barcode)
		}
		d, err := escpos.ParseDialect(pr.Dialect)
		if err != nil {
			bad("printer", "%v", err)
		}
		if d == escpos.StarLine && pr.Status != nil && *pr.Status {
			bad("printer", "status = true: Star line-mode printers do not answer DLE EOT; set status = false")
		}
		if _, err := escpos.ParseQRLevel(pr.QRLevel); err != nil {
			bad("printer", "%v", err)
		}
		if pr.StarPage < 0 || pr.StarPage > 255 {
			bad("printer", "star_code_page %d: give the ESC GS t number from the printer's manual", pr.StarPage)
		}
		if pr.Columns != 0 && (pr.Columns < 24 || pr.Columns > 80) {
			bad("printer", "columns %d: use 32, 42 or 48", pr.Columns)
		}
	}
	if d := p.Drawer; d != nil {
		switch d.Driver {
		case "printer":
			if p.Printer == nil {
				bad("drawer", "driver printer needs a [printer] section")
			}
			if d.Pin != 0 && d.Pin != 2 && d.Pin != 5 {
				bad("drawer", "pin %d: use 2 or 5", d.Pin)
			}
		case "serial":
			needPort("drawer", d.Driver, d.Port)
			for _, h := range []string{d.OpenBytes, d.StatusBytes, d.OpenReply, d.ShutReply} {
				if _, err := drawer.ParseHex(h); err != nil {
					bad("drawer", "%v", err)
				}
			}
			if d.StatusBytes != "" && (d.OpenReply == "" || d.ShutReply == "") {
				bad("drawer", "status_bytes needs open_reply and shut_reply")
			}
		case "virtual":
		default:
			bad("drawer", "driver %q is unknown: use printer, serial or virtual", d.Driver)
		}
		line("drawer", d.Line)
	}
	if s := p.Scanner; s != nil {
		switch s.Driver {
		case "serial":
			needPort("scanner", s.Driver, s.Port)
		case "none", "":
		default:
			bad("scanner", "driver %q is unknown: use serial (keyboard-wedge scanners need no section)", s.Driver)
		}
		line("scanner", s.Line)
	}
	if s := p.Scale; s != nil {
		switch s.Driver {
		case string(scale.Toledo8217), string(scale.CASPD2), string(scale.Dialog06), string(scale.Dialog1), string(scale.Dialog04):
			needPort("scale", s.Driver, s.Port)
		case "virtual":
		default:
			if _, ok := scaleDriver(s.Driver); ok {
				needPort("scale", s.Driver, s.Port)
				break
			}
			added, _ := Drivers()
			bad("scale", "driver %q is unknown: use toledo8217, cas-pd2, dialog06, dialog1, virtual%s", s.Driver, extraNames(added))
		}
		if s.Unit != "" && s.Unit != "kg" && s.Unit != "lb" {
			bad("scale", "unit %q: use kg or lb", s.Unit)
		}
		if s.Decimals < 0 || s.Decimals > 3 {
			bad("scale", "decimals %d: use 1, 2 or 3 (3 reads \"1450\" as 1.450)", s.Decimals)
		}
		if s.Capacity < 0 || s.Capacity > 1000 {
			bad("scale", "capacity %g: give the heaviest weight the scale takes, in its unit (e.g. 15)", s.Capacity)
		}
		if _, err := checksumKey(s.ChecksumKey); err != nil {
			bad("scale", "%v", err)
		}
		line("scale", s.Line)
	}
	if d := p.Display; d != nil {
		switch d.Driver {
		case string(linedisplay.CD5220), string(linedisplay.ESCPOS), string(linedisplay.LogicControls), string(linedisplay.SurePOS):
			needPort("display", d.Driver, d.Port)
		case "virtual":
		default:
			if _, ok := displayDriver(d.Driver); ok {
				needPort("display", d.Driver, d.Port)
				break
			}
			_, added := Drivers()
			bad("display", "driver %q is unknown: use cd5220, escpos, logic-controls, surepos, virtual%s", d.Driver, extraNames(added))
		}
		if d.Brightness < 0 || d.Brightness > 4 {
			bad("display", "brightness %d: use 1 (dim) to 4 (full)", d.Brightness)
		}
		switch d.Scroll {
		case "", linedisplay.Overwrite, linedisplay.Vertical, linedisplay.Horizontal:
		default:
			bad("display", "scroll %q: use overwrite, vertical or horizontal", d.Scroll)
		}
		if d.CodePage != "" {
			if _, err := escpos.LookupCodePage(d.CodePage); err != nil {
				bad("display", "%v", err)
			}
		}
		line("display", d.Line)
	}
	if pm := p.Payment; pm != nil {
		switch pm.Driver {
		case "simulator":
			if _, err := paysim.ParseOutcome(pm.Outcome); err != nil {
				bad("payment", "%v", err)
			}
		case "zvt-simulator":
			if _, err := zvtsim.ParseOutcome(pm.Outcome); err != nil {
				bad("payment", "%v", err)
			}
		case "zvt":
			needPort("payment", pm.Driver, pm.Port)
			if _, err := zvtConfig(pm); err != nil {
				bad("payment", "%v", err)
			}
		default:
			bad("payment", "driver %q is unknown: use zvt, zvt-simulator or simulator", pm.Driver)
		}
		line("payment", pm.Line)
	}
	return errors.Join(errs...)
}

// Options tune Open.
type Options struct {
	// BaseDir resolves relative paths (the virtual printer's dir, the logo);
	// usually the till's data folder.
	BaseDir string
	// Money formats amounts in the devices' messages for the store's
	// locale (the payment terminal's "approved 12,34 € instead of …");
	// nil = the plain decimal.
	Money func(money.Amount) string
}

// Devices are the opened devices of a profile; a nil field means none.
// Ports open lazily on first use and reopen after a failure, so a device
// that is off at start-up works once it is switched on.
type Devices struct {
	Printer peripherals.POSPrinter
	Drawer  peripherals.CashDrawer
	Scanner peripherals.Scanner
	Scale   peripherals.Scale
	Display peripherals.LineDisplay
	Payment peripherals.PaymentTerminal

	DrawerWarning time.Duration // warn when the drawer stays open longer; 0 = never
	StableTimeout time.Duration // wait this long for a stable weight
	ManualWeight  bool          // the cashier may key a weight in
	Idle          peripherals.Lines
	// IdleSet says the profile names the idle message; otherwise the
	// station shows its translated one (devices.Texts.Idle) when it has it.
	IdleSet bool

	// The virtual twins in use, for the demo's controls (nil when real).
	VirtualPrinter *virtual.Printer
	VirtualScale   *virtual.Scale
	VirtualDrawer  *virtual.Drawer
	VirtualDisplay *virtual.Display
	Simulator      *paysim.Terminal
	ZVTSimulator   *zvtsim.Sim // driver "zvt-simulator": the simulated terminal behind Payment
}

// Close closes every port.
func (d *Devices) Close() error {
	var errs []error
	for _, c := range []interface{ Close() error }{d.Printer, d.Drawer, d.Scanner, d.Scale, d.Display} {
		if c != nil {
			errs = append(errs, c.Close())
		}
	}
	if c, ok := d.Payment.(interface{ Close() error }); ok {
		errs = append(errs, c.Close())
	}
	if d.ZVTSimulator != nil {
		errs = append(errs, d.ZVTSimulator.Close())
	}
	return errors.Join(errs...)
}

func (o Options) path(p string) string {
	if p == "" || filepath.IsAbs(p) || o.BaseDir == "" {
		return p
	}
	return filepath.Join(o.BaseDir, p)
}

func spec(section, port, line string, def transport.Line) (transport.Spec, error) {
	l, err := transport.ParseLine(line, def)
	if err != nil {
		return transport.Spec{}, fmt.Errorf("[%s] %w", section, err)
	}
	s, err := transport.ParseSpec(port, l)
	if err != nil {
		return transport.Spec{}, fmt.Errorf("[%s] %w", section, err)
	}
	return s, nil
}

// ReceiptLayoutsDir is the folder in the data folder (Options.BaseDir)
// whose sale.toml, return.toml, gift.toml, x.toml and z.toml replace the
// shipped receipt layouts (docs/receipts.md).
const ReceiptLayoutsDir = "receipts"

// ZVTPendingFile is the file in the data folder (Options.BaseDir) that
// keeps a card payment whose outcome the ZVT terminal has not told yet
// across a restart of the till.
const ZVTPendingFile = "zvt-pending.json"

// zvtPending is where a ZVT terminal keeps its unsettled payment: the data
// folder, or nowhere (memory only) without one.
func (o Options) zvtPending() string {
	if o.BaseDir == "" {
		return ""
	}
	return filepath.Join(o.BaseDir, ZVTPendingFile)
}

// Open builds the devices of a profile. It does not touch the hardware:
// use posctl devices test (or each device's methods) to check it.
func Open(ctx context.Context, p *Profile, o Options) (*Devices, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	d := &Devices{Idle: peripherals.Lines{"Welcome", ""}, StableTimeout: 5 * time.Second, DrawerWarning: 60 * time.Second}
	var esc *escpos.Printer
	if pr := p.Printer; pr != nil {
		layouts := receipt.DefaultLayouts()
		if o.BaseDir != "" {
			ls, err := receipt.LoadLayouts(filepath.Join(o.BaseDir, ReceiptLayoutsDir))
			if err != nil {
				return nil, fmt.Errorf("[printer] %w", err)
			}
			layouts = ls
		}
		switch pr.Driver {
		case "virtual":
			d.VirtualPrinter = virtual.NewPrinter(o.path(pr.Dir), pr.Columns)
			d.VirtualPrinter.Layouts = layouts
			d.Printer = d.VirtualPrinter
		case "escpos":
			s, err := spec("printer", pr.Port, pr.Line, transport.Line{})
			if err != nil {
				return nil, err
			}
			cp, _ := escpos.LookupCodePage(pr.CodePage)   // checked by Validate above
			dialect, _ := escpos.ParseDialect(pr.Dialect) // checked by Validate above
			level, _ := escpos.ParseQRLevel(pr.QRLevel)
			l := escpos.Layout{Columns: pr.Columns, FontB: pr.FontB, CodePage: cp, PartialCut: pr.Cut != "full", Barcode: pr.Barcode,
				QR: pr.QR == nil || *pr.QR, QRLevel: level, Dialect: dialect, StarTable: pr.StarPage, Layouts: layouts}
			if pr.Logo != "" {
				img, err := loadPNG(o.path(pr.Logo))
				if err != nil {
					return nil, fmt.Errorf("[printer] logo: %w", err)
				}
				l.Logo = img
			}
			status := s.Kind != transport.File && dialect != escpos.StarLine
			if pr.Status != nil {
				status = *pr.Status
			}
			high := true
			if p.Drawer != nil && p.Drawer.OpenHigh != nil {
				high = *p.Drawer.OpenHigh
			}
			esc = escpos.NewPrinter(transport.NewLink("receipt printer", s), escpos.Config{Layout: l, Status: status, DrawerOpenHigh: high})
			d.Printer = esc
		}
	}
	if dr := p.Drawer; dr != nil {
		if p.meta.IsDefined("drawer", "open_warning") {
			d.DrawerWarning = dr.OpenWarning.Duration
		}
		switch dr.Driver {
		case "virtual":
			d.VirtualDrawer = &virtual.Drawer{}
			d.Drawer = d.VirtualDrawer
		case "printer":
			pin := escpos.Pin2
			if dr.Pin == 5 {
				pin = escpos.Pin5
			}
			pulse := dr.PulseMS
			if pulse == 0 {
				pulse = 100
			}
			switch {
			case esc != nil:
				d.Drawer = esc.Drawer(pin, pulse, 2*pulse)
			case d.VirtualPrinter != nil:
				d.VirtualDrawer = &virtual.Drawer{}
				d.Drawer = d.VirtualDrawer
			}
		case "serial":
			s, err := spec("drawer", dr.Port, dr.Line, transport.Line{})
			if err != nil {
				return nil, err
			}
			c := drawer.Config{}
			// The hex strings were checked by Validate above.
			c.OpenCmd, _ = drawer.ParseHex(dr.OpenBytes)
			c.StatusCmd, _ = drawer.ParseHex(dr.StatusBytes)
			c.OpenReply, _ = drawer.ParseHex(dr.OpenReply)
			c.ShutReply, _ = drawer.ParseHex(dr.ShutReply)
			d.Drawer = drawer.New(transport.NewLink("cash drawer", s), c)
		}
	}
	if sc := p.Scanner; sc != nil && sc.Driver == "serial" {
		s, err := spec("scanner", sc.Port, sc.Line, transport.Line{})
		if err != nil {
			return nil, err
		}
		d.Scanner = scanner.New(transport.NewLink("scanner", s), scanner.Config{Prefix: sc.Prefix, Suffix: sc.Suffix, Repeat: sc.Repeat.Duration})
	}
	if sl := p.Scale; sl != nil {
		if sl.StableTimeout.Duration > 0 {
			d.StableTimeout = sl.StableTimeout.Duration
		}
		d.ManualWeight = sl.ManualEntry
		switch sl.Driver {
		case "virtual":
			d.VirtualScale = virtual.NewScale(sl.Unit)
			d.Scale = d.VirtualScale
		default:
			if drv, ok := scaleDriver(sl.Driver); ok {
				s, err := spec("scale", sl.Port, sl.Line, drv.Line)
				if err != nil {
					return nil, err
				}
				sc, err := drv.New(transport.NewLink("scale", s), *sl)
				if err != nil {
					return nil, fmt.Errorf("[scale] %s: %w", sl.Driver, err)
				}
				d.Scale = sc
				break
			}
			proto := scale.Protocol(sl.Driver)
			s, err := spec("scale", sl.Port, sl.Line, scale.DefaultLine(proto))
			if err != nil {
				return nil, err
			}
			key, _ := checksumKey(sl.ChecksumKey) // checked by Validate above
			sc, err := scale.New(transport.NewLink("scale", s), scale.Config{Protocol: proto, Unit: sl.Unit, Decimals: sl.Decimals,
				Capacity: catalog.Qty(math.Round(sl.Capacity * 1000)), ChecksumKey: key})
			if err != nil {
				return nil, fmt.Errorf("[scale] %w", err)
			}
			d.Scale = sc
		}
	}
	if ds := p.Display; ds != nil {
		if ds.Idle != "" {
			d.IdleSet = true
			a, b, _ := strings.Cut(ds.Idle, "|")
			d.Idle = peripherals.Lines{a, b}
		}
		switch ds.Driver {
		case "virtual":
			d.VirtualDisplay = &virtual.Display{Width: ds.Columns}
			d.Display = d.VirtualDisplay
		default:
			if drv, ok := displayDriver(ds.Driver); ok {
				s, err := spec("display", ds.Port, ds.Line, drv.Line)
				if err != nil {
					return nil, err
				}
				ld, err := drv.New(transport.NewLink("line display", s), *ds)
				if err != nil {
					return nil, fmt.Errorf("[display] %s: %w", ds.Driver, err)
				}
				d.Display = ld
				break
			}
			s, err := spec("display", ds.Port, ds.Line, transport.Line{})
			if err != nil {
				return nil, err
			}
			c := linedisplay.Config{Protocol: linedisplay.Protocol(ds.Driver), Columns: ds.Columns, Daisy: ds.Daisy,
				Brightness: ds.Brightness, Cursor: ds.Cursor, Scroll: ds.Scroll}
			if ds.CodePage != "" {
				c.CodePage, _ = escpos.LookupCodePage(ds.CodePage) // checked by Validate above
			}
			ld, err := linedisplay.New(transport.NewLink("line display", s), c)
			if err != nil {
				return nil, fmt.Errorf("[display] %w", err)
			}
			d.Display = ld
		}
	}
	if pm := p.Payment; pm != nil {
		switch pm.Driver {
		case "simulator":
			t := paysim.New()
			mode, _ := paysim.ParseOutcome(pm.Outcome) // checked by Validate above
			t.SetMode(mode)
			t.Delay = pm.Delay.Duration
			t.Timeout = 5 * time.Second
			d.Simulator = t
			d.Payment = t
		case "zvt-simulator":
			// A ZVT terminal simulator on loopback, and the real driver
			// speaking to it.
			sim := zvtsim.New()
			mode, _ := zvtsim.ParseOutcome(pm.Outcome) // checked by Validate above
			sim.SetMode(mode)
			sim.Delay = pm.Delay.Duration
			if err := sim.Listen("127.0.0.1:0"); err != nil {
				return nil, fmt.Errorf("[payment] %w", err)
			}
			d.ZVTSimulator = sim
			cfg, _ := zvtConfig(pm)
			cfg.Timeout = 30 * time.Second
			cfg.PendingPath = o.zvtPending()
			cfg.Money = o.Money
			s, _ := transport.ParseSpec(sim.Addr(), transport.Line{})
			t, err := zvt.New(transport.NewLink("payment terminal", s), cfg)
			if err != nil {
				sim.Close()
				return nil, fmt.Errorf("[payment] %w", err)
			}
			d.Payment = t
		case "zvt":
			cfg, _ := zvtConfig(pm) // checked by Validate above
			port := pm.Port
			if _, _, err := net.SplitHostPort(port); err != nil && !strings.HasPrefix(port, "/") && !strings.HasPrefix(strings.ToUpper(port), "COM") && !strings.Contains(port, "://") {
				port = net.JoinHostPort(port, strconv.Itoa(zvt.DefaultPort))
			}
			s, err := spec("payment", port, pm.Line, transport.Line{Baud: 9600, DataBits: 8, Parity: "N", StopBits: 2})
			if err != nil {
				return nil, err
			}
			cfg.Serial = s.Kind == transport.Serial
			cfg.PendingPath = o.zvtPending()
			cfg.Money = o.Money
			t, err := zvt.New(transport.NewLink("payment terminal", s), cfg)
			if err != nil {
				return nil, fmt.Errorf("[payment] %w", err)
			}
			d.Payment = t
		}
	}
	return d, nil
}

// zvtConfig reads the ZVT settings of a payment section.
func zvtConfig(pm *Payment) (zvt.Config, error) {
	cfg := zvt.Config{Password: pm.Password, Timeout: pm.Timeout.Duration}
	if pm.Password != "" {
		if _, err := strconv.Atoi(pm.Password); err != nil || len(pm.Password) != 6 {
			return cfg, fmt.Errorf("password %q: give the terminal's six digits", pm.Password)
		}
	}
	code := strings.ToUpper(cmp.Or(pm.Currency, "EUR"))
	cfg.Currency = money.Currency{Code: code, Digits: 2}
	if code == "JPY" {
		cfg.Currency.Digits = 0
	}
	if _, err := zvt.CurrencyCode(cfg.Currency); err != nil {
		return cfg, err
	}
	return cfg, nil
}

// checksumKey reads a Dialog 06 checksum generator written in hex.
func checksumKey(s string) (uint32, error) {
	if s == "" {
		return 0, nil
	}
	v, err := strconv.ParseUint(strings.TrimPrefix(strings.ToLower(s), "0x"), 16, 32)
	if err != nil || v == 0 {
		return 0, fmt.Errorf("checksum_key %q: write the generator the scale's dealer gives as hex digits, e.g. \"1A2B3\"", s)
	}
	return uint32(v), nil
}

func loadPNG(path string) (image.Image, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	img, _, err := image.Decode(f)
	if err != nil {
		return nil, fmt.Errorf("%s is not a PNG image: %w", path, err)
	}
	return img, nil
}
