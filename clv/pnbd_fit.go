package clv

import (
	"context"
	"math"

	"gonum.org/v1/gonum/mathext"

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
	est, info, err := fitHistories(ctx, d, opts, "Pareto/NBD", pnbdNames,
		func(h *histTuples) []float64 { return []float64{1, h.sumT / h.sumX, 1, h.sumT / h.total} },
		func(h *histTuples) histLik { return newPNBDLik(h) })
	if err != nil {
		return nil, err
	}
	return &ParetoNBD{R: est[0], Alpha: est[1], S: est[2], Beta: est[3], Info: info}, nil
}

// LogLikelihood returns the weighted log-likelihood of d under m.
func (m *ParetoNBD) LogLikelihood(d Data) (float64, error) {
	h, err := collapseHistories(d)
	if err != nil {
		return 0, err
	}
	return newPNBDLik(h).eval([]float64{m.R, m.Alpha, m.S, m.Beta}, nil), nil
}

// pnbdLik evaluates the Pareto/NBD log-likelihood (Fader & Hardie 2005
// note, eq. 1, via pnbdLogG) and its analytic gradient:
//
//	LL = Σ w [ lnΓ(r+x) − lnΓ(r) + r ln α + s ln β + ln(E₁ + s(G(t_x) − G(T))) ],
//	E₁ = (α+T)^−(r+x) (β+T)^−s.
//
// E₁ and G depend on (x, T) and (x, t) pairs only. Per evaluation each
// distinct pair gets its log value and log-derivatives once; each tuple
// then combines exponentials taken relative to a per-x scale, so that it
// costs one logarithm. A tuple whose terms would underflow at that scale
// (very large x with widely spread times) is combined in log space instead.
type pnbdLik struct {
	h *histTuples
	// pairs: distinct (x, t) with t = t_x or T; per tuple indices (pTx = -1
	// when t_x = T, the G terms then cancel).
	pairX, pairT []float64
	pairXi       []int32 // index of the pair's x in h.xs
	pTx, pT      []int32
	// per-pair values at the current parameters
	logG, log1 []float64
	dG, d1     [][4]float64
	eG, e1     []float64 // exp(logG − scale), exp(log1 − scale)
	// per distinct x
	lgx, drx, scale []float64
	hyp             []mle.Hyp2F1C1 // ₂F₁ evaluators of G (see pnbdLogG)
	p               []float64      // r+s+x
}

func newPNBDLik(h *histTuples) *pnbdLik {
	l := &pnbdLik{h: h, pTx: make([]int32, len(h.w)), pT: make([]int32, len(h.w))}
	type key struct{ x, t float64 }
	seen := make(map[key]int32)
	add := func(i int, t float64) int32 {
		k := key{h.x[i], t}
		if j, ok := seen[k]; ok {
			return j
		}
		j := int32(len(l.pairX))
		seen[k] = j
		l.pairX = append(l.pairX, h.x[i])
		l.pairT = append(l.pairT, t)
		l.pairXi = append(l.pairXi, h.xi[i])
		return j
	}
	for i := range h.w {
		l.pT[i] = add(i, h.T[i])
		if h.tx[i] == h.T[i] {
			l.pTx[i] = -1
			continue
		}
		l.pTx[i] = add(i, h.tx[i])
	}
	np := len(l.pairX)
	l.logG, l.log1 = make([]float64, np), make([]float64, np)
	l.dG, l.d1 = make([][4]float64, np), make([][4]float64, np)
	l.eG, l.e1 = make([]float64, np), make([]float64, np)
	l.lgx = make([]float64, len(h.xs))
	l.drx = make([]float64, len(h.xs))
	l.scale = make([]float64, len(h.xs))
	l.hyp = make([]mle.Hyp2F1C1, len(h.xs))
	l.p = make([]float64, len(h.xs))
	return l
}

// tinySum is the smallest scaled sum trusted in linear space.
const tinySum = 1e-250

func (l *pnbdLik) eval(th, grad []float64) float64 {
	r, alpha, s, beta := th[0], th[1], th[2], th[3]
	h := l.h
	withGrad := grad != nil
	lr := mle.Lgamma(r)
	psiR := 0.0
	if withGrad {
		psiR = mathext.Digamma(r)
	}
	for j, x := range h.xs {
		l.lgx[j] = mle.Lgamma(r+x) - lr
		if withGrad {
			l.drx[j] = mathext.Digamma(r+x) - psiR
		}
		l.scale[j] = math.Inf(-1)
		l.hyp[j], l.p[j] = pnbdHyp(r, alpha, s, beta, x)
	}
	for j, x := range l.pairX {
		t := l.pairT[j]
		la, lb := math.Log(alpha+t), math.Log(beta+t)
		l.log1[j] = -(r+x)*la - s*lb
		l.d1[j] = [4]float64{-la, -(r + x) / (alpha + t), -lb, -s / (beta + t)}
		xi := l.pairXi[j]
		if withGrad {
			l.logG[j] = pnbdLogGGrad(&l.hyp[xi], alpha, beta, l.p[xi], t, &l.dG[j])
		} else {
			l.logG[j] = pnbdLogG(&l.hyp[xi], alpha, beta, l.p[xi], t)
		}
		l.scale[xi] = math.Max(l.scale[xi], math.Max(l.log1[j], l.logG[j]))
	}
	for j := range l.pairX {
		sc := l.scale[l.pairXi[j]]
		l.e1[j] = math.Exp(l.log1[j] - sc)
		l.eG[j] = math.Exp(l.logG[j] - sc)
	}
	c := r*math.Log(alpha) + s*math.Log(beta)
	la, lb := math.Log(alpha), math.Log(beta)
	ls := math.Log(s)
	var sum, gr, ga, gs, gb float64
	for i, w := range h.w {
		xj := h.xi[i]
		jT, jt := l.pT[i], l.pTx[i]
		var v, w1, w2, w3 float64
		if jt < 0 {
			v = l.log1[jT]
			w1 = 1
		} else {
			e1, g1, g2 := l.e1[jT], s*l.eG[jt], s*l.eG[jT]
			tot := e1 + g1 - g2
			if tot > tinySum {
				v = l.scale[xj] + math.Log(tot)
				inv := 1 / tot
				w1, w2, w3 = e1*inv, g1*inv, g2*inv
			} else {
				v = mle.LogSumExp2(l.log1[jT], ls+mle.LogDiffExp(l.logG[jt], l.logG[jT]))
				w1 = math.Exp(l.log1[jT] - v)
				w2 = math.Exp(ls + l.logG[jt] - v)
				w3 = math.Exp(ls + l.logG[jT] - v)
			}
		}
		sum += w * (l.lgx[xj] + c + v)
		if withGrad {
			d1, dg1, dg2 := &l.d1[jT], &l.dG[jT], &l.dG[jT]
			if jt >= 0 {
				dg1 = &l.dG[jt]
			}
			gr += w * (l.drx[xj] + la + w1*d1[0] + w2*dg1[0] - w3*dg2[0])
			ga += w * (r/alpha + w1*d1[1] + w2*dg1[1] - w3*dg2[1])
			gs += w * (lb + w1*d1[2] + w2*dg1[2] - w3*dg2[2] + (w2-w3)/s)
			gb += w * (s/beta + w1*d1[3] + w2*dg1[3] - w3*dg2[3])
		}
	}
	if withGrad {
		grad[0], grad[1], grad[2], grad[3] = gr, ga, gs, gb
	}
	return sum
}

// pnbdLogGGrad returns log G(t) as pnbdLogG and stores its derivatives with
// respect to (r, α, s, β) in d. With F = ₂F₁(p, b₂; p+1; z), h.LogGrad
// gives ∂ln F/∂p, ∂ln F/∂b₂ and ∂ln F/∂z; the chain rule through
// p = r+s+x, b₂ ∈ {s+1, r+x}, m = max(α, β) and z = |α−β|/(m+t) does the
// rest.
func pnbdLogGGrad(h *mle.Hyp2F1C1, alpha, beta, p, t float64, d *[4]float64) float64 {
	aGeB := alpha >= beta
	mx, mn := alpha, beta
	if !aGeB {
		mx, mn = beta, alpha
	}
	z := (mx - mn) / (mx + t)
	omz := (mn + t) / (mx + t)
	var dF [3]float64
	logF := h.LogGrad(z, omz, &dF)
	dFp, dFb, dFz := dF[0], dF[1], dF[2]
	lmt := math.Log(mx + t)
	base := -lmt - 1/p + dFp
	if aGeB {
		d[0] = base
		d[2] = base + dFb
		d[1] = -p/(alpha+t) + dFz*(beta+t)/((alpha+t)*(alpha+t))
		d[3] = -dFz / (alpha + t)
	} else {
		d[0] = base + dFb
		d[2] = base
		d[1] = -dFz / (beta + t)
		d[3] = -p/(beta+t) + dFz*(alpha+t)/((beta+t)*(beta+t))
	}
	return -p*lmt - math.Log(p) + logF
}
