package mle

import (
	"math"

	"gonum.org/v1/gonum/mathext"
)

// LogSumExp2 returns log(exp(a) + exp(b)) without overflow. -Inf arguments
// are handled (log(0 + e^b) = b).
func LogSumExp2(a, b float64) float64 {
	if a < b {
		a, b = b, a
	}
	if math.IsInf(b, -1) {
		return a
	}
	return a + math.Log1p(math.Exp(b-a))
}

// LogDiffExp returns log(exp(a) − exp(b)) for a ≥ b; NaN when a < b and
// -Inf when a == b.
func LogDiffExp(a, b float64) float64 {
	switch {
	case a < b:
		return math.NaN()
	case a == b || math.IsInf(a, -1):
		return math.Inf(-1)
	case math.IsInf(b, -1):
		return a
	}
	d := b - a
	if d > -math.Ln2 {
		return a + math.Log(-math.Expm1(d))
	}
	return a + math.Log1p(-math.Exp(d))
}

// maxSeriesTerms bounds the hypergeometric series; beyond it the result
// is NaN (0 ≤ z < 1 needs about 37/(−ln z) terms).
const maxSeriesTerms = 1_000_000

// Hyp2F1 returns the Gauss hypergeometric function ₂F₁(a, b; c; z) for
// 0 ≤ z < 1 and c > 0. When it shortens the series it applies Euler's
// transformation (Abramowitz & Stegun 15.3.3)
//
//	₂F₁(a, b; c; z) = (1−z)^(c−a−b) ₂F₁(c−a, c−b; c; z),
//
// which keeps the series short when a and b grow with the data (for example
// a = r+x, b = b+x, c = a+b+x−1 in the BG/NBD conditional expectation). For
// z > 0.8 it uses gonum's mathext.Hypergeo (Cephes), falling back to the
// series if that is not finite. Special cases are:
//
//	Hyp2F1(a, b, c, 0) = 1
//	Hyp2F1(a, b, c, z) = NaN for z < 0, z ≥ 1 or c ≤ 0
func Hyp2F1(a, b, c, z float64) float64 {
	switch {
	case math.IsNaN(a) || math.IsNaN(b) || math.IsNaN(c) || math.IsNaN(z):
		return math.NaN()
	case z < 0 || z >= 1 || c <= 0:
		return math.NaN()
	case z == 0:
		return 1
	}
	pre := 1.0
	if math.Abs(c-a)+math.Abs(c-b) < math.Abs(a)+math.Abs(b) {
		pre = math.Pow(1-z, c-a-b)
		a, b = c-a, c-b
	}
	if z > 0.8 {
		if v := mathext.Hypergeo(a, b, c, z); !math.IsNaN(v) && !math.IsInf(v, 0) {
			return pre * v
		}
	}
	return pre * hypSeries(a, b, c, z)
}

// hypSeries sums Σ (a)_n (b)_n / ((c)_n n!) z^n directly.
func hypSeries(a, b, c, z float64) float64 {
	sum, term := 1.0, 1.0
	for n := 0; n < maxSeriesTerms; n++ {
		fn := float64(n)
		term *= (a + fn) * (b + fn) / ((c + fn) * (fn + 1)) * z
		sum += term
		if term == 0 || math.Abs(term) <= 1e-17*math.Abs(sum) {
			return sum
		}
	}
	return math.NaN()
}

// LogHyp2F1C1 returns log ₂F₁(a, b; a+1; z) for a > 0, 0 < b < a+1 and
// 0 ≤ z < 1, accurately for large a and b (thousands) and for z up to the
// largest float64 below 1. It is LogHyp2F1C1Grad(a, b, z, 1−z, nil); see
// there for the method. Outside the domain it returns NaN.
func LogHyp2F1C1(a, b, z float64) float64 {
	return LogHyp2F1C1Grad(a, b, z, 1-z, nil)
}

// LogHyp2F1C1Grad returns log ₂F₁(a, b; a+1; z) for a > 0, 0 < b < a+1 and
// 0 ≤ z < 1, given also omz = 1 − z computed without cancellation by the
// caller (for z = |α−β|/(m+t) it is (min(α, β)+t)/(m+t)), and, when d is
// not nil, stores the partial derivatives of the logarithm with respect to
// a, b and z in d[0], d[1], d[2]. NaN outside the domain. It is
// NewHyp2F1C1(a, b).LogGrad(z, omz, d); see Hyp2F1C1 for the method.
func LogHyp2F1C1Grad(a, b, z, omz float64, d *[3]float64) float64 {
	h := NewHyp2F1C1(a, b)
	return h.LogGrad(z, omz, d)
}

// Hyp2F1C1 evaluates log ₂F₁(a, b; a+1; z) and its derivatives for fixed a
// and b at any number of arguments z, sharing the part of the work that
// does not depend on z (the Pareto/NBD needs G(t_x) and G(T) of one
// customer, and the likelihood G at every time of one x). The zero value
// is not usable; build it with NewHyp2F1C1. Not safe for concurrent use.
//
// With p = a, q = 1−b, ε = 1−z the function is an incomplete beta integral,
//
//	₂F₁(a, b; a+1; z) = a z^−a J,   J = B_z(p, q) = ∫_ε^1 w^(q−1) (1−w)^(p−1) dw
//
// (w = 1 − y in Euler's integral a ∫_0^1 y^(a−1) (1−zy)^(−b) dy). Let
// w₀ = min(½, 1/(2|a−1|)), so that |a−1| w₀ ≤ ½.
//
// For ε ≥ w₀ it sums Euler's transformation (Abramowitz & Stegun 15.3.3)
//
//	₂F₁(a, b; a+1; z) = (1−z)^(1−b) Σ_n [(a+1−b)_n / (a+1)_n] z^n,
//
// whose terms are positive and fall at least like z^n ≤ (1−w₀)^n, so at
// most 40/w₀ of them are needed (at most 80 for a ≤ 2, and few whenever
// b ≫ 1, when the ratio (a+1−b+n)/(a+1+n) is small); the derivatives are
// summed in the same loop. When a ≥ 8 and that series would need more
// than 800 terms (b ≪ a and ε small: up to ~80 a terms at ε = w₀, which
// made a Pareto/NBD fit with x ~ 1e4 take minutes) it is replaced, here
// and for the part at w₀ below, by hyp2F1C1Laplace, a Gauss–Legendre
// quadrature of Euler's integral on a number of panels bounded
// independently of a, b and z.
//
// For ε < w₀ (z near 1, where that series would need ~37/ε terms) it splits
// J at w₀:
//
//	J = ∫_w₀^1 w^(q−1) (1−w)^(p−1) dw + Σ_k c_k (w₀^(q+k) − ε^(q+k)) / (q+k),
//	c_k = (1−p)_k / k!,
//
// the first part being the series above at z = 1 − w₀ (independent of z,
// so computed once per Hyp2F1C1) and the second the binomial series of
// (1−w)^(p−1) integrated term by term. Each (w₀^η − ε^η)/η is an entire
// function of η (its value at η = 0 is log(w₀/ε)), so nothing is singular
// when b is an integer, and it is evaluated as ε^η expm1(η L)/η,
// L = log(w₀/ε), where η L is small. Because |c_(k+1)| w ≤ |c_k|/2 for
// w ≤ w₀, the k-th term is at most 2^−k times ∫_ε^w₀ w^(q−1) dw, which is
// itself at most 1/(1−w₀)^(p−1) ≤ e^½ times the sum; so the terms cancel
// by at most that factor and 60 of them reach double precision whatever
// a, b and ε are. The derivatives with respect to a (through c_k) and b
// (through η) are summed in the same loop, and ∂J/∂ε = −ε^(q−1) (1−ε)^(p−1).
//
// This replaces Euler's integral by adaptive quadrature, which took tens of
// microseconds per call at the Pareto/NBD's NBD limit (β → ∞, z → 1).
type Hyp2F1C1 struct {
	a, b, w0 float64
	// The part of J on [w₀, 1] (log and ∂/∂a, ∂/∂b of the log), once known.
	hiDone bool
	logHi  float64
	dHi    [2]float64
}

// NewHyp2F1C1 returns an evaluator of log ₂F₁(a, b; a+1; ·).
func NewHyp2F1C1(a, b float64) Hyp2F1C1 {
	w0 := 0.5
	if am1 := math.Abs(a - 1); am1 > 1 {
		w0 = 0.5 / am1
	}
	return Hyp2F1C1{a: a, b: b, w0: w0}
}

// LogGrad returns log ₂F₁(a, b; a+1; z) for 0 ≤ z < 1 given omz = 1 − z
// (see LogHyp2F1C1Grad), with the derivatives in d when it is not nil.
func (h *Hyp2F1C1) LogGrad(z, omz float64, d *[3]float64) float64 {
	a, b := h.a, h.b
	if !(a > 0) || !(b > 0) || !(b < a+1) || !(z >= 0) || !(z < 1) || !(omz > 0) || !(omz <= 1) {
		if d != nil {
			d[0], d[1], d[2] = math.NaN(), math.NaN(), math.NaN()
		}
		return math.NaN()
	}
	if z == 0 {
		if d != nil {
			d[0], d[1], d[2] = 0, 0, b*a/(a+1) // ∂/∂z at 0: a b/(a+1)
		}
		return 0
	}
	if omz >= h.w0 {
		return hyp2F1C1Far(a, b, z, omz, h.w0, d)
	}
	return h.split(z, omz, d)
}

// hyp2F1C1Far is the branch of LogGrad for 1 − z ≥ w0: Euler's series
// (hyp2F1C1Series) where it is short, and otherwise the quadrature
// hyp2F1C1Laplace, whose cost does not grow with a (the series needs up
// to ~80 a terms at 1 − z = w0 when b ≪ a).
func hyp2F1C1Far(a, b, z, omz, w0 float64, d *[3]float64) float64 {
	if useLaplace(a, b, omz) {
		return hyp2F1C1Laplace(a, b, z, omz, d)
	}
	return hyp2F1C1Series(a, b, z, omz, w0, d)
}

// hyp2F1C1Series sums Euler's transformation for z ≤ 1 − w0 (see
// Hyp2F1C1): its terms fall at least like z^n, so 40/w0 terms suffice for
// the value and 50/w0 for the derivatives, whose terms carry an extra
// factor of at most n + 1/(a+1−b). The value stops at its own
// convergence, so it is the same with and without d.
func hyp2F1C1Series(a, b, z, omz, w0 float64, d *[3]float64) float64 {
	l1z := math.Log(omz)
	ap, c := a+1-b, a+1
	S, dSa, dSc, dSz := 1.0, 0.0, 0.0, 0.0
	term, ha, hc := 1.0, 0.0, 0.0
	maxTerms := int(50/w0) + 64
	valDone := false
	for n := 0; n < maxTerms; n++ {
		fn := float64(n)
		term *= (ap + fn) / (c + fn) * z
		if !valDone {
			S += term
			valDone = term <= 1e-17*S
		}
		if d == nil {
			if valDone {
				break
			}
			continue
		}
		// ha, hc: ∂/∂a' log (a')_(n+1) and ∂/∂c log (c)_(n+1); all three
		// sums have terms of one sign.
		ha += 1 / (ap + fn)
		hc += 1 / (c + fn)
		ta, tc, tz := term*ha, term*hc, term*(fn+1)
		dSa += ta
		dSc -= tc
		dSz += tz
		if valDone && ta <= 1e-17*dSa && tc <= -1e-17*dSc && tz <= 1e-17*dSz {
			break
		}
	}
	if d != nil {
		dSa /= S
		dSc /= S
		dSz /= z * S
		d[0] = dSa + dSc // a' and c both move with a
		d[1] = -l1z - dSa
		d[2] = -(1-b)/omz + dSz
	}
	return (1-b)*l1z + math.Log(S)
}

// split is the branch of LogGrad for 1 − z < w₀ (see Hyp2F1C1).
func (h *Hyp2F1C1) split(z, eps float64, d *[3]float64) float64 {
	p, b, w0 := h.a, h.b, h.w0
	q := 1 - b
	if !h.hiDone {
		// ∫_w₀^1 w^(q−1) (1−w)^(p−1) dw = B_(1−w₀)(p, q) = (1−w₀)^p/p · ₂F₁(p, b; p+1; 1−w₀).
		var dh [3]float64
		l1w := math.Log1p(-w0)
		h.logHi = p*l1w - math.Log(p) + hyp2F1C1Far(p, b, 1-w0, w0, w0, &dh)
		h.dHi = [2]float64{l1w - 1/p + dh[0], dh[1]}
		h.hiDone = true
	}
	le, lw := math.Log(eps), math.Log(w0)
	L := lw - le // > 0
	// Scale the terms by S0 = ε^q (q < 0: the ε end dominates) or w₀^q.
	lS := q * lw
	if q < 0 {
		lS = q * le
	}
	A := math.Exp(q*lw - lS)    // w₀^η / S0 at η = q
	B := math.Exp(q*le - lS)    // ε^η / S0
	var sum, sumA, sumB float64 // Σ c g, Σ (∂c/∂p) g, Σ c ∂g/∂η
	c, dc := 1.0, 0.0
	valDone := false
	for k := 0; k < maxSplitTerms; k++ {
		fk := float64(k)
		eta := q + fk
		u := eta * L
		var g, gEta float64 // (w₀^η − ε^η)/(η S0) and its η-derivative
		if math.Abs(u) < 0.5 {
			e1, ph := expm1Phi(u)
			g = B * L * e1
			if d != nil {
				// d/dη [ε^η expm1(ηL)/η] = ε^η (log ε · L e1 + L² φ(ηL)).
				gEta = B * L * (le*e1 + L*ph)
			}
		} else {
			g = (A - B) / eta
			if d != nil {
				gEta = (A*lw - B*le - g) / eta
			}
		}
		tv := c * g
		if !valDone {
			sum += tv
		}
		done := math.Abs(tv) <= 1e-17*math.Abs(sum)
		if d != nil {
			ta, tb := dc*g, c*gEta
			sumA += ta
			sumB += tb
			done = done && math.Abs(ta) <= 1e-17*(math.Abs(sumA)+math.Abs(sum)) &&
				math.Abs(tb) <= 1e-17*(math.Abs(sumB)+math.Abs(sum))
		}
		valDone = valDone || math.Abs(tv) <= 1e-17*math.Abs(sum)
		if done {
			break
		}
		// c_(k+1) = c_k (1−p+k)/(k+1), and its p-derivative.
		f := 1 - p + fk
		dc = (dc*f - c) / (fk + 1)
		c = c * f / (fk + 1)
		A *= w0
		B *= eps
	}
	logLo := lS + math.Log(sum)
	logJ := LogSumExp2(h.logHi, logLo)
	if d != nil {
		wHi, wLo := math.Exp(h.logHi-logJ), math.Exp(logLo-logJ)
		lz := math.Log1p(-eps)
		dJp := wHi*h.dHi[0] + wLo*sumA/sum
		dJb := wHi*h.dHi[1] - wLo*sumB/sum // η = 1 − b + k
		// ∂log J/∂z = −∂log J/∂ε = ε^(−b) (1−ε)^(p−1) / J.
		dJz := math.Exp(-b*le + (p-1)*lz - logJ)
		d[0] = 1/p - lz + dJp
		d[1] = dJb
		d[2] = -p/z + dJz
	}
	return math.Log(p) - p*math.Log1p(-eps) + logJ
}

// maxSplitTerms bounds the binomial series of Hyp2F1C1.split: its k-th
// term is at most 2^−k e^½ times the sum (see Hyp2F1C1).
const maxSplitTerms = 80

// expm1Phi returns expm1(u)/u and φ(u) = (u e^u − expm1(u))/u², its
// derivative, for |u| < ½ by their Taylor series Σ u^j/(j+1)! and
// Σ (j+1) u^j/(j+2)! (20 terms: 2^−20/21! < 1e-25).
func expm1Phi(u float64) (e1, phi float64) {
	e1, phi = 1, 0.5
	f := 1.0 // u^j/(j+1)!
	for j := 1; j < 20; j++ {
		fj := float64(j)
		f *= u / (fj + 1)
		e1 += f
		phi += (fj + 1) * f / (fj + 2)
	}
	return e1, phi
}

// logHyp2F1C1Integral returns log ₂F₁(a, b; a+1; z) and its derivatives by
// adaptive quadrature of Euler's integral,
//
//	₂F₁(a, b; a+1; z) = a (1−z)^(−b) ∫_0^∞ e^(−a v) (1 + z(1−e^(−v))/(1−z))^(−b) dv,
//
// on panels graded geometrically from the layer of width (1−z)/b at 0 to
// 60/a. It was LogHyp2F1C1Grad's branch for z near 1 and is kept as the
// slow, independent reference that the tests compare Hyp2F1C1 against.
func logHyp2F1C1Integral(a, b, z, omz float64, d *[3]float64) float64 {
	ratio := z / omz
	// log of the integrand relative to its value at v = 0.
	lphi := func(v float64) float64 {
		return -a*v - b*math.Log1p(-ratio*math.Expm1(-v))
	}
	vHi := 60 / a
	vLo := 1e-3 * math.Min(omz/(z*math.Max(b, 1)), math.Min(1/a, 1))
	edges := []float64{0}
	for v := vLo; v < vHi; v *= 4 {
		edges = append(edges, v)
	}
	edges = append(edges, vHi)
	const rtol = 1e-12
	i0 := Integrate(func(v float64) float64 { return math.Exp(lphi(v)) }, edges, rtol)
	logF := math.Log(a) - b*math.Log(omz) + math.Log(i0)
	if d != nil {
		iv := Integrate(func(v float64) float64 { return v * math.Exp(lphi(v)) }, edges, rtol)
		il := Integrate(func(v float64) float64 {
			return math.Log1p(-ratio*math.Expm1(-v)) * math.Exp(lphi(v))
		}, edges, rtol)
		iz := Integrate(func(v float64) float64 {
			return math.Exp(-v) / (omz - z*math.Expm1(-v)) * math.Exp(lphi(v))
		}, edges, rtol)
		d[0] = 1/a - iv/i0
		d[1] = -math.Log(omz) - il/i0
		d[2] = b * iz / i0
	}
	return logF
}

// Lbeta returns log B(a, b) = lgamma(a) + lgamma(b) − lgamma(a+b) for
// positive a and b.
func Lbeta(a, b float64) float64 { return mathext.Lbeta(a, b) }

// Lgamma returns log|Γ(x)|.
func Lgamma(x float64) float64 {
	v, _ := math.Lgamma(x)
	return v
}

// LogGammaRatio returns log Γ(x+e) − log Γ(x) for x > 0 and x+e > 0. For
// arguments of 100 and more it subtracts Stirling's series term by term,
//
//	(x−½) log1p(e/x) + e log(x+e) − e + Σ_k c_k ((x+e)^(1−2k) − x^(1−2k)),
//
// c_k = B_2k/(2k(2k−1)), so that the result keeps its relative precision
// when the two log-gammas are huge and nearly equal (x = 1e8, e = 1e4:
// the plain difference of two values near 1.7e9 loses 7 digits of a
// result near 1.8e5); below 100 it is the plain difference.
func LogGammaRatio(x, e float64) float64 {
	if e == 0 {
		return 0
	}
	y := x + e
	if x < 100 || y < 100 {
		return Lgamma(y) - Lgamma(x)
	}
	// Σ c_k (y^(1−2k) − x^(1−2k)) with c = 1/12, −1/360, 1/1260, −1/1680:
	// the remainder is below 1e-20 for arguments >= 100.
	corr := func(z float64) float64 {
		z2 := 1 / (z * z)
		return (1.0/12 + z2*(-1.0/360+z2*(1.0/1260-z2/1680))) / z
	}
	return (x-0.5)*math.Log1p(e/x) + e*math.Log(y) - e + (corr(y) - corr(x))
}
