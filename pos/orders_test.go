package pos_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/pos"
	"github.com/opentill/opentill/pos/cart"
	"github.com/opentill/opentill/pos/catalog"
	"github.com/opentill/opentill/pos/money"
	"github.com/opentill/opentill/pos/order"
	"github.com/opentill/opentill/pos/poserr"
)

// orderTill is a till whose store asks a 20 % deposit and charges 10 % to
// cancel, on both stores.
func orderTills(t *testing.T) map[string]func() *till {
	mk := func(build func(*testing.T, bool) *till) func() *till {
		return func() *till {
			tl := build(t, true)
			s := tl.Setup()
			s.Orders = &order.Settings{DepositPercent: 2000, CancelPercent: 1000}
			tl.Register = pos.NewRegister(s, tl.store, pos.Options{Terminal: tl.term, Now: func() time.Time { tl.now = tl.now.Add(1e9); return tl.now }})
			return tl
		}
	}
	return map[string]func() *till{"memory": mk(newTill), "sqlite": mk(newSQLiteTill)}
}

func TestCustomerOrderPickupHere(t *testing.T) {
	for name, build := range orderTills(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			tl := build()
			tl.do(t, pos.SignIn{OperatorID: "2001", Secret: "2468"})
			tl.do(t, pos.OpenShift{StartAmount: 10000})
			tl.do(t, pos.ProductSale{Barcode: bcCoat}) // 120.00
			tl.do(t, pos.ProductSale{Barcode: bcMilk}) // 1.29, carried out
			err := tl.fail(t, pos.PickupAll{})
			require.Equal(t, poserr.Conflict, poserr.KindOf(err), "no order yet")
			require.Equal(t, poserr.Invalid, poserr.KindOf(tl.fail(t, pos.CreateOrder{})), "whose order?")
			tl.do(t, pos.CreateOrder{Name: "Ada Lovelace", Phone: "+49 30 1234"})
			res := tl.do(t, pos.PickupSelected{Delivery: pos.Delivery{Lines: []int{1}}})
			require.Len(t, res.Order.Lines, 1)
			require.Equal(t, money.Amount(12000), res.Order.Lines[0].Amount)
			require.Equal(t, money.Amount(2400), res.Order.Deposit, "20 %% of 120.00")
			c := tl.Cart()
			require.Len(t, c.Active(), 2, "the milk and the deposit")
			for _, op := range []pos.Operation{pos.VoidLine{Line: 3}, pos.PriceOverride{Line: 3, Price: 1}, pos.SetQuantity{Line: 3, Qty: 2 * catalog.One}} {
				require.Equal(t, poserr.Conflict, poserr.KindOf(tl.fail(t, op)), "the deposit line is the order's: %T", op)
			}
			require.Equal(t, money.Amount(129+2400), c.Totals.Total)
			require.Equal(t, money.Amount(0), c.Active()[1].Tax, "a deposit is not taxed")
			identity(t, c)

			done := tl.do(t, pos.PayCash{Amount: 3000}).Completed
			require.NotNil(t, done)
			identity(t, done)
			o, err := tl.store.Order(ctx, res.Order.ID)
			require.NoError(t, err)
			require.Equal(t, money.Amount(2400), o.Paid)
			require.Equal(t, order.Created, o.Status())
			require.Equal(t, "S1", o.Lines[0].Store)

			// Picked, then collected: the balance is 96.00.
			tl.do(t, pos.PickLines{ID: o.ID})
			tl.do(t, pos.RecallOrder{ID: o.ID, Collect: true})
			c = tl.Cart()
			require.Equal(t, money.Amount(12000-2400), c.Totals.Total)
			require.Equal(t, money.Amount(1916), c.Totals.Tax, "the coat's tax is due when it is handed over")
			identity(t, c)
			err = tl.fail(t, pos.LineDiscount{Line: 1, Percent: 1000})
			require.Equal(t, poserr.Conflict, poserr.KindOf(err), "an order line keeps its price")
			done = tl.do(t, pos.PayCashExact{}).Completed
			identity(t, done)
			pickup := done.ReceiptNo
			o, err = tl.store.Order(ctx, o.ID)
			require.NoError(t, err)
			require.Equal(t, order.Completed, o.Status())
			require.Equal(t, money.Amount(0), o.Paid)

			require.Equal(t, poserr.Conflict, poserr.KindOf(tl.fail(t, pos.RecallOrder{ID: o.ID, Collect: true})))

			// The X report keeps the deposit out of the sales.
			x := tl.do(t, pos.PrintXReport{}).Report
			require.Equal(t, money.Amount(2400), x.Deposits)
			require.Equal(t, money.Amount(2400), x.DepositsSettled)
			require.Equal(t, money.Amount(12000+129), x.Sales)
			require.Equal(t, money.Amount(12000+129), x.NetSales)
			require.Equal(t, money.Amount(12000+129)+x.Rounding, x.Tender("cash").Tendered-x.Tender("cash").Change, "cash = sales + deposits − deposits settled + rounding")

			// The coat comes back on the pick-up's receipt: all 120.00 is
			// refunded (deposit and balance); the deposit line is not returnable.
			tl.do(t, pos.ReturnTransaction{ReceiptNo: pickup}) // everything returnable
			rc := tl.Cart()
			require.Len(t, rc.Active(), 1, "only the coat")
			require.Equal(t, -catalog.One, rc.Active()[0].Qty)
			require.Equal(t, money.Amount(-12000), rc.Totals.Total)
		})
	}
}

func TestCustomerOrderDepositOverrideAndCancel(t *testing.T) {
	for name, build := range orderTills(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			tl := build()
			tl.do(t, pos.SignIn{OperatorID: "1001", Secret: "1234"})
			tl.do(t, pos.ProductSale{Barcode: bcCoat})
			err := tl.fail(t, pos.CreateOrder{Name: "Ada"})
			require.Equal(t, poserr.NotPermitted, poserr.KindOf(err), "a cashier without the permission")
			tl.do(t, pos.VoidTransaction{})
			tl.do(t, pos.SignOut{})
			tl.do(t, pos.SignIn{OperatorID: "2001", Secret: "2468"})
			tl.do(t, pos.ProductSale{Barcode: bcCoat})
			tl.do(t, pos.ProductSale{Barcode: bcWine})
			tl.do(t, pos.CreateOrder{Name: "Ada"})
			err = tl.fail(t, pos.ShipSelected{Delivery: pos.Delivery{Lines: []int{2}}})
			require.Equal(t, poserr.Invalid, poserr.KindOf(err), "no address")
			tl.do(t, pos.ShipSelected{Delivery: pos.Delivery{Lines: []int{2}, Address: "1 Main St"}})
			res := tl.do(t, pos.PickupSelected{Delivery: pos.Delivery{Lines: []int{1}, Store: "S2"}})
			require.Equal(t, money.Amount(899+2400), res.Order.Deposit, "a line to ship is paid in full")
			err = tl.fail(t, pos.DepositOverride{Amount: 500})
			require.Equal(t, poserr.Invalid, poserr.KindOf(err), "less than the line to ship")
			var pe *poserr.Error
			require.ErrorAs(t, err, &pe)
			assert.Equal(t, tl.Setup().Header.Format().Money(899, money.EUR), pe.Args["least"], "amounts in messages in the store's locale")
			assert.NotContains(t, pe.Args["least"], "EUR")
			res = tl.do(t, pos.DepositOverride{Amount: 5000})
			require.Equal(t, money.Amount(5000), res.Order.Deposit)
			require.Equal(t, money.Amount(5000), tl.Cart().Totals.Total)
			paid := tl.do(t, pos.PayCashExact{})
			text := paid.Receipt.Text(42)
			for _, want := range []string{"Customer order " + res.Order.Number, "Ada", "Pick up at S2", "Ship to 1 Main St", "Order total", "Balance due", "Order deposit " + res.Order.Number} {
				require.Contains(t, text, want, "the deposit receipt says what was ordered and what is left to pay")
			}
			id := res.Order.ID
			o, err := tl.store.Order(ctx, id)
			require.NoError(t, err)
			require.Equal(t, money.Amount(5000), o.Paid)
			require.Equal(t, []string{"S1", "S2"}, o.Stores())

			// This store ships the wine: pick, pack, ship.
			require.Error(t, tl.fail(t, pos.ShipLines{ID: id}), "not packed")
			tl.do(t, pos.PickLines{ID: id})
			tl.do(t, pos.PackLines{ID: id})
			o = *tl.do(t, pos.ShipLines{ID: id}).Order
			require.Equal(t, money.Amount(5000-899), o.Paid)
			require.Equal(t, order.Partial, o.Status())

			// Cancelled: 10 % of the coat's 120.00 is kept.
			done := tl.do(t, pos.CancelOrder{ID: id})
			require.Nil(t, done.Completed, "a refund is due")
			c := tl.Cart()
			require.Equal(t, money.Amount(-(5000 - 899 - 1200)), c.Totals.Total)
			done = tl.do(t, pos.PayCashExact{})
			identity(t, done.Completed)
			o, err = tl.store.Order(ctx, id)
			require.NoError(t, err)
			require.Equal(t, order.Cancelled, o.Status())
			require.Equal(t, money.Amount(1200), o.CancelCharge)
			require.Equal(t, money.Amount(0), o.Paid)
			require.Empty(t, o.Reserved("S2"))
		})
	}
}

func TestQuotation(t *testing.T) {
	for name, build := range orderTills(t) {
		t.Run(name, func(t *testing.T) {
			tl := build()
			tl.do(t, pos.SignIn{OperatorID: "2001", Secret: "2468"})
			tl.do(t, pos.ProductSale{Barcode: bcCoat})
			tl.do(t, pos.LineDiscount{Line: 1, Percent: 1000})
			q := tl.do(t, pos.CreateQuote{Name: "Ada"}).Order
			require.True(t, q.Quote)
			require.Nil(t, tl.Cart(), "nothing is sold")
			require.Equal(t, money.Amount(10800), q.Total())
			list := tl.do(t, pos.RecallOrder{Query: "ada"}).Orders
			require.Len(t, list, 1)
			require.Equal(t, order.Quoted, list[0].Status())
			tl.do(t, pos.RecallOrder{ID: q.ID})
			c := tl.Cart()
			require.Equal(t, money.Amount(10800), c.Totals.Total, "the quoted price stands")
			require.Equal(t, cart.Open, c.Status)
		})
	}
}

// A lookup of a variant shows the item's other variants with their stock.
func TestInventoryLookupShowsVariants(t *testing.T) {
	for name, build := range orderTills(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			tl := build()
			for i, v := range []struct{ id, size, code string }{{"20001-BLK-S", "S", "4012345000054"}, {"20001-BLK-M", "M", "4012345000061"}, {"20001-BLK-L", "L", "4012345000078"}} {
				require.NoError(t, tl.store.PutProduct(ctx, catalog.Product{ID: v.id, ItemID: "20001", VariantID: "BLK-" + v.size, Color: "Black", Size: v.size,
					Name: "Tee Black " + v.size, Unit: "ea", Price: 1500, TaxGroup: "STD", Barcodes: []string{v.code}}), i)
			}
			tl.do(t, pos.SignIn{OperatorID: "2001", Secret: "2468"})
			tl.do(t, pos.StockAdjustment{ProductID: "20001-BLK-L", Qty: 4 * catalog.One, Reason: "found"})
			info := tl.do(t, pos.InventoryLookup{ProductID: "20001-BLK-M"}).Inventory
			require.Len(t, info.Variants, 2, "the other sizes")
			assert.Equal(t, "20001-BLK-L", info.Variants[0].Product.ID)
			assert.Equal(t, 4*catalog.One, info.Variants[0].Here.OnHand)
			assert.Equal(t, "20001-BLK-S", info.Variants[1].Product.ID)
			assert.Empty(t, tl.do(t, pos.InventoryLookup{Barcode: bcMilk}).Inventory.Variants, "a product without variants")
		})
	}
}
