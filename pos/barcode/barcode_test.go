package barcode

import (
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/pos/catalog"
	"github.com/opentill/opentill/pos/money"
	"github.com/opentill/opentill/pos/poserr"
)

// requireErr checks that err is an Invalid *poserr.Error with the given
// message key whose message names the code and contains want.
func requireErr(t *testing.T, err error, key, code, want string) {
	t.Helper()
	require.Error(t, err)
	var e *poserr.Error
	require.True(t, errors.As(err, &e), "error %v is not a *poserr.Error", err)
	assert.Equal(t, poserr.Invalid, e.Kind, "kind of %q", err)
	assert.Equal(t, key, e.Key, "key of %q", err)
	if code != "" {
		assert.Contains(t, e.Msg, strconv.Quote(code), "message names the code")
		assert.Equal(t, code, e.Args["code"])
	}
	assert.Contains(t, e.Msg, want)
}

func TestCheckDigit(t *testing.T) {
	tests := []struct {
		body string
		want byte
	}{
		{"400638133393", '1'},      // EAN-13 4006381333931
		{"03600029145", '2'},       // UPC-A 036000291452
		{"9638507", '4'},           // EAN-8 96385074
		{"978020113447", '6'},      // ISBN 9780201134476
		{"590123412345", '7'},      // GS1 example 5901234123457
		{"210004200000", '1'},      // weight key 2100042000001
		{"0000000000000", '0'},     // all zeros
		{"1234567890123", '1'},     // GTIN-14 body
		{"3", '1'},                 // single digit: 3×3 = 9 → 1
		{"0003600029145", '2'},     // leading zeros do not change it
		{"00000000000000000", '0'}, // SSCC-length body
	}
	for _, tt := range tests {
		got, err := CheckDigit(tt.body)
		require.NoError(t, err, tt.body)
		assert.Equal(t, string(tt.want), string(got), "CheckDigit(%q)", tt.body)
		assert.True(t, Valid(tt.body+string(got)), "Valid(%q)", tt.body+string(got))
	}

	_, err := CheckDigit("")
	requireErr(t, err, KeyLength, "", "no digits")
	_, err = CheckDigit("40063813339X")
	requireErr(t, err, KeyCharacters, "40063813339X", "'X' at position 12")
}

func TestValid(t *testing.T) {
	tests := []struct {
		code string
		want bool
	}{
		{"4006381333931", true},
		{"4006381333932", false},
		{"036000291452", true},
		{"036000291453", false},
		{"96385074", true},
		{"96385075", false},
		{"17", true},
		{"10", false},
		{"0", false},
		{"", false},
		{" 4006381333931", false}, // Valid does not trim
		{"400638133393a", false},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, Valid(tt.code), "Valid(%q)", tt.code)
	}
}

func TestParseRealCodes(t *testing.T) {
	tests := []struct {
		raw string
		sym Symbology
		key string
	}{
		{"4006381333931", EAN13, "4006381333931"},
		{"9780201134476", EAN13, "9780201134476"},
		{"5901234123457", EAN13, "5901234123457"},
		{"036000291452", UPCA, "0036000291452"},
		{"0036000291452", UPCA, "0036000291452"},  // UPC-A sent as EAN-13
		{"00036000291452", UPCA, "0036000291452"}, // as GTIN-14
		{"04252614", UPCE, "0042100005264"},
		{"042100005264", UPCA, "0042100005264"}, // the same product as UPC-A
		{"425261", UPCE, "0042100005264"},       // 6-digit UPC-E body
		{"96385074", EAN8, "96385074"},
		{"0000096385074", EAN8, "96385074"},  // EAN-8 extended to 13 digits
		{"000096385074", EAN8, "96385074"},   // … to 12 digits
		{"00000096385074", EAN8, "96385074"}, // … to GTIN-14
		{"2000123456782", InStore, "2000123456782"},
		{"2600000000017", InStore, "2600000000017"},
		{"201234928751", UPCA, "0201234928751"}, // UPC number system 2 without a mask
	}
	for _, tt := range tests {
		s, err := Parse(tt.raw)
		require.NoError(t, err, tt.raw)
		assert.Equal(t, tt.raw, s.Raw)
		assert.Equal(t, tt.sym, s.Symbology, "symbology of %q", tt.raw)
		assert.Equal(t, tt.key, s.Key, "key of %q", tt.raw)
		assert.Equal(t, tt.key, s.ItemCode, "item code of %q", tt.raw)
		assert.Equal(t, None, s.Embedded)
		assert.Zero(t, s.Weight)
		assert.Zero(t, s.Price)
		assert.Zero(t, s.Quantity)

		n, err := Normalize(tt.raw)
		require.NoError(t, err, tt.raw)
		assert.Equal(t, tt.key, n, "Normalize(%q)", tt.raw)
		again, err := Normalize(n)
		require.NoError(t, err)
		assert.Equal(t, n, again, "Normalize is idempotent for %q", tt.raw)
	}
}

func TestUPCEExpansion(t *testing.T) {
	tests := []struct {
		upce, upca string
	}{
		{"04252614", "042100005264"}, // last digit 1
		{"01234505", "012000003455"}, // 0: manufacturer 12000, product 00345
		{"01234514", "012100003454"}, // 1
		{"01234523", "012200003453"}, // 2
		{"01234531", "012300000451"}, // 3: manufacturer 123, product 00045
		{"01234543", "012340000053"}, // 4: manufacturer 1234, product 00005
		{"01234558", "012345000058"}, // 5–9: manufacturer 12345, product 0000d
		{"01234565", "012345000065"},
		{"01234572", "012345000072"},
		{"01234589", "012345000089"},
		{"01234596", "012345000096"},
		{"11234502", "112000003452"}, // number system 1
		{"11234511", "112100003451"},
		{"11234520", "112200003450"},
		{"11234538", "112300000458"},
		{"11234540", "112340000050"},
		{"11234555", "112345000055"},
		{"11234593", "112345000093"},
		{"06543217", "065100004327"},
	}
	for _, tt := range tests {
		got, err := ExpandUPCE(tt.upce)
		require.NoError(t, err, tt.upce)
		assert.Equal(t, tt.upca, got, "ExpandUPCE(%q)", tt.upce)
		assert.True(t, Valid(got))

		s, err := Parser{PreferUPCE: true}.Parse(tt.upce)
		require.NoError(t, err, tt.upce)
		assert.Equal(t, UPCE, s.Symbology, tt.upce)
		assert.Equal(t, "0"+tt.upca, s.Key, tt.upce)

		// By default EAN-8 wins, and a UPC-E whose last body digit is 5–9
		// always passes the EAN-8 check too: the expansion puts the digits
		// under the same weights. Stores with UPC-E goods need PreferUPCE.
		def, err := Parse(tt.upce)
		require.NoError(t, err, tt.upce)
		if tt.upce[6] >= '5' {
			assert.True(t, Valid(tt.upce), tt.upce)
			assert.Equal(t, EAN8, def.Symbology, tt.upce)
			assert.Equal(t, tt.upce, def.Key, tt.upce)
		} else {
			assert.Equal(t, s, def, tt.upce)
		}

		// The UPC-A printed in full normalises to the same key.
		n, err := Normalize(tt.upca)
		require.NoError(t, err)
		assert.Equal(t, s.Key, n, "UPC-A %s and UPC-E %s share a key", tt.upca, tt.upce)

		// Round trip: compressing the UPC-A gives the UPC-E back.
		assert.Equal(t, tt.upce, compressUPCA(t, tt.upca), "compress %s", tt.upca)

		// A 6-digit body is number system 0 with the computed check digit.
		if tt.upce[0] == '0' {
			body, err := ExpandUPCE(tt.upce[1:7])
			require.NoError(t, err)
			assert.Equal(t, tt.upca, body, "6-digit body %s", tt.upce[1:7])
		}
	}

	_, err := ExpandUPCE("04252615")
	requireErr(t, err, KeyCheckDigit, "04252615", "check digit is 5, expected 4")
	_, err = ExpandUPCE("24252614")
	requireErr(t, err, KeyNumberSystem, "24252614", "number system is 2")
	_, err = ExpandUPCE("0425261")
	requireErr(t, err, KeyLength, "0425261", "got 7")
	_, err = ExpandUPCE("04a52614")
	requireErr(t, err, KeyCharacters, "04a52614", "'a'")
}

// compressUPCA is the inverse of the UPC-E expansion, written independently
// from the rules as GS1 US states them for zero suppression.
func compressUPCA(t *testing.T, upca string) string {
	t.Helper()
	ns, mfr, prod, check := upca[0:1], upca[1:6], upca[6:11], upca[11:12]
	var body string
	switch {
	case strings.HasSuffix(mfr, "00") && mfr[2] <= '2' && strings.HasPrefix(prod, "00"):
		body = mfr[0:2] + prod[2:5] + mfr[2:3]
	case strings.HasSuffix(mfr, "00") && strings.HasPrefix(prod, "000"):
		body = mfr[0:3] + prod[3:5] + "3"
	case strings.HasSuffix(mfr, "0") && strings.HasPrefix(prod, "0000"):
		body = mfr[0:4] + prod[4:5] + "4"
	case strings.HasPrefix(prod, "0000") && prod[4] >= '5':
		body = mfr + prod[4:5]
	default:
		t.Fatalf("%s cannot be zero-suppressed", upca)
	}
	return ns + body + check
}

func TestEAN8OrUPCE(t *testing.T) {
	// 05349180 is a valid EAN-8 and a valid UPC-E (0 534918 0 → 053491000080).
	const both = "05349180"
	require.True(t, Valid(both))

	s, err := Parse(both)
	require.NoError(t, err)
	assert.Equal(t, EAN8, s.Symbology)
	assert.Equal(t, both, s.Key)

	p := Parser{Masks: DefaultMasks(), PreferUPCE: true}
	s, err = p.Parse(both)
	require.NoError(t, err)
	assert.Equal(t, UPCE, s.Symbology)
	assert.Equal(t, "0053491000080", s.Key)
	n, err := p.Normalize(both)
	require.NoError(t, err)
	assert.Equal(t, "0053491000080", n)
	again, err := p.Normalize(n)
	require.NoError(t, err)
	assert.Equal(t, n, again)

	// A valid EAN-8 that is no UPC-E stays EAN-8 even with PreferUPCE.
	s, err = p.Parse("96385074")
	require.NoError(t, err)
	assert.Equal(t, EAN8, s.Symbology)

	// Not EAN-8 but UPC-E: UPC-E without any option.
	require.False(t, Valid("04252614"))
	s, err = Parse("04252614")
	require.NoError(t, err)
	assert.Equal(t, UPCE, s.Symbology)

	// UPC-E in the GTIN-8 range: "000005" expands to 000000000055. By
	// default its key is the EAN-8 00000055; with PreferUPCE that EAN-8 would
	// be read as UPC-E again, so the 13-digit form stays.
	n, err = Normalize("000005")
	require.NoError(t, err)
	assert.Equal(t, "00000055", n)
	n, err = p.Normalize("000005")
	require.NoError(t, err)
	assert.Equal(t, "0000000000055", n)
	again, err = p.Normalize(n)
	require.NoError(t, err)
	assert.Equal(t, n, again)
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		raw, code, key, want string
	}{
		{"4006381333932", "4006381333932", KeyCheckDigit, "check digit is 2, expected 1"},
		{"036000291453", "036000291453", KeyCheckDigit, "check digit is 3, expected 2"},
		{"96385075", "96385075", KeyCheckDigit, "check digit is 5, expected 4"},
		{"04252615", "04252615", KeyCheckDigit, "check digit is 5, expected 0 (EAN-8) or 4 (UPC-E)"},
		{"10000000000001", "10000000000001", KeyCheckDigit, "check digit is 1, expected 7"},
		{"10036000291459", "10036000291459", KeyIndicator, "indicator 1"},
		{"12345", "12345", KeyLength, "expected 6, 8, 12, 13 or 14 digits, got 5"},
		{"1234567", "1234567", KeyLength, "got 7"},
		{"40063813339311", "40063813339311", KeyCheckDigit, "check digit is 1"},
		{"400638133393100", "400638133393100", KeyLength, "got 15"},
		{"", "", KeyLength, "got 0"},
		{"   \r\n", "", KeyLength, "got 0"},
		{"40063813339X1", "40063813339X1", KeyCharacters, "'X' at position 12"},
		{"ABC", "ABC", KeyCharacters, "'A' at position 1"},
		{"4006381 333931", "4006381 333931", KeyCharacters, "' ' at position 8"},
		{"-4006381333931", "-4006381333931", KeyCharacters, "'-'"},
		{"40063813339３1", "40063813339３1", KeyCharacters, "'３'"}, // full-width digit
		{"\xff\xfe", "\xff\xfe", KeyCharacters, "position 1"},
		{"2100042000001", "2100042000001", KeyZeroValue, "embedded weight is zero"},
		{"2312345000002", "2312345000002", KeyZeroValue, "embedded price is zero"},
		{"2500007000006", "2500007000006", KeyZeroValue, "embedded quantity is zero"},
	}
	for _, tt := range tests {
		_, err := Parse(tt.raw)
		requireErr(t, err, tt.key, tt.code, tt.want)
	}
	// The message reads as the brief asks.
	_, err := Parse("4006381333932")
	assert.EqualError(t, err, `barcode "4006381333932": check digit is 2, expected 1`)
	_, err = Parse("12345")
	assert.EqualError(t, err, `barcode "12345": expected 6, 8, 12, 13 or 14 digits, got 5`)
}

func TestTrimming(t *testing.T) {
	for _, raw := range []string{
		"4006381333931\r\n", "4006381333931\n", "4006381333931\r", " 4006381333931 ", "\t4006381333931\r\n",
	} {
		s, err := Parse(raw)
		require.NoError(t, err, "%q", raw)
		assert.Equal(t, "4006381333931", s.Raw)
		assert.Equal(t, "4006381333931", s.Key)
		n, err := Normalize(raw)
		require.NoError(t, err)
		assert.Equal(t, "4006381333931", n)
	}
	_, err := Parse("4006381333932\r\n")
	requireErr(t, err, KeyCheckDigit, "4006381333932", "expected 1")
}

func TestDefaultMasks(t *testing.T) {
	tests := []struct {
		raw      string
		embedded Embedded
		key      string
		item     string
		weight   catalog.Qty
		price    money.Amount
		qty      catalog.Qty
	}{
		// 21 00042 01234 9: 1.234 kg of item 00042.
		{"2100042012349", Weight, "2100042000001", "2100042", 1234, 0, 0},
		// 23 12345 00199 3: 1.99.
		{"2312345001993", Price, "2312345000002", "2312345", 0, 199, 0},
		// 25 00007 00003 7: 3 units.
		{"2500007000037", Quantity, "2500007000006", "2500007", 0, 0, 3 * catalog.One},
	}
	for _, tt := range tests {
		s, err := Parse(tt.raw)
		require.NoError(t, err, tt.raw)
		assert.Equal(t, InStore, s.Symbology, tt.raw)
		assert.Equal(t, tt.embedded, s.Embedded, tt.raw)
		assert.Equal(t, tt.key, s.Key, tt.raw)
		assert.Equal(t, tt.item, s.ItemCode, tt.raw)
		assert.Equal(t, tt.weight, s.Weight, tt.raw)
		assert.Equal(t, tt.price, s.Price, tt.raw)
		assert.Equal(t, tt.qty, s.Quantity, tt.raw)
		assert.True(t, Valid(s.Key))

		key, err := Parser{Masks: DefaultMasks()}.Key(tt.raw)
		require.NoError(t, err)
		assert.Equal(t, s.Key, key, "Key(%s)", tt.raw)
		key2, err := Parser{Masks: DefaultMasks()}.Key(key)
		require.NoError(t, err)
		assert.Equal(t, key, key2, "Key is idempotent")

		// Normalize applies no masks.
		n, err := Normalize(tt.raw)
		require.NoError(t, err)
		assert.Equal(t, tt.raw, n)
	}

	// Every default mask round-trips through Encode and Parse.
	for _, m := range DefaultMasks() {
		require.NoError(t, m.Validate())
		for _, v := range []int64{1, 1234, 99999} {
			code, err := m.Encode("00042", v)
			require.NoError(t, err)
			require.Len(t, code, 13)
			require.True(t, Valid(code), code)
			s, err := Parse(code)
			require.NoError(t, err, code)
			assert.Equal(t, m.Embedded, s.Embedded)
			assert.Equal(t, m.Prefix+"00042", s.ItemCode)
			key, err := m.Encode("00042", 0)
			require.NoError(t, err)
			assert.Equal(t, key, s.Key, code)
			switch m.Embedded {
			case Weight:
				assert.Equal(t, catalog.Qty(v), s.Weight)
			case Price:
				assert.Equal(t, money.Amount(v), s.Price)
			case Quantity:
				assert.Equal(t, catalog.Qty(v)*catalog.One, s.Quantity)
			}
		}
	}

	// Prefixes 20 and 26–29 are plain in-store codes, looked up as is.
	for _, prefix := range []string{"20", "26", "27", "28", "29"} {
		body := prefix + "0004201234"
		code := body + string(gs1Check(body))
		s, err := Parse(code)
		require.NoError(t, err, code)
		assert.Equal(t, InStore, s.Symbology)
		assert.Equal(t, None, s.Embedded)
		assert.Equal(t, code, s.Key)
		assert.Equal(t, code, s.ItemCode)
	}
}

func TestCustomMasks(t *testing.T) {
	// Weight in tens of grams under a one-digit prefix; 28 overridden first.
	p := Parser{Masks: []Mask{
		{Prefix: "28", Embedded: None},
		{Prefix: "2", Embedded: Weight, ItemDigits: 6, ValueDigits: 5, Decimals: 2},
	}}
	require.NoError(t, p.Validate())
	code, err := p.Masks[1].Encode("700042", 125) // 1.25 kg
	require.NoError(t, err)
	assert.Equal(t, "270004200125", code[:12])
	s, err := p.Parse(code)
	require.NoError(t, err)
	assert.Equal(t, catalog.Qty(1250), s.Weight)
	assert.Equal(t, "2700042", s.ItemCode)

	body := "280004201234"
	s, err = p.Parse(body + string(gs1Check(body)))
	require.NoError(t, err)
	assert.Equal(t, InStore, s.Symbology)
	assert.Equal(t, None, s.Embedded)

	// A gap between item and value is kept in the key; only the value is zeroed.
	g := Mask{Prefix: "22", Embedded: Weight, ItemDigits: 4, ValueDigits: 5, Decimals: 3}
	code = "221234" + "9" + "00500"
	code += string(gs1Check(code))
	s, err = Parser{Masks: []Mask{g}}.Parse(code)
	require.NoError(t, err)
	assert.Equal(t, catalog.Qty(500), s.Weight)
	assert.Equal(t, "221234900000", s.Key[:12])
	assert.Equal(t, "221234", s.ItemCode)

	// Parser without masks reads no embedded values.
	s, err = Parser{}.Parse("2100042012349")
	require.NoError(t, err)
	assert.Equal(t, InStore, s.Symbology)
	assert.Equal(t, None, s.Embedded)
	assert.Equal(t, "2100042012349", s.Key)
}

func TestPriceCheck(t *testing.T) {
	// GS1 General Specifications, 7.9.3 examples.
	d, err := PriceCheckDigit("2875")
	require.NoError(t, err)
	assert.Equal(t, "9", string(d))
	d, err = PriceCheckDigit("14685")
	require.NoError(t, err)
	assert.Equal(t, "6", string(d))
	d, err = PriceCheckDigit("0000")
	require.NoError(t, err)
	assert.Equal(t, "0", string(d))
	d, err = PriceCheckDigit("00000")
	require.NoError(t, err)
	assert.Equal(t, "0", string(d))
	_, err = PriceCheckDigit("123")
	requireErr(t, err, KeyLength, "123", "got 3")
	_, err = PriceCheckDigit("12a4")
	requireErr(t, err, KeyCharacters, "12a4", "'a'")

	// Every single-digit change of the value changes the price check digit.
	for _, v := range []string{"2875", "14685", "0001", "99999"} {
		want := priceCheck(v)
		for i := range len(v) {
			for c := byte('0'); c <= '9'; c++ {
				if c == v[i] {
					continue
				}
				w := v[:i] + string(c) + v[i+1:]
				assert.NotEqual(t, want, priceCheck(w), "%s vs %s", v, w)
			}
		}
	}

	// US UPC-A number system 2: 2 01234 9 2875 1, price 28.75 with verifier.
	us := Mask{Prefix: "02", Embedded: Price, ItemDigits: 5, ValueDigits: 4, Decimals: 2, PriceCheck: true}
	p := Parser{Masks: []Mask{us}}
	s, err := p.Parse("201234928751")
	require.NoError(t, err)
	assert.Equal(t, InStore, s.Symbology)
	assert.Equal(t, money.Amount(2875), s.Price)
	assert.Equal(t, "0201234000006", s.Key)
	assert.Equal(t, "0201234", s.ItemCode)
	code, err := us.Encode("01234", 2875)
	require.NoError(t, err)
	assert.Equal(t, "0201234928751", code)

	_, err = p.Parse("201234028758") // valid GTIN check digit, wrong price check
	requireErr(t, err, KeyPriceCheck, "201234028758", "price check digit is 0, expected 9")

	// Five-digit value with verifier.
	five := Mask{Prefix: "29", Embedded: Weight, ItemDigits: 4, ValueDigits: 5, Decimals: 3, PriceCheck: true}
	code, err = five.Encode("1234", 14685)
	require.NoError(t, err)
	assert.Equal(t, "291234614685", code[:12])
	s, err = Parser{Masks: []Mask{five}}.Parse(code)
	require.NoError(t, err)
	assert.Equal(t, catalog.Qty(14685), s.Weight)
}

func TestMaskValidate(t *testing.T) {
	tests := []struct {
		m    Mask
		want string
	}{
		{Mask{Prefix: "", Embedded: None}, "prefix"},
		{Mask{Prefix: "212", Embedded: Weight, ItemDigits: 5, ValueDigits: 5}, "prefix"},
		{Mask{Prefix: "2a", Embedded: Weight, ItemDigits: 5, ValueDigits: 5}, "prefix"},
		{Mask{Prefix: "21", Embedded: Embedded(9)}, "unknown embedded kind 9"},
		{Mask{Prefix: "21", Embedded: Weight, ItemDigits: 0, ValueDigits: 5}, "at least one"},
		{Mask{Prefix: "21", Embedded: Weight, ItemDigits: 5, ValueDigits: 0}, "at least one"},
		{Mask{Prefix: "21", Embedded: Weight, ItemDigits: 6, ValueDigits: 5}, "at most 12 fit"},
		{Mask{Prefix: "21", Embedded: Price, ItemDigits: 5, ValueDigits: 5, PriceCheck: true}, "at most 12 fit"},
		{Mask{Prefix: "21", Embedded: Price, ItemDigits: 5, ValueDigits: 3, PriceCheck: true}, "4 or 5 value digits"},
		{Mask{Prefix: "21", Embedded: Weight, ItemDigits: 5, ValueDigits: 5, Decimals: 4}, "0 to 3"},
		{Mask{Prefix: "21", Embedded: Price, ItemDigits: 5, ValueDigits: 5, Decimals: -1}, "0 to 4"},
	}
	for _, tt := range tests {
		err := tt.m.Validate()
		requireErr(t, err, KeyMask, "", tt.want)
		// Parse reports a broken mask when a code matches it.
		_, err = Parser{Masks: []Mask{tt.m}}.Parse("2100042012349")
		if tt.m.Prefix == "21" {
			requireErr(t, err, KeyMask, "", tt.want)
		}
	}
	assert.Error(t, Parser{Masks: []Mask{tests[0].m}}.Validate())
	require.NoError(t, Parser{Masks: DefaultMasks()}.Validate())

	m := DefaultMasks()[0]
	_, err := m.Encode("0042", 1)
	requireErr(t, err, KeyLength, "0042", "expected 5 item digits, got 4")
	_, err = m.Encode("0004x", 1)
	requireErr(t, err, KeyCharacters, "0004x", "'x'")
	_, err = m.Encode("00042", 100000)
	requireErr(t, err, KeyValue, "", "value 100000 does not fit in 5 digits")
	_, err = m.Encode("00042", -1)
	requireErr(t, err, KeyValue, "", "value -1")
	_, err = Mask{Prefix: "20"}.Encode("00042", 1)
	requireErr(t, err, KeyMask, "", "no embedded value")
}

func TestNames(t *testing.T) {
	assert.Equal(t, "EAN-13", EAN13.String())
	assert.Equal(t, "EAN-8", EAN8.String())
	assert.Equal(t, "UPC-A", UPCA.String())
	assert.Equal(t, "UPC-E", UPCE.String())
	assert.Equal(t, "in-store", InStore.String())
	assert.Equal(t, "unknown", Symbology(0).String())
	assert.Equal(t, "none", None.String())
	assert.Equal(t, "weight", Weight.String())
	assert.Equal(t, "price", Price.String())
	assert.Equal(t, "quantity", Quantity.String())
	assert.Equal(t, "unknown", Embedded(-1).String())
}

// checkKey asserts the invariants every lookup key keeps.
func checkKey(t *testing.T, p Parser, raw, key string) {
	t.Helper()
	if len(key) != 8 && len(key) != 13 {
		t.Fatalf("%q: key %q has %d digits", raw, key, len(key))
	}
	if !Valid(key) {
		t.Fatalf("%q: key %q fails the check digit", raw, key)
	}
	again, err := p.Normalize(key)
	if err != nil || again != key {
		t.Fatalf("%q: Normalize(%q) = %q, %v", raw, key, again, err)
	}
}

func FuzzParse(f *testing.F) {
	for _, seed := range []string{
		"4006381333931", "036000291452", "04252614", "425261", "96385074", "05349180",
		"2100042012349", "2312345001993", "2500007000037", "2100042000001", "00036000291452",
		"0000096385074", "000005", "201234928751", "4006381333932", "12345", "", " \r\n", "abc",
	} {
		f.Add(seed, false)
		f.Add(seed, true)
	}
	masks := append(DefaultMasks(),
		Mask{Prefix: "02", Embedded: Price, ItemDigits: 5, ValueDigits: 4, Decimals: 2, PriceCheck: true},
		Mask{Prefix: "29", Embedded: Weight, ItemDigits: 4, ValueDigits: 5, Decimals: 3, PriceCheck: true},
		Mask{Prefix: "2", Embedded: Quantity, ItemDigits: 3, ValueDigits: 2, Decimals: 1},
	)
	f.Fuzz(func(t *testing.T, raw string, preferUPCE bool) {
		p := Parser{Masks: masks, PreferUPCE: preferUPCE}
		checkParse(t, p, raw)
		// Random digits rarely carry the right check digit: also try the
		// input completed with a GS1 and, for 7 digits, a UPC-E check digit.
		if d := strings.TrimSpace(raw); allDigits(d) && d != "" && len(d) <= 13 {
			checkParse(t, p, d+string(gs1Check(d)))
			if len(d) == 7 && (d[0] == '0' || d[0] == '1') {
				checkParse(t, p, d+string(upceCheck(d+"0")))
			}
		}
	})
}

// checkParse asserts what holds for every input to Parse.
func checkParse(t *testing.T, p Parser, raw string) {
	t.Helper()
	s, err := p.Parse(raw)
	if err != nil {
		if poserr.KindOf(err) != poserr.Invalid {
			t.Fatalf("%q: error %v has kind %s", raw, err, poserr.KindOf(err))
		}
		return
	}
	key, err := p.Key(raw)
	if err != nil || key != s.Key {
		t.Fatalf("%q: Key = %q, %v; Parse key %q", raw, key, err, s.Key)
	}
	if again, err := p.Key(key); err != nil || again != key {
		t.Fatalf("%q: Key(%q) = %q, %v", raw, key, again, err)
	}
	if !strings.HasPrefix(s.Key, s.ItemCode) && s.Embedded != None {
		t.Fatalf("%q: item code %q is not a prefix of key %q", raw, s.ItemCode, s.Key)
	}
	if s.Embedded == Weight && s.Weight <= 0 || s.Embedded == Quantity && s.Quantity <= 0 || s.Embedded == Price && s.Price <= 0 {
		t.Fatalf("%q: non-positive embedded value in %+v", raw, s)
	}
	if s.Symbology < EAN13 || s.Symbology > InStore {
		t.Fatalf("%q: symbology %d", raw, s.Symbology)
	}
	checkKey(t, Parser{PreferUPCE: p.PreferUPCE}, raw, s.Key)
}

func FuzzNormalize(f *testing.F) {
	for _, seed := range []string{
		"4006381333931", "036000291452", "04252614", "425261", "96385074", "05349180",
		"0000096385074", "00000096385074", "000005", "0000000000055", "10036000291452", "x", "",
	} {
		f.Add(seed, false)
		f.Add(seed, true)
	}
	f.Fuzz(func(t *testing.T, code string, preferUPCE bool) {
		p := Parser{PreferUPCE: preferUPCE}
		checkNormalize(t, p, code)
		if d := strings.TrimSpace(code); allDigits(d) && d != "" && len(d) <= 13 {
			checkNormalize(t, p, d+string(gs1Check(d)))
			if len(d) == 7 && (d[0] == '0' || d[0] == '1') {
				checkNormalize(t, p, d+string(upceCheck(d+"0")))
			}
		}
	})
}

// checkNormalize asserts what holds for every input to Normalize.
func checkNormalize(t *testing.T, p Parser, code string) {
	t.Helper()
	n, err := p.Normalize(code)
	if err != nil {
		if poserr.KindOf(err) != poserr.Invalid {
			t.Fatalf("%q: error %v has kind %s", code, err, poserr.KindOf(err))
		}
		return
	}
	checkKey(t, p, code, n)
	if !p.PreferUPCE {
		if m, err := Normalize(code); err != nil || m != n {
			t.Fatalf("%q: Normalize = %q, %v; Parser{}.Normalize = %q", code, m, err, n)
		}
	}
}

// In-store layouts that place the value first, or the price check digit
// after the value, or read digits past.
func TestLayouts(t *testing.T) {
	priceFirst := Mask{Prefix: "28", Embedded: Price, Decimals: 2, Layout: "PPVVVVVIIIIIK"}
	checkAfter := Mask{Prefix: "27", Embedded: Price, Decimals: 2, Layout: "PPVVVVCIIIIIK"}
	weightGap := Mask{Prefix: "29", Embedded: Weight, Decimals: 3, Layout: "PPIIII0VVVVVK"}
	p := Parser{Masks: []Mask{priceFirst, checkAfter, weightGap}}
	require.NoError(t, p.Validate())

	code, err := priceFirst.Encode("12345", 199)
	require.NoError(t, err)
	assert.Equal(t, "280019912345", code[:12], "prefix, price, item")
	s, err := p.Parse(code)
	require.NoError(t, err)
	assert.Equal(t, money.Amount(199), s.Price)
	assert.Equal(t, "2812345", s.ItemCode)
	assert.Equal(t, "280000012345", s.Key[:12], "the key has the price zeroed")
	key, err := p.Key(code)
	require.NoError(t, err)
	assert.Equal(t, s.Key, key)
	again, err := p.Key(key)
	require.NoError(t, err)
	assert.Equal(t, key, again)

	code, err = checkAfter.Encode("54321", 1234)
	require.NoError(t, err)
	c, err := PriceCheckDigit("1234")
	require.NoError(t, err)
	assert.Equal(t, "271234"+string(c)+"54321", code[:12], "price, its check digit, item")
	s, err = p.Parse(code)
	require.NoError(t, err)
	assert.Equal(t, money.Amount(1234), s.Price)
	bad := []byte(code)
	bad[6] = '0' + (bad[6]-'0'+1)%10
	bad[12] = gs1Check(string(bad[:12]))
	_, err = p.Parse(string(bad))
	assert.Equal(t, KeyPriceCheck, keyOf(err), "a wrong price check digit after the price is caught")

	code, err = weightGap.Encode("0042", 1250)
	require.NoError(t, err)
	raw := []byte(code)
	raw[6] = '7' // the ignored digit can be anything
	raw[12] = gs1Check(string(raw[:12]))
	s, err = p.Parse(string(raw))
	require.NoError(t, err)
	assert.Equal(t, int64(1250), int64(s.Weight))
	assert.Equal(t, "290042", s.ItemCode)
	assert.Equal(t, "290042000000", s.Key[:12], "the ignored digit is zeroed in the key")

	for _, m := range []Mask{
		{Prefix: "28", Embedded: Price, Layout: "PPVVVVVIIIII"},
		{Prefix: "28", Embedded: Price, Layout: "PVVVVVVIIIIIK"},
		{Prefix: "28", Embedded: Price, Layout: "PPVVXVVIIIIIK"},
		{Prefix: "28", Embedded: Price, Layout: "PPVVIVVIIIIIK"},
		{Prefix: "28", Embedded: Price, Layout: "PPVVVCCIIIIIK"},
		{Prefix: "28", Embedded: Price, Layout: "PPVVVVVVCIIIK"},
	} {
		err := m.Validate()
		assert.Equal(t, KeyMask, keyOf(err), "%s: %v", m.Layout, err)
	}
}

func keyOf(err error) string {
	var e *poserr.Error
	if errors.As(err, &e) {
		return e.Key
	}
	return ""
}

func FuzzParseLayouts(f *testing.F) {
	for _, seed := range []string{"2800199123452", "2712343543210", "2900427012500", "2800000000000"} {
		f.Add(seed)
	}
	p := Parser{Masks: []Mask{
		{Prefix: "28", Embedded: Price, Decimals: 2, Layout: "PPVVVVVIIIIIK"},
		{Prefix: "27", Embedded: Price, Decimals: 2, Layout: "PPVVVVCIIIIIK"},
		{Prefix: "29", Embedded: Weight, Decimals: 3, Layout: "PPIIII0VVVVVK"},
	}}
	f.Fuzz(func(t *testing.T, raw string) {
		for _, code := range []string{raw, raw + string(gs1Check(strings.TrimSpace(raw)))} {
			if d := strings.TrimSpace(code); !allDigits(d) {
				continue
			}
			s, err := p.Parse(code)
			if err != nil {
				if poserr.KindOf(err) != poserr.Invalid {
					t.Fatalf("%q: error %v has kind %s", code, err, poserr.KindOf(err))
				}
				continue
			}
			key, err := p.Key(code)
			if err != nil || key != s.Key {
				t.Fatalf("%q: Key = %q, %v; Parse key %q", code, key, err, s.Key)
			}
			if again, err := p.Key(key); err != nil || again != key {
				t.Fatalf("%q: Key(%q) = %q, %v", code, key, again, err)
			}
			if s.Embedded != None {
				m, _ := p.match(s.Key)
				value := int64(s.Price)
				if s.Embedded == Weight {
					value = int64(s.Weight)
				}
				enc, err := m.Encode(s.ItemCode[len(m.Prefix):], value)
				if err != nil || zeroValue(m, enc) != s.Key {
					t.Fatalf("%q: re-encoded %q (%v), key %q", code, enc, err, s.Key)
				}
			}
		}
	})
}
