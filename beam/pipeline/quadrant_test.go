package pipeline

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/valuekit/valuekit/analysis"
	"github.com/valuekit/valuekit/segment"
)

// The two-combine median equals segment's lower median on values split over
// shards: negatives, zeros, ties, one value, unknowns.
func TestMedianMatchesSegment(t *testing.T) {
	for _, c := range []struct {
		name   string
		values []float64
		known  []bool
		shards int
	}{
		{"mixed signs", []float64{-3, 0, 0, 2.5, -1e-300, 7, 7, 1e300}, nil, 3},
		{"even count", []float64{4, 1, 3, 2}, nil, 2},
		{"one value", []float64{-2}, nil, 1},
		{"ties", []float64{1, 1, 1, 1, 1, 2}, nil, 4},
		{"unknowns", []float64{9, 0, 8, 0, 1, 0}, []bool{true, false, true, false, true, false}, 2},
	} {
		t.Run(c.name, func(t *testing.T) {
			var kv []float64
			for i, v := range c.values {
				if c.known == nil || c.known[i] {
					kv = append(kv, v)
				}
			}
			want, err := segment.OrderStatistics(kv, []int{(len(kv) + 1) / 2})
			require.NoError(t, err)
			type part struct {
				v []float64
				k []bool
			}
			parts := make([]part, c.shards)
			for i, v := range c.values {
				p := &parts[i%c.shards]
				p.v = append(p.v, v)
				p.k = append(p.k, c.known == nil || c.known[i])
			}
			var counts Counts
			for _, p := range parts {
				counts = mergeCounts(counts, countsOf(p.v, func(i int) bool { return p.k[i] }))
			}
			br := medianBracket(counts)
			var exact []float64
			for _, p := range parts {
				exact = mergeFloats(exact, inBracket(p.v, func(i int) bool { return p.k[i] }, br.B))
			}
			got, err := selectRank(br, exact)
			require.NoError(t, err)
			assert.Equal(t, want[0], got)
		})
	}
}

// The CLV × experience quadrant at global medians puts every customer in
// the segment valuekit segment --scheme quadrant --profit clv gives on one
// machine.
func TestQuadrantMatchesOneMachine(t *testing.T) {
	cases := []segmentCase{
		{"5,000 customers, 7 shards", 5000, Options{Unit: "week", Shards: 7}},
		{"10,000 customers, 64 shards, days, margin", 10000, Options{Unit: "day", Shards: 64, Margin: 0.3}},
	}
	if !testing.Short() {
		cases = append(cases, segmentCase{"100,000 customers, 32 shards", 100000, Options{Unit: "week", Shards: 32}})
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := runSegments(t, c, "quadrant", 9, nil, "a.csv", "b.csv", "c.csv")
			want, err := analysis.Segment(context.Background(), r.sum, analysis.SegmentOptions{
				Scheme: "quadrant", Grid: segment.ProfitExperience(), Value: "clv", Margin: r.o.Margin, Model: r.modelValue(),
			})
			require.NoError(t, err)
			got := r.shardRows(t, "segments", want.CustomerTable().Names())
			require.Len(t, got, r.sum.Len())
			segments := want.Segments()
			counts := map[string]int64{}
			for i, id := range r.sum.CustomerID {
				require.Equal(t, segments[i], got[id][3], "customer %s", id)
				counts[segments[i]]++
			}
			var qs QuadrantSummary
			r.summary(t, "quadrant", &qs)
			var total int64
			for _, r := range qs.Segments {
				assert.Equal(t, counts[r.Segment], r.Customers, "segment %s", r.Segment)
				total += r.Customers
			}
			assert.Equal(t, int64(r.sum.Len()), total)
			t.Logf("cuts clv %v experience %v; %+v", qs.CLVCut, qs.ExperienceCut, qs.Segments)
		})
	}
}
