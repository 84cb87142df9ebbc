package clv

import (
	"context"
	"fmt"
	"math"

	"gonum.org/v1/gonum/mathext"

	"github.com/valuekit/valuekit/internal/mle"
)

// FitBGBB estimates a BG/BB model by maximum likelihood from discrete-time
// histories: d.Frequency is x (repeat transactions), d.Recency is t_x (the
// opportunity of the last transaction, 0 if none) and d.T is n (the number
// of opportunities after the first transaction); d.Weights, if not nil,
// counts the customers with each history (as in the donations data of Fader,
// Hardie & Shang 2010, where 11,104 donors fall into 22 patterns);
// d.Monetary is ignored. Identical rows are merged before fitting, so the
// cost depends on the number of distinct histories.
//
// Every row must hold whole numbers with 0 <= x <= t_x <= n and t_x = 0 when
// x = 0; weights must be finite and >= 0 with a positive sum. A violation is
// an error wrapping ErrBadData that names the row (0-based). ctx cancels the
// optimisation. A fit that does not converge is an error wrapping
// ErrNotConverged.
func FitBGBB(ctx context.Context, d Data, opts *FitOptions) (*BGBB, error) {
	tup, err := collapseDiscrete(d)
	if err != nil {
		return nil, err
	}
	init, err := opts.start([]float64{1, 1, 1, 1})
	if err != nil {
		return nil, err
	}
	x, tx, n, w := tup.Cols[0], tup.Cols[1], tup.Cols[2], tup.Weights
	p := mle.Problem{
		Names:    bgbbNames,
		Init:     init,
		N:        tup.Total,
		LogLik:   func(th []float64) float64 { return bgbbLogLik(nil, th, x, tx, n, w) },
		Gradient: func(dst, th []float64) float64 { return bgbbLogLik(dst, th, x, tx, n, w) },
	}
	est, info, err := maximize(ctx, p, opts, tup.Len())
	if err != nil {
		return nil, fmt.Errorf("BG/BB: %w", err)
	}
	return &BGBB{Alpha: est[0], Beta: est[1], Gamma: est[2], Delta: est[3], Info: info}, nil
}

// LogLikelihood returns the weighted log-likelihood of the discrete-time
// histories d under m (d is validated as in FitBGBB).
func (m *BGBB) LogLikelihood(d Data) (float64, error) {
	tup, err := collapseDiscrete(d)
	if err != nil {
		return 0, err
	}
	th := []float64{m.Alpha, m.Beta, m.Gamma, m.Delta}
	return bgbbLogLik(nil, th, tup.Cols[0], tup.Cols[1], tup.Cols[2], tup.Weights), nil
}

// collapseDiscrete validates discrete-time data and merges identical
// (x, t_x, n) rows.
func collapseDiscrete(d Data) (mle.Tuples, error) {
	if err := checkDiscreteData(d); err != nil {
		return mle.Tuples{}, err
	}
	tup, err := mle.Collapse(d.Weights, d.Frequency, d.Recency, d.T)
	if err != nil {
		return mle.Tuples{}, fmt.Errorf("%w: %v", ErrBadData, err)
	}
	if !(tup.Total > 0) {
		return mle.Tuples{}, fmt.Errorf("%w: weights sum to %v", ErrBadData, tup.Total)
	}
	return tup, nil
}

// bgbbLogLik returns the weighted BG/BB log-likelihood of the tuples
// (x, tx, n, w) at theta = (α, β, γ, δ) and, when dst is not nil, stores its
// gradient in dst.
//
// For each tuple the terms of the likelihood (see BGBB) are summed relative
// to the largest of the first two: the alive term A and the first dropout
// term D_0. The later dropout terms follow by the ratios
//
//	D_{i+1}/D_i = (β+t_x-x+i)/(α+β+t_x+i) · (δ+t_x+i)/(γ+δ+1+t_x+i)
//
// which are below 1, so the sum needs two log-beta evaluations per tuple and
// no logarithms inside the loop. The derivative of ln D_i is that of ln D_0
// plus the running sums of the derivatives of the log ratios.
func bgbbLogLik(dst, theta, x, tx, n, w []float64) float64 {
	a, b, g, d := theta[0], theta[1], theta[2], theta[3]
	lbab := mathext.Lbeta(a, b)
	lbgd := mathext.Lbeta(g, d)
	var psiA, psiB, psiAB, psiG, psiD, psiGD float64
	if dst != nil {
		psiA, psiB, psiAB = mathext.Digamma(a), mathext.Digamma(b), mathext.Digamma(a+b)
		psiG, psiD, psiGD = mathext.Digamma(g), mathext.Digamma(d), mathext.Digamma(g+d)
		for k := range dst[:4] {
			dst[k] = 0
		}
	}
	ll := 0.0
	for j := range w {
		xj, txj, nj, wj := x[j], tx[j], n[j], w[j]
		// Alive term A and first dropout term D_0 (log scale).
		lA := mathext.Lbeta(a+xj, b+nj-xj) + mathext.Lbeta(g, d+nj) - lbab - lbgd
		if txj == nj {
			// Only the alive term: ln A = ln B(α+x, β+n-x) + ln B(γ, δ+n) - ….
			ll += wj * lA
			if dst != nil {
				dst[0] += wj * (mathext.Digamma(a+xj) - mathext.Digamma(a+b+nj) - psiA + psiAB)
				dst[1] += wj * (mathext.Digamma(b+nj-xj) - mathext.Digamma(a+b+nj) - psiB + psiAB)
				dst[2] += wj * (psiGD - mathext.Digamma(g+d+nj))
				dst[3] += wj * (mathext.Digamma(d+nj) - mathext.Digamma(g+d+nj) - psiD + psiGD)
			}
			continue
		}
		y := txj - xj
		lD := mathext.Lbeta(a+xj, b+y) + mathext.Lbeta(g+1, d+txj) - lbab - lbgd
		ref := math.Max(lA, lD)
		eA := math.Exp(lA - ref)
		r := math.Exp(lD - ref) // current dropout term, relative to ref
		sum := eA
		// Running sums of the derivatives of ln D_i minus those of ln D_0.
		var ca, cb, cg, cd float64
		// Weighted sums of the relative derivatives over the dropout terms.
		var sa, sb, sg, sd float64
		m := nj - txj
		for i := 0.0; ; i++ {
			sum += r
			if dst != nil {
				sa += r * ca
				sb += r * cb
				sg += r * cg
				sd += r * cd
			}
			if i+1 >= m {
				break
			}
			u := a + b + txj + i
			v := g + d + 1 + txj + i
			r *= (b + y + i) / u * (d + txj + i) / v
			if dst != nil {
				ca -= 1 / u
				cb += 1/(b+y+i) - 1/u
				cg -= 1 / v
				cd += 1/(d+txj+i) - 1/v
			}
		}
		ll += wj * (ref + math.Log(sum))
		if dst == nil {
			continue
		}
		sD := sum - eA // total weight of the dropout terms
		// Derivatives of ln A and ln D_0.
		dAa := mathext.Digamma(a+xj) - mathext.Digamma(a+b+nj) - psiA + psiAB
		dAb := mathext.Digamma(b+nj-xj) - mathext.Digamma(a+b+nj) - psiB + psiAB
		dAg := psiGD - mathext.Digamma(g+d+nj)
		dAd := mathext.Digamma(d+nj) - mathext.Digamma(g+d+nj) - psiD + psiGD
		dDa := mathext.Digamma(a+xj) - mathext.Digamma(a+b+txj) - psiA + psiAB
		dDb := mathext.Digamma(b+y) - mathext.Digamma(a+b+txj) - psiB + psiAB
		dDg := mathext.Digamma(g+1) - mathext.Digamma(g+d+1+txj) - psiG + psiGD
		dDd := mathext.Digamma(d+txj) - mathext.Digamma(g+d+1+txj) - psiD + psiGD
		f := wj / sum
		dst[0] += f * (eA*dAa + sD*dDa + sa)
		dst[1] += f * (eA*dAb + sD*dDb + sb)
		dst[2] += f * (eA*dAg + sD*dDg + sg)
		dst[3] += f * (eA*dAd + sD*dDd + sd)
	}
	return ll
}
