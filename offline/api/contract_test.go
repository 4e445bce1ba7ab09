package api_test

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestTheContractImportsNoDomain keeps the wire types apart from the
// register: the contract depends on no package of the domain (pos/...), so
// a change to the domain cannot change what old tills and the documented
// API expect. The mappers live in offline/apimap.
func TestTheContractImportsNoDomain(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "-f", "{{.ImportPath}}", ".").CombinedOutput()
	require.NoError(t, err, string(out))
	deps := strings.Fields(string(out))
	require.Contains(t, deps, "github.com/opentill/opentill/offline/api", "go list ran in the wrong folder")
	for _, dep := range deps {
		if dep == "github.com/opentill/opentill/pos" || strings.HasPrefix(dep, "github.com/opentill/opentill/pos/") {
			t.Errorf("offline/api depends on %s: declare the wire type in offline/api and map it to the domain in offline/apimap", dep)
		}
	}
}
