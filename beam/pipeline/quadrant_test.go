package pipeline

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
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
	for _, c := range []struct {
		name      string
		customers int64
		o         Options
	}{
		{"5,000 customers, 7 shards", 5000, Options{Unit: "week", Shards: 7}},
		{"10,000 customers, 64 shards, days, margin", 10000, Options{Unit: "day", Shards: 64, Margin: 0.3}},
	} {
		t.Run(c.name, func(t *testing.T) {
			header, rows := generated(t, c.customers, 9)
			dir := t.TempDir()
			writeParts(t, dir, header, rows, "a.csv", "b.csv", "c.csv")
			o := c.o
			o.Input, o.Output, o.Segments, o.ReferralShare = filepath.Join(dir, "*"), filepath.Join(t.TempDir(), "run"), "quadrant", 1
			run(t, o)
			require.NoError(t, o.check())
			p, sum := oneMachineSummary(t, header, rows, o)
			po := o.predictOptions()
			want, err := analysis.Segment(context.Background(), sum, analysis.SegmentOptions{
				Scheme: "quadrant", Grid: segment.ProfitExperience(), Value: "clv", Margin: o.Margin,
				Model: &analysis.ModelValueOptions{Model: p.Model, Spend: analysis.Spend{Model: p.SpendModel}, Horizon: po.Horizon, DiscountRate: po.DiscountRate},
			})
			require.NoError(t, err)
			wt := want.CustomerTable()

			files, err := filepath.Glob(o.Output + "-segments-*.csv")
			require.NoError(t, err)
			require.Len(t, files, o.Shards)
			got := map[string][]string{}
			for _, f := range files {
				rec := readCSV(t, f)
				require.Equal(t, wt.Names(), rec[0])
				for _, r := range rec[1:] {
					got[r[0]] = r
				}
			}
			require.Len(t, got, sum.Len())
			segments := want.Segments()
			counts := map[string]int64{}
			for i, id := range sum.CustomerID {
				require.Equal(t, segments[i], got[id][3], "customer %s", id)
				counts[segments[i]]++
			}
			b, err := os.ReadFile(o.Output + "-quadrant.json")
			require.NoError(t, err)
			var qs QuadrantSummary
			require.NoError(t, json.Unmarshal(b, &qs))
			var total int64
			for _, r := range qs.Segments {
				assert.Equal(t, counts[r.Segment], r.Customers, "segment %s", r.Segment)
				total += r.Customers
			}
			assert.Equal(t, int64(sum.Len()), total)
			t.Logf("cuts clv %v experience %v; %+v", qs.CLVCut, qs.ExperienceCut, qs.Segments)
		})
	}
}
