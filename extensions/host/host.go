// Package host starts a till's extensions: the Go extensions compiled into
// the binary and the WebAssembly modules in the data folder, with their
// configs and state from the data folder. cmd/pos and cmd/posctl call Open
// before they build the register and Attach after.
package host

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/opentill/opentill/extensions"
	"github.com/opentill/opentill/pos"
)

// Open loads the extensions of the till in data into the registry g.
func Open(ctx context.Context, data string, g *pos.Registry) (*extensions.Set, error) {
	opt, err := extensions.DataDir(data)
	if err != nil {
		return nil, err
	}
	return extensions.Load(ctx, g, opt)
}

// PrintCarried lists the extensions compiled into the binary.
func PrintCarried(w io.Writer) {
	list := extensions.Registered()
	if len(list) == 0 {
		fmt.Fprintln(w, "no Go extensions compiled in")
		return
	}
	for _, i := range list {
		fmt.Fprintf(w, "%-24s %-8s %-4s %s\n", i.ID, i.Version, i.Tier, i.Name)
	}
}

// Describe is one line about a loaded extension: what it hooks and adds.
func Describe(l extensions.Loaded) string {
	var what []string
	if l.Pre {
		what = append(what, "pre-trigger")
	}
	if l.Post {
		what = append(what, "post-trigger")
	}
	if l.Pre || l.Post {
		if len(l.Hooks.Ops) == 0 {
			what = append(what, "on every operation")
		} else {
			ops := make([]string, len(l.Hooks.Ops))
			for i, o := range l.Hooks.Ops {
				ops[i] = fmt.Sprint(int(o))
			}
			what = append(what, "on "+strings.Join(ops, ","), "failure: "+l.Hooks.Policy.String())
		}
	}
	for _, o := range l.Custom {
		what = append(what, fmt.Sprintf("operation %d", o))
	}
	if l.Fields {
		what = append(what, "receipt fields")
	}
	return fmt.Sprintf("%-24s %-8s %-4s %s: %s", l.ID, l.Version, l.Tier, l.Name, strings.Join(what, "; "))
}
