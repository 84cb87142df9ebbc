package segment

import (
	"fmt"
	"math"
	"math/bits"
	"slices"
)

// OrderStatistics returns the order statistics of x at the given ranks: the
// j-th result is the ranks[j]-th smallest value of x, ranks counted from 1.
// Ranks may come in any order and may repeat. x is not modified.
//
// The values are found by selection (a multi-target quickselect with a
// three-way partition, falling back to sorting on adversarial input), in
// expected O(n log m) time for m distinct ranks, rather than by sorting x.
//
// Special cases are:
//
//	OrderStatistics(x, nil) = [] (no error, x is not read)
//	a NaN or ±Inf in x, a rank < 1 or > len(x) → error
func OrderStatistics(x []float64, ranks []int) ([]float64, error) {
	out := make([]float64, len(ranks))
	if len(ranks) == 0 {
		return out, nil
	}
	for j, r := range ranks {
		if r < 1 || r > len(x) {
			return nil, optionError("rank %d (ranks[%d]) is outside 1..%d", r, j, len(x))
		}
	}
	if err := checkFinite("x", x); err != nil {
		return nil, err
	}
	scratch := slices.Clone(x)
	orderStats(scratch, ranks, out)
	return out, nil
}

// Select is OrderStatistics without the copy: it permutes a in place, as
// sort.Float64s would, to find the order statistics. Use it on a scratch
// slice you own, to save a copy of a large column.
func Select(a []float64, ranks []int) ([]float64, error) {
	out := make([]float64, len(ranks))
	if len(ranks) == 0 {
		return out, nil
	}
	for j, r := range ranks {
		if r < 1 || r > len(a) {
			return nil, optionError("rank %d (ranks[%d]) is outside 1..%d", r, j, len(a))
		}
	}
	if err := checkFinite("a", a); err != nil {
		return nil, err
	}
	orderStats(a, ranks, out)
	return out, nil
}

// checkFinite returns a *ValueError naming the first NaN or infinite value.
func checkFinite(name string, x []float64) error {
	for i, v := range x {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return &ValueError{Column: name, Index: i, Value: v, Err: ErrNotFinite}
		}
	}
	return nil
}

// orderStats writes the order statistics of a at the 1-based ranks into out,
// permuting a (which must hold no NaN) in the process.
func orderStats(a []float64, ranks []int, out []float64) {
	ks := make([]int, len(ranks))
	for j, r := range ranks {
		ks[j] = r - 1
	}
	slices.Sort(ks)
	ks = slices.Compact(ks)
	multiSelect(a, 0, len(a), ks, 2*bits.Len(uint(len(a))))
	for j, r := range ranks {
		out[j] = a[r-1]
	}
}

// multiSelect permutes a[lo:hi] so that a[k] holds the k-th smallest value
// (0-based, within the whole of a) for every k in ks, which must be sorted,
// distinct and within [lo, hi). depth bounds the partitioning levels before
// the range is sorted instead, which keeps the worst case at O(n log n).
func multiSelect(a []float64, lo, hi int, ks []int, depth int) {
	for len(ks) > 0 {
		if hi-lo <= 24 || depth == 0 {
			slices.Sort(a[lo:hi])
			return
		}
		depth--
		p := pivot(a, lo, hi)
		lt, gt := partition3(a, lo, hi, p)
		// a[lo:lt] < p, a[lt:gt] == p, a[gt:hi] > p.
		i, _ := slices.BinarySearch(ks, lt)
		j, _ := slices.BinarySearch(ks, gt)
		left, right := ks[:i], ks[j:]
		// Recurse into the side with fewer elements, loop on the other, so
		// that the recursion depth stays logarithmic.
		if lt-lo < hi-gt {
			if len(left) > 0 {
				multiSelect(a, lo, lt, left, depth)
			}
			ks, lo = right, gt
		} else {
			if len(right) > 0 {
				multiSelect(a, gt, hi, right, depth)
			}
			ks, hi = left, lt
		}
	}
}

// pivot returns a pivot value for a[lo:hi]: the median of three, or Tukey's
// ninther (median of three medians of three) on larger ranges.
func pivot(a []float64, lo, hi int) float64 {
	n := hi - lo
	m := lo + n/2
	if n < 128 {
		return med3(a[lo], a[m], a[hi-1])
	}
	s := n / 8
	return med3(
		med3(a[lo], a[lo+s], a[lo+2*s]),
		med3(a[m-s], a[m], a[m+s]),
		med3(a[hi-1-2*s], a[hi-1-s], a[hi-1]),
	)
}

func med3(x, y, z float64) float64 {
	if x > y {
		x, y = y, x
	}
	if y > z {
		y = z
	}
	if x > y {
		return x
	}
	return y
}

// partition3 rearranges a[lo:hi] into values < p, == p and > p (Dijkstra's
// three-way partition) and returns the bounds lt, gt of the middle part.
func partition3(a []float64, lo, hi int, p float64) (lt, gt int) {
	lt, i, gt := lo, lo, hi
	for i < gt {
		v := a[i]
		switch {
		case v < p:
			a[lt], a[i] = v, a[lt]
			lt++
			i++
		case v > p:
			gt--
			a[i], a[gt] = a[gt], v
		default:
			i++
		}
	}
	return lt, gt
}

// quantileRank returns the 1-based rank ⌈q·n⌉ (at least 1) of the lower
// empirical q-quantile of n values. A product q·n within rounding error of an
// integer counts as that integer, so that q = 0.6 of n = 10 is rank 6, not 7.
func quantileRank(q float64, n int) int {
	t := q * float64(n)
	r := math.Round(t)
	if math.Abs(t-r) > 1e-9*math.Max(1, t) {
		r = math.Ceil(t)
	}
	if r < 1 {
		return 1
	}
	if r > float64(n) {
		return n
	}
	return int(r)
}

// fracRank returns ⌈s·n/k⌉, the 1-based rank of the s-th of k quantile cuts,
// in exact integer arithmetic.
func fracRank(s, n, k int) int {
	return int((int64(s)*int64(n) + int64(k) - 1) / int64(k))
}

// QuantileCuts returns the k−1 cut points that split x into k groups of
// near-equal size: cut s (s = 1..k−1) is the order statistic of rank
// ⌈s·n/k⌉, the lower empirical s/k-quantile. Placing each value at level
//
//	1 + #{s : x > cut_s}
//
// (see Level) gives level 1 + ⌊k·L/n⌋, where L is the number of values
// strictly smaller than x: equal values always share a level, and a level
// holds fewer than n/k values only where ties force it. x is not modified.
//
// Special cases are:
//
//	k < 2 → error wrapping ErrOption
//	len(x) == 0 → error wrapping ErrEmpty
//	a NaN or ±Inf in x → *ValueError wrapping ErrNotFinite
func QuantileCuts(x []float64, k int) ([]float64, error) {
	if k < 2 {
		return nil, optionError("k = %d, need at least 2 groups", k)
	}
	if len(x) == 0 {
		return nil, fmt.Errorf("segment: quantile cuts of no values: %w", ErrEmpty)
	}
	if err := checkFinite("x", x); err != nil {
		return nil, err
	}
	return quantileCuts(slices.Clone(x), k, false), nil
}

// quantileCuts computes the k−1 quantile cuts of a, permuting a. With desc
// the ranks are counted from the largest value: cut s is the value of rank
// ⌈s·n/k⌉ in descending order, for scores where smaller is better.
func quantileCuts(a []float64, k int, desc bool) []float64 {
	n := len(a)
	ranks := make([]int, k-1)
	for s := 1; s < k; s++ {
		r := fracRank(s, n, k)
		if desc {
			r = n + 1 - r
		}
		ranks[s-1] = r
	}
	cuts := make([]float64, k-1)
	orderStats(a, ranks, cuts)
	return cuts
}

// Level returns 1 plus the number of cuts strictly below v: the level of v
// when each cut closes a level on the right (a value equal to a cut stays in
// the lower level). cuts must be sorted in ascending order.
func Level(v float64, cuts []float64) int {
	l := 1
	for _, c := range cuts {
		if v > c {
			l++
		}
	}
	return l
}
