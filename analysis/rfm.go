package analysis

import (
	"fmt"

	"github.com/valuekit/valuekit/customers"
	"github.com/valuekit/valuekit/event"
	"github.com/valuekit/valuekit/internal/civil"
	"github.com/valuekit/valuekit/rfm"
	"github.com/valuekit/valuekit/segment"
	"github.com/valuekit/valuekit/table"
)

// RFMOptions configure RFM. The zero value gives quintile scores of gross
// revenue.
type RFMOptions struct {
	// Bins is the number of score levels, 2..rfm.MaxBins; 0 means 5.
	Bins int
	// Net scores monetary value on net revenue (purchases minus refunds)
	// instead of revenue.
	Net bool
	// RecencyCuts (in days), FrequencyCuts and MonetaryCuts, when set, are
	// fixed cut points (Bins−1 ascending values) instead of quantiles.
	RecencyCuts, FrequencyCuts, MonetaryCuts []float64
}

// RFMScores are the RFM scores and named segments of the customers of a
// summary with a purchase in the period (the others cannot be scored and
// are counted in LeftOut).
type RFMScores struct {
	CustomerID []string
	// Data holds the inputs: whole days from the last purchase day to the
	// last day observed (the calibration end when there is one), purchase
	// events, and revenue or net revenue.
	Data rfm.Data
	// Scores are the R, F and M scores at Bins levels.
	Scores *rfm.Scores
	// Segments is the eleven-segment scheme (rfm.DefaultTable) on the
	// quintile R and F scores: computed at 5 levels whatever Bins, with the
	// fixed cuts only when Bins is 5.
	Segments segment.Assignment
	// Named are the quintile scores Segments were assigned from (Scores
	// itself when Bins is 5).
	Named *rfm.Scores
	// LeftOut counts the customers without a purchase in the period.
	LeftOut int
}

// RFM scores every customer of s with a purchase in the period on recency,
// frequency and monetary value and names their segment, as `valuekit rfm`
// does. s must come from events (a summary file has no purchase dates):
// recency is counted in whole days from each customer's last purchase day.
func RFM(s *customers.Summary, opts RFMOptions) (*RFMScores, error) {
	if opts.Bins == 0 {
		opts.Bins = 5
	}
	if opts.Bins < 2 || opts.Bins > rfm.MaxBins {
		return nil, fmt.Errorf("%w: %d score levels (want 2..%d)", event.ErrOption, opts.Bins, rfm.MaxBins)
	}
	if s.LastPurchase == nil {
		return nil, fmt.Errorf("%w: RFM needs a summary of events: recency is counted from each customer's last purchase date, which a summary file does not hold", event.ErrOption)
	}
	end := s.End
	if !s.CalibrationEnd.IsZero() {
		end = s.CalibrationEnd
	}
	endDay := civil.DayOf(end.UnixMicro())
	r := &RFMScores{}
	for i := range s.Len() {
		if s.Purchases[i] == 0 {
			r.LeftOut++
			continue
		}
		r.CustomerID = append(r.CustomerID, s.CustomerID[i])
		r.Data.DaysSinceLastPurchase = append(r.Data.DaysSinceLastPurchase, float64(endDay-civil.DayOf(s.LastPurchase[i])))
		r.Data.Purchases = append(r.Data.Purchases, float64(s.Purchases[i]))
		m := s.Revenue[i]
		if opts.Net {
			m = s.NetRevenue[i]
		}
		r.Data.Monetary = append(r.Data.Monetary, m)
	}
	if len(r.CustomerID) == 0 {
		return nil, fmt.Errorf("%w: no customer has a purchase in the period: nothing to score", rfm.ErrEmpty)
	}
	var err error
	ro := &rfm.Options{Bins: opts.Bins, RecencyCuts: opts.RecencyCuts, FrequencyCuts: opts.FrequencyCuts, MonetaryCuts: opts.MonetaryCuts}
	if r.Scores, err = rfm.Score(r.Data, ro); err != nil {
		return nil, err
	}
	r.Named = r.Scores
	if opts.Bins != 5 {
		if r.Named, err = rfm.Score(r.Data, nil); err != nil {
			return nil, err
		}
	}
	if r.Segments, err = rfm.DefaultTable().Assign(r.Named); err != nil {
		return nil, err
	}
	return r, nil
}

// Stats returns the per-segment counts, revenue shares and mean scores.
func (r *RFMScores) Stats() ([]rfm.SegmentStats, error) {
	return rfm.Stats(r.Data, r.Named, r.Segments)
}

// Table returns one row per scored customer with the CLI's columns:
// customer_id, recency_days, frequency (purchase events), monetary, r, f,
// m, segment.
func (r *RFMScores) Table() *table.Table {
	n := len(r.CustomerID)
	recency, freq := make([]int32, n), make([]int32, n)
	for i := range n {
		recency[i], freq[i] = int32(r.Data.DaysSinceLastPurchase[i]), int32(r.Data.Purchases[i])
	}
	return &table.Table{Columns: []table.Column{
		{Name: "customer_id", Kind: table.StringColumn, String: r.CustomerID},
		{Name: "recency_days", Kind: table.IntColumn, Int: recency},
		{Name: "frequency", Kind: table.IntColumn, Int: freq},
		{Name: "monetary", Kind: table.FloatColumn, Float: r.Data.Monetary},
		{Name: "r", Kind: table.IntColumn, Int: widen(r.Scores.R)},
		{Name: "f", Kind: table.IntColumn, Int: widen(r.Scores.F)},
		{Name: "m", Kind: table.IntColumn, Int: widen(r.Scores.M)},
		{Name: "segment", Kind: table.StringColumn, String: classNames(r.Segments)},
	}}
}

func widen(s []uint8) []int32 {
	out := make([]int32, len(s))
	for i, v := range s {
		out[i] = int32(v)
	}
	return out
}

// classNames returns the class name of every member of a.
func classNames(a segment.Assignment) []string {
	out := make([]string, len(a.Class))
	for i, c := range a.Class {
		out[i] = a.Names[c]
	}
	return out
}
