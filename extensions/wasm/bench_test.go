package wasm_test

import (
	"context"
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"testing"
	"time"

	"github.com/opentill/opentill/extensions"
	"github.com/opentill/opentill/extensions/exttest"
	"github.com/opentill/opentill/extensions/wasm"
	"github.com/opentill/opentill/pos"
)

func pct(times []time.Duration, p int) float64 {
	s := append([]time.Duration(nil), times...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return float64(s[len(s)*p/100].Nanoseconds()) / 1e3
}

// BenchmarkProductSaleWasmPre compares a product sale with one WebAssembly
// pre-trigger (the module reads the 1–50-line cart and lets the sale run)
// with the same sale on a till without extensions, interleaved sale by
// sale (go test -bench WasmPre ./extensions/wasm/). "added" is the
// difference of the two p99s.
func BenchmarkProductSaleWasmPre(b *testing.B) {
	for _, caps := range [][]string{{"read_cart"}, {}} {
		b.Run(fmt.Sprintf("caps=%v", caps), func(b *testing.B) {
			man := map[string]any{"abi": 1, "id": "acme.quick", "name": "Quick", "version": "1", "hooks": map[string]any{"pre": []int{100}}, "capabilities": caps, "deadline_ms": 50}
			pkg, err := wasm.Read(pack(b, b.TempDir(), modules(b)["quick"], man), trust())
			if err != nil {
				b.Fatal(err)
			}
			base := exttest.New(b, exttest.Options{})
			base.SignIn("1001", "1234")
			ext := exttest.New(b, exttest.Options{Extensions: []extensions.Extension{wasm.New(pkg, wasm.Options{Cache: cache})}})
			ext.SignIn("1001", "1234")
			codes := []string{"4000000000013", "4000000000020", "4000000000037", "4000000000044", "4000000000051", "4000000000068", "4000000000075"}
			one := func(h *exttest.Host, i int) time.Duration {
				if i%50 == 0 && i > 0 {
					h.Must(pos.VoidTransaction{})
				}
				start := time.Now()
				h.Must(pos.ProductSale{Barcode: codes[i%len(codes)]})
				return time.Since(start)
			}
			var tb, te []time.Duration
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				tb = append(tb, one(base, i))
				te = append(te, one(ext, i))
			}
			b.StopTimer()
			if len(ext.Failures()) > 0 {
				b.Fatal(ext.Failures()[0].Err)
			}
			b.ReportMetric(pct(tb, 50), "base-p50-µs")
			b.ReportMetric(pct(te, 50), "wasm-p50-µs")
			b.ReportMetric(pct(tb, 99), "base-p99-µs")
			b.ReportMetric(pct(te, 99), "wasm-p99-µs")
			b.ReportMetric(pct(te, 99)-pct(tb, 99), "p99-added-µs")
		})
	}
}

// withSection returns module with a custom section appended: the same code,
// another hash, so that it compiles as a module of its own.
func withSection(module []byte, name string) []byte {
	payload := append(append(binary.AppendUvarint(nil, uint64(len(name))), name...), name...) // the name, then data
	out := append(append([]byte(nil), module...), 0)
	out = binary.AppendUvarint(out, uint64(len(payload)))
	return append(out, payload...)
}

// BenchmarkLoad10Modules starts a till's extensions from a data folder with
// ten signed modules (ten different binaries): reading and checking the
// packages, compiling (cold: an empty compilation cache; warm: the cache
// the previous start left in DATA/extensions/.cache) and instantiating
// them, beside the same start with no module (go test -bench Load10
// ./extensions/wasm/). module=pfand is the bottle-deposit example built
// with the guest SDK; module=tiny the smallest Go guest (no SDK), to show
// what a start costs per megabyte of module.
func BenchmarkLoad10Modules(b *testing.B) {
	for _, name := range []string{"pfand", "tiny"} {
		b.Run("module="+name, func(b *testing.B) { load10(b, modules(b)[name]) })
	}
}

func load10(b *testing.B, path string) {
	module, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	dir := b.TempDir()
	for i := range 10 {
		id := fmt.Sprintf("acme.pfand%d", i)
		tmp := filepath.Join(b.TempDir(), "m.wasm")
		if err := os.WriteFile(tmp, withSection(module, id), 0o644); err != nil {
			b.Fatal(err)
		}
		pack(b, dir, tmp, map[string]any{"abi": 1, "id": id, "name": "Pfand", "version": "1", "hooks": map[string]any{"post": []int{100}}, "capabilities": []string{"add_line"}})
	}
	if err := os.WriteFile(filepath.Join(dir, wasm.TrustFile), []byte(encodeKey()), 0o644); err != nil {
		b.Fatal(err)
	}
	empty := b.TempDir()
	start := func(dir string) time.Duration {
		t0 := time.Now()
		d, err := wasm.LoadDir(dir)
		if err != nil {
			b.Fatal(err)
		}
		if len(d.Refused) > 0 {
			b.Fatal(d.Refused[0])
		}
		set, err := extensions.Load(context.Background(), pos.NewRegistry(), extensions.Options{Skip: registered()}, d.Modules...)
		if err != nil {
			b.Fatal(err)
		}
		took := time.Since(t0)
		if err := set.Close(); err != nil {
			b.Fatal(err)
		}
		if err := d.Close(); err != nil {
			b.Fatal(err)
		}
		return took
	}
	var cold, warm, none []time.Duration
	for i := 0; i < b.N; i++ {
		os.RemoveAll(filepath.Join(dir, ".cache"))
		cold = append(cold, start(dir))
		warm = append(warm, start(dir))
		none = append(none, start(empty))
	}
	b.ReportMetric(float64(len(module))/1e6, "module-MB")
	b.ReportMetric(pct(cold, 50)/1e3, "cold-ms")
	b.ReportMetric(pct(warm, 50)/1e3, "warm-ms")
	b.ReportMetric(pct(none, 50)/1e3, "no-modules-ms")
}

func registered() []string {
	var out []string
	for _, i := range extensions.Registered() {
		out = append(out, i.ID)
	}
	return out
}
