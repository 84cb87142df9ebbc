package clv

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/diff/fd"
)

func TestFitMBGNBDCDNOW(t *testing.T) {
	m, err := FitMBGNBD(context.Background(), cdnowSummary(t), nil)
	require.NoError(t, err)
	t.Logf("%v LL=%.4f se=%v", m, m.Info.LogLikelihood, m.Info.StdErrors)
	// Batislam, Denizel & Filiztekin (2007) model; estimates on the CDNOW
	// sample as reproduced by the lifetimes library (/testdata/README.md):
	// r = 0.525, α = 6.183, a = 0.891, b = 1.614.
	assert.InDelta(t, 0.525, m.R, 0.0005)
	assert.InDelta(t, 6.183, m.Alpha, 0.0005)
	assert.InDelta(t, 0.891, m.A, 0.0005)
	assert.InDelta(t, 1.614, m.B, 0.0005)
}

func TestMBGNBDFormulas(t *testing.T) {
	m, err := NewMBGNBD(0.525, 6.183, 0.891, 1.614)
	require.NoError(t, err)
	// Probabilities sum to one and their mean is E[X(t)] (internal
	// consistency of the closed forms).
	for _, tt := range []float64{1, 39, 78} {
		sum, mean := 0.0, 0.0
		for k := 0; k < 500; k++ {
			p := m.ProbPurchases(k, tt)
			sum += p
			mean += float64(k) * p
		}
		assert.InDelta(t, 1, sum, 1e-10, "t=%v", tt)
		assert.InDelta(t, m.ExpectedPurchases(tt), mean, 1e-8, "t=%v", tt)
	}
	// x = 0 customers are not certainly alive, unlike BG/NBD.
	assert.Less(t, m.ProbAlive(Customer{0, 0, 38}), 1.0)
	d := cdnowSummary(t)
	h, err := collapseHistories(d)
	require.NoError(t, err)
	l := newBGLik(h, 1)
	th := []float64{0.4, 5, 0.9, 1.7}
	g := make([]float64, 4)
	l.eval(th, g)
	num := fd.Gradient(nil, func(x []float64) float64 { return l.eval(x, nil) }, th, &fd.Settings{Formula: fd.Central, Step: 1e-6})
	for i := range g {
		assert.InDelta(t, num[i], g[i], 1e-4*(1+abs(num[i])), "param %d", i)
	}
}
