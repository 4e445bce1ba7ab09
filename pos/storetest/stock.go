package storetest

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/pos/cart"
	"github.com/opentill/opentill/pos/catalog"
	"github.com/opentill/opentill/pos/inventory"
	"github.com/opentill/opentill/pos/journal"
	"github.com/opentill/opentill/pos/poserr"
)

func adjustment(id, product string, units int64, reason string) inventory.AdjustmentRecord {
	return inventory.AdjustmentRecord{ID: id, StoreID: StoreID, ProductID: product, Qty: catalog.Qty(units) * catalog.One,
		Reason: reason, Operator: Cashier, At: t0.Add(2 * time.Minute)}
}

func stockEntry(kind journal.Kind, op int) journal.Entry {
	return journal.Entry{Time: t0.Add(2 * time.Minute), Kind: kind, Operation: op, Operator: Cashier}
}

func testStock(t *testing.T, open Open) {
	t.Run("sales, returns and adjustments move this store's on hand; voided ones do not", func(t *testing.T) {
		st := open(t, Default(t))
		s := sale("txn-a", line(1, "10001", 3, 129), line(2, "10002", 1, 899))
		commit(t, st, s)
		commit(t, st, sale("txn-r", returnOf(1, s, 1, 1)))
		v := sale("txn-v", line(1, "10001", 5, 129))
		v.Status = cart.Voided
		commit(t, st, v)
		voided := line(2, "10002", 4, 899)
		voided.Voided = true
		commit(t, st, sale("txn-b", line(1, "10002", 1, 899), voided))
		require.NoError(t, st.AdjustStock(ctx, adjustment("adj-1", "10001", -1, "damaged"), stockEntry(journal.StockAdjustment, 806)))

		l, err := st.StockLevel(ctx, "10001")
		require.NoError(t, err)
		assert.Equal(t, -3*catalog.One, l.OnHand, "3 sold, 1 returned, 1 damaged; the voided sale moved nothing")
		assert.Equal(t, l.OnHand, l.Local)
		assert.False(t, l.Known(), "no server figure yet")
		l, err = st.StockLevel(ctx, "10002")
		require.NoError(t, err)
		assert.Equal(t, -2*catalog.One, l.OnHand, "a voided line moves nothing")
		l, err = st.StockLevel(ctx, "99999")
		require.NoError(t, err)
		assert.Zero(t, l.OnHand, "a product never moved has zero figures")

		last := journalOf(t, st)
		assert.Equal(t, journal.StockAdjustment, last[len(last)-1].Kind, "the adjustment is journaled")
		err = st.AdjustStock(ctx, adjustment("adj-1", "10001", -1, "damaged"), stockEntry(journal.StockAdjustment, 806))
		requireKind(t, err, poserr.Conflict)
		l, err = st.StockLevel(ctx, "10001")
		require.NoError(t, err)
		assert.Equal(t, -3*catalog.One, l.OnHand, "a refused adjustment moves nothing")
	})
	t.Run("other stores' figures are kept as last heard", func(t *testing.T) {
		st := open(t, Default(t))
		got, err := st.KnownLevels(ctx, "10001")
		require.NoError(t, err)
		assert.Empty(t, got)
		at := t0.Add(time.Hour)
		require.NoError(t, st.RememberLevels(ctx, []inventory.Level{
			{StoreID: "S2", StoreName: "Nord", ProductID: "10001", OnHand: 4 * catalog.One, AsOf: at},
			{StoreID: "S3", StoreName: "Sud", ProductID: "10001", OnHand: 1 * catalog.One, Reserved: catalog.One, AsOf: at}}))
		require.NoError(t, st.RememberLevels(ctx, []inventory.Level{{StoreID: "S2", StoreName: "Nord", ProductID: "10001", OnHand: 2 * catalog.One, AsOf: at.Add(time.Minute)}}))
		got, err = st.KnownLevels(ctx, "10001")
		require.NoError(t, err)
		require.Len(t, got, 2)
		assert.Equal(t, "S2", got[0].StoreID)
		assert.Equal(t, 2*catalog.One, got[0].OnHand, "the later figure replaces the earlier")
		assert.True(t, got[0].AsOf.Equal(at.Add(time.Minute)))
		assert.Equal(t, catalog.One, got[1].Reserved)
	})
	t.Run("a count: scans add, keyed quantities replace, the expected figure is taken at the first count", func(t *testing.T) {
		st := open(t, Default(t))
		commit(t, st, sale("txn-a", line(1, "10001", 2, 129)))
		c := inventory.Count{ID: "cnt-1", StoreID: StoreID, Name: "Aisle 3", Status: inventory.Open, Created: t0}
		require.NoError(t, st.StartCount(ctx, c, stockEntry(journal.StockCountStart, 802)))
		requireKind(t, st.StartCount(ctx, c, stockEntry(journal.StockCountStart, 802)), poserr.Conflict)

		at := t0.Add(10 * time.Minute)
		l, err := st.CountProduct(ctx, "cnt-1", "10001", catalog.One, true, false, at)
		require.NoError(t, err)
		assert.Equal(t, catalog.One, l.Counted)
		assert.Equal(t, -2*catalog.One, l.Expected, "expected is on hand at the first count")
		assert.True(t, l.CountedAt.Equal(at))
		commit(t, st, sale("txn-b", line(1, "10001", 1, 129)))
		l, err = st.CountProduct(ctx, "cnt-1", "10001", catalog.One, true, false, at.Add(time.Minute))
		require.NoError(t, err)
		assert.Equal(t, 2*catalog.One, l.Counted)
		assert.Equal(t, int64(2), l.Scans)
		assert.Equal(t, -2*catalog.One, l.Expected, "a sale after the first count leaves the expected figure")
		assert.True(t, l.CountedAt.Equal(at), "counted when first counted")
		l, err = st.CountProduct(ctx, "cnt-1", "10002", 7*catalog.One, false, false, at)
		require.NoError(t, err)
		assert.Equal(t, 7*catalog.One, l.Counted)
		l, err = st.CountProduct(ctx, "cnt-1", "10002", 6*catalog.One, false, true, at)
		require.NoError(t, err)
		assert.Equal(t, 6*catalog.One, l.Counted, "a keyed quantity replaces")
		assert.True(t, l.Recounted)

		got, lines, err := st.StockCount(ctx, "cnt-1")
		require.NoError(t, err)
		assert.Equal(t, "Aisle 3", got.Name)
		require.Len(t, lines, 2)
		assert.Equal(t, "10001", lines[0].ProductID)
		assert.Equal(t, 2*catalog.One, lines[0].Counted)
		assert.Equal(t, 6*catalog.One, lines[1].Counted)

		cs, err := st.StockCounts(ctx)
		require.NoError(t, err)
		require.Len(t, cs, 1)
		assert.Equal(t, inventory.Open, cs[0].Status)

		require.NoError(t, st.PostCount(ctx, "cnt-1", Manager, at.Add(time.Hour), stockEntry(journal.StockCountPost, 808)))
		got, _, err = st.StockCount(ctx, "cnt-1")
		require.NoError(t, err)
		assert.Equal(t, inventory.Posted, got.Status)
		assert.Equal(t, Manager, got.PostedBy)
		lvl, err := st.StockLevel(ctx, "10002")
		require.NoError(t, err)
		assert.Equal(t, 6*catalog.One, lvl.OnHand, "a posted count is the on-hand figure at once, offline too")
		later := sale("txn-c", line(1, "10002", 1, 129))
		later.Started, later.Finished = at.Add(2*time.Hour), at.Add(2*time.Hour)
		commit(t, st, later)
		lvl, err = st.StockLevel(ctx, "10002")
		require.NoError(t, err)
		assert.Equal(t, 5*catalog.One, lvl.OnHand, "a sale after the count takes from the counted figure")
		_, err = st.CountProduct(ctx, "cnt-1", "10001", catalog.One, true, false, at)
		requireKind(t, err, poserr.Conflict)
		requireKind(t, st.PostCount(ctx, "cnt-1", Manager, at, stockEntry(journal.StockCountPost, 808)), poserr.Conflict)

		_, _, err = st.StockCount(ctx, "nope")
		requireKind(t, err, poserr.NotFound)
		_, err = st.CountProduct(ctx, "nope", "10001", catalog.One, true, false, at)
		requireKind(t, err, poserr.NotFound)
	})
}
