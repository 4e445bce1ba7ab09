package script

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/pos"
)

func TestParseSteps(t *testing.T) {
	tests := []struct {
		line string
		want pos.Operation
	}{
		{"signin 1001 1234", pos.SignIn{OperatorID: "1001", Secret: "1234"}},
		{"scan 4006381333931", pos.ProductSale{Barcode: "4006381333931"}},
		{"scan 4006381333931 qty=3", pos.ProductSale{Barcode: "4006381333931", Qty: 3000}},
		{"item 10042 qty=0.250", pos.ProductSale{ProductID: "10042", Qty: 250}},
		{"item 10099 price=4.99", pos.ProductSale{ProductID: "10099", Price: 499}},
		{"qty 2 5", pos.SetQuantity{Line: 2, Qty: 5000}},
		{"price 1 2.50", pos.PriceOverride{Line: 1, Price: 250}},
		{"linedisc 1 10%", pos.LineDiscount{Line: 1, Percent: 1000}},
		{"linedisc 1 0.50", pos.LineDiscount{Line: 1, Amount: 50}},
		{"totaldisc 12.5%", pos.TotalDiscount{Percent: 1250}},
		{`comment 1 "gift wrap"`, pos.LineComment{Line: 1, Text: "gift wrap"}},
		{"pay cash 20", pos.PayCash{Amount: 2000}},
		{"pay cash", pos.PayCash{}},
		{"pay cash exact", pos.PayCashExact{}},
		{"pay card 5.00", pos.PayCard{Amount: 500}},
		{"pay card brand=VISA", pos.PayCard{Brand: "VISA"}},
		{"promotions", pos.ViewApplicableDiscounts{}},
		{"promotions all", pos.ViewAllDiscounts{}},
		{"calctotal", pos.CalculateTotal{}},
		{"sysdisc off", pos.RemoveSystemDiscounts{}},
		{"sysdisc on", pos.ReapplySystemDiscounts{}},
		{"voidpay 1", pos.VoidPayment{No: 1}},
		{"voidline 3", pos.VoidLine{Line: 3}},
		{"void", pos.VoidTransaction{}},
		{"suspend", pos.Suspend{}},
		{"recall", pos.Recall{}},
		{"return S0001-T01-000001 1 2:0.5", pos.ReturnTransaction{ReceiptNo: "S0001-T01-000001", Lines: []pos.ReturnLine{{LineNo: 1}, {LineNo: 2, Qty: 500}}}},
		{"returnitem 4006381333931", pos.ReturnProduct{Barcode: "4006381333931"}},
		{"override 2001 2468 price 1 2.50", pos.Approved{Op: pos.PriceOverride{Line: 1, Price: 250}, ManagerID: "2001", Secret: "2468"}},
		{`search "crème fraîche"`, pos.ProductSearch{Query: "crème fraîche"}},
		{"coupon WELCOME5", pos.AddCoupon{Code: "WELCOME5"}},
		{"uncoupon WELCOME5", pos.RemoveCoupon{Code: "WELCOME5"}},
		{"override 2001 2468 coupon 9900000000052", pos.Approved{Op: pos.AddCoupon{Code: "9900000000052"}, ManagerID: "2001", Secret: "2468"}},
	}
	for _, tt := range tests {
		st, err := ParseLine(tt.line, 2)
		require.NoError(t, err, tt.line)
		assert.Equal(t, tt.want, st.Op, tt.line)
	}
}

func TestParseErrorsNameTheLine(t *testing.T) {
	tests := []struct{ script, want string }{
		{"signin 1001", "line 1: signin needs 2 argument(s)"},
		{"\n\nscan", "line 3: scan needs 1"},
		{"price 1 abc", "not an amount"},
		{"qty 0 1", "line number"},
		{"qty 1 -2", "must be more than zero"},
		{"linedisc 1 120%", "between 0% and 100%"},
		{"frobnicate", `unknown step "frobnicate"`},
		{`comment 1 "open`, "quote is not closed"},
		{"expect total x", "not an amount"},
		{"pay cheque", "use pay cash or pay card"},
		{"sysdisc maybe", "sysdisc takes off or on"},
		{"scan 123 colour=red", `unknown option "colour"`},
	}
	for _, tt := range tests {
		_, err := Parse(strings.NewReader(tt.script), 2)
		require.Error(t, err, tt.script)
		assert.Contains(t, err.Error(), tt.want)
	}
}

func TestCommentsAndExpectations(t *testing.T) {
	steps, err := Parse(strings.NewReader("# a sale\nscan 1 # first\nexpect total 1.99\nexpect error not_permitted\nexpect lines 2\n"), 2)
	require.NoError(t, err)
	require.Len(t, steps, 4)
	assert.Equal(t, 2, steps[0].Line)
	assert.Equal(t, &Expect{What: "total", Amount: 199}, steps[1].Expect)
	assert.Equal(t, &Expect{What: "error", Kind: "not_permitted"}, steps[2].Expect)
	assert.Equal(t, &Expect{What: "lines", Count: 2}, steps[3].Expect)
}

func TestDecodeCart(t *testing.T) {
	ops, err := DecodeCart(strings.NewReader(`{"lines":[{"barcode":"4006381333931","qty":"2","discount":"10%"},{"item":"10042","price":"3.50"},{"item":"7","return":true}],"discount":"1.00"}`), 2)
	require.NoError(t, err)
	assert.Equal(t, []pos.Operation{
		pos.ProductSale{Barcode: "4006381333931", Qty: 2000},
		pos.LineDiscount{Line: 1, Percent: 1000},
		pos.ProductSale{ProductID: "10042", Price: 350},
		pos.ReturnProduct{ProductID: "7"},
		pos.TotalDiscount{Amount: 100},
	}, ops)
	for _, bad := range []string{`{"lines":[{}]}`, `{"lines":[{"item":"1","qty":"x"}]}`, `{"lines":[{"item":"1","colour":"red"}]}`, `[`, `{"discount":"-5%"}`} {
		_, err := DecodeCart(strings.NewReader(bad), 2)
		assert.Error(t, err, bad)
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"signin 1001 1234\nscan 4006381333931 qty=2\npay cash 20\nexpect change 1.00", `comment 1 "x # y"`, "override 1 2 override 3 4 void", "return R 1:2 3",
		"receive use po-1\nreceive scan 4000000000013 qty=2\nreceive post close", "transfer new S0002\ntransfer set 4000000000013 3\ntransfer ship",
		"order new Ada Lovelace phone=1\norder pickup store=S0002 lines=1,2\norder deposit 5.00", "order ship 1 Main St lines=3\norder use\norder collect lines=1\norder edit store=S2 phone=2"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		steps, err := Parse(strings.NewReader(s), 2)
		if err != nil {
			return
		}
		for _, st := range steps {
			if st.Op == nil && st.Expect == nil {
				t.Fatalf("step %q decoded to nothing", st.Text)
			}
		}
	})
}

func FuzzDecodeCart(f *testing.F) {
	f.Add(`{"lines":[{"barcode":"4006381333931","qty":"2","discount":"10%"}],"discount":"5%"}`)
	f.Add(`{"lines":[{"item":"1","price":"-1"}]}`)
	f.Fuzz(func(t *testing.T, s string) {
		ops, err := DecodeCart(strings.NewReader(s), 2)
		if err != nil {
			return
		}
		for _, op := range ops {
			if d, ok := op.(pos.LineDiscount); ok && (d.Percent < 0 || d.Amount < 0 || d.Percent > 10000) {
				t.Fatalf("bad discount decoded: %+v", d)
			}
		}
	})
}

func TestDecodeCartCoupons(t *testing.T) {
	ops, err := DecodeCart(strings.NewReader(`{"lines":[{"item":"10001"}],"coupons":["WELCOME5"," 9900000000052 "]}`), 2)
	require.NoError(t, err)
	assert.Equal(t, []pos.Operation{pos.ProductSale{ProductID: "10001"}, pos.AddCoupon{Code: "WELCOME5"}, pos.AddCoupon{Code: "9900000000052"}}, ops)
	_, err = DecodeCart(strings.NewReader(`{"lines":[],"coupons":[""]}`), 2)
	assert.ErrorContains(t, err, "coupon 1 is empty")
	_, err = ParseLine("coupon", 2)
	assert.ErrorContains(t, err, "coupon needs 1")
}
