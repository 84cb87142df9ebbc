package segment

import (
	"fmt"
	"math"
	"math/bits"
	"slices"
)

// TierOptions configures Tiers. The zero value (or nil) means the classic
// ABC analysis: A = the customers making the top 80% of value, B = the next
// 15%, C = the rest.
type TierOptions struct {
	// Shares are the shares of total value covered by each tier but the
	// last, from the top: each > 0, summing to at most 1. Default
	// {0.80, 0.15}.
	Shares []float64
	// Names names the tiers, one more than Shares. Default {"A", "B", "C"}
	// (with default Shares), otherwise "T1", "T2", ….
	Names []string
}

// Tiering is the result of Tiers.
type Tiering struct {
	// Assignment holds the tiers, Names in order from the top tier.
	Assignment
	// Thresholds[t] is the smallest value in tier t, for every tier but the
	// last: a customer is in the first tier whose threshold their value
	// reaches, else in the last. +Inf marks a tier nobody qualifies for
	// (when no value is positive).
	Thresholds []float64
}

// Tiers classifies customers into value tiers by cumulative value share
// (ABC or Pareto analysis). Customers are ranked by value, highest first;
// the first tier is the smallest set of top customers whose cumulative value
// reaches Shares[0] of the total, the next tier adds customers until
// Shares[0]+Shares[1] is reached, and so on; the last tier holds the rest.
//
// Precisely, with S(v) the total positive value of the customers whose value
// is strictly above v and P the total positive value, a customer of value v
// is in the first tier t with S(v) < (Shares[0]+…+Shares[t])·P. Hence:
//
//   - Ties: customers with equal values are always in the same tier, so a
//     tier can hold more than its share when a tie group straddles its
//     boundary.
//   - Boundaries: a cumulative value within a relative 1e-12 of a bound
//     counts as reaching it, so floating-point rounding of the shares
//     (0.80 + 0.15 ≠ 0.95 in binary) or of the sums never moves a customer.
//   - Negative and zero values: shares are of the total positive value;
//     customers whose value is 0 or negative add nothing and are always in
//     the last tier. If no value is positive, every customer is in the last
//     tier.
//
// The thresholds are found without sorting: on large inputs by one pass
// that brackets each threshold between values of a systematic sample, else
// (or when a bracket misses) by a weighted quickselect in expected linear
// time. value is not modified. A NaN or infinite value is an error
// naming its index.
func Tiers(value []float64, opts *TierOptions) (*Tiering, error) {
	shares, names, err := tierConfig(opts)
	if err != nil {
		return nil, err
	}
	if err := checkFinite("value", value); err != nil {
		return nil, err
	}
	var total float64
	for _, v := range value {
		if v > 0 {
			total += v
		}
	}
	thr := make([]float64, len(shares))
	var want []float64 // positive targets, for the tiers someone qualifies for
	var at []int
	bound := 0.0
	for t, s := range shares {
		bound += s
		// A cumulative share within a relative 1e-12 of the bound counts as
		// reaching it, so that rounding (0.80 + 0.15 is 0.9500000000000001
		// in floating point) does not move a customer across a boundary.
		target := bound * total * (1 - 1e-12)
		if !(target > 0) {
			thr[t] = math.Inf(1)
			continue
		}
		want = append(want, target)
		at = append(at, t)
	}
	if len(want) > 0 {
		got := make([]float64, len(want))
		if len(value) < minSampled || len(want) > 8 || !sampledShareThresholds(value, total, want, got) {
			scratch := slices.Clone(value)
			for j, target := range want {
				got[j] = shareThreshold(scratch, target)
			}
		}
		for j, t := range at {
			thr[t] = got[j]
		}
	}
	class := make([]int32, len(value))
	last := int32(len(shares))
	for i, v := range value {
		k := last
		for t, c := range thr {
			if v >= c {
				k = int32(t)
				break
			}
		}
		class[i] = k
	}
	return &Tiering{Assignment: Assignment{Names: names, Class: class}, Thresholds: thr}, nil
}

func tierConfig(opts *TierOptions) ([]float64, []string, error) {
	var shares []float64
	var names []string
	if opts != nil {
		shares, names = opts.Shares, opts.Names
	}
	if len(shares) == 0 {
		shares = []float64{0.80, 0.15}
		if len(names) == 0 {
			names = []string{"A", "B", "C"}
		}
	}
	sum := 0.0
	for i, s := range shares {
		if !(s > 0) || !isFinite(s) {
			return nil, nil, optionError("tier share %d = %v, need > 0", i, s)
		}
		sum += s
	}
	if sum > 1+1e-12 {
		return nil, nil, optionError("tier shares sum to %v, more than 1", sum)
	}
	if len(names) == 0 {
		names = make([]string, len(shares)+1)
		for i := range names {
			names[i] = fmt.Sprintf("T%d", i+1)
		}
	}
	if len(names) != len(shares)+1 {
		return nil, nil, optionError("%d tier names for %d shares, need %d", len(names), len(shares), len(shares)+1)
	}
	if err := (Assignment{Names: names}).Validate(); err != nil {
		return nil, nil, err
	}
	return slices.Clone(shares), slices.Clone(names), nil
}

// shareThreshold returns the smallest value v in a with S(v) < target, where
// S(v) is the sum of the positive values of a strictly above v and
// target > 0. It permutes a.
func shareThreshold(a []float64, target float64) float64 {
	lo, hi := 0, len(a)
	above := 0.0 // positive value of the discarded elements above a[lo:hi]
	depth := 2 * bits.Len(uint(len(a)))
	// Invariant: above < target, so the largest value in a[lo:hi] qualifies
	// and the answer lies in a[lo:hi].
	for {
		if hi-lo <= 24 || depth == 0 {
			return shareThresholdSorted(a[lo:hi], above, target)
		}
		depth--
		lt, gt, p := partition(a, lo, hi, hi)
		sumGT := 0.0
		for _, v := range a[gt:hi] {
			if v > 0 {
				sumGT += v
			}
		}
		if above+sumGT >= target {
			// The pivot group does not qualify; the answer is above it.
			lo = gt
			continue
		}
		// The pivot group qualifies. Does the largest value below it?
		below := above + sumGT
		if p > 0 {
			below += float64(gt-lt) * p
		}
		if lt == lo || below >= target {
			return p
		}
		above, hi = below, lt
	}
}

// shareThresholdSorted solves shareThreshold on a small range by sorting it.
func shareThresholdSorted(a []float64, above, target float64) float64 {
	slices.Sort(a)
	s := above
	ans := a[len(a)-1]
	for i := len(a) - 1; i >= 0; {
		v := a[i]
		if s >= target {
			return ans
		}
		ans = v
		j := i
		for j >= 0 && a[j] == v {
			if v > 0 {
				s += v
			}
			j--
		}
		i = j
	}
	return ans
}

// sampledShareThresholds finds, for each target, the smallest value v with
// S(v) < target (see shareThreshold) in one pass over value: a systematic
// sample suggests a bracket [lo, hi] around each threshold; the pass sums
// the positive values above hi and keeps the values inside the bracket, and
// the threshold is found among those. total is the positive total of value.
// It reports false if a threshold lies outside its bracket; out is then
// unspecified.
func sampledShareThresholds(value []float64, total float64, targets, out []float64) bool {
	n := len(value)
	sample := make([]float64, sampleSize)
	for j := range sample {
		sample[j] = value[int(int64(j)*int64(n)/sampleSize)]
	}
	slices.Sort(sample)
	slices.Reverse(sample) // descending
	var ps float64
	for _, v := range sample {
		ps += max(v, 0)
	}
	if ps == 0 {
		return false
	}
	// Bracket each threshold by sample positions either side of where the
	// sample's cumulative share reaches the target's share.
	m := len(targets)
	lo, hi := make([]float64, m), make([]float64, m)
	delta := int(4*math.Sqrt(sampleSize)) + 8
	for t, target := range targets {
		want := target / total * ps
		cum, j := 0.0, 0
		for j < len(sample) && cum < want {
			cum += max(sample[j], 0)
			j++
		}
		// j−1 is the last sample position whose value qualifies.
		hi[t] = sample[max(j-1-delta, 0)]
		lo[t] = sample[min(j-1+delta, len(sample)-1)]
	}
	// One pass: positive value above each hi, values inside each bracket.
	above := make([]float64, m)
	cands := make([][]float64, m)
	for t := range cands {
		cands[t] = make([]float64, 0, n/16+1024)
	}
	for _, v := range value {
		pos := v * float64(gt(v, 0)) // max(v, 0) without a branch
		for t := range m {
			above[t] += pos * float64(gt(v, hi[t]))
			if v >= lo[t] && v <= hi[t] {
				cands[t] = append(cands[t], v)
			}
		}
	}
	for t, target := range targets {
		if !(above[t] < target) {
			return false // the threshold is above the bracket
		}
		c := cands[t]
		slices.Sort(c)
		sum := above[t]
		found := false
		var ans float64
		for i := len(c) - 1; i >= 0; {
			v := c[i]
			if sum >= target {
				found = true
				break
			}
			ans = v
			j := i
			for j >= 0 && c[j] == v {
				sum += max(v, 0)
				j--
			}
			i = j
		}
		if !found && !(sum >= target) {
			return false // the threshold may be below the bracket
		}
		if len(c) == 0 {
			return false
		}
		out[t] = ans
	}
	return true
}
