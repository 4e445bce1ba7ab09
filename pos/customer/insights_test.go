package customer

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/opentill/opentill/pos/money"
)

func TestInsights(t *testing.T) {
	now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	days := func(n int) time.Time { return now.AddDate(0, 0, -n) }
	every := func(n, gapDays int, total money.Amount) []Visit {
		var vs []Visit
		for i := range n {
			vs = append(vs, Visit{At: days(i * gapDays), Total: total})
		}
		return vs
	}
	tests := []struct {
		name    string
		visits  []Visit
		segment Segment
		r, f, m int
	}{
		{"no purchases", nil, SegmentNone, 0, 0, 0},
		{"one visit this week", []Visit{{At: days(3), Total: 2500}}, SegmentNew, 5, 1, 1},
		{"weekly big spender", every(52, 7, 5000), SegmentChampion, 5, 5, 5},
		{"monthly regular", every(12, 30, 3000), SegmentLoyal, 5, 4, 3},
		{"came often, not since spring", append(every(10, 14, 4000)[:0:0], shift(every(10, 14, 4000), 200)...), SegmentAtRisk, 2, 3, 3},
		{"gone two years", shift(every(5, 30, 2000), 700), SegmentLapsed, 1, 1, 1},
		{"a return counts against spend, not as a visit", []Visit{{At: days(2), Total: 6000}, {At: days(1), Total: -6000}}, SegmentNew, 5, 1, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := Compute(tc.visits, nil, now, 2)
			assert.Equal(t, tc.segment, in.Segment)
			assert.Equal(t, [3]int{tc.r, tc.f, tc.m}, [3]int{in.R, in.F, in.M})
		})
	}
}

func shift(vs []Visit, d int) []Visit {
	out := make([]Visit, len(vs))
	for i, v := range vs {
		out[i] = Visit{At: v.At.AddDate(0, 0, -d), Total: v.Total}
	}
	return out
}

func TestNextBest(t *testing.T) {
	now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	at := func(d int) time.Time { return now.AddDate(0, 0, -d) }
	items := []Item{
		{ProductID: "coffee", Times: 5, Qty: 5000, First: at(100), Last: at(40), Amount: 4000, Category: "Coffee"}, // every 15 days, 40 days ago
		{ProductID: "milk", Times: 10, Qty: 10000, First: at(30), Last: at(3), Amount: 1000, Category: "Dairy"},    // every 3 days, just bought
		{ProductID: "tv", Times: 1, Qty: 1000, First: at(200), Last: at(200), Amount: 50000, Category: "TV"},
	}
	in := Compute([]Visit{{At: at(3), Total: 1000}}, items, now, 2)
	if assert.NotNil(t, in.NextBest) {
		assert.Equal(t, "coffee", in.NextBest.ProductID, "most overdue of the repeat purchases")
	}
	assert.Equal(t, []string{"TV", "Coffee", "Dairy"}, in.Favourites)
	assert.Nil(t, Compute(nil, nil, now, 2).NextBest)
}
