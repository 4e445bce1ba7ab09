// Command tiny is the smallest Go guest module the till runs: it answers
// every call with {} without the guest SDK (no encoding/json, no fmt), for
// the start-up benchmark's figure of module size against start-up time.
package main

import "unsafe"

var in []byte
var out = []byte("{}")

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
func otCall(uint32) uint64 {
	return uint64(uintptr(unsafe.Pointer(&out[0])))<<32 | uint64(len(out))
}

func main() {}
