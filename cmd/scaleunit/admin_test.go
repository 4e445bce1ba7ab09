package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/offline/scaleunit"
)

func TestCompareVersions(t *testing.T) {
	ordered := []string{"", "dev", "v0.1.0", "v0.1.0-26-g088c1f0", "v0.2.0-rc.1", "v0.2.0", "v0.2.0-3-gc917fb6", "v0.10.0", "v1.0.0"}
	for i := range ordered {
		for j := range ordered {
			want := 0
			if i < j {
				want = -1
			} else if i > j {
				want = 1
			}
			assert.Equal(t, want, compareVersions(ordered[i], ordered[j]), "%q vs %q", ordered[i], ordered[j])
		}
	}
}

func TestVersionCommand(t *testing.T) {
	var out bytes.Buffer
	c := rootCmd()
	c.SetArgs([]string{"version", "--json"})
	c.SetOut(&out)
	require.NoError(t, c.Execute())
	var v struct {
		Version string `json:"version"`
		Schema  int    `json:"schema"`
		OS      string `json:"os"`
	}
	require.NoError(t, json.Unmarshal(out.Bytes(), &v))
	assert.NotEmpty(t, v.Version)
	assert.Equal(t, scaleunit.SchemaVersion, v.Schema)
	assert.Equal(t, runtime.GOOS, v.OS)
}

func TestAdminLoyalty(t *testing.T) {
	dir := t.TempDir()
	st, err := scaleunit.OpenSQLite(dir)
	require.NoError(t, err)
	require.NoError(t, scaleunit.Seed(context.Background(), st, 10, nil))
	till, err := st.PutTill(context.Background(), "S0001", "T01")
	require.NoError(t, err)
	for i, pts := range []struct{ earned, redeemed int64 }{{30, 0}, {0, 25}, {0, 25}} {
		body := fmt.Sprintf(`{"id":"t%d","status":"completed","store":"S0001","terminal":"T01","finished":"2026-12-01T10:00:00Z","lines":[],"loyalty":{"card":"LC-9","earned":%d,"redeemed":%d}}`, i, pts.earned, pts.redeemed)
		_, _, err := st.Upload(context.Background(), till, "transaction", fmt.Sprintf("t%d", i), []byte(body))
		require.NoError(t, err)
	}
	require.NoError(t, st.Close())

	run := func(args ...string) string {
		var out bytes.Buffer
		c := rootCmd()
		c.SetArgs(append([]string{"admin", "loyalty", "--data", dir}, args...))
		c.SetOut(&out)
		require.NoError(t, c.Execute())
		return out.String()
	}
	assert.Contains(t, run(), "LC-9  -20", "the overdrawn card is listed")
	assert.Contains(t, run("--card", "LC-9"), "S0001/T01:3")
}

func TestAdminBalances(t *testing.T) {
	dir := t.TempDir()
	st, err := scaleunit.OpenSQLite(dir)
	require.NoError(t, err)
	require.NoError(t, scaleunit.Seed(context.Background(), st, 10, nil))
	till, err := st.PutTill(context.Background(), "S0001", "T01")
	require.NoError(t, err)
	issue := `"lines":[{"no":1,"product_id":"giftcard","qty":1000,"unit_price":3000,"net":3000,"value":{"kind":"giftcard","number":"GC-9","role":"issue"}}],"tenders":[{"no":1,"type":"cash","kind":"cash","amount":3000}]`
	spend := `"lines":[],"tenders":[{"no":1,"type":"giftcard","kind":"giftcard","amount":2000,"value":{"kind":"giftcard","number":"GC-9"}}]`
	for i, rest := range []string{issue, spend, spend} {
		body := fmt.Sprintf(`{"id":"t%d","status":"completed","store":"S0001","terminal":"T01","finished":"2026-12-01T10:00:00Z",%s}`, i, rest)
		_, _, err := st.Upload(context.Background(), till, "transaction", fmt.Sprintf("t%d", i), []byte(body))
		require.NoError(t, err)
	}
	require.NoError(t, st.Close())

	run := func(args ...string) string {
		var out bytes.Buffer
		c := rootCmd()
		c.SetArgs(append([]string{"admin", "balances", "--data", dir}, args...))
		c.SetOut(&out)
		require.NoError(t, c.Execute())
		return out.String()
	}
	assert.Contains(t, run(), "giftcard  GC-9    -1000", "the overdrawn card is listed")
	assert.Contains(t, run("--number", "gc-9"), "S0001/T01:3")
	var out bytes.Buffer
	c := rootCmd()
	c.SetArgs([]string{"admin", "balances", "--data", dir, "--number", "GC-1"})
	c.SetOut(&out)
	assert.Error(t, c.Execute(), "a card no till moved money on")
}

func TestAdminCreditLimit(t *testing.T) {
	dir := t.TempDir()
	st, err := scaleunit.OpenSQLite(dir)
	require.NoError(t, err)
	require.NoError(t, st.Close())
	run := func(args ...string) (string, error) {
		var out bytes.Buffer
		c := rootCmd()
		c.SetArgs(append([]string{"admin", "credit-limit", "--data", dir}, args...))
		c.SetOut(&out)
		err := c.Execute()
		return out.String(), err
	}
	out, err := run("--customer", "s0001-t01-c000009", "--limit", "25000")
	require.NoError(t, err)
	assert.Contains(t, out, "S0001-T01-C000009: credit limit 25000, balance 0")
	_, err = run("--customer", "S0001-T01-C000009", "--limit", "-1")
	assert.Error(t, err)
}
