package abi_test

import (
	"encoding/json"
	"math"
	"math/rand"
	"reflect"
	"testing"
	"testing/quick"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/extensions/wasm/abi"
	"github.com/opentill/opentill/pos/prompt"
)

// The ABI's codec is held to encoding/json: for any value it writes the
// bytes json.Marshal writes, and it reads any document as json.Unmarshal
// reads it (or refuses it where encoding/json would too).

type doc interface {
	abi.Request | abi.Response | abi.Cart
}

// random returns n random values of T, with its Raw fields made JSON
// (testing/quick fills them with random bytes).
func random[T doc](t *testing.T, n int) []T {
	rnd := rand.New(rand.NewSource(7))
	out := make([]T, 0, n)
	for range n {
		v, ok := quick.Value(reflect.TypeFor[T](), rnd)
		require.True(t, ok)
		x := v.Interface().(T)
		fixRaw(reflect.ValueOf(&x).Elem(), rnd)
		out = append(out, x)
	}
	return out
}

var rawType = reflect.TypeFor[abi.Raw]()

func fixRaw(v reflect.Value, rnd *rand.Rand) {
	switch {
	case v.Type() == rawType:
		if v.Len() == 0 {
			return
		}
		vals := []any{"a <b> & \u2028", 12.5, map[string]any{"Qty": 2000, "ProductID": "10030"}, []any{true, nil}, "é\x00"}
		b, _ := json.MarshalIndent(vals[rnd.Intn(len(vals))], "", "  ") // compacted when written
		v.SetBytes(b)
	case v.Kind() == reflect.Pointer && !v.IsNil():
		fixRaw(v.Elem(), rnd)
	case v.Kind() == reflect.Struct:
		for i := range v.NumField() {
			fixRaw(v.Field(i), rnd)
		}
	case v.Kind() == reflect.Slice && v.Type().Elem().Kind() == reflect.Struct:
		for i := range v.Len() {
			fixRaw(v.Index(i), rnd)
		}
	}
}

func encode(v any) ([]byte, error) {
	switch v := v.(type) {
	case abi.Request:
		return abi.Encode(v)
	case abi.Response:
		return abi.Encode(v)
	case abi.Cart:
		return abi.Encode(v)
	}
	panic("not a document")
}

func decode(b []byte, v any) error {
	switch v := v.(type) {
	case *abi.Request:
		return abi.Decode(b, v)
	case *abi.Response:
		return abi.Decode(b, v)
	case *abi.Cart:
		return abi.Decode(b, v)
	}
	panic("not a document")
}

func holdToStd[T doc](t *testing.T) {
	for i, v := range random[T](t, 300) {
		want, err := json.Marshal(v)
		require.NoError(t, err)
		got, err := encode(v)
		require.NoError(t, err)
		require.Equal(t, string(want), string(got), "value %d", i)

		var std, ours T
		require.NoError(t, json.Unmarshal(want, &std))
		require.NoError(t, decode(want, &ours))
		require.Equal(t, std, ours, "value %d", i)
	}
}

func TestTheCodecWritesAndReadsAsEncodingJSON(t *testing.T) {
	t.Run("request", holdToStd[abi.Request])
	t.Run("response", holdToStd[abi.Response])
	t.Run("cart", holdToStd[abi.Cart])
}

func TestTheCodecReadsAsEncodingJSON(t *testing.T) {
	for name, in := range map[string]string{
		"keys fold":           `{"PHASE":"pre","View":{"Store":"S1","TERMINAL":"T1"},"op":{"ID":100}}`,
		"kelvin and long s":   `{"view":{"\u212aey":1,"\u017ftore":"S2"}}`,
		"unknown skipped":     `{"x":[1,{"y":[true,false,null,"z\u00e9"]}],"phase":"post","z":-1.5e-3}`,
		"null leaves":         `{"phase":null,"view":null,"op":null,"line":{"no":null,"qty":null}}`,
		"duplicates":          `{"phase":"a","phase":"b","line":{"no":1,"name":"x"},"line":{"no":2}}`,
		"escapes":             `{"error":"a\"b\\c\/d\b\f\n\r\t\u0041\ud83d\ude00\ud800x\udc00"}`,
		"bad utf-8":           "{\"error\":\"a\xffb\xc3\"}",
		"raw kept":            `{"config": { "a" : [1, 2] } ,"op":{"id":5,"args":null}}`,
		"empty slices":        `{"done":{"lines":[]}}`,
		"answers":             `{"view":{"answers":{"button":"yes","year":"1990","":""}}}`,
		"top-level null":      `null`,
		"white space":         " \t\n\r{ \"phase\" : \"pre\" } \n",
		"negative zero":       `{"line":{"qty":-0}}`,
		"slices merge":        `{"done":{"lines":[{"no":1,"name":"a"},{"no":2}]},"done":{"lines":[{"no":3}]}}`,
		"receipt lines":       `{"receipt":{"lines":{"10":["a"],"9":null,"+1":[],"-2":["b"]}}}`,
		"panel":               `{"panel":{"id":"p","title":{"en":"T"},"fields":[{"id":"f","kind":"choice","required":true,"options":[{"value":"v","label":null}]}],"buttons":[{"id":"ok","cancel":true,"op":5001}]}}`,
		"big":                 `{"line":{"qty":9223372036854775807,"net":-9223372036854775808}}`,
		"string escapes keys": `{"ph\u0061se":"pre"}`,
	} {
		t.Run(name, func(t *testing.T) {
			for _, v := range []any{&abi.Request{}, &abi.Response{}} {
				std := reflect.New(reflect.TypeOf(v).Elem()).Interface()
				stdErr := json.Unmarshal([]byte(in), std)
				ourErr := decode([]byte(in), v)
				if stdErr != nil {
					assert.Error(t, ourErr, "encoding/json refuses it: %v", stdErr)
					continue
				}
				require.NoError(t, ourErr)
				assert.Equal(t, std, v)
			}
		})
	}
}

func TestTheCodecRefusesWhatIsNotJSON(t *testing.T) {
	for name, in := range map[string]string{
		"empty":                  ``,
		"trailing":               `{"phase":"pre"} x`,
		"trailing comma":         `{"phase":"pre",}`,
		"unterminated":           `{"phase":"pre`,
		"control character":      "{\"phase\":\"a\nb\"}",
		"bad escape":             `{"phase":"\x41"}`,
		"short unicode":          `{"phase":"\u12"}`,
		"leading zero":           `{"line":{"no":01}}`,
		"a float for an int":     `{"line":{"no":1.5}}`,
		"an exponent":            `{"line":{"no":1e2}}`,
		"overflow":               `{"line":{"qty":9223372036854775808}}`,
		"a string for an int":    `{"line":{"no":"1"}}`,
		"a number for a string":  `{"phase":1}`,
		"an array for an object": `{"view":[]}`,
		"bad literal":            `{"line":{"voided":tru}}`,
		"bad skipped value":      `{"x":[1,}`,
		"missing colon":          `{"phase" "pre"}`,
		"not a line number":      `{"receipt":{"lines":{"x":["a"]}}}`,
		"too deep":               `{"x":` + string(make([]byte, 0)) + deep(10001) + `}`,
	} {
		t.Run(name, func(t *testing.T) {
			var ours abi.Request
			if name == "not a line number" {
				var resp abi.Response
				require.Error(t, abi.Decode([]byte(in), &resp))
				require.Error(t, json.Unmarshal([]byte(in), &abi.Response{}))
				return
			}
			err := abi.Decode([]byte(in), &ours)
			require.Error(t, err)
			assert.Contains(t, err.Error(), "at byte")
			assert.Error(t, json.Unmarshal([]byte(in), &abi.Request{}), "encoding/json refuses it too")
		})
	}
}

func deep(n int) string {
	b := make([]byte, 0, 2*n)
	for range n {
		b = append(b, '[')
	}
	for range n {
		b = append(b, ']')
	}
	return string(b)
}

func TestMarshalWritesAsEncodingJSON(t *testing.T) {
	for _, v := range []any{
		nil, true, "a<b>&\u2028\x01\xff", 0, -12, int64(math.MinInt64), uint64(math.MaxUint64), int8(-3), uint16(7),
		0.0, math.Copysign(0, -1), 1.5, 1e21, 1e20, 1e-7, 0.000001, 123456789.125, math.MaxFloat64, math.SmallestNonzeroFloat64,
		map[string]any{"b": 1, "a": []any{"x", 2.5, nil, map[string]any{}}, "c": abi.Raw(`{ "k" : [ 1 ] }`)},
		[]any{}, map[string]string{"z": "1", "a": "2"}, []string{"a"}, []string(nil), map[string]any(nil),
	} {
		want, err := json.Marshal(v)
		require.NoError(t, err)
		got, err := abi.Marshal(v)
		require.NoError(t, err, "%#v", v)
		assert.Equal(t, string(want), string(got), "%#v", v)

		var std any
		require.NoError(t, json.Unmarshal(want, &std))
		ours, err := abi.Unmarshal(want)
		require.NoError(t, err)
		assert.Equal(t, std, ours)
	}
	for _, v := range []any{math.NaN(), math.Inf(1), float32(0.1), struct{}{}, map[string]any{"x": []int{1}}, abi.Raw("{")} {
		_, err := abi.Marshal(v)
		assert.Error(t, err, "%#v", v)
	}
}

func TestEncodeRefusesARawValueThatIsNotJSON(t *testing.T) {
	_, err := abi.Encode(abi.Response{Ops: []abi.Op{{ID: 100, Args: abi.Raw(`{"Qty":`)}}})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "not JSON")
}

func TestAPanelRoundTrips(t *testing.T) {
	p := prompt.Panel{ID: "age", Title: prompt.Text{"en": "Age", "de": "Alter"}, Message: prompt.Text{"en": "Born before 2008?"},
		Items:   []prompt.Item{{Label: prompt.Text{"en": "Stamps"}, Value: prompt.Text{"en": "7 of 10"}}},
		Fields:  []prompt.Field{{ID: "year", Label: prompt.Text{"en": "Year"}, Kind: prompt.NumberField, Required: true}},
		Buttons: []prompt.Button{{ID: "ok", Label: prompt.Text{"en": "OK"}}, {ID: "no", Label: prompt.Text{"en": "No"}, Cancel: true, Op: 5001}}}
	b, err := abi.Encode(abi.Response{Verdict: abi.Ask, Panel: &p})
	require.NoError(t, err)
	want, err := json.Marshal(abi.Response{Verdict: abi.Ask, Panel: &p})
	require.NoError(t, err)
	assert.Equal(t, string(want), string(b))
	var back abi.Response
	require.NoError(t, abi.Decode(b, &back))
	assert.Equal(t, p, *back.Panel)
}

// FuzzDecode holds the reader to encoding/json on any input: it never
// panics, and what it accepts encoding/json accepts and reads the same.
func FuzzDecode(f *testing.F) {
	for _, s := range []string{`{"phase":"pre","view":{"store":"S1","answers":{"a":"b"}},"op":{"id":100,"args":{"Barcode":"1"}}}`,
		`{"verdict":"ask","panel":{"id":"p","title":{"en":"x"},"buttons":[{"id":"ok","label":{"en":"OK"}}]},"receipt":{"lines":{"1":["x"]}}}`,
		`{"id":"t","lines":[{"no":1,"qty":-1000,"voided":true}],"total":5}`, `null`, `{"error":"\ud800\u00e9\ufffd"}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		check := func(ours, std any) {
			if err := decode(in, ours); err != nil {
				return
			}
			require.NoError(t, json.Unmarshal(in, std), "the codec accepted %q", in)
			require.Equal(t, std, ours, "%q", in)
			if _, err := encode(reflect.ValueOf(ours).Elem().Interface()); err != nil {
				t.Fatalf("what it read it cannot write: %v", err)
			}
		}
		check(&abi.Request{}, &abi.Request{})
		check(&abi.Response{}, &abi.Response{})
		check(&abi.Cart{}, &abi.Cart{})
		if v, err := abi.Unmarshal(in); err == nil {
			var std any
			require.NoError(t, json.Unmarshal(in, &std), "%q", in)
			require.Equal(t, std, v)
		}
	})
}

// The guest's concrete entry points are Encode and Decode.
func TestTheGuestsEntryPointsAreEncodeAndDecode(t *testing.T) {
	for _, v := range random[abi.Response](t, 50) {
		want, err := abi.Encode(v)
		require.NoError(t, err)
		got, err := abi.AppendResponse([]byte("junk"), v)
		require.NoError(t, err)
		assert.Equal(t, "junk"+string(want), string(got))
	}
	for _, v := range random[abi.Request](t, 50) {
		b, err := abi.Encode(v)
		require.NoError(t, err)
		var want, got abi.Request
		require.NoError(t, abi.Decode(b, &want))
		require.NoError(t, abi.DecodeRequest(b, &got))
		assert.Equal(t, want, got)
	}
	for _, v := range random[abi.Cart](t, 50) {
		b, err := abi.Encode(v)
		require.NoError(t, err)
		var want, got abi.Cart
		require.NoError(t, abi.Decode(b, &want))
		require.NoError(t, abi.DecodeCart(b, &got))
		assert.Equal(t, want, got)
	}
	assert.Error(t, abi.DecodeRequest([]byte(`{"phase":`), &abi.Request{}))
	assert.Error(t, abi.DecodeCart([]byte(`[]`), &abi.Cart{}))
}
