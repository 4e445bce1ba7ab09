package main

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/offline/scaleunit"
)

// posctl report prints every report of a trading day in each format, and
// its figures are the Z's.
func TestReportCommand(t *testing.T) {
	dir := seeded(t)
	out, err := run(t, "sell", "--data", dir, "--script", "../../docs/examples/trading-day.txt")
	require.NoError(t, err, out)

	out, err = run(t, "report", "summary", "--data", dir, "--period", "shift")
	require.NoError(t, err, out)
	assert.Contains(t, out, "Sales summary")
	assert.Contains(t, out, "€25.25", "net sales of the trading day, as its Z")
	assert.Contains(t, out, "€3.61", "its tax")

	out, err = run(t, "report", "tenders", "--data", dir, "--period", "shift", "--format", "csv", "--compare=false")
	require.NoError(t, err, out)
	r := csv.NewReader(strings.NewReader(out))
	r.FieldsPerRecord = -1
	recs, err := r.ReadAll()
	require.NoError(t, err)
	var cash []string
	for _, rec := range recs {
		if rec[0] == "Cash" {
			cash = rec
		}
	}
	require.NotNil(t, cash, out)
	assert.Equal(t, []string{"Cash", "3", "28.81", "13.14", "15.67"}, cash[:5], "tendered and change as the Z's")

	out, err = run(t, "report", "tax", "--data", dir, "--period", "shift", "--format", "json")
	require.NoError(t, err, out)
	var doc struct {
		Name   string `json:"name"`
		Tables []struct {
			Total []any `json:"total"`
		} `json:"tables"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &doc), out)
	assert.EqualValues(t, 361, doc.Tables[0].Total[3])

	out, err = run(t, "report", "exceptions", "--data", dir, "--period", "shift", "--lang", "de", "--format", "short", "--width", "32")
	require.NoError(t, err, out)
	assert.Contains(t, out, "Stornierter Vorgang")
	for _, l := range strings.Split(strings.TrimRight(out, "\n"), "\n") {
		assert.LessOrEqual(t, len([]rune(l)), 32, l)
	}

	pdf := filepath.Join(t.TempDir(), "month.pdf")
	out, err = run(t, "report", "summary", "--data", dir, "--period", "month", "--format", "pdf", "--out", pdf)
	require.NoError(t, err, out)
	assert.Contains(t, out, "page(s)")
	info, err := exec.Command("pdfinfo", pdf).CombinedOutput()
	require.NoError(t, err, "pdfinfo (poppler-utils, make deps): %s", info)
	assert.Contains(t, string(info), "A4")

	for _, name := range []string{"hourly", "daily", "categories", "operators", "registers", "products", "promotions", "baskets", "overshort"} {
		out, err = run(t, "report", name, "--data", dir, "--from", "2026-11-01", "--to", "2026-11-30")
		require.NoError(t, err, "%s: %s", name, out)
		assert.Contains(t, out, "01/11/2026 – 30/11/2026", name)
	}

	_, err = run(t, "report", "nope", "--data", dir)
	assert.ErrorContains(t, err, "the reports are summary")
	_, err = run(t, "report", "summary", "--data", dir, "--from", "27.11.2026")
	assert.ErrorContains(t, err, "YYYY-MM-DD")
	_, err = run(t, "report", "summary", "--data", dir, "--format", "xls")
	assert.ErrorContains(t, err, "use text, short, csv, json or pdf")
}

// posctl report --store asks the store server: after a sync, the whole
// store's reports (one till here) are the till's own, line for line.
func TestReportFromTheServer(t *testing.T) {
	url := scaleUnit(t)
	dir := seeded(t)
	out, err := run(t, "sell", "--data", dir, "--script", "../../docs/examples/trading-day.txt")
	require.NoError(t, err, out)
	code, err := scaleunit.IssueActivationCode(ctx, scaleUnits[url], "S0001/T01", time.Hour)
	require.NoError(t, err)
	out, err = run(t, "sync", "--data", dir, "--server", url, "--code", code, "--quiet")
	require.NoError(t, err, out)

	out, err = run(t, "report", "summary", "--data", dir, "--store")
	require.NoError(t, err, out)
	assert.Contains(t, out, "€25.25", "net sales of the trading day, across the store")
	for _, name := range []string{"summary", "hourly", "categories", "products", "exceptions", "promotions", "tenders", "tax", "baskets", "overshort"} {
		own, err := run(t, "report", name, "--data", dir, "--compare=false")
		require.NoError(t, err, own)
		store, err := run(t, "report", name, "--data", dir, "--compare=false", "--store")
		require.NoError(t, err, store)
		assert.Equal(t, own, store, "report %s", name)
	}
	// A sale not yet synced is the till's, not yet the store's.
	script := filepath.Join(t.TempDir(), "s.txt")
	require.NoError(t, os.WriteFile(script, []byte("signin 1001 1234\nshift open 100.00\nscan 4000000000013\npay cash exact\nsignout\n"), 0o644))
	out, err = run(t, "sell", "--data", dir, "--script", script)
	require.NoError(t, err, out)
	own, err := run(t, "report", "summary", "--data", dir, "--compare=false")
	require.NoError(t, err, own)
	store, err := run(t, "report", "summary", "--data", dir, "--compare=false", "--store")
	require.NoError(t, err, store)
	assert.Contains(t, own, "Net sales         €26.44", "the till's own, with the new sale")
	assert.Contains(t, store, "Net sales         €25.25", "the store's, without it until it syncs")

	_, err = run(t, "report", "summary", "--data", dir, "--store", "--period", "shift")
	assert.ErrorContains(t, err, "a shift is one till's")
}
