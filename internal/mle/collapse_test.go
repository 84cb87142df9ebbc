package mle

import (
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
