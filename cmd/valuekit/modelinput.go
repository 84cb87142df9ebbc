package main

import (
	"context"
	"fmt"
	"math"
	"strconv"

	"github.com/valuekit/valuekit"
	"github.com/valuekit/valuekit/analysis"
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
	s, err := valuekit.ReadSummaryFile(path, unit)
	if err != nil {
		return nil, err
	}
	if f.unitSet {
		if !s.UnitAssumed && s.Unit != unit {
			return nil, fmt.Errorf("%s: recency and T are in %ss (its unit column), not %ss as --unit says: drop --unit, or write the summary again with --unit %s",
				path, s.Unit, unit, unit)
		}
		s.UnitAssumed = false // the caller says so
	}
	return s, nil
}

// useModelUnit makes the model's time unit the data's when --unit was not
// given, so that event files are summarised in the unit the model's rates
// are per. A --unit that differs is refused.
func (f *inputFlags) useModelUnit(m clv.Model, modelFile string) error {
	t := clv.ModelTiming(m)
	if !t.HasUnit {
		return nil // analysis.ResolveScale says which unit is assumed
	}
	unit, err := valuekit.ParseUnit(f.unit)
	if err != nil {
		return usagef("--unit: %v", err)
	}
	switch {
	case !f.unitSet:
		f.unit = t.Unit.String()
	case unit != t.Unit:
		return fmt.Errorf("%s: the %s model's rates are per %s, but --unit is %s: drop --unit (the data are then read in %ss) or refit the model with --unit %s: %w",
			modelFile, m.Name(), t.Unit, unit, t.Unit, unit, analysis.ErrUnitMismatch)
	}
	return nil
}

// report writes one note or warning line to standard error.
func (e *env) report(line string) { fmt.Fprintln(e.stderr, line) }

// loadTransactionModel loads a saved transaction model.
func loadTransactionModel(file string) (clv.TransactionModel, error) {
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

// spendFlags turns --spend-model FILE and --spend gg|AMOUNT into a spend
// choice; a spend that is neither gg nor a positive number is a usage
// error.
func spendFlags(spendFile, spend string) (analysis.Spend, error) {
	switch {
	case spendFile != "":
		m, err := loadModelFile(spendFile)
		if err != nil {
			return analysis.Spend{}, err
		}
		gg, ok := m.(*clv.GammaGamma)
		if !ok {
			return analysis.Spend{}, fmt.Errorf("%s: a %s model is not a spend model; give a Gamma-Gamma model (gg)", spendFile, m.Name())
		}
		return analysis.Spend{Model: gg}, nil
	case spend == "gg":
		return analysis.Spend{Fit: true}, nil
	case spend != "":
		v, err := strconv.ParseFloat(spend, 64)
		if err != nil || !(v > 0) || math.IsInf(v, 0) {
			return analysis.Spend{}, usagef("--spend %q: want gg or a positive amount", spend)
		}
		return analysis.Spend{PerPurchase: v}, nil
	}
	return analysis.Spend{}, nil
}
