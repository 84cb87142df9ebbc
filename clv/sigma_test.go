package clv

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestSigmaMatchesDraws holds the delta-method intervals to intervals from
// many parameter draws on the CDNOW sample (2,357 customers, the smallest
// data set the CLI's default intervals are used on here), for the three
// continuous models with a fitted Gamma-Gamma spend model and weekly
// discounting over a year: every bound within 12 % of the interval's width
// (the largest difference seen is 9.4 %, for MBG/NBD customers without repeat purchases; the draws' own Monte-Carlo error
// at 4,000 draws is about 1 %, at 200 draws about 8 %).
func TestSigmaMatchesDraws(t *testing.T) {
	t.Parallel()
	d := cdnowSummary(t)
	ctx := context.Background()
	gg, err := FitGammaGamma(ctx, d, nil)
	require.NoError(t, err)
	// Customers spread over frequency and recency, repeat buyers and not.
	// -short: every other one of these customers (12, still spread over
	// the sample); the intervals' cost is per customer, their Monte-Carlo
	// error per draw count, which stays.
	step, count := 97, 24
	if testing.Short() {
		step, count = 194, 12
	}
	var rows []int
	for i := 0; i < d.Len() && len(rows) < count; i += step {
		rows = append(rows, i)
	}
	sub := Data{}
	for _, i := range rows {
		sub.Frequency = append(sub.Frequency, d.Frequency[i])
		sub.Recency = append(sub.Recency, d.Recency[i])
		sub.T = append(sub.T, d.T[i])
		sub.Monetary = append(sub.Monetary, d.Monetary[i])
	}
	n := sub.Len()
	draws := 4000
	if testing.Short() {
		draws = 2500
	}
	for _, name := range []string{NameBGNBD, NameParetoNBD, NameMBGNBD} {
		fit, err := Fit(ctx, name, d, nil)
		require.NoError(t, err)
		m := fit.(TransactionModel)
		opts := CLVOptions{Horizon: 52, DiscountRate: RatePerUnit(0.1, 52), Spend: gg}
		cl, ch, el, eh := make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
		require.NoError(t, SigmaIntervals(ctx, cl, ch, el, eh, m, sub, opts, 0.9))

		dl, dh := make([]float64, n), make([]float64, n)
		io := IntervalOptions{Draws: draws, Src: rand.NewPCG(7, 8)}
		require.NoError(t, CLVInterval(ctx, dl, dh, m, sub, opts, io))
		xl, xh := make([]float64, n), make([]float64, n)
		io.Src = rand.NewPCG(7, 8)
		require.NoError(t, ExpectedPurchasesInterval(ctx, xl, xh, m, sub, 52, io))
		for i := range n {
			w := dh[i] - dl[i]
			assert.InDelta(t, dl[i], cl[i], 0.12*w, "%s customer %v clv lower", name, sub.Customer(i))
			assert.InDelta(t, dh[i], ch[i], 0.12*w, "%s customer %v clv upper", name, sub.Customer(i))
			w = xh[i] - xl[i]
			assert.InDelta(t, xl[i], el[i], 0.12*w, "%s customer %v expected lower", name, sub.Customer(i))
			assert.InDelta(t, xh[i], eh[i], 0.12*w, "%s customer %v expected upper", name, sub.Customer(i))
		}
	}
}

func TestSigmaIntervalsErrors(t *testing.T) {
	d := smallData()
	ctx := context.Background()
	m := &BGNBD{R: 0.243, Alpha: 4.414, A: 0.793, B: 2.426}
	lo, hi := make([]float64, d.Len()), make([]float64, d.Len())
	opts := CLVOptions{Horizon: 52, SpendPerPurchase: 10}
	assert.ErrorIs(t, SigmaIntervals(ctx, lo, hi, nil, nil, m, d, opts, 0.9), ErrBadParams, "no covariance")
	assert.ErrorIs(t, SigmaIntervals(ctx, lo, hi, nil, nil, m, d, opts, 1.5), ErrBadParams)
	assert.ErrorIs(t, SigmaIntervals(ctx, lo[:1], hi, nil, nil, m, d, opts, 0.9), ErrBadData)
	fit, err := FitBGNBD(ctx, cdnowSummary(t), nil)
	require.NoError(t, err)
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	assert.ErrorIs(t, SigmaIntervals(cctx, lo, hi, nil, nil, fit, d, opts, 0.9), context.Canceled)
	// Only the expected-purchase pair.
	require.NoError(t, SigmaIntervals(ctx, nil, nil, lo, hi, fit, d, opts, 0))
	for i := range lo {
		e := fit.ConditionalExpectedPurchases(52, d.Customer(i))
		assert.Less(t, lo[i], e)
		assert.Greater(t, hi[i], e)
	}
}

// The sigma points' values are taken relative to the estimate's by the
// ratio rule: the ratio agrees with the full rule's to 1e-3, for daily,
// weekly and ten-year horizons and the three continuous models.
func TestCoarseRatio(t *testing.T) {
	worst := 0.0
	defer func() { t.Logf("largest ratio difference %.2g", worst) }()
	d := cdnowSummary(t)
	ctx := context.Background()
	for _, name := range []string{NameBGNBD, NameParetoNBD, NameMBGNBD} {
		fit, err := Fit(ctx, name, d, nil)
		require.NoError(t, err)
		m := fit.(TransactionModel)
		sig, err := newSigmaPoints(m)
		require.NoError(t, err)
		for _, o := range []CLVOptions{
			{Horizon: 52, DiscountRate: RatePerUnit(0.1, 52), SpendPerPurchase: 1},
			{Horizon: 365 / 7.0, Steps: 365, DiscountRate: RatePerUnit(0.1, 365), SpendPerPurchase: 1},
			{Horizon: 520, DiscountRate: RatePerUnit(0.15, 52), SpendPerPurchase: 1},
		} {
			p, err := newCLVPlan(o, d, m)
			require.NoError(t, err)
			buf := make([]float64, len(p.rule.nodes))
			for i := 0; i < d.Len(); i += 211 {
				c := d.Customer(i)
				full0, coarse0 := p.discounted(m, c, buf), p.coarseDiscounted(m, c, buf)
				for _, sm := range sig.models {
					full := p.discounted(sm, c, buf) / full0
					coarse := p.coarseDiscounted(sm, c, buf) / coarse0
					assert.InDelta(t, 1, coarse/full, 1e-3, "%s %v customer %v", name, o, c)
					if e := math.Abs(coarse/full - 1); e > worst {
						worst = e
					}
				}
			}
		}
	}
}
