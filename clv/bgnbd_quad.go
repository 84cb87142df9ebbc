package clv

import (
	"math"
	"slices"

	"gonum.org/v1/gonum/mathext"

	"github.com/valuekit/valuekit/internal/mle"
)

// bgnbdRemainingQuad returns
//
//	E[(1 − (h/(h+pt))^R)/p],   p ~ Beta(a, b),
//
// the expected purchases in the next t of a customer who is alive now,
// whose purchase rate is Gamma(R, h) and dropout probability Beta(a, b)
// (for a customer (x, t_x, T) of the BG/NBD: R = r+x, b+x for b, h = α+T).
// It equals bgnbdRemaining and serves only where that function's positive
// series would need more than maxRemainingTerms terms (horizons hundreds of
// times h, or customers expected to buy 10⁵ times); the tests use it as an
// independent reference. The integrand is positive, so nothing cancels;
// see betaMean for the quadrature.
func bgnbdRemainingQuad(R, a, b, h, t float64) float64 {
	if t == 0 {
		return 0
	}
	s := t / h
	g := func(p float64) float64 {
		y := p * s
		if y < 1e-6 {
			// 1 − (1+y)^−R = R y (1 − (R+1)y/2 + (R+1)(R+2)y²/6 − …); the
			// series also avoids the rounding of y when p is subnormal.
			return R * s * (1 - (R+1)*y/2*(1-(R+2)*y/3))
		}
		return -math.Expm1(-R*math.Log1p(y)) / p
	}
	return betaMean(a, b, 1/(s*math.Max(R, 1)), g)
}

// betaMean returns E[g(p)] for p ~ Beta(a, b), a, b > 0, where g is
// positive, finite on [0, 1] and smooth except for a change of regime
// near pstar (for g(p) = (1 − (1+pt/h)^−R)/p at h/(Rt), where it turns
// from R t/h to 1/p). The integral is taken in u = logit p, dp = p(1−p) du,
// where the density p^a (1−p)^b has one peak, at log(a/b) with width
// ~sqrt(1/a + 1/b), and tails falling like e^(a u) and e^(−b u); the range
// is cut where the integrand has fallen 60 e-folds below its largest value.
// A tail that falls slowly (a < 1 or b < 1: the density is singular at the
// end point) is integrated instead on
//
//	p ∈ [0, p₀]:       p = p₀ w^(1/a),  p^(a−1) dp = p₀^a/a dw
//	1−p ∈ [0, 1/4]:    1−p = ¼ w^(1/b), (1−p)^(b−1) dp = −¼^b/b dw
//
// with p₀ = min(¼, pstar), which removes the singularity. Each piece is
// integrated by adaptive Gauss–Kronrod quadrature (mle.Integrate) with the
// normalising 1/B(a, b) folded into log-space factors, so that nothing
// under- or overflows for a and b between 1e-4 and 1e4 and beyond.
func betaMean(a, b, pstar float64, g func(float64) float64) float64 {
	lb := mathext.Lbeta(a, b)
	const rtol = 1e-10
	const q0 = 0.25
	p0 := math.Min(0.25, pstar)
	logit := func(p float64) float64 { return math.Log(p) - math.Log1p(-p) }
	// log of the integrand in u, up to the constant −lb.
	logI := func(u float64) float64 {
		lp := -math.Log1p(math.Exp(-u))
		lq := -math.Log1p(math.Exp(u))
		return math.Log(g(math.Exp(lp))) + a*lp + b*lq
	}
	um, su := math.Log(a)-math.Log(b), math.Sqrt(1/a+1/b)
	// cut returns the point beyond which, walking from u0 in direction
	// dir, the integrand stays 60 e-folds below its largest value.
	cut := func(u0, dir float64) float64 {
		top := logI(u0)
		u, step := u0, su
		for i := 0; i < 200; i++ {
			u += dir * step
			v := logI(u)
			if v > top {
				top = v
			}
			if v < top-60 || math.IsInf(v, -1) {
				break
			}
			step *= 1.5
		}
		return u
	}

	low, up := 0.0, 0.0
	var uLo, uHi float64
	if a < 1 {
		uLo = logit(p0)
		if pre := a*math.Log(p0) - math.Log(a) - lb; pre > -745 {
			low = math.Exp(pre) * mle.Integrate(func(w float64) float64 {
				p := p0 * math.Pow(w, 1/a)
				return g(p) * math.Exp((b-1)*math.Log1p(-p))
			}, unitEdges(), rtol)
		}
	} else {
		uLo = cut(um, -1)
	}
	if b < 1 {
		uHi = math.Log(3)
		if pre := b*math.Log(q0) - math.Log(b) - lb; pre > -745 {
			up = math.Exp(pre) * mle.Integrate(func(w float64) float64 {
				q := q0 * math.Pow(w, 1/b)
				return g(1-q) * math.Exp((a-1)*math.Log1p(-q))
			}, unitEdges(), rtol)
		}
	} else {
		uHi = cut(math.Max(um, uLo), 1)
	}
	mid := 0.0
	if uHi > uLo {
		edges := []float64{uLo, uHi}
		for u := math.Ceil(uLo); u < uHi; u++ {
			edges = append(edges, u)
		}
		for k := -8.0; k <= 8; k++ {
			if u := um + k*su/2; u > uLo && u < uHi {
				edges = append(edges, u)
			}
		}
		if pstar < 1 {
			if u := logit(pstar); u > uLo && u < uHi {
				edges = append(edges, u)
			}
		}
		slices.Sort(edges)
		mid = mle.Integrate(func(u float64) float64 {
			lp := -math.Log1p(math.Exp(-u)) // log p
			lq := -math.Log1p(math.Exp(u))  // log(1−p)
			return g(math.Exp(lp)) * math.Exp(a*lp+b*lq-lb)
		}, edges, rtol)
	}
	return low + mid + up
}

// unitEdges returns panel edges on [0, 1] graded geometrically (by factors
// of 8) towards both ends, down to 8^-16 ≈ 3e-15, where the substituted
// integrands of bgnbdRemainingQuad have their layers.
func unitEdges() []float64 {
	var e [2*16 + 3]float64
	n := 0
	e[n] = 0
	n++
	for k := 16; k >= 1; k-- {
		e[n] = math.Ldexp(1, -3*k) // 8^-k
		n++
	}
	e[n] = 0.5
	n++
	for k := 1; k <= 16; k++ {
		e[n] = 1 - math.Ldexp(1, -3*k)
		n++
	}
	e[n] = 1
	n++
	return e[:n]
}
