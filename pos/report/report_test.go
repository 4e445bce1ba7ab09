package report_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/pos/report"
)

func TestPeriods(t *testing.T) {
	at := time.Date(2026, 11, 27, 15, 4, 0, 0, berlin) // a Friday
	d := func(y int, m time.Month, day int) time.Time { return time.Date(y, m, day, 0, 0, 0, 0, berlin) }
	tests := []struct {
		name         string
		p            report.Period
		from, to     time.Time
		prevF, prevT time.Time
		days         int
		str          string
	}{
		{"day", report.Day(at, berlin), d(2026, 11, 27), d(2026, 11, 28), d(2026, 11, 26), d(2026, 11, 27), 1, "2026-11-27"},
		{"week from Monday", report.Week(at, berlin), d(2026, 11, 23), d(2026, 11, 30), d(2026, 11, 16), d(2026, 11, 23), 7, "2026-11-23..2026-11-29"},
		{"week of a Sunday", report.Week(time.Date(2026, 11, 29, 23, 0, 0, 0, berlin), berlin), d(2026, 11, 23), d(2026, 11, 30), d(2026, 11, 16), d(2026, 11, 23), 7, "2026-11-23..2026-11-29"},
		{"month", report.Month(at, berlin), d(2026, 11, 1), d(2026, 12, 1), d(2026, 10, 1), d(2026, 11, 1), 30, "2026-11-01..2026-11-30"},
		{"March after a short February", report.Month(time.Date(2027, 3, 31, 12, 0, 0, 0, berlin), berlin), d(2027, 3, 1), d(2027, 4, 1), d(2027, 2, 1), d(2027, 3, 1), 31, "2027-03-01..2027-03-31"},
		{"custom, both days included", report.Days(d(2026, 11, 20), d(2026, 11, 22), berlin), d(2026, 11, 20), d(2026, 11, 23), d(2026, 11, 17), d(2026, 11, 20), 3, "2026-11-20..2026-11-22"},
		{"custom given backwards", report.Days(d(2026, 11, 22), d(2026, 11, 20), berlin), d(2026, 11, 20), d(2026, 11, 23), d(2026, 11, 17), d(2026, 11, 20), 3, "2026-11-20..2026-11-22"},
		{"a day across the DST change is 25 hours", report.Day(time.Date(2026, 10, 25, 12, 0, 0, 0, berlin), berlin), d(2026, 10, 25), d(2026, 10, 26), d(2026, 10, 24), d(2026, 10, 25), 1, "2026-10-25"},
		{"the store's midnight, not UTC's", report.Day(time.Date(2026, 11, 26, 23, 30, 0, 0, time.UTC), berlin), d(2026, 11, 27), d(2026, 11, 28), d(2026, 11, 26), d(2026, 11, 27), 1, "2026-11-27"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.True(t, tc.from.Equal(tc.p.From), "from %s", tc.p.From)
			assert.True(t, tc.to.Equal(tc.p.To), "to %s", tc.p.To)
			prev := tc.p.Previous()
			assert.True(t, tc.prevF.Equal(prev.From), "previous from %s", prev.From)
			assert.True(t, tc.prevT.Equal(prev.To), "previous to %s", prev.To)
			assert.Equal(t, tc.days, tc.p.DayCount())
			assert.Equal(t, tc.str, tc.p.String())
			next := prev.Next()
			assert.True(t, tc.p.From.Equal(next.From) && tc.p.To.Equal(next.To), "next of previous is the period")
		})
	}
}

func TestParsePeriod(t *testing.T) {
	now := time.Date(2026, 11, 27, 15, 0, 0, 0, berlin)
	tests := []struct {
		kind, from, to string
		want           string
		err            bool
	}{
		{"day", "2026-11-27", "", "2026-11-27", false},
		{"day", "", "", "2026-11-27", false},
		{"week", "2026-11-27", "", "2026-11-23..2026-11-29", false},
		{"month", "2026-02-10", "", "2026-02-01..2026-02-28", false},
		{"custom", "2026-11-01", "2026-11-15", "2026-11-01..2026-11-15", false},
		{"", "2026-11-01", "", "2026-11-01", false},
		{"day", "27.11.2026", "", "", true},
		{"year", "2026-11-27", "", "", true},
	}
	for _, tc := range tests {
		p, err := report.ParsePeriod(tc.kind, tc.from, tc.to, now, berlin)
		if tc.err {
			assert.Error(t, err, tc)
			continue
		}
		require.NoError(t, err, tc)
		assert.Equal(t, tc.want, p.String(), tc)
	}
}

func TestParseName(t *testing.T) {
	for _, n := range report.Names {
		got, err := report.ParseName(" " + string(n) + " ")
		require.NoError(t, err)
		assert.Equal(t, n, got)
	}
	_, err := report.ParseName("nope")
	assert.ErrorContains(t, err, "summary")
}

// The exception report lists what a loss-prevention manager looks for,
// each with who did it and who authorised it.
func TestExceptionsSayWhoAuthorised(t *testing.T) {
	ts := trading(t)
	d, err := report.Aggregate(context.Background(), ts, ts.config(), report.Day(time.Date(2026, 11, 27, 12, 0, 0, 0, berlin), berlin))
	require.NoError(t, err)
	type row struct {
		kind                 report.ExceptionKind
		operator, authorised string
		approved             bool
	}
	got := map[row]int{}
	for _, e := range d.Exceptions {
		got[row{e.Kind, e.Operator, e.Authorised, e.Approved}]++
	}
	want := []struct {
		r row
		n int
	}{
		{row{report.ExcReturn, "2001", "2001", false}, 1},        // the manager's own return by receipt
		{row{report.ExcReturnNoRcpt, "1001", "2001", true}, 1},   // the cashier's, approved
		{row{report.ExcVoid, "2001", "2001", false}, 1},          // a voided transaction
		{row{report.ExcLineVoid, "1001", "1001", false}, 1},      // a voided line
		{row{report.ExcNoSale, "2001", "2001", false}, 1},        // the manager's own no-sale
		{row{report.ExcPriceOverride, "1001", "2001", true}, 1},  // approved by the manager
		{row{report.ExcLineDiscount, "1001", "1001", false}, 1},  // within the cashier's limit
		{row{report.ExcTotalDiscount, "1001", "1001", false}, 1}, // within the cashier's limit
		{row{report.ExcOverride, "1001", "2001", true}, 4},       // price, return, no-sale, close
	}
	for _, w := range want {
		assert.Equal(t, w.n, got[w.r], "%+v (all: %v)", w.r, got)
	}
	// The cashier's approved no-sale is an override entry and a no-sale.
	var noSales int
	for _, e := range d.Exceptions {
		if e.Kind == report.ExcNoSale {
			noSales++
		}
	}
	assert.Equal(t, 2, noSales)
	for i := 1; i < len(d.Exceptions); i++ {
		assert.LessOrEqual(t, d.Exceptions[i-1].Seq, d.Exceptions[i].Seq, "in journal order")
	}
}
