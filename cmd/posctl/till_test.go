package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/spf13/cobra"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// till runs the text till on dir with the given input lines and returns
// what it printed.
func till(t *testing.T, dir string, lines ...string) string {
	t.Helper()
	s, reg, _, err := openTill(dir, "approve")
	require.NoError(t, err)
	defer s.Close()
	cmd := &cobra.Command{}
	cmd.SetContext(context.Background())
	var out bytes.Buffer
	require.NoError(t, runTill(cmd, reg, nil, nil, strings.NewReader(strings.Join(lines, "\n")+"\n"), &out, 42))
	return out.String()
}

// TestTillAsksForAShift: the demo store sells only in an open shift, so the
// text till tells a cashier who signs in without one how to open it, repeats
// it when a sale is refused for that reason, and after a restart sells on in
// the shift left open.
func TestTillAsksForAShift(t *testing.T) {
	dir := seeded(t)
	out := till(t, dir, "signin 1001 1234", "scan 4000000000013", "shift open 100.00", "scan 4000000000013", "pay cash 5", "quit")
	before, after, ok := strings.Cut(out, "! no shift is open on this register")
	require.True(t, ok, "the sale is refused: %s", out)
	assert.Contains(t, before, "no shift is open on this register; before selling, type one of:", "the hint follows sign-in")
	assert.Contains(t, after, "shift open AMOUNT  with the cash in the drawer (e.g. shift open 100.00)", "and is repeated")
	assert.Contains(t, out, "CHANGE DUE: 3.81", "the sale in the opened shift")

	out = till(t, dir, "signin 1002 1234", "scan 4000000000013", "quit")
	assert.Contains(t, out, "opened by 1001: sign in as them to sell in it", "a cashier may not join another's shift")
	assert.Contains(t, out, "! the shift on this register was opened by 1001")

	out = till(t, dir, "signin 1001 1234", "scan 4000000000013", "pay card", "quit")
	assert.Contains(t, out, "selling in shift", "the restarted till resumes the open shift")
	assert.NotContains(t, out, "! ")
	assert.Contains(t, out, "S0001-T01-000002")
}
