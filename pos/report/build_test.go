package report_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/pos/report"
)

// col finds a column by its header key.
func col(t *testing.T, tb report.Table, key string) int {
	t.Helper()
	for i, c := range tb.Columns {
		if c.Key == key {
			return i
		}
	}
	t.Fatalf("table %s has no column %s", tb.Title, key)
	return -1
}

func table(t *testing.T, d report.Doc, title string) report.Table {
	t.Helper()
	for _, tb := range d.Tables {
		if tb.Title == title {
			return tb
		}
	}
	t.Fatalf("report %s has no table %s", d.Name, title)
	return report.Table{}
}

// Every report builds, compared with the day before, with rows as wide as
// its columns, and its total rows carry the same figures as the data.
func TestEveryReportBuilds(t *testing.T) {
	ts := trading(t)
	p := report.Day(time.Date(2026, 11, 27, 12, 0, 0, 0, berlin), berlin)
	set, err := report.Run(context.Background(), ts, ts.config(), p, true)
	require.NoError(t, err)
	require.NotNil(t, set.Prev)
	assert.Equal(t, "2026-11-26", set.Prev.Period.String())
	cur := set.Cur
	totals := map[string]func(report.Doc) (report.Value, int64){
		"report.table.by_tender": func(d report.Doc) (report.Value, int64) {
			tb := table(t, d, "report.table.by_tender")
			return tb.Total[col(t, tb, "report.col.net")], int64(cur.Total.Net + cur.Total.Rounding)
		},
		"report.table.by_tax": func(d report.Doc) (report.Value, int64) {
			tb := table(t, d, "report.table.by_tax")
			return tb.Total[col(t, tb, "report.col.tax")], int64(cur.Total.Tax)
		},
		"report.table.by_hour": func(d report.Doc) (report.Value, int64) {
			tb := table(t, d, "report.table.by_hour")
			return tb.Total[col(t, tb, "report.col.net")], int64(cur.Total.Net)
		},
		"report.table.by_category": func(d report.Doc) (report.Value, int64) {
			tb := table(t, d, "report.table.by_category")
			return tb.Total[col(t, tb, "report.col.net")], int64(cur.Total.Sales - cur.Total.Returns)
		},
		"report.table.by_operator": func(d report.Doc) (report.Value, int64) {
			tb := table(t, d, "report.table.by_operator")
			return tb.Total[col(t, tb, "report.col.net")], int64(cur.Total.Net)
		},
	}
	for _, n := range report.Names {
		t.Run(string(n), func(t *testing.T) {
			d := set.Doc(n, time.Now())
			assert.Equal(t, n, d.Name)
			require.NotNil(t, d.Prev)
			require.NotEmpty(t, d.Tables)
			for _, tb := range d.Tables {
				for _, r := range tb.Rows {
					assert.Len(t, r, len(tb.Columns), tb.Title)
				}
				if tb.Total != nil {
					assert.Len(t, tb.Total, len(tb.Columns), tb.Title)
				}
				if f, ok := totals[tb.Title]; ok {
					v, want := f(d)
					assert.Equal(t, want, v.N, tb.Title)
				}
			}
			_, err := json.Marshal(d)
			require.NoError(t, err)
		})
	}
	sum := set.Doc(report.Summary, time.Now())
	require.NotEmpty(t, sum.Figures)
	assert.Equal(t, "report.fig.net", sum.Figures[0].Key)
	assert.Equal(t, int64(cur.Total.Net), sum.Figures[0].Value.N)
	assert.Equal(t, int64(set.Prev.Total.Net), sum.Figures[0].Prev.N)
	var kinds []report.ChartKind
	for _, c := range sum.Charts {
		kinds = append(kinds, c.Kind)
	}
	assert.Equal(t, []report.ChartKind{report.Bars, report.Donut, report.Bars, report.Bars}, kinds)
	month := report.Build(report.Summary, mustAgg(t, ts, report.Month(p.From, berlin)), nil, time.Now())
	assert.Equal(t, report.Line, month.Charts[0].Kind, "a month's summary draws the days as a line")
	assert.Len(t, month.Charts[0].Points, 30)
}

func mustAgg(t *testing.T, ts *tradingStore, p report.Period) *report.Data {
	t.Helper()
	d, err := report.Aggregate(context.Background(), ts, ts.config(), p)
	require.NoError(t, err)
	return d
}
