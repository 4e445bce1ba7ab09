package main

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/offline/store"
	"github.com/opentill/opentill/pos/journal"
	"github.com/opentill/opentill/pos/money"
	"github.com/opentill/opentill/pos/shift"
)

// TestTradingDay runs docs/examples/trading-day.txt (a whole day with a
// 0.50 shortage) and checks every Z figure against hand-computed values,
// then recomputes the Z from the journal alone.
func TestTradingDay(t *testing.T) {
	dir := seeded(t)
	out, err := run(t, "sell", "--data", dir, "--script", "../../docs/examples/trading-day.txt")
	require.NoError(t, err, out)
	assert.Contains(t, out, "Z REPORT")
	assert.Contains(t, out, "X REPORT")

	ctx := context.Background()
	s, err := store.Open(dir)
	require.NoError(t, err)
	defer s.Close()
	z, err := s.LastZ(ctx)
	require.NoError(t, err)
	a := func(v int64) money.Amount { return money.Amount(v) }
	tests := []struct {
		name      string
		got, want any
	}{
		{"sales", z.Sales, a(2644)},
		{"returns", z.Returns, a(119)},
		{"net sales", z.NetSales, a(2525)},
		{"tax", z.Tax, a(361)},
		{"discounts", z.Discounts, a(0)},
		{"rounding", z.Rounding, a(0)},
		{"income", z.Income, a(500)},
		{"expense", z.Expense, a(300)},
		{"sale count", z.SaleCount, 3},
		{"return count", z.ReturnCount, 1},
		{"customers", z.CustomerCount, 4},
		{"voids", z.VoidCount, 1},
		{"no-sales", z.NoSaleCount, 1},
		{"suspended", z.SuspendedCount, 0},
		{"cash start", z.Tender("cash").Start, a(10000)},
		{"cash tendered", z.Tender("cash").Tendered, a(2000 + 1000 - 119)},
		{"cash change", z.Tender("cash").Change, a(882 + 432)},
		{"cash income", z.Tender("cash").Income, a(500)},
		{"cash expense", z.Tender("cash").Expense, a(300)},
		{"cash safe drop", z.Tender("cash").SafeDrop, a(2000)},
		{"cash removal", z.Tender("cash").Removal, a(1000)},
		{"cash expected", z.Tender("cash").Expected, a(10000 + 2881 - 1314 + 500 - 300 - 2000 - 1000)},
		{"cash declared", z.Tender("cash").Declared, a(8717)},
		{"cash over/short", z.Tender("cash").OverShort, a(-50)},
		{"card tendered", z.Tender("card").Tendered, a(458 + 500)},
		{"card over/short", z.Tender("card").OverShort, a(0)},
		{"over/short", z.OverShort, a(-50)},
		{"accounts", len(z.Accounts), 2},
		{"status", z.Kind, shift.Z},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { assert.Equal(t, tt.want, tt.got) })
	}

	// The journal alone gives the same report.
	var all []journal.Entry
	require.NoError(t, s.JournalEach(ctx, func(e journal.Entry) error { all = append(all, e); return nil }))
	require.NoError(t, journal.Verify(all))
	sh, err := s.Shift(ctx, z.Shift)
	require.NoError(t, err)
	setup, err := s.LoadSetup(ctx)
	require.NoError(t, err)
	loc, err := time.LoadLocation(setup.Header.TimeZone)
	require.NoError(t, err)
	again, err := shift.Build(shift.Z, sh, all, setup.TenderTypes, loc)
	require.NoError(t, err)
	assert.Equal(t, z, again)

	out, err = run(t, "journal", "verify", "--data", dir)
	require.NoError(t, err, out)
}
