package startbench

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// syncBuffer is a bytes.Buffer the bench goroutine and the test share.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// quitApp tells when the bench quit the app.
type quitApp struct {
	fyne.App
	quit chan struct{}
}

func (a *quitApp) Quit() { close(a.quit) }

// started runs what the app does once it has started, and waits for it to quit.
func started(t *testing.T, a *quitApp) {
	t.Helper()
	a.Lifecycle().(interface{ OnStarted() func() }).OnStarted()()
	select {
	case <-a.quit:
	case <-time.After(10 * time.Second):
		t.Fatal("the bench did not quit the app")
	}
}

// fake sets the test seams: no settling, figures in a buffer, a status
// file with known memory.
func fake(t *testing.T) *syncBuffer {
	oldOut, oldSettle, oldStatus := stdout, settle, procStatus
	t.Cleanup(func() { stdout, settle, procStatus = oldOut, oldSettle, oldStatus })
	out := &syncBuffer{}
	procStatus = filepath.Join(t.TempDir(), "status")
	require.NoError(t, os.WriteFile(procStatus, []byte(status), 0o644))
	stdout, settle = out, 0
	return out
}

const status = "Name:\tpos\nVmPeak:\t 900000 kB\nVmHWM:\t  151234 kB\nVmRSS:\t  140321 kB\nThreads:\t12\n"

// figures returns the "name value" lines printed, by name.
func figures(out string) map[string]string {
	m := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		if f := strings.Fields(line); len(f) == 2 {
			m[f[0]] = f[1]
		}
	}
	return m
}

type fakeTill struct{ calls []string }

func (f *fakeTill) SignIn(id, secret string) string {
	f.calls = append(f.calls, "SignIn "+id)
	return ""
}
func (f *fakeTill) Screen() string { return "shift" }
func (f *fakeTill) OpenShift(amount string) string {
	f.calls = append(f.calls, "OpenShift "+amount)
	return ""
}
func (f *fakeTill) OpenSell() { f.calls = append(f.calls, "OpenSell") }

func TestParseStatus(t *testing.T) {
	rss, hwm := parseStatus(status)
	assert.Equal(t, int64(140321), rss)
	assert.Equal(t, int64(151234), hwm)
	rss, hwm = parseStatus("garbage\n\nVmRSS:\n")
	assert.Zero(t, rss)
	assert.Zero(t, hwm)
}

// The till's figures, under the names scripts/bench-ui.sh reads, after the
// demo cashier signed in and opened the shift.
func TestAfterStart(t *testing.T) {
	out := fake(t)
	a := &quitApp{App: test.NewApp(), quit: make(chan struct{})}
	till := &fakeTill{}
	AfterStart(a, till, time.Now().Add(-250*time.Millisecond))
	started(t, a)
	f := figures(out.String())
	for _, k := range []string{"cold_start_to_signin_ms", "drawn_unix_ms", "go_heap_inuse_kb", "go_sys_kb"} {
		assert.Contains(t, f, k)
	}
	assert.Equal(t, "140321", f["idle_rss_after_signin_kb"])
	assert.Equal(t, "151234", f["peak_rss_kb"])
	assert.Equal(t, []string{"SignIn 1001", "OpenShift 100.00", "OpenSell"}, till.calls)
}

// The bare window's figures, under the names scripts/bench-ui.sh reads.
func TestBaseline(t *testing.T) {
	out := fake(t)
	a := &quitApp{App: test.NewApp(), quit: make(chan struct{})}
	Baseline(a, time.Now())
	started(t, a)
	f := figures(out.String())
	assert.Contains(t, f, "baseline_start_ms")
	assert.Contains(t, f, "drawn_unix_ms")
	assert.Equal(t, "140321", f["baseline_rss_kb"])
	assert.Equal(t, "151234", f["baseline_peak_rss_kb"])
}

type fakeSeller struct {
	fakeTill
	scans, sales int
}

func (f *fakeSeller) Scan(string)        { f.scans++ }
func (f *fakeSeller) OpenPayment(string) {}
func (f *fakeSeller) PayCash()           { f.sales++ }
func (f *fakeSeller) CloseDialog()       {}

// The soak sells until its time is up and prints its figures under the
// names the soak script reads.
func TestSoak(t *testing.T) {
	out := fake(t)
	old := soakSample
	soakSample = 10 * time.Millisecond
	t.Cleanup(func() { soakSample = old })
	a := &quitApp{App: test.NewApp(), quit: make(chan struct{})}
	till := &fakeSeller{}
	Soak(a, till, 200*time.Millisecond, 5*time.Millisecond)
	started(t, a)
	f := figures(out.String())
	assert.Equal(t, "140321", f["soak_rss_5min_kb"], "a soak shorter than five minutes compares with its end")
	assert.Equal(t, "140321", f["soak_rss_end_kb"])
	assert.Equal(t, "151234", f["soak_peak_rss_kb"])
	assert.Equal(t, "0.0", f["soak_growth_pct"])
	assert.Greater(t, till.sales, 5)
	assert.Equal(t, fmt.Sprint(till.sales), f["soak_sales"])
	assert.Equal(t, till.sales*len(SoakCodes), till.scans)
	assert.Contains(t, out.String(), "soak_minute 0 rss_kb 140321 go_heap_inuse_kb ")
}
