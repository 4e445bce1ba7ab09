package profile

import (
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/opentill/opentill/peripherals"
	"github.com/opentill/opentill/peripherals/transport"
)

// ScaleDriver is a scale protocol an extension adds: a profile's [scale]
// section with driver = Name opens the port its port and line name (Line
// is the protocol's default) and hands the link and the section to New.
type ScaleDriver struct {
	Name string // namespaced, as extension IDs are: "acme.bizerba"
	Line transport.Line
	New  func(link *transport.Link, s Scale) (peripherals.Scale, error)
}

// DisplayDriver is a line display protocol an extension adds, as
// ScaleDriver is for scales.
type DisplayDriver struct {
	Name string
	Line transport.Line
	New  func(link *transport.Link, d Display) (peripherals.LineDisplay, error)
}

var drivers struct {
	sync.RWMutex
	scales   map[string]ScaleDriver
	displays map[string]DisplayDriver
}

// register adds a driver under its name (from an init function). It
// panics on a name without a vendor prefix, one registered before, or a
// driver without New: a clash is a build error of the till that compiles
// both in, found at its first start.
func register[D any](m *map[string]D, kind, name string, hasNew bool, d D) {
	drivers.Lock()
	defer drivers.Unlock()
	vendor, short, ok := strings.Cut(name, ".")
	if !ok || vendor == "" || short == "" || strings.ContainsAny(name, " \t\"") {
		panic(fmt.Sprintf("profile: %s driver %q: name it vendor.protocol (acme.bizerba)", kind, name))
	}
	if _, taken := (*m)[name]; taken {
		panic(fmt.Sprintf("profile: %s driver %q is registered twice", kind, name))
	}
	if !hasNew {
		panic(fmt.Sprintf("profile: %s driver %q has no New", kind, name))
	}
	if *m == nil {
		*m = map[string]D{}
	}
	(*m)[name] = d
}

// RegisterScale adds a scale driver (from an extension's init function).
// It panics on a name without a vendor prefix or registered before.
func RegisterScale(d ScaleDriver) { register(&drivers.scales, "scale", d.Name, d.New != nil, d) }

// RegisterDisplay adds a line display driver, as RegisterScale does.
func RegisterDisplay(d DisplayDriver) {
	register(&drivers.displays, "display", d.Name, d.New != nil, d)
}

func scaleDriver(name string) (ScaleDriver, bool) {
	drivers.RLock()
	defer drivers.RUnlock()
	d, ok := drivers.scales[name]
	return d, ok
}

func displayDriver(name string) (DisplayDriver, bool) {
	drivers.RLock()
	defer drivers.RUnlock()
	d, ok := drivers.displays[name]
	return d, ok
}

// Drivers lists the scale and display drivers extensions added, by name.
func Drivers() (scales, displays []string) {
	drivers.RLock()
	defer drivers.RUnlock()
	for n := range drivers.scales {
		scales = append(scales, n)
	}
	for n := range drivers.displays {
		displays = append(displays, n)
	}
	sort.Strings(scales)
	sort.Strings(displays)
	return scales, displays
}

// extraNames lists added drivers for an error message (", acme.x").
func extraNames(names []string) string {
	if len(names) == 0 {
		return ""
	}
	return ", " + strings.Join(names, ", ")
}
