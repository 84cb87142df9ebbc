package clv

import (
	"fmt"
	"math"
)

// Simple is the lifetime-value estimator marketers compute by hand, for
// customers whose purchase rate, order value and tenure are taken as known:
//
//	CLV = purchase frequency per period × average order value × margin × tenure factor
//
// It is transparent and needs no model fit, but it treats every input as a
// certainty: it ignores that heavy buyers may already have left and that
// averages of few purchases are noisy. Prefer a fitted probabilistic model
// (BG/NBD, Pareto/NBD or BG/BB with Gamma-Gamma) when transaction histories
// are available, and use Simple for quick what-if arithmetic, for
// businesses without histories, or as a benchmark.
//
// # Inputs
//
// All per-customer inputs are plain slices of equal length, one element per
// customer, and must be finite and >= 0 (an *event.ValueError wrapping
// ErrBadData names the first offending slice and index):
//
//   - frequency: purchases per period, in the period the discount rate and
//     tenure use (say orders per year). Estimate it from a customer's
//     history as purchases / observed periods, or use a segment average
//     for new customers.
//   - aov: average order value (revenue per purchase). Use net revenue
//     (after refunds and discounts) and the same currency throughout.
//   - tenure: the expected number of further periods the customer stays,
//     for Value; from a contract length, a segment's observed lifetime, or
//     1/(1−r) for a retention rate r (ExpectedTenure).
//   - retention: for ValueRetention, the probability that a customer active
//     in one period is active in the next, in [0, 1]; the share of a
//     cohort's customers that renew, for example.
//
// # Tenure factor
//
// With per-period value v = frequency × aov × margin and discount rate d per
// period, cash flows arrive at the end of periods 1, 2, … (or at their
// start with StartOfPeriod, which multiplies every factor by 1+d). For a
// fixed tenure L (Value), capped at Horizon when set,
//
//	factor = Σ_{t=1}^{L} (1+d)^-t = (1 - (1+d)^-L) / d   (= L when d = 0)
//
// where the closed form interpolates a fractional L. For a retention rate r
// (ValueRetention) the customer is active in period t with probability
// r^(t-1), so
//
//	factor = Σ_{t=1}^{H} r^(t-1) (1+d)^-t = (1 - q^H) / (1+d-r),  q = r/(1+d)
//
// which is 1/(1+d-r) without a horizon and the expected tenure 1/(1-r) when
// d = 0 as well. Note that the discounted value at the expected tenure
// (Value with tenure 1/(1-r)) is larger than the expected discounted value
// (ValueRetention): early periods, which every customer lives, weigh more.
//
// # References
//
//   - Gupta, S. & Lehmann, D. R. (2003). Customers as assets. Journal of
//     Interactive Marketing 17(1), 9–24 (CLV = m r/(1+d-r) as the
//     retention-based margin multiple).
//   - Berger, P. D. & Nasr, N. I. (1998). Customer lifetime value: marketing
//     models and applications. Journal of Interactive Marketing 12(1),
//     17–30.
type Simple struct {
	// Margin is the share of revenue kept as profit (gross or contribution
	// margin), 0 < Margin <= 1. The zero value means 1: the result is then
	// lifetime revenue, not profit.
	Margin float64
	// DiscountRate is the discount rate per period, >= 0 (0.10 for 10% a
	// year with yearly periods; (1.10)^(1/12)-1 for the same rate with
	// monthly periods). Default 0: no discounting.
	DiscountRate float64
	// Horizon, when > 0, caps the number of periods counted (for example a
	// 5-year planning horizon). Default 0: no cap.
	Horizon float64
	// StartOfPeriod books each period's value at its start, so that the
	// current period is not discounted. Default false: at its end.
	StartOfPeriod bool
}

// check validates the settings.
func (s Simple) check() error {
	switch {
	case !(s.Margin >= 0 && s.Margin <= 1):
		return fmt.Errorf("%w: simple CLV: margin %v, want in (0, 1] (0 means 1)", ErrBadParams, s.Margin)
	case !(s.DiscountRate >= 0) || math.IsInf(s.DiscountRate, 0):
		return fmt.Errorf("%w: simple CLV: discount rate %v, want finite and >= 0", ErrBadParams, s.DiscountRate)
	case !(s.Horizon >= 0) || math.IsInf(s.Horizon, 0):
		return fmt.Errorf("%w: simple CLV: horizon %v, want finite and >= 0 (0 means none)", ErrBadParams, s.Horizon)
	}
	return nil
}

func (s Simple) margin() float64 {
	if s.Margin == 0 {
		return 1
	}
	return s.Margin
}

// timing returns the factor for the booking of cash flows: 1 at the end of
// each period, 1+d at its start.
func (s Simple) timing() float64 {
	if s.StartOfPeriod {
		return 1 + s.DiscountRate
	}
	return 1
}

// Value returns, for each customer i,
//
//	dst[i] = frequency[i] × aov[i] × margin × factor(tenure[i])
//
// with the fixed-tenure factor of the type documentation. dst is allocated
// when nil and must otherwise have the inputs' length; it may be one of the
// inputs. Nothing is written when an error is returned.
func (s Simple) Value(dst, frequency, aov, tenure []float64) ([]float64, error) {
	if err := s.check(); err != nil {
		return nil, err
	}
	dst, err := simpleCheck(dst, frequency, aov, tenure, "tenure", false)
	if err != nil {
		return nil, err
	}
	d, mk := s.DiscountRate, s.margin()*s.timing()
	ld := math.Log1p(d)
	for i := range dst {
		l := tenure[i]
		if s.Horizon > 0 {
			l = math.Min(l, s.Horizon)
		}
		f := l
		if d > 0 {
			f = -math.Expm1(-l*ld) / d
		}
		dst[i] = frequency[i] * aov[i] * mk * f
	}
	return dst, nil
}

// ValueRetention returns, for each customer i,
//
//	dst[i] = frequency[i] × aov[i] × margin × factor(retention[i])
//
// with the retention factor of the type documentation; retention[i] must
// be in [0, 1]. A retention of 1 with neither a discount rate nor a horizon
// has no finite value and is an error. dst is as for Value.
func (s Simple) ValueRetention(dst, frequency, aov, retention []float64) ([]float64, error) {
	if err := s.check(); err != nil {
		return nil, err
	}
	dst, err := simpleCheck(dst, frequency, aov, retention, "retention", true)
	if err != nil {
		return nil, err
	}
	d, m, k := s.DiscountRate, s.margin(), s.timing()
	if d == 0 && s.Horizon == 0 {
		for i, r := range retention {
			if r == 1 {
				return nil, badValue("retention", i, r, "want < 1 with no discount rate and no horizon (infinite lifetime)")
			}
		}
	}
	for i, r := range retention {
		var f float64
		q := r / (1 + d)
		switch {
		case s.Horizon == 0:
			f = 1 / (1 + d - r)
		case q == 1: // r = 1, d = 0: every period counts fully.
			f = s.Horizon
		default:
			f = -math.Expm1(s.Horizon*math.Log(q)) / (1 + d - r)
		}
		dst[i] = frequency[i] * aov[i] * m * k * f
	}
	return dst, nil
}

// ExpectedTenure returns 1/(1-r), the expected number of periods (counting
// the current one) of a customer who stays from one period to the next
// with probability r, for 0 <= r < 1; other values are an error wrapping
// ErrBadParams.
func ExpectedTenure(retention float64) (float64, error) {
	if !(retention >= 0 && retention < 1) {
		return 0, fmt.Errorf("%w: retention %v, want in [0, 1)", ErrBadParams, retention)
	}
	return 1 / (1 - retention), nil
}

// PastValue returns the realised value of each customer: dst[i] = margin ×
// revenue[i], with revenue the customer's total net revenue to date (the
// summary's monetary total). Revenue may be negative (refunds above
// purchases) and stays negative; it must be finite. dst is as for Value.
// Past value is not discounted or compounded.
func (s Simple) PastValue(dst, revenue []float64) ([]float64, error) {
	if err := s.check(); err != nil {
		return nil, err
	}
	if dst == nil {
		dst = make([]float64, len(revenue))
	}
	if len(dst) != len(revenue) {
		return nil, fmt.Errorf("%w: dst has length %d, revenue %d", ErrBadData, len(dst), len(revenue))
	}
	for i, v := range revenue {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, badValue("revenue", i, v, "want finite")
		}
	}
	m := s.margin()
	for i, v := range revenue {
		dst[i] = m * v
	}
	return dst, nil
}

// simpleCheck validates the per-customer slices (equal length, finite,
// >= 0, the last <= 1 when unit is set) and returns dst, allocated if nil.
func simpleCheck(dst, frequency, aov, last []float64, lastName string, unit bool) ([]float64, error) {
	n := len(frequency)
	if len(aov) != n || len(last) != n {
		return nil, fmt.Errorf("%w: lengths differ (frequency %d, aov %d, %s %d)", ErrBadData, n, len(aov), lastName, len(last))
	}
	if dst == nil {
		dst = make([]float64, n)
	}
	if len(dst) != n {
		return nil, fmt.Errorf("%w: dst has length %d, want %d", ErrBadData, len(dst), n)
	}
	for i := range n {
		f, a, v := frequency[i], aov[i], last[i]
		if ok := f >= 0 && a >= 0 && v >= 0 && f <= math.MaxFloat64 && a <= math.MaxFloat64 &&
			v <= math.MaxFloat64 && (!unit || v <= 1); ok {
			continue
		}
		// Name the first offending slice.
		for _, c := range []struct {
			name string
			v    float64
		}{{"frequency", f}, {"aov", a}} {
			if !(c.v >= 0) || math.IsInf(c.v, 0) {
				return nil, badValue(c.name, i, c.v, "want finite and >= 0")
			}
		}
		if unit {
			return nil, badValue(lastName, i, v, "want in [0, 1]")
		}
		return nil, badValue(lastName, i, v, "want finite and >= 0")
	}
	return dst, nil
}
