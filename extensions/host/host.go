// Package host starts a till's extensions: the Go extensions compiled into
// the binary and the WebAssembly packages in the data folder
// (DATA/extensions/NAME/, signed by a key in DATA/extensions/trusted_keys),
// with their configs and state from the data folder. cmd/pos and
// cmd/posctl call Open before they build the register and Attach after.
package host

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/opentill/opentill/extensions"
	"github.com/opentill/opentill/extensions/wasm"
	"github.com/opentill/opentill/peripherals/profile"
	"github.com/opentill/opentill/pos"
)

// Extensions are a till's running extensions.
type Extensions struct {
	*extensions.Set
	// Refused are the packages in DATA/extensions that were not loaded,
	// each with why (untrusted, tampered, a bad manifest).
	Refused []error
	dir     *wasm.Dir
}

// Close cleans the extensions up; it may be called on nil.
func (e *Extensions) Close() error {
	if e == nil {
		return nil
	}
	return errors.Join(e.Set.Close(), e.dir.Close())
}

// Attach hooks them to the register; nil attaches nothing.
func (e *Extensions) Attach(r *pos.Register) error {
	if e == nil {
		return nil
	}
	return e.Set.Attach(r)
}

// Open loads the extensions of the till in data into the registry g.
func Open(ctx context.Context, data string, g *pos.Registry) (*Extensions, error) {
	opt, err := extensions.DataDir(data)
	if err != nil {
		return nil, err
	}
	dir, err := wasm.LoadDir(filepath.Join(data, "extensions"))
	if err != nil {
		return nil, err
	}
	set, err := extensions.Load(ctx, g, opt, dir.Modules...)
	if err != nil {
		return nil, errors.Join(err, dir.Close())
	}
	return &Extensions{Set: set, Refused: dir.Refused, dir: dir}, nil
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
	scales, displays := profile.Drivers()
	for _, n := range scales {
		fmt.Fprintf(w, "%-24s scale driver (hardware profile: [scale] driver = %q)\n", n, n)
	}
	for _, n := range displays {
		fmt.Fprintf(w, "%-24s display driver (hardware profile: [display] driver = %q)\n", n, n)
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
	if m, ok := l.Ext.(interface{ Manifest() wasm.Manifest }); ok {
		man := m.Manifest()
		what = []string{fmt.Sprintf("pre %v post %v", man.Hooks.Pre, man.Hooks.Post), "failure: " + l.Hooks.Policy.String(),
			"capabilities " + strings.Join(man.Capabilities, ","), fmt.Sprintf("%d MB, %d ms a call", man.MemoryMB, man.DeadlineMS)}
	} else if l.Pre || l.Post {
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
