//go:build wasip1

package guest

import (
	"unsafe"

	"github.com/opentill/opentill/extensions/wasm/abi"
)

// in and out keep the request and response buffers alive between the
// host's calls (the garbage collector does not move them); cartBuf is
// the buffer ot_cart writes into.
var in, out, cartBuf []byte

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
	if err := abi.DecodeRequest(in[:size], &req); err != nil {
		resp = abi.Response{Error: "the module could not read the request: " + err.Error()}
	} else {
		resp = handler(req)
	}
	b, err := abi.AppendResponse(out[:0], resp) // the host has read the last one
	if err != nil {
		b, _ = abi.AppendResponse(out[:0], abi.Response{Error: "the module could not write its response: " + err.Error()})
	}
	out = b
	if len(out) == 0 {
		return 0
	}
	return uint64(uintptr(unsafe.Pointer(&out[0])))<<32 | uint64(len(out))
}

//go:wasmimport opentill ot_cart
func otCart(ptr unsafe.Pointer, size uint32) int32

// cartOf asks the till for the open transaction.
func cartOf(req abi.Request) (*abi.Cart, error) {
	if cartBuf == nil {
		cartBuf = make([]byte, 16<<10)
	}
	for {
		n := otCart(unsafe.Pointer(&cartBuf[0]), uint32(len(cartBuf)))
		if n < 0 {
			return nil, nil
		}
		if int(n) > len(cartBuf) {
			cartBuf = make([]byte, n)
			continue
		}
		var c abi.Cart
		if err := abi.DecodeCart(cartBuf[:n], &c); err != nil {
			return nil, err
		}
		return &c, nil
	}
}
