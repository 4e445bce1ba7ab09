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
	"github.com/opentill/opentill/pos/customer"
	"github.com/opentill/opentill/pos/loyalty"
	"github.com/opentill/opentill/pos/money"
	"github.com/opentill/opentill/pos/poserr"
	"github.com/opentill/opentill/pos/tender"
)

// loyaltyTill is a till of the test store with a loyalty programme: a
// point a euro, double on wine, 1 cent a point, and at most 300 points
// redeemed before the server confirms them.
func loyaltyTill(t *testing.T, open func(*testing.T, bool) *till) *till {
	t.Helper()
	tl := open(t, true)
	setup := testSetup(true)
	setup.Loyalty = &loyalty.Programme{Name: "Club", PointsPerUnit: 1, CategoryBP: map[string]int64{"Wine": 20000}, PointValue: 1, OfflineCap: 300}
	setup.TenderTypes = append(setup.TenderTypes, tender.Type{ID: "PTS", Name: "Points", Kind: cart.Points, AllowUndertender: true})
	tl.Register = pos.NewRegister(setup, tl.store, pos.Options{Terminal: tl.term, Now: func() time.Time { tl.now = tl.now.Add(time.Second); return tl.now }})
	tl.do(t, pos.SignIn{OperatorID: "2001", Secret: "2468"})
	tl.do(t, pos.OpenShift{StartAmount: 10000})
	return tl
}

var stores = map[string]func(*testing.T, bool) *till{"memory": newTill, "sqlite": newSQLiteTill}

func TestLoyaltyEarnAndRedeem(t *testing.T) {
	for name, open := range stores {
		t.Run(name, func(t *testing.T) { testEarnAndRedeem(t, loyaltyTill(t, open)) })
	}
}

func testEarnAndRedeem(t *testing.T, tl *till) {
	cu := tl.do(t, pos.CreateCustomer{Customer: customer.Customer{FirstName: "Lena", LastName: "Punkt", LoyaltyCard: "LC-1"}}).Customer

	// The customer's card comes with the customer.
	tl.do(t, pos.AddCustomer{ID: cu.ID})
	require.NotNil(t, tl.Cart().Loyalty)
	assert.Equal(t, "LC-1", tl.Cart().Loyalty.Card)
	tl.do(t, pos.ProductSale{Barcode: bcWine, Qty: 3 * catalog.One}) // 26.97 on wine: double
	tl.do(t, pos.ProductSale{Barcode: bcMilk})                       // 1.29
	done := tl.do(t, pos.PayCashExact{}).Completed
	require.NotNil(t, done.Loyalty)
	assert.Equal(t, int64(55), done.Loyalty.Earned, "⌊26.97 × 2 + 1.29⌋ booked with the sale")
	info := tl.do(t, pos.LoyaltyPoints{Card: "LC-1"}).Loyalty
	assert.Equal(t, int64(55), info.Balance.Points())
	assert.Equal(t, int64(55), info.Redeemable)

	// A card alone (no customer) and paying with points: the points cover
	// 0.55 of 8.99; what points paid earns nothing.
	tl.do(t, pos.LoyaltyCard{Card: "LC-1"})
	tl.do(t, pos.ProductSale{Barcode: bcWine})
	tl.do(t, pos.PayLoyalty{})
	c := tl.Cart()
	require.Len(t, c.Tenders, 1)
	assert.Equal(t, money.Amount(55), c.Tenders[0].Amount)
	assert.Equal(t, int64(55), c.Tenders[0].Points)
	done = tl.do(t, pos.PayCashExact{}).Completed
	assert.Equal(t, int64(55), done.Loyalty.Redeemed)
	assert.Equal(t, int64(16), done.Loyalty.Earned, "⌊(8.99 − 0.55) × 2⌋")
	identity(t, done)
	assert.Equal(t, int64(16), tl.do(t, pos.LoyaltyPoints{Card: "LC-1"}).Loyalty.Balance.Points())

	// Asking for more than the points cover is refused and loses nothing.
	tl.do(t, pos.LoyaltyCard{Card: "LC-1"})
	tl.do(t, pos.ProductSale{Barcode: bcWine})
	err := tl.fail(t, pos.PayLoyalty{Amount: 500})
	assert.Equal(t, poserr.Invalid, poserr.KindOf(err))
	assert.Len(t, tl.Cart().Lines, 1)
	tl.do(t, pos.VoidTransaction{})
	assert.Equal(t, int64(16), tl.do(t, pos.LoyaltyPoints{Card: "LC-1"}).Loyalty.Balance.Points(), "a voided sale moves no points")
}

func TestLoyaltyOfflineCap(t *testing.T) {
	for name, open := range stores {
		t.Run(name, func(t *testing.T) { testOfflineCap(t, loyaltyTill(t, open)) })
	}
}

func testOfflineCap(t *testing.T, tl *till) {
	tl.do(t, pos.LoyaltyCard{Card: "LC-2"})
	tl.do(t, pos.ProductSale{Barcode: bcWine, Qty: 30 * catalog.One}) // 269.70 on wine: 539 points
	tl.do(t, pos.PayCashExact{})
	info := tl.do(t, pos.LoyaltyPoints{Card: "LC-2"}).Loyalty
	assert.Equal(t, int64(539), info.Balance.Points())
	assert.Equal(t, int64(300), info.Redeemable, "no more than the offline cap before the server confirms")

	tl.do(t, pos.LoyaltyCard{Card: "LC-2"})
	tl.do(t, pos.ProductSale{Barcode: bcWine})
	tl.do(t, pos.PayLoyalty{Amount: 200})
	err := tl.fail(t, pos.PayLoyalty{Amount: 200})
	assert.Contains(t, err.Error(), "at most", "only 100 of the cap is left on this transaction")
	tl.do(t, pos.PayLoyalty{Amount: 100})
	tl.do(t, pos.PayCashExact{})
	info = tl.do(t, pos.LoyaltyPoints{Card: "LC-2"}).Loyalty
	assert.Equal(t, int64(300), info.Balance.Unconfirmed)
	assert.Zero(t, info.Redeemable, "the cap is used up until the server counts these")
	_, err = tl.Do(context.Background(), pos.LoyaltyPoints{})
	assert.Error(t, err, "no card given, none on the sale")
}
