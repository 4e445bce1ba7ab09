package memstore

import (
	"context"
	"encoding/json"
	"sort"
	"time"

	"github.com/opentill/opentill/pos/cart"
	"github.com/opentill/opentill/pos/customer"
	"github.com/opentill/opentill/pos/journal"
	"github.com/opentill/opentill/pos/loyalty"
	"github.com/opentill/opentill/pos/poserr"
	"github.com/opentill/opentill/pos/recommend"
)

// SaveCustomer stores a new customer (numbering it) or an edit of the
// stored version, with its journal entry.
func (s *Store) SaveCustomer(ctx context.Context, c customer.Customer, e journal.Entry) (customer.Customer, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.usable(ctx); err != nil {
		return customer.Customer{}, storageErr(err, "saving customer %s", c.ID)
	}
	if c.ID == "" {
		return customer.Customer{}, poserr.E(poserr.Invalid, "error.storage.no_id", "the customer has no ID; nothing was saved")
	}
	old, exists := s.customers[c.ID]
	switch {
	case c.Version <= 1 && exists:
		return customer.Customer{}, poserr.E(poserr.Conflict, "error.customer.exists", "customer %s is already saved; nothing was saved again", c.ID)
	case c.Version > 1 && !exists:
		return customer.Customer{}, notFound("error.customer.not_found", "customer", c.ID, "no customer %s: search again")
	case c.Version > 1 && c.Version != old.Version+1:
		return customer.Customer{}, editConflict(c.Name())
	}
	if c.Card() != "" {
		for id, o := range s.customers {
			if id != c.ID && o.LoyaltyCard == c.LoyaltyCard {
				return customer.Customer{}, cardTaken(c.LoyaltyCard, o.Name())
			}
		}
	}
	next := s.custNo
	if exists {
		c.Number, c.Created, c.CreatedBy = old.Number, old.Created, old.CreatedBy
	} else if c.Number == "" {
		if s.setup == nil {
			return customer.Customer{}, poserr.E(poserr.Conflict, "error.storage.no_setup",
				"the till has no store and terminal ID (no setup saved): nothing was saved")
		}
		next++
		c.Number = customer.FormatNumber(s.setup.StoreID, s.setup.TerminalID, next)
	}
	payload, err := json.Marshal(c)
	if err != nil {
		return customer.Customer{}, storageErr(err, "saving customer %s", c.ID)
	}
	e.Payload = payload
	s.seal(&e)
	s.custNo = next
	s.customers[c.ID] = c
	s.appendSealed(e)
	return c, nil
}

// Customer finds a customer by ID, customer number or loyalty card.
func (s *Store) Customer(ctx context.Context, key string) (customer.Customer, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := s.usable(ctx); err != nil {
		return customer.Customer{}, readErr(err, "looking up customer %q", key)
	}
	if c, ok := s.customers[key]; ok {
		return c, nil
	}
	for _, c := range s.customers {
		if key != "" && (c.Number == key || c.LoyaltyCard == key) {
			return c, nil
		}
	}
	return customer.Customer{}, notFound("error.customer.not_found", "customer", key, "no customer %q: search by name, phone or card")
}

// SearchCustomers finds the customers the query matches, by last and first
// name.
func (s *Store) SearchCustomers(ctx context.Context, q customer.Query) ([]customer.Customer, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := s.usable(ctx); err != nil {
		return nil, readErr(err, "searching customers")
	}
	var out []customer.Customer
	for _, c := range s.customers {
		if q.Matches(c) {
			out = append(out, c)
		}
	}
	sort.Slice(out, func(i, j int) bool { return customer.Less(out[i], out[j]) })
	if len(out) > q.Max() {
		out = out[:q.Max()]
	}
	return out, nil
}

func editConflict(name string) error {
	return poserr.E(poserr.Conflict, "error.customer.edited", "%s was changed meanwhile (at another till or by sync): search again and redo the edit", name)
}

func cardTaken(card, name string) error {
	e := poserr.E(poserr.Conflict, "error.customer.card_taken", "loyalty card %s belongs to %s already", card, name)
	e.Args = map[string]any{"field": customer.FieldLoyaltyCard}
	return e
}

// PurchasedItems sums the customer's completed transactions per product,
// the most recently bought first.
func (s *Store) PurchasedItems(ctx context.Context, number string, limit int) ([]customer.Item, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := s.usable(ctx); err != nil {
		return nil, readErr(err, "reading what customer %s bought", number)
	}
	if number == "" {
		return nil, nil
	}
	by := map[string]*customer.Item{}
	for _, t := range s.txns {
		if t.sum.Customer != number || t.status != cart.Completed {
			continue
		}
		var c cart.Cart
		if err := json.Unmarshal(t.payload, &c); err != nil {
			return nil, readErr(err, "reading transaction %s", t.sum.ID)
		}
		seen := map[string]bool{}
		for _, l := range c.Lines {
			if l.Voided {
				continue
			}
			it := by[l.ProductID]
			if it == nil {
				it = &customer.Item{ProductID: l.ProductID, ItemID: l.ItemID, First: t.sum.Finished, Last: t.sum.Finished}
				by[l.ProductID] = it
			}
			it.Qty += l.Qty
			it.Amount += l.Net
			if !seen[l.ProductID] {
				seen[l.ProductID] = true
				it.Times++
			}
			if t.sum.Finished.Before(it.First) {
				it.First = t.sum.Finished
			}
			if t.sum.Finished.After(it.Last) {
				it.Last = t.sum.Finished
			}
		}
	}
	out := make([]customer.Item, 0, len(by))
	for _, it := range by {
		out = append(out, *it)
	}
	sort.Slice(out, func(i, j int) bool {
		if !out[i].Last.Equal(out[j].Last) {
			return out[i].Last.After(out[j].Last)
		}
		return out[i].ProductID < out[j].ProductID
	})
	if len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}

// LoyaltyBalance sums the card's movements of the completed transactions
// (an in-memory till never hears from a server: all of them are pending).
func (s *Store) LoyaltyBalance(ctx context.Context, card string) (loyalty.Balance, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	b := loyalty.Balance{Card: card}
	if err := s.usable(ctx); err != nil {
		return b, readErr(err, "reading the points of card %s", card)
	}
	yearAgo := time.Now().AddDate(-1, 0, 0)
	for _, t := range s.txns {
		if t.status != cart.Completed {
			continue
		}
		var c cart.Cart
		if err := json.Unmarshal(t.payload, &c); err != nil {
			return b, readErr(err, "reading transaction %s", t.sum.ID)
		}
		if c.Loyalty == nil || c.Loyalty.Card != card {
			continue
		}
		b.Pending += c.Loyalty.Earned - c.Loyalty.Redeemed
		b.Unconfirmed += c.Loyalty.Redeemed
		if !t.sum.Finished.Before(yearAgo) && c.Loyalty.Earned > 0 {
			b.Year += c.Loyalty.Earned
		}
	}
	return b, nil
}

// Recommendations returns no lists: an in-memory till never receives the
// store server's feed (the suggestions are then empty).
func (s *Store) Recommendations(ctx context.Context, productIDs []string) (recommend.Model, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := s.usable(ctx); err != nil {
		return recommend.Model{}, readErr(err, "reading recommendations")
	}
	return recommend.Model{}, nil
}

// ClientBook lists the customers of an associate's client book ("" = every
// associate's), by associate and name.
func (s *Store) ClientBook(ctx context.Context, associate string) ([]customer.Customer, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := s.usable(ctx); err != nil {
		return nil, readErr(err, "reading the client book")
	}
	var out []customer.Customer
	for _, c := range s.customers {
		if c.Associate != "" && (associate == "" || c.Associate == associate) {
			out = append(out, c)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Associate != out[j].Associate {
			return out[i].Associate < out[j].Associate
		}
		return customer.Less(out[i], out[j])
	})
	return out, nil
}
