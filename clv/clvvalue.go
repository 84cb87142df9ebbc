package clv

import (
	"context"
	"fmt"
	"math"

	"github.com/valuekit/valuekit/event"
)

// CLVOptions configure discounted customer lifetime value. Times are in the
// data's own time unit (days, weeks, periods) — never a hard-coded month.
type CLVOptions struct {
	// Horizon is the length of the future window, in the data's time unit;
	// must be > 0.
	Horizon float64
	// Steps is the number of equal steps the horizon is divided into: the
	// purchases expected in step k, E(t_k) − E(t_(k−1)), are discounted at
	// its end t_k = k·Horizon/Steps. Default ceil(Horizon), one step per
	// time unit (up to 2⁵⁰ steps for the continuous-time models, whose
	// rule costs the same for any number, 100,000 for the discrete-time
	// ones, which are summed step by step); given, at most 100,000.
	Steps int
	// DiscountRate is the discount rate per time unit of the data (see
	// RatePerUnit to convert an annual rate); 0 means no discounting. Value
	// at time t is weighted by (1+DiscountRate)^−t, or by
	// exp(−DiscountRate·t) when Continuous is set. Must be >= 0.
	DiscountRate float64
	// Continuous selects continuous discounting.
	Continuous bool
	// Margin is the profit margin applied to spend, in (0, 1] usually;
	// 0 means 1 (value = revenue). Must be finite and >= 0.
	Margin float64
	// Spend, if not nil, gives each customer's expected spend per purchase
	// (Gamma-Gamma conditional expectation from Frequency and Monetary of
	// the data). Otherwise SpendPerPurchase is used for everyone. A spend
	// model with Q <= 1 has no finite mean; a customer whose expected spend
	// is then infinite (P·x + Q <= 1) is an error wrapping ErrBadParams.
	Spend *GammaGamma
	// SpendPerPurchase is the spend per purchase when Spend is nil; it must
	// then be > 0.
	SpendPerPurchase float64
	// Refunds, if not nil, nets expected refunds out of the value.
	Refunds *Refunds
}

// Refunds describes each customer's refunds, netted from their value.
//
// The spend model sees purchases only; a customer's expected refunds are
// their gross value times a refund ratio shrunk towards the population's:
//
//	ratio_i* = (n_i ratio_i + κ ratio_pop) / (n_i + κ),
//	ratio_pop = Σ w_i n_i ratio_i / Σ w_i n_i,
//	net_i = gross_i (1 − ratio_i*),
//
// with n_i = x_i + 1 the customer's purchases (the evidence behind their own
// ratio) and κ = Prior. This is the credibility (posterior-mean) weighting
// of a beta-binomial model with prior mean ratio_pop and prior weight κ
// purchases: a customer with one refunded purchase is not written off, one
// with a long record of refunds is. A customer whose shrunk ratio exceeds
// 1 has a negative net value, reported as such (not clipped to 0).
type Refunds struct {
	// Ratio[i] is customer i's refunded value divided by their gross
	// purchase value (0 when none); finite and >= 0; may exceed 1 for a
	// customer who returned more than they bought in the period. Same
	// length as the data.
	Ratio []float64
	// Prior is κ, the weight of the population ratio in purchases. Default
	// (0) is 5; must be >= 0 (a negative value is an error).
	Prior float64
}

// RatePerUnit converts a rate per year into the equivalent rate per time
// unit when a year holds unitsPerYear units (52 for weeks, 365.25 for days,
// 12 for months): (1+annual)^(1/unitsPerYear) − 1.
func RatePerUnit(annual, unitsPerYear float64) float64 {
	return math.Expm1(math.Log1p(annual) / unitsPerYear)
}

// clvPlan is validated CLVOptions with the discount rule precomputed.
type clvPlan struct {
	opts     CLVOptions
	margin   float64
	rule     discountRule // rule.nodes[0] is the horizon
	coarse   discountRule // for ratios (see newRatioRule)
	popRatio float64
	prior    float64
}

const maxCLVSteps = 100_000

// maxContinuousSteps bounds the default steps of a continuous-time model:
// 2⁵⁰ unit steps keep the step times exact in float64.
const maxContinuousSteps = 1 << 50

// newCLVPlan validates opts for the data d and model m (whose kind chooses
// the discount rule: discrete-time models are summed period by period).
func newCLVPlan(opts CLVOptions, d Data, m TransactionModel) (*clvPlan, error) {
	switch {
	case !(opts.Horizon > 0) || math.IsInf(opts.Horizon, 0):
		return nil, fmt.Errorf("%w: CLV horizon %v, want positive and finite", ErrBadParams, opts.Horizon)
	case !(opts.DiscountRate >= 0) || math.IsInf(opts.DiscountRate, 0):
		return nil, fmt.Errorf("%w: discount rate %v, want finite and >= 0", ErrBadParams, opts.DiscountRate)
	case !(opts.Margin >= 0) || math.IsInf(opts.Margin, 0):
		return nil, fmt.Errorf("%w: margin %v, want finite and >= 0", ErrBadParams, opts.Margin)
	case opts.Steps < 0 || opts.Steps > maxCLVSteps:
		return nil, fmt.Errorf("%w: %d steps, want 0 (default) to %d", ErrBadParams, opts.Steps, maxCLVSteps)
	case opts.Spend == nil && (!(opts.SpendPerPurchase > 0) || math.IsInf(opts.SpendPerPurchase, 0)):
		return nil, fmt.Errorf("%w: no spend model and spend per purchase %v, want positive", ErrBadParams, opts.SpendPerPurchase)
	case opts.Spend != nil && len(d.Monetary) != d.Len():
		return nil, fmt.Errorf("%w: spend model needs Monetary: %d values for %d customers", ErrBadData, len(d.Monetary), d.Len())
	}
	if opts.Spend != nil {
		gg := opts.Spend
		for i, v := range d.Monetary {
			if !(v >= 0) || math.IsInf(v, 0) {
				return nil, badValue("monetary_value", i, v, "want finite and >= 0")
			}
			// With q <= 1 the spend model has no finite population mean, and
			// a customer with p·x + q <= 1 no finite expected spend: an
			// error, rather than +Inf (or NaN) in the output.
			if x := d.Frequency[i]; gg.P*x+gg.Q-1 <= 0 {
				return nil, &event.ValueError{Column: "frequency", Index: i, Value: x, Err: ErrBadParams,
					Reason: fmt.Sprintf("for which Gamma-Gamma q = %.4g gives no finite expected spend (p·x + q ≤ 1); refit the spend model or give SpendPerPurchase", gg.Q)}
			}
		}
	}
	p := &clvPlan{opts: opts, margin: opts.Margin}
	if p.margin == 0 {
		p.margin = 1
	}
	_, continuous := m.(curver)
	if continuous && opts.Steps == 0 && opts.DiscountRate > 0 && opts.Horizon > maxContinuousSteps {
		return nil, fmt.Errorf("%w: CLV horizon %v, want at most %.3g (%d unit steps; a discounted value has long converged by then)",
			ErrBadParams, opts.Horizon, float64(maxContinuousSteps), int64(maxContinuousSteps))
	}
	steps := opts.Steps
	if steps == 0 {
		// One step per unit of time. The continuous-time models' rule
		// costs the same for any number of steps (its tail is integrated
		// on panels growing geometrically), so their steps stay one unit
		// long at any horizon: capped at maxCLVSteps, steps of ten units
		// at a horizon of 10⁶ lost value and at 10⁹ most of it.
		limit := float64(maxCLVSteps)
		if continuous {
			limit = maxContinuousSteps
		}
		steps = int(math.Min(math.Ceil(opts.Horizon), limit))
	}
	rho := opts.DiscountRate
	if !opts.Continuous {
		rho = math.Log1p(rho)
	}
	p.rule = newDiscountRule(opts.Horizon, steps, rho, !continuous)
	p.coarse = newRatioRule(opts.Horizon, steps, rho, !continuous)
	if r := opts.Refunds; r != nil {
		if len(r.Ratio) != d.Len() {
			return nil, fmt.Errorf("%w: %d refund ratios for %d customers", ErrBadData, len(r.Ratio), d.Len())
		}
		if !(r.Prior >= 0) || math.IsInf(r.Prior, 0) {
			return nil, fmt.Errorf("%w: refund prior %v, want finite and >= 0", ErrBadParams, r.Prior)
		}
		p.prior = r.Prior
		if p.prior == 0 {
			p.prior = 5
		}
		var num, den float64
		for i, v := range r.Ratio {
			if !(v >= 0) || math.IsInf(v, 0) {
				return nil, badValue("refund_ratio", i, v, "want finite and >= 0")
			}
			n := (d.Frequency[i] + 1) * d.Weight(i)
			num += n * v
			den += n
		}
		if den > 0 {
			p.popRatio = num / den
		}
	}
	return p, nil
}

// curver is implemented by models that compute the conditional expected
// purchases at several horizons sharing one P(alive) evaluation.
type curver interface {
	conditionalCurve(dst, ts []float64, c Customer)
}

// curve stores m's conditional expected purchases of c at ts in dst.
func curve(m TransactionModel, dst, ts []float64, c Customer) {
	if cv, ok := m.(curver); ok {
		cv.conditionalCurve(dst, ts, c)
		return
	}
	for k, t := range ts {
		dst[k] = m.ConditionalExpectedPurchases(t, c)
	}
}

// discounted returns the discounted expected purchases of c over the
// horizon, using buf (len(p.rule.nodes)) as scratch; buf[0] is then the
// undiscounted expected purchases over the horizon.
func (p *clvPlan) discounted(m TransactionModel, c Customer, buf []float64) float64 {
	curve(m, buf, p.rule.nodes, c)
	return p.rule.apply(buf)
}

// coarseDiscounted is discounted by the ratio rule (see newRatioRule);
// buf[0] is the expected purchases over the horizon.
func (p *clvPlan) coarseDiscounted(m TransactionModel, c Customer, buf []float64) float64 {
	buf = buf[:len(p.coarse.nodes)]
	curve(m, buf, p.coarse.nodes, c)
	return p.coarse.apply(buf)
}

// scale returns customer i's value per discounted expected purchase:
// spend × margin × (1 − shrunk refund ratio).
func (p *clvPlan) scale(d Data, i int) float64 {
	spend := p.opts.SpendPerPurchase
	if p.opts.Spend != nil {
		spend = p.opts.Spend.ConditionalExpectedSpend(d.Frequency[i], d.Monetary[i])
	}
	v := spend * p.margin
	if r := p.opts.Refunds; r != nil {
		n := d.Frequency[i] + 1
		ratio := (n*r.Ratio[i] + p.prior*p.popRatio) / (n + p.prior)
		v *= 1 - ratio
	}
	return v
}

// CLV returns the discounted net lifetime value over opts.Horizon of
// customer i of d under the transaction model m (see CLVOptions). It is the
// single-customer form of CLVBatch; prefer CLVBatch for many customers.
func CLV(m TransactionModel, d Data, i int, opts CLVOptions) (float64, error) {
	if i < 0 || i >= d.Len() {
		return 0, fmt.Errorf("%w: customer %d out of range [0, %d)", ErrBadData, i, d.Len())
	}
	p, err := newCLVPlan(opts, d, m)
	if err != nil {
		return 0, err
	}
	if err := checkRow(d, i); err != nil {
		return 0, err
	}
	return p.discounted(m, d.Customer(i), make([]float64, len(p.rule.nodes))) * p.scale(d, i), nil
}

// CLVBatch writes into dst[i] the discounted net lifetime value of every
// customer of d (see CLVOptions):
//
//	CLV_i = margin · spend_i · (1 − ratio_i*) · Σ_k [E_i(t_k) − E_i(t_(k−1))] D(t_k),
//
// E_i(t) the model's conditional expected purchases in the next t, D the
// discount factor and spend_i the Gamma-Gamma conditional expected spend or
// the given spend per purchase. The sum is computed once per distinct
// history (x, t_x, T), on all cores, by a fixed rule of at most about 100
// evaluations of E whatever the number of steps (see discountRule; within
// 1e-7 of the step-by-step sum). dst must have length d.Len(). ctx is
// checked every few hundred histories. Errors wrap ErrBadParams or
// ErrBadData; a bad value is an *event.ValueError naming its column and row.
func CLVBatch(ctx context.Context, dst []float64, m TransactionModel, d Data, opts CLVOptions) error {
	if len(dst) != d.Len() {
		return fmt.Errorf("%w: dst has length %d, want %d", ErrBadData, len(dst), d.Len())
	}
	p, err := newCLVPlan(opts, d, m)
	if err != nil {
		return err
	}
	g, err := groupHistories(d)
	if err != nil {
		return err
	}
	S := make([]float64, g.len())
	err = g.each(ctx, len(p.rule.nodes), func(j int, c Customer, buf []float64) {
		S[j] = p.discounted(m, c, buf)
	})
	if err != nil {
		return err
	}
	for i, j := range g.index {
		dst[i] = S[j] * p.scale(d, i)
	}
	return nil
}

// Score writes into expected[i] the conditional expected purchases of
// customer i in the next horizon and into alive[i] their P(alive); either
// slice may be nil to skip it, otherwise it must have length d.Len().
// Each distinct history is scored once, on all cores; ctx is checked every
// few hundred histories.
func Score(ctx context.Context, expected, alive []float64, m TransactionModel, d Data, horizon float64) error {
	n := d.Len()
	if (expected != nil && len(expected) != n) || (alive != nil && len(alive) != n) {
		return fmt.Errorf("%w: output lengths %d and %d, want %d", ErrBadData, len(expected), len(alive), n)
	}
	if !(horizon >= 0) || math.IsInf(horizon, 0) {
		return fmt.Errorf("%w: horizon %v, want finite and >= 0", ErrBadParams, horizon)
	}
	g, err := groupHistories(d)
	if err != nil {
		return err
	}
	E, A := make([]float64, g.len()), make([]float64, g.len())
	err = g.each(ctx, 0, func(j int, c Customer, _ []float64) {
		if expected != nil {
			E[j] = m.ConditionalExpectedPurchases(horizon, c)
		}
		if alive != nil {
			A[j] = m.ProbAlive(c)
		}
	})
	if err != nil {
		return err
	}
	for i, j := range g.index {
		if expected != nil {
			expected[i] = E[j]
		}
		if alive != nil {
			alive[i] = A[j]
		}
	}
	return nil
}

// checkRows checks the columns' lengths and each row's history (x a whole
// number >= 0, 0 <= t_x <= T, all finite).
func checkRows(d Data) error {
	n := d.Len()
	if len(d.Recency) != n || len(d.T) != n {
		return fmt.Errorf("%w: column lengths differ (frequency %d, recency %d, T %d)", ErrBadData, n, len(d.Recency), len(d.T))
	}
	for i := 0; i < n; i++ {
		if err := checkRow(d, i); err != nil {
			return err
		}
	}
	return nil
}

func checkRow(d Data, i int) error {
	if !checkCustomer(d.Customer(i)) {
		return historyError(d, i)
	}
	return nil
}
