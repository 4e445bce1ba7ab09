// Package archtest checks the dependency rules of the architecture: the
// domain, the offline store, the peripherals and the headless tools never
// import the UI toolkit.
package archtest

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// headless lists package patterns that must build without Fyne.
var headless = []string{
	"github.com/opentill/opentill/pos/...",
	"github.com/opentill/opentill/offline/...",
	"github.com/opentill/opentill/peripherals/...",
	"github.com/opentill/opentill/cmd/posctl/...",
	"github.com/opentill/opentill/cmd/scaleunit/...",
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

func TestDomainImportsNoStorageOrNetwork(t *testing.T) {
	out, err := exec.Command("go", "list", "-e", "-deps", "-f", "{{.ImportPath}}", "github.com/opentill/opentill/pos/...").CombinedOutput()
	require.NoError(t, err, string(out))
	// database/sql/driver alone is allowed: it is an interface package that
	// github.com/google/uuid imports for its Scan/Value methods.
	forbidden := []string{"database/sql\x00", "net/http", "modernc.org/", "github.com/go-resty/", "go.bug.st/serial", "github.com/opentill/opentill/offline", "github.com/opentill/opentill/peripherals", "github.com/opentill/opentill/ui"}
	for _, dep := range strings.Fields(string(out)) {
		for _, f := range forbidden {
			if dep+"\x00" == f || strings.HasPrefix(dep, f) {
				t.Errorf("pos/... depends on %s: the domain holds no SQL, HTTP, device or UI code", dep)
			}
		}
	}
}
