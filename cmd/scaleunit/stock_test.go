package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/offline/demo"
	"github.com/opentill/opentill/offline/scaleunit"
)

func TestAdminStock(t *testing.T) {
	dir := t.TempDir()
	st, err := scaleunit.OpenSQLite(dir)
	require.NoError(t, err)
	require.NoError(t, scaleunit.Seed(context.Background(), st, 10, nil))
	require.NoError(t, st.Close())
	run := func(args ...string) (string, error) {
		var out bytes.Buffer
		c := rootCmd()
		c.SetArgs(append([]string{"admin", "stock"}, append(args, "--data", dir)...))
		c.SetOut(&out)
		c.SetErr(&out)
		err := c.Execute()
		return out.String(), err
	}
	p := demo.Featured[0].ID
	out, err := run("set", "--product", p, "--on-hand", "12.5", "--on-order", "4")
	require.NoError(t, err)
	assert.Contains(t, out, "on hand 12.500, reserved 0.000, on order 4.000")
	out, err = run("set", "--product", p, "--reserved", "2")
	require.NoError(t, err)
	assert.Contains(t, out, "on hand 12.500, reserved 2.000, on order 4.000", "figures not given are kept")
	_, err = run("set", "--product", p, "--on-hand", "lots")
	assert.ErrorContains(t, err, "not a quantity")

	csv := filepath.Join(t.TempDir(), "stock.csv")
	require.NoError(t, os.WriteFile(csv, []byte("product_id,on_hand\n"+p+",7\n"+demo.Featured[1].ID+",3\n"), 0o644))
	out, err = run("import", "--file", csv)
	require.NoError(t, err)
	assert.Contains(t, out, "2 figures")
	out, err = run("show", "--product", p)
	require.NoError(t, err)
	assert.Contains(t, out, "on hand 7.000")

	require.NoError(t, os.WriteFile(csv, []byte(p+",1\nbad line\n"), 0o644))
	_, err = run("import", "--file", csv)
	assert.ErrorContains(t, err, "line 2")
	out, _ = run("show", "--product", p)
	assert.Contains(t, out, "on hand 7.000", "a bad file imports nothing")

	out, err = run("count", "--id", "C-7", "--name", "Dairy", "--products", p+","+demo.Featured[1].ID)
	require.NoError(t, err)
	assert.Contains(t, out, "of 2 products scheduled")
	out, err = run("count", "--id", "C-7", "--show")
	require.NoError(t, err)
	assert.Contains(t, out, `"status": "open"`)

	out, err = run("order", "--id", "po-9", "--number", "PO-9", "--supplier", "Acme", "--lines", p+"=12,"+demo.Featured[1].ID+"=2.5", "--delivery", "2026-12-04")
	require.NoError(t, err)
	assert.Contains(t, out, "purchase order po-9 (PO-9) of 2 lines")
	out, err = run("order", "--id", "po-9", "--show")
	require.NoError(t, err)
	assert.Contains(t, out, "po-9 PO-9 (purchase) Acme → S0001: open")
	assert.Contains(t, out, "12.000")
	out, err = run("show", "--product", p)
	require.NoError(t, err)
	assert.Contains(t, out, "on order 12.000", "the order is on order at the store")
	_, err = run("order", "--id", "po-x", "--supplier", "Acme", "--lines", p+"=many")
	assert.ErrorContains(t, err, "not a quantity")
	out, err = run("transfer", "--id", "to-9", "--from", scaleunit.SisterStoreID, "--to", demo.StoreID, "--lines", p+"=3")
	require.NoError(t, err)
	assert.Contains(t, out, "from store S0002 to store S0001")
	_, err = run("transfer", "--id", "to-x", "--from", demo.StoreID, "--to", demo.StoreID, "--lines", p+"=3")
	assert.ErrorContains(t, err, "to itself")
}
