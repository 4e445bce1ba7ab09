package apimap

import (
	"fmt"
	"maps"
	"slices"

	"github.com/opentill/opentill/offline/api"
	"github.com/opentill/opentill/pos/customer"
)

// CustomerOf maps a customer to its wire form.
func CustomerOf(c customer.Customer) api.Customer {
	w := api.Customer{ID: c.ID, Number: c.Number, FirstName: c.FirstName, LastName: c.LastName, Phone: c.Phone, Email: c.Email,
		LoyaltyCard: c.LoyaltyCard, Birthday: c.Birthday, Store: c.Store, Associate: c.Associate, MergedInto: c.MergedInto, Aliases: slices.Clone(c.Aliases),
		Consent: api.CustomerConsent{EmailMarketing: c.Consent.EmailMarketing, EmailReceipts: c.Consent.EmailReceipts},
		Created: c.Created.UTC(), CreatedBy: c.CreatedBy, Updated: c.Updated.UTC(), UpdatedBy: c.UpdatedBy,
		Stamps: make(map[string]api.CustomerStamp, len(c.Stamps))}
	for k, s := range c.Stamps {
		w.Stamps[k] = api.CustomerStamp{At: s.At.UTC(), By: s.By}
	}
	for _, h := range c.History {
		w.History = append(w.History, api.CustomerEarlier{Field: h.Field, Value: h.Value, At: h.At.UTC(), By: h.By})
	}
	if len(c.Attributes) > 0 {
		w.Attributes = maps.Clone(c.Attributes)
	}
	for _, n := range c.Notes {
		w.Notes = append(w.Notes, api.CustomerNote{ID: n.ID, At: n.At.UTC(), By: n.By, Till: n.Till, Kind: string(n.Kind), Text: n.Text, Due: n.Due.UTC(), Done: n.Done})
	}
	for _, x := range c.Wishes {
		w.Wishes = append(w.Wishes, api.CustomerWish{ProductID: x.ProductID, Name: x.Name, Added: x.Added, Stamp: api.CustomerStamp{At: x.Stamp.At.UTC(), By: x.Stamp.By}})
	}
	return w
}

// CustomerFrom maps a wire customer to the domain's (Version left 0: each
// copy counts its own).
func CustomerFrom(w api.Customer) customer.Customer {
	c := customer.Customer{ID: w.ID, Number: w.Number, FirstName: w.FirstName, LastName: w.LastName, Phone: w.Phone, Email: w.Email,
		LoyaltyCard: w.LoyaltyCard, Birthday: w.Birthday, Store: w.Store, Associate: w.Associate, MergedInto: w.MergedInto, Aliases: slices.Clone(w.Aliases),
		Consent: customer.Consent{EmailMarketing: w.Consent.EmailMarketing, EmailReceipts: w.Consent.EmailReceipts},
		Created: w.Created, CreatedBy: w.CreatedBy, Updated: w.Updated, UpdatedBy: w.UpdatedBy}
	if len(w.Stamps) > 0 {
		c.Stamps = make(map[string]customer.Stamp, len(w.Stamps))
		for k, s := range w.Stamps {
			c.Stamps[k] = customer.Stamp{At: s.At, By: s.By}
		}
	}
	for _, h := range w.History {
		c.History = append(c.History, customer.Earlier{Field: h.Field, Value: h.Value, At: h.At, By: h.By})
	}
	if len(w.Attributes) > 0 {
		c.Attributes = maps.Clone(w.Attributes)
	}
	for _, n := range w.Notes {
		c.Notes = append(c.Notes, customer.Note{ID: n.ID, At: n.At, By: n.By, Till: n.Till, Kind: customer.NoteKind(n.Kind), Text: n.Text, Due: n.Due, Done: n.Done})
	}
	for _, x := range w.Wishes {
		c.Wishes = append(c.Wishes, customer.Wish{ProductID: x.ProductID, Name: x.Name, Added: x.Added, Stamp: customer.Stamp{At: x.Stamp.At, By: x.Stamp.By}})
	}
	return c
}

// CheckCustomer says what is wrong with a customer a till uploaded or the
// server sent: an ID, a number, a profile the till's own form would accept
// (customer.Customer.Validate, but for receipts by e-mail, which a merge
// may leave without an address).
func CheckCustomer(w api.Customer) error {
	if !api.ValidClientID(w.ID) {
		return fmt.Errorf("the customer's id %q is not a client ID", w.ID)
	}
	if w.Number == "" {
		return fmt.Errorf("customer %s has no customer number", w.ID)
	}
	c := CustomerFrom(w)
	c.Consent.EmailReceipts = false
	if err := c.Validate(); err != nil {
		return fmt.Errorf("customer %s: %w", w.ID, err)
	}
	// A field without a stamp (a till older than the field) counts as the
	// oldest edit: it never overrides a stamped one.
	for _, n := range c.Notes {
		if n.ID == "" {
			return fmt.Errorf("customer %s has a note without an ID", w.ID)
		}
		if err := n.Check(); err != nil {
			return fmt.Errorf("customer %s, note %s: %w", w.ID, n.ID, err)
		}
	}
	for _, x := range c.Wishes {
		if x.ProductID == "" {
			return fmt.Errorf("customer %s has a wish without a product", w.ID)
		}
	}
	return nil
}
