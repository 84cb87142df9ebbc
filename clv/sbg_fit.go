package clv

import (
	"context"
	"fmt"
	"math"

	"gonum.org/v1/gonum/mathext"

	"github.com/valuekit/valuekit/internal/mle"
)

// FitSBG estimates an sBG model by maximum likelihood from a cohort's
// survivor counts: alive[k] is the number (or share) of the cohort's
// customers still active at the start of period k, alive[0] the cohort size,
// as in the tables of Fader & Hardie (2007). The counts need not be whole
// numbers (percentages work; the log-likelihood and standard errors then
// refer to that many customers). The customers lost in period k,
// alive[k-1] - alive[k], are observed lifetimes T = k; the alive[len-1]
// customers still active are right-censored.
//
// alive must have at least three values (two periods: one period only
// identifies the mean churn rate), all finite and >= 0, alive[0] > 0, and
// be non-increasing; some customers must churn, and not all in the first
// period (the likelihood then has no interior maximum). A violation is an
// error wrapping ErrBadData; a bad count is an *event.ValueError naming
// its index in alive. ctx cancels the
// optimisation; a fit that does not converge is an error wrapping
// ErrNotConverged. When retention does not rise over the periods (no
// sign of heterogeneity) α and β grow without bound with α/(α+β) near the
// churn rate; the fit is returned with a warning in Info.Warnings, and its
// projections are those of a constant retention rate.
func FitSBG(ctx context.Context, alive []float64, opts *FitOptions) (*SBG, error) {
	if err := checkAlive(alive); err != nil {
		return nil, err
	}
	k := len(alive) - 1
	switch {
	case k < 2:
		return nil, fmt.Errorf("%w: sbg: one period identifies only the mean churn rate; α and β need counts for at least two periods (three values)", ErrBadData)
	case alive[k] == alive[0]:
		return nil, fmt.Errorf("%w: sbg: no customer churned in %d periods; the sBG cannot be fitted", ErrBadData, k)
	case alive[1] == 0:
		return nil, fmt.Errorf("%w: sbg: every customer churned in the first period; the sBG cannot be fitted", ErrBadData)
	}
	init, err := opts.start([]float64{1, 1})
	if err != nil {
		return nil, err
	}
	p := mle.Problem{
		Names:    sbgNames,
		Init:     init,
		N:        alive[0],
		LogLik:   func(th []float64) float64 { return sbgLogLik(nil, th, alive) },
		Gradient: func(dst, th []float64) float64 { return sbgLogLik(dst, th, alive) },
	}
	est, info, err := maximize(ctx, p, opts, len(alive))
	if err != nil {
		return nil, fmt.Errorf("sBG: %w", err)
	}
	info.Warnings = append(info.Warnings, edgeWarnings(sbgNames, est)...)
	return &SBG{Alpha: est[0], Beta: est[1], Info: info}, nil
}

// LogLikelihood returns the sBG log-likelihood of a cohort's survivor
// counts (laid out as for FitSBG), or an error wrapping ErrBadData when the
// counts are invalid.
func (m *SBG) LogLikelihood(alive []float64) (float64, error) {
	if err := checkAlive(alive); err != nil {
		return 0, err
	}
	return sbgLogLik(nil, []float64{m.Alpha, m.Beta}, alive), nil
}

// sbgLogLik returns the sBG log-likelihood of checked counts at
// theta = (α, β) and, when dst is not nil, stores its gradient in dst. It
// uses the recursion P(T = t) = (β+t-2)/(α+β+t-1) P(T = t-1) and, for the
// derivatives, the digamma differences as finite sums:
//
//	∂ ln P(T = t)/∂α = 1/α - H_ab(t),   ∂ ln P(T = t)/∂β = H_b(t-1) - H_ab(t)
//	∂ ln S(k)/∂α = -H_ab(k),            ∂ ln S(k)/∂β = H_b(k) - H_ab(k)
//
// with H_ab(t) = Σ_{j<t} 1/(α+β+j) and H_b(t) = Σ_{j<t} 1/(β+j). It
// allocates nothing.
func sbgLogLik(dst, theta, alive []float64) float64 {
	a, b := theta[0], theta[1]
	lp := math.Log(a) - math.Log(a+b) // ln P(T = 1)
	hab := 1 / (a + b)                // H_ab(1)
	hb := 0.0                         // H_b(0)
	var ll, ga, gb float64
	for t := 1; t < len(alive); t++ {
		if t > 1 {
			tf := float64(t)
			lp += math.Log((b + tf - 2) / (a + b + tf - 1))
			hb += 1 / (b + tf - 2)
			hab += 1 / (a + b + tf - 1)
		}
		if lost := alive[t-1] - alive[t]; lost > 0 {
			ll += lost * lp
			ga += lost * (1/a - hab)
			gb += lost * (hb - hab)
		}
	}
	k := len(alive) - 1
	if n := alive[k]; n > 0 {
		ll += n * (mathext.Lbeta(a, b+float64(k)) - mathext.Lbeta(a, b))
		// hab is H_ab(k); H_b(k) adds the j = k-1 term.
		ga -= n * hab
		gb += n * (hb + 1/(b+float64(k)-1) - hab)
	}
	if dst != nil {
		dst[0], dst[1] = ga, gb
	}
	return ll
}

// checkAlive validates survivor counts: at least two, finite, >= 0, the
// first > 0 and non-increasing.
func checkAlive(alive []float64) error {
	if len(alive) < 2 {
		return fmt.Errorf("%w: sbg needs the cohort size and at least one later count, got %d values", ErrBadData, len(alive))
	}
	for k, v := range alive {
		if !(v >= 0) || math.IsInf(v, 0) {
			return badValue("alive", k, v, "want finite and >= 0")
		}
		if k > 0 && v > alive[k-1] {
			return badValue("alive", k, v, fmt.Sprintf("want <= alive[%d] = %v: counts of active customers cannot increase", k-1, alive[k-1]))
		}
	}
	if alive[0] == 0 {
		return fmt.Errorf("%w: alive[0] (the cohort size) is 0", ErrBadData)
	}
	return nil
}
