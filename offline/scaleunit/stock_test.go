package scaleunit_test

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/offline/api"
	"github.com/opentill/opentill/offline/demo"
	"github.com/opentill/opentill/offline/scaleunit"
	"github.com/opentill/opentill/offline/scaleunit/sutest"
)

func saleJSON(t *testing.T, id string, at time.Time, lines ...any) []byte {
	t.Helper()
	var ls []map[string]any
	for i := 0; i < len(lines); i += 2 {
		ls = append(ls, map[string]any{"product_id": lines[i], "qty": lines[i+1]})
	}
	b, err := json.Marshal(map[string]any{"id": id, "status": "completed", "operator": "1001", "finished": at, "lines": ls})
	require.NoError(t, err)
	return b
}

func upload(t *testing.T, st *scaleunit.DB, till scaleunit.TillInfo, kind, id string, v any) bool {
	t.Helper()
	b, ok := v.([]byte)
	if !ok {
		var err error
		b, err = json.Marshal(v)
		require.NoError(t, err)
	}
	dup, _, err := st.Upload(ctx, till, kind, id, b)
	require.NoError(t, err)
	return dup
}

func onHand(t *testing.T, st *scaleunit.DB, product string) int64 {
	t.Helper()
	f, err := st.Figure(ctx, demo.StoreID, product)
	require.NoError(t, err)
	return f.OnHand
}

func TestStockLedger(t *testing.T) { sutest.Each(t, testStockLedger) }

func testStockLedger(t *testing.T, backend string) {
	st, _ := sutest.Open(t, backend)
	require.NoError(t, scaleunit.Seed(ctx, st, 20, nil))
	t1, err := st.PutTill(ctx, demo.StoreID, "T01")
	require.NoError(t, err)
	t2, err := st.PutTill(ctx, demo.StoreID, "T02")
	require.NoError(t, err)
	p, q := demo.Featured[0].ID, demo.Featured[1].ID
	require.NoError(t, st.SetFigures(ctx, demo.StoreID, []api.StockFigure{{ProductID: p, OnHand: 10_000, OnOrder: 5_000}, {ProductID: q, OnHand: 3_000}}))
	set := time.Now()

	t.Run("a sale books once per transaction and product", func(t *testing.T) {
		b := saleJSON(t, "s1", set.Add(time.Second), p, 2000, q, 1000, p, 1000)
		assert.False(t, upload(t, st, t1, api.KindTransaction, "s1", b))
		assert.True(t, upload(t, st, t1, api.KindTransaction, "s1", b), "a retry is a duplicate")
		assert.EqualValues(t, 7_000, onHand(t, st, p))
		assert.EqualValues(t, 2_000, onHand(t, st, q))
		f, err := st.Figure(ctx, demo.StoreID, p)
		require.NoError(t, err)
		assert.EqualValues(t, 5_000, f.OnOrder, "the other figures are kept")
		assert.Equal(t, map[string]int64{t1.ID: 1}, f.Counted)
	})
	t.Run("a return comes back, a voided transaction moves nothing", func(t *testing.T) {
		upload(t, st, t2, api.KindTransaction, "r1", saleJSON(t, "r1", set.Add(2*time.Second), p, -1000))
		assert.EqualValues(t, 8_000, onHand(t, st, p))
		b, _ := json.Marshal(map[string]any{"id": "v1", "status": "voided", "lines": []map[string]any{{"product_id": p, "qty": 5000}}})
		upload(t, st, t2, api.KindTransaction, "v1", b)
		assert.EqualValues(t, 8_000, onHand(t, st, p))
	})
	t.Run("an adjustment with its reason and operator", func(t *testing.T) {
		a := api.StockAdjustment{ID: "a1", ProductID: q, Qty: -500, Reason: "damaged", Operator: "2001", At: set.Add(3 * time.Second)}
		upload(t, st, t1, api.KindStockAdjustment, "a1", a)
		assert.EqualValues(t, 1_500, onHand(t, st, q))
		ms, err := st.Movements(ctx, demo.StoreID, q)
		require.NoError(t, err)
		require.Len(t, ms, 2)
		assert.Equal(t, "damaged", ms[1].Reason)
		assert.Equal(t, "2001", ms[1].Operator)
		assert.Equal(t, t1.ID, ms[1].TillID)
	})
	t.Run("an adjustment without a reason is refused and stores nothing", func(t *testing.T) {
		b, _ := json.Marshal(api.StockAdjustment{ID: "a2", ProductID: q, Qty: -500, At: set})
		_, _, err := st.Upload(ctx, t1, api.KindStockAdjustment, "a2", b)
		assert.ErrorIs(t, err, scaleunit.ErrInvalid)
		assert.EqualValues(t, 1_500, onHand(t, st, q))
	})
	t.Run("a sale dated before the figure was set does not move it", func(t *testing.T) {
		upload(t, st, t2, api.KindTransaction, "old", saleJSON(t, "old", set.Add(-time.Hour), p, 1000))
		assert.EqualValues(t, 8_000, onHand(t, st, p))
		f, err := st.Figure(ctx, demo.StoreID, p)
		require.NoError(t, err)
		assert.EqualValues(t, 2, f.Counted[t2.ID], "the till hears it was counted")
	})
	t.Run("the stock feed carries the till's store's figures", func(t *testing.T) {
		page, err := st.Feed(ctx, demo.StoreID, api.DatasetStock, 0, 100, true)
		require.NoError(t, err)
		require.NoError(t, page.Validate(api.DatasetStock, 0))
		got := map[string]int64{}
		for _, c := range page.Changes {
			got[c.Key] = c.Stock.OnHand
		}
		assert.EqualValues(t, 8_000, got[p])
		assert.EqualValues(t, 1_500, got[q])
		other, err := st.Feed(ctx, scaleunit.SisterStoreID, api.DatasetStock, 0, 100, false)
		require.NoError(t, err)
		for _, c := range other.Changes {
			if c.Key == p {
				assert.NotEqualValues(t, 8_000, c.Stock.OnHand, "another store's feed holds its own figures only")
			}
		}
	})
	t.Run("availability gives every store's figures", func(t *testing.T) {
		av, err := st.Availability(ctx, p)
		require.NoError(t, err)
		require.GreaterOrEqual(t, len(av), 2)
		assert.EqualValues(t, 8_000, av[0].Qty)
		assert.EqualValues(t, 5_000, av[0].OnOrder)
		assert.False(t, av[0].AsOf.IsZero())
	})
}

// TestStockCountTwoDevices: two devices count one document; each sends its
// lines twice (a retry and a later upload of the same totals) and the post
// sums the devices once, with a sale made after a line was counted taken
// off and one made before it ignored.
func TestStockCountTwoDevices(t *testing.T) { sutest.Each(t, testStockCountTwoDevices) }

func testStockCountTwoDevices(t *testing.T, backend string) {
	st, _ := sutest.Open(t, backend)
	require.NoError(t, scaleunit.Seed(ctx, st, 20, nil))
	t1, err := st.PutTill(ctx, demo.StoreID, "T01")
	require.NoError(t, err)
	t2, err := st.PutTill(ctx, demo.StoreID, "T02")
	require.NoError(t, err)
	p, q := demo.Featured[0].ID, demo.Featured[1].ID
	require.NoError(t, st.SetFigures(ctx, demo.StoreID, []api.StockFigure{{ProductID: p, OnHand: 50_000}, {ProductID: q, OnHand: 9_000}}))
	start := time.Now().Add(time.Minute)
	require.NoError(t, st.PutCount(ctx, demo.StoreID, api.StockCount{ID: "C1", Name: "Aisle 1", Products: []string{p, q}}))

	a := api.StockCountLines{ID: "C1.T01.1", CountID: "C1", Lines: []api.StockCountLine{{ProductID: p, Qty: 20_000, CountedAt: start}}}
	upload(t, st, t1, api.KindStockCount, a.ID, a)
	upload(t, st, t1, api.KindStockCount, a.ID, a) // a retry
	a2 := api.StockCountLines{ID: "C1.T01.2", CountID: "C1", Lines: []api.StockCountLine{{ProductID: p, Qty: 21_000, CountedAt: start}, {ProductID: q, Qty: 4_000, CountedAt: start.Add(time.Second)}}}
	upload(t, st, t1, api.KindStockCount, a2.ID, a2) // the device's totals, later
	b := api.StockCountLines{ID: "C1.T02.1", CountID: "C1", Lines: []api.StockCountLine{{ProductID: p, Qty: 9_000, CountedAt: start.Add(-time.Second)}}}
	upload(t, st, t2, api.KindStockCount, b.ID, b)

	_, lines, err := st.Count(ctx, "C1")
	require.NoError(t, err)
	require.Len(t, lines, 2)
	assert.EqualValues(t, 30_000, lines[0].Qty+lines[1].Qty-4_000, "p is counted 21 + 9")

	// A sale after p was first counted, one before (uploaded late).
	upload(t, st, t1, api.KindTransaction, "after", saleJSON(t, "after", start.Add(time.Hour), p, 2000))
	upload(t, st, t2, api.KindTransaction, "before", saleJSON(t, "before", start.Add(-time.Hour), p, 1000))

	post := api.StockCountPost{ID: "C1.post", CountID: "C1", PostedBy: "2001", At: start.Add(2 * time.Hour)}
	upload(t, st, t1, api.KindStockCountPost, post.ID, post)
	assert.EqualValues(t, 28_000, onHand(t, st, p), "30 counted − 2 sold after the count")
	assert.EqualValues(t, 4_000, onHand(t, st, q))

	// A sale made before the count, uploaded after the post: ignored; one
	// made after: booked.
	upload(t, st, t2, api.KindTransaction, "late-before", saleJSON(t, "late-before", start.Add(-30*time.Minute), p, 1000))
	upload(t, st, t2, api.KindTransaction, "late-after", saleJSON(t, "late-after", start.Add(3*time.Hour), p, 1000))
	assert.EqualValues(t, 27_000, onHand(t, st, p))

	// A second post (another device) and late lines change nothing.
	upload(t, st, t2, api.KindStockCountPost, "C1.post2", api.StockCountPost{ID: "C1.post2", CountID: "C1", PostedBy: "2001", At: time.Now()})
	late := api.StockCountLines{ID: "C1.T02.2", CountID: "C1", Lines: []api.StockCountLine{{ProductID: p, Qty: 99_000, CountedAt: start}}}
	upload(t, st, t2, api.KindStockCount, late.ID, late)
	assert.EqualValues(t, 27_000, onHand(t, st, p))
	c, _, err := st.Count(ctx, "C1")
	require.NoError(t, err)
	assert.Equal(t, "posted", c.Status)

	page, err := st.Feed(ctx, demo.StoreID, api.DatasetCounts, 0, 100, false)
	require.NoError(t, err)
	require.NoError(t, page.Validate(api.DatasetCounts, 0))
	keys := map[string]bool{}
	for _, ch := range page.Changes {
		keys[ch.Key] = true
	}
	assert.True(t, keys["C1"] && keys["C1/"+t1.ID] && keys["C1/"+t2.ID], fmt.Sprint(keys))
}

func TestStockCountFromTheTill(t *testing.T) { sutest.Each(t, testStockCountFromTheTill) }

func testStockCountFromTheTill(t *testing.T, backend string) {
	st, _ := sutest.Open(t, backend)
	require.NoError(t, scaleunit.Seed(ctx, st, 20, nil))
	t1, err := st.PutTill(ctx, demo.StoreID, "T01")
	require.NoError(t, err)
	p := demo.Featured[2].ID
	up := api.StockCountLines{ID: "U1.T01.1", CountID: "U1", Name: "Spot check", Lines: []api.StockCountLine{{ProductID: p, Qty: 4_000, CountedAt: time.Now()}}}
	upload(t, st, t1, api.KindStockCount, up.ID, up)
	upload(t, st, t1, api.KindStockCountPost, "U1.post", api.StockCountPost{ID: "U1.post", CountID: "U1", PostedBy: "2001", At: time.Now()})
	assert.EqualValues(t, 4_000, onHand(t, st, p))

	noName := api.StockCountLines{ID: "U2.T01.1", CountID: "U2", Lines: []api.StockCountLine{{ProductID: p, Qty: 1}}}
	b, _ := json.Marshal(noName)
	_, _, err = st.Upload(ctx, t1, api.KindStockCount, noName.ID, b)
	assert.ErrorIs(t, err, scaleunit.ErrInvalid)
	_, _, err = st.Upload(ctx, t1, api.KindStockCountPost, "U3.post", []byte(`{"id":"U3.post","count_id":"U3"}`))
	assert.ErrorIs(t, err, scaleunit.ErrInvalid, "a post of a count the server never heard of")
}

// TestMovesByTillCountedFromBefore: a database of the schema before the
// movements were counted by till (SQLite 15, PostgreSQL 13) gets its counts
// from the movements booked before, and the stock feed's figures count on
// from them.
func TestMovesByTillCountedFromBefore(t *testing.T) { sutest.Each(t, testMovesByTill) }

func testMovesByTill(t *testing.T, backend string) {
	where := sutest.Where(t, backend)
	st, err := scaleunit.Open(ctx, where)
	require.NoError(t, err)
	require.NoError(t, scaleunit.Seed(ctx, st, 20, nil))
	t1, err := st.PutTill(ctx, demo.StoreID, "T01")
	require.NoError(t, err)
	t2, err := st.PutTill(ctx, demo.StoreID, "T02")
	require.NoError(t, err)
	p := demo.Featured[0].ID
	sell := func(till scaleunit.TillInfo, id string) {
		t.Helper()
		body := fmt.Sprintf(`{"id":%q,"status":"completed","store":%q,"terminal":%q,"operator":"1001","lines":[{"no":1,"product_id":%q,"qty":1000}]}`,
			id, demo.StoreID, till.TerminalID, p)
		_, _, err := st.Upload(ctx, till, api.KindTransaction, id, []byte(body))
		require.NoError(t, err)
	}
	sell(t1, "00000000-0000-4000-8000-000000000001")
	sell(t1, "00000000-0000-4000-8000-000000000002")
	sell(t2, "00000000-0000-4000-8000-000000000003")
	sell(t1, "00000000-0000-4000-8000-000000000002") // a retry books nothing
	counted := func(st *scaleunit.DB) map[string]int64 {
		t.Helper()
		page, err := st.Feed(ctx, demo.StoreID, api.DatasetStock, 0, 1000, false)
		require.NoError(t, err)
		var got map[string]int64
		for _, c := range page.Changes {
			if c.Stock != nil && c.Stock.ProductID == p {
				got = c.Stock.Counted
			}
		}
		return got
	}
	want := map[string]int64{t1.ID: 2, t2.ID: 1}
	assert.Equal(t, want, counted(st))
	require.NoError(t, scaleunit.Downgrade(ctx, st, `DROP TABLE stock_moves_by_till`))
	require.NoError(t, st.Close())

	st, err = scaleunit.Open(ctx, where)
	require.NoError(t, err)
	defer st.Close()
	sell(t2, "00000000-0000-4000-8000-000000000004")
	want[t2.ID] = 2
	assert.Equal(t, want, counted(st), "counted from the movements before the table, and on")
}
