package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"
	"go.bug.st/serial/enumerator"

	"github.com/opentill/opentill/peripherals"
	"github.com/opentill/opentill/peripherals/profile"
	"github.com/opentill/opentill/peripherals/zvt/zvtsim"
	"github.com/opentill/opentill/pos/money"
	"github.com/opentill/opentill/pos/tender"
)

func devicesCmd() *cobra.Command {
	c := &cobra.Command{
		Use:   "devices",
		Short: "List serial ports and test the devices of a hardware profile",
	}
	c.AddCommand(devicesListCmd(), devicesTestCmd(), devicesExampleCmd(), zvtSimCmd())
	return c
}

func devicesListCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "list",
		Short: "List serial ports, with USB vendor:product IDs",
		RunE: func(cmd *cobra.Command, _ []string) error {
			ports, err := enumerator.GetDetailedPortsList()
			if err != nil {
				return fmt.Errorf("listing serial ports: %w", err)
			}
			out := cmd.OutOrStdout()
			if len(ports) == 0 {
				fmt.Fprintln(out, "no serial ports found (USB scales and scanners in serial mode show up as /dev/ttyUSB* or /dev/ttyACM*)")
			} else {
				tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
				fmt.Fprintln(tw, "PORT\tUSB VID:PID\tSERIAL\tPRODUCT")
				for _, p := range ports {
					id := "-"
					if p.IsUSB {
						id = strings.ToLower(p.VID + ":" + p.PID)
					}
					fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", p.Name, id, dash(p.SerialNumber), dash(p.Product))
				}
				tw.Flush()
			}
			lps, _ := filepath.Glob("/dev/usb/lp*")
			for _, lp := range lps {
				fmt.Fprintf(out, "%s\t(USB printer device file: port = %q)\n", lp, lp)
			}
			return nil
		},
	}
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func devicesExampleCmd() *cobra.Command {
	var demo, windows bool
	c := &cobra.Command{
		Use:   "example",
		Short: "Print an example hardware profile (every setting explained)",
		RunE: func(cmd *cobra.Command, _ []string) error {
			b := profile.ExampleTOML()
			if windows {
				b = profile.ExampleWindowsTOML()
			}
			if demo {
				b = profile.DemoTOML()
			}
			_, err := cmd.OutOrStdout().Write(b)
			return err
		},
	}
	c.Flags().BoolVar(&demo, "demo", false, "print the demo profile (virtual devices) instead")
	c.Flags().BoolVar(&windows, "windows", runtime.GOOS == "windows", "Windows port names (COM3 …); the default on Windows")
	return c
}

func zvtSimCmd() *cobra.Command {
	var listen, outcome string
	var delay time.Duration
	c := &cobra.Command{
		Use:   "zvt-simulator",
		Short: "Run a ZVT payment terminal simulator (for a [payment] driver = \"zvt\" profile) until interrupted",
		RunE: func(cmd *cobra.Command, _ []string) error {
			mode, err := zvtsim.ParseOutcome(outcome)
			if err != nil {
				return err
			}
			sim := zvtsim.New()
			sim.SetMode(mode)
			sim.Delay = delay
			if err := sim.Listen(listen); err != nil {
				return err
			}
			defer sim.Close()
			fmt.Fprintf(cmd.OutOrStdout(), "ZVT terminal simulator on %s (%s): set port = %q in the profile's [payment] section\n", sim.Addr(), outcome, sim.Addr())
			<-cmd.Context().Done()
			return nil
		},
	}
	c.Flags().StringVar(&listen, "listen", "127.0.0.1:20007", "address to listen on")
	c.Flags().StringVar(&outcome, "outcome", "approve", "approve, decline, timeout, card-removed or lost-reply")
	c.Flags().DurationVar(&delay, "delay", time.Second, "card processing time")
	return c
}

func devicesTestCmd() *cobra.Command {
	var file, base, only string
	var timeout, payTimeout time.Duration
	c := &cobra.Command{
		Use:   "test",
		Short: "Print a test page, kick the drawer, read the scale, write to the display and run a test payment",
		Long: "Tests each device of a hardware profile and prints one line per step: OK, FAIL (with what to do) or SKIP.\n" +
			"--profile demo uses the built-in demo profile of virtual devices; demo-zvt the same with the ZVT driver and its terminal simulator.\n" +
			"The payment test authorises 0.01 and reverses it; it waits --payment-timeout for the customer's card.",
		RunE: func(cmd *cobra.Command, _ []string) error {
			var p *profile.Profile
			var err error
			if file == "demo" || file == "demo-zvt" {
				p = profile.Demo()
				if file == "demo-zvt" {
					p = profile.DemoZVT()
				}
				if base == "" {
					base, err = os.MkdirTemp("", "opentill-devices-")
					if err != nil {
						return err
					}
				}
			} else {
				p, err = profile.Load(file)
				if err != nil {
					return err
				}
				if base == "" {
					base = filepath.Dir(file)
				}
			}
			d, err := profile.Open(cmd.Context(), p, profile.Options{BaseDir: base})
			if err != nil {
				return err
			}
			defer d.Close()
			failed := runDeviceTests(cmd.Context(), cmd.OutOrStdout(), p, d, only, timeout, payTimeout)
			if failed > 0 {
				return fmt.Errorf("%d device test(s) failed", failed)
			}
			return nil
		},
	}
	c.Flags().StringVar(&file, "profile", "", "hardware profile file (TOML), or \"demo\"")
	_ = c.MarkFlagRequired("profile")
	c.Flags().StringVar(&base, "dir", "", "folder for relative paths (virtual printer output, logo); default: the profile's folder")
	c.Flags().StringVar(&only, "only", "", "comma-separated devices to test: printer,drawer,scale,display,scanner,payment")
	c.Flags().DurationVar(&timeout, "timeout", 5*time.Second, "time allowed for each device")
	return c
}

// testUnitPrice is the unit price sent to a price-computing scale by the
// scale test.
const testUnitPrice money.Amount = 100

// testPayment is the amount the payment test authorises and reverses.
const testPayment money.Amount = 1

type step struct {
	device string
	run    func(ctx context.Context) (string, error)
}

// runDeviceTests runs every step and prints one result line per step. It
// returns the number of failures.
func runDeviceTests(ctx context.Context, out io.Writer, p *profile.Profile, d *profile.Devices, only string, timeout, payTimeout time.Duration) int {
	want := map[string]bool{}
	for _, s := range strings.Split(only, ",") {
		if s = strings.TrimSpace(s); s != "" {
			want[s] = true
		}
	}
	steps := []step{
		{"printer", func(ctx context.Context) (string, error) {
			if d.Printer == nil {
				return "", nil
			}
			st, err := d.Printer.Status(ctx)
			if err != nil {
				return "", err
			}
			if err := st.Err(); err != nil {
				return "", err
			}
			page := peripherals.Page{Title: "OpenTill test page", QR: "OPENTILL-TEST", Lines: []string{
				"Printer: " + p.Printer.Driver + " " + p.Printer.Port,
				"Time: " + time.Now().Format(time.DateTime),
				"Äöü ß é è ê ç à ñ ¡ ¿ €",
				strings.Repeat("-", 42),
				"If the accents above print, the code page is right.",
			}}
			if err := d.Printer.PrintPage(ctx, page); err != nil {
				return "", err
			}
			msg := "test page printed"
			if st.PaperNearEnd {
				msg += " (paper near end: have a roll ready)"
			}
			if d.VirtualPrinter != nil {
				msg += " into " + d.VirtualPrinter.Dir
			}
			return msg, nil
		}},
		{"drawer", func(ctx context.Context) (string, error) {
			if d.Drawer == nil {
				return "", nil
			}
			if err := d.Drawer.Open(ctx); err != nil {
				return "", err
			}
			time.Sleep(200 * time.Millisecond)
			st, err := d.Drawer.Status(ctx)
			switch {
			case err != nil:
				return "", fmt.Errorf("kicked, but the status could not be read: %w", err)
			case !st.Known:
				return "kicked (this drawer does not report whether it is open: check that it did)", nil
			case st.Open:
				return "kicked and reports open", nil
			}
			return "", fmt.Errorf("kicked but reports closed: check the cable, the pin (2 or 5) and the pulse length")
		}},
		{"scale", func(ctx context.Context) (string, error) {
			if d.Scale == nil {
				return "", nil
			}
			note := ""
			if ps, ok := d.Scale.(peripherals.PriceScale); ok {
				// A price-computing scale weighs only with a unit price.
				if err := ps.SetUnitPrice(ctx, testUnitPrice); err != nil {
					return "", err
				}
				note = " (test unit price 1.00 sent)"
			}
			w, err := d.Scale.Read(ctx)
			if err != nil {
				return "", err
			}
			return "reads " + w.String() + note, nil
		}},
		{"display", func(ctx context.Context) (string, error) {
			if d.Display == nil {
				return "", nil
			}
			if err := d.Display.Clear(ctx); err != nil {
				return "", err
			}
			if err := d.Display.Show(ctx, peripherals.Lines{"OpenTill display", "Test Grüße 12.34"}); err != nil {
				return "", err
			}
			return fmt.Sprintf("wrote 2 lines of %d characters: check the display", d.Display.Columns()), nil
		}},
		{"scanner", func(ctx context.Context) (string, error) {
			if d.Scanner == nil {
				return "", nil
			}
			code, err := d.Scanner.Read(ctx)
			if err != nil {
				return "", fmt.Errorf("no scan within the timeout (scan a barcode while testing): %w", err)
			}
			return "read " + code, nil
		}},
		{"payment", func(ctx context.Context) (string, error) {
			if d.Payment == nil {
				return "", nil
			}
			ap, err := d.Payment.Authorize(ctx, tender.Request{Amount: testPayment, Reference: fmt.Sprintf("TEST-%d", time.Now().UnixNano())})
			if err != nil {
				return "", err
			}
			if err := d.Payment.Void(ctx, ap.Reference); err != nil {
				return "", fmt.Errorf("0.01 approved (%s) but the reversal failed: reverse it at the terminal: %w", ap.Reference, err)
			}
			msg := fmt.Sprintf("0.01 approved (%s %s, auth %s) and reversed", ap.Brand, ap.MaskedPAN, ap.AuthCode)
			if len(ap.Receipt) > 0 {
				msg += fmt.Sprintf("; the terminal sent %d receipt lines", len(ap.Receipt))
			}
			return msg, nil
		}},
	}
	failed := 0
	for _, s := range steps {
		if len(want) > 0 && !want[s.device] {
			continue
		}
		limit := timeout
		if s.device == "payment" {
			limit = max(timeout, payTimeout)
		}
		ctx, cancel := context.WithTimeout(ctx, limit)
		msg, err := s.run(ctx)
		cancel()
		switch {
		case err != nil:
			failed++
			fmt.Fprintf(out, "FAIL  %-8s %v\n", s.device, err)
		case msg == "":
			fmt.Fprintf(out, "SKIP  %-8s not in the profile\n", s.device)
		default:
			fmt.Fprintf(out, "OK    %-8s %s\n", s.device, msg)
		}
	}
	return failed
}
