package clv

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// recoveryT returns n observation lengths spread over [26, 52] (a cohort
// acquired over half a year, observed for a year).
func recoveryT(n int) []float64 {
	T := make([]float64, n)
	for i := range T {
		T[i] = 26 + 26*float64(i)/float64(n)
	}
	return T
}

// assertRecovered checks that every estimate is within 3 standard errors of
// the value used to simulate the data.
func assertRecovered(t *testing.T, truth []float64, m Model) {
	t.Helper()
	est := m.Params()
	info := m.FitInfo()
	require.NotNil(t, info)
	for i, want := range truth {
		se := info.StdErrors[i]
		require.False(t, math.IsNaN(se), "SE of %s", est.Names[i])
		assert.InDelta(t, want, est.Values[i], 3*se, "%s: estimate %.4f, truth %.4f, SE %.4f", est.Names[i], est.Values[i], want, se)
	}
}

func TestRecoveryBGNBD(t *testing.T) {
	truth := &BGNBD{R: 0.5, Alpha: 6, A: 0.8, B: 2.5}
	d, err := SimulateBGNBD(truth, recoveryT(20000), rand.NewPCG(1, 2))
	require.NoError(t, err)
	m, err := FitBGNBD(context.Background(), d, nil)
	require.NoError(t, err)
	assertRecovered(t, []float64{0.5, 6, 0.8, 2.5}, m)
}

func TestRecoveryMBGNBD(t *testing.T) {
	truth := &MBGNBD{R: 0.5, Alpha: 6, A: 0.9, B: 1.6}
	d, err := SimulateMBGNBD(truth, recoveryT(20000), rand.NewPCG(3, 4))
	require.NoError(t, err)
	m, err := FitMBGNBD(context.Background(), d, nil)
	require.NoError(t, err)
	assertRecovered(t, []float64{0.5, 6, 0.9, 1.6}, m)
}

func TestRecoveryParetoNBD(t *testing.T) {
	truth := &ParetoNBD{R: 0.55, Alpha: 10.5, S: 0.6, Beta: 11.7}
	d, err := SimulateParetoNBD(truth, recoveryT(20000), rand.NewPCG(5, 6))
	require.NoError(t, err)
	m, err := FitParetoNBD(context.Background(), d, nil)
	require.NoError(t, err)
	assertRecovered(t, []float64{0.55, 10.5, 0.6, 11.7}, m)
}

func TestRecoveryGammaGamma(t *testing.T) {
	truth := &GammaGamma{P: 6.25, Q: 3.74, V: 15.44}
	freq := make([]float64, 5000)
	for i := range freq {
		freq[i] = float64(1 + i%12)
	}
	mon, err := SimulateGammaGamma(truth, freq, rand.NewPCG(7, 8))
	require.NoError(t, err)
	m, err := FitGammaGamma(context.Background(), Data{Frequency: freq, Monetary: mon}, nil)
	require.NoError(t, err)
	assertRecovered(t, []float64{6.25, 3.74, 15.44}, m)
}

func TestSimulateDeterministic(t *testing.T) {
	m := &BGNBD{R: 0.5, Alpha: 6, A: 0.8, B: 2.5}
	a, err := SimulateBGNBD(m, recoveryT(100), rand.NewPCG(9, 9))
	require.NoError(t, err)
	b, err := SimulateBGNBD(m, recoveryT(100), rand.NewPCG(9, 9))
	require.NoError(t, err)
	assert.Equal(t, a, b)
	require.NoError(t, validateContinuous(a))
	_, err = SimulateBGNBD(m, []float64{1, -1}, rand.NewPCG(1, 1))
	assert.ErrorIs(t, err, ErrBadData)
	_, err = SimulateBGNBD(m, []float64{1}, nil)
	assert.ErrorIs(t, err, ErrBadParams)
}

// TestRecoveryDailyHeavyBuyers fits data in days with T in the thousands
// and purchase counts in the thousands (up to ~10,000): the log-space
// likelihoods must neither overflow nor lose the optimum.
func TestRecoveryDailyHeavyBuyers(t *testing.T) {
	T := make([]float64, 3000)
	for i := range T {
		T[i] = float64(1500 + i%1500)
	}
	truthP := &ParetoNBD{R: 3, Alpha: 2, S: 0.8, Beta: 1500}
	d, err := SimulateParetoNBD(truthP, T, rand.NewPCG(11, 12))
	require.NoError(t, err)
	maxX := 0.0
	for _, x := range d.Frequency {
		maxX = math.Max(maxX, x)
	}
	require.Greater(t, maxX, 5000.0, "the data must contain very heavy buyers")
	m, err := FitParetoNBD(context.Background(), d, nil)
	require.NoError(t, err)
	assertRecovered(t, []float64{3, 2, 0.8, 1500}, m)

	truthB := &BGNBD{R: 3, Alpha: 2, A: 0.5, B: 2000}
	db, err := SimulateBGNBD(truthB, T, rand.NewPCG(13, 14))
	require.NoError(t, err)
	mb, err := FitBGNBD(context.Background(), db, nil)
	require.NoError(t, err)
	assertRecovered(t, []float64{3, 2, 0.5, 2000}, mb)
}
