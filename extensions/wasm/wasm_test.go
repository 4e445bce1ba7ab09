package wasm_test

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/tetratelabs/wazero"

	"github.com/opentill/opentill/extensions"
	"github.com/opentill/opentill/extensions/exttest"
	"github.com/opentill/opentill/extensions/wasm"
	"github.com/opentill/opentill/pos"
	"github.com/opentill/opentill/pos/poserr"
)

const (
	beer = "4000000000181"
	milk = "4000000000013"
)

var (
	buildOnce sync.Once
	built     map[string]string // guest name → .wasm path
	buildErr  error
	vendor    ed25519.PrivateKey
	cache     = wazero.NewCompilationCache() // the modules compile once for all tests
)

// modules builds the guest modules with the Go toolchain, once per test run:
// no binary .wasm is committed.
func modules(t testing.TB) map[string]string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "opentill-wasm-")
		if err != nil {
			buildErr = err
			return
		}
		built = map[string]string{}
		for name, pkg := range map[string]string{"naughty": "testdata/naughty", "pfand": "examples/pfand", "quick": "testdata/quick", "tiny": "testdata/tiny"} {
			out := filepath.Join(dir, name+".wasm")
			if buildErr = wasm.Build(context.Background(), pkg, out); buildErr != nil {
				return
			}
			built[name] = out
		}
		_, vendor, buildErr = ed25519.GenerateKey(rand.Reader)
	})
	require.NoError(t, buildErr)
	return built
}

// pack writes a signed package of module with the manifest into a folder of
// dir and returns the folder.
func pack(t testing.TB, dir, module string, man map[string]any) string {
	t.Helper()
	p := filepath.Join(dir, fmt.Sprint(man["id"]))
	require.NoError(t, os.MkdirAll(p, 0o755))
	b, err := json.MarshalIndent(man, "", "  ")
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(p, wasm.ManifestFile), b, 0o644))
	w, err := os.ReadFile(module)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(p, "module.wasm"), w, 0o644))
	require.NoError(t, wasm.Sign(p, vendor))
	return p
}

func trust() wasm.Trust { return wasm.Trust{vendor.Public().(ed25519.PublicKey)} }

func encodeKey() string {
	return base64.StdEncoding.EncodeToString(vendor.Public().(ed25519.PublicKey)) + "\n"
}

func naughty(mode string, extra map[string]any) map[string]any {
	m := map[string]any{"abi": 1, "id": "acme.naughty", "name": "Naughty", "version": "0.1.0",
		"hooks": map[string]any{"pre": []int{100}, "post": []int{100}}, "capabilities": []string{"read_cart"},
		"memory_mb": 32, "deadline_ms": 100, "config": map[string]string{"mode": mode, "when": beer}}
	for k, v := range extra {
		m[k] = v
	}
	return m
}

func hostWith(t *testing.T, p string) *exttest.Host {
	t.Helper()
	pkg, err := wasm.Read(p, trust())
	require.NoError(t, err)
	h := exttest.New(t, exttest.Options{Extensions: []extensions.Extension{wasm.New(pkg, wasm.Options{Cache: cache})}, TriggerTimeout: 2 * time.Second})
	h.SignIn("1001", "1234")
	return h
}

func TestAMisbehavingModuleIsStoppedAndTheSaleGoesOn(t *testing.T) {
	mods := modules(t)
	for name, tc := range map[string]struct {
		mode, policy, said string
		cancelled          bool
	}{
		"panic":          {mode: "panic", said: "naughty: boom"},
		"endless loop":   {mode: "loop", said: "did not answer within 100"},
		"memory":         {mode: "alloc", said: "out of memory"},
		"sleep":          {mode: "sleep", said: "did not answer within 100"},
		"panic, cancel":  {mode: "panic", policy: "cancel", cancelled: true, said: "naughty: boom"},
		"loop, cancel":   {mode: "loop", policy: "cancel", cancelled: true, said: "did not answer"},
		"ungranted ask":  {mode: "ask", said: "does not grant (capability prompt)"},
		"ungranted line": {mode: "line", said: "does not grant (capability add_line)"},
		"ungranted op":   {mode: "void", said: "may ask only for product sales"},
	} {
		t.Run(name, func(t *testing.T) {
			extra := map[string]any{"on_failure": tc.policy}
			if tc.mode == "alloc" {
				extra["deadline_ms"] = 1000 // the memory limit, not the clock, stops it
			}
			h := hostWith(t, pack(t, t.TempDir(), mods["naughty"], naughty(tc.mode, extra)))
			h.Must(pos.ProductSale{Barcode: milk})
			start := time.Now()
			_, err := h.Do(pos.ProductSale{Barcode: beer})
			assert.Less(t, time.Since(start), 1800*time.Millisecond, "stopped near its deadline")
			if tc.cancelled {
				require.Error(t, err)
				assert.Equal(t, poserr.Cancelled, poserr.KindOf(err))
				assert.Len(t, h.Cart().Lines, 1)
			} else {
				require.NoError(t, err)
				assert.Len(t, h.Cart().Lines, 2, "the beer is sold without the module")
			}
			h.Must(pos.ProductSale{Barcode: beer}) // the module is off: nothing stops the sale now
			done := h.Must(pos.PayCashExact{})
			require.NotNil(t, done.Completed, "no sale is lost")
			fails := h.Failures()
			require.Len(t, fails, 1)
			assert.True(t, fails[0].Disabled)
			assert.Contains(t, fails[0].Err.Error(), tc.said)
			mod := h.Set.Loaded()[0].Ext
			if m, ok := mod.(*wasm.Module); ok && tc.mode != "ask" && tc.mode != "line" && tc.mode != "void" {
				require.Eventually(t, func() bool { return m.Stopped() != nil }, time.Second, 5*time.Millisecond, "the module itself is stopped, not only waited for")
			}
			j := h.Journal()
			require.Len(t, j, 1)
			assert.Equal(t, "disabled", j[0].Data["event"])
			assert.Equal(t, "acme.naughty", j[0].Data["extension"])
			assert.Contains(t, h.Disabled(), "acme.naughty")
		})
	}
}

func TestAWellBehavedModuleRefusesAndAsks(t *testing.T) {
	mods := modules(t)
	h := hostWith(t, pack(t, t.TempDir(), mods["naughty"], naughty("refuse", nil)))
	_, err := h.Do(pos.ProductSale{Barcode: beer})
	var ref *pos.Refusal
	require.ErrorAs(t, err, &ref)
	assert.Equal(t, "Heute nicht.", ref.Localized("de"))
	assert.Empty(t, h.Disabled())

	h2 := hostWith(t, pack(t, t.TempDir(), mods["naughty"], naughty("ask", map[string]any{"capabilities": []string{"prompt"}})))
	_, err = h2.Do(pos.ProductSale{Barcode: beer})
	q := exttest.Question(err)
	require.NotNil(t, q)
	assert.Equal(t, "Sure?", q.Panel.Title.In("en"))
}

func TestAModuleReadsTheCartWhenItAsks(t *testing.T) {
	mods := modules(t)
	h := hostWith(t, pack(t, t.TempDir(), mods["naughty"], naughty("cart", nil)))
	_, err := h.Do(pos.ProductSale{Barcode: beer})
	var ref *pos.Refusal
	require.ErrorAs(t, err, &ref)
	assert.Equal(t, "no transaction", ref.Localized("en"))
	// More lines than the guest's first buffer holds: it asks again.
	for range 200 {
		h.Must(pos.ProductSale{Barcode: milk})
	}
	total := h.Cart().Totals.Total
	_, err = h.Do(pos.ProductSale{Barcode: beer})
	require.ErrorAs(t, err, &ref)
	assert.Equal(t, fmt.Sprintf("200 lines, total %d, %s", total, h.Cart().Lines[199].Name), ref.Localized("en"))
	assert.Empty(t, h.Disabled())

	// Without read_cart, asking for it stops the module; the sale goes on.
	h2 := hostWith(t, pack(t, t.TempDir(), mods["naughty"], naughty("cart", map[string]any{"capabilities": []string{}})))
	h2.Must(pos.ProductSale{Barcode: milk})
	h2.Must(pos.ProductSale{Barcode: beer})
	require.Len(t, h2.Failures(), 1)
	assert.Contains(t, h2.Failures()[0].Err.Error(), "does not grant (capability read_cart)")
	assert.Len(t, h2.Cart().Lines, 2)
}

func TestSignaturesAndManifestsAreChecked(t *testing.T) {
	mods := modules(t)
	dir := t.TempDir()
	p := pack(t, dir, mods["naughty"], naughty("refuse", nil))
	_, err := wasm.Read(p, nil)
	assert.ErrorIs(t, err, wasm.ErrUntrusted)
	assert.ErrorContains(t, err, "add the vendor's key to extensions/trusted_keys")

	b, err := os.ReadFile(filepath.Join(p, "module.wasm"))
	require.NoError(t, err)
	b[len(b)/2] ^= 0xff
	require.NoError(t, os.WriteFile(filepath.Join(p, "module.wasm"), b, 0o644))
	_, err = wasm.Read(p, trust())
	assert.ErrorIs(t, err, wasm.ErrTampered)
	assert.ErrorContains(t, err, "extension acme.naughty was changed after it was signed")

	for name, tc := range map[string]struct {
		change map[string]any
		want   string
	}{
		"unknown capability": {map[string]any{"capabilities": []string{"network"}}, `capability "network" is not one a till grants`},
		"bad ID":             {map[string]any{"id": "Naughty"}, "write vendor.name"},
		"memory":             {map[string]any{"memory_mb": 4096}, "memory_mb 4096"},
		"abi":                {map[string]any{"abi": 2}, "ABI 1"},
		"policy":             {map[string]any{"on_failure": "ignore"}, "write continue or cancel"},
	} {
		t.Run(name, func(t *testing.T) {
			m := naughty("refuse", tc.change)
			if id, ok := tc.change["id"]; ok {
				m["id"] = id
			}
			p := filepath.Join(t.TempDir(), "pkg")
			require.NoError(t, os.MkdirAll(p, 0o755))
			b, _ := json.Marshal(m)
			require.NoError(t, os.WriteFile(filepath.Join(p, wasm.ManifestFile), b, 0o644))
			_, err := wasm.Read(p, trust())
			assert.ErrorContains(t, err, tc.want)
		})
	}
}

func TestLoadDirLoadsTrustedPackagesAndRefusesTheRest(t *testing.T) {
	mods := modules(t)
	dir := t.TempDir()
	pack(t, dir, mods["naughty"], naughty("refuse", nil))
	other := naughty("refuse", map[string]any{"id": "acme.other"})
	p := pack(t, dir, mods["naughty"], other)
	require.NoError(t, os.WriteFile(filepath.Join(p, wasm.ManifestFile), []byte(`{"abi":1,"id":"acme.other","name":"Changed","version":"9","hooks":{"pre":[100]},"capabilities":[]}`), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, wasm.TrustFile), []byte("# the vendor\n"+base64.StdEncoding.EncodeToString(vendor.Public().(ed25519.PublicKey))+"\n"), 0o644))
	d, err := wasm.LoadDir(dir)
	require.NoError(t, err)
	defer d.Close()
	require.Len(t, d.Modules, 1)
	assert.Equal(t, "acme.naughty", d.Modules[0].ExtensionInfo().ID)
	require.Len(t, d.Refused, 1)
	assert.ErrorIs(t, d.Refused[0], wasm.ErrTampered)
}

// pfandPackage packs the example with its own manifest.
func pfandPackage(t *testing.T, dir string) string {
	t.Helper()
	b, err := os.ReadFile("examples/pfand/manifest.json")
	require.NoError(t, err)
	var man map[string]any
	require.NoError(t, json.Unmarshal(b, &man))
	return pack(t, dir, modules(t)["pfand"], man)
}

func TestASecondStartUsesTheRewrittenModuleAndSurvivesADamagedOne(t *testing.T) {
	mods := modules(t)
	dir := t.TempDir()
	pack(t, dir, mods["naughty"], naughty("refuse", nil))
	require.NoError(t, os.WriteFile(filepath.Join(dir, wasm.TrustFile), []byte(encodeKey()), 0o644))
	start := func() {
		t.Helper()
		d, err := wasm.LoadDir(dir)
		require.NoError(t, err)
		require.Empty(t, d.Refused)
		require.Len(t, d.Modules, 1)
		h := exttest.New(t, exttest.Options{Extensions: d.Modules})
		h.SignIn("1001", "1234")
		_, err = h.Do(pos.ProductSale{Barcode: beer})
		var ref *pos.Refusal
		require.ErrorAs(t, err, &ref, "the module runs")
		require.NoError(t, h.Set.Close())
		require.NoError(t, d.Close())
	}
	start()
	kept, err := filepath.Glob(filepath.Join(dir, ".cache", "rewritten", "*.wasm"))
	require.NoError(t, err)
	require.Len(t, kept, 1, "the rewritten module is kept")
	good, err := os.ReadFile(kept[0])
	require.NoError(t, err)
	start()
	// A damaged file (a power cut, a full disk) is rewritten afresh.
	require.NoError(t, os.WriteFile(kept[0], good[:len(good)/2], 0o644))
	start()
	again, err := os.ReadFile(kept[0])
	require.NoError(t, err)
	assert.Equal(t, good, again)
}

func TestPfandAddsTheDepositAndRefundsItOnReturn(t *testing.T) {
	h := hostWith(t, pfandPackage(t, t.TempDir()))
	res := h.Must(pos.ProductSale{Barcode: "4000000000174", Qty: 2000}) // 2 × Cola 1.5 L
	require.Len(t, res.Cart.Lines, 2, "the deposit line follows")
	dep := res.Cart.Lines[1]
	assert.Equal(t, "10030", dep.ProductID)
	assert.EqualValues(t, 2000, dep.Qty)
	assert.EqualValues(t, 25, dep.UnitPrice)
	h.Must(pos.ProductSale{Barcode: milk}) // no deposit code
	assert.Len(t, h.Cart().Lines, 3)
	done := h.Must(pos.PayCashExact{})
	assert.EqualValues(t, 169*2+25*2+119, done.Completed.Totals.Total)

	h.Must(pos.SignOut{})
	h.SignIn("2001", "2468") // returns without a receipt are the manager's
	res = h.Must(pos.ReturnProduct{Barcode: "4000000000174", Qty: 1000})
	require.Len(t, res.Cart.Lines, 2)
	assert.Equal(t, "10030", res.Cart.Lines[1].ProductID)
	assert.EqualValues(t, -1000, res.Cart.Lines[1].Qty, "the deposit is refunded")
	assert.Empty(t, h.Failures())
}

func TestAModuleThatCannotBeCheckedIsRefused(t *testing.T) {
	modules(t) // the vendor key
	m := naughty("refuse", nil)
	p := filepath.Join(t.TempDir(), "pkg")
	require.NoError(t, os.MkdirAll(p, 0o755))
	b, _ := json.Marshal(m)
	require.NoError(t, os.WriteFile(filepath.Join(p, wasm.ManifestFile), b, 0o644))
	// imports sched_yield; a function whose body uses a SIMD instruction (v128.const)
	imp := "\x16wasi_snapshot_preview1" + "\x0bsched_yield" + "\x00\x01"
	bin := []byte("\x00asm\x01\x00\x00\x00" +
		"\x01\x08\x02\x60\x00\x00\x60\x00\x01\x7f" +
		"\x02" + string(rune(len(imp)+1)) + "\x01" + imp +
		"\x03\x02\x01\x00" +
		"\x0a\x17\x01\x15\x00\xfd\x0c" + "0123456789abcdef" + "\x1a\x0b") // v128.const, drop, end
	require.NoError(t, os.WriteFile(filepath.Join(p, "module.wasm"), bin, 0o644))
	require.NoError(t, wasm.Sign(p, vendor))
	pkg, err := wasm.Read(p, trust())
	require.NoError(t, err)
	_, err = extensions.Load(context.Background(), pos.NewRegistry(), extensions.Options{Skip: registered()}, wasm.New(pkg, wasm.Options{}))
	assert.ErrorContains(t, err, "cannot be run with a deadline")
	assert.ErrorContains(t, err, "SIMD")
}

// TestALoopingModuleDoesNotStopTheWorld: compiled wasm code cannot be
// preempted, so a module that never left it would hold up the host's
// garbage collector (and with it the whole till) until its deadline; the
// rewritten module leaves it every 4096 loop iterations.
func TestALoopingModuleDoesNotStopTheWorld(t *testing.T) {
	mods := modules(t)
	h := hostWith(t, pack(t, t.TempDir(), mods["naughty"], naughty("loop", map[string]any{"deadline_ms": 1500})))
	done := make(chan struct{})
	go func() {
		defer close(done)
		_, _ = h.Do(pos.ProductSale{Barcode: beer})
	}()
	time.Sleep(100 * time.Millisecond) // the module is looping now
	start := time.Now()
	runtime.GC()
	assert.Less(t, time.Since(start), 500*time.Millisecond, "a collection does not wait for the module's deadline")
	<-done
}
