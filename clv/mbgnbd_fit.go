package clv

import (
	"context"
	"fmt"

	"github.com/valuekit/valuekit/internal/mle"
)

// FitMBGNBD fits the MBG/NBD model to d by weighted maximum likelihood on
// the distinct (x, t_x, T) tuples, with the analytic gradient:
//
//	LL = Σ w [ lnΓ(r+x) − lnΓ(r) + r ln α + ln B(a, b+x+1) − ln B(a, b)
//	          − (r+x) ln(α+T) + ln(1 + e^D) ],
//	D = ln a − ln(b+x) + (r+x)[ln(α+T) − ln(α+t_x)].
//
// opts nil means defaults. Errors wrap ErrBadData or ErrNotConverged.
func FitMBGNBD(ctx context.Context, d Data, opts *FitOptions) (*MBGNBD, error) {
	h, err := collapseHistories(d)
	if err != nil {
		return nil, err
	}
	if h.sumX == 0 {
		return nil, fmt.Errorf("%w: no repeat purchases; MBG/NBD cannot be fitted", ErrBadData)
	}
	init, err := opts.start([]float64{1, h.sumT / h.sumX, 1, 3})
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil { // the collapse of millions of rows takes a while
		return nil, err
	}
	ll := newBGLik(h, 1)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	p := mle.Problem{
		Names:    mbgnbdNames,
		Init:     init,
		N:        h.total,
		LogLik:   func(th []float64) float64 { return ll.eval(th, nil) },
		Gradient: func(dst, th []float64) float64 { return ll.eval(th, dst) },
	}
	est, info, err := maximize(ctx, p, opts, len(h.w))
	if err != nil {
		return nil, fmt.Errorf("MBG/NBD: %w", err)
	}
	return &MBGNBD{R: est[0], Alpha: est[1], A: est[2], B: est[3], Info: info}, nil
}

// LogLikelihood returns the weighted log-likelihood of d under m.
func (m *MBGNBD) LogLikelihood(d Data) (float64, error) {
	h, err := collapseHistories(d)
	if err != nil {
		return 0, err
	}
	return newBGLik(h, 1).eval([]float64{m.R, m.Alpha, m.A, m.B}, nil), nil
}
