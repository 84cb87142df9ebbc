package clv

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"

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
// an *event.ValueError wrapping ErrBadData that names the column and the
// row (0-based); data without any repeat transaction or in which every
// customer transacted at every opportunity (the likelihood has no maximum
// then) are an error wrapping ErrBadData too. ctx cancels the
// optimisation. A fit that does not converge is an error wrapping
// ErrNotConverged; estimates that run to the edge of the parameter space
// are returned with a warning in Info.Warnings. The default start is
// α = β = γ = δ = 1 (opts.Init overrides it).
func FitBGBB(ctx context.Context, d Data, opts *FitOptions) (*BGBB, error) {
	tup, err := collapseDiscrete(d)
	if err != nil {
		return nil, err
	}
	if err := checkBGBBInformative(tup); err != nil {
		return nil, err
	}
	init, err := opts.start([]float64{1, 1, 1, 1})
	if err != nil {
		return nil, err
	}
	l := newBGBBLik(tup.Cols[0], tup.Cols[1], tup.Cols[2], tup.Weights)
	p := mle.Problem{
		Names:    bgbbNames,
		Init:     init,
		N:        tup.Total,
		LogLik:   func(th []float64) float64 { return l.eval(th, nil) },
		Gradient: func(dst, th []float64) float64 { return l.eval(th, dst) },
	}
	est, info, err := maximize(ctx, p, opts, tup.Len())
	if err != nil {
		return nil, fmt.Errorf("BG/BB: %w", err)
	}
	info.Warnings = append(info.Warnings, edgeWarnings(bgbbNames, est)...)
	return &BGBB{Alpha: est[0], Beta: est[1], Gamma: est[2], Delta: est[3], Info: info}, nil
}

// checkBGBBInformative rejects data from which the BG/BB cannot be
// estimated: no repeat transaction at all (p → 0, nothing to tell
// dropout from inactivity), or every customer transacting at every
// opportunity (p → 1, θ → 0), including the case of no opportunities.
func checkBGBBInformative(t mle.Tuples) error {
	var sumX, allBusy float64
	for j, w := range t.Weights {
		sumX += w * t.Cols[0][j]
		if t.Cols[0][j] == t.Cols[2][j] {
			allBusy += w
		}
	}
	switch {
	case sumX == 0:
		return fmt.Errorf("%w: no repeat transactions; BG/BB cannot be fitted", ErrBadData)
	case allBusy == t.Total:
		return fmt.Errorf("%w: every customer transacted at every opportunity; BG/BB cannot be fitted", ErrBadData)
	}
	return nil
}

// edgeWarnings flags estimates that ran towards the edge of the parameter
// space (below 1e-3 or above 1e4): the likelihood is then nearly flat in
// that direction (for the beta mixing distributions, a limit such as no
// heterogeneity), so the value itself means little although predictions
// may still be sound.
func edgeWarnings(names []string, est []float64) []string {
	var w []string
	for i, v := range est {
		if v < 1e-3 || v > 1e4 {
			w = append(w, fmt.Sprintf("%s = %.4g is at the edge of the parameter space: weakly identified (a limiting case of the model fits the data)", names[i], v))
		}
	}
	return w
}

// LogLikelihood returns the weighted log-likelihood of the discrete-time
// histories d under m (d is validated as in FitBGBB).
func (m *BGBB) LogLikelihood(d Data) (float64, error) {
	tup, err := collapseDiscrete(d)
	if err != nil {
		return 0, err
	}
	l := newBGBBLik(tup.Cols[0], tup.Cols[1], tup.Cols[2], tup.Weights)
	return l.eval([]float64{m.Alpha, m.Beta, m.Gamma, m.Delta}, nil), nil
}

// collapseDiscrete validates discrete-time data and merges identical
// (x, t_x, n) rows into weighted tuples (in order of first appearance, rows
// of weight 0 dropped), as mle.Collapse does. Because the values are small
// whole numbers it keys a map on one packed integer, which is several times
// faster than a general float key for millions of rows.
func collapseDiscrete(d Data) (mle.Tuples, error) {
	if err := checkDiscreteData(d); err != nil {
		return mle.Tuples{}, err
	}
	const bits = 21 // x, t_x, n < 2^21 each fit one uint64 key
	maxN := 0.0
	for _, n := range d.T {
		maxN = math.Max(maxN, n)
	}
	var tup mle.Tuples
	if maxN >= 1<<bits {
		var err error
		if tup, err = mle.Collapse(d.Weights, d.Frequency, d.Recency, d.T); err != nil {
			return mle.Tuples{}, fmt.Errorf("%w: %v", ErrBadData, err)
		}
	} else {
		seen := make(map[uint64]int32, 64)
		var x, tx, n []float64
		for i, xi := range d.Frequency {
			w := 1.0
			if d.Weights != nil {
				if w = d.Weights[i]; w == 0 {
					continue
				}
			}
			txi, ni := d.Recency[i], d.T[i]
			key := uint64(xi) | uint64(txi)<<bits | uint64(ni)<<(2*bits)
			if j, ok := seen[key]; ok {
				tup.Weights[j] += w
			} else {
				seen[key] = int32(len(tup.Weights))
				tup.Weights = append(tup.Weights, w)
				x, tx, n = append(x, xi), append(tx, txi), append(n, ni)
			}
			tup.Total += w
		}
		tup.Cols = [][]float64{x, tx, n}
	}
	if !(tup.Total > 0) {
		return mle.Tuples{}, fmt.Errorf("%w: weights sum to %v", ErrBadData, tup.Total)
	}
	return tup, nil
}

// bgbbLik evaluates the weighted BG/BB log-likelihood of collapsed
// histories and its gradient.
//
// For each tuple the likelihood (see BGBB) is the alive term A plus the
// dropout terms D_0, …, D_{n-t_x-1}. The dropout terms depend on x and t_x
// only, not on n, and follow one another by the ratios
//
//	D_{i+1}/D_i = (β+t_x-x+i)/(α+β+t_x+i) · (δ+t_x+i)/(γ+δ+1+t_x+i)
//
// which are below 1. The tuples are therefore grouped by (x, t_x) and sorted
// by n within a group; one pass per group accumulates the prefix sums
// Σ_{i<m} D_i/D_0 (and, for the gradient, the prefix sums of D_i/D_0 times
// the derivatives of ln(D_i/D_0), which are running sums of the derivatives
// of the log ratios) and reads them off at each tuple's m = n - t_x. The
// cost is one term per opportunity of the longest history of each group
// rather than of every tuple, with no logarithm or log-gamma in the loop.
// The log-gamma and digamma values in ln A and ln D_0 depend on one whole
// number each (x, n-x, t_x-x, n, t_x, t_x+1), so they are computed once per
// distinct value per evaluation and looked up.
type bgbbLik struct {
	// Tuples sorted by (x, t_x, n); groups[k]:groups[k+1] is the range of
	// the k-th (x, t_x) group.
	x, tx, n, w []float64
	groups      []int
	// Per tuple, the index in vals of x, n-x, t_x-x, n, t_x and t_x+1.
	ix, iyA, iyD, in, it, it1 []int32
	// vals are the distinct whole numbers used; the tables hold, per value
	// v, lgamma and digamma of α+v, β+v, α+β+v, δ+v and γ+δ+v.
	vals                 []float64
	la, lb, lab, ld, lgd []float64
	pa, pb, pab, pd, pgd []float64
}

func newBGBBLik(x, tx, n, w []float64) *bgbbLik {
	k := len(w)
	order := make([]int, k)
	for j := range order {
		order[j] = j
	}
	slices.SortFunc(order, func(i, j int) int {
		if c := cmp.Compare(x[i], x[j]); c != 0 {
			return c
		}
		if c := cmp.Compare(tx[i], tx[j]); c != 0 {
			return c
		}
		return cmp.Compare(n[i], n[j])
	})
	l := &bgbbLik{x: make([]float64, k), tx: make([]float64, k), n: make([]float64, k), w: make([]float64, k)}
	for j, o := range order {
		l.x[j], l.tx[j], l.n[j], l.w[j] = x[o], tx[o], n[o], w[o]
		if j == 0 || l.x[j] != l.x[j-1] || l.tx[j] != l.tx[j-1] {
			l.groups = append(l.groups, j)
		}
	}
	l.groups = append(l.groups, k)
	pos := map[float64]int32{}
	index := func(v float64) int32 {
		j, ok := pos[v]
		if !ok {
			j = int32(len(l.vals))
			pos[v] = j
			l.vals = append(l.vals, v)
		}
		return j
	}
	l.ix, l.iyA, l.iyD = make([]int32, k), make([]int32, k), make([]int32, k)
	l.in, l.it, l.it1 = make([]int32, k), make([]int32, k), make([]int32, k)
	for j := range l.w {
		l.ix[j] = index(l.x[j])
		l.iyA[j] = index(l.n[j] - l.x[j])
		l.iyD[j] = index(l.tx[j] - l.x[j])
		l.in[j] = index(l.n[j])
		l.it[j] = index(l.tx[j])
		l.it1[j] = index(l.tx[j] + 1)
	}
	m := len(l.vals)
	for _, t := range []*[]float64{&l.la, &l.lb, &l.lab, &l.ld, &l.lgd, &l.pa, &l.pb, &l.pab, &l.pd, &l.pgd} {
		*t = make([]float64, m)
	}
	return l
}

// eval returns the log-likelihood at theta = (α, β, γ, δ) and, when grad is
// not nil, stores the gradient in grad. It allocates nothing.
func (l *bgbbLik) eval(theta, grad []float64) float64 {
	a, b, g, d := theta[0], theta[1], theta[2], theta[3]
	withGrad := grad != nil
	for j, v := range l.vals {
		l.la[j] = mle.Lgamma(a + v)
		l.lb[j] = mle.Lgamma(b + v)
		l.lab[j] = mle.Lgamma(a + b + v)
		l.ld[j] = mle.Lgamma(d + v)
		l.lgd[j] = mle.Lgamma(g + d + v)
		if withGrad {
			l.pa[j] = mathext.Digamma(a + v)
			l.pb[j] = mathext.Digamma(b + v)
			l.pab[j] = mathext.Digamma(a + b + v)
			l.pd[j] = mathext.Digamma(d + v)
			l.pgd[j] = mathext.Digamma(g + d + v)
		}
	}
	base := -mathext.Lbeta(a, b) - mathext.Lbeta(g, d)
	lgG, lgG1 := mle.Lgamma(g), mle.Lgamma(g+1)
	var psiA, psiB, psiAB, psiD, psiGD float64
	if withGrad {
		psiA, psiB, psiAB = mathext.Digamma(a), mathext.Digamma(b), mathext.Digamma(a+b)
		psiD, psiGD = mathext.Digamma(d), mathext.Digamma(g+d)
	}
	var ll, ga, gb, gg, gd float64
	for k := 0; k+1 < len(l.groups); k++ {
		lo, hi := l.groups[k], l.groups[k+1]
		x, tx := l.x[lo], l.tx[lo]
		y := tx - x
		// ln D_0 = ln B(α+x, β+t_x-x) + ln B(γ+1, δ+t_x) - ln B(α, β) - ln B(γ, δ),
		// and its derivatives.
		ix, iyD, it, it1 := l.ix[lo], l.iyD[lo], l.it[lo], l.it1[lo]
		lD := l.la[ix] + l.lb[iyD] - l.lab[it] + lgG1 + l.ld[it] - l.lgd[it1] + base
		var dDa, dDb, dDg, dDd float64
		if withGrad {
			dDa = l.pa[ix] - l.pab[it] - psiA + psiAB
			dDb = l.pb[iyD] - l.pab[it] - psiB + psiAB
			dDg = 1/g - l.pgd[it1] + psiGD // ψ(γ+1) - ψ(γ) = 1/γ
			dDd = l.pd[it] - l.pgd[it1] - psiD + psiGD
		}
		// Prefix sums over the dropout terms i < next: P = Σ D_i/D_0 and
		// S· = Σ (D_i/D_0) ∂ln(D_i/D_0); r and c· belong to term next.
		var P, sa, sb, sg, sd, ca, cb, cg, cd float64
		r, next := 1.0, 0.0
		for j := lo; j < hi; j++ {
			wj, nj := l.w[j], l.n[j]
			in, iyA := l.in[j], l.iyA[j]
			// ln A = ln B(α+x, β+n-x) + ln B(γ, δ+n) - ln B(α, β) - ln B(γ, δ).
			lA := l.la[ix] + l.lb[iyA] - l.lab[in] + lgG + l.ld[in] - l.lgd[in] + base
			var dAa, dAb, dAg, dAd float64
			if withGrad {
				dAa = l.pa[ix] - l.pab[in] - psiA + psiAB
				dAb = l.pb[iyA] - l.pab[in] - psiB + psiAB
				dAg = psiGD - l.pgd[in]
				dAd = l.pd[in] - l.pgd[in] - psiD + psiGD
			}
			for m := nj - tx; next < m; next++ {
				P += r
				if withGrad {
					sa += r * ca
					sb += r * cb
					sg += r * cg
					sd += r * cd
				}
				u := a + b + tx + next
				v := g + d + 1 + tx + next
				by := b + y + next
				dt := d + tx + next
				iuv := 1 / (u * v)
				r *= by * dt * iuv
				if withGrad {
					// Two divisions give the four reciprocals.
					iu, iv := v*iuv, u*iuv
					ibd := 1 / (by * dt)
					ca -= iu
					cb += dt*ibd - iu
					cg -= iv
					cd += by*ibd - iv
				}
			}
			if P == 0 { // t_x = n: only the alive term
				ll += wj * lA
				if withGrad {
					ga += wj * dAa
					gb += wj * dAb
					gg += wj * dAg
					gd += wj * dAd
				}
				continue
			}
			ref := math.Max(lA, lD+math.Log(P))
			eA := math.Exp(lA - ref)
			eD := math.Exp(lD - ref)
			sum := eA + eD*P
			ll += wj * (ref + math.Log(sum))
			if withGrad {
				f := wj / sum
				ga += f * (eA*dAa + eD*(P*dDa+sa))
				gb += f * (eA*dAb + eD*(P*dDb+sb))
				gg += f * (eA*dAg + eD*(P*dDg+sg))
				gd += f * (eA*dAd + eD*(P*dDd+sd))
			}
		}
	}
	if withGrad {
		grad[0], grad[1], grad[2], grad[3] = ga, gb, gg, gd
	}
	return ll
}
