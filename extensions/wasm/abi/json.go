package abi

import (
	"errors"
	"math"
	"slices"
	"strconv"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// The ABI's JSON is read and written by this file's reader and writer and
// the types' methods in codec.go, not by encoding/json or a generated
// codec: a Go guest links every package the ABI imports, and reflection
// with fmt (what encoding/json and easyjson's runtime bring) made each
// module 1.9 MB larger, which a till pays for at every start (wazero
// decodes and validates the whole module even when its compiled code is
// cached). The result is the JSON encoding/json would read and write for
// the same types, byte for byte; codec_test.go holds the two to it.

// Raw is a JSON value kept as its bytes (an operation's arguments, a
// module's config), as encoding/json's RawMessage.
type Raw []byte

// MarshalJSON returns r, or null when r is empty (for encoding/json).
func (r Raw) MarshalJSON() ([]byte, error) {
	if r == nil {
		return []byte("null"), nil
	}
	return r, nil
}

// UnmarshalJSON keeps a copy of b (for encoding/json).
func (r *Raw) UnmarshalJSON(b []byte) error {
	if r == nil {
		return errors.New("abi.Raw: UnmarshalJSON on a nil pointer")
	}
	*r = append((*r)[:0], b...)
	return nil
}

// maxDepth is how deep objects and arrays may nest (encoding/json's limit).
const maxDepth = 10000

// reader reads one JSON document. The first error stops it: every later
// read returns zero values, and err says what was wrong and where.
type reader struct {
	b     []byte
	i     int
	depth int
	err   error
}

func (r *reader) fail(what string) {
	if r.err == nil {
		r.err = errors.New("abi: " + what + " at byte " + strconv.Itoa(r.i))
	}
	r.i = len(r.b)
}

func (r *reader) ws() {
	for r.i < len(r.b) {
		switch r.b[r.i] {
		case ' ', '\t', '\n', '\r':
			r.i++
		default:
			return
		}
	}
}

// peek returns the next byte after white space, 0 at the end.
func (r *reader) peek() byte {
	r.ws()
	if r.i < len(r.b) {
		return r.b[r.i]
	}
	return 0
}

// consume reads c if it comes next.
func (r *reader) consume(c byte) bool {
	if r.peek() == c && r.err == nil {
		r.i++
		return true
	}
	return false
}

// literal reads the word lit (true, false, null) if it comes next.
func (r *reader) literal(lit string) bool {
	r.ws()
	if r.err == nil && len(r.b)-r.i >= len(lit) && string(r.b[r.i:r.i+len(lit)]) == lit {
		r.i += len(lit)
		return true
	}
	return false
}

// null reads null if it comes next.
func (r *reader) null() bool { return r.peek() == 'n' && r.literal("null") }

// result ends a document: nothing but white space may follow it.
func (r *reader) result() error {
	r.end()
	return r.err
}

// end checks that nothing but white space follows the document.
func (r *reader) end() {
	if r.ws(); r.i < len(r.b) {
		r.fail("unexpected data after the document")
	}
}

func (r *reader) nest() bool {
	if r.depth++; r.depth > maxDepth {
		r.fail("objects and arrays nested too deep")
		return false
	}
	return true
}

// object reads an object, calling member for each key with the reader at
// its value; member must read the value.
func (r *reader) object(member func(key string)) {
	if !r.consume('{') {
		r.fail("expected an object")
		return
	}
	if !r.nest() {
		return
	}
	defer func() { r.depth-- }()
	if r.consume('}') {
		return
	}
	for r.err == nil {
		k := r.str()
		if !r.consume(':') {
			r.fail("expected a colon after an object key")
			return
		}
		member(k)
		if r.consume(',') {
			continue
		}
		if !r.consume('}') {
			r.fail("expected a comma or the end of an object")
		}
		return
	}
}

// fields reads an object into a value (null leaves it as it was): set is
// called with each key folded as encoding/json matches keys to fields
// (field) and reads the value, or returns false for a key it does not
// know, which is skipped.
func (r *reader) fields(set func(key string) bool) {
	if r.null() {
		return
	}
	r.object(func(k string) {
		if !set(field(k)) {
			r.skip()
		}
	})
}

// array reads an array, calling elem with the reader at each element.
func (r *reader) array(elem func()) {
	if !r.consume('[') {
		r.fail("expected an array")
		return
	}
	if !r.nest() {
		return
	}
	defer func() { r.depth-- }()
	if r.consume(']') {
		return
	}
	for r.err == nil {
		elem()
		if r.consume(',') {
			continue
		}
		if !r.consume(']') {
			r.fail("expected a comma or the end of an array")
		}
		return
	}
}

// str reads a string, as encoding/json unquotes it: bytes that are not
// UTF-8 and lone surrogates become U+FFFD.
func (r *reader) str() string {
	if r.peek() != '"' || r.err != nil {
		r.fail("expected a string")
		return ""
	}
	r.i++
	start := r.i
	for r.i < len(r.b) {
		c := r.b[r.i]
		if c == '"' {
			s := string(r.b[start:r.i])
			r.i++
			return s
		}
		if c == '\\' || c < 0x20 || c >= utf8.RuneSelf {
			break
		}
		r.i++
	}
	out := append([]byte(nil), r.b[start:r.i]...)
	for r.i < len(r.b) {
		c := r.b[r.i]
		switch {
		case c == '"':
			r.i++
			return string(out)
		case c < 0x20:
			r.fail("control character in a string")
			return ""
		case c == '\\':
			if r.i+1 >= len(r.b) {
				r.fail("unterminated string")
				return ""
			}
			e := r.b[r.i+1]
			r.i += 2
			switch e {
			case '"', '\\', '/':
				out = append(out, e)
			case 'b':
				out = append(out, '\b')
			case 'f':
				out = append(out, '\f')
			case 'n':
				out = append(out, '\n')
			case 'r':
				out = append(out, '\r')
			case 't':
				out = append(out, '\t')
			case 'u':
				ch, ok := r.hex4(r.i)
				if !ok {
					r.fail(`malformed \u escape`)
					return ""
				}
				r.i += 4
				if utf16.IsSurrogate(ch) {
					if r.i+1 < len(r.b) && r.b[r.i] == '\\' && r.b[r.i+1] == 'u' {
						if lo, ok := r.hex4(r.i + 2); ok {
							if d := utf16.DecodeRune(ch, lo); d != unicode.ReplacementChar {
								out = utf8.AppendRune(out, d)
								r.i += 6
								continue
							}
						}
					}
					ch = unicode.ReplacementChar
				}
				out = utf8.AppendRune(out, ch)
			default:
				r.fail("invalid escape in a string")
				return ""
			}
		case c < utf8.RuneSelf:
			out = append(out, c)
			r.i++
		default:
			ch, size := utf8.DecodeRune(r.b[r.i:])
			if ch == utf8.RuneError && size == 1 {
				out = utf8.AppendRune(out, unicode.ReplacementChar)
			} else {
				out = append(out, r.b[r.i:r.i+size]...)
			}
			r.i += size
		}
	}
	r.fail("unterminated string")
	return ""
}

// hex4 reads the four hex digits at i.
func (r *reader) hex4(i int) (rune, bool) {
	if i+4 > len(r.b) {
		return 0, false
	}
	var v rune
	for _, c := range r.b[i : i+4] {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c -= 'a' - 10
		case 'A' <= c && c <= 'F':
			c -= 'A' - 10
		default:
			return 0, false
		}
		v = v<<4 | rune(c)
	}
	return v, true
}

// number reads a JSON number and returns its text.
func (r *reader) number() []byte {
	r.ws()
	start := r.i
	digits := func() int {
		n := 0
		for r.i < len(r.b) && '0' <= r.b[r.i] && r.b[r.i] <= '9' {
			r.i++
			n++
		}
		return n
	}
	if r.i < len(r.b) && r.b[r.i] == '-' {
		r.i++
	}
	if r.i < len(r.b) && r.b[r.i] == '0' {
		r.i++
	} else if digits() == 0 {
		r.i = start
		r.fail("expected a value")
		return nil
	}
	if r.i < len(r.b) && r.b[r.i] == '.' {
		if r.i++; digits() == 0 {
			r.fail("expected a digit after a decimal point")
			return nil
		}
	}
	if r.i < len(r.b) && (r.b[r.i] == 'e' || r.b[r.i] == 'E') {
		r.i++
		if r.i < len(r.b) && (r.b[r.i] == '+' || r.b[r.i] == '-') {
			r.i++
		}
		if digits() == 0 {
			r.fail("expected a digit in an exponent")
			return nil
		}
	}
	return r.b[start:r.i]
}

// skip reads a value of any kind.
func (r *reader) skip() {
	switch r.peek() {
	case '{':
		r.object(func(string) { r.skip() })
	case '[':
		r.array(r.skip)
	case '"':
		r.str()
	case 't':
		r.want("true")
	case 'f':
		r.want("false")
	case 'n':
		r.want("null")
	default:
		r.number()
	}
}

func (r *reader) want(lit string) {
	if !r.literal(lit) {
		r.fail("expected a value")
	}
}

// raw reads a value of any kind and returns a copy of its bytes.
func (r *reader) raw() Raw {
	start := r.i
	if r.ws(); r.err == nil {
		start = r.i
	}
	r.skip()
	if r.err != nil {
		return nil
	}
	return append(Raw(nil), r.b[start:r.i]...)
}

// The scalars: null leaves the value as it was (as encoding/json does).

func (r *reader) readString(s *string) {
	if !r.null() {
		*s = r.str()
	}
}

func (r *reader) readBool(b *bool) {
	switch {
	case r.null():
	case r.literal("true"):
		*b = true
	case r.literal("false"):
		*b = false
	default:
		r.fail("expected true or false")
	}
}

func (r *reader) readInt64(v *int64) {
	if r.null() {
		return
	}
	if c := r.peek(); c != '-' && (c < '0' || c > '9') {
		r.fail("expected a number")
		return
	}
	lit := r.number()
	if r.err != nil {
		return
	}
	n, err := strconv.ParseInt(string(lit), 10, 64)
	if err != nil {
		r.fail("expected an integer, not " + strconv.Quote(string(lit)))
		return
	}
	*v = n
}

func (r *reader) readInt(v *int) {
	n := int64(*v)
	if r.readInt64(&n); r.err == nil {
		*v = int(n)
	}
}

func (r *reader) readRaw(v *Raw) { *v = r.raw() }

// readStrings reads an array of strings.
func (r *reader) readStrings(s *[]string) {
	readSlice(r, s, func(e *string) { r.readString(e) })
}

// readStringMap reads an object of strings into a map (map[string]string
// or a named type of it).
func readStringMap[M ~map[string]string](r *reader, m *M) {
	if r.null() {
		*m = nil
		return
	}
	if *m == nil && r.peek() == '{' {
		*m = M{}
	}
	r.object(func(k string) {
		var v string
		r.readString(&v)
		(*m)[k] = v
	})
}

// readSlice reads an array into *s, element by element, as encoding/json
// does: null is nil, [] an empty slice.
func readSlice[T any](r *reader, s *[]T, elem func(*T)) {
	if r.null() {
		*s = nil
		return
	}
	v, n := *s, 0
	r.array(func() {
		if n < cap(v) {
			v = v[:n+1]
		} else {
			var zero T
			v = append(v, zero)
		}
		elem(&v[n])
		n++
	})
	if r.err != nil {
		return
	}
	if v = v[:n]; v == nil {
		v = []T{}
	}
	*s = v
}

// readPtr reads an object into *p, allocating it when nil; null sets it to nil.
func readPtr[T any](r *reader, p **T, read func(*T)) {
	if r.null() {
		*p = nil
		return
	}
	if *p == nil {
		*p = new(T)
	}
	read(*p)
}

// field folds an object key as encoding/json matches keys to field names
// (which are lower-case ASCII here): "ID", "Id" and "id" are the same field.
func field(k string) string {
	for i := 0; i < len(k); i++ {
		if c := k[i]; c >= utf8.RuneSelf || ('A' <= c && c <= 'Z') {
			return foldSlow(k)
		}
	}
	return k
}

func foldSlow(k string) string {
	out := make([]byte, 0, len(k))
	for _, c := range k {
		switch {
		case 'A' <= c && c <= 'Z':
			c += 'a' - 'A'
		case c == '\u212a': // Kelvin sign folds to k
			c = 'k'
		case c == '\u017f': // long s folds to s
			c = 's'
		}
		out = utf8.AppendRune(out, c)
	}
	return string(out)
}

// writer writes one JSON document. comma says a value was written at the
// current level, so the next key or element needs a comma first.
type writer struct {
	b     []byte
	comma bool
	err   error
}

// result is the document written, or what could not be written.
func (w *writer) result() ([]byte, error) {
	if w.err != nil {
		return nil, w.err
	}
	return w.b, nil
}

func (w *writer) open(c byte) {
	if w.comma {
		w.b = append(w.b, ',')
	}
	w.b = append(w.b, c)
	w.comma = false
}

func (w *writer) close(c byte) {
	w.b = append(w.b, c)
	w.comma = true
}

// key writes an object key.
func (w *writer) key(k string) {
	if w.comma {
		w.b = append(w.b, ',')
	}
	w.b = appendQuoted(w.b, k)
	w.b = append(w.b, ':')
	w.comma = false
}

func (w *writer) value() {
	if w.comma {
		w.b = append(w.b, ',')
	}
	w.comma = true
}

func (w *writer) null() {
	w.value()
	w.b = append(w.b, "null"...)
}

func (w *writer) string(s string) {
	w.value()
	w.b = appendQuoted(w.b, s)
}

func (w *writer) int64(v int64) {
	w.value()
	w.b = strconv.AppendInt(w.b, v, 10)
}

func (w *writer) bool(v bool) {
	w.value()
	w.b = strconv.AppendBool(w.b, v)
}

// raw writes a JSON value as encoding/json writes a RawMessage: checked
// and compacted; an empty one is null.
func (w *writer) raw(v Raw) {
	if v == nil {
		w.null()
		return
	}
	check := reader{b: v}
	check.skip()
	if err := check.result(); err != nil {
		w.fail("a raw value is not JSON (" + err.Error() + ")")
		return
	}
	w.value()
	w.b = compact(w.b, v)
}

func (w *writer) strings(s []string) {
	if s == nil {
		w.null()
		return
	}
	w.open('[')
	for _, v := range s {
		w.string(v)
	}
	w.close(']')
}

// stringMap writes a map with its keys sorted, as encoding/json does.
func writeStringMap[M ~map[string]string](w *writer, m M) {
	if m == nil {
		w.null()
		return
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	w.open('{')
	for _, k := range keys {
		w.key(k)
		w.string(m[k])
	}
	w.close('}')
}

const hex = "0123456789abcdef"

// appendQuoted appends s as a JSON string, escaped as encoding/json
// escapes it (HTML characters and U+2028/U+2029 too; bytes that are not
// UTF-8 become U+FFFD).
func appendQuoted(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '\\', '"':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
			}
			i++
			start = i
			continue
		}
		ch, size := utf8.DecodeRuneInString(s[i:])
		if ch == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if ch == '\u2028' || ch == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hex[ch&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// compact appends the valid JSON v without white space between tokens,
// with HTML characters and U+2028/U+2029 in its strings escaped (as
// encoding/json writes a RawMessage).
func compact(b []byte, v []byte) []byte {
	in := false
	for i := 0; i < len(v); i++ {
		c := v[i]
		switch {
		case in && c == '\\':
			b = append(b, c, v[i+1])
			i++
		case in && c == '"':
			in = false
			b = append(b, c)
		case in && (c == '<' || c == '>' || c == '&'):
			b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
		case in && c == 0xE2 && i+2 < len(v) && v[i+1] == 0x80 && v[i+2]&^1 == 0xA8:
			b = append(b, '\\', 'u', '2', '0', '2', hex[v[i+2]&0xF])
			i += 2
		case in:
			b = append(b, c)
		case c == '"':
			in = true
			b = append(b, c)
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
		default:
			b = append(b, c)
		}
	}
	return b
}

// Marshal writes a plain value as JSON, as encoding/json would: nil, a
// bool, a string, an integer, a float64 (not a float32), a Raw, and
// map[string]any and []any of those (what a module builds an operation's
// arguments from). Map keys are sorted.
func Marshal(v any) (Raw, error) {
	var w writer
	w.any(v, 0)
	return w.result()
}

func (w *writer) any(v any, depth int) {
	if depth > maxDepth {
		w.fail("a value nested too deep")
		return
	}
	switch v := v.(type) {
	case nil:
		w.null()
	case bool:
		w.bool(v)
	case string:
		w.string(v)
	case int:
		w.int64(int64(v))
	case int8:
		w.int64(int64(v))
	case int16:
		w.int64(int64(v))
	case int32:
		w.int64(int64(v))
	case int64:
		w.int64(v)
	case uint:
		w.uint64(uint64(v))
	case uint8:
		w.uint64(uint64(v))
	case uint16:
		w.uint64(uint64(v))
	case uint32:
		w.uint64(uint64(v))
	case uint64:
		w.uint64(v)
	case float64:
		w.float(v)
	case Raw:
		w.raw(v)
	case []any:
		if v == nil {
			w.null()
			return
		}
		w.open('[')
		for _, e := range v {
			w.any(e, depth+1)
		}
		w.close(']')
	case map[string]any:
		if v == nil {
			w.null()
			return
		}
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		w.open('{')
		for _, k := range keys {
			w.key(k)
			w.any(v[k], depth+1)
		}
		w.close('}')
	case map[string]string:
		writeStringMap(w, v)
	case []string:
		w.strings(v)
	default:
		w.fail("a value of a type it cannot write (use strings, numbers, booleans, map[string]any and []any)")
	}
}

func (w *writer) fail(what string) {
	if w.err == nil {
		w.err = errors.New("abi: " + what)
	}
	w.null()
}

func (w *writer) uint64(v uint64) {
	w.value()
	w.b = strconv.AppendUint(w.b, v, 10)
}

// float writes a number as encoding/json does: the shortest text that
// reads back as v, with an exponent below 1e-6 and from 1e21. (float32 is
// not taken: its shortest text needs another 90 KB of formatting code in
// every guest module.)
func (w *writer) float(v float64) {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		w.fail("a number that is not finite")
		return
	}
	w.value()
	format := byte('f')
	if a := math.Abs(v); a != 0 && (a < 1e-6 || a >= 1e21) {
		format = 'e'
	}
	start := len(w.b)
	w.b = strconv.AppendFloat(w.b, v, format, -1, 64)
	if format == 'e' { // e-09 → e-9, as encoding/json writes it
		if n := len(w.b) - start; n >= 4 && w.b[len(w.b)-4] == 'e' && w.b[len(w.b)-3] == '-' && w.b[len(w.b)-2] == '0' {
			w.b[len(w.b)-2] = w.b[len(w.b)-1]
			w.b = w.b[:len(w.b)-1]
		}
	}
}

// Unmarshal reads a JSON document as encoding/json reads one into an any:
// objects are map[string]any, arrays []any, numbers float64.
func Unmarshal(b []byte) (any, error) {
	r := reader{b: b}
	v := r.any()
	if err := r.result(); err != nil {
		return nil, err
	}
	return v, nil
}

func (r *reader) any() any {
	switch r.peek() {
	case '{':
		m := map[string]any{}
		r.object(func(k string) { m[k] = r.any() })
		return m
	case '[':
		s := []any{}
		r.array(func() { s = append(s, r.any()) })
		return s
	case '"':
		return r.str()
	case 't', 'f':
		var b bool
		r.readBool(&b)
		return b
	case 'n':
		r.want("null")
		return nil
	}
	lit := r.number()
	if r.err != nil {
		return nil
	}
	f, err := strconv.ParseFloat(string(lit), 64)
	if err != nil {
		r.fail("a number out of range: " + string(lit))
		return nil
	}
	return f
}
