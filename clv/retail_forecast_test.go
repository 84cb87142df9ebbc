package clv

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// On the retailer's export (testdata/online_retail_days.csv), where the
// fits sit at the models' limits and a, b are weakly identified, predictions
// with intervals — sigma points by default, and parameter draws — complete
// with finite, ordered bounds for every customer. (`valuekit predict` on
// this file with a saved BG/NBD model and 200 draws ran for more than 22
// minutes before issue 12; its cost is recorded by BenchmarkRetailPredict.)
func TestRetailForecastWithIntervals(t *testing.T) {
	t.Parallel()
	d := retailWeeks(t)
	ctx := context.Background()
	d.Monetary = make([]float64, d.Len())
	opts := CLVOptions{Horizon: 52, Steps: 365, DiscountRate: RatePerUnit(0.1, 365), SpendPerPurchase: 20}
	draws := 40
	if testing.Short() {
		draws = 4 // the bounds stay finite and ordered at any count; the full run draws 40
	}
	for _, name := range []string{NameBGNBD, NameParetoNBD, NameMBGNBD} {
		fit, err := Fit(ctx, name, d, nil)
		if err != nil {
			t.Logf("%s: %v", name, err)
			continue
		}
		m := fit.(TransactionModel)
		sigma := m.FitInfo().LogCov != nil
		f, err := NewForecast(ctx, m, d, opts, &ForecastOptions{Intervals: sigma})
		require.NoError(t, err, name)
		for i := range d.Len() {
			require.True(t, finite(f.CLV[i]) && f.CLV[i] >= 0, "%s customer %d clv %v", name, i, f.CLV[i])
			if sigma {
				require.True(t, f.CLVLower[i] <= f.CLV[i]*(1+1e-12) && f.CLV[i] <= f.CLVUpper[i]*(1+1e-12) && !math.IsInf(f.CLVUpper[i], 0),
					"%s customer %d: %v [%v, %v]", name, i, f.CLV[i], f.CLVLower[i], f.CLVUpper[i])
			}
		}
		if !sigma {
			t.Logf("%s: no covariance, no intervals", name)
			continue
		}
		lo, hi := make([]float64, d.Len()), make([]float64, d.Len())
		require.NoError(t, CLVInterval(ctx, lo, hi, m, d, opts, IntervalOptions{Draws: draws, Src: rand.NewPCG(1, 2)}), name)
		for i := range lo {
			require.True(t, finite(lo[i]) && finite(hi[i]) && lo[i] <= hi[i], "%s customer %d: [%v, %v]", name, i, lo[i], hi[i])
		}
		assert.Positive(t, f.CLVUpper[0]-f.CLVLower[0]+f.CLVUpper[1]-f.CLVLower[1], name)
	}
}
