package money

import (
	"math/bits"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
)

// allocateByScan is Allocate as it was: the largest remainder searched
// for again for every cent left. It is the reference Allocate must match
// and the baseline of BenchmarkAllocate.
func allocateByScan(total Amount, weights []Amount) []Amount {
	out := make([]Amount, len(weights))
	if len(weights) == 0 {
		return out
	}
	var sum int64
	for _, w := range weights {
		sum += int64(w)
	}
	if sum == 0 {
		weights = make([]Amount, len(out))
		for i := range weights {
			weights[i] = 1
		}
		sum = int64(len(out))
	}
	var given int64
	rems := make([]int64, len(out))
	for i, w := range weights {
		out[i] = Amount(MulDiv(int64(total), int64(w), sum, Down))
		given += int64(out[i])
		hi, lo, _ := mul128(int64(total), int64(w))
		rems[i] = int64(bits.Rem64(hi, lo, uint64(sum)))
	}
	left := int64(total) - given
	step := int64(1)
	if left < 0 {
		step = -1
	}
	for left != 0 {
		best := -1
		for i := range out {
			if weights[i] == 0 {
				continue
			}
			if best < 0 || rems[i] > rems[best] {
				best = i
			}
		}
		if best < 0 {
			best = 0
		}
		out[best] += Amount(step)
		rems[best] = -1
		left -= step
	}
	return out
}

// TestAllocateMatchesTheScan: the same parts as the cent-by-cent search,
// ties and zero weights included, for random totals of both signs.
func TestAllocateMatchesTheScan(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	var room []Amount // reused, of every length
	for r := 0; r < 20000; r++ {
		n := rng.IntN(40)
		if r%100 == 0 {
			n = 1000 + rng.IntN(500)
		}
		ws := make([]Amount, n)
		for i := range ws {
			switch rng.IntN(4) {
			case 0: // zero weights and equal ones make ties
			case 1:
				ws[i] = 100
			default:
				ws[i] = Amount(rng.IntN(100000))
			}
		}
		if rng.IntN(20) == 0 {
			clear(ws) // all zero: spread evenly
		}
		total := Amount(rng.Int64N(2_000_000) - 1_000_000)
		got := Allocate(total, ws)
		require.Equal(t, allocateByScan(total, ws), got, "total %d over %v", total, ws)
		room = AllocateInto(room[:0], total, ws)
		require.Equal(t, got, room, "into room of %d", cap(room))
		if n > 0 {
			require.Equal(t, total, Sum(got...))
		}
	}
}

// BenchmarkAllocate splits a threshold discount over a 1,000-line cart;
// the baseline is the cent-by-cent search it replaced.
func BenchmarkAllocate(b *testing.B) {
	rng := rand.New(rand.NewPCG(3, 4))
	ws := make([]Amount, 1000)
	for i := range ws {
		ws[i] = Amount(50 + rng.IntN(5000))
	}
	benchAllocate(b, 123457, ws)
}

// BenchmarkAllocateSmall splits a set's discount over its three items.
func BenchmarkAllocateSmall(b *testing.B) { benchAllocate(b, 1001, []Amount{1234, 567, 890}) }

// benchAllocate times Allocate and, as its baseline, allocateByScan.
func benchAllocate(b *testing.B, total Amount, ws []Amount) {
	for _, bc := range []struct {
		name string
		f    func(Amount, []Amount) []Amount
	}{{"allocate", Allocate}, {"baseline-scan", allocateByScan}} {
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				bc.f(total, ws)
			}
		})
	}
}
