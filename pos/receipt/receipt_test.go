package receipt

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/pos/cart"
	"github.com/opentill/opentill/pos/catalog"
	"github.com/opentill/opentill/pos/money"
	"github.com/opentill/opentill/pos/pricing"
	"github.com/opentill/opentill/pos/tax"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/; the run then fails, so review the diff and run again without it")

var (
	vatGroups = map[string]tax.Group{
		"FULL": {ID: "FULL", Codes: []tax.Code{{ID: "VAT19", Name: "VAT standard", Rate: 190000}}},
		"RED":  {ID: "RED", Codes: []tax.Code{{ID: "VAT07", Name: "VAT reduced", Rate: 70000}}},
	}
	vatPricing = cart.Pricing{Tax: tax.Config{Inclusive: true, Round: money.HalfUp}, Groups: vatGroups, Round: money.HalfUp}

	nycPricing = cart.Pricing{
		Tax:    tax.Config{Inclusive: false, Round: money.HalfUp},
		Groups: map[string]tax.Group{"NYC": {ID: "NYC", Codes: []tax.Code{{ID: "NYC", Name: "Sales tax NYC", Rate: 88750}}}},
		Round:  money.HalfUp,
	}

	chPricing = cart.Pricing{
		Tax:    tax.Config{Inclusive: true, Round: money.HalfUp},
		Groups: map[string]tax.Group{"STD": {ID: "STD", Codes: []tax.Code{{ID: "MWST", Name: "MWST", Rate: 81000}}}},
		Round:  money.HalfUp,
	}

	berlin = Header{
		StoreName: "OpenTill Markt Berlin-Mitte",
		Address:   "Friedrichstraße 123\n10117 Berlin",
		Phone:     "+49 30 1234567",
		TaxID:     "DE123456789",
		Lines:     []string{"Open Mon–Sat 8:00–20:00"},
		Footer:    []string{"Thank you for shopping with us!", "Returns within 30 days with this receipt."},
	}
	finished = time.Date(2026, 3, 14, 10, 15, 42, 0, time.UTC)
)

func newCart(cur money.Currency, receiptNo string) *cart.Cart {
	return &cart.Cart{
		ID:        "0195a3c2-7d4e-7b11-9a2f-3c4d5e6f7a8b",
		ReceiptNo: receiptNo,
		Store:     "S001",
		Terminal:  "T01",
		Operator:  "1001",
		Currency:  cur,
		Status:    cart.Completed,
		Started:   finished.Add(-3 * time.Minute),
		Finished:  finished,
	}
}

func each(no int, item, name string, qty catalog.Qty, price money.Amount, group string) cart.Line {
	return cart.Line{No: no, ProductID: item, ItemID: item, Name: name, Unit: catalog.Each.ID, Qty: qty, UnitPrice: price, OriginalPrice: price, TaxGroup: group}
}

// payCash reprices, tenders cash (the total rounded to step when step > 1)
// and gives change from given.
func payCash(t *testing.T, c *cart.Cart, p cart.Pricing, given money.Amount, step money.Amount) {
	t.Helper()
	require.NoError(t, c.Reprice(p))
	due := money.RoundTo(c.Totals.Total, step, money.HalfUp)
	c.Rounding = due - c.Totals.Total
	c.Tenders = append(c.Tenders, cart.Tender{No: len(c.Tenders) + 1, TypeID: "CASH", Name: "Cash", Kind: cart.Cash, Amount: given})
	c.Change = given - due
	require.NoError(t, c.Reprice(p))
	require.Zero(t, c.Totals.Remaining, "the test cart must be fully paid")
}

// saleCart: line discount, total discount, two VAT rates, a weighed item, a
// long non-ASCII name, a price override, a voided line, cash with change.
func saleCart(t *testing.T) *cart.Cart {
	c := newCart(money.EUR, "S001-T01-000042")
	c.Lines = []cart.Line{
		each(1, "1001", "Frische Vollmilch 3,5% 1L", 2000, 119, "RED"),
		{No: 2, ProductID: "2002", ItemID: "2002", Name: "Käse Gouda alt", Unit: catalog.Kilogram.ID, UnitDecimals: 3,
			Qty: 734, UnitPrice: 1890, OriginalPrice: 1890, TaxGroup: "RED", Flags: catalog.Flags{Weighed: true},
			Discount: cart.Discount{Percent: 1000}},
		each(3, "3003", "Crème brûlée mit Jalapeño-Karamell, extra große Familienpackung", 1000, 649, "FULL"),
		each(4, "4004", "Rioja Reserva 0,75 l", 1000, 1299, "FULL"),
		each(5, "5005", "Kartoffelchips Paprika", 1000, 199, "FULL"),
		each(6, "6006", "Geschenkbox", 1000, 350, "FULL"),
	}
	c.Lines[3].UnitPrice, c.Lines[3].Overridden = 1099, true
	c.Lines[4].Voided = true
	c.Lines[5].Comment = "Gift wrap, ribbon in red please"
	c.Lines[5].Discount = cart.Discount{Amount: 50}
	c.Discount = cart.Discount{Percent: 500}
	payCash(t, c, vatPricing, 5000, 1)
	return c
}

// promoDoc is the promotions document of promoCart.
const promoDoc = `
[[promotion]]
id = "TEE2"
name = "T-shirts: 2nd half price"
kind = "mix-match"
least_expensive = 1
percent = "50"
group = [{qty = 2, line = [{category = "tees"}]}]
[[promotion]]
id = "BUB5"
name = "Champagne 5.00 off"
kind = "discount"
concurrency = "compound"
amount = "5.00"
line = [{product = "CH"}]
[[promotion]]
id = "BUB10"
name = "Champagne -10%"
kind = "discount"
concurrency = "compound"
percent = "10"
line = [{product = "CH"}]
[[promotion]]
id = "WELCOME5"
name = "Welcome: 5.00 off 30.00"
kind = "threshold"
concurrency = "compound"
coupons = ["WELCOME5"]
tier = [{min_amount = "30.00", amount = "5.00"}]
`

// promoCart: promotions by name on the lines (a least-expensive set,
// compounded discounts, a coupon threshold) and a manual line discount on top.
func promoCart(t *testing.T) *cart.Cart {
	e, err := pricing.Decode(strings.NewReader(promoDoc), 2)
	require.NoError(t, err)
	p := vatPricing
	p.Promotions = e
	c := newCart(money.EUR, "S001-T01-000077")
	c.Coupons = []string{"WELCOME5"}
	c.Lines = []cart.Line{
		each(1, "TB", "T-Shirt Black M", 1000, 999, "FULL"),
		each(2, "TW", "T-Shirt White L", 1000, 1299, "FULL"),
		each(3, "CH", "Champagne Brut 0,75 l", 1000, 2990, "FULL"),
	}
	c.Lines[0].Category, c.Lines[1].Category = "tees", "tees"
	c.Lines[2].Discount = cart.Discount{Percent: 500}
	payCash(t, c, p, 5000, 1)
	return c
}

// returnCart: a return by receipt carrying its original discount and a
// return without receipt, refunded in cash.
func returnCart(t *testing.T) *cart.Cart {
	c := newCart(money.EUR, "S001-T01-000057")
	c.Lines = []cart.Line{
		each(1, "4004", "Rioja Reserva 0,75 l", -1000, 1099, "FULL"),
		each(2, "1001", "Frische Vollmilch 3,5% 1L", -2000, 119, "RED"),
	}
	c.Lines[0].ReturnOf = &cart.ReturnRef{TxnID: "0195a3c2-7d4e-7b11-9a2f-3c4d5e6f7a8b", ReceiptNo: "S001-T01-000042", LineNo: 4}
	c.Lines[0].ReturnDiscount = -55
	c.ReturnNoReceipt = true
	require.NoError(t, c.Reprice(vatPricing))
	payCash(t, c, vatPricing, c.Totals.Total, 1)
	return c
}

// cardCart: US sales tax added to prices, paid by card.
func cardCart(t *testing.T) *cart.Cart {
	c := newCart(money.USD, "S010-T03-001234")
	c.Terminal = "T03"
	c.Store = "S010"
	c.Lines = []cart.Line{
		each(1, "JP-12", "Jalapeño poppers, 12 pcs", 3000, 499, "NYC"),
		each(2, "CB-1K", "Colombian coffee beans, whole, 1 kg bag", 1000, 1899, "NYC"),
	}
	require.NoError(t, c.Reprice(nycPricing))
	c.Tenders = []cart.Tender{
		{No: 1, TypeID: "CARD", Name: "Card", Kind: cart.Card, Amount: c.Totals.Total,
			Card: &cart.CardInfo{MaskedPAN: "4111111111114242", Brand: "VISA", AuthCode: "A1B2C3", Reference: "ref-77"}},
	}
	require.NoError(t, c.Reprice(nycPricing))
	c.Customer = "C-00042"
	return c
}

// roundingCart: Swiss francs with cash rounded to 0.05.
func roundingCart(t *testing.T) *cart.Cart {
	c := newCart(money.CHF, "Z002-T01-000009")
	c.Store = "Z002"
	c.Lines = []cart.Line{
		each(1, "BR-1", "Bürli", 3000, 120, "STD"),
		each(2, "SW-9", "Schokolade Crémant 100 g", 1000, 293, "STD"),
	}
	payCash(t, c, chPricing, 1000, 5)
	return c
}

// voidCart: a transaction voided before payment.
func voidCart(t *testing.T) *cart.Cart {
	c := newCart(money.EUR, "S001-T01-000043")
	c.Lines = []cart.Line{each(1, "4004", "Rioja Reserva 0,75 l", 1000, 1299, "FULL")}
	require.NoError(t, c.Reprice(vatPricing))
	c.Status = cart.Voided
	return c
}

type testCase struct {
	name   string
	cart   func(*testing.T) *cart.Cart
	header Header
	copy   bool
	widths []int
}

var cases = []testCase{
	{name: "sale", cart: saleCart, header: berlin, widths: []int{32, 42, 48}},
	{name: "return", cart: returnCart, header: berlin, widths: []int{42, 48}},
	{name: "card", cart: cardCart, header: nyc, widths: []int{42, 48}},
	{name: "rounding", cart: roundingCart, header: Header{StoreName: "OpenTill Zürich", TaxID: "CHE-123.456.789 MWST"}, widths: []int{42, 48}},
	{name: "void", cart: voidCart, header: berlin, widths: []int{42, 48}},
	{name: "reprint", cart: saleCart, header: berlin, copy: true, widths: []int{42}},
	{name: "promotions", cart: promoCart, header: berlin, widths: []int{42, 48}},
	{name: "signed", cart: signedCart, header: signedHeader(berlin), widths: []int{32, 42}},
}

var nyc = Header{StoreName: "OpenTill Deli", Address: "350 5th Ave, New York, NY 10118", Phone: "(212) 555-0100", Footer: []string{"Have a nice day"},
	Locale: "en-US", TimeZone: "America/New_York"}

func signedHeader(h Header) Header { h.SignatureLines = true; return h }

// signedCart is the sale as a till that signs its journal commits it.
func signedCart(t *testing.T) *cart.Cart {
	c := saleCart(t)
	c.Signature = testSig
	return c
}

var testSig = cart.Signature{Seq: 17, Counter: 15, KeyID: "3f1c2b7a9d8e4f6a0b1c2d3e4f5a6b7c",
	Hash: "9b2e4c6a8d0f1e3c5a7b9d1f3e5c7a9b1d3f5e7c9a1b3d5f7e9c1a3b5d7f9e1c",
	Sig:  "dxGFFvWTZpHufd1QizIqVY0UEJOQL8cPMreIMj/YOfpmbvdc63VZkLZNidi3jWcbdBJKYJo2cSGQ3RgLpyjTBQ=="}

func TestSignature(t *testing.T) {
	r := Build(signedCart(t), Header{TimeZone: "Europe/Berlin", Language: "de", SignatureLines: true}, "Anna Berg")
	require.NotNil(t, r.Signature)
	assert.Equal(t, int64(17), r.Signature.TxnNo)
	assert.Equal(t, "dxGFFvWTZpHufd1Q…", r.Signature.Short())
	assert.Equal(t, "OTJ1;S001/T01;S001-T01-000042;17;15;2026-03-14T10:12:42Z;2026-03-14T10:15:42Z;Ed25519;"+testSig.KeyID+";"+testSig.Hash+";"+testSig.Sig,
		r.SignatureQR(), "the QR carries the full signature and UTC times")
	text := r.Text(42)
	assert.Contains(t, text, "Signaturzähler")
	assert.Contains(t, text, "14.03.2026, 11:15:42", "printed in the store's time zone and locale")
	assert.Empty(t, Build(saleCart(t), berlin, "").SignatureQR(), "an unsigned cart has no signature block")
	assert.NotContains(t, Build(saleCart(t), signedHeader(berlin), "").Text(42), "Signature")
	assert.NotContains(t, Build(signedCart(t), berlin, "").Text(42), "Signature", "the lines only when the header asks for them")
	assert.NotNil(t, Build(signedCart(t), berlin, "").Signature, "the receipt carries the signature either way")
}

func TestTextGolden(t *testing.T) {
	for _, tc := range cases {
		for _, width := range tc.widths {
			t.Run(fmt.Sprintf("%s_%d", tc.name, width), func(t *testing.T) {
				c := tc.cart(t)
				r := Build(c, tc.header, "Anna Berg")
				r.Copy = tc.copy
				got := r.Text(width)

				assertFits(t, got, width)
				assertTotal(t, got, c, tc.header)

				path := filepath.Join("testdata", fmt.Sprintf("%s_%d.golden", tc.name, width))
				if *update {
					require.NoError(t, os.MkdirAll("testdata", 0o755))
					require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
					t.Errorf("rewrote %s: review the diff (git diff testdata/) and run again without -update", path)
				}
				want, err := os.ReadFile(path)
				require.NoError(t, err, "run go test ./pos/receipt/ -update to create the golden files")
				assert.Equal(t, string(want), got)
			})
		}
	}
}

// TestTextFitsEveryWidth renders every case at every width from the minimum
// up and checks that no line is wider than the paper.
func TestTextFitsEveryWidth(t *testing.T) {
	for _, tc := range cases {
		c := tc.cart(t)
		r := Build(c, tc.header, "Anna Berg")
		r.Copy = tc.copy
		for width := MinWidth; width <= 80; width++ {
			got := r.Text(width)
			assertFits(t, got, width)
			assertTotal(t, got, c, tc.header)
		}
	}
}

func TestTextNarrowWidthIsRaised(t *testing.T) {
	r := Build(saleCart(t), berlin, "Anna Berg")
	assert.Equal(t, r.Text(MinWidth), r.Text(10))
}

func assertFits(t *testing.T, text string, width int) {
	t.Helper()
	require.True(t, utf8.ValidString(text), "receipt text must be valid UTF-8")
	require.True(t, strings.HasSuffix(text, "\n"))
	for i, line := range strings.Split(strings.TrimSuffix(text, "\n"), "\n") {
		assert.LessOrEqual(t, utf8.RuneCountInString(line), width, "line %d is wider than %d: %q", i+1, width, line)
		assert.Equal(t, strings.TrimRight(line, " "), line, "line %d has trailing blanks", i+1)
	}
}

// assertTotal finds the TOTAL row and checks it prints the cart's total
// in the header's locale.
func assertTotal(t *testing.T, text string, c *cart.Cart, h Header) {
	t.Helper()
	want := h.Format().Money(c.Totals.Total, c.Currency)
	for _, line := range strings.Split(text, "\n") {
		if strings.HasPrefix(line, "TOTAL ") {
			assert.True(t, strings.HasSuffix(line, " "+want), "total row %q does not end in %q", line, want)
			return
		}
	}
	t.Errorf("no TOTAL row in\n%s", text)
}

func TestBuildSale(t *testing.T) {
	c := saleCart(t)
	r := Build(c, berlin, "Anna Berg")

	assert.Equal(t, Sale, r.Kind)
	assert.False(t, r.Copy)
	assert.Equal(t, "S001-T01-000042", r.ReceiptNo)
	assert.Equal(t, "S001-T01-000042", r.Barcode)
	assert.Equal(t, c.ID, r.TxnID)
	assert.Equal(t, finished, r.Time)
	assert.Equal(t, Operator{ID: "1001", Name: "Anna Berg"}, r.Operator)
	assert.Equal(t, money.EUR, r.Currency)

	require.Len(t, r.Lines, 5, "the voided line is left out")
	for _, l := range r.Lines {
		assert.NotEqual(t, "Kartoffelchips Paprika", l.Name)
	}
	cheese := r.Lines[1]
	assert.Equal(t, "0.734", cheese.QtyText)
	assert.Equal(t, []Discount{{Label: "Line discount 10%", Amount: -c.Lines[1].LineDiscount, Manual: true}}, cheese.Discounts)
	wine := r.Lines[3]
	assert.True(t, wine.PriceOverridden)
	assert.Equal(t, money.Amount(1299), wine.OriginalPrice)
	assert.Equal(t, "Line discount", r.Lines[4].Discounts[0].Label)
	assert.Equal(t, "Gift wrap, ribbon in red please", r.Lines[4].Comment)

	assert.Equal(t, "Total discount 5%", r.TotalDiscount.Label)
	assert.Equal(t, -c.Totals.TotalDiscounts, r.TotalDiscount.Amount)
	assert.Equal(t, r.Total, r.Subtotal+r.Discounts+r.ExclusiveTax, "the printed totals add up")
	assert.Equal(t, r.Discounts, r.LineDiscounts+r.TotalDiscount.Amount)
	assert.Equal(t, c.Totals.Total, r.Total)
	assert.True(t, r.TaxInclusive)
	assert.Equal(t, LabelsFor("en").NoteInclusive, r.TaxNote)
	require.Len(t, r.TaxSummary, 2)
	assert.Equal(t, int64(70000), r.TaxSummary[0].Rate, "sorted by code ID")
	assert.Equal(t, int64(190000), r.TaxSummary[1].Rate)
	require.Len(t, r.Tenders, 1)
	assert.Equal(t, money.Amount(5000), r.Tenders[0].Amount)
	assert.Equal(t, money.Amount(5000)-r.Total, r.Change)
}

func TestBuildReturn(t *testing.T) {
	c := returnCart(t)
	r := Build(c, berlin, "Anna Berg")

	assert.Equal(t, Return, r.Kind)
	require.Len(t, r.Lines, 2)
	for _, l := range r.Lines {
		assert.True(t, l.Return)
		assert.Negative(t, l.Amount)
		assert.True(t, strings.HasPrefix(l.QtyText, "-"), l.QtyText)
	}
	assert.Equal(t, "S001-T01-000042", r.Lines[0].ReturnOf)
	assert.Equal(t, []Discount{{Label: "Original discount", Amount: 55, Manual: true}}, r.Lines[0].Discounts)
	assert.Empty(t, r.Lines[1].ReturnOf)
	assert.Negative(t, r.Total)
	require.Len(t, r.Tenders, 1)
	assert.Equal(t, r.Total, r.Tenders[0].Amount)

	text := r.Text(42)
	assert.Contains(t, text, "RETURN")
	assert.Contains(t, text, "Return of S001-T01-000042")
	assert.Contains(t, text, "-1 x €10.99")
	assert.Contains(t, text, "-2 x €1.19")
}

func TestBuildKind(t *testing.T) {
	tests := []struct {
		name  string
		lines []cart.Line
		void  bool
		want  Kind
	}{
		{"sale", []cart.Line{each(1, "A", "A", 1000, 500, "FULL")}, false, Sale},
		{"return", []cart.Line{each(1, "A", "A", -1000, 500, "FULL")}, false, Return},
		{"exchange with money to pay", []cart.Line{each(1, "A", "A", -1000, 500, "FULL"), each(2, "B", "B", 1000, 900, "FULL")}, false, Sale},
		{"exchange with a refund", []cart.Line{each(1, "A", "A", -1000, 900, "FULL"), each(2, "B", "B", 1000, 500, "FULL")}, false, Return},
		{"voided", []cart.Line{each(1, "A", "A", 1000, 500, "FULL")}, true, Void},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newCart(money.EUR, "R1")
			c.Lines = tt.lines
			require.NoError(t, c.Reprice(vatPricing))
			if tt.void {
				c.Status = cart.Voided
			}
			assert.Equal(t, tt.want, Build(c, Header{}, "").Kind)
		})
	}
}

func TestCardTenderIsMasked(t *testing.T) {
	c := cardCart(t)
	r := Build(c, nyc, "Anna Berg")
	require.Len(t, r.Tenders, 1)
	assert.Equal(t, "************4242", r.Tenders[0].MaskedPAN)
	assert.Equal(t, "A1B2C3", r.Tenders[0].AuthCode)
	text := r.Text(42)
	assert.Contains(t, text, "VISA ************4242")
	assert.Contains(t, text, "Auth code A1B2C3")
	assert.NotContains(t, text, "4111")
	assert.Contains(t, text, "8.875%")
	assert.Contains(t, text, LabelsFor("en").NoteExclusive)
	assert.Contains(t, text, "$36.98", "US dollars as en-US writes them")
}

// The payment terminal's receipt text is printed under the till's.
func TestTerminalReceiptText(t *testing.T) {
	c := cardCart(t)
	c.Tenders[0].Card.Receipt = []string{"CARD PAYMENT", "TID 52500038 TRACE 000017", "APPROVED"}
	r := Build(c, Header{Footer: []string{"Thank you"}, Locale: "en-US"}, "Anna Berg")
	assert.Equal(t, c.Tenders[0].Card.Receipt, r.Tenders[0].TerminalText)
	text := r.Text(42)
	at := strings.Index(text, "TID 52500038 TRACE 000017")
	require.Positive(t, at)
	assert.Less(t, strings.Index(text, "CARD PAYMENT"), at)
	assert.Less(t, at, strings.Index(text, "Thank you"), "before the footer")
	assert.Less(t, strings.Index(text, "8.875%"), at, "after the tax summary")
}

func TestMaskPAN(t *testing.T) {
	tests := []struct{ in, want string }{
		{"************4242", "************4242"},
		{"4111111111114242", "************4242"},
		{"4111 1111 1111 4242", "**** **** **** 4242"},
		{"411111******4242", "************4242"},
		{"42", "42"},
		{"", ""},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, MaskPAN(tt.in), tt.in)
	}
}

func TestWrapAndCut(t *testing.T) {
	tests := []struct {
		name  string
		in    string
		width int
		want  []string
	}{
		{"fits", "Käse Gouda", 10, []string{"Käse Gouda"}},
		{"at a space", "Crème brûlée Jalapeño", 12, []string{"Crème brûlée", "Jalapeño"}},
		{"long word", "Jalapeñopoppers", 8, []string{"Jalapeño", "poppers"}},
		{"empty", "  ", 8, nil},
		// "e" + U+0301 COMBINING ACUTE: the accent stays with its letter.
		{"decomposed accent", "Cre\u0300me", 3, []string{"Cr", "e\u0300m", "e"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, wrap(tt.in, tt.width))
		})
	}
	head, tail := cut("Brûlée", 3)
	assert.Equal(t, "Brû", head)
	assert.Equal(t, "lée", tail)
}

// TestTextFitsStress renders a receipt built by hand with everything too
// long: names without spaces, decomposed accents, huge amounts, long labels.
func TestTextFitsStress(t *testing.T) {
	long := strings.Repeat("Jalapeño", 12)
	decomposed := strings.Repeat("Cre\u0300me bru\u0302le\u0301e ", 6)
	big := money.Amount(-123456789012345)
	r := &Receipt{
		Kind: Return, Copy: true,
		Header:    Header{StoreName: long, Address: decomposed, Phone: long, TaxID: long, Lines: []string{long}, Footer: []string{long, decomposed}},
		ReceiptNo: long, TxnID: long, Time: finished,
		Operator: Operator{ID: long, Name: decomposed}, Store: long, Terminal: long, Customer: long, Comment: decomposed,
		Currency: money.Currency{Code: "XTS", Digits: 3},
		Lines: []Line{
			{Name: long, Qty: -123456789, QtyText: "-123456.789", Unit: "kg", UnitPrice: big, Amount: big,
				Discounts: []Discount{{Label: long, Amount: big}}, Comment: long, PriceOverridden: true, OriginalPrice: big,
				Return: true, ReturnOf: long},
			{Name: decomposed, Qty: catalog.One, QtyText: "1", Amount: 5},
			{Name: "", Qty: catalog.One, QtyText: "1", Amount: 0},
		},
		Subtotal: big, LineDiscounts: big, TotalDiscount: Discount{Label: long, Amount: big}, Discounts: big,
		ExclusiveTax: big, Total: big, Rounding: big, Due: big, TaxNote: decomposed,
		TaxSummary: []TaxRow{{Name: long, Rate: 123456789, Basis: big, Tax: big}, {Name: decomposed, Rate: 1, Basis: 1, Tax: 1}},
		Tenders:    []Tender{{Name: long, Amount: big, Brand: long, MaskedPAN: long, AuthCode: long}},
		Change:     big, Barcode: long,
	}
	for width := 0; width <= 100; width++ {
		assertFits(t, r.Text(width), max(width, MinWidth))
	}
}

func TestReceiptTimeInStoreZone(t *testing.T) {
	c := &cart.Cart{ID: "x", ReceiptNo: "S1-T1-000001", Currency: money.EUR, Status: cart.Completed,
		Finished: time.Date(2026, 11, 27, 23, 30, 0, 0, time.UTC)}
	r := Build(c, Header{StoreName: "S", TimeZone: "Europe/Berlin"}, "")
	assert.Contains(t, r.Text(42), "28/11/2026, 00:30")
	r = Build(c, Header{StoreName: "S", TimeZone: "Nowhere/Unknown"}, "")
	assert.Contains(t, r.Text(42), "27/11/2026, 23:30", "an unknown zone is UTC")
	r = Build(c, Header{StoreName: "S", TimeZone: "America/New_York", Locale: "en-US"}, "")
	assert.Contains(t, r.Text(42), "11/27/2026, 6:30\u202fPM")
}
