package analysis

import (
	"context"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/valuekit/valuekit/clv"
	"github.com/valuekit/valuekit/customers"
	"github.com/valuekit/valuekit/event"
)

// ModelInput is the part of a summary a transaction model sees: the
// customers with a purchase in the (calibration) period. Rows[k] is the
// summary row of the k-th customer of Data.
type ModelInput struct {
	Rows []int
	Data clv.Data
}

// ModelRows returns the customers of s with a purchase in the period, with
// their frequency, recency, T, mean spend and weight as clv.Data. It is an
// error when no customer has a purchase.
func ModelRows(s *customers.Summary) (*ModelInput, error) {
	n := 0
	for _, p := range s.Purchases {
		if p > 0 {
			n++
		}
	}
	m := &ModelInput{Rows: make([]int, 0, n)}
	for i, p := range s.Purchases {
		if p > 0 {
			m.Rows = append(m.Rows, i)
		}
	}
	if len(m.Rows) == 0 {
		why := ""
		switch {
		case !s.End.IsZero() && s.AfterEnd > 0:
			why = fmt.Sprintf(" (up to %s; %d events come after it: is the end date right?)", s.End.Format(time.DateOnly), s.AfterEnd)
		case s.Len() == 0:
			why = " (no customers)"
		case !s.End.IsZero():
			why = fmt.Sprintf(" (up to %s)", s.End.Format(time.DateOnly))
		}
		return nil, fmt.Errorf("no customer has a purchase in the period%s: nothing to fit or score", why)
	}
	if n == s.Len() {
		// Every customer has a purchase: the model reads the summary's own
		// columns (clv never modifies its input), no copy.
		m.Data = clv.Data{Frequency: s.Frequency, Recency: s.Recency, T: s.T, Monetary: s.MonetaryValue, Weights: s.Weights}
		return m, nil
	}
	m.Data = clv.Data{Frequency: make([]float64, n), Recency: make([]float64, n), T: make([]float64, n), Monetary: make([]float64, n)}
	if s.Weights != nil {
		m.Data.Weights = make([]float64, n)
	}
	for k, i := range m.Rows {
		m.Data.Frequency[k], m.Data.Recency[k], m.Data.T[k] = s.Frequency[i], s.Recency[i], s.T[i]
		m.Data.Monetary[k] = s.MonetaryValue[i]
		if s.Weights != nil {
			m.Data.Weights[k] = s.Weights[i]
		}
	}
	return m, nil
}

// Scatter spreads v, one value per model row, over the summary's n
// customers; customers outside the model get 0. A nil v gives nil; when
// every customer is a model row, v itself is returned.
func (m *ModelInput) Scatter(v []float64, n int) []float64 {
	if v == nil || len(m.Rows) == n {
		return v
	}
	full := make([]float64, n)
	for k, i := range m.Rows {
		full[i] = v[k]
	}
	return full
}

// SpendData returns the rows of d that a spend model can use: repeat
// customers with a positive mean spend. It reports how many repeat
// customers were left out for a zero mean spend.
func SpendData(d clv.Data) (clv.Data, int) {
	n := 0
	for i, x := range d.Frequency {
		if x > 0 && d.Monetary[i] > 0 {
			n++
		}
	}
	out := clv.Data{Frequency: make([]float64, 0, n), Recency: make([]float64, 0, n), T: make([]float64, 0, n), Monetary: make([]float64, 0, n)}
	if d.Weights != nil {
		out.Weights = make([]float64, 0, n)
	}
	skipped := 0
	for i := range d.Len() {
		if d.Frequency[i] <= 0 {
			continue
		}
		if d.Monetary[i] <= 0 {
			skipped++
			continue
		}
		out.Frequency = append(out.Frequency, d.Frequency[i])
		out.Recency = append(out.Recency, d.Recency[i])
		out.T = append(out.T, d.T[i])
		out.Monetary = append(out.Monetary, d.Monetary[i])
		if d.Weights != nil {
			out.Weights = append(out.Weights, d.Weights[i])
		}
	}
	return out, skipped
}

// Fit fits the named model (see clv.ModelNames) to the customers of d; the
// spend model (clv.NameGammaGamma) sees the repeat customers with a
// positive mean spend. Notes and the fit's warnings go to report, one line
// each, when it is not nil.
func Fit(ctx context.Context, name string, d clv.Data, report func(string)) (clv.Model, error) {
	if name == clv.NameGammaGamma {
		var skipped int
		d, skipped = SpendData(d)
		if skipped > 0 {
			say(report, "note: %d repeat customers with a mean spend of 0 are left out of the spend model", skipped)
		}
	}
	m, err := clv.Fit(ctx, name, d, nil)
	if err != nil {
		return nil, err
	}
	Warnings(m, report)
	return m, nil
}

// Warnings reports a fit's warnings (weakly identified parameters, a
// Hessian that is not positive definite, a frequency–spend correlation),
// one line each.
func Warnings(m clv.Model, report func(string)) {
	if info := m.FitInfo(); info != nil {
		for _, w := range info.Warnings {
			say(report, "warning: %s %s", m.Name(), w)
		}
	}
}

// Spend chooses the spend per purchase of a CLV. At most one of Model, Fit
// and PerPurchase is set; with none, the mean amount per purchase day of the
// period is used (revenue over x + 1 days per customer: the models count
// purchase days, not purchase events).
type Spend struct {
	// Model is a fitted Gamma-Gamma spend model.
	Model *clv.GammaGamma
	// Fit fits a Gamma-Gamma model to the summary's repeat customers.
	Fit bool
	// PerPurchase is a fixed spend per purchase, > 0.
	PerPurchase float64
}

// SetSpend sets the spend of opts as sp says, for the customers of in (rows
// of s), and nets refunds when any customer has some. It returns the spend
// model fitted, if any.
func SetSpend(ctx context.Context, opts *clv.CLVOptions, sp Spend, s *customers.Summary, in *ModelInput, report func(string)) error {
	switch {
	case sp.Model != nil:
		opts.Spend = sp.Model
	case sp.Fit:
		m, err := Fit(ctx, clv.NameGammaGamma, in.Data, report)
		if err != nil {
			return fmt.Errorf("fitting the spend model: %w", err)
		}
		opts.Spend = m.(*clv.GammaGamma)
	case sp.PerPurchase != 0:
		if !(sp.PerPurchase > 0) || math.IsInf(sp.PerPurchase, 0) {
			return fmt.Errorf("%w: spend per purchase %v, want a positive amount", clv.ErrBadParams, sp.PerPurchase)
		}
		opts.SpendPerPurchase = sp.PerPurchase
	default:
		// The models count purchase days (several purchases on one day are
		// one), so the spend per purchase is the revenue per purchase day,
		// x + 1 days per customer, not per purchase event.
		var rev, days float64
		for _, i := range in.Rows {
			w := 1.0
			if s.Weights != nil {
				w = s.Weights[i] // a row of identical customers
			}
			rev += w * s.Revenue[i]
			days += w * (s.Frequency[i] + 1)
		}
		if rev == 0 {
			for _, i := range in.Rows {
				if s.MonetaryValue != nil && s.MonetaryValue[i] > 0 {
					return fmt.Errorf("%w: no revenue to take the default spend per purchase day from (a summary with monetary values but no revenue column); give --spend gg for a spend model fitted to the monetary values, or --spend AMOUNT, the value of a purchase", event.ErrOption)
				}
			}
			return fmt.Errorf("%w: no amounts to value purchases with (no revenue in the data: every purchase amount 0, a file without an amount column, or a summary without monetary values); give --spend AMOUNT, the value of a purchase", event.ErrOption)
		}
		if !(rev > 0) {
			return fmt.Errorf("the mean amount per purchase day is not positive (revenue %g over %g purchase days); give --spend", rev, days)
		}
		opts.SpendPerPurchase = rev / days
		say(report, "spend per purchase: %.2f (the mean amount per purchase day; use --spend gg for a per-customer spend model)", opts.SpendPerPurchase)
	}
	if refunds := RefundRatios(s, in.Rows); refunds != nil {
		opts.Refunds = refunds
		if over := OverRefunded(s, in.Rows); len(over) > 0 {
			say(report, "note: %d customers refunded more than they bought in the period (returns of earlier purchases, say), e.g. %s: their refund ratio is capped at 1, so their value is not negative",
				len(over), exampleIDs(s, over, 5))
		}
	}
	return nil
}

// RefundRatios returns each row's refunds over its purchases, capped at 1,
// or nil when nobody has refunds. A customer who refunded more than they
// bought in the period — a return of a purchase made before it, typically
// — would otherwise project that excess onto every future purchase and get
// a large negative value; OverRefunded lists them.
func RefundRatios(s *customers.Summary, rows []int) *clv.Refunds {
	any := false
	ratio := make([]float64, len(rows))
	for k, i := range rows {
		if s.Refunds[i] > 0 {
			any = true
			ratio[k] = 1 // refunds and no revenue
			if s.Revenue[i] > 0 {
				ratio[k] = min(s.Refunds[i]/s.Revenue[i], 1)
			}
		}
	}
	if !any {
		return nil
	}
	return &clv.Refunds{Ratio: ratio}
}

// OverRefunded returns the rows (summary indices) of rows whose refunds
// exceed their purchases in the period.
func OverRefunded(s *customers.Summary, rows []int) []int {
	var over []int
	for _, i := range rows {
		if s.Refunds[i] > s.Revenue[i] {
			over = append(over, i)
		}
	}
	return over
}

// exampleIDs returns up to k of the customer ids of rows, comma-separated,
// with "…" when there are more.
func exampleIDs(s *customers.Summary, rows []int, k int) string {
	var b strings.Builder
	for n, i := range rows {
		if n == k {
			b.WriteString(", …")
			break
		}
		if n > 0 {
			b.WriteString(", ")
		}
		b.WriteString(s.CustomerID[i])
	}
	return b.String()
}

// DefaultHorizon is the horizon used when none is given: one year as the
// help says it — 365 days, 52 weeks, 12 months or 1 year — a whole number
// of steps (365.25/7 = 52.18 weeks would discount over 53 steps).
func DefaultHorizon(unit event.Unit) float64 {
	switch unit {
	case event.Week:
		return 52
	case event.Month:
		return 12
	case event.Year:
		return 1
	}
	return 365
}

// AnnualRate converts an annual discount rate into the rate per unit of
// time: (1+annual)^(1/n) − 1 for discounting per step, or ln(1+annual)/n
// for continuous discounting (so that a year discounts by 1/(1+annual)
// either way), n = 365.25/unit.Days() units per year.
func AnnualRate(annual float64, unit event.Unit, continuous bool) float64 {
	n := 365.25 / unit.Days()
	if continuous {
		return math.Log1p(annual) / n
	}
	return clv.RatePerUnit(annual, n)
}

func say(report func(string), format string, args ...any) {
	if report != nil {
		report(fmt.Sprintf(format, args...))
	}
}
