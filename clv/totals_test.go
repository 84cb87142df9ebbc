package clv

import (
	"context"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// ExpectedTotals is the weighted sum of ConditionalExpectedPurchases at
// each horizon, whatever the model and the number of goroutines.
func TestExpectedTotals(t *testing.T) {
	d := cdnowSummary(t)
	weighted := smallData()
	weighted.Weights = []float64{3, 0.5, 1, 2}
	horizons := []float64{0, 1, 13, 39, 100}
	for _, tc := range []struct {
		name string
		m    TransactionModel
		d    Data
	}{
		{"bgnbd", &BGNBD{R: 0.243, Alpha: 4.414, A: 0.793, B: 2.426}, d},
		{"pnbd", &ParetoNBD{R: 0.553, Alpha: 10.578, S: 0.606, Beta: 11.669}, d},
		{"mbgnbd", &MBGNBD{R: 0.525, Alpha: 6.183, A: 0.891, B: 1.614}, d},
		{"weighted", &BGNBD{R: 0.243, Alpha: 4.414, A: 0.793, B: 2.426}, weighted},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ExpectedTotals(context.Background(), tc.m, tc.d, horizons)
			require.NoError(t, err)
			require.Len(t, got, len(horizons))
			for k, h := range horizons {
				var want float64
				for i := range tc.d.Len() {
					want += tc.d.Weight(i) * tc.m.ConditionalExpectedPurchases(h, tc.d.Customer(i))
				}
				assert.InDelta(t, want, got[k], 1e-9*math.Max(1, want), "h=%v", h)
			}
			assert.Equal(t, 0.0, got[0])
		})
	}
}

// The holdout forecast of Fader, Hardie & Lee (2005) for the CDNOW sample:
// the 2,357 customers' expected purchases in the 39 weeks after the
// calibration period at the maximum-likelihood estimates, 1,653.4 (an
// independent re-implementation of eq. 10 gets 1,653.4; the sample holds
// 1,882 holdout purchase days).
func TestExpectedTotalsCDNOWHoldout(t *testing.T) {
	d := cdnowSummary(t)
	m, err := FitBGNBD(context.Background(), d, nil)
	require.NoError(t, err)
	got, err := ExpectedTotals(context.Background(), m, d, []float64{39})
	require.NoError(t, err)
	assert.InDelta(t, 1653.4, got[0], 0.05)
}

func TestExpectedTotalsErrors(t *testing.T) {
	m := &BGNBD{R: 0.243, Alpha: 4.414, A: 0.793, B: 2.426}
	d := smallData()
	ctx := context.Background()
	for _, tc := range []struct {
		name     string
		d        Data
		horizons []float64
		want     error
	}{
		{"negative horizon", d, []float64{-1}, ErrBadParams},
		{"infinite horizon", d, []float64{math.Inf(1)}, ErrBadParams},
		{"NaN horizon", d, []float64{math.NaN()}, ErrBadParams},
		{"recency after T", Data{Frequency: []float64{1}, Recency: []float64{5}, T: []float64{4}}, []float64{1}, ErrBadData},
		{"weights length", Data{Frequency: d.Frequency, Recency: d.Recency, T: d.T, Weights: []float64{1}}, []float64{1}, ErrBadData},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ExpectedTotals(ctx, m, tc.d, tc.horizons)
			assert.ErrorIs(t, err, tc.want)
		})
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	_, err := ExpectedTotals(cancelled, m, cdnowSummary(t), []float64{39})
	assert.ErrorIs(t, err, context.Canceled)
}

// A zero horizon is zero purchases, without evaluating the series (the
// BG/NBD quadrature used to take ~0.4 ms per history to find it).
func TestZeroHorizonIsZero(t *testing.T) {
	c := Customer{Frequency: 2, Recency: 30.43, T: 38.86}
	for _, m := range []TransactionModel{
		&BGNBD{R: 0.243, Alpha: 4.414, A: 0.793, B: 2.426},
		&MBGNBD{R: 0.525, Alpha: 6.183, A: 0.891, B: 1.614},
		&ParetoNBD{R: 0.553, Alpha: 10.578, S: 0.606, Beta: 11.669},
	} {
		assert.Equal(t, 0.0, m.ExpectedPurchases(0), m.Name())
		dst := []float64{-1, -1}
		curve(m, dst, []float64{0, 1}, c)
		assert.Equal(t, 0.0, dst[0], m.Name())
		assert.InDelta(t, m.ConditionalExpectedPurchases(1, c), dst[1], 1e-15, m.Name())
	}
}
