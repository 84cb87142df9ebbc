package clv

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// NewForecast is Score, CLVBatch and SigmaIntervals in one pass.
func TestForecastIsTheParts(t *testing.T) {
	d := cdnowSummary(t)
	ctx := context.Background()
	gg, err := FitGammaGamma(ctx, d, nil)
	require.NoError(t, err)
	for _, name := range []string{NameBGNBD, NameParetoNBD, NameMBGNBD} {
		fit, err := Fit(ctx, name, d, nil)
		require.NoError(t, err)
		m := fit.(TransactionModel)
		opts := CLVOptions{Horizon: 52, DiscountRate: RatePerUnit(0.1, 52), Spend: gg}
		f, err := NewForecast(ctx, m, d, opts, &ForecastOptions{Intervals: true})
		require.NoError(t, err)
		n := d.Len()
		exp, alive, value := make([]float64, n), make([]float64, n), make([]float64, n)
		require.NoError(t, Score(ctx, exp, alive, m, d, 52))
		require.NoError(t, CLVBatch(ctx, value, m, d, opts))
		cl, ch, el, eh := make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
		require.NoError(t, SigmaIntervals(ctx, cl, ch, el, eh, m, d, opts, 0.9))
		assert.Equal(t, alive, f.Alive, name)
		assert.Equal(t, value, f.CLV, name)
		assert.Equal(t, cl, f.CLVLower, name)
		assert.Equal(t, ch, f.CLVUpper, name)
		assert.Equal(t, el, f.ExpectedLower, name)
		assert.Equal(t, eh, f.ExpectedUpper, name)
		for i := range exp {
			assert.InDelta(t, exp[i], f.Expected[i], 1e-12*exp[i], "%s customer %d", name, i)
		}
	}
	m := &BGNBD{R: 0.243, Alpha: 4.414, A: 0.793, B: 2.426}
	_, err = NewForecast(ctx, m, d, CLVOptions{Horizon: 52, SpendPerPurchase: 1}, &ForecastOptions{Intervals: true})
	assert.ErrorIs(t, err, ErrBadParams, "no covariance, no intervals")
	f, err := NewForecast(ctx, m, d, CLVOptions{Horizon: 52, SpendPerPurchase: 1}, nil)
	require.NoError(t, err)
	assert.Nil(t, f.CLVLower)
}
