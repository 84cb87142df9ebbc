package mle

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestCollapseMatchesMap checks the hash table against a Go map on data
// with many repeats and enough distinct rows to force several resizes.
func TestCollapseMatchesMap(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	n := 200_000
	a, b, c := make([]float64, n), make([]float64, n), make([]float64, n)
	w := make([]float64, n)
	for i := range a {
		a[i] = float64(rng.IntN(30))
		b[i] = float64(rng.IntN(300))
		c[i] = float64(rng.IntN(20)) / 4
		w[i] = float64(rng.IntN(3))
	}
	tu, err := Collapse(w, a, b, c)
	require.NoError(t, err)
	want := map[[3]float64]float64{}
	total := 0.0
	for i := range a {
		if w[i] > 0 {
			want[[3]float64{a[i], b[i], c[i]}] += w[i]
			total += w[i]
		}
	}
	require.Equal(t, len(want), tu.Len())
	for i := 0; i < tu.Len(); i++ {
		k := [3]float64{tu.Cols[0][i], tu.Cols[1][i], tu.Cols[2][i]}
		assert.Equal(t, want[k], tu.Weights[i])
	}
	assert.Equal(t, total, tu.Total)
}

func BenchmarkCollapse1M(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	n := 1_000_000
	x, tx, T := make([]float64, n), make([]float64, n), make([]float64, n)
	for i := range x {
		T[i] = float64(273 + rng.IntN(90))
		if rng.IntN(10) < 4 {
			x[i] = float64(1 + rng.IntN(10))
			tx[i] = float64(rng.IntN(int(T[i])))
		}
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		tu, err := Collapse(nil, x, tx, T)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(tu.Len()), "tuples")
	}
}

// TestIndexMatchesMap checks Index against a Go map on integer-valued,
// power-of-two, signed-zero and fractional values (bit patterns that
// differ only in the exponent must not collide into one entry).
func TestIndexMatchesMap(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	col := []float64{0, math.Copysign(0, -1), 1, 2, 4, 8, 1024, 0.5, -2}
	for i := 0; i < 100_000; i++ {
		switch rng.IntN(3) {
		case 0:
			col = append(col, float64(rng.IntN(2000)))
		case 1:
			col = append(col, math.Ldexp(1, rng.IntN(200)-100))
		default:
			col = append(col, math.Round(rng.Float64()*1e4)/100)
		}
	}
	distinct, idx := Index(col)
	pos := map[float64]int32{}
	var want []float64
	for _, v := range col {
		if _, ok := pos[v]; !ok {
			pos[v] = int32(len(want))
			want = append(want, v+0)
		}
	}
	require.Equal(t, want, distinct)
	for i, v := range col {
		require.Equal(t, pos[v], idx[i], "row %d", i)
	}
	assert.Equal(t, 0.0, distinct[0])
	assert.False(t, math.Signbit(distinct[0]))
}

// TestCollapsePartitionedMatchesSimple: the partitioned path for many rows
// gives exactly the single-table result — same rows in the same order of
// first appearance, bit-identical summed weights and total — with
// weights (including zeros, which drop rows), −0 and one to three columns.
func TestCollapsePartitionedMatchesSimple(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	n := partitionMinRows + 12345
	a, b, c := make([]float64, n), make([]float64, n), make([]float64, n)
	w := make([]float64, n)
	for i := range a {
		a[i] = float64(rng.IntN(40))
		if a[i] == 0 && rng.IntN(2) == 0 {
			a[i] = math.Copysign(0, -1)
		}
		b[i] = float64(rng.IntN(500)) / 7
		c[i] = float64(273 + rng.IntN(90))
		w[i] = float64(rng.IntN(4)) * 0.1
	}
	for _, tc := range []struct {
		w    []float64
		cols [][]float64
	}{
		{nil, [][]float64{a, b, c}}, {w, [][]float64{a, b, c}}, {w, [][]float64{a, b}}, {nil, [][]float64{c}},
	} {
		got, err := Collapse(tc.w, tc.cols...)
		require.NoError(t, err)
		want, err := collapseSimple(tc.w, tc.cols, n)
		require.NoError(t, err)
		require.Equal(t, want, got)
	}
	b[n-1] = math.NaN()
	_, err := Collapse(nil, a, b, c)
	require.ErrorContains(t, err, fmt.Sprintf("row %d column 1", n-1))
	w[n-2] = -1
	_, err = Collapse(w, a, c)
	require.ErrorContains(t, err, fmt.Sprintf("row %d: weight -1", n-2))
}
