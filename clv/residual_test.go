package clv

import (
	"context"
	"errors"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/mathext"
)

// The CDNOW Pareto/NBD estimates of Fader, Hardie & Lee (2005, "RFM and
// CLV"), weekly: r 0.5533, α 10.5776, s 0.6061, β 11.6650; their discount
// rate is 15 % a year, δ = ln(1.15)/52 continuously per week.
var fhlPNBD = &ParetoNBD{R: 0.5533, Alpha: 10.5776, S: 0.6061, Beta: 11.6650}

// dertClosedForm is FHL (2005) eq. 2 with U(s, s; z) = e^z Γ(1−s, z)
// (DLMF 13.6.6), valid for s < 1 — an evaluation independent of the
// quadrature in DERT.
func dertClosedForm(m *ParetoNBD, delta float64, c Customer) float64 {
	z := delta * (m.Beta + c.T)
	a := 1 - m.S
	lU := z + math.Log(mathext.GammaIncRegComp(a, z)) + lgamma(a) // ln U(s,s,z)
	l1, l2 := m.logTerms(c)
	logL := math.Log(math.Exp(l1) + math.Exp(l2)) // L / (Γ(r+x) α^r β^s / Γ(r))
	// α^r β^s δ^(s−1) Γ(r+x+1) U / (Γ(r) (α+T)^(r+x+1) L), the Γ(r), α^r β^s cancelling.
	return math.Exp(math.Log(m.R+c.Frequency) + (m.S-1)*math.Log(delta) + lU - (m.R+c.Frequency+1)*math.Log(m.Alpha+c.T) - logL)
}

func lgamma(x float64) float64 { v, _ := math.Lgamma(x); return v }

func TestParetoNBDDERT(t *testing.T) {
	weekly := math.Log(1.15) / 52
	for _, tc := range []struct {
		name  string
		m     *ParetoNBD
		delta float64
		c     Customer
	}{
		{"CDNOW customer 1 (x 2, t_x 30.43, T 38.86)", fhlPNBD, weekly, Customer{Frequency: 2, Recency: 30.43, T: 38.86}},
		{"no repeat purchase", fhlPNBD, weekly, Customer{Frequency: 0, Recency: 0, T: 38.86}},
		{"frequent, recent", fhlPNBD, weekly, Customer{Frequency: 10, Recency: 38, T: 39}},
		{"frequent, long gone", fhlPNBD, weekly, Customer{Frequency: 10, Recency: 5, T: 39}},
		{"high rate", fhlPNBD, 0.05, Customer{Frequency: 3, Recency: 20, T: 39}},
		{"s near 1", &ParetoNBD{R: 1.2, Alpha: 4, S: 0.95, Beta: 30}, 0.01, Customer{Frequency: 4, Recency: 10, T: 12}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.m.DERT(tc.delta, tc.c)
			require.NoError(t, err)
			assert.InEpsilon(t, dertClosedForm(tc.m, tc.delta, tc.c), got, 1e-9, "closed form")

			// A long finite horizon, discounted continuously: the step-end
			// sum Σ ΔE_k e^(−δ t_k) is e^(−δh/2) times the integral to
			// second order in h; the tail beyond H is below e^(−δH).
			H := 40 / tc.delta
			h := H / maxCLVSteps
			d := Data{Frequency: []float64{tc.c.Frequency}, Recency: []float64{tc.c.Recency}, T: []float64{tc.c.T}}
			finite, err := CLV(tc.m, d, 0, CLVOptions{Horizon: H, Steps: maxCLVSteps, DiscountRate: tc.delta, Continuous: true, SpendPerPurchase: 1})
			require.NoError(t, err)
			assert.InEpsilon(t, finite*math.Exp(tc.delta*h/2), got, 1e-6, "long finite horizon")
		})
	}
	// With s ≥ 1 there is no simple incomplete-gamma form; the finite-horizon
	// check alone.
	m := &ParetoNBD{R: 0.8, Alpha: 6, S: 2.5, Beta: 20}
	c := Customer{Frequency: 1, Recency: 5, T: 20}
	got, err := m.DERT(0.02, c)
	require.NoError(t, err)
	d := Data{Frequency: []float64{1}, Recency: []float64{5}, T: []float64{20}}
	finite, err := CLV(m, d, 0, CLVOptions{Horizon: 2000, Steps: maxCLVSteps, DiscountRate: 0.02, Continuous: true, SpendPerPurchase: 1})
	require.NoError(t, err)
	assert.InEpsilon(t, finite*math.Exp(0.02*0.02/2), got, 1e-6)
}

func TestDiscountedResidualPurchases(t *testing.T) {
	c := Customer{Frequency: 2, Recency: 30.43, T: 38.86}
	// Discrete (1+d)^−t and continuous e^(−ln(1+d) t) agree.
	d, err := DiscountedResidualPurchases(fhlPNBD, 0.003, false, c)
	require.NoError(t, err)
	cont, err := DiscountedResidualPurchases(fhlPNBD, math.Log1p(0.003), true, c)
	require.NoError(t, err)
	assert.InEpsilon(t, d, cont, 1e-12)

	bgbb := &BGBB{Alpha: 1.204, Beta: 0.750, Gamma: 0.657, Delta: 2.783}
	dc := Customer{Frequency: 3, Recency: 4, T: 6}
	want, err := bgbb.DERT(0.1, dc)
	require.NoError(t, err)
	got, err := DiscountedResidualPurchases(bgbb, math.Log1p(0.1), true, dc)
	require.NoError(t, err)
	assert.InEpsilon(t, want, got, 1e-12)

	for _, tc := range []struct {
		name string
		m    TransactionModel
		rate float64
		err  error
	}{
		{"undiscounted", fhlPNBD, 0, ErrBadParams},
		{"negative", fhlPNBD, -0.1, ErrBadParams},
		{"BG/NBD has no form", &BGNBD{R: 0.243, Alpha: 4.414, A: 0.793, B: 2.426}, 0.01, ErrNoResidualForm},
		{"MBG/NBD has no form", &MBGNBD{R: 0.5, Alpha: 5, A: 0.5, B: 2}, 0.01, ErrNoResidualForm},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := DiscountedResidualPurchases(tc.m, tc.rate, false, c)
			assert.True(t, errors.Is(err, tc.err), "%v", err)
		})
	}
	assert.True(t, HasResidualForm(NameParetoNBD) && HasResidualForm(NameBGBB) && !HasResidualForm(NameBGNBD))
}

func TestResidualCLVBatch(t *testing.T) {
	d := Data{Frequency: []float64{2, 0, 2}, Recency: []float64{30.43, 0, 30.43}, T: []float64{38.86, 38.86, 38.86}, Monetary: []float64{20, 0, 20}}
	dst, dert := make([]float64, 3), make([]float64, 3)
	opts := CLVOptions{DiscountRate: 0.003, Margin: 0.5, SpendPerPurchase: 40,
		Refunds: &Refunds{Ratio: []float64{0, 0, 0.5}, Prior: 1}}
	require.NoError(t, ResidualCLVBatch(context.Background(), dst, dert, fhlPNBD, d, opts))
	one, err := fhlPNBD.DERT(math.Log1p(0.003), Customer{Frequency: 2, Recency: 30.43, T: 38.86})
	require.NoError(t, err)
	assert.InEpsilon(t, one, dert[0], 1e-12)
	// Population ratio (3·0 + 1·0 + 3·0.5)/7; customer 0: (3·0 + 1·pop)/4.
	pop := 1.5 / 7
	assert.InEpsilon(t, one*40*0.5*(1-pop/4), dst[0], 1e-12)
	assert.InEpsilon(t, one*40*0.5*(1-(1.5+pop)/4), dst[2], 1e-12)
	assert.Greater(t, dst[1], 0.0)

	err = ResidualCLVBatch(context.Background(), dst, nil, &BGNBD{R: 0.243, Alpha: 4.414, A: 0.793, B: 2.426}, d, opts)
	assert.ErrorIs(t, err, ErrNoResidualForm)
	opts.DiscountRate = 0
	assert.ErrorIs(t, ResidualCLVBatch(context.Background(), dst, nil, fhlPNBD, d, opts), ErrBadParams)
}
