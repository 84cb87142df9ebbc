package mle

import "math"

// glNodes, glWeights: the 16-point Gauss–Legendre rule on [−1, 1], computed
// once by Newton's method on the Legendre recurrence (Golub & Welsch give
// the same nodes; 16 points integrate polynomials of degree 31 exactly).
var glNodes, glWeights = gaussLegendre(16)

func gaussLegendre(n int) (x, w []float64) {
	x, w = make([]float64, n), make([]float64, n)
	for i := 0; i < (n+1)/2; i++ {
		t := math.Cos(math.Pi * (float64(i) + 0.75) / (float64(n) + 0.5))
		var dp float64
		for it := 0; it < 100; it++ {
			p0, p1 := 1.0, t
			for k := 2; k <= n; k++ {
				p0, p1 = p1, ((2*float64(k)-1)*t*p1-(float64(k)-1)*p0)/float64(k)
			}
			dp = float64(n) * (t*p1 - p0) / (t*t - 1)
			dt := p1 / dp
			t -= dt
			if math.Abs(dt) < 1e-16 {
				break
			}
		}
		x[i], x[n-1-i] = -t, t
		w[i] = 2 / ((1 - t*t) * dp * dp)
		w[n-1-i] = w[i]
	}
	return x, w
}

// hypQuadMinP and hypQuadMinTerms choose hyp2F1C1Laplace over
// hyp2F1C1Series: the series is used unless a ≥ hypQuadMinP and its terms,
// which fall like z^n ((a+1)/(a+1+n))^b, would need more than
// hypQuadMinTerms of them (about what the quadrature costs).
const (
	hypQuadMinP     = 8
	hypQuadMinTerms = 800
)

// useLaplace reports whether hyp2F1C1Series at (a, b, z) would need more
// than hypQuadMinTerms terms (see hypQuadMinTerms).
func useLaplace(a, b, omz float64) bool {
	if a < hypQuadMinP {
		return false
	}
	const n = hypQuadMinTerms
	return -n*math.Log1p(-omz)+b*math.Log1p(n/(a+1)) < 39
}

// hyp2F1C1Laplace returns log ₂F₁(a, b; a+1; z) and its derivatives (as
// LogGrad) for 0 < z < 1, omz = 1 − z, by Gauss–Legendre quadrature of
// Euler's integral with y = e^(−u/a),
//
//	₂F₁(a, b; a+1; z) = ε^(−b) I,   I = ∫_0^∞ e^(−φ(u)) du,
//	φ(u) = u + b log(1 + κ(u)),   κ(u) = (z/ε)(1 − e^(−u/a)),   ε = 1 − z,
//
// (DLMF 15.6.1). φ is increasing and concave with φ' ≥ 1, so e^(−φ) < e^−40
// of its integral past φ = 40 + log φ'(0). The integrand's only singularity
// near the real axis is at u = a log z = −δ < 0 (where 1 + κ = 0; the
// others are 2πa away), so on panels [u₀, u₀+h] with h ≤ u₀ + δ the
// Bernstein ellipse of the 16-point rule has ρ ≥ 3 + √8 (error ≲ ρ^−32),
// and with h ≤ 4/φ'(u₀) (and ≤ 8) the exponent changes by at most 4 across
// the ellipse. The panels grow geometrically from min(δ, 4/φ'(0)), so their
// number is bounded independently of a, b and z (δ ≥ aε, which is at least
// ½ where it is used): about 10 to 25 panels of 16 points, where the
// series would need ~37/(ε + b/a) terms (up to 80 a at ε = w₀).
//
// The derivatives are weighted means under the same nodes:
//
//	∂/∂a log ₂F₁ = b ⟨(z/ε) e^(−u/a) u/a² / (1+κ)⟩,
//	∂/∂b log ₂F₁ = −log ε − ⟨log(1+κ)⟩,
//	∂/∂z log ₂F₁ = (b/ε) ⟨e^(−u/a) / (1+κ)⟩,
//
// the last from b/ε − b⟨κ/(zε(1+κ))⟩ with 1/(1+κ) − ε = z e^(−u/a)/(1+κ),
// so nothing cancels.
func hyp2F1C1Laplace(a, b, z, omz float64, d *[3]float64) float64 {
	R := z / omz
	delta := -a * math.Log1p(-omz)
	// phi and its derivative at u, with e^(−u/a) and κ.
	eval := func(u float64) (phi, dphi, y, k float64) {
		y = math.Exp(-u / a)
		k = -R * math.Expm1(-u/a)
		phi = u + b*math.Log1p(k)
		dphi = 1 + b*R*y/(a*(1+k))
		return phi, dphi, y, k
	}
	_, dphi0, _, _ := eval(0)
	stop := 40 + math.Log(dphi0)
	var S, Sa, Sb, Sz float64
	u0, dphi := 0.0, dphi0
	for panel := 0; panel < 400; panel++ {
		h := math.Min(math.Min(4/dphi, u0+delta), 8)
		c, hh := u0+h/2, h/2
		for i, x := range glNodes {
			u := c + hh*x
			phi, _, y, k := eval(u)
			w := hh * glWeights[i] * math.Exp(-phi)
			S += w
			if d != nil {
				inv := 1 / (1 + k)
				Sa += w * R * y * u * inv
				Sb += w * math.Log1p(k)
				Sz += w * y * inv
			}
		}
		u0 += h
		var phi float64
		phi, dphi, _, _ = eval(u0)
		if phi > stop {
			break
		}
	}
	le := math.Log(omz)
	if d != nil {
		d[0] = b * Sa / (a * a * S)
		d[1] = -le - Sb/S
		d[2] = b / omz * Sz / S
	}
	return -b*le + math.Log(S)
}
