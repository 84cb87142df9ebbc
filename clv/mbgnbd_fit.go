package clv

import (
	"context"
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
	est, info, err := fitHistories(ctx, d, opts, "MBG/NBD", mbgnbdNames,
		func(h *histTuples) []float64 { return []float64{1, h.sumT / h.sumX, 1, 3} },
		func(h *histTuples) histLik { return newBGLik(h, 1) })
	if err != nil {
		return nil, err
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
