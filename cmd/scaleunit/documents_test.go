package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/offline/scaleunit"
)

// TestDocumentRemove: scaleunit document remove takes a store's document
// from its tills, and needs --name (never the promotions by default).
func TestDocumentRemove(t *testing.T) {
	dir := t.TempDir()
	st, err := scaleunit.OpenSQLite(dir)
	require.NoError(t, err)
	require.NoError(t, scaleunit.Seed(context.Background(), st, 5, nil))
	require.NoError(t, st.Close())
	doc := func(args ...string) (string, error) {
		var out bytes.Buffer
		c := rootCmd()
		c.SetArgs(append(append([]string{"document"}, args...), "--data", dir, "--store", "S0001"))
		c.SetOut(&out)
		c.SetErr(&out)
		err := c.Execute()
		return out.String(), err
	}
	prof := filepath.Join(t.TempDir(), "t01.toml")
	require.NoError(t, os.WriteFile(prof, []byte("name = \"T01\"\n[printer]\ndriver = \"virtual\"\ndir = \"receipts\"\n"), 0o644))
	out, err := doc("set", "--name", "hardware/T01", "--file", prof)
	require.NoError(t, err, out)
	_, err = doc("remove")
	assert.ErrorContains(t, err, `"name" not set`)
	out, err = doc("remove", "--name", "hardware/T01")
	require.NoError(t, err, out)
	assert.Contains(t, out, "hardware/T01 removed")
	_, err = doc("show", "--name", "hardware/T01")
	assert.ErrorIs(t, err, scaleunit.ErrNotFound)
	_, err = doc("remove", "--name", "hardware/T01")
	assert.ErrorIs(t, err, scaleunit.ErrNotFound, "removed once")
	out, err = doc("show", "--name", "promotions")
	require.NoError(t, err)
	assert.NotEmpty(t, out, "the promotions stay")
}
