package pos_test

import (
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/pos"
)

// TestOperationsDocIsCurrent keeps docs/operations.md in step with the
// operation table. Regenerate with: go run ./cmd/posctl ops --markdown > docs/operations.md
func TestOperationsDocIsCurrent(t *testing.T) {
	b, err := os.ReadFile("../docs/operations.md")
	require.NoError(t, err)
	assert.Equal(t, pos.OperationsMarkdown(), string(b), "docs/operations.md is stale: run go run ./cmd/posctl ops --markdown > docs/operations.md")
}

func TestEveryOperationHasAHandlerAndADoc(t *testing.T) {
	for _, o := range pos.NewRegistry().Specs() {
		assert.NotEmpty(t, o.Name, o.ID)
		assert.NotEmpty(t, o.Doc, o.ID)
		assert.Less(t, o.ID, pos.FirstCustomOp)
	}
}
