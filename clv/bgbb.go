package clv

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mathext"

	"github.com/valuekit/valuekit/internal/mle"
)

// BGBB is the beta-geometric/beta-Bernoulli model of Fader, Hardie & Shang
// (2010) for discrete-time noncontractual settings: each period (a
// "transaction opportunity": a yearly fund drive, an event, a weekly
// newsletter) a customer either transacts or does not, and at some unobserved
// point becomes inactive for good.
//
// # Model
//
// While active, a customer transacts at each opportunity with probability p;
// at the start of each opportunity an active customer becomes inactive with
// probability θ, so that the customer is still active at opportunity t with
// probability (1-θ)^t. Across customers
//
//	p ~ Beta(α, β)    θ ~ Beta(γ, δ)
//
// independently. A customer's history over n opportunities after the first
// transaction is summarised by x (number of repeat transactions) and t_x (the
// opportunity of the last one, 0 when x = 0). In a Customer, Frequency is x,
// Recency is t_x and T is n.
//
// # Likelihood
//
// With B the beta function,
//
//	L(α, β, γ, δ | x, t_x, n) = B(α+x, β+n-x)/B(α, β) · B(γ, δ+n)/B(γ, δ)
//	    + Σ_{i=0}^{n-t_x-1} B(α+x, β+t_x-x+i)/B(α, β) · B(γ+1, δ+t_x+i)/B(γ, δ)
//
// The first term is a customer still active at n, the sum a customer who
// became inactive at opportunity t_x+i+1. Terms are evaluated in log space
// and combined with log-sum-exp.
//
// # Predictions
//
// The expected number of transactions of a new customer over n opportunities
// is
//
//	E[X(n)] = α/(α+β) · δ/(γ-1) · (1 - Γ(γ+δ)Γ(1+δ+n) / (Γ(γ+δ+n)Γ(1+δ)))
//
// (at γ = 1 its limit α/(α+β) · δ · (ψ(1+δ+n) - ψ(1+δ))). For a customer with
// history (x, t_x, n), the expected number over the next n* opportunities is
//
//	E[X(n, n+n*) | x, t_x, n] = 1/L · B(α+x+1, β+n-x)/B(α, β) · δ/(γ-1) · Γ(γ+δ)/Γ(1+δ)
//	    · (Γ(1+δ+n)/Γ(γ+δ+n) - Γ(1+δ+n+n*)/Γ(γ+δ+n+n*))
//
// the probability of being active at opportunity n+1 is
//
//	P(alive at n+1 | x, t_x, n) = B(α+x, β+n-x)/B(α, β) · B(γ, δ+n+1)/B(γ, δ) / L
//
// the probability that a new customer makes x transactions in n opportunities is
//
//	P(X(n) = x) = C(n, x) B(α+x, β+n-x)/B(α, β) · B(γ, δ+n)/B(γ, δ)
//	    + Σ_{i=x}^{n-1} C(i, x) B(α+x, β+i-x)/B(α, β) · B(γ+1, δ+i)/B(γ, δ)
//
// and the discounted expected residual transactions, with discount rate d per
// opportunity and the first future opportunity discounted once, are
//
//	DERT(d | x, t_x, n) = B(α+x+1, β+n-x)/B(α, β) · B(γ, δ+n+1)/(B(γ, δ)(1+d))
//	    · 2F1(1, δ+n+1; γ+δ+n+1; 1/(1+d)) / L
//
// # References
//
//   - Fader, P. S., Hardie, B. G. S. & Shang, J. (2010). Customer-base
//     analysis in a discrete-time noncontractual setting. Marketing Science
//     29(6), 1086–1108. Equations for the likelihood, P(X(n) = x), E[X(n)],
//     P(alive), the conditional expectation and DERT.
type BGBB struct {
	// Alpha and Beta are the shape parameters of the beta distribution of the
	// transaction probability p. Both must be greater than 0.
	Alpha, Beta float64
	// Gamma and Delta are the shape parameters of the beta distribution of
	// the dropout probability θ. Both must be greater than 0.
	Gamma, Delta float64

	// Info describes the fit; nil for a model built from given parameters.
	Info *FitInfo
	// Timing is the unit and period of the data the model was fitted on
	// (zero: unknown); see Timing.
	Timing Timing
}

var _ TransactionModel = (*BGBB)(nil)

var bgbbNames = []string{"alpha", "beta", "gamma", "delta"}

// NewBGBB returns a BG/BB model with the given parameters, or an error
// wrapping ErrBadParams unless all are positive and finite.
func NewBGBB(alpha, beta, gamma, delta float64) (*BGBB, error) {
	if err := checkPositive(NameBGBB, bgbbNames, alpha, beta, gamma, delta); err != nil {
		return nil, err
	}
	return &BGBB{Alpha: alpha, Beta: beta, Gamma: gamma, Delta: delta}, nil
}

// Name returns "bgbb".
func (m *BGBB) Name() string { return NameBGBB }

// Params returns alpha, beta, gamma and delta, in that order.
func (m *BGBB) Params() Params {
	return Params{Names: bgbbNames, Values: []float64{m.Alpha, m.Beta, m.Gamma, m.Delta}}
}

// FitInfo returns the fit description (nil when built from parameters).
func (m *BGBB) FitInfo() *FitInfo { return m.Info }

func (m *BGBB) setInfo(info *FitInfo) { m.Info = info }
func (m *BGBB) timing() *Timing       { return &m.Timing }

// String formats the parameters.
func (m *BGBB) String() string {
	return fmt.Sprintf("BG/BB(alpha=%.4g, beta=%.4g, gamma=%.4g, delta=%.4g)", m.Alpha, m.Beta, m.Gamma, m.Delta)
}

// logLik is the log-likelihood of (x, tx, n) given lbab = ln B(α, β) and
// lbgd = ln B(γ, δ). The dropout terms after the first follow from it by
// the ratio recursion described at bgbbLik, so the cost is two log-beta
// evaluations plus n-t_x multiplications. It allocates nothing.
func (m *BGBB) logLik(lbab, lbgd, x, tx, n float64) float64 {
	a, b, g, d := m.Alpha, m.Beta, m.Gamma, m.Delta
	base := -lbab - lbgd
	lA := mathext.Lbeta(a+x, b+n-x) + mathext.Lbeta(g, d+n) + base
	if tx == n {
		return lA
	}
	lD := mathext.Lbeta(a+x, b+tx-x) + mathext.Lbeta(g+1, d+tx) + base
	ref := math.Max(lA, lD)
	r := math.Exp(lD - ref)
	sum := math.Exp(lA-ref) + r
	for i := 0.0; i+1 < n-tx; i++ {
		r *= (b + tx - x + i) / (a + b + tx + i) * (d + tx + i) / (g + d + 1 + tx + i)
		sum += r
	}
	return ref + math.Log(sum)
}

// ExpectedPurchases returns E[X(t)], the expected number of repeat
// transactions of a new customer over t opportunities. The closed form is
// smooth in t, so a fractional t gives an interpolated value. It returns 0
// for t = 0 and NaN for a negative, infinite or NaN t.
func (m *BGBB) ExpectedPurchases(t float64) float64 {
	if !(t >= 0) || math.IsInf(t, 0) {
		return math.NaN()
	}
	if t == 0 {
		return 0
	}
	return m.Alpha / (m.Alpha + m.Beta) * m.Delta * gammaRatioDiff(m.Gamma, 1+m.Delta, t)
}

// gammaRatioDiff returns
//
//	(1 − Γ(a+h)Γ(a+g−1) / (Γ(a+h+g−1)Γ(a))) / (g−1)
//
// for a > 0, h >= 0: (Γ(a)/Γ(a+g−1) − Γ(a+h)/Γ(a+h+g−1)) / (g−1) divided by
// its first ratio, which the callers fold into their own log-space factors
// so that nothing overflows when a and g are large (δ = 1e4, γ = 100 gives
// ratios near 10^400). For whole h it equals
// Σ_{j=0}^{h-1} Γ(a+j)Γ(a+g−1)/(Γ(a+j+g)Γ(a)), which is summed directly when
// g is near 1 (the closed form is 0/0 at g = 1); its limit at g = 1 is
// ψ(a+h) − ψ(a).
func gammaRatioDiff(g, a, h float64) float64 {
	eps := g - 1
	if math.Abs(eps) < 1e-3 && h == math.Trunc(h) && h <= 1e5 {
		// Direct sum without cancellation: the first term is
		// Γ(a+g−1)/Γ(a+g) = 1/(a+g−1) and each next one follows by the
		// factor (a+j−1)/(a+j−1+g).
		term := 1 / (a + eps)
		sum := 0.0
		for j := 0.0; j < h; j++ {
			if j > 0 {
				term *= (a + j - 1) / (a + j - 1 + g)
			}
			sum += term
		}
		return sum
	}
	la, _ := math.Lgamma(a)
	lag, _ := math.Lgamma(a + eps)
	lb, _ := math.Lgamma(a + h)
	lbg, _ := math.Lgamma(a + h + eps)
	lA := la - lag
	lB := lb - lbg
	if math.Abs(eps) < 1e-7 {
		// First-order limit; relative error O(eps).
		return mathext.Digamma(a+h) - mathext.Digamma(a)
	}
	d := lB - lA
	if h == math.Trunc(h) && h <= 1e5 && 1e-16*(math.Abs(la)+math.Abs(lb)) > 1e-10*math.Abs(d) {
		// The four log-gammas are large and nearly cancel (a in the
		// thousands): sum the exact logs of the ratios instead,
		// lB − lA = −Σ_{j<h} log1p(eps/(a+j)).
		d = 0
		for j := 0.0; j < h; j++ {
			d -= math.Log1p(eps / (a + j))
		}
	}
	return -math.Expm1(d) / eps
}

// ConditionalExpectedPurchases returns the expected number of transactions
// over the next t opportunities (n+1, …, n+t) of a customer with history
// (x, t_x, n) = (c.Frequency, c.Recency, c.T); a fractional t interpolates
// as in ExpectedPurchases. It returns 0 for t = 0 and NaN for an invalid
// history (see FitBGBB) or a negative, infinite or NaN t.
func (m *BGBB) ConditionalExpectedPurchases(t float64, c Customer) float64 {
	if checkDiscrete(c.Frequency, c.Recency, c.T) != nil || !(t >= 0) || math.IsInf(t, 0) {
		return math.NaN()
	}
	if t == 0 {
		return 0
	}
	x, n := c.Frequency, c.T
	lbab := mathext.Lbeta(m.Alpha, m.Beta)
	lbgd := mathext.Lbeta(m.Gamma, m.Delta)
	ll := m.logLik(lbab, lbgd, x, c.Recency, n)
	// Γ(γ+δ)/Γ(1+δ) · Γ(1+δ+n)/Γ(γ+δ+n), the scale gammaRatioDiff leaves
	// out, joins the other factors in log space.
	lg1, _ := math.Lgamma(m.Gamma + m.Delta)
	lg2, _ := math.Lgamma(1 + m.Delta)
	lg3, _ := math.Lgamma(1 + m.Delta + n)
	lg4, _ := math.Lgamma(m.Gamma + m.Delta + n)
	lp := mathext.Lbeta(m.Alpha+x+1, m.Beta+n-x) - lbab + (lg1 - lg2) + (lg3 - lg4) - ll
	return math.Exp(lp) * m.Delta * gammaRatioDiff(m.Gamma, 1+m.Delta+n, t)
}

// ProbAlive returns the probability that a customer with history
// (x, t_x, n) = (c.Frequency, c.Recency, c.T) is still active at opportunity
// n+1. An invalid history gives NaN.
func (m *BGBB) ProbAlive(c Customer) float64 {
	if checkDiscrete(c.Frequency, c.Recency, c.T) != nil {
		return math.NaN()
	}
	x, n := c.Frequency, c.T
	lbab := mathext.Lbeta(m.Alpha, m.Beta)
	lbgd := mathext.Lbeta(m.Gamma, m.Delta)
	ll := m.logLik(lbab, lbgd, x, c.Recency, n)
	lp := mathext.Lbeta(m.Alpha+x, m.Beta+n-x) - lbab + mathext.Lbeta(m.Gamma, m.Delta+n+1) - lbgd
	return math.Min(1, math.Exp(lp-ll))
}

// ProbPurchases returns P(X(t) = k), the probability that a new customer
// makes k repeat transactions over t opportunities. t is a number of
// opportunities and must be a whole number >= 0: otherwise the result is
// NaN. k outside 0..t gives 0.
func (m *BGBB) ProbPurchases(k int, t float64) float64 {
	if !(t >= 0) || t != math.Trunc(t) || math.IsInf(t, 1) {
		return math.NaN()
	}
	if k < 0 || float64(k) > t {
		return 0
	}
	return math.Exp(m.logProbPurchases(mathext.Lbeta(m.Alpha, m.Beta), mathext.Lbeta(m.Gamma, m.Delta), float64(k), t))
}

// ConditionalProbPurchases returns the probability that a customer with
// history (x, t_x, n) = (c.Frequency, c.Recency, c.T) makes exactly k
// transactions over the next t opportunities (Fader, Hardie & Shang 2010,
// the conditional counterpart of P(X(n) = x)). Given the history, the
// customer is active at n with probability A/L (A the alive term of the
// likelihood); if so, p and θ follow Beta(α+x, β+n-x) and Beta(γ, δ+n)
// and the next t opportunities are those of a new customer with these
// parameters:
//
//	P(X(n, n+t) = k | x, t_x, n) = A/L · P'(X(t) = k) + [k = 0] (1 - A/L)
//
// t must be a whole number >= 0 and the history valid; otherwise the result
// is NaN. k outside 0..t gives 0.
func (m *BGBB) ConditionalProbPurchases(k int, t float64, c Customer) float64 {
	if checkDiscrete(c.Frequency, c.Recency, c.T) != nil || !(t >= 0) || t != math.Trunc(t) || math.IsInf(t, 0) {
		return math.NaN()
	}
	if k < 0 || float64(k) > t {
		return 0
	}
	x, n := c.Frequency, c.T
	lbab := mathext.Lbeta(m.Alpha, m.Beta)
	lbgd := mathext.Lbeta(m.Gamma, m.Delta)
	lA := mathext.Lbeta(m.Alpha+x, m.Beta+n-x) + mathext.Lbeta(m.Gamma, m.Delta+n) - lbab - lbgd
	pAlive := math.Min(1, math.Exp(lA-m.logLik(lbab, lbgd, x, c.Recency, n)))
	post := BGBB{Alpha: m.Alpha + x, Beta: m.Beta + n - x, Gamma: m.Gamma, Delta: m.Delta + n}
	p := pAlive * math.Exp(post.logProbPurchases(
		mathext.Lbeta(post.Alpha, post.Beta), mathext.Lbeta(post.Gamma, post.Delta), float64(k), t))
	if k == 0 {
		p += 1 - pAlive
	}
	return p
}

// logProbPurchases returns ln P(X(n) = x) for whole 0 <= x <= n. The
// dropout terms C(i, x) B(α+x, β+i-x) B(γ+1, δ+i), i = x, …, n-1, follow
// one another by the ratio
//
//	(i+1)/(i+1-x) · (β+i-x)/(α+β+i) · (δ+i)/(γ+δ+1+i)
//
// so only the first needs log-beta functions.
func (m *BGBB) logProbPurchases(lbab, lbgd, x, n float64) float64 {
	a, b, g, d := m.Alpha, m.Beta, m.Gamma, m.Delta
	l := logChoose(n, x) + mathext.Lbeta(a+x, b+n-x) - lbab + mathext.Lbeta(g, d+n) - lbgd
	if x >= n {
		return l
	}
	t := mathext.Lbeta(a+x, b) - lbab + mathext.Lbeta(g+1, d+x) - lbgd // i = x: C(x, x) = 1
	l = mle.LogSumExp2(l, t)
	for i := x; i+1 < n; i++ {
		t += math.Log((i + 1) / (i + 1 - x) * (b + i - x) / (a + b + i) * (d + i) / (g + d + 1 + i))
		l = mle.LogSumExp2(l, t)
	}
	return l
}

// logChoose returns ln C(n, k) for 0 <= k <= n.
func logChoose(n, k float64) float64 {
	a, _ := math.Lgamma(n + 1)
	b, _ := math.Lgamma(k + 1)
	c, _ := math.Lgamma(n - k + 1)
	return a - b - c
}

// ExpectedHistogram returns, for a group of customers each observed over n
// opportunities, the expected number of customers with 0, 1, …, n repeat
// transactions: dst[x] = customers · P(X(n) = x), the calibration check of
// Fader, Hardie & Shang (2010, Figure 3). For customers observed over
// different numbers of opportunities use ExpectedRepeatHistogram, which
// also returns the observed counts. dst is reused when it has
// length n+1 and allocated when nil; any other length is an error, as are a
// negative n and a negative or non-finite customers count (all wrapping
// ErrBadData).
func (m *BGBB) ExpectedHistogram(dst []float64, n int, customers float64) ([]float64, error) {
	if n < 0 {
		return nil, fmt.Errorf("%w: bgbb histogram: n = %d opportunities, must be >= 0", ErrBadData, n)
	}
	if !(customers >= 0) || math.IsInf(customers, 1) {
		return nil, fmt.Errorf("%w: bgbb histogram: customers = %v, must be finite and >= 0", ErrBadData, customers)
	}
	if dst == nil {
		dst = make([]float64, n+1)
	}
	if len(dst) != n+1 {
		return nil, fmt.Errorf("%w: bgbb histogram: dst has length %d, want n+1 = %d", ErrBadData, len(dst), n+1)
	}
	lbab := mathext.Lbeta(m.Alpha, m.Beta)
	lbgd := mathext.Lbeta(m.Gamma, m.Delta)
	for x := range dst {
		dst[x] = customers * math.Exp(m.logProbPurchases(lbab, lbgd, float64(x), float64(n)))
	}
	return dst, nil
}

// DERT returns the discounted expected residual transactions of a customer
// with history (x, t_x, n) = (c.Frequency, c.Recency, c.T): the expected
// number of transactions at opportunities n+1, n+2, … with the one at n+s
// discounted by (1+d)^s, d the discount rate per opportunity. Multiplied by
// the value of a transaction it is the customer's expected residual value.
// d must be > 0 (with d = 0 the sum diverges when γ <= 1) and the history
// valid; the error wraps ErrBadParams or ErrBadData.
func (m *BGBB) DERT(d float64, c Customer) (float64, error) {
	if !(d > 0) || math.IsInf(d, 1) {
		return 0, fmt.Errorf("%w: bgbb DERT: discount rate %v, must be finite and > 0", ErrBadParams, d)
	}
	if err := checkDiscrete(c.Frequency, c.Recency, c.T); err != nil {
		return 0, err
	}
	x, n := c.Frequency, c.T
	lbab := mathext.Lbeta(m.Alpha, m.Beta)
	lbgd := mathext.Lbeta(m.Gamma, m.Delta)
	ll := m.logLik(lbab, lbgd, x, c.Recency, n)
	lp := mathext.Lbeta(m.Alpha+x+1, m.Beta+n-x) - lbab + mathext.Lbeta(m.Gamma, m.Delta+n+1) - lbgd - math.Log1p(d) - ll
	return math.Exp(lp) * hyp2f1a1(m.Gamma, m.Delta+n+1, d), nil
}

// checkDiscrete returns an error wrapping ErrBadData unless (x, tx, n) is a
// valid discrete-time history: whole numbers with 0 <= x <= tx <= n and
// tx = 0 exactly when x = 0.
func checkDiscrete(x, tx, n float64) error {
	if col, v, want := discreteProblem(x, tx, n); col != "" {
		return fmt.Errorf("%w: %s %v, %s", ErrBadData, col, v, want)
	}
	return nil
}

// discreteProblem names the first bad value of (x, tx, n) — its column
// (frequency, recency or T, the number of periods), the value and what is
// wanted — or returns col "" if there is none.
func discreteProblem(x, tx, n float64) (col string, v float64, want string) {
	switch {
	case !isWhole(x):
		return "frequency", x, "want a whole number >= 0"
	case !isWhole(tx):
		return "recency", tx, "want a whole number >= 0"
	case !isWhole(n):
		return "T", n, "want a whole number of periods >= 0"
	case tx > n:
		return "recency", tx, fmt.Sprintf("want <= T (%v periods)", n)
	case x > tx:
		return "frequency", x, fmt.Sprintf("want <= recency (%v): at most one transaction per period", tx)
	case x == 0 && tx != 0:
		return "recency", tx, "want 0 with frequency 0"
	}
	return "", 0, ""
}

func isWhole(v float64) bool { return v >= 0 && v == math.Trunc(v) && !math.IsInf(v, 1) }

// checkDiscreteData validates every row of d for a discrete-time model; a
// bad value is an *event.ValueError naming its column and 0-based row.
func checkDiscreteData(d Data) error {
	n := len(d.Frequency)
	if len(d.Recency) != n || len(d.T) != n {
		return fmt.Errorf("%w: column lengths differ (frequency %d, recency %d, periods %d)",
			ErrBadData, n, len(d.Recency), len(d.T))
	}
	if d.Weights != nil && len(d.Weights) != n {
		return fmt.Errorf("%w: %d weights for %d customers", ErrBadData, len(d.Weights), n)
	}
	if n == 0 {
		return fmt.Errorf("%w: no customers", ErrBadData)
	}
	for i := range n {
		if col, v, want := discreteProblem(d.Frequency[i], d.Recency[i], d.T[i]); col != "" {
			return badValue(col, i, v, want)
		}
		if w := d.Weight(i); !(w >= 0) || math.IsInf(w, 1) {
			return badValue("weights", i, w, "want finite and >= 0")
		}
	}
	return nil
}
