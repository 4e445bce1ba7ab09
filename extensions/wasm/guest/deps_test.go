package guest_test

import (
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestTheSDKLinksNoReflection keeps a guest module small: a till decodes
// and validates every byte of every module at each start, and fmt,
// reflection, encoding/json or net (which easyjson's runtime brought) each
// add about 0.4 MB to a module. The bottle-deposit example is a module as
// an ISV would write it.
func TestTheSDKLinksNoReflection(t *testing.T) {
	cmd := exec.Command("go", "list", "-deps", "-f", "{{.ImportPath}}", "../examples/pfand")
	cmd.Env = append(os.Environ(), "GOOS=wasip1", "GOARCH=wasm")
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, string(out))
	deps := strings.Fields(string(out))
	require.Contains(t, deps, "github.com/opentill/opentill/extensions/wasm/guest", "go list ran in the wrong folder")
	for _, dep := range deps {
		switch dep {
		case "fmt", "reflect", "encoding/json", "net", "os", "time":
			t.Errorf("a guest module links %s: keep the guest SDK, package abi and pos/prompt free of it (go list -deps -f '{{.ImportPath}} {{.Imports}}' with GOOS=wasip1 GOARCH=wasm shows who brings it)", dep)
		}
	}
}
