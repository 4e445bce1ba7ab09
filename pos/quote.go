package pos

import (
	"context"
	"github.com/opentill/opentill/pos/inventory"
	"github.com/opentill/opentill/pos/loyalty"
	"github.com/opentill/opentill/pos/order"
	"github.com/opentill/opentill/pos/recommend"
	"time"

	"github.com/opentill/opentill/pos/cart"
	"github.com/opentill/opentill/pos/catalog"
	"github.com/opentill/opentill/pos/customer"
	"github.com/opentill/opentill/pos/journal"
	"github.com/opentill/opentill/pos/money"
	"github.com/opentill/opentill/pos/poserr"
	"github.com/opentill/opentill/pos/staff"
	"github.com/opentill/opentill/pos/storedvalue"
	"github.com/opentill/opentill/pos/tender"
)

// Quote prices a cart without a signed-in operator and without storing
// anything: the operations (product sales, quantities, discounts, price
// overrides) run through the same handlers as at the till, with no
// permission limits. It is what `posctl price` and price checks of whole
// carts use.
func Quote(ctx context.Context, setup Setup, lookup catalog.Lookup, ops []Operation) (*cart.Cart, error) {
	r := NewRegister(setup, quoteStore{lookup}, Options{NewID: func() string { return "quote" }})
	r.quote = true
	perms := r.ops.Permissions()
	r.operator = &staff.Operator{ID: "quote", Name: "Quote"}
	r.role = staff.Role{ID: "quote", Permissions: perms, Limits: staff.Limits{
		MaxLineDiscountBP: 10000, MaxTotalDiscountBP: 10000, MaxReturnAmount: 1 << 62, AllowPriceOverride: true}}
	for i, op := range ops {
		if op == nil {
			return nil, poserr.E(poserr.Invalid, "error.op.missing", "step %d: no operation given", i+1)
		}
		if spec, ok := r.ops.specs[op.OpID()]; !ok || !spec.Quote {
			return nil, poserr.E(poserr.Invalid, "error.quote.op", "step %d: a quote can only add items, set quantities, prices, discounts and coupons", i+1)
		}
		// Lines are priced once, not after every step (a 10,000-line cart
		// would cost O(n²)), except before a step that reads prices.
		r.deferPrice = !readsPrices(op)
		if !r.deferPrice && r.cart != nil {
			if err := r.reprice(); err != nil {
				return nil, err
			}
		}
		if _, err := r.Do(ctx, op); err != nil {
			return nil, err
		}
	}
	r.deferPrice = false
	if r.cart != nil {
		if err := r.reprice(); err != nil {
			return nil, err
		}
	}
	c := r.Cart()
	if c == nil {
		c = &cart.Cart{ID: "quote", Currency: setup.Currency, Status: cart.Open}
		if err := c.Reprice(setup.Pricing()); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// quoteStore answers lookups and refuses everything that would store.
type quoteStore struct{ catalog.Lookup }

var errQuote = poserr.E(poserr.Conflict, "error.quote.store", "a quote does not store anything")

func (quoteStore) Operator(context.Context, string) (staff.Operator, error) {
	return staff.Operator{}, errQuote
}
func (quoteStore) Role(context.Context, string) (staff.Role, error) { return staff.Role{}, errQuote }
func (quoteStore) SetOperatorState(context.Context, string, int, bool, journal.Entry) error {
	return errQuote
}
func (quoteStore) PINPepper(context.Context) (staff.Pepper, error)          { return nil, errQuote }
func (quoteStore) Commit(context.Context, *cart.Cart, journal.Entry) error  { return errQuote }
func (quoteStore) Suspend(context.Context, *cart.Cart, journal.Entry) error { return errQuote }
func (quoteStore) Recall(context.Context, string, journal.Entry) (*cart.Cart, error) {
	return nil, errQuote
}
func (quoteStore) Suspended(context.Context) ([]SuspendedCart, error) { return nil, errQuote }
func (quoteStore) Transaction(context.Context, string) (*cart.Cart, map[int]catalog.Qty, error) {
	return nil, nil, errQuote
}
func (quoteStore) SaveCustomer(context.Context, customer.Customer, journal.Entry) (customer.Customer, error) {
	return customer.Customer{}, errQuote
}
func (quoteStore) Customer(context.Context, string) (customer.Customer, error) {
	return customer.Customer{}, errQuote
}
func (quoteStore) SearchCustomers(context.Context, customer.Query) ([]customer.Customer, error) {
	return nil, errQuote
}
func (quoteStore) PurchasedItems(context.Context, string, int) ([]customer.Item, error) {
	return nil, errQuote
}
func (quoteStore) OfflineCardTotals(context.Context, time.Time) (money.Amount, money.Amount, error) {
	return 0, 0, nil
}
func (quoteStore) OfflineCards(context.Context, bool) ([]OfflineCard, error) { return nil, nil }
func (quoteStore) RecordForwarded(context.Context, []tender.Forwarded, journal.Entry) error {
	return errQuote
}
func (quoteStore) ValueBalance(_ context.Context, k storedvalue.Kind, n string) (storedvalue.Balance, error) {
	return storedvalue.Balance{Kind: k, Number: n}, nil
}
func (quoteStore) NoteValueBalance(context.Context, storedvalue.Known) error { return errQuote }
func (quoteStore) LoyaltyBalance(context.Context, string) (loyalty.Balance, error) {
	return loyalty.Balance{}, errQuote
}
func (quoteStore) Recommendations(context.Context, []string) (recommend.Model, error) {
	return recommend.Model{}, errQuote
}
func (quoteStore) ClientBook(context.Context, string) ([]customer.Customer, error) {
	return nil, errQuote
}
func (quoteStore) FindTransactions(context.Context, TxnQuery) ([]TxnSummary, error) {
	return nil, errQuote
}
func (quoteStore) AppendJournal(context.Context, journal.Entry) error { return errQuote }

// readsPrices reports whether an operation's handler reads the cart's
// current prices or totals (so a quote prices the cart before it).
func readsPrices(op Operation) bool {
	switch o := op.(type) {
	case LineDiscount:
		return o.Amount != 0
	case TotalDiscount, PriceOverride, ReturnTransaction, Approved:
		return true
	}
	return false
}

func (quoteStore) StockLevel(context.Context, string) (inventory.Level, error) {
	return inventory.Level{}, errQuote
}
func (quoteStore) KnownLevels(context.Context, string) ([]inventory.Level, error) {
	return nil, errQuote
}
func (quoteStore) RememberLevels(context.Context, []inventory.Level) error { return errQuote }
func (quoteStore) AdjustStock(context.Context, inventory.AdjustmentRecord, journal.Entry) error {
	return errQuote
}
func (quoteStore) StockCounts(context.Context) ([]inventory.Count, error) { return nil, errQuote }
func (quoteStore) StockCount(context.Context, string) (inventory.Count, []inventory.CountLine, error) {
	return inventory.Count{}, nil, errQuote
}
func (quoteStore) StartCount(context.Context, inventory.Count, journal.Entry) error { return errQuote }
func (quoteStore) CountProduct(context.Context, string, string, catalog.Qty, bool, bool, time.Time) (inventory.CountLine, error) {
	return inventory.CountLine{}, errQuote
}
func (quoteStore) PostCount(context.Context, string, string, time.Time, journal.Entry) error {
	return errQuote
}
func (quoteStore) CountOf(context.Context, string) (inventory.Count, error) {
	return inventory.Count{}, errQuote
}
func (quoteStore) StockDocs(context.Context) ([]inventory.Doc, error) { return nil, errQuote }
func (quoteStore) StockDoc(context.Context, string) (inventory.Doc, []inventory.PostLine, error) {
	return inventory.Doc{}, nil, errQuote
}
func (quoteStore) StartTransfer(context.Context, inventory.Doc) error { return errQuote }
func (quoteStore) WorkDoc(context.Context, string, string, catalog.Qty, bool, time.Time) (inventory.PostLine, error) {
	return inventory.PostLine{}, errQuote
}
func (quoteStore) SendTransfer(context.Context, inventory.Doc, *inventory.DocPost, journal.Entry) error {
	return errQuote
}
func (quoteStore) PostDoc(context.Context, inventory.DocPost, journal.Entry) error { return errQuote }

func (quoteStore) Orders(context.Context) ([]order.Order, error) { return nil, nil }
func (quoteStore) Order(context.Context, string) (order.Order, error) {
	return order.Order{}, errQuote
}
func (quoteStore) SaveOrderEvent(context.Context, order.Event, journal.Entry) error { return errQuote }

func (quoteStore) RememberHistory(context.Context, string, CustomerHistory) error { return errQuote }
func (quoteStore) KnownHistory(context.Context, string) (CustomerHistory, bool, error) {
	return CustomerHistory{}, false, nil
}

func (quoteStore) ReturnedOf(context.Context, string) (map[int]catalog.Qty, error) {
	return nil, errQuote
}
