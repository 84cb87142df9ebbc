package pipeline

import (
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

// The CLV × experience quadrant with global median cuts (Options.Segments
// "quadrant"): valuekit segment --scheme quadrant --profit clv. The medians
// of CLV (all customers) and of experience (customers with a feedback
// score) are found exactly by quantile.go's two combines; every shard then
// classifies with segment.ProfitExperience() cut at those values — the cut
// values segment.Grid.Classify would resolve on the whole base.

// QuadCounts are the bucket counts of both axes.
type QuadCounts struct{ X, Y Counts }

// QuadBrackets are the median brackets of both axes.
type QuadBrackets struct{ X, Y RankBracket }

// QuadValues are the exact values of both axes in their brackets, sorted.
type QuadValues struct{ X, Y []float64 }

// QuadCuts are the global median cuts.
type QuadCuts struct{ X, Y float64 }

func experienceKnown(sc Scored) func(int) bool {
	return func(i int) bool { return sc.ExperienceCount[i] > 0 }
}

func quadCountsFn(_ int, sc Scored) QuadCounts {
	return QuadCounts{X: countsOf(sc.CLV, nil), Y: countsOf(sc.Experience, experienceKnown(sc))}
}

type mergeQuadCountsFn struct{}

func (mergeQuadCountsFn) MergeAccumulators(a, b QuadCounts) QuadCounts {
	return QuadCounts{X: mergeCounts(a.X, b.X), Y: mergeCounts(a.Y, b.Y)}
}

func quadBracketsFn(c QuadCounts) QuadBrackets {
	return QuadBrackets{X: medianBracket(c.X), Y: medianBracket(c.Y)}
}

func quadValuesFn(_ int, sc Scored, br QuadBrackets) QuadValues {
	return QuadValues{X: inBracket(sc.CLV, nil, br.X.B), Y: inBracket(sc.Experience, experienceKnown(sc), br.Y.B)}
}

type mergeQuadValuesFn struct{}

func (mergeQuadValuesFn) MergeAccumulators(a, b QuadValues) QuadValues {
	return QuadValues{X: mergeFloats(a.X, b.X), Y: mergeFloats(a.Y, b.Y)}
}

func quadCutsFn(v QuadValues, br QuadBrackets) (QuadCuts, error) {
	if br.Y.B == math.MinInt64 {
		return QuadCuts{}, fmt.Errorf("no customer has a feedback score: the quadrant needs the experience axis")
	}
	x, err := selectRank(br.X, v.X)
	if err != nil {
		return QuadCuts{}, fmt.Errorf("clv median: %w", err)
	}
	y, err := selectRank(br.Y, v.Y)
	if err != nil {
		return QuadCuts{}, fmt.Errorf("experience median: %w", err)
	}
	return QuadCuts{X: x, Y: y}, nil
}

// quadrantTable classifies a shard's customers at the global cuts and
// returns valuekit segment's per-customer table: customer_id, clv,
// experience, segment.
func quadrantTable(sc Scored, cuts QuadCuts) (*table.Table, error) {
	a, known, err := quadrantAssignment(sc, cuts)
	if err != nil {
		return nil, err
	}
	s := &analysis.Segmentation{
		Table: &table.Table{Columns: []table.Column{
			{Name: "customer_id", Kind: table.StringColumn, String: sc.CustomerID},
			{Name: "clv", Kind: table.FloatColumn, Float: sc.CLV},
			{Name: "experience", Kind: table.FloatColumn, Float: sc.Experience, Valid: func(i int) bool { return known[i] }},
		}},
		Assignment: a,
	}
	return s.CustomerTable(), nil
}

// quadrantAssignment classifies a shard's customers with
// segment.ProfitExperience() at the global cuts; known says who has a
// feedback score.
func quadrantAssignment(sc Scored, cuts QuadCuts) (a segment.Assignment, known []bool, err error) {
	g := segment.ProfitExperience()
	g.X.Cuts, g.Y.Cuts = []segment.Cut{segment.AtValue(cuts.X)}, []segment.Cut{segment.AtValue(cuts.Y)}
	known = make([]bool, len(sc.CustomerID))
	for i := range known {
		known[i] = sc.ExperienceCount[i] > 0
	}
	c, err := g.Classify(segment.Col(sc.CLV), segment.Column{Values: sc.Experience, Known: known})
	if err != nil {
		return segment.Assignment{}, nil, err
	}
	return c.Assignment, known, nil
}

// writeQuadrantFn writes a shard's customers with their quadrant and emits
// the shard's counts per segment.
type writeQuadrantFn struct {
	O Options
}

func (f *writeQuadrantFn) ProcessElement(ctx context.Context, shard int, sc Scored, cuts QuadCuts) (SegmentCounts, error) {
	t, err := quadrantTable(sc, cuts)
	if err != nil {
		return SegmentCounts{}, fmt.Errorf("shard %d: %w", shard, err)
	}
	write := t.WriteCSV
	if f.O.OutputFormat == "parquet" {
		write = func(w io.Writer) error { return valuekit.WriteTableParquet(w, t) }
	}
	path := fmt.Sprintf("%s-segments-%05d-of-%05d.%s", f.O.Output, shard, f.O.Shards, f.O.OutputFormat)
	if err := writeFile(ctx, path, write); err != nil {
		return SegmentCounts{}, err
	}
	var c SegmentCounts
	for i, name := range t.Columns[len(t.Columns)-1].String {
		k := slices.Index(c.Names, name)
		if k < 0 {
			c.Names, c.Customers, c.CLV = append(c.Names, name), append(c.Customers, 0), append(c.CLV, 0)
			k = len(c.Names) - 1
		}
		c.Customers[k]++
		c.CLV[k] += sc.CLV[i]
	}
	return c, nil
}

// SegmentCounts are the customers and CLV per segment name.
type SegmentCounts struct {
	Names     []string
	Customers []int64
	CLV       []float64
}

type mergeSegmentCountsFn struct{}

func (mergeSegmentCountsFn) MergeAccumulators(a, b SegmentCounts) SegmentCounts {
	for j, name := range b.Names {
		k := slices.Index(a.Names, name)
		if k < 0 {
			a.Names, a.Customers, a.CLV = append(a.Names, name), append(a.Customers, 0), append(a.CLV, 0)
			k = len(a.Names) - 1
		}
		a.Customers[k] += b.Customers[j]
		a.CLV[k] += b.CLV[j]
	}
	return a
}

// QuadrantSummary is OUTPUT-quadrant.json: the cuts and each segment's
// customers and CLV, in the grid's order.
type QuadrantSummary struct {
	CLVCut        float64   `json:"clv_cut"`
	ExperienceCut float64   `json:"experience_cut"`
	Segments      []TierRow `json:"segments"`
}

type writeQuadrantSummaryFn struct {
	O Options
}

func (f *writeQuadrantSummaryFn) ProcessElement(ctx context.Context, c SegmentCounts, cuts QuadCuts) error {
	out := QuadrantSummary{CLVCut: cuts.X, ExperienceCut: cuts.Y}
	names := []string{segment.Premium, segment.Fragile, segment.FreeRider, segment.Abandonable, segment.Unknown}
	for _, name := range names {
		row := TierRow{Segment: name}
		if k := slices.Index(c.Names, name); k >= 0 {
			row.Customers, row.CLV = c.Customers[k], c.CLV[k]
		}
		out.Segments = append(out.Segments, row)
	}
	b, err := json.MarshalIndent(out, "", "  ")
	if err != nil {
		return err
	}
	return writeFile(ctx, f.O.Output+"-quadrant.json", func(w io.Writer) error {
		_, err := w.Write(append(b, '\n'))
		return err
	})
}
