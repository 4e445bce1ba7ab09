// Command pfand is an example WebAssembly extension: the German bottle
// deposit (Pfand). A product with a deposit code gets a deposit line (the
// deposit product of its code) when it is sold, and the deposit is refunded
// when it is returned. Build it with
//
//	GOOS=wasip1 GOARCH=wasm go build -buildmode=c-shared -o module.wasm ./extensions/wasm/examples/pfand
//
// Its config maps products to deposit codes and codes to deposit products:
//
//	{"codes": {"EW25": "10030"}, "products": {"10018": "EW25", "10020": "EW25", "10021": "EW25"}}
package main

import (
	"github.com/opentill/opentill/extensions/wasm/abi"
	"github.com/opentill/opentill/extensions/wasm/guest"
)

// Operation IDs the module uses (pos.OpProductSale, pos.OpReturnProduct).
const (
	opSale   = 100
	opReturn = 109
)

func init() { guest.Handle(handle) }

func main() {}

func handle(req abi.Request) abi.Response {
	if req.Phase != abi.Post || req.Op == nil || req.Error != "" || req.Line == nil {
		return abi.Response{}
	}
	cfg, err := guest.Config(req)
	if err != nil {
		return abi.Response{Error: "config: " + err.Error()}
	}
	codes := guest.Strings(cfg["codes"])       // deposit code → deposit product ID
	products := guest.Strings(cfg["products"]) // product ID → deposit code
	deposit, ok := codes[products[req.Line.ProductID]]
	if !ok || deposit == req.Line.ProductID {
		return abi.Response{}
	}
	qty := req.Line.Qty
	if qty < 0 {
		qty = -qty
	}
	switch req.Op.ID {
	case opSale:
		if req.Line.Qty < 0 {
			return abi.Response{}
		}
		return guest.Run(guest.NewOp(opSale, map[string]any{"ProductID": deposit, "Qty": qty}))
	case opReturn:
		return guest.Run(guest.NewOp(opReturn, map[string]any{"ProductID": deposit, "Qty": qty}))
	}
	return abi.Response{}
}
