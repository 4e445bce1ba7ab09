package main

import (
	"bytes"
	"encoding/json"
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
