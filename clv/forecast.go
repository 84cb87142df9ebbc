package clv

import (
	"context"
	"fmt"
	"math"
	"runtime"
	"slices"
	"sync"

	"gonum.org/v1/gonum/stat/distuv"
)

// Forecast is every customer's prediction over one horizon, computed in one
// pass over the distinct histories (x, t_x, T) on all cores. A nil slice is
// not computed.
type Forecast struct {
	// Expected is the conditional expected purchases over the horizon,
	// Alive P(alive), CLV the discounted net value (see CLVBatch).
	Expected, Alive, CLV []float64
	// The equal-tailed interval bounds of CLV and of Expected (see
	// SigmaIntervals).
	CLVLower, CLVUpper, ExpectedLower, ExpectedUpper []float64
}

// ForecastOptions configure NewForecast.
type ForecastOptions struct {
	// Intervals asks for the Level intervals (default 0.9) of CLV and
	// expected purchases from the sigma points of the fit (see
	// SigmaIntervals).
	Intervals bool
	Level     float64
	// Progress, if not nil, is called now and then with the number of
	// distinct histories done and their total, from any goroutine (one
	// call at a time).
	Progress func(done, total int)
}

// NewForecast returns the expected purchases over opts.Horizon, P(alive)
// and discounted CLV of every customer of d under m and, as fo asks, their
// intervals. It is Score, CLVBatch and SigmaIntervals in one pass: each
// distinct history's curve is evaluated once for all three. With
// intervals, m (and opts.Spend, if it is to count) must carry a
// covariance; otherwise the error wraps ErrBadParams. fo may be nil.
func NewForecast(ctx context.Context, m TransactionModel, d Data, opts CLVOptions, fo *ForecastOptions) (*Forecast, error) {
	var o ForecastOptions
	if fo != nil {
		o = *fo
	}
	n := d.Len()
	f := &Forecast{Expected: make([]float64, n), Alive: make([]float64, n), CLV: make([]float64, n)}
	if o.Intervals {
		f.CLVLower, f.CLVUpper = make([]float64, n), make([]float64, n)
		f.ExpectedLower, f.ExpectedUpper = make([]float64, n), make([]float64, n)
	}
	if err := f.compute(ctx, m, d, opts, o); err != nil {
		return nil, err
	}
	return f, nil
}

// compute fills the non-nil slices of f (each of length d.Len()).
func (f *Forecast) compute(ctx context.Context, m TransactionModel, d Data, opts CLVOptions, fo ForecastOptions) error {
	level, intervals := fo.Level, fo.Intervals
	if level == 0 {
		level = 0.9
	}
	if !(level > 0 && level < 1) {
		return fmt.Errorf("%w: interval level %v, want in (0, 1)", ErrBadParams, level)
	}
	wantCLV := f.CLVLower != nil || f.CLVUpper != nil
	wantExp := f.ExpectedLower != nil || f.ExpectedUpper != nil
	var sig *sigmaPoints
	if intervals {
		info := m.FitInfo()
		if info == nil || info.LogCov == nil {
			return fmt.Errorf("%w: %s model has no parameter covariance (built from parameters, or Hessian unavailable)", ErrBadParams, m.Name())
		}
		var err error
		if sig, err = newSigmaPoints(m); err != nil {
			return err
		}
	}
	p, err := newCLVPlan(opts, d, m)
	if err != nil {
		return err
	}
	g, err := groupHistories(d)
	if err != nil {
		return err
	}
	z := distuv.UnitNormal.Quantile((1 + level) / 2)

	// Per history: the discounted purchases S and expected purchases E at
	// the estimate, P(alive), and the mean shift and standard deviation of
	// log S and log E over the sigma points.
	nh := g.len()
	S, E, A := make([]float64, nh), make([]float64, nh), make([]float64, nh)
	var muS, sdS, muE, sdE []float64
	ns := 0
	if sig != nil {
		muS, sdS, muE, sdE = make([]float64, nh), make([]float64, nh), make([]float64, nh), make([]float64, nh)
		ns = len(sig.models)
	}
	nodes := len(p.rule.nodes)
	// Undiscounted, or with few steps, the coarse rule is the rule: the
	// estimate's coarse value is S itself.
	sameRule := slices.Equal(p.rule.nodes, p.coarse.nodes) && slices.Equal(p.rule.weights, p.coarse.weights)
	g.progress = fo.Progress
	err = g.each(ctx, nodes+2*ns, func(j int, c Customer, buf []float64) {
		steps, ls, le := buf[:nodes], buf[nodes:nodes+ns], buf[nodes+ns:]
		S[j] = p.discounted(m, c, steps)
		E[j] = steps[0]
		if f.Alive != nil {
			A[j] = m.ProbAlive(c)
		}
		if sig == nil {
			return
		}
		// The sigma points' values relative to the estimate's, both by the
		// coarse rule, whose error cancels in the ratio.
		logS, c0 := math.Log(S[j]), S[j]
		if !sameRule {
			c0 = p.coarseDiscounted(m, c, steps)
		}
		for q, sm := range sig.models {
			ls[q] = logS + math.Log(p.coarseDiscounted(sm, c, steps)/c0)
			le[q] = math.Log(steps[0])
		}
		muS[j], sdS[j] = sig.moments(ls, logS)
		muE[j], sdE[j] = sig.moments(le, math.Log(E[j]))
		muS[j] -= logS
		muE[j] -= math.Log(E[j])
	})
	if err != nil {
		return err
	}

	var spendShift []*GammaGamma
	if gg := opts.Spend; sig != nil && wantCLV && gg != nil && gg.Info != nil && gg.Info.LogCov != nil {
		ms, err := shiftedModels(gg)
		if err != nil {
			return err
		}
		for _, s := range ms {
			spendShift = append(spendShift, s.(*GammaGamma))
		}
	}
	// The expected-purchases bounds depend on the history only: once per
	// history, then gathered with the rest.
	var EL, EU []float64
	if sig != nil && wantExp {
		EL, EU = make([]float64, nh), make([]float64, nh)
		for j := range nh {
			EL[j], EU[j] = logInterval(E[j], muE[j], sdE[j], z)
		}
	}
	// Scatter the histories' values to the rows, in blocks of rows on the
	// available cores (rows are independent).
	scatter := func(lo, hi int) {
		var gSpend [3]float64
		for i := lo; i < hi; i++ {
			j := g.index[i]
			if f.Expected != nil {
				f.Expected[i] = E[j]
			}
			if f.Alive != nil {
				f.Alive[i] = A[j]
			}
			if EL != nil {
				f.ExpectedLower[i], f.ExpectedUpper[i] = EL[j], EU[j]
			}
			if f.CLV == nil && !(sig != nil && wantCLV) {
				continue
			}
			v := S[j] * p.scale(d, i)
			if f.CLV != nil {
				f.CLV[i] = v
			}
			if sig == nil || !wantCLV {
				continue
			}
			sd := sdS[j]
			if spendShift != nil {
				x, mv := d.Frequency[i], d.Monetary[i]
				s0 := opts.Spend.ConditionalExpectedSpend(x, mv)
				for q, s := range spendShift {
					gSpend[q] = logRatio(s.ConditionalExpectedSpend(x, mv), s0) / deltaStep
				}
				sd = math.Sqrt(sd*sd + quadForm(opts.Spend.Info.LogCov, gSpend[:len(spendShift)]))
			}
			f.CLVLower[i], f.CLVUpper[i] = logInterval(v, muS[j], sd, z)
		}
	}
	rows := len(g.index)
	workers := min(runtime.GOMAXPROCS(0), max(1, rows/(1<<16)))
	var wg sync.WaitGroup
	for w := range workers {
		lo, hi := w*rows/workers, (w+1)*rows/workers
		if w == workers-1 {
			scatter(lo, hi)
			break
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			scatter(lo, hi)
		}()
	}
	wg.Wait()
	return nil
}
