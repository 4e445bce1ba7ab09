package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/offline/scaleunit"
	"github.com/opentill/opentill/pos"
	"github.com/opentill/opentill/pos/tax"
	"github.com/opentill/opentill/pos/tender"
)

func TestStoreSetupShowAndSet(t *testing.T) {
	dir := t.TempDir()
	st, err := scaleunit.OpenSQLite(dir)
	require.NoError(t, err)
	require.NoError(t, scaleunit.Seed(context.Background(), st, 10, nil))
	require.NoError(t, st.Close())
	run := func(args ...string) (string, error) {
		var out bytes.Buffer
		c := rootCmd()
		c.SetArgs(append([]string{"store", "setup"}, append(args, "--data", dir, "--store", "S0001")...))
		c.SetOut(&out)
		c.SetErr(&out)
		err := c.Execute()
		return out.String(), err
	}
	shown, err := run("show")
	require.NoError(t, err)
	var s pos.Setup
	require.NoError(t, json.Unmarshal([]byte(shown), &s))
	require.Equal(t, "S0001", s.StoreID)

	// A new tax group and a renamed tender type reach the feed.
	s.TaxGroups["ZERO"] = tax.Group{ID: "ZERO", Name: "Exempt", Codes: []tax.Code{{ID: "V0", Name: "VAT 0%", Rate: 0}}}
	s.TenderTypes[0].Name = "Bargeld"
	file := filepath.Join(t.TempDir(), "setup.json")
	write := func(v any) {
		b, err := json.Marshal(v)
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(file, b, 0o644))
	}
	write(s)
	out, err := run("set", "--file", file)
	require.NoError(t, err, out)
	assert.Contains(t, out, "setup set")
	shown, err = run("show")
	require.NoError(t, err)
	assert.Contains(t, shown, `"Bargeld"`)
	assert.Contains(t, shown, `"ZERO"`)

	// A wrong setup changes nothing and says which field is wrong.
	bad := s
	bad.TenderTypes = append([]tender.Type(nil), s.TenderTypes...)
	bad.TenderTypes[1].Kind = "cheque"
	bad.Currency.Code = "EURO"
	write(bad)
	_, err = run("set", "--file", file)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "TenderTypes[1].kind")
	assert.Contains(t, err.Error(), "Currency.Code")
	assert.ErrorIs(t, err, scaleunit.ErrInvalid)
	again, err := run("show")
	require.NoError(t, err)
	assert.Equal(t, shown, again, "the refused setup reached no till")

	// So does a field the till does not know (a typo).
	require.NoError(t, os.WriteFile(file, []byte(strings.Replace(shown, `"TenderTypes"`, `"TenderTypez"`, 1)), 0o644))
	_, err = run("set", "--file", file)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "TenderTypez")
}
