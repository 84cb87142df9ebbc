package main

import (
	"context"
	"github.com/valuekit/valuekit"
)

func runSummary(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "summary", "summary FILE [flags]\n\nWrites one row per customer: customer_id, frequency, recency, T, monetary_value, first_purchase,\nlast_purchase, purchases, revenue, refunds, net_revenue, [cost, profit, quantity,] referrals, referred,\nshares, experience, experience_count [, holdout_frequency, holdout_revenue].")
	in := addInputFlags(fs)
	out := fs.String("o", "", "output file: .csv, .parquet or .json (default: CSV to standard output)")
	path, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if err := checkOutputName(*out, path); err != nil {
		return err
	}
	s, err := in.summarize(ctx, e, path)
	if err != nil {
		return err
	}
	return writeOutput(e, *out, s.Table())
}

// writeOutput writes to the file out (atomically, format by extension) or,
// when out is empty, CSV to standard output.
func writeOutput(e *env, out string, t *valuekit.Table) error {
	if out == "" {
		return t.WriteCSV(e.stdout)
	}
	return valuekit.WriteTableFile(out, t)
}
