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
	f.Fuzz(func(t *testing.T, b []byte) { _, _ = instrument(b) })
}

func TestInstrumentAddsTheCheckToEveryLoop(t *testing.T) {
	// (func (loop br 0)) with a global section and an export section
	bin := []byte("\x00asm\x01\x00\x00\x00" +
		"\x01\x04\x01\x60\x00\x00" + "\x03\x02\x01\x00" +
		"\x06\x06\x01\x7f\x00\x41\x07\x0b" + // one immutable global
		"\x07\x05\x01\x01f\x00\x00" + // export "f"
		"\x0a\x09\x01\x07\x00\x03\x40\x0c\x00\x0b\x0b")
	out, err := instrument(bin)
	assert.NoError(t, err)
	assert.Contains(t, string(out), "ot_stop")
	assert.Contains(t, string(out), "\x03\x40\x23\x01\x04\x40\x00\x0b\x0c\x00", "loop, then global.get 1; if unreachable end, then the loop's body")
	_, err = instrument([]byte("not wasm"))
	assert.Error(t, err)
}
