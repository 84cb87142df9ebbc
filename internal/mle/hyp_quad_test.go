package mle

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestHyp2F1C1AgainstQuadrature sweeps LogHyp2F1C1Grad against the slow,
// independent quadrature of Euler's integral (logHyp2F1C1Integral, the
// branch it replaced near z = 1) for a from 1e-4 to 1e4, b at, near and
// between integers, and 1 − z from 1e-12 to 0.3: values agree to 1e-11
// (relative, or absolute below 1), derivatives to 1e-8 of their scale
// 1 + |∂| + 1/a (see TestHyp2F1C1Split). The largest differences are at
// a = 1e4, b ≤ 1e-4, where the series at 1 − w₀ = 1 − 5e-5 has 10⁵ terms
// of similar size, each formed by a product recurrence: their rounding
// leaves ~1e-12 in log F, which ∂/∂z multiplies by a (mpmath agrees with
// the quadrature there).
func TestHyp2F1C1AgainstQuadrature(t *testing.T) {
	worst, worstD := 0.0, 0.0
	for ai, a := range []float64{1e-4, 0.3, 0.8, 1, 2, 2.8, 3, 7.8, 100.5, 1e3, 1e4} {
		for bi, bf := range []float64{1e-4, 0.3, 0.9, 0.999999} {
			for _, bb := range []float64{0, 1, 2, 5, a} {
				b := bb + bf
				if bb == a {
					b = a * bf
				}
				for _, b2 := range []float64{b, math.Round(b) + 1e-9, math.Round(b)} {
					if !(b2 > 0 && b2 < a+1) {
						continue
					}
					for oi, omz := range []float64{1e-12, 1e-7, 1e-4, 0.01, 0.3} {
						// The quadrature is this test's time: -short checks
						// half the points, alternating, so every a, b and z
						// still meets the others; the full run checks all.
						if testing.Short() && (ai+bi+oi)%2 == 1 {
							continue
						}
						var d, dr [3]float64
						got := LogHyp2F1C1Grad(a, b2, 1-omz, omz, &d)
						want := logHyp2F1C1Integral(a, b2, 1-omz, omz, &dr)
						e := math.Abs(got-want) / math.Max(1, math.Abs(want))
						worst = math.Max(worst, e)
						assert.True(t, e < 1e-11, "a=%v b=%v 1−z=%v: %v, quadrature %v", a, b2, omz, got, want)
						for i := range d {
							e := math.Abs(d[i]-dr[i]) / (1 + math.Abs(dr[i]) + 1/a)
							worstD = math.Max(worstD, e)
							assert.True(t, e < 1e-8, "a=%v b=%v 1−z=%v: d[%d] %v, quadrature %v", a, b2, omz, i, d[i], dr[i])
						}
					}
				}
			}
		}
	}
	t.Logf("largest differences: value %.2g, derivatives %.2g", worst, worstD)
}
