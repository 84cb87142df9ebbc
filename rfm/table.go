package rfm

import (
	"fmt"

	"github.com/valuekit/valuekit/segment"
)

// Segment names of the default table.
const (
	Champions         = "Champions"
	Loyal             = "Loyal"
	PotentialLoyalist = "Potential loyalist"
	New               = "New"
	Promising         = "Promising"
	NeedAttention     = "Need attention"
	AboutToSleep      = "About to sleep"
	AtRisk            = "At risk"
	CantLoseThem      = "Can't lose them"
	Hibernating       = "Hibernating"
	Lost              = "Lost"
)

// Range is an inclusive range of scores. The zero Range matches any score.
type Range struct {
	Min, Max int
}

// Between returns the range lo..hi.
func Between(lo, hi int) Range { return Range{Min: lo, Max: hi} }

// Is returns the range holding only score s.
func Is(s int) Range { return Range{Min: s, Max: s} }

func (r Range) any() bool { return r == Range{} }

func (r Range) has(s int) bool { return r.any() || (s >= r.Min && s <= r.Max) }

func (r Range) String() string {
	if r.any() {
		return "any"
	}
	return fmt.Sprintf("%d..%d", r.Min, r.Max)
}

// Rule names the customers whose scores fall in all three ranges.
type Rule struct {
	Name    string
	R, F, M Range
}

// Table maps scores to named segments: the first rule that matches a
// customer's (R, F, M) scores names their segment. Several rules may share a
// name, which makes the segment their union.
type Table struct {
	Rules []Rule
	// Otherwise names the segment of customers no rule matches. If empty,
	// the rules must cover every combination of scores, which Assign checks.
	Otherwise string
}

// DefaultTable returns the widely used eleven-segment scheme for five score
// levels, on the recency and frequency scores (the monetary score is left
// out because it moves with frequency; add M ranges to rules of your own to
// use it). The rules partition the 5×5 grid of (R, F):
//
//	       F=1             F=2                 F=3                 F=4        F=5
//	R=5    New             Potential loyalist  Potential loyalist  Champions  Champions
//	R=4    Promising       Potential loyalist  Potential loyalist  Loyal      Loyal
//	R=3    About to sleep  About to sleep      Need attention      Loyal      Loyal
//	R=2    Hibernating     Hibernating         At risk             At risk    Can't lose them
//	R=1    Lost            Lost                At risk             At risk    Can't lose them
func DefaultTable() Table {
	return Table{Rules: []Rule{
		{Name: Champions, R: Is(5), F: Between(4, 5)},
		{Name: Loyal, R: Between(3, 4), F: Between(4, 5)},
		{Name: PotentialLoyalist, R: Between(4, 5), F: Between(2, 3)},
		{Name: New, R: Is(5), F: Is(1)},
		{Name: Promising, R: Is(4), F: Is(1)},
		{Name: NeedAttention, R: Is(3), F: Is(3)},
		{Name: AboutToSleep, R: Is(3), F: Between(1, 2)},
		{Name: AtRisk, R: Between(1, 2), F: Between(3, 4)},
		{Name: CantLoseThem, R: Between(1, 2), F: Is(5)},
		{Name: Hibernating, R: Is(2), F: Between(1, 2)},
		{Name: Lost, R: Is(1), F: Between(1, 2)},
	}}
}

// Assign names the segment of every customer. The classes of the result are
// the rule names in order of first appearance, then Otherwise if set (all
// present even when empty), so the result feeds segment.NewPortfolio and
// segment.Migrate directly.
//
// Errors (ErrOption): a rule without a name or with a range outside
// 1..s.Bins (the default table needs 5 bins), Otherwise equal to a rule
// name, or, without Otherwise, a combination of scores no rule covers.
func (t Table) Assign(s *Scores) (segment.Assignment, error) {
	k := s.Bins
	if k < 2 || k > MaxBins {
		return segment.Assignment{}, fmt.Errorf("rfm: scores have %d bins: %w", k, ErrOption)
	}
	if len(s.F) != len(s.R) || len(s.M) != len(s.R) {
		return segment.Assignment{}, fmt.Errorf("rfm: scores have %d, %d and %d values: %w", len(s.R), len(s.F), len(s.M), ErrLength)
	}
	var names []string
	index := map[string]int32{}
	ruleClass := make([]int32, len(t.Rules))
	for i, r := range t.Rules {
		if r.Name == "" {
			return segment.Assignment{}, fmt.Errorf("rfm: rule %d has no name: %w", i, ErrOption)
		}
		for _, d := range []struct {
			dim string
			rg  Range
		}{{"R", r.R}, {"F", r.F}, {"M", r.M}} {
			if !d.rg.any() && !(1 <= d.rg.Min && d.rg.Min <= d.rg.Max && d.rg.Max <= k) {
				return segment.Assignment{}, fmt.Errorf("rfm: rule %d (%s): %s range %v is not within 1..%d: %w", i, r.Name, d.dim, d.rg, k, ErrOption)
			}
		}
		c, ok := index[r.Name]
		if !ok {
			c = int32(len(names))
			index[r.Name] = c
			names = append(names, r.Name)
		}
		ruleClass[i] = c
	}
	otherwise := int32(-1)
	if t.Otherwise != "" {
		if _, dup := index[t.Otherwise]; dup {
			return segment.Assignment{}, fmt.Errorf("rfm: Otherwise %q is also a rule name: %w", t.Otherwise, ErrOption)
		}
		otherwise = int32(len(names))
		names = append(names, t.Otherwise)
	}
	// Look-up table over all k³ score combinations.
	lut := make([]int32, k*k*k)
	for r := 1; r <= k; r++ {
		for f := 1; f <= k; f++ {
			for m := 1; m <= k; m++ {
				c := otherwise
				for i, rule := range t.Rules {
					if rule.R.has(r) && rule.F.has(f) && rule.M.has(m) {
						c = ruleClass[i]
						break
					}
				}
				if c < 0 {
					return segment.Assignment{}, fmt.Errorf("rfm: no rule covers R=%d F=%d M=%d and Otherwise is not set: %w", r, f, m, ErrOption)
				}
				lut[((r-1)*k+f-1)*k+m-1] = c
			}
		}
	}
	class := make([]int32, len(s.R))
	for i := range class {
		r, f, m := int(s.R[i]), int(s.F[i]), int(s.M[i])
		if r < 1 || r > k || f < 1 || f > k || m < 1 || m > k {
			return segment.Assignment{}, fmt.Errorf("rfm: customer %d has scores R=%d F=%d M=%d outside 1..%d: %w", i, r, f, m, k, ErrOutOfRange)
		}
		class[i] = lut[((r-1)*k+f-1)*k+m-1]
	}
	return segment.Assignment{Names: names, Class: class}, nil
}
