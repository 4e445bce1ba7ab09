// Command naughty is a guest module that misbehaves on purpose, for the
// containment tests: on the pre call of a sale of the barcode in its config
// it does what its mode says.
package main

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/opentill/opentill/extensions/wasm/abi"
	"github.com/opentill/opentill/extensions/wasm/guest"
	"github.com/opentill/opentill/pos/prompt"
)

var hog [][]byte

func init() {
	guest.Handle(func(req abi.Request) abi.Response {
		cfg, _ := guest.Config(req) // mode, and when: the barcode that sets it off
		var sale struct{ Barcode string }
		if req.Op != nil {
			_ = json.Unmarshal(req.Op.Args, &sale)
		}
		if sale.Barcode != guest.String(cfg["when"]) {
			return abi.Response{}
		}
		switch req.Phase + " " + guest.String(cfg["mode"]) {
		case "pre panic":
			panic("naughty: boom")
		case "pre loop":
			for {
			}
		case "pre alloc":
			for {
				hog = append(hog, make([]byte, 8<<20))
			}
		case "pre sleep":
			time.Sleep(10 * time.Second)
		case "pre ask":
			return guest.Ask(prompt.Panel{ID: "q", Title: prompt.Text{"en": "Sure?"}, Buttons: []prompt.Button{{ID: "yes", Label: prompt.Text{"en": "Yes"}}}})
		case "pre cart": // says what guest.Cart read
			c := guest.Cart(req)
			if c == nil {
				return guest.Refuse(prompt.Text{"en": "no transaction"})
			}
			return guest.Refuse(prompt.Text{"en": fmt.Sprintf("%d lines, total %d, %s", len(c.Lines), c.Total, c.Lines[len(c.Lines)-1].Name)})
		case "pre refuse":
			return guest.Refuse(prompt.Text{"en": "Not today.", "de": "Heute nicht."})
		case "post line":
			return guest.Run(guest.NewOp(100, map[string]any{"Barcode": "4000000000013"}))
		case "post void":
			return guest.Run(guest.NewOp(500, map[string]any{}))
		}
		return abi.Response{}
	})
}

func main() {}
