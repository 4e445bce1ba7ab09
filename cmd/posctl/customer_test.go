package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestCustomerPrices puts the demo's club member C0001 on a transaction:
// the club price group applies (espresso beans 12.99 instead of 14.99) and
// clearing the customer brings the store price back.
func TestCustomerPrices(t *testing.T) {
	dir := seeded(t)
	script := filepath.Join(t.TempDir(), "c.txt")
	require.NoError(t, os.WriteFile(script, []byte(`signin 2001 2468
shift open 100.00
expect error none
scan 4000000000143
expect total 14.99
customer C0001
expect total 12.99
nocustomer
expect total 14.99
customer C0001
void
`), 0o644))
	out, err := run(t, "sell", "--data", dir, "--script", script)
	require.NoError(t, err, out)
	assert.Contains(t, out, "customer C0001")
}
