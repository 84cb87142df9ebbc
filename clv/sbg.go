package clv

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mathext"

	"github.com/valuekit/valuekit/internal/mle"
)

// SBG is the shifted-beta-geometric model of Fader & Hardie (2007) for
// contractual settings, where each customer renews (a subscription, a
// membership, a contract) or cancels at the end of each period and a
// cancellation is observed.
//
// # Model
//
// A customer's lifetime T (the period at the end of which the customer
// cancels; T = 1, 2, …) is geometric with churn probability θ, and θ varies
// across customers as Beta(α, β):
//
//	P(T = t | θ) = θ (1-θ)^(t-1)
//	P(T = t) = B(α+1, β+t-1) / B(α, β)
//	S(t) = P(T > t) = B(α, β+t) / B(α, β)
//
// computed with the recursions
//
//	P(T = 1) = α/(α+β),   P(T = t) = (β+t-2)/(α+β+t-1) · P(T = t-1)
//	r(t) = S(t)/S(t-1) = (β+t-1)/(α+β+t-1)
//
// The retention rate r(t) rises with t: heterogeneity alone (the customers
// most likely to cancel leave first) makes a cohort's retention improve,
// without any customer's own θ changing.
//
// # Likelihood
//
// For a cohort with n_t customers active at the start of period t
// (t = 0, …, k; n_0 the cohort size), n_{t-1}-n_t customers had T = t and the
// n_k survivors are right-censored (T > k):
//
//	LL(α, β) = Σ_{t=1}^{k} (n_{t-1} - n_t) ln P(T = t) + n_k ln S(k)
//
// # Discounted lifetime
//
// With a cash flow at the start of each period the customer is active and a
// discount rate d per period, the discounted expected lifetime of a new
// customer (Fader & Hardie 2010, DEL) and the discounted expected residual
// lifetime of a customer who has renewed n times, valued just before the
// next renewal (DERL; the renewal about to happen is not discounted) are
//
//	DEL(d) = Σ_{t>=0} S(t)/(1+d)^t = 2F1(1, β; α+β; 1/(1+d))
//	DERL(d, n) = Σ_{t>=0} S(n+1+t)/S(n) / (1+d)^t
//	           = (β+n)/(α+β+n) · 2F1(1, β+n+1; α+β+n+1; 1/(1+d))
//
// so that DEL(d) = 1 + DERL(d, 0)/(1+d). Multiplied by the margin per period
// they are the expected lifetime value of a new customer and the expected
// residual lifetime value of an existing one.
//
// # References
//
//   - Fader, P. S. & Hardie, B. G. S. (2007). How to project customer
//     retention. Journal of Interactive Marketing 21(1), 76–90.
//   - Fader, P. S. & Hardie, B. G. S. (2010). Customer-base valuation in a
//     contractual setting: the perils of ignoring heterogeneity. Marketing
//     Science 29(1), 85–93.
type SBG struct {
	// Alpha and Beta are the shape parameters of the beta distribution of
	// the churn probability θ. Both must be greater than 0.
	Alpha, Beta float64

	// Info describes the fit; nil for a model built from given parameters.
	Info *FitInfo
	// Timing is the unit and period of the data the model was fitted on
	// (zero: unknown); see Timing.
	Timing Timing
}

var _ Model = (*SBG)(nil)

var sbgNames = []string{"alpha", "beta"}

// NewSBG returns an sBG model with the given parameters, or an error
// wrapping ErrBadParams unless both are positive and finite.
func NewSBG(alpha, beta float64) (*SBG, error) {
	if err := checkPositive(NameSBG, sbgNames, alpha, beta); err != nil {
		return nil, err
	}
	return &SBG{Alpha: alpha, Beta: beta}, nil
}

// Name returns "sbg".
func (m *SBG) Name() string { return NameSBG }

// Params returns alpha and beta, in that order.
func (m *SBG) Params() Params {
	return Params{Names: sbgNames, Values: []float64{m.Alpha, m.Beta}}
}

// FitInfo returns the fit description (nil when built from parameters).
func (m *SBG) FitInfo() *FitInfo { return m.Info }

func (m *SBG) setInfo(info *FitInfo) { m.Info = info }
func (m *SBG) timing() *Timing       { return &m.Timing }

// String formats the parameters.
func (m *SBG) String() string {
	return fmt.Sprintf("sBG(alpha=%.4g, beta=%.4g)", m.Alpha, m.Beta)
}

// Survival returns S(t) = P(T > t), the probability that a new customer is
// still active after t periods (1 for t <= 0).
func (m *SBG) Survival(t int) float64 {
	if t <= 0 {
		return 1
	}
	return math.Exp(m.logSurvival(float64(t)))
}

// logSurvival returns log S(t) = lB(α, β+t) − lB(α, β), written as
// [lnΓ(α+β) − lnΓ(β)] − [lnΓ(α+β+t) − lnΓ(β+t)] so that the log-gammas of
// β+t in the hundreds of thousands are differenced without cancellation
// (mle.LogGammaRatio).
func (m *SBG) logSurvival(t float64) float64 {
	return mle.LogGammaRatio(m.Beta, m.Alpha) - mle.LogGammaRatio(m.Beta+t, m.Alpha)
}

// Retention returns the retention rate r(t) = S(t)/S(t-1), the share of the
// customers active in period t-1 who renew at its end into period t (1 for
// t <= 0).
func (m *SBG) Retention(t int) float64 {
	if t <= 0 {
		return 1
	}
	return (m.Beta + float64(t-1)) / (m.Alpha + m.Beta + float64(t-1))
}

// ChurnProb returns P(T = t), the probability that a new customer cancels
// at the end of period t (0 for t <= 0).
func (m *SBG) ChurnProb(t int) float64 {
	if t <= 0 {
		return 0
	}
	return math.Exp(m.logChurn(float64(t)))
}

func (m *SBG) logChurn(t float64) float64 {
	return mathext.Lbeta(m.Alpha+1, m.Beta+t-1) - mathext.Lbeta(m.Alpha, m.Beta)
}

// ProjectAlive returns the expected number of customers of a cohort of n0
// still active at the start of periods 0, 1, …, periods: dst[t] = n0 S(t),
// of length periods+1 and in the layout FitSBG takes. It returns nil when
// periods < 0 or n0 is negative, infinite or NaN.
func (m *SBG) ProjectAlive(n0 float64, periods int) []float64 {
	if periods < 0 || !(n0 >= 0) || math.IsInf(n0, 1) {
		return nil
	}
	dst := make([]float64, periods+1)
	s := 1.0
	for t := range dst {
		if t > 0 {
			s *= m.Retention(t)
		}
		dst[t] = n0 * s
	}
	return dst
}

// ExpectedLifetime returns E[T], the expected number of periods a new
// customer stays (counting the first): β/(α-1) + 1 for α > 1, +Inf for
// α <= 1 (the beta mixture of geometrics has no finite mean then).
func (m *SBG) ExpectedLifetime() float64 {
	if m.Alpha <= 1 {
		return math.Inf(1)
	}
	return 1 + m.Beta/(m.Alpha-1)
}

// DEL returns the discounted expected lifetime of a new customer: the
// expected number of periods the customer is active, the period starting
// now undiscounted and period t discounted by (1+d)^t, d the discount rate
// per period. d = 0 gives ExpectedLifetime (which may be +Inf). The error
// wraps ErrBadParams for a negative, infinite or NaN d.
func (m *SBG) DEL(d float64) (float64, error) {
	if err := checkDiscount(d); err != nil {
		return 0, err
	}
	if d == 0 {
		return m.ExpectedLifetime(), nil
	}
	return hyp2f1a1(m.Alpha, m.Beta, d), nil
}

// DERL returns the discounted expected residual lifetime of a customer who
// has renewed n times (is in period n+1 of the contract), valued just before
// the next renewal decision: the expected number of further periods, the
// first (which starts at the renewal about to be decided) undiscounted and
// each later one discounted by a further factor 1+d. Multiplied by the
// margin per period it is the customer's expected residual lifetime value
// (Fader & Hardie 2010). d = 0 gives the undiscounted expected residual
// lifetime (β+n)/(α-1), +Inf for α <= 1. The error wraps ErrBadParams for a
// negative, infinite or NaN d or a negative n.
func (m *SBG) DERL(d float64, n int) (float64, error) {
	if err := checkDiscount(d); err != nil {
		return 0, err
	}
	if n < 0 {
		return 0, fmt.Errorf("%w: sbg DERL: %d renewals, must be >= 0", ErrBadParams, n)
	}
	nf := float64(n)
	if d == 0 {
		if m.Alpha <= 1 {
			return math.Inf(1), nil
		}
		return (m.Beta + nf) / (m.Alpha - 1), nil
	}
	return (m.Beta + nf) / (m.Alpha + m.Beta + nf) * hyp2f1a1(m.Alpha, m.Beta+nf+1, d), nil
}

func checkDiscount(d float64) error {
	if !(d >= 0) || math.IsInf(d, 1) {
		return fmt.Errorf("%w: discount rate %v, must be finite and >= 0", ErrBadParams, d)
	}
	return nil
}

// hyp2f1a1 returns the Gauss hypergeometric function ₂F₁(1, b; a+b; z),
// z = 1/(1+d), for a, b > 0 and d > 0. As E[(1−θ)^j] = (b)_j/(a+b)_j for
// θ ~ Beta(a, b),
//
//	₂F₁(1, b; a+b; z) = Σ_j (b)_j/(a+b)_j z^j = (1+d) E[1/(d+θ)],
//
// the expected discounted number of periods of a customer whose churn
// probability θ is Beta(a, b). For d ≥ 0.01 the series, whose positive
// terms fall at least like z^j, is summed (at most ~4,000 terms); for
// smaller d, where it needs about 37/d terms, the expectation is
// integrated (betaMean). a is passed on its own rather than as c − b, so
// that it keeps its precision when b is large (β+n with n in the
// thousands).
func hyp2f1a1(a, b, d float64) float64 {
	z := 1 / (1 + d)
	if d >= 0.01 {
		c := a + b
		sum, term := 1.0, 1.0
		for j := 0; j < 100_000; j++ {
			fj := float64(j)
			term *= (b + fj) / (c + fj) * z
			sum += term
			if term <= 1e-17*sum {
				return sum
			}
		}
	}
	return (1 + d) * betaMean(a, b, d, func(th float64) float64 { return 1 / (d + th) })
}
