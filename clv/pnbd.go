package clv

import (
	"fmt"
	"math"

	"slices"

	"github.com/valuekit/valuekit/internal/mle"
)

// ParetoNBD is the Pareto/NBD model of Schmittlein, Morrison & Colombo
// (1987): while alive a customer buys as a Poisson process with rate
// λ ~ Gamma(R, Alpha); their unobserved lifetime is exponential with rate
// μ ~ Gamma(S, Beta). See the package documentation for the formulas.
type ParetoNBD struct {
	// R and Alpha are the shape and rate of the purchase-rate gamma; both
	// must be > 0. Alpha is in the data's time unit.
	R, Alpha float64
	// S and Beta are the shape and rate of the dropout-rate gamma; both
	// must be > 0. Beta is in the data's time unit.
	S, Beta float64
	// Info describes the fit; nil for a model built from parameters.
	Info *FitInfo
	// Timing is the unit and period of the data the model was fitted on
	// (zero: unknown); see Timing.
	Timing Timing
}

var _ TransactionModel = (*ParetoNBD)(nil)

var pnbdNames = []string{"r", "alpha", "s", "beta"}

// NewParetoNBD returns a Pareto/NBD model with the given parameters, or an
// error wrapping ErrBadParams unless all are positive and finite.
func NewParetoNBD(r, alpha, s, beta float64) (*ParetoNBD, error) {
	if err := checkPositive(NameParetoNBD, pnbdNames, r, alpha, s, beta); err != nil {
		return nil, err
	}
	return &ParetoNBD{R: r, Alpha: alpha, S: s, Beta: beta}, nil
}

// Name returns "pnbd".
func (m *ParetoNBD) Name() string { return NameParetoNBD }

// Params returns r, alpha, s, beta.
func (m *ParetoNBD) Params() Params {
	return Params{Names: pnbdNames, Values: []float64{m.R, m.Alpha, m.S, m.Beta}}
}

// FitInfo returns the fit description (nil when built from parameters).
func (m *ParetoNBD) FitInfo() *FitInfo { return m.Info }

func (m *ParetoNBD) setInfo(info *FitInfo) { m.Info = info }
func (m *ParetoNBD) timing() *Timing       { return &m.Timing }

// String formats the parameters.
func (m *ParetoNBD) String() string {
	return fmt.Sprintf("Pareto/NBD(r=%.4g, alpha=%.4g, s=%.4g, beta=%.4g)", m.R, m.Alpha, m.S, m.Beta)
}

// pnbdLogG returns log G(t) with
//
//	G(t) = ∫_t^∞ (α+τ)^−(r+x) (β+τ)^−(s+1) dτ
//	     = (m+t)^−p / p · ₂F₁(p, b2; p+1; |α−β|/(m+t)),
//
// p = r+s+x, m = max(α, β), b2 = s+1 when α ≥ β and r+x otherwise (Fader &
// Hardie 2005, MATLAB note, eqs. 2–3). The ₂F₁ is evaluated by h, an
// mle.Hyp2F1C1 for (p, b2) (see pnbdHyp), which is stable for large x and
// costs a bounded number of terms however close the argument is to 1 (the
// NBD limit β → ∞ with α fixed, or α ≫ β); one h serves every t of one x.
func pnbdLogG(h *mle.Hyp2F1C1, alpha, beta, p, t float64) float64 {
	mx, mn := alpha, beta
	if alpha < beta {
		mx, mn = beta, alpha
	}
	z := (mx - mn) / (mx + t)
	omz := (mn + t) / (mx + t) // 1 − z without cancellation
	return -p*math.Log(mx+t) - math.Log(p) + h.LogGrad(z, omz, nil)
}

// pnbdHyp returns the evaluator of ₂F₁(p, b2; p+1; ·) of pnbdLogG for
// purchase count x, and p.
func pnbdHyp(r, alpha, s, beta, x float64) (mle.Hyp2F1C1, float64) {
	p := r + s + x
	b2 := s + 1
	if alpha < beta {
		b2 = r + x
	}
	return mle.NewHyp2F1C1(p, b2), p
}

// pnbdLogTerms returns the two terms of the likelihood bracket,
//
//	log1 = −(r+x) ln(α+T) − s ln(β+T)           (alive at T)
//	log2 = ln s + ln[G(t_x) − G(T)]              (died in (t_x, T])
//
// so that L = Γ(r+x) α^r β^s / Γ(r) · (e^log1 + e^log2).
func (m *ParetoNBD) logTerms(c Customer) (log1, log2 float64) {
	x := c.Frequency
	log1 = -(m.R+x)*math.Log(m.Alpha+c.T) - m.S*math.Log(m.Beta+c.T)
	if c.Recency == c.T {
		return log1, math.Inf(-1)
	}
	h, p := pnbdHyp(m.R, m.Alpha, m.S, m.Beta, x)
	g1 := pnbdLogG(&h, m.Alpha, m.Beta, p, c.Recency)
	g2 := pnbdLogG(&h, m.Alpha, m.Beta, p, c.T)
	return log1, math.Log(m.S) + mle.LogDiffExp(g1, g2)
}

// ProbAlive returns P(alive at T | x, t_x, T) = e^log1 / (e^log1 + e^log2)
// (Fader & Hardie 2005 note, eq. 4, in log space). It is NaN for an invalid
// history.
func (m *ParetoNBD) ProbAlive(c Customer) float64 {
	if !checkCustomer(c) {
		return math.NaN()
	}
	l1, l2 := m.logTerms(c)
	if math.IsInf(l2, -1) {
		return 1
	}
	return 1 / (1 + math.Exp(l2-l1))
}

// ExpectedPurchases returns E[X(t)] for a new customer,
//
//	r β / (α (s−1)) [1 − (β/(β+t))^(s−1)],
//
// evaluated as r β/α · (−expm1((s−1) L)/(s−1)), L = ln(β/(β+t)), so that
// s = 1 (where it is r β/α ln(1 + t/β)) needs no special case.
func (m *ParetoNBD) ExpectedPurchases(t float64) float64 {
	if !(t >= 0) || math.IsInf(t, 0) {
		return math.NaN()
	}
	return m.R / m.Alpha * m.Beta * expm1Ratio(m.S-1, -math.Log1p(t/m.Beta))
}

// expm1Ratio returns −expm1(eps·L)/eps, continuous at eps = 0 (value −L).
func expm1Ratio(eps, L float64) float64 {
	if math.Abs(eps*L) < 1e-12 {
		return -L * (1 + eps*L/2)
	}
	return -math.Expm1(eps*L) / eps
}

// ConditionalExpectedPurchases returns the expected purchases in (T, T+t]
// of a customer with history c (Fader & Hardie 2005 note, eq. 5):
//
//	(r+x)(β+T) / ((α+T)(s−1)) [1 − ((β+T)/(β+T+t))^(s−1)] · P(alive).
func (m *ParetoNBD) ConditionalExpectedPurchases(t float64, c Customer) float64 {
	if !checkCustomer(c) || !(t >= 0) || math.IsInf(t, 0) {
		return math.NaN()
	}
	bt := m.Beta + c.T
	return (m.R + c.Frequency) / (m.Alpha + c.T) * bt * expm1Ratio(m.S-1, -math.Log1p(t/bt)) * m.ProbAlive(c)
}

// ProbPurchases returns P(X(t) = k) for a new customer. Conditioning on the
// lifetime τ ~ Exp(μ), μ ~ Gamma(s, β):
//
//	P(X(t)=k) = NBD(k; r, α, t) (β/(β+t))^s + ∫_0^t s β^s (β+τ)^−(s+1) NBD(k; r, α, τ) dτ,
//
// the integral computed by adaptive Gauss–Kronrod quadrature on panels
// graded geometrically from τ = 0 (see pnbdLifetimeEdges). It returns 0 for k < 0
// and NaN for t < 0.
func (m *ParetoNBD) ProbPurchases(k int, t float64) float64 {
	if !(t >= 0) || math.IsInf(t, 0) {
		return math.NaN()
	}
	if k < 0 {
		return 0
	}
	if t == 0 {
		if k == 0 {
			return 1
		}
		return 0
	}
	fk := float64(k)
	p := math.Exp(logNBD(fk, m.R, m.Alpha, t) + -m.S*math.Log1p(t/m.Beta))
	lc := mle.Lgamma(m.R+fk) - mle.Lgamma(m.R) - mle.Lgamma(fk+1) + m.R*math.Log(m.Alpha) + math.Log(m.S) + m.S*math.Log(m.Beta)
	f := func(tau float64) float64 {
		if tau <= 0 {
			if k == 0 {
				return math.Exp(lc - m.R*math.Log(m.Alpha) - (m.S+1)*math.Log(m.Beta))
			}
			return 0
		}
		la := math.Log(m.Alpha + tau)
		return math.Exp(lc - (m.R+fk)*la + fk*math.Log(tau) - (m.S+1)*math.Log(m.Beta+tau))
	}
	return p + mle.Integrate(f, pnbdLifetimeEdges(m.Alpha, m.Beta, m.R, k, t), 1e-11)
}

// pnbdLifetimeEdges returns quadrature panel edges on [0, t] for the
// lifetime integral of ProbPurchases: graded geometrically (by factors of
// 4) from 1e-6·min(α, β, t), so that the layers of width β (the lifetime
// density s β^s (β+τ)^−(s+1)) and α (the NBD's change of regime) are
// resolved however small they are against t, plus the NBD's peak near
// k α/r.
func pnbdLifetimeEdges(alpha, beta, r float64, k int, t float64) []float64 {
	edges := []float64{0}
	for v := 1e-6 * math.Min(math.Min(alpha, beta), t); v < t; v *= 4 {
		edges = append(edges, v)
	}
	if peak := float64(k) * alpha / r; peak > 0 && peak < t {
		edges = append(edges, peak)
	}
	edges = append(edges, t)
	slices.Sort(edges)
	return edges
}

// conditionalCurve stores ConditionalExpectedPurchases(ts[k], c) in dst[k],
// evaluating P(alive) once.
func (m *ParetoNBD) conditionalCurve(dst, ts []float64, c Customer) {
	pa := m.ProbAlive(c)
	bt := m.Beta + c.T
	f := (m.R + c.Frequency) / (m.Alpha + c.T) * bt * pa
	for k, t := range ts {
		dst[k] = f * expm1Ratio(m.S-1, -math.Log1p(t/bt))
	}
}
