// Package archtest checks the dependency rules of the architecture: the
// domain, the offline store, the peripherals and the headless tools never
// import the UI toolkit.
package archtest

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// headless lists package patterns that must build without Fyne.
var headless = []string{
	"github.com/opentill/opentill/pos/...",
	"github.com/opentill/opentill/offline/...",
	"github.com/opentill/opentill/peripherals/...",
	"github.com/opentill/opentill/cmd/posctl/...",
	"github.com/opentill/opentill/cmd/scaleunit/...",
	"github.com/opentill/opentill/extensions/...",
}

func TestHeadlessPackagesDoNotImportFyne(t *testing.T) {
	for _, pattern := range headless {
		out, err := exec.Command("go", "list", "-e", "-deps", "-f", "{{.ImportPath}}", pattern).CombinedOutput()
		require.NoError(t, err, string(out))
		for _, dep := range strings.Fields(string(out)) {
			if strings.HasPrefix(dep, "fyne.io/") {
				t.Errorf("%s depends on %s: the UI toolkit must stay out of %s", pattern, dep, pattern)
			}
		}
	}
}

// testSupport lists the packages under pos/ that only _test.go files
// import: they may use testify, which brings in net/http, but nothing else
// the domain may not.
var testSupport = map[string]bool{"github.com/opentill/opentill/pos/storetest": true}

// domainForbidden are the imports the domain may not depend on.
var domainForbidden = []string{"database/sql\x00", "net/http", "modernc.org/", "github.com/go-resty/", "go.bug.st/serial", "github.com/opentill/opentill/offline", "github.com/opentill/opentill/peripherals", "github.com/opentill/opentill/ui"}

func goList(t *testing.T, args ...string) []string {
	t.Helper()
	out, err := exec.Command("go", append([]string{"list", "-e"}, args...)...).CombinedOutput()
	require.NoError(t, err, string(out))
	return strings.Split(strings.TrimSpace(string(out)), "\n")
}

func TestDomainImportsNoStorageOrNetwork(t *testing.T) {
	var domain, support []string
	for _, p := range goList(t, "github.com/opentill/opentill/pos/...") {
		if testSupport[p] {
			support = append(support, p)
		} else {
			domain = append(domain, p)
		}
	}
	check := func(pkgs []string, forbidden []string, what string) {
		for _, dep := range goList(t, append([]string{"-deps", "-f", "{{.ImportPath}}"}, pkgs...)...) {
			for _, f := range forbidden {
				if dep+"\x00" == f || strings.HasPrefix(dep, f) {
					t.Errorf("%s depends on %s: the domain holds no SQL, HTTP, device or UI code", what, dep)
				}
			}
		}
	}
	check(domain, domainForbidden, "pos/...")
	if len(support) > 0 {
		var noHTTP []string
		for _, f := range domainForbidden {
			if f != "net/http" {
				noHTTP = append(noHTTP, f)
			}
		}
		check(support, noHTTP, "pos test support ("+strings.Join(support, ", ")+")")
	}
}

// TestTestSupportOnlyInTests keeps the test-support packages (and the
// net/http that testify brings) out of every binary: only _test.go files
// may import them.
func TestTestSupportOnlyInTests(t *testing.T) {
	for _, l := range goList(t, "-f", "{{.ImportPath}}{{range .Imports}} {{.}}{{end}}", "github.com/opentill/opentill/...") {
		f := strings.Fields(l)
		for _, imp := range f[1:] {
			if testSupport[imp] {
				t.Errorf("%s imports %s, which is test support: import it from _test.go files only", f[0], imp)
			}
		}
	}
}

// uiForbidden are the module's packages the screens must not import: they
// reach the store, the devices and the sync only through the domain and the
// till service's ports (pos/till, pos/till/devices), which cmd/pos wires.
var uiForbidden = []string{
	"github.com/opentill/opentill/offline",
	"github.com/opentill/opentill/peripherals",
}

func TestUIImportsOnlyTheDomain(t *testing.T) {
	// Imports, not Deps nor TestImports: the tests may build real stores
	// and devices.
	out, err := exec.Command("go", "list", "-e", "-f", "{{.ImportPath}} {{join .Imports \" \"}}", "github.com/opentill/opentill/ui/...").CombinedOutput()
	require.NoError(t, err, string(out))
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	require.NotEmpty(t, lines)
	checked := map[string]bool{}
	for _, line := range lines {
		fields := strings.Fields(line)
		pkg := fields[0]
		checked[pkg] = true
		for _, imp := range fields[1:] {
			if forbiddenForUI(imp) {
				t.Errorf("%s imports %s: ui/ imports the domain and the till service (pos/...) only; declare a port in pos/till and wire it in cmd/pos", pkg, imp)
			}
		}
	}
	for _, pkg := range []string{"github.com/opentill/opentill/ui", "github.com/opentill/opentill/ui/tour", "github.com/opentill/opentill/ui/startbench"} {
		assert.True(t, checked[pkg], "%s was not checked", pkg)
	}
}

// forbiddenForUI reports whether imp is (or is under) a package ui/ must
// not import.
func forbiddenForUI(imp string) bool {
	for _, f := range uiForbidden {
		if imp == f || strings.HasPrefix(imp, f+"/") {
			return true
		}
	}
	return false
}

func TestForbiddenForUI(t *testing.T) {
	for imp, want := range map[string]bool{
		"github.com/opentill/opentill/offline/tillsync":      true,
		"github.com/opentill/opentill/offline/api":           true,
		"github.com/opentill/opentill/peripherals":           true,
		"github.com/opentill/opentill/peripherals/station":   true,
		"github.com/opentill/opentill/pos/till":              false,
		"github.com/opentill/opentill/pos/till/devices":      false,
		"github.com/opentill/opentill/peripheralsextra":      false,
		"github.com/opentill/opentill/ui/l10n":               false,
		"fyne.io/fyne/v2/widget":                             false,
		"github.com/opentill/opentill/offlinefirst/whatever": false,
	} {
		assert.Equal(t, want, forbiddenForUI(imp), imp)
	}
}
