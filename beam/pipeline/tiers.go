package pipeline

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"slices"

	"github.com/valuekit/valuekit"
	"github.com/valuekit/valuekit/analysis"
	"github.com/valuekit/valuekit/segment"
	"github.com/valuekit/valuekit/table"
)

// A/B/C tiers of CLV with global cut points (Options.Segments "abc").
//
// segment.Tiers puts a customer of value v in the first tier t whose
// cumulative share bound it reaches: S(v) < (Shares[0]+…+Shares[t]) · P ·
// (1 − 1e-12), with S(v) the positive value of the customers strictly above
// v and P all positive value; so each tier's threshold is the smallest
// value v with S(v) below its target, and a customer is in the first tier
// whose threshold their value reaches. The thresholds need the whole
// distribution; the pipeline finds them exactly in two global combines
// whose size does not follow the customers:
//
//  1. every shard sketches its positive CLVs in logarithmic buckets (count
//     and sum, 64 buckets per doubling); the combined sketch gives P and, for
//     each target, the bucket holding the threshold and the value above it;
//  2. every shard sends the exact values falling in those few buckets; the
//     combined, sorted values give each threshold exactly.
//
// The shards then classify their customers by the thresholds (a side
// input) and write customer_id, clv, segment — valuekit segment --scheme
// abc --profit clv's columns.

const bucketsPerDoubling = 64

// Bucket is one logarithmic bucket of positive values.
type Bucket struct {
	B     int64
	Count int64
	Sum   float64
}

// Sketch is a shard's (or the base's) positive values by bucket, sorted by
// bucket.
type Sketch struct {
	Buckets []Bucket
}

func bucketOf(v float64) int64 { return int64(math.Floor(math.Log2(v) * bucketsPerDoubling)) }

// sketchOf sketches the positive values.
func sketchOf(values []float64) Sketch {
	var s Sketch
	for _, v := range values {
		if v > 0 {
			s.Buckets = append(s.Buckets, Bucket{B: bucketOf(v), Count: 1, Sum: v})
		}
	}
	slices.SortFunc(s.Buckets, func(a, b Bucket) int { return cmp.Compare(a.B, b.B) })
	out := s.Buckets[:0]
	for _, b := range s.Buckets {
		if k := len(out) - 1; k >= 0 && out[k].B == b.B {
			out[k].Count++
			out[k].Sum += b.Sum
			continue
		}
		out = append(out, b)
	}
	s.Buckets = out
	return s
}

// mergeSketchesFn adds sketches.
type mergeSketchesFn struct{}

func (mergeSketchesFn) MergeAccumulators(a, b Sketch) Sketch {
	return Sketch{Buckets: mergeSorted(a.Buckets, b.Buckets, func(p, q Bucket) int { return cmp.Compare(p.B, q.B) },
		func(p *Bucket, q Bucket) { p.Count += q.Count; p.Sum += q.Sum })}
}

// Brackets are, per tier but the last, the target cumulative value, the
// bucket holding the threshold (math.MinInt64: nobody qualifies) and the
// positive value of the buckets above it.
type Brackets struct {
	Target, Above []float64
	Bucket        []int64
}

// bracketsOf finds each tier's bucket in the global sketch.
func bracketsOf(s Sketch, shares []float64) Brackets {
	var total float64
	for _, b := range s.Buckets {
		total += b.Sum
	}
	br := Brackets{Target: make([]float64, len(shares)), Above: make([]float64, len(shares)), Bucket: make([]int64, len(shares))}
	bound := 0.0
	for t, sh := range shares {
		bound += sh
		target := bound * total * (1 - 1e-12)
		br.Target[t], br.Bucket[t] = target, math.MinInt64
		if !(target > 0) {
			continue
		}
		above := 0.0
		for k := len(s.Buckets) - 1; k >= 0; k-- {
			b := s.Buckets[k]
			if above+b.Sum >= target || k == 0 {
				br.Bucket[t], br.Above[t] = b.B, above
				break
			}
			above += b.Sum
		}
	}
	return br
}

// Bracketed are the exact values falling in the brackets' buckets, sorted
// and distinct, with their counts.
type Bracketed struct {
	Values []float64
	Counts []int64
}

func bracketedOf(values []float64, br Brackets) Bracketed {
	var vs []float64
	for _, v := range values {
		if v > 0 && slices.Contains(br.Bucket, bucketOf(v)) {
			vs = append(vs, v)
		}
	}
	slices.Sort(vs)
	var out Bracketed
	for _, v := range vs {
		if k := len(out.Values) - 1; k >= 0 && out.Values[k] == v {
			out.Counts[k]++
			continue
		}
		out.Values, out.Counts = append(out.Values, v), append(out.Counts, 1)
	}
	return out
}

// mergeBracketedFn adds bracketed values.
type mergeBracketedFn struct{}

func (mergeBracketedFn) MergeAccumulators(a, b Bracketed) Bracketed {
	type vc struct {
		v float64
		c int64
	}
	zip := func(x Bracketed) []vc {
		out := make([]vc, len(x.Values))
		for i := range out {
			out[i] = vc{x.Values[i], x.Counts[i]}
		}
		return out
	}
	m := mergeSorted(zip(a), zip(b), func(p, q vc) int { return cmp.Compare(p.v, q.v) }, func(p *vc, q vc) { p.c += q.c })
	var out Bracketed
	for _, e := range m {
		out.Values, out.Counts = append(out.Values, e.v), append(out.Counts, e.c)
	}
	return out
}

// thresholds returns each tier's threshold: the smallest value in its
// bucket whose value strictly above stays below the target; +Inf when
// nobody qualifies.
func thresholds(br Brackets, exact Bracketed) ([]float64, error) {
	thr := make([]float64, len(br.Target))
	for t := range thr {
		thr[t] = math.Inf(1)
		if br.Bucket[t] == math.MinInt64 {
			continue
		}
		s := br.Above[t]
		found := false
		for k := len(exact.Values) - 1; k >= 0; k-- {
			v := exact.Values[k]
			if bucketOf(v) != br.Bucket[t] {
				continue
			}
			if s >= br.Target[t] {
				break
			}
			thr[t], found = v, true
			s += v * float64(exact.Counts[k])
		}
		if !found {
			return nil, fmt.Errorf("tier %d: no value in its bucket %d", t, br.Bucket[t])
		}
	}
	return thr, nil
}

// Tiers are the global thresholds and the tier names.
type Tiers struct {
	Thresholds []float64
	Names      []string
}

// abc returns the default A/B/C shares and names (segment.TierOptions'
// defaults).
func abc() ([]float64, []string) { return []float64{0.80, 0.15}, []string{"A", "B", "C"} }

// tierTable classifies a shard's customers and returns valuekit segment's
// per-customer table: customer_id, clv, segment.
func tierTable(ids []string, value []float64, tiers Tiers) *table.Table {
	g := &analysis.Segmentation{
		Table:      &table.Table{Columns: []table.Column{{Name: "customer_id", Kind: table.StringColumn, String: ids}, {Name: "clv", Kind: table.FloatColumn, Float: value}}},
		Assignment: tierAssignment(value, tiers),
	}
	return g.CustomerTable()
}

// tierAssignment places each value in the first tier whose threshold it
// reaches.
func tierAssignment(value []float64, tiers Tiers) segment.Assignment {
	class := make([]int32, len(value))
	last := int32(len(tiers.Thresholds))
	for i, v := range value {
		k := last
		for t, c := range tiers.Thresholds {
			if v >= c {
				k = int32(t)
				break
			}
		}
		class[i] = k
	}
	return segment.Assignment{Names: tiers.Names, Class: class}
}

// sketchFn sketches each shard's CLV.
func sketchFn(_ int, sc Scored) Sketch { return sketchOf(sc.CLV) }

// bracketsFn finds the tiers' buckets in the global sketch.
func bracketsFn(s Sketch) Brackets {
	shares, _ := abc()
	return bracketsOf(s, shares)
}

// bracketedFn sends a shard's exact values in the brackets' buckets.
func bracketedFn(_ int, sc Scored, br Brackets) Bracketed { return bracketedOf(sc.CLV, br) }

// tiersFn gives the exact thresholds.
func tiersFn(exact Bracketed, br Brackets) (Tiers, error) {
	thr, err := thresholds(br, exact)
	if err != nil {
		return Tiers{}, err
	}
	_, names := abc()
	return Tiers{Thresholds: thr, Names: names}, nil
}

// TierCounts are the customers and CLV per tier, in the order of the
// names.
type TierCounts struct {
	Customers []int64
	CLV       []float64
}

// mergeTierCountsFn adds tier counts.
type mergeTierCountsFn struct{}

func (mergeTierCountsFn) MergeAccumulators(a, b TierCounts) TierCounts {
	if a.Customers == nil {
		return b
	}
	for k := range b.Customers {
		a.Customers[k] += b.Customers[k]
		a.CLV[k] += b.CLV[k]
	}
	return a
}

// writeTiersFn writes a shard's customers with their tier and emits the
// shard's counts per tier.
type writeTiersFn struct {
	O Options
}

func (f *writeTiersFn) ProcessElement(ctx context.Context, shard int, sc Scored, tiers Tiers) (TierCounts, error) {
	t := tierTable(sc.CustomerID, sc.CLV, tiers)
	write := t.WriteCSV
	if f.O.OutputFormat == "parquet" {
		write = func(w io.Writer) error { return valuekit.WriteTableParquet(w, t) }
	}
	path := fmt.Sprintf("%s-segments-%05d-of-%05d.%s", f.O.Output, shard, f.O.Shards, f.O.OutputFormat)
	if err := writeFile(ctx, path, write); err != nil {
		return TierCounts{}, err
	}
	c := TierCounts{Customers: make([]int64, len(tiers.Names)), CLV: make([]float64, len(tiers.Names))}
	seg := t.Columns[len(t.Columns)-1].String
	for i, name := range seg {
		k := slices.Index(tiers.Names, name)
		c.Customers[k]++
		c.CLV[k] += sc.CLV[i]
	}
	return c, nil
}

// TierSummary is OUTPUT-tiers.json: each tier's threshold (the smallest
// CLV in it; none for the last), customers and CLV.
type TierSummary struct {
	Tiers []TierRow `json:"tiers"`
}

// TierRow is one tier of TierSummary.
type TierRow struct {
	Segment   string   `json:"segment"`
	Threshold *float64 `json:"threshold,omitempty"`
	Customers int64    `json:"customers"`
	CLV       float64  `json:"clv"`
}

// writeTierSummaryFn writes OUTPUT-tiers.json.
type writeTierSummaryFn struct {
	O Options
}

func (f *writeTierSummaryFn) ProcessElement(ctx context.Context, c TierCounts, tiers Tiers) error {
	var out TierSummary
	for k, name := range tiers.Names {
		row := TierRow{Segment: name, Customers: c.Customers[k], CLV: c.CLV[k]}
		if k < len(tiers.Thresholds) && !math.IsInf(tiers.Thresholds[k], 1) {
			v := tiers.Thresholds[k]
			row.Threshold = &v
		}
		out.Tiers = append(out.Tiers, row)
	}
	b, err := json.MarshalIndent(out, "", "  ")
	if err != nil {
		return err
	}
	return writeFile(ctx, f.O.Output+"-tiers.json", func(w io.Writer) error {
		_, err := w.Write(append(b, '\n'))
		return err
	})
}
