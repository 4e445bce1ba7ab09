package apimap_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/; the run then fails, so review the diff and run again without it")

// golden compares got, the JSON of a value on the wire, with
// testdata/name.json byte for byte (the file holds it indented).
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name+".json")
	if *update {
		var ind bytes.Buffer
		require.NoError(t, json.Indent(&ind, got, "", "  "))
		ind.WriteByte('\n')
		require.NoError(t, os.WriteFile(path, ind.Bytes(), 0o644))
		t.Errorf("rewrote %s: review the diff (git diff testdata/) and run again without -update", path)
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test ./offline/apimap/ -update to create the golden files")
	var compact bytes.Buffer
	require.NoError(t, json.Compact(&compact, want))
	assert.Equal(t, compact.String(), string(got), "%s: the JSON on the wire changed", path)
}

func marshal(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return b
}
