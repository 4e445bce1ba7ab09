package ui

import (
	"context"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/pos"
	"github.com/opentill/opentill/pos/customer"
)

// A cashier creates a customer from the sale (offline: the till has no
// server), the customer goes on the sale and shows above the totals, is
// found at once by name without accents and by phone, and an edit with a
// wrong e-mail marks that field and keeps the rest.
func TestCustomerFromTheSale(t *testing.T) {
	r := newRig(t)
	r.signInSelling("1001", "1234")
	r.ui.showSell()
	r.scan("4000000000082")
	test.Tap(r.ui.sell.Button("button.customer"))
	v := r.ui.customersV
	require.NotNil(t, v)
	assert.Equal(t, v.search, r.win.Canvas().Focused(), "the search field has focus")
	test.Type(v.search, "Mühlenbeck")
	assert.Equal(t, "No customer matches. Create one with New customer.", v.found.Text)

	test.Tap(v.create)
	f := r.ui.customerF
	require.NotNil(t, f)
	test.Type(f.first, "Jürgen")
	r.key(fyne.KeyReturn)
	require.Equal(t, f.last, r.win.Canvas().Focused(), "Enter moves to the next field")
	test.Type(f.last, "Mühlenbeck")
	test.Type(f.phone, "030 123 456")
	test.Type(f.email, "jm@example")
	r.tap("OK")
	require.NotNil(t, r.ui.Dialog(), "a wrong e-mail keeps the form open")
	assert.Error(t, f.email.Validate(), "and marks the e-mail")
	assert.Equal(t, "Mühlenbeck", f.last.Text, "the rest stays as typed")
	f.email.SetText("jm@example.com")
	test.Type(f.card, "LC-1")
	r.tap("OK")

	c := r.reg.Cart()
	require.NotNil(t, c)
	assert.Equal(t, "Jürgen Mühlenbeck", c.CustomerName, "the new customer is on the sale")
	assert.NotEmpty(t, c.Customer)
	assert.True(t, r.ui.sell.customer.Visible())
	assert.Contains(t, r.ui.sell.customer.Text, "Jürgen Mühlenbeck")

	// A second customer with the same card: the store refuses it, the card
	// field is marked, the form comes back as typed.
	test.Tap(r.ui.sell.Button("button.customer"))
	test.Tap(r.ui.customersV.create)
	f = r.ui.customerF
	test.Type(f.first, "Anna")
	test.Type(f.last, "Other")
	test.Type(f.card, "LC-1")
	r.tap("OK")
	require.NotNil(t, r.ui.Dialog(), "the form is back")
	assert.Equal(t, f.card, r.win.Canvas().Focused(), "on the card field")
	assert.Equal(t, "Anna", f.first.Text)
	r.key(fyne.KeyEscape)
	r.key(fyne.KeyEscape)
	assert.Nil(t, r.ui.Dialog(), "Escape closes the form, then the search")

	for _, q := range []string{"jurgen muhl", "030123456", "jm@example.com", "LC-1", c.Customer} {
		res, err := r.reg.Do(context.Background(), pos.CustomerSearch{Query: q})
		require.NoError(t, err, q)
		require.Len(t, res.Customers, 1, "found by %q", q)
		assert.Equal(t, "030123456", res.Customers[0].Phone, "the phone kept as its digits")
	}
}

// A sales associate finds customers from the home screen.
func TestAssociateSearchesCustomers(t *testing.T) {
	r := newRig(t)
	r.signIn("3001", "1357")
	require.NotNil(t, r.ui.Tile("tile.customers"))
	test.Tap(r.ui.Tile("tile.customers"))
	v := r.ui.customersV
	require.NotNil(t, v)
	assert.False(t, v.add.Visible(), "away from a sale there is nothing to add the customer to")
	assert.True(t, v.create.Visible())
}

// A cashier opens the page of the customer on the sale: their purchases on
// this till, what they bought with the suggestion, the insights; an item
// bought before goes on the sale again from the page.
func TestCustomerPage(t *testing.T) {
	r := newRig(t)
	r.signInSelling("1001", "1234")
	r.ui.showSell()
	cu, err := r.reg.Do(context.Background(), pos.CreateCustomer{Customer: customer.Customer{FirstName: "Lena", LastName: "Zyzzyva"}, AddToSale: true})
	require.NoError(t, err)
	r.scan("4000000000082")
	r.scan("4000000000082")
	paid, err := r.reg.Do(context.Background(), pos.PayCashExact{})
	require.NoError(t, err)

	test.Tap(r.ui.sell.Button("button.customer"))
	v := r.ui.customersV
	test.Type(v.search, "zyzz")
	require.Len(t, v.results, 1)
	v.list.Select(0)
	require.True(t, v.details.Visible())
	test.Tap(v.details)
	require.NotNil(t, r.ui.Dialog())
	texts := r.overlayText()
	assert.Contains(t, texts, "Lena Zyzzyva\n")
	assert.Contains(t, texts, "\nNew\n", "one visit, just now")
	assert.Contains(t, texts, paid.Completed.ReceiptNo, "the purchase is listed")
	assert.Contains(t, texts, "Suggest: ", "a suggestion from what they bought")

	r.tap("Add item")
	c := r.reg.Cart()
	require.NotNil(t, c, "the item is on a new sale")
	require.Len(t, c.Lines, 1)
	assert.Empty(t, c.Customer, "a new sale, no customer yet")
	assert.NotEmpty(t, cu.Customer.Number)
}
