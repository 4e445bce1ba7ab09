package report_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/pos/report"
	"github.com/opentill/opentill/pos/report/render"
	"github.com/opentill/opentill/ui/l10n"
)

func daySet(t *testing.T, ts *tradingStore) *report.Set {
	t.Helper()
	set, err := report.Run(context.Background(), ts, ts.config(), report.Day(time.Date(2026, 11, 27, 12, 0, 0, 0, berlin), berlin), true)
	require.NoError(t, err)
	return set
}

var made = time.Date(2026, 11, 27, 21, 0, 0, 0, berlin)

// keysOf lists every message key a document uses.
func keysOf(d report.Doc) []string {
	keys := []string{d.Title, "report.range." + string(d.Period.Range), "report.compared_with", "report.format.hour", "report.page", "report.empty", "report.period.shift"}
	val := func(v report.Value) {
		if v.Kind == report.KKey {
			keys = append(keys, v.S)
		}
	}
	for _, f := range d.Figures {
		keys = append(keys, f.Key)
	}
	for _, c := range d.Charts {
		keys = append(keys, c.Title)
		for _, p := range c.Points {
			val(p.Label)
		}
	}
	for _, t := range d.Tables {
		keys = append(keys, t.Title)
		for _, c := range t.Columns {
			keys = append(keys, c.Key)
		}
		for _, r := range append(t.Rows, t.Total) {
			for _, v := range r {
				val(v)
			}
		}
	}
	return append(keys, d.Notes...)
}

// Every key every report uses has a message in every language, and no
// drawn report shows a raw key.
func TestEveryReportIsTranslated(t *testing.T) {
	ts := trading(t)
	set := daySet(t, ts)
	for _, lang := range l10n.Languages {
		loc := l10n.Must(lang)
		for _, n := range report.Names {
			d := set.Doc(n, made)
			for _, k := range keysOf(d) {
				assert.True(t, loc.Has(k), "%s: %s has no message %q", lang, n, k)
			}
			for _, k := range report.ExceptionKinds {
				assert.True(t, loc.Has("report.exc."+string(k)), "%s: exception kind %s", lang, k)
			}
			txt := render.Text(&d, loc)
			assert.NotRegexp(t, `report\.[a-z_]+\.[a-z_]+`, txt, "%s %s shows a message key", lang, n)
		}
	}
}

func TestTextAndShortForm(t *testing.T) {
	ts := trading(t)
	set := daySet(t, ts)
	d := set.Doc(report.Summary, made)
	en := l10n.Must("en")
	txt := render.Text(&d, en)
	net := en.Money(set.Cur.Total.Net, set.Cur.Currency)
	assert.Contains(t, txt, "Sales summary")
	assert.Contains(t, txt, "Day: 27/11/2026")
	assert.Contains(t, txt, "Compared with 26/11/2026")
	assert.Contains(t, txt, net)
	assert.Contains(t, txt, "█")
	exc := set.Doc(report.Exceptions, made)
	deL := l10n.Must("de")
	var override string
	for _, e := range set.Cur.Exceptions {
		if e.Kind == report.ExcPriceOverride {
			override = deL.Money(e.Was, set.Cur.Currency) + " → " + deL.Money(e.Now, set.Cur.Currency)
		}
	}
	require.NotEmpty(t, override, "the trading day has a price override")
	assert.Contains(t, render.Text(&exc, deL), override, "a price override's prices in the store's locale")
	short := render.Short(&d, en, 42)
	for _, l := range strings.Split(strings.TrimRight(short, "\n"), "\n") {
		assert.LessOrEqual(t, len([]rune(l)), 42, "%q is wider than the receipt", l)
	}
	assert.Contains(t, short, net)
	de := l10n.Must("de")
	assert.Contains(t, render.Text(&d, de), de.Money(set.Cur.Total.Net, set.Cur.Currency), "German amounts")
	assert.Contains(t, render.Text(&d, de), "Tag: 27.11.2026")
}

// The CSV reads back with encoding/csv, and its tender and tax tables add
// up to the figures of the data.
func TestCSVReadsBack(t *testing.T) {
	ts := trading(t)
	set := daySet(t, ts)
	for _, n := range report.Names {
		d := set.Doc(n, made)
		var buf bytes.Buffer
		require.NoError(t, render.CSV(&buf, &d, l10n.Must("fr")), n)
		r := csv.NewReader(&buf)
		r.FieldsPerRecord = -1
		recs, err := r.ReadAll()
		require.NoError(t, err, n)
		require.NotEmpty(t, recs)
		assert.Equal(t, "2026-11-27T00:00:00+01:00", recs[0][3], n)
	}
	d := set.Doc(report.Tenders, made)
	var buf bytes.Buffer
	require.NoError(t, render.CSV(&buf, &d, l10n.Must("en")))
	r := csv.NewReader(&buf)
	r.FieldsPerRecord = -1
	recs, err := r.ReadAll()
	require.NoError(t, err)
	var total []string
	for i, rec := range recs {
		if rec[0] == "Total" && i > 0 {
			total = rec
		}
	}
	require.NotNil(t, total, "a total row")
	want := (set.Cur.Total.Net + set.Cur.Total.Rounding).Format(2)
	assert.Equal(t, want, total[4], "net takings, machine-readable: %v", total)
	_, err = strconv.ParseFloat(total[4], 64)
	assert.NoError(t, err)
}

func TestJSON(t *testing.T) {
	ts := trading(t)
	set := daySet(t, ts)
	d := set.Doc(report.Taxes, made)
	var buf bytes.Buffer
	require.NoError(t, render.JSON(&buf, &d))
	var back struct {
		Name   string `json:"name"`
		Tables []struct {
			Total []any `json:"total"`
		} `json:"tables"`
	}
	require.NoError(t, json.Unmarshal(buf.Bytes(), &back))
	assert.Equal(t, "tax", back.Name)
	assert.EqualValues(t, int64(set.Cur.Total.Tax), back.Tables[0].Total[3], "amounts in minor units")
}

// pdfTool runs a poppler tool; the Makefile's deps installs poppler-utils.
func pdfTool(t *testing.T, name string, args ...string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	require.NoError(t, err, "%s is missing: run make deps (poppler-utils)", name)
	out, err := exec.Command(path, args...).CombinedOutput()
	require.NoError(t, err, string(out))
	return string(out)
}

// The PDF is a valid A4 document of the pages PDF says, and its text (read
// back with pdftotext) holds the report's title, period and figures.
func TestPDFReadsBack(t *testing.T) {
	ts := trading(t)
	set := daySet(t, ts)
	for _, tc := range []struct {
		name  report.Name
		lang  string
		pages int
		want  []string
	}{
		{report.Summary, "en", 2, []string{"Sales summary", "27/11/2026", "Net sales by hour", "Takings by tender", "Page 1 of 2"}},
		{report.Exceptions, "de", 2, []string{"Auffälligkeiten", "Retoure ohne Bon", "Falsche Manager-PIN", "Vom Manager genehmigt"}},
		{report.Taxes, "fr", 1, []string{"Ventes par taux de taxe", "19 %", "Page 1 sur 1"}},
	} {
		t.Run(string(tc.name), func(t *testing.T) {
			d := set.Doc(tc.name, made)
			loc := l10n.Must(tc.lang)
			var buf bytes.Buffer
			pages, err := render.PDF(&buf, &d, loc)
			require.NoError(t, err)
			assert.Equal(t, tc.pages, pages)
			require.True(t, bytes.HasPrefix(buf.Bytes(), []byte("%PDF-")))
			file := filepath.Join(t.TempDir(), "r.pdf")
			require.NoError(t, os.WriteFile(file, buf.Bytes(), 0o600))
			info := pdfTool(t, "pdfinfo", file)
			assert.Regexp(t, regexp.MustCompile(`(?m)^Pages:\s+`+strconv.Itoa(pages)+`$`), info)
			assert.Contains(t, info, "595.28 x 841.89 pts (A4)") // the first page; the exception list is landscape
			txt := pdfTool(t, "pdftotext", "-layout", file, "-")
			want := tc.want
			if tc.name != report.Exceptions {
				want = append(want, loc.Money(set.Cur.Total.Tax, set.Cur.Currency))
			}
			spaces := strings.NewReplacer("\u202f", " ", "\u00a0", " ")
			for _, w := range want {
				assert.Contains(t, spaces.Replace(txt), spaces.Replace(w))
			}
		})
	}
}
