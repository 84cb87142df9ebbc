package segment

import (
	"fmt"
	"math"
	"strings"
)

// Allocation is the rule by which NewPortfolio spreads a budget across
// segments.
type Allocation uint8

const (
	// ByValue allocates in proportion to each segment's total value
	// (negative totals count as 0). It is the zero value, hence the default.
	ByValue Allocation = iota
	// ByValueAtRisk allocates in proportion to each segment's value at risk
	// (negative amounts count as 0). It needs PAlive.
	ByValueAtRisk
	// Equal gives every segment with at least one customer the same amount.
	Equal
)

func (a Allocation) String() string {
	switch a {
	case ByValue:
		return "value"
	case ByValueAtRisk:
		return "value at risk"
	case Equal:
		return "equal"
	}
	return fmt.Sprintf("Allocation(%d)", uint8(a))
}

// ParseAllocation returns the allocation rule named s: "value", "risk" (or
// "value-at-risk") or "equal", matched without regard to case, for
// command-line flags. An unknown name is an error wrapping ErrOption.
func ParseAllocation(s string) (Allocation, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "value":
		return ByValue, nil
	case "risk", "value-at-risk":
		return ByValueAtRisk, nil
	case "equal":
		return Equal, nil
	}
	return 0, optionError("unknown allocation rule %q (want value, risk or equal)", s)
}

// PortfolioOptions are the optional inputs of NewPortfolio. The zero value
// gives counts and value only.
type PortfolioOptions struct {
	// PAlive holds each customer's probability of being alive (still a
	// customer), in [0, 1], e.g. from a clv model. nil: not available, and
	// the P(alive), churn and risk columns are 0.
	PAlive []float64
	// NextValue holds each customer's expected value in the next period.
	// nil: not available, and ExpectedNext is 0.
	NextValue []float64
	// AtRisk is the P(alive) below which a customer counts as likely to be
	// lost. Default 0.5; must be in (0, 1].
	AtRisk float64
	// Budget is the amount to allocate across segments, ≥ 0. Default 0
	// (no allocation).
	Budget float64
	// Allocation is the allocation rule. Default ByValue.
	Allocation Allocation
}

// PortfolioRow is one segment's line in a Portfolio. Figures of an empty
// segment are 0, never NaN.
type PortfolioRow struct {
	Segment       string
	Customers     int
	CustomerShare float64 // Customers / all customers
	TotalValue    float64 // sum of value
	MeanValue     float64 // TotalValue / Customers
	ValueShare    float64 // TotalValue / total value of all customers; 0 if that is not positive
	MeanPAlive    float64 // mean P(alive)
	ChurnRisk     float64 // 1 − MeanPAlive
	AtRisk        int     // customers with P(alive) < AtRisk
	ValueAtRisk   float64 // value of the customers likely to be lost (P(alive) < AtRisk)
	ExpectedLoss  float64 // Σ value·(1 − P(alive)): value lost in expectation
	ExpectedNext  float64 // sum of NextValue: expected value in the next period
	Budget        float64 // allocated budget
	BudgetShare   float64 // Budget / total budget (shares sum to 1 when Budget > 0)
}

// Portfolio is the per-segment view of a customer base: return and risk side
// by side, and a budget allocated across segments.
type Portfolio struct {
	Rows  []PortfolioRow // one per class, in the order of the assignment's Names
	Total PortfolioRow   // all customers; Segment is "total"
	// HasPAlive and HasNextValue report which optional columns were given.
	HasPAlive, HasNextValue bool
	// Budget is the budget allocated; Rule the rule applied. Rule is Equal
	// when the chosen rule had nothing to go by (every weight 0, e.g. all
	// values 0), so that the whole budget is still allocated.
	Budget float64
	Rule   Allocation
}

// NewPortfolio summarises each class of a by value: customers, shares of
// customers and value, total and mean value, and, given P(alive), mean
// P(alive), churn risk, value at risk and expected loss, and given next-period
// values, the value expected in the next period; then it allocates
// opts.Budget across the classes by opts.Allocation. Any classification
// works: a Grid, Tiers, rfm segments or the caller's own.
//
// Shares (CustomerShare, ValueShare, BudgetShare) sum to 1 over the rows up
// to rounding (BudgetShare exactly by construction, the last weighted row
// taking the remainder), except that ValueShare is 0 throughout when the
// total value is not positive. Negative values are summed as they are;
// segments with a negative total get no budget under ByValue.
//
// Errors: a invalid (ErrOption, ErrOutOfRange), columns not of a's length
// (ErrLength), a NaN or infinite value (*ValueError, ErrNotFinite), a
// P(alive) outside [0, 1] (*ValueError, ErrOutOfRange), a bad option
// (ErrOption), ByValueAtRisk without PAlive (ErrOption).
func NewPortfolio(a Assignment, value []float64, opts *PortfolioOptions) (*Portfolio, error) {
	var o PortfolioOptions
	if opts != nil {
		o = *opts
	}
	if o.AtRisk == 0 {
		o.AtRisk = 0.5
	}
	if err := a.Validate(); err != nil {
		return nil, err
	}
	if err := checkPortfolioLengths(a, value, o.PAlive, o.NextValue); err != nil {
		return nil, err
	}
	if !(o.AtRisk > 0 && o.AtRisk <= 1) {
		return nil, optionError("AtRisk = %v, need 0 < AtRisk ≤ 1", o.AtRisk)
	}
	if err := checkAllocation(o.Budget, o.Allocation, o.PAlive != nil); err != nil {
		return nil, err
	}
	if err := checkPortfolioValues(value, o.PAlive, o.NextValue); err != nil {
		return nil, err
	}
	s := newPortfolioSums(a.Names, o.PAlive != nil, o.NextValue != nil, o.AtRisk)
	s.add(a.Class, value, o.PAlive, o.NextValue)
	return s.Portfolio(o.Budget, o.Allocation)
}

// allocate spreads p.Budget over the rows by p.Rule, falling back to Equal
// when the rule's weights are all 0.
func (p *Portfolio) allocate() {
	if p.Budget == 0 {
		return
	}
	w := make([]float64, len(p.Rows))
	weigh := func(rule Allocation) float64 {
		sum := 0.0
		for k, r := range p.Rows {
			switch rule {
			case ByValue:
				w[k] = math.Max(r.TotalValue, 0)
			case ByValueAtRisk:
				w[k] = math.Max(r.ValueAtRisk, 0)
			case Equal:
				w[k] = 0
				if r.Customers > 0 {
					w[k] = 1
				}
			}
			sum += w[k]
		}
		return sum
	}
	sum := weigh(p.Rule)
	if sum == 0 && p.Rule != Equal {
		p.Rule = Equal
		sum = weigh(Equal)
	}
	if sum == 0 {
		return // no customers at all
	}
	last := -1
	for k := range w {
		if w[k] > 0 {
			last = k
		}
	}
	var shareSum, budgetSum float64
	for k := range w {
		if w[k] == 0 {
			continue
		}
		r := &p.Rows[k]
		if k == last {
			r.BudgetShare = math.Max(1-shareSum, 0)
			r.Budget = math.Max(p.Budget-budgetSum, 0)
			break
		}
		r.BudgetShare = w[k] / sum
		r.Budget = p.Budget * r.BudgetShare
		shareSum += r.BudgetShare
		budgetSum += r.Budget
	}
}
