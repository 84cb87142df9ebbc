package segment

import (
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// randomColumn returns n values drawn by kind: many ties, all distinct, sorted,
// reverse sorted, constant, or heavy-tailed.
func randomColumn(rng *rand.Rand, n int, kind int) []float64 {
	x := make([]float64, n)
	for i := range x {
		switch kind {
		case 0: // few distinct values, like purchase counts
			x[i] = float64(rng.IntN(5))
		case 1:
			x[i] = rng.NormFloat64()
		case 2:
			x[i] = float64(i)
		case 3:
			x[i] = float64(n - i)
		case 4:
			x[i] = 7
		case 5:
			x[i] = math.Exp(3 * rng.NormFloat64())
		case 6: // organ pipe
			x[i] = float64(min(i, n-i))
		}
	}
	return x
}

func TestOrderStatisticsMatchSort(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for trial := 0; trial < 300; trial++ {
		n := 1 + rng.IntN(3000)
		x := randomColumn(rng, n, trial%7)
		orig := slices.Clone(x)
		ranks := make([]int, 1+rng.IntN(6))
		for j := range ranks {
			ranks[j] = 1 + rng.IntN(n)
		}
		got, err := OrderStatistics(x, ranks)
		require.NoError(t, err)
		sorted := slices.Clone(x)
		slices.Sort(sorted)
		for j, r := range ranks {
			require.Equal(t, sorted[r-1], got[j], "trial %d rank %d", trial, r)
		}
		require.Equal(t, orig, x, "input must not be modified")
	}
}

// TestQuantileCutsLevels checks the documented identity: the level of a value
// by the quantile cuts is 1 + ⌊k·L/n⌋, L = number of values strictly below it.
func TestQuantileCutsLevels(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for trial := 0; trial < 200; trial++ {
		n := 1 + rng.IntN(500)
		k := 2 + rng.IntN(9)
		x := randomColumn(rng, n, trial%7)
		cuts, err := QuantileCuts(x, k)
		require.NoError(t, err)
		require.True(t, slices.IsSorted(cuts))
		sorted := slices.Clone(x)
		slices.Sort(sorted)
		for _, v := range x {
			below, _ := slices.BinarySearch(sorted, v) // first index with sorted[i] >= v
			want := 1 + k*below/n
			require.Equal(t, want, Level(v, cuts), "trial %d v=%v", trial, v)
		}
	}
}

func TestQuantileRank(t *testing.T) {
	// q·n that is an integer in exact arithmetic must not be rounded up.
	assert.Equal(t, 6, quantileRank(0.6, 10))
	assert.Equal(t, 3, quantileRank(0.3, 10))
	assert.Equal(t, 7, quantileRank(0.61, 10))
	assert.Equal(t, 1, quantileRank(0.01, 10))
	assert.Equal(t, 10, quantileRank(0.999, 10))
	assert.Equal(t, 70, quantileRank(0.7, 100))
}

func TestOrderStatisticsErrors(t *testing.T) {
	_, err := OrderStatistics([]float64{1, 2}, []int{3})
	assert.ErrorIs(t, err, ErrOption)
	_, err = OrderStatistics([]float64{1, 2}, []int{0})
	assert.ErrorIs(t, err, ErrOption)
	_, err = OrderStatistics([]float64{1, math.NaN(), 3}, []int{1})
	require.ErrorIs(t, err, ErrNotFinite)
	var ve *ValueError
	require.True(t, errors.As(err, &ve))
	assert.Equal(t, 1, ve.Index)
	got, err := OrderStatistics(nil, nil)
	require.NoError(t, err)
	assert.Empty(t, got)
	_, err = QuantileCuts(nil, 5)
	assert.ErrorIs(t, err, ErrEmpty)
	_, err = QuantileCuts([]float64{1}, 1)
	assert.ErrorIs(t, err, ErrOption)
	_, err = QuantileCuts([]float64{1, math.Inf(-1)}, 4)
	assert.ErrorIs(t, err, ErrNotFinite)
}

func TestQuantileCutsByHand(t *testing.T) {
	// Ten values 1..10 in quintiles: cuts at ranks 2, 4, 6, 8.
	x := []float64{10, 9, 8, 7, 6, 5, 4, 3, 2, 1}
	cuts, err := QuantileCuts(x, 5)
	require.NoError(t, err)
	assert.Equal(t, []float64{2, 4, 6, 8}, cuts)
	// Six one-time buyers, two with 2 purchases, two with 5: the one-time
	// buyers share level 1, nobody is at levels 2 and 3 (see Score in rfm).
	f := []float64{1, 1, 1, 1, 1, 1, 2, 2, 5, 5}
	cuts, err = QuantileCuts(f, 5)
	require.NoError(t, err)
	assert.Equal(t, []float64{1, 1, 1, 2}, cuts)
	var lv []int
	for _, v := range f {
		lv = append(lv, Level(v, cuts))
	}
	assert.Equal(t, []int{1, 1, 1, 1, 1, 1, 4, 4, 5, 5}, lv)
}
