package wasm

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sync"

	"github.com/tetratelabs/wazero"

	"github.com/opentill/opentill/extensions"
)

// Dir is what a till found in DATA/extensions: the packages it loads and
// the ones it refused, each with why.
type Dir struct {
	Modules []extensions.Extension
	Refused []error
	Cache   wazero.CompilationCache
}

// Close releases the compilation cache.
func (d *Dir) Close() error {
	if d == nil || d.Cache == nil {
		return nil
	}
	return d.Cache.Close(context.Background())
}

// LoadDir reads the packages in dir (a till's DATA/extensions), checking
// each one's manifest and signature against dir's trusted_keys and the
// keys the store server sent (trusted_keys.store). A package
// that fails is refused (listed with why), never loaded; the others load.
// Compiled modules, and modules rewritten for their deadline, are cached
// in dir/.cache, so a till starts faster the second time.
func LoadDir(dir string) (*Dir, error) {
	trust, err := LoadTrust(filepath.Join(dir, TrustFile))
	if err != nil {
		return nil, err
	}
	store, err := LoadTrust(filepath.Join(dir, StoreTrustFile))
	if err != nil {
		return nil, err
	}
	trust = append(trust, store...)
	pkgs, err := Packages(dir)
	if err != nil {
		return nil, err
	}
	d := &Dir{}
	if len(pkgs) == 0 {
		return d, nil
	}
	rewrites := filepath.Join(dir, ".cache", "rewritten")
	if d.Cache, err = wazero.NewCompilationCacheWithDir(filepath.Join(dir, ".cache")); err != nil {
		d.Cache, rewrites = wazero.NewCompilationCache(), ""
	}
	// Read, check, compile and start on every core: most of a start-up is
	// wazero decoding, validating and (the first time) compiling the
	// modules, then each Go guest's runtime starting (_initialize); reading
	// a package hashes its module for the signature.
	mods := make([]*Module, len(pkgs))
	errs := make([]error, len(pkgs))
	jobs := make(chan int)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(pkgs)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				pkg, err := Read(pkgs[i], trust)
				if err != nil {
					errs[i] = err
					continue
				}
				mods[i] = moduleOf(New(pkg, Options{Cache: d.Cache, Rewritten: rewrites}))
				if err := mods[i].compile(context.Background()); err != nil {
					errs[i] = fmt.Errorf("extension %s: %w", mods[i].man.ID, err)
				} else if err := mods[i].start(context.Background()); err != nil {
					errs[i] = fmt.Errorf("extension %s: %w", mods[i].man.ID, err)
				}
			}
		}()
	}
	for i := range pkgs {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	for i, m := range mods {
		if errs[i] != nil {
			d.Refused = append(d.Refused, errs[i])
			if m != nil {
				_ = m.Cleanup()
			}
			continue
		}
		d.Modules = append(d.Modules, m.ext())
	}
	return d, nil
}

// Build compiles the guest module in the Go package folder pkg to out with
// the Go toolchain: GOOS=wasip1 GOARCH=wasm go build -buildmode=c-shared.
func Build(ctx context.Context, pkg, out string) error {
	cmd := exec.CommandContext(ctx, "go", "build", "-trimpath", "-buildmode=c-shared", "-o", out, ".")
	cmd.Dir = pkg
	cmd.Env = append(os.Environ(), "GOOS=wasip1", "GOARCH=wasm", "CGO_ENABLED=0")
	if b, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("building the module in %s: %w\n%s", pkg, err, b)
	}
	return nil
}
