package clv

import (
	"context"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/diff/fd"
)

func TestFitParetoNBDCDNOW(t *testing.T) {
	m, err := FitParetoNBD(context.Background(), cdnowSummary(t), nil)
	require.NoError(t, err)
	t.Logf("%v LL=%.4f iters=%d evals=%d se=%v", m, m.Info.LogLikelihood, m.Info.Iterations, m.Info.Evaluations, m.Info.StdErrors)
	// Fader, Hardie & Lee (2005), "A note on implementing the Pareto/NBD
	// model in MATLAB": r = 0.553, α = 10.578, s = 0.606, β = 11.669,
	// LL = −9595.0.
	assert.InDelta(t, 0.553, m.R, 0.0005)
	assert.InDelta(t, 10.578, m.Alpha, 0.0005)
	assert.InDelta(t, 0.606, m.S, 0.0005)
	// β is weakly identified (SE 6.2): the log-likelihood changes by less
	// than 1e-6 between 11.668 and 11.669, and the optimum located with a
	// gradient tolerance of 1e-8 and of 1e-9 is β = 11.66791 (LL −9594.97393),
	// so the note's last digit reflects its optimiser's stopping rule; we
	// allow 0.002 on β only.
	assert.InDelta(t, 11.669, m.Beta, 0.002)
	assert.InDelta(t, -9595.0, m.Info.LogLikelihood, 0.05)
	// Standard errors from /testdata/README.md (CLVTools: 0.04763, 0.8427,
	// 0.1873, 6.2105): r 0.0476, α 0.843, s 0.187, β 6.21.
	want := []float64{0.0476, 0.843, 0.187, 6.21}
	tol := []float64{0.00005, 0.0005, 0.0005, 0.005}
	for i := range want {
		assert.InDelta(t, want[i], m.Info.StdErrors[i], tol[i], "SE %s", pnbdNames[i])
	}
}

func TestParetoNBDPredictionsPublished(t *testing.T) {
	// /testdata/README.md: x = 26, t_x = 30.86, T = 31 weeks at r = 0.5534,
	// α = 10.5802, s = 0.6061, β = 11.6562 → P(alive) 0.9979 and 25.45
	// expected purchases in the next 52 weeks.
	m, err := NewParetoNBD(0.5534, 10.5802, 0.6061, 11.6562)
	require.NoError(t, err)
	c := Customer{Frequency: 26, Recency: 30.86, T: 31}
	assert.InDelta(t, 0.9979, m.ProbAlive(c), 0.00005)
	assert.InDelta(t, 25.45, m.ConditionalExpectedPurchases(52, c), 0.005)
}

func TestParetoNBDLargeCountsDaily(t *testing.T) {
	// Daily units, T in the thousands, x = 10,000. Reference log-likelihoods
	// computed offline with mpmath 1.3.0 (60 digits) from the closed form
	// Γ(r+x)α^rβ^s/Γ(r) [(α+T)^−(r+x)(β+T)^−s + s(G(t_x) − G(T))],
	// G(t) = (β+t)^−p/p · 2F1(p, r+x; p+1; (β−α)/(β+t)), p = r+s+x, and
	// P(alive) from the same closed form.
	m, err := NewParetoNBD(0.55, 70, 0.6, 80)
	require.NoError(t, err)
	for _, tc := range []struct {
		c      Customer
		wantLL float64
	}{
		{Customer{10000, 2990, 3000}, 1828.6104828903799923},
		{Customer{10000, 1500, 3000}, 8502.7659510821997042},
		{Customer{5, 100, 2000}, -25.466837105387587464},
		{Customer{0, 0, 3000}, -0.6721707472646045056},
	} {
		ll, err := m.LogLikelihood(Data{Frequency: []float64{tc.c.Frequency}, Recency: []float64{tc.c.Recency}, T: []float64{tc.c.T}})
		require.NoError(t, err)
		assert.InDelta(t, tc.wantLL, ll, 1e-9*(1+abs(tc.wantLL)), "%+v", tc.c)
	}
	assert.InDelta(t, 0.99975496517414682612, m.ProbAlive(Customer{10000, 2999.5, 3000}), 1e-12)
	assert.InDelta(t, 1.1277133732264948788e-10, m.ProbAlive(Customer{10000, 2990, 3000}), 1e-19)
	assert.InDelta(t, 0.027385547268466073896, m.ProbAlive(Customer{0, 0, 3000}), 1e-12)
}

// TestTimeUnitInvariance refits CDNOW in days: the rates scale by 7, the
// shapes and dropout parameters are unchanged, and the log-likelihood moves
// by −Σx ln 7 (the Jacobian of the purchase-time densities).
func TestTimeUnitInvariance(t *testing.T) {
	d := cdnowSummary(t)
	days := Data{Frequency: d.Frequency, Recency: make([]float64, d.Len()), T: make([]float64, d.Len())}
	sumX := 0.0
	for i := range d.Frequency {
		days.Recency[i] = d.Recency[i] * 7
		days.T[i] = d.T[i] * 7
		sumX += d.Frequency[i]
	}
	ctx := context.Background()
	bw, err := FitBGNBD(ctx, d, nil)
	require.NoError(t, err)
	bd, err := FitBGNBD(ctx, days, nil)
	require.NoError(t, err)
	assert.InDelta(t, bw.R, bd.R, 1e-5)
	assert.InDelta(t, bw.Alpha*7, bd.Alpha, 1e-3)
	assert.InDelta(t, bw.A, bd.A, 1e-4)
	assert.InDelta(t, bw.Info.LogLikelihood-sumX*math.Log(7), bd.Info.LogLikelihood, 1e-5)
	pw, err := FitParetoNBD(ctx, d, nil)
	require.NoError(t, err)
	pd, err := FitParetoNBD(ctx, days, nil)
	require.NoError(t, err)
	assert.InDelta(t, pw.R, pd.R, 1e-4)
	assert.InDelta(t, pw.Alpha*7, pd.Alpha, 1e-2)
	assert.InDelta(t, pw.S, pd.S, 1e-3)
	assert.InDelta(t, pw.Beta*7, pd.Beta, 0.1)
	assert.InDelta(t, pw.Info.LogLikelihood-sumX*math.Log(7), pd.Info.LogLikelihood, 1e-5)
}

func TestParetoNBDProbPurchases(t *testing.T) {
	t.Parallel()
	// Internal consistency: the probabilities sum to one and their mean is
	// the closed-form E[X(t)], for weekly and daily scales.
	for _, tc := range []struct {
		m  *ParetoNBD
		ts []float64
	}{
		{&ParetoNBD{R: 0.553, Alpha: 10.578, S: 0.606, Beta: 11.669}, []float64{1, 39, 78, 500}},
		{&ParetoNBD{R: 0.553, Alpha: 74.05, S: 0.606, Beta: 81.68}, []float64{1, 39, 78, 500}},
		// Heavy buyers (mean rate 4 per unit): keep t short so that k < 4000
		// covers the distribution.
		{&ParetoNBD{R: 2, Alpha: 0.5, S: 1.5, Beta: 30}, []float64{1, 10, 39}},
	} {
		m := tc.m
		for _, tt := range tc.ts {
			sum, mean := 0.0, 0.0
			for k := 0; k < 4000; k++ {
				p := m.ProbPurchases(k, tt)
				sum += p
				mean += float64(k) * p
				// -short stops in the tail once P < 1e-22: it falls at
				// least geometrically there, at ratio t/(α+t) < 0.99 for
				// these models, so the rest adds < 1e-19 to the sum (and
				// < 1e-15 to the mean), far below the tolerances.
				if testing.Short() && k > 10 && p < 1e-22 && float64(k) > 2*mean {
					break
				}
			}
			assert.InDelta(t, 1, sum, 1e-9, "%v t=%v", m, tt)
			assert.InDelta(t, m.ExpectedPurchases(tt), mean, 1e-6*(1+mean), "%v t=%v", m, tt)
		}
	}
}

func TestParetoNBDGradient(t *testing.T) {
	d := cdnowSummary(t)
	// Daily data with large counts exercises the log-space fallback.
	big := Data{
		Frequency: []float64{10000, 10000, 0, 5, 300, 1},
		Recency:   []float64{2990, 1500, 0, 100, 3000, 10},
		T:         []float64{3000, 3000, 3000, 2000, 3000, 20},
	}
	for _, data := range []Data{d, big} {
		h, err := collapseHistories(data)
		require.NoError(t, err)
		l := newPNBDLik(h)
		for _, th := range [][]float64{{0.55, 10.6, 0.6, 11.7}, {0.55, 12, 0.6, 8}, {1.3, 4, 2.2, 40}, {0.55, 70, 0.6, 80}} {
			g := make([]float64, 4)
			v := l.eval(th, g)
			assert.InDelta(t, l.eval(th, nil), v, 1e-9*abs(v))
			// Richardson-extrapolated central differences with steps 1e-4
			// and 2e-4: the log-likelihood of x = 10,000 rows is ~1e4, so
			// smaller steps lose digits to rounding, and larger ones need
			// the extrapolation to cancel the h² error.
			f := func(x []float64) float64 { return l.eval(x, nil) }
			n1 := fd.Gradient(nil, f, th, &fd.Settings{Formula: fd.Central, Step: 2e-4})
			num := fd.Gradient(nil, f, th, &fd.Settings{Formula: fd.Central, Step: 1e-4})
			for i := range num {
				num[i] = (4*num[i] - n1[i]) / 3
			}
			for i := range g {
				assert.InDelta(t, num[i], g[i], 1e-6*(1+abs(num[i])), "θ=%v param %d", th, i)
			}
		}
	}
}
