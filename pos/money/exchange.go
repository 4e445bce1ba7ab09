package money

import "fmt"

// RateScale is the precision of exchange rates: a Rate is the store
// currency's major units per foreign major unit times RateScale (0.9234
// EUR per USD = 923400).
const RateScale = 1_000_000

// Rate is an exchange rate into the store's currency, in millionths.
type Rate int64

// ParseRate reads a decimal rate ("0.9234", "161.5"): up to six decimals,
// above zero.
func ParseRate(s string) (Rate, error) {
	a, err := Parse(s, 6)
	if err != nil || a <= 0 {
		return 0, fmt.Errorf("an exchange rate is a number above zero with up to six decimals, like 0.9234 (got %q)", s)
	}
	return Rate(a), nil
}

// String renders the rate with six decimals.
func (r Rate) String() string { return Amount(r).Format(6) }

func pow10(n int) int64 {
	p := int64(1)
	for range n {
		p *= 10
	}
	return p
}

// Exchange converts a (in from's minor units) into to's minor units at
// rate (to per from), rounded by mode: USD 20.00 at 0.9234 is EUR 18.47.
func Exchange(a Amount, from Currency, rate Rate, to Currency, mode Mode) Amount {
	num := int64(rate) * pow10(to.Digits)
	den := int64(RateScale) * pow10(from.Digits)
	return Amount(MulDiv(int64(a), num, den, mode))
}

// ExchangeBack is the least of from (minor units) that, exchanged at rate
// (rounded half up), covers a in to: EUR 18.47 at 0.9234 takes USD 20.00
// (18.468, which is EUR 18.47). a is positive.
func ExchangeBack(a Amount, from Currency, rate Rate, to Currency) Amount {
	num := int64(RateScale) * pow10(from.Digits)
	den := int64(rate) * pow10(to.Digits)
	f := Amount(MulDiv(int64(a), num, den, Up))
	for f > 0 && Exchange(f-1, from, rate, to, HalfUp) >= a {
		f-- // the ceiling overshoots by the rounding of the way back
	}
	return f
}
