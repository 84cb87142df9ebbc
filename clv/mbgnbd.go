package clv

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mathext"
)

// MBGNBD is the modified BG/NBD model of Batislam, Denizel & Filiztekin
// (2007): as BG/NBD, but a customer may also drop out at time zero, right
// after the first purchase, so that customers without repeat purchases are
// not all alive. Purchase rate λ ~ Gamma(R, Alpha), dropout probability
// p ~ Beta(A, B). See the package documentation for the formulas.
type MBGNBD struct {
	// R and Alpha are the shape and rate of the purchase-rate gamma; both
	// must be > 0. Alpha is in the data's time unit.
	R, Alpha float64
	// A and B are the beta parameters of the dropout probability; both
	// must be > 0.
	A, B float64
	// Info describes the fit; nil for a model built from parameters.
	Info *FitInfo
	// Timing is the unit and period of the data the model was fitted on
	// (zero: unknown); see Timing.
	Timing Timing
}

var _ TransactionModel = (*MBGNBD)(nil)

var mbgnbdNames = []string{"r", "alpha", "a", "b"}

// NewMBGNBD returns an MBG/NBD model with the given parameters, or an error
// wrapping ErrBadParams unless all are positive and finite.
func NewMBGNBD(r, alpha, a, b float64) (*MBGNBD, error) {
	if err := checkPositive(NameMBGNBD, mbgnbdNames, r, alpha, a, b); err != nil {
		return nil, err
	}
	return &MBGNBD{R: r, Alpha: alpha, A: a, B: b}, nil
}

// Name returns "mbgnbd".
func (m *MBGNBD) Name() string { return NameMBGNBD }

// Params returns r, alpha, a, b.
func (m *MBGNBD) Params() Params {
	return Params{Names: mbgnbdNames, Values: []float64{m.R, m.Alpha, m.A, m.B}}
}

// FitInfo returns the fit description (nil when built from parameters).
func (m *MBGNBD) FitInfo() *FitInfo { return m.Info }

func (m *MBGNBD) setInfo(info *FitInfo) { m.Info = info }
func (m *MBGNBD) timing() *Timing       { return &m.Timing }

// String formats the parameters.
func (m *MBGNBD) String() string {
	return fmt.Sprintf("MBG/NBD(r=%.4g, alpha=%.4g, a=%.4g, b=%.4g)", m.R, m.Alpha, m.A, m.B)
}

// ProbAlive returns P(alive at T | x, t_x, T) (Batislam et al. 2007):
//
//	1 / (1 + a/(b+x) ((α+T)/(α+t_x))^(r+x)),
//
// which is below 1 even for x = 0. NaN for an invalid history.
func (m *MBGNBD) ProbAlive(c Customer) float64 {
	if !checkCustomer(c) {
		return math.NaN()
	}
	x := c.Frequency
	d := math.Log(m.A/(m.B+x)) + (m.R+x)*math.Log1p((c.T-c.Recency)/(m.Alpha+c.Recency))
	return sigmoidNeg(d)
}

// ExpectedPurchases returns E[X(t)] for a new customer:
//
//	b/(a−1) [1 − (α/(α+t))^r ₂F₁(r, b+1; a+b; t/(α+t))],
//
// computed as b/(a+b) times the BG/NBD expression with b+1 in place of b.
// NaN for t < 0.
func (m *MBGNBD) ExpectedPurchases(t float64) float64 {
	if !(t >= 0) || math.IsInf(t, 0) {
		return math.NaN()
	}
	if t == 0 {
		return 0
	}
	return m.B / (m.A + m.B) * bgnbdRemaining(m.R, m.A, m.B+1, 0, m.Alpha, t)
}

// ConditionalExpectedPurchases returns the expected purchases in (T, T+t] of
// a customer with history c:
//
//	(a+b+x)/(a−1) [1 − ((α+T)/(α+T+t))^(r+x) ₂F₁(r+x, b+x+1; a+b+x; t/(α+T+t))] · P(alive).
func (m *MBGNBD) ConditionalExpectedPurchases(t float64, c Customer) float64 {
	if !checkCustomer(c) || !(t >= 0) || math.IsInf(t, 0) {
		return math.NaN()
	}
	if t == 0 {
		return 0
	}
	return bgnbdRemaining(m.R, m.A, m.B+1, c.Frequency, m.Alpha+c.T, t) * m.ProbAlive(c)
}

// ProbPurchases returns P(X(t) = k) for a new customer:
//
//	B(a, b+k+1)/B(a, b) NBD(k; r, α, t) + B(a+1, b+k)/B(a, b) P(NBD(r, α, t) ≥ k),
//
// the tail being 1 for k = 0 (dropout at time zero). 0 for k < 0, NaN for
// t < 0.
func (m *MBGNBD) ProbPurchases(k int, t float64) float64 {
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
	lbab := mathext.Lbeta(m.A, m.B)
	tail := 1.0
	if k > 0 {
		tail = nbdTail(fk, m.R, m.Alpha, t)
	}
	return math.Exp(mathext.Lbeta(m.A, m.B+fk+1)-lbab+logNBD(fk, m.R, m.Alpha, t)) +
		math.Exp(mathext.Lbeta(m.A+1, m.B+fk)-lbab)*tail
}

// conditionalCurve stores ConditionalExpectedPurchases(ts[k], c) in dst[k],
// evaluating P(alive) once.
func (m *MBGNBD) conditionalCurve(dst, ts []float64, c Customer) {
	pa := m.ProbAlive(c)
	for k, t := range ts {
		dst[k] = bgnbdRemaining(m.R, m.A, m.B+1, c.Frequency, m.Alpha+c.T, t) * pa
	}
}
