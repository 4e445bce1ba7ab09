// Package startbench measures the till's start-up (pos --bench,
// scripts/bench-ui.sh): the time from process start to the sign-in
// screen's first frame and the memory once signed in, and the same for a
// bare Fyne window with 50 labels (pos --bench --baseline), the baseline the
// figures are read beside. Each prints "name value" lines on stdout, then
// quits the app.
package startbench

import (
	"fmt"
	"io"
	"os"
	"runtime"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/opentill/opentill/ui"
)

// Till is what the bench drives: the methods of *ui.UI that act as a
// cashier does (ui/drive.go).
type Till interface {
	SignIn(id, secret string) string
	Screen() string
	OpenShift(amount string) string
	OpenSell()
}

var _ Till = (*ui.UI)(nil)

// Test seams: where the figures go, how long the app settles before its
// memory is read, and where that is read from.
var (
	stdout     io.Writer = os.Stdout
	settle               = 3 * time.Second
	procStatus           = "/proc/self/status"
)

// AfterStart arranges, before the app runs, that its first frame prints the
// time since start (cold_start_to_signin_ms, drawn_unix_ms); the demo
// cashier (1001) then signs in, opens the shift sign-in leads to and the
// sell screen, and once the till has settled its resident memory is printed
// (idle_rss_after_signin_kb, peak_rss_kb, go_heap_inuse_kb, go_sys_kb) and
// the app quits.
func AfterStart(a fyne.App, till Till, start time.Time) {
	a.Lifecycle().SetOnStarted(func() {
		go func() {
			fyne.DoAndWait(func() {})
			fmt.Fprintf(stdout, "cold_start_to_signin_ms %.1f\ndrawn_unix_ms %d\n", float64(time.Since(start).Microseconds())/1000, time.Now().UnixMilli())
			fyne.DoAndWait(func() {
				till.SignIn("1001", "1234")
				if till.Screen() == "shift" { // the demo store sells only in an open shift
					till.OpenShift("100.00")
				}
				till.OpenSell()
			})
			time.Sleep(settle)
			rss, hwm := memory()
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			fmt.Fprintf(stdout, "idle_rss_after_signin_kb %d\npeak_rss_kb %d\ngo_heap_inuse_kb %d\ngo_sys_kb %d\n", rss, hwm, ms.HeapInuse/1024, ms.Sys/1024)
			fyne.Do(a.Quit)
		}()
	})
}

// Baseline shows a bare 1366×800 window with 50 labels in a and measures it
// the way AfterStart measures the till (baseline_start_ms, drawn_unix_ms,
// baseline_rss_kb, baseline_peak_rss_kb). It returns when the app quits.
func Baseline(a fyne.App, start time.Time) {
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
			fmt.Fprintf(stdout, "baseline_start_ms %.1f\ndrawn_unix_ms %d\n", float64(time.Since(start).Microseconds())/1000, time.Now().UnixMilli())
			time.Sleep(settle)
			rss, hwm := memory()
			fmt.Fprintf(stdout, "baseline_rss_kb %d\nbaseline_peak_rss_kb %d\n", rss, hwm)
			fyne.Do(a.Quit)
		}()
	})
	w.ShowAndRun()
}

// memory reads VmRSS and VmHWM (KiB) of this process; 0, 0 where there is
// no /proc.
func memory() (rss, hwm int64) {
	b, err := os.ReadFile(procStatus)
	if err != nil {
		return 0, 0
	}
	return parseStatus(string(b))
}

// parseStatus reads VmRSS and VmHWM (KiB) from the text of /proc/<pid>/status.
func parseStatus(status string) (rss, hwm int64) {
	for _, line := range strings.Split(status, "\n") {
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
