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
package guest

import (
	"encoding/json"

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

// NewOp builds an operation from its ID and request fields.
func NewOp(id int, args any) abi.Op {
	b, err := json.Marshal(args)
	if err != nil {
		panic(err) // a map or struct of plain values always marshals
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

// Config decodes the module's config.
func Config(req abi.Request, dst any) error {
	if len(req.Config) == 0 {
		return nil
	}
	return json.Unmarshal(req.Config, dst)
}
