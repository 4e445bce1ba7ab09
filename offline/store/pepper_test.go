package store_test

import (
	"bytes"
	"encoding/base64"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/offline/store"
	"github.com/opentill/opentill/pos/poserr"
	"github.com/opentill/opentill/pos/staff"
)

// The PIN pepper lives in its own file beside the database, mode 0600, and
// nowhere in the database: a copy of the database files alone (a backup, a
// folder copied off a stolen disk without pin.pepper) holds peppered
// hashes and no pepper to check guesses with.
func TestPepperFileIsNotInTheDatabase(t *testing.T) {
	s, dir := openStore(t)
	pepper := staff.NewPepper()
	h, err := staff.HashPeppered("1234", pepper, staff.FastParams)
	require.NoError(t, err)
	require.NoError(t, s.PutOperator(ctx, staff.Operator{ID: "1009", Name: "Kim", RoleID: "cashier", PasswordHash: h}))
	require.NoError(t, s.SetPINPepper(ctx, pepper))

	path := filepath.Join(dir, store.PepperFile)
	fi, err := os.Stat(path)
	require.NoError(t, err)
	if runtime.GOOS != "windows" {
		assert.Equal(t, os.FileMode(0o600), fi.Mode().Perm())
	}
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, base64.StdEncoding.EncodeToString(pepper)+"\n", string(b))

	// Nothing of the pepper in the database files, in either form; the
	// hash is there.
	copyDir := t.TempDir()
	var db []byte
	for _, name := range []string{store.FileName, store.FileName + "-wal"} {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if os.IsNotExist(err) {
			continue
		}
		require.NoError(t, err)
		db = append(db, data...)
		require.NoError(t, os.WriteFile(filepath.Join(copyDir, name), data, 0o600))
	}
	require.Contains(t, string(db), h, "the scan reads the database")
	assert.False(t, bytes.Contains(db, pepper), "the raw pepper is not in the database")
	assert.NotContains(t, string(db), base64.StdEncoding.EncodeToString(pepper), "nor its base64")

	// The database copied alone opens with its operators and no pepper.
	c, err := store.Open(copyDir)
	require.NoError(t, err)
	defer c.Close()
	o, err := c.Operator(ctx, "1009")
	require.NoError(t, err)
	got, err := c.PINPepper(ctx)
	require.NoError(t, err)
	assert.Nil(t, got)
	_, err = staff.Check("1234", o.PasswordHash, got)
	assert.ErrorIs(t, err, staff.ErrNoPepper, "the copied hash cannot be checked")
}

// A damaged pepper file is an error that says how to get the pepper back.
func TestDamagedPepperFile(t *testing.T) {
	s, dir := openStore(t)
	for _, bad := range []string{"not base64!", base64.StdEncoding.EncodeToString([]byte("short"))} {
		require.NoError(t, os.WriteFile(filepath.Join(dir, store.PepperFile), []byte(bad), 0o600))
		_, err := s.PINPepper(ctx)
		require.Error(t, err, bad)
		assert.Equal(t, poserr.Storage, poserr.KindOf(err))
		assert.Contains(t, err.Error(), "sync the till with the store server")
		_, err = s.EnsurePINPepper(ctx)
		assert.Error(t, err, "a damaged pepper is not silently replaced")
	}
	require.NoError(t, os.Remove(filepath.Join(dir, store.PepperFile)))
	p, err := s.EnsurePINPepper(ctx)
	require.NoError(t, err)
	again, err := s.EnsurePINPepper(ctx)
	require.NoError(t, err)
	assert.Equal(t, p, again, "made once, then kept")
}
