// Package storetest is the conformance suite every pos.Store passes, in the
// manner of restic's backend tests: the SQLite store in offline/store and
// the in-memory pos/memstore run the same cases, so a fake that tests lean
// on behaves as the real store does.
//
// It is test support: only _test.go files may import it (internal/archtest
// checks that), because it brings in testify.
package storetest

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/pos"
	"github.com/opentill/opentill/pos/catalog"
	"github.com/opentill/opentill/pos/journal"
	"github.com/opentill/opentill/pos/poserr"
	"github.com/opentill/opentill/pos/shift"
	"github.com/opentill/opentill/pos/staff"
)

// Seed is what a store holds before a case runs.
type Seed struct {
	// StoreID and TerminalID are saved as the till's setup; receipt numbers
	// are built from them. Empty: no setup is saved, and the cart's IDs are
	// used.
	StoreID, TerminalID string
	Products            []catalog.Product
	Roles               []staff.Role
	Operators           []staff.Operator // PasswordHash is an argon2id hash
	// Pepper is the store's PIN pepper (nil: none), which the peppered
	// hashes among Operators need.
	Pepper staff.Pepper
}

// Seeder is a store that can be seeded; offline/store and pos/memstore both are.
type Seeder interface {
	SaveSetup(ctx context.Context, setup pos.Setup) error
	PutProduct(ctx context.Context, p catalog.Product) error
	PutRole(ctx context.Context, r staff.Role) error
	PutOperator(ctx context.Context, o staff.Operator) error
	SetPINPepper(ctx context.Context, p staff.Pepper) error
}

// Apply puts the seed into st, failing t on any error.
func (sd Seed) Apply(t testing.TB, st Seeder) {
	t.Helper()
	if sd.StoreID != "" || sd.TerminalID != "" {
		require.NoError(t, st.SaveSetup(ctx, posSetup(sd.StoreID, sd.TerminalID)), "saving the setup")
	}
	for _, p := range sd.Products {
		require.NoError(t, st.PutProduct(ctx, p), "seeding product %s", p.ID)
	}
	for _, r := range sd.Roles {
		require.NoError(t, st.PutRole(ctx, r), "seeding role %s", r.ID)
	}
	for _, o := range sd.Operators {
		require.NoError(t, st.PutOperator(ctx, o), "seeding operator %s", o.ID)
	}
	if sd.Pepper != nil {
		require.NoError(t, st.SetPINPepper(ctx, sd.Pepper), "seeding the PIN pepper")
	}
}

func posSetup(storeID, terminalID string) pos.Setup {
	return pos.Setup{StoreID: storeID, TerminalID: terminalID}
}

// Open returns a fresh store holding seed, closed when t ends.
type Open func(t *testing.T, seed Seed) pos.Store

// Run runs the whole suite against the stores open makes. Every case opens
// a fresh store.
func Run(t *testing.T, open Open) {
	t.Run("Catalog", func(t *testing.T) { testCatalog(t, open) })
	t.Run("Seeding", func(t *testing.T) { testSeeding(t, open) })
	t.Run("Search", func(t *testing.T) { testSearch(t, open) })
	t.Run("Operators", func(t *testing.T) { testOperators(t, open) })
	t.Run("PINPepper", func(t *testing.T) { testPINPepper(t, open) })
	t.Run("Journal", func(t *testing.T) { testJournal(t, open) })
	t.Run("Commit", func(t *testing.T) { testCommit(t, open) })
	t.Run("Transaction", func(t *testing.T) { testTransaction(t, open) })
	t.Run("History", func(t *testing.T) { testHistory(t, open) })
	t.Run("Customers", func(t *testing.T) { testCustomers(t, open) })
	t.Run("Value", func(t *testing.T) { testValue(t, open) })
	t.Run("OfflineCards", func(t *testing.T) { testOfflineCards(t, open) })
	t.Run("Stock", func(t *testing.T) { testStock(t, open) })
	t.Run("Docs", func(t *testing.T) { testDocs(t, open) })
	t.Run("Orders", func(t *testing.T) { testOrders(t, open) })
	t.Run("HistoryCache", func(t *testing.T) { testHistoryCache(t, open) })
	t.Run("Suspend", func(t *testing.T) { testSuspend(t, open) })
	t.Run("Shifts", func(t *testing.T) { testShifts(t, open) })
	t.Run("CloseShift", func(t *testing.T) { testCloseShift(t, open) })
	t.Run("Concurrency", func(t *testing.T) { testConcurrency(t, open) })
}

var ctx = context.Background()

// t0 is the suite's wall clock.
var t0 = time.Date(2026, 11, 27, 9, 30, 0, 0, time.UTC)

// Store and terminal of the default seed.
const (
	StoreID    = "S1"
	TerminalID = "T1"
)

// Operators of the default seed and their PINs.
const (
	Cashier    = "1001" // PIN 1234, role cashier
	Manager    = "2001" // PIN 2468, role manager
	LockedOut  = "1002" // PIN 1234, locked after five failures
	CashierPIN = "1234"
	ManagerPIN = "2468"
)

var (
	hashOnce sync.Once
	hashes   map[string]string
)

// hash returns the argon2id hash of a PIN, computed once per run.
func hash(t testing.TB, pin string) string {
	hashOnce.Do(func() {
		hashes = map[string]string{}
		for _, p := range []string{CashierPIN, ManagerPIN} {
			h, err := staff.HashPassword(p, staff.FastParams)
			if err != nil {
				panic("hashing a test PIN: " + err.Error())
			}
			hashes[p] = h
		}
	})
	h, ok := hashes[pin]
	require.True(t, ok, "no test hash for PIN %s", pin)
	return h
}

// Default returns the suite's standard seed: store S1, terminal T1, a small
// catalog (variants, a weighed item, accented names, a product without
// barcodes), three roles and three operators.
func Default(t testing.TB) Seed {
	t.Helper()
	return Seed{
		StoreID: StoreID, TerminalID: TerminalID,
		Products: []catalog.Product{
			{ID: "10001", ItemID: "10001", Name: "Milch 3.5%", Category: "Dairy", Unit: "ea", Price: 129, TaxGroup: "RED", Barcodes: []string{"4006381333931"}},
			{ID: "10002", ItemID: "10002", Name: "Rotwein Côtes du Rhône", Category: "Wine", Unit: "ea", Price: 899, TaxGroup: "STD", Barcodes: []string{"4000417025005"}},
			{ID: "10042", ItemID: "10042", Name: "Bergkäse", Category: "Deli", Unit: "kg", Price: 1890, TaxGroup: "RED", Barcodes: []string{"2100042000001"}, Flags: catalog.Flags{Weighed: true}},
			{ID: "20001-S", ItemID: "20001", VariantID: "S", Size: "S", Color: "Navy", Name: "T-Shirt Basic", Category: "Clothing", Unit: "ea", Price: 1500, TaxGroup: "STD", Barcodes: []string{"4012345100011"}},
			{ID: "20001-M", ItemID: "20001", VariantID: "M", Size: "M", Color: "Navy", Name: "T-Shirt Basic", Category: "Clothing", Unit: "ea", Price: 1500, TaxGroup: "STD", Barcodes: []string{"4012345100028", "0012345100025"}},
			{ID: "20002", ItemID: "20002", Name: "Hoodie", Category: "Clothing", Department: "Men", Unit: "ea", Price: 4500, TaxGroup: "STD", Barcodes: []string{"4012345200016"}, Flags: catalog.Flags{NotReturnable: true}},
			{ID: "30001", ItemID: "30001", Name: "Dark Chocolate 70 %", Category: "Sweets", Unit: "ea", Price: 249, TaxGroup: "RED", Barcodes: []string{"4012345300015"}},
			{ID: "30002", ItemID: "30002", Name: "Crème fraîche", Category: "Dairy", Unit: "ea", Price: 119, TaxGroup: "RED", Barcodes: []string{"4012345300022"}, Flags: catalog.Flags{NoDiscount: true, NoOverride: true}},
			{ID: "30003", ItemID: "30003", Name: "Milk chocolate", Category: "Sweets", Unit: "ea", Price: 199, TaxGroup: "RED"},
		},
		Roles: []staff.Role{
			{ID: "cashier", Name: "Cashier", Permissions: []staff.Permission{100, 200, 201}, Limits: staff.Limits{MaxLineDiscountBP: 1000, MaxReturnAmount: 5000}},
			{ID: "manager", Name: "Manager", Manager: true, Permissions: []staff.Permission{100, 104, 200, 201, 1055}, Limits: staff.Limits{MaxLineDiscountBP: 10000, AllowPriceOverride: true}},
			{ID: "nothing", Name: "Nothing"},
		},
		Operators: []staff.Operator{
			{ID: Cashier, Name: "Alex", RoleID: "cashier", Language: "en", PasswordHash: hash(t, CashierPIN)},
			{ID: Manager, Name: "Morgan", RoleID: "manager", Language: "de", PasswordHash: hash(t, ManagerPIN)},
			{ID: LockedOut, Name: "Jana", RoleID: "cashier", PasswordHash: hash(t, CashierPIN), FailedLogins: 5, Locked: true},
		},
	}
}

// journalOf reads the whole journal through the port (the journal from
// sequence 0 on) and checks its hash chain.
func journalOf(t *testing.T, st pos.Store) []journal.Entry {
	t.Helper()
	es, err := st.ShiftJournal(ctx, shift.Shift{})
	require.NoError(t, err, "reading the journal")
	require.NoError(t, journal.Verify(es), "the journal's hash chain")
	return es
}

// requireKind checks that err is a domain error of kind k.
func requireKind(t *testing.T, err error, k poserr.Kind) {
	t.Helper()
	require.Error(t, err, "want an error of kind %s", k)
	require.Equal(t, k.String(), poserr.KindOf(err).String(), "error: %v", err)
}
