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
// 0 ≤ z < 1, accurately for large a and b (thousands). It uses Euler's
// transformation
//
//	₂F₁(a, b; a+1; z) = (1−z)^(1−b) Σ_n [(a+1−b)_n / (a+1)_n] z^n,
//
// whose terms are positive and shrink at least geometrically with ratio z,
// so nothing overflows however large a and b are. It returns NaN outside
// the domain or when the series needs more than a million terms (z within
// about 4e-5 of 1).
func LogHyp2F1C1(a, b, z float64) float64 {
	if !(a > 0) || !(b > 0) || !(b < a+1) || !(z >= 0) || !(z < 1) {
		return math.NaN()
	}
	if z == 0 {
		return 0
	}
	ap := a + 1 - b
	c := a + 1
	sum, term := 1.0, 1.0
	for n := 0; n < maxSeriesTerms; n++ {
		fn := float64(n)
		term *= (ap + fn) / (c + fn) * z
		sum += term
		if term <= 1e-17*sum {
			return (1-b)*math.Log1p(-z) + math.Log(sum)
		}
	}
	return math.NaN()
}

// Lbeta returns log B(a, b) = lgamma(a) + lgamma(b) − lgamma(a+b) for
// positive a and b.
func Lbeta(a, b float64) float64 { return mathext.Lbeta(a, b) }

// Lgamma returns log|Γ(x)|.
func Lgamma(x float64) float64 {
	v, _ := math.Lgamma(x)
	return v
}
