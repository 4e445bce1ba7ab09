package pos_test

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/pos"
)

// TestOperationsDocIsCurrent keeps docs/operations.md in step with the
// operation table: the built-in operations come first, then those of the
// extensions posctl carries (ID 5000 and up; cmd/posctl checks the whole
// file). Regenerate with: go run ./cmd/posctl ops --markdown > docs/operations.md
func TestOperationsDocIsCurrent(t *testing.T) {
	b, err := os.ReadFile("../docs/operations.md")
	require.NoError(t, err)
	var builtin []string
	for _, line := range strings.SplitAfter(string(b), "\n") {
		var id int
		if _, err := fmt.Sscanf(line, "| %d |", &id); err == nil && id >= int(pos.FirstCustomOp) {
			continue
		}
		builtin = append(builtin, line)
	}
	doc := strings.Join(builtin, "")
	assert.Equal(t, pos.OperationsMarkdown(), doc, "docs/operations.md is stale: run go run ./cmd/posctl ops --markdown > docs/operations.md")
}

func TestEveryOperationHasAHandlerAndADoc(t *testing.T) {
	for _, o := range pos.NewRegistry().Specs() {
		assert.NotEmpty(t, o.Name, o.ID)
		assert.NotEmpty(t, o.Doc, o.ID)
		assert.Less(t, o.ID, pos.FirstCustomOp)
	}
}
