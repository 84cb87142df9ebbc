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
