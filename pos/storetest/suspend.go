package storetest

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/pos/cart"
	"github.com/opentill/opentill/pos/journal"
	"github.com/opentill/opentill/pos/poserr"
)

// openCart builds an open cart of the lines, rung up in shift sh.
func openCart(id, operator, sh string, lines ...cart.Line) *cart.Cart {
	c := sale(id, lines...)
	c.Status, c.Operator, c.Shift, c.Tenders = cart.Open, operator, sh, nil
	c.Finished = time.Time{}
	c.Totals.Paid = 0
	return c
}

func suspendAt(at time.Time) journal.Entry {
	return journal.Entry{Time: at, Kind: journal.Suspend, Operation: 503}
}

func testSuspend(t *testing.T, open Open) {
	t.Run("the list is oldest first, then by ID", func(t *testing.T) {
		st := open(t, Default(t))
		list, err := st.Suspended(ctx)
		require.NoError(t, err)
		require.NotNil(t, list, "no suspended carts is an empty list, not nil")
		assert.Empty(t, list)

		a := openCart("susp-a", Cashier, "", line(1, "10001", 1, 129))
		b := openCart("susp-b", Manager, "", line(1, "10002", 2, 899), line(2, "10001", 1, 129))
		c := openCart("susp-c", Cashier, "", line(1, "10001", 3, 129), line(2, "30001", 1, 249), line(3, "10002", 1, 899))
		c.Lines[2].Voided = true
		c.Totals.Total = 3*129 + 249
		d := openCart("susp-d", Cashier, "", line(1, "30003", 1, 199))
		at := map[string]time.Time{a.ID: t0.Add(2 * time.Minute), b.ID: t0, c.ID: t0.Add(time.Minute), d.ID: t0.Add(time.Minute)}
		for _, x := range []*cart.Cart{d, a, c, b} {
			require.NoError(t, st.Suspend(ctx, x, suspendAt(at[x.ID])))
		}
		list, err = st.Suspended(ctx)
		require.NoError(t, err)
		require.Len(t, list, 4)
		want := []struct {
			c     *cart.Cart
			lines int
		}{{b, 2}, {c, 2}, {d, 1}, {a, 1}}
		for i, w := range want {
			got := list[i]
			assert.Equal(t, w.c.ID, got.ID, "row %d", i)
			assert.Equal(t, w.c.Operator, got.Operator)
			assert.Equal(t, w.lines, got.Lines, "lines that are not voided")
			assert.Equal(t, int64(w.c.Totals.Total), got.Total)
			ts, err := time.Parse(time.RFC3339Nano, got.At)
			require.NoError(t, err, "At is an RFC 3339 time: %q", got.At)
			assert.True(t, ts.Equal(at[w.c.ID]), "At %s", got.At)
		}
		assert.Len(t, journalOf(t, st), 4)
	})
	t.Run("suspend refuses", func(t *testing.T) {
		st := open(t, Default(t))
		dup := openCart("susp-a", Cashier, "", line(1, "10001", 1, 129))
		require.NoError(t, st.Suspend(ctx, dup, suspendAt(t0)))
		tests := []struct {
			name string
			c    *cart.Cart
			kind poserr.Kind
		}{
			{"no cart", nil, poserr.Invalid},
			{"no ID", openCart("", Cashier, "", line(1, "10001", 1, 129)), poserr.Invalid},
			{"one already suspended", openCart("susp-a", Manager, "", line(1, "10002", 1, 899)), poserr.Conflict},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				requireKind(t, st.Suspend(ctx, tt.c, suspendAt(t0.Add(time.Minute))), tt.kind)
				assert.Len(t, journalOf(t, st), 1, "nothing journaled")
				list, err := st.Suspended(ctx)
				require.NoError(t, err)
				require.Len(t, list, 1)
				assert.Equal(t, Cashier, list[0].Operator, "the first one is kept")
			})
		}
	})
	t.Run("recall returns the cart and journals both", func(t *testing.T) {
		st := open(t, Default(t))
		c := openCart("susp-a", Cashier, "shift-1", line(1, "10001", 2, 129), line(2, "10002", 1, 899))
		c.Comment, c.Customer = "back in five", "C-42"
		keep := openCart("susp-b", Manager, "", line(1, "30003", 1, 199))
		require.NoError(t, st.Suspend(ctx, c, suspendAt(t0)))
		given := suspendAt(t0.Add(time.Second))
		given.Payload = json.RawMessage(`{"note":"own payload"}`)
		given.Operator = Manager
		require.NoError(t, st.Suspend(ctx, keep, given))

		got, err := st.Recall(ctx, c.ID, journal.Entry{Time: t0.Add(time.Minute), Kind: journal.Recall, Operation: 504, Operator: Manager})
		require.NoError(t, err)
		assert.Equal(t, *c, *got)

		es := journalOf(t, st)
		require.Len(t, es, 3)
		assert.Equal(t, journal.Suspend, es[0].Kind)
		assert.Equal(t, c.ID, es[0].TxnID)
		assert.Equal(t, Cashier, es[0].Operator, "the cart's operator when the entry names none")
		var payload cart.Cart
		require.NoError(t, json.Unmarshal(es[0].Payload, &payload))
		assert.Equal(t, *c, payload, "the suspend entry carries the cart")
		assert.JSONEq(t, `{"note":"own payload"}`, string(es[1].Payload), "a payload the caller set is kept")
		assert.Equal(t, Manager, es[1].Operator)
		assert.Equal(t, journal.Recall, es[2].Kind)
		assert.Equal(t, c.ID, es[2].TxnID, "the recall entry names the transaction")
		assert.Equal(t, Manager, es[2].Operator)

		list, err := st.Suspended(ctx)
		require.NoError(t, err)
		require.Len(t, list, 1)
		assert.Equal(t, keep.ID, list[0].ID)

		_, err = st.Recall(ctx, c.ID, journal.Entry{Time: t0, Kind: journal.Recall})
		requireKind(t, err, poserr.NotFound)
		assert.Len(t, journalOf(t, st), 3, "a second recall journals nothing")
	})
	t.Run("recall of an unknown ID", func(t *testing.T) {
		st := open(t, Default(t))
		require.NoError(t, st.Suspend(ctx, openCart("susp-a", Cashier, "", line(1, "10001", 1, 129)), suspendAt(t0)))
		for _, id := range []string{"nope", "", "SUSP-A"} {
			c, err := st.Recall(ctx, id, journal.Entry{Time: t0, Kind: journal.Recall})
			requireKind(t, err, poserr.NotFound)
			assert.Nil(t, c)
			assert.Contains(t, err.Error(), `"`+id+`"`)
		}
		assert.Len(t, journalOf(t, st), 1)
		list, err := st.Suspended(ctx)
		require.NoError(t, err)
		assert.Len(t, list, 1, "the suspended cart is still there")
	})
}
