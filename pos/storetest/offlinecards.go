package storetest

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/pos/cart"
	"github.com/opentill/opentill/pos/journal"
	"github.com/opentill/opentill/pos/money"
	"github.com/opentill/opentill/pos/tender"
)

func testOfflineCards(t *testing.T, open Open) {
	st := open(t, Default(t))
	offline := func(id, ref string, at time.Time, amount money.Amount) *cart.Cart {
		c := sale(id, line(1, "10002", 1, amount))
		c.Finished = at
		c.Tenders = []cart.Tender{{No: 1, TypeID: "card", Name: "Card", Kind: cart.Card, Amount: amount,
			Card: &cart.CardInfo{MaskedPAN: "****4242", Brand: "VISA", Reference: ref, Offline: true}}}
		return c
	}
	commit(t, st, offline("txn-o1", "SAF-1", t0, 899))
	commit(t, st, offline("txn-o2", "SAF-2", t0.Add(3*time.Hour), 1500))
	online := sale("txn-on", line(1, "10002", 1, 899))
	online.Tenders = []cart.Tender{{No: 1, TypeID: "card", Kind: cart.Card, Amount: 899, Card: &cart.CardInfo{Reference: "ON-1"}}}
	commit(t, st, online)
	voided := offline("txn-ov", "SAF-3", t0, 700)
	voided.Status = cart.Voided
	commit(t, st, voided)

	out, win, err := st.OfflineCardTotals(ctx, t0.Add(time.Hour))
	require.NoError(t, err)
	assert.Equal(t, money.Amount(2399), out, "both offline payments wait to be forwarded")
	assert.Equal(t, money.Amount(1500), win, "one of them in the window")
	pending, err := st.OfflineCards(ctx, true)
	require.NoError(t, err)
	require.Len(t, pending, 2)
	assert.Equal(t, "SAF-1", pending[0].Reference, "oldest first")
	assert.NotEmpty(t, pending[0].ReceiptNo)

	require.NoError(t, st.RecordForwarded(ctx, []tender.Forwarded{{Reference: "SAF-1", Approved: true}, {Reference: "SAF-2", Approved: false}, {Reference: "NOPE"}},
		journal.Entry{Time: t0.Add(4 * time.Hour), Kind: journal.CardForward, Operation: 4070}))
	out, _, err = st.OfflineCardTotals(ctx, t0)
	require.NoError(t, err)
	assert.Zero(t, out, "forwarded")
	pending, err = st.OfflineCards(ctx, true)
	require.NoError(t, err)
	assert.Empty(t, pending)
	all, err := st.OfflineCards(ctx, false)
	require.NoError(t, err)
	require.Len(t, all, 2)
	assert.True(t, all[0].Approved)
	assert.False(t, all[1].Approved, "declined when forwarded: the store's to follow up")
	assert.True(t, all[1].Forwarded)
}
