// Package guest is the Go SDK for OpenTill's WebAssembly extensions. A
// module is a main package that registers its handler in init and is built
// as a WASI reactor:
//
//	GOOS=wasip1 GOARCH=wasm go build -buildmode=c-shared -o module.wasm .
//
//	func init() { guest.Handle(func(req abi.Request) abi.Response { … }) }
//	func main() {}
//
// The package exports ot_alloc and ot_call (see package abi) when built for
// wasip1; on other platforms it only keeps the handler, so the module's
// logic can be unit-tested with go test on the host (Call).
//
// The SDK uses neither reflection nor fmt, so that a module stays small:
// the till decodes and validates every byte of a module at each start, and
// a module that imports encoding/json or fmt is about 0.4 MB larger for
// each (about 40 ms more to start ten such modules on two cores).
package guest

import (
	"errors"

	"github.com/opentill/opentill/extensions/wasm/abi"
	"github.com/opentill/opentill/pos/prompt"
)

// Handler handles one call from the till.
type Handler func(abi.Request) abi.Response

var handler Handler = func(abi.Request) abi.Response { return abi.Response{} }

// Handle sets the module's handler; call it from init.
func Handle(h Handler) { handler = h }

// Call runs the handler on a request as the till would (for tests on the host).
func Call(req abi.Request) abi.Response { return handler(req) }

// Refuse cancels the operation with a message in the languages given.
func Refuse(msg prompt.Text) abi.Response { return abi.Response{Verdict: abi.Refuse, Message: msg} }

// Ask asks the operator first; the operation comes back with View.Answers.
func Ask(p prompt.Panel) abi.Response { return abi.Response{Verdict: abi.Ask, Panel: &p} }

// Run asks for operations to run after this one.
func Run(ops ...abi.Op) abi.Response { return abi.Response{Ops: ops} }

// NewOp builds an operation from its ID and request fields: a
// map[string]any of strings, numbers, booleans, and maps and slices of
// them ({"ProductID": "10030", "Qty": 2000}), written as abi.Marshal does.
// It panics on a value of another type (a struct: build a map).
func NewOp(id int, args map[string]any) abi.Op {
	b, err := abi.Marshal(args)
	if err != nil {
		panic("guest.NewOp: " + err.Error())
	}
	return abi.Op{ID: id, Args: b}
}

// Cart returns the open transaction (nil when none is open), asking the
// till for it (opentill.ot_cart): a call that never reads the cart does
// not pay for it, so the till sends none in the request. The manifest must
// grant read_cart; without it the module is stopped. On the host (go test)
// it is req.View.Cart.
func Cart(req abi.Request) *abi.Cart {
	c, err := cartOf(req)
	if err != nil {
		panic("the till sent a cart the module cannot read: " + err.Error())
	}
	return c
}

// Config returns the module's config (the till's, else its manifest's):
// a JSON object read as encoding/json reads one into a map[string]any
// (numbers are float64); empty when there is none.
func Config(req abi.Request) (map[string]any, error) {
	if len(req.Config) == 0 {
		return map[string]any{}, nil
	}
	v, err := abi.Unmarshal(req.Config)
	if err != nil {
		return nil, err
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, errors.New("the config is not a JSON object")
	}
	return m, nil
}

// String returns v when it is a string, else "" (a config's value).
func String(v any) string {
	s, _ := v.(string)
	return s
}

// Strings returns the string values of an object in a config
// ({"10018": "EW25"}); values that are not strings are left out.
func Strings(v any) map[string]string {
	m, _ := v.(map[string]any)
	out := make(map[string]string, len(m))
	for k, e := range m {
		if s, ok := e.(string); ok {
			out[k] = s
		}
	}
	return out
}
