package guest_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/extensions/wasm/abi"
	"github.com/opentill/opentill/extensions/wasm/guest"
)

func TestConfigIsReadAsEncodingJSONReadsAnObject(t *testing.T) {
	for name, tc := range map[string]struct {
		config string
		want   map[string]any
		err    string
	}{
		"none":       {"", map[string]any{}, ""},
		"object":     {`{"codes": {"EW25": "10030", "n": 5}, "limit": 3, "on": true}`, map[string]any{"codes": map[string]any{"EW25": "10030", "n": 5.0}, "limit": 3.0, "on": true}, ""},
		"not object": {`[1]`, nil, "not a JSON object"},
		"broken":     {`{"codes":`, nil, "at byte"},
	} {
		t.Run(name, func(t *testing.T) {
			got, err := guest.Config(abi.Request{Config: abi.Raw(tc.config)})
			if tc.err != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tc.err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
		})
	}
	cfg, err := guest.Config(abi.Request{Config: abi.Raw(`{"mode": "loop", "codes": {"EW25": "10030", "n": 5}}`)})
	require.NoError(t, err)
	assert.Equal(t, "loop", guest.String(cfg["mode"]))
	assert.Equal(t, "", guest.String(cfg["codes"]))
	assert.Equal(t, map[string]string{"EW25": "10030"}, guest.Strings(cfg["codes"]), "values that are not strings are left out")
	assert.Equal(t, map[string]string{}, guest.Strings(cfg["missing"]))
}

func TestNewOpWritesItsFields(t *testing.T) {
	op := guest.NewOp(100, map[string]any{"ProductID": "10030", "Qty": int64(2000), "Keyed": true})
	assert.Equal(t, abi.Op{ID: 100, Args: abi.Raw(`{"Keyed":true,"ProductID":"10030","Qty":2000}`)}, op)
	assert.PanicsWithValue(t, "guest.NewOp: abi: a value of a type it cannot write (use strings, numbers, booleans, map[string]any and []any)",
		func() { guest.NewOp(100, map[string]any{"Line": struct{}{}}) })
}
