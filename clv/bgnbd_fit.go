package clv

import (
	"context"
	"fmt"
	"math"

	"gonum.org/v1/gonum/mathext"

	"github.com/valuekit/valuekit/internal/mle"
)

// FitBGNBD fits the BG/NBD model to d by weighted maximum likelihood on the
// distinct (x, t_x, T) tuples, with the analytic gradient. opts nil means
// defaults. Errors wrap ErrBadData (invalid rows, no repeat purchases) or
// ErrNotConverged.
func FitBGNBD(ctx context.Context, d Data, opts *FitOptions) (*BGNBD, error) {
	h, err := collapseHistories(d)
	if err != nil {
		return nil, err
	}
	if h.sumX == 0 {
		return nil, fmt.Errorf("%w: no repeat purchases; BG/NBD cannot be fitted", ErrBadData)
	}
	init, err := opts.start([]float64{1, h.sumT / h.sumX, 1, 3})
	if err != nil {
		return nil, err
	}
	ll := newBGNBDLik(h)
	p := mle.Problem{
		Names:    bgnbdNames,
		Init:     init,
		N:        h.total,
		LogLik:   func(th []float64) float64 { return ll.eval(th, nil) },
		Gradient: func(dst, th []float64) float64 { return ll.eval(th, dst) },
	}
	est, info, err := maximize(ctx, p, opts, len(h.w))
	if err != nil {
		return nil, fmt.Errorf("BG/NBD: %w", err)
	}
	return &BGNBD{R: est[0], Alpha: est[1], A: est[2], B: est[3], Info: info}, nil
}

// LogLikelihood returns the weighted log-likelihood of d under m.
func (m *BGNBD) LogLikelihood(d Data) (float64, error) {
	h, err := collapseHistories(d)
	if err != nil {
		return 0, err
	}
	return newBGNBDLik(h).eval([]float64{m.R, m.Alpha, m.A, m.B}, nil), nil
}

// bgnbdLik evaluates the BG/NBD log-likelihood (FHL 2005, eq. 6)
//
//	LL = Σ w [ lnΓ(r+x) − lnΓ(r) + r ln α + ln B(a, b+x) − ln B(a, b)
//	          − (r+x) ln(α+T) + ln(1 + δ(x>0) e^D) ],
//	D = ln a − ln(b+x−1) + (r+x)[ln(α+T) − ln(α+t_x)],
//
// and its gradient, with per-value caches for terms depending on one column.
type bgnbdLik struct {
	h *histTuples
	// mod is 1 for the MBG/NBD variant (dropout also possible at time 0:
	// B(a, b+x+1) in place of B(a, b+x), a/(b+x) in place of a/(b+x−1), and
	// the second term present for x = 0 too), 0 for BG/NBD.
	mod float64
	// caches, one entry per distinct value
	lgx, lax, drx, dax, dbx, ibx []float64
	lT, iT, lt, it               []float64
}

func newBGNBDLik(h *histTuples) *bgnbdLik { return newBGLik(h, 0) }

func newBGLik(h *histTuples, mod float64) *bgnbdLik {
	nx, nT, nt := len(h.xs), len(h.Ts), len(h.txs)
	return &bgnbdLik{
		h:   h,
		mod: mod,
		lgx: make([]float64, nx), lax: make([]float64, nx), drx: make([]float64, nx),
		dax: make([]float64, nx), dbx: make([]float64, nx), ibx: make([]float64, nx),
		lT: make([]float64, nT), iT: make([]float64, nT),
		lt: make([]float64, nt), it: make([]float64, nt),
	}
}

func (l *bgnbdLik) eval(th, grad []float64) float64 {
	r, alpha, a, b := th[0], th[1], th[2], th[3]
	h := l.h
	withGrad := grad != nil
	lr, _ := math.Lgamma(r)
	lbab := mathext.Lbeta(a, b)
	var psiR, psiAB, psiB float64
	if withGrad {
		psiR, psiAB, psiB = mathext.Digamma(r), mathext.Digamma(a+b), mathext.Digamma(b)
	}
	mod := l.mod
	for j, x := range h.xs {
		lg, _ := math.Lgamma(r + x)
		l.lgx[j] = lg - lr + mathext.Lbeta(a, b+x+mod) - lbab
		if x > 0 || mod > 0 {
			l.lax[j] = math.Log(a) - math.Log(b+x-1+mod)
			l.ibx[j] = 1 / (b + x - 1 + mod)
		}
		if withGrad {
			psiABX := mathext.Digamma(a + b + x + mod)
			l.drx[j] = mathext.Digamma(r+x) - psiR
			l.dax[j] = psiAB - psiABX
			l.dbx[j] = mathext.Digamma(b+x+mod) - psiABX - psiB + psiAB
		}
	}
	for j, T := range h.Ts {
		l.lT[j] = math.Log(alpha + T)
		l.iT[j] = 1 / (alpha + T)
	}
	for j, t := range h.txs {
		l.lt[j] = math.Log(alpha + t)
		l.it[j] = 1 / (alpha + t)
	}
	la := math.Log(alpha)
	var sum, gr, gal, ga, gb float64
	for i, w := range h.w {
		xj, Tj, tj := h.xi[i], h.Ti[i], h.txi[i]
		x := h.x[i]
		rx := r + x
		lT := l.lT[Tj]
		v := l.lgx[xj] + r*la - rx*lT
		var sig, dl float64
		if x > 0 || mod > 0 {
			dl = lT - l.lt[tj]
			d := l.lax[xj] + rx*dl
			// log(1+e) rather than Log1p: e ≤ 1, so the absolute error is
			// below 1e-16 (irrelevant in a sum) and math.Log is much faster.
			if d > 0 {
				e := math.Exp(-d)
				v += d + math.Log(1+e)
				sig = 1 / (1 + e)
			} else {
				e := math.Exp(d)
				v += math.Log(1 + e)
				sig = e / (1 + e)
			}
		}
		sum += w * v
		if withGrad {
			gr += w * (l.drx[xj] + la - lT + sig*dl)
			gal += w * (r/alpha - rx*l.iT[Tj] + sig*rx*(l.iT[Tj]-l.it[tj]))
			ga += w * (l.dax[xj] + sig/a)
			gb += w * (l.dbx[xj] - sig*l.ibx[xj])
		}
	}
	if withGrad {
		grad[0], grad[1], grad[2], grad[3] = gr, gal, ga, gb
	}
	return sum
}
