package report_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/pos/journal"
	"github.com/opentill/opentill/pos/report"
	"github.com/opentill/opentill/pos/shift"
)

// only is a source that hands out the entries keep says.
type only struct {
	report.Source
	keep func(journal.Entry) bool
}

func (o only) Entries(ctx context.Context, from, to time.Time, fn func(journal.Entry) error) error {
	return o.Source.Entries(ctx, from, to, func(e journal.Entry) error {
		if !o.keep(e) {
			return nil
		}
		return fn(e)
	})
}

func (o only) ClosedShifts(ctx context.Context, from, to time.Time) ([]shift.Report, error) {
	return nil, nil
}

// sameReports checks that every report built from got is the one built
// from want.
func sameReports(t *testing.T, want, got *report.Data) {
	t.Helper()
	made := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	for _, n := range report.Names {
		assert.Equal(t, report.Build(n, want, nil, made), report.Build(n, got, nil, made), "report %s", n)
	}
	assert.Equal(t, want.Total, got.Total)
	assert.Equal(t, want.Hours, got.Hours)
	assert.Equal(t, want.Days, got.Days)
	assert.Equal(t, want.Categories, got.Categories)
	assert.Equal(t, want.Products, got.Products)
	assert.Equal(t, want.Operators, got.Operators)
	assert.Equal(t, want.Registers, got.Registers)
	assert.Equal(t, want.Taxes, got.Taxes)
	assert.Equal(t, want.Promotions, got.Promotions)
	assert.Equal(t, want.Tenders, got.Tenders)
	assert.Equal(t, want.Exceptions, got.Exceptions)
	assert.Equal(t, want.OverShort, got.OverShort)
	assert.ElementsMatch(t, want.Shifts, got.Shifts)
	assert.Equal(t, want.Terminals, got.Terminals)
	assert.Equal(t, []int{want.Voids, want.LineVoids, want.NoSales, want.Suspended, want.Entries},
		[]int{got.Voids, got.LineVoids, got.NoSales, got.Suspended, got.Entries})
	assert.Equal(t, want.VoidTotal, got.VoidTotal)
	assert.Equal(t, want.Income, got.Income)
	assert.Equal(t, want.Expense, got.Expense)
}

// TestSumsOfEachEntryAreTheReport: the two trading days' entries, each
// made a Contribution, flattened to sums and added up, make the very data
// (and every report) Aggregate computes from them all at once; and data
// of two halves of the entries merged is that of the whole.
func TestSumsOfEachEntryAreTheReport(t *testing.T) {
	ts := trading(t)
	ctx := context.Background()
	cfg := ts.config()
	p := report.Week(time.Date(2026, 11, 26, 12, 0, 0, 0, berlin), berlin)
	require.True(t, report.DayAligned(p, berlin))
	whole, err := report.Aggregate(ctx, ts, cfg, p)
	require.NoError(t, err)
	require.Greater(t, whole.Total.Transactions, 10, "the trading days have sales")
	require.NotEmpty(t, whole.Exceptions)
	require.NotEmpty(t, whole.Promotions)

	var sums []report.Sum
	var exc []report.Exception
	days := map[string]bool{}
	require.NoError(t, ts.Entries(ctx, p.From, p.To, func(e journal.Entry) error {
		c, err := report.Contribution(cfg, e)
		if err != nil {
			return err
		}
		for _, s := range c.Sums() {
			if s.Section == report.SecDay {
				assert.Equal(t, report.StoreDay(e.Time, berlin), s.Key, "an entry's sums count in its store day")
				days[s.Key] = true
			}
			sums = append(sums, s)
		}
		exc = append(exc, c.Exceptions...)
		return nil
	}))
	assert.Len(t, days, 2)
	got, err := report.FromSums(cfg, p, sums, exc, whole.OverShort)
	require.NoError(t, err)
	sameReports(t, whole, got)

	isTxn := func(e journal.Entry) bool { return e.Kind == journal.Sale || e.Kind == journal.Void }
	a, err := report.Aggregate(ctx, only{ts, isTxn}, cfg, p)
	require.NoError(t, err)
	b, err := report.Aggregate(ctx, only{ts, func(e journal.Entry) bool { return !isTxn(e) }}, cfg, p)
	require.NoError(t, err)
	b.OverShort = whole.OverShort
	merged, err := report.Merge(a, b)
	require.NoError(t, err)
	sameReports(t, whole, merged)
}

func TestFromSumsRefusesWhatItCannotRead(t *testing.T) {
	for _, s := range []report.Sum{{Section: report.SecHour, Key: "24"}, {Section: "weekday", Key: "1"}} {
		_, err := report.FromSums(report.Config{}, report.Period{}, []report.Sum{s}, nil, nil)
		assert.Error(t, err, "%+v", s)
	}
}

func TestDayAligned(t *testing.T) {
	at := time.Date(2026, 11, 26, 12, 0, 0, 0, berlin)
	day := report.Day(at, berlin)
	for _, c := range []struct {
		p    report.Period
		want bool
	}{
		{day, true},
		{report.Week(at, berlin), true},
		{report.Month(at, berlin), true},
		{report.Period{From: day.From.Add(time.Hour), To: day.To}, false},
		{report.Period{From: day.From, To: day.From}, false},
		{report.Period{From: day.From, To: day.To, Shift: "S1"}, false},
	} {
		assert.Equal(t, c.want, report.DayAligned(c.p, berlin), "%+v", c.p)
	}
	assert.False(t, report.DayAligned(day, time.UTC), "a Berlin day is not a UTC day")
}
