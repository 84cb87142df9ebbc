package segment

import (
	"math"
	"math/bits"
	"slices"
)

// Sampling selection (in the spirit of Floyd and Rivest 1975): for large
// columns the order statistics are found in one pass over the data instead
// of partitioning a full copy. A systematic sample brackets each wanted rank
// between two sample values lo ≤ hi; one pass counts the values in the
// buckets the brackets define (values equal to a bracket get buckets of their
// own, so ties cost nothing) and keeps only the values strictly inside a
// bracket; each rank is then read off the counts or selected among the few
// kept values. If a rank falls outside its bracket (an unlucky sample) the
// caller falls back to quickselect on a full copy, so the result is always
// exact.

const (
	// minSampled is the number of values below which plain quickselect on
	// a copy is used.
	minSampled = 1 << 16
	// sampleSize is the size of the systematic sample.
	sampleSize = 1 << 15
	// maxSampledRanks bounds the distinct ranks the sampling path handles.
	maxSampledRanks = 128
)

// columnOrderStats returns the order statistics of the n known values of c
// at the given 1-based ranks (each within 1..n), without modifying c.
func columnOrderStats(c Column, n int, ranks []int) []float64 {
	out := make([]float64, len(ranks))
	if len(ranks) == 0 {
		return out
	}
	if n >= minSampled && len(ranks) <= maxSampledRanks && sampledOrderStats(c, n, ranks, out) {
		return out
	}
	orderStats(c.knownValues(), ranks, out)
	return out
}

// sampledOrderStats tries the sampling path; it reports false when the
// sample did not bracket every rank.
func sampledOrderStats(c Column, n int, ranks []int, out []float64) bool {
	// Systematic sample of the known values.
	sample := make([]float64, 0, sampleSize)
	total := len(c.Values)
	for j := 0; j < sampleSize; j++ {
		i := int(int64(j) * int64(total) / sampleSize)
		if c.known(i) {
			sample = append(sample, c.Values[i])
		}
	}
	if len(sample) < sampleSize/4 {
		return false
	}
	slices.Sort(sample)
	s := float64(len(sample))

	// Brackets: sample values around the rank's expected place, five
	// standard deviations of a sample quantile either side.
	type bracket struct{ lo, hi float64 }
	br := make([]bracket, len(ranks))
	bnds := make([]float64, 0, 2*len(ranks))
	for t, r := range ranks {
		q := float64(r) / float64(n)
		pos := q * s
		d := 5*math.Sqrt(q*(1-q)*s) + 2
		li := int(math.Floor(pos - d))
		hi := int(math.Ceil(pos + d))
		li = max(0, min(li, len(sample)-1))
		hi = max(0, min(hi, len(sample)-1))
		br[t] = bracket{sample[li], sample[hi]}
		bnds = append(bnds, sample[li], sample[hi])
	}
	slices.Sort(bnds)
	bnds = slices.Compact(bnds)
	m := len(bnds)
	// Buckets: 2j for the open interval below bnds[j] (above bnds[j−1]),
	// 2j+1 for the values equal to bnds[j], 2m for those above bnds[m−1].
	nb := 2*m + 1
	collect := make([]bool, nb)
	for _, b := range br {
		a, _ := slices.BinarySearch(bnds, b.lo)
		z, _ := slices.BinarySearch(bnds, b.hi)
		for j := a + 1; j <= z; j++ {
			collect[2*j] = true
		}
	}
	hist := make([]int, nb)
	cands := make([][]float64, nb)
	// Reserve room for the kept values by the sample's share in each
	// collected bucket, with a margin.
	scale := float64(n) / s
	for j := 1; j < m; j++ {
		if !collect[2*j] {
			continue
		}
		a, _ := slices.BinarySearch(sample, bnds[j-1])
		for a < len(sample) && sample[a] == bnds[j-1] {
			a++
		}
		z, _ := slices.BinarySearch(sample, bnds[j])
		cands[2*j] = make([]float64, 0, int(1.25*scale*float64(max(z-a, 0)))+1024)
	}
	if m <= 4 {
		bucketPass4(c, bnds, hist, collect, cands)
	} else if m <= 8 {
		bucketPass8(c, bnds, hist, collect, cands)
	} else {
		bucketPass(c, bnds, hist, collect, cands)
	}
	// Locate each rank.
	cum := make([]int, nb+1) // cum[b] = values in buckets < b
	for b := 0; b < nb; b++ {
		cum[b+1] = cum[b] + hist[b]
	}
	local := make([][]int, nb) // ranks within a collected bucket, 1-based
	where := make([]int, len(ranks))
	for t, r := range ranks {
		// The first i with cum[i] ≥ r is past the bucket b = i−1 holding
		// rank r: cum[b] < r ≤ cum[b+1].
		i, _ := slices.BinarySearch(cum, r)
		b := i - 1
		where[t] = b
		switch {
		case b%2 == 1:
			out[t] = bnds[b/2]
		case collect[b]:
			local[b] = append(local[b], r-cum[b])
		default:
			return false
		}
	}
	for b, lr := range local {
		if len(lr) == 0 {
			continue
		}
		vals := make([]float64, len(lr))
		orderStats(cands[b], lr, vals)
		for t, r := range ranks {
			if where[t] == b {
				out[t] = vals[slices.Index(lr, r-cum[b])]
			}
		}
	}
	return true
}

// bucketPass8 is bucketPass for at most 8 boundaries: eight independent
// comparisons per value, which keep the processor's pipelines full.
func bucketPass8(c Column, bnds []float64, hist []int, collect []bool, cands [][]float64) {
	var b [8]float64
	for j := range b {
		b[j] = math.Inf(1)
	}
	copy(b[:], bnds)
	b0, b1, b2, b3, b4, b5, b6, b7 := b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]
	// Two histograms, alternated, halve the store-to-load chains when
	// consecutive values fall in the same bucket.
	var h [2][17]int
	for i, v := range c.Values {
		if c.Known != nil && !c.Known[i] {
			continue
		}
		pos := lt(b0, v) + lt(b1, v) + lt(b2, v) + lt(b3, v) + lt(b4, v) + lt(b5, v) + lt(b6, v) + lt(b7, v)
		eq := eqf(b0, v) + eqf(b1, v) + eqf(b2, v) + eqf(b3, v) + eqf(b4, v) + eqf(b5, v) + eqf(b6, v) + eqf(b7, v)
		bk := 2*pos + eq // at most one boundary equals v
		h[i&1][bk]++
		if collect[bk] {
			cands[bk] = append(cands[bk], v)
		}
	}
	for k := range hist {
		hist[k] = h[0][k] + h[1][k]
	}
}

// bucketPass4 is bucketPass8 for at most 4 boundaries (a median needs 2).
func bucketPass4(c Column, bnds []float64, hist []int, collect []bool, cands [][]float64) {
	var b [4]float64
	for j := range b {
		b[j] = math.Inf(1)
	}
	copy(b[:], bnds)
	b0, b1, b2, b3 := b[0], b[1], b[2], b[3]
	var h [2][9]int
	for i, v := range c.Values {
		if c.Known != nil && !c.Known[i] {
			continue
		}
		pos := lt(b0, v) + lt(b1, v) + lt(b2, v) + lt(b3, v)
		eq := eqf(b0, v) + eqf(b1, v) + eqf(b2, v) + eqf(b3, v)
		bk := 2*pos + eq // at most one boundary equals v
		h[i&1][bk]++
		if collect[bk] {
			cands[bk] = append(cands[bk], v)
		}
	}
	for k := range hist {
		hist[k] = h[0][k] + h[1][k]
	}
}

// lt returns 1 if a < v, else 0, without a branch.
func lt(a, v float64) int {
	r := 0
	if a < v {
		r = 1
	}
	return r
}

// eqf returns 1 if a == v, else 0, without a branch.
func eqf(a, v float64) int {
	r := 0
	if a == v {
		r = 1
	}
	return r
}

// bucketPass counts the values of c in the buckets of the sorted, distinct
// boundaries bnds (bucket 2j: strictly between bnds[j−1] and bnds[j]; 2j+1:
// equal to bnds[j]; 2m: above all) and keeps the values of the buckets
// marked in collect.
func bucketPass(c Column, bnds []float64, hist []int, collect []bool, cands [][]float64) {
	m := len(bnds)
	p := 1 << bits.Len(uint(m)) // power of two > m
	padded := make([]float64, p)
	copy(padded, bnds)
	for j := m; j < p; j++ {
		padded[j] = math.Inf(1)
	}
	for i, v := range c.Values {
		if c.Known != nil && !c.Known[i] {
			continue
		}
		// pos = #{b < v}: a branch-free lower bound over padded.
		pos := 0
		for step := p / 2; step > 0; step >>= 1 {
			pos += step * lt(padded[pos+step-1], v)
		}
		bk := 2*pos + eqf(padded[pos], v)
		hist[bk]++
		if collect[bk] {
			cands[bk] = append(cands[bk], v)
		}
	}
}
