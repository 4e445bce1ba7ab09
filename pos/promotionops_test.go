package pos_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/peripherals/paysim"
	"github.com/opentill/opentill/pos"
	"github.com/opentill/opentill/pos/money"
	"github.com/opentill/opentill/pos/poserr"
	"github.com/opentill/opentill/pos/pricing"
)

// tillWith is a till whose setup carries a promotions document.
func tillWith(t *testing.T, doc string) *till {
	tl := newTill(t, true)
	e, err := pricing.Decode(strings.NewReader(doc), 2)
	require.NoError(t, err)
	setup := tl.Setup()
	setup.Promotions = e
	tl.Register = pos.NewRegister(setup, tl.store, pos.Options{Terminal: tl.term, Now: func() time.Time { tl.now = tl.now.Add(time.Second); return tl.now }})
	tl.do(t, pos.SignIn{OperatorID: "2001", Secret: "2468"})
	return tl
}

func TestSystemDiscountOperations(t *testing.T) {
	tl := promoTill(t)
	tl.do(t, pos.SignIn{OperatorID: "2001", Secret: "2468"})
	tl.do(t, pos.ProductSale{Barcode: bcWine})
	with := tl.Cart().Totals.Total
	tl.do(t, pos.RemoveSystemDiscounts{})
	assert.Equal(t, money.Amount(899), tl.Cart().Totals.Total, "311: no promotion")
	assert.Empty(t, tl.Cart().Line(1).Promotions)
	tl.do(t, pos.ReapplySystemDiscounts{})
	assert.Equal(t, with, tl.Cart().Totals.Total, "312: back")

	res := tl.do(t, pos.ViewAllDiscounts{})
	var ids []string
	for _, d := range res.Discounts {
		ids = append(ids, d.ID)
	}
	assert.Equal(t, []string{"WINE10", "WINE1", "MILK3", "OUTFIT", "SPEND50", "CHEESE"}, ids, "645: every promotion valid now")
	res = tl.do(t, pos.ViewApplicableDiscounts{})
	ids = ids[:0]
	for _, d := range res.Discounts {
		ids = append(ids, d.ID)
		assert.Equal(t, []int{1}, d.Lines)
	}
	assert.Equal(t, []string{"SPEND50", "WINE1", "WINE10"}, ids, "646: the wine's promotions and the threshold over every item")

	tl.do(t, pos.PayCard{Amount: 100})
	err := tl.fail(t, pos.RemoveSystemDiscounts{})
	assert.True(t, poserr.Is(err, poserr.Conflict), "not with a payment on the transaction")
}

func TestCalculateTotalDelaysMultilineDiscounts(t *testing.T) {
	tl := tillWith(t, `
manual_multiline_discounts = true
[[promotion]]
id = "MILK3"
name = "Milk: 3+ -15%"
kind = "quantity"
line = [{product = "10001"}]
tier = [{min_qty = "3", percent = "15"}]
[[promotion]]
id = "WINE"
name = "Wine -10%"
kind = "discount"
percent = "10"
line = [{category = "Wine"}]`)
	tl.do(t, pos.ProductSale{Barcode: bcMilk, Qty: 3000})
	tl.do(t, pos.ProductSale{Barcode: bcWine})
	assert.Equal(t, money.Amount(387+809), tl.Cart().Totals.Total, "simple discounts at once, multi-line ones wait")
	tl.do(t, pos.CalculateTotal{})
	assert.Equal(t, money.Amount(387-58+809), tl.Cart().Totals.Total, "310: 15 % of 3.87 = 0.58")
	tl.do(t, pos.ProductSale{Barcode: bcMilk})
	assert.Equal(t, money.Amount(516+809), tl.Cart().Totals.Total, "the lines changed: calculate again")
	tl.do(t, pos.CalculateTotal{})
	assert.Equal(t, money.Amount(516-77+809), tl.Cart().Totals.Total)
}

func TestCouponBarcodeInTheScanField(t *testing.T) {
	tl := promoTill(t)
	tl.do(t, pos.SignIn{OperatorID: "2001", Secret: "2468"})
	tl.do(t, pos.ProductSale{Barcode: bcCheese, Qty: 500})
	before := tl.Cart().Totals.Total
	res := tl.do(t, pos.ProductSale{Barcode: "9912345000019"})
	assert.Nil(t, res.Line, "a coupon adds no line")
	assert.Equal(t, []string{"9912345000019"}, tl.Cart().Coupons)
	assert.Less(t, tl.Cart().Totals.Total, before)
	err := tl.fail(t, pos.ProductSale{Barcode: "9912345000019"})
	assert.True(t, poserr.Is(err, poserr.Conflict), "scanned twice")

	cashier := promoTill(t)
	cashier.do(t, pos.SignIn{OperatorID: "1001", Secret: "1234"})
	err = cashier.fail(t, pos.ProductSale{Barcode: "kaese"})
	assert.True(t, poserr.Is(err, poserr.NotPermitted), "scanning a coupon needs the coupon permission")
}

const tenderDoc = `
[[promotion]]
id = "CARD5"
name = "Pay by card -5%"
kind = "tender"
tender_types = ["card"]
percent = "5"
`

func TestTenderDiscountAtTheTill(t *testing.T) {
	t.Run("the card is charged the discounted amount", func(t *testing.T) {
		tl := tillWith(t, tenderDoc)
		tl.do(t, pos.ProductSale{Barcode: bcWine})
		assert.Equal(t, money.Amount(899), tl.Cart().Totals.Total, "no tender yet")
		res := tl.do(t, pos.PayCard{})
		require.NotNil(t, res.Completed)
		assert.Equal(t, money.Amount(899-45), res.Completed.Totals.Total)
		assert.Equal(t, money.Amount(854), res.Completed.Tenders[0].Amount)
		identity(t, res.Completed)
	})
	t.Run("cash earns nothing", func(t *testing.T) {
		tl := tillWith(t, tenderDoc)
		tl.do(t, pos.ProductSale{Barcode: bcWine})
		res := tl.do(t, pos.PayCashExact{})
		assert.Equal(t, money.Amount(899), res.Completed.Totals.Total)
	})
	t.Run("a declined card takes the discount back", func(t *testing.T) {
		tl := tillWith(t, tenderDoc)
		tl.do(t, pos.ProductSale{Barcode: bcWine})
		tl.term.SetMode(paysim.Decline)
		tl.fail(t, pos.PayCard{})
		assert.Equal(t, money.Amount(899), tl.Cart().Totals.Total)
	})
	t.Run("a partial card payment and its void", func(t *testing.T) {
		tl := tillWith(t, tenderDoc)
		tl.do(t, pos.ProductSale{Barcode: bcWine})
		tl.do(t, pos.PayCard{Amount: 500})
		assert.Equal(t, money.Amount(854), tl.Cart().Totals.Total, "a card on the transaction earns it")
		tl.do(t, pos.VoidPayment{No: 1})
		assert.Equal(t, money.Amount(899), tl.Cart().Totals.Total, "re-evaluated when the tender goes")
	})
	t.Run("a brand discount the card earns lowers what it is charged", func(t *testing.T) {
		tl := tillWith(t, tenderDoc+`
[[promotion]]
id = "VISA"
name = "Visa 2.00 off"
kind = "tender"
card_brands = ["VISA"]
amount = "2.00"
`)
		tl.do(t, pos.ProductSale{Barcode: bcWine})
		res := tl.do(t, pos.PayCard{}) // the simulator's cards are Visa
		require.NotNil(t, res.Completed)
		assert.Equal(t, money.Amount(699), res.Completed.Totals.Total)
		assert.Equal(t, money.Amount(699), res.Completed.Tenders[0].Amount)
		identity(t, res.Completed)
	})
}
