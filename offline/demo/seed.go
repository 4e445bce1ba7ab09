package demo

import (
	"context"
	"time"

	"github.com/opentill/opentill/offline/store"
	"github.com/opentill/opentill/pos/catalog"
	"github.com/opentill/opentill/pos/inventory"
	"github.com/opentill/opentill/pos/poserr"
	"github.com/opentill/opentill/pos/staff"
)

// Stats says what Seed stored.
type Stats struct {
	Products  int
	Roles     int
	Operators int
	Customers int
	Elapsed   time.Duration
}

// DemoCustomers is how many customers (Customers) the demo store has.
const DemoCustomers = 500

// Seed creates the demo store in the data folder dir: the setup, the
// promotions (Promotions), the staff (their PINs peppered with the
// folder's own PIN pepper, store.PepperFile, made if missing), DemoCustomers customers and n products (Products(n, DefaultSeed), so the same n always gives the
// same catalog). It refuses a folder whose store already holds products.
// progress, if not nil, is called with the products stored so far and n.
func Seed(ctx context.Context, dir string, n int, progress func(done, total int)) (Stats, error) {
	return SeedLocale(ctx, dir, n, "", progress)
}

// SeedLocale is Seed for the demo store of a locale (SetupFor, StaffFor):
// "" is the default store.
func SeedLocale(ctx context.Context, dir string, n int, tag string, progress func(done, total int)) (Stats, error) {
	setup, err := SetupFor(tag)
	if err != nil {
		return Stats{}, poserr.Wrap(err, poserr.Invalid, "error.seed.locale", "%v", err)
	}
	ops, err := StaffFor(tag)
	if err != nil {
		return Stats{}, poserr.Wrap(err, poserr.Invalid, "error.seed.locale", "%v", err)
	}
	start := time.Now()
	st, err := store.Open(dir)
	if err != nil {
		return Stats{}, err
	}
	// On the error paths the seed's own error is the one to report; on
	// success the explicit Close below is checked and this one is a no-op.
	defer st.Close()
	have, err := st.ProductCount(ctx)
	if err != nil {
		return Stats{}, err
	}
	if have > 0 {
		return Stats{}, poserr.E(poserr.Conflict, "error.seed.not_empty",
			"the data folder %s already holds a store with %d products: seed an empty folder", dir, have)
	}
	if err := st.SaveSetup(ctx, setup); err != nil {
		return Stats{}, err
	}
	if err := st.PutPromotions(ctx, Promotions(), setup.Currency.Digits); err != nil {
		return Stats{}, err
	}
	roles := Roles()
	for _, r := range roles {
		if err := st.PutRole(ctx, r); err != nil {
			return Stats{}, err
		}
	}
	// A till seeded without a store server peppers its operators' PINs
	// with a pepper of its own (pin.pepper beside the database).
	pepper, err := st.EnsurePINPepper(ctx)
	if err != nil {
		return Stats{}, err
	}
	for _, o := range ops {
		if o.PasswordHash, err = staff.HashPeppered(o.PIN, pepper, staff.FastParams); err != nil {
			return Stats{}, poserr.Wrap(err, poserr.Storage, "error.storage.pepper", "peppering the PIN of demo operator %s", o.ID)
		}
		if err := st.PutOperator(ctx, o.Operator); err != nil {
			return Stats{}, err
		}
	}
	if progress != nil {
		progress(0, n)
	}
	var report func(int)
	if progress != nil {
		report = func(done int) { progress(done, n) }
	}
	count, err := st.ImportProductsProgress(ctx, Products(n, DefaultSeed), report)
	if err != nil {
		return Stats{Products: count}, err
	}
	for _, b := range Images() {
		if _, err := st.PutImage(ctx, b); err != nil {
			return Stats{Products: count}, err
		}
	}
	customers, err := st.ImportCustomers(ctx, Customers(DemoCustomers, DefaultSeed), nil)
	if err != nil {
		return Stats{Products: count}, err
	}
	if err := st.ImportDocs(ctx, []inventory.Doc{PurchaseOrder(setup.StoreID, start)}); err != nil {
		return Stats{Products: count}, err
	}
	if err := st.Close(); err != nil {
		return Stats{}, poserr.Wrap(err, poserr.Storage, "error.storage.close", "closing the seeded store")
	}
	return Stats{Products: count, Roles: len(roles), Operators: len(ops), Customers: customers, Elapsed: time.Since(start)}, nil
}

// PurchaseOrder is the demo store's purchase order due today: featured
// products from the demo wholesaler, to receive on the stock screen.
func PurchaseOrder(storeID string, at time.Time) inventory.Doc {
	d := inventory.Doc{ID: "demo-po-1001", Kind: inventory.PurchaseOrder, Number: "PO-1001", From: "OpenTill Wholesale", To: storeID,
		Created: at.UTC(), DeliveryDate: at.UTC()}
	for i, p := range Featured[:4] {
		d.Lines = append(d.Lines, inventory.DocLine{ProductID: p.ID, Ordered: catalog.Qty(12*(i+1)) * catalog.One})
	}
	return d
}
