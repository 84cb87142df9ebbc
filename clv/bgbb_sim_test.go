package clv

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestBGBBSimulateRecovery(t *testing.T) {
	for _, tc := range []struct {
		truth     BGBB
		customers int
		periods   int
		seed      uint64
		mixed     bool
	}{
		{BGBB{Alpha: 1.204, Beta: 0.750, Gamma: 0.657, Delta: 2.783}, 20000, 6, 1, false},
		{BGBB{Alpha: 0.5, Beta: 2.0, Gamma: 1.5, Delta: 6.0}, 20000, 12, 2, false},
		{BGBB{Alpha: 3.0, Beta: 1.0, Gamma: 0.3, Delta: 0.8}, 10000, 20, 3, false},
		{BGBB{Alpha: 0.6, Beta: 3.0, Gamma: 0.4, Delta: 12}, 30000, 52, 4, true},
	} {
		n := constSlice(tc.customers, float64(tc.periods))
		if tc.mixed {
			// Cohorts observed for 1..periods opportunities.
			for i := range n {
				n[i] = float64(1 + i%tc.periods)
			}
		}
		d, err := SimulateBGBB(&tc.truth, n, rand.NewPCG(tc.seed, 99))
		require.NoError(t, err)
		require.Equal(t, tc.customers, d.Len())
		m, err := FitBGBB(context.Background(), d, nil)
		require.NoError(t, err)
		for i, v := range m.Params().Values {
			want := tc.truth.Params().Values[i]
			se := m.Info.StdErrors[i]
			assert.InDelta(t, want, v, 3*se, "%s: %s = %v ± %v, true %v", tc.truth.String(), bgbbNames[i], v, se, want)
		}
		// The simulated histogram matches the model's expected one.
		exp, obs, err := ExpectedRepeatHistogram(&tc.truth, d, tc.periods)
		require.NoError(t, err)
		for x := range exp {
			// Binomial standard deviation of the count, 4.5 sigma.
			sd := math.Sqrt(exp[x] * (1 - exp[x]/float64(tc.customers)))
			assert.InDelta(t, exp[x], obs[x], 4.5*sd+1, "x = %d", x)
		}
	}
}

func TestBGBBSimulateDeterministic(t *testing.T) {
	m := &BGBB{Alpha: 1, Beta: 2, Gamma: 0.5, Delta: 3}
	// Customers observed for different numbers of opportunities.
	n := []float64{10, 3, 0, 7, 10, 1}
	a, err := SimulateBGBB(m, n, rand.NewPCG(7, 8))
	require.NoError(t, err)
	b, err := SimulateBGBB(m, n, rand.NewPCG(7, 8))
	require.NoError(t, err)
	assert.Equal(t, a, b)
	assert.Equal(t, n, a.T)
	require.NoError(t, checkDiscreteData(a))
	big, err := SimulateBGBB(m, constSlice(500, 10), rand.NewPCG(7, 8))
	require.NoError(t, err)
	other, err := SimulateBGBB(m, constSlice(500, 10), rand.NewPCG(7, 9))
	require.NoError(t, err)
	assert.NotEqual(t, big.Frequency, other.Frequency)

	_, err = SimulateBGBB(m, n, nil)
	assert.ErrorIs(t, err, ErrBadParams)
	_, err = SimulateBGBB(m, []float64{3, 2.5}, rand.NewPCG(1, 1))
	require.ErrorIs(t, err, ErrBadData)
	assert.Contains(t, err.Error(), "n[1]")
	_, err = SimulateBGBB(m, []float64{-1}, rand.NewPCG(1, 1))
	assert.ErrorIs(t, err, ErrBadData)
	_, err = SimulateBGBB(&BGBB{Alpha: 1, Beta: 0, Gamma: 1, Delta: 1}, n, rand.NewPCG(1, 1))
	assert.ErrorIs(t, err, ErrBadParams)
}

func TestSBGSimulateRecovery(t *testing.T) {
	for _, tc := range []struct {
		truth   SBG
		cohort  int
		periods int
		seed    uint64
	}{
		{SBG{Alpha: 0.704, Beta: 1.182}, 5000, 8, 1},
		{SBG{Alpha: 0.668, Beta: 3.806}, 20000, 12, 2},
		{SBG{Alpha: 2.5, Beta: 8}, 20000, 24, 3},
	} {
		alive, err := SimulateSBG(&tc.truth, tc.cohort, tc.periods, rand.NewPCG(tc.seed, 5))
		require.NoError(t, err)
		require.Len(t, alive, tc.periods+1)
		require.NoError(t, checkAlive(alive))
		m, err := FitSBG(context.Background(), alive, nil)
		require.NoError(t, err)
		for i, v := range m.Params().Values {
			want := tc.truth.Params().Values[i]
			se := m.Info.StdErrors[i]
			assert.InDelta(t, want, v, 3*se, "%s: %s = %v ± %v, true %v", tc.truth.String(), sbgNames[i], v, se, want)
		}
	}
	m := &SBG{Alpha: 1, Beta: 1}
	a, _ := SimulateSBG(m, 100, 5, rand.NewPCG(3, 4))
	b, _ := SimulateSBG(m, 100, 5, rand.NewPCG(3, 4))
	assert.Equal(t, a, b)
	_, err := SimulateSBG(m, 10, 5, nil)
	assert.ErrorIs(t, err, ErrBadParams)
	_, err = SimulateSBG(m, 10, -2, rand.NewPCG(1, 1))
	assert.ErrorIs(t, err, ErrBadParams)
	_, err = SimulateSBG(m, 0, 2, rand.NewPCG(1, 1))
	assert.ErrorIs(t, err, ErrBadParams)
	_, err = SimulateSBG(&SBG{Alpha: -1, Beta: 1}, 10, 2, rand.NewPCG(1, 1))
	assert.ErrorIs(t, err, ErrBadParams)
}

// constSlice returns n copies of v.
func constSlice(n int, v float64) []float64 {
	s := make([]float64, n)
	for i := range s {
		s[i] = v
	}
	return s
}
