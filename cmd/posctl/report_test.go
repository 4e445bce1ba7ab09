package main

import (
	"encoding/csv"
	"encoding/json"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
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
