package clv

import (
	"context"
	"encoding/csv"
	"errors"
	"math"
	"math/rand/v2"
	"os"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/diff/fd"
	"gonum.org/v1/gonum/floats/scalar"
	"gonum.org/v1/gonum/mathext"

	"github.com/valuekit/valuekit/internal/mle"
)

// readDonations loads testdata/donations.csv, the 1995 donor cohort of
// Fader, Hardie & Shang (2010): 11,104 donors in 22 (x, t_x, n) patterns.
func readDonations(tb testing.TB) Data {
	tb.Helper()
	f, err := os.Open("../testdata/donations.csv")
	require.NoError(tb, err)
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	require.NoError(tb, err)
	require.Equal(tb, []string{"frequency", "recency", "periods", "weights"}, recs[0])
	var d Data
	cols := []*[]float64{&d.Frequency, &d.Recency, &d.T, &d.Weights}
	for _, r := range recs[1:] {
		for j, c := range cols {
			v, err := strconv.ParseFloat(r[j], 64)
			require.NoError(tb, err)
			*c = append(*c, v)
		}
	}
	return d
}

// Published BG/BB estimates on the donations data: Fader, Hardie & Shang
// (2010), Marketing Science 29(6), section 4 (also /work/shared/datasets
// README): α = 1.204, β = 0.750, γ = 0.657, δ = 2.783, LL = −33,225.6.
var donationsMLE = &BGBB{Alpha: 1.204, Beta: 0.750, Gamma: 0.657, Delta: 2.783}

func TestFitBGBBDonations(t *testing.T) {
	d := readDonations(t)
	orig := readDonations(t)
	m, err := FitBGBB(context.Background(), d, nil)
	require.NoError(t, err)
	assert.Equal(t, orig, d, "input not modified")
	// The paper prints three decimals: agree to rounding.
	assert.InDelta(t, 1.204, m.Alpha, 0.0006)
	assert.InDelta(t, 0.750, m.Beta, 0.0006)
	assert.InDelta(t, 0.657, m.Gamma, 0.0006)
	assert.InDelta(t, 2.783, m.Delta, 0.0006)
	require.NotNil(t, m.Info)
	assert.InDelta(t, -33225.6, m.Info.LogLikelihood, 0.05)
	// To more digits (independent fit with scipy/mpmath): α = 1.2035224,
	// β = 0.7497164, γ = 0.6567182, δ = 2.7834422, LL = −33225.581274.
	assert.InDelta(t, 1.2035224, m.Alpha, 1e-5)
	assert.InDelta(t, 0.7497164, m.Beta, 1e-5)
	assert.InDelta(t, 0.6567182, m.Gamma, 1e-5)
	assert.InDelta(t, 2.7834422, m.Delta, 1e-4)
	assert.InDelta(t, -33225.581274, m.Info.LogLikelihood, 1e-5)
	assert.True(t, m.Info.Converged)
	assert.Equal(t, 11104.0, m.Info.Customers)
	assert.Equal(t, 22, m.Info.Tuples)
	// Standard errors (inverse observed information) computed
	// independently: Newton's method on the likelihood and its exact
	// Hessian by mpmath.diff (Python mpmath 1.2.1, 40 digits) give
	// 0.069391362, 0.029447717, 0.051009859, 0.320819.
	for i, want := range []float64{0.069391362, 0.029447717, 0.051009859, 0.320819} {
		assert.InDelta(t, want, m.Info.StdErrors[i], 1e-4*want, "SE %s", bgbbNames[i])
		assert.Less(t, m.Info.Lower95[i], m.Params().Values[i])
		assert.Greater(t, m.Info.Upper95[i], m.Params().Values[i])
	}
	// An unweighted data set with one row per donor gives the same fit.
	var long Data
	for i, w := range d.Weights {
		for range int(w) {
			long.Frequency = append(long.Frequency, d.Frequency[i])
			long.Recency = append(long.Recency, d.Recency[i])
			long.T = append(long.T, d.T[i])
		}
	}
	m2, err := FitBGBB(context.Background(), long, nil)
	require.NoError(t, err)
	assert.InDelta(t, m.Alpha, m2.Alpha, 1e-6)
	assert.InDelta(t, m.Delta, m2.Delta, 1e-6)
	assert.Equal(t, 22, m2.Info.Tuples)

	// Options: a start value and skipped standard errors.
	m3, err := FitBGBB(context.Background(), d, &FitOptions{Init: []float64{2, 2, 2, 2}, SkipStdErrors: true})
	require.NoError(t, err)
	assert.InDelta(t, m.Alpha, m3.Alpha, 1e-5)
	assert.Nil(t, m3.Info.LogCov)
	_, err = FitBGBB(context.Background(), d, &FitOptions{Init: []float64{1, 1}})
	assert.ErrorIs(t, err, ErrBadParams)

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = FitBGBB(ctx, d, nil)
	assert.ErrorIs(t, err, context.Canceled)
}

func TestBGBBGradient(t *testing.T) {
	// The donations (all n = 6) and simulated customers observed for 0 to
	// 15 opportunities, so that histories with the same (x, t_x) and
	// different n share the prefix sums of the dropout terms.
	n := make([]float64, 3000)
	for i := range n {
		n[i] = float64(i % 16)
	}
	sim, err := SimulateBGBB(&BGBB{Alpha: 0.8, Beta: 1.5, Gamma: 0.5, Delta: 3}, n, rand.NewPCG(5, 6))
	require.NoError(t, err)
	for _, d := range []Data{readDonations(t), sim} {
		tup, err := collapseDiscrete(d)
		require.NoError(t, err)
		l := newBGBBLik(tup.Cols[0], tup.Cols[1], tup.Cols[2], tup.Weights)
		for _, theta := range [][]float64{
			{1.204, 0.750, 0.657, 2.783},
			{0.3, 2.5, 1.0, 0.4},
			{5, 0.2, 3, 7},
		} {
			got := make([]float64, 4)
			ll := l.eval(theta, got)
			assert.Equal(t, l.eval(theta, nil), ll)
			want := fd.Gradient(nil, func(p []float64) float64 { return l.eval(p, nil) },
				theta, &fd.Settings{Formula: fd.Central, Step: 1e-6})
			for k := range want {
				assert.True(t, scalar.EqualWithinAbsOrRel(got[k], want[k], 1e-3, 1e-6), "theta %v k %d: got %v want %v", theta, k, got[k], want[k])
			}
			// The per-customer logLik (used by the predictions) summed over
			// the rows agrees with the grouped evaluation.
			m := &BGBB{Alpha: theta[0], Beta: theta[1], Gamma: theta[2], Delta: theta[3]}
			lbab, lbgd := mathext.Lbeta(theta[0], theta[1]), mathext.Lbeta(theta[2], theta[3])
			sum := 0.0
			for i := range d.Frequency {
				sum += d.Weight(i) * m.logLik(lbab, lbgd, d.Frequency[i], d.Recency[i], d.T[i])
			}
			assert.InDelta(t, ll, sum, 1e-11*math.Abs(ll))
			viaData, err := m.LogLikelihood(d)
			require.NoError(t, err)
			assert.Equal(t, ll, viaData)
		}
	}
}

func TestFitBGBBBadData(t *testing.T) {
	good := func() Data {
		return Data{Frequency: []float64{0, 1, 2}, Recency: []float64{0, 3, 2}, T: []float64{6, 6, 6}}
	}
	for _, tc := range []struct {
		name   string
		modify func(*Data)
		want   string
	}{
		{"x above t_x", func(d *Data) { d.Frequency[1] = 4 }, "frequency[1] = 4, want <= recency (3): at most one transaction per period: clv: bad data"},
		{"t_x above n", func(d *Data) { d.Recency[2] = 7 }, "recency[2] = 7, want <= T (6 periods)"},
		{"t_x without x", func(d *Data) { d.Recency[0] = 1 }, "recency[0] = 1, want 0 with frequency 0"},
		{"fraction", func(d *Data) { d.Frequency[1] = 0.5 }, "frequency[1] = 0.5, want a whole number >= 0"},
		{"negative", func(d *Data) { d.T[0] = -1 }, "T[0] = -1, want a whole number of periods >= 0"},
		{"NaN", func(d *Data) { d.Recency[1] = math.NaN() }, "recency[1] = NaN, want a whole number >= 0"},
		{"length", func(d *Data) { d.T = d.T[:2] }, "lengths differ"},
		{"weights length", func(d *Data) { d.Weights = []float64{1} }, "1 weights for 3"},
		{"negative weight", func(d *Data) { d.Weights = []float64{1, -1, 1} }, "weights[1] = -1, want finite and >= 0"},
		{"zero weights", func(d *Data) { d.Weights = []float64{0, 0, 0} }, "sum to 0"},
		{"empty", func(d *Data) { *d = Data{} }, "no customers"},
		{"no repeat transactions", func(d *Data) { d.Frequency = []float64{0, 0, 0}; d.Recency = []float64{0, 0, 0} }, "no repeat"},
		{"always transacting", func(d *Data) { d.Frequency = []float64{6, 6, 6}; d.Recency = []float64{6, 6, 6} }, "every opportunity"},
		{"no opportunities", func(d *Data) { *d = Data{Frequency: []float64{0}, Recency: []float64{0}, T: []float64{0}} }, "no repeat"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := good()
			tc.modify(&d)
			_, err := FitBGBB(context.Background(), d, nil)
			require.Error(t, err)
			assert.True(t, errors.Is(err, ErrBadData), "%v", err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

// Reference values for the BG/BB predictions at the published estimates
// (α, β, γ, δ) = (1.204, 0.750, 0.657, 2.783). They were computed
// independently of the closed forms in bgbb.go: the individual-level model
// (transactions with probability p while active, dropout with probability θ
// at each opportunity) was integrated over the Beta(α, β) × Beta(γ, δ)
// mixing distributions by two-dimensional tanh-sinh quadrature (Python
// mpmath 1.2.1, 20 digits).
func TestBGBBPredictions(t *testing.T) {
	m := donationsMLE
	const tol = 1e-9
	for _, tc := range []struct{ n, want float64 }{
		{1, 0.498490276356}, {6, 2.21963139349}, {11, 3.38757111106},
	} {
		assert.InDelta(t, tc.want, m.ExpectedPurchases(tc.n), tol, "E[X(%v)]", tc.n)
	}
	px := []float64{0.311217743264, 0.170109978407, 0.121480513767, 0.100263115025,
		0.0916598534249, 0.0924811479053, 0.112787648208}
	for k, want := range px {
		assert.InDelta(t, want, m.ProbPurchases(k, 6), tol, "P(X(6) = %d)", k)
	}
	assert.Zero(t, m.ProbPurchases(7, 6))
	assert.Zero(t, m.ProbPurchases(-1, 6))
	assert.True(t, math.IsNaN(m.ProbPurchases(1, 2.5)))
	for _, tc := range []struct {
		c                Customer
		alive, ce5, dert float64
	}{
		{Customer{6, 6, 6}, 0.930402542373, 3.7521156076, 5.90867831956},
		{Customer{3, 5, 6}, 0.766734049996, 1.80442599979, 2.84153632224},
		{Customer{1, 1, 6}, 0.0694080932065, 0.0856353983379, 0.134855125604},
		{Customer{0, 0, 6}, 0.108016584169, 0.072802877475, 0.114646996182},
		{Customer{4, 6, 6}, 0.930402542373, 2.71043998084, 4.26829011313},
	} {
		assert.InDelta(t, tc.alive, m.ProbAlive(tc.c), tol, "P(alive) %v", tc.c)
		assert.InDelta(t, tc.ce5, m.ConditionalExpectedPurchases(5, tc.c), tol, "E[X(6, 11)] %v", tc.c)
		dert, err := m.DERT(0.1, tc.c)
		require.NoError(t, err)
		assert.InDelta(t, tc.dert, dert, tol, "DERT(0.1) %v", tc.c)
	}
	// Invalid histories and horizons.
	assert.True(t, math.IsNaN(m.ProbAlive(Customer{3, 2, 6})))
	assert.True(t, math.IsNaN(m.ConditionalExpectedPurchases(5, Customer{1, 0, 6})))
	assert.Zero(t, m.ConditionalExpectedPurchases(0, Customer{1, 1, 6}))
	assert.Zero(t, m.ExpectedPurchases(0))
	_, err := m.DERT(0, Customer{1, 1, 6})
	assert.ErrorIs(t, err, ErrBadParams)
	_, err = m.DERT(0.1, Customer{1, 2, 1})
	assert.ErrorIs(t, err, ErrBadData)
}

// At and near γ = 1 the closed forms for E[X(n)] and E[X(n, n+n*)] are 0/0;
// they must agree with the term-by-term sums
// E[X(n)] = α/(α+β) Σ_{t=1}^{n} B(γ, δ+t)/B(γ, δ).
func TestBGBBGammaNearOne(t *testing.T) {
	for _, g := range []float64{1, 1 + 1e-12, 1 - 1e-9, 1 + 1e-5, 1 - 2e-4, 1.01, 0.5, 3} {
		m := BGBB{Alpha: 0.8, Beta: 1.7, Gamma: g, Delta: 2.2}
		for _, n := range []float64{1, 7, 40} {
			want := 0.0
			for s := 1.0; s <= n; s++ {
				want += math.Exp(mathext.Lbeta(g, m.Delta+s) - mathext.Lbeta(g, m.Delta))
			}
			want *= m.Alpha / (m.Alpha + m.Beta)
			assert.InDelta(t, want, m.ExpectedPurchases(n), 1e-10*want, "γ=%v n=%v", g, n)
		}
		// Fractional horizons lie between the neighbouring whole ones.
		lo, mid, hi := m.ExpectedPurchases(3), m.ExpectedPurchases(3.5), m.ExpectedPurchases(4)
		assert.True(t, lo < mid && mid < hi, "γ=%v: %v %v %v", g, lo, mid, hi)
	}
}

func TestBGBBExpectedHistogram(t *testing.T) {
	m := donationsMLE
	d := readDonations(t)
	// 11,104 donors × P(X(6) = x) (mpmath values of TestBGBBPredictions).
	px := []float64{0.311217743264, 0.170109978407, 0.121480513767, 0.100263115025,
		0.0916598534249, 0.0924811479053, 0.112787648208}
	h, err := m.ExpectedHistogram(nil, 6, 11104)
	require.NoError(t, err)
	require.Len(t, h, 7)
	for x, p := range px {
		assert.InDelta(t, 11104*p, h[x], 1e-5, "x = %d", x)
	}
	// The package's generic histogram agrees for these data (all n = 6).
	exp, obs, err := ExpectedRepeatHistogram(m, d, 6)
	require.NoError(t, err)
	assert.InDeltaSlice(t, h, exp, 1e-6)
	// Observed repeat-donation counts, summed from testdata/donations.csv.
	assert.Equal(t, []float64{3464, 1823, 1430, 1085, 1036, 1063, 1203}, obs)

	dst := make([]float64, 7)
	got, err := m.ExpectedHistogram(dst, 6, 1)
	require.NoError(t, err)
	assert.Same(t, &dst[0], &got[0])
	_, err = m.ExpectedHistogram(make([]float64, 3), 6, 1)
	assert.ErrorIs(t, err, ErrBadData)
	_, err = m.ExpectedHistogram(nil, -1, 1)
	assert.ErrorIs(t, err, ErrBadData)
	_, err = m.ExpectedHistogram(nil, 6, math.NaN())
	assert.ErrorIs(t, err, ErrBadData)
}

// collapseDiscrete's packed-key path and its fallback agree with
// mle.Collapse: same tuples in the same order, zero weights dropped.
func TestCollapseDiscrete(t *testing.T) {
	big := float64(1 << 22)
	for _, d := range []Data{
		readDonations(t),
		{Frequency: []float64{1, 0, 1, 2, 1}, Recency: []float64{3, 0, 3, 2, 3}, T: []float64{4, 4, 4, 9, 4},
			Weights: []float64{1, 0, 2.5, 1, 1}},
		{Frequency: []float64{1, 0, 1, 0}, Recency: []float64{3, 0, 3, 0}, T: []float64{big, 4, big, 4}},
	} {
		got, err := collapseDiscrete(d)
		require.NoError(t, err)
		want, err := mle.Collapse(d.Weights, d.Frequency, d.Recency, d.T)
		require.NoError(t, err)
		assert.Equal(t, want, got)
	}
}

// The conditional distribution of the next t opportunities' transactions
// sums to 1 and has the conditional expectation as its mean; for a history
// with no opportunities yet (n = 0) it is the new-customer distribution.
func TestBGBBConditionalProbPurchases(t *testing.T) {
	m := donationsMLE
	for _, c := range []Customer{{6, 6, 6}, {3, 5, 6}, {1, 1, 6}, {0, 0, 6}, {4, 6, 6}, {2, 9, 30}} {
		for _, h := range []float64{1, 5, 12} {
			sum, mean := 0.0, 0.0
			for k := 0; k <= int(h); k++ {
				p := m.ConditionalProbPurchases(k, h, c)
				assert.True(t, p >= 0 && p <= 1, "%v h=%v k=%d: %v", c, h, k, p)
				sum += p
				mean += float64(k) * p
			}
			assert.InDelta(t, 1, sum, 1e-12, "%v h=%v", c, h)
			assert.InDelta(t, m.ConditionalExpectedPurchases(h, c), mean, 1e-10, "%v h=%v", c, h)
		}
	}
	for k := 0; k <= 6; k++ {
		assert.InDelta(t, m.ProbPurchases(k, 6), m.ConditionalProbPurchases(k, 6, Customer{0, 0, 0}), 1e-14)
	}
	// Independent values for x = 3, t_x = 5, n = 6 over the next 5
	// opportunities: the individual-level model integrated over the beta
	// mixing distributions by tanh-sinh quadrature (mpmath 1.2.1, 20 digits),
	// as in TestBGBBPredictions.
	for k, want := range []float64{0.309507123373, 0.157567227554, 0.181800762477,
		0.17396331163, 0.124440562434, 0.0527210125327} {
		assert.InDelta(t, want, m.ConditionalProbPurchases(k, 5, Customer{3, 5, 6}), 1e-9, "k = %d", k)
	}
	assert.Zero(t, m.ConditionalProbPurchases(6, 5, Customer{1, 1, 6}))
	assert.True(t, math.IsNaN(m.ConditionalProbPurchases(1, 2.5, Customer{1, 1, 6})))
	assert.True(t, math.IsNaN(m.ConditionalProbPurchases(1, 2, Customer{2, 1, 6})))
}

// Predictions never mutate the model: concurrent use gives the same
// numbers as sequential use (run with -race).
func TestBGBBConcurrentPredictions(t *testing.T) {
	m := donationsMLE
	c := Customer{Frequency: 3, Recency: 5, T: 6}
	want := [3]float64{m.ProbAlive(c), m.ConditionalExpectedPurchases(5, c), m.ProbPurchases(2, 6)}
	done := make(chan [3]float64)
	for range 8 {
		go func() {
			var got [3]float64
			for range 200 {
				got = [3]float64{m.ProbAlive(c), m.ConditionalExpectedPurchases(5, c), m.ProbPurchases(2, 6)}
			}
			done <- got
		}()
	}
	for range 8 {
		assert.Equal(t, want, <-done)
	}
}

// The package's discounted CLV, which sums the conditional expected
// purchases of each future step discounted at its end, gives for BG/BB with
// one unit of value per transaction and one step per opportunity the
// closed-form DERT (up to the negligible tail beyond the horizon).
func TestBGBBCLVMatchesDERT(t *testing.T) {
	m := donationsMLE
	d := Data{Frequency: []float64{3, 6, 0}, Recency: []float64{5, 6, 0}, T: []float64{6, 6, 6}}
	for i := range d.Frequency {
		v, err := CLV(m, d, i, CLVOptions{Horizon: 500, DiscountRate: 0.1, SpendPerPurchase: 1})
		require.NoError(t, err)
		dert, err := m.DERT(0.1, d.Customer(i))
		require.NoError(t, err)
		assert.InDelta(t, dert, v, 1e-9*dert, "customer %v", d.Customer(i))
	}
}
