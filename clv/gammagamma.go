package clv

import (
	"context"
	"fmt"
	"math"

	"gonum.org/v1/gonum/mathext"
	"gonum.org/v1/gonum/stat"

	"github.com/valuekit/valuekit/internal/mle"
)

// GammaGamma is the spend model of Fader, Hardie & Lee (2005) in the
// parameterisation of Fader & Hardie (2013): each transaction's value is
// Gamma(P, ν) with the customer's rate ν ~ Gamma(Q, V), independently of
// the transaction process. See the package documentation for the formulas.
type GammaGamma struct {
	// P is the shape of the per-transaction spend gamma; must be > 0.
	P float64
	// Q and V are the shape and rate ("γ" in the papers) of the gamma
	// distribution of ν; both must be > 0. The mean spend of the population,
	// P·V/(Q−1), is finite only for Q > 1.
	Q, V float64
	// FreqSpendCorr is the weighted Pearson correlation between the number
	// of transactions and the mean spend of the customers used in the fit
	// (NaN for a model built from parameters). The model assumes the two
	// are independent; a fit adds a warning when |FreqSpendCorr| > 0.3.
	FreqSpendCorr float64
	// Info describes the fit; nil for a model built from parameters.
	Info *FitInfo
	// Timing is the unit and period of the data the model was fitted on
	// (zero: unknown); see Timing.
	Timing Timing
}

var _ Model = (*GammaGamma)(nil)

var ggNames = []string{"p", "q", "v"}

// freqSpendWarnCorr is the |correlation| above which a fit warns that the
// independence assumption looks doubtful.
const freqSpendWarnCorr = 0.3

// NewGammaGamma returns a Gamma-Gamma model with the given parameters, or an
// error wrapping ErrBadParams unless all are positive and finite.
func NewGammaGamma(p, q, v float64) (*GammaGamma, error) {
	if err := checkPositive(NameGammaGamma, ggNames, p, q, v); err != nil {
		return nil, err
	}
	return &GammaGamma{P: p, Q: q, V: v, FreqSpendCorr: math.NaN()}, nil
}

// Name returns "gg".
func (m *GammaGamma) Name() string { return NameGammaGamma }

// Params returns p, q, v.
func (m *GammaGamma) Params() Params {
	return Params{Names: ggNames, Values: []float64{m.P, m.Q, m.V}}
}

// FitInfo returns the fit description (nil when built from parameters).
func (m *GammaGamma) FitInfo() *FitInfo { return m.Info }

func (m *GammaGamma) setInfo(info *FitInfo) { m.Info = info }
func (m *GammaGamma) timing() *Timing       { return &m.Timing }

// String formats the parameters.
func (m *GammaGamma) String() string {
	return fmt.Sprintf("Gamma-Gamma(p=%.4g, q=%.4g, v=%.4g)", m.P, m.Q, m.V)
}

// MeanSpend returns the population mean spend per transaction p·v/(q−1),
// +Inf when q ≤ 1.
func (m *GammaGamma) MeanSpend() float64 {
	if m.Q <= 1 {
		return math.Inf(1)
	}
	return m.P * m.V / (m.Q - 1)
}

// ConditionalExpectedSpend returns the expected spend per transaction of a
// customer whose x transactions had mean value mean (Fader & Hardie 2013,
// eq. 6):
//
//	p (v + x·mean) / (p x + q − 1)
//	  = (q−1)/(px+q−1) · p v/(q−1) + px/(px+q−1) · mean,
//
// a weighted average of the population mean and the customer's own mean.
// For x = 0 it is the population mean (+Inf when q ≤ 1). NaN for x < 0 or
// a negative mean.
func (m *GammaGamma) ConditionalExpectedSpend(x, mean float64) float64 {
	if !(x >= 0) || !(mean >= 0) {
		return math.NaN()
	}
	den := m.P*x + m.Q - 1
	if den <= 0 {
		return math.Inf(1)
	}
	return m.P * (m.V + x*mean) / den
}

// FitGammaGamma fits the Gamma-Gamma model to the customers of d with
// Frequency > 0, using Frequency as x (the number of transactions averaged)
// and Monetary as their mean value; rows with Frequency = 0 are skipped.
// The likelihood (Fader & Hardie 2013, eq. 4) is
//
//	LL = Σ w [ lnΓ(px+q) − lnΓ(px) − lnΓ(q) + q ln v + px ln x
//	          + (px−1) ln m − (px+q) ln(v + m x) ],
//
// maximised on distinct (x, m) pairs with the analytic gradient. Errors wrap
// ErrBadData (no usable rows, Monetary ≤ 0 or missing for a row with
// Frequency > 0) or ErrNotConverged.
func FitGammaGamma(ctx context.Context, d Data, opts *FitOptions) (*GammaGamma, error) {
	n := len(d.Frequency)
	if len(d.Monetary) != n {
		return nil, fmt.Errorf("%w: %d monetary values for %d customers", ErrBadData, len(d.Monetary), n)
	}
	if d.Weights != nil && len(d.Weights) != n {
		return nil, fmt.Errorf("%w: %d weights for %d customers", ErrBadData, len(d.Weights), n)
	}
	rows := 0 // the rows kept, so that the three columns are allocated once
	for i, x := range d.Frequency {
		if x > 0 && d.Weight(i) > 0 {
			rows++
		}
	}
	xs, ms, ws := make([]float64, 0, rows), make([]float64, 0, rows), make([]float64, 0, rows)
	for i := 0; i < n; i++ {
		x, mv, w := d.Frequency[i], d.Monetary[i], d.Weight(i)
		switch {
		case !(x >= 0) || math.IsInf(x, 0):
			return nil, badValue("frequency", i, x, "want finite and >= 0")
		case !(w >= 0) || math.IsInf(w, 0):
			return nil, badValue("weights", i, w, "want finite and >= 0")
		case x == 0 || w == 0:
			continue
		case !(mv > 0) || math.IsInf(mv, 0):
			return nil, badValue("monetary_value", i, mv, fmt.Sprintf("want positive and finite with frequency %v (drop or fix customers whose purchases are all zero or refunds)", x))
		}
		xs, ms, ws = append(xs, x), append(ms, mv), append(ws, w)
	}
	if len(xs) < 2 {
		return nil, fmt.Errorf("%w: %d customers with frequency > 0 and a monetary value, need at least 2 (the spend model is fitted to the mean value of repeat purchases)", ErrBadData, len(xs))
	}
	corr := stat.Correlation(xs, ms, ws)
	tu, err := mle.Collapse(ws, xs, ms)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBadData, err)
	}
	meanM := stat.Mean(ms, ws)
	init, err := opts.start([]float64{1, 2, meanM})
	if err != nil {
		return nil, err
	}
	ll := newGGLik(tu)
	p := mle.Problem{
		Names:    ggNames,
		Init:     init,
		N:        tu.Total,
		LogLik:   func(th []float64) float64 { return ll.eval(th, nil) },
		Gradient: func(dst, th []float64) float64 { return ll.eval(th, dst) },
	}
	est, info, err := maximize(ctx, p, opts, tu.Len())
	if err != nil {
		return nil, fmt.Errorf("Gamma-Gamma: %w", err)
	}
	if math.Abs(corr) > freqSpendWarnCorr {
		info.Warnings = append(info.Warnings, fmt.Sprintf("frequency and mean spend are correlated (r = %.3f); the Gamma-Gamma model assumes independence", corr))
	}
	return &GammaGamma{P: est[0], Q: est[1], V: est[2], FreqSpendCorr: corr, Info: info}, nil
}

// ggLik evaluates the Gamma-Gamma log-likelihood and gradient on collapsed
// (x, m) pairs.
type ggLik struct {
	x, m, w       []float64
	lmx           []float64 // ln(m x) per pair
	xs            []float64
	xi            []int32
	sumWLogM      float64 // Σ w ln m
	sumW          float64
	lgx, dpx, dqx []float64
	nxw           []float64 // Σ w per distinct x
}

func newGGLik(tu mle.Tuples) *ggLik {
	l := &ggLik{x: tu.Cols[0], m: tu.Cols[1], w: tu.Weights, sumW: tu.Total}
	l.xs, l.xi = mle.Index(l.x)
	l.lgx = make([]float64, len(l.xs))
	l.dpx = make([]float64, len(l.xs))
	l.dqx = make([]float64, len(l.xs))
	l.nxw = make([]float64, len(l.xs))
	l.lmx = make([]float64, len(l.w))
	for i, w := range l.w {
		lm := math.Log(l.m[i])
		l.lmx[i] = math.Log(l.x[i]) + lm
		l.sumWLogM += w * lm
		l.nxw[l.xi[i]] += w
	}
	return l
}

// eval returns the log-likelihood (and its gradient into grad when not
// nil). Per pair the terms px ln x + (px−1) ln m − (px+q) ln(v+mx), each
// near 1e9 for p = x = m = 1e4 while their sum is a few units, are
// rearranged into
//
//	−px·L − ln m − q (ln(mx) + L),   L = log1p(v/(mx)),
//
// which cancels nothing and still costs one logarithm per pair (ln(mx) is
// computed once).
func (l *ggLik) eval(th, grad []float64) float64 {
	p, q, v := th[0], th[1], th[2]
	lq := mle.Lgamma(q)
	psiQ := 0.0
	if grad != nil {
		psiQ = mathext.Digamma(q)
	}
	// Terms that depend on x only, weighted by the total weight of that x.
	sum := -l.sumWLogM + l.sumW*(q*math.Log(v)-lq)
	var gp, gq, gv float64
	if grad != nil {
		gq = l.sumW * (math.Log(v) - psiQ)
		gv = l.sumW * q / v
	}
	for j, x := range l.xs {
		px := p * x
		sum += l.nxw[j] * mle.LogGammaRatio(px, q)
		if grad != nil {
			psi := mathext.Digamma(px + q)
			gp += l.nxw[j] * x * (psi - mathext.Digamma(px))
			gq += l.nxw[j] * psi
		}
	}
	for i, w := range l.w {
		x := l.x[i]
		mx := l.m[i] * x
		L := math.Log1p(v / mx)
		ld := l.lmx[i] + L // ln(v + m x)
		sum -= w * (p*x*L + q*ld)
		if grad != nil {
			gp -= w * x * L
			gq -= w * ld
			gv -= w * (p*x + q) / (v + mx)
		}
	}
	if grad != nil {
		grad[0], grad[1], grad[2] = gp, gq, gv
	}
	return sum
}
