package ui

import (
	"context"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
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

// walkTop calls fn for every object of the top overlay (visible ones).
func (r *rig) walkTop(fn func(o fyne.CanvasObject)) {
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		if o == nil || !o.Visible() {
			return
		}
		fn(o)
		if c, ok := o.(*fyne.Container); ok {
			for _, x := range c.Objects {
				walk(x)
			}
			return
		}
		if w, ok := o.(fyne.Widget); ok {
			for _, x := range test.WidgetRenderer(w).Objects() {
				walk(x)
			}
		}
	}
	walk(r.win.Canvas().Overlays().Top())
}

// tab selects the tab titled text on the top overlay.
func (r *rig) tab(text string) {
	r.t.Helper()
	var tabs *container.AppTabs
	r.walkTop(func(o fyne.CanvasObject) {
		if t, ok := o.(*container.AppTabs); ok && tabs == nil {
			tabs = t
		}
	})
	require.NotNil(r.t, tabs, "no tabs on the dialog")
	for i, it := range tabs.Items {
		if it.Text == text {
			tabs.SelectIndex(i)
			return
		}
	}
	r.t.Fatalf("no tab %q", text)
}

// entryWith finds the entry with a placeholder on the top overlay.
func (r *rig) entryWith(placeholder string) *field {
	r.t.Helper()
	var found *field
	r.walkTop(func(o fyne.CanvasObject) {
		if f, ok := o.(*field); ok && f.PlaceHolder == placeholder && found == nil {
			found = f
		}
	})
	require.NotNil(r.t, found, "no entry %q", placeholder)
	return found
}

// An associate writes a note and keeps a wish list on the customer's
// page; a wish goes to the sale from there.
func TestCustomerNotesAndWishList(t *testing.T) {
	r := newRig(t)
	r.signInSelling("1001", "1234")
	r.ui.showSell()
	cu, err := r.reg.Do(context.Background(), pos.CreateCustomer{Customer: customer.Customer{FirstName: "Lena", LastName: "Zyzzyva"}})
	require.NoError(t, err)
	r.ui.customerPageDialog(cu.Customer.ID)

	r.tab("Notes")
	assert.Contains(t, r.overlayText(), "No notes yet.")
	note := r.entryWith("Write a note about the customer")
	test.Type(note, "Prefers size M")
	r.tap("Add note")
	r.tab("Notes")
	assert.Contains(t, r.overlayText(), "Prefers size M", "the page comes back with the note")

	r.tab("Wish list")
	code := r.entryWith("Scan or type an item to add")
	test.Type(code, "4000000000082")
	r.tap("Add")
	r.tab("Wish list")
	assert.Contains(t, r.overlayText(), "Butter Croissant")
	r.tap("To the sale")
	c := r.reg.Cart()
	require.NotNil(t, c)
	require.Len(t, c.Lines, 1, "the wish is on the sale")
	got, err := r.reg.Do(context.Background(), pos.CustomerDetails{ID: cu.Customer.ID})
	require.NoError(t, err)
	assert.Empty(t, got.Page.Customer.WishList(), "and off the wish list")
	assert.Len(t, got.Page.Customer.Notes, 1)
}

// A cashier puts a loyalty card on the sale from its button; the panel
// shows the card, and its points once read. Suggestions say plainly when
// the store server's lists have not arrived.
func TestLoyaltyCardAndSuggestionButtons(t *testing.T) {
	r := newRig(t)
	r.signInSelling("1001", "1234")
	r.ui.showSell()
	r.scan("4000000000082")
	test.Tap(r.ui.sell.Button("button.loyalty_card"))
	e := r.entryWith("Scan or type the card number")
	test.Type(e, "LC-4242")
	r.tap("OK")
	c := r.reg.Cart()
	require.NotNil(t, c.Loyalty)
	assert.Equal(t, "LC-4242", c.Loyalty.Card)
	assert.Contains(t, r.ui.sell.customer.Text, "LC-4242")

	test.Tap(r.ui.sell.Button("button.suggestions"))
	assert.Contains(t, r.overlayText(), "No suggestions yet")
}

// An associate puts a customer in their client book from the page and
// finds them in the client book, with the reminder due.
func TestClientBookTile(t *testing.T) {
	r := newRig(t)
	r.signIn("3001", "1357")
	cu, err := r.reg.Do(context.Background(), pos.CreateCustomer{Customer: customer.Customer{FirstName: "Klara", LastName: "Kundenbuch"}})
	require.NoError(t, err)
	_, err = r.reg.Do(context.Background(), pos.AddCustomerNote{CustomerID: cu.Customer.ID, Kind: customer.NoteReminder, Text: "New season", Due: time.Now().Add(48 * time.Hour)})
	require.NoError(t, err)
	r.ui.customerPageDialog(cu.Customer.ID)
	r.tap("To my client book")
	r.ui.closeDialog()
	require.NotNil(t, r.ui.Tile("tile.client_book"))
	test.Tap(r.ui.Tile("tile.client_book"))
	assert.Contains(t, buttonsText(r), "Klara Kundenbuch — 1 reminder")
}

// buttonsText joins the texts of the top overlay's buttons.
func buttonsText(r *rig) string {
	var s []string
	r.walkTop(func(o fyne.CanvasObject) {
		if b, ok := o.(*widget.Button); ok {
			s = append(s, b.Text)
		}
	})
	return strings.Join(s, "\n")
}
