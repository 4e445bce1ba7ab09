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
	"github.com/opentill/opentill/pos/tender"
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
		// 5.00 by card at 5 % off covers 5.26 of the 8.99: 0.26 off
		assert.Equal(t, money.Amount(873), tl.Cart().Totals.Total, "a card on the transaction earns its share")
		tl.do(t, pos.VoidPayment{No: 1})
		assert.Equal(t, money.Amount(899), tl.Cart().Totals.Total, "re-evaluated when the tender goes")
	})
	t.Run("the share paid with the tender earns it, not the whole sale", func(t *testing.T) {
		tl := tillWith(t, tenderDoc)
		tl.do(t, pos.ProductSale{Barcode: bcWine})
		tl.do(t, pos.PayCard{Amount: 1})
		assert.Equal(t, money.Amount(899), tl.Cart().Totals.Total, "a cent by card earns nothing worth a cent")
		res := tl.do(t, pos.PayCashExact{})
		require.NotNil(t, res.Completed)
		assert.Equal(t, money.Amount(899), res.Completed.Totals.Total)
		identity(t, res.Completed)

		tl = tillWith(t, tenderDoc)
		tl.do(t, pos.ProductSale{Barcode: bcWine})
		tl.do(t, pos.PayCash{Amount: 300})
		// the card pays all the cash does not: 5.99 of goods at 5 % off
		res = tl.do(t, pos.PayCard{})
		require.NotNil(t, res.Completed)
		assert.Equal(t, money.Amount(899-30), res.Completed.Totals.Total)
		assert.Equal(t, money.Amount(569), res.Completed.Tenders[1].Amount)
		identity(t, res.Completed)

		tl = tillWith(t, tenderDoc)
		tl.do(t, pos.ProductSale{Barcode: bcWine})
		tl.do(t, pos.PayCard{Amount: 500})
		res = tl.do(t, pos.PayCard{})
		require.NotNil(t, res.Completed, "the rest by card too: the whole sale earns it")
		assert.Equal(t, money.Amount(854), res.Completed.Totals.Total)
		identity(t, res.Completed)
	})
	const visaDoc = tenderDoc + `
[[promotion]]
id = "VISA"
name = "Visa 2.00 off"
kind = "tender"
card_brands = ["VISA"]
amount = "2.00"
`
	t.Run("a brand known before the card is charged: charged once, discounted", func(t *testing.T) {
		tl := tillWith(t, visaDoc)
		tl.do(t, pos.ProductSale{Barcode: bcWine})
		res := tl.do(t, pos.PayCard{Brand: "visa"})
		require.NotNil(t, res.Completed)
		assert.Equal(t, money.Amount(699), res.Completed.Totals.Total)
		require.Len(t, res.Completed.Tenders, 1)
		assert.Equal(t, money.Amount(699), res.Completed.Tenders[0].Amount)
		identity(t, res.Completed)
	})
	t.Run("a brand the terminal reports after authorising: reversed and charged again for less", func(t *testing.T) {
		tl := tillWith(t, visaDoc)
		tl.do(t, pos.ProductSale{Barcode: bcWine})
		res := tl.do(t, pos.PayCard{}) // the simulator's cards are Visa
		require.NotNil(t, res.Completed)
		assert.Equal(t, money.Amount(699), res.Completed.Totals.Total)
		tns := res.Completed.Tenders
		require.Len(t, tns, 2)
		assert.True(t, tns[0].Voided, "the first authorisation stays on, voided")
		assert.Equal(t, money.Amount(854), tns[0].Amount, "authorised for what was due by card")
		assert.True(t, tl.term.Voided(tns[0].Card.Reference), "and reversed at the terminal")
		assert.False(t, tns[1].Voided)
		assert.Equal(t, money.Amount(699), tns[1].Amount, "never charged less than it was authorised for: charged again")
		assert.Equal(t, "VISA", tns[1].Card.Brand)
		assert.True(t, tns[1].Card.Recharged)
		identity(t, res.Completed)
	})
	t.Run("a terminal that cannot reverse keeps the first payment", func(t *testing.T) {
		tl := tillWith(t, visaDoc)
		tl.do(t, pos.ProductSale{Barcode: bcWine})
		tl.term.FailVoids(1)
		res := tl.do(t, pos.PayCard{})
		require.NotNil(t, res.Completed)
		require.Len(t, res.Completed.Tenders, 1)
		assert.Equal(t, money.Amount(854), res.Completed.Tenders[0].Amount)
		assert.Equal(t, money.Amount(854), res.Completed.Totals.Total, "no brand discount: the card was charged without it")
		identity(t, res.Completed)
	})
	t.Run("a second authorisation declined leaves the sale open", func(t *testing.T) {
		tl := tillWith(t, visaDoc)
		tl.do(t, pos.ProductSale{Barcode: bcWine})
		tl.term.Queue(paysim.Approve, paysim.Decline)
		tl.fail(t, pos.PayCard{})
		c := tl.Cart()
		assert.Equal(t, money.Amount(899), c.Totals.Remaining, "nothing taken, no tender discount")
		require.Len(t, c.Tenders, 1)
		assert.True(t, c.Tenders[0].Voided)
		res := tl.do(t, pos.PayCard{})
		require.NotNil(t, res.Completed, "the cashier takes the payment again")
		assert.Equal(t, money.Amount(699), res.Completed.Totals.Total)
		identity(t, res.Completed)
	})
	t.Run("a brand the cashier gave that the card is not pays its part", func(t *testing.T) {
		tl := tillWith(t, visaDoc)
		tl.do(t, pos.ProductSale{Barcode: bcWine})
		tl.term.SetBrand("MASTERCARD")
		res := tl.do(t, pos.PayCard{Brand: "VISA"})
		assert.Nil(t, res.Completed)
		c := tl.Cart()
		require.Len(t, c.Tenders, 1)
		assert.Equal(t, money.Amount(699), c.Tenders[0].Amount, "authorised for the Visa price")
		// a Mastercard earns the card's 5 % on what its 6.99 covers (7.36): 0.37 off
		assert.Equal(t, money.Amount(899-37-699), c.Totals.Remaining)
	})
	t.Run("a card taken offline keeps its amount without the brand discount", func(t *testing.T) {
		tl := tillWith(t, visaDoc)
		setup := tl.Setup()
		setup.OfflineCards = &tender.OfflinePolicy{MaxPerSale: 5000, MaxPerTill: 6000, MaxPerWindow: 10000, WindowHours: 12}
		tl.Register = pos.NewRegister(setup, tl.store, pos.Options{Terminal: tl.term, Now: func() time.Time { tl.now = tl.now.Add(time.Second); return tl.now }})
		tl.do(t, pos.SignIn{OperatorID: "2001", Secret: "2468"})
		tl.do(t, pos.ProductSale{Barcode: bcWine})
		tl.term.SetMode(paysim.Unreachable)
		res := tl.do(t, pos.PayCard{})
		require.NotNil(t, res.Completed)
		require.Len(t, res.Completed.Tenders, 1)
		tn := res.Completed.Tenders[0]
		assert.True(t, tn.Card.Offline)
		assert.True(t, tn.Card.NoBrandDiscount)
		assert.Equal(t, money.Amount(854), tn.Amount)
		identity(t, res.Completed)
	})
	t.Run("another card the second time pays its part", func(t *testing.T) {
		tl := tillWith(t, visaDoc)
		tl.do(t, pos.ProductSale{Barcode: bcWine})
		tl.term.QueueBrands("VISA", "MASTERCARD")
		res := tl.do(t, pos.PayCard{})
		assert.Nil(t, res.Completed, "a Mastercard earns no Visa discount: 6.99 paid")
		c := tl.Cart()
		assert.Equal(t, money.Amount(899-37-699), c.Totals.Remaining, "and the card's 5 % on what it covers")
		res = tl.do(t, pos.PayCashExact{})
		require.NotNil(t, res.Completed)
		identity(t, res.Completed)
	})
}
