package pipeline

import (
	"cmp"
	"fmt"
	"math"
	"slices"
)

// Exact order statistics of a column spread over shards, in two small
// global combines (the median cuts of the quadrant; segment's lower
// median: the value of rank ⌈n/2⌉ — (n+1)/2 in integers — among the known
// values):
//
//  1. every shard counts its known values by bucket (the top 20 bits of the
//     value's order-preserving bit pattern: 256 buckets per doubling, signs
//     and zero included); the combined counts locate the bucket of each
//     wanted rank and the count below it;
//  2. every shard sends its exact values in those buckets; the combined,
//     sorted values give the order statistics exactly.

// sortKey maps a float64 to a uint64 of the same order.
func sortKey(v float64) uint64 {
	b := math.Float64bits(v)
	if b>>63 == 1 {
		return ^b
	}
	return b | 1<<63
}

func rankBucket(v float64) int64 { return int64(sortKey(v) >> 44) }

// Counts are a column's known values by bucket, sorted by bucket; N is
// their number.
type Counts struct {
	Buckets []Bucket // Sum unused
	N       int64
}

func countsOf(values []float64, known func(int) bool) Counts {
	var keys []int64
	for i, v := range values {
		if known == nil || known(i) {
			keys = append(keys, rankBucket(v))
		}
	}
	slices.Sort(keys)
	c := Counts{N: int64(len(keys))}
	for _, k := range keys {
		if n := len(c.Buckets) - 1; n >= 0 && c.Buckets[n].B == k {
			c.Buckets[n].Count++
			continue
		}
		c.Buckets = append(c.Buckets, Bucket{B: k, Count: 1})
	}
	return c
}

func mergeCounts(a, b Counts) Counts {
	return Counts{N: a.N + b.N, Buckets: mergeSorted(a.Buckets, b.Buckets, func(p, q Bucket) int { return cmp.Compare(p.B, q.B) },
		func(p *Bucket, q Bucket) { p.Count += q.Count })}
}

// RankBracket is where the value of 1-based rank Rank lies: in bucket B,
// after Below smaller values. B is math.MinInt64 when there are no values.
type RankBracket struct {
	Rank, Below, B int64
}

func medianBracket(c Counts) RankBracket {
	if c.N == 0 {
		return RankBracket{B: math.MinInt64}
	}
	r := (c.N + 1) / 2
	var below int64
	for _, b := range c.Buckets {
		if below+b.Count >= r {
			return RankBracket{Rank: r, Below: below, B: b.B}
		}
		below += b.Count
	}
	return RankBracket{B: math.MinInt64}
}

// inBracket returns the known values of a shard that lie in bucket b,
// sorted.
func inBracket(values []float64, known func(int) bool, b int64) []float64 {
	var out []float64
	for i, v := range values {
		if (known == nil || known(i)) && rankBucket(v) == b {
			out = append(out, v)
		}
	}
	slices.Sort(out)
	return out
}

// selectRank returns the value of the bracket's rank from the bracket's
// values of all shards (merged sorted).
func selectRank(br RankBracket, values []float64) (float64, error) {
	k := br.Rank - br.Below
	if br.B == math.MinInt64 || k < 1 || k > int64(len(values)) {
		return 0, fmt.Errorf("rank %d: %d values in its bucket after %d below", br.Rank, len(values), br.Below)
	}
	return values[k-1], nil
}

func mergeFloats(a, b []float64) []float64 {
	out := make([]float64, 0, len(a)+len(b))
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		if a[i] <= b[j] {
			out = append(out, a[i])
			i++
		} else {
			out = append(out, b[j])
			j++
		}
	}
	out = append(out, a[i:]...)
	return append(out, b[j:]...)
}

// rankBrackets locates each 1-based rank in the bucket counts.
func rankBrackets(c Counts, ranks []int64) []RankBracket {
	out := make([]RankBracket, len(ranks))
	for j, r := range ranks {
		out[j] = RankBracket{B: math.MinInt64}
		var below int64
		for _, b := range c.Buckets {
			if below+b.Count >= r {
				out[j] = RankBracket{Rank: r, Below: below, B: b.B}
				break
			}
			below += b.Count
		}
	}
	return out
}

// inBrackets returns the values of a shard that lie in any of the
// brackets' buckets, sorted.
func inBrackets(values []float64, brs []RankBracket) []float64 {
	var out []float64
	for _, v := range values {
		b := rankBucket(v)
		for _, br := range brs {
			if br.B == b {
				out = append(out, v)
				break
			}
		}
	}
	slices.Sort(out)
	return out
}

// selectRanks returns the value of each bracket's rank from the merged
// values of all shards in the brackets' buckets.
func selectRanks(brs []RankBracket, values []float64) ([]float64, error) {
	out := make([]float64, len(brs))
	for j, br := range brs {
		var in []float64
		for _, v := range values {
			if rankBucket(v) == br.B {
				in = append(in, v)
			}
		}
		var err error
		if out[j], err = selectRank(br, in); err != nil {
			return nil, err
		}
	}
	return out, nil
}
