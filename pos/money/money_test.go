package money

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDiv(t *testing.T) {
	tests := []struct {
		num, den int64
		mode     Mode
		want     int64
	}{
		{2125, 10, HalfUp, 213},
		{-2125, 10, HalfUp, -213},
		{2124, 10, HalfUp, 212},
		{2125, 10, HalfEven, 212},
		{2135, 10, HalfEven, 214},
		{-2125, 10, HalfEven, -212},
		{2126, 10, HalfEven, 213},
		{2121, 10, Up, 213},
		{2129, 10, Down, 212},
		{-2129, 10, Down, -212},
		{10, 3, HalfUp, 3},
		{20, 3, HalfUp, 7},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, Div(tt.num, tt.den, tt.mode), "Div(%d,%d,%s)", tt.num, tt.den, tt.mode)
	}
}

func TestCashRounding(t *testing.T) {
	tests := []struct {
		a, step, want Amount
	}{
		{1232, 5, 1230},
		{1233, 5, 1235},
		{1237, 5, 1235},
		{1238, 5, 1240},
		{1234, 10, 1230},
		{1235, 10, 1240},
		{1249, 100, 1200},
		{1250, 100, 1300},
		{-1233, 5, -1235},
		{1233, 1, 1233},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, RoundTo(tt.a, tt.step, HalfUp), "RoundTo(%d,%d)", tt.a, tt.step)
	}
}

func TestMulDivLarge(t *testing.T) {
	// 9e15 minor units × 19 % would overflow a naive int64 product.
	big := int64(9_000_000_000_000_000)
	assert.Equal(t, big/100*19, MulDiv(big, 1900, 10000, HalfUp))
	assert.Equal(t, -big/100*19, MulDiv(-big, 1900, 10000, HalfUp))
	assert.Equal(t, int64(3), MulDiv(10, 1, 3, HalfUp))
}

func TestParseFormat(t *testing.T) {
	tests := []struct {
		in     string
		digits int
		want   Amount
		err    bool
	}{
		{"12.34", 2, 1234, false},
		{"12,5", 2, 1250, false},
		{"-0.05", 2, -5, false},
		{"7", 2, 700, false},
		{".5", 2, 50, false},
		{"12.345", 2, 0, true},
		{"abc", 2, 0, true},
		{"", 2, 0, true},
		{"-", 2, 0, true},
		{"100", 0, 100, false},
		{"99999999999999999999", 2, 0, true},
	}
	for _, tt := range tests {
		got, err := Parse(tt.in, tt.digits)
		if tt.err {
			require.Error(t, err, tt.in)
			assert.ErrorIs(t, err, ErrAmount)
			continue
		}
		require.NoError(t, err, tt.in)
		assert.Equal(t, tt.want, got, tt.in)
	}
	assert.Equal(t, "12.34", Amount(1234).Format(2))
	assert.Equal(t, "-0.05", Amount(-5).Format(2))
	assert.Equal(t, "0.00", Amount(0).Format(2))
	assert.Equal(t, "100", Amount(100).Format(0))
}

func TestAllocateAddsUp(t *testing.T) {
	tests := []struct {
		total   Amount
		weights []Amount
		want    []Amount
	}{
		{1000, []Amount{1, 1, 1}, []Amount{334, 333, 333}},
		{100, []Amount{300, 100}, []Amount{75, 25}},
		{-100, []Amount{1, 1, 1}, []Amount{-34, -33, -33}},
		{5, []Amount{0, 0}, []Amount{3, 2}},
	}
	for _, tt := range tests {
		got := Allocate(tt.total, tt.weights)
		assert.Equal(t, tt.want, got)
		assert.Equal(t, tt.total, Sum(got...))
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"1.00", "-3", "0,5", "x", "1e5", "99999999999999999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a, err := Parse(s, 2)
		if err != nil {
			return
		}
		back, err := Parse(a.Format(2), 2)
		require.NoError(t, err)
		require.Equal(t, a, back)
	})
}
