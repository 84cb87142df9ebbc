package rfm

import (
	"fmt"
	"github.com/valuekit/valuekit/table"
	"io"
	"strconv"

	"github.com/valuekit/valuekit/segment"

	"github.com/valuekit/valuekit/internal/textfmt"
)

// SegmentStats describes one segment. Figures of an empty segment are 0.
type SegmentStats struct {
	Segment       string
	Customers     int
	CustomerShare float64 // Customers / all customers
	Revenue       float64 // sum of Monetary
	RevenueShare  float64 // Revenue / total revenue; 0 throughout if the total is not positive
	MeanR         float64 // mean R score
	MeanF         float64 // mean F score
	MeanM         float64 // mean M score
	MeanRecency   float64 // mean days since the last purchase
	MeanFrequency float64 // mean number of purchases
	MeanMonetary  float64 // mean Monetary
}

// Stats returns, for every class of a (e.g. from Table.Assign), the
// number and share of customers, the revenue (sum of d.Monetary) and its
// share, the mean scores and the mean raw values. The revenue shares sum to
// 1 up to rounding when the total revenue is positive.
//
// d, s and a must describe the same customers in the same order
// (ErrLength otherwise). d must be valid as for Score.
func Stats(d Data, s *Scores, a segment.Assignment) ([]SegmentStats, error) {
	n := len(a.Class)
	if err := a.Validate(); err != nil {
		return nil, err
	}
	if len(d.DaysSinceLastPurchase) != n || len(d.Purchases) != n || len(d.Monetary) != n || len(s.R) != n || len(s.F) != n || len(s.M) != n {
		return nil, fmt.Errorf("rfm: data, scores and segments do not have %d customers each: %w", n, ErrLength)
	}
	for _, c := range []struct {
		name string
		x    []float64
		min  float64
	}{{"recency", d.DaysSinceLastPurchase, 0}, {"frequency", d.Purchases, 0}, {"monetary", d.Monetary, -1}} {
		if err := check(c.name, c.x, c.min); err != nil {
			return nil, err
		}
	}
	st := make([]SegmentStats, len(a.Names))
	var total float64
	for i, c := range a.Class {
		x := &st[c]
		x.Customers++
		x.Revenue += d.Monetary[i]
		x.MeanR += float64(s.R[i])
		x.MeanF += float64(s.F[i])
		x.MeanM += float64(s.M[i])
		x.MeanRecency += d.DaysSinceLastPurchase[i]
		x.MeanFrequency += d.Purchases[i]
		total += d.Monetary[i]
	}
	for c := range st {
		x := &st[c]
		x.Segment = a.Names[c]
		if x.Customers == 0 {
			continue
		}
		m := float64(x.Customers)
		x.CustomerShare = m / float64(n)
		x.MeanR /= m
		x.MeanF /= m
		x.MeanM /= m
		x.MeanRecency /= m
		x.MeanFrequency /= m
		x.MeanMonetary = x.Revenue / m
		if total > 0 {
			x.RevenueShare = x.Revenue / total
		}
	}
	return st, nil
}

// WriteStats writes segment statistics as an aligned text table: shares as
// percentages, mean scores with two decimals.
func WriteStats(w io.Writer, stats []SegmentStats) error {
	f := func(v float64, prec int) string { return strconv.FormatFloat(v, 'f', prec, 64) }
	rows := [][]string{{"segment", "customers", "share", "revenue", "revenue_share", "mean_r", "mean_f", "mean_m", "recency_days", "frequency", "monetary"}}
	for _, x := range stats {
		rows = append(rows, []string{x.Segment, strconv.Itoa(x.Customers), f(100*x.CustomerShare, 1) + "%",
			f(x.Revenue, 2), f(100*x.RevenueShare, 1) + "%", f(x.MeanR, 2), f(x.MeanF, 2), f(x.MeanM, 2),
			f(x.MeanRecency, 1), f(x.MeanFrequency, 2), f(x.MeanMonetary, 2)})
	}
	return textfmt.WriteAligned(w, rows)
}

// StatsRecords returns segment statistics as a header and one record per
// segment, numbers in full precision: ready for encoding/csv.
func StatsRecords(stats []SegmentStats) [][]string {
	g := func(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
	out := [][]string{{"segment", "customers", "customer_share", "revenue", "revenue_share", "mean_r", "mean_f", "mean_m", "mean_recency_days", "mean_frequency", "mean_monetary"}}
	for _, x := range stats {
		out = append(out, []string{x.Segment, strconv.Itoa(x.Customers), g(x.CustomerShare), g(x.Revenue), g(x.RevenueShare),
			g(x.MeanR), g(x.MeanF), g(x.MeanM), g(x.MeanRecency), g(x.MeanFrequency), g(x.MeanMonetary)})
	}
	return out
}

// StatsTable returns segment statistics as a typed table with the columns
// of StatsRecords: segment text, customers a whole number, every other
// column float64 whatever the values, so that its Parquet and JSON schema
// does not depend on the data.
func StatsTable(stats []SegmentStats) *table.Table {
	n := len(stats)
	seg := table.Column{Name: "segment", Kind: table.StringColumn, String: make([]string, n)}
	cust := table.Column{Name: "customers", Kind: table.IntColumn, Int: make([]int32, n)}
	names := []string{"customer_share", "revenue", "revenue_share", "mean_r", "mean_f", "mean_m", "mean_recency_days", "mean_frequency", "mean_monetary"}
	nums := make([]table.Column, len(names))
	for j, name := range names {
		nums[j] = table.Column{Name: name, Kind: table.FloatColumn, Float: make([]float64, n)}
	}
	for i, x := range stats {
		seg.String[i], cust.Int[i] = x.Segment, int32(x.Customers)
		for j, v := range []float64{x.CustomerShare, x.Revenue, x.RevenueShare, x.MeanR, x.MeanF, x.MeanM, x.MeanRecency, x.MeanFrequency, x.MeanMonetary} {
			nums[j].Float[i] = v
		}
	}
	return &table.Table{Columns: append([]table.Column{seg, cust}, nums...)}
}
