package clv

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mathext"

	"github.com/valuekit/valuekit/internal/mle"
)

// BGNBD is the beta-geometric/negative binomial distribution model of
// Fader, Hardie & Lee (2005): while alive a customer buys as a Poisson
// process with rate λ ~ Gamma(R, Alpha); after each purchase they drop out
// with probability p ~ Beta(A, B). See the package documentation for the
// formulas.
type BGNBD struct {
	// R is the shape of the purchase-rate gamma; R must be > 0.
	R float64
	// Alpha is the rate (inverse time scale) of the purchase-rate gamma, in
	// the data's time unit; Alpha must be > 0.
	Alpha float64
	// A and B are the beta parameters of the dropout probability; both
	// must be > 0.
	A, B float64
	// Info describes the fit; nil for a model built from parameters.
	Info *FitInfo
	// Timing is the unit and period of the data the model was fitted on
	// (zero: unknown); see Timing.
	Timing Timing
}

var _ TransactionModel = (*BGNBD)(nil)

var bgnbdNames = []string{"r", "alpha", "a", "b"}

// NewBGNBD returns a BG/NBD model with the given parameters, or an error
// wrapping ErrBadParams unless all are positive and finite.
func NewBGNBD(r, alpha, a, b float64) (*BGNBD, error) {
	if err := checkPositive(NameBGNBD, bgnbdNames, r, alpha, a, b); err != nil {
		return nil, err
	}
	return &BGNBD{R: r, Alpha: alpha, A: a, B: b}, nil
}

// Name returns "bgnbd".
func (m *BGNBD) Name() string { return NameBGNBD }

// Params returns r, alpha, a, b.
func (m *BGNBD) Params() Params {
	return Params{Names: bgnbdNames, Values: []float64{m.R, m.Alpha, m.A, m.B}}
}

// FitInfo returns the fit description (nil when built from parameters).
func (m *BGNBD) FitInfo() *FitInfo { return m.Info }

func (m *BGNBD) setInfo(info *FitInfo) { m.Info = info }
func (m *BGNBD) timing() *Timing       { return &m.Timing }

// logAliveOdds returns D = log[(a/(b+x−1)) ((α+T)/(α+t_x))^(r+x)] for x > 0,
// so that P(alive) = 1/(1+e^D).
func (m *BGNBD) logAliveOdds(c Customer) float64 {
	x := c.Frequency
	return math.Log(m.A/(m.B+x-1)) + (m.R+x)*math.Log1p((c.T-c.Recency)/(m.Alpha+c.Recency))
}

// ProbAlive returns P(alive at T | x, t_x, T) (FHL 2005, eq. 11):
//
//	1 / (1 + δ(x>0) a/(b+x−1) ((α+T)/(α+t_x))^(r+x)).
//
// It returns NaN for an invalid history (negative values, t_x > T,
// fractional x).
func (m *BGNBD) ProbAlive(c Customer) float64 {
	if !checkCustomer(c) {
		return math.NaN()
	}
	if c.Frequency == 0 {
		return 1
	}
	return sigmoidNeg(m.logAliveOdds(c))
}

// sigmoidNeg returns 1/(1+e^d) without overflow.
func sigmoidNeg(d float64) float64 {
	if d > 0 {
		e := math.Exp(-d)
		return e / (1 + e)
	}
	return 1 / (1 + math.Exp(d))
}

// ExpectedPurchases returns E[X(t)] for a new customer (FHL 2005, eq. 9):
//
//	(a+b−1)/(a−1) [1 − (α/(α+t))^r ₂F₁(r, b; a+b−1; t/(α+t))],
//
// evaluated in a form that stays accurate at a = 1 (see bgnbdRemaining);
// when a + b ≤ 1, where the ₂F₁ series has no finite value, it integrates
// E_p[(1 − (α/(α+pt))^r)/p] over p ~ Beta(a, b) numerically. NaN for t < 0.
func (m *BGNBD) ExpectedPurchases(t float64) float64 {
	if !(t >= 0) || math.IsInf(t, 0) {
		return math.NaN()
	}
	if t == 0 {
		return 0
	}
	return bgnbdRemaining(m.R, m.A, m.B, 0, m.Alpha, t)
}

// ConditionalExpectedPurchases returns the expected number of purchases in
// (T, T+t] of a customer with history c (FHL 2005, eq. 10):
//
//	(a+b+x−1)/(a−1) [1 − ((α+T)/(α+T+t))^(r+x) ₂F₁(r+x, b+x; a+b+x−1; t/(α+T+t))] · P(alive).
//
// It is NaN for an invalid history or t < 0.
func (m *BGNBD) ConditionalExpectedPurchases(t float64, c Customer) float64 {
	if !checkCustomer(c) || !(t >= 0) || math.IsInf(t, 0) {
		return math.NaN()
	}
	if t == 0 {
		return 0
	}
	return bgnbdRemaining(m.R, m.A, m.B, c.Frequency, m.Alpha+c.T, t) * m.ProbAlive(c)
}

// bgnbdRemaining returns
//
//	(a+b+x−1)/(a−1) [1 − (h/(h+t))^(r+x) ₂F₁(r+x, b+x; a+b+x−1; z)],  z = t/(h+t),
//
// which is V = E[(1 − (1+p s)^−R)/p] over p ~ Beta(a, B), R = r+x, B = b+x,
// s = t/h: the expected purchases in the next t of a customer who is alive,
// buys at a rate λ ~ Gamma(R, h) and drops out after a purchase with
// probability p. Writing 1 − (1+ps)^−R = R ∫_0^s p (1+pu)^−(R+1) du, using
// Pfaff's transformation E[(1+pu)^−(R+1)] = (1+u)^−(R+1) ₂F₁(R+1, B; a+B;
// u/(1+u)), and integrating term by term over w = u/(1+u) ∈ [0, z] gives
//
//	V = R Σ_{m≥0} U_m W_m/(m+1),
//	U_m = (R+1)_m/m! z^(m+1) (1−z)^R,   W_m = Σ_{k=0}^{m} (B)_k/(a+B)_k
//
// (the incomplete beta integrals B_z(n+1, R) of the term-by-term
// integration, summed by parts). Every term is positive, so nothing cancels
// whatever a and b are — a + b ≤ 1, where the ₂F₁ series diverges, a → 0,
// large a, and c = a+b+x−1 ≫ r+x are ordinary cases — and the limits check:
// a → ∞ (p = 1) gives 1 − (1−z)^R, a → 0 (p = 0) gives R s. U_m is a
// negative-binomial weight with mean R s and W_m/(m+1) does not increase,
// so past the mode the remainder is below the last term times ρ/(1−ρ),
// ρ = z (R+2+m)/(m+2), which stops the sum; it takes about R s + 40(1+s)
// terms (R s is the customer's expected purchases without dropout).
//
// FHL's series after Euler's transformation (bgnbdRemainingEuler) is often
// shorter, its terms falling also like (a)_n/(a+b+x−1)_n, so it is tried
// first with at most as many terms, and kept when it converged without
// cancellation. Where R s + 40(1+s) exceeds maxRemainingTerms (horizons
// hundreds of times h, or a customer expected to buy 10⁵ times), the
// expectation is integrated by bgnbdRemainingQuad instead.
func bgnbdRemaining(r, a, b, x, h, t float64) float64 {
	if t == 0 {
		return 0 // no time, no purchases (the quadrature would take ~0.4 ms to say so)
	}
	R, B := r+x, b+x
	s := t / h
	n := R*s + 40*(1+s)
	if !(n <= maxRemainingTerms) {
		return bgnbdRemainingQuad(R, a, B, h, t)
	}
	if v, ok := bgnbdRemainingEuler(r, a, b, x, h, t, int(n)); ok {
		return v
	}
	v, ok := bgnbdRemainingSeries(R, a, B, s)
	if !ok {
		return bgnbdRemainingQuad(R, a, B, h, t)
	}
	return v
}

// bgnbdRemainingEuler evaluates the expression of bgnbdRemaining by FHL's
// ₂F₁ series after Euler's transformation: the bracket becomes
// 1 − (1−z)^(a−1) ₂F₁(a+b−1−r, a−1; c; z) with c = a+b+x−1, and writing
// ₂F₁(A', a−1; c; z) = 1 + (a−1) G with G = Σ_{n≥1} (A')_n (a)_(n−1) z^n / ((c)_n n!)
// gives the bracket / (a−1) = −expm1((a−1)L)/(a−1) − e^((a−1)L) G, L = log(1−z),
// which has no cancellation at a = 1 and no overflow for large x. ok is
// false where the series diverges (c ≤ 0), needs more than maxTerms terms,
// overflows, or would lose more than ~4 digits to cancellation (c ≫ r+x,
// or alternating terms).
func bgnbdRemainingEuler(r, a, b, x, h, t float64, maxTerms int) (float64, bool) {
	c := a + b + x - 1
	if !(c > 0) {
		return 0, false
	}
	z := t / (h + t)
	L := -math.Log1p(t / h) // log(1−z), without cancellation when t ≪ h
	ap := a + b - 1 - r
	var g float64
	term := ap / c * z
	g = term
	gAbs := math.Abs(term) // Σ|term|: the terms alternate while ap+n < 0
	n := 1
	if ap >= 0 {
		// All terms are >= 0 (the usual case): Σ|term| = g.
		for ; n < maxTerms && term != 0 && term > 1e-17*g; n++ {
			fn := float64(n)
			term *= (ap + fn) * (a + fn - 1) / ((c + fn) * (fn + 1)) * z
			g += term
		}
		gAbs = g
	} else {
		for ; n < maxTerms && term != 0 && math.Abs(term) > 1e-17*math.Abs(g); n++ {
			fn := float64(n)
			term *= (ap + fn) * (a + fn - 1) / ((c + fn) * (fn + 1)) * z
			g += term
			gAbs += math.Abs(term)
		}
	}
	// Terms that overflowed end the loop with g = ±Inf or NaN.
	if n >= maxTerms || !(gAbs <= 1e250) {
		// z too close to 1 (t ≫ h) or terms that grow before they fall
		// (large a): the series is long or overflows.
		return 0, false
	}
	eps := a - 1
	var e1 float64
	if math.Abs(eps*L) < 1e-12 {
		e1 = L * (1 + eps*L/2)
	} else {
		e1 = math.Expm1(eps*L) / eps
	}
	scale := math.Exp(eps * L)
	p1, p2 := -e1, scale*g
	v := c * (p1 - p2)
	// The two parts cancel when c ≫ r+x and t ≪ h, and the terms of g
	// cancel when they alternate (r+x > a+b−1); the positive series takes
	// over when more than ~4 digits would be lost (and whenever the
	// difference is not a finite positive number).
	if !(v > 0) || math.IsInf(v, 0) || math.Abs(p1)+scale*gAbs > 1e4*math.Abs(p1-p2) {
		return 0, false
	}
	return v, true
}

// bgnbdRemainingSeries sums the series of bgnbdRemaining for s = t/h; ok
// is false if it did not stop within 4·maxRemainingTerms terms.
func bgnbdRemainingSeries(R, a, B, s float64) (v float64, ok bool) {
	z := s / (1 + s)
	l1z := -math.Log1p(s)               // log(1−z)
	lower := -math.Expm1(R*l1z) / R     // ∫_0^z (1−w)^(R−1) dw ≤ V/R
	logU := math.Log(z) + R*l1z         // log U_0
	U, linear := 0.0, logU > minLogTerm // below e^−700, U_m is carried as its log
	if linear {
		U = math.Exp(logU)
	}
	d, W := 1.0, 1.0 // (B)_m/(a+B)_m and W_m
	sum := 0.0
	for m := 0; m < 4*maxRemainingTerms; m++ {
		fm := float64(m)
		if linear {
			term := U * W / (fm + 1)
			sum += term
			rho := z * (R + 2 + fm) / (fm + 2)
			if rho < 1 && term*rho <= 1e-17*(1-rho)*math.Max(sum, lower) {
				return R * sum, true
			}
			U *= z * (R + 1 + fm) / (fm + 1)
		} else if logU += math.Log(z * (R + 1 + fm) / (fm + 1)); logU > minLogTerm {
			linear = true
			U = math.Exp(logU)
		}
		d *= (B + fm) / (a + B + fm)
		W += d
	}
	return 0, false
}

// minLogTerm is the log of the smallest weight U_m of bgnbdRemaining that
// is carried in linear scale: terms below e^−700 are negligible against the
// sum, which is at least ∫_0^z (1−w)^(R−1) dw (about min(z, 1/R)).
const minLogTerm = -700

// maxRemainingTerms bounds the series of bgnbdRemaining (about R s + 40(1+s)
// terms); beyond it the quadrature is as fast and as accurate.
const maxRemainingTerms = 100_000

// ProbPurchases returns P(X(t) = k) for a new customer (FHL 2005, eq. 8):
//
//	B(a, b+k)/B(a, b) · NBD(k; r, α, t)
//	  + δ(k>0) B(a+1, b+k−1)/B(a, b) · P(NBD(r, α, t) ≥ k),
//
// with NBD(k; r, α, t) = Γ(r+k)/(Γ(r) k!) (α/(α+t))^r (t/(α+t))^k and the tail
// computed as the regularised incomplete beta I_{t/(α+t)}(k, r).
// It returns 0 for k < 0 and NaN for t < 0.
func (m *BGNBD) ProbPurchases(k int, t float64) float64 {
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
	p := math.Exp(mathext.Lbeta(m.A, m.B+fk) - lbab + logNBD(fk, m.R, m.Alpha, t))
	if k > 0 {
		p += math.Exp(mathext.Lbeta(m.A+1, m.B+fk-1)-lbab) * nbdTail(fk, m.R, m.Alpha, t)
	}
	return p
}

// nbdTail returns P(N >= k), k >= 1, for N ~ NBD(r, α, t): the regularised
// incomplete beta I_z(k, r), z = t/(α+t). gonum's RegIncBeta loses up to
// six digits for small r with z near 1 (r = 1e-4, z = 0.9999: 3.7e-6
// relative), partly because 1−z is rounded when z is formed; the
// complement 1 − I_(1−z)(r, k), with 1−z = α/(α+t) computed directly, is
// accurate there. It is used whenever the tail is at least 1e-6, so that
// the subtraction costs at most six of sixteen digits; smaller tails are
// taken directly.
func nbdTail(k, r, alpha, t float64) float64 {
	direct := mathext.RegIncBeta(k, r, t/(alpha+t))
	if direct < 1e-6 {
		return direct
	}
	return 1 - mathext.RegIncBeta(r, k, alpha/(alpha+t))
}

// logNBD returns log P(N = k) for N ~ NBD: a Poisson count over time t
// whose rate is Gamma(r, α) distributed.
func logNBD(k, r, alpha, t float64) float64 {
	return mle.Lgamma(r+k) - mle.Lgamma(r) - mle.Lgamma(k+1) +
		-r*math.Log1p(t/alpha) - k*math.Log1p(alpha/t)
}

// String formats the parameters.
func (m *BGNBD) String() string {
	return fmt.Sprintf("BG/NBD(r=%.4g, alpha=%.4g, a=%.4g, b=%.4g)", m.R, m.Alpha, m.A, m.B)
}

// conditionalCurve stores ConditionalExpectedPurchases(ts[k], c) in dst[k],
// evaluating P(alive) once.
func (m *BGNBD) conditionalCurve(dst, ts []float64, c Customer) {
	pa := m.ProbAlive(c)
	for k, t := range ts {
		dst[k] = bgnbdRemaining(m.R, m.A, m.B, c.Frequency, m.Alpha+c.T, t) * pa
	}
}
