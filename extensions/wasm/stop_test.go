package wasm

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// FuzzInstrument: whatever the bytes, instrumenting a module returns an
// error or a module, never a crash.
func FuzzInstrument(f *testing.F) {
	f.Add([]byte("\x00asm\x01\x00\x00\x00\x01\x04\x01\x60\x00\x00\x03\x02\x01\x00\x0a\x09\x01\x07\x00\x03\x40\x0c\x00\x0b\x0b"))
	f.Add([]byte("\x00asm\x01\x00\x00\x00"))
	f.Fuzz(func(t *testing.T, b []byte) { _, _, _ = instrument(b) })
}

func TestInstrumentAddsTheCheckToEveryLoop(t *testing.T) {
	// imports sched_yield; (func (loop br 0)) with one global
	imp := "\x16wasi_snapshot_preview1" + "\x0bsched_yield" + "\x00\x01"
	bin := []byte("\x00asm\x01\x00\x00\x00" +
		"\x01\x08\x02\x60\x00\x00\x60\x00\x01\x7f" + // types: () -> (), () -> i32
		"\x02" + string(rune(len(imp)+1)) + "\x01" + imp +
		"\x03\x02\x01\x00" +
		"\x06\x06\x01\x7f\x00\x41\x07\x0b" + // one immutable global
		"\x0a\x09\x01\x07\x00\x03\x40\x0c\x00\x0b\x0b")
	out, yields, err := instrument(bin)
	assert.NoError(t, err)
	assert.True(t, yields)
	// loop, then: global.get 1; i32.const 1; i32.sub; global.set 1; global.get 1; i32.eqz;
	// if; i32.const 4096; global.set 1; call 0; drop; end — then the loop's body
	assert.Contains(t, string(out), "\x03\x40\x23\x01\x41\x01\x6b\x24\x01\x23\x01\x45\x04\x40\x41\x80\x20\x24\x01\x10\x00\x1a\x0b\x0c\x00")
	_, yields, err = instrument([]byte("\x00asm\x01\x00\x00\x00"))
	assert.NoError(t, err)
	assert.False(t, yields, "no sched_yield: wazero's check instead")
	_, _, err = instrument([]byte("not wasm"))
	assert.Error(t, err)
}
