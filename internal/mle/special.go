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
// a, b and z in d[0], d[1], d[2]. NaN outside the domain.
//
// While the series is short (z up to about 0.998) it uses Euler's
// transformation
//
//	₂F₁(a, b; a+1; z) = (1−z)^(1−b) Σ_n [(a+1−b)_n / (a+1)_n] z^n,
//
// whose terms are positive and shrink at least geometrically with ratio z,
// so nothing overflows however large a and b are; the derivatives are
// summed in the same loop. Closer to 1 it integrates
//
//	₂F₁(a, b; a+1; z) = a ∫_0^∞ e^(−a v) (1 − z e^(−v))^(−b) dv
//	                  = a (1−z)^(−b) ∫_0^∞ e^(−a v) (1 + z(1−e^(−v))/(1−z))^(−b) dv
//
// (s = e^(−v) in Euler's integral), whose integrand falls from 1 at v = 0,
// on panels graded geometrically from the layer of width (1−z)/b at 0 to
// 60/a, by adaptive Gauss–Kronrod quadrature; the derivatives are
// averages of −v, −log(1 − z e^(−v)) and b e^(−v)/(1 − z e^(−v)) under the
// same integrand.
func LogHyp2F1C1Grad(a, b, z, omz float64, d *[3]float64) float64 {
	if !(a > 0) || !(b > 0) || !(b < a+1) || !(z >= 0) || !(z < 1) || !(omz > 0) || !(omz <= 1) {
		if d != nil {
			d[0], d[1], d[2] = math.NaN(), math.NaN(), math.NaN()
		}
		return math.NaN()
	}
	l1z := math.Log(omz)
	if z == 0 {
		if d != nil {
			d[0], d[1], d[2] = 0, 0, b*a/(a+1) // ∂/∂z at 0: a b/(a+1)
		}
		return 0
	}
	ap, c := a+1-b, a+1
	S, dSa, dSc, dSz := 1.0, 0.0, 0.0, 0.0
	term, ha, hc := 1.0, 0.0, 0.0
	converged := false
	for n := 0; n < maxC1Terms; n++ {
		fn := float64(n)
		term *= (ap + fn) / (c + fn) * z
		S += term
		if d != nil {
			ha += 1 / (ap + fn)
			hc += 1 / (c + fn)
			dSa += term * ha
			dSc -= term * hc
			dSz += term * (fn + 1)
		}
		if term <= 1e-17*S {
			converged = true
			break
		}
	}
	if !converged {
		return logHyp2F1C1Integral(a, b, z, omz, d)
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

// maxC1Terms bounds the series of LogHyp2F1C1Grad (z ≲ 0.998); closer to
// 1 the quadrature is faster.
const maxC1Terms = 20_000

// logHyp2F1C1Integral is the quadrature branch of LogHyp2F1C1Grad.
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
