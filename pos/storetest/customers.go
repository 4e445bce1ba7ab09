package storetest

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/pos"
	"github.com/opentill/opentill/pos/catalog"
	"github.com/opentill/opentill/pos/customer"
	"github.com/opentill/opentill/pos/journal"
	"github.com/opentill/opentill/pos/money"
	"github.com/opentill/opentill/pos/poserr"
)

func custEntry() journal.Entry {
	return journal.Entry{Time: t0, Kind: journal.CustomerSaved, Operation: 612, Operator: Cashier}
}

func newCustomer(id, first, last string) customer.Customer {
	return customer.Customer{ID: id, FirstName: first, LastName: last, Version: 1, Store: StoreID,
		Created: t0, CreatedBy: Cashier, Updated: t0, UpdatedBy: Cashier}
}

func save(t *testing.T, st pos.Store, c customer.Customer) customer.Customer {
	t.Helper()
	got, err := st.SaveCustomer(ctx, c, custEntry())
	require.NoError(t, err, "saving %s", c.ID)
	return got
}

func testCustomers(t *testing.T, open Open) {
	t.Run("purchase history by customer number", func(t *testing.T) {
		st := open(t, Default(t))
		first := sale("01a00000-0000-7000-8000-000000000101", line(1, "P1", 2, 250), line(2, "P2", 1, 999))
		first.Customer = "CUST-1"
		first.Finished = t0.Add(time.Hour)
		commit(t, st, first)
		voidedLine := line(2, "P3", 1, 100)
		voidedLine.Voided = true
		second := sale("01a00000-0000-7000-8000-000000000102", line(1, "P1", 1, 250), voidedLine)
		second.Customer = "CUST-1"
		second.Finished = t0.Add(48 * time.Hour)
		commit(t, st, second)
		back := sale("01a00000-0000-7000-8000-000000000103", returnOf(1, first, 2, 1))
		back.Customer = "CUST-1"
		back.Finished = t0.Add(72 * time.Hour)
		commit(t, st, back)
		other := sale("01a00000-0000-7000-8000-000000000104", line(1, "P1", 5, 250))
		other.Customer = "CUST-2"
		commit(t, st, other)
		commit(t, st, sale("01a00000-0000-7000-8000-000000000105", line(1, "P4", 1, 50)))

		txns, err := st.FindTransactions(ctx, pos.TxnQuery{Customer: "CUST-1"})
		require.NoError(t, err)
		require.Len(t, txns, 3)
		assert.Equal(t, back.ID, txns[0].ID, "newest first")
		for _, tx := range txns {
			assert.Equal(t, "CUST-1", tx.Customer)
		}
		items, err := st.PurchasedItems(ctx, "CUST-1", 10)
		require.NoError(t, err)
		require.Len(t, items, 2, "P3 was voided; other customers' sales are not theirs")
		assert.Equal(t, "P2", items[0].ProductID, "returned last, so the most recent")
		assert.Equal(t, catalog.Qty(0), items[0].Qty, "bought one, returned one")
		assert.Equal(t, money.Amount(0), items[0].Amount)
		assert.Equal(t, 2, items[0].Times)
		p1 := items[1]
		assert.Equal(t, "P1", p1.ProductID)
		assert.Equal(t, 3*catalog.One, p1.Qty)
		assert.Equal(t, money.Amount(750), p1.Amount)
		assert.Equal(t, 2, p1.Times)
		assert.True(t, p1.First.Equal(first.Finished), "%v", p1.First)
		assert.True(t, p1.Last.Equal(second.Finished), "%v", p1.Last)
		none, err := st.PurchasedItems(ctx, "CUST-9", 10)
		require.NoError(t, err)
		assert.Empty(t, none)
	})
	t.Run("created customers are numbered and found at once", func(t *testing.T) {
		st := open(t, Default(t))
		a := newCustomer("c-a", "Jürgen", "Müller")
		a.Phone, a.Email, a.LoyaltyCard = "+4930123456", "jm@example.com", "LC-1001"
		a = save(t, st, a)
		assert.Equal(t, customer.FormatNumber(StoreID, TerminalID, 1), a.Number)
		b := save(t, st, newCustomer("c-b", "Anna", "Muller-Lüdenscheidt"))
		assert.Equal(t, customer.FormatNumber(StoreID, TerminalID, 2), b.Number)
		save(t, st, newCustomer("c-c", "Zoë", "Åberg"))

		for _, key := range []string{"c-a", a.Number, "LC-1001"} {
			got, err := st.Customer(ctx, key)
			require.NoError(t, err, key)
			assert.Equal(t, a, got, key)
		}
		_, err := st.Customer(ctx, "nobody")
		assert.Equal(t, poserr.NotFound, poserr.KindOf(err))

		ids := func(q string) []string {
			t.Helper()
			got, err := st.SearchCustomers(ctx, customer.Query{Text: q})
			require.NoError(t, err)
			var out []string
			for _, c := range got {
				out = append(out, c.ID)
			}
			return out
		}
		tests := []struct {
			q    string
			want []string
		}{
			{"muller", []string{"c-a", "c-b"}}, // diacritics folded, by last name
			{"MÜL", []string{"c-a", "c-b"}},    // prefix, case
			{"jur mul", []string{"c-a"}},       // every word a prefix
			{"ludenscheidt", []string{"c-b"}},  // the second part of a double name
			{"zoe", []string{"c-c"}},           // first name
			{"aberg", []string{"c-c"}},
			{"030 123456", []string{"c-a"}}, // a phone as typed locally
			{"+49 30 123456", []string{"c-a"}},
			{"123456", []string{"c-a"}},         // the end of the number
			{"JM@example.com", []string{"c-a"}}, // e-mail, any case
			{"LC-1001", []string{"c-a"}},        // loyalty card
			{a.Number, []string{"c-a"}},         // customer number
			{"schmidt", nil},
		}
		for _, tc := range tests {
			assert.Equal(t, tc.want, ids(tc.q), "search %q", tc.q)
		}
	})
	t.Run("an edit replaces the profile, keeps number and creation, and is found by its new name", func(t *testing.T) {
		st := open(t, Default(t))
		a := save(t, st, newCustomer("c-a", "Jo", "Smith"))
		ed := a
		ed.LastName, ed.Version, ed.Updated = "Smythe", 2, t0.Add(time.Hour)
		ed.Number, ed.Created = "", time.Time{} // an edit cannot change them
		got := save(t, st, ed)
		assert.Equal(t, a.Number, got.Number)
		assert.Equal(t, a.Created, got.Created)
		found, err := st.SearchCustomers(ctx, customer.Query{Text: "smythe"})
		require.NoError(t, err)
		require.Len(t, found, 1)
		assert.Equal(t, 2, found[0].Version)
		found, err = st.SearchCustomers(ctx, customer.Query{Text: "smith"})
		require.NoError(t, err)
		assert.Empty(t, found, "the old name is gone from the index")
	})
	t.Run("refusals", func(t *testing.T) {
		st := open(t, Default(t))
		a := newCustomer("c-a", "Jo", "Smith")
		a.LoyaltyCard = "LC-1"
		a = save(t, st, a)
		stale := a
		stale.Version = 2
		save(t, st, stale)
		stale.FirstName = "Joe" // edited from version 1 again
		_, err := st.SaveCustomer(ctx, stale, custEntry())
		assert.Equal(t, poserr.Conflict, poserr.KindOf(err), "an edit of an old version: %v", err)
		assert.Equal(t, "error.customer.edited", keyOf(err))

		_, err = st.SaveCustomer(ctx, newCustomer("c-a", "Other", "Person"), custEntry())
		assert.Equal(t, poserr.Conflict, poserr.KindOf(err), "the same ID twice")

		b := newCustomer("c-b", "Ann", "Lee")
		b.LoyaltyCard = "LC-1"
		_, err = st.SaveCustomer(ctx, b, custEntry())
		assert.Equal(t, "error.customer.card_taken", keyOf(err), "a card belongs to one customer")

		ghost := newCustomer("c-z", "No", "Body")
		ghost.Version = 3
		_, err = st.SaveCustomer(ctx, ghost, custEntry())
		assert.Equal(t, poserr.NotFound, poserr.KindOf(err))
		found, err := st.SearchCustomers(ctx, customer.Query{Text: "ann"})
		require.NoError(t, err)
		assert.Empty(t, found, "a refused customer is not stored")
	})
	t.Run("each save is journaled with the profile", func(t *testing.T) {
		st := open(t, Default(t))
		a := save(t, st, newCustomer("c-a", "Jo", "Smith"))
		es := journalOf(t, st)
		require.NotEmpty(t, es)
		last := es[len(es)-1]
		assert.Equal(t, journal.CustomerSaved, last.Kind)
		assert.Contains(t, string(last.Payload), a.Number)
	})
}

func keyOf(err error) string {
	var pe *poserr.Error
	if errors.As(err, &pe) {
		return pe.Key
	}
	return ""
}
