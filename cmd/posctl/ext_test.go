package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/extensions/wasm"
)

// TestAWasmPackageFromKeygenToTheTextTill: a vendor makes a key, builds and
// signs the bottle-deposit example; the till trusts the key, checks the
// package and sells with it; a tampered copy is refused.
func TestAWasmPackageFromKeygenToTheTextTill(t *testing.T) {
	dir := seeded(t)
	pkg := filepath.Join(dir, "extensions", "pfand")
	require.NoError(t, os.MkdirAll(pkg, 0o755))
	require.NoError(t, wasm.Build(context.Background(), "../../extensions/wasm/examples/pfand", filepath.Join(pkg, "module.wasm")))
	man, err := os.ReadFile("../../extensions/wasm/examples/pfand/manifest.json")
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(pkg, "manifest.json"), man, 0o644))

	key := filepath.Join(t.TempDir(), "vendor.key")
	pub, err := run(t, "ext", "keygen", "--out", key)
	require.NoError(t, err, pub)
	out, err := run(t, "ext", "sign", "--key", key, pkg)
	require.NoError(t, err, out)

	_, err = run(t, "ext", "check", "--data", dir, pkg)
	require.Error(t, err, "not trusted yet")
	assert.ErrorContains(t, err, "does not trust")
	require.NoError(t, os.WriteFile(filepath.Join(dir, "extensions", "trusted_keys"), []byte("# ACME\n"+pub), 0o644))
	out, err = run(t, "ext", "check", "--data", dir, pkg)
	require.NoError(t, err, out)
	assert.Contains(t, out, "opentill.pfand 1.0.0 (Bottle deposit (Pfand)): signed by")

	out, err = runIn(t, "signin 1001 1234\nshift open 100.00\nscan 4000000000174\ncart\nquit\n", "till", "--data", dir, "--profile", "none")
	require.NoError(t, err, out)
	assert.Contains(t, out, "Bottle Deposit", "the module added the deposit line: %s", out)

	out, err = run(t, "ext", "list")
	require.NoError(t, err, out)
	assert.Contains(t, out, "opentill.stampcard")
	assert.Contains(t, out, `opentill.and-st          scale driver (hardware profile: [scale] driver = "opentill.and-st")`)

	out, err = run(t, "ext", "list", "--data", dir)
	require.NoError(t, err, out)
	assert.Contains(t, out, "opentill.pfand")
	assert.Contains(t, out, "capabilities add_line")

	f, err := os.OpenFile(filepath.Join(pkg, "module.wasm"), os.O_APPEND|os.O_WRONLY, 0)
	require.NoError(t, err)
	_, err = f.Write([]byte{0})
	require.NoError(t, err)
	require.NoError(t, f.Close())
	out, err = run(t, "ext", "list", "--data", dir)
	require.NoError(t, err, out)
	assert.True(t, strings.Contains(out, "refused: extension opentill.pfand was changed after it was signed"), out)
}
