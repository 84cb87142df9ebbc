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

// TestGroupPartitioned holds the partitioned Group (many rows, all cores)
// to the one-table pass: the same distinct rows in the same order, the
// same index, the same error for a non-finite value (the first row's).
func TestGroupPartitioned(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 9))
	for _, tc := range []struct{ n, ncol, spread int }{
		{1, 1, 3}, {1000, 3, 5}, {70_000, 3, 40}, {300_000, 2, 2000}, {300_000, 3, 1 << 30}, {200_000, 1, 10},
	} {
		if testing.Short() {
			tc.n = min(tc.n, 50_000) // still many rows per partition
		}
		cols := make([][]float64, tc.ncol)
		for j := range cols {
			cols[j] = make([]float64, tc.n)
			for i := range cols[j] {
				cols[j][i] = float64(rng.IntN(tc.spread)) / 4
				if rng.IntN(1000) == 0 {
					cols[j][i] = math.Copysign(0, -1)
				}
			}
		}
		wantD, wantI, err := groupSerial(cols, tc.n)
		require.NoError(t, err)
		gotD, gotI, err := groupPartitioned(cols, tc.n)
		require.NoError(t, err)
		require.Equal(t, wantD, gotD, "%+v", tc)
		require.Equal(t, wantI, gotI, "%+v", tc)
		for j := range gotD {
			for _, v := range gotD[j] {
				require.False(t, math.Signbit(v), "−0 is stored as +0")
			}
		}
		if tc.n > 1000 {
			cols[tc.ncol-1][tc.n*3/4] = math.Inf(1)
			cols[0][tc.n/3] = math.NaN()
			_, _, werr := groupSerial(cols, tc.n)
			_, _, gerr := groupPartitioned(cols, tc.n)
			require.Error(t, werr)
			require.Equal(t, werr.Error(), gerr.Error())
		}
	}
}
