package clv

import (
	"context"
	"math"

	"gonum.org/v1/gonum/mathext"

	"github.com/valuekit/valuekit/internal/mle"
)

// FitBGNBD fits the BG/NBD model to d by weighted maximum likelihood on the
// distinct (x, t_x, T) tuples, with the analytic gradient. opts nil means
// defaults. Errors wrap ErrBadData (invalid rows, no repeat purchases) or
// ErrNotConverged.
func FitBGNBD(ctx context.Context, d Data, opts *FitOptions) (*BGNBD, error) {
	est, info, err := fitHistories(ctx, d, opts, "BG/NBD", bgnbdNames,
		func(h *histTuples) []float64 { return []float64{1, h.sumT / h.sumX, 1, 3} },
		func(h *histTuples) histLik { return newBGNBDLik(h) })
	if err != nil {
		return nil, err
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
	lgx, lax, drx, dax, dbx, ibx, scale []float64
	lT, iT, lt, it                      []float64
	// The bracket of the likelihood is (α+T)^−(r+x) + δ a/(b+x−1) (α+t_x)^−(r+x):
	// its two log terms depend on (x, T) and (x, t_x) pairs; per evaluation
	// each pair gets exp(term − scale[x]) once, so a tuple costs one log.
	p1x, p1T, p2x, p2t []int32   // pair → index of x and of T (or t_x)
	p1, p2, e1, e2     []float64 // log terms and scaled exponentials
	tp1, tp2           []int32   // tuple → pair (tp2 = -1: no second term)
}

func newBGNBDLik(h *histTuples) *bgnbdLik { return newBGLik(h, 0) }

func newBGLik(h *histTuples, mod float64) *bgnbdLik {
	nx, nT, nt := len(h.xs), len(h.Ts), len(h.txs)
	l := &bgnbdLik{
		h:   h,
		mod: mod,
		lgx: make([]float64, nx), lax: make([]float64, nx), drx: make([]float64, nx),
		dax: make([]float64, nx), dbx: make([]float64, nx), ibx: make([]float64, nx),
		scale: make([]float64, nx),
		lT:    make([]float64, nT), iT: make([]float64, nT),
		lt: make([]float64, nt), it: make([]float64, nt),
		tp1: make([]int32, len(h.w)), tp2: make([]int32, len(h.w)),
	}
	seen1 := newPairIndex(nx, nT)
	seen2 := newPairIndex(nx, nt)
	for i := range h.w {
		xi, Ti := h.xi[i], h.Ti[i]
		j, ok := seen1.get(xi, Ti)
		if !ok {
			j = int32(len(l.p1x))
			seen1.set(xi, Ti, j)
			l.p1x, l.p1T = append(l.p1x, xi), append(l.p1T, Ti)
		}
		l.tp1[i] = j
		l.tp2[i] = -1
		if h.x[i] > 0 || mod > 0 {
			ti := h.txi[i]
			j, ok := seen2.get(xi, ti)
			if !ok {
				j = int32(len(l.p2x))
				seen2.set(xi, ti, j)
				l.p2x, l.p2t = append(l.p2x, xi), append(l.p2t, ti)
			}
			l.tp2[i] = j
		}
	}
	l.p1, l.e1 = make([]float64, len(l.p1x)), make([]float64, len(l.p1x))
	l.p2, l.e2 = make([]float64, len(l.p2x)), make([]float64, len(l.p2x))
	return l
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
		l.scale[j] = math.Inf(-1)
	}
	for j, T := range h.Ts {
		l.lT[j] = math.Log(alpha + T)
		l.iT[j] = 1 / (alpha + T)
	}
	for j, t := range h.txs {
		l.lt[j] = math.Log(alpha + t)
		l.it[j] = 1 / (alpha + t)
	}
	for j, xj := range l.p1x {
		v := -(r + h.xs[xj]) * l.lT[l.p1T[j]]
		l.p1[j] = v
		l.scale[xj] = math.Max(l.scale[xj], v)
	}
	for j, xj := range l.p2x {
		v := l.lax[xj] - (r+h.xs[xj])*l.lt[l.p2t[j]]
		l.p2[j] = v
		l.scale[xj] = math.Max(l.scale[xj], v)
	}
	for j, xj := range l.p1x {
		l.e1[j] = math.Exp(l.p1[j] - l.scale[xj])
	}
	for j, xj := range l.p2x {
		l.e2[j] = math.Exp(l.p2[j] - l.scale[xj])
	}
	la := math.Log(alpha)
	// The tuple loop, the bulk of the work, runs in chunks (in parallel
	// for many tuples; see inChunks) whose partial sums are added in chunk
	// order, so the result does not depend on scheduling.
	var parts [maxChunks][5]float64
	nc := inChunks(len(h.w), func(c, lo, hi int) {
		var sum, gr, gal, ga, gb float64
		for i := lo; i < hi; i++ {
			w := h.w[i]
			xj, Tj, tj := h.xi[i], h.Ti[i], h.txi[i]
			j1, j2 := l.tp1[i], l.tp2[i]
			v := l.lgx[xj] + r*la
			var sig float64
			if j2 < 0 {
				v += l.p1[j1]
			} else if tot := l.e1[j1] + l.e2[j2]; tot > tinySum {
				v += l.scale[xj] + math.Log(tot)
				sig = l.e2[j2] / tot
			} else {
				lse := mle.LogSumExp2(l.p1[j1], l.p2[j2])
				v += lse
				sig = math.Exp(l.p2[j2] - lse)
			}
			sum += w * v
			if withGrad {
				// d/dθ of log[(α+T)^−(r+x) + A (α+t_x)^−(r+x)], A = a/(b+x−1+mod):
				// (1−σ)·d term₁ + σ·d term₂.
				rx := r + h.x[i]
				gr += w * (l.drx[xj] + la - (1-sig)*l.lT[Tj] - sig*l.lt[tj])
				gal += w * (r/alpha - rx*((1-sig)*l.iT[Tj]+sig*l.it[tj]))
				ga += w * (l.dax[xj] + sig/a)
				gb += w * (l.dbx[xj] - sig*l.ibx[xj])
			}
		}
		parts[c] = [5]float64{sum, gr, gal, ga, gb}
	})
	var tot [5]float64
	for c := 0; c < nc; c++ {
		for k := range tot {
			tot[k] += parts[c][k]
		}
	}
	if withGrad {
		grad[0], grad[1], grad[2], grad[3] = tot[1], tot[2], tot[3], tot[4]
	}
	return tot[0]
}

// pairIndex numbers pairs (i, j) of small indexes, i < ni and j < nj: a
// dense table when ni·nj is at most 4M entries (the usual case: hundreds
// of distinct x against hundreds of distinct times), a map otherwise.
type pairIndex struct {
	nj    int
	dense []int32 // value+1, 0 = absent
	m     map[[2]int32]int32
}

func newPairIndex(ni, nj int) *pairIndex {
	if ni*nj <= 1<<22 {
		return &pairIndex{nj: nj, dense: make([]int32, ni*nj)}
	}
	return &pairIndex{m: map[[2]int32]int32{}}
}

func (p *pairIndex) get(i, j int32) (int32, bool) {
	if p.dense != nil {
		v := p.dense[int(i)*p.nj+int(j)]
		return v - 1, v > 0
	}
	v, ok := p.m[[2]int32{i, j}]
	return v, ok
}

func (p *pairIndex) set(i, j, v int32) {
	if p.dense != nil {
		p.dense[int(i)*p.nj+int(j)] = v + 1
		return
	}
	p.m[[2]int32{i, j}] = v
}
