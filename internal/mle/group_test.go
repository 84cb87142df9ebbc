package mle

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestGroup(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	n := 50_000
	a, b, c := make([]float64, n), make([]float64, n), make([]float64, n)
	for i := range a {
		a[i], b[i], c[i] = float64(rng.IntN(7)), float64(rng.IntN(30)), float64(rng.IntN(40))
	}
	a[5] = math.Copysign(0, -1) // −0 groups with +0
	distinct, index, err := Group(a, b, c)
	require.NoError(t, err)
	require.Len(t, index, n)
	seen := map[[3]float64]int32{}
	for i := range a {
		k := [3]float64{a[i] + 0, b[i], c[i]}
		id, ok := seen[k]
		if !ok {
			id = int32(len(seen))
			seen[k] = id
		}
		require.Equal(t, id, index[i], "row %d", i)
		assert.Equal(t, k, [3]float64{distinct[0][id], distinct[1][id], distinct[2][id]})
	}
	assert.Len(t, distinct[0], len(seen))

	_, _, err = Group([]float64{1, math.NaN()})
	require.ErrorContains(t, err, "row 1 column 0")
	_, _, err = Group([]float64{1}, []float64{1, 2})
	require.Error(t, err)
	_, _, err = Group()
	require.Error(t, err)
}

// Group's table starts small for small inputs (a service scores one
// customer per request) and at 4096 slots for large ones; every size
// gives the distinct rows in first-seen order, growing the table across
// its load factor.
func TestGroupTableSize(t *testing.T) {
	for _, tc := range []struct {
		rows, want int
	}{
		{0, 16}, {1, 16}, {11, 16}, {12, 32}, {22, 32}, {23, 64},
		{2867, 4096}, {2868, 4096}, {1_000_000, 4096},
	} {
		assert.Equal(t, tc.want, groupTableSize(tc.rows), "%d rows", tc.rows)
	}
	for _, n := range []int{1, 2, 11, 12, 13, 100, 5000} {
		x := make([]float64, n)
		for i := range x {
			x[i] = float64(i * 7 % (n/2 + 1)) // repeats after half
		}
		distinct, index, err := Group(x)
		require.NoError(t, err, "%d rows", n)
		seen := map[float64]int32{}
		var want []float64
		for i, v := range x {
			id, ok := seen[v]
			if !ok {
				id = int32(len(want))
				seen[v] = id
				want = append(want, v)
			}
			require.Equal(t, id, index[i], "%d rows: row %d", n, i)
		}
		assert.Equal(t, want, distinct[0], "%d rows", n)
	}
}
