//go:build !wasip1

package guest

import "github.com/opentill/opentill/extensions/wasm/abi"

// cartOf is the request's cart on the host (unit tests set View.Cart).
func cartOf(req abi.Request) (*abi.Cart, error) { return req.View.Cart, nil }
