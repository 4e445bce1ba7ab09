package storetest

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/pos"
	"github.com/opentill/opentill/pos/cart"
	"github.com/opentill/opentill/pos/catalog"
	"github.com/opentill/opentill/pos/journal"
	"github.com/opentill/opentill/pos/money"
	"github.com/opentill/opentill/pos/poserr"
)

// line builds a line of units of a product at a unit price.
func line(no int, productID string, units int64, unitPrice money.Amount) cart.Line {
	net := unitPrice * money.Amount(units)
	return cart.Line{No: no, ProductID: productID, ItemID: productID, Name: "Product " + productID, Unit: "ea",
		Qty: catalog.Qty(units) * catalog.One, UnitPrice: unitPrice, OriginalPrice: unitPrice, TaxGroup: "STD",
		Gross: net, Net: net}
}

// returnOf builds a line returning units of line no of the committed sale.
func returnOf(no int, sale *cart.Cart, of int, units int64) cart.Line {
	orig := sale.Line(of)
	l := line(no, orig.ProductID, -units, orig.UnitPrice)
	l.ReturnOf = &cart.ReturnRef{TxnID: sale.ID, ReceiptNo: sale.ReceiptNo, LineNo: of}
	return l
}

// sale builds a completed cart of the lines, paid exactly in cash.
func sale(id string, lines ...cart.Line) *cart.Cart {
	c := &cart.Cart{ID: id, Store: StoreID, Terminal: TerminalID, Operator: Cashier, Currency: money.EUR,
		Status: cart.Completed, Started: t0, Finished: t0.Add(time.Minute), Lines: lines, TaxInclusive: true}
	var total money.Amount
	for _, l := range c.Active() {
		total += l.Net
	}
	c.Totals = cart.Totals{Subtotal: total, Total: total, Due: total, Paid: total}
	if total != 0 {
		c.Tenders = []cart.Tender{{No: 1, TypeID: "cash", Name: "Cash", Kind: cart.Cash, Amount: total}}
	}
	return c
}

func saleEntry() journal.Entry {
	return journal.Entry{Time: t0.Add(time.Minute), Kind: journal.Sale, Operation: 200}
}

// commit commits c and returns its receipt number.
func commit(t *testing.T, st pos.Store, c *cart.Cart) string {
	t.Helper()
	require.NoError(t, st.Commit(ctx, c, saleEntry()), "committing %s", c.ID)
	require.NotEmpty(t, c.ReceiptNo)
	return c.ReceiptNo
}

func receipt(n int) string { return fmt.Sprintf("%s-%s-%06d", StoreID, TerminalID, n) }

func testCommit(t *testing.T, open Open) {
	t.Run("receipt numbers come from the saved setup, in sequence", func(t *testing.T) {
		st := open(t, Default(t))
		a := sale("txn-a", line(1, "10001", 1, 129))
		a.Store, a.Terminal = "OTHER", "T9"
		assert.Equal(t, receipt(1), commit(t, st, a))
		assert.Equal(t, receipt(2), commit(t, st, sale("txn-b", line(1, "10002", 2, 899))))
		v := sale("txn-v", line(1, "10001", 1, 129))
		v.Status = cart.Voided
		assert.Equal(t, receipt(3), commit(t, st, v), "a voided transaction has its own number")
	})
	t.Run("without a setup the cart's store and terminal are used", func(t *testing.T) {
		st := open(t, Seed{Products: Default(t).Products})
		c := sale("txn-a", line(1, "10001", 1, 129))
		c.Store, c.Terminal = "S9", "T9"
		assert.Equal(t, "S9-T9-000001", commit(t, st, c))
		other := sale("txn-b", line(1, "10001", 1, 129))
		other.Store, other.Terminal = "S9", "T8"
		assert.Equal(t, "S9-T8-000001", commit(t, st, other), "each terminal has its own sequence")
		none := sale("txn-c", line(1, "10001", 1, 129))
		none.Terminal = ""
		requireKind(t, st.Commit(ctx, none, saleEntry()), poserr.Conflict)
		assert.Empty(t, none.ReceiptNo)
		assert.Len(t, journalOf(t, st), 2)
	})
	t.Run("the journal entry records the transaction", func(t *testing.T) {
		st := open(t, Default(t))
		require.NoError(t, st.AppendJournal(ctx, journal.Entry{Time: t0, Kind: journal.SignIn, Operator: Cashier}))
		c := sale("txn-a", line(1, "10001", 2, 129), line(2, "10002", 1, 899))
		no := commit(t, st, c)
		d := sale("txn-b", line(1, "10001", 1, 129))
		e := saleEntry()
		e.Operator, e.Approver = Manager, Manager
		require.NoError(t, st.Commit(ctx, d, e))

		es := journalOf(t, st)
		require.Len(t, es, 3)
		got := es[1]
		assert.Equal(t, int64(2), got.Seq)
		assert.Equal(t, journal.Sale, got.Kind)
		assert.Equal(t, 200, got.Operation)
		assert.Equal(t, c.ID, got.TxnID)
		assert.Equal(t, no, got.ReceiptNo)
		assert.Equal(t, Cashier, got.Operator, "the cart's operator when the entry names none")
		assert.True(t, got.Time.Equal(t0.Add(time.Minute)))
		var payload cart.Cart
		require.NoError(t, json.Unmarshal(got.Payload, &payload), "the payload is the transaction")
		want := *c
		want.Signature = cart.Signature{}
		assert.Equal(t, want, payload, "the payload is the transaction without its signature")
		if !c.Signature.IsZero() {
			// A store that signs its journal hands the entry's signature back.
			assert.Equal(t, cart.Signature{Seq: got.Seq, Counter: got.Counter, KeyID: got.KeyID, Hash: got.Hash, Sig: got.Sig}, c.Signature)
		}
		assert.Equal(t, Manager, es[2].Operator, "an entry's own operator is kept")
		assert.Equal(t, Manager, es[2].Approver)
	})
	t.Run("refused carts store nothing", func(t *testing.T) {
		st := open(t, Default(t))
		openCart := sale("txn-open", line(1, "10001", 1, 129))
		openCart.Status = cart.Open
		susp := sale("txn-susp", line(1, "10001", 1, 129))
		susp.Status = cart.Suspended
		tests := []struct {
			name string
			c    *cart.Cart
			kind poserr.Kind
		}{
			{"no cart", nil, poserr.Invalid},
			{"no ID", sale("", line(1, "10001", 1, 129)), poserr.Invalid},
			{"open", openCart, poserr.Conflict},
			{"suspended", susp, poserr.Conflict},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				requireKind(t, st.Commit(ctx, tt.c, saleEntry()), tt.kind)
				if tt.c != nil {
					assert.Empty(t, tt.c.ReceiptNo)
				}
				assert.Empty(t, journalOf(t, st))
			})
		}
		assert.Equal(t, receipt(1), commit(t, st, sale("txn-ok", line(1, "10001", 1, 129))))
	})
	t.Run("a failed commit stores nothing and uses up no number", func(t *testing.T) {
		st := open(t, Default(t))
		first := sale("txn-1", line(1, "10001", 1, 129))
		commit(t, st, first)
		cancelled, cancel := context.WithCancel(ctx)
		cancel()
		dupLines := sale("txn-dup-lines", line(1, "10001", 1, 129), line(1, "10002", 1, 899))
		tests := []struct {
			name string
			ctx  context.Context
			c    *cart.Cart
			kind poserr.Kind
		}{
			{"the same transaction again", ctx, sale("txn-1", line(1, "10002", 1, 899)), poserr.Conflict},
			{"a cancelled context", cancelled, sale("txn-2", line(1, "10001", 1, 129)), poserr.Storage},
			{"two lines with one number", ctx, dupLines, poserr.Storage},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				tt.c.ReceiptNo = "S1-T1-999999" // stale: Commit clears it
				requireKind(t, st.Commit(tt.ctx, tt.c, saleEntry()), tt.kind)
				assert.Empty(t, tt.c.ReceiptNo)
				assert.Len(t, journalOf(t, st), 1, "no journal entry")
				_, _, err := st.Transaction(ctx, receipt(2))
				requireKind(t, err, poserr.NotFound)
			})
		}
		got, _, err := st.Transaction(ctx, receipt(1))
		require.NoError(t, err)
		assert.Equal(t, *first, *got, "the stored transaction was not replaced")
		next := sale("txn-2", line(1, "10001", 1, 129))
		assert.Equal(t, receipt(2), commit(t, st, next), "failed commits used up no number")
		got, _, err = st.Transaction(ctx, receipt(2))
		require.NoError(t, err)
		assert.Equal(t, next.ID, got.ID)
		assert.Len(t, journalOf(t, st), 2)
	})
}

func testTransaction(t *testing.T, open Open) {
	t.Run("finds the transaction as it was committed", func(t *testing.T) {
		st := open(t, Default(t))
		c := sale("txn-a", line(1, "10001", 2, 129), line(2, "10002", 1, 899))
		c.Lines[1].Voided = true
		c.Tenders = append(c.Tenders, cart.Tender{No: 2, TypeID: "card", Name: "Card", Kind: cart.Card, Amount: 500, Voided: true,
			Card: &cart.CardInfo{MaskedPAN: "************1234", Brand: "VISA", AuthCode: "A1", Reference: "R1"}})
		c.Comment, c.Shift = "regular", "shift-1"
		no := commit(t, st, c)
		got, returned, err := st.Transaction(ctx, no)
		require.NoError(t, err)
		assert.Equal(t, *c, *got)
		assert.NotNil(t, returned)
		assert.Empty(t, returned)

		c.Lines[0].Name = "changed after the commit"
		again, _, err := st.Transaction(ctx, no)
		require.NoError(t, err)
		assert.Equal(t, "Product 10001", again.Lines[0].Name, "the store holds its own copy")
		again.Lines[0].Name = "changed by a reader"
		third, _, err := st.Transaction(ctx, no)
		require.NoError(t, err)
		assert.Equal(t, "Product 10001", third.Lines[0].Name, "readers get their own copy")
	})
	t.Run("misses", func(t *testing.T) {
		st := open(t, Default(t))
		commit(t, st, sale("txn-a", line(1, "10001", 1, 129)))
		v := sale("txn-v", line(1, "10001", 1, 129))
		v.Status = cart.Voided
		voided := commit(t, st, v)
		tests := []struct {
			name, receipt string
			kind          poserr.Kind
		}{
			{"unknown receipt", receipt(99), poserr.NotFound},
			{"empty receipt", "", poserr.NotFound},
			{"transaction ID", "txn-a", poserr.NotFound},
			{"voided transaction", voided, poserr.Conflict},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				c, returned, err := st.Transaction(ctx, tt.receipt)
				requireKind(t, err, tt.kind)
				assert.Nil(t, c)
				assert.Nil(t, returned)
			})
		}
	})
	t.Run("returned quantities per original line", func(t *testing.T) {
		st := open(t, Default(t))
		s := sale("sale", line(1, "10002", 3, 899), line(2, "10001", 1, 129), line(3, "30001", 2, 249))
		other := sale("other", line(1, "10002", 1, 899))
		commit(t, st, s)
		commit(t, st, other)
		voidedReturn := sale("r-voided", returnOf(1, s, 2, 1))
		voidedReturn.Status = cart.Voided
		withVoidLine := sale("r-3", returnOf(1, s, 1, 1), returnOf(2, s, 2, 1), returnOf(3, s, 3, 2))
		withVoidLine.Lines[1].Voided = true
		steps := []struct {
			name   string
			c      *cart.Cart
			sale   map[int]catalog.Qty
			others map[int]catalog.Qty
		}{
			{"a return of two", sale("r-1", returnOf(1, s, 1, 2)), map[int]catalog.Qty{1: 2000}, map[int]catalog.Qty{}},
			{"a voided return counts nothing", voidedReturn, map[int]catalog.Qty{1: 2000}, map[int]catalog.Qty{}},
			{"a voided line counts nothing", withVoidLine, map[int]catalog.Qty{1: 3000, 3: 2000}, map[int]catalog.Qty{}},
			{"returns of another sale are its own", sale("r-other", returnOf(1, other, 1, 1)), map[int]catalog.Qty{1: 3000, 3: 2000}, map[int]catalog.Qty{1: 1000}},
		}
		for _, step := range steps {
			t.Run(step.name, func(t *testing.T) {
				no := commit(t, st, step.c)
				_, returned, err := st.Transaction(ctx, s.ReceiptNo)
				require.NoError(t, err)
				assert.Equal(t, step.sale, returned)
				_, returned, err = st.Transaction(ctx, other.ReceiptNo)
				require.NoError(t, err)
				assert.Equal(t, step.others, returned)
				if step.c.Status == cart.Completed {
					r, returned, err := st.Transaction(ctx, no)
					require.NoError(t, err, "a return is a transaction of its own")
					assert.Equal(t, step.c.ID, r.ID)
					assert.Empty(t, returned)
				}
			})
		}
	})
}
