package report

import (
	"bytes"
	"encoding/json"
	"errors"
	"time"
	"unicode/utf8"

	"github.com/opentill/opentill/pos/cart"
	"github.com/opentill/opentill/pos/catalog"
	"github.com/opentill/opentill/pos/money"
	"github.com/opentill/opentill/pos/storedvalue"
	"github.com/opentill/opentill/pos/tax"
)

// A month of one till is tens of thousands of transactions, each a JSON
// document of a kilobyte or two in the journal; encoding/json reads them at
// some 20–40 MB/s here, far too slow for a report a manager waits for.
// decodeCart reads the fields the reports use straight from the bytes (and
// skips the rest without building anything). On every document the till
// writes (encoding/json's output) it reads what encoding/json reads — a test
// and FuzzReportDecode hold it to that — and anything it does not expect
// (escaped strings, numbers that are not plain integers, invalid UTF-8,
// broken syntax) is read again with encoding/json. It is not a validator:
// input the till never writes (control characters in strings, keys in
// other letter cases) may read differently.

var errSyntax = errors.New("report: unexpected JSON")

// reader walks one JSON document.
type reader struct {
	b      []byte
	i      int
	intern map[string]string // repeated strings (names, categories) shared
}

func (r *reader) ws() {
	for r.i < len(r.b) {
		switch r.b[r.i] {
		case ' ', '\t', '\n', '\r':
			r.i++
		default:
			return
		}
	}
}

func (r *reader) peek() byte {
	r.ws()
	if r.i >= len(r.b) {
		return 0
	}
	return r.b[r.i]
}

func (r *reader) expect(c byte) error {
	if r.peek() != c {
		return errSyntax
	}
	r.i++
	return nil
}

// object calls fn for each key; fn reads or skips its value.
func (r *reader) object(fn func(key []byte) error) error {
	if r.peek() == 'n' {
		return r.skip()
	}
	if err := r.expect('{'); err != nil {
		return err
	}
	if r.peek() == '}' {
		r.i++
		return nil
	}
	for {
		k, err := r.rawString()
		if err != nil {
			return err
		}
		if err := r.expect(':'); err != nil {
			return err
		}
		if err := fn(k); err != nil {
			return err
		}
		switch r.peek() {
		case ',':
			r.i++
		case '}':
			r.i++
			return nil
		default:
			return errSyntax
		}
	}
}

// array calls fn for each element; fn reads or skips it.
func (r *reader) array(fn func() error) error {
	if r.peek() == 'n' {
		return r.skip()
	}
	if err := r.expect('['); err != nil {
		return err
	}
	if r.peek() == ']' {
		r.i++
		return nil
	}
	for {
		if err := fn(); err != nil {
			return err
		}
		switch r.peek() {
		case ',':
			r.i++
		case ']':
			r.i++
			return nil
		default:
			return errSyntax
		}
	}
}

// rawString returns a string's bytes without its quotes; a string with an
// escape is an error here (the caller falls back) unless unescaped by str.
func (r *reader) rawString() ([]byte, error) {
	if err := r.expect('"'); err != nil {
		return nil, err
	}
	rest := r.b[r.i:]
	end := bytes.IndexByte(rest, '"')
	if end < 0 {
		return nil, errSyntax
	}
	if bytes.IndexByte(rest[:end], '\\') >= 0 {
		return nil, errEscape
	}
	r.i += end + 1
	return rest[:end], nil
}

var errEscape = errors.New("report: escaped string")

// str reads a string value (null is ""), interning it.
func (r *reader) str() (string, error) {
	if r.peek() == 'n' {
		return "", r.skip()
	}
	at := r.i
	b, err := r.rawString()
	if errors.Is(err, errEscape) {
		r.i = at
		return r.escaped()
	}
	if err != nil {
		return "", err
	}
	if !utf8.Valid(b) {
		return "", errSyntax
	}
	if s, ok := r.intern[string(b)]; ok {
		return s, nil
	}
	s := string(b)
	if len(r.intern) < 4096 {
		r.intern[s] = s
	}
	return s, nil
}

// unique reads a string value that is not worth interning (a receipt number).
func (r *reader) unique() (string, error) {
	if r.peek() == 'n' {
		return "", r.skip()
	}
	at := r.i
	b, err := r.rawString()
	if errors.Is(err, errEscape) {
		r.i = at
		return r.escaped()
	}
	if err != nil || !utf8.Valid(b) {
		return "", errSyntax
	}
	return string(b), nil
}

// escaped reads a string with escapes the slow way.
func (r *reader) escaped() (string, error) {
	start := r.i
	if err := r.skipString(); err != nil {
		return "", err
	}
	var s string
	if err := json.Unmarshal(r.b[start:r.i], &s); err != nil {
		return "", errSyntax
	}
	return s, nil
}

func (r *reader) skipString() error {
	if err := r.expect('"'); err != nil {
		return err
	}
	for r.i < len(r.b) {
		switch r.b[r.i] {
		case '"':
			r.i++
			return nil
		case '\\':
			r.i++
		}
		r.i++
	}
	return errSyntax
}

// int reads an integer value (null is 0).
func (r *reader) int() (int64, error) {
	switch r.peek() {
	case 'n':
		return 0, r.skip()
	case '"':
		return 0, errSyntax
	}
	start := r.i
	if r.i < len(r.b) && r.b[r.i] == '-' {
		r.i++
	}
	for r.i < len(r.b) && r.b[r.i] >= '0' && r.b[r.i] <= '9' {
		r.i++
	}
	if r.i < len(r.b) && (r.b[r.i] == '.' || r.b[r.i] == 'e' || r.b[r.i] == 'E') {
		return 0, errSyntax
	}
	digits := r.b[start:r.i]
	neg := len(digits) > 0 && digits[0] == '-'
	if neg {
		digits = digits[1:]
	}
	if len(digits) == 0 || len(digits) > 18 {
		return 0, errSyntax // empty, or too long to be sure of: encoding/json decides
	}
	var n int64
	for _, d := range digits {
		n = n*10 + int64(d-'0')
	}
	if neg {
		n = -n
	}
	return n, nil
}

func (r *reader) amount() (money.Amount, error) {
	n, err := r.int()
	return money.Amount(n), err
}

func (r *reader) bool() (bool, error) {
	r.ws()
	switch {
	case hasAt(r.b, r.i, "true"):
		r.i += 4
		return true, nil
	case hasAt(r.b, r.i, "false"):
		r.i += 5
		return false, nil
	case hasAt(r.b, r.i, "null"):
		r.i += 4
		return false, nil
	}
	return false, errSyntax
}

func (r *reader) time() (time.Time, error) {
	if r.peek() == 'n' {
		return time.Time{}, r.skip()
	}
	b, err := r.rawString()
	if err != nil {
		return time.Time{}, err
	}
	return time.Parse(time.RFC3339Nano, string(b))
}

func hasAt(b []byte, i int, s string) bool { return len(b)-i >= len(s) && string(b[i:i+len(s)]) == s }

// skip skips any value.
func (r *reader) skip() error {
	switch c := r.peek(); {
	case c == '{':
		return r.object(func([]byte) error { return r.skip() })
	case c == '[':
		return r.array(r.skip)
	case c == '"':
		return r.skipString()
	case c == 't':
		_, err := r.bool()
		return err
	case c == 'f':
		_, err := r.bool()
		return err
	case c == 'n':
		if hasAt(r.b, r.i, "null") {
			r.i += 4
			return nil
		}
		return errSyntax
	case c == '-' || (c >= '0' && c <= '9'):
		for r.i < len(r.b) {
			switch r.b[r.i] {
			case ',', '}', ']', ' ', '\n', '\t', '\r':
				return nil
			}
			r.i++
		}
		return nil
	}
	return errSyntax
}

// decodeCart reads the fields of a transaction the reports use (not its
// ID, store, item IDs, tender names nor the other totals' details). On
// anything unexpected it decodes the whole document with encoding/json.
func decodeCart(b []byte, c *cart.Cart, intern map[string]string) error {
	// The slices' arrays are used again (nothing the reports keep points
	// into them).
	*c = cart.Cart{Lines: c.Lines[:0], Tenders: c.Tenders[:0], TaxSummary: c.TaxSummary[:0], Authorities: c.Authorities[:0]}
	r := &reader{b: b, intern: intern}
	if err := r.cart(c); err == nil && r.peek() == 0 {
		return nil
	}
	*c = cart.Cart{}
	return json.Unmarshal(b, c)
}

func (r *reader) cart(c *cart.Cart) error {
	var err error
	return r.object(func(k []byte) error {
		switch string(k) {
		case "receipt_no":
			c.ReceiptNo, err = r.unique()
		case "terminal":
			c.Terminal, err = r.str()
		case "operator":
			c.Operator, err = r.str()
		case "currency":
			err = r.object(func(k []byte) error {
				var e error
				switch string(k) {
				case "Digits":
					var n int64
					n, e = r.int()
					c.Currency.Digits = int(n)
				default:
					e = r.skip()
				}
				return e
			})
		case "status":
			var s string
			s, err = r.str()
			c.Status = cart.Status(s)
		case "started":
			c.Started, err = r.time()
		case "finished":
			c.Finished, err = r.time()
		case "lines":
			err = r.array(func() error {
				c.Lines = append(c.Lines, cart.Line{})
				return r.line(&c.Lines[len(c.Lines)-1])
			})
		case "discount":
			err = r.discount(&c.Discount)
		case "tenders":
			err = r.array(func() error {
				c.Tenders = append(c.Tenders, cart.Tender{})
				return r.tender(&c.Tenders[len(c.Tenders)-1])
			})
		case "change":
			c.Change, err = r.amount()
		case "change_tender":
			c.ChangeTender, err = r.str()
		case "rounding":
			c.Rounding, err = r.amount()
		case "totals":
			err = r.totals(&c.Totals)
		case "tax_summary":
			err = r.array(func() error {
				c.TaxSummary = append(c.TaxSummary, tax.CodeTotal{})
				return r.taxTotal(&c.TaxSummary[len(c.TaxSummary)-1])
			})
		case "tax_inclusive":
			c.TaxInclusive, err = r.bool()
		case "return_no_receipt":
			c.ReturnNoReceipt, err = r.bool()
		case "shift":
			c.Shift, err = r.str()
		case "authorities":
			err = r.array(func() error {
				c.Authorities = append(c.Authorities, cart.Authority{})
				return r.authority(&c.Authorities[len(c.Authorities)-1])
			})
		default:
			err = r.skip()
		}
		return err
	})
}

func (r *reader) discount(d *cart.Discount) error {
	return r.object(func(k []byte) error {
		var err error
		switch string(k) {
		case "percent_bp":
			d.Percent, err = r.int()
		case "amount":
			d.Amount, err = r.amount()
		default:
			err = r.skip()
		}
		return err
	})
}

func (r *reader) line(l *cart.Line) error {
	return r.object(func(k []byte) error {
		var err error
		var n int64
		switch string(k) {
		case "no":
			n, err = r.int()
			l.No = int(n)
		case "product_id":
			l.ProductID, err = r.str()
		case "category":
			l.Category, err = r.str()
		case "name":
			l.Name, err = r.str()
		case "unit_decimals":
			n, err = r.int()
			l.UnitDecimals = int(n)
		case "qty":
			n, err = r.int()
			l.Qty = catalog.Qty(n)
		case "unit_price":
			l.UnitPrice, err = r.amount()
		case "original_price":
			l.OriginalPrice, err = r.amount()
		case "price_overridden":
			l.Overridden, err = r.bool()
		case "tax_group":
			l.TaxGroup, err = r.str()
		case "discount":
			err = r.discount(&l.Discount)
		case "voided":
			l.Voided, err = r.bool()
		case "return_of":
			if r.peek() == 'n' {
				return r.skip()
			}
			ref := &cart.ReturnRef{}
			l.ReturnOf = ref
			err = r.object(func(k []byte) error {
				var e error
				switch string(k) {
				case "receipt_no":
					ref.ReceiptNo, e = r.str()
				case "line_no":
					var n int64
					n, e = r.int()
					ref.LineNo = int(n)
				default:
					e = r.skip()
				}
				return e
			})
		case "order":
			if r.peek() == 'n' {
				return r.skip()
			}
			ref := &cart.OrderRef{}
			l.Order = ref
			err = r.object(func(k []byte) error {
				var e error
				var s string
				switch string(k) {
				case "id":
					ref.ID, e = r.str()
				case "number":
					ref.Number, e = r.str()
				case "role":
					s, e = r.str()
					ref.Role = cart.OrderRole(s)
				case "line_no":
					var n int64
					n, e = r.int()
					ref.LineNo = int(n)
				default:
					e = r.skip()
				}
				return e
			})
		case "value":
			if r.peek() == 'n' {
				return r.skip()
			}
			ref := &cart.ValueRef{}
			l.Value = ref
			err = r.object(func(k []byte) error {
				var e error
				var s string
				switch string(k) {
				case "kind":
					s, e = r.str()
					ref.Kind = storedvalue.Kind(s)
				case "number":
					ref.Number, e = r.str()
				case "role":
					s, e = r.str()
					ref.Role = cart.ValueRole(s)
				default:
					e = r.skip()
				}
				return e
			})
		case "gross":
			l.Gross, err = r.amount()
		case "promo_discount":
			l.PromoDiscount, err = r.amount()
		case "promotions":
			err = r.array(func() error {
				l.Promotions = append(l.Promotions, cart.Applied{})
				a := &l.Promotions[len(l.Promotions)-1]
				return r.object(func(k []byte) error {
					var e error
					switch string(k) {
					case "offer_id":
						a.OfferID, e = r.str()
					case "name":
						a.Name, e = r.str()
					case "kind":
						a.Kind, e = r.str()
					case "amount":
						a.Amount, e = r.amount()
					case "coupon":
						a.Coupon, e = r.str()
					default:
						e = r.skip()
					}
					return e
				})
			})
		case "line_discount":
			l.LineDiscount, err = r.amount()
		case "total_discount":
			l.TotalDiscount, err = r.amount()
		case "net":
			l.Net, err = r.amount()
		case "tax":
			l.Tax, err = r.amount()
		default:
			err = r.skip()
		}
		return err
	})
}

func (r *reader) tender(t *cart.Tender) error {
	return r.object(func(k []byte) error {
		var err error
		switch string(k) {
		case "no":
			var n int64
			n, err = r.int()
			t.No = int(n)
		case "type":
			t.TypeID, err = r.str()
		case "kind":
			var s string
			s, err = r.str()
			t.Kind = cart.TenderKind(s)
		case "amount":
			t.Amount, err = r.amount()
		case "voided":
			t.Voided, err = r.bool()
		default:
			err = r.skip()
		}
		return err
	})
}

func (r *reader) totals(t *cart.Totals) error {
	return r.object(func(k []byte) error {
		var err error
		var dst *money.Amount
		switch string(k) {
		case "subtotal":
			dst = &t.Subtotal
		case "promo_discounts":
			dst = &t.PromoDiscounts
		case "line_discounts":
			dst = &t.LineDiscounts
		case "total_discounts":
			dst = &t.TotalDiscounts
		case "discounts":
			dst = &t.Discounts
		case "tax":
			dst = &t.Tax
		case "exclusive_tax":
			dst = &t.ExclusiveTax
		case "total":
			dst = &t.Total
		case "rounding":
			dst = &t.Rounding
		case "due":
			dst = &t.Due
		case "paid":
			dst = &t.Paid
		case "change":
			dst = &t.Change
		case "remaining":
			dst = &t.Remaining
		default:
			return r.skip()
		}
		*dst, err = r.amount()
		return err
	})
}

func (r *reader) taxTotal(t *tax.CodeTotal) error {
	return r.object(func(k []byte) error {
		var err error
		switch string(k) {
		case "code":
			t.Code, err = r.str()
		case "name":
			t.Name, err = r.str()
		case "rate":
			t.Rate, err = r.int()
		case "basis":
			t.Basis, err = r.amount()
		case "amount":
			t.Amount, err = r.amount()
		default:
			err = r.skip()
		}
		return err
	})
}

func (r *reader) authority(a *cart.Authority) error {
	return r.object(func(k []byte) error {
		var err error
		switch string(k) {
		case "limit":
			var s string
			s, err = r.str()
			a.Limit = cart.Limit(s)
		case "line":
			var n int64
			n, err = r.int()
			a.Line = int(n)
		case "operator":
			a.Operator, err = r.str()
		case "approved":
			a.Approved, err = r.bool()
		case "max":
			a.Max, err = r.int()
		default:
			err = r.skip()
		}
		return err
	})
}
