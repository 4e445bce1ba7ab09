package storetest

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/pos"
	"github.com/opentill/opentill/pos/cart"
	"github.com/opentill/opentill/pos/catalog"
	"github.com/opentill/opentill/pos/money"
	"github.com/opentill/opentill/pos/storedvalue"
)

// giftCardLine sells (or tops up, or cashes out when negative) a gift card.
func giftCardLine(no int, number string, role cart.ValueRole, amount money.Amount) cart.Line {
	return cart.Line{No: no, ProductID: "giftcard", ItemID: "giftcard", Name: "Gift card", Unit: "ea", Qty: catalog.One,
		UnitPrice: amount, OriginalPrice: amount, Gross: amount, Net: amount,
		Value: &cart.ValueRef{Kind: storedvalue.GiftCard, Number: number, Role: role}}
}

func testValue(t *testing.T, open Open) {
	st := open(t, Default(t))
	balance := func(t *testing.T, k storedvalue.Kind, n string) storedvalue.Balance {
		t.Helper()
		b, err := st.ValueBalance(ctx, k, n)
		require.NoError(t, err)
		return b
	}
	const card = "GC-1001"
	t.Run("a number never heard of is not there", func(t *testing.T) {
		b := balance(t, storedvalue.GiftCard, card)
		assert.False(t, b.Exists())
		assert.Zero(t, b.Amount())
	})
	commit(t, st, sale("txn-issue", giftCardLine(1, card, cart.ValueIssue, 5000)))
	t.Run("a card issued here is known with its amount", func(t *testing.T) {
		b := balance(t, storedvalue.GiftCard, card)
		assert.True(t, b.Exists())
		assert.True(t, b.IssuedHere)
		assert.Equal(t, money.Amount(5000), b.Amount())
		assert.Zero(t, b.Unconfirmed)
	})
	spend := sale("txn-spend", line(1, "10002", 1, 899))
	spend.Tenders = []cart.Tender{{No: 1, TypeID: "gift", Name: "Gift card", Kind: cart.GiftCard, Amount: 899,
		Value: &cart.ValueInfo{Kind: storedvalue.GiftCard, Number: card, Balance: 4101}}}
	commit(t, st, spend)
	voided := sale("txn-void", line(1, "10002", 1, 899))
	voided.Status = cart.Voided
	voided.Tenders[0].Value = &cart.ValueInfo{Kind: storedvalue.GiftCard, Number: card}
	voided.Tenders[0].Kind = cart.GiftCard
	commit(t, st, voided)
	t.Run("spending books in the sale's commit; a voided sale moves nothing", func(t *testing.T) {
		b := balance(t, storedvalue.GiftCard, card)
		assert.Equal(t, money.Amount(4101), b.Amount())
		assert.Equal(t, money.Amount(4101), b.Pending)
		assert.Equal(t, money.Amount(899), b.Unconfirmed)
	})
	t.Run("the server's balance counts the oldest movements", func(t *testing.T) {
		asOf := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
		// the server counted the issue only, and another till spent 1000
		require.NoError(t, st.NoteValueBalance(ctx, storedvalue.Known{Kind: storedvalue.GiftCard, Number: card, Amount: 4000, AsOf: asOf, Counted: map[string]int64{StoreID + "/" + TerminalID: 1, "S9/T9": 4}}))
		b := balance(t, storedvalue.GiftCard, card)
		assert.Equal(t, money.Amount(4000), b.Known)
		assert.Equal(t, money.Amount(-899), b.Pending)
		assert.Equal(t, money.Amount(3101), b.Amount())
		assert.False(t, b.IssuedHere, "the server knows the card now")
		assert.True(t, b.AsOf.Equal(asOf))
		// an older answer arriving late changes nothing
		require.NoError(t, st.NoteValueBalance(ctx, storedvalue.Known{Kind: storedvalue.GiftCard, Number: card, Amount: 5000, AsOf: asOf.Add(-time.Hour)}))
		assert.Equal(t, money.Amount(3101), balance(t, storedvalue.GiftCard, card).Amount())
		require.NoError(t, st.NoteValueBalance(ctx, storedvalue.Known{Kind: storedvalue.GiftCard, Number: card, Amount: 3101, AsOf: asOf.Add(time.Hour), Counted: map[string]int64{StoreID + "/" + TerminalID: 2}}))
		b = balance(t, storedvalue.GiftCard, card)
		assert.Equal(t, money.Amount(3101), b.Amount())
		assert.Zero(t, b.Pending)
		assert.Zero(t, b.Unconfirmed)
	})
	t.Run("a refund onto a memo issues it; kinds are apart", func(t *testing.T) {
		ret := sale("txn-memo", line(1, "10002", -1, 899))
		ret.Tenders = []cart.Tender{{No: 1, TypeID: "memo", Name: "Credit memo", Kind: cart.CreditMemo, Amount: -899,
			Value: &cart.ValueInfo{Kind: storedvalue.Memo, Number: "CM-ABC1", Balance: 899}}}
		commit(t, st, ret)
		b := balance(t, storedvalue.Memo, "CM-ABC1")
		assert.True(t, b.IssuedHere)
		assert.Equal(t, money.Amount(899), b.Amount())
		assert.False(t, balance(t, storedvalue.GiftCard, "CM-ABC1").Exists())
	})
	var _ pos.ValueLedger = st
}
