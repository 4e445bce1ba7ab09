package tillsync_test

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/extensions/wasm"
	"github.com/opentill/opentill/offline/api"
	"github.com/opentill/opentill/offline/demo"
	"github.com/opentill/opentill/offline/scaleunit"
)

var (
	quickOnce sync.Once
	quickWasm []byte
	quickErr  error
)

// quickModule builds the benchmarks' guest module once per test binary.
func quickModule(t *testing.T) []byte {
	t.Helper()
	quickOnce.Do(func() {
		out := filepath.Join(os.TempDir(), "opentill-tillsync-quick.wasm")
		if quickErr = wasm.Build(ctx, "../../extensions/wasm/testdata/quick", out); quickErr == nil {
			quickWasm, quickErr = os.ReadFile(out)
			os.Remove(out)
		}
	})
	require.NoError(t, quickErr)
	return quickWasm
}

// signedPackage writes a package of module, signed with key, into a folder
// of dir and returns its three files.
func signedPackage(t *testing.T, dir, version string, module []byte, key ed25519.PrivateKey) (manifest, mod, sig []byte) {
	t.Helper()
	p := filepath.Join(dir, "acme.quick-"+version)
	require.NoError(t, os.MkdirAll(p, 0o755))
	manifest, err := json.Marshal(map[string]any{"abi": 1, "id": "acme.quick", "name": "Quick", "version": version,
		"hooks": map[string]any{"pre": []int{100}}, "capabilities": []string{"read_cart"}, "memory_mb": 32, "deadline_ms": 200})
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(p, wasm.ManifestFile), manifest, 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(p, "module.wasm"), module, 0o644))
	require.NoError(t, wasm.Sign(p, key))
	sig, err = os.ReadFile(filepath.Join(p, wasm.SignatureFile))
	require.NoError(t, err)
	return manifest, module, sig
}

func keyLine(k ed25519.PrivateKey) string {
	return "# Acme\n" + base64.StdEncoding.EncodeToString(k.Public().(ed25519.PublicKey)) + "\n"
}

// TestExtensionsComeFromTheServer: a signed WebAssembly package published
// at the store server, with the store's trusted key, reaches a till
// activated on an empty folder, which loads it; a new version replaces
// it, a withdrawn one is removed, a package installed by hand is left
// alone, a module damaged on the way is never written, and the server
// refuses a package whose signature does not match before any till sees
// it.
func TestExtensionsComeFromTheServer(t *testing.T) {
	mod := quickModule(t)
	s := startServer(t, 50)
	_, vendor, err := ed25519.GenerateKey(rand.Reader)
	require.NoError(t, err)
	pkgs := t.TempDir()

	man, _, sig := signedPackage(t, pkgs, "1.0.0", mod, vendor)
	bad := append([]byte(nil), mod...)
	bad[len(bad)/2] ^= 0xff
	_, err = s.St.PublishExtension(ctx, "", man, bad, sig)
	assert.ErrorIs(t, err, scaleunit.ErrInvalid, "a module changed after it was signed is refused at the server")
	assert.ErrorContains(t, err, "does not match the vendor's signature")
	assert.ErrorIs(t, s.St.PutDocument(ctx, demo.StoreID, api.DocExtensionKeys, []byte("not a key\n")), scaleunit.ErrInvalid)

	require.NoError(t, s.St.PutDocument(ctx, demo.StoreID, api.DocExtensionKeys, []byte(keyLine(vendor))))
	pub, err := s.St.PublishExtension(ctx, "", man, mod, sig)
	require.NoError(t, err)
	assert.Equal(t, "acme.quick", pub.ID)

	a := newTill(t, s, "T01", s.URL)
	hand := filepath.Join(a.Dir, "extensions", "acme.byhand")
	require.NoError(t, os.MkdirAll(hand, 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(hand, wasm.ManifestFile), []byte(`{"abi":1,"id":"acme.byhand"}`), 0o644))
	res, err := a.Eng.PassResult(ctx)
	require.NoError(t, err)
	assert.EqualValues(t, 1, res.Pulled["extensions"])
	load := func(dir string) *wasm.Dir {
		t.Helper()
		d, err := wasm.LoadDir(filepath.Join(dir, "extensions"))
		require.NoError(t, err)
		t.Cleanup(func() { d.Close() })
		return d
	}
	d := load(a.Dir)
	require.Len(t, d.Modules, 1, "%v", d.Refused)
	assert.Equal(t, "acme.quick", d.Modules[0].ExtensionInfo().ID)
	assert.Equal(t, "1.0.0", d.Modules[0].ExtensionInfo().Version)
	require.Len(t, d.Refused, 1, "the half-made package by hand is refused, not removed")

	res, err = a.Eng.PassResult(ctx)
	require.NoError(t, err)
	assert.Zero(t, res.Pulled["extensions"], "nothing new")

	man2, _, sig2 := signedPackage(t, pkgs, "1.1.0", mod, vendor)
	_, err = s.St.PublishExtension(ctx, "", man2, mod, sig2)
	require.NoError(t, err)
	pass(t, a)
	assert.Equal(t, "1.1.0", load(a.Dir).Modules[0].ExtensionInfo().Version)

	// A till behind a proxy that damages modules installs none.
	ps := damagingProxy(t, s, api.PathExtensionModules)
	b := newTill(t, s, "T02", ps.URL)
	res, err = b.Eng.PassResult(ctx)
	require.NoError(t, err, "a damaged module does not fail the pass")
	assert.Zero(t, res.Pulled["extensions"])
	assert.NoDirExists(t, filepath.Join(b.Dir, "extensions", "acme.quick"))

	// The store no longer trusts the vendor: the package stays but is refused.
	_, other, err := ed25519.GenerateKey(rand.Reader)
	require.NoError(t, err)
	require.NoError(t, s.St.PutDocument(ctx, demo.StoreID, api.DocExtensionKeys, []byte(keyLine(other))))
	pass(t, a)
	d = load(a.Dir)
	assert.Empty(t, d.Modules)
	var untrusted bool
	for _, e := range d.Refused {
		untrusted = untrusted || strings.Contains(e.Error(), wasm.ErrUntrusted.Error())
	}
	assert.True(t, untrusted, "%v", d.Refused)

	require.NoError(t, s.St.WithdrawExtension(ctx, "", "acme.quick"))
	assert.ErrorIs(t, s.St.WithdrawExtension(ctx, "", "acme.quick"), scaleunit.ErrNotFound)
	res, err = a.Eng.PassResult(ctx)
	require.NoError(t, err)
	assert.EqualValues(t, 1, res.Pulled["extensions"])
	assert.NoDirExists(t, filepath.Join(a.Dir, "extensions", "acme.quick"))
	assert.DirExists(t, hand, "a package installed by hand is the till's")
}
