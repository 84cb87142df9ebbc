package clv

import (
	"context"
	"fmt"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// exactDiscounted is the definition: Σ_k [E(t_k) − E(t_(k−1))] D(t_k).
func exactDiscounted(cv curver, c Customer, H float64, n int, rho float64) float64 {
	ts := make([]float64, n)
	for k := range ts {
		ts[k] = H * float64(k+1) / float64(n)
	}
	e := make([]float64, n)
	cv.conditionalCurve(e, ts, c)
	prev, s := 0.0, 0.0
	for k, v := range e {
		s += (v - prev) * math.Exp(-rho*ts[k])
		prev = v
	}
	return s
}

// TestDiscountRule holds the fixed-node discount rule to the exact per-step
// sum: 1e-7 relative (the worst case seen is 3.8e-8, at 5 % per step) over the three continuous models at interior and
// limiting parameters, customers from just acquired to long silent, and
// horizons of 49 to 5,000 steps at discount rates from 0.01 % to 5 % per
// step.
func TestDiscountRule(t *testing.T) {
	models := []curver{
		&BGNBD{R: 0.243, Alpha: 4.414, A: 0.793, B: 2.426},
		&BGNBD{R: 0.243 * 7, Alpha: 4.414 * 7, A: 0.793, B: 2.426}, // daily-scale α
		&BGNBD{R: 2, Alpha: 0.3, A: 0.05, B: 40},                   // fast buyers, rare dropout
		&ParetoNBD{R: 0.553, Alpha: 10.578, S: 0.606, Beta: 11.669},
		&ParetoNBD{R: 1.5, Alpha: 0.5, S: 3, Beta: 2},
		&MBGNBD{R: 0.525, Alpha: 6.183, A: 0.891, B: 1.614},
		&MBGNBD{R: 1, Alpha: 0.8, A: 5, B: 0.5},
	}
	customers := []Customer{{0, 0, 0}, {0, 0, 0.5}, {0, 0, 38}, {2, 30.43, 38.86}, {14, 37, 38}, {1, 1, 70}, {40, 200, 300}}
	type horizon struct {
		H   float64
		n   int
		rho float64
	}
	horizons := []horizon{
		{49, 49, 0.002}, {365, 365, math.Log1p(0.1) / 365.25}, {52, 1000, 0.05 / 52},
		{365, 365, 0.0001}, {1500, 1500, 0.0005}, {100, 100, 0.05}, {5000, 5000, 2e-4}, {60, 200, 0.01},
	}
	if testing.Short() {
		horizons = horizons[:3]
	}
	for mi, m := range models {
		for _, c := range customers {
			for _, h := range horizons {
				r := newDiscountRule(h.H, h.n, h.rho, false)
				require.LessOrEqual(t, len(r.nodes), 100)
				e := make([]float64, len(r.nodes))
				m.conditionalCurve(e, r.nodes, c)
				got := r.apply(e)
				want := exactDiscounted(m, c, h.H, h.n, h.rho)
				require.InDelta(t, 0, (got-want)/want, 1e-7, fmt.Sprintf("model %d %v customer %v horizon %v: %v vs %v", mi, m, c, h, got, want))
			}
		}
	}
}

// A discounted CLV only grows with the horizon and settles, to the
// thousands of years: steps capped at 100,000 made them ten units long at
// a horizon of 10⁶ (value lost), 10⁴ units long at 10⁹ (84 % lost), and at
// 10¹² every node of the sigma points' ratio rule fell where the discount
// is 0 (intervals NaN).
func TestCLVSettlesAtLongHorizons(t *testing.T) {
	d := cdnowSummary(t)
	ctx := context.Background()
	m, err := FitBGNBD(ctx, d, nil)
	require.NoError(t, err)
	sub := Data{Frequency: d.Frequency[:20], Recency: d.Recency[:20], T: d.T[:20], Monetary: d.Monetary[:20]}
	rate := RatePerUnit(0.1, 52) // the sample is in weeks
	var prev []float64
	for _, h := range []float64{52, 1e3, 1e4, 1e5, 1e6, 1e9, 1e12, 1e15} {
		co := CLVOptions{Horizon: h, DiscountRate: rate, SpendPerPurchase: 35}
		f, err := NewForecast(ctx, m, sub, co, &ForecastOptions{Intervals: true})
		require.NoError(t, err, "horizon %g", h)
		for i, v := range f.CLV {
			require.True(t, finite(v) && finite(f.CLVLower[i]) && finite(f.CLVUpper[i]), "horizon %g, customer %d: %v [%v, %v]", h, i, v, f.CLVLower[i], f.CLVUpper[i])
			if prev != nil {
				require.GreaterOrEqual(t, v, prev[i]*(1-1e-9), "horizon %g, customer %d", h, i)
			}
		}
		if h >= 1e6 {
			assert.InDeltaSlice(t, prev, f.CLV, 1e-6*prev[0]+1e-9, "horizon %g: settled", h)
		}
		prev = f.CLV
	}
	_, err = NewForecast(ctx, m, sub, CLVOptions{Horizon: 1e16, DiscountRate: rate, SpendPerPurchase: 35}, nil)
	assert.ErrorIs(t, err, ErrBadParams)
	// Undiscounted, the rule is one node at the horizon: any horizon.
	_, err = NewForecast(ctx, m, sub, CLVOptions{Horizon: 1e16, SpendPerPurchase: 35}, nil)
	assert.NoError(t, err)
}
