package clv

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Invariants (issue 8) checked over seeded random parameters and
// customers. Each loop prints the failing case; the seeds make every run
// identical.

// logUniform draws from [lo, hi] uniformly on the log scale.
func logUniform(rng *rand.Rand, lo, hi float64) float64 {
	return math.Exp(math.Log(lo) + rng.Float64()*(math.Log(hi)-math.Log(lo)))
}

// randomModel draws a BG/NBD, Pareto/NBD or MBG/NBD with parameters
// log-uniform on [lo, hi].
func randomModel(rng *rand.Rand, lo, hi float64) TransactionModel {
	p := [4]float64{}
	for i := range p {
		p[i] = logUniform(rng, lo, hi)
	}
	switch rng.IntN(3) {
	case 0:
		return &BGNBD{R: p[0], Alpha: p[1], A: p[2], B: p[3]}
	case 1:
		return &ParetoNBD{R: p[0], Alpha: p[1], S: p[2], Beta: p[3]}
	default:
		return &MBGNBD{R: p[0], Alpha: p[1], A: p[2], B: p[3]}
	}
}

// randomCustomer draws a continuous-time history: T up to 10^4 (or 0),
// x up to 1,000 with t_x uniform on [0, T] (0 when x = 0).
func randomCustomer(rng *rand.Rand) Customer {
	T := 0.0
	if rng.IntN(10) > 0 {
		T = logUniform(rng, 1e-3, 1e4)
	}
	if T == 0 || rng.IntN(3) == 0 {
		return Customer{0, 0, T}
	}
	x := math.Floor(logUniform(rng, 1, 1000))
	return Customer{x, rng.Float64() * T, T}
}

// randomDiscrete draws a BG/BB history over up to 200 opportunities.
func randomDiscrete(rng *rand.Rand) Customer {
	n := float64(rng.IntN(201))
	if n == 0 || rng.IntN(4) == 0 {
		return Customer{0, 0, n}
	}
	tx := float64(1 + rng.IntN(int(n)))
	x := float64(1 + rng.IntN(int(tx)))
	return Customer{x, tx, n}
}

func randomBGBB(rng *rand.Rand) *BGBB {
	return &BGBB{Alpha: logUniform(rng, 1e-3, 1e3), Beta: logUniform(rng, 1e-3, 1e3), Gamma: logUniform(rng, 1e-3, 1e3), Delta: logUniform(rng, 1e-3, 1e3)}
}

// TestPropertyProbAlive: P(alive) ∈ [0, 1] for every model and history.
func TestPropertyProbAlive(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 1))
	for i := 0; i < 3000; i++ {
		m := randomModel(rng, 1e-3, 1e3)
		c := randomCustomer(rng)
		pa := m.ProbAlive(c)
		require.True(t, pa >= 0 && pa <= 1, "%v %v: P(alive) = %v", m, c, pa)
	}
	for i := 0; i < 3000; i++ {
		m := randomBGBB(rng)
		c := randomDiscrete(rng)
		pa := m.ProbAlive(c)
		require.True(t, pa >= 0 && pa <= 1, "%v %v: P(alive) = %v", m, c, pa)
	}
}

// TestPropertyExpectedPurchasesMonotone: E[X(t)] and E[Y(t) | history] are
// non-decreasing in the horizon t (and 0 at t = 0).
func TestPropertyExpectedPurchasesMonotone(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 2))
	hs := []float64{0, 0.5, 1, 7, 30, 90, 365, 1000, 3650}
	for i := 0; i < 400; i++ {
		m := randomModel(rng, 1e-3, 1e3)
		c := randomCustomer(rng)
		prevE, prevC := -1.0, -1.0
		for _, h := range hs {
			e, ce := m.ExpectedPurchases(h), m.ConditionalExpectedPurchases(h, c)
			require.True(t, e >= prevE*(1-1e-9), "%v: E[X(%v)] = %v < %v", m, h, e, prevE)
			require.True(t, ce >= prevC*(1-1e-9), "%v %v: E[Y(%v)] = %v < %v", m, c, h, ce, prevC)
			prevE, prevC = e, ce
		}
	}
	for i := 0; i < 400; i++ {
		m := randomBGBB(rng)
		c := randomDiscrete(rng)
		prevE, prevC := -1.0, -1.0
		for _, h := range []float64{0, 1, 2, 5, 10, 50, 200} {
			e, ce := m.ExpectedPurchases(h), m.ConditionalExpectedPurchases(h, c)
			require.True(t, e >= prevE*(1-1e-9), "%v: E[X(%v)] = %v < %v", m, h, e, prevE)
			require.True(t, ce >= prevC*(1-1e-9), "%v %v: E[Y(%v)] = %v < %v", m, c, h, ce, prevC)
			prevE, prevC = e, ce
		}
	}
}

// TestPropertyProbPurchasesSumsToOne: Σ_k P(X(t) = k) = 1, and the mean of
// the distribution is E[X(t)]. Parameters keep t/(α+t) <= 0.9 so that the
// NBD tail beyond k = 600 is negligible (< 1e-20).
func TestPropertyProbPurchasesSumsToOne(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 3))
	for i := 0; i < 60; i++ {
		m := randomModel(rng, 0.05, 20)
		alpha := m.Params().Values[1]
		h := alpha * logUniform(rng, 1e-2, 9)
		sum, mean := 0.0, 0.0
		kmax := 600
		if _, ok := m.(*ParetoNBD); ok {
			kmax = 300 // each term is a quadrature
		}
		for k := 0; k <= kmax; k++ {
			p := m.ProbPurchases(k, h)
			require.True(t, p >= 0 && p <= 1+1e-12, "%v: P(X(%v) = %d) = %v", m, h, k, p)
			sum += p
			mean += float64(k) * p
		}
		tail := 1e-9
		if kmax == 300 {
			tail = 1e-7
		}
		assert.InDelta(t, 1, sum, tail, "%v t=%v", m, h)
		e := m.ExpectedPurchases(h)
		assert.InDelta(t, e, mean, 100*tail*(1+e), "%v t=%v: mean of P(X = k) vs E[X]", m, h)
	}
	for i := 0; i < 200; i++ {
		m := randomBGBB(rng)
		n := float64(rng.IntN(100))
		sum, mean := 0.0, 0.0
		for k := 0; k <= int(n); k++ {
			p := m.ProbPurchases(k, n)
			sum += p
			mean += float64(k) * p
		}
		assert.InDelta(t, 1, sum, 1e-9, "%v n=%v", m, n)
		assert.InDelta(t, m.ExpectedPurchases(n), mean, 1e-8*(1+mean), "%v n=%v", m, n)
		c := randomDiscrete(rng)
		sum = 0
		for k := 0; k <= 20; k++ {
			sum += m.ConditionalProbPurchases(k, 20, c)
		}
		assert.InDelta(t, 1, sum, 1e-9, "%v %v", m, c)
	}
}

// TestPropertyCLVMonotone: discounted CLV is non-decreasing in the horizon
// and in the margin and non-increasing in the discount rate.
func TestPropertyCLVMonotone(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(8, 4))
	ctx := context.Background()
	n := 20
	models := 60
	if testing.Short() {
		models = 25 // the first 25 of the full run's 60 (same seed)
	}
	for i := 0; i < models; i++ {
		m := randomModel(rng, 1e-2, 1e2)
		d := Data{Monetary: make([]float64, n)}
		for j := 0; j < n; j++ {
			c := randomCustomer(rng)
			d.Frequency = append(d.Frequency, c.Frequency)
			d.Recency = append(d.Recency, c.Recency)
			d.T = append(d.T, c.T)
			if c.Frequency > 0 {
				d.Monetary[j] = logUniform(rng, 1, 1000)
			}
		}
		gg := &GammaGamma{P: logUniform(rng, 0.5, 10), Q: logUniform(rng, 1.5, 10), V: logUniform(rng, 1, 100)}
		base := CLVOptions{Horizon: 30, DiscountRate: 0.001, Margin: 0.2, Spend: gg}
		v0 := make([]float64, n)
		require.NoError(t, CLVBatch(ctx, v0, m, d, base))
		for _, vary := range []struct {
			name string
			opt  func(o *CLVOptions)
			sign float64 // +1: value must not fall; −1: must not rise
		}{
			{"horizon 30 → 90 (same step length)", func(o *CLVOptions) { o.Horizon, o.Steps = 90, 90 }, 1},
			{"margin 0.2 → 0.5", func(o *CLVOptions) { o.Margin = 0.5 }, 1},
			{"discount 0.001 → 0.01", func(o *CLVOptions) { o.DiscountRate = 0.01 }, -1},
			{"no discount", func(o *CLVOptions) { o.DiscountRate = 0 }, 1},
			{"continuous discount at the same rate", func(o *CLVOptions) { o.Continuous = true }, -1},
		} {
			o := base
			vary.opt(&o)
			v1 := make([]float64, n)
			require.NoError(t, CLVBatch(ctx, v1, m, d, o))
			for j := range v0 {
				require.True(t, v0[j] >= 0 && finite(v0[j]), "%v %v: CLV %v", m, d.Customer(j), v0[j])
				require.True(t, vary.sign*(v1[j]-v0[j]) >= -1e-9*(1+math.Abs(v0[j])), "%s: %v %v: %v → %v", vary.name, m, d.Customer(j), v0[j], v1[j])
			}
		}
	}
}

// TestPropertyIntervalsOrdered: prediction and CLV intervals have
// lower <= upper for random customers, levels and draw counts.
func TestPropertyIntervalsOrdered(t *testing.T) {
	ctx := context.Background()
	cd := cdnowSummary(t)
	bg, err := FitBGNBD(ctx, cd, nil)
	require.NoError(t, err)
	gg, err := FitGammaGamma(ctx, cd, nil)
	require.NoError(t, err)
	rng := rand.New(rand.NewPCG(8, 5))
	n := 40
	d := Data{Monetary: make([]float64, n)}
	for j := 0; j < n; j++ {
		c := randomCustomer(rng)
		c.T /= 100 // weeks, as the fit
		c.Recency /= 100
		d.Frequency = append(d.Frequency, c.Frequency)
		d.Recency = append(d.Recency, c.Recency)
		d.T = append(d.T, c.T)
		if c.Frequency > 0 {
			d.Monetary[j] = logUniform(rng, 1, 500)
		}
	}
	lo, hi := make([]float64, n), make([]float64, n)
	for i := 0; i < 5; i++ {
		opts := IntervalOptions{Draws: 50 + rng.IntN(100), Level: 0.5 + 0.49*rng.Float64(), Src: rand.NewPCG(uint64(i), 9)}
		require.NoError(t, ExpectedPurchasesInterval(ctx, lo, hi, bg, d, 52, opts))
		for j := range lo {
			require.True(t, lo[j] <= hi[j] && lo[j] >= 0 && finite(hi[j]), "%v: [%v, %v]", d.Customer(j), lo[j], hi[j])
		}
		opts.Src = rand.NewPCG(uint64(i), 10)
		require.NoError(t, CLVInterval(ctx, lo, hi, bg, d, CLVOptions{Horizon: 52, DiscountRate: 0.002, Spend: gg}, opts))
		for j := range lo {
			require.True(t, lo[j] <= hi[j] && lo[j] >= 0 && finite(hi[j]), "%v: [%v, %v]", d.Customer(j), lo[j], hi[j])
		}
	}
}

// TestPropertyReferralTotal: Total = Own + Referral + Shares for every
// customer, and the referral credit is conserved: Σ Referral equals the
// share times the values of the distinct referred customers (each counted
// once however many referrers it has; self-referrals ignored).
func TestPropertyReferralTotal(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 6))
	for it := 0; it < 300; it++ {
		n := 1 + rng.IntN(50)
		own := make([]float64, n)
		shares := make([]float64, n)
		for i := range own {
			own[i] = (rng.Float64() - 0.2) * 1000 // some negative values
			shares[i] = float64(rng.IntN(5))
		}
		var refs []Referral
		for j := rng.IntN(3 * n); j > 0; j-- {
			to := rng.IntN(n + 5) // indices >= n: customers without a row
			refs = append(refs, Referral{Referrer: rng.IntN(n), Referred: to})
		}
		share := rng.Float64()
		opts := &ReferralOptions{UnknownValue: 123, ShareCounts: shares, ValuePerShare: 2.5}
		tv, err := ReferralValue(own, refs, share, opts)
		require.NoError(t, err)
		credited := map[int]bool{}
		for _, r := range refs {
			if r.Referrer != r.Referred {
				credited[r.Referred] = true
			}
		}
		want := 0.0
		for to := range credited {
			v := opts.UnknownValue
			if to < n {
				v = own[to]
			}
			want += share * v
		}
		got := 0.0
		for i := range own {
			assert.InDelta(t, own[i]+tv.Referral[i]+tv.Shares[i], tv.Total[i], 1e-9*(1+math.Abs(tv.Total[i])))
			assert.Equal(t, own[i], tv.Own[i])
			assert.Equal(t, 2.5*shares[i], tv.Shares[i])
			got += tv.Referral[i]
		}
		assert.InDelta(t, want, got, 1e-9*(1+math.Abs(want)), "iteration %d", it)
	}
}
