// Command quick is the guest module of the benchmarks: a pre-trigger that
// reads the product a sale names and lets everything but tobacco through.
package main

import (
	"github.com/opentill/opentill/extensions/wasm/abi"
	"github.com/opentill/opentill/extensions/wasm/guest"
	"github.com/opentill/opentill/pos/prompt"
)

func init() {
	guest.Handle(func(req abi.Request) abi.Response {
		if p := req.View.Product; p != nil && p.Category == "Tobacco" {
			return guest.Refuse(prompt.Text{"en": "No tobacco here."})
		}
		return abi.Response{}
	})
}

func main() {}
