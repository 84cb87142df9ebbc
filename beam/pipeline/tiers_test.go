package pipeline

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/valuekit/valuekit/analysis"
	"github.com/valuekit/valuekit/segment"
)

// The A/B/C tiers of CLV from global thresholds put every customer in the
// tier valuekit segment --scheme abc --profit clv gives on one machine.
func TestTiersMatchOneMachine(t *testing.T) {
	cases := []segmentCase{
		{"5,000 customers, 7 shards", 5000, Options{Unit: "week", Shards: 7}},
		{"5,000 customers, 1 shard, margin and discount", 5000, Options{Unit: "week", Shards: 1, Margin: 0.4, AnnualDiscount: 0.1}},
		{"10,000 customers, 64 shards, days", 10000, Options{Unit: "day", Shards: 64}},
	}
	if !testing.Short() {
		cases = append(cases, segmentCase{"100,000 customers, 32 shards", 100000, Options{Unit: "week", Shards: 32}})
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := runSegments(t, c, "abc", 5, nil, "a.csv", "b.csv")
			want, err := analysis.Segment(context.Background(), r.sum, analysis.SegmentOptions{
				Scheme: "abc", Value: "clv", Margin: r.o.Margin, Model: r.modelValue(),
			})
			require.NoError(t, err)
			got := r.shardRows(t, "segments", want.CustomerTable().Names())
			require.Len(t, got, len(want.Value))
			segments := want.Segments()
			counts := map[string]int64{}
			for i, id := range r.sum.CustomerID {
				require.Equal(t, segments[i], got[id][2], "customer %s (clv %v)", id, want.Value[i])
				counts[segments[i]]++
			}

			var ts TierSummary
			r.summary(t, "tiers", &ts)
			require.Len(t, ts.Tiers, 3)
			for _, r := range ts.Tiers {
				assert.Equal(t, counts[r.Segment], r.Customers, "tier %s", r.Segment)
			}
			t.Logf("tiers %+v %+v %+v", ts.Tiers[0], ts.Tiers[1], ts.Tiers[2])
		})
	}
}

// The two-combine thresholds equal segment.Tiers' on values split over
// shards: ties across a boundary, zeros and negatives, no positive value,
// one customer, a heavy tail.
func TestThresholdsMatchSegmentTiers(t *testing.T) {
	heavy := make([]float64, 10000)
	for i := range heavy {
		heavy[i] = 1e6 / float64(1+i*i%977) // many ties, a long tail
	}
	for _, c := range []struct {
		name   string
		values []float64
		shards int
	}{
		{"ties straddle A", []float64{5, 5, 5, 5, 1, 1, 0, -3}, 3},
		{"no positive value", []float64{0, -1, 0}, 2},
		{"one customer", []float64{42}, 1},
		{"equal values", []float64{2, 2, 2, 2, 2, 2}, 4},
		{"heavy tail", heavy, 16},
	} {
		t.Run(c.name, func(t *testing.T) {
			want, err := segment.Tiers(c.values, nil)
			require.NoError(t, err)
			parts := make([][]float64, c.shards)
			for i, v := range c.values {
				parts[i%c.shards] = append(parts[i%c.shards], v)
			}
			var sk Sketch
			for _, p := range parts {
				sk = mergeSketchesFn{}.MergeAccumulators(sk, sketchOf(p))
			}
			br := bracketsFn(sk)
			var exact Bracketed
			for _, p := range parts {
				exact = mergeBracketedFn{}.MergeAccumulators(exact, bracketedOf(p, br))
			}
			tiers, err := tiersFn(exact, br)
			require.NoError(t, err)
			assert.Equal(t, want.Thresholds, tiers.Thresholds)
			tab := tierTable(make([]string, len(c.values)), c.values, tiers)
			for i, name := range tab.Columns[2].String {
				assert.Equal(t, want.Name(i), name, "value %v", c.values[i])
			}
		})
	}
}
