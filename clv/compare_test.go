package clv

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCompareCDNOW(t *testing.T) {
	d := cdnowSummary(t)
	ctx := context.Background()
	bg, err := FitBGNBD(ctx, d, nil)
	require.NoError(t, err)
	pn, err := FitParetoNBD(ctx, d, nil)
	require.NoError(t, err)
	tab, err := Compare(bg, pn)
	require.NoError(t, err)
	// LL −9582.4 (BG/NBD) and −9595.0 (Pareto/NBD), 4 parameters each:
	// AIC = 8 + 2·9582.43 = 19172.85, BIC adds 4 ln 2357 instead of 8.
	assert.InDelta(t, 19172.85, tab[0].AIC, 0.01)
	assert.InDelta(t, 4*7.765145+2*9582.4256, tab[0].BIC, 0.01)
	assert.Equal(t, 0.0, tab[0].DeltaAIC)
	assert.InDelta(t, 2*(9594.9739-9582.4256), tab[1].DeltaAIC, 0.001)

	// The raw form for nested fits whose log-likelihoods are known.
	stat, p, err := LikelihoodRatio(-9585.0, -9582.4256, 1)
	require.NoError(t, err)
	assert.InDelta(t, 5.1488, stat, 1e-4)
	assert.InDelta(t, 0.02326, p, 1e-4) // scipy.stats.chi2.sf(5.1488, 1)
	_, _, _, err = LikelihoodRatioTest(bg, &BGNBD{R: 1, Alpha: 1, A: 1, B: 1})
	assert.ErrorIs(t, err, ErrBadParams)
	_, err = Compare(bg, &ParetoNBD{R: 1, Alpha: 1, S: 1, Beta: 1})
	assert.ErrorIs(t, err, ErrBadParams)
}

func TestExpectedRepeatHistogramCDNOW(t *testing.T) {
	d := cdnowSummary(t)
	m, err := FitBGNBD(context.Background(), d, nil)
	require.NoError(t, err)
	exp, obs, err := ExpectedRepeatHistogram(m, d, 7)
	require.NoError(t, err)
	// Observed counts of repeat purchases 0..6 and 7+ in the CDNOW
	// calibration period (FHL 2005, Figure 2: 1411 customers with none).
	assert.Equal(t, 1411.0, obs[0])
	sumE, sumO := 0.0, 0.0
	for k := range exp {
		sumE += exp[k]
		sumO += obs[k]
	}
	assert.InDelta(t, 2357, sumE, 1e-6)
	assert.Equal(t, 2357.0, sumO)
	// The BG/NBD fits this histogram closely (FHL 2005, Figure 2): within
	// 5% of the customers in every bin.
	for k := range exp {
		assert.InDelta(t, obs[k], exp[k], 0.05*2357/4, "bin %d", k)
	}
	t.Logf("expected %.1f\nobserved %.0f", exp, obs)
	_, _, err = ExpectedRepeatHistogram(m, d, 0)
	assert.ErrorIs(t, err, ErrBadParams)
}
