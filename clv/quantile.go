package clv

import (
	"cmp"
	"math"
	"math/bits"
	"slices"
)

// quantilePair returns the (1−level)/2 and (1+level)/2 quantiles of buf,
// each linearly interpolated between the order statistics around it, as
// sorting buf (NaNs first, as slices.Sort orders them) would give them. It
// reorders buf. The four order statistics are selected rather than the
// whole of buf sorted: this runs once per customer over hundreds of
// parameter draws, and sorting them was a sixth of an interval's cost.
func quantilePair(buf []float64, level float64) (lo, hi float64) {
	n := len(buf)
	pos := func(p float64) (int, float64) {
		h := p * float64(n-1)
		i := int(math.Floor(h))
		return i, h - float64(i)
	}
	i, fi := pos((1 - level) / 2)
	j, fj := pos((1 + level) / 2)
	selectNth(buf, i)
	lo = interpolate(buf, i, fi)
	if j > i {
		selectNth(buf[i+1:], j-i-1)
	}
	hi = interpolate(buf, j, fj)
	return lo, hi
}

// interpolate returns s[i] + f·(s[i+1] − s[i]) where s[i] is in place (by
// selectNth) and s[i+1] is the least of s[i+1:]; s[len−1] when i is the
// last index.
func interpolate(s []float64, i int, f float64) float64 {
	if i >= len(s)-1 {
		return s[len(s)-1]
	}
	next := s[i+1]
	for _, v := range s[i+2:] {
		if cmp.Less(v, next) {
			next = v
		}
	}
	return s[i] + f*(next-s[i])
}

// selectNth reorders s so that s[k] is the value sorting would put there,
// with nothing greater before it and nothing less after it (by cmp.Less).
// Quickselect with a median-of-three pivot; a range that does not shrink
// fast enough is sorted instead, so the worst case is n log n.
func selectNth(s []float64, k int) {
	lo, hi := 0, len(s)-1
	budget := 2*bits.Len(uint(len(s))) + 4
	for hi-lo > 16 {
		if budget--; budget < 0 {
			slices.SortFunc(s[lo:hi+1], cmp.Compare[float64])
			return
		}
		// Median of three to s[lo], as the pivot.
		mid := lo + (hi-lo)/2
		if cmp.Less(s[mid], s[lo]) {
			s[mid], s[lo] = s[lo], s[mid]
		}
		if cmp.Less(s[hi], s[lo]) {
			s[hi], s[lo] = s[lo], s[hi]
		}
		if cmp.Less(s[hi], s[mid]) {
			s[hi], s[mid] = s[mid], s[hi]
		}
		s[lo], s[mid] = s[mid], s[lo]
		p := s[lo]
		// Hoare partition of s[lo+1:hi+1] around p.
		i, j := lo+1, hi
		for {
			for i <= j && cmp.Less(s[i], p) {
				i++
			}
			for i <= j && cmp.Less(p, s[j]) {
				j--
			}
			if i >= j {
				break
			}
			s[i], s[j] = s[j], s[i]
			i++
			j--
		}
		s[lo], s[j] = s[j], s[lo]
		// s[lo:j] ≤ p = s[j] ≤ s[j+1:hi+1].
		switch {
		case k < j:
			hi = j - 1
		case k > j:
			lo = j + 1
		default:
			return
		}
	}
	// A short range: insertion sort.
	for a := lo + 1; a <= hi; a++ {
		for b := a; b > lo && cmp.Less(s[b], s[b-1]); b-- {
			s[b], s[b-1] = s[b-1], s[b]
		}
	}
}
