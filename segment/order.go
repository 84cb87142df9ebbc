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
// The values are found by selection rather than by sorting x: on large
// inputs, one pass that brackets each rank between values of a systematic
// sample (after Floyd and Rivest 1975) and keeps only the values inside the
// brackets; otherwise, or when a bracket misses, a multi-target quickselect
// on a copy with a three-way partition, falling back to sorting on
// adversarial input. Expected time O(n log m) for m distinct ranks.
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
	return columnOrderStats(Col(x), len(x), ranks), nil
}

// checkFinite returns a *ValueError naming the first NaN or infinite value.
func checkFinite(name string, x []float64) error {
	if i := FirstNotFinite(x); i >= 0 {
		return &ValueError{Column: name, Index: i, Value: x[i], Err: ErrNotFinite}
	}
	return nil
}

// FirstNotFinite returns the index of the first NaN or ±Inf in x, or −1.
// It scans without a branch per value: v − v is 0 for every finite v and NaN
// otherwise, and a sum of such terms is 0 only if all are.
func FirstNotFinite(x []float64) int {
	var a0, a1, a2, a3 float64
	i := 0
	for ; i+4 <= len(x); i += 4 {
		a0 += x[i] - x[i]
		a1 += x[i+1] - x[i+1]
		a2 += x[i+2] - x[i+2]
		a3 += x[i+3] - x[i+3]
	}
	for ; i < len(x); i++ {
		a0 += x[i] - x[i]
	}
	if a0+a1+a2+a3 == 0 {
		return -1
	}
	for i, v := range x {
		if v-v != 0 {
			return i
		}
	}
	return -1 // not reached
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
		lt, gt, _ := partition(a, lo, hi, ks[len(ks)-1])
		// a[lo:lt] < p, a[lt:gt] == p, a[gt:hi] > p for the pivot p, except
		// that a[gt:hi] is left unsplit when no rank lies in it.
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

// partition picks a pivot p in a[lo:hi] and rearranges the range into
// values < p, then values == p, then values > p, returning the bounds lt, gt
// of the middle part. The passes are branch-free Lomuto partitions (a swap
// every step, the write index advanced by the comparison), which avoid the
// branch mispredictions of a classic partition on random data. The second
// pass, separating the values equal to p from those above it, runs only
// when p occurs more than once and maxK, the highest index of interest, lies
// above lt; otherwise gt is lt+1 and a[gt:hi] holds values ≥ p.
func partition(a []float64, lo, hi int, maxK int) (lt, gt int, p float64) {
	pi := pivotIndex(a, lo, hi)
	p = a[pi]
	last := hi - 1
	a[pi], a[last] = a[last], p
	j, eq := lo, 0
	for i := lo; i < last; i++ {
		v := a[i]
		a[i] = a[j]
		a[j] = v
		// Written so that the compiler emits SETcc, not a branch.
		lt, same := 0, 0
		if v < p {
			lt = 1
		}
		if v == p {
			same = 1
		}
		j += lt
		eq += same
	}
	a[j], a[last] = p, a[j]
	lt, gt = j, j+1
	if eq == 0 || maxK <= lt {
		return lt, gt, p
	}
	k := gt
	for i := gt; i < hi; i++ {
		v := a[i]
		a[i] = a[k]
		a[k] = v
		same := 0
		if v == p {
			same = 1
		}
		k += same
	}
	return lt, k, p
}

// pivotIndex returns the index of a pivot for a[lo:hi]: the median of
// three, or Tukey's ninther (median of three medians of three) on larger
// ranges.
func pivotIndex(a []float64, lo, hi int) int {
	n := hi - lo
	m := lo + n/2
	if n < 128 {
		return med3(a, lo, m, hi-1)
	}
	s := n / 8
	return med3(a,
		med3(a, lo, lo+s, lo+2*s),
		med3(a, m-s, m, m+s),
		med3(a, hi-1-2*s, hi-1-s, hi-1),
	)
}

// med3 returns the index of the median of a[i], a[j], a[k].
func med3(a []float64, i, j, k int) int {
	if a[i] > a[j] {
		i, j = j, i
	}
	if a[j] > a[k] {
		j = k
	}
	if a[i] > a[j] {
		return i
	}
	return j
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
	n := len(x)
	ranks := make([]int, k-1)
	for s := 1; s < k; s++ {
		ranks[s-1] = fracRank(s, n, k)
	}
	return columnOrderStats(Col(x), n, ranks), nil
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
