package pos_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/pos"
	"github.com/opentill/opentill/pos/catalog"
	"github.com/opentill/opentill/pos/customer"
	"github.com/opentill/opentill/pos/money"
	"github.com/opentill/opentill/pos/poserr"
)

// TestCustomerPage: a customer's sales on this till make their page — the
// purchase history newest first, what they bought per product with names
// and categories, and insights — on the in-memory and the SQLite store.
func TestCustomerPage(t *testing.T) {
	for name, open := range map[string]func(*testing.T, bool) *till{"memory": newTill, "sqlite": newSQLiteTill} {
		t.Run(name, func(t *testing.T) {
			tl := open(t, true)
			tl.do(t, pos.SignIn{OperatorID: "2001", Secret: "2468"})
			tl.do(t, pos.OpenShift{StartAmount: 10000})
			cu := tl.do(t, pos.CreateCustomer{Customer: customer.Customer{FirstName: "Anna", LastName: "Müller"}}).Customer
			require.NotNil(t, cu)

			// Three visits two weeks apart: milk every time, wine once.
			for i := range 3 {
				tl.do(t, pos.AddCustomer{ID: cu.ID})
				tl.do(t, pos.ProductSale{Barcode: bcMilk, Qty: 2 * catalog.One})
				if i == 1 {
					tl.do(t, pos.ProductSale{Barcode: bcWine})
				}
				tl.do(t, pos.PayCashExact{})
				tl.now = tl.now.Add(14 * 24 * time.Hour)
			}
			tl.do(t, pos.ProductSale{Barcode: bcWine}) // another shopper's sale
			tl.do(t, pos.PayCashExact{})

			page := tl.do(t, pos.CustomerDetails{ID: cu.Number}).Page
			require.NotNil(t, page)
			assert.Equal(t, cu.ID, page.Customer.ID)
			require.Len(t, page.Purchases, 3)
			assert.True(t, page.Purchases[0].Finished.After(page.Purchases[2].Finished), "newest first")
			require.Len(t, page.Items, 2)
			milk := page.Items[0]
			assert.Equal(t, "10001", milk.ProductID, "bought last")
			assert.Equal(t, "Milch 3.5%", milk.Name)
			assert.Equal(t, "Dairy", milk.Category)
			assert.Equal(t, 6*catalog.One, milk.Qty)
			assert.Equal(t, 3, milk.Times)

			in := page.Insights
			assert.Equal(t, 3, in.Visits)
			assert.Equal(t, money.Amount(3*258+899), in.Spend)
			assert.Equal(t, money.Amount((3*258+899)/3), in.AverageBasket)
			assert.Equal(t, []string{"Wine", "Dairy"}, in.Favourites, "by spend")
			require.NotNil(t, in.NextBest)
			assert.Equal(t, "10001", in.NextBest.ProductID, "milk comes every two weeks and is due")
			assert.Equal(t, 5, in.R, "seen two weeks ago")
			assert.NotEqual(t, customer.SegmentNone, in.Segment)

			err := tl.fail(t, pos.CustomerDetails{ID: "nobody"})
			assert.Contains(t, err.Error(), "nobody")
		})
	}
}

// TestClientBook: an associate keeps customers in their client book; a
// customer in another's book needs a manager to reassign; the store's
// client books list every associate's.
func TestClientBook(t *testing.T) {
	for name, open := range map[string]func(*testing.T, bool) *till{"memory": newTill, "sqlite": newSQLiteTill} {
		t.Run(name, func(t *testing.T) {
			tl := open(t, true)
			tl.do(t, pos.SignIn{OperatorID: "2001", Secret: "2468"})
			a := tl.do(t, pos.CreateCustomer{Customer: customer.Customer{FirstName: "Ada", LastName: "Buch"}}).Customer
			b := tl.do(t, pos.CreateCustomer{Customer: customer.Customer{FirstName: "Bea", LastName: "Buch"}}).Customer
			tl.do(t, pos.AddToClientBook{CustomerID: a.ID})
			tl.do(t, pos.AddToClientBook{CustomerID: b.ID})
			mine := tl.do(t, pos.ViewClientBook{}).Customers
			require.Len(t, mine, 2)
			assert.Equal(t, "Ada", mine[0].FirstName)
			tl.do(t, pos.ReassignClient{CustomerID: b.ID, Associate: "1001"})
			assert.Len(t, tl.do(t, pos.ViewClientBook{}).Customers, 1)
			all := tl.do(t, pos.StoreClientBooks{}).Customers
			assert.Len(t, all, 2)
			err := tl.fail(t, pos.ReassignClient{CustomerID: b.ID, Associate: "nobody"})
			assert.Contains(t, err.Error(), "nobody")
			tl.do(t, pos.SignOut{})
			tl.do(t, pos.SignIn{OperatorID: "1002", Secret: "1234"})
			_, err = tl.Do(context.Background(), pos.AddToClientBook{CustomerID: b.ID})
			require.Error(t, err, "a customer in another's book, or no permission")
			tl.do(t, pos.SignOut{})
			tl.do(t, pos.SignIn{OperatorID: "2001", Secret: "2468"})
			tl.do(t, pos.RemoveFromClientBook{CustomerID: a.ID})
			assert.Empty(t, tl.do(t, pos.ViewClientBook{}).Customers)
		})
	}
}

// TestMergeDuplicates: a manager merges a duplicate into a customer; the
// kept one takes what it lacked, the duplicate's card and both purchase
// histories; searches find one customer, and the duplicate's number leads
// to the kept one.
func TestMergeDuplicates(t *testing.T) {
	for name, open := range map[string]func(*testing.T, bool) *till{"memory": newTill, "sqlite": newSQLiteTill} {
		t.Run(name, func(t *testing.T) {
			tl := open(t, true)
			tl.do(t, pos.SignIn{OperatorID: "2001", Secret: "2468"})
			tl.do(t, pos.OpenShift{StartAmount: 10000})
			keep := tl.do(t, pos.CreateCustomer{Customer: customer.Customer{FirstName: "Jana", LastName: "Doppel", Phone: "+4930111"}, AddToSale: true}).Customer
			tl.do(t, pos.ProductSale{Barcode: bcMilk})
			tl.do(t, pos.PayCashExact{})
			dup := tl.do(t, pos.CreateCustomer{Customer: customer.Customer{FirstName: "Jana", LastName: "Doppel", Email: "jana@example.com", LoyaltyCard: "LC-55"}, AddToSale: true}).Customer
			tl.do(t, pos.ProductSale{Barcode: bcWine})
			tl.do(t, pos.PayCashExact{})
			tl.do(t, pos.AddCustomerNote{CustomerID: dup.ID, Text: "Asked for the new catalogue"})
			require.Len(t, tl.do(t, pos.CustomerSearch{Query: "doppel"}).Customers, 2)

			err := tl.fail(t, pos.MergeCustomers{Keep: keep.ID, Merge: keep.Number})
			assert.Equal(t, poserr.Invalid, poserr.KindOf(err))
			merged := tl.do(t, pos.MergeCustomers{Keep: keep.ID, Merge: dup.ID}).Customer
			assert.Equal(t, "+4930111", merged.Phone)
			assert.Equal(t, "jana@example.com", merged.Email, "taken from the duplicate")
			assert.Equal(t, "LC-55", merged.LoyaltyCard)
			assert.Contains(t, merged.Aliases, dup.Number)

			found := tl.do(t, pos.CustomerSearch{Query: "doppel"}).Customers
			require.Len(t, found, 1, "one customer now")
			assert.Equal(t, keep.ID, found[0].ID)
			page := tl.do(t, pos.CustomerDetails{ID: dup.Number}).Page
			assert.Equal(t, keep.ID, page.Customer.ID, "the duplicate's number leads to the kept customer")
			assert.Len(t, page.Purchases, 2, "both histories")
			assert.Len(t, page.Items, 2)
			assert.Len(t, page.Customer.Notes, 1)
			err = tl.fail(t, pos.MergeCustomers{Keep: keep.ID, Merge: dup.ID})
			assert.Equal(t, poserr.Invalid, poserr.KindOf(err), "merged already")
		})
	}
}
