package main

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/extensions/wasm/abi"
	"github.com/opentill/opentill/extensions/wasm/guest"
)

// The module's logic runs on the host too (guest.Call), for quick unit
// tests; extensions/wasm's tests run the real module in the sandbox.
func TestDepositLineForACodedProduct(t *testing.T) {
	cfg := abi.Raw(`{"codes": {"EW25": "10030"}, "products": {"10020": "EW25"}}`)
	for name, tc := range map[string]struct {
		op   int
		line abi.Line
		want []abi.Op
	}{
		"sale":      {100, abi.Line{ProductID: "10020", Qty: 2000}, []abi.Op{guest.NewOp(100, map[string]any{"ProductID": "10030", "Qty": 2000})}},
		"return":    {109, abi.Line{ProductID: "10020", Qty: -1000}, []abi.Op{guest.NewOp(109, map[string]any{"ProductID": "10030", "Qty": 1000})}},
		"no code":   {100, abi.Line{ProductID: "10000", Qty: 1000}, nil},
		"a deposit": {100, abi.Line{ProductID: "10030", Qty: 1000}, nil},
	} {
		t.Run(name, func(t *testing.T) {
			resp := guest.Call(abi.Request{Phase: abi.Post, Op: &abi.Op{ID: tc.op}, Line: &tc.line, Config: cfg})
			require.Empty(t, resp.Error)
			assert.Equal(t, tc.want, resp.Ops)
		})
	}
}
