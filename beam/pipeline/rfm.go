package pipeline

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"slices"

	"github.com/valuekit/valuekit"
	"github.com/valuekit/valuekit/analysis"
	"github.com/valuekit/valuekit/customers"
	"github.com/valuekit/valuekit/rfm"
)

// RFM scores with global quintile cuts (Options.Segments "rfm"): valuekit
// rfm's columns. rfm.Score's quantile cut s of k is the order statistic of
// rank ⌈s·n/k⌉ (recency counted from the largest value); quantile.go's two
// combines find those order statistics exactly, and every shard scores its
// customers with rfm.Score at the global cuts as fixed cuts, which places
// every customer where the quantile cuts of the whole base would.

const rfmBins = 5

// RFMData are a shard's customers with a purchase in the period and their
// RFM inputs (rfm.Data).
type RFMData struct {
	CustomerID                     []string
	DaysSince, Purchases, Monetary []float64
}

const microsPerDay = 86_400_000_000

func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

// rfmDataOf returns the RFM inputs of a shard's summary, as analysis.RFM
// builds them: whole days from the last purchase day to the end, purchase
// events, revenue.
func rfmDataOf(s *customers.Summary) RFMData {
	var d RFMData
	endDay := floorDiv(s.End.UnixMicro(), microsPerDay)
	for i := range s.Len() {
		if s.Purchases[i] == 0 {
			continue
		}
		d.CustomerID = append(d.CustomerID, s.CustomerID[i])
		d.DaysSince = append(d.DaysSince, float64(endDay-floorDiv(s.LastPurchase[i], microsPerDay)))
		d.Purchases = append(d.Purchases, float64(s.Purchases[i]))
		d.Monetary = append(d.Monetary, s.Revenue[i])
	}
	return d
}

// RFMCounts are the bucket counts of the three columns.
type RFMCounts struct{ R, F, M Counts }

func rfmCountsFn(_ int, sc Scored) RFMCounts {
	d := sc.RFM
	return RFMCounts{R: countsOf(d.DaysSince, nil), F: countsOf(d.Purchases, nil), M: countsOf(d.Monetary, nil)}
}

type mergeRFMCountsFn struct{}

func (mergeRFMCountsFn) MergeAccumulators(a, b RFMCounts) RFMCounts {
	return RFMCounts{R: mergeCounts(a.R, b.R), F: mergeCounts(a.F, b.F), M: mergeCounts(a.M, b.M)}
}

// rfmRanks returns rfm.Score's quantile ranks for n values.
func rfmRanks(n int64, desc bool) []int64 {
	ranks := make([]int64, rfmBins-1)
	for s := int64(1); s < rfmBins; s++ {
		r := (s*n + rfmBins - 1) / rfmBins
		if desc {
			r = n + 1 - r
		}
		ranks[s-1] = r
	}
	return ranks
}

// RFMBrackets are the brackets of each column's cut ranks.
type RFMBrackets struct{ R, F, M []RankBracket }

func rfmBracketsFn(c RFMCounts) RFMBrackets {
	return RFMBrackets{R: rankBrackets(c.R, rfmRanks(c.R.N, true)), F: rankBrackets(c.F, rfmRanks(c.F.N, false)), M: rankBrackets(c.M, rfmRanks(c.M.N, false))}
}

// RFMValues are the exact values in the brackets, sorted.
type RFMValues struct{ R, F, M []float64 }

func rfmValuesFn(_ int, sc Scored, br RFMBrackets) RFMValues {
	d := sc.RFM
	return RFMValues{R: inBrackets(d.DaysSince, br.R), F: inBrackets(d.Purchases, br.F), M: inBrackets(d.Monetary, br.M)}
}

type mergeRFMValuesFn struct{}

func (mergeRFMValuesFn) MergeAccumulators(a, b RFMValues) RFMValues {
	return RFMValues{R: mergeFloats(a.R, b.R), F: mergeFloats(a.F, b.F), M: mergeFloats(a.M, b.M)}
}

// RFMCuts are the global cuts, ascending.
type RFMCuts struct{ R, F, M []float64 }

func rfmCutsFn(v RFMValues, br RFMBrackets) (RFMCuts, error) {
	var c RFMCuts
	var err error
	if c.R, err = selectRanks(br.R, v.R); err != nil {
		return c, fmt.Errorf("recency cuts: %w", err)
	}
	slices.Reverse(c.R) // ranks counted from the largest, as rfm.Score
	if c.F, err = selectRanks(br.F, v.F); err != nil {
		return c, fmt.Errorf("frequency cuts: %w", err)
	}
	if c.M, err = selectRanks(br.M, v.M); err != nil {
		return c, fmt.Errorf("monetary cuts: %w", err)
	}
	return c, nil
}

// rfmScores scores a shard's customers at the global cuts: rfm.Score with
// fixed cuts and rfm.DefaultTable, in analysis.RFMScores (whose Table is
// valuekit rfm's).
func rfmScores(d RFMData, cuts RFMCuts) (*analysis.RFMScores, error) {
	data := rfm.Data{DaysSinceLastPurchase: d.DaysSince, Purchases: d.Purchases, Monetary: d.Monetary}
	sc, err := rfm.Score(data, &rfm.Options{Bins: rfmBins, RecencyCuts: cuts.R, FrequencyCuts: cuts.F, MonetaryCuts: cuts.M})
	if err != nil {
		return nil, err
	}
	seg, err := rfm.DefaultTable().Assign(sc)
	if err != nil {
		return nil, err
	}
	return &analysis.RFMScores{CustomerID: d.CustomerID, Data: data, Scores: sc, Named: sc, Segments: seg}, nil
}

// writeRFMFn writes a shard's RFM rows and emits its counts per segment.
type writeRFMFn struct {
	O Options
}

func (f *writeRFMFn) ProcessElement(ctx context.Context, shard int, sc Scored, cuts RFMCuts) (SegmentCounts, error) {
	var c SegmentCounts
	if len(sc.RFM.CustomerID) == 0 {
		sc.RFM = RFMData{CustomerID: []string{}, DaysSince: []float64{}, Purchases: []float64{}, Monetary: []float64{}}
	}
	r, err := rfmScores(sc.RFM, cuts)
	if err != nil {
		return c, fmt.Errorf("shard %d: %w", shard, err)
	}
	t := r.Table()
	write := t.WriteCSV
	if f.O.OutputFormat == "parquet" {
		write = func(w io.Writer) error { return valuekit.WriteTableParquet(w, t) }
	}
	path := fmt.Sprintf("%s-rfm-%05d-of-%05d.%s", f.O.Output, shard, f.O.Shards, f.O.OutputFormat)
	if err := writeFile(ctx, path, write); err != nil {
		return c, err
	}
	for i, k := range r.Segments.Class {
		name := r.Segments.Names[k]
		j := slices.Index(c.Names, name)
		if j < 0 {
			c.Names, c.Customers, c.CLV = append(c.Names, name), append(c.Customers, 0), append(c.CLV, 0)
			j = len(c.Names) - 1
		}
		c.Customers[j]++
		c.CLV[j] += sc.RFM.Monetary[i] // revenue, for the summary
	}
	return c, nil
}

// RFMSummary is OUTPUT-rfm.json: the cuts and each segment's customers and
// revenue.
type RFMSummary struct {
	RecencyCuts   []float64    `json:"recency_cuts"`
	FrequencyCuts []float64    `json:"frequency_cuts"`
	MonetaryCuts  []float64    `json:"monetary_cuts"`
	Segments      []RFMSegment `json:"segments"`
}

// RFMSegment is one segment of RFMSummary.
type RFMSegment struct {
	Segment   string  `json:"segment"`
	Customers int64   `json:"customers"`
	Revenue   float64 `json:"revenue"`
}

type writeRFMSummaryFn struct {
	O Options
}

func (f *writeRFMSummaryFn) ProcessElement(ctx context.Context, c SegmentCounts, cuts RFMCuts) error {
	out := RFMSummary{RecencyCuts: cuts.R, FrequencyCuts: cuts.F, MonetaryCuts: cuts.M}
	for k, name := range c.Names {
		out.Segments = append(out.Segments, RFMSegment{Segment: name, Customers: c.Customers[k], Revenue: c.CLV[k]})
	}
	slices.SortFunc(out.Segments, func(a, b RFMSegment) int { return cmpStrings(a.Segment, b.Segment) })
	b, err := json.MarshalIndent(out, "", "  ")
	if err != nil {
		return err
	}
	return writeFile(ctx, f.O.Output+"-rfm.json", func(w io.Writer) error {
		_, err := w.Write(append(b, '\n'))
		return err
	})
}

func cmpStrings(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
