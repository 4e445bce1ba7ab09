package storetest

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/pos"
	"github.com/opentill/opentill/pos/cart"
	"github.com/opentill/opentill/pos/money"
)

func testHistory(t *testing.T, open Open) {
	st := open(t, Default(t))
	at := func(c *cart.Cart, min int, operator string) *cart.Cart {
		c.Finished, c.Operator = t0.Add(time.Duration(min)*time.Minute), operator
		return c
	}
	a := commit(t, st, at(sale("txn-a", line(1, "10001", 2, 129)), 1, Cashier))
	b := commit(t, st, at(sale("txn-b", line(1, "10002", 1, 899), line(2, "10001", 1, 129)), 2, Manager))
	v := sale("txn-v", line(1, "10001", 1, 129))
	v.Status = cart.Voided
	vno := commit(t, st, at(v, 3, Cashier))
	d := sale("txn-d", line(1, "10001", 1, 129), line(2, "10002", 1, 899))
	d.Lines[1].Voided = true
	d.Totals.Total = 129
	dno := commit(t, st, at(d, 4, Cashier))

	nos := func(q pos.TxnQuery) []string {
		t.Helper()
		got, err := st.FindTransactions(ctx, q)
		require.NoError(t, err)
		var out []string
		for _, s := range got {
			out = append(out, s.ReceiptNo)
		}
		return out
	}
	tests := []struct {
		name string
		q    pos.TxnQuery
		want []string
	}{
		{"everything, newest first", pos.TxnQuery{}, []string{dno, vno, b, a}},
		{"by receipt number", pos.TxnQuery{Receipt: b[len(b)-3:]}, []string{b}},
		{"by operator", pos.TxnQuery{Operator: Manager}, []string{b}},
		{"from a time", pos.TxnQuery{From: t0.Add(3 * time.Minute)}, []string{dno, vno}},
		{"to a time (excluded)", pos.TxnQuery{To: t0.Add(2 * time.Minute)}, []string{a}},
		{"by total", pos.TxnQuery{Total: 1028, HasTotal: true}, []string{b}},
		{"a zero total only when asked", pos.TxnQuery{Total: 0, HasTotal: true}, nil},
		{"limited", pos.TxnQuery{Limit: 2}, []string{dno, vno}},
		{"nothing matches", pos.TxnQuery{Receipt: "no such"}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { assert.Equal(t, tc.want, nos(tc.q)) })
	}
	t.Run("a row says what the screen shows", func(t *testing.T) {
		got, err := st.FindTransactions(ctx, pos.TxnQuery{Receipt: dno})
		require.NoError(t, err)
		require.Len(t, got, 1)
		assert.Equal(t, pos.TxnSummary{ID: "txn-d", ReceiptNo: dno, Operator: Cashier, Finished: t0.Add(4 * time.Minute),
			Status: cart.Completed, Total: money.Amount(129), Lines: 1}, got[0])
		got, err = st.FindTransactions(ctx, pos.TxnQuery{Receipt: vno})
		require.NoError(t, err)
		require.Len(t, got, 1)
		assert.Equal(t, cart.Voided, got[0].Status)
	})
}
