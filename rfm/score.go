package rfm

import (
	"fmt"
	"math"
	"slices"

	"github.com/valuekit/valuekit/segment"
)

// Errors. They are the sentinels of package segment, so errors.Is works with
// either name; ErrOption is also event.ErrOption.
var (
	ErrLength     = segment.ErrLength
	ErrNotFinite  = segment.ErrNotFinite
	ErrOutOfRange = segment.ErrOutOfRange
	ErrOption     = segment.ErrOption
	ErrEmpty      = segment.ErrEmpty
)

// ValueError reports a bad per-customer input value and where it is, as in
// "frequency[7] = NaN: value is not finite". It is segment.ValueError, which
// is event.ValueError, the positioned error of every package that computes
// on slices.
type ValueError = segment.ValueError

// MaxBins is the largest number of score levels.
const MaxBins = 100

// Data holds the per-customer inputs, one value per customer in each column.
type Data struct {
	// DaysSinceLastPurchase is the RFM recency: the number of days from the
	// customer's last purchase to the end of the observation period, ≥ 0 (0
	// means they bought on the last day). It is named for what it is so it
	// cannot be mistaken for the BTYD recency of the clv models and of
	// valuekit.Summary (the time from the first to the last purchase).
	DaysSinceLastPurchase []float64
	// Purchases is the number of purchases, ≥ 0 (not the BTYD frequency,
	// which counts repeat purchase periods).
	Purchases []float64
	// Monetary is the money the customer spent: their total (or mean)
	// purchase value. Any finite value; net revenue may be negative.
	Monetary []float64
}

// Len returns the number of customers.
func (d Data) Len() int { return len(d.DaysSinceLastPurchase) }

// Options configures Score. The zero value (or nil) means quintile scores.
type Options struct {
	// Bins is the number of score levels k: scores run from 1 to k.
	// Default 5; 2 ≤ Bins ≤ MaxBins.
	Bins int
	// RecencyCuts, FrequencyCuts and MonetaryCuts, when non-nil, are fixed
	// cut points (Bins−1 values in ascending order) used instead of the
	// quantiles of the data. Recency cuts are in days; see Score for which
	// side of a cut a value equal to it falls on.
	RecencyCuts, FrequencyCuts, MonetaryCuts []float64
}

// Scores holds the R, F and M scores of every customer.
type Scores struct {
	// Bins is the number of score levels; scores run from 1 to Bins and a
	// higher score is always better (more recent, more frequent, more
	// money).
	Bins int
	// R, F and M hold one score per customer, in input order.
	R, F, M []uint8
	// RecencyCuts, FrequencyCuts and MonetaryCuts are the cut points used,
	// in ascending order: the quantiles of the data or the fixed cuts given.
	RecencyCuts, FrequencyCuts, MonetaryCuts []float64
}

// Len returns the number of customers.
func (s *Scores) Len() int { return len(s.R) }

// Score computes the recency, frequency and monetary scores of every
// customer, 1 (worst) to k (best), k = opts.Bins (default 5).
//
// By default the scores are quantile scores: with n customers and L the
// number of customers strictly worse than a given customer on a dimension
// (fewer purchases, less money, or a longer time since the last purchase),
//
//	score = 1 + ⌊k·L/n⌋
//
// so a score s means that at least (s−1)/k of the customers are strictly
// worse. Customers with equal values always get equal scores; where a tie
// group is large the levels are unequal in size (if 60% of customers bought
// once, they all get F = 1 and no one gets F = 2 or 3). The rule is the
// same as cutting at the lower empirical quantiles q_s (the order statistic
// of rank ⌈s·n/k⌉, s = 1..k−1) with each level closed on its upper end. The
// cuts are found by selection, not by sorting.
//
// With fixed cut points c_1 ≤ … ≤ c_{k−1}:
//
//	F = 1 + #{s : frequency > c_s}    (a frequency equal to a cut stays below it)
//	M = 1 + #{s : monetary  > c_s}
//	R = 1 + #{s : recency   < c_s}    (recent is high: a recency equal to a cut stays below it)
//
// e.g. recency cuts {30, 90, 180, 365} give R = 5 for a last purchase less
// than 30 days ago and R = 1 for one 365 days ago or more.
//
// The inputs are not modified. Errors: columns of different lengths
// (ErrLength); a NaN or infinite value, a negative recency or frequency
// (*ValueError naming the column and index); bad options (ErrOption); no
// customers when a dimension is scored by quantiles (ErrEmpty).
func Score(d Data, opts *Options) (*Scores, error) {
	var o Options
	if opts != nil {
		o = *opts
	}
	if o.Bins == 0 {
		o.Bins = 5
	}
	k := o.Bins
	if k < 2 || k > MaxBins {
		return nil, fmt.Errorf("rfm: %d bins, need 2 to %d: %w", k, MaxBins, ErrOption)
	}
	n := len(d.DaysSinceLastPurchase)
	if len(d.Purchases) != n || len(d.Monetary) != n {
		return nil, fmt.Errorf("rfm: recency, frequency and monetary have %d, %d and %d values: %w",
			n, len(d.Purchases), len(d.Monetary), ErrLength)
	}
	for _, c := range []struct {
		name string
		cuts []float64
	}{{"recency", o.RecencyCuts}, {"frequency", o.FrequencyCuts}, {"monetary", o.MonetaryCuts}} {
		if err := checkCuts(c.name, c.cuts, k); err != nil {
			return nil, err
		}
	}
	s := &Scores{Bins: k}
	var err error
	if s.RecencyCuts, err = cutsFor("recency", d.DaysSinceLastPurchase, o.RecencyCuts, k, true, 0); err != nil {
		return nil, err
	}
	if s.FrequencyCuts, err = cutsFor("frequency", d.Purchases, o.FrequencyCuts, k, false, 0); err != nil {
		return nil, err
	}
	if s.MonetaryCuts, err = cutsFor("monetary", d.Monetary, o.MonetaryCuts, k, false, -1); err != nil {
		return nil, err
	}
	s.R = make([]uint8, n)
	s.F = make([]uint8, n)
	s.M = make([]uint8, n)
	scoreBelow(s.R, d.DaysSinceLastPurchase, s.RecencyCuts)
	scoreAbove(s.F, d.Purchases, s.FrequencyCuts)
	scoreAbove(s.M, d.Monetary, s.MonetaryCuts)
	return s, nil
}

func checkCuts(name string, cuts []float64, k int) error {
	if cuts == nil {
		return nil
	}
	if len(cuts) != k-1 {
		return fmt.Errorf("rfm: %d %s cuts for %d bins, need %d: %w", len(cuts), name, k, k-1, ErrOption)
	}
	for i, c := range cuts {
		if c-c != 0 {
			return fmt.Errorf("rfm: %s cut %d is %v: %w", name, i, c, ErrOption)
		}
		if i > 0 && c < cuts[i-1] {
			return fmt.Errorf("rfm: %s cuts not in ascending order: %v after %v: %w", name, c, cuts[i-1], ErrOption)
		}
	}
	return nil
}

// cutsFor validates column x (finite; ≥ 0 unless min < 0) and returns its
// cuts: the fixed ones, or the quantile cuts. desc counts ranks from the
// largest value, for recency, where smaller is better.
func cutsFor(name string, x, fixed []float64, k int, desc bool, min float64) ([]float64, error) {
	if err := check(name, x, min); err != nil {
		return nil, err
	}
	if fixed != nil {
		return slices.Clone(fixed), nil
	}
	if len(x) == 0 {
		return nil, fmt.Errorf("rfm: %s: quantile scores of no customers: %w", name, ErrEmpty)
	}
	cuts, err := quantileCuts(x, k, desc)
	if err != nil {
		return nil, err
	}
	if desc {
		slices.Reverse(cuts)
	}
	return cuts, nil
}

// check returns a *ValueError for the first value of x that is not finite or,
// when min ≥ 0, is below min.
func check(name string, x []float64, min float64) error {
	if i := segment.FirstNotFinite(x); i >= 0 {
		return valueError(name, i, x[i], min)
	}
	if min < 0 {
		return nil
	}
	lowest := math.Inf(1)
	for _, v := range x {
		if v < lowest {
			lowest = v
		}
	}
	if lowest < min {
		for i, v := range x {
			if v < min {
				return valueError(name, i, v, min)
			}
		}
	}
	return nil
}

func valueError(name string, i int, v, min float64) error {
	if v-v != 0 {
		return &ValueError{Column: name, Index: i, Value: v, Err: ErrNotFinite}
	}
	return &ValueError{Column: name, Index: i, Value: v, Reason: fmt.Sprintf("want >= %v", min), Err: ErrOutOfRange}
}

// quantileCuts returns the k−1 quantile cuts of a: the order statistics of
// rank ⌈s·n/k⌉, counted from the largest value when desc.
func quantileCuts(a []float64, k int, desc bool) ([]float64, error) {
	n := len(a)
	ranks := make([]int, k-1)
	for s := 1; s < k; s++ {
		r := int((int64(s)*int64(n) + int64(k) - 1) / int64(k))
		if desc {
			r = n + 1 - r
		}
		ranks[s-1] = r
	}
	return segment.OrderStatistics(a, ranks)
}

// scoreAbove sets dst[i] = 1 + #{c in cuts : x[i] > c}.
func scoreAbove(dst []uint8, x, cuts []float64) {
	if len(cuts) == 4 {
		c0, c1, c2, c3 := cuts[0], cuts[1], cuts[2], cuts[3]
		for i, v := range x {
			dst[i] = uint8(1 + gt(v, c0) + gt(v, c1) + gt(v, c2) + gt(v, c3))
		}
		return
	}
	for i, v := range x {
		s := 1
		for _, c := range cuts {
			s += gt(v, c)
		}
		dst[i] = uint8(s)
	}
}

// scoreBelow sets dst[i] = 1 + #{c in cuts : x[i] < c}.
func scoreBelow(dst []uint8, x, cuts []float64) {
	if len(cuts) == 4 {
		c0, c1, c2, c3 := cuts[0], cuts[1], cuts[2], cuts[3]
		for i, v := range x {
			dst[i] = uint8(1 + lt(v, c0) + lt(v, c1) + lt(v, c2) + lt(v, c3))
		}
		return
	}
	for i, v := range x {
		s := 1
		for _, c := range cuts {
			s += lt(v, c)
		}
		dst[i] = uint8(s)
	}
}

// gt and lt return 1 if the comparison holds, else 0, written so that the
// compiler emits SETcc rather than a branch.
func gt(v, c float64) int {
	r := 0
	if v > c {
		r = 1
	}
	return r
}

func lt(v, c float64) int {
	r := 0
	if v < c {
		r = 1
	}
	return r
}
