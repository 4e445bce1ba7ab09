package money

import (
	"math"
	"math/big"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestExchange(t *testing.T) {
	usd := func(r string) Rate {
		v, err := ParseRate(r)
		require.NoError(t, err)
		return v
	}
	tests := []struct {
		name     string
		a        Amount
		from     Currency
		rate     Rate
		to       Currency
		want     Amount
		wantBack Amount // ExchangeBack(want) — the least foreign that covers it
	}{
		{"USD 20.00 at 0.9234", 2000, USD, usd("0.9234"), EUR, 1847, 2000},
		{"USD 0.01 at 0.9234", 1, USD, usd("0.9234"), EUR, 1, 1},
		{"JPY 1000 at 0.0061", 1000, JPY, usd("0.0061"), EUR, 610, 1000},
		{"EUR 10.00 at 161.5 into JPY", 1000, EUR, usd("161.5"), JPY, 1615, 1000},
		{"CHF 100.00 at 1.0712", 10000, CHF, usd("1.0712"), EUR, 10712, 10000},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := Exchange(tc.a, tc.from, tc.rate, tc.to, HalfUp)
			assert.Equal(t, tc.want, got)
			back := ExchangeBack(got, tc.from, tc.rate, tc.to)
			assert.LessOrEqual(t, back, tc.wantBack)
			assert.GreaterOrEqual(t, Exchange(back, tc.from, tc.rate, tc.to, HalfUp), got, "it covers")
			if back > 0 {
				assert.Less(t, Exchange(back-1, tc.from, tc.rate, tc.to, HalfUp), got, "and is the least that does")
			}
		})
	}
	for _, bad := range []string{"0", "-1", "abc", "1.1234567", ""} {
		_, err := ParseRate(bad)
		assert.Error(t, err, bad)
	}
	assert.Equal(t, "0.923400", usd("0.9234").String())
}

func FuzzExchangeBack(f *testing.F) {
	f.Add(int64(1847), int64(923400))
	f.Add(int64(1), int64(1))
	f.Fuzz(func(t *testing.T, a, rate int64) {
		if a <= 0 || a > 1e12 || rate <= 0 || rate > 1e12 {
			return
		}
		back := ExchangeBack(Amount(a), USD, Rate(rate), EUR)
		if Exchange(back, USD, Rate(rate), EUR, HalfUp) < Amount(a) {
			t.Fatalf("%d foreign does not cover %d at %d", back, a, rate)
		}
		if back > 0 && Exchange(back-1, USD, Rate(rate), EUR, HalfUp) >= Amount(a) {
			t.Fatalf("%d foreign is not the least that covers %d at %d", back, a, rate)
		}
	})
}

// FuzzMulDiv holds MulDiv (rounded toward zero) and Allocate to math/big.
func FuzzMulDiv(f *testing.F) {
	f.Add(int64(1)<<62, int64(3), int64(7))
	f.Add(int64(-123456789012345), int64(987654321), int64(1000000))
	f.Fuzz(func(t *testing.T, a, b, den int64) {
		if den <= 0 || a == math.MinInt64 || b == math.MinInt64 {
			return
		}
		want := new(big.Int).Quo(new(big.Int).Mul(big.NewInt(a), big.NewInt(b)), big.NewInt(den))
		if !want.IsInt64() || want.Int64() > 1<<62 || want.Int64() < -(1<<62) {
			return // MulDiv panics on what overflows
		}
		if got := MulDiv(a, b, den, Down); got != want.Int64() {
			t.Fatalf("MulDiv(%d, %d, %d) = %d, want %d", a, b, den, got, want.Int64())
		}
	})
}
