package segment

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestSampledOrderStatsMatchSort exercises the sampling path (n ≥ minSampled)
// on every kind of column, with and without a mask, including ranks at the
// extremes that make it fall back to quickselect.
func TestSampledOrderStatsMatchSort(t *testing.T) {
	rng := rand.New(rand.NewPCG(31, 32))
	for kind := 0; kind < 7; kind++ {
		for _, masked := range []bool{false, true} {
			n := minSampled + rng.IntN(100_000)
			c := Column{Values: randomColumn(rng, n, kind)}
			if masked {
				c.Known = make([]bool, n)
				for i := range c.Known {
					c.Known[i] = rng.IntN(4) > 0
				}
			}
			known := c.knownValues()
			m := len(known)
			sorted := slices.Clone(known)
			slices.Sort(sorted)
			rankSets := [][]int{
				{(m + 1) / 2},
				{fracRank(1, m, 5), fracRank(2, m, 5), fracRank(3, m, 5), fracRank(4, m, 5)},
				{1, m, m / 3, m / 3},
				{1 + rng.IntN(m), 1 + rng.IntN(m), 1 + rng.IntN(m)},
			}
			for _, ranks := range rankSets {
				got := columnOrderStats(c, m, ranks)
				for j, r := range ranks {
					require.Equal(t, sorted[r-1], got[j], "kind %d masked %v rank %d of %d", kind, masked, r, m)
				}
			}
			// The sampling path itself succeeds on the central ranks.
			if kind != 4 {
				out := make([]float64, 1)
				ok := sampledOrderStats(c, m, []int{(m + 1) / 2}, out)
				require.True(t, ok, "kind %d", kind)
				require.Equal(t, sorted[(m+1)/2-1], out[0])
			}
		}
	}
}
