package segment

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSeedsByHand(t *testing.T) {
	own := []float64{10, 50, 20, 30, 40, 5}
	ref := []float64{30, 0, 20, 0, 0, 100}
	// Totals 40, 50, 40, 30, 40, 105. Top 4: 105 (5), 50 (1), then three
	// customers tied at 40: indices 0 and 2 win over 4.
	s, err := Seeds(own, ref, 4)
	require.NoError(t, err)
	require.Len(t, s, 4)
	assert.Equal(t, Seed{Index: 5, Own: 5, Referral: 100, Total: 105}, s[0])
	assert.Equal(t, Seed{Index: 1, Own: 50, Referral: 0, Total: 50}, s[1])
	assert.Equal(t, Seed{Index: 0, Own: 10, Referral: 30, Total: 40}, s[2])
	assert.Equal(t, Seed{Index: 2, Own: 20, Referral: 20, Total: 40}, s[3])

	s, err = Seeds(own, nil, 10)
	require.NoError(t, err)
	var idx []int
	for _, x := range s {
		idx = append(idx, x.Index)
	}
	assert.Equal(t, []int{1, 4, 3, 2, 0, 5}, idx)

	s, err = Seeds(own, ref, 0)
	require.NoError(t, err)
	assert.Empty(t, s)
}

func TestSeedsMatchSort(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for trial := 0; trial < 100; trial++ {
		m := 1 + rng.IntN(1000)
		own := make([]float64, m)
		for i := range own {
			own[i] = float64(rng.IntN(30))
		}
		n := rng.IntN(m + 5)
		got, err := Seeds(own, nil, n)
		require.NoError(t, err)
		idx := make([]int, m)
		for i := range idx {
			idx[i] = i
		}
		slices.SortStableFunc(idx, func(a, b int) int {
			switch {
			case own[a] > own[b]:
				return -1
			case own[a] < own[b]:
				return 1
			}
			return 0
		})
		require.Len(t, got, min(n, m))
		for k, s := range got {
			require.Equal(t, idx[k], s.Index, "trial %d rank %d", trial, k)
		}
	}
}

func TestSeedsErrors(t *testing.T) {
	_, err := Seeds([]float64{1}, nil, -1)
	assert.ErrorIs(t, err, ErrOption)
	_, err = Seeds([]float64{1, 2}, []float64{1}, 1)
	assert.ErrorIs(t, err, ErrLength)
	_, err = Seeds([]float64{1, math.NaN()}, nil, 1)
	assert.ErrorIs(t, err, ErrNotFinite)
	_, err = Seeds([]float64{1, 2}, []float64{0, math.Inf(1)}, 1)
	assert.ErrorIs(t, err, ErrNotFinite)
	_, err = Seeds([]float64{math.MaxFloat64}, []float64{math.MaxFloat64}, 1)
	assert.ErrorIs(t, err, ErrNotFinite)
}
