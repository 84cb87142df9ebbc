package clv

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat/distmv"
)

// IntervalOptions configure prediction intervals drawn from a fit's
// asymptotic distribution.
type IntervalOptions struct {
	// Draws is the number of parameter draws. Default 500.
	Draws int
	// Level is the interval's coverage in (0, 1). Default 0.9.
	Level float64
	// Src is the random source; required, so that results are reproducible
	// (e.g. rand.NewPCG(1, 2)). It is not safe for concurrent use.
	Src rand.Source
	// Progress, if not nil, is called now and then with the number of
	// distinct histories done and their total (calls do not overlap).
	Progress func(done, total int)
}

func (o IntervalOptions) withDefaults() (IntervalOptions, error) {
	if o.Draws == 0 {
		o.Draws = 500
	}
	if o.Level == 0 {
		o.Level = 0.9
	}
	switch {
	case o.Src == nil:
		return o, fmt.Errorf("%w: interval options need a random source", ErrBadParams)
	case o.Draws < 2 || o.Draws > 1_000_000:
		return o, fmt.Errorf("%w: %d draws, want 2 to 1000000", ErrBadParams, o.Draws)
	case !(o.Level > 0 && o.Level < 1):
		return o, fmt.Errorf("%w: interval level %v, want in (0, 1)", ErrBadParams, o.Level)
	}
	return o, nil
}

// DrawModels returns n models of m's kind whose parameters are drawn from
// the fit's asymptotic distribution on the log scale,
//
//	log θ* ~ Normal(log θ̂, LogCov),
//
// so every draw is positive. m must carry a FitInfo with LogCov (a fitted
// model, or one loaded from a file saved after fitting); otherwise the
// error wraps ErrBadParams.
func DrawModels(m Model, n int, src rand.Source) ([]Model, error) {
	info := m.FitInfo()
	if info == nil || info.LogCov == nil {
		return nil, fmt.Errorf("%w: %s model has no parameter covariance (built from parameters, or Hessian unavailable)", ErrBadParams, m.Name())
	}
	if src == nil {
		return nil, fmt.Errorf("%w: nil random source", ErrBadParams)
	}
	p := m.Params()
	mu := make([]float64, len(p.Values))
	for i, v := range p.Values {
		mu[i] = math.Log(v)
	}
	norm, ok := distmv.NewNormal(mu, mat.Symmetric(info.LogCov), src)
	if !ok {
		return nil, fmt.Errorf("%w: %s covariance is not positive definite", ErrBadParams, m.Name())
	}
	out := make([]Model, n)
	u := make([]float64, len(mu))
	for k := range out {
		norm.Rand(u)
		for i := range u {
			u[i] = math.Exp(u[i])
		}
		d, err := NewModel(m.Name(), u)
		if err != nil {
			return nil, fmt.Errorf("%w: draw %d: %v", ErrBadParams, k, err)
		}
		out[k] = d
	}
	return out, nil
}

// ExpectedPurchasesInterval writes into lower[i] and upper[i] the
// equal-tailed opts.Level interval of the conditional expected purchases of
// customer i in the next horizon, over models drawn by DrawModels. It shows
// how much the estimate owes to parameter uncertainty (not the Poisson
// noise of the purchases themselves). lower and upper must have length
// d.Len(); nothing is allocated per customer.
func ExpectedPurchasesInterval(ctx context.Context, lower, upper []float64, m TransactionModel, d Data, horizon float64, opts IntervalOptions) error {
	opts, err := opts.withDefaults()
	if err != nil {
		return err
	}
	if err := checkIntervalOut(lower, upper, d); err != nil {
		return err
	}
	if !(horizon >= 0) || math.IsInf(horizon, 0) {
		return fmt.Errorf("%w: horizon %v, want finite and >= 0", ErrBadParams, horizon)
	}
	g, err := groupHistories(d)
	if err != nil {
		return err
	}
	g.progress = opts.Progress
	draws, err := DrawModels(m, opts.Draws, opts.Src)
	if err != nil {
		return err
	}
	lo, hi := make([]float64, g.len()), make([]float64, g.len())
	err = g.each(ctx, len(draws), func(j int, c Customer, buf []float64) {
		for k, dm := range draws {
			buf[k] = dm.(TransactionModel).ConditionalExpectedPurchases(horizon, c)
		}
		lo[j], hi[j] = quantilePair(buf, opts.Level)
	})
	if err != nil {
		return err
	}
	for i, j := range g.index {
		lower[i], upper[i] = lo[j], hi[j]
	}
	return nil
}

// CLVInterval writes into lower[i] and upper[i] the equal-tailed
// opts.Level interval of customer i's discounted CLV (see CLVBatch) over
// parameter draws of the transaction model and, when clv.Spend carries a
// covariance, independent draws of the spend model. lower and upper must
// have length d.Len(); nothing is allocated per customer.
func CLVInterval(ctx context.Context, lower, upper []float64, m TransactionModel, d Data, clv CLVOptions, opts IntervalOptions) error {
	return DrawIntervals(ctx, lower, upper, nil, nil, m, d, clv, opts)
}

// DrawIntervals is CLVInterval and, when expLower and expUpper are not
// nil, ExpectedPurchasesInterval over clv.Horizon, from the same draws in
// one pass: the expected purchases over the horizon under each draw are the
// first node of the discounted sum the CLV takes anyway (the same value
// ExpectedPurchasesInterval computes, from the same draws of the same
// source, for BG/NBD and MBG/NBD to the bit, for the others to rounding),
// so the two intervals cost about what the CLV's alone does.
func DrawIntervals(ctx context.Context, lower, upper, expLower, expUpper []float64, m TransactionModel, d Data, clv CLVOptions, opts IntervalOptions) error {
	opts, err := opts.withDefaults()
	if err != nil {
		return err
	}
	if err := checkIntervalOut(lower, upper, d); err != nil {
		return err
	}
	withExp := expLower != nil || expUpper != nil
	if withExp {
		if err := checkIntervalOut(expLower, expUpper, d); err != nil {
			return err
		}
	}
	if _, err := newCLVPlan(clv, d, m); err != nil {
		return err
	}
	g, err := groupHistories(d)
	if err != nil {
		return err
	}
	g.progress = opts.Progress
	draws, err := DrawModels(m, opts.Draws, opts.Src)
	if err != nil {
		return err
	}
	var spends []Model
	if clv.Spend != nil && clv.Spend.Info != nil && clv.Spend.Info.LogCov != nil {
		if spends, err = DrawModels(clv.Spend, opts.Draws, opts.Src); err != nil {
			return err
		}
	}
	plans := make([]*clvPlan, len(draws))
	for k := range draws {
		o := clv
		if spends != nil {
			o.Spend = spends[k].(*GammaGamma)
		}
		if plans[k], err = newCLVPlan(o, d, draws[k].(TransactionModel)); err != nil {
			return err
		}
	}
	// Each history's discounted purchases under every draw (and its
	// expected purchases over the horizon, the first node), then each of
	// its customers' values under every draw, in one worker's scratch.
	start, rows := g.members()
	nodes := len(plans[0].rule.nodes)
	nd := len(draws)
	return g.each(ctx, nodes+3*nd, func(j int, c Customer, buf []float64) {
		steps, S, E, vals := buf[:nodes], buf[nodes:nodes+nd], buf[nodes+nd:nodes+2*nd], buf[nodes+2*nd:]
		for k, dm := range draws {
			S[k] = plans[k].discounted(dm.(TransactionModel), c, steps)
			E[k] = steps[0] // rule.nodes[0] is the horizon
		}
		var elo, ehi float64
		if withExp {
			elo, ehi = quantilePair(E, opts.Level)
		}
		for _, i := range rows[start[j]:start[j+1]] {
			for k := range vals {
				vals[k] = S[k] * plans[k].scale(d, int(i))
			}
			lower[i], upper[i] = quantilePair(vals, opts.Level)
			if withExp {
				expLower[i], expUpper[i] = elo, ehi
			}
		}
	})
}

func checkIntervalOut(lower, upper []float64, d Data) error {
	if len(lower) != d.Len() || len(upper) != d.Len() {
		return fmt.Errorf("%w: lower and upper have lengths %d and %d, want %d", ErrBadData, len(lower), len(upper), d.Len())
	}
	return nil
}
