//go:build wasip1

package guest

import (
	"encoding/json"
	"unsafe"

	"github.com/opentill/opentill/extensions/wasm/abi"
)

// in and out keep the request and response buffers alive between the
// host's calls (the garbage collector does not move them).
var in, out []byte

//go:wasmexport ot_alloc
func otAlloc(size uint32) uint32 {
	if uint32(cap(in)) < size {
		in = make([]byte, size)
	}
	in = in[:size]
	if size == 0 {
		return 0
	}
	return uint32(uintptr(unsafe.Pointer(&in[0])))
}

//go:wasmexport ot_call
func otCall(size uint32) uint64 {
	var req abi.Request
	var resp abi.Response
	if err := json.Unmarshal(in[:size], &req); err != nil {
		resp = abi.Response{Error: "the module could not read the request: " + err.Error()}
	} else {
		resp = handler(req)
	}
	b, err := json.Marshal(resp)
	if err != nil {
		b, _ = json.Marshal(abi.Response{Error: "the module could not write its response: " + err.Error()})
	}
	out = b
	if len(out) == 0 {
		return 0
	}
	return uint64(uintptr(unsafe.Pointer(&out[0])))<<32 | uint64(len(out))
}
