package segment

import (
	"math"
	"slices"
)

// PortfolioSums is a partial portfolio that can be merged: per class, the
// sums every figure of a Portfolio is computed from (customers, value,
// P(alive), customers and value at risk, expected loss, next-period value).
// Summing the customers of a base in parts — shards, files, workers — and
// merging the parts in any order and grouping gives, through Portfolio, the
// portfolio NewPortfolio gives on the whole base; NewPortfolio itself is
// PortfolioSums.Add of every customer followed by Portfolio, so the
// arithmetic exists once.
//
// Counts merge exactly. The money and probability sums are compensated
// (CompensatedSum), so that partial sums added in a different order differ
// by a few units in the last place of the total, not by a growing rounding
// error: for sums of terms of one sign (values ≥ 0, P(alive)) the figures of
// any two merge orders agree within 1e-12 relative for any realistic number
// of customers (the bound is about 2ε plus n·ε² relative, ε = 2⁻⁵³). Sums
// with heavy cancellation (values of both signs adding up to nearly 0)
// agree within the same bound relative to the sum of magnitudes instead.
//
// The zero PortfolioSums is empty and is the identity of Merge (it takes
// the other side's classes and options); it cannot be added to, as it has
// no classes. The fields are exported so that the sums can be encoded
// (e.g. by a distributed runner) between Add and Merge; use
// NewPortfolioSums, Add and Merge rather than setting them.
type PortfolioSums struct {
	// Names are the class names, as the Assignment's.
	Names []string
	// Classes holds the sums of each class, indexed like Names.
	Classes []ClassSums
	// HasPAlive and HasNextValue say whether P(alive) and next-period
	// values are summed.
	HasPAlive, HasNextValue bool
	// AtRiskBelow is the P(alive) below which a customer counts as likely
	// to be lost (PortfolioOptions.AtRisk).
	AtRiskBelow float64
}

// ClassSums are one class's sums in a PortfolioSums.
type ClassSums struct {
	// Customers in the class; AtRisk of them with P(alive) below the bound.
	Customers, AtRisk int64
	// Value is Σ value, PAlive Σ P(alive), ValueAtRisk Σ value of the
	// customers at risk, ExpectedLoss Σ value·(1 − P(alive)), NextValue Σ
	// next-period value.
	Value, PAlive, ValueAtRisk, ExpectedLoss, NextValue CompensatedSum
}

// CompensatedSum is a floating-point sum with its rounding error carried
// alongside (Neumaier's compensated summation): Sum returns Hi + Lo, which
// is the exact sum of the terms rounded once, up to a term of order n·ε²
// relative to the sum of magnitudes.
type CompensatedSum struct {
	Hi, Lo float64
}

// Add adds x.
func (s *CompensatedSum) Add(x float64) {
	t := s.Hi + x
	if math.Abs(s.Hi) >= math.Abs(x) {
		s.Lo += (s.Hi - t) + x
	} else {
		s.Lo += (x - t) + s.Hi
	}
	s.Hi = t
}

// Merge adds the terms of o.
func (s *CompensatedSum) Merge(o CompensatedSum) {
	s.Add(o.Hi)
	s.Lo += o.Lo
}

// Sum returns the sum.
func (s CompensatedSum) Sum() float64 { return s.Hi + s.Lo }

// NewPortfolioSums returns empty sums for the classes names, summing
// P(alive) when withPAlive and next-period values when withNextValue;
// atRisk is PortfolioOptions.AtRisk (0: 0.5). Errors wrap ErrOption:
// duplicate names, atRisk outside (0, 1].
func NewPortfolioSums(names []string, withPAlive, withNextValue bool, atRisk float64) (*PortfolioSums, error) {
	if err := (Assignment{Names: names}).Validate(); err != nil {
		return nil, err
	}
	if atRisk == 0 {
		atRisk = 0.5
	}
	if !(atRisk > 0 && atRisk <= 1) {
		return nil, optionError("AtRisk = %v, need 0 < AtRisk ≤ 1", atRisk)
	}
	return newPortfolioSums(names, withPAlive, withNextValue, atRisk), nil
}

func newPortfolioSums(names []string, withPAlive, withNextValue bool, atRisk float64) *PortfolioSums {
	return &PortfolioSums{Names: slices.Clone(names), Classes: make([]ClassSums, len(names)),
		HasPAlive: withPAlive, HasNextValue: withNextValue, AtRiskBelow: atRisk}
}

// Add adds the customers of a, whose class names must be s's, with their
// values and, as s sums them, P(alive) and next-period values (nil
// otherwise). Errors: a's names not s's or a invalid (ErrOption,
// ErrOutOfRange), a column given or missing against s (ErrOption), columns
// not of a's length (ErrLength), a NaN or infinite value (*ValueError,
// ErrNotFinite), a P(alive) outside [0, 1] (*ValueError, ErrOutOfRange). On
// error s is unchanged.
func (s *PortfolioSums) Add(a Assignment, value, pAlive, nextValue []float64) error {
	if !slices.Equal(a.Names, s.Names) || len(s.Classes) != len(s.Names) {
		return optionError("assignment classes %q, the sums' are %q", a.Names, s.Names)
	}
	if (pAlive != nil) != s.HasPAlive || (nextValue != nil) != s.HasNextValue {
		return optionError("P(alive) given %t and next value given %t, the sums have them %t and %t",
			pAlive != nil, nextValue != nil, s.HasPAlive, s.HasNextValue)
	}
	if err := a.Validate(); err != nil {
		return err
	}
	if err := checkPortfolioLengths(a, value, pAlive, nextValue); err != nil {
		return err
	}
	if err := checkPortfolioValues(value, pAlive, nextValue); err != nil {
		return err
	}
	s.add(a.Class, value, pAlive, nextValue)
	return nil
}

// add adds checked columns.
func (s *PortfolioSums) add(class []int32, value, pAlive, nextValue []float64) {
	for i, k := range class {
		c := &s.Classes[k]
		v := value[i]
		c.Customers++
		c.Value.Add(v)
		if nextValue != nil {
			c.NextValue.Add(nextValue[i])
		}
		if pAlive != nil {
			p := pAlive[i]
			c.PAlive.Add(p)
			c.ExpectedLoss.Add(v * (1 - p))
			if p < s.AtRiskBelow {
				c.AtRisk++
				c.ValueAtRisk.Add(v)
			}
		}
	}
}

// empty reports whether s is the zero PortfolioSums.
func (s *PortfolioSums) empty() bool {
	return s.Names == nil && s.Classes == nil && !s.HasPAlive && !s.HasNextValue && s.AtRiskBelow == 0
}

// Merge adds the sums of o to s. Either may be the zero PortfolioSums.
// Errors wrap ErrOption: different class names, columns or at-risk bound,
// or sums not holding one entry per class.
func (s *PortfolioSums) Merge(o *PortfolioSums) error {
	if o == nil || o.empty() {
		return nil
	}
	if len(o.Classes) != len(o.Names) {
		return optionError("sums of %d classes for %d names", len(o.Classes), len(o.Names))
	}
	if s.empty() {
		*s = PortfolioSums{Names: slices.Clone(o.Names), Classes: slices.Clone(o.Classes),
			HasPAlive: o.HasPAlive, HasNextValue: o.HasNextValue, AtRiskBelow: o.AtRiskBelow}
		return nil
	}
	if len(s.Classes) != len(s.Names) {
		return optionError("sums of %d classes for %d names", len(s.Classes), len(s.Names))
	}
	if !slices.Equal(s.Names, o.Names) {
		return optionError("merging sums of classes %q into sums of classes %q", o.Names, s.Names)
	}
	if s.HasPAlive != o.HasPAlive || s.HasNextValue != o.HasNextValue || s.AtRiskBelow != o.AtRiskBelow {
		return optionError("merging sums with P(alive) %t, next value %t, at risk below %v into sums with %t, %t, %v",
			o.HasPAlive, o.HasNextValue, o.AtRiskBelow, s.HasPAlive, s.HasNextValue, s.AtRiskBelow)
	}
	for k := range s.Classes {
		c, d := &s.Classes[k], o.Classes[k]
		c.Customers += d.Customers
		c.AtRisk += d.AtRisk
		c.Value.Merge(d.Value)
		c.PAlive.Merge(d.PAlive)
		c.ValueAtRisk.Merge(d.ValueAtRisk)
		c.ExpectedLoss.Merge(d.ExpectedLoss)
		c.NextValue.Merge(d.NextValue)
	}
	return nil
}

// Portfolio returns the portfolio of the summed customers with budget
// allocated by rule: what NewPortfolio returns for them with
// PortfolioOptions{Budget: budget, Allocation: rule} and the sums' columns
// and at-risk bound. Errors wrap ErrOption: a budget not finite and ≥ 0,
// an unknown rule, ByValueAtRisk without P(alive), malformed sums.
func (s *PortfolioSums) Portfolio(budget float64, rule Allocation) (*Portfolio, error) {
	if err := checkAllocation(budget, rule, s.HasPAlive); err != nil {
		return nil, err
	}
	if len(s.Classes) != len(s.Names) {
		return nil, optionError("sums of %d classes for %d names", len(s.Classes), len(s.Names))
	}
	rows := make([]PortfolioRow, len(s.Names))
	var n int64
	var value, next, loss, atRiskValue, pAlive CompensatedSum
	tot := PortfolioRow{Segment: "total"}
	for k, c := range s.Classes {
		if c.Customers < 0 || c.AtRisk < 0 || c.AtRisk > c.Customers {
			return nil, optionError("class %q: %d customers, %d at risk", s.Names[k], c.Customers, c.AtRisk)
		}
		r := &rows[k]
		r.Segment = s.Names[k]
		r.Customers = int(c.Customers)
		r.TotalValue = c.Value.Sum()
		n += c.Customers
		value.Merge(c.Value)
		if s.HasNextValue {
			r.ExpectedNext = c.NextValue.Sum()
			next.Merge(c.NextValue)
		}
		if s.HasPAlive {
			r.AtRisk = int(c.AtRisk)
			r.ValueAtRisk = c.ValueAtRisk.Sum()
			r.ExpectedLoss = c.ExpectedLoss.Sum()
			tot.AtRisk += r.AtRisk
			atRiskValue.Merge(c.ValueAtRisk)
			loss.Merge(c.ExpectedLoss)
			pAlive.Merge(c.PAlive)
		}
		if c.Customers > 0 {
			r.MeanValue = r.TotalValue / float64(c.Customers)
			if s.HasPAlive {
				r.MeanPAlive = c.PAlive.Sum() / float64(c.Customers)
				r.ChurnRisk = 1 - r.MeanPAlive
			}
		}
	}
	tot.Customers = int(n)
	tot.TotalValue, tot.ExpectedNext = value.Sum(), next.Sum()
	tot.ValueAtRisk, tot.ExpectedLoss = atRiskValue.Sum(), loss.Sum()
	if n > 0 {
		tot.CustomerShare = 1
		tot.MeanValue = tot.TotalValue / float64(n)
		if s.HasPAlive {
			tot.MeanPAlive = pAlive.Sum() / float64(n)
			tot.ChurnRisk = 1 - tot.MeanPAlive
		}
	}
	if tot.TotalValue > 0 {
		tot.ValueShare = 1
	}
	for k := range rows {
		r := &rows[k]
		if n > 0 {
			r.CustomerShare = float64(r.Customers) / float64(n)
		}
		if tot.TotalValue > 0 {
			r.ValueShare = r.TotalValue / tot.TotalValue
		}
	}
	p := &Portfolio{Rows: rows, HasPAlive: s.HasPAlive, HasNextValue: s.HasNextValue, Budget: budget, Rule: rule}
	p.allocate()
	if budget > 0 && n > 0 {
		tot.Budget, tot.BudgetShare = budget, 1
	}
	p.Total = tot
	return p, nil
}

// checkAllocation checks a portfolio's budget and allocation rule.
func checkAllocation(budget float64, rule Allocation, hasPAlive bool) error {
	if !(budget >= 0) || math.IsInf(budget, 0) {
		return optionError("budget %v, need a finite amount ≥ 0", budget)
	}
	if rule > Equal {
		return optionError("unknown allocation rule %d", rule)
	}
	if rule == ByValueAtRisk && !hasPAlive {
		return optionError("allocation by value at risk needs P(alive)")
	}
	return nil
}

// checkPortfolioLengths checks that the columns are of a's length.
func checkPortfolioLengths(a Assignment, value, pAlive, nextValue []float64) error {
	n := len(a.Class)
	if len(value) != n {
		return lengthError("value", len(value), "assignment", n)
	}
	if pAlive != nil && len(pAlive) != n {
		return lengthError("p_alive", len(pAlive), "assignment", n)
	}
	if nextValue != nil && len(nextValue) != n {
		return lengthError("next_value", len(nextValue), "assignment", n)
	}
	return nil
}

// checkPortfolioValues checks that values are finite and P(alive) a
// probability.
func checkPortfolioValues(value, pAlive, nextValue []float64) error {
	if err := checkFinite("value", value); err != nil {
		return err
	}
	if err := checkFinite("next_value", nextValue); err != nil {
		return err
	}
	for i, p := range pAlive {
		if !(p >= 0 && p <= 1) {
			if !isFinite(p) {
				return &ValueError{Column: "p_alive", Index: i, Value: p, Err: ErrNotFinite}
			}
			return &ValueError{Column: "p_alive", Index: i, Value: p, Reason: "want a probability in [0, 1]", Err: ErrOutOfRange}
		}
	}
	return nil
}
