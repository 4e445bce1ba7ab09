package storedvalue

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestSpendable(t *testing.T) {
	heard := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	p := Policy{OfflineCap: 3000}
	tests := []struct {
		name string
		b    Balance
		live bool
		want int64
	}{
		{"never heard of", Balance{Kind: GiftCard}, true, 0},
		{"online: all of it", Balance{Kind: GiftCard, Known: 5000, AsOf: heard}, true, 5000},
		{"offline: the cap", Balance{Kind: GiftCard, Known: 5000, AsOf: heard}, false, 3000},
		{"offline: the cap less what this till spent", Balance{Kind: GiftCard, Known: 5000, AsOf: heard, Pending: -1000, Unconfirmed: 1000}, false, 2000},
		{"offline: less than the cap left", Balance{Kind: GiftCard, Known: 1500, AsOf: heard}, false, 1500},
		{"overdrawn", Balance{Kind: GiftCard, Known: -200, AsOf: heard}, true, 0},
		{"a memo offline from another till", Balance{Kind: Memo, Known: 1000, AsOf: heard}, false, 0},
		{"a memo offline from this till", Balance{Kind: Memo, Pending: 1000, IssuedHere: true}, false, 1000},
		{"a memo online", Balance{Kind: Memo, Known: 1000, AsOf: heard}, true, 1000},
		{"an account: limit less owed", Balance{Kind: Account, Known: -2000, Limit: 5000, AsOf: heard}, true, 3000},
		{"an account at its limit", Balance{Kind: Account, Known: -5000, Limit: 5000, AsOf: heard}, true, 0},
		{"an account offline: the cap", Balance{Kind: Account, Limit: 5000, AsOf: heard}, false, 3000},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { assert.EqualValues(t, tc.want, p.Spendable(tc.b, tc.live)) })
	}
}

func TestNormalizeAndMask(t *testing.T) {
	for _, tc := range []struct {
		in, want string
		ok       bool
	}{
		{" gc-0001 ", "GC-0001", true},
		{"1234", "1234", true},
		{"123", "123", false},
		{"GC 0001", "GC 0001", false},
		{"GC-ÄÖÜ1", "GC-ÄÖÜ1", false},
		{strings.Repeat("9", 33), strings.Repeat("9", 33), false},
	} {
		got, ok := Normalize(tc.in)
		assert.Equal(t, tc.want, got, tc.in)
		assert.Equal(t, tc.ok, ok, tc.in)
	}
	assert.Equal(t, "****5678", Mask("GC-1234-5678"))
	assert.Equal(t, "1234", Mask("1234"))
}

func FuzzNormalize(f *testing.F) {
	for _, s := range []string{"GC-0001", " x ", "\\x00abcd", "ÄÖÜ-1234"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, ok := Normalize(s)
		if !ok {
			return
		}
		again, ok2 := Normalize(n)
		if !ok2 || again != n {
			t.Fatalf("Normalize(%q) = %q is not stable", s, n)
		}
		for _, r := range n {
			if !(r >= '0' && r <= '9' || r >= 'A' && r <= 'Z' || r == '-') {
				t.Fatalf("Normalize(%q) = %q lets %q through", s, n, r)
			}
		}
		if m := Mask(n); len(n) > 4 && !strings.HasSuffix(m, n[len(n)-4:]) {
			t.Fatalf("Mask(%q) = %q", n, m)
		}
	})
}
