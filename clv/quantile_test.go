package clv

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"
)

// sortedQuantiles is quantilePair by sorting, the way it was computed
// before the order statistics were selected.
func sortedQuantiles(buf []float64, level float64) (lo, hi float64) {
	s := slices.Clone(buf)
	slices.Sort(s)
	q := func(p float64) float64 {
		h := p * float64(len(s)-1)
		i := int(math.Floor(h))
		if i >= len(s)-1 {
			return s[len(s)-1]
		}
		return s[i] + (h-float64(i))*(s[i+1]-s[i])
	}
	return q((1 - level) / 2), q((1 + level) / 2)
}

// quantilePair selects what sorting would give, bit for bit: sizes from 2
// to past the quickselect's cut-over, values with many ties, sorted and
// reversed inputs (the pivot's worst cases), NaNs, and levels from 0.01 to
// 0.999.
func TestQuantilePairIsSorting(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 9))
	same := func(a, b float64) bool { return a == b || math.IsNaN(a) && math.IsNaN(b) }
	for trial := range 4000 {
		n := 2 + rng.IntN(300)
		if trial%10 == 0 {
			n = 2 + rng.IntN(5000)
		}
		buf := make([]float64, n)
		for i := range buf {
			switch trial % 5 {
			case 0:
				buf[i] = rng.NormFloat64()
			case 1:
				buf[i] = float64(rng.IntN(4)) // ties everywhere
			case 2:
				buf[i] = float64(i) // sorted
			case 3:
				buf[i] = float64(n - i) // reversed
			default:
				buf[i] = rng.ExpFloat64()
				if rng.IntN(50) == 0 {
					buf[i] = math.NaN()
				}
			}
		}
		level := []float64{0.9, 0.5, 0.01, 0.999, 0.8, rng.Float64()}[trial%6]
		wantLo, wantHi := sortedQuantiles(buf, level)
		lo, hi := quantilePair(buf, level)
		require.True(t, same(wantLo, lo) && same(wantHi, hi), "trial %d, n %d, level %v: got %v, %v, want %v, %v", trial, n, level, lo, hi, wantLo, wantHi)
	}
}
