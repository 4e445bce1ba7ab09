package wasm

// Ending a module at its deadline cheaply. wazero's WithCloseOnContextDone
// checks at every loop header by leaving the compiled code for Go, and a Go
// guest passes a loop header at almost every function call: JSON decoding
// runs about five times slower. Instead the till rewrites the module before
// compiling it: a counter global, and at the head of every loop "count
// down; every 4096th time call sched_yield". The host's sched_yield ends the
// call when its deadline has passed, and leaving the compiled code that
// often also lets the Go runtime stop the world for its garbage collector
// (compiled wasm code cannot be preempted). A module cannot run for ever
// without a loop (recursion ends in a stack overflow), its sleeps end at the
// deadline and the other WASI functions do not block, so every call ends. A
// module that does not import sched_yield is run with wazero's check instead.

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/opentill/opentill/internal/atomicfile"
)

var errTruncated = errors.New("the module ends in the middle of a section")

type reader struct {
	b   []byte
	off int
}

func (r *reader) byte() (byte, error) {
	if r.off >= len(r.b) {
		return 0, errTruncated
	}
	c := r.b[r.off]
	r.off++
	return c, nil
}

func (r *reader) uleb() (uint64, error) {
	if r.off >= len(r.b) {
		return 0, errTruncated
	}
	v, n := binary.Uvarint(r.b[r.off:])
	if n <= 0 {
		return 0, errTruncated
	}
	r.off += n
	return v, nil
}

// sleb skips a signed LEB128 number.
func (r *reader) sleb() error {
	for {
		c, err := r.byte()
		if err != nil {
			return err
		}
		if c&0x80 == 0 {
			return nil
		}
	}
}

func (r *reader) skip(n int) error {
	if n < 0 || r.off+n > len(r.b) {
		return errTruncated
	}
	r.off += n
	return nil
}

func (r *reader) name() error {
	n, err := r.uleb()
	if err != nil {
		return err
	}
	return r.skip(int(n))
}

func section(out []byte, id byte, payload []byte) []byte {
	out = append(out, id)
	out = binary.AppendUvarint(out, uint64(len(payload)))
	return append(out, payload...)
}

// rewritten is instrument(bin), kept in dir by bin's SHA-256, sum (a first
// byte says whether it yields) and read from there the next time unless
// fresh; cached says it was. A file that cannot be read or written is
// only a slower start.
func rewritten(bin []byte, sum [sha256.Size]byte, dir string, fresh bool) (out []byte, yields, cached bool, err error) {
	if dir == "" {
		out, yields, err = instrument(bin)
		return out, yields, false, err
	}
	name := filepath.Join(dir, hex.EncodeToString(sum[:])+".wasm")
	if !fresh {
		if b, err := os.ReadFile(name); err == nil && len(b) > 9 && b[0] <= 1 && string(b[1:5]) == "\x00asm" {
			return b[1:], b[0] == 1, true, nil
		}
	}
	if out, yields, err = instrument(bin); err != nil {
		return nil, false, false, err
	}
	flag := byte(0)
	if yields {
		flag = 1
	}
	if err := os.MkdirAll(dir, 0o755); err == nil {
		_ = atomicfile.Write(name, append([]byte{flag}, out...), 0o644) // a cache: not kept is only slower
	}
	return out, yields, false, nil
}

// instrument returns the module with the loop counter, and whether it
// could (the module imports sched_yield). A malformed module is an error,
// never a crash of the till.
func instrument(bin []byte) (out []byte, yields bool, err error) {
	defer func() {
		if p := recover(); p != nil {
			out, yields, err = nil, false, fmt.Errorf("the module is malformed (%v)", p)
		}
	}()
	if len(bin) < 8 || string(bin[:4]) != "\x00asm" {
		return nil, false, fmt.Errorf("not a WebAssembly module")
	}
	r := &reader{b: bin, off: 8}
	type sec struct {
		id      byte
		payload []byte
	}
	var secs []sec
	for r.off < len(bin) {
		id, err := r.byte()
		if err != nil {
			return nil, false, err
		}
		n, err := r.uleb()
		if err != nil {
			return nil, false, err
		}
		start := r.off
		if err := r.skip(int(n)); err != nil {
			return nil, false, err
		}
		secs = append(secs, sec{id, bin[start:r.off]})
	}
	importedGlobals, definedGlobals, yield := 0, 0, -1
	for _, s := range secs {
		switch s.id {
		case 2:
			n, y, err := scanImports(s.payload)
			if err != nil {
				return nil, false, fmt.Errorf("its import section: %w", err)
			}
			importedGlobals, yield = n, y
		case 6:
			v, _ := binary.Uvarint(s.payload)
			definedGlobals = int(v)
		}
	}
	if yield < 0 {
		return bin, false, nil
	}
	counter := uint64(importedGlobals + definedGlobals)
	newGlobal := []byte{0x7F, 0x01, 0x41, 0x80, 0x20, 0x0B} // mutable i32 = 4096
	out = append([]byte(nil), bin[:8]...)
	hasGlobals, hasCode := false, false
	for _, s := range secs {
		// A new global section goes where the order of sections puts it:
		// after the memory section, before exports (and the tag section,
		// 13, which comes before globals).
		if s.id != 0 && s.id != 13 && s.id > 6 && !hasGlobals {
			out = section(out, 6, append(binary.AppendUvarint(nil, 1), newGlobal...))
			hasGlobals = true
		}
		switch s.id {
		case 6:
			out = section(out, 6, appendEntry(s.payload, newGlobal))
			hasGlobals = true
		case 10:
			code, err := instrumentCode(s.payload, counter, uint64(yield))
			if err != nil {
				return nil, false, fmt.Errorf("its code: %w", err)
			}
			out = section(out, 10, code)
			hasCode = true
		default:
			out = section(out, s.id, s.payload)
		}
	}
	if !hasCode {
		return nil, false, fmt.Errorf("the module has no code")
	}
	return out, true, nil
}

// appendEntry adds one entry to a vector section's payload.
func appendEntry(payload, entry []byte) []byte {
	n, k := binary.Uvarint(payload)
	out := binary.AppendUvarint(nil, n+1)
	out = append(out, payload[k:]...)
	return append(out, entry...)
}

// scanImports counts the imported globals and finds the function index of
// wasi_snapshot_preview1.sched_yield (-1 when it is not imported).
func scanImports(p []byte) (globals, yield int, err error) {
	r := &reader{b: p}
	n, err := r.uleb()
	if err != nil {
		return 0, -1, err
	}
	yield, funcs := -1, 0
	for range n {
		modStart := r.off
		if err := r.name(); err != nil {
			return 0, -1, err
		}
		mod := string(r.b[modStart:r.off])
		nameStart := r.off
		if err := r.name(); err != nil {
			return 0, -1, err
		}
		name := string(r.b[nameStart:r.off])
		kind, err := r.byte()
		if err != nil {
			return 0, -1, err
		}
		switch kind {
		case 0: // function: type index
			if strings.HasSuffix(mod, "wasi_snapshot_preview1") && strings.HasSuffix(name, "sched_yield") {
				yield = funcs
			}
			funcs++
			_, err = r.uleb()
		case 1: // table: reference type, limits
			if _, err = r.byte(); err == nil {
				err = r.limits()
			}
		case 2: // memory
			err = r.limits()
		case 3: // global: value type, mutability
			globals++
			err = r.skip(2)
		case 4: // tag
			if _, err = r.byte(); err == nil {
				_, err = r.uleb()
			}
		default:
			return 0, -1, fmt.Errorf("import kind %d", kind)
		}
		if err != nil {
			return 0, -1, err
		}
	}
	return globals, yield, nil
}

func (r *reader) limits() error {
	flags, err := r.byte()
	if err != nil {
		return err
	}
	if _, err := r.uleb(); err != nil {
		return err
	}
	if flags&1 != 0 {
		_, err = r.uleb()
	}
	return err
}

func instrumentCode(p []byte, counter, yield uint64) ([]byte, error) {
	r := &reader{b: p}
	n, err := r.uleb()
	if err != nil {
		return nil, err
	}
	c := binary.AppendUvarint(nil, counter)
	// counter -= 1; if counter == 0 { counter = 4096; drop(sched_yield()) }
	check := append([]byte{0x23}, c...)
	check = append(check, 0x41, 0x01, 0x6B, 0x24)
	check = append(check, c...)
	check = append(check, 0x23)
	check = append(check, c...)
	check = append(check, 0x45, 0x04, 0x40, 0x41, 0x80, 0x20, 0x24)
	check = append(check, c...)
	check = append(check, 0x10)
	check = binary.AppendUvarint(check, yield)
	check = append(check, 0x1A, 0x0B)
	out := binary.AppendUvarint(nil, n)
	for f := range n {
		size, err := r.uleb()
		if err != nil {
			return nil, err
		}
		start := r.off
		if err := r.skip(int(size)); err != nil {
			return nil, err
		}
		body := r.b[start:r.off]
		nb, err := instrumentBody(body, check)
		if err != nil {
			return nil, fmt.Errorf("function %d: %w", f, err)
		}
		out = binary.AppendUvarint(out, uint64(len(nb)))
		out = append(out, nb...)
	}
	return out, nil
}

func instrumentBody(body, check []byte) ([]byte, error) {
	r := &reader{b: body}
	locals, err := r.uleb()
	if err != nil {
		return nil, err
	}
	for range locals {
		if _, err := r.uleb(); err != nil {
			return nil, err
		}
		if _, err := r.byte(); err != nil {
			return nil, err
		}
	}
	out := make([]byte, 0, len(body)+len(body)/8)
	out = append(out, body[:r.off]...)
	for r.off < len(body) {
		start := r.off
		op, _ := r.byte()
		if err := r.immediates(op); err != nil {
			return nil, err
		}
		out = append(out, body[start:r.off]...)
		if op == 0x03 { // loop: check at its head, every iteration
			out = append(out, check...)
		}
	}
	return out, nil
}

// immediates skips the immediates of op.
func (r *reader) immediates(op byte) error {
	var err error
	switch {
	case op == 0x02 || op == 0x03 || op == 0x04: // block, loop, if: block type
		var c byte
		if c, err = r.byte(); err == nil && c != 0x40 && (c < 0x6F || c > 0x7F) {
			r.off--
			err = r.sleb()
		}
	case op == 0x0C || op == 0x0D || op == 0x10 || op == 0x12 || (op >= 0x20 && op <= 0x26) || op == 0xD2:
		_, err = r.uleb()
	case op == 0x0E: // br_table
		var n uint64
		if n, err = r.uleb(); err == nil {
			for i := uint64(0); i <= n && err == nil; i++ {
				_, err = r.uleb()
			}
		}
	case op == 0x11 || op == 0x13: // call_indirect: type, table
		if _, err = r.uleb(); err == nil {
			_, err = r.uleb()
		}
	case op == 0x1C: // select t*
		var n uint64
		if n, err = r.uleb(); err == nil {
			err = r.skip(int(n))
		}
	case op >= 0x28 && op <= 0x3E: // memory access: alignment (bit 6: memory index), offset
		var align uint64
		if align, err = r.uleb(); err == nil && align&0x40 != 0 {
			_, err = r.uleb()
		}
		if err == nil {
			_, err = r.uleb()
		}
	case op == 0x3F || op == 0x40:
		_, err = r.uleb()
	case op == 0x41 || op == 0x42:
		err = r.sleb()
	case op == 0x43:
		err = r.skip(4)
	case op == 0x44:
		err = r.skip(8)
	case op == 0xD0:
		_, err = r.byte()
	case op == 0xFC:
		var sub uint64
		if sub, err = r.uleb(); err != nil {
			return err
		}
		switch {
		case sub <= 7: // saturating truncations
		case sub == 8 || sub == 10 || sub == 12 || sub == 14: // memory.init, memory.copy, table.init, table.copy
			if _, err = r.uleb(); err == nil {
				_, err = r.uleb()
			}
		case sub == 9 || sub == 11 || sub == 13 || (sub >= 15 && sub <= 17):
			_, err = r.uleb()
		default:
			return fmt.Errorf("instruction 0xFC %d is not one the till can check", sub)
		}
	case op <= 0x01 || op == 0x05 || op == 0x0B || op == 0x0F || op == 0x1A || op == 0x1B || op == 0xD1 || (op >= 0x45 && op <= 0xC4):
		// no immediates
	default:
		return fmt.Errorf("instruction 0x%02X (SIMD, threads or exceptions) is not one the till can check", op)
	}
	return err
}
