package tillsync_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/offline/api"
	"github.com/opentill/opentill/offline/apimap"
	"github.com/opentill/opentill/offline/demo"
	"github.com/opentill/opentill/pos"
	"github.com/opentill/opentill/pos/customer"
)

// register signs an operator in at a synced till whose clock reads *now.
func register(t *testing.T, tl *till, now *time.Time) *pos.Register {
	t.Helper()
	setup, err := tl.St.LoadSetup(ctx)
	require.NoError(t, err)
	reg := pos.NewRegister(setup, tl.St, pos.Options{Now: func() time.Time { return *now }})
	_, err = reg.Do(ctx, pos.SignIn{OperatorID: "2001", Secret: "2468"})
	require.NoError(t, err)
	return reg
}

func findOne(t *testing.T, reg *pos.Register, query string) customer.Customer {
	t.Helper()
	res, err := reg.Do(ctx, pos.CustomerSearch{Query: query})
	require.NoError(t, err)
	require.Len(t, res.Customers, 1, "searching %q", query)
	return res.Customers[0]
}

// TestCustomersMergeAcrossTills: a customer created at till 1 reaches till
// 2; both edit it with the server unreachable — till 1 the phone and, later,
// the last name, till 2 the e-mail and, earlier, the last name — and once
// both have synced twice every copy (both tills and the server) holds each
// field's later edit, with the losing last name in the history.
func TestCustomersMergeAcrossTills(t *testing.T) {
	s := startServer(t, 50)
	a := newTill(t, s, "T01", s.URL)
	b := newTill(t, s, "T02", s.URL)
	require.NoError(t, a.Eng.Pass(ctx))
	require.NoError(t, b.Eng.Pass(ctx))
	now := time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC)
	ra, rb := register(t, a, &now), register(t, b, &now)

	res, err := ra.Do(ctx, pos.CreateCustomer{Customer: customer.Customer{FirstName: "Anna", LastName: "Müller", Phone: "030 123456"}})
	require.NoError(t, err)
	id := res.Customer.ID
	require.NoError(t, a.Eng.Pass(ctx))
	require.NoError(t, b.Eng.Pass(ctx))
	atB := findOne(t, rb, "muller")
	assert.Equal(t, id, atB.ID, "the customer created at till 1 is found at till 2")
	assert.Equal(t, res.Customer.Number, atB.Number)

	// Both tills offline now: nothing syncs until both passes below.
	now = now.Add(time.Hour)
	atA := findOne(t, ra, "anna")
	atA.Phone = "+49 170 5550000"
	_, err = ra.Do(ctx, pos.EditCustomer{Customer: atA})
	require.NoError(t, err)

	now = now.Add(time.Minute)
	atB = findOne(t, rb, "anna")
	atB.Email, atB.Consent.EmailReceipts = "anna@example.com", true
	_, err = rb.Do(ctx, pos.EditCustomer{Customer: atB})
	require.NoError(t, err)
	now = now.Add(time.Minute)
	atB = findOne(t, rb, "anna")
	atB.LastName = "Mueller"
	_, err = rb.Do(ctx, pos.EditCustomer{Customer: atB})
	require.NoError(t, err)

	now = now.Add(time.Minute)
	atA = findOne(t, ra, "anna")
	atA.LastName = "Müller-Lüdenscheidt"
	_, err = ra.Do(ctx, pos.EditCustomer{Customer: atA})
	require.NoError(t, err)

	// Notes and the wish list, offline too: both tills' notes are kept, the
	// later change of a wish wins.
	_, err = ra.Do(ctx, pos.AddCustomerNote{CustomerID: id, Text: "Prefers oat milk"})
	require.NoError(t, err)
	_, err = ra.Do(ctx, pos.WishListAdd{CustomerID: id, Code: "4000000000013"})
	require.NoError(t, err)
	now = now.Add(time.Minute)
	_, err = rb.Do(ctx, pos.AddCustomerNote{CustomerID: id, Kind: customer.NoteReminder, Text: "Call when the new season arrives", Due: now.Add(72 * time.Hour)})
	require.NoError(t, err)
	_, err = rb.Do(ctx, pos.WishListAdd{CustomerID: id, Code: "4000000000020"})
	require.NoError(t, err)
	now = now.Add(time.Minute)
	atA = findOne(t, ra, "anna")
	_, err = ra.Do(ctx, pos.WishListRemove{CustomerID: id, ProductID: atA.WishList()[0].ProductID})
	require.NoError(t, err)

	// Till 2 syncs first, then till 1, then till 2 again.
	require.NoError(t, b.Eng.Pass(ctx))
	require.NoError(t, a.Eng.Pass(ctx))
	require.NoError(t, b.Eng.Pass(ctx))

	onServer, err := s.St.Customer(ctx, id)
	require.NoError(t, err)
	want := func(t *testing.T, c customer.Customer) {
		t.Helper()
		assert.Equal(t, "Anna", c.FirstName)
		assert.Equal(t, "Müller-Lüdenscheidt", c.LastName, "the later edit of the last name (till 1)")
		assert.Equal(t, "+491705550000", c.Phone, "till 1's phone")
		assert.Equal(t, "anna@example.com", c.Email, "till 2's e-mail")
		assert.True(t, c.ReceiptsByEmail())
		assert.Len(t, c.Notes, 2, "both tills' notes")
		assert.Len(t, c.Reminders(), 1)
		if assert.Len(t, c.WishList(), 1, "till 1 took its wish off, till 2's stays") {
			assert.NotEqual(t, atA.WishList()[0].ProductID, c.WishList()[0].ProductID)
		}
		assert.Contains(t, c.History, customer.Earlier{Field: customer.FieldLastName, Value: "Mueller",
			At: time.Date(2026, 12, 2, 10, 2, 0, 0, time.UTC), By: demo.StoreID + "/T02"}, "till 2's last name is kept in the history")
	}
	t.Run("server", func(t *testing.T) { want(t, apimap.CustomerFrom(onServer)) })
	t.Run("till 1", func(t *testing.T) { want(t, findOne(t, ra, "lüdenscheidt")) })
	t.Run("till 2", func(t *testing.T) { want(t, findOne(t, rb, "ludenscheidt")) })
	assert.Empty(t, findAll(t, rb, "mueller"), "the old name is no longer found")

	// Each save went up exactly once, and nothing waits.
	ups, err := s.St.Uploads(ctx, api.KindCustomer)
	require.NoError(t, err)
	assert.Len(t, ups, 10, "one create, four edits, two notes, two wishes and a removal")
	for _, tl := range []*till{a, b} {
		n, _, err := tl.St.OutboxCount(ctx)
		require.NoError(t, err)
		assert.Zero(t, n)
	}

	// After the merge a till edits on top of it as usual.
	now = now.Add(time.Hour)
	atB = findOne(t, rb, "anna")
	atB.Birthday = "1990-05-17"
	_, err = rb.Do(ctx, pos.EditCustomer{Customer: atB})
	require.NoError(t, err)
	require.NoError(t, b.Eng.Pass(ctx))
	require.NoError(t, a.Eng.Pass(ctx))
	assert.Equal(t, "1990-05-17", findOne(t, ra, "anna").Birthday)
}

func findAll(t *testing.T, reg *pos.Register, query string) []customer.Customer {
	t.Helper()
	res, err := reg.Do(ctx, pos.CustomerSearch{Query: query})
	require.NoError(t, err)
	return res.Customers
}

// TestCustomerErasure: a customer erased on the server is gone from every
// till and from the server's copy; the transactions that named them keep
// the number but lose the name; a till that saved the customer offline
// before it heard brings nothing back.
func TestCustomerErasure(t *testing.T) {
	s := startServer(t, 50)
	a := newTill(t, s, "T01", s.URL)
	b := newTill(t, s, "T02", s.URL)
	require.NoError(t, a.Eng.Pass(ctx))
	require.NoError(t, b.Eng.Pass(ctx))
	now := time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC)
	ra, rb := register(t, a, &now), register(t, b, &now)
	_, err := ra.Do(ctx, pos.OpenShift{})
	require.NoError(t, err)
	res, err := ra.Do(ctx, pos.CreateCustomer{Customer: customer.Customer{FirstName: "Erika", LastName: "Privat", Email: "erika@example.com"}, AddToSale: true})
	require.NoError(t, err)
	cu := *res.Customer
	_, err = ra.Do(ctx, pos.ProductSale{Barcode: "4000000000013"})
	require.NoError(t, err)
	_, err = ra.Do(ctx, pos.PayCashExact{})
	require.NoError(t, err)
	require.NoError(t, a.Eng.Pass(ctx))
	require.NoError(t, b.Eng.Pass(ctx))
	atB := findOne(t, rb, "privat")

	exp, err := s.St.ExportCustomer(ctx, cu.Number)
	require.NoError(t, err)
	assert.Equal(t, "erika@example.com", exp.Customer.Email)
	assert.Len(t, exp.Transactions, 1, "the export lists the customer's transactions")

	// Till 2 edits offline while the server erases the customer.
	atB.Phone = "+49 30 555"
	_, err = rb.Do(ctx, pos.EditCustomer{Customer: atB})
	require.NoError(t, err)
	n, err := s.St.EraseCustomer(ctx, cu.ID)
	require.NoError(t, err)
	assert.Equal(t, int64(1), n, "one transaction lost the name")
	for _, tl := range []*till{b, a, b} {
		require.NoError(t, tl.Eng.Pass(ctx))
	}
	_, err = s.St.Customer(ctx, cu.ID)
	assert.Error(t, err, "not on the server")
	for name, r := range map[string]*pos.Register{"till 1": ra, "till 2": rb} {
		assert.Empty(t, findAll(t, r, "privat"), "%s: gone", name)
	}
	ups, err := s.St.Uploads(ctx, api.KindCustomer)
	require.NoError(t, err)
	for _, u := range ups {
		assert.NotContains(t, string(u.Payload), "Privat", "no upload keeps the data")
	}
	txns, err := s.St.Uploads(ctx, api.KindTransaction)
	require.NoError(t, err)
	for _, u := range txns {
		assert.NotContains(t, string(u.Payload), "Privat")
		assert.Contains(t, string(u.Payload), cu.Number, "the transaction keeps the number")
	}
	_, err = s.St.ExportCustomer(ctx, cu.Number)
	assert.Error(t, err)
}

// TestMergedDuplicateReachesEveryTill: a manager merges a duplicate at
// till 1; after both sync, till 2 finds one customer and the duplicate's
// number leads to the kept one there too.
func TestMergedDuplicateReachesEveryTill(t *testing.T) {
	s := startServer(t, 50)
	a := newTill(t, s, "T01", s.URL)
	b := newTill(t, s, "T02", s.URL)
	require.NoError(t, a.Eng.Pass(ctx))
	require.NoError(t, b.Eng.Pass(ctx))
	now := time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC)
	ra, rb := register(t, a, &now), register(t, b, &now)
	k, err := ra.Do(ctx, pos.CreateCustomer{Customer: customer.Customer{FirstName: "Uwe", LastName: "Zwilling"}})
	require.NoError(t, err)
	d, err := rb.Do(ctx, pos.CreateCustomer{Customer: customer.Customer{FirstName: "Uwe", LastName: "Zwilling", Email: "uwe@example.com"}})
	require.NoError(t, err)
	for _, tl := range []*till{a, b, a} {
		require.NoError(t, tl.Eng.Pass(ctx))
	}
	require.Len(t, findAll(t, ra, "zwilling"), 2)
	now = now.Add(time.Hour)
	_, err = ra.Do(ctx, pos.MergeCustomers{Keep: k.Customer.ID, Merge: d.Customer.ID})
	require.NoError(t, err)
	for _, tl := range []*till{a, b} {
		require.NoError(t, tl.Eng.Pass(ctx))
	}
	at := findAll(t, rb, "zwilling")
	require.Len(t, at, 1, "till 2 finds one customer")
	assert.Equal(t, k.Customer.ID, at[0].ID)
	assert.Equal(t, "uwe@example.com", at[0].Email)
	res, err := rb.Do(ctx, pos.CustomerDetails{ID: d.Customer.Number})
	require.NoError(t, err)
	assert.Equal(t, k.Customer.ID, res.Page.Customer.ID)
}
