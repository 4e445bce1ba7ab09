package main

import (
	"fmt"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/opentill/opentill/ui"
)

// tour drives the real app through sign-in, opening the shift, sell,
// payment and receipt and saves a PNG of each screen, then quits (make
// screenshots).
func tour(till *ui.UI, w fyne.Window, dir string, o options, lay ui.Layout, a fyne.App) {
	name := "desktop"
	if lay == ui.Tablet {
		name = "tablet"
	}
	if o.dark {
		name += "-dark"
	}
	if o.lang != "" {
		name += "-" + o.lang
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		fmt.Fprintln(os.Stderr, err)
		fyne.Do(a.Quit)
		return
	}
	shot := func(screen string) {
		time.Sleep(900 * time.Millisecond)
		p := filepath.Join(dir, name+"-"+screen+".png")
		err := capture(w, p)
		if err != nil {
			fmt.Fprintln(os.Stderr, "screenshot:", err)
			return
		}
		fmt.Println("saved", p)
	}
	step := func(f func()) { fyne.DoAndWait(f) }
	shot("signin")
	step(func() { till.SignIn("1001", "1234") })
	// The demo store sells only in an open shift: sign-in leads to the shift
	// screen, unless the till resumed a shift left open in its data folder.
	var onShift bool
	step(func() { onShift = till.Screen() == "shift" })
	if onShift {
		shot("shift")
		step(func() {
			if msg := till.OpenShift("100.00"); msg != "" {
				fmt.Fprintln(os.Stderr, "opening the shift:", msg)
			}
		})
	}
	step(till.OpenHome)
	shot("home")
	step(func() {
		till.Scan("4000000000082")
		till.Scan("4000000000150")
		till.Search("espresso")
	})
	shot("search")
	step(func() {
		till.Search("")
		till.Scan("4000000000143")
		till.Scan("2100042012349")
		till.SetScale(734) // the demo's virtual scale: bananas are weighed
		till.Scan("2100042000001")
	})
	shot("sell")
	step(func() { till.OpenPayment("50") })
	shot("payment")
	step(func() { till.PayCash(); till.CloseDialog() })
	shot("receipt")
	fyne.Do(a.Quit)
}

// benchAfterStart prints the time from process start until the sign-in
// screen's first frame, then signs in, waits for the till to settle and
// prints its resident memory, and quits (make bench-ui).
func benchAfterStart(a fyne.App, till *ui.UI, start time.Time) {
	a.Lifecycle().SetOnStarted(func() {
		go func() {
			fyne.DoAndWait(func() {})
			fmt.Printf("cold_start_to_signin_ms %.1f\ndrawn_unix_ms %d\n", float64(time.Since(start).Microseconds())/1000, time.Now().UnixMilli())
			fyne.DoAndWait(func() {
				till.SignIn("1001", "1234")
				if till.Screen() == "shift" { // the demo store sells only in an open shift
					till.OpenShift("100.00")
				}
				till.OpenSell()
			})
			time.Sleep(3 * time.Second)
			rss, hwm := memory()
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			fmt.Printf("idle_rss_after_signin_kb %d\npeak_rss_kb %d\ngo_heap_inuse_kb %d\ngo_sys_kb %d\n", rss, hwm, ms.HeapInuse/1024, ms.Sys/1024)
			fyne.Do(a.Quit)
		}()
	})
}

// runBaseline measures a bare Fyne window with 50 labels the same way.
func runBaseline(start time.Time) error {
	a := appNew()
	w := a.NewWindow("baseline")
	var labels []fyne.CanvasObject
	for i := 0; i < 50; i++ {
		labels = append(labels, widget.NewLabel("Label "+strconv.Itoa(i)))
	}
	w.SetContent(container.NewGridWithColumns(5, labels...))
	w.Resize(fyne.NewSize(1366, 800))
	a.Lifecycle().SetOnStarted(func() {
		go func() {
			fyne.DoAndWait(func() {})
			fmt.Printf("baseline_start_ms %.1f\ndrawn_unix_ms %d\n", float64(time.Since(start).Microseconds())/1000, time.Now().UnixMilli())
			time.Sleep(3 * time.Second)
			rss, hwm := memory()
			fmt.Printf("baseline_rss_kb %d\nbaseline_peak_rss_kb %d\n", rss, hwm)
			fyne.Do(a.Quit)
		}()
	})
	w.ShowAndRun()
	return nil
}

// memory reads VmRSS and VmHWM (KiB) from /proc/self/status.
func memory() (rss, hwm int64) {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0, 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		f := strings.Fields(line)
		if len(f) < 2 {
			continue
		}
		v, _ := strconv.ParseInt(f[1], 10, 64)
		switch f[0] {
		case "VmRSS:":
			rss = v
		case "VmHWM:":
			hwm = v
		}
	}
	return rss, hwm
}

// capture saves the window as a PNG: the X server's picture of it when
// ImageMagick's import is installed (what is really on screen), else Fyne's
// own rendering of the canvas.
func capture(w fyne.Window, path string) error {
	if imp, err := exec.LookPath("import"); err == nil {
		size := w.Canvas().Size()
		scale := w.Canvas().Scale()
		geom := fmt.Sprintf("%dx%d+0+0", int(size.Width*scale), int(size.Height*scale))
		if out, err := exec.Command(imp, "-window", "root", "-crop", geom, "+repage", path).CombinedOutput(); err != nil {
			return fmt.Errorf("import: %v: %s", err, out)
		}
		return nil
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := png.Encode(f, w.Canvas().Capture()); err != nil {
		f.Close() // the encode error is the one to report; the file is incomplete anyway
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}
