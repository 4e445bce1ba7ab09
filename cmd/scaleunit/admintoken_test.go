package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/offline/api"
	"github.com/opentill/opentill/offline/scaleunit"
)

// TestAdminTokenCommands: admin token create prints a token once (on
// standard output alone, for scripts), which the admin API takes until
// admin token revoke; list shows the tokens without them.
func TestAdminTokenCommands(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	st, err := scaleunit.OpenSQLite(dir)
	require.NoError(t, err)
	require.NoError(t, scaleunit.Seed(ctx, st, 5, nil))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	c, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { defer close(done); _ = scaleunit.New(st, nil).Serve(c, ln, "", "") }()
	t.Cleanup(func() { cancel(); <-done; st.Close() })
	url := "http://" + ln.Addr().String()

	token := func(args ...string) (string, string, error) {
		var out, errOut bytes.Buffer
		cmd := rootCmd()
		cmd.SetArgs(append(append([]string{"admin", "token"}, args...), "--data", dir))
		cmd.SetOut(&out)
		cmd.SetErr(&errOut)
		err := cmd.Execute()
		return out.String(), errOut.String(), err
	}
	tills := func(tok string) int {
		req, err := http.NewRequest("GET", url+api.PathAdminTills, nil)
		require.NoError(t, err)
		req.Header.Set("Authorization", "Bearer "+tok)
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		return resp.StatusCode
	}

	out, note, err := token("create", "--name", "backoffice")
	require.NoError(t, err, note)
	chain := strings.TrimSpace(out)
	assert.True(t, strings.HasPrefix(chain, api.AdminTokenPrefix), out)
	assert.NotContains(t, chain, "\n", "the token alone on standard output")
	assert.Contains(t, note, "shown this once")
	assert.Contains(t, note, "the whole chain")
	out, note, err = token("create", "--name", "store-1", "--stores", "S0001")
	require.NoError(t, err, note)
	store1 := strings.TrimSpace(out)
	assert.Contains(t, note, "stores S0001")
	_, _, err = token("create", "--name", "backoffice")
	assert.ErrorContains(t, err, "revoke it first")
	_, _, err = token("create", "--name", "x", "--stores", "S9999")
	assert.ErrorContains(t, err, "store S9999 does not exist")
	_, _, err = token("create")
	assert.ErrorContains(t, err, `"name" not set`)

	assert.Equal(t, 200, tills(chain))
	assert.Equal(t, 200, tills(store1))

	out, _, err = token("list")
	require.NoError(t, err)
	assert.Regexp(t, `backoffice\s+the whole chain\s+\S+\s+\S+\s+active`, out)
	assert.Regexp(t, `store-1\s+stores S0001\s+`, out)
	assert.NotContains(t, out, chain)
	out, _, err = token("list", "--json")
	require.NoError(t, err)
	var listed []map[string]any
	require.NoError(t, json.Unmarshal([]byte(out), &listed))
	require.Len(t, listed, 2)
	assert.Equal(t, "backoffice", listed[0]["name"])
	assert.NotEmpty(t, listed[0]["last_used"], "its use is recorded")
	assert.NotContains(t, out, scaleunit.HashSecret(chain), "never the hash")

	out, _, err = token("revoke", "--name", "backoffice")
	require.NoError(t, err)
	assert.Contains(t, out, "revoked")
	assert.Equal(t, 401, tills(chain), "refused from now on")
	assert.Equal(t, 200, tills(store1), "the others stay")
	_, _, err = token("revoke", "--name", "backoffice")
	assert.ErrorContains(t, err, "no admin token named backoffice")
	out, _, err = token("list")
	require.NoError(t, err)
	assert.Regexp(t, `backoffice\s+the whole chain\s+\S+\s+\S+\s+revoked `, out)
}
