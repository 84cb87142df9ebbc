package main

import (
	"context"
	"fmt"
	"math"
	"strconv"

	"github.com/valuekit/valuekit"
	"github.com/valuekit/valuekit/clv"
)

// loadSummary returns the per-customer summary of FILE: read directly when
// FILE is a summary file (frequency, recency, T or periods columns),
// otherwise computed from the events with the input flags.
func (f *inputFlags) loadSummary(ctx context.Context, e *env, path string) (*valuekit.Summary, error) {
	if path == "-" {
		return f.summarize(ctx, e, path)
	}
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

// transactionModel loads the transaction model from file or, when file is
// empty, fits the named one to the model rows.
func transactionModel(ctx context.Context, e *env, file, name string, rows *modelRows) (clv.TransactionModel, error) {
	if file == "" {
		m, err := fitRows(ctx, e, name, rows.data)
		if err != nil {
			return nil, err
		}
		return m.(clv.TransactionModel), nil
	}
	m, err := loadModelFile(file)
	if err != nil {
		return nil, err
	}
	tm, ok := m.(clv.TransactionModel)
	if !ok {
		return nil, fmt.Errorf("%s: a %s model does not predict purchases; give a transaction model (bgnbd, pnbd, mbgnbd, bgbb)", file, m.Name())
	}
	return tm, nil
}

// setSpend sets the spend of opts from a saved Gamma-Gamma model
// (spendFile), from spend ("gg": fit one to the rows; a number: a fixed
// spend per purchase; "": the mean purchase amount), and nets refunds.
// A spend that is neither gg nor a positive number is a usage error.
func setSpend(ctx context.Context, e *env, opts *clv.CLVOptions, spendFile, spend string, s *valuekit.Summary, rows *modelRows) error {
	switch {
	case spendFile != "":
		m, err := loadModelFile(spendFile)
		if err != nil {
			return err
		}
		gg, ok := m.(*clv.GammaGamma)
		if !ok {
			return fmt.Errorf("%s: a %s model is not a spend model; give a Gamma-Gamma model (gg)", spendFile, m.Name())
		}
		opts.Spend = gg
	case spend == "gg":
		m, err := fitRows(ctx, e, clv.NameGammaGamma, rows.data)
		if err != nil {
			return fmt.Errorf("fitting the spend model: %w", err)
		}
		opts.Spend = m.(*clv.GammaGamma)
	case spend != "":
		v, err := strconv.ParseFloat(spend, 64)
		if err != nil || !(v > 0) || math.IsInf(v, 0) {
			return usagef("--spend %q: want gg or a positive amount", spend)
		}
		opts.SpendPerPurchase = v
	default:
		var rev float64
		var n int64
		for _, i := range rows.rows {
			rev += s.Revenue[i]
			n += int64(s.Purchases[i])
		}
		if !(rev > 0) {
			return fmt.Errorf("the mean purchase amount is not positive (revenue %g over %d purchases); give --spend", rev, n)
		}
		opts.SpendPerPurchase = rev / float64(n)
		fmt.Fprintf(e.stderr, "spend per purchase: %.2f (the mean purchase amount; use --spend gg for a per-customer spend model)\n", opts.SpendPerPurchase)
	}
	if refunds := refundRatios(s, rows.rows); refunds != nil {
		opts.Refunds = refunds
	}
	return nil
}
