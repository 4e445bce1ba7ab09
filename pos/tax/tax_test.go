package tax

import (
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/pos/money"
)

var groups = map[string]Group{
	"STD":  {ID: "STD", Codes: []Code{{ID: "V19", Name: "VAT 19%", Rate: 190000}}},
	"RED":  {ID: "RED", Codes: []Code{{ID: "V7", Name: "VAT 7%", Rate: 70000}}},
	"NY":   {ID: "NY", Codes: []Code{{ID: "STATE", Rate: 40000}, {ID: "CITY", Rate: 45000}, {ID: "MCTD", Rate: 3750}}}, // 8.875 %
	"ZERO": {ID: "ZERO"},
}

func TestCompute(t *testing.T) {
	tests := []struct {
		name      string
		cfg       Config
		lines     []Line
		wantLines []money.Amount
		wantTotal money.Amount
	}{
		{"exclusive per line", Config{Level: PerLine, Round: money.HalfUp},
			[]Line{{"STD", 1000}, {"RED", 199}}, []money.Amount{190, 14}, 204},
		{"inclusive per line", Config{Inclusive: true, Level: PerLine, Round: money.HalfUp},
			[]Line{{"STD", 1190}, {"RED", 107}}, []money.Amount{190, 7}, 197},
		{"per line rounds each line", Config{Level: PerLine, Round: money.HalfUp},
			[]Line{{"RED", 5}, {"RED", 5}, {"RED", 5}}, []money.Amount{0, 0, 0}, 0},
		{"per total rounds once", Config{Level: PerTotal, Round: money.HalfUp},
			[]Line{{"RED", 5}, {"RED", 5}, {"RED", 5}}, nil, 1},
		{"multi-code group", Config{Level: PerLine, Round: money.HalfUp},
			[]Line{{"NY", 10000}}, []money.Amount{400 + 450 + 38}, 888},
		{"zero rate", Config{Level: PerLine}, []Line{{"ZERO", 500}}, []money.Amount{0}, 0},
		{"returns are negative", Config{Level: PerLine, Round: money.HalfUp},
			[]Line{{"STD", -1000}}, []money.Amount{-190}, -190},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := Compute(tt.cfg, groups, tt.lines)
			require.NoError(t, err)
			if tt.wantLines != nil {
				assert.Equal(t, tt.wantLines, res.Lines)
			}
			assert.Equal(t, tt.wantTotal, res.Total)
			assert.Equal(t, tt.wantTotal, money.Sum(res.Lines...), "line taxes add up to the total")
			var s money.Amount
			for _, c := range res.Summary {
				s += c.Amount
			}
			assert.Equal(t, tt.wantTotal, s, "summary adds up to the total")
		})
	}
}

func TestInclusiveBasis(t *testing.T) {
	res, err := Compute(Config{Inclusive: true, Level: PerTotal, Round: money.HalfUp}, groups, []Line{{"STD", 1190}, {"STD", 2380}})
	require.NoError(t, err)
	require.Len(t, res.Summary, 1)
	assert.Equal(t, CodeTotal{Code: "V19", Name: "VAT 19%", Rate: 190000, Basis: 3000, Amount: 570}, res.Summary[0])
}

func TestUnknownGroupIsNamed(t *testing.T) {
	_, err := Compute(Config{}, groups, []Line{{"LUX", 100}})
	require.Error(t, err)
	assert.Contains(t, err.Error(), `"LUX"`)
}

// A Scratch taxes cart after cart, of every size and setting, as a fresh
// Compute does: nothing of one call's sums reaches the next.
func TestAScratchReusedGivesWhatAFreshComputeGives(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	names := []string{"STD", "RED", "NY", "ZERO"}
	var s Scratch
	for round := range 400 {
		cfg := Config{Inclusive: rng.IntN(2) == 0, Level: Level(rng.IntN(2)), Round: money.HalfUp}
		lines := make([]Line, rng.IntN(60))
		if round%50 == 0 {
			lines = make([]Line, 1000+rng.IntN(500)) // past the Allocator's few parts
		}
		for i := range lines {
			lines[i] = Line{Group: names[rng.IntN(len(names))], Amount: money.Amount(rng.IntN(20000) - 2000)}
		}
		want, err := Compute(cfg, groups, lines)
		require.NoError(t, err)
		got, err := s.Compute(cfg, groups, lines)
		require.NoError(t, err)
		require.Equal(t, want.Total, got.Total, "round %d", round)
		require.Equal(t, want.Summary, got.Summary, "round %d", round)
		require.Equal(t, append([]money.Amount{}, want.Lines...), append([]money.Amount{}, got.Lines...), "round %d", round)
	}
}
