package main

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/extensions/wasm"
	"github.com/opentill/opentill/offline/scaleunit"
)

// scaleunit extension publish checks the signature before any till sees
// the package; list and withdraw show and take it back.
func TestExtensionCommands(t *testing.T) {
	dir := t.TempDir()
	st, err := scaleunit.OpenSQLite(dir)
	require.NoError(t, err)
	require.NoError(t, scaleunit.Seed(context.Background(), st, 5, nil))
	require.NoError(t, st.Close())
	run := func(args ...string) (string, error) {
		var out bytes.Buffer
		c := rootCmd()
		c.SetArgs(append(append([]string{"extension"}, args...), "--data", dir))
		c.SetOut(&out)
		c.SetErr(&out)
		err := c.Execute()
		return out.String(), err
	}
	pkg := filepath.Join(t.TempDir(), "acme.hello")
	require.NoError(t, os.MkdirAll(pkg, 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(pkg, wasm.ManifestFile),
		[]byte(`{"abi":1,"id":"acme.hello","name":"Hello","version":"0.3.0","hooks":{"pre":[100]},"capabilities":[]}`), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(pkg, "module.wasm"), []byte("\x00asm\x01\x00\x00\x00"), 0o644))
	_, err = run("publish", "--dir", pkg)
	assert.ErrorContains(t, err, "not signed")
	_, key, err := ed25519.GenerateKey(rand.Reader)
	require.NoError(t, err)
	require.NoError(t, wasm.Sign(pkg, key))
	require.NoError(t, os.WriteFile(filepath.Join(pkg, "module.wasm"), []byte("\x00asm\x01\x00\x00\x01"), 0o644))
	_, err = run("publish", "--dir", pkg)
	assert.ErrorContains(t, err, "does not match the vendor's signature", "changed after signing")
	require.NoError(t, wasm.Sign(pkg, key))
	out, err := run("publish", "--dir", pkg, "--store", "S0001")
	require.NoError(t, err, out)
	assert.Contains(t, out, "acme.hello 0.3.0 published for store S0001")
	out, err = run("list", "--store", "S0001")
	require.NoError(t, err)
	assert.Contains(t, out, "acme.hello  0.3.0")
	out, err = run("list")
	require.NoError(t, err)
	assert.NotContains(t, out, "acme.hello", "published for one store, not for every store")
	_, err = run("publish", "--dir", pkg, "--store", "S9999")
	assert.ErrorContains(t, err, "S9999")
	out, err = run("withdraw", "--id", "acme.hello", "--store", "S0001")
	require.NoError(t, err, out)
	_, err = run("withdraw", "--id", "acme.hello", "--store", "S0001")
	assert.ErrorContains(t, err, "was not published")
}
