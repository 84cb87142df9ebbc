package clv

import (
	"context"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func smallData() Data {
	return Data{
		Frequency: []float64{2, 0, 7, 1},
		Recency:   []float64{30.43, 0, 29.43, 1.71},
		T:         []float64{38.86, 38.86, 38.86, 38.86},
		Monetary:  []float64{22.35, 0, 73.74, 11.77},
	}
}

func TestCLVUndiscounted(t *testing.T) {
	// With no discounting the step sum telescopes: CLV = E(H) · spend · margin.
	m := &BGNBD{R: 0.243, Alpha: 4.414, A: 0.793, B: 2.426}
	d := smallData()
	dst := make([]float64, d.Len())
	require.NoError(t, CLVBatch(context.Background(), dst, m, d, CLVOptions{Horizon: 39, SpendPerPurchase: 20, Margin: 0.3}))
	for i := range dst {
		want := m.ConditionalExpectedPurchases(39, d.Customer(i)) * 20 * 0.3
		assert.InDelta(t, want, dst[i], 1e-12)
	}
	// FHL (2005): customer 1 (x=2, t_x=30.43, T=38.86) expects 1.226
	// purchases in 39 weeks; at $20 and margin 1 that is about $24.5.
	require.NoError(t, CLVBatch(context.Background(), dst, m, d, CLVOptions{Horizon: 39, SpendPerPurchase: 20}))
	assert.InDelta(t, 1.226*20, dst[0], 0.02)
}

func TestCLVDiscounted(t *testing.T) {
	models := []TransactionModel{
		&BGNBD{R: 0.243, Alpha: 4.414, A: 0.793, B: 2.426},
		&ParetoNBD{R: 0.553, Alpha: 10.578, S: 0.606, Beta: 11.669},
		&MBGNBD{R: 0.525, Alpha: 6.183, A: 0.891, B: 1.614},
	}
	gg := &GammaGamma{P: 6.25, Q: 3.74, V: 15.44}
	d := smallData()
	weekly := RatePerUnit(0.10, 52)
	assert.InDelta(t, 1.10, math.Pow(1+weekly, 52), 1e-12)
	for _, m := range models {
		opts := CLVOptions{Horizon: 52, DiscountRate: weekly, Spend: gg, Margin: 0.25}
		dst := make([]float64, d.Len())
		require.NoError(t, CLVBatch(context.Background(), dst, m, d, opts))
		for i := range dst {
			// The definition, through the public interface: weekly steps,
			// each week's expected purchases discounted at its end.
			c := d.Customer(i)
			sum, prev := 0.0, 0.0
			for k := 1; k <= 52; k++ {
				e := m.ConditionalExpectedPurchases(float64(k), c)
				sum += (e - prev) / math.Pow(1+weekly, float64(k))
				prev = e
			}
			want := sum * gg.ConditionalExpectedSpend(c.Frequency, d.Monetary[i]) * 0.25
			assert.InDelta(t, want, dst[i], 1e-10*(1+want), "%s customer %d", m.Name(), i)
			one, err := CLV(m, d, i, opts)
			require.NoError(t, err)
			assert.Equal(t, dst[i], one)
			// Discounting lowers value but not below the horizon-end discount.
			undisc := m.ConditionalExpectedPurchases(52, c) * gg.ConditionalExpectedSpend(c.Frequency, d.Monetary[i]) * 0.25
			assert.Less(t, dst[i], undisc)
			assert.Greater(t, dst[i], undisc/1.10)
		}
		// Continuous discounting at rate δ with fine steps converges to
		// the discrete-time value at rate e^δ − 1.
		fine := make([]float64, d.Len())
		require.NoError(t, CLVBatch(context.Background(), fine, m, d, CLVOptions{Horizon: 52, Steps: 52 * 64, DiscountRate: math.Log1p(weekly), Continuous: true, Spend: gg, Margin: 0.25}))
		fine2 := make([]float64, d.Len())
		require.NoError(t, CLVBatch(context.Background(), fine2, m, d, CLVOptions{Horizon: 52, Steps: 52 * 64, DiscountRate: weekly, Spend: gg, Margin: 0.25}))
		for i := range fine {
			assert.InDelta(t, fine2[i], fine[i], 1e-9*(1+fine[i]))
			assert.InDelta(t, dst[i], fine[i], 0.01*dst[i]+1e-12, "step size effect is small")
		}
	}
}

func TestCLVRefunds(t *testing.T) {
	m := &BGNBD{R: 0.243, Alpha: 4.414, A: 0.793, B: 2.426}
	d := smallData()
	gross := make([]float64, d.Len())
	opts := CLVOptions{Horizon: 39, SpendPerPurchase: 10}
	require.NoError(t, CLVBatch(context.Background(), gross, m, d, opts))
	// Ratios 0.5, 0, 0.1, 3 with purchases n = 3, 1, 8, 2:
	// pop = (3·0.5 + 0 + 8·0.1 + 2·3)/14 = 8.3/14.
	ratio := []float64{0.5, 0, 0.1, 3}
	opts.Refunds = &Refunds{Ratio: ratio, Prior: 2}
	net := make([]float64, d.Len())
	require.NoError(t, CLVBatch(context.Background(), net, m, d, opts))
	pop := 8.3 / 14
	for i, r := range ratio {
		n := d.Frequency[i] + 1
		shrunk := (n*r + 2*pop) / (n + 2)
		assert.InDelta(t, gross[i]*(1-shrunk), net[i], 1e-12, "customer %d", i)
	}
	// Customer 3 returned three times what they bought: negative, not clipped.
	assert.Less(t, net[3], 0.0)

	opts.Refunds = &Refunds{Ratio: []float64{0.1}}
	assert.ErrorIs(t, CLVBatch(context.Background(), net, m, d, opts), ErrBadData)
	opts.Refunds = &Refunds{Ratio: []float64{0.1, -1, 0, 0}}
	assert.ErrorIs(t, CLVBatch(context.Background(), net, m, d, opts), ErrBadData)
}

func TestCLVErrors(t *testing.T) {
	m := &BGNBD{R: 0.243, Alpha: 4.414, A: 0.793, B: 2.426}
	d := smallData()
	dst := make([]float64, d.Len())
	ctx := context.Background()
	for name, o := range map[string]CLVOptions{
		"no horizon":    {SpendPerPurchase: 1},
		"no spend":      {Horizon: 10},
		"negative rate": {Horizon: 10, SpendPerPurchase: 1, DiscountRate: -0.1},
		"NaN margin":    {Horizon: 10, SpendPerPurchase: 1, Margin: math.NaN()},
		"steps":         {Horizon: 10, SpendPerPurchase: 1, Steps: -1},
	} {
		assert.ErrorIs(t, CLVBatch(ctx, dst, m, d, o), ErrBadParams, name)
	}
	assert.ErrorIs(t, CLVBatch(ctx, dst[:1], m, d, CLVOptions{Horizon: 1, SpendPerPurchase: 1}), ErrBadData)
	bad := smallData()
	bad.Recency[2] = 50
	err := CLVBatch(ctx, dst, m, bad, CLVOptions{Horizon: 1, SpendPerPurchase: 1})
	assert.ErrorIs(t, err, ErrBadData)
	assert.EqualError(t, err, "recency[2] = 50, want 0 <= recency <= T (38.86): clv: bad data")
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	assert.ErrorIs(t, CLVBatch(cctx, dst, m, d, CLVOptions{Horizon: 1, SpendPerPurchase: 1}), context.Canceled)
	noMon := smallData()
	noMon.Monetary = nil
	assert.ErrorIs(t, CLVBatch(ctx, dst, m, noMon, CLVOptions{Horizon: 1, Spend: &GammaGamma{P: 6, Q: 3, V: 15}}), ErrBadData)
}

func TestCLVBatchAllocations(t *testing.T) {
	m := &ParetoNBD{R: 0.553, Alpha: 10.578, S: 0.606, Beta: 11.669}
	small, big := smallData(), cdnowSummary(t)
	opts := CLVOptions{Horizon: 52, DiscountRate: 0.002, Spend: &GammaGamma{P: 6.25, Q: 3.74, V: 15.44}}
	ds, db := make([]float64, small.Len()), make([]float64, big.Len())
	a1 := testing.AllocsPerRun(5, func() { _ = CLVBatch(context.Background(), ds, m, small, opts) })
	a2 := testing.AllocsPerRun(5, func() { _ = CLVBatch(context.Background(), db, m, big, opts) })
	// The distinct histories are collected in growing slices: a few more
	// allocations for more histories (logarithmically), never one per
	// customer (big has 2,357).
	assert.Less(t, a2, a1+50, "allocations must not grow with the number of customers")
}

func TestScore(t *testing.T) {
	m := &BGNBD{R: 0.243, Alpha: 4.414, A: 0.793, B: 2.426}
	d := smallData()
	e, a := make([]float64, d.Len()), make([]float64, d.Len())
	require.NoError(t, Score(context.Background(), e, a, m, d, 39))
	for i := range e {
		assert.Equal(t, m.ConditionalExpectedPurchases(39, d.Customer(i)), e[i])
		assert.Equal(t, m.ProbAlive(d.Customer(i)), a[i])
	}
	require.NoError(t, Score(context.Background(), nil, a, m, d, 39))
	assert.ErrorIs(t, Score(context.Background(), e[:1], nil, m, d, 39), ErrBadData)
}
