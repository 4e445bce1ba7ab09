package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/offline/scaleunit"
	"github.com/opentill/opentill/pos/staff"
)

// run runs the scaleunit command with args in this process.
func run(t *testing.T, args ...string) (string, error) {
	t.Helper()
	var out bytes.Buffer
	c := rootCmd()
	c.SetArgs(args)
	c.SetOut(&out)
	c.SetErr(&out)
	err := c.Execute()
	return out.String(), err
}

// TestStaffAndPINKeyCommands: staff add and set put PINs sealed under the
// chain's PIN key (set keeps the PIN unless given one); admin pin-key show
// names the key; serve refuses a key file that is not the database's, and
// rotate gives the chain a new one.
func TestStaffAndPINKeyCommands(t *testing.T) {
	t.Setenv(scaleunit.EnvPINKey, "")
	ctx := context.Background()
	data := t.TempDir()
	st, err := scaleunit.OpenSQLite(data)
	require.NoError(t, err)
	require.NoError(t, scaleunit.Seed(ctx, st, 10, nil))
	pepper, err := st.PINPepper(ctx, "S0001")
	require.NoError(t, err)
	require.NoError(t, st.Close())

	hashOf := func(id string) string {
		st, err := scaleunit.OpenSQLite(data)
		require.NoError(t, err)
		defer st.Close()
		page, err := st.Feed(ctx, "S0001", "staff", 0, 1000, false)
		require.NoError(t, err)
		var h string
		for _, c := range page.Changes {
			if c.Operator != nil && c.Operator.ID == id {
				h = c.Operator.PasswordHash
			}
		}
		return h
	}
	checks := func(id, pin string) bool {
		ok, err := staff.Check(pin, hashOf(id), pepper)
		require.NoError(t, err)
		return ok
	}

	out, err := run(t, "staff", "add", "--data", data, "--id", "5001", "--name", "Nora", "--pin", "135790")
	require.NoError(t, err, out)
	assert.Contains(t, out, "operator 5001: PIN set (argon2id, 64 MiB, 3 passes, 4 lanes; sealed under PIN key ")
	assert.True(t, checks("5001", "135790"))
	out, err = run(t, "staff", "add", "--data", data, "--id", "5002", "--name", "Short", "--pin", "12")
	require.Error(t, err, out)
	assert.Contains(t, err.Error(), "at least 4 characters")

	out, err = run(t, "staff", "set", "--data", data, "--id", "5001", "--role", "manager")
	require.NoError(t, err, out)
	assert.True(t, checks("5001", "135790"), "the PIN stays")
	c := rootCmd()
	var buf bytes.Buffer
	c.SetArgs([]string{"staff", "set", "--data", data, "--id", "5001", "--pin", "-"})
	c.SetIn(strings.NewReader("246802\n"))
	c.SetOut(&buf)
	require.NoError(t, c.Execute(), buf.String())
	assert.False(t, checks("5001", "135790"))
	assert.True(t, checks("5001", "246802"), "a new PIN, read from standard input")
	_, err = run(t, "staff", "set", "--data", data, "--id", "5999", "--name", "Nobody")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "there is no operator 5999: add one with scaleunit staff add")

	out, err = run(t, "admin", "pin-key", "show", "--data", data)
	require.NoError(t, err, out)
	assert.Regexp(t, `^PIN key [0-9a-f]{16} in `+regexp.QuoteMeta(filepath.Join(data, scaleunit.PINKeyFile))+"\n$", out)
	keyID := strings.Fields(out)[2]

	other := filepath.Join(t.TempDir(), "other.key")
	require.NoError(t, os.WriteFile(other, []byte("eA0j3IoTSp8m2zdsEPrJ3ZKiZvDsNtb31Fqh8YbXPwI=\n"), 0o600))
	out, err = run(t, "serve", "--data", data, "--addr", "127.0.0.1:0", "--pin-key", other)
	require.Error(t, err, out)
	assert.ErrorIs(t, err, scaleunit.ErrPINKey)
	assert.Contains(t, err.Error(), "holds key 0e971dff3a007e24, but "+filepath.Join(data, scaleunit.DBFile)+" records key "+keyID)
	assert.NotContains(t, out, "listening", "refused before listening")

	out, err = run(t, "admin", "pin-key", "rotate", "--data", data)
	require.NoError(t, err, out)
	assert.Contains(t, out, "(was "+keyID+"): copy the file to every server process of the chain before starting it")
	assert.Contains(t, out, "5 operators' PINs sealed again under the new key")
	out, err = run(t, "admin", "pin-key", "rotate", "--data", data, "--drop-pins")
	require.NoError(t, err, out)
	assert.Contains(t, out, "5 operators' PINs dropped")
	assert.Contains(t, out, `5001 "Nora" role manager, language en, every store: scaleunit staff add --id 5001 --name "Nora" --role manager --language en --stores "" --pin …`)
	assert.Empty(t, hashOf("5001"), "gone from the tills")
}
