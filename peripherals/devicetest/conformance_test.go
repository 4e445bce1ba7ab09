package devicetest_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/opentill/opentill/internal/ptytest"
	"github.com/opentill/opentill/peripherals"
	"github.com/opentill/opentill/peripherals/devicetest"
	"github.com/opentill/opentill/peripherals/drawer"
	"github.com/opentill/opentill/peripherals/escpos"
	"github.com/opentill/opentill/peripherals/escpos/escpostest"
	"github.com/opentill/opentill/peripherals/internal/fixtures"
	"github.com/opentill/opentill/peripherals/linedisplay"
	"github.com/opentill/opentill/peripherals/paysim"
	"github.com/opentill/opentill/peripherals/scale"
	"github.com/opentill/opentill/peripherals/transport"
	"github.com/opentill/opentill/peripherals/virtual"
	"github.com/opentill/opentill/peripherals/zvt"
	"github.com/opentill/opentill/peripherals/zvt/zvtsim"
	"github.com/opentill/opentill/pos/catalog"
)

// world is the state of a simulated serial scale.
type world struct {
	mu     sync.Mutex
	weight catalog.Qty
	mode   string // "", "moving", "over"
}

func (w *world) set(v catalog.Qty, mode string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.weight, w.mode = v, mode
}

func (w *world) get() (catalog.Qty, string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.weight, w.mode
}

var seq int

// answer plays a scale of protocol p with the bytes a real one sends.
func (w *world) answer(p scale.Protocol) func([]byte) []byte {
	var price []byte // Dialog 06: the unit price of the last record 01
	var status string
	return func(req []byte) []byte {
		v, mode := w.get()
		switch p {
		case scale.Toledo8217:
			switch mode {
			case "moving":
				return []byte("\x02?A\r") // bit 6 is always set
			case "over":
				return []byte("\x02?B\r")
			}
			return []byte("\x02" + catalog.Qty(v).Format(3) + "\r")
		case scale.CASPD2, scale.Dialog1:
			if !bytes.Equal(req, []byte{'W'}) && !bytes.Equal(req, []byte{scale.ENQ}) {
				return nil // the CR that stops the PD-II's stream
			}
			end := "\r"
			if p == scale.Dialog1 {
				end = "\x1e"
			}
			switch mode {
			case "moving":
				seq++
				v += catalog.Qty(seq)
			case "over":
				v = 99_999 // 99.999 kg: above the capacity
			}
			return []byte(fmt.Sprintf("%05d", v) + end)
		default: // Dialog 06
			req = bytes.TrimLeft(req, "\x04")
			switch {
			case len(req) == 0:
				return nil // the till's EOT after each answer
			case bytes.HasPrefix(req, []byte{scale.STX, '0', '1'}) && len(req) == 12:
				price = bytes.Clone(req[4:10])
				return []byte{scale.ACK}
			case bytes.Equal(req, []byte{scale.STX, '0', '8', scale.ETX}):
				return []byte("\x0209\x1b" + status + "\x03")
			case req[0] == scale.ENQ && mode == "over":
				status = "32"
				return []byte{scale.NAK}
			case req[0] == scale.ENQ && mode == "moving":
				status = "20"
				return []byte{scale.NAK}
			case req[0] == scale.ENQ:
				up, _ := strconv.Atoi(string(price))
				total := (int(v)*up + 500) / 1000
				return []byte(fmt.Sprintf("\x0202\x1b3\x1b%05d\x1b%s\x1b%06d\x03", v, price, total))
			}
			status = "10"
			return []byte{scale.NAK}
		}
	}
}

func serialScale(p scale.Protocol) func(t *testing.T) devicetest.ScaleRig {
	return func(t *testing.T) devicetest.ScaleRig {
		ctx, cancel := context.WithCancel(context.Background())
		t.Cleanup(cancel)
		pair := ptytest.New(t)
		w := &world{}
		stops := ""
		if p == scale.Dialog06 {
			stops = string([]byte{scale.ETX, scale.ENQ})
		}
		go ptytest.Device(ctx, pair.OpenPeer(scale.DefaultLine(p)), stops, 1, w.answer(p))
		spec, _ := transport.ParseSpec(pair.Dev, scale.DefaultLine(p))
		s, err := scale.New(transport.NewLink("scale", spec), scale.Config{Protocol: p, Timeout: 300 * time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return devicetest.ScaleRig{Scale: s, UnitPrice: 1890,
			Put:    func(v catalog.Qty) { w.set(v, "") },
			Moving: func() { w.set(500, "moving") },
			Over:   func() { w.set(0, "over") },
		}
	}
}

func TestScales(t *testing.T) {
	t.Run("virtual", func(t *testing.T) {
		devicetest.Scale(t, func(t *testing.T) devicetest.ScaleRig {
			s := virtual.NewScale("kg")
			return devicetest.ScaleRig{Scale: s,
				Put:    func(v catalog.Qty) { s.Set(v, true) },
				Moving: func() { s.Set(500, false) },
				Over:   s.OverCapacity,
			}
		})
	})
	for _, p := range []scale.Protocol{scale.Toledo8217, scale.CASPD2, scale.Dialog06, scale.Dialog1} {
		t.Run(string(p)+" over pty", func(t *testing.T) { devicetest.Scale(t, serialScale(p)) })
	}
}

func TestPrinters(t *testing.T) {
	r := fixtures.Receipt("de")
	t.Run("virtual", func(t *testing.T) {
		devicetest.Printer(t, r, func(t *testing.T) devicetest.PrinterRig {
			dir := t.TempDir()
			p := virtual.NewPrinter(dir, 42)
			return devicetest.PrinterRig{Printer: p,
				Printed: func() string {
					files, _ := filepath.Glob(filepath.Join(dir, "*.txt"))
					sort.Strings(files)
					var sb strings.Builder
					for _, f := range files {
						b, _ := os.ReadFile(f)
						sb.Write(b)
					}
					return sb.String()
				},
				PaperOut: func(on bool) { p.SetStatus(peripherals.PrinterStatus{Online: true, PaperOut: on}) },
			}
		})
	})
	t.Run("escpos over tcp", func(t *testing.T) {
		devicetest.Printer(t, r, func(t *testing.T) devicetest.PrinterRig {
			srv := escpostest.NewServer(t)
			spec, _ := transport.ParseSpec("tcp://"+srv.Addr, transport.Line{})
			p := escpos.NewPrinter(transport.NewLink("receipt printer", spec), escpos.Config{Status: true, StatusTimeout: 300 * time.Millisecond})
			t.Cleanup(func() { p.Close() })
			return devicetest.PrinterRig{Printer: p,
				Printed: func() string { return escpos.DefaultCodePage.Decode(srv.Bytes()) },
				PaperOut: func(on bool) {
					if on {
						srv.SetStatus(escpostest.PaperOut)
					} else {
						srv.SetStatus(escpostest.Ready)
					}
				},
			}
		})
	})
}

// A Star printer in line mode over TCP: no status, its own commands.
func TestStarPrinter(t *testing.T) {
	devicetest.Printer(t, fixtures.Receipt("es"), func(t *testing.T) devicetest.PrinterRig {
		srv := escpostest.NewServer(t)
		spec, _ := transport.ParseSpec("tcp://"+srv.Addr, transport.Line{})
		l := escpos.DefaultLayout()
		l.Dialect = escpos.StarLine
		p := escpos.NewPrinter(transport.NewLink("receipt printer", spec), escpos.Config{Layout: l})
		t.Cleanup(func() { p.Close() })
		return devicetest.PrinterRig{Printer: p, Printed: func() string { return escpos.DefaultCodePage.Decode(srv.Bytes()) }}
	})
}

// serialPrinter plays an ESC/POS printer on the device end of a pty: it
// keeps what it gets and answers DLE EOT n with the status bytes set.
type serialPrinter struct {
	mu     sync.Mutex
	got    []byte
	status [3]byte
}

func (p *serialPrinter) run(ctx context.Context, c transport.Conn) {
	b := make([]byte, 512)
	for ctx.Err() == nil {
		transport.SetDeadline(ctx, c, 50*time.Millisecond)
		n, err := c.Read(b)
		p.mu.Lock()
		start := max(0, len(p.got)-2)
		p.got = append(p.got, b[:n]...)
		var answer []byte
		for i := start; i+2 < len(p.got); i++ {
			if p.got[i] == 0x10 && p.got[i+1] == 0x04 && i+2 >= len(p.got)-n {
				switch p.got[i+2] {
				case 1:
					answer = append(answer, p.status[0])
				case 2:
					answer = append(answer, p.status[1])
				case 4:
					answer = append(answer, p.status[2])
				}
			}
		}
		p.mu.Unlock()
		if len(answer) > 0 {
			_, _ = c.Write(answer)
		}
		if err != nil && !transport.IsTimeout(err) {
			return
		}
	}
}

func (p *serialPrinter) set(st [3]byte) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.status = st
}

func (p *serialPrinter) printed() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return escpos.DefaultCodePage.Decode(p.got)
}

func TestSerialAndFilePrinters(t *testing.T) {
	r := fixtures.Receipt("fr")
	t.Run("escpos over pty", func(t *testing.T) {
		devicetest.Printer(t, r, func(t *testing.T) devicetest.PrinterRig {
			ctx, cancel := context.WithCancel(context.Background())
			t.Cleanup(cancel)
			pair := ptytest.New(t)
			fake := &serialPrinter{status: escpostest.Ready}
			line := transport.Line{Baud: 19200}
			go fake.run(ctx, pair.OpenPeer(line))
			spec, _ := transport.ParseSpec(pair.Dev, line)
			p := escpos.NewPrinter(transport.NewLink("receipt printer", spec), escpos.Config{Status: true, StatusTimeout: 500 * time.Millisecond})
			t.Cleanup(func() { p.Close() })
			return devicetest.PrinterRig{Printer: p, Printed: fake.printed,
				PaperOut: func(on bool) {
					if on {
						fake.set(escpostest.PaperOut)
					} else {
						fake.set(escpostest.Ready)
					}
				},
			}
		})
	})
	t.Run("escpos into a device file", func(t *testing.T) {
		devicetest.Printer(t, r, func(t *testing.T) devicetest.PrinterRig {
			path := filepath.Join(t.TempDir(), "lp0")
			if err := os.WriteFile(path, nil, 0o644); err != nil {
				t.Fatal(err)
			}
			spec, _ := transport.ParseSpec("file://"+path, transport.Line{})
			p := escpos.NewPrinter(transport.NewLink("receipt printer", spec), escpos.Config{})
			t.Cleanup(func() { p.Close() })
			return devicetest.PrinterRig{Printer: p, Printed: func() string {
				b, _ := os.ReadFile(path)
				return escpos.DefaultCodePage.Decode(b)
			}}
		})
	})
}

// screen collects the bytes a display gets and decodes its two lines.
type screen struct {
	mu  sync.Mutex
	buf []byte
}

func (s *screen) run(ctx context.Context, c transport.Conn) {
	b := make([]byte, 256)
	for ctx.Err() == nil {
		transport.SetDeadline(ctx, c, 50*time.Millisecond)
		n, err := c.Read(b)
		s.mu.Lock()
		s.buf = append(s.buf, b[:n]...)
		s.mu.Unlock()
		if err != nil && !transport.IsTimeout(err) {
			return
		}
	}
}

func (s *screen) cd5220() peripherals.Lines {
	s.mu.Lock()
	defer s.mu.Unlock()
	cp, _ := escpos.LookupCodePage("cp437")
	var l peripherals.Lines
	for i, tag := range []string{"\x1bQA", "\x1bQB"} {
		at := bytes.LastIndex(s.buf, []byte(tag))
		if at < 0 {
			continue
		}
		rest := s.buf[at+3:]
		if end := bytes.IndexByte(rest, '\r'); end >= 0 {
			l[i] = cp.Decode(rest[:end])
		}
	}
	return l
}

func (s *screen) escpos() peripherals.Lines {
	s.mu.Lock()
	defer s.mu.Unlock()
	at := bytes.LastIndexByte(s.buf, 0x0b)
	if at < 0 || len(s.buf) < at+41 {
		return peripherals.Lines{}
	}
	text := escpos.DefaultCodePage.Decode(s.buf[at+1 : at+41])
	r := []rune(text)
	return peripherals.Lines{string(r[:20]), string(r[20:])}
}

// positioned decodes Logic Controls and SurePOS frames: DLE 00 line 1,
// DLE 14 line 2.
func (s *screen) positioned() peripherals.Lines {
	s.mu.Lock()
	defer s.mu.Unlock()
	cp, _ := escpos.LookupCodePage("cp437")
	if bytes.Contains(s.buf, []byte{0x00, 0x01, 0x02, 0x02}) {
		cp = escpos.DefaultCodePage // SurePOS switched to CP858
	}
	var l peripherals.Lines
	for i, tag := range [][]byte{{0x10, 0x00}, {0x10, 0x14}} {
		at := bytes.LastIndex(s.buf, tag)
		if at < 0 || len(s.buf) < at+22 {
			continue
		}
		l[i] = cp.Decode(s.buf[at+2 : at+22])
	}
	return l
}

func TestDisplays(t *testing.T) {
	t.Run("virtual", func(t *testing.T) {
		devicetest.Display(t, func(t *testing.T) devicetest.DisplayRig {
			d := &virtual.Display{}
			return devicetest.DisplayRig{Display: d, Shown: d.Shown}
		})
	})
	for _, p := range []linedisplay.Protocol{linedisplay.CD5220, linedisplay.ESCPOS, linedisplay.LogicControls, linedisplay.SurePOS} {
		t.Run(string(p)+" over pty", func(t *testing.T) {
			devicetest.Display(t, func(t *testing.T) devicetest.DisplayRig {
				ctx, cancel := context.WithCancel(context.Background())
				t.Cleanup(cancel)
				pair := ptytest.New(t)
				scr := &screen{}
				go scr.run(ctx, pair.OpenPeer(transport.Line{}))
				spec, _ := transport.ParseSpec(pair.Dev, transport.Line{})
				d, err := linedisplay.New(transport.NewLink("line display", spec), linedisplay.Config{Protocol: p})
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { d.Close() })
				shown := scr.cd5220
				switch p {
				case linedisplay.ESCPOS:
					shown = scr.escpos
				case linedisplay.LogicControls, linedisplay.SurePOS:
					shown = scr.positioned
				}
				return devicetest.DisplayRig{Display: d, Shown: shown}
			})
		})
	}
}

func TestDrawers(t *testing.T) {
	t.Run("virtual", func(t *testing.T) {
		devicetest.Drawer(t, func(t *testing.T) devicetest.DrawerRig {
			d := &virtual.Drawer{}
			return devicetest.DrawerRig{Drawer: d, IsOpen: func() bool { return d.Opened() > 0 }, Shut: d.Shut}
		})
	})
	t.Run("through the printer over tcp", func(t *testing.T) {
		devicetest.Drawer(t, func(t *testing.T) devicetest.DrawerRig {
			srv := escpostest.NewServer(t)
			spec, _ := transport.ParseSpec(srv.Addr, transport.Line{})
			p := escpos.NewPrinter(transport.NewLink("receipt printer", spec), escpos.Config{Status: true, DrawerOpenHigh: true})
			t.Cleanup(func() { p.Close() })
			kick := escpos.KickBytes(escpos.Pin2, 100, 200)
			return devicetest.DrawerRig{Drawer: p.Drawer(escpos.Pin2, 100, 200),
				IsOpen: func() bool {
					if bytes.Contains(srv.Bytes(), kick) {
						srv.SetStatus(escpostest.Drawer) // the switch on pin 3 now reads open
						return true
					}
					return false
				},
				Shut: func() { srv.SetStatus(escpostest.Ready) },
			}
		})
	})
	t.Run("serial drawer over pty", func(t *testing.T) {
		devicetest.Drawer(t, func(t *testing.T) devicetest.DrawerRig {
			ctx, cancel := context.WithCancel(context.Background())
			t.Cleanup(cancel)
			pair := ptytest.New(t)
			var mu sync.Mutex
			open := false
			go ptytest.Device(ctx, pair.OpenPeer(transport.Line{}), "", 1, func(req []byte) []byte {
				mu.Lock()
				defer mu.Unlock()
				switch req[0] {
				case 0x07:
					open = true
				case '?':
					if open {
						return []byte("1")
					}
					return []byte("0")
				}
				return nil
			})
			spec, _ := transport.ParseSpec(pair.Dev, transport.Line{})
			d := drawer.New(transport.NewLink("cash drawer", spec), drawer.Config{StatusCmd: []byte("?"), OpenReply: []byte("1"), ShutReply: []byte("0")})
			t.Cleanup(func() { d.Close() })
			return devicetest.DrawerRig{Drawer: d,
				IsOpen: func() bool { mu.Lock(); defer mu.Unlock(); return open },
				Shut:   func() { mu.Lock(); defer mu.Unlock(); open = false },
			}
		})
	})
}

func TestPaymentTerminals(t *testing.T) {
	t.Run("simulator", func(t *testing.T) {
		devicetest.Payment(t, func(t *testing.T) devicetest.PaymentRig {
			term := paysim.New()
			return devicetest.PaymentRig{Terminal: term, Decline: func() { term.Queue(paysim.Decline) }}
		})
	})
	fast := zvt.Config{AckTimeout: time.Second, Timeout: time.Second, AbortGrace: time.Second, RecoverTimeout: time.Second}
	t.Run("zvt over tcp", func(t *testing.T) {
		devicetest.Payment(t, func(t *testing.T) devicetest.PaymentRig {
			sim := zvtsim.New()
			if err := sim.Listen("127.0.0.1:0"); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { sim.Close() })
			spec, _ := transport.ParseSpec(sim.Addr(), transport.Line{})
			term, err := zvt.New(transport.NewLink("payment terminal", spec), fast)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { term.Close() })
			return devicetest.PaymentRig{Terminal: term, Decline: func() { sim.Queue(zvtsim.Decline) }}
		})
	})
	t.Run("zvt over pty", func(t *testing.T) {
		devicetest.Payment(t, func(t *testing.T) devicetest.PaymentRig {
			pair := ptytest.New(t)
			line := transport.Line{Baud: 9600, DataBits: 8, Parity: "N", StopBits: 2}
			sim := zvtsim.New()
			sim.Serial = true
			go sim.Serve(pair.OpenPeer(line))
			t.Cleanup(func() { sim.Close() })
			spec, _ := transport.ParseSpec(pair.Dev, line)
			cfg := fast
			cfg.Serial = true
			term, err := zvt.New(transport.NewLink("payment terminal", spec), cfg)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { term.Close() })
			return devicetest.PaymentRig{Terminal: term, Decline: func() { sim.Queue(zvtsim.Decline) }}
		})
	})
}
