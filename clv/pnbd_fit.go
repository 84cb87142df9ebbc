package clv

import (
	"context"
	"fmt"
	"math"

	"github.com/valuekit/valuekit/internal/mle"
)

// FitParetoNBD fits the Pareto/NBD model to d by weighted maximum likelihood
// on the distinct (x, t_x, T) tuples. The likelihood is evaluated in log
// space (see pnbdLogG), so daily time units with T in the thousands and x
// in the tens of thousands neither overflow nor lose precision. The
// hypergeometric terms depend only on (x, t) pairs and are computed once per
// distinct pair per evaluation. opts nil means defaults. Errors wrap
// ErrBadData or ErrNotConverged.
func FitParetoNBD(ctx context.Context, d Data, opts *FitOptions) (*ParetoNBD, error) {
	h, err := collapseHistories(d)
	if err != nil {
		return nil, err
	}
	if h.sumX == 0 {
		return nil, fmt.Errorf("%w: no repeat purchases; Pareto/NBD cannot be fitted", ErrBadData)
	}
	meanT := h.sumT / h.total
	init, err := opts.start([]float64{1, h.sumT / h.sumX, 1, meanT})
	if err != nil {
		return nil, err
	}
	ll := newPNBDLik(h)
	p := mle.Problem{
		Names:  pnbdNames,
		Init:   init,
		N:      h.total,
		LogLik: ll.eval,
	}
	est, info, err := maximize(ctx, p, opts, len(h.w))
	if err != nil {
		return nil, fmt.Errorf("Pareto/NBD: %w", err)
	}
	return &ParetoNBD{R: est[0], Alpha: est[1], S: est[2], Beta: est[3], Info: info}, nil
}

// LogLikelihood returns the weighted log-likelihood of d under m.
func (m *ParetoNBD) LogLikelihood(d Data) (float64, error) {
	h, err := collapseHistories(d)
	if err != nil {
		return 0, err
	}
	return newPNBDLik(h).eval([]float64{m.R, m.Alpha, m.S, m.Beta}), nil
}

// pnbdLik evaluates the Pareto/NBD log-likelihood (Fader & Hardie 2005 note,
// eq. 1, via pnbdLogG):
//
//	LL = Σ w [ lnΓ(r+x) − lnΓ(r) + r ln α + s ln β + ln(e^log1 + e^log2) ].
type pnbdLik struct {
	h *histTuples
	// pairs: distinct (x, t) with t = t_x or T; per tuple indices.
	pairX, pairT []float64
	pTx, pT      []int32
	logG         []float64
	lgx          []float64
	lTa, lTb     []float64
}

func newPNBDLik(h *histTuples) *pnbdLik {
	l := &pnbdLik{h: h, pTx: make([]int32, len(h.w)), pT: make([]int32, len(h.w))}
	type key struct{ x, t float64 }
	seen := make(map[key]int32)
	add := func(x, t float64) int32 {
		k := key{x, t}
		if j, ok := seen[k]; ok {
			return j
		}
		j := int32(len(l.pairX))
		seen[k] = j
		l.pairX = append(l.pairX, x)
		l.pairT = append(l.pairT, t)
		return j
	}
	for i := range h.w {
		if h.tx[i] == h.T[i] {
			l.pTx[i] = -1
			continue
		}
		l.pTx[i] = add(h.x[i], h.tx[i])
		l.pT[i] = add(h.x[i], h.T[i])
	}
	l.logG = make([]float64, len(l.pairX))
	l.lgx = make([]float64, len(h.xs))
	l.lTa = make([]float64, len(h.Ts))
	l.lTb = make([]float64, len(h.Ts))
	return l
}

func (l *pnbdLik) eval(th []float64) float64 {
	r, alpha, s, beta := th[0], th[1], th[2], th[3]
	h := l.h
	lr := mle.Lgamma(r)
	for j, x := range h.xs {
		l.lgx[j] = mle.Lgamma(r+x) - lr
	}
	for j, T := range h.Ts {
		l.lTa[j] = math.Log(alpha + T)
		l.lTb[j] = math.Log(beta + T)
	}
	for j, x := range l.pairX {
		l.logG[j] = pnbdLogG(r, alpha, s, beta, x, l.pairT[j])
	}
	c := r*math.Log(alpha) + s*math.Log(beta)
	ls := math.Log(s)
	sum := 0.0
	for i, w := range h.w {
		x := h.x[i]
		Tj := h.Ti[i]
		log1 := -(r+x)*l.lTa[Tj] - s*l.lTb[Tj]
		v := log1
		if j := l.pTx[i]; j >= 0 {
			v = mle.LogSumExp2(log1, ls+mle.LogDiffExp(l.logG[j], l.logG[l.pT[i]]))
		}
		sum += w * (l.lgx[h.xi[i]] + c + v)
	}
	return sum
}
