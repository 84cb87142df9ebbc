package main

import (
	"context"
	"fmt"

	"github.com/valuekit/valuekit"
	"github.com/valuekit/valuekit/clv"
)

// loadSummary returns the per-customer summary of FILE: read directly when
// FILE is a summary file (frequency, recency, T or periods columns),
// otherwise computed from the events with the input flags.
func (f *inputFlags) loadSummary(ctx context.Context, e *env, path string) (*valuekit.Summary, error) {
	isSummary, err := valuekit.IsSummaryFile(path)
	if err != nil {
		return nil, err
	}
	if !isSummary {
		return f.summarize(ctx, e, path)
	}
	unit, err := valuekit.ParseUnit(f.unit)
	if err != nil {
		return nil, usagef("--unit: %v", err)
	}
	return valuekit.ReadSummaryFile(path, unit)
}

// modelRows are the summary rows a transaction model sees: customers with a
// purchase in the (calibration) period. rows[k] is the summary row of the
// k-th data row.
type modelRows struct {
	rows []int
	data clv.Data
}

func selectModelRows(s *valuekit.Summary) (*modelRows, error) {
	m := &modelRows{}
	for i := range s.Len() {
		if s.Purchases[i] > 0 {
			m.rows = append(m.rows, i)
		}
	}
	if len(m.rows) == 0 {
		return nil, fmt.Errorf("no customer has a purchase in the period: nothing to fit or score")
	}
	n := len(m.rows)
	m.data = clv.Data{Frequency: make([]float64, n), Recency: make([]float64, n), T: make([]float64, n), Monetary: make([]float64, n)}
	if s.Weights != nil {
		m.data.Weights = make([]float64, n)
	}
	for k, i := range m.rows {
		m.data.Frequency[k], m.data.Recency[k], m.data.T[k] = s.Frequency[i], s.Recency[i], s.T[i]
		m.data.Monetary[k] = s.MonetaryValue[i]
		if s.Weights != nil {
			m.data.Weights[k] = s.Weights[i]
		}
	}
	return m, nil
}

// spendData returns the rows of d that a spend model can use: repeat
// customers with a positive mean spend. It reports how many repeat
// customers were left out for a zero mean spend.
func spendData(d clv.Data) (clv.Data, int) {
	var out clv.Data
	skipped := 0
	for i := range d.Len() {
		if d.Frequency[i] <= 0 {
			continue
		}
		if d.Monetary[i] <= 0 {
			skipped++
			continue
		}
		out.Frequency = append(out.Frequency, d.Frequency[i])
		out.Recency = append(out.Recency, d.Recency[i])
		out.T = append(out.T, d.T[i])
		out.Monetary = append(out.Monetary, d.Monetary[i])
		if d.Weights != nil {
			out.Weights = append(out.Weights, d.Weights[i])
		}
	}
	return out, skipped
}
