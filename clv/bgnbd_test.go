package clv

import (
	"context"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/diff/fd"
)

func TestFitBGNBDCDNOW(t *testing.T) {
	d := cdnowSummary(t)
	m, err := FitBGNBD(context.Background(), d, nil)
	require.NoError(t, err)
	t.Logf("%v LL=%.4f iters=%d evals=%d tuples=%d se=%v", m, m.Info.LogLikelihood, m.Info.Iterations, m.Info.Evaluations, m.Info.Tuples, m.Info.StdErrors)
	// Fader, Hardie & Lee (2005), "Counting your customers the easy way",
	// Marketing Science 24(2): r = 0.243, α = 4.414, a = 0.793, b = 2.426,
	// LL = −9582.4.
	assert.InDelta(t, 0.243, m.R, 0.0005)
	assert.InDelta(t, 4.414, m.Alpha, 0.0005)
	assert.InDelta(t, 0.793, m.A, 0.0005)
	assert.InDelta(t, 2.426, m.B, 0.0005)
	assert.InDelta(t, -9582.4, m.Info.LogLikelihood, 0.05)
	// Standard errors from /testdata/README.md (inverse observed information,
	// computed independently): r 0.0126, α 0.378, a 0.186, b 0.705.
	want := []float64{0.0126, 0.378, 0.186, 0.705}
	tol := []float64{0.00005, 0.0005, 0.0005, 0.0005}
	for i := range want {
		assert.InDelta(t, want[i], m.Info.StdErrors[i], tol[i], "SE %s", bgnbdNames[i])
	}
	assert.Equal(t, 2357.0, m.Info.Customers)
	assert.True(t, m.Info.Converged)
	for i, v := range m.Params().Values {
		assert.Less(t, m.Info.Lower95[i], v)
		assert.Greater(t, m.Info.Upper95[i], v)
	}
}

func TestBGNBDPredictionsPublished(t *testing.T) {
	m, err := FitBGNBD(context.Background(), cdnowSummary(t), nil)
	require.NoError(t, err)
	// E[X(t)] at t = 1, 3, 32, 78 weeks from /testdata/README.md (FHL 2005
	// eq. 9 at the maximum-likelihood estimates).
	for _, tc := range []struct{ t, want, tol float64 }{{1, 0.0532, 0.00005}, {3, 0.1506, 0.00005}, {32, 1.0437, 0.00005}, {78, 1.858, 0.0005}} {
		assert.InDelta(t, tc.want, m.ExpectedPurchases(tc.t), tc.tol, "t=%v", tc.t)
	}
	// FHL (2005), section 5: x = 2, t_x = 30.43, T = 38.86 → 1.226 purchases
	// in the next 39 weeks, P(alive) = 0.727.
	c := Customer{Frequency: 2, Recency: 30.43, T: 38.86}
	assert.InDelta(t, 1.226, m.ConditionalExpectedPurchases(39, c), 0.0005)
	assert.InDelta(t, 0.727, m.ProbAlive(c), 0.0005)
}

func TestBGNBDFormulas(t *testing.T) {
	m, err := NewBGNBD(0.243, 4.414, 0.793, 2.426)
	require.NoError(t, err)
	// Reference values computed offline with mpmath 1.3.0 from FHL (2005)
	// eq. 9, (a+b−1)/(a−1)[1 − (α/(α+t))^r 2F1(r, b; a+b−1; t/(α+t))], at the
	// rounded published estimates.
	for _, tc := range []struct{ t, want float64 }{{1, 0.053267891}, {3, 0.15086523}, {32, 1.0452433}, {78, 1.8605191}} {
		assert.InDelta(t, tc.want, m.ExpectedPurchases(tc.t), 1e-7, "t=%v", tc.t)
	}
	// a = 1 exactly is a removable singularity: the value must be continuous.
	m1, _ := NewBGNBD(0.243, 4.414, 1, 2.426)
	lo, _ := NewBGNBD(0.243, 4.414, 1-1e-6, 2.426)
	hi, _ := NewBGNBD(0.243, 4.414, 1+1e-6, 2.426)
	c := Customer{Frequency: 3, Recency: 20, T: 38}
	for _, tt := range []float64{1, 39, 500} {
		assert.InDelta(t, (lo.ExpectedPurchases(tt)+hi.ExpectedPurchases(tt))/2, m1.ExpectedPurchases(tt), 1e-6)
		assert.InDelta(t, (lo.ConditionalExpectedPurchases(tt, c)+hi.ConditionalExpectedPurchases(tt, c))/2, m1.ConditionalExpectedPurchases(tt, c), 1e-6)
	}
	// P(X(t)=k) sums to 1 and its mean is E[X(t)].
	sum, mean := 0.0, 0.0
	for k := 0; k < 400; k++ {
		p := m.ProbPurchases(k, 39)
		sum += p
		mean += float64(k) * p
	}
	assert.InDelta(t, 1, sum, 1e-10)
	assert.InDelta(t, m.ExpectedPurchases(39), mean, 1e-8)
	// Large counts in daily units: x = 10,000, t_x = 2,999.9, T = 3,000 days,
	// α = 4.414·7. mpmath 1.3.0 (50 digits) from FHL (2005) eqs. 10–11:
	// P(alive) = 0.99988972977507206, 1150.4918252079427 purchases in 365 days.
	big := Customer{Frequency: 10000, Recency: 2999.9, T: 3000}
	md, _ := NewBGNBD(0.243, 4.414*7, 0.793, 2.426)
	assert.InDelta(t, 0.99988972977507206, md.ProbAlive(big), 1e-12)
	assert.InDelta(t, 1150.4918252079427, md.ConditionalExpectedPurchases(365, big), 1e-8)
}

func TestBGNBDGradient(t *testing.T) {
	d := cdnowSummary(t)
	h, err := collapseHistories(d)
	require.NoError(t, err)
	l := newBGNBDLik(h)
	th := []float64{0.3, 5, 0.7, 2.1}
	g := make([]float64, 4)
	l.eval(th, g)
	num := fd.Gradient(nil, func(x []float64) float64 { return l.eval(x, nil) }, th, &fd.Settings{Formula: fd.Central, Step: 1e-6})
	for i := range g {
		assert.InDelta(t, num[i], g[i], 1e-4*(1+abs(num[i])), "param %d", i)
	}
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

func TestBGNBDLogLikelihoodLargeCounts(t *testing.T) {
	// Daily units, x = 10,000: reference values from mpmath 1.3.0 (50
	// digits) evaluating FHL (2005) eq. 6 directly with exact gamma and beta
	// functions, at r = 0.243, α = 30.898, a = 0.793, b = 2.426.
	m := &BGNBD{R: 0.243, Alpha: 30.898, A: 0.793, B: 2.426}
	for _, tc := range []struct {
		c    Customer
		want float64
	}{
		{Customer{10000, 1500, 3000}, 8747.5154855908078406},
		{Customer{10000, 2999, 3000}, 1926.7495387417523323},
		{Customer{0, 0, 3000}, -1.1143792324640367402},
		{Customer{5, 100, 2000}, -25.491392010459409871},
	} {
		ll, err := m.LogLikelihood(Data{Frequency: []float64{tc.c.Frequency}, Recency: []float64{tc.c.Recency}, T: []float64{tc.c.T}})
		require.NoError(t, err)
		assert.InDelta(t, tc.want, ll, 1e-10*(1+abs(tc.want)), "%+v", tc.c)
	}
	// All four together (one scale per x: the x = 10,000 rows fall back to
	// log space) give the sum.
	d := Data{Frequency: []float64{10000, 10000, 0, 5}, Recency: []float64{1500, 2999, 0, 100}, T: []float64{3000, 3000, 3000, 2000}}
	ll, err := m.LogLikelihood(d)
	require.NoError(t, err)
	assert.InDelta(t, 10647.659253089636726, ll, 1e-8)
	h, err := collapseHistories(d)
	require.NoError(t, err)
	l := newBGNBDLik(h)
	th := []float64{0.243, 30.898, 0.793, 2.426}
	g := make([]float64, 4)
	l.eval(th, g)
	f := func(x []float64) float64 { return l.eval(x, nil) }
	n1 := fd.Gradient(nil, f, th, &fd.Settings{Formula: fd.Central, Step: 2e-4})
	n2 := fd.Gradient(nil, f, th, &fd.Settings{Formula: fd.Central, Step: 1e-4})
	for i := range g {
		num := (4*n2[i] - n1[i]) / 3
		assert.InDelta(t, num, g[i], 1e-6*(1+abs(num)), "param %d", i)
	}
}

func TestBGNBDSmallAB(t *testing.T) {
	// The quadrature used when a + b ≤ 1 agrees with the series where both
	// apply.
	for _, p := range [][4]float64{{0.243, 4.414, 0.793, 2.426}, {1.2, 30, 0.6, 0.7}, {0.5, 2, 3, 0.3}} {
		for _, tt := range []float64{1, 39, 300} {
			want := bgnbdRemaining(p[0], p[2], p[3], 0, p[1], tt)
			got := bgnbdRemainingQuad(p[0], p[2], p[3], p[1], tt)
			assert.InDelta(t, want, got, 1e-7*(1+want), "%v t=%v", p, tt)
		}
	}
	// a + b ≤ 1: finite, increasing in t, and the mean of ProbPurchases.
	m := &BGNBD{R: 0.8, Alpha: 5, A: 0.3, B: 0.4}
	prev := 0.0
	for _, tt := range []float64{1, 10, 39} {
		e := m.ExpectedPurchases(tt)
		assert.Greater(t, e, prev)
		prev = e
		mean := 0.0
		for k := 0; k < 20000; k++ {
			mean += float64(k) * m.ProbPurchases(k, tt)
		}
		assert.InDelta(t, mean, e, 1e-6*(1+e), "t=%v", tt)
	}
	assert.False(t, math.IsNaN(m.ConditionalExpectedPurchases(10, Customer{0, 0, 20})))
}
