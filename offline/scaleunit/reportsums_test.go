package scaleunit_test

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/offline/api"
	"github.com/opentill/opentill/offline/demo"
	"github.com/opentill/opentill/offline/scaleunit"
	"github.com/opentill/opentill/offline/scaleunit/sutest"
)

// TestStoreReportOfPastDays: two tills upload sales of three past days;
// the store report of those whole days (the roll-ups of the tills' sums)
// has the figures of the same period read transaction by transaction. A
// till that uploads a sale of the first day late is counted at once: the
// day's roll-up is rolled up again.
func TestStoreReportOfPastDays(t *testing.T) { sutest.Each(t, testStoreReportOfPastDays) }

func testStoreReportOfPastDays(t *testing.T, backend string) {
	st, _ := sutest.Open(t, backend)
	require.NoError(t, scaleunit.Seed(ctx, st, 10, nil))
	berlin, err := time.LoadLocation("Europe/Berlin")
	require.NoError(t, err)
	now := time.Now().In(berlin)
	first := time.Date(now.Year(), now.Month(), now.Day()-4, 0, 0, 0, 0, berlin)
	r := rand.New(rand.NewPCG(3, 4))
	var tills []scaleunit.TillInfo
	for i := 0; i < 2; i++ {
		till, err := st.PutTill(ctx, demo.StoreID, fmt.Sprintf("R%02d", i))
		require.NoError(t, err)
		tills = append(tills, till)
	}
	n := 0
	upload := func(till scaleunit.TillInfo, at time.Time) {
		t.Helper()
		n++
		c := monthCart(r, n, till.ID, "1001", "S-"+till.ID, at)
		raw, err := json.Marshal(c)
		require.NoError(t, err)
		_, _, err = st.Upload(ctx, till, api.KindTransaction, c.ID, raw)
		require.NoError(t, err)
	}
	for d := 0; d < 3; d++ {
		for i := 0; i < 40; i++ {
			upload(tills[i%2], first.AddDate(0, 0, d).Add(9*time.Hour+time.Duration(i)*7*time.Minute))
		}
	}
	to := first.AddDate(0, 0, 3)
	same := func() api.StoreReport {
		t.Helper()
		summed, err := st.StoreReport(ctx, demo.StoreID, first, to)
		require.NoError(t, err)
		raw, err := st.StoreReport(ctx, demo.StoreID, first, to.Add(-time.Second))
		require.NoError(t, err)
		assert.Equal(t, raw.Total, summed.Total)
		assert.Equal(t, raw.Hours, summed.Hours)
		assert.Equal(t, raw.Registers, summed.Registers)
		assert.Equal(t, raw.Operators, summed.Operators)
		assert.Equal(t, raw.Categories, summed.Categories)
		assert.Equal(t, raw.Products, summed.Products)
		assert.Equal(t, raw.Promotions, summed.Promotions)
		assert.Equal(t, raw.Tenders, summed.Tenders)
		assert.Equal(t, raw.Taxes, summed.Taxes)
		assert.Equal(t, raw.Exceptions, summed.Exceptions)
		assert.Equal(t, raw.Days, summed.Days)
		assert.Equal(t, []int{raw.Voids, raw.LineVoids, raw.Entries}, []int{summed.Voids, summed.LineVoids, summed.Entries})
		return summed
	}
	before := same()
	assert.Equal(t, 120, before.Entries)
	require.NoError(t, st.RollUpReports(ctx))
	assert.Equal(t, before, same(), "rolled up in the background")
	assert.NotEmpty(t, before.Products)
	assert.Len(t, before.Days, 3)

	again := same()
	assert.Equal(t, before, again, "read from the roll-ups the second time")

	upload(tills[1], first.Add(19*time.Hour)) // a till back online with a sale of the first day
	after := same()
	assert.Equal(t, 121, after.Entries, "the late sale counts")
	assert.Equal(t, before.Days[0].Transactions+before.Voids, after.Days[0].Transactions+after.Voids-1)
	assert.Equal(t, before.Days[1], after.Days[1])
}
