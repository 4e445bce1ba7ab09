package secretfile

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCreateReplaceRead(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "secret")
	require.NoError(t, Create(p, []byte("one")))
	assert.ErrorIs(t, Create(p, []byte("two")), ErrExists, "an existing secret is never overwritten by Create")
	b, err := Read(p)
	require.NoError(t, err)
	assert.Equal(t, "one", string(b))
	require.NoError(t, Replace(p, []byte("three")))
	b, err = Read(p)
	require.NoError(t, err)
	assert.Equal(t, "three", string(b))
	left, err := filepath.Glob(filepath.Join(dir, ".*"))
	require.NoError(t, err)
	assert.Empty(t, left, "no temporary files are left behind")
	if runtime.GOOS != "windows" {
		fi, err := os.Stat(p)
		require.NoError(t, err)
		assert.Equal(t, Mode, fi.Mode().Perm())
	}
}

func TestReadNarrowsAWideFile(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no Unix permissions")
	}
	p := filepath.Join(t.TempDir(), "secret")
	require.NoError(t, os.WriteFile(p, []byte("x"), 0o644))
	_, err := Read(p)
	require.NoError(t, err)
	fi, err := os.Stat(p)
	require.NoError(t, err)
	assert.Equal(t, Mode, fi.Mode().Perm())
}

func TestCreateExclusive(t *testing.T) {
	p := filepath.Join(t.TempDir(), "secret")
	require.NoError(t, createExclusive(p, []byte("a")))
	assert.ErrorIs(t, createExclusive(p, []byte("b")), ErrExists)
	b, err := Read(p)
	require.NoError(t, err)
	assert.Equal(t, "a", string(b))
}
