package scaleunit_test

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/offline/api"
	"github.com/opentill/opentill/offline/demo"
	"github.com/opentill/opentill/offline/scaleunit"
	"github.com/opentill/opentill/offline/scaleunit/sutest"
	"github.com/opentill/opentill/pos/cart"
	"github.com/opentill/opentill/pos/catalog"
	"github.com/opentill/opentill/pos/journal"
	"github.com/opentill/opentill/pos/money"
	"github.com/opentill/opentill/pos/report"
	"github.com/opentill/opentill/pos/tax"
)

// monthCart is a synthetic completed sale of the benchmark's month: one
// to nine lines of a 10,000-product catalog in 40 categories (popular
// products more often), tax included at 19 % or 7 %, paid in cash or by
// card; every 25th line has a promotion, every 200th sale a returned line
// and every 300th is voided.
func monthCart(r *rand.Rand, n int, terminal, operator, shiftID string, at time.Time) cart.Cart {
	c := cart.Cart{ID: uuid.NewString(), ReceiptNo: fmt.Sprintf("%s-%06d", terminal, n), Store: demo.StoreID, Terminal: terminal,
		Operator: operator, Status: cart.Completed, Started: at.Add(-time.Minute), Finished: at, Shift: shiftID, TaxInclusive: true}
	per := map[string]*tax.CodeTotal{}
	lines := 1 + r.IntN(9)
	for i := 0; i < lines; i++ {
		p := int(r.ExpFloat64()*1500) % 10_000
		qty := int64(1 + r.IntN(3))
		if n%200 == 0 && i == 0 {
			qty = -1
		}
		price := money.Amount(50 + (p*37)%1950)
		net := price * money.Amount(qty)
		code, rate := "V19", int64(190000)
		if p%3 == 0 {
			code, rate = "V7", 70000
		}
		l := cart.Line{No: i + 1, ProductID: fmt.Sprintf("P%05d", p), ItemID: fmt.Sprintf("%05d", p), Category: fmt.Sprintf("C%02d", p%40),
			Name: fmt.Sprintf("Product %05d", p), Qty: catalog.Qty(qty) * catalog.One, UnitPrice: price, OriginalPrice: price,
			TaxGroup: code, Gross: net}
		if (n*9+i)%25 == 0 && qty > 0 {
			off := net / 10
			l.Promotions = []cart.Applied{{OfferID: "PROMO" + strconv.Itoa(p%12), Name: "Ten off", Kind: "discount", Amount: off}}
			l.PromoDiscount = off
			net -= off
		}
		l.Net = net
		l.Tax = money.Amount(money.MulDiv(int64(net), rate, 1_000_000+rate, money.HalfUp))
		if qty < 0 {
			l.ReturnOf = &cart.ReturnRef{TxnID: uuid.NewString(), ReceiptNo: "R1", LineNo: 1}
		}
		c.Lines = append(c.Lines, l)
		t := per[code]
		if t == nil {
			t = &tax.CodeTotal{Code: code, Name: code, Rate: rate}
			per[code] = t
		}
		t.Basis += net - l.Tax
		t.Amount += l.Tax
		c.Totals.Subtotal += l.Gross
		c.Totals.PromoDiscounts += l.PromoDiscount
		c.Totals.Tax += l.Tax
		c.Totals.Total += net
	}
	c.Totals.Discounts = c.Totals.PromoDiscounts
	for _, code := range []string{"V19", "V7"} {
		if t := per[code]; t != nil {
			c.TaxSummary = append(c.TaxSummary, *t)
		}
	}
	tender := cart.Tender{No: 1, TypeID: "card", Name: "Card", Kind: cart.Card, Amount: c.Totals.Total}
	if n%2 == 0 && c.Totals.Total > 0 {
		given := (c.Totals.Total/500 + 1) * 500
		tender = cart.Tender{No: 1, TypeID: "cash", Name: "Cash", Kind: cart.Cash, Amount: given}
		c.Change = given - c.Totals.Total
	}
	c.Tenders = []cart.Tender{tender}
	c.Totals.Due, c.Totals.Paid, c.Totals.Change = c.Totals.Total, tender.Amount, c.Change
	if n%300 == 0 {
		c.Status = cart.Voided
		c.Tenders = nil
	}
	return c
}

// BenchmarkStoreMonthReport: a month's store report on the server for 20
// tills and 600,000 transactions (1,000 a till a day, 8:00–20:00): the
// month adds up the transactions' report sums; the baseline is the same
// month less its last minute, a period of no whole days, which reads every
// transaction again. REPORT_TXNS sets another size (e.g. 60000 for a quick
// run); both backends in the same run.
func BenchmarkStoreMonthReport(b *testing.B) {
	total := 600_000
	if v := os.Getenv("REPORT_TXNS"); v != "" {
		n, err := strconv.Atoi(v)
		require.NoError(b, err)
		total = n
	}
	for _, backend := range []string{"postgres", "sqlite"} {
		b.Run(backend, func(b *testing.B) { benchStoreMonth(b, backend, total) })
	}
}

func benchStoreMonth(b *testing.B, backend string, total int) {
	const tills, days = 20, 30
	st, _ := sutest.Open(b, backend)
	require.NoError(b, scaleunit.Seed(ctx, st, 10, nil))
	berlin, err := time.LoadLocation("Europe/Berlin")
	require.NoError(b, err)
	cfg := report.Config{Store: demo.StoreID, Loc: berlin}
	from := time.Date(2026, 11, 1, 0, 0, 0, 0, berlin)
	perDay := total / tills / days
	r := rand.New(rand.NewPCG(1, 2))
	load := time.Now()
	for t := 0; t < tills; t++ {
		till, err := st.PutTill(ctx, demo.StoreID, fmt.Sprintf("M%02d", t))
		require.NoError(b, err)
		for d := 0; d < days; d++ {
			day := from.AddDate(0, 0, d)
			shiftID := fmt.Sprintf("S-%s-%02d", till.ID, d)
			var sums []report.Sum
			ids := make([]string, 0, perDay)
			payloads := make([][]byte, 0, perDay)
			for i := 0; i < perDay; i++ {
				at := day.Add(8*time.Hour + time.Duration(i)*12*time.Hour/time.Duration(perDay))
				c := monthCart(r, d*perDay+i+1, till.ID, fmt.Sprint(1001+i%3), shiftID, at)
				raw, err := json.Marshal(c)
				require.NoError(b, err)
				kind := journal.Sale
				if c.Status == cart.Voided {
					kind = journal.Void
				}
				con, err := report.Contribution(cfg, journal.Entry{Time: at, Kind: kind, TxnID: c.ID, ReceiptNo: c.ReceiptNo, Operator: c.Operator, Payload: raw})
				require.NoError(b, err)
				sums = append(sums, con.Sums()...)
				if len(con.Exceptions) > 0 {
					require.NoError(b, scaleunit.BookSums(ctx, st, demo.StoreID, till.ID, report.StoreDay(at, berlin), nil, c.ID, con.Exceptions))
				}
				ids, payloads = append(ids, c.ID), append(payloads, raw)
			}
			merged, err := report.FromSums(cfg, report.Period{}, sums, nil, nil)
			require.NoError(b, err)
			require.NoError(b, scaleunit.BookSums(ctx, st, demo.StoreID, till.ID, report.StoreDay(day, berlin), merged.Sums(), "", nil))
			require.NoError(b, scaleunit.InsertUploads(ctx, st, demo.StoreID, till.ID, api.KindTransaction, ids, payloads))
		}
	}
	b.Logf("%s: loaded %d transactions of %d tills in %s", backend, perDay*tills*days, tills, time.Since(load).Round(time.Second))
	to := from.AddDate(0, 1, 0)
	month := func(b *testing.B, from, to time.Time) api.StoreReport {
		rep, err := st.StoreReport(ctx, demo.StoreID, from, to)
		require.NoError(b, err)
		return rep
	}
	var summed, raw api.StoreReport
	roll := time.Now()
	require.NoError(b, st.RollUpReports(ctx))
	b.Logf("%s: rolling the 30 days up (a serving scale unit does it in the background): %s", backend, time.Since(roll).Round(time.Millisecond))
	b.Run("month", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			summed = month(b, from, to)
		}
	})
	b.Run("baseline-read-all", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			raw = month(b, from, to.Add(-time.Minute))
		}
	})
	require.Equal(b, perDay*tills*days, summed.Total.Transactions+summed.Voids)
	require.Equal(b, raw.Total, summed.Total, "both ways give the same figures")
	require.Equal(b, raw.Products, summed.Products)
}
