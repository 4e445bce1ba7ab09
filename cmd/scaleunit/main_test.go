package main_test

import (
	"bufio"
	"context"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/offline/store"
	"github.com/opentill/opentill/offline/tillsync"
	"github.com/opentill/opentill/pos/staff"
)

// TestSeedServeAdminAndGracefulShutdown builds the real binary, seeds a
// chain, serves it on a loopback port, activates a till with a printed code,
// changes a price with the admin command, sees it arrive, and stops the
// server with SIGTERM.
func TestSeedServeAdminAndGracefulShutdown(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	ctx := context.Background()
	tmp := t.TempDir()
	bin := goBuild(t, tmp, ".", "scaleunit")
	data := filepath.Join(tmp, "su")
	out, err := exec.Command(bin, "seed", "--data", data, "--products", "300", "--quiet").CombinedOutput()
	require.NoError(t, err, string(out))
	var code string
	for _, l := range strings.Split(string(out), "\n") {
		if f := strings.Fields(l); len(f) == 2 && f[0] == "S0001/T01" {
			code = f[1]
		}
	}
	require.NotEmpty(t, code, string(out))

	srv := exec.Command(bin, "serve", "--data", data, "--addr", "127.0.0.1:0", "--json-logs")
	stdout, err := srv.StdoutPipe()
	require.NoError(t, err)
	var logs strings.Builder
	srv.Stderr = &logs
	require.NoError(t, srv.Start())
	defer srv.Process.Kill()
	line, err := bufio.NewReader(stdout).ReadString('\n')
	require.NoError(t, err)
	url := "http://" + strings.TrimSpace(strings.TrimPrefix(line, "listening "))

	st, err := store.Open(t.TempDir())
	require.NoError(t, err)
	defer st.Close()
	_, err = tillsync.Activate(ctx, st, url, code, "cmd test")
	require.NoError(t, err)
	eng, err := tillsync.Open(t.TempDir(), st, tillsync.Options{})
	require.NoError(t, err)
	defer eng.Close()
	require.NoError(t, eng.Pass(ctx))

	tests := []struct {
		name string
		args []string
	}{
		{"price set", []string{"price", "set", "--data", data, "--product", "10000", "--price", "9.99"}},
		{"product add", []string{"product", "add", "--data", data, "--id", "N1", "--name", "New tea", "--price", "3.49", "--barcode", "4006381333931"}},
		{"staff add", []string{"staff", "add", "--data", data, "--id", "5001", "--name", "Nora New", "--pin", "4321"}},
		{"staff set", []string{"staff", "set", "--data", data, "--id", "5001", "--name", "Nora Renamed"}},
		{"till add", []string{"till", "add", "--data", data, "--terminal", "T09"}},
		{"till deactivate", []string{"till", "deactivate", "--data", data, "--till", "S0001/T09"}},
	}
	for _, tc := range tests {
		out, err := exec.Command(bin, tc.args...).CombinedOutput()
		require.NoError(t, err, "%s: %s", tc.name, out)
	}
	require.NoError(t, eng.Pass(ctx))
	p, err := st.ByID(ctx, "10000")
	require.NoError(t, err)
	assert.EqualValues(t, 999, p.Price)
	p, err = st.ByBarcode(ctx, "4006381333931")
	require.NoError(t, err)
	assert.Equal(t, "New tea", p.Name)
	op, err := st.Operator(ctx, "5001")
	require.NoError(t, err)
	assert.Equal(t, "Nora Renamed", op.Name)
	pepper, err := st.PINPepper(ctx)
	require.NoError(t, err)
	ok, err := staff.Check("4321", op.PasswordHash, pepper)
	require.NoError(t, err)
	assert.True(t, ok, "the PIN set at the server checks at the till with its store's pepper, renamed without the PIN")
	h, err := staff.ParseHash(op.PasswordHash)
	require.NoError(t, err)
	assert.Equal(t, staff.DefaultParams, h.Params(), "set with the default parameters")

	require.NoError(t, srv.Process.Signal(syscall.SIGTERM))
	done := make(chan error, 1)
	go func() { done <- srv.Wait() }()
	select {
	case err := <-done:
		require.NoError(t, err, "a clean exit after SIGTERM")
	case <-time.After(15 * time.Second):
		t.Fatal("the server did not shut down")
	}
	assert.Contains(t, logs.String(), `"msg":"shutting down: finishing requests in flight"`)
	assert.Contains(t, logs.String(), `"msg":"till activated"`)
}

// goBuild builds the command in dir into tmp/name and returns its path. A
// missing go tool or a failed build fails the test; it is never skipped.
func goBuild(t *testing.T, tmp, dir, name string, flags ...string) string {
	t.Helper()
	goTool, err := exec.LookPath("go")
	require.NoError(t, err, "the go tool is not on PATH: install Go 1.26 and run `make test` (scripts/deps.sh checks what the tests need)")
	bin := filepath.Join(tmp, name)
	out, err := exec.Command(goTool, append(append([]string{"build"}, flags...), "-o", bin, dir)...).CombinedOutput()
	require.NoError(t, err, "building %s failed; fix the build and run `make test`, which vets and builds everything:\n%s", dir, out)
	return bin
}

// tillCode asks the binary for a new one-time code of a demo-store till.
func tillCode(t *testing.T, bin, data, terminal string) string {
	t.Helper()
	out, err := exec.Command(bin, "till", "code", "--data", data, "--till", "S0001/"+terminal).CombinedOutput()
	require.NoError(t, err, string(out))
	return strings.TrimSpace(string(out))
}

// TestPosctlSync runs `posctl sync` against a served scale unit: it activates
// a till with a one-time code and pulls the catalog in one pass.
func TestPosctlSync(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binaries")
	}
	tmp := t.TempDir()
	bin := goBuild(t, tmp, ".", "scaleunit")
	// The till is built as a release is (make dist): its version comes from -ldflags.
	const pkg = "github.com/opentill/opentill/internal/version"
	posctl := goBuild(t, tmp, "../posctl", "posctl", "-ldflags",
		"-X "+pkg+".version=v0.2.0-test -X "+pkg+".commit=0123456789abcdef -X "+pkg+".date=2026-12-02T00:00:00Z")
	out, err := exec.Command(posctl, "version").CombinedOutput()
	require.NoError(t, err, string(out))
	assert.Contains(t, string(out), "posctl v0.2.0-test\n  commit    0123456789abcdef\n  built     2026-12-02T00:00:00Z")
	data := filepath.Join(tmp, "su")
	out, err = exec.Command(bin, "seed", "--data", data, "--products", "300", "--quiet").CombinedOutput()
	require.NoError(t, err, string(out))
	srv := exec.Command(bin, "serve", "--data", data, "--addr", "127.0.0.1:0")
	stdout, err := srv.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, srv.Start())
	defer func() { _ = srv.Process.Kill(); _ = srv.Wait() }()
	line, err := bufio.NewReader(stdout).ReadString('\n')
	require.NoError(t, err)
	url := "http://" + strings.TrimSpace(strings.TrimPrefix(line, "listening "))

	tillData := filepath.Join(tmp, "till2")
	out, err = exec.Command(posctl, "sync", "--data", tillData, "--server", url, "--code", tillCode(t, bin, data, "T02"), "--quiet").CombinedOutput()
	require.NoError(t, err, string(out))
	assert.Contains(t, string(out), "activated as till S0001/T02")
	assert.Contains(t, string(out), "products 300")
	out, err = exec.Command(posctl, "sync", "--data", tillData, "--quiet").CombinedOutput()
	require.NoError(t, err, string(out))
	assert.Contains(t, string(out), "pushed 0, pulled config 0 staff 0 products 0 prices 0, pending 0")

	// The server lists the till by the version it sent.
	out, err = exec.Command(bin, "admin", "tills", "--data", data).CombinedOutput()
	require.NoError(t, err, string(out))
	assert.Regexp(t, `(?m)^v0\.2\.0-test +S0001/T02 +`+runtime.GOOS+`/`+runtime.GOARCH+` +\d+ +0 +20\d\d-`, string(out))
	assert.Contains(t, string(out), "v0.2.0-test: 1 till(s)")
	assert.Contains(t, string(out), "unknown (before v0.2.0, or never synced): ")
}
