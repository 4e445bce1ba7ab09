// Package money holds exact amounts in minor units and every rounding rule
// the till uses. No float ever touches an amount.
package money

import (
	"cmp"
	"errors"
	"fmt"
	"math/bits"
	"slices"
	"strconv"
	"strings"
)

// Amount is a signed quantity of a currency's minor unit (cents, pence).
type Amount int64

// Currency is an ISO 4217 currency with its number of minor-unit digits.
type Currency struct {
	Code   string // ISO 4217 code, e.g. "EUR"
	Digits int    // minor-unit digits, e.g. 2
}

// Common currencies used by the demo store and tests.
var (
	EUR = Currency{Code: "EUR", Digits: 2}
	USD = Currency{Code: "USD", Digits: 2}
	CHF = Currency{Code: "CHF", Digits: 2}
	JPY = Currency{Code: "JPY", Digits: 0}
)

// Money is an amount tied to its currency.
type Money struct {
	Amount   Amount
	Currency Currency
}

// String formats the money as "12.34 EUR" (locale-neutral, for logs and JSON).
func (m Money) String() string { return m.Amount.Format(m.Currency.Digits) + " " + m.Currency.Code }

// Mode is a rounding rule.
type Mode int

// Rounding modes. HalfUp rounds halves away from zero (2.125 → 2.13, -2.125 → -2.13),
// as the anchor's pricing engine does; HalfEven is banker's rounding.
const (
	HalfUp Mode = iota
	HalfEven
	Down // toward zero
	Up   // away from zero
)

// ParseMode reads a rounding mode name: "half-up", "half-even", "down", "up".
func ParseMode(s string) (Mode, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "half-up", "halfup", "":
		return HalfUp, nil
	case "half-even", "halfeven", "bankers":
		return HalfEven, nil
	case "down":
		return Down, nil
	case "up":
		return Up, nil
	}
	return 0, fmt.Errorf("unknown rounding mode %q: use half-up, half-even, down or up", s)
}

// String names the mode as ParseMode reads it.
func (m Mode) String() string {
	switch m {
	case HalfEven:
		return "half-even"
	case Down:
		return "down"
	case Up:
		return "up"
	}
	return "half-up"
}

// Div divides num by den (den > 0) and rounds the quotient by mode.
// It is the one place where a fraction of a minor unit is resolved.
func Div(num, den int64, mode Mode) int64 {
	if den <= 0 {
		panic("money.Div: denominator must be positive")
	}
	q, r := num/den, num%den
	if r == 0 {
		return q
	}
	neg := num < 0
	if neg {
		r = -r
	}
	away := false
	switch mode {
	case HalfUp:
		away = 2*r >= den
	case HalfEven:
		switch {
		case 2*r > den:
			away = true
		case 2*r == den:
			away = q%2 != 0
		}
	case Up:
		away = true
	case Down:
		away = false
	}
	if away {
		if neg {
			return q - 1
		}
		return q + 1
	}
	return q
}

// MulDiv returns a*b/den rounded by mode, using 128-bit intermediate precision
// so that large amounts times rates never overflow silently.
func MulDiv(a, b, den int64, mode Mode) int64 {
	hi, lo, neg := mul128(a, b)
	if hi == 0 && lo <= 1<<62 {
		v := int64(lo)
		if neg {
			v = -v
		}
		return Div(v, den, mode)
	}
	// Slow path: the 128-bit magnitude divided in hardware.
	if hi >= uint64(den) {
		panic("money.MulDiv: result overflows int64")
	}
	q, r := bits.Div64(hi, lo, uint64(den))
	if q > 1<<62 {
		panic("money.MulDiv: result overflows int64")
	}
	// Build a fake numerator with the same remainder to reuse Div's rounding.
	qi := int64(q)
	ri := int64(r)
	if neg {
		qi, ri = -qi, -ri
	}
	return qi + Div(ri, den, mode)
}

func mul128(a, b int64) (hi, lo uint64, neg bool) {
	neg = (a < 0) != (b < 0)
	ua, ub := abs64(a), abs64(b)
	hi, lo = bits.Mul64(ua, ub)
	return hi, lo, neg && (ua != 0 && ub != 0)
}

func abs64(v int64) uint64 {
	if v < 0 {
		return uint64(-v)
	}
	return uint64(v)
}

// RoundTo rounds a to a multiple of step (step > 0) by mode. It implements
// cash rounding: RoundTo(1233, 5, HalfUp) = 1235 for a 0.05 step.
func RoundTo(a Amount, step Amount, mode Mode) Amount {
	if step <= 1 {
		return a
	}
	return Amount(Div(int64(a), int64(step), mode) * int64(step))
}

// Percent returns a × bp / 10,000 rounded by mode: the amount of a percentage
// given in basis points (1 % = 100 bp).
func Percent(a Amount, bp int64, mode Mode) Amount {
	return Amount(MulDiv(int64(a), bp, 10000, mode))
}

// Format renders a with the given number of minor digits: 1234, 2 → "12.34".
// It is locale-neutral; the UI formats for the store's locale.
func (a Amount) Format(digits int) string {
	neg := a < 0
	u := abs64(int64(a))
	s := strconv.FormatUint(u, 10)
	if digits > 0 {
		for len(s) <= digits {
			s = "0" + s
		}
		s = s[:len(s)-digits] + "." + s[len(s)-digits:]
	}
	if neg {
		s = "-" + s
	}
	return s
}

// String formats a with two minor digits.
func (a Amount) String() string { return a.Format(2) }

// ErrAmount is wrapped by every Parse failure.
var ErrAmount = errors.New("not an amount")

// Parse reads a decimal amount such as "12.34", "-0.5" or "7" into minor units
// for a currency with the given digits. More fraction digits than the currency
// has is an error, never a silent rounding.
func Parse(s string, digits int) (Amount, error) {
	t := strings.TrimSpace(s)
	if t == "" {
		return 0, fmt.Errorf("%w: empty text", ErrAmount)
	}
	neg := false
	switch t[0] {
	case '-':
		neg, t = true, t[1:]
	case '+':
		t = t[1:]
	}
	t = strings.ReplaceAll(t, ",", ".")
	whole, frac, hasDot := strings.Cut(t, ".")
	if whole == "" && (!hasDot || frac == "") {
		return 0, fmt.Errorf("%w: %q has no digits", ErrAmount, s)
	}
	if len(frac) > digits {
		return 0, fmt.Errorf("%w: %q has more than %d decimal places", ErrAmount, s, digits)
	}
	for _, c := range whole + frac {
		if c < '0' || c > '9' {
			return 0, fmt.Errorf("%w: %q contains %q", ErrAmount, s, c)
		}
	}
	for len(frac) < digits {
		frac += "0"
	}
	if len(whole)+len(frac) > 17 {
		return 0, fmt.Errorf("%w: %q is too large", ErrAmount, s)
	}
	v, err := strconv.ParseInt(whole+frac, 10, 64)
	if err != nil && whole+frac != "" {
		return 0, fmt.Errorf("%w: %q: %v", ErrAmount, s, err)
	}
	if neg {
		v = -v
	}
	return Amount(v), nil
}

// Sum adds amounts.
func Sum(as ...Amount) Amount {
	var t Amount
	for _, a := range as {
		t += a
	}
	return t
}

// Allocate splits total over weights proportionally so that the parts add up
// exactly to total (largest-remainder method: the parts with the largest
// remainders, the first of equal ones, get the cents left over). Weights
// must be non-negative; if they are all zero the total is spread evenly.
func Allocate(total Amount, weights []Amount) []Amount {
	return AllocateInto(make([]Amount, len(weights)), total, weights)
}

// AllocateInto is Allocate writing the parts into out's room (grown when
// short), for callers that split many small amounts: a few parts into room
// they already have cost no allocation.
func AllocateInto(out []Amount, total Amount, weights []Amount) []Amount {
	var a Allocator
	return a.Into(out, total, weights)
}

// Allocator is AllocateInto with its own working room (the remainders and
// their order) kept from one split to the next, for a caller that splits
// over many parts again and again. The zero value is ready; an Allocator
// serves one split at a time.
type Allocator struct {
	rems  []int64
	order []int32
}

// Into is AllocateInto, working in a's room.
func (a *Allocator) Into(out []Amount, total Amount, weights []Amount) []Amount {
	if cap(out) < len(weights) {
		out = make([]Amount, len(weights))
	}
	out = out[:len(weights)]
	if len(weights) == 0 {
		return out
	}
	var sum int64
	for _, w := range weights {
		sum += int64(w)
	}
	even := sum == 0
	if even {
		sum = int64(len(out))
	}
	weight := func(i int) int64 {
		if even {
			return 1
		}
		return int64(weights[i])
	}
	var given int64
	var few [16]int64 // a few parts: the remainders on the stack
	var rems []int64
	switch {
	case len(out) <= len(few):
		rems = few[:len(out)]
	case cap(a.rems) >= len(out):
		rems = a.rems[:len(out)]
	default:
		a.rems = make([]int64, len(out))
		rems = a.rems
	}
	for i := range out {
		w := weight(i)
		out[i] = Amount(MulDiv(int64(total), w, sum, Down))
		given += int64(out[i])
		// remainder magnitude for ordering
		hi, lo, _ := mul128(int64(total), w)
		rems[i] = int64(bits.Rem64(hi, lo, uint64(sum)))
	}
	left := int64(total) - given
	if left == 0 {
		return out
	}
	step := Amount(1)
	if left < 0 {
		step, left = -1, -left
	}
	if left*int64(len(out)) <= 256 { // a few parts or cents: search for each cent
		for ; left > 0; left-- {
			best := -1
			for i := range out {
				if weight(i) != 0 && (best < 0 || rems[i] > rems[best]) {
					best = i
				}
			}
			best = max(best, 0)
			out[best] += step
			rems[best] = -1
		}
		return out
	}
	// Otherwise sorted once rather than searched for each cent: a threshold
	// discount spread over a thousand lines has hundreds of cents left.
	order := a.order[:0]
	for i := range out {
		if weight(i) != 0 {
			order = append(order, int32(i))
		}
	}
	slices.SortStableFunc(order, func(x, y int32) int { return cmp.Compare(rems[y], rems[x]) })
	for k := int64(0); k < left; k++ {
		i := 0
		switch {
		case k < int64(len(order)):
			i = int(order[k])
		case len(order) > 0:
			i = int(slices.Min(order)) // cannot happen: fewer cents are left than parts
		}
		out[i] += step
	}
	a.order = order[:0]
	return out
}
