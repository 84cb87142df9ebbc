package clv

import (
	"context"
	"fmt"

	"github.com/valuekit/valuekit/internal/mle"
)

// histLik is a log-likelihood over collapsed histories with its analytic
// gradient: eval returns LL at the natural-scale parameters th and, when
// grad is not nil, writes dLL/dlog θ into it.
type histLik interface {
	eval(th, grad []float64) float64
}

// fitHistories runs the steps that the BG/NBD, MBG/NBD and Pareto/NBD fits
// share: collapse the rows into weighted (x, t_x, T) tuples, refuse data
// without repeat purchases, pick the start (start computes a default from
// the tuples), build the likelihood and maximise it. ctx is checked
// between the steps, since collapsing millions of rows takes a while.
func fitHistories(ctx context.Context, d Data, opts *FitOptions, model string, names []string,
	start func(*histTuples) []float64, newLik func(*histTuples) histLik) ([]float64, *FitInfo, error) {
	h, err := collapseHistories(d)
	if err != nil {
		return nil, nil, err
	}
	if h.sumX == 0 {
		return nil, nil, fmt.Errorf("%w: no repeat purchases; %s cannot be fitted", ErrBadData, model)
	}
	init, err := opts.start(start(h))
	if err != nil {
		return nil, nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	ll := newLik(h)
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	p := mle.Problem{
		Names:    names,
		Init:     init,
		N:        h.total,
		LogLik:   func(th []float64) float64 { return ll.eval(th, nil) },
		Gradient: func(dst, th []float64) float64 { return ll.eval(th, dst) },
	}
	est, info, err := maximize(ctx, p, opts, len(h.w))
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", model, err)
	}
	return est, info, nil
}
