package pos

import (
	"context"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/opentill/opentill/pos/cart"
	"github.com/opentill/opentill/pos/customer"
	"github.com/opentill/opentill/pos/journal"
	"github.com/opentill/opentill/pos/poserr"
)

// Customer operations (the anchor's numbers).
const (
	OpAddCustomer    OpID = 600
	OpCustomerSearch OpID = 602
	OpClearCustomer  OpID = 603
	OpCreateCustomer OpID = 612
	OpEditCustomer   OpID = 623
	// OpCustomerDetails is the customer's page (ours: the anchor shows it
	// without an operation of its own).
	OpCustomerDetails  OpID = 4030
	OpAddCustomerNote  OpID = 4032 // ours: a note or activity on the customer's page
	OpWishListAdd      OpID = 4033 // ours: the anchor's wish lists are commerce lists
	OpWishListRemove   OpID = 4034
	OpCompleteReminder OpID = 4035
)

// AddCustomerNote writes a dated note, call, visit or reminder on a
// customer's page (synced to every till with the profile).
type AddCustomerNote struct {
	CustomerID string
	Kind       customer.NoteKind // "" = a plain note
	Text       string
	Due        time.Time // reminders
}

// CompleteReminder marks a reminder done.
type CompleteReminder struct {
	CustomerID string
	NoteID     string
}

// WishListAdd puts a product on a customer's wish list (by barcode, item
// ID or product ID).
type WishListAdd struct {
	CustomerID string
	Code       string
	ProductID  string
}

// WishListRemove takes a product off a customer's wish list.
type WishListRemove struct {
	CustomerID string
	ProductID  string
}

// OpID of AddCustomerNote.
func (AddCustomerNote) OpID() OpID { return OpAddCustomerNote }

// OpID of CompleteReminder.
func (CompleteReminder) OpID() OpID { return OpCompleteReminder }

// OpID of WishListAdd.
func (WishListAdd) OpID() OpID { return OpWishListAdd }

// OpID of WishListRemove.
func (WishListRemove) OpID() OpID { return OpWishListRemove }

// changeCustomer applies change to the stored customer and saves it as an
// edit (stamped, journaled, queued for the server).
func (r *Register) changeCustomer(ctx context.Context, id string, op OpID, change func(c *customer.Customer, s customer.Stamp) error) (Result, error) {
	if strings.TrimSpace(id) == "" {
		return Result{}, poserr.E(poserr.Invalid, "error.customer.no_id", "choose the customer first")
	}
	cur, err := r.customer(ctx, strings.TrimSpace(id))
	if err != nil {
		return Result{}, err
	}
	c := cur
	c.Notes, c.Wishes = slices.Clone(cur.Notes), slices.Clone(cur.Wishes)
	if err := change(&c, r.stamp()); err != nil {
		return Result{}, err
	}
	saved, err := r.saveCustomer(ctx, c, op)
	if err != nil {
		return Result{}, err
	}
	return Result{Customer: &saved}, nil
}

// stamp is this till's stamp of an edit made now.
func (r *Register) stamp() customer.Stamp {
	return customer.Stamp{At: r.opt.Now().UTC(), By: r.setup.StoreID + "/" + r.setup.TerminalID}
}

// CustomerDetails opens a customer's page: the profile, the purchase
// history on this till (newest first), what they bought per product and
// the insights computed from it.
type CustomerDetails struct {
	ID    string // ID, customer number or loyalty card
	Limit int    // transactions listed; 0 = 50
}

// OpID of CustomerDetails.
func (CustomerDetails) OpID() OpID { return OpCustomerDetails }

// CustomerPage is what CustomerDetails returns.
type CustomerPage struct {
	Customer  customer.Customer
	Purchases []TxnSummary      // newest first
	Items     []customer.Item   // per product, most recently bought first
	Insights  customer.Insights // from this till's transactions and the other tills' history
	Loyalty   *LoyaltyInfo      // the customer's loyalty card and points; nil without a card or programme
	// ElsewhereAsOf is when the store server's history of the customer's
	// purchases at other tills was true (zero: none known, this till's
	// alone); ElsewhereLive says it came just now, else it is the one kept
	// last, and ElsewhereErr says why the server did not answer.
	ElsewhereAsOf time.Time
	ElsewhereLive bool
	ElsewhereErr  error
}

// customer finds a customer by ID, number or card, following a merged
// duplicate to the customer it was merged into.
func (r *Register) customer(ctx context.Context, key string) (customer.Customer, error) {
	c, err := r.store.Customer(ctx, key)
	if err == nil && c.MergedInto != "" {
		return r.store.Customer(ctx, c.MergedInto)
	}
	return c, err
}

// purchases are a customer's transactions (newest first) and items
// bought, their merged duplicates' included.
func (r *Register) purchases(ctx context.Context, cu customer.Customer) ([]TxnSummary, []customer.Item, error) {
	var txns []TxnSummary
	var items []customer.Item
	for _, no := range cu.Numbers() {
		t, err := r.store.FindTransactions(ctx, TxnQuery{Customer: no, Limit: customerVisits})
		if err != nil {
			return nil, nil, err
		}
		txns = append(txns, t...)
		its, err := r.store.PurchasedItems(ctx, no, customerItems)
		if err != nil {
			return nil, nil, err
		}
		items = mergeItems(items, its)
	}
	sortNewestFirst(txns)
	if len(items) > customerItems {
		items = items[:customerItems]
	}
	return txns, items, nil
}

// OpMergeCustomers merges a duplicate into a customer (ours, a manager's).
const OpMergeCustomers OpID = 4031

// MergeCustomers merges the duplicate Merge into Keep: Keep takes the
// values it lacks, the notes, the wish list and the duplicate's number
// (its transactions become Keep's history); the duplicate is left out of
// searches and leads to Keep. Every till follows after the next sync.
type MergeCustomers struct {
	Keep  string
	Merge string
}

// OpID of MergeCustomers.
func (MergeCustomers) OpID() OpID { return OpMergeCustomers }

func (r *Register) mergeCustomers(ctx context.Context, o MergeCustomers) (Result, error) {
	keep, err := r.customer(ctx, strings.TrimSpace(o.Keep))
	if err != nil {
		return Result{}, err
	}
	dup, err := r.store.Customer(ctx, strings.TrimSpace(o.Merge))
	if err != nil {
		return Result{}, err
	}
	switch {
	case dup.ID == keep.ID || dup.MergedInto == keep.ID:
		return Result{}, poserr.E(poserr.Invalid, "error.customer.merge_same", "choose two different customers to merge")
	case dup.MergedInto != "":
		return Result{}, poserr.E(poserr.Conflict, "error.customer.merged", "%s was merged into another customer already", dup.Name())
	}
	card := dup.LoyaltyCard
	// The duplicate first: it gives up its card (the kept customer may take
	// it) and leads to the kept one from now on.
	d := dup
	d.LoyaltyCard, d.MergedInto, d.Associate = "", keep.ID, ""
	if _, err := r.saveCustomer(ctx, d, OpMergeCustomers); err != nil {
		return Result{}, err
	}
	k := keep
	dup.LoyaltyCard = card
	k.Absorb(dup)
	saved, err := r.saveCustomer(ctx, k, OpMergeCustomers)
	if err != nil {
		return Result{}, err
	}
	return Result{Customer: &saved}, nil
}

// customerItems is how many products a customer's page sums.
const customerItems = 200

// customerVisits bounds the transactions insights read.
const customerVisits = 10_000

func (r *Register) customerPage(ctx context.Context, o CustomerDetails) (Result, error) {
	if strings.TrimSpace(o.ID) == "" {
		return Result{}, poserr.E(poserr.Invalid, "error.customer.no_id", "choose the customer first")
	}
	cu, err := r.customer(ctx, strings.TrimSpace(o.ID))
	if err != nil {
		return Result{}, err
	}
	txns, items, err := r.purchases(ctx, cu)
	if err != nil {
		return Result{}, err
	}
	visits := completedVisits(txns)
	page := &CustomerPage{Customer: cu}
	h, known, live, herr := r.elsewhere(ctx, cu)
	if herr != nil && poserr.KindOf(herr) == poserr.Storage {
		return Result{}, herr
	}
	if known {
		txns, visits, items = withElsewhere(txns, visits, items, h)
		page.ElsewhereAsOf = h.AsOf
	}
	page.ElsewhereLive, page.ElsewhereErr = live, herr
	limit := o.Limit
	if limit <= 0 {
		limit = 50
	}
	if len(txns) > limit {
		txns = txns[:limit]
	}
	if len(items) > customerItems {
		items = items[:customerItems]
	}
	for i := range items {
		if p, err := r.store.ByID(ctx, items[i].ProductID); err == nil {
			items[i].Name, items[i].Category = p.Name, p.Category
		} else {
			items[i].Name = items[i].ItemID // no longer in the catalog
		}
	}
	page.Purchases, page.Items = txns, items
	page.Insights = customer.Compute(visits, items, r.opt.Now(), r.setup.Currency.Digits)
	if cu.LoyaltyCard != "" && r.setup.Loyalty != nil {
		if page.Loyalty, err = r.loyaltyInfo(ctx, cu.LoyaltyCard); err != nil {
			return Result{}, err
		}
	}
	return Result{Customer: &cu, Page: page}, nil
}

// CustomerSearch finds customers on the till's copy, offline too: words of
// the name (each a prefix, diacritics folded), a phone number, an e-mail
// address, a loyalty card or customer number.
type CustomerSearch struct {
	Query string
	Limit int
}

// CreateCustomer adds a customer to the store's customers (created offline
// it is sent to the store server with the next sync). With AddToSale the
// new customer goes on the transaction.
type CreateCustomer struct {
	Customer  customer.Customer
	AddToSale bool
}

// EditCustomer changes a customer's profile. Customer.Version is the
// version edited: an edit of an older version is refused (someone else
// changed it meanwhile; search again).
type EditCustomer struct{ Customer customer.Customer }

// OpID of CustomerSearch.
func (CustomerSearch) OpID() OpID { return OpCustomerSearch }

// OpID of CreateCustomer.
func (CreateCustomer) OpID() OpID { return OpCreateCustomer }

// OpID of EditCustomer.
func (EditCustomer) OpID() OpID { return OpEditCustomer }

// AddCustomer puts a customer account on the open transaction (starting
// one if needed) and reprices it for the customer's price groups.
type AddCustomer struct{ ID string }

// ClearCustomer takes the customer off the open transaction.
type ClearCustomer struct{}

// OpID of AddCustomer.
func (AddCustomer) OpID() OpID { return OpAddCustomer }

// OpID of ClearCustomer.
func (ClearCustomer) OpID() OpID { return OpClearCustomer }

// MaxCustomerID bounds a customer account number.
const MaxCustomerID = 64

func (r *Register) setCustomer(ctx context.Context, id string) (Result, error) {
	id = strings.TrimSpace(id)
	if id != "" && (utf8.RuneCountInString(id) > MaxCustomerID || strings.ContainsFunc(id, func(c rune) bool { return c < ' ' })) {
		return Result{}, poserr.E(poserr.Invalid, "error.customer.id", "a customer account number has at most %d characters and no control characters", MaxCustomerID)
	}
	if id == "" && r.cart == nil {
		return Result{}, nil
	}
	c := r.openCart()
	if c.HasPayments() {
		return Result{}, poserr.E(poserr.Conflict, "error.cart.has_payments", "a payment is on the transaction: void the payment before changing the customer")
	}
	old, oldName := c.Customer, c.CustomerName
	c.Customer, c.CustomerName = id, ""
	var found *customer.Customer
	if id != "" {
		// A customer of the directory goes on by their customer number
		// (what price groups and the server know them by), with their name.
		if cu, err := r.customer(ctx, id); err == nil {
			c.Customer, c.CustomerName = cu.Number, cu.Name()
			found = &cu
		}
	}
	oldCard := c.Loyalty
	switch {
	case id == "":
		c.Loyalty = nil // the card goes with its customer
	case found != nil && found.LoyaltyCard != "" && r.setup.Loyalty != nil:
		c.Loyalty = &cart.Loyalty{Card: found.LoyaltyCard}
	}
	if err := r.reprice(); err != nil {
		c.Customer, c.CustomerName, c.Loyalty = old, oldName, oldCard
		return Result{}, err
	}
	return Result{Customer: found}, nil
}

// saveCustomer validates a profile and stores it with its journal entry.
func (r *Register) saveCustomer(ctx context.Context, c customer.Customer, op OpID) (customer.Customer, error) {
	c.Normalize()
	if err := c.Validate(); err != nil {
		return customer.Customer{}, err
	}
	now := r.opt.Now().UTC()
	opID := ""
	if r.operator != nil {
		opID = r.operator.ID
	}
	stamp := customer.Stamp{At: now, By: r.setup.StoreID + "/" + r.setup.TerminalID}
	if op == OpEditCustomer {
		// The form edits the profile; notes and the wish list have their
		// own operations.
		if old, err := r.store.Customer(ctx, c.ID); err == nil {
			c.Notes, c.Wishes = old.Notes, old.Wishes
		}
	}
	if op == OpCreateCustomer {
		c.ID, c.Number, c.Version = r.opt.NewID(), "", 1
		c.Created, c.CreatedBy = now, opID
		if c.Store == "" {
			c.Store = r.setup.StoreID
		}
		c.StampEdit(nil, stamp)
	} else {
		if strings.TrimSpace(c.ID) == "" {
			return customer.Customer{}, poserr.E(poserr.Invalid, "error.customer.no_id", "choose the customer to edit first")
		}
		old, err := r.store.Customer(ctx, c.ID)
		if err != nil {
			return customer.Customer{}, err
		}
		if c.Version != old.Version {
			return customer.Customer{}, poserr.E(poserr.Conflict, "error.customer.edited", "%s was changed meanwhile (at another till or by sync): search again and redo the edit", old.Name())
		}
		// The stored copy's stamps and history, whatever the form sent.
		c.StampEdit(&old, stamp)
		c.Version++
	}
	c.Updated, c.UpdatedBy = now, opID
	return r.store.SaveCustomer(ctx, c, r.entry(journal.CustomerSaved, op))
}

// customerOps registers the customer operations.
func customerOps(g *Registry) {
	builtin(g, OpSpec{ID: OpCustomerSearch, Name: "Customer search", Permission: perm(OpCustomerSearch), Offline: true, Group: GroupCustomer,
		Doc: "Find customers on the till's own copy, offline too: by name (prefixes, accents ignored), phone, e-mail, loyalty card or customer number."},
		func(r *Register, ctx context.Context, o CustomerSearch, _ *authority) (Result, error) {
			if strings.TrimSpace(o.Query) == "" {
				return Result{}, poserr.E(poserr.Invalid, "error.customer.query", "type part of the name, a phone number, an e-mail address or a card number")
			}
			found, err := r.store.SearchCustomers(ctx, customer.Query{Text: o.Query, Limit: o.Limit})
			if err != nil {
				return Result{}, err
			}
			found = slices.DeleteFunc(found, func(c customer.Customer) bool { return c.MergedInto != "" })
			return Result{Customers: found}, nil
		})
	builtin(g, OpSpec{ID: OpCreateCustomer, Name: "Create customer", Permission: perm(OpCreateCustomer), Offline: true, Group: GroupCustomer,
		Doc: "Add a customer: name, contact details, consent and loyalty card; searchable at once, sent to the store server with the next sync."},
		func(r *Register, ctx context.Context, o CreateCustomer, _ *authority) (Result, error) {
			c, err := r.saveCustomer(ctx, o.Customer, OpCreateCustomer)
			if err != nil {
				return Result{}, err
			}
			if o.AddToSale {
				if _, err := r.setCustomer(ctx, c.ID); err != nil {
					return Result{Customer: &c}, err
				}
			}
			return Result{Customer: &c}, nil
		})
	builtin(g, OpSpec{ID: OpEditCustomer, Name: "Edit customer", Permission: perm(OpEditCustomer), Offline: true, Group: GroupCustomer,
		Doc: "Change a customer's profile; an edit of a profile someone else changed meanwhile is refused."},
		func(r *Register, ctx context.Context, o EditCustomer, _ *authority) (Result, error) {
			c, err := r.saveCustomer(ctx, o.Customer, OpEditCustomer)
			if err != nil {
				return Result{}, err
			}
			if r.cart != nil && (r.cart.Customer == c.Number || r.cart.Customer == c.ID) {
				r.cart.CustomerName = c.Name()
			}
			return Result{Customer: &c}, nil
		})
	builtin(g, OpSpec{ID: OpCustomerDetails, Name: "Customer details", Permission: perm(OpCustomerDetails), Offline: true, Group: GroupCustomer,
		Doc: "The customer's page: profile, purchase history on this till, what they bought, and insights (spend, visits, segment, favourite categories, a suggestion)."},
		func(r *Register, ctx context.Context, o CustomerDetails, _ *authority) (Result, error) {
			return r.customerPage(ctx, o)
		})
	builtin(g, OpSpec{ID: OpAddCustomerNote, Name: "Customer note", Permission: perm(OpAddCustomerNote), Offline: true, Group: GroupCustomer,
		Doc: "Write a dated note, call, visit or reminder on the customer's page; every till sees it after the next sync."},
		func(r *Register, ctx context.Context, o AddCustomerNote, _ *authority) (Result, error) {
			return r.changeCustomer(ctx, o.CustomerID, OpAddCustomerNote, func(c *customer.Customer, s customer.Stamp) error {
				kind := o.Kind
				if kind == "" {
					kind = customer.NoteText
				}
				by := ""
				if r.operator != nil {
					by = r.operator.ID
				}
				n := customer.Note{ID: r.opt.NewID(), At: s.At, By: by, Till: s.By, Kind: kind, Text: strings.TrimSpace(o.Text), Due: o.Due}
				if err := n.Check(); err != nil {
					return err
				}
				c.Notes = append(c.Notes, n)
				return nil
			})
		})
	builtin(g, OpSpec{ID: OpCompleteReminder, Name: "Complete reminder", Permission: perm(OpAddCustomerNote), Offline: true, Group: GroupCustomer,
		Doc: "Mark a reminder on a customer's page done (with the permission to write notes)."},
		func(r *Register, ctx context.Context, o CompleteReminder, _ *authority) (Result, error) {
			return r.changeCustomer(ctx, o.CustomerID, OpCompleteReminder, func(c *customer.Customer, _ customer.Stamp) error {
				for i, n := range c.Notes {
					if n.ID == o.NoteID {
						c.Notes[i].Done = true
						return nil
					}
				}
				return poserr.E(poserr.NotFound, "error.customer.no_note", "the reminder is no longer on the customer's page: open it again")
			})
		})
	builtin(g, OpSpec{ID: OpWishListAdd, Name: "Add to wish list", Permission: perm(OpWishListAdd), Offline: true, Group: GroupCustomer,
		Doc: "Put a product on the customer's wish list (by barcode or item ID)."},
		func(r *Register, ctx context.Context, o WishListAdd, _ *authority) (Result, error) {
			p, _, err := r.resolve(ctx, o.Code, o.ProductID)
			if err != nil {
				return Result{}, err
			}
			return r.changeCustomer(ctx, o.CustomerID, OpWishListAdd, func(c *customer.Customer, s customer.Stamp) error {
				c.SetWish(p.ID, p.Name, true, s)
				return nil
			})
		})
	builtin(g, OpSpec{ID: OpWishListRemove, Name: "Remove from wish list", Permission: perm(OpWishListRemove), Offline: true, Group: GroupCustomer,
		Doc: "Take a product off the customer's wish list (also when it moves to the sale)."},
		func(r *Register, ctx context.Context, o WishListRemove, _ *authority) (Result, error) {
			return r.changeCustomer(ctx, o.CustomerID, OpWishListRemove, func(c *customer.Customer, s customer.Stamp) error {
				for _, w := range c.WishList() {
					if w.ProductID == o.ProductID {
						c.SetWish(w.ProductID, w.Name, false, s)
						return nil
					}
				}
				return poserr.E(poserr.NotFound, "error.customer.no_wish", "the product is not on the wish list")
			})
		})
	builtin(g, OpSpec{ID: OpMergeCustomers, Name: "Merge customers", Permission: perm(OpMergeCustomers), Offline: true, Group: GroupCustomer,
		Doc: "Merge a duplicate customer into another (a manager's): one profile, both purchase histories; every till follows after the next sync."},
		func(r *Register, ctx context.Context, o MergeCustomers, _ *authority) (Result, error) {
			return r.mergeCustomers(ctx, o)
		})
	builtin(g, OpSpec{ID: OpAddCustomer, Name: "Add customer", Permission: perm(OpAddCustomer), Offline: true, Group: GroupCustomer,
		Doc: "Put a customer account on the transaction: customer prices and promotions apply and the receipt names the customer."},
		func(r *Register, ctx context.Context, o AddCustomer, _ *authority) (Result, error) {
			if strings.TrimSpace(o.ID) == "" {
				return Result{}, poserr.E(poserr.Invalid, "error.customer.empty", "enter the customer's account number")
			}
			return r.setCustomer(ctx, o.ID)
		})
	builtin(g, OpSpec{ID: OpClearCustomer, Name: "Clear customer", Permission: perm(OpClearCustomer), Offline: true, Group: GroupCustomer,
		Doc: "Take the customer off the transaction; prices go back to the store's."},
		func(r *Register, ctx context.Context, _ ClearCustomer, _ *authority) (Result, error) {
			return r.setCustomer(ctx, "")
		})
}
