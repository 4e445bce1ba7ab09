package inventory

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/pos/catalog"
	"github.com/opentill/opentill/pos/money"
)

const one = catalog.One

func TestTransactionMoves(t *testing.T) {
	tests := []struct {
		name  string
		items []Item
		want  []Move
	}{
		{"sale sums lines of a product", []Item{{"a", 2 * one, false}, {"b", one, false}, {"a", one, false}},
			[]Move{{"a", -3 * one, Sale}, {"b", -one, Sale}}},
		{"voided lines move nothing", []Item{{"a", 2 * one, true}, {"b", one, false}}, []Move{{"b", -one, Sale}}},
		{"a return comes back", []Item{{"a", -one, false}}, []Move{{"a", one, Return}}},
		{"an exchange of the same product cancels", []Item{{"a", -one, false}, {"a", one, false}}, []Move{}},
		{"weighed quantity", []Item{{"w", 1234, false}}, []Move{{"w", -1234, Sale}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, TransactionMoves(tt.items))
		})
	}
}

func TestCheckAdjustment(t *testing.T) {
	s := Of(nil)
	tests := []struct {
		qty    catalog.Qty
		reason string
		field  string
	}{
		{-one, "damaged", ""},
		{one, "damaged", "qty"},
		{-one, "found", "qty"},
		{one, "found", ""},
		{one, "correction", ""},
		{-one, "correction", ""},
		{0, "correction", "qty"},
		{1001 * one, "correction", "qty"},
		{one, "nope", "reason"},
		{one, "", "reason"},
	}
	for _, tt := range tests {
		_, err := s.CheckAdjustment(tt.qty, tt.reason)
		if tt.field == "" {
			assert.NoError(t, err, "%d %s", tt.qty, tt.reason)
			continue
		}
		var ae *AdjustmentError
		require.ErrorAs(t, err, &ae, "%d %s", tt.qty, tt.reason)
		assert.Equal(t, tt.field, ae.Field)
		assert.NotEmpty(t, ae.Msg)
	}
}

func TestStoreReasons(t *testing.T) {
	s := Of(&Settings{Reasons: []Reason{{Code: "sample", Name: "Samples", Sign: Down}}})
	_, err := s.CheckAdjustment(-one, "sample")
	assert.NoError(t, err)
	_, err = s.CheckAdjustment(-one, "damaged")
	assert.Error(t, err, "a store with its own reasons does not know the defaults")
}

func TestOverThreshold(t *testing.T) {
	s := Of(nil) // 5 units and 10 %
	tests := []struct {
		expected, counted catalog.Qty
		over              bool
	}{
		{100 * one, 100 * one, false},
		{100 * one, 94 * one, false},   // 6 units but 6 %: over one bound, not both
		{100 * one, 80 * one, true},    // 20 units, 20 %
		{10 * one, 4 * one, true},      // 6 units, 60 %
		{10 * one, 7 * one, false},     // 3 units
		{0, 6 * one, true},             // nothing expected, 6 found
		{0, 2 * one, false},            // 2 units found
		{1000 * one, 950 * one, false}, // 50 units but 5 %
	}
	for _, tt := range tests {
		got := s.OverThreshold(tt.expected, tt.counted)
		assert.Equal(t, tt.over, got, "%d → %d", tt.expected, tt.counted)
	}
	qtyOnly := Of(&Settings{RecountQty: 2 * one})
	assert.True(t, qtyOnly.OverThreshold(1000*one, 997*one))
	assert.False(t, qtyOnly.OverThreshold(1000*one, 998*one))
}

func TestReview(t *testing.T) {
	s := Of(nil)
	at := time.Date(2026, 1, 2, 10, 0, 0, 0, time.UTC)
	c := Count{ID: "c1", Scheduled: true, Products: []string{"a", "b", "c"}}
	lines := []CountLine{
		{ProductID: "a", Counted: 8 * one, Others: 2 * one, Scans: 3, CountedAt: at, Expected: 10 * one},
		{ProductID: "b", Counted: 2 * one, Scans: 2, CountedAt: at, Expected: 20 * one},
		{ProductID: "c", Expected: 4 * one},
	}
	products := map[string]catalog.Product{"a": {Name: "A", Price: 199}, "b": {Name: "B", Price: 250}, "c": {Name: "C", Price: 100}}
	rv := s.BuildReview(c, lines, products)
	assert.Equal(t, 2, rv.Counted)
	assert.Equal(t, 3, rv.Expected)
	assert.Equal(t, 1, rv.Recount)
	assert.Equal(t, "b", rv.Lines[0].ProductID, "the largest variance first")
	assert.Equal(t, money.Amount(-4500), rv.Lines[0].Value)
	assert.True(t, rv.Lines[0].Recount)
	assert.Equal(t, money.Amount(-4500), rv.Value)
	lines[1].Recounted = true
	assert.Equal(t, 0, s.BuildReview(c, lines, products).Recount)
}

func TestValue(t *testing.T) {
	assert.Equal(t, money.Amount(247), Value(1234, 200))
	assert.Equal(t, money.Amount(-247), Value(-1234, 200))
	assert.Equal(t, money.Amount(0), Value(0, 200))
}
