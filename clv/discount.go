package clv

import (
	"math"

	"gonum.org/v1/gonum/integrate/quad"
)

// A discount rule turns a customer's conditional expected-purchase curve
// E(t) into the discounted expected purchases of CLVOptions,
//
//	S = Σ_{k=1..n} [E(t_k) − E(t_(k−1))] D(t_k),   t_k = k·h, h = Horizon/n,
//
// as a fixed weighted sum S = Σ_j w_j E(τ_j) over nodes τ_j that do not
// depend on the customer, so that one curve evaluation at the nodes (one
// P(alive)) gives a customer's value, and its cost does not grow with the
// number of steps.
//
// Summation by parts, with D(t_(k+1)) = e^(−ρh) D(t_k) (ρ = ln(1+rate), or
// the rate itself when discounting continuously), gives
//
//	S = E(H) D(H) + (1 − e^(−ρh)) Σ_{k=1..n−1} f(t_k),   f(t) = E(t) D(t).
//
// With few steps the sum is taken term by term (exact). Otherwise the first
// terms, where E bends fastest, are summed exactly, and the tail from step
// m on by the Euler–Maclaurin formula
//
//	Σ_{k=m..n−1} f(kh) ≈ (1/h)∫_{mh}^{(n−1)h} f + [f(mh) + f((n−1)h)]/2
//	                     + (h/12)[f'((n−1)h) − f'(mh)],
//
// the integral by Gauss–Legendre on panels growing geometrically from mh
// (E′ of every model here is a mixture of decaying exponentials — e.g.
// BG/NBD: E′(t) = E[λ e^(−λpt) | history] — so f varies on the scale of t
// itself, and panels [a, 4a] see it as smooth) and f′ by central
// differences. The omitted terms are of order h³f‴/720 ≈ f/(120 m³)
// relative to one term, times 1 − e^(−ρh); TestDiscountRule holds the rule
// to 1e-7 relative of the exact sum over models, parameters and horizons.
type discountRule struct {
	nodes, weights []float64
}

// The rule's size, which holds it within 1e-7 of the exact sum.
const (
	// exactSteps is the largest number of steps summed term by term.
	exactSteps = 48
	// headSteps (m) is the number of leading steps summed exactly before
	// the Euler–Maclaurin tail.
	headSteps = 16
	// panelNodes is the Gauss–Legendre order per panel; panelGrowth the
	// ratio of a panel's end to its start.
	panelNodes  = 10
	panelGrowth = 4
)

// newDiscountRule returns the rule for n steps over horizon H at log
// discount factor rho per time unit (D(t) = e^(−ρt)). With exact, or few
// steps, it sums step by step: discrete-time models are evaluated at whole
// periods only.
func newDiscountRule(H float64, n int, rho float64, exact bool) discountRule {
	h := H / float64(n)
	D := func(t float64) float64 { return math.Exp(-rho * t) }
	var r discountRule
	add := func(t, w float64) {
		r.nodes = append(r.nodes, t)
		r.weights = append(r.weights, w)
	}
	if rho == 0 {
		add(H, 1) // undiscounted: S = E(H)
		return r
	}
	c := -math.Expm1(-rho * h) // 1 − e^(−ρh)
	add(H, D(H))
	if exact || n <= exactSteps {
		for k := 1; k < n; k++ {
			t := h * float64(k)
			add(t, c*D(t))
		}
		return r.withoutZeros()
	}
	m := headSteps
	for k := 1; k < m; k++ {
		t := h * float64(k)
		add(t, c*D(t))
	}
	a, b := h*float64(m), h*float64(n-1)
	// (1/h)∫_a^b f on panels [a, 4a], [4a, 16a], … (the last cut at b).
	x, w := make([]float64, panelNodes), make([]float64, panelNodes)
	for lo := a; lo < b; lo *= panelGrowth {
		hi := math.Min(lo*panelGrowth, b)
		if b-hi < 0.5*(hi-lo) { // no sliver of a last panel
			hi = b
		}
		quad.Legendre{}.FixedLocations(x, w, lo, hi)
		for j := range x {
			add(x[j], c*w[j]/h*D(x[j]))
		}
		if hi == b {
			break
		}
	}
	// Endpoint halves.
	add(a, c*0.5*D(a))
	add(b, c*0.5*D(b))
	// (h/12)[f'(b) − f'(a)], f' by central differences of step δ.
	delta := h / 4
	g := c * h / 12 / (2 * delta)
	add(b+delta, g*D(b+delta))
	add(b-delta, -g*D(b-delta))
	add(a+delta, -g*D(a+delta))
	add(a-delta, g*D(a-delta))
	return r.withoutZeros()
}

// withoutZeros drops the nodes after the first (the horizon, which callers
// read) whose weight is 0 — the discount factor underflowed there, beyond
// 745/ρ — so that a horizon of thousands of years costs no evaluations of
// the expected purchases far out, where they are slowest, for terms that
// add nothing.
func (r discountRule) withoutZeros() discountRule {
	keep := 1
	for j := 1; j < len(r.nodes); j++ {
		if r.weights[j] != 0 {
			r.nodes[keep], r.weights[keep] = r.nodes[j], r.weights[j]
			keep++
		}
	}
	r.nodes, r.weights = r.nodes[:keep], r.weights[:keep]
	return r
}

// apply returns Σ_j w_j E(τ_j) for curve values e at the rule's nodes.
func (r *discountRule) apply(e []float64) float64 {
	s := 0.0
	for j, w := range r.weights {
		s += w * e[j]
	}
	return s
}

// ratioNodes is the Gauss–Legendre order of newRatioRule.
const ratioNodes = 6

// newRatioRule returns a rule of ratioNodes+1 nodes for ratios of
// discounted purchases under nearby parameters (the sigma points of
// SigmaIntervals), where only the relative change matters and the rule's
// own error cancels: the sum by parts with its sum replaced by the integral
// (1 − e^(−ρh))/h ∫_0^H E(t) D(t) dt, taken by Gauss–Legendre in u with
// t = H u² (nodes gather near 0, where E bends). Discrete-time models get
// the exact rule. TestCoarseRatio holds its ratios to the full rule's
// within 1e-3 (relative), a hundredth of the intervals' half-widths.
func newRatioRule(H float64, n int, rho float64, exact bool) discountRule {
	if exact || rho == 0 || n <= ratioNodes+1 {
		return newDiscountRule(H, n, rho, exact)
	}
	h := H / float64(n)
	var r discountRule
	r.nodes = append(r.nodes, H)
	r.weights = append(r.weights, math.Exp(-rho*H))
	c := -math.Expm1(-rho*h) / h
	// The integral stops where the discount factor is e^−40: beyond, it
	// adds nothing a float64 sum keeps, and over a horizon of thousands of
	// years every node fell there, every weight was 0 and a ratio 0/0.
	Hi := math.Min(H, 40/rho)
	u, w := make([]float64, ratioNodes), make([]float64, ratioNodes)
	quad.Legendre{}.FixedLocations(u, w, 0, 1)
	for j := range u {
		t := Hi * u[j] * u[j]
		r.nodes = append(r.nodes, t)
		r.weights = append(r.weights, c*w[j]*2*Hi*u[j]*math.Exp(-rho*t)) // dt = 2 Hi u du
	}
	return r
}
