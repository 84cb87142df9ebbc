package clv

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDrawModelsMoments(t *testing.T) {
	m, err := FitBGNBD(context.Background(), cdnowSummary(t), nil)
	require.NoError(t, err)
	draws, err := DrawModels(m, 20000, rand.NewPCG(1, 1))
	require.NoError(t, err)
	// The draws of log r have the fit's mean and standard deviation
	// SE(r)/r (delta method).
	var s, s2 float64
	for _, d := range draws {
		v := math.Log(d.(*BGNBD).R)
		s += v
		s2 += v * v
	}
	n := float64(len(draws))
	mean := s / n
	sd := math.Sqrt(s2/n - mean*mean)
	assert.InDelta(t, math.Log(m.R), mean, 3*sd/math.Sqrt(n))
	assert.InDelta(t, m.Info.StdErrors[0]/m.R, sd, 0.03*sd)

	_, err = DrawModels(&BGNBD{R: 1, Alpha: 1, A: 1, B: 1}, 10, rand.NewPCG(1, 1))
	assert.ErrorIs(t, err, ErrBadParams)
}

func TestIntervals(t *testing.T) {
	d := cdnowSummary(t)
	ctx := context.Background()
	m, err := FitParetoNBD(ctx, d, nil)
	require.NoError(t, err)
	gg, err := FitGammaGamma(ctx, d, nil)
	require.NoError(t, err)
	sub := Data{Frequency: d.Frequency[:50], Recency: d.Recency[:50], T: d.T[:50], Monetary: d.Monetary[:50]}
	lo, hi := make([]float64, 50), make([]float64, 50)
	opts := IntervalOptions{Draws: 300, Src: rand.NewPCG(2, 3)}
	require.NoError(t, ExpectedPurchasesInterval(ctx, lo, hi, m, sub, 39, opts))
	for i := range lo {
		e := m.ConditionalExpectedPurchases(39, sub.Customer(i))
		assert.LessOrEqual(t, lo[i], e, "customer %d", i)
		assert.GreaterOrEqual(t, hi[i], e, "customer %d", i)
		assert.Less(t, lo[i], hi[i])
	}
	clvOpts := CLVOptions{Horizon: 52, DiscountRate: RatePerUnit(0.1, 52), Spend: gg}
	point := make([]float64, 50)
	require.NoError(t, CLVBatch(ctx, point, m, sub, clvOpts))
	opts.Src = rand.NewPCG(2, 3)
	require.NoError(t, CLVInterval(ctx, lo, hi, m, sub, clvOpts, opts))
	for i := range lo {
		assert.LessOrEqual(t, lo[i], point[i], "customer %d", i)
		assert.GreaterOrEqual(t, hi[i], point[i], "customer %d", i)
	}
	// Same seed, same interval.
	lo2, hi2 := make([]float64, 50), make([]float64, 50)
	opts.Src = rand.NewPCG(2, 3)
	require.NoError(t, CLVInterval(ctx, lo2, hi2, m, sub, clvOpts, opts))
	assert.Equal(t, lo, lo2)
	assert.Equal(t, hi, hi2)

	assert.ErrorIs(t, ExpectedPurchasesInterval(ctx, lo, hi, m, sub, 39, IntervalOptions{}), ErrBadParams)
	assert.ErrorIs(t, ExpectedPurchasesInterval(ctx, lo[:1], hi, m, sub, 39, opts), ErrBadData)
	assert.ErrorIs(t, ExpectedPurchasesInterval(ctx, lo, hi, m, sub, 39, IntervalOptions{Src: rand.NewPCG(1, 1), Level: 1.5}), ErrBadParams)
}

// DrawIntervals gives in one pass what CLVInterval and
// ExpectedPurchasesInterval give in two from the same seed: the CLV bounds
// to the bit, the expected purchases' to the bit for BG/NBD and MBG/NBD
// (whose CLV curve at the horizon is their conditional expectation,
// computed alike) and to rounding for Pareto/NBD, discounted or not.
func TestDrawIntervalsIsBoth(t *testing.T) {
	d := cdnowSummary(t)
	ctx := context.Background()
	gg, err := FitGammaGamma(ctx, d, nil)
	require.NoError(t, err)
	const n = 60
	sub := Data{Frequency: d.Frequency[:n], Recency: d.Recency[:n], T: d.T[:n], Monetary: d.Monetary[:n]}
	for _, name := range []string{NameBGNBD, NameMBGNBD, NameParetoNBD} {
		fit, err := Fit(ctx, name, d, nil)
		require.NoError(t, err)
		m := fit.(TransactionModel)
		for _, rate := range []float64{0, RatePerUnit(0.1, 52)} {
			co := CLVOptions{Horizon: 39, DiscountRate: rate, Spend: gg}
			cl, ch, el, eh := make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
			require.NoError(t, DrawIntervals(ctx, cl, ch, el, eh, m, sub, co, IntervalOptions{Draws: 100, Src: rand.NewPCG(4, 5)}))
			wcl, wch, wel, weh := make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
			require.NoError(t, CLVInterval(ctx, wcl, wch, m, sub, co, IntervalOptions{Draws: 100, Src: rand.NewPCG(4, 5)}))
			require.NoError(t, ExpectedPurchasesInterval(ctx, wel, weh, m, sub, 39, IntervalOptions{Draws: 100, Src: rand.NewPCG(4, 5)}))
			assert.Equal(t, wcl, cl, name)
			assert.Equal(t, wch, ch, name)
			if name == NameParetoNBD {
				for i := range el {
					assert.InEpsilon(t, wel[i], el[i], 1e-13, "%s customer %d", name, i)
					assert.InEpsilon(t, weh[i], eh[i], 1e-13, "%s customer %d", name, i)
				}
			} else {
				assert.Equal(t, wel, el, name)
				assert.Equal(t, weh, eh, name)
			}
		}
	}
	assert.ErrorIs(t, DrawIntervals(ctx, make([]float64, n), make([]float64, n), make([]float64, 1), nil, &BGNBD{R: 1, Alpha: 1, A: 1, B: 1}, sub, CLVOptions{Horizon: 1, SpendPerPurchase: 1}, IntervalOptions{Src: rand.NewPCG(1, 1)}), ErrBadData)
}
