// Package barcode reads the codes a till's scanner sends: EAN-13, EAN-8,
// UPC-A, UPC-E and GTIN-14 with a zero indicator, plus in-store codes
// (GS1 prefixes 20–29) that carry a weight, a price or a quantity.
//
// # Lookup keys
//
// The catalog stores every barcode as a key built by [Normalize]:
//
//   - EAN-13 stays 13 digits;
//   - UPC-A (12 digits) becomes "0" + the 12 digits;
//   - UPC-E (8 digits, or a 6-digit body read as number system 0) becomes
//     its UPC-A expansion as 13 digits;
//   - GTIN-14 with indicator 0 loses the leading zero;
//   - EAN-8 stays 8 digits, and a 13-digit form starting with "00000" (what
//     a scanner set to "extend EAN-8 to EAN-13" sends, GS1 reserves that
//     prefix for GTIN-8) is shortened to the 8-digit EAN-8, so every form of
//     one GTIN gives one key. The only exception: with [Parser.PreferUPCE]
//     the 13-digit form is kept when its last 8 digits would be read back as
//     UPC-E, so that a key always normalises to itself.
//
// A key is therefore always 8 or 13 digits and passes [Valid].
//
// # In-store codes
//
// An EAN-13 whose key matches a [Mask] (first match in [Parser.Masks] wins)
// is an in-store code: the mask says which digits identify the item and which
// carry the embedded value. The lookup key of such a code is the code with
// the value digits (and the price check digit, if any) set to zero and the
// check digit recomputed, so the catalog stores one key per article. A
// 13-digit key starting with "2" that matches no mask is an in-store code
// without embedded value, looked up as is.
//
// [DefaultMasks] is:
//
//	21, 22  weight:   2 prefix + 5 item + 5 value (grams, 3 decimals) + check
//	23, 24  price:    2 prefix + 5 item + 5 value (minor units, 2 decimals) + check
//	25      quantity: 2 prefix + 5 item + 5 value (count, 0 decimals) + check
//	20, 26–29         no mask: plain in-store codes
//
// GS1 leaves the layout of prefixes 20–29 to each company: [Mask.Layout]
// places the digits freely, e.g. "PPVVVVVIIIIIK" for the price before the
// item, "PPVVVVCIIIIIK" for the price check digit after the price, or "0"
// for a digit read past.
//
// # Errors
//
// Every error is a *poserr.Error of kind poserr.Invalid whose English
// message names the offending code, e.g. `barcode "4006381333932": check
// digit is 2, expected 1`, and whose Args carry it under "code". Keys:
//
//	error.barcode.characters     not only digits
//	error.barcode.length         wrong number of digits
//	error.barcode.check_digit    GS1 (or UPC-E) check digit wrong
//	error.barcode.indicator      GTIN-14 with indicator 1–9 (a case, not a consumer unit)
//	error.barcode.price_check    price check digit of an in-store code wrong
//	error.barcode.zero_value     in-store code with a zero weight, price or quantity
//	error.barcode.value          value out of range (Mask.Encode)
//	error.barcode.mask           invalid mask configuration (Args carry "prefix", not "code")
//	error.barcode.number_system  UPC-E number system not 0 or 1 (ExpandUPCE)
package barcode

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/opentill/opentill/pos/catalog"
	"github.com/opentill/opentill/pos/money"
	"github.com/opentill/opentill/pos/poserr"
)

// Message keys of the errors this package returns.
const (
	KeyCharacters   = "error.barcode.characters"
	KeyLength       = "error.barcode.length"
	KeyCheckDigit   = "error.barcode.check_digit"
	KeyIndicator    = "error.barcode.indicator"
	KeyPriceCheck   = "error.barcode.price_check"
	KeyZeroValue    = "error.barcode.zero_value"
	KeyValue        = "error.barcode.value"
	KeyMask         = "error.barcode.mask"
	KeyNumberSystem = "error.barcode.number_system"
)

// Symbology is the kind of barcode a scan was read as.
type Symbology int

// Symbologies. The zero Symbology is not a valid one.
const (
	EAN13   Symbology = iota + 1 // 13 digits, not starting with 0 or 2
	EAN8                         // 8 digits (also its 13-digit "00000" form)
	UPCA                         // 12 digits, or 13 digits starting with 0
	UPCE                         // 8 digits with number system 0 or 1, or a 6-digit body
	InStore                      // EAN-13 with prefix 2, or any code matching a mask
)

var symbologyNames = map[Symbology]string{
	EAN13: "EAN-13", EAN8: "EAN-8", UPCA: "UPC-A", UPCE: "UPC-E", InStore: "in-store",
}

// String names the symbology, e.g. "EAN-13"; "unknown" for an invalid value.
func (s Symbology) String() string {
	if n, ok := symbologyNames[s]; ok {
		return n
	}
	return "unknown"
}

// Embedded is the kind of value an in-store code carries.
type Embedded int

// Embedded value kinds.
const (
	None     Embedded = iota // no embedded value
	Weight                   // weight in kilograms, with Mask.Decimals decimals
	Price                    // price in the store currency's minor units
	Quantity                 // count of units, with Mask.Decimals decimals
)

var embeddedNames = map[Embedded]string{None: "none", Weight: "weight", Price: "price", Quantity: "quantity"}

// String names the kind in lower case, e.g. "weight"; "unknown" for an invalid value.
func (e Embedded) String() string {
	if n, ok := embeddedNames[e]; ok {
		return n
	}
	return "unknown"
}

// Mask describes the layout of an in-store EAN-13. Digits are counted in
// the 13-digit key: the prefix, then ItemDigits item digits, then (after
// unused digits, if any) the optional price check digit and ValueDigits value
// digits ending right before the check digit.
type Mask struct {
	// Prefix is the one or two leading digits the mask applies to: "2"
	// matches 20–29, "28" only 28. "02" matches UPC-A number system 2 (US
	// variable-measure codes), whose key is "0" + the 12 digits.
	Prefix string
	// Embedded is the kind of value the code carries; None makes a plain
	// in-store code (the other fields are then ignored).
	Embedded Embedded
	// ItemDigits is how many digits after the prefix identify the item.
	ItemDigits int
	// ValueDigits is how many digits the value has; they end right before
	// the check digit.
	ValueDigits int
	// Decimals is how many decimals the value has: 3 for a weight in grams,
	// 2 for a weight in tens of grams, 0 for a count (0–3 for Weight and
	// Quantity). For Price it must equal the store currency's minor digits
	// (2 for EUR, 0 for JPY): the value is taken as minor units unscaled, and
	// Decimals (0–4) is only checked, never applied.
	Decimals int
	// PriceCheck says a price check digit sits right before the value; it
	// is verified with the GS1 price/weight check digit algorithm for 4-digit
	// (weights 2-, 2-, 3, 5-) or 5-digit (weights 5+, 2-, 5-, 5+, 2-) values,
	// so ValueDigits must then be 4 or 5.
	PriceCheck bool
	// Layout, when set, places the digits freely, for the in-store layouts
	// GS1 leaves to each company (the value first, the price check digit
	// after the value…): 13 characters over the key, P for each prefix
	// digit (they come first), I item, V value (one run), C the price check
	// digit (at most one, with 4 or 5 value digits), 0 a digit read past and
	// zeroed in the key, K the check digit (last). It then sets ItemDigits,
	// ValueDigits and PriceCheck; e.g. "PPVVVVVIIIIIK" (price first) or
	// "PPVVVVCIIIIIK" (price check digit after the price).
	Layout string `json:",omitempty"`
}

// layout is where a mask's digits sit in the 13-digit key.
type layout struct {
	item    []int // positions of the item digits, in order
	value   int   // first value digit
	check   int   // price check digit, -1 for none
	ignored []int // digits read past (Layout "0")
}

// positions works out the layout of a valid mask.
func (m Mask) positions() layout {
	if m.Layout == "" {
		l := layout{value: 12 - m.ValueDigits, check: -1}
		for i := 0; i < m.ItemDigits; i++ {
			l.item = append(l.item, len(m.Prefix)+i)
		}
		if m.PriceCheck {
			l.check = l.value - 1
		}
		return l
	}
	l := layout{value: strings.IndexByte(m.Layout, 'V'), check: strings.IndexByte(m.Layout, 'C')}
	for i := 0; i < len(m.Layout); i++ {
		switch m.Layout[i] {
		case 'I':
			l.item = append(l.item, i)
		case '0':
			l.ignored = append(l.ignored, i)
		}
	}
	return l
}

// withLayout returns the mask with ItemDigits, ValueDigits and PriceCheck
// taken from Layout, or an error saying what is wrong with Layout.
func (m Mask) withLayout() (Mask, error) {
	if m.Layout == "" {
		return m, nil
	}
	l := m.Layout
	if len(l) != 13 || l[12] != 'K' || strings.Count(l, "K") != 1 {
		return m, fmt.Errorf("layout %q must be 13 characters ending with K, the check digit", l)
	}
	if !strings.HasPrefix(l, strings.Repeat("P", len(m.Prefix))) || strings.Count(l, "P") != len(m.Prefix) {
		return m, fmt.Errorf("layout %q must start with one P per prefix digit (%d)", l, len(m.Prefix))
	}
	if strings.Trim(l, "PIVC0K") != "" {
		return m, fmt.Errorf("layout %q may hold only P, I, V, C, 0 and K", l)
	}
	v := strings.Count(l, "V")
	if v > 0 && !strings.Contains(l, strings.Repeat("V", v)) {
		return m, fmt.Errorf("layout %q: the value digits must be one run", l)
	}
	if strings.Count(l, "C") > 1 {
		return m, fmt.Errorf("layout %q has more than one price check digit", l)
	}
	m.ItemDigits, m.ValueDigits, m.PriceCheck = strings.Count(l, "I"), v, strings.Contains(l, "C")
	return m, nil
}

// DefaultMasks returns the masks Parse uses (a new slice each call): 21 and
// 22 weight (5 item + 5 digits of grams), 23 and 24 price (5 item + 5 digits
// of minor units, up to 999.99), 25 quantity (5 item + 5 digits of count).
// Codes with prefix 20 and 26–29 match no mask and are plain in-store codes.
func DefaultMasks() []Mask {
	return []Mask{
		{Prefix: "21", Embedded: Weight, ItemDigits: 5, ValueDigits: 5, Decimals: 3},
		{Prefix: "22", Embedded: Weight, ItemDigits: 5, ValueDigits: 5, Decimals: 3},
		{Prefix: "23", Embedded: Price, ItemDigits: 5, ValueDigits: 5, Decimals: 2},
		{Prefix: "24", Embedded: Price, ItemDigits: 5, ValueDigits: 5, Decimals: 2},
		{Prefix: "25", Embedded: Quantity, ItemDigits: 5, ValueDigits: 5, Decimals: 0},
	}
}

// Validate reports whether the mask is usable: a one- or two-digit prefix,
// a known Embedded kind, and for an embedded value at least one item and one
// value digit that fit in the 12 digits before the check digit.
func (m Mask) Validate() error {
	bad := func(format string, args ...any) error {
		e := poserr.E(poserr.Invalid, KeyMask, "barcode mask %q: "+format, append([]any{m.Prefix}, args...)...)
		e.Args = map[string]any{"prefix": m.Prefix}
		return e
	}
	if len(m.Prefix) < 1 || len(m.Prefix) > 2 || !allDigits(m.Prefix) {
		return bad("prefix must be one or two digits")
	}
	if _, ok := embeddedNames[m.Embedded]; !ok {
		return bad("unknown embedded kind %d", int(m.Embedded))
	}
	if m.Embedded == None {
		return nil
	}
	m, err := m.withLayout()
	if err != nil {
		return bad("%v", err)
	}
	if m.ItemDigits < 1 || m.ValueDigits < 1 {
		return bad("needs at least one item digit and one value digit, got %d and %d", m.ItemDigits, m.ValueDigits)
	}
	if used := len(m.Prefix) + m.ItemDigits + m.ValueDigits + m.priceCheckDigits(); used > 12 {
		return bad("prefix, item, price check and value take %d digits, at most 12 fit before the check digit", used)
	}
	if m.PriceCheck && m.ValueDigits != 4 && m.ValueDigits != 5 {
		return bad("a price check digit needs 4 or 5 value digits, got %d", m.ValueDigits)
	}
	maxDecimals := 3
	if m.Embedded == Price {
		maxDecimals = 4
	}
	if m.Decimals < 0 || m.Decimals > maxDecimals {
		return bad("%s decimals must be 0 to %d, got %d", m.Embedded, maxDecimals, m.Decimals)
	}
	return nil
}

func (m Mask) priceCheckDigits() int {
	if m.PriceCheck {
		return 1
	}
	return 0
}

// resolved is the mask with its Layout applied (the mask must be valid).
func (m Mask) resolved() Mask {
	r, _ := m.withLayout()
	return r
}

// itemCode is the prefix and the item digits of a key.
func (m Mask) itemCode(key string) string {
	b := []byte(m.Prefix)
	for _, i := range m.positions().item {
		b = append(b, key[i])
	}
	return string(b)
}

// Encode builds the 13-digit in-store code for an item and a value in the
// mask's units (grams for a 3-decimal weight, minor units for a price): the
// prefix, item, zeros for unused digits, the price check digit if the mask
// has one, the value and the check digit. Encode(item, 0) gives the lookup
// key the catalog stores for the item.
func (m Mask) Encode(item string, value int64) (string, error) {
	if err := m.Validate(); err != nil {
		return "", err
	}
	if m.Embedded == None {
		e := poserr.E(poserr.Invalid, KeyMask, "barcode mask %q: has no embedded value to encode", m.Prefix)
		e.Args = map[string]any{"prefix": m.Prefix}
		return "", e
	}
	if err := digitsOnly(item); err != nil {
		return "", err
	}
	m = m.resolved()
	if len(item) != m.ItemDigits {
		return "", invalid(KeyLength, item, "expected %d item digits, got %d", m.ItemDigits, len(item))
	}
	v := strconv.FormatInt(value, 10)
	if value < 0 || len(v) > m.ValueDigits {
		e := poserr.E(poserr.Invalid, KeyValue, "barcode mask %q: value %d does not fit in %d digits", m.Prefix, value, m.ValueDigits)
		e.Args = map[string]any{"prefix": m.Prefix, "value": value}
		return "", e
	}
	v = strings.Repeat("0", m.ValueDigits-len(v)) + v
	b := []byte(strings.Repeat("0", 12))
	copy(b, m.Prefix)
	l := m.positions()
	for i, pos := range l.item {
		b[pos] = item[i]
	}
	copy(b[l.value:], v)
	if l.check >= 0 {
		b[l.check] = priceCheck(v)
	}
	body := string(b)
	return body + string(gs1Check(body)), nil
}

// Parser reads scanned codes.
type Parser struct {
	// Masks are the in-store layouts, tried in order; the first whose
	// prefix matches a 13-digit key wins. Nil means no embedded values.
	Masks []Mask
	// PreferUPCE reads an 8-digit code that is both a valid EAN-8 and a
	// valid UPC-E as UPC-E. By default EAN-8 wins. Beware: every UPC-E
	// whose last body digit is 5–9 also passes the EAN-8 check (the
	// expansion keeps each digit's weight), so by default about half of all
	// UPC-E codes read as EAN-8; a store selling UPC-E goods sets PreferUPCE.
	PreferUPCE bool
}

// Validate checks every mask.
func (p Parser) Validate() error {
	for _, m := range p.Masks {
		if err := m.Validate(); err != nil {
			return err
		}
	}
	return nil
}

// Scan is one parsed barcode.
type Scan struct {
	// Raw is the code as scanned, without surrounding whitespace and CR/LF.
	Raw string
	// Symbology is what the code was read as.
	Symbology Symbology
	// Key is the catalog lookup key (see the package documentation); for an
	// embedded code it has the value digits zeroed and the check digit
	// recomputed, e.g. 2100042000001 for 2100042012349 (1.234 kg).
	Key string
	// ItemCode identifies the item: prefix + item digits for an embedded
	// code, the same as Key otherwise.
	ItemCode string
	// Embedded is the kind of value the code carries.
	Embedded Embedded
	// Weight is the embedded weight in thousandths of a kilogram.
	Weight catalog.Qty
	// Price is the embedded price in the store currency's minor units.
	Price money.Amount
	// Quantity is the embedded count in thousandths of a unit (3 = 3000).
	Quantity catalog.Qty
}

var defaultParser = Parser{Masks: DefaultMasks()}

// Parse reads a scanned code with DefaultMasks and EAN-8 winning over UPC-E.
func Parse(raw string) (Scan, error) { return defaultParser.Parse(raw) }

// Normalize returns the catalog lookup key of a code with EAN-8 winning over
// UPC-E (see the package documentation). It applies no masks: an in-store
// code is returned as is. Normalize(key) == key for every key it returns.
func Normalize(code string) (string, error) { return Parser{}.Normalize(code) }

// Normalize returns the lookup key of a code by symbology alone, honouring
// PreferUPCE; it applies no masks.
func (p Parser) Normalize(code string) (string, error) {
	key, _, err := p.normalize(trim(code))
	return key, err
}

// Key returns the catalog lookup key of a code including its mask: for a code
// matching an embedding mask, the value digits (and price check digit) are
// zeroed and the check digit recomputed. Unlike Parse it accepts a zero value
// and does not verify the price check digit, so a catalog import can pass the
// key itself; Key(Key(c)) == Key(c), and Parse(c).Key == Key(c) whenever
// Parse succeeds.
func (p Parser) Key(code string) (string, error) {
	key, _, err := p.normalize(trim(code))
	if err != nil {
		return "", err
	}
	m, ok := p.match(key)
	if !ok || m.Embedded == None {
		return key, nil
	}
	if err := m.Validate(); err != nil {
		return "", err
	}
	return zeroValue(m, key), nil
}

// Parse reads a scanned code: it trims surrounding whitespace, checks the
// digits, length and check digit, works out the symbology and lookup key and,
// for an in-store code matching an embedding mask, the embedded value. A zero
// embedded value and a wrong price check digit are errors.
func (p Parser) Parse(raw string) (Scan, error) {
	code := trim(raw)
	key, sym, err := p.normalize(code)
	if err != nil {
		return Scan{}, err
	}
	s := Scan{Raw: code, Symbology: sym, Key: key, ItemCode: key}
	m, ok := p.match(key)
	if !ok {
		if len(key) == 13 && key[0] == '2' {
			s.Symbology = InStore
		}
		return s, nil
	}
	if err := m.Validate(); err != nil {
		return Scan{}, err
	}
	s.Symbology = InStore
	if m.Embedded == None {
		return s, nil
	}
	m = m.resolved()
	l := m.positions()
	val := key[l.value : l.value+m.ValueDigits]
	if l.check >= 0 {
		got, want := key[l.check], priceCheck(val)
		if got != want {
			return Scan{}, invalid(KeyPriceCheck, code, "price check digit is %c, expected %c", got, want)
		}
	}
	v, _ := strconv.ParseInt(val, 10, 64) // at most 10 digits, checked by normalize
	if v == 0 {
		return Scan{}, invalid(KeyZeroValue, code, "embedded %s is zero", m.Embedded)
	}
	s.Embedded = m.Embedded
	s.Key = zeroValue(m, key)
	s.ItemCode = m.itemCode(key)
	switch m.Embedded {
	case Weight:
		s.Weight = catalog.Qty(v * pow10(3-m.Decimals))
	case Quantity:
		s.Quantity = catalog.Qty(v * pow10(3-m.Decimals))
	case Price:
		s.Price = money.Amount(v)
	}
	return s, nil
}

// match returns the first mask whose prefix starts a 13-digit key.
func (p Parser) match(key string) (Mask, bool) {
	if len(key) != 13 {
		return Mask{}, false
	}
	for _, m := range p.Masks {
		if m.Prefix != "" && strings.HasPrefix(key, m.Prefix) {
			return m, true
		}
	}
	return Mask{}, false
}

// zeroValue returns the key with the value and price check digits zeroed and
// the check digit recomputed. m must be valid and key 13 digits.
func zeroValue(m Mask, key string) string {
	m = m.resolved()
	if m.Layout == "" {
		start := 12 - m.ValueDigits - m.priceCheckDigits()
		body := key[:start] + strings.Repeat("0", 12-start)
		return body + string(gs1Check(body))
	}
	l := m.positions()
	b := []byte(key[:12])
	for i := l.value; i < l.value+m.ValueDigits; i++ {
		b[i] = '0'
	}
	if l.check >= 0 {
		b[l.check] = '0'
	}
	for _, i := range l.ignored {
		b[i] = '0'
	}
	return string(b) + string(gs1Check(string(b)))
}

// normalize turns a trimmed code into its lookup key and symbology.
func (p Parser) normalize(code string) (string, Symbology, error) {
	if err := digitsOnly(code); err != nil {
		return "", 0, err
	}
	switch len(code) {
	case 6:
		upca := expandUPCE('0', code)
		return p.canonical("0" + upca), UPCE, nil
	case 8:
		eanOK := Valid(code)
		upca, upceOK := upceExpansion(code)
		if eanOK && !(p.PreferUPCE && upceOK) {
			return code, EAN8, nil
		}
		if upceOK {
			return p.canonical("0" + upca), UPCE, nil
		}
		want := gs1Check(code[:7])
		if code[0] == '0' || code[0] == '1' {
			return "", 0, invalid(KeyCheckDigit, code, "check digit is %c, expected %c (EAN-8) or %c (UPC-E)",
				code[7], want, upceCheck(code))
		}
		return "", 0, invalid(KeyCheckDigit, code, "check digit is %c, expected %c", code[7], want)
	case 12, 13, 14:
		if want := gs1Check(code[:len(code)-1]); want != code[len(code)-1] {
			return "", 0, invalid(KeyCheckDigit, code, "check digit is %c, expected %c", code[len(code)-1], want)
		}
		key := code
		switch len(code) {
		case 12:
			key = "0" + code
		case 14:
			if code[0] != '0' {
				return "", 0, invalid(KeyIndicator, code, "GTIN-14 with indicator %c is a case or pack, not a consumer unit", code[0])
			}
			key = code[1:]
		}
		sym := EAN13
		if key[0] == '0' {
			sym = UPCA
		}
		key = p.canonical(key)
		if len(key) == 8 {
			sym = EAN8
		}
		return key, sym, nil
	default:
		return "", 0, invalid(KeyLength, code, "expected 6, 8, 12, 13 or 14 digits, got %d", len(code))
	}
}

// canonical shortens a valid 13-digit key in the GTIN-8 range ("00000" +
// EAN-8) to the EAN-8, unless PreferUPCE would read that EAN-8 back as UPC-E.
func (p Parser) canonical(key string) string {
	if !strings.HasPrefix(key, "00000") {
		return key
	}
	short := key[5:]
	if p.PreferUPCE {
		if _, ok := upceExpansion(short); ok {
			return key
		}
	}
	return short
}

// ExpandUPCE returns the 12-digit UPC-A that a UPC-E code stands for: an
// 8-digit code (number system 0 or 1, six digits, check digit, which must be
// right) or a 6-digit body read as number system 0.
func ExpandUPCE(code string) (string, error) {
	code = trim(code)
	if err := digitsOnly(code); err != nil {
		return "", err
	}
	switch len(code) {
	case 6:
		return expandUPCE('0', code), nil
	case 8:
		if code[0] != '0' && code[0] != '1' {
			return "", invalid(KeyNumberSystem, code, "UPC-E number system is %c, expected 0 or 1", code[0])
		}
		upca, ok := upceExpansion(code)
		if !ok {
			return "", invalid(KeyCheckDigit, code, "check digit is %c, expected %c", code[7], upceCheck(code))
		}
		return upca, nil
	default:
		return "", invalid(KeyLength, code, "expected 6 or 8 digits for UPC-E, got %d", len(code))
	}
}

// expandUPCE returns the 12-digit UPC-A, check digit included, for the
// number system ns ('0' or '1') and six UPC-E body digits, by the last body
// digit: 0–2 is the third manufacturer digit (then four zeros and three
// product digits); 3 ends a three-digit manufacturer code (five zeros, two
// product digits); 4 ends a four-digit one (five zeros, one product digit);
// 5–9 is the product digit after five manufacturer digits and four zeros.
func expandUPCE(ns byte, body string) string {
	var b string
	switch body[5] {
	case '0', '1', '2':
		b = string(ns) + body[0:2] + body[5:6] + "0000" + body[2:5]
	case '3':
		b = string(ns) + body[0:3] + "00000" + body[3:5]
	case '4':
		b = string(ns) + body[0:4] + "00000" + body[4:5]
	default:
		b = string(ns) + body[0:5] + "0000" + body[5:6]
	}
	return b + string(gs1Check(b))
}

// upceExpansion expands an 8-digit code as UPC-E and reports whether it is
// one: number system 0 or 1 and the check digit of the expansion.
func upceExpansion(code string) (string, bool) {
	if len(code) != 8 || (code[0] != '0' && code[0] != '1') || !allDigits(code) {
		return "", false
	}
	upca := expandUPCE(code[0], code[1:7])
	return upca, upca[11] == code[7]
}

// upceCheck is the check digit an 8-digit UPC-E should have.
func upceCheck(code string) byte { return expandUPCE(code[0], code[1:7])[11] }

// CheckDigit returns the GS1 mod-10 check digit of body as an ASCII digit
// ('0'–'9'), weighting the digits 3, 1, 3, … from the right. It works for any
// GTIN, SSCC or GLN body; the UPC-E check digit is that of its UPC-A
// expansion (see ExpandUPCE).
func CheckDigit(body string) (byte, error) {
	if err := digitsOnly(body); err != nil {
		return 0, err
	}
	if body == "" {
		return 0, invalid(KeyLength, body, "no digits to compute a check digit for")
	}
	return gs1Check(body), nil
}

// Valid reports whether code is at least two digits whose last is the GS1
// mod-10 check digit of the others. It does not trim and does not know UPC-E:
// use Parse or Normalize for scanner input.
func Valid(code string) bool {
	if len(code) < 2 || !allDigits(code) {
		return false
	}
	return gs1Check(code[:len(code)-1]) == code[len(code)-1]
}

// PriceCheckDigit returns the GS1 price/weight check digit (as an ASCII
// digit) of a 4- or 5-digit value, the verifier some in-store codes carry
// before the value.
func PriceCheckDigit(value string) (byte, error) {
	if err := digitsOnly(value); err != nil {
		return 0, err
	}
	if len(value) != 4 && len(value) != 5 {
		return 0, invalid(KeyLength, value, "expected 4 or 5 digits for a price check digit, got %d", len(value))
	}
	return priceCheck(value), nil
}

// Results of the GS1 price check weighting factors for the digits 0–9.
var (
	twoMinus     = [10]int{0, 2, 4, 6, 8, 9, 1, 3, 5, 7} // 2×d, units minus tens
	three        = [10]int{0, 3, 6, 9, 2, 5, 8, 1, 4, 7} // 3×d, units
	fivePlus     = [10]int{0, 5, 1, 6, 2, 7, 3, 8, 4, 9} // 5×d, units plus tens
	fiveMinus    = [10]int{0, 5, 9, 4, 8, 3, 7, 2, 6, 1} // 5×d, units minus tens
	fiveMinusInv = [10]int{0, 9, 7, 5, 3, 1, 8, 6, 4, 2} // the digit whose 5- result is i
)

// priceCheck computes the GS1 price check digit of 4 or 5 ASCII digits.
func priceCheck(v string) byte {
	d := func(i int) int { return int(v[i] - '0') }
	if len(v) == 4 {
		sum := twoMinus[d(0)] + twoMinus[d(1)] + three[d(2)] + fiveMinus[d(3)]
		return byte('0' + sum*3%10)
	}
	sum := fivePlus[d(0)] + twoMinus[d(1)] + fiveMinus[d(2)] + fivePlus[d(3)] + twoMinus[d(4)]
	return byte('0' + fiveMinusInv[(10-sum%10)%10])
}

// gs1Check computes the GS1 mod-10 check digit of ASCII digits.
func gs1Check(body string) byte {
	sum := 0
	for i, w := len(body)-1, 3; i >= 0; i, w = i-1, 4-w {
		sum += int(body[i]-'0') * w
	}
	return byte('0' + (10-sum%10)%10)
}

func trim(s string) string { return strings.TrimSpace(s) }

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// digitsOnly returns an error naming the first non-digit of code.
func digitsOnly(code string) error {
	for i, r := range code {
		if r < '0' || r > '9' {
			return invalid(KeyCharacters, code, "contains %q at position %d, only digits are allowed", r, i+1)
		}
	}
	return nil
}

func invalid(key, code, format string, args ...any) error {
	e := poserr.E(poserr.Invalid, key, "barcode %q: "+format, append([]any{code}, args...)...)
	e.Args = map[string]any{"code": code}
	return e
}

func pow10(n int) int64 {
	p := int64(1)
	for ; n > 0; n-- {
		p *= 10
	}
	return p
}
