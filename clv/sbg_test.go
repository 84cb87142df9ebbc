package clv

import (
	"bytes"
	"context"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/diff/fd"
	"gonum.org/v1/gonum/floats/scalar"
)

// Retention data of Fader & Hardie (2007), "How to project customer
// retention", Journal of Interactive Marketing 21(1), Table 1: customers of
// a cohort of 1,000 still active at the start of years 0..7.
var (
	aliveRegular = []float64{1000, 631, 468, 382, 326, 289, 262, 241}
	aliveHighEnd = []float64{1000, 869, 743, 653, 593, 551, 517, 491}
)

func TestFitSBGPublished(t *testing.T) {
	// Estimates and log-likelihoods published in Fader & Hardie (2007),
	// section 4: regular α = 0.704, β = 1.182, LL = −1680.27; high end
	// α = 0.668, β = 3.806, LL = −1611.16.
	for _, tc := range []struct {
		name        string
		alive       []float64
		alpha, beta float64
		ll          float64
		se          [2]float64
	}{
		// Standard errors computed independently: Newton's method with the
		// exact Hessian by mpmath.diff (Python mpmath 1.2.1, 40 digits),
		// which also gives α = 0.7040773, β = 1.1820430, LL = −1680.265188
		// and α = 0.6680884, β = 3.8060950, LL = −1611.158147.
		{"regular", aliveRegular, 0.704, 1.182, -1680.27, [2]float64{0.065598964, 0.15247563}},
		{"high end", aliveHighEnd, 0.668, 3.806, -1611.16, [2]float64{0.10373493, 0.78553169}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := append([]float64(nil), tc.alive...)
			m, err := FitSBG(context.Background(), in, nil)
			require.NoError(t, err)
			assert.Equal(t, tc.alive, in, "input not modified")
			assert.InDelta(t, tc.alpha, m.Alpha, 0.0005)
			assert.InDelta(t, tc.beta, m.Beta, 0.0005)
			require.NotNil(t, m.Info)
			assert.InDelta(t, tc.ll, m.Info.LogLikelihood, 0.005)
			assert.True(t, m.Info.Converged)
			assert.Equal(t, 1000.0, m.Info.Customers)
			for i, v := range m.Params().Values {
				assert.InDelta(t, tc.se[i], m.Info.StdErrors[i], 1e-4*tc.se[i], "SE %s", sbgNames[i])
				assert.Less(t, m.Info.Lower95[i], v)
				assert.Greater(t, m.Info.Upper95[i], v)
			}
			ll, err := m.LogLikelihood(tc.alive)
			require.NoError(t, err)
			assert.InDelta(t, m.Info.LogLikelihood, ll, 1e-9)
		})
	}
}

func TestSBGGradient(t *testing.T) {
	for _, theta := range [][]float64{{0.704, 1.182}, {0.668, 3.806}, {3, 0.2}} {
		for _, alive := range [][]float64{aliveRegular, aliveHighEnd, {100, 40}, {100, 100, 90, 0}} {
			got := make([]float64, 2)
			ll := sbgLogLik(got, theta, alive)
			assert.Equal(t, sbgLogLik(nil, theta, alive), ll)
			want := fd.Gradient(nil, func(p []float64) float64 { return sbgLogLik(nil, p, alive) },
				theta, &fd.Settings{Formula: fd.Central, Step: 1e-6})
			for k := range want {
				assert.True(t, scalar.EqualWithinAbsOrRel(got[k], want[k], 1e-5, 1e-6),
					"theta %v alive %v k %d: got %v want %v", theta, alive, k, got[k], want[k])
			}
		}
	}
}

// Reference values computed independently with Python mpmath 1.2.1 (30
// digits) from S(t) = B(α, β+t)/B(α, β), and DEL and DERL as the direct
// series Σ S(t)/(1+d)^t and Σ S(n+1+t)/S(n)/(1+d)^t (mpmath.nsum), not from
// the hypergeometric closed forms used in sbg.go.
func TestSBGCurvesAndDERL(t *testing.T) {
	for _, tc := range []struct {
		alpha, beta float64
		alive12     []float64 // 1000 S(t), t = 0..12
		churn       [3]float64
		del         [2]float64    // d = 0.1, 0.01
		derl        [2][4]float64 // d = 0.1, 0.01; n = 0, 1, 4, 10
	}{
		{
			0.704, 1.182,
			[]float64{1000, 626.723223753977, 473.842714563817, 387.999875898628, 332.094858986504, 292.374372964333,
				262.483063268299, 239.050641693244, 220.111675707194, 204.437123846192, 191.216130351087,
				179.890524111211, 170.062576806051},
			[3]float64{0.373276776246023, 0.152880509190159, 0.0234324215750549},
			[2]float64{3.69514740557457, 9.41875957624878},
			[2][4]float64{
				{2.96466214613203, 4.10345861959857, 5.89442285984416, 7.460061079088},
				{8.50294717201127, 12.6929813452431, 21.0078985921902, 31.0767243278571},
			},
		},
		{
			0.668, 3.806,
			[]float64{1000, 850.692892266428, 746.881629563839, 669.81692018036, 609.951024718695, 561.868975566926,
				522.252290357014, 488.944620893726, 460.478958809273, 435.819671933805, 414.213056166269,
				395.096411042663, 378.04042018209},
			[3]float64{0.149307107733572, 0.103811262702589, 0.0333076694632887},
			[2]float64{5.92259640761276, 19.8214118623949},
			[2][4]float64{
				{5.41485604837404, 5.90175316775302, 6.89705739774609, 7.97779472194798},
				{19.0096259810188, 21.5595105899813, 27.588141084237, 35.9021707766446},
			},
		},
		{
			1.5, 2.5,
			[]float64{1000, 625, 437.5, 328.125, 257.8125, 209.47265625, 174.560546875, 148.37646484375,
				128.143310546875, 112.125396728516, 99.1878509521484, 88.5605812072754, 79.7045230865479},
			[3]float64{0.375, 0.1875, 0.02618408203125},
			[2]float64{2.99501440587195, 4.66371550062313},
			[2][4]float64{
				{2.19451584645914, 2.76234788976809, 4.01450919098503, 5.5324203289478},
				{3.70035265562936, 4.96976989149705, 8.35629257934377, 13.9138262207264},
			},
		},
	} {
		m, err := NewSBG(tc.alpha, tc.beta)
		require.NoError(t, err)
		proj := m.ProjectAlive(1000, 12)
		require.Len(t, proj, 13)
		for k, want := range tc.alive12 {
			assert.InDelta(t, want, proj[k], 1e-9, "projection t=%d", k)
			assert.InDelta(t, want/1000, m.Survival(k), 1e-12, "S(%d)", k)
			if k > 0 {
				assert.InDelta(t, tc.alive12[k]/tc.alive12[k-1], m.Retention(k), 1e-12, "r(%d)", k)
			}
		}
		for i, tt := range []int{1, 2, 7} {
			assert.InDelta(t, tc.churn[i], m.ChurnProb(tt), 1e-14, "P(T=%d)", tt)
		}
		for i, d := range []float64{0.1, 0.01} {
			del, err := m.DEL(d)
			require.NoError(t, err)
			assert.InDelta(t, tc.del[i], del, 1e-10*tc.del[i], "DEL(%v)", d)
			for j, n := range []int{0, 1, 4, 10} {
				derl, err := m.DERL(d, n)
				require.NoError(t, err)
				assert.InDelta(t, tc.derl[i][j], derl, 1e-10*tc.derl[i][j], "DERL(%v, %d)", d, n)
			}
		}
	}
}

// DERL through the hypergeometric function agrees with the direct series
// Σ_t S(n+1+t)/S(n)/(1+d)^t, summed with the retention recursion, also for
// long-tenured customers and small discount rates.
func TestSBGDERLSeries(t *testing.T) {
	for _, p := range [][2]float64{{0.704, 1.182}, {0.668, 3.806}, {1, 1}, {2.5, 0.3}, {0.2, 40}} {
		m := &SBG{Alpha: p[0], Beta: p[1]}
		for _, d := range []float64{0.3, 0.05, 0.01, 0.002} {
			for _, n := range []int{0, 3, 100, 1000} {
				want, s := 0.0, 1.0
				for k := 0; k < 200_000; k++ {
					s *= m.Retention(n + 1 + k) // S(n+1+k)/S(n)
					term := s * math.Pow(1+d, -float64(k))
					want += term
					if term < 1e-17*want {
						break
					}
				}
				got, err := m.DERL(d, n)
				require.NoError(t, err)
				assert.InDelta(t, want, got, 1e-9*want, "α=%v β=%v d=%v n=%d", p[0], p[1], d, n)
			}
			// DEL(d) = 1 + DERL(d, 0)/(1+d).
			del, err := m.DEL(d)
			require.NoError(t, err)
			derl0, err := m.DERL(d, 0)
			require.NoError(t, err)
			assert.InDelta(t, 1+derl0/(1+d), del, 1e-10*del)
		}
	}
}

func TestSBGEdges(t *testing.T) {
	m := &SBG{Alpha: 0.704, Beta: 1.182}
	assert.Equal(t, 1.0, m.Survival(0))
	assert.Equal(t, 1.0, m.Survival(-3))
	assert.Equal(t, 1.0, m.Retention(0))
	assert.Zero(t, m.ChurnProb(0))
	assert.Nil(t, m.ProjectAlive(1000, -1))
	assert.Nil(t, m.ProjectAlive(math.NaN(), 3))
	assert.Equal(t, []float64{50}, m.ProjectAlive(50, 0))
	// Churn probabilities and survival add up: Σ_{t<=k} P(T=t) + S(k) = 1.
	sum := 0.0
	for tt := 1; tt <= 200; tt++ {
		sum += m.ChurnProb(tt)
	}
	assert.InDelta(t, 1, sum+m.Survival(200), 1e-12)

	// With α <= 1 the expected lifetime is infinite, and with d = 0 so is DERL.
	assert.True(t, math.IsInf(m.ExpectedLifetime(), 1))
	derl, err := m.DERL(0, 3)
	require.NoError(t, err)
	assert.True(t, math.IsInf(derl, 1))
	// With α > 1: E[T] = 1 + β/(α−1) and the undiscounted residual
	// lifetime (β+n)/(α−1); DEL and DERL tend to them as d → 0.
	m2 := &SBG{Alpha: 3, Beta: 4}
	assert.InDelta(t, 3, m2.ExpectedLifetime(), 1e-15)
	del0, err := m2.DEL(0)
	require.NoError(t, err)
	assert.Equal(t, 3.0, del0)
	delSmall, err := m2.DEL(1e-9)
	require.NoError(t, err)
	assert.InDelta(t, 3, delSmall, 1e-6)
	derl0, err := m2.DERL(0, 2)
	require.NoError(t, err)
	assert.InDelta(t, 3, derl0, 1e-15)
	derlSmall, err := m2.DERL(1e-9, 2)
	require.NoError(t, err)
	assert.InDelta(t, 3, derlSmall, 1e-6)

	for _, d := range []float64{-0.1, math.NaN(), math.Inf(1)} {
		_, err := m.DEL(d)
		assert.ErrorIs(t, err, ErrBadParams)
		_, err = m.DERL(d, 1)
		assert.ErrorIs(t, err, ErrBadParams)
	}
	_, err = m.DERL(0.1, -1)
	assert.ErrorIs(t, err, ErrBadParams)

	for _, p := range [][2]float64{{0, 1}, {1, -1}, {math.NaN(), 1}, {1, math.Inf(1)}} {
		_, err := NewSBG(p[0], p[1])
		assert.ErrorIs(t, err, ErrBadParams, "%v", p)
	}
}

func TestFitSBGBadData(t *testing.T) {
	for _, tc := range []struct {
		name  string
		alive []float64
		want  string
	}{
		{"increasing", []float64{1000, 600, 650, 500}, "alive[2]"},
		{"negative", []float64{1000, -1}, "alive[1]"},
		{"NaN", []float64{1000, 800, math.NaN()}, "alive[2]"},
		{"Inf", []float64{math.Inf(1), 800}, "alive[0]"},
		{"too short", []float64{1000}, "at least one later count"},
		{"empty cohort", []float64{0, 0}, "cohort size"},
		{"nobody churns", []float64{100, 100, 100}, "no customer churned"},
		{"all churn at once", []float64{100, 0, 0}, "first period"},
		{"one period", []float64{100, 60}, "at least two periods"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := FitSBG(context.Background(), tc.alive, nil)
			require.Error(t, err)
			assert.True(t, errors.Is(err, ErrBadData), "%v", err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
	// Constant retention (no heterogeneity): α and β run off with a
	// warning, and the fit still projects the constant rate.
	m, err := FitSBG(context.Background(), []float64{1000, 500, 250, 125, 62.5}, nil)
	require.NoError(t, err)
	require.NotEmpty(t, m.Info.Warnings)
	assert.Contains(t, m.Info.Warnings[len(m.Info.Warnings)-1], "edge of the parameter space")
	assert.InDelta(t, 0.5, m.Retention(1), 1e-3)
	assert.InDelta(t, 0.5, m.Retention(8), 1e-3)

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = FitSBG(ctx, aliveRegular, nil)
	assert.ErrorIs(t, err, context.Canceled)
}

// Fitted BG/BB and sBG models survive a JSON round trip, and the
// paper-estimates-only form loads too.
func TestDiscreteModelsJSON(t *testing.T) {
	bg, err := FitBGBB(context.Background(), readDonations(t), nil)
	require.NoError(t, err)
	sb, err := FitSBG(context.Background(), aliveHighEnd, nil)
	require.NoError(t, err)
	for _, m := range []Model{bg, sb} {
		var buf bytes.Buffer
		require.NoError(t, SaveModel(&buf, m))
		got, err := LoadModel(&buf)
		require.NoError(t, err)
		assert.Equal(t, m.Name(), got.Name())
		assert.InDeltaSlice(t, m.Params().Values, got.Params().Values, 1e-12)
		require.NotNil(t, got.FitInfo())
		assert.InDelta(t, m.FitInfo().LogLikelihood, got.FitInfo().LogLikelihood, 1e-9)
	}
	got, err := LoadModel(strings.NewReader(`{"model":"bgbb","params":{"alpha":1.204,"beta":0.75,"gamma":0.657,"delta":2.783}}`))
	require.NoError(t, err)
	b, ok := got.(*BGBB)
	require.True(t, ok)
	assert.Equal(t, 2.783, b.Delta)
	assert.Nil(t, b.FitInfo())
	got, err = LoadModel(strings.NewReader(`{"model":"sbg","params":{"alpha":0.704,"beta":1.182}}`))
	require.NoError(t, err)
	assert.Equal(t, &SBG{Alpha: 0.704, Beta: 1.182}, got)
	_, err = LoadModel(strings.NewReader(`{"model":"sbg","params":{"alpha":-1,"beta":1.182}}`))
	assert.ErrorIs(t, err, ErrBadParams)
}
