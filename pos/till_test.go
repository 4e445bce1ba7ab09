package pos_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/offline/store"
	"github.com/opentill/opentill/peripherals/paysim"
	"github.com/opentill/opentill/pos"
	"github.com/opentill/opentill/pos/cart"
	"github.com/opentill/opentill/pos/catalog"
	"github.com/opentill/opentill/pos/journal"
	"github.com/opentill/opentill/pos/memstore"
	"github.com/opentill/opentill/pos/money"
	"github.com/opentill/opentill/pos/receipt"
	"github.com/opentill/opentill/pos/staff"
	"github.com/opentill/opentill/pos/tax"
	"github.com/opentill/opentill/pos/tender"
)

// Test catalog: barcodes with valid check digits.
const (
	bcMilk    = "4006381333931" // 1.29, RED
	bcWine    = "4000417025005" // 8.99, STD
	bcCheese  = "2100042000001" // weighed, 18.90/kg, RED
	bcGiftBox = "4012345000016" // must key in price, STD
	bcNoDisc  = "4012345000023" // 3.50, no discount
	bcFinal   = "4012345000030" // 20.00, not returnable
	bcCoat    = "4012345000047" // 120.00, STD
)

var products = []catalog.Product{
	{ID: "10001", ItemID: "10001", Name: "Milch 3.5%", Category: "Dairy", Unit: "ea", Price: 129, TaxGroup: "RED", Barcodes: []string{bcMilk}},
	{ID: "10002", ItemID: "10002", Name: "Rotwein Côtes du Rhône", Category: "Wine", Unit: "ea", Price: 899, TaxGroup: "STD", Barcodes: []string{bcWine}},
	{ID: "10042", ItemID: "10042", Name: "Bergkäse", Category: "Deli", Unit: "kg", Price: 1890, TaxGroup: "RED", Barcodes: []string{bcCheese}, Flags: catalog.Flags{Weighed: true}},
	{ID: "10003", ItemID: "10003", Name: "Gift box", Category: "Service", Unit: "ea", Price: 0, TaxGroup: "STD", Barcodes: []string{bcGiftBox}, Flags: catalog.Flags{MustKeyInPrice: true}},
	{ID: "10004", ItemID: "10004", Name: "Tabak", Category: "Tobacco", Unit: "ea", Price: 350, TaxGroup: "STD", Barcodes: []string{bcNoDisc}, Flags: catalog.Flags{NoDiscount: true, NoOverride: true}},
	{ID: "10005", ItemID: "10005", Name: "Final sale shirt", Category: "Clothing", Unit: "ea", Price: 2000, TaxGroup: "STD", Barcodes: []string{bcFinal}, Flags: catalog.Flags{NotReturnable: true}},
	{ID: "10006", ItemID: "10006", Name: "Winter coat", Category: "Clothing", Unit: "ea", Price: 12000, TaxGroup: "STD", Barcodes: []string{bcCoat}},
}

func ops(ids ...pos.OpID) []staff.Permission {
	out := make([]staff.Permission, len(ids))
	for i, id := range ids {
		out[i] = staff.Permission(id)
	}
	return out
}

var cashierOps = ops(pos.OpProductSale, pos.OpPriceCheck, pos.OpVoidLine, pos.OpLineComment, pos.OpSetQuantity, pos.OpProductSearch,
	pos.OpReturnTransaction, pos.OpPayCash, pos.OpPayCard, pos.OpPayCashExact, pos.OpVoidPayment,
	pos.OpLineDiscountAmt, pos.OpLineDiscountPct, pos.OpTotalDiscountAmt, pos.OpTotalDiscountPct,
	pos.OpVoidTransaction, pos.OpTxnComment, pos.OpSuspend, pos.OpRecall)

func allOps() []staff.Permission {
	var ids []pos.OpID
	for _, o := range pos.NewRegistry().Specs() {
		ids = append(ids, o.ID)
	}
	return ops(ids...)
}

func testSetup(inclusive bool) pos.Setup {
	return pos.Setup{
		StoreID: "S1", StoreName: "Test Store", TerminalID: "T1", Currency: money.EUR,
		Tax: tax.Config{Inclusive: inclusive, Level: tax.PerLine, Round: money.HalfUp},
		TaxGroups: map[string]tax.Group{
			"STD": {ID: "STD", Codes: []tax.Code{{ID: "V19", Name: "VAT 19%", Rate: 190000}}},
			"RED": {ID: "RED", Codes: []tax.Code{{ID: "V7", Name: "VAT 7%", Rate: 70000}}},
		},
		Round: money.HalfUp,
		TenderTypes: []tender.Type{
			{ID: "cash", Name: "Cash", Kind: cart.Cash, GivesChange: true, AllowOvertender: true, AllowUndertender: true, RoundingStep: 5, OpensDrawer: true, AllowRefund: true},
			{ID: "card", Name: "Card", Kind: cart.Card, AllowUndertender: true, AllowRefund: true},
		},
		Header: receipt.Header{StoreName: "Test Store"},
	}
}

// tillStore is what the tests need of a till's store: the port, the
// seeding methods and the journal readers, which offline/store and
// pos/memstore both have.
type tillStore interface {
	pos.Store
	SaveSetup(ctx context.Context, setup pos.Setup) error
	PutProduct(ctx context.Context, p catalog.Product) error
	PutRole(ctx context.Context, r staff.Role) error
	PutOperator(ctx context.Context, o staff.Operator) error
	SetPINPepper(ctx context.Context, p staff.Pepper) error
	JournalEach(ctx context.Context, fn func(journal.Entry) error) error
	VerifyJournal(ctx context.Context) (int64, error)
	Close() error
}

var (
	_ tillStore = (*store.Store)(nil)
	_ tillStore = (*memstore.Store)(nil)
)

type till struct {
	*pos.Register
	store tillStore
	term  *paysim.Terminal
	dir   string // the SQLite data folder; empty for an in-memory till
	now   time.Time
}

// newTill builds a till on the in-memory store with the test catalog, a
// cashier (1001/1234, 10 % line and 5 % total discount, returns up to
// 50.00), a manager (2001/2468) and an associate (3001/1357).
func newTill(t *testing.T, inclusive bool) *till {
	t.Helper()
	return seedTill(t, memstore.New(), "", inclusive)
}

// newSQLiteTill builds the same till on a real SQLite store in a temp
// folder, for the tests that restart the till, kill it or read its file.
func newSQLiteTill(t *testing.T, inclusive bool) *till {
	t.Helper()
	dir := t.TempDir()
	s, err := store.Open(dir)
	require.NoError(t, err)
	return seedTill(t, s, dir, inclusive)
}

func seedTill(t *testing.T, s tillStore, dir string, inclusive bool) *till {
	t.Helper()
	ctx := context.Background()
	t.Cleanup(func() { s.Close() })
	setup := testSetup(inclusive)
	require.NoError(t, s.SaveSetup(ctx, setup))
	for _, p := range products {
		require.NoError(t, s.PutProduct(ctx, p))
	}
	roles := []staff.Role{
		{ID: "cashier", Name: "Cashier", Permissions: cashierOps, Limits: staff.Limits{MaxLineDiscountBP: 1000, MaxTotalDiscountBP: 500, MaxReturnAmount: 5000}},
		{ID: "manager", Name: "Manager", Manager: true, Permissions: allOps(), Limits: staff.Limits{MaxLineDiscountBP: 10000, MaxTotalDiscountBP: 5000, MaxReturnAmount: 1000000, AllowPriceOverride: true}},
		{ID: "associate", Name: "Associate", Permissions: ops(pos.OpProductSearch, pos.OpPriceCheck)},
	}
	for _, r := range roles {
		require.NoError(t, s.PutRole(ctx, r))
	}
	for _, o := range []struct{ id, name, role, pin string }{
		{"1001", "Alex", "cashier", "1234"}, {"2001", "Morgan", "manager", "2468"}, {"3001", "Sam", "associate", "1357"}, {"1002", "Jana", "cashier", "1234"},
	} {
		require.NoError(t, s.PutOperator(ctx, staff.Operator{ID: o.id, Name: o.name, RoleID: o.role, Language: "en", PasswordHash: pinHash(t, o.pin)}))
	}
	term := paysim.New()
	term.Timeout = 20 * time.Millisecond
	tl := &till{store: s, term: term, dir: dir, now: time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)}
	tl.Register = pos.NewRegister(setup, s, pos.Options{Terminal: term, Now: func() time.Time { tl.now = tl.now.Add(time.Second); return tl.now }})
	return tl
}

var pinHashes sync.Map // PIN → argon2id hash

// pinHash hashes a test PIN once per test binary: hashing is most of what
// building a till costs, and a shared salt is harmless in tests.
func pinHash(t *testing.T, pin string) string {
	t.Helper()
	if h, ok := pinHashes.Load(pin); ok {
		return h.(string)
	}
	h, err := staff.HashPassword(pin, staff.FastParams)
	require.NoError(t, err)
	pinHashes.Store(pin, h)
	return h
}

func (tl *till) do(t *testing.T, op pos.Operation) pos.Result {
	t.Helper()
	res, err := tl.Do(context.Background(), op)
	require.NoError(t, err, "%T %+v", op, op)
	return res
}

func (tl *till) fail(t *testing.T, op pos.Operation) error {
	t.Helper()
	_, err := tl.Do(context.Background(), op)
	require.Error(t, err, "%T %+v should fail", op, op)
	return err
}

// identity checks lines − discounts + exclusive tax = total and total + rounding = paid − change.
func identity(t *testing.T, c *cart.Cart) {
	t.Helper()
	tt := c.Totals
	var gross, disc, net money.Amount
	for _, l := range c.Active() {
		gross += l.Gross
		disc += l.PromoDiscount + l.LineDiscount + l.TotalDiscount
		net += l.Net
	}
	require.Equal(t, tt.Subtotal, gross)
	require.Equal(t, tt.Discounts, disc)
	require.Equal(t, tt.Total, gross-disc+tt.ExclusiveTax, "lines − discounts + exclusive tax = total")
	require.Equal(t, tt.Total, net+tt.ExclusiveTax)
	var taxSum money.Amount
	for _, s := range c.TaxSummary {
		taxSum += s.Amount
	}
	require.Equal(t, tt.Tax, taxSum)
	if c.Status == cart.Completed {
		var paid money.Amount
		for _, tn := range c.ActiveTenders() {
			paid += tn.Amount
		}
		require.Equal(t, tt.Total+tt.Rounding, paid-tt.Change, "total + rounding = tenders − change")
	}
}
